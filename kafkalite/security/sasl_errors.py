"""The two ways a SASL exchange fails, as Kafka's ``SaslServerAuthenticator`` tells them
apart: a ``SaslAuthenticationError``'s message goes to the client as it is; a ``SaslError``'s
stays in the broker's log, and the client reads only "Authentication failed during
authentication due to invalid credentials with SASL mechanism M" (it may name a user that
does not exist)."""

from __future__ import annotations

__all__ = ["SaslAuthenticationError", "SaslError"]


class SaslError(Exception):
    """The exchange failed; the reason is not shown to the client."""


class SaslAuthenticationError(SaslError):
    """The exchange failed; the message is shown to the client."""
