"""SCRAM-SHA-256 and SCRAM-SHA-512, the server side (RFC 5802, RFC 7677), as Kafka runs it.

Credentials are kept as Kafka stores them (``ScramCredential``): a random salt, an iteration
count (4096, Kafka's minimum for both mechanisms) and the derived ``StoredKey`` and
``ServerKey``, never the password. The exchange:

    client-first   n,,n=alice,r=<client nonce>
    server-first   r=<client nonce><server nonce>,s=<salt>,i=4096
    client-final   c=biws,r=<both nonces>,p=<proof>
    server-final   v=<server signature>

Channel binding is refused (``p=`` in the GS2 header), as Kafka refuses it. An unknown user
and a wrong proof fail alike (``SaslError``: the client learns only that the credentials
were invalid). With the ``tokenauth=true`` extension after the nonce (KIP-48) the user name
is a delegation token's id and the password its base64 HMAC: ``tokens`` finds the live
token, and the login's ``principal`` is the token's owner.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kafkalite.security.sasl_errors import SaslAuthenticationError, SaslError

if TYPE_CHECKING:
    from kafkalite.security.tokens import DelegationToken

__all__ = [
    "MECHANISMS",
    "MECHANISM_CODES",
    "ScramCredential",
    "ScramServer",
    "ScramStore",
    "credential_from_salted",
    "scram_credential",
]

MECHANISMS = {"SCRAM-SHA-256": "sha256", "SCRAM-SHA-512": "sha512"}
MIN_ITERATIONS = 4096


@dataclass(frozen=True, slots=True)
class ScramCredential:
    salt: bytes
    stored_key: bytes
    server_key: bytes
    iterations: int


def _hmac(digest: str, key: bytes, message: bytes) -> bytes:
    return hmac.new(key, message, digest).digest()


def scram_credential(
    mechanism: str, password: str, salt: bytes | None = None, iterations: int = MIN_ITERATIONS
) -> ScramCredential:
    """Salt and iterate ``password`` as Kafka's ``ScramFormatter.generateCredential`` does."""
    digest = MECHANISMS[mechanism]
    salt = salt if salt is not None else secrets.token_bytes(32)
    # RFC 5802 asks for SASLprep; Kafka, like most clients, uses the UTF-8 bytes as they are.
    salted = hashlib.pbkdf2_hmac(digest, password.encode(), salt, iterations)
    client_key = _hmac(digest, salted, b"Client Key")
    return ScramCredential(
        salt=salt,
        stored_key=hashlib.new(digest, client_key).digest(),
        server_key=_hmac(digest, salted, b"Server Key"),
        iterations=iterations,
    )


def _attributes(message: str) -> dict[str, str]:
    attributes: dict[str, str] = {}
    for part in message.split(","):
        key, sep, value = part.partition("=")
        if not sep or len(key) != 1:
            raise SaslError(f"invalid SCRAM message {message!r}")
        attributes.setdefault(key, value)
    return attributes


def _extensions(text: str) -> dict[str, str]:
    """The ``key=value`` extensions after the nonce (Kafka's ``ScramExtensions``)."""
    extensions: dict[str, str] = {}
    for part in text.split(","):
        key, sep, value = part.partition("=")
        if not sep or not key.isalpha():
            raise SaslError(f"invalid SCRAM extension {part!r}")
        extensions[key] = value
    return extensions


def _username(saslname: str) -> str:
    if "=" in saslname.replace("=2C", "").replace("=3D", ""):
        raise SaslError(f"invalid username encoding {saslname!r}")
    return saslname.replace("=2C", ",").replace("=3D", "=")


class ScramServer:
    """One SCRAM exchange; ``evaluate`` each client message in turn."""

    def __init__(
        self,
        mechanism: str,
        credentials: Callable[[str], ScramCredential | None],
        nonce: str | None = None,
        tokens: Callable[[str], DelegationToken | None] | None = None,
    ) -> None:
        self.mechanism = mechanism
        self._digest = MECHANISMS[mechanism]
        self._credentials = credentials
        self._tokens = tokens
        self.principal: str | None = None
        """Who logged in, when not ``User:<username>`` (a token's owner)."""
        self.token_authenticated = False
        self._server_nonce = nonce if nonce is not None else secrets.token_urlsafe(24)
        self._step = 0
        self._gs2_header = ""
        self._client_first_bare = ""
        self._server_first = ""
        self._nonce = ""
        self._credential: ScramCredential | None = None
        self.username = ""
        self.complete = False

    def evaluate(self, token: bytes) -> bytes:
        try:
            message = token.decode()
        except UnicodeDecodeError:
            raise SaslError("SCRAM message is not UTF-8") from None
        if self._step == 0:
            self._step = 1
            return self._client_first(message).encode()
        if self._step == 1:
            self._step = 2
            return self._client_final(message).encode()
        raise SaslError("SCRAM exchange is already complete")

    def _client_first(self, message: str) -> str:
        flag, sep, rest = message.partition(",")
        authzid, sep2, bare = rest.partition(",")
        if not sep or not sep2 or flag not in ("n", "y"):
            if flag.startswith("p="):
                raise SaslError("SCRAM channel binding is not supported")
            raise SaslError(f"invalid SCRAM client-first message {message!r}")
        self._gs2_header = f"{flag},{authzid},"
        self._client_first_bare = bare
        parts = bare.split(",", 2)
        attributes = _attributes(",".join(parts[:2]))
        if "n" not in attributes or "r" not in attributes:
            raise SaslError(f"invalid SCRAM client-first message {message!r}")
        extensions = _extensions(parts[2]) if len(parts) > 2 else {}
        self.username = _username(attributes["n"])
        if authzid and _username(authzid.removeprefix("a=")) != self.username:
            raise SaslAuthenticationError(
                "Authentication failed: Client requested an authorization id that is "
                "different from username"
            )
        if extensions.get("tokenauth", "").lower() == "true":
            token = self._tokens(self.username) if self._tokens is not None else None
            if token is None:
                raise SaslError(f"Token Authentication failed: Invalid tokenId : {self.username}")
            self._credential = token.scram_credential(self.mechanism)
            self.principal = token.owner
            self.token_authenticated = True
        else:
            self._credential = self._credentials(self.username)
        if self._credential is None:
            raise SaslError("Authentication failed: Invalid user credentials")
        self._nonce = attributes["r"] + self._server_nonce
        salt = base64.b64encode(self._credential.salt).decode()
        self._server_first = f"r={self._nonce},s={salt},i={self._credential.iterations}"
        return self._server_first

    def _client_final(self, message: str) -> str:
        without_proof, sep, proof_text = message.rpartition(",p=")
        if not sep:
            raise SaslError(f"invalid SCRAM client-final message {message!r}")
        attributes = _attributes(without_proof)
        expected_binding = base64.b64encode(self._gs2_header.encode()).decode()
        if attributes.get("c") != expected_binding:
            raise SaslError("SCRAM channel binding does not match the client-first message")
        # Kafka's ScramSaslServer only checks that the nonce ends with the server-first
        # one, and librdkafka before 2.1 sends the client nonce twice: accept it as Kafka does.
        if not attributes.get("r", "").endswith(self._nonce):
            raise SaslError("Invalid client nonce in the final client message.")
        assert self._credential is not None
        credential = self._credential
        auth_message = f"{self._client_first_bare},{self._server_first},{without_proof}".encode()
        try:
            proof = base64.b64decode(proof_text, validate=True)
        except ValueError:
            raise SaslError("SCRAM proof is not base64") from None
        signature = _hmac(self._digest, credential.stored_key, auth_message)
        if len(proof) != len(signature):
            raise SaslError("Invalid client credentials")
        client_key = bytes(a ^ b for a, b in zip(proof, signature, strict=True))
        if not hmac.compare_digest(
            hashlib.new(self._digest, client_key).digest(), credential.stored_key
        ):
            raise SaslError("Invalid client credentials")
        self.complete = True
        server_signature = _hmac(self._digest, credential.server_key, auth_message)
        return "v=" + base64.b64encode(server_signature).decode()


MECHANISM_CODES = {1: "SCRAM-SHA-256", 2: "SCRAM-SHA-512"}
"""Kafka's ``ScramMechanism`` type codes on the wire (0 is UNKNOWN)."""
MAX_ITERATIONS = 16384


def credential_from_salted(
    mechanism: str, salt: bytes, salted_password: bytes, iterations: int
) -> ScramCredential:
    """The credential for a password a client salted itself (AlterUserScramCredentials
    sends ``Hi(password, salt, iterations)``, never the password)."""
    digest = MECHANISMS[mechanism]
    client_key = _hmac(digest, salted_password, b"Client Key")
    return ScramCredential(
        salt=salt,
        stored_key=hashlib.new(digest, client_key).digest(),
        server_key=_hmac(digest, salted_password, b"Server Key"),
        iterations=iterations,
    )


class ScramStore:
    """SCRAM credentials managed with AlterUserScramCredentials, by mechanism then user;
    persisted by the cluster (``to_json``)."""

    def __init__(self) -> None:
        self.credentials: dict[str, dict[str, ScramCredential]] = {m: {} for m in MECHANISMS}

    def get(self, mechanism: str, user: str) -> ScramCredential | None:
        return self.credentials.get(mechanism, {}).get(user)

    def users(self) -> dict[str, dict[str, ScramCredential]]:
        """``{user: {mechanism: credential}}``."""
        by_user: dict[str, dict[str, ScramCredential]] = {}
        for mechanism, users in self.credentials.items():
            for user, credential in users.items():
                by_user.setdefault(user, {})[mechanism] = credential
        return by_user

    def to_json(self) -> dict[str, dict[str, list[object]]]:
        b64 = base64.b64encode
        return {
            mechanism: {
                user: [b64(c.salt).decode(), b64(c.stored_key).decode(),
                       b64(c.server_key).decode(), c.iterations]
                for user, c in sorted(users.items())
            }
            for mechanism, users in self.credentials.items()
        }

    def load_json(self, data: dict[str, dict[str, list[object]]]) -> None:
        for mechanism, users in data.items():
            if mechanism not in MECHANISMS:
                continue
            for user, (salt, stored, server, iterations) in users.items():
                self.credentials[mechanism][user] = ScramCredential(
                    base64.b64decode(str(salt)), base64.b64decode(str(stored)),
                    base64.b64decode(str(server)), int(str(iterations)),
                )
