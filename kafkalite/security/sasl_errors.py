"""The two ways a SASL exchange fails, as Kafka's ``SaslServerAuthenticator`` tells them
apart: a ``SaslAuthenticationError``'s message goes to the client as it is; a ``SaslError``'s
stays in the broker's log, and the client reads only "Authentication failed during
authentication due to invalid credentials with SASL mechanism M" (it may name a user that
does not exist)."""

from __future__ import annotations

__all__ = ["SaslAuthenticationError", "SaslError"]


class SaslError(Exception):
    """The exchange failed; the reason is not shown to the client."""

    def __init__(self, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.detail = detail
        """More than the client is told, for the broker's log."""

    def log_text(self) -> str:
        return f"{self} ({self.detail})" if self.detail else str(self)


class SaslAuthenticationError(SaslError):
    """The exchange failed; the message is shown to the client."""
