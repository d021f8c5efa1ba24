"""Removes members from a classic group. From version 3 several members, named by member id or
static instance id, leave at once.

Generated from protocol/messages/leave_group.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class MemberIdentity(Message):
    """The members leaving."""

    __slots__ = ('member_id', 'group_instance_id', 'reason',)

    member_id: str
    """The member id, or empty when only the instance id is known. (v3+)"""

    group_instance_id: str | None
    """The member's static instance id, or null. (v3+, nullable v3+)"""

    reason: str | None
    """Why the member is leaving, for the broker's log (KIP-800). (v5+, nullable v5+)"""

    def __init__(self, *, member_id: str = "", group_instance_id: str | None = None, reason: str | None = None) -> None:
        self.member_id = member_id
        self.group_instance_id = group_instance_id
        self.reason = reason


class LeaveGroupRequest(Message):
    __slots__ = ('group_id', 'member_id', 'members',)

    group_id: str
    """The group to leave."""

    member_id: str
    """The member leaving. (v0-2)"""

    members: list[MemberIdentity]
    """The members leaving. (v3+)"""

    def __init__(self, *, group_id: str = "", member_id: str = "", members: list[MemberIdentity] = UNSET) -> None:
        self.group_id = group_id
        self.member_id = member_id
        self.members = list() if members is UNSET else members


class MemberResponse(Message):
    """One result per member in the request."""

    __slots__ = ('member_id', 'group_instance_id', 'error_code',)

    member_id: str
    """The member id from the request. (v3+)"""

    group_instance_id: str | None
    """The static instance id from the request, or null. (v3+, nullable v3+)"""

    error_code: int
    """The error code for this member, 0 on success. (v3+)"""

    def __init__(self, *, member_id: str = "", group_instance_id: str | None = None, error_code: int = 0) -> None:
        self.member_id = member_id
        self.group_instance_id = group_instance_id
        self.error_code = error_code


class LeaveGroupResponse(Message):
    __slots__ = ('throttle_time_ms', 'error_code', 'members',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds. (v1+)"""

    error_code: int
    """The top-level error code, 0 on success."""

    members: list[MemberResponse]
    """One result per member in the request. (v3+)"""

    def __init__(self, *, throttle_time_ms: int = 0, error_code: int = 0, members: list[MemberResponse] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.error_code = error_code
        self.members = list() if members is UNSET else members


_MEMBER_IDENTITY = StructSpec(
    MemberIdentity,
    (
        FieldSpec('member_id', 'string', V(3, 32767), default=""),
        FieldSpec('group_instance_id', 'string', V(3, 32767), nullable=V(3, 32767)),
        FieldSpec('reason', 'string', V(5, 32767), nullable=V(5, 32767), ignorable=True),
    ),
)


_LEAVE_GROUP_REQUEST = MessageSpec(
    LeaveGroupRequest,
    (
        FieldSpec('group_id', 'string', V(0, 32767), default=""),
        FieldSpec('member_id', 'string', V(0, 2), default=""),
        FieldSpec('members', 'array', V(3, 32767), struct=_MEMBER_IDENTITY),
    ),
    name='LeaveGroupRequest',
    api_key=13,
    valid=V(0, 5),
    flexible=V(4, 32767),
)


_MEMBER_RESPONSE = StructSpec(
    MemberResponse,
    (
        FieldSpec('member_id', 'string', V(3, 32767), default=""),
        FieldSpec('group_instance_id', 'string', V(3, 32767), nullable=V(3, 32767)),
        FieldSpec('error_code', 'int16', V(3, 32767), default=0),
    ),
)


_LEAVE_GROUP_RESPONSE = MessageSpec(
    LeaveGroupResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(1, 32767), default=0, ignorable=True),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('members', 'array', V(3, 32767), struct=_MEMBER_RESPONSE),
    ),
    name='LeaveGroupResponse',
    api_key=13,
    valid=V(0, 5),
    flexible=V(4, 32767),
)


LEAVE_GROUP_REQUEST_SPEC: MessageSpec = _LEAVE_GROUP_REQUEST
LEAVE_GROUP_RESPONSE_SPEC: MessageSpec = _LEAVE_GROUP_RESPONSE
