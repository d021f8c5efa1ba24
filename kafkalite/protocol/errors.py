"""Errors of the protocol layer.

Wire error codes are data (``ErrorCode``, generated from ``protocol/errors.json``). Exceptions
keep the peer's faults apart from ours, as h11 does: ``MalformedRequest`` means the client
sent something we cannot read; ``EncodeError`` means a handler built a message that cannot
be written at the negotiated version.
"""

from __future__ import annotations

from typing import ClassVar

from kafkalite.protocol.messages.error_codes import ErrorCode

__all__ = [
    "EncodeError",
    "ErrorCode",
    "KafkaError",
    "MalformedRequest",
    "ProtocolError",
    "SaslStateError",
]


class ProtocolError(Exception):
    """Something about the bytes on the wire is wrong."""


class MalformedRequest(ProtocolError):
    """The peer sent bytes that are not a valid request: log it and close the connection."""


class SaslStateError(MalformedRequest):
    """A request the SASL state does not allow (e.g. Metadata before authenticating): Kafka
    closes the connection."""


class EncodeError(ProtocolError):
    """We tried to encode a value the negotiated version cannot carry."""


class KafkaError(Exception):
    """A request-level failure a handler raises; ``code`` goes on the wire."""

    code: ClassVar[ErrorCode] = ErrorCode.UNKNOWN_SERVER_ERROR

    def __init__(self, message: str = "", code: ErrorCode | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code  # type: ignore[misc]
