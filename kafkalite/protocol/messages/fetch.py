"""Read record batches from partitions, waiting up to max_wait_ms for min_bytes to accumulate.
Version 4 is the Kafka 4 baseline (KIP-896) and the first with RecordBatch v2 and
transactions.

Generated from protocol/messages/fetch.json by kafkalite.protocol.codegen: do not edit.
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
class FetchPartition:
    """The partitions of the topic to fetch from."""

    partition: int = 0
    """The partition number."""
    current_leader_epoch: int = -1
    """The leader epoch the client knows, or -1 (KIP-320). (v9+)"""
    fetch_offset: int = 0
    """The offset to read from."""
    last_fetched_epoch: int = -1
    """The epoch of the last record fetched, or -1 (KIP-595). (v12+)"""
    log_start_offset: int = -1
    """The follower's log start offset; -1 from consumers. (v5+)"""
    partition_max_bytes: int = 0
    """The maximum number of bytes to return for this partition (KIP-74 applies)."""


@dataclass(slots=True, kw_only=True)
class FetchTopic:
    """The topics to fetch from."""

    topic: str = ""
    """The topic name."""
    partitions: list[FetchPartition] = field(default_factory=list)
    """The partitions of the topic to fetch from."""


@dataclass(slots=True, kw_only=True)
class FetchForgottenTopic:
    """In an incremental fetch, the partitions to drop from the session."""

    topic: str = ""
    """The topic name. (v7+)"""
    partitions: list[int] = field(default_factory=list)
    """The partition numbers to drop. (v7+)"""


@dataclass(slots=True, kw_only=True)
class FetchRequest:
    cluster_id: str | None = None
    """The cluster id if the sender knows it; used by KRaft replicas, null from clients. (v12+, tag 0, nullable v12+)"""
    replica_id: int = -1
    """The id of the follower broker fetching, or -1 for a consumer."""
    max_wait_ms: int = 0
    """How long to wait for min_bytes to accumulate, in milliseconds."""
    min_bytes: int = 0
    """The minimum number of bytes to accumulate before answering."""
    max_bytes: int = 2147483647
    """The maximum number of bytes to return; the first batch is returned whole even if larger (KIP-74)."""
    isolation_level: int = 0
    """0 read_uncommitted: every record is visible; 1 read_committed: only records below the last stable offset, with the aborted transactions listed."""
    session_id: int = 0
    """The fetch session id, 0 when not in a session (KIP-227). (v7+)"""
    session_epoch: int = -1
    """The fetch session epoch; -1 for a full fetch without a session. (v7+)"""
    topics: list[FetchTopic] = field(default_factory=list)
    """The topics to fetch from."""
    forgotten_topics_data: list[FetchForgottenTopic] = field(default_factory=list)
    """In an incremental fetch, the partitions to drop from the session. (v7+)"""
    rack_id: str = ''
    """The rack of the consumer, for follower fetching (KIP-392). (v11+)"""


@dataclass(slots=True, kw_only=True)
class FetchEpochEndOffset:
    """When last_fetched_epoch shows the fetcher's log has diverged, the largest common epoch and its end offset (KIP-595)."""

    epoch: int = -1
    """The epoch. (v12+)"""
    end_offset: int = -1
    """The end offset of the epoch. (v12+)"""


@dataclass(slots=True, kw_only=True)
class FetchLeaderIdAndEpoch:
    """The current leader, when this broker is not it."""

    leader_id: int = -1
    """The id of the current leader, or -1 if unknown. (v12+)"""
    leader_epoch: int = -1
    """The current leader epoch, or -1 if unknown. (v12+)"""


@dataclass(slots=True, kw_only=True)
class FetchSnapshotId:
    """When the fetch offset is below the log start offset of a KRaft log, the snapshot to fetch instead."""

    end_offset: int = -1
    """The end offset of the snapshot."""
    epoch: int = -1
    """The epoch of the snapshot."""


@dataclass(slots=True, kw_only=True)
class FetchAbortedTransaction:
    """For read_committed fetches, the aborted transactions overlapping the returned data; null otherwise."""

    producer_id: int = 0
    """The producer id of the aborted transaction."""
    first_offset: int = 0
    """The first offset of the aborted transaction."""


@dataclass(slots=True, kw_only=True)
class FetchPartitionResponse:
    """One entry per partition with data or an error."""

    partition_index: int = 0
    """The partition number."""
    error_code: int = 0
    """The partition's error code, 0 if none."""
    high_watermark: int = 0
    """The partition's high watermark."""
    last_stable_offset: int = -1
    """The last stable offset: every transaction below it is decided."""
    log_start_offset: int = -1
    """The partition's log start offset. (v5+)"""
    diverging_epoch: FetchEpochEndOffset = field(default_factory=FetchEpochEndOffset)
    """When last_fetched_epoch shows the fetcher's log has diverged, the largest common epoch and its end offset (KIP-595). (v12+, tag 0)"""
    current_leader: FetchLeaderIdAndEpoch = field(default_factory=FetchLeaderIdAndEpoch)
    """The current leader, when this broker is not it. (v12+, tag 1)"""
    snapshot_id: FetchSnapshotId = field(default_factory=FetchSnapshotId)
    """When the fetch offset is below the log start offset of a KRaft log, the snapshot to fetch instead. (v12+, tag 2)"""
    aborted_transactions: list[FetchAbortedTransaction] | None = None
    """For read_committed fetches, the aborted transactions overlapping the returned data; null otherwise. (nullable v4+)"""
    preferred_read_replica: int = -1
    """The replica the consumer should fetch from next, or -1 (KIP-392). (v11+)"""
    records: Records = None
    """The record batches read, sent with sendfile when possible. (nullable v4+)"""


@dataclass(slots=True, kw_only=True)
class FetchTopicResponse:
    """One entry per topic with data or an error."""

    topic: str = ""
    """The topic name."""
    partitions: list[FetchPartitionResponse] = field(default_factory=list)
    """One entry per partition with data or an error."""


@dataclass(slots=True, kw_only=True)
class FetchResponse:
    throttle_time_ms: int = 0
    """How long the request was throttled, in milliseconds."""
    error_code: int = 0
    """The request-level error code, 0 if none (fetch session errors). (v7+)"""
    session_id: int = 0
    """The fetch session id, or 0 when the fetch is not part of a session. (v7+)"""
    responses: list[FetchTopicResponse] = field(default_factory=list)
    """One entry per topic with data or an error."""


_FETCH_PARTITION = StructSpec(
    FetchPartition,
    (
        FieldSpec('partition', 'int32', V(0, 32767), default=0),
        FieldSpec('current_leader_epoch', 'int32', V(9, 32767), default=-1, ignorable=True),
        FieldSpec('fetch_offset', 'int64', V(0, 32767), default=0),
        FieldSpec('last_fetched_epoch', 'int32', V(12, 32767), default=-1),
        FieldSpec('log_start_offset', 'int64', V(5, 32767), default=-1, ignorable=True),
        FieldSpec('partition_max_bytes', 'int32', V(0, 32767), default=0),
    ),
)


_FETCH_TOPIC = StructSpec(
    FetchTopic,
    (
        FieldSpec('topic', 'string', V(0, 32767), default=""),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_FETCH_PARTITION),
    ),
)


_FETCH_FORGOTTEN_TOPIC = StructSpec(
    FetchForgottenTopic,
    (
        FieldSpec('topic', 'string', V(7, 32767), default=""),
        FieldSpec('partitions', 'array', V(7, 32767), of='int32'),
    ),
)


_FETCH_REQUEST = MessageSpec(
    FetchRequest,
    (
        FieldSpec('cluster_id', 'string', V(12, 32767), nullable=V(12, 32767), tag=0, ignorable=True),
        FieldSpec('replica_id', 'int32', V(0, 32767), default=-1),
        FieldSpec('max_wait_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('min_bytes', 'int32', V(0, 32767), default=0),
        FieldSpec('max_bytes', 'int32', V(0, 32767), default=2147483647, ignorable=True),
        FieldSpec('isolation_level', 'int8', V(0, 32767), default=0, ignorable=True),
        FieldSpec('session_id', 'int32', V(7, 32767), default=0, ignorable=True),
        FieldSpec('session_epoch', 'int32', V(7, 32767), default=-1, ignorable=True),
        FieldSpec('topics', 'array', V(0, 32767), struct=_FETCH_TOPIC),
        FieldSpec('forgotten_topics_data', 'array', V(7, 32767), struct=_FETCH_FORGOTTEN_TOPIC),
        FieldSpec('rack_id', 'string', V(11, 32767), default='', ignorable=True),
    ),
    name='FetchRequest',
    api_key=1,
    valid=V(4, 12),
    flexible=V(12, 32767),
)


_FETCH_EPOCH_END_OFFSET = StructSpec(
    FetchEpochEndOffset,
    (
        FieldSpec('epoch', 'int32', V(12, 32767), default=-1),
        FieldSpec('end_offset', 'int64', V(12, 32767), default=-1),
    ),
)


_FETCH_LEADER_ID_AND_EPOCH = StructSpec(
    FetchLeaderIdAndEpoch,
    (
        FieldSpec('leader_id', 'int32', V(12, 32767), default=-1),
        FieldSpec('leader_epoch', 'int32', V(12, 32767), default=-1),
    ),
)


_FETCH_SNAPSHOT_ID = StructSpec(
    FetchSnapshotId,
    (
        FieldSpec('end_offset', 'int64', V(0, 32767), default=-1),
        FieldSpec('epoch', 'int32', V(0, 32767), default=-1),
    ),
)


_FETCH_ABORTED_TRANSACTION = StructSpec(
    FetchAbortedTransaction,
    (
        FieldSpec('producer_id', 'int64', V(0, 32767), default=0),
        FieldSpec('first_offset', 'int64', V(0, 32767), default=0),
    ),
)


_FETCH_PARTITION_RESPONSE = StructSpec(
    FetchPartitionResponse,
    (
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('high_watermark', 'int64', V(0, 32767), default=0),
        FieldSpec('last_stable_offset', 'int64', V(0, 32767), default=-1, ignorable=True),
        FieldSpec('log_start_offset', 'int64', V(5, 32767), default=-1, ignorable=True),
        FieldSpec('diverging_epoch', 'struct', V(12, 32767), tag=0, struct=_FETCH_EPOCH_END_OFFSET),
        FieldSpec('current_leader', 'struct', V(12, 32767), tag=1, struct=_FETCH_LEADER_ID_AND_EPOCH),
        FieldSpec('snapshot_id', 'struct', V(12, 32767), tag=2, struct=_FETCH_SNAPSHOT_ID),
        FieldSpec('aborted_transactions', 'array', V(0, 32767), nullable=V(4, 32767), ignorable=True, struct=_FETCH_ABORTED_TRANSACTION),
        FieldSpec('preferred_read_replica', 'int32', V(11, 32767), default=-1),
        FieldSpec('records', 'records', V(0, 32767), nullable=V(4, 32767)),
    ),
)


_FETCH_TOPIC_RESPONSE = StructSpec(
    FetchTopicResponse,
    (
        FieldSpec('topic', 'string', V(0, 32767), default=""),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_FETCH_PARTITION_RESPONSE),
    ),
)


_FETCH_RESPONSE = MessageSpec(
    FetchResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0, ignorable=True),
        FieldSpec('error_code', 'int16', V(7, 32767), default=0, ignorable=True),
        FieldSpec('session_id', 'int32', V(7, 32767), default=0),
        FieldSpec('responses', 'array', V(0, 32767), struct=_FETCH_TOPIC_RESPONSE),
    ),
    name='FetchResponse',
    api_key=1,
    valid=V(4, 12),
    flexible=V(12, 32767),
)


FETCH_REQUEST_SPEC: MessageSpec = _FETCH_REQUEST
FETCH_RESPONSE_SPEC: MessageSpec = _FETCH_RESPONSE
