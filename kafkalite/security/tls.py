"""The server TLS context of SSL and SASL_SSL listeners, from Kafka's ``ssl.*`` properties.

Key and trust stores are PEM, as Kafka reads them with ``ssl.keystore.type=PEM``: either a
file (``ssl.keystore.location``: the private key and the certificate chain in one file) or
inline text (``ssl.keystore.certificate.chain`` + ``ssl.keystore.key``); the trust store
likewise (``ssl.truststore.location`` or ``ssl.truststore.certificates``). Python's ``ssl``
loads a key only from a file, so inline PEM goes through a private temporary file, removed
at once.

``client_auth`` (``BrokerConfig.ssl_client_auth_for``: ``ssl.client.auth`` or its
``listener.name.<listener>.`` form): ``none`` asks for no certificate, ``requested`` asks and
accepts a client without one, ``required`` refuses it (mTLS), as Kafka does.
"""

from __future__ import annotations

import os
import ssl
import tempfile

from kafkalite.config import ConfigError, SslSettings

__all__ = ["server_context"]

_VERIFY = {
    "none": ssl.CERT_NONE,
    "requested": ssl.CERT_OPTIONAL,
    "required": ssl.CERT_REQUIRED,
}


def server_context(settings: SslSettings, client_auth: str | None = None) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    password = settings.key_password
    try:
        if settings.keystore_location:
            context.load_cert_chain(settings.keystore_location, password=password)
        elif settings.keystore_certificate_chain and settings.keystore_key:
            _load_inline(
                context, settings.keystore_certificate_chain, settings.keystore_key, password
            )
        else:
            raise ConfigError(
                "an SSL or SASL_SSL listener needs ssl.keystore.location, or "
                "ssl.keystore.certificate.chain and ssl.keystore.key "
                "(kafkalite certs DIR writes a throwaway set)"
            )
        if settings.truststore_location:
            context.load_verify_locations(cafile=settings.truststore_location)
        elif settings.truststore_certificates:
            context.load_verify_locations(cadata=settings.truststore_certificates)
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError(f"cannot load the TLS key or trust store: {exc}") from None
    client_auth = client_auth or settings.client_auth
    context.verify_mode = _VERIFY[client_auth]
    if context.verify_mode != ssl.CERT_NONE and not (
        settings.truststore_location or settings.truststore_certificates
    ):
        raise ConfigError(f"ssl.client.auth={client_auth} needs a trust store")
    return context


def _load_inline(context: ssl.SSLContext, chain: str, key: str, password: str | None) -> None:
    fd, path = tempfile.mkstemp(prefix="kafkalite-key-", suffix=".pem")
    try:
        with os.fdopen(fd, "w") as file:
            file.write(key.strip() + "\n" + chain.strip() + "\n")
        context.load_cert_chain(path, password=password)
    finally:
        os.unlink(path)
