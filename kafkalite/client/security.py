"""TLS and SASL for the blocking client's connections.

``ConnectionSecurity`` says how a ``BrokerConnection`` is secured: an ``ssl.SSLContext``
wraps the socket before the first request (SSL, SASL_SSL), and a SASL mechanism with a
username and password authenticates right after ApiVersions, as the Java client does
(SaslHandshake v1, then SaslAuthenticate frames, KIP-152). Mechanisms: PLAIN (RFC 4616) and
SCRAM-SHA-256 / SCRAM-SHA-512 (RFC 5802/7677, KIP-84); the server's final message is
verified. ``from_properties`` reads the Java client properties of a ``--command-config``
file (``security.protocol``, ``sasl.mechanism``, ``sasl.jaas.config`` or
``sasl.username``/``sasl.password``, ``ssl.truststore.location`` / ``ssl.ca.location`` as a
PEM file, ``ssl.keystore.location`` / ``ssl.certificate.location`` for a client
certificate, ``ssl.endpoint.identification.algorithm``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kafkalite.client.errors import ClientError, KafkaResponseError
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.sasl_authenticate import SaslAuthenticateRequest
from kafkalite.protocol.messages.sasl_handshake import SaslHandshakeRequest

if TYPE_CHECKING:
    from kafkalite.client.connection import BrokerConnection

__all__ = ["ConnectionSecurity", "UnsupportedSecurity", "from_properties", "parse_properties"]

PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")
_SCRAM_HASH = {"SCRAM-SHA-256": "sha256", "SCRAM-SHA-512": "sha512"}


class UnsupportedSecurity(ClientError):
    """A security setting this client cannot speak (GSSAPI, OAUTHBEARER, a JKS store...)."""


@dataclass(frozen=True, slots=True)
class ConnectionSecurity:
    protocol: str = "PLAINTEXT"
    ssl_context: ssl.SSLContext | None = None
    server_hostname_check: bool = True
    mechanism: str | None = None
    username: str = ""
    password: str = ""
    token_auth: bool = False
    """SCRAM with a delegation token (``tokenauth="true"`` in Kafka's ScramLoginModule):
    the user name is the token id, the password its base64 HMAC."""

    @property
    def uses_sasl(self) -> bool:
        return self.protocol.startswith("SASL_")

    def wrap(self, sock: ssl.SSLSocket | object, host: str) -> object:
        if self.ssl_context is None:
            return sock
        return self.ssl_context.wrap_socket(
            sock,  # type: ignore[arg-type]
            server_hostname=host if self.server_hostname_check else None,
        )

    def authenticate(self, connection: BrokerConnection) -> None:
        if not self.uses_sasl:
            return
        mechanism = self.mechanism or "PLAIN"
        response = connection.call(
            ApiKey.SASL_HANDSHAKE,
            SaslHandshakeRequest(mechanism=mechanism),
            connection.version_for(ApiKey.SASL_HANDSHAKE, minimum=1),
        )
        if response.error_code != ErrorCode.NONE:
            raise KafkaResponseError(
                response.error_code,
                f"broker offers {', '.join(response.mechanisms)}",
                f"SASL {mechanism}",
            )
        if mechanism == "PLAIN":
            token = b"\0" + self.username.encode() + b"\0" + self.password.encode()
            self._exchange(connection, token)
            return
        self._scram(connection, _SCRAM_HASH[mechanism])

    def _exchange(self, connection: BrokerConnection, token: bytes) -> bytes:
        response = connection.call(
            ApiKey.SASL_AUTHENTICATE, SaslAuthenticateRequest(auth_bytes=token)
        )
        if response.error_code != ErrorCode.NONE:
            raise KafkaResponseError(
                response.error_code, response.error_message, f"SASL {self.mechanism or 'PLAIN'}"
            )
        return bytes(response.auth_bytes or b"")

    def _scram(self, connection: BrokerConnection, digest: str) -> None:
        nonce = base64.b64encode(secrets.token_bytes(18)).decode()
        name = self.username.replace("=", "=3D").replace(",", "=2C")
        first_bare = f"n={name},r={nonce}" + (",tokenauth=true" if self.token_auth else "")
        server_first = self._exchange(connection, ("n,," + first_bare).encode()).decode()
        fields = dict(part.split("=", 1) for part in server_first.split(",") if "=" in part)
        server_nonce, salt, iterations = fields.get("r", ""), fields.get("s"), fields.get("i")
        if not server_nonce.startswith(nonce) or salt is None or iterations is None:
            raise ClientError(f"malformed SCRAM server-first message {server_first!r}")
        salted = hashlib.pbkdf2_hmac(
            digest, self.password.encode(), base64.b64decode(salt), int(iterations)
        )
        client_key = hmac.new(salted, b"Client Key", digest).digest()
        stored_key = hashlib.new(digest, client_key).digest()
        without_proof = f"c=biws,r={server_nonce}"
        auth_message = f"{first_bare},{server_first},{without_proof}".encode()
        signature = hmac.new(stored_key, auth_message, digest).digest()
        proof = bytes(a ^ b for a, b in zip(client_key, signature, strict=True))
        final = f"{without_proof},p={base64.b64encode(proof).decode()}"
        server_final = self._exchange(connection, final.encode()).decode()
        server_key = hmac.new(salted, b"Server Key", digest).digest()
        expected = base64.b64encode(hmac.new(server_key, auth_message, digest).digest()).decode()
        if server_final != f"v={expected}":
            raise ClientError(f"SCRAM server signature does not verify: {server_final!r}")


def parse_properties(text: str) -> dict[str, str]:
    """Java ``.properties`` lines (``key=value`` or ``key: value``; ``#``/``!`` comments,
    trailing ``\\`` continues a line)."""
    result: dict[str, str] = {}
    pending = ""
    for raw in text.splitlines():
        line = pending + raw.strip()
        pending = ""
        if not line or line[0] in "#!":
            continue
        if line.endswith("\\"):
            pending = line[:-1]
            continue
        match = re.match(r"([^=:\s]+)\s*[=:\s]\s*(.*)$", line)
        if match:
            result[match.group(1)] = match.group(2)
        else:
            result[line] = ""
    return result


def _jaas_options(jaas: str) -> dict[str, str]:
    return dict(re.findall(r'(\w+)\s*=\s*"((?:[^"\\]|\\.)*)"', jaas))


def from_properties(properties: Mapping[str, str]) -> ConnectionSecurity:
    protocol = properties.get("security.protocol", "PLAINTEXT").strip().upper()
    if protocol not in PROTOCOLS:
        raise UnsupportedSecurity(f"security.protocol {protocol!r} is not one of {PROTOCOLS}")
    context = None
    hostname_check = True
    if protocol.endswith("SSL"):
        if properties.get("ssl.truststore.type", "PEM").upper() not in ("PEM", ""):
            raise UnsupportedSecurity("only PEM trust stores are supported (ssl.truststore.type)")
        context = ssl.create_default_context()
        ca = properties.get("ssl.ca.location") or properties.get("ssl.truststore.location")
        if ca:
            context.load_verify_locations(cafile=ca)
        certificate = properties.get("ssl.certificate.location") or properties.get(
            "ssl.keystore.location"
        )
        if certificate:
            if properties.get("ssl.keystore.type", "PEM").upper() not in ("PEM", ""):
                raise UnsupportedSecurity("only PEM key stores are supported (ssl.keystore.type)")
            context.load_cert_chain(
                certificate,
                properties.get("ssl.key.location") or None,
                properties.get("ssl.key.password") or None,
            )
        if properties.get("ssl.endpoint.identification.algorithm", "https").strip() == "":
            hostname_check = False
            context.check_hostname = False
    mechanism = None
    username = password = ""
    token_auth = False
    if protocol.startswith("SASL_"):
        mechanism = properties.get("sasl.mechanism", "GSSAPI").strip().upper()
        if mechanism not in MECHANISMS:
            raise UnsupportedSecurity(
                f"sasl.mechanism {mechanism} is not supported (only {', '.join(MECHANISMS)})"
            )
        options = _jaas_options(properties.get("sasl.jaas.config", ""))
        username = properties.get("sasl.username", options.get("username", ""))
        password = properties.get("sasl.password", options.get("password", ""))
        token_auth = options.get("tokenauth", "").lower() == "true"
    return ConnectionSecurity(
        protocol, context, hostname_check, mechanism, username, password, token_auth
    )
