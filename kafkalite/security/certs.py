"""Throwaway certificates for tests: a CA, a server and a client certificate, in PEM.

    kafkalite certs DIR            # or KafkaliteServer(..., tls=True)

writes to DIR (created if missing):

- ``ca.crt``: the CA certificate: clients trust it (``ssl.ca.location``, ``ssl_cafile``);
- ``server.pem``: the server's key and certificate chain, a Kafka PEM keystore
  (``ssl.keystore.location``), also as ``server.crt`` + ``server.key``;
- ``client.pem``, ``client.crt``, ``client.key``: the client's, for mTLS (subject
  ``CN=client``, so its principal is ``User:CN=client``).

The server certificate names ``localhost``, ``127.0.0.1`` and ``::1`` (and any ``hosts``
given), so clients that check host names accept it. Keys are unencrypted EC P-256; the
certificates last a year. Needs the ``cryptography`` package (``pip install
kafkalite[tls]``), imported only here.
"""

from __future__ import annotations

import datetime
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["CertificateSet", "write_certificates"]

_VALID_FOR = datetime.timedelta(days=365)


@dataclass(frozen=True, slots=True)
class CertificateSet:
    directory: Path

    @property
    def ca(self) -> Path:
        return self.directory / "ca.crt"

    @property
    def server_keystore(self) -> Path:
        return self.directory / "server.pem"

    @property
    def client_keystore(self) -> Path:
        return self.directory / "client.pem"

    @property
    def client_certificate(self) -> Path:
        return self.directory / "client.crt"

    @property
    def client_key(self) -> Path:
        return self.directory / "client.key"

    def broker_properties(self, client_auth: str = "none") -> dict[str, str]:
        """The ``ssl.*`` broker properties that serve these certificates."""
        return {
            "ssl.keystore.type": "PEM",
            "ssl.keystore.location": str(self.server_keystore),
            "ssl.truststore.type": "PEM",
            "ssl.truststore.location": str(self.ca),
            "ssl.client.auth": client_auth,
        }


def _crypto() -> Any:
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    except ImportError:
        raise RuntimeError(
            "generating certificates needs the cryptography package: pip install kafkalite[tls]"
        ) from None
    return x509, hashes, serialization, ec, ExtendedKeyUsageOID, NameOID


def write_certificates(directory: str | Path, hosts: Iterable[str] = ()) -> CertificateSet:
    x509, hashes, serialization, ec, usage, oid = _crypto()
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5)

    def name(common_name: str) -> Any:
        return x509.Name(
            [
                x509.NameAttribute(oid.ORGANIZATION_NAME, "kafkalite"),
                x509.NameAttribute(oid.COMMON_NAME, common_name),
            ]
        )

    def build(subject: Any, key: Any, issuer: Any, issuer_key: Any, extensions: list[Any]) -> Any:
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + _VALID_FOR)
        )
        for extension, critical in extensions:
            builder = builder.add_extension(extension, critical=critical)
        return builder.sign(issuer_key, hashes.SHA256())

    def pem_key(key: Any) -> bytes:
        return bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )

    def pem(certificate: Any) -> bytes:
        return bytes(certificate.public_bytes(serialization.Encoding.PEM))

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name(
        [
            x509.NameAttribute(oid.ORGANIZATION_NAME, "kafkalite"),
            x509.NameAttribute(oid.COMMON_NAME, "kafkalite test CA"),
        ]
    )
    ca = build(
        ca_name,
        ca_key,
        ca_name,
        ca_key,
        [
            (x509.BasicConstraints(ca=True, path_length=0), True),
            (
                x509.KeyUsage(
                    digital_signature=True,
                    key_cert_sign=True,
                    crl_sign=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                True,
            ),
        ],
    )
    names: list[Any] = []
    for host in ["localhost", "127.0.0.1", "::1", *hosts]:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    server_key = ec.generate_private_key(ec.SECP256R1())
    server = build(
        name("localhost"),
        server_key,
        ca_name,
        ca_key,
        [
            (x509.SubjectAlternativeName(names), False),
            (x509.ExtendedKeyUsage([usage.SERVER_AUTH]), False),
            (x509.BasicConstraints(ca=False, path_length=None), True),
        ],
    )
    client_key = ec.generate_private_key(ec.SECP256R1())
    client = build(
        x509.Name([x509.NameAttribute(oid.COMMON_NAME, "client")]),
        client_key,
        ca_name,
        ca_key,
        [
            (x509.ExtendedKeyUsage([usage.CLIENT_AUTH]), False),
            (x509.BasicConstraints(ca=False, path_length=None), True),
        ],
    )
    files = {
        "ca.crt": pem(ca),
        "server.crt": pem(server) + pem(ca),
        "server.key": pem_key(server_key),
        "server.pem": pem_key(server_key) + pem(server) + pem(ca),
        "client.crt": pem(client) + pem(ca),
        "client.key": pem_key(client_key),
        "client.pem": pem_key(client_key) + pem(client) + pem(ca),
    }
    for file_name, data in files.items():
        path = out / file_name
        path.write_bytes(data)
        if file_name.endswith((".key", ".pem")):
            path.chmod(0o600)
    return CertificateSet(out)
