"""Reads a group's committed offsets. From version 8 several groups are read at once.

Generated from protocol/messages/offset_fetch.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class OffsetFetchRequestTopic(Message):
    """The partitions to read, by topic; null (v2+) for every partition the group has offsets for."""

    __slots__ = ('name', 'partition_indexes',)

    name: str
    """The topic name. (v1-7)"""

    partition_indexes: list[int]
    """The partition indexes. (v1-7)"""

    def __init__(self, *, name: str = "", partition_indexes: list[int] = UNSET) -> None:
        self.name = name
        self.partition_indexes = list() if partition_indexes is UNSET else partition_indexes


class OffsetFetchRequestGroupTopic(Message):
    """The partitions to read, by topic, or null for all of them."""

    __slots__ = ('name', 'topic_id', 'partition_indexes',)

    name: str
    """The topic name. (v8-9)"""

    topic_id: uuid.UUID
    """The topic id, which replaces the name from v10 (KIP-848, KIP-516). (v10+)"""

    partition_indexes: list[int]
    """The partition indexes. (v8+)"""

    def __init__(self, *, name: str = "", topic_id: uuid.UUID = ZERO_UUID, partition_indexes: list[int] = UNSET) -> None:
        self.name = name
        self.topic_id = topic_id
        self.partition_indexes = list() if partition_indexes is UNSET else partition_indexes


class OffsetFetchRequestGroup(Message):
    """The groups to read."""

    __slots__ = ('group_id', 'member_id', 'member_epoch', 'topics',)

    group_id: str
    """The group id. (v8+)"""

    member_id: str | None
    """The member id, checked under the consumer protocol (KIP-848). (v9+, nullable v9+)"""

    member_epoch: int
    """The member epoch, checked under the consumer protocol (KIP-848); -1 if none. (v9+)"""

    topics: list[OffsetFetchRequestGroupTopic] | None
    """The partitions to read, by topic, or null for all of them. (v8+, nullable v8+)"""

    def __init__(self, *, group_id: str = "", member_id: str | None = None, member_epoch: int = -1, topics: list[OffsetFetchRequestGroupTopic] | None = None) -> None:
        self.group_id = group_id
        self.member_id = member_id
        self.member_epoch = member_epoch
        self.topics = topics


class OffsetFetchRequest(Message):
    __slots__ = ('group_id', 'topics', 'groups', 'require_stable',)

    group_id: str
    """The group to read. (v1-7)"""

    topics: list[OffsetFetchRequestTopic] | None
    """The partitions to read, by topic; null (v2+) for every partition the group has offsets for. (v1-7, nullable v2-7)"""

    groups: list[OffsetFetchRequestGroup]
    """The groups to read. (v8+)"""

    require_stable: bool
    """If true, partitions with pending transactional commits answer UNSTABLE_OFFSET_COMMIT instead of an offset (KIP-447). (v7+)"""

    def __init__(self, *, group_id: str = "", topics: list[OffsetFetchRequestTopic] | None = UNSET, groups: list[OffsetFetchRequestGroup] = UNSET, require_stable: bool = False) -> None:
        self.group_id = group_id
        self.topics = list() if topics is UNSET else topics
        self.groups = list() if groups is UNSET else groups
        self.require_stable = require_stable


class OffsetFetchResponsePartition(Message):
    """The committed offsets, by partition."""

    __slots__ = ('partition_index', 'committed_offset', 'committed_leader_epoch', 'metadata', 'error_code',)

    partition_index: int
    """The partition index. (v1-7)"""

    committed_offset: int
    """The committed offset, -1 if there is none. (v1-7)"""

    committed_leader_epoch: int
    """The leader epoch stored with the offset, -1 if unknown (KIP-320). (v5-7)"""

    metadata: str | None
    """The metadata stored with the offset. (v1-7, nullable v1-7)"""

    error_code: int
    """The error code, 0 on success. (v1-7)"""

    def __init__(self, *, partition_index: int = 0, committed_offset: int = 0, committed_leader_epoch: int = -1, metadata: str | None = None, error_code: int = 0) -> None:
        self.partition_index = partition_index
        self.committed_offset = committed_offset
        self.committed_leader_epoch = committed_leader_epoch
        self.metadata = metadata
        self.error_code = error_code


class OffsetFetchResponseTopic(Message):
    """The committed offsets, by topic."""

    __slots__ = ('name', 'partitions',)

    name: str
    """The topic name. (v1-7)"""

    partitions: list[OffsetFetchResponsePartition]
    """The committed offsets, by partition. (v1-7)"""

    def __init__(self, *, name: str = "", partitions: list[OffsetFetchResponsePartition] = UNSET) -> None:
        self.name = name
        self.partitions = list() if partitions is UNSET else partitions


class OffsetFetchResponseGroupPartition(Message):
    """The committed offsets, by partition."""

    __slots__ = ('partition_index', 'committed_offset', 'committed_leader_epoch', 'metadata', 'error_code',)

    partition_index: int
    """The partition index. (v8+)"""

    committed_offset: int
    """The committed offset, -1 if there is none. (v8+)"""

    committed_leader_epoch: int
    """The leader epoch stored with the offset, -1 if unknown. (v8+)"""

    metadata: str | None
    """The metadata stored with the offset. (v8+, nullable v8+)"""

    error_code: int
    """The partition-level error code, 0 on success. (v8+)"""

    def __init__(self, *, partition_index: int = 0, committed_offset: int = 0, committed_leader_epoch: int = -1, metadata: str | None = None, error_code: int = 0) -> None:
        self.partition_index = partition_index
        self.committed_offset = committed_offset
        self.committed_leader_epoch = committed_leader_epoch
        self.metadata = metadata
        self.error_code = error_code


class OffsetFetchResponseGroupTopic(Message):
    """The committed offsets, by topic."""

    __slots__ = ('name', 'topic_id', 'partitions',)

    name: str
    """The topic name. (v8-9)"""

    topic_id: uuid.UUID
    """The topic id, which replaces the name from v10 (KIP-848, KIP-516). (v10+)"""

    partitions: list[OffsetFetchResponseGroupPartition]
    """The committed offsets, by partition. (v8+)"""

    def __init__(self, *, name: str = "", topic_id: uuid.UUID = ZERO_UUID, partitions: list[OffsetFetchResponseGroupPartition] = UNSET) -> None:
        self.name = name
        self.topic_id = topic_id
        self.partitions = list() if partitions is UNSET else partitions


class OffsetFetchResponseGroup(Message):
    """The committed offsets, by group."""

    __slots__ = ('group_id', 'topics', 'error_code',)

    group_id: str
    """The group id. (v8+)"""

    topics: list[OffsetFetchResponseGroupTopic]
    """The committed offsets, by topic. (v8+)"""

    error_code: int
    """The group-level error code, 0 on success. (v8+)"""

    def __init__(self, *, group_id: str = "", topics: list[OffsetFetchResponseGroupTopic] = UNSET, error_code: int = 0) -> None:
        self.group_id = group_id
        self.topics = list() if topics is UNSET else topics
        self.error_code = error_code


class OffsetFetchResponse(Message):
    __slots__ = ('throttle_time_ms', 'topics', 'error_code', 'groups',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds. (v3+)"""

    topics: list[OffsetFetchResponseTopic]
    """The committed offsets, by topic. (v1-7)"""

    error_code: int
    """The group-level error code, 0 on success. (v2-7)"""

    groups: list[OffsetFetchResponseGroup]
    """The committed offsets, by group. (v8+)"""

    def __init__(self, *, throttle_time_ms: int = 0, topics: list[OffsetFetchResponseTopic] = UNSET, error_code: int = 0, groups: list[OffsetFetchResponseGroup] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.topics = list() if topics is UNSET else topics
        self.error_code = error_code
        self.groups = list() if groups is UNSET else groups


_OFFSET_FETCH_REQUEST_TOPIC = StructSpec(
    OffsetFetchRequestTopic,
    (
        FieldSpec('name', 'string', V(1, 7), default=""),
        FieldSpec('partition_indexes', 'array', V(1, 7), of='int32'),
    ),
)


_OFFSET_FETCH_REQUEST_GROUP_TOPIC = StructSpec(
    OffsetFetchRequestGroupTopic,
    (
        FieldSpec('name', 'string', V(8, 9), default="", ignorable=True),
        FieldSpec('topic_id', 'uuid', V(10, 32767), default=ZERO_UUID, ignorable=True),
        FieldSpec('partition_indexes', 'array', V(8, 32767), of='int32'),
    ),
)


_OFFSET_FETCH_REQUEST_GROUP = StructSpec(
    OffsetFetchRequestGroup,
    (
        FieldSpec('group_id', 'string', V(8, 32767), default=""),
        FieldSpec('member_id', 'string', V(9, 32767), nullable=V(9, 32767), ignorable=True),
        FieldSpec('member_epoch', 'int32', V(9, 32767), default=-1, ignorable=True),
        FieldSpec('topics', 'array', V(8, 32767), nullable=V(8, 32767), struct=_OFFSET_FETCH_REQUEST_GROUP_TOPIC),
    ),
)


_OFFSET_FETCH_REQUEST = MessageSpec(
    OffsetFetchRequest,
    (
        FieldSpec('group_id', 'string', V(1, 7), default=""),
        FieldSpec('topics', 'array', V(1, 7), nullable=V(2, 7), struct=_OFFSET_FETCH_REQUEST_TOPIC),
        FieldSpec('groups', 'array', V(8, 32767), struct=_OFFSET_FETCH_REQUEST_GROUP),
        FieldSpec('require_stable', 'bool', V(7, 32767), default=False),
    ),
    name='OffsetFetchRequest',
    api_key=9,
    valid=V(1, 10),
    flexible=V(6, 32767),
)


_OFFSET_FETCH_RESPONSE_PARTITION = StructSpec(
    OffsetFetchResponsePartition,
    (
        FieldSpec('partition_index', 'int32', V(1, 7), default=0),
        FieldSpec('committed_offset', 'int64', V(1, 7), default=0),
        FieldSpec('committed_leader_epoch', 'int32', V(5, 7), default=-1, ignorable=True),
        FieldSpec('metadata', 'string', V(1, 7), nullable=V(1, 7)),
        FieldSpec('error_code', 'int16', V(1, 7), default=0),
    ),
)


_OFFSET_FETCH_RESPONSE_TOPIC = StructSpec(
    OffsetFetchResponseTopic,
    (
        FieldSpec('name', 'string', V(1, 7), default=""),
        FieldSpec('partitions', 'array', V(1, 7), struct=_OFFSET_FETCH_RESPONSE_PARTITION),
    ),
)


_OFFSET_FETCH_RESPONSE_GROUP_PARTITION = StructSpec(
    OffsetFetchResponseGroupPartition,
    (
        FieldSpec('partition_index', 'int32', V(8, 32767), default=0),
        FieldSpec('committed_offset', 'int64', V(8, 32767), default=0),
        FieldSpec('committed_leader_epoch', 'int32', V(8, 32767), default=-1, ignorable=True),
        FieldSpec('metadata', 'string', V(8, 32767), nullable=V(8, 32767)),
        FieldSpec('error_code', 'int16', V(8, 32767), default=0),
    ),
)


_OFFSET_FETCH_RESPONSE_GROUP_TOPIC = StructSpec(
    OffsetFetchResponseGroupTopic,
    (
        FieldSpec('name', 'string', V(8, 9), default="", ignorable=True),
        FieldSpec('topic_id', 'uuid', V(10, 32767), default=ZERO_UUID, ignorable=True),
        FieldSpec('partitions', 'array', V(8, 32767), struct=_OFFSET_FETCH_RESPONSE_GROUP_PARTITION),
    ),
)


_OFFSET_FETCH_RESPONSE_GROUP = StructSpec(
    OffsetFetchResponseGroup,
    (
        FieldSpec('group_id', 'string', V(8, 32767), default=""),
        FieldSpec('topics', 'array', V(8, 32767), struct=_OFFSET_FETCH_RESPONSE_GROUP_TOPIC),
        FieldSpec('error_code', 'int16', V(8, 32767), default=0),
    ),
)


_OFFSET_FETCH_RESPONSE = MessageSpec(
    OffsetFetchResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(3, 32767), default=0, ignorable=True),
        FieldSpec('topics', 'array', V(1, 7), struct=_OFFSET_FETCH_RESPONSE_TOPIC),
        FieldSpec('error_code', 'int16', V(2, 7), default=0, ignorable=True),
        FieldSpec('groups', 'array', V(8, 32767), struct=_OFFSET_FETCH_RESPONSE_GROUP),
    ),
    name='OffsetFetchResponse',
    api_key=9,
    valid=V(1, 10),
    flexible=V(6, 32767),
)


OFFSET_FETCH_REQUEST_SPEC: MessageSpec = _OFFSET_FETCH_REQUEST
OFFSET_FETCH_RESPONSE_SPEC: MessageSpec = _OFFSET_FETCH_RESPONSE
