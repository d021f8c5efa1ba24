"""Keeps a classic group member alive and tells it when a rebalance has started.

Generated from protocol/messages/heartbeat.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class HeartbeatRequest(Message):
    __slots__ = ('group_id', 'generation_id', 'member_id', 'group_instance_id',)

    group_id: str
    """The group."""

    generation_id: int
    """The generation the member belongs to."""

    member_id: str
    """The member id."""

    group_instance_id: str | None
    """The static member id, or null for a dynamic member. (v3+, nullable v3+)"""

    def __init__(self, *, group_id: str = "", generation_id: int = 0, member_id: str = "", group_instance_id: str | None = None) -> None:
        self.group_id = group_id
        self.generation_id = generation_id
        self.member_id = member_id
        self.group_instance_id = group_instance_id


class HeartbeatResponse(Message):
    __slots__ = ('throttle_time_ms', 'error_code',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds. (v1+)"""

    error_code: int
    """The error code, 0 on success; REBALANCE_IN_PROGRESS asks the member to rejoin."""

    def __init__(self, *, throttle_time_ms: int = 0, error_code: int = 0) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.error_code = error_code


_HEARTBEAT_REQUEST = MessageSpec(
    HeartbeatRequest,
    (
        FieldSpec('group_id', 'string', V(0, 32767), default=""),
        FieldSpec('generation_id', 'int32', V(0, 32767), default=0),
        FieldSpec('member_id', 'string', V(0, 32767), default=""),
        FieldSpec('group_instance_id', 'string', V(3, 32767), nullable=V(3, 32767)),
    ),
    name='HeartbeatRequest',
    api_key=12,
    valid=V(0, 4),
    flexible=V(4, 32767),
)


_HEARTBEAT_RESPONSE = MessageSpec(
    HeartbeatResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(1, 32767), default=0, ignorable=True),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
    ),
    name='HeartbeatResponse',
    api_key=12,
    valid=V(0, 4),
    flexible=V(4, 32767),
)


HEARTBEAT_REQUEST_SPEC: MessageSpec = _HEARTBEAT_REQUEST
HEARTBEAT_RESPONSE_SPEC: MessageSpec = _HEARTBEAT_RESPONSE
