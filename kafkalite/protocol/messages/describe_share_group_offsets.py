"""Describes the start offsets (SPSO) of share groups on their partitions (KIP-932); v1 adds
the lag (KIP-1226).

Generated from protocol/messages/describe_share_group_offsets.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class DescribeShareGroupOffsetsRequestTopic(Message):
    """The partitions to describe, or null for all the group's."""

    __slots__ = ('topic_name', 'partitions',)

    topic_name: str
    """The topic."""

    partitions: list[int]
    """The partitions."""

    def __init__(self, *, topic_name: str = "", partitions: list[int] = UNSET) -> None:
        self.topic_name = topic_name
        self.partitions = list() if partitions is UNSET else partitions


class DescribeShareGroupOffsetsRequestGroup(Message):
    """The groups."""

    __slots__ = ('group_id', 'topics',)

    group_id: str
    """The group."""

    topics: list[DescribeShareGroupOffsetsRequestTopic] | None
    """The partitions to describe, or null for all the group's. (nullable v0+)"""

    def __init__(self, *, group_id: str = "", topics: list[DescribeShareGroupOffsetsRequestTopic] | None = None) -> None:
        self.group_id = group_id
        self.topics = topics


class DescribeShareGroupOffsetsRequest(Message):
    __slots__ = ('groups',)

    groups: list[DescribeShareGroupOffsetsRequestGroup]
    """The groups."""

    def __init__(self, *, groups: list[DescribeShareGroupOffsetsRequestGroup] = UNSET) -> None:
        self.groups = list() if groups is UNSET else groups


class DescribeShareGroupOffsetsResponsePartition(Message):
    """The partitions."""

    __slots__ = ('partition_index', 'start_offset', 'leader_epoch', 'lag', 'error_code', 'error_message',)

    partition_index: int
    """The partition."""

    start_offset: int
    """The share-partition start offset, or -1."""

    leader_epoch: int
    """The partition's leader epoch."""

    lag: int
    """The records not yet delivered to completion, or -1 if unknown. (v1+)"""

    error_code: int
    """The error code, 0 on success."""

    error_message: str | None
    """The error message, or null. (nullable v0+)"""

    def __init__(self, *, partition_index: int = 0, start_offset: int = 0, leader_epoch: int = 0, lag: int = -1, error_code: int = 0, error_message: str | None = None) -> None:
        self.partition_index = partition_index
        self.start_offset = start_offset
        self.leader_epoch = leader_epoch
        self.lag = lag
        self.error_code = error_code
        self.error_message = error_message


class DescribeShareGroupOffsetsResponseTopic(Message):
    """The topics."""

    __slots__ = ('topic_name', 'topic_id', 'partitions',)

    topic_name: str
    """The topic."""

    topic_id: uuid.UUID
    """The topic id."""

    partitions: list[DescribeShareGroupOffsetsResponsePartition]
    """The partitions."""

    def __init__(self, *, topic_name: str = "", topic_id: uuid.UUID = ZERO_UUID, partitions: list[DescribeShareGroupOffsetsResponsePartition] = UNSET) -> None:
        self.topic_name = topic_name
        self.topic_id = topic_id
        self.partitions = list() if partitions is UNSET else partitions


class DescribeShareGroupOffsetsResponseGroup(Message):
    """One entry per group."""

    __slots__ = ('group_id', 'topics', 'error_code', 'error_message',)

    group_id: str
    """The group."""

    topics: list[DescribeShareGroupOffsetsResponseTopic]
    """The topics."""

    error_code: int
    """The group-level error code, 0 on success."""

    error_message: str | None
    """The group-level error message, or null. (nullable v0+)"""

    def __init__(self, *, group_id: str = "", topics: list[DescribeShareGroupOffsetsResponseTopic] = UNSET, error_code: int = 0, error_message: str | None = None) -> None:
        self.group_id = group_id
        self.topics = list() if topics is UNSET else topics
        self.error_code = error_code
        self.error_message = error_message


class DescribeShareGroupOffsetsResponse(Message):
    __slots__ = ('throttle_time_ms', 'groups',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    groups: list[DescribeShareGroupOffsetsResponseGroup]
    """One entry per group."""

    def __init__(self, *, throttle_time_ms: int = 0, groups: list[DescribeShareGroupOffsetsResponseGroup] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.groups = list() if groups is UNSET else groups


_DESCRIBE_SHARE_GROUP_OFFSETS_REQUEST_TOPIC = StructSpec(
    DescribeShareGroupOffsetsRequestTopic,
    (
        FieldSpec('topic_name', 'string', V(0, 32767), default=""),
        FieldSpec('partitions', 'array', V(0, 32767), of='int32'),
    ),
)


_DESCRIBE_SHARE_GROUP_OFFSETS_REQUEST_GROUP = StructSpec(
    DescribeShareGroupOffsetsRequestGroup,
    (
        FieldSpec('group_id', 'string', V(0, 32767), default=""),
        FieldSpec('topics', 'array', V(0, 32767), nullable=V(0, 32767), struct=_DESCRIBE_SHARE_GROUP_OFFSETS_REQUEST_TOPIC),
    ),
)


_DESCRIBE_SHARE_GROUP_OFFSETS_REQUEST = MessageSpec(
    DescribeShareGroupOffsetsRequest,
    (
        FieldSpec('groups', 'array', V(0, 32767), struct=_DESCRIBE_SHARE_GROUP_OFFSETS_REQUEST_GROUP),
    ),
    name='DescribeShareGroupOffsetsRequest',
    api_key=90,
    valid=V(0, 1),
    flexible=V(0, 32767),
)


_DESCRIBE_SHARE_GROUP_OFFSETS_RESPONSE_PARTITION = StructSpec(
    DescribeShareGroupOffsetsResponsePartition,
    (
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
        FieldSpec('start_offset', 'int64', V(0, 32767), default=0),
        FieldSpec('leader_epoch', 'int32', V(0, 32767), default=0),
        FieldSpec('lag', 'int64', V(1, 32767), default=-1, ignorable=True),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(0, 32767)),
    ),
)


_DESCRIBE_SHARE_GROUP_OFFSETS_RESPONSE_TOPIC = StructSpec(
    DescribeShareGroupOffsetsResponseTopic,
    (
        FieldSpec('topic_name', 'string', V(0, 32767), default=""),
        FieldSpec('topic_id', 'uuid', V(0, 32767), default=ZERO_UUID),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_DESCRIBE_SHARE_GROUP_OFFSETS_RESPONSE_PARTITION),
    ),
)


_DESCRIBE_SHARE_GROUP_OFFSETS_RESPONSE_GROUP = StructSpec(
    DescribeShareGroupOffsetsResponseGroup,
    (
        FieldSpec('group_id', 'string', V(0, 32767), default=""),
        FieldSpec('topics', 'array', V(0, 32767), struct=_DESCRIBE_SHARE_GROUP_OFFSETS_RESPONSE_TOPIC),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(0, 32767)),
    ),
)


_DESCRIBE_SHARE_GROUP_OFFSETS_RESPONSE = MessageSpec(
    DescribeShareGroupOffsetsResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('groups', 'array', V(0, 32767), struct=_DESCRIBE_SHARE_GROUP_OFFSETS_RESPONSE_GROUP),
    ),
    name='DescribeShareGroupOffsetsResponse',
    api_key=90,
    valid=V(0, 1),
    flexible=V(0, 32767),
)


DESCRIBE_SHARE_GROUP_OFFSETS_REQUEST_SPEC: MessageSpec = _DESCRIBE_SHARE_GROUP_OFFSETS_REQUEST
DESCRIBE_SHARE_GROUP_OFFSETS_RESPONSE_SPEC: MessageSpec = _DESCRIBE_SHARE_GROUP_OFFSETS_RESPONSE
