"""Read record batches from partitions, waiting up to max_wait_ms for min_bytes to accumulate.
Version 4 is the Kafka 4 baseline (KIP-896) and the first with RecordBatch v2 and
transactions.

Generated from protocol/messages/fetch.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class FetchReplicaState(Message):
    """The fetching follower's id and broker epoch, replacing replica_id from v15 (KIP-903)."""

    __slots__ = ('replica_id', 'replica_epoch',)

    replica_id: int
    """The id of the follower broker fetching, or -1 for a consumer. (v15+)"""

    replica_epoch: int
    """The follower's broker epoch, or -1. (v15+)"""

    def __init__(self, *, replica_id: int = -1, replica_epoch: int = -1) -> None:
        self.replica_id = replica_id
        self.replica_epoch = replica_epoch


class FetchPartition(Message):
    """The partitions of the topic to fetch from."""

    __slots__ = ('partition', 'current_leader_epoch', 'fetch_offset', 'last_fetched_epoch', 'log_start_offset', 'partition_max_bytes', 'replica_directory_id', 'high_watermark',)

    partition: int
    """The partition number."""

    current_leader_epoch: int
    """The leader epoch the client knows, or -1 (KIP-320). (v9+)"""

    fetch_offset: int
    """The offset to read from."""

    last_fetched_epoch: int
    """The epoch of the last record fetched, or -1 (KIP-595). (v12+)"""

    log_start_offset: int
    """The follower's log start offset; -1 from consumers. (v5+)"""

    partition_max_bytes: int
    """The maximum number of bytes to return for this partition (KIP-74 applies)."""

    replica_directory_id: uuid.UUID
    """The log directory of the fetching follower (KIP-853); zero from consumers. (v17+, tag 0)"""

    high_watermark: int
    """The high watermark the fetching replica knows (KIP-1166): -1 if unknown, the int64 maximum when the sender does not use it. (v18+, tag 1)"""

    def __init__(self, *, partition: int = 0, current_leader_epoch: int = -1, fetch_offset: int = 0, last_fetched_epoch: int = -1, log_start_offset: int = -1, partition_max_bytes: int = 0, replica_directory_id: uuid.UUID = ZERO_UUID, high_watermark: int = 9223372036854775807) -> None:
        self.partition = partition
        self.current_leader_epoch = current_leader_epoch
        self.fetch_offset = fetch_offset
        self.last_fetched_epoch = last_fetched_epoch
        self.log_start_offset = log_start_offset
        self.partition_max_bytes = partition_max_bytes
        self.replica_directory_id = replica_directory_id
        self.high_watermark = high_watermark


class FetchTopic(Message):
    """The topics to fetch from."""

    __slots__ = ('topic', 'topic_id', 'partitions',)

    topic: str
    """The topic name. (v0-12)"""

    topic_id: uuid.UUID
    """The topic id, which replaces the name from v13 (KIP-516). (v13+)"""

    partitions: list[FetchPartition]
    """The partitions of the topic to fetch from."""

    def __init__(self, *, topic: str = "", topic_id: uuid.UUID = ZERO_UUID, partitions: list[FetchPartition] = UNSET) -> None:
        self.topic = topic
        self.topic_id = topic_id
        self.partitions = list() if partitions is UNSET else partitions


class FetchForgottenTopic(Message):
    """In an incremental fetch, the partitions to drop from the session."""

    __slots__ = ('topic', 'topic_id', 'partitions',)

    topic: str
    """The topic name. (v7-12)"""

    topic_id: uuid.UUID
    """The topic id, which replaces the name from v13 (KIP-516). (v13+)"""

    partitions: list[int]
    """The partition numbers to drop. (v7+)"""

    def __init__(self, *, topic: str = "", topic_id: uuid.UUID = ZERO_UUID, partitions: list[int] = UNSET) -> None:
        self.topic = topic
        self.topic_id = topic_id
        self.partitions = list() if partitions is UNSET else partitions


class FetchRequest(Message):
    __slots__ = ('cluster_id', 'replica_id', 'replica_state', 'max_wait_ms', 'min_bytes', 'max_bytes', 'isolation_level', 'session_id', 'session_epoch', 'topics', 'forgotten_topics_data', 'rack_id',)

    cluster_id: str | None
    """The cluster id if the sender knows it; used by KRaft replicas, null from clients. (v12+, tag 0, nullable v12+)"""

    replica_id: int
    """The id of the follower broker fetching, or -1 for a consumer. (v0-14)"""

    replica_state: FetchReplicaState
    """The fetching follower's id and broker epoch, replacing replica_id from v15 (KIP-903). (v15+, tag 1)"""

    max_wait_ms: int
    """How long to wait for min_bytes to accumulate, in milliseconds."""

    min_bytes: int
    """The minimum number of bytes to accumulate before answering."""

    max_bytes: int
    """The maximum number of bytes to return; the first batch is returned whole even if larger (KIP-74)."""

    isolation_level: int
    """0 read_uncommitted: every record is visible; 1 read_committed: only records below the last stable offset, with the aborted transactions listed."""

    session_id: int
    """The fetch session id, 0 when not in a session (KIP-227). (v7+)"""

    session_epoch: int
    """The fetch session epoch; -1 for a full fetch without a session. (v7+)"""

    topics: list[FetchTopic]
    """The topics to fetch from."""

    forgotten_topics_data: list[FetchForgottenTopic]
    """In an incremental fetch, the partitions to drop from the session. (v7+)"""

    rack_id: str
    """The rack of the consumer, for follower fetching (KIP-392). (v11+)"""

    def __init__(self, *, cluster_id: str | None = None, replica_id: int = -1, replica_state: FetchReplicaState = UNSET, max_wait_ms: int = 0, min_bytes: int = 0, max_bytes: int = 2147483647, isolation_level: int = 0, session_id: int = 0, session_epoch: int = -1, topics: list[FetchTopic] = UNSET, forgotten_topics_data: list[FetchForgottenTopic] = UNSET, rack_id: str = '') -> None:
        self.cluster_id = cluster_id
        self.replica_id = replica_id
        self.replica_state = FetchReplicaState() if replica_state is UNSET else replica_state
        self.max_wait_ms = max_wait_ms
        self.min_bytes = min_bytes
        self.max_bytes = max_bytes
        self.isolation_level = isolation_level
        self.session_id = session_id
        self.session_epoch = session_epoch
        self.topics = list() if topics is UNSET else topics
        self.forgotten_topics_data = list() if forgotten_topics_data is UNSET else forgotten_topics_data
        self.rack_id = rack_id


class FetchEpochEndOffset(Message):
    """When last_fetched_epoch shows the fetcher's log has diverged, the largest common epoch and its end offset (KIP-595)."""

    __slots__ = ('epoch', 'end_offset',)

    epoch: int
    """The epoch. (v12+)"""

    end_offset: int
    """The end offset of the epoch. (v12+)"""

    def __init__(self, *, epoch: int = -1, end_offset: int = -1) -> None:
        self.epoch = epoch
        self.end_offset = end_offset


class FetchLeaderIdAndEpoch(Message):
    """The current leader, when this broker is not it."""

    __slots__ = ('leader_id', 'leader_epoch',)

    leader_id: int
    """The id of the current leader, or -1 if unknown. (v12+)"""

    leader_epoch: int
    """The current leader epoch, or -1 if unknown. (v12+)"""

    def __init__(self, *, leader_id: int = -1, leader_epoch: int = -1) -> None:
        self.leader_id = leader_id
        self.leader_epoch = leader_epoch


class FetchSnapshotId(Message):
    """When the fetch offset is below the log start offset of a KRaft log, the snapshot to fetch instead."""

    __slots__ = ('end_offset', 'epoch',)

    end_offset: int
    """The end offset of the snapshot."""

    epoch: int
    """The epoch of the snapshot."""

    def __init__(self, *, end_offset: int = -1, epoch: int = -1) -> None:
        self.end_offset = end_offset
        self.epoch = epoch


class FetchAbortedTransaction(Message):
    """For read_committed fetches, the aborted transactions overlapping the returned data; null otherwise."""

    __slots__ = ('producer_id', 'first_offset',)

    producer_id: int
    """The producer id of the aborted transaction."""

    first_offset: int
    """The first offset of the aborted transaction."""

    def __init__(self, *, producer_id: int = 0, first_offset: int = 0) -> None:
        self.producer_id = producer_id
        self.first_offset = first_offset


class FetchPartitionResponse(Message):
    """One entry per partition with data or an error."""

    __slots__ = ('partition_index', 'error_code', 'high_watermark', 'last_stable_offset', 'log_start_offset', 'diverging_epoch', 'current_leader', 'snapshot_id', 'aborted_transactions', 'preferred_read_replica', 'records',)

    partition_index: int
    """The partition number."""

    error_code: int
    """The partition's error code, 0 if none."""

    high_watermark: int
    """The partition's high watermark."""

    last_stable_offset: int
    """The last stable offset: every transaction below it is decided."""

    log_start_offset: int
    """The partition's log start offset. (v5+)"""

    diverging_epoch: FetchEpochEndOffset
    """When last_fetched_epoch shows the fetcher's log has diverged, the largest common epoch and its end offset (KIP-595). (v12+, tag 0)"""

    current_leader: FetchLeaderIdAndEpoch
    """The current leader, when this broker is not it. (v12+, tag 1)"""

    snapshot_id: FetchSnapshotId
    """When the fetch offset is below the log start offset of a KRaft log, the snapshot to fetch instead. (v12+, tag 2)"""

    aborted_transactions: list[FetchAbortedTransaction] | None
    """For read_committed fetches, the aborted transactions overlapping the returned data; null otherwise. (nullable v4+)"""

    preferred_read_replica: int
    """The replica the consumer should fetch from next, or -1 (KIP-392). (v11+)"""

    records: Records
    """The record batches read, sent with sendfile when possible. (nullable v4+)"""

    def __init__(self, *, partition_index: int = 0, error_code: int = 0, high_watermark: int = 0, last_stable_offset: int = -1, log_start_offset: int = -1, diverging_epoch: FetchEpochEndOffset = UNSET, current_leader: FetchLeaderIdAndEpoch = UNSET, snapshot_id: FetchSnapshotId = UNSET, aborted_transactions: list[FetchAbortedTransaction] | None = None, preferred_read_replica: int = -1, records: Records = None) -> None:
        self.partition_index = partition_index
        self.error_code = error_code
        self.high_watermark = high_watermark
        self.last_stable_offset = last_stable_offset
        self.log_start_offset = log_start_offset
        self.diverging_epoch = FetchEpochEndOffset() if diverging_epoch is UNSET else diverging_epoch
        self.current_leader = FetchLeaderIdAndEpoch() if current_leader is UNSET else current_leader
        self.snapshot_id = FetchSnapshotId() if snapshot_id is UNSET else snapshot_id
        self.aborted_transactions = aborted_transactions
        self.preferred_read_replica = preferred_read_replica
        self.records = records


class FetchTopicResponse(Message):
    """One entry per topic with data or an error."""

    __slots__ = ('topic', 'topic_id', 'partitions',)

    topic: str
    """The topic name. (v0-12)"""

    topic_id: uuid.UUID
    """The topic id, which replaces the name from v13 (KIP-516). (v13+)"""

    partitions: list[FetchPartitionResponse]
    """One entry per partition with data or an error."""

    def __init__(self, *, topic: str = "", topic_id: uuid.UUID = ZERO_UUID, partitions: list[FetchPartitionResponse] = UNSET) -> None:
        self.topic = topic
        self.topic_id = topic_id
        self.partitions = list() if partitions is UNSET else partitions


class FetchNodeEndpoint(Message):
    """Endpoints of the leaders named in current_leader of partitions answered NOT_LEADER_OR_FOLLOWER or FENCED_LEADER_EPOCH (KIP-951)."""

    __slots__ = ('node_id', 'host', 'port', 'rack',)

    node_id: int
    """The broker id. (v16+)"""

    host: str
    """The broker's host name. (v16+)"""

    port: int
    """The broker's port. (v16+)"""

    rack: str | None
    """The broker's rack, or null if it has none. (v16+, nullable v16+)"""

    def __init__(self, *, node_id: int = 0, host: str = "", port: int = 0, rack: str | None = None) -> None:
        self.node_id = node_id
        self.host = host
        self.port = port
        self.rack = rack


class FetchResponse(Message):
    __slots__ = ('throttle_time_ms', 'error_code', 'session_id', 'responses', 'node_endpoints',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    error_code: int
    """The request-level error code, 0 if none (fetch session errors). (v7+)"""

    session_id: int
    """The fetch session id, or 0 when the fetch is not part of a session. (v7+)"""

    responses: list[FetchTopicResponse]
    """One entry per topic with data or an error."""

    node_endpoints: list[FetchNodeEndpoint]
    """Endpoints of the leaders named in current_leader of partitions answered NOT_LEADER_OR_FOLLOWER or FENCED_LEADER_EPOCH (KIP-951). (v16+, tag 0)"""

    def __init__(self, *, throttle_time_ms: int = 0, error_code: int = 0, session_id: int = 0, responses: list[FetchTopicResponse] = UNSET, node_endpoints: list[FetchNodeEndpoint] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.error_code = error_code
        self.session_id = session_id
        self.responses = list() if responses is UNSET else responses
        self.node_endpoints = list() if node_endpoints is UNSET else node_endpoints


_FETCH_REPLICA_STATE = StructSpec(
    FetchReplicaState,
    (
        FieldSpec('replica_id', 'int32', V(15, 32767), default=-1),
        FieldSpec('replica_epoch', 'int64', V(15, 32767), default=-1),
    ),
)


_FETCH_PARTITION = StructSpec(
    FetchPartition,
    (
        FieldSpec('partition', 'int32', V(0, 32767), default=0),
        FieldSpec('current_leader_epoch', 'int32', V(9, 32767), default=-1, ignorable=True),
        FieldSpec('fetch_offset', 'int64', V(0, 32767), default=0),
        FieldSpec('last_fetched_epoch', 'int32', V(12, 32767), default=-1),
        FieldSpec('log_start_offset', 'int64', V(5, 32767), default=-1, ignorable=True),
        FieldSpec('partition_max_bytes', 'int32', V(0, 32767), default=0),
        FieldSpec('replica_directory_id', 'uuid', V(17, 32767), default=ZERO_UUID, tag=0, ignorable=True),
        FieldSpec('high_watermark', 'int64', V(18, 32767), default=9223372036854775807, tag=1, ignorable=True),
    ),
)


_FETCH_TOPIC = StructSpec(
    FetchTopic,
    (
        FieldSpec('topic', 'string', V(0, 12), default="", ignorable=True),
        FieldSpec('topic_id', 'uuid', V(13, 32767), default=ZERO_UUID, ignorable=True),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_FETCH_PARTITION),
    ),
)


_FETCH_FORGOTTEN_TOPIC = StructSpec(
    FetchForgottenTopic,
    (
        FieldSpec('topic', 'string', V(7, 12), default="", ignorable=True),
        FieldSpec('topic_id', 'uuid', V(13, 32767), default=ZERO_UUID, ignorable=True),
        FieldSpec('partitions', 'array', V(7, 32767), of='int32'),
    ),
)


_FETCH_REQUEST = MessageSpec(
    FetchRequest,
    (
        FieldSpec('cluster_id', 'string', V(12, 32767), nullable=V(12, 32767), tag=0, ignorable=True),
        FieldSpec('replica_id', 'int32', V(0, 14), default=-1),
        FieldSpec('replica_state', 'struct', V(15, 32767), tag=1, struct=_FETCH_REPLICA_STATE),
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
    valid=V(4, 18),
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
        FieldSpec('topic', 'string', V(0, 12), default="", ignorable=True),
        FieldSpec('topic_id', 'uuid', V(13, 32767), default=ZERO_UUID, ignorable=True),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_FETCH_PARTITION_RESPONSE),
    ),
)


_FETCH_NODE_ENDPOINT = StructSpec(
    FetchNodeEndpoint,
    (
        FieldSpec('node_id', 'int32', V(16, 32767), default=0),
        FieldSpec('host', 'string', V(16, 32767), default=""),
        FieldSpec('port', 'int32', V(16, 32767), default=0),
        FieldSpec('rack', 'string', V(16, 32767), nullable=V(16, 32767)),
    ),
)


_FETCH_RESPONSE = MessageSpec(
    FetchResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0, ignorable=True),
        FieldSpec('error_code', 'int16', V(7, 32767), default=0, ignorable=True),
        FieldSpec('session_id', 'int32', V(7, 32767), default=0),
        FieldSpec('responses', 'array', V(0, 32767), struct=_FETCH_TOPIC_RESPONSE),
        FieldSpec('node_endpoints', 'array', V(16, 32767), tag=0, struct=_FETCH_NODE_ENDPOINT),
    ),
    name='FetchResponse',
    api_key=1,
    valid=V(4, 18),
    flexible=V(12, 32767),
)


FETCH_REQUEST_SPEC: MessageSpec = _FETCH_REQUEST
FETCH_RESPONSE_SPEC: MessageSpec = _FETCH_RESPONSE
