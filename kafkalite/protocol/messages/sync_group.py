"""Ends a rebalance: the leader sends every member's assignment, and each member receives its
own.

Generated from protocol/messages/sync_group.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class SyncGroupRequestAssignment(Message):
    """The assignment of every member; sent by the leader only."""

    __slots__ = ('member_id', 'assignment',)

    member_id: str
    """The member the assignment is for."""

    assignment: bytes
    """The member's assignment."""

    def __init__(self, *, member_id: str = "", assignment: bytes = b"") -> None:
        self.member_id = member_id
        self.assignment = assignment


class SyncGroupRequest(Message):
    __slots__ = ('group_id', 'generation_id', 'member_id', 'group_instance_id', 'protocol_type', 'protocol_name', 'assignments',)

    group_id: str
    """The group."""

    generation_id: int
    """The generation the member joined."""

    member_id: str
    """The member id given by the coordinator."""

    group_instance_id: str | None
    """The static member id, or null for a dynamic member. (v3+, nullable v3+)"""

    protocol_type: str | None
    """The group's protocol type; checked against the group's (KIP-559). (v5+, nullable v5+)"""

    protocol_name: str | None
    """The chosen assignment protocol; checked against the group's (KIP-559). (v5+, nullable v5+)"""

    assignments: list[SyncGroupRequestAssignment]
    """The assignment of every member; sent by the leader only."""

    def __init__(self, *, group_id: str = "", generation_id: int = 0, member_id: str = "", group_instance_id: str | None = None, protocol_type: str | None = None, protocol_name: str | None = None, assignments: list[SyncGroupRequestAssignment] = UNSET) -> None:
        self.group_id = group_id
        self.generation_id = generation_id
        self.member_id = member_id
        self.group_instance_id = group_instance_id
        self.protocol_type = protocol_type
        self.protocol_name = protocol_name
        self.assignments = list() if assignments is UNSET else assignments


class SyncGroupResponse(Message):
    __slots__ = ('throttle_time_ms', 'error_code', 'protocol_type', 'protocol_name', 'assignment',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds. (v1+)"""

    error_code: int
    """The error code, 0 on success."""

    protocol_type: str | None
    """The group's protocol type (KIP-559). (v5+, nullable v5+)"""

    protocol_name: str | None
    """The chosen assignment protocol (KIP-559). (v5+, nullable v5+)"""

    assignment: bytes
    """This member's assignment."""

    def __init__(self, *, throttle_time_ms: int = 0, error_code: int = 0, protocol_type: str | None = None, protocol_name: str | None = None, assignment: bytes = b"") -> None:
        self.throttle_time_ms = throttle_time_ms
        self.error_code = error_code
        self.protocol_type = protocol_type
        self.protocol_name = protocol_name
        self.assignment = assignment


_SYNC_GROUP_REQUEST_ASSIGNMENT = StructSpec(
    SyncGroupRequestAssignment,
    (
        FieldSpec('member_id', 'string', V(0, 32767), default=""),
        FieldSpec('assignment', 'bytes', V(0, 32767), default=b""),
    ),
)


_SYNC_GROUP_REQUEST = MessageSpec(
    SyncGroupRequest,
    (
        FieldSpec('group_id', 'string', V(0, 32767), default=""),
        FieldSpec('generation_id', 'int32', V(0, 32767), default=0),
        FieldSpec('member_id', 'string', V(0, 32767), default=""),
        FieldSpec('group_instance_id', 'string', V(3, 32767), nullable=V(3, 32767)),
        FieldSpec('protocol_type', 'string', V(5, 32767), nullable=V(5, 32767), ignorable=True),
        FieldSpec('protocol_name', 'string', V(5, 32767), nullable=V(5, 32767), ignorable=True),
        FieldSpec('assignments', 'array', V(0, 32767), struct=_SYNC_GROUP_REQUEST_ASSIGNMENT),
    ),
    name='SyncGroupRequest',
    api_key=14,
    valid=V(0, 5),
    flexible=V(4, 32767),
)


_SYNC_GROUP_RESPONSE = MessageSpec(
    SyncGroupResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(1, 32767), default=0, ignorable=True),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('protocol_type', 'string', V(5, 32767), nullable=V(5, 32767), ignorable=True),
        FieldSpec('protocol_name', 'string', V(5, 32767), nullable=V(5, 32767), ignorable=True),
        FieldSpec('assignment', 'bytes', V(0, 32767), default=b""),
    ),
    name='SyncGroupResponse',
    api_key=14,
    valid=V(0, 5),
    flexible=V(4, 32767),
)


SYNC_GROUP_REQUEST_SPEC: MessageSpec = _SYNC_GROUP_REQUEST
SYNC_GROUP_RESPONSE_SPEC: MessageSpec = _SYNC_GROUP_RESPONSE
