"""Errors of the blocking client.

Kafka error codes stay data (``ErrorCode``); ``KafkaResponseError`` carries one, together
with the broker's message when it sent one, and prints as the Kafka name
(``TOPIC_ALREADY_EXISTS: Topic 'x' already exists.``), which is what the command-line tools
show. Faults of the transport (refused connection, closed socket, timeout) and answers we
cannot read are ``ClientError``s of their own kinds, never a Kafka code.
"""

from __future__ import annotations

from kafkalite.protocol.errors import ErrorCode

__all__ = [
    "ClientError",
    "ConnectionFailed",
    "KafkaResponseError",
    "UnsupportedApiError",
    "error_name",
    "raise_for_code",
]

#: Codes a client may retry after refreshing its metadata (Kafka's RetriableException set
#: that matters to a single request/response client).
RETRIABLE: frozenset[int] = frozenset(
    {
        ErrorCode.LEADER_NOT_AVAILABLE,
        ErrorCode.NOT_LEADER_OR_FOLLOWER,
        ErrorCode.REQUEST_TIMED_OUT,
        ErrorCode.NETWORK_EXCEPTION,
        ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
        ErrorCode.COORDINATOR_NOT_AVAILABLE,
        ErrorCode.NOT_COORDINATOR,
        ErrorCode.NOT_ENOUGH_REPLICAS,
        ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND,
        ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    }
)


def error_name(code: int) -> str:
    """``ErrorCode`` name of ``code``, or ``UNKNOWN_ERROR_CODE_<n>`` for a code we don't know."""
    try:
        return ErrorCode(code).name
    except ValueError:
        return f"UNKNOWN_ERROR_CODE_{code}"


class ClientError(Exception):
    """Anything that stops a client call."""


class ConnectionFailed(ClientError):
    """The broker could not be reached, or the connection broke during a call."""


class UnsupportedApiError(ClientError):
    """The broker does not serve an API (or no version both sides know)."""


class KafkaResponseError(ClientError):
    """A non-zero Kafka error code in a response."""

    def __init__(self, code: int, message: str | None = None, context: str = "") -> None:
        self.code = code
        self.message = message
        self.context = context
        super().__init__(self.describe())

    @property
    def name(self) -> str:
        return error_name(self.code)

    @property
    def retriable(self) -> bool:
        return self.code in RETRIABLE

    def describe(self) -> str:
        text = self.name
        if self.context:
            text += f" ({self.context})"
        if self.message:
            text += f": {self.message}"
        return text


def raise_for_code(code: int, message: str | None = None, context: str = "") -> None:
    if code != ErrorCode.NONE:
        raise KafkaResponseError(code, message, context)
