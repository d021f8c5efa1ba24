"""Describes classic groups: state, protocol and members.

Generated from protocol/messages/describe_groups.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


@dataclass(slots=True, kw_only=True)
class DescribeGroupsRequest:
    groups: list[str] = field(default_factory=list)
    """The ids of the groups to describe."""
    include_authorized_operations: bool = False
    """Whether to return the operations the caller may perform on each group (KIP-430). (v3+)"""


@dataclass(slots=True, kw_only=True)
class DescribedGroupMember:
    """The group's members; empty for a Dead group."""

    member_id: str = ""
    """The member id."""
    group_instance_id: str | None = None
    """The member's static instance id, or null. (v4+, nullable v4+)"""
    client_id: str = ""
    """The client id of the member's last JoinGroup."""
    client_host: str = ""
    """The member's host."""
    member_metadata: bytes = b""
    """The member's metadata for the chosen protocol; set while Stable."""
    member_assignment: bytes = b""
    """The member's current assignment; set while Stable."""


@dataclass(slots=True, kw_only=True)
class DescribedGroup:
    """One entry per requested group."""

    error_code: int = 0
    """The error code, 0 on success."""
    group_id: str = ""
    """The group id."""
    group_state: str = ""
    """The group's state, e.g. "Stable", or empty."""
    protocol_type: str = ""
    """The group's protocol type, or empty."""
    protocol_data: str = ""
    """The chosen assignment protocol while Stable, otherwise empty."""
    members: list[DescribedGroupMember] = field(default_factory=list)
    """The group's members; empty for a Dead group."""
    authorized_operations: int = -2147483648
    """A bit field of the operations the caller may perform on the group; INT32_MIN when not requested. (v3+)"""


@dataclass(slots=True, kw_only=True)
class DescribeGroupsResponse:
    throttle_time_ms: int = 0
    """How long the request was throttled, in milliseconds. (v1+)"""
    groups: list[DescribedGroup] = field(default_factory=list)
    """One entry per requested group."""


_DESCRIBE_GROUPS_REQUEST = MessageSpec(
    DescribeGroupsRequest,
    (
        FieldSpec('groups', 'array', V(0, 32767), of='string'),
        FieldSpec('include_authorized_operations', 'bool', V(3, 32767), default=False),
    ),
    name='DescribeGroupsRequest',
    api_key=15,
    valid=V(0, 5),
    flexible=V(5, 32767),
)


_DESCRIBED_GROUP_MEMBER = StructSpec(
    DescribedGroupMember,
    (
        FieldSpec('member_id', 'string', V(0, 32767), default=""),
        FieldSpec('group_instance_id', 'string', V(4, 32767), nullable=V(4, 32767), ignorable=True),
        FieldSpec('client_id', 'string', V(0, 32767), default=""),
        FieldSpec('client_host', 'string', V(0, 32767), default=""),
        FieldSpec('member_metadata', 'bytes', V(0, 32767), default=b""),
        FieldSpec('member_assignment', 'bytes', V(0, 32767), default=b""),
    ),
)


_DESCRIBED_GROUP = StructSpec(
    DescribedGroup,
    (
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('group_id', 'string', V(0, 32767), default=""),
        FieldSpec('group_state', 'string', V(0, 32767), default=""),
        FieldSpec('protocol_type', 'string', V(0, 32767), default=""),
        FieldSpec('protocol_data', 'string', V(0, 32767), default=""),
        FieldSpec('members', 'array', V(0, 32767), struct=_DESCRIBED_GROUP_MEMBER),
        FieldSpec('authorized_operations', 'int32', V(3, 32767), default=-2147483648),
    ),
)


_DESCRIBE_GROUPS_RESPONSE = MessageSpec(
    DescribeGroupsResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(1, 32767), default=0, ignorable=True),
        FieldSpec('groups', 'array', V(0, 32767), struct=_DESCRIBED_GROUP),
    ),
    name='DescribeGroupsResponse',
    api_key=15,
    valid=V(0, 5),
    flexible=V(5, 32767),
)


DESCRIBE_GROUPS_REQUEST_SPEC: MessageSpec = _DESCRIBE_GROUPS_REQUEST
DESCRIBE_GROUPS_RESPONSE_SPEC: MessageSpec = _DESCRIBE_GROUPS_RESPONSE
