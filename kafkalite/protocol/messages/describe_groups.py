"""Describes classic groups: state, protocol and members.

Generated from protocol/messages/describe_groups.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class DescribeGroupsRequest(Message):
    __slots__ = ('groups', 'include_authorized_operations',)

    groups: list[str]
    """The ids of the groups to describe."""

    include_authorized_operations: bool
    """Whether to return the operations the caller may perform on each group (KIP-430). (v3+)"""

    def __init__(self, *, groups: list[str] = UNSET, include_authorized_operations: bool = False) -> None:
        self.groups = list() if groups is UNSET else groups
        self.include_authorized_operations = include_authorized_operations


class DescribedGroupMember(Message):
    """The group's members; empty for a Dead group."""

    __slots__ = ('member_id', 'group_instance_id', 'client_id', 'client_host', 'member_metadata', 'member_assignment',)

    member_id: str
    """The member id."""

    group_instance_id: str | None
    """The member's static instance id, or null. (v4+, nullable v4+)"""

    client_id: str
    """The client id of the member's last JoinGroup."""

    client_host: str
    """The member's host."""

    member_metadata: bytes
    """The member's metadata for the chosen protocol; set while Stable."""

    member_assignment: bytes
    """The member's current assignment; set while Stable."""

    def __init__(self, *, member_id: str = "", group_instance_id: str | None = None, client_id: str = "", client_host: str = "", member_metadata: bytes = b"", member_assignment: bytes = b"") -> None:
        self.member_id = member_id
        self.group_instance_id = group_instance_id
        self.client_id = client_id
        self.client_host = client_host
        self.member_metadata = member_metadata
        self.member_assignment = member_assignment


class DescribedGroup(Message):
    """One entry per requested group."""

    __slots__ = ('error_code', 'error_message', 'group_id', 'group_state', 'protocol_type', 'protocol_data', 'members', 'authorized_operations',)

    error_code: int
    """The error code, 0 on success."""

    error_message: str | None
    """A message describing the error, or null (KIP-1043). (v6+, nullable v6+)"""

    group_id: str
    """The group id."""

    group_state: str
    """The group's state, e.g. "Stable", or empty."""

    protocol_type: str
    """The group's protocol type, or empty."""

    protocol_data: str
    """The chosen assignment protocol while Stable, otherwise empty."""

    members: list[DescribedGroupMember]
    """The group's members; empty for a Dead group."""

    authorized_operations: int
    """A bit field of the operations the caller may perform on the group; INT32_MIN when not requested. (v3+)"""

    def __init__(self, *, error_code: int = 0, error_message: str | None = None, group_id: str = "", group_state: str = "", protocol_type: str = "", protocol_data: str = "", members: list[DescribedGroupMember] = UNSET, authorized_operations: int = -2147483648) -> None:
        self.error_code = error_code
        self.error_message = error_message
        self.group_id = group_id
        self.group_state = group_state
        self.protocol_type = protocol_type
        self.protocol_data = protocol_data
        self.members = list() if members is UNSET else members
        self.authorized_operations = authorized_operations


class DescribeGroupsResponse(Message):
    __slots__ = ('throttle_time_ms', 'groups',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds. (v1+)"""

    groups: list[DescribedGroup]
    """One entry per requested group."""

    def __init__(self, *, throttle_time_ms: int = 0, groups: list[DescribedGroup] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.groups = list() if groups is UNSET else groups


_DESCRIBE_GROUPS_REQUEST = MessageSpec(
    DescribeGroupsRequest,
    (
        FieldSpec('groups', 'array', V(0, 32767), of='string'),
        FieldSpec('include_authorized_operations', 'bool', V(3, 32767), default=False),
    ),
    name='DescribeGroupsRequest',
    api_key=15,
    valid=V(0, 6),
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
        FieldSpec('error_message', 'string', V(6, 32767), nullable=V(6, 32767)),
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
    valid=V(0, 6),
    flexible=V(5, 32767),
)


DESCRIBE_GROUPS_REQUEST_SPEC: MessageSpec = _DESCRIBE_GROUPS_REQUEST
DESCRIBE_GROUPS_RESPONSE_SPEC: MessageSpec = _DESCRIBE_GROUPS_RESPONSE
