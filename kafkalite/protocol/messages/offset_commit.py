"""Stores a group's consumed offsets with its coordinator.

Generated from protocol/messages/offset_commit.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class OffsetCommitRequestPartition(Message):
    """The offsets to commit, by partition."""

    __slots__ = ('partition_index', 'committed_offset', 'committed_leader_epoch', 'committed_metadata',)

    partition_index: int
    """The partition index."""

    committed_offset: int
    """The offset to store: the next offset to consume."""

    committed_leader_epoch: int
    """The leader epoch of the last consumed record, -1 if unknown (KIP-320). (v6+)"""

    committed_metadata: str | None
    """Free-form metadata stored with the offset. (nullable v2+)"""

    def __init__(self, *, partition_index: int = 0, committed_offset: int = 0, committed_leader_epoch: int = -1, committed_metadata: str | None = None) -> None:
        self.partition_index = partition_index
        self.committed_offset = committed_offset
        self.committed_leader_epoch = committed_leader_epoch
        self.committed_metadata = committed_metadata


class OffsetCommitRequestTopic(Message):
    """The offsets to commit, by topic."""

    __slots__ = ('name', 'topic_id', 'partitions',)

    name: str
    """The topic name. (v0-9)"""

    topic_id: uuid.UUID
    """The topic id, which replaces the name from v10 (KIP-848, KIP-516). (v10+)"""

    partitions: list[OffsetCommitRequestPartition]
    """The offsets to commit, by partition."""

    def __init__(self, *, name: str = "", topic_id: uuid.UUID = ZERO_UUID, partitions: list[OffsetCommitRequestPartition] = UNSET) -> None:
        self.name = name
        self.topic_id = topic_id
        self.partitions = list() if partitions is UNSET else partitions


class OffsetCommitRequest(Message):
    __slots__ = ('group_id', 'generation_id_or_member_epoch', 'member_id', 'group_instance_id', 'retention_time_ms', 'topics',)

    group_id: str
    """The group committing."""

    generation_id_or_member_epoch: int
    """The group generation (classic protocol) or the member epoch (consumer protocol); -1 for a commit from outside the group."""

    member_id: str
    """The committing member's id, or empty for a commit from outside the group."""

    group_instance_id: str | None
    """The static member id, or null. (v7+, nullable v7+)"""

    retention_time_ms: int
    """How long to keep the offsets in milliseconds, -1 for the broker default. Dropped in v5 (KIP-211). (v2-4)"""

    topics: list[OffsetCommitRequestTopic]
    """The offsets to commit, by topic."""

    def __init__(self, *, group_id: str = "", generation_id_or_member_epoch: int = -1, member_id: str = "", group_instance_id: str | None = None, retention_time_ms: int = -1, topics: list[OffsetCommitRequestTopic] = UNSET) -> None:
        self.group_id = group_id
        self.generation_id_or_member_epoch = generation_id_or_member_epoch
        self.member_id = member_id
        self.group_instance_id = group_instance_id
        self.retention_time_ms = retention_time_ms
        self.topics = list() if topics is UNSET else topics


class OffsetCommitResponsePartition(Message):
    """The results, by partition."""

    __slots__ = ('partition_index', 'error_code',)

    partition_index: int
    """The partition index."""

    error_code: int
    """The error code, 0 on success."""

    def __init__(self, *, partition_index: int = 0, error_code: int = 0) -> None:
        self.partition_index = partition_index
        self.error_code = error_code


class OffsetCommitResponseTopic(Message):
    """The results, by topic."""

    __slots__ = ('name', 'topic_id', 'partitions',)

    name: str
    """The topic name. (v0-9)"""

    topic_id: uuid.UUID
    """The topic id, which replaces the name from v10 (KIP-848, KIP-516). (v10+)"""

    partitions: list[OffsetCommitResponsePartition]
    """The results, by partition."""

    def __init__(self, *, name: str = "", topic_id: uuid.UUID = ZERO_UUID, partitions: list[OffsetCommitResponsePartition] = UNSET) -> None:
        self.name = name
        self.topic_id = topic_id
        self.partitions = list() if partitions is UNSET else partitions


class OffsetCommitResponse(Message):
    __slots__ = ('throttle_time_ms', 'topics',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds. (v3+)"""

    topics: list[OffsetCommitResponseTopic]
    """The results, by topic."""

    def __init__(self, *, throttle_time_ms: int = 0, topics: list[OffsetCommitResponseTopic] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.topics = list() if topics is UNSET else topics


_OFFSET_COMMIT_REQUEST_PARTITION = StructSpec(
    OffsetCommitRequestPartition,
    (
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
        FieldSpec('committed_offset', 'int64', V(0, 32767), default=0),
        FieldSpec('committed_leader_epoch', 'int32', V(6, 32767), default=-1, ignorable=True),
        FieldSpec('committed_metadata', 'string', V(0, 32767), nullable=V(2, 32767)),
    ),
)


_OFFSET_COMMIT_REQUEST_TOPIC = StructSpec(
    OffsetCommitRequestTopic,
    (
        FieldSpec('name', 'string', V(0, 9), default="", ignorable=True),
        FieldSpec('topic_id', 'uuid', V(10, 32767), default=ZERO_UUID, ignorable=True),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_OFFSET_COMMIT_REQUEST_PARTITION),
    ),
)


_OFFSET_COMMIT_REQUEST = MessageSpec(
    OffsetCommitRequest,
    (
        FieldSpec('group_id', 'string', V(0, 32767), default=""),
        FieldSpec('generation_id_or_member_epoch', 'int32', V(0, 32767), default=-1, ignorable=True),
        FieldSpec('member_id', 'string', V(0, 32767), default="", ignorable=True),
        FieldSpec('group_instance_id', 'string', V(7, 32767), nullable=V(7, 32767)),
        FieldSpec('retention_time_ms', 'int64', V(2, 4), default=-1, ignorable=True),
        FieldSpec('topics', 'array', V(0, 32767), struct=_OFFSET_COMMIT_REQUEST_TOPIC),
    ),
    name='OffsetCommitRequest',
    api_key=8,
    valid=V(2, 10),
    flexible=V(8, 32767),
)


_OFFSET_COMMIT_RESPONSE_PARTITION = StructSpec(
    OffsetCommitResponsePartition,
    (
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
    ),
)


_OFFSET_COMMIT_RESPONSE_TOPIC = StructSpec(
    OffsetCommitResponseTopic,
    (
        FieldSpec('name', 'string', V(0, 9), default="", ignorable=True),
        FieldSpec('topic_id', 'uuid', V(10, 32767), default=ZERO_UUID, ignorable=True),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_OFFSET_COMMIT_RESPONSE_PARTITION),
    ),
)


_OFFSET_COMMIT_RESPONSE = MessageSpec(
    OffsetCommitResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(3, 32767), default=0, ignorable=True),
        FieldSpec('topics', 'array', V(0, 32767), struct=_OFFSET_COMMIT_RESPONSE_TOPIC),
    ),
    name='OffsetCommitResponse',
    api_key=8,
    valid=V(2, 10),
    flexible=V(8, 32767),
)


OFFSET_COMMIT_REQUEST_SPEC: MessageSpec = _OFFSET_COMMIT_REQUEST
OFFSET_COMMIT_RESPONSE_SPEC: MessageSpec = _OFFSET_COMMIT_RESPONSE
