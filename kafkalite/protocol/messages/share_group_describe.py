"""Describes share groups (KIP-932): epochs, assignor, members with their assignments.

Generated from protocol/messages/share_group_describe.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class ShareGroupDescribeRequest(Message):
    __slots__ = ('group_ids', 'include_authorized_operations',)

    group_ids: list[str]
    """The groups to describe."""

    include_authorized_operations: bool
    """Whether to return the operations the caller may perform on each group."""

    def __init__(self, *, group_ids: list[str] = UNSET, include_authorized_operations: bool = False) -> None:
        self.group_ids = list() if group_ids is UNSET else group_ids
        self.include_authorized_operations = include_authorized_operations


class DescribedShareTopicPartitions(Message):
    """Partitions of one topic."""

    __slots__ = ('topic_id', 'topic_name', 'partitions',)

    topic_id: uuid.UUID
    """The topic id."""

    topic_name: str
    """The topic name."""

    partitions: list[int]
    """The partitions."""

    def __init__(self, *, topic_id: uuid.UUID = ZERO_UUID, topic_name: str = "", partitions: list[int] = UNSET) -> None:
        self.topic_id = topic_id
        self.topic_name = topic_name
        self.partitions = list() if partitions is UNSET else partitions


class DescribedShareAssignment(Message):
    """An assignment: partitions by topic."""

    __slots__ = ('topic_partitions',)

    topic_partitions: list[DescribedShareTopicPartitions]
    """The partitions, by topic."""

    def __init__(self, *, topic_partitions: list[DescribedShareTopicPartitions] = UNSET) -> None:
        self.topic_partitions = list() if topic_partitions is UNSET else topic_partitions


class DescribedShareGroupMember(Message):
    """The members."""

    __slots__ = ('member_id', 'rack_id', 'member_epoch', 'client_id', 'client_host', 'subscribed_topic_names', 'assignment',)

    member_id: str
    """The member id."""

    rack_id: str | None
    """The rack, or null. (nullable v1+)"""

    member_epoch: int
    """The member's epoch."""

    client_id: str
    """The client id."""

    client_host: str
    """The client host."""

    subscribed_topic_names: list[str]
    """The subscribed topics."""

    assignment: DescribedShareAssignment
    """The current assignment."""

    def __init__(self, *, member_id: str = "", rack_id: str | None = None, member_epoch: int = 0, client_id: str = "", client_host: str = "", subscribed_topic_names: list[str] = UNSET, assignment: DescribedShareAssignment = UNSET) -> None:
        self.member_id = member_id
        self.rack_id = rack_id
        self.member_epoch = member_epoch
        self.client_id = client_id
        self.client_host = client_host
        self.subscribed_topic_names = list() if subscribed_topic_names is UNSET else subscribed_topic_names
        self.assignment = DescribedShareAssignment() if assignment is UNSET else assignment


class DescribedShareGroup(Message):
    """One entry per requested group."""

    __slots__ = ('error_code', 'error_message', 'group_id', 'group_state', 'group_epoch', 'assignment_epoch', 'assignor_name', 'members', 'authorized_operations',)

    error_code: int
    """The error code, 0 on success."""

    error_message: str | None
    """A message describing the error, or null. (nullable v1+)"""

    group_id: str
    """The group id."""

    group_state: str
    """The group's state, or empty."""

    group_epoch: int
    """The group epoch."""

    assignment_epoch: int
    """The epoch of the assignment."""

    assignor_name: str
    """The assignor in use."""

    members: list[DescribedShareGroupMember]
    """The members."""

    authorized_operations: int
    """A bit field of the operations the caller may perform on the group; INT32_MIN when not requested."""

    def __init__(self, *, error_code: int = 0, error_message: str | None = None, group_id: str = "", group_state: str = "", group_epoch: int = 0, assignment_epoch: int = 0, assignor_name: str = "", members: list[DescribedShareGroupMember] = UNSET, authorized_operations: int = -2147483648) -> None:
        self.error_code = error_code
        self.error_message = error_message
        self.group_id = group_id
        self.group_state = group_state
        self.group_epoch = group_epoch
        self.assignment_epoch = assignment_epoch
        self.assignor_name = assignor_name
        self.members = list() if members is UNSET else members
        self.authorized_operations = authorized_operations


class ShareGroupDescribeResponse(Message):
    __slots__ = ('throttle_time_ms', 'groups',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    groups: list[DescribedShareGroup]
    """One entry per requested group."""

    def __init__(self, *, throttle_time_ms: int = 0, groups: list[DescribedShareGroup] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.groups = list() if groups is UNSET else groups


_SHARE_GROUP_DESCRIBE_REQUEST = MessageSpec(
    ShareGroupDescribeRequest,
    (
        FieldSpec('group_ids', 'array', V(0, 32767), of='string'),
        FieldSpec('include_authorized_operations', 'bool', V(0, 32767), default=False),
    ),
    name='ShareGroupDescribeRequest',
    api_key=77,
    valid=V(1, 1),
    flexible=V(1, 32767),
)


_DESCRIBED_SHARE_TOPIC_PARTITIONS = StructSpec(
    DescribedShareTopicPartitions,
    (
        FieldSpec('topic_id', 'uuid', V(0, 32767), default=ZERO_UUID),
        FieldSpec('topic_name', 'string', V(0, 32767), default=""),
        FieldSpec('partitions', 'array', V(0, 32767), of='int32'),
    ),
)


_DESCRIBED_SHARE_ASSIGNMENT = StructSpec(
    DescribedShareAssignment,
    (
        FieldSpec('topic_partitions', 'array', V(0, 32767), struct=_DESCRIBED_SHARE_TOPIC_PARTITIONS),
    ),
)


_DESCRIBED_SHARE_GROUP_MEMBER = StructSpec(
    DescribedShareGroupMember,
    (
        FieldSpec('member_id', 'string', V(0, 32767), default=""),
        FieldSpec('rack_id', 'string', V(0, 32767), nullable=V(1, 32767)),
        FieldSpec('member_epoch', 'int32', V(0, 32767), default=0),
        FieldSpec('client_id', 'string', V(0, 32767), default=""),
        FieldSpec('client_host', 'string', V(0, 32767), default=""),
        FieldSpec('subscribed_topic_names', 'array', V(0, 32767), of='string'),
        FieldSpec('assignment', 'struct', V(0, 32767), struct=_DESCRIBED_SHARE_ASSIGNMENT),
    ),
)


_DESCRIBED_SHARE_GROUP = StructSpec(
    DescribedShareGroup,
    (
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(1, 32767)),
        FieldSpec('group_id', 'string', V(0, 32767), default=""),
        FieldSpec('group_state', 'string', V(0, 32767), default=""),
        FieldSpec('group_epoch', 'int32', V(0, 32767), default=0),
        FieldSpec('assignment_epoch', 'int32', V(0, 32767), default=0),
        FieldSpec('assignor_name', 'string', V(0, 32767), default=""),
        FieldSpec('members', 'array', V(0, 32767), struct=_DESCRIBED_SHARE_GROUP_MEMBER),
        FieldSpec('authorized_operations', 'int32', V(0, 32767), default=-2147483648),
    ),
)


_SHARE_GROUP_DESCRIBE_RESPONSE = MessageSpec(
    ShareGroupDescribeResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('groups', 'array', V(0, 32767), struct=_DESCRIBED_SHARE_GROUP),
    ),
    name='ShareGroupDescribeResponse',
    api_key=77,
    valid=V(1, 1),
    flexible=V(1, 32767),
)


SHARE_GROUP_DESCRIBE_REQUEST_SPEC: MessageSpec = _SHARE_GROUP_DESCRIBE_REQUEST
SHARE_GROUP_DESCRIBE_RESPONSE_SPEC: MessageSpec = _SHARE_GROUP_DESCRIBE_RESPONSE
