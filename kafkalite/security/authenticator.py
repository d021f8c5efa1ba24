"""``Authenticator``: one connection's SASL exchange, without I/O.

The server shell hands it the SaslHandshake request and each token (from SaslAuthenticate
or, after a v0 handshake, bare); it answers what Kafka answers:
- ``handshake``: NONE and the enabled mechanisms, or UNSUPPORTED_SASL_MECHANISM (then the
  connection closes);
- ``authenticate``: the mechanism's answer; once ``complete``, ``principal`` is
  ``User:<name>``. A failure raises ``SaslError``; ``failure_response`` is the
  SASL_AUTHENTICATION_FAILED answer with Kafka's message, after which the connection closes.
"""

from __future__ import annotations

from collections.abc import Sequence

from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.sasl_authenticate import SaslAuthenticateResponse
from kafkalite.protocol.messages.sasl_handshake import SaslHandshakeResponse
from kafkalite.security.sasl import SaslError, SaslServer, SaslUsers, failure_message

__all__ = ["Authenticator"]


class Authenticator:
    def __init__(self, users: SaslUsers, mechanisms: Sequence[str]) -> None:
        self._users = users
        self.mechanisms = list(mechanisms)
        self.mechanism = ""
        self._server: SaslServer | None = None

    @property
    def complete(self) -> bool:
        return self._server is not None and self._server.complete

    @property
    def username(self) -> str:
        return self._server.username if self._server is not None else ""

    @property
    def principal(self) -> str:
        """``User:<name>``, or the owner of the delegation token the client logged in with."""
        return getattr(self._server, "principal", None) or f"User:{self.username}"

    @property
    def token_authenticated(self) -> bool:
        return bool(getattr(self._server, "token_authenticated", False))

    def handshake(self, mechanism: str) -> SaslHandshakeResponse:
        if mechanism not in self.mechanisms:
            return SaslHandshakeResponse(
                error_code=ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms=self.mechanisms
            )
        self.mechanism = mechanism
        self._server = self._users.server(mechanism)
        return SaslHandshakeResponse(error_code=ErrorCode.NONE, mechanisms=self.mechanisms)

    def authenticate(self, token: bytes) -> bytes:
        """The answer to one client token; raises ``SaslError`` when authentication fails."""
        if self._server is None:
            raise SaslError("no SaslHandshake before the first token")
        if self._server.complete:
            raise SaslError("authentication is already complete")
        return self._server.evaluate(token)

    def authenticate_response(self, token: bytes) -> SaslAuthenticateResponse:
        """``authenticate`` as a SaslAuthenticate answer (raises ``SaslError`` likewise)."""
        return SaslAuthenticateResponse(
            error_code=ErrorCode.NONE, auth_bytes=self.authenticate(token)
        )

    def failure_response(self, error: SaslError) -> SaslAuthenticateResponse:
        return SaslAuthenticateResponse(
            error_code=ErrorCode.SASL_AUTHENTICATION_FAILED,
            error_message=failure_message(error, self.mechanism),
        )
