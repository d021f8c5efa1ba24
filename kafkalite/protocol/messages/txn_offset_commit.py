"""Stores a consumer group's offsets as part of a producer's transaction: the group coordinator
keeps them pending until the transaction commits or aborts. From v3 the request carries the
consumer's group membership so that a zombie consumer is fenced (KIP-447). With transactions
v2 (KIP-890) a v5 request also adds the group's offset partition to the transaction, so no
AddOffsetsToTxn is needed.

Generated from protocol/messages/txn_offset_commit.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class TxnOffsetCommitRequestPartition(Message):
    """The offsets to commit, by partition."""

    __slots__ = ('partition_index', 'committed_offset', 'committed_leader_epoch', 'committed_metadata',)

    partition_index: int
    """The partition index."""

    committed_offset: int
    """The offset to store: the next offset to consume."""

    committed_leader_epoch: int
    """The leader epoch of the last consumed record, -1 if unknown (v2+, KIP-320). (v2+)"""

    committed_metadata: str | None
    """Free-form metadata stored with the offset. (nullable v0+)"""

    def __init__(self, *, partition_index: int = 0, committed_offset: int = 0, committed_leader_epoch: int = -1, committed_metadata: str | None = None) -> None:
        self.partition_index = partition_index
        self.committed_offset = committed_offset
        self.committed_leader_epoch = committed_leader_epoch
        self.committed_metadata = committed_metadata


class TxnOffsetCommitRequestTopic(Message):
    """The offsets to commit, by topic."""

    __slots__ = ('name', 'partitions',)

    name: str
    """The topic name."""

    partitions: list[TxnOffsetCommitRequestPartition]
    """The offsets to commit, by partition."""

    def __init__(self, *, name: str = "", partitions: list[TxnOffsetCommitRequestPartition] = UNSET) -> None:
        self.name = name
        self.partitions = list() if partitions is UNSET else partitions


class TxnOffsetCommitRequest(Message):
    __slots__ = ('transactional_id', 'group_id', 'producer_id', 'producer_epoch', 'generation_id', 'member_id', 'group_instance_id', 'topics',)

    transactional_id: str
    """The transactional id of the transaction."""

    group_id: str
    """The consumer group committing."""

    producer_id: int
    """The producer id the transactional id is using."""

    producer_epoch: int
    """The epoch of that producer id."""

    generation_id: int
    """The consumer's group generation, or -1 (v3+, KIP-447). (v3+)"""

    member_id: str
    """The consumer's member id in the group, or empty (v3+). (v3+)"""

    group_instance_id: str | None
    """The consumer's static member id, or null (v3+). (v3+, nullable v3+)"""

    topics: list[TxnOffsetCommitRequestTopic]
    """The offsets to commit, by topic."""

    def __init__(self, *, transactional_id: str = "", group_id: str = "", producer_id: int = 0, producer_epoch: int = 0, generation_id: int = -1, member_id: str = "", group_instance_id: str | None = None, topics: list[TxnOffsetCommitRequestTopic] = UNSET) -> None:
        self.transactional_id = transactional_id
        self.group_id = group_id
        self.producer_id = producer_id
        self.producer_epoch = producer_epoch
        self.generation_id = generation_id
        self.member_id = member_id
        self.group_instance_id = group_instance_id
        self.topics = list() if topics is UNSET else topics


class TxnOffsetCommitResponsePartition(Message):
    """The results, by partition."""

    __slots__ = ('partition_index', 'error_code',)

    partition_index: int
    """The partition index."""

    error_code: int
    """The error code, 0 on success."""

    def __init__(self, *, partition_index: int = 0, error_code: int = 0) -> None:
        self.partition_index = partition_index
        self.error_code = error_code


class TxnOffsetCommitResponseTopic(Message):
    """The results, by topic."""

    __slots__ = ('name', 'partitions',)

    name: str
    """The topic name."""

    partitions: list[TxnOffsetCommitResponsePartition]
    """The results, by partition."""

    def __init__(self, *, name: str = "", partitions: list[TxnOffsetCommitResponsePartition] = UNSET) -> None:
        self.name = name
        self.partitions = list() if partitions is UNSET else partitions


class TxnOffsetCommitResponse(Message):
    __slots__ = ('throttle_time_ms', 'topics',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    topics: list[TxnOffsetCommitResponseTopic]
    """The results, by topic."""

    def __init__(self, *, throttle_time_ms: int = 0, topics: list[TxnOffsetCommitResponseTopic] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.topics = list() if topics is UNSET else topics


_TXN_OFFSET_COMMIT_REQUEST_PARTITION = StructSpec(
    TxnOffsetCommitRequestPartition,
    (
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
        FieldSpec('committed_offset', 'int64', V(0, 32767), default=0),
        FieldSpec('committed_leader_epoch', 'int32', V(2, 32767), default=-1, ignorable=True),
        FieldSpec('committed_metadata', 'string', V(0, 32767), nullable=V(0, 32767)),
    ),
)


_TXN_OFFSET_COMMIT_REQUEST_TOPIC = StructSpec(
    TxnOffsetCommitRequestTopic,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_TXN_OFFSET_COMMIT_REQUEST_PARTITION),
    ),
)


_TXN_OFFSET_COMMIT_REQUEST = MessageSpec(
    TxnOffsetCommitRequest,
    (
        FieldSpec('transactional_id', 'string', V(0, 32767), default=""),
        FieldSpec('group_id', 'string', V(0, 32767), default=""),
        FieldSpec('producer_id', 'int64', V(0, 32767), default=0),
        FieldSpec('producer_epoch', 'int16', V(0, 32767), default=0),
        FieldSpec('generation_id', 'int32', V(3, 32767), default=-1),
        FieldSpec('member_id', 'string', V(3, 32767), default=""),
        FieldSpec('group_instance_id', 'string', V(3, 32767), nullable=V(3, 32767)),
        FieldSpec('topics', 'array', V(0, 32767), struct=_TXN_OFFSET_COMMIT_REQUEST_TOPIC),
    ),
    name='TxnOffsetCommitRequest',
    api_key=28,
    valid=V(0, 5),
    flexible=V(3, 32767),
)


_TXN_OFFSET_COMMIT_RESPONSE_PARTITION = StructSpec(
    TxnOffsetCommitResponsePartition,
    (
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
    ),
)


_TXN_OFFSET_COMMIT_RESPONSE_TOPIC = StructSpec(
    TxnOffsetCommitResponseTopic,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_TXN_OFFSET_COMMIT_RESPONSE_PARTITION),
    ),
)


_TXN_OFFSET_COMMIT_RESPONSE = MessageSpec(
    TxnOffsetCommitResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('topics', 'array', V(0, 32767), struct=_TXN_OFFSET_COMMIT_RESPONSE_TOPIC),
    ),
    name='TxnOffsetCommitResponse',
    api_key=28,
    valid=V(0, 5),
    flexible=V(3, 32767),
)


TXN_OFFSET_COMMIT_REQUEST_SPEC: MessageSpec = _TXN_OFFSET_COMMIT_REQUEST
TXN_OFFSET_COMMIT_RESPONSE_SPEC: MessageSpec = _TXN_OFFSET_COMMIT_RESPONSE
