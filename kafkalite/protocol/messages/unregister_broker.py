"""Removes a broker's registration from the cluster metadata (KIP-500, KIP-631).

Generated from protocol/messages/unregister_broker.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class UnregisterBrokerRequest(Message):
    __slots__ = ('broker_id',)

    broker_id: int
    """The id of the broker to unregister."""

    def __init__(self, *, broker_id: int = 0) -> None:
        self.broker_id = broker_id


class UnregisterBrokerResponse(Message):
    __slots__ = ('throttle_time_ms', 'error_code', 'error_message',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    error_code: int
    """The error code, 0 on success."""

    error_message: str | None
    """A message describing the error, or null. (nullable v0+)"""

    def __init__(self, *, throttle_time_ms: int = 0, error_code: int = 0, error_message: str | None = None) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.error_code = error_code
        self.error_message = error_message


_UNREGISTER_BROKER_REQUEST = MessageSpec(
    UnregisterBrokerRequest,
    (
        FieldSpec('broker_id', 'int32', V(0, 32767), default=0),
    ),
    name='UnregisterBrokerRequest',
    api_key=64,
    valid=V(0, 0),
    flexible=V(0, 32767),
)


_UNREGISTER_BROKER_RESPONSE = MessageSpec(
    UnregisterBrokerResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(0, 32767)),
    ),
    name='UnregisterBrokerResponse',
    api_key=64,
    valid=V(0, 0),
    flexible=V(0, 32767),
)


UNREGISTER_BROKER_REQUEST_SPEC: MessageSpec = _UNREGISTER_BROKER_REQUEST
UNREGISTER_BROKER_RESPONSE_SPEC: MessageSpec = _UNREGISTER_BROKER_RESPONSE
