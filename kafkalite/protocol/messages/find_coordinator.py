"""Which broker coordinates a consumer group or a transactional id. Version 4 looks up several
keys at once.

Generated from protocol/messages/find_coordinator.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class FindCoordinatorRequest(Message):
    __slots__ = ('key', 'key_type', 'coordinator_keys',)

    key: str
    """The group id or transactional id to look up. (v0-3)"""

    key_type: int
    """What the key names: 0 a group, 1 a transaction. (v1+)"""

    coordinator_keys: list[str]
    """The keys to look up, all of the same key type. (v4+)"""

    def __init__(self, *, key: str = "", key_type: int = 0, coordinator_keys: list[str] = UNSET) -> None:
        self.key = key
        self.key_type = key_type
        self.coordinator_keys = list() if coordinator_keys is UNSET else coordinator_keys


class Coordinator(Message):
    """One result per requested key."""

    __slots__ = ('key', 'node_id', 'host', 'port', 'error_code', 'error_message',)

    key: str
    """The key looked up. (v4+)"""

    node_id: int
    """The coordinator's broker id. (v4+)"""

    host: str
    """The coordinator's host name. (v4+)"""

    port: int
    """The coordinator's port. (v4+)"""

    error_code: int
    """The error code for this key, 0 on success. (v4+)"""

    error_message: str | None
    """A message describing the error for this key, or null. (v4+, nullable v4+)"""

    def __init__(self, *, key: str = "", node_id: int = 0, host: str = "", port: int = 0, error_code: int = 0, error_message: str | None = None) -> None:
        self.key = key
        self.node_id = node_id
        self.host = host
        self.port = port
        self.error_code = error_code
        self.error_message = error_message


class FindCoordinatorResponse(Message):
    __slots__ = ('throttle_time_ms', 'error_code', 'error_message', 'node_id', 'host', 'port', 'coordinators',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds. (v1+)"""

    error_code: int
    """The error code, 0 on success. (v0-3)"""

    error_message: str | None
    """A message describing the error, or null. (v1-3, nullable v1-3)"""

    node_id: int
    """The coordinator's broker id. (v0-3)"""

    host: str
    """The coordinator's host name. (v0-3)"""

    port: int
    """The coordinator's port. (v0-3)"""

    coordinators: list[Coordinator]
    """One result per requested key. (v4+)"""

    def __init__(self, *, throttle_time_ms: int = 0, error_code: int = 0, error_message: str | None = None, node_id: int = 0, host: str = "", port: int = 0, coordinators: list[Coordinator] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.error_code = error_code
        self.error_message = error_message
        self.node_id = node_id
        self.host = host
        self.port = port
        self.coordinators = list() if coordinators is UNSET else coordinators


_FIND_COORDINATOR_REQUEST = MessageSpec(
    FindCoordinatorRequest,
    (
        FieldSpec('key', 'string', V(0, 3), default=""),
        FieldSpec('key_type', 'int8', V(1, 32767), default=0),
        FieldSpec('coordinator_keys', 'array', V(4, 32767), of='string'),
    ),
    name='FindCoordinatorRequest',
    api_key=10,
    valid=V(0, 6),
    flexible=V(3, 32767),
)


_COORDINATOR = StructSpec(
    Coordinator,
    (
        FieldSpec('key', 'string', V(4, 32767), default=""),
        FieldSpec('node_id', 'int32', V(4, 32767), default=0),
        FieldSpec('host', 'string', V(4, 32767), default=""),
        FieldSpec('port', 'int32', V(4, 32767), default=0),
        FieldSpec('error_code', 'int16', V(4, 32767), default=0),
        FieldSpec('error_message', 'string', V(4, 32767), nullable=V(4, 32767), ignorable=True),
    ),
)


_FIND_COORDINATOR_RESPONSE = MessageSpec(
    FindCoordinatorResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(1, 32767), default=0, ignorable=True),
        FieldSpec('error_code', 'int16', V(0, 3), default=0),
        FieldSpec('error_message', 'string', V(1, 3), nullable=V(1, 3), ignorable=True),
        FieldSpec('node_id', 'int32', V(0, 3), default=0),
        FieldSpec('host', 'string', V(0, 3), default=""),
        FieldSpec('port', 'int32', V(0, 3), default=0),
        FieldSpec('coordinators', 'array', V(4, 32767), struct=_COORDINATOR),
    ),
    name='FindCoordinatorResponse',
    api_key=10,
    valid=V(0, 6),
    flexible=V(3, 32767),
)


FIND_COORDINATOR_REQUEST_SPEC: MessageSpec = _FIND_COORDINATOR_REQUEST
FIND_COORDINATOR_RESPONSE_SPEC: MessageSpec = _FIND_COORDINATOR_RESPONSE
