"""SASL mechanisms on the server side: PLAIN (RFC 4616), SCRAM-SHA-256/512 (``scram``) and
OAUTHBEARER with Kafka's unsecured token validator (``oauthbearer``, opt-in).

``SaslUsers`` holds the users of ``kafkalite.users``: PLAIN checks their passwords, SCRAM
their salted credentials (derived once, at start). ``SaslUsers.server(mechanism)`` starts
one exchange; its ``evaluate(token)`` answers each client token until ``complete``, or
raises ``SaslError`` (see ``sasl_errors``). ``failure_message`` is what the client is told.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Protocol

from kafkalite.security.oauthbearer import OAuthBearerServer
from kafkalite.security.sasl_errors import SaslAuthenticationError, SaslError
from kafkalite.security.scram import MECHANISMS as SCRAM_MECHANISMS
from kafkalite.security.scram import ScramCredential, ScramServer, ScramStore, scram_credential

if TYPE_CHECKING:
    from kafkalite.security.tokens import DelegationToken

__all__ = [
    "SUPPORTED_MECHANISMS",
    "PlainServer",
    "SaslAuthenticationError",
    "SaslError",
    "SaslServer",
    "SaslUsers",
    "failure_message",
]

SUPPORTED_MECHANISMS = ("PLAIN", *SCRAM_MECHANISMS, "OAUTHBEARER")


class SaslServer(Protocol):
    mechanism: str
    username: str
    complete: bool

    def evaluate(self, token: bytes) -> bytes: ...


class PlainServer:
    """``[authzid] NUL authcid NUL passwd``, one token, no answer (Kafka's PlainSaslServer)."""

    mechanism = "PLAIN"

    def __init__(self, passwords: Mapping[str, str]) -> None:
        self._passwords = passwords
        self.username = ""
        self.complete = False

    def evaluate(self, token: bytes) -> bytes:
        parts = token.split(b"\0")
        if len(parts) != 3:
            raise SaslAuthenticationError(
                "Invalid SASL/PLAIN response: expected 3 tokens, got " + str(len(parts))
            )
        authzid, username, password = (part.decode("utf-8", "replace") for part in parts)
        if not username:
            raise SaslAuthenticationError("Authentication failed: username not specified")
        if not password:
            raise SaslAuthenticationError("Authentication failed: password not specified")
        self.username = username
        expected = self._passwords.get(username)
        if expected is None or not hmac.compare_digest(expected.encode(), password.encode()):
            raise SaslAuthenticationError("Authentication failed: Invalid username or password")
        if authzid and authzid != username:
            raise SaslAuthenticationError(
                "Authentication failed: Client requested an authorization id that is "
                "different from username"
            )
        self.complete = True
        return b""


class SaslUsers:
    """PLAIN passwords and SCRAM credentials of ``kafkalite.users``; SCRAM logins look in
    ``managed`` (credentials set with AlterUserScramCredentials, live) first."""

    def __init__(
        self, passwords: Mapping[str, str], managed: ScramStore | None = None,
        tokens: Callable[[str], DelegationToken | None] | None = None,
    ) -> None:
        self.passwords = dict(passwords)
        self.managed = managed
        self.tokens = tokens
        """Finds a live delegation token by id (SCRAM ``tokenauth`` logins); None: refused."""
        self.scram: dict[str, dict[str, ScramCredential]] = {
            mechanism: {user: scram_credential(mechanism, pw) for user, pw in passwords.items()}
            for mechanism in SCRAM_MECHANISMS
        }

    def server(self, mechanism: str) -> SaslServer:
        if mechanism == "PLAIN":
            return PlainServer(self.passwords)
        if mechanism in SCRAM_MECHANISMS:
            return ScramServer(
                mechanism, lambda user: self.scram_credential(mechanism, user), tokens=self.tokens
            )
        if mechanism == "OAUTHBEARER":
            return OAuthBearerServer()
        raise ValueError(f"unsupported SASL mechanism {mechanism}")

    def scram_credential(self, mechanism: str, user: str) -> ScramCredential | None:
        managed = self.managed.get(mechanism, user) if self.managed is not None else None
        return managed if managed is not None else self.scram[mechanism].get(user)


def failure_message(error: SaslError, mechanism: str) -> str:
    """What Kafka tells the client (``SaslServerAuthenticator.handleSaslToken``)."""
    if isinstance(error, SaslAuthenticationError):
        return str(error)
    return (
        "Authentication failed during authentication due to invalid credentials with SASL "
        f"mechanism {mechanism}"
    )
