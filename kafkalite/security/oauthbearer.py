"""SASL/OAUTHBEARER (RFC 7628) with Kafka's unsecured token validator, for tests.

Kafka's ``OAuthBearerUnsecuredValidatorCallbackHandler`` accepts an *unsigned* JWT: the
header says ``"alg": "none"``, the signature part is empty, the payload names the principal
in ``sub`` and carries ``exp`` (seconds since the epoch, in the future; ``iat`` is optional
and must not be later than ``exp``). Anyone can write such a token, so it proves nothing:
enable it (``sasl.enabled.mechanisms=...,OAUTHBEARER``) only where clients configured for
OAuth must be tested, never where authentication matters.

The client's first message is ``n,[a=<authzid>],`` then ``\\x01auth=Bearer <token>\\x01``,
optional ``key=value\\x01`` extensions and a final ``\\x01``. A token that fails validation is
answered, as in Kafka's ``OAuthBearerSaslServer``, with the JSON error
``{"status":"invalid_token"}`` as the server's challenge; the client acknowledges with a
lone ``\\x01`` and authentication then fails with that JSON as the message.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import time
from collections.abc import Callable
from typing import Any

from kafkalite.security.sasl_errors import SaslAuthenticationError, SaslError

__all__ = ["OAuthBearerServer", "unsecured_token"]

_KVSEP = "\x01"
_FIRST = re.compile(
    r"^n,(?:a=(?P<authzid>[^,]*))?,\x01auth=(?P<scheme>\w+) +(?P<token>[-_.a-zA-Z0-9]+)"
    r"\x01(?P<extensions>(?:[A-Za-z]+=[\x21-\x7E \t\r\n]*\x01)*)\x01$"
)


def _b64url(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def unsecured_token(subject: str, lifetime_s: float = 3600, **claims: Any) -> str:
    """An unsigned token for ``subject``, as Kafka's unsecured login module makes them."""
    now = time.time()
    payload = {"sub": subject, "iat": now, "exp": now + lifetime_s, **claims}

    def encode(obj: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    return f"{encode({'alg': 'none'})}.{encode(payload)}."


def _claims(token: str, now: float) -> dict[str, Any]:
    """The token's claims; ValueError says why it is not a valid unsecured token."""
    parts = token.split(".")
    if len(parts) != 3 or parts[2]:
        raise ValueError("not an unsecured JWS (three parts, the last empty)")
    try:
        header = json.loads(_b64url(parts[0]))
        claims = json.loads(_b64url(parts[1]))
    except (ValueError, binascii.Error):
        raise ValueError("header or payload is not base64url JSON") from None
    if not isinstance(header, dict) or header.get("alg") != "none":
        raise ValueError("the header's alg is not 'none'")
    if not isinstance(claims, dict):
        raise ValueError("the payload is not a JSON object")
    subject, expiry, issued = claims.get("sub"), claims.get("exp"), claims.get("iat")
    if not isinstance(subject, str) or not subject.strip():
        raise ValueError("no 'sub' claim")
    if not isinstance(expiry, int | float) or isinstance(expiry, bool):
        raise ValueError("no numeric 'exp' claim")
    if expiry <= now:
        raise ValueError("the token has expired")
    if issued is not None and (not isinstance(issued, int | float) or issued > expiry):
        raise ValueError("'iat' is not a number before 'exp'")
    return claims


class OAuthBearerServer:
    mechanism = "OAUTHBEARER"

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._error: str | None = None
        self.username = ""
        self.complete = False
        self.reason = ""
        """Why the last token was refused (for the broker's log, not the client)."""

    def evaluate(self, token: bytes) -> bytes:
        if token == _KVSEP.encode() and self._error is not None:
            raise SaslAuthenticationError(self._error, self.reason)
        self._error = None
        match = _FIRST.match(token.decode("utf-8", "replace"))
        if match is None:
            raise SaslError("Invalid OAUTHBEARER client first message")
        if match["scheme"].lower() != "bearer":
            raise SaslError(f"Invalid scheme in OAUTHBEARER client first message: {match['scheme']}")
        try:
            claims = _claims(match["token"], self._clock())
        except ValueError as exc:
            self.reason = str(exc)
            self._error = json.dumps({"status": "invalid_token"}, separators=(",", ":"))
            return self._error.encode()
        subject = claims["sub"]
        authzid = match["authzid"]
        if authzid and authzid != subject:
            raise SaslAuthenticationError(
                f"Authentication failed: Client requested an authorization id ({authzid}) that "
                f"is different from the token's principal name ({subject})"
            )
        self.username = subject
        self.complete = True
        return b""
