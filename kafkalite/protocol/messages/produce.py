"""Append record batches to partitions. Versions 0-2 (old message formats) are advertised,
because librdkafka needs to see them (KAFKA-18659), and are decoded only to answer
UNSUPPORTED_VERSION, as Kafka 4 does (KIP-896). A request with acks=0 gets no response at
all.

Generated from protocol/messages/produce.json by kafkalite.protocol.codegen: do not edit.
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
class ProducePartitionData:
    """The partitions of the topic to append to."""

    index: int = 0
    """The partition number."""
    records: Records = None
    """The records to append: from v3 exactly one RecordBatch (magic 2). (nullable v0+)"""


@dataclass(slots=True, kw_only=True)
class ProduceTopicData:
    """The topics to append to."""

    name: str = ""
    """The topic name."""
    partition_data: list[ProducePartitionData] = field(default_factory=list)
    """The partitions of the topic to append to."""


@dataclass(slots=True, kw_only=True)
class ProduceRequest:
    transactional_id: str | None = None
    """The producer's transactional id, or null for a non-transactional producer. (v3+, nullable v3+)"""
    acks: int = 0
    """Acknowledgements required: 0 none (no response is sent), 1 the leader, -1 every in-sync replica."""
    timeout_ms: int = 0
    """How long to wait for the required acknowledgements, in milliseconds."""
    topic_data: list[ProduceTopicData] = field(default_factory=list)
    """The topics to append to."""


@dataclass(slots=True, kw_only=True)
class ProduceRecordError:
    """The records that made the broker reject the batch (KIP-467)."""

    batch_index: int = 0
    """The position of the record in its batch. (v8+)"""
    batch_index_error_message: str | None = None
    """Why the record was rejected, or null. (v8+, nullable v8+)"""


@dataclass(slots=True, kw_only=True)
class ProduceLeaderIdAndEpoch:
    """The current leader, sent with NOT_LEADER_OR_FOLLOWER so the client can redirect without a metadata refresh (KIP-951)."""

    leader_id: int = -1
    """The id of the current leader, or -1 if unknown. (v10+)"""
    leader_epoch: int = -1
    """The current leader epoch, or -1 if unknown. (v10+)"""


@dataclass(slots=True, kw_only=True)
class ProducePartitionResponse:
    """One entry per partition of the request."""

    index: int = 0
    """The partition number."""
    error_code: int = 0
    """The partition's error code, 0 if none."""
    base_offset: int = 0
    """The offset given to the first record appended."""
    log_append_time_ms: int = -1
    """The broker's append time when the topic uses LogAppendTime, otherwise -1. (v2+)"""
    log_start_offset: int = -1
    """The partition's log start offset after the append. (v5+)"""
    record_errors: list[ProduceRecordError] = field(default_factory=list)
    """The records that made the broker reject the batch (KIP-467). (v8+)"""
    error_message: str | None = None
    """A summary of why the batch was rejected, or null. (v8+, nullable v8+)"""
    current_leader: ProduceLeaderIdAndEpoch = field(default_factory=ProduceLeaderIdAndEpoch)
    """The current leader, sent with NOT_LEADER_OR_FOLLOWER so the client can redirect without a metadata refresh (KIP-951). (v10+, tag 0)"""


@dataclass(slots=True, kw_only=True)
class ProduceTopicResponse:
    """One entry per topic of the request."""

    name: str = ""
    """The topic name."""
    partition_responses: list[ProducePartitionResponse] = field(default_factory=list)
    """One entry per partition of the request."""


@dataclass(slots=True, kw_only=True)
class ProduceNodeEndpoint:
    """Endpoints of the leaders named in current_leader (KIP-951)."""

    node_id: int = 0
    """The broker id. (v10+)"""
    host: str = ""
    """The broker's host name. (v10+)"""
    port: int = 0
    """The broker's port. (v10+)"""
    rack: str | None = None
    """The broker's rack, or null if it has none. (v10+, nullable v10+)"""


@dataclass(slots=True, kw_only=True)
class ProduceResponse:
    responses: list[ProduceTopicResponse] = field(default_factory=list)
    """One entry per topic of the request."""
    throttle_time_ms: int = 0
    """How long the request was throttled, in milliseconds. (v1+)"""
    node_endpoints: list[ProduceNodeEndpoint] = field(default_factory=list)
    """Endpoints of the leaders named in current_leader (KIP-951). (v10+, tag 0)"""


_PRODUCE_PARTITION_DATA = StructSpec(
    ProducePartitionData,
    (
        FieldSpec('index', 'int32', V(0, 32767), default=0),
        FieldSpec('records', 'records', V(0, 32767), nullable=V(0, 32767)),
    ),
)


_PRODUCE_TOPIC_DATA = StructSpec(
    ProduceTopicData,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('partition_data', 'array', V(0, 32767), struct=_PRODUCE_PARTITION_DATA),
    ),
)


_PRODUCE_REQUEST = MessageSpec(
    ProduceRequest,
    (
        FieldSpec('transactional_id', 'string', V(3, 32767), nullable=V(3, 32767)),
        FieldSpec('acks', 'int16', V(0, 32767), default=0),
        FieldSpec('timeout_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('topic_data', 'array', V(0, 32767), struct=_PRODUCE_TOPIC_DATA),
    ),
    name='ProduceRequest',
    api_key=0,
    valid=V(0, 11),
    flexible=V(9, 32767),
)


_PRODUCE_RECORD_ERROR = StructSpec(
    ProduceRecordError,
    (
        FieldSpec('batch_index', 'int32', V(8, 32767), default=0),
        FieldSpec('batch_index_error_message', 'string', V(8, 32767), nullable=V(8, 32767)),
    ),
)


_PRODUCE_LEADER_ID_AND_EPOCH = StructSpec(
    ProduceLeaderIdAndEpoch,
    (
        FieldSpec('leader_id', 'int32', V(10, 32767), default=-1),
        FieldSpec('leader_epoch', 'int32', V(10, 32767), default=-1),
    ),
)


_PRODUCE_PARTITION_RESPONSE = StructSpec(
    ProducePartitionResponse,
    (
        FieldSpec('index', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('base_offset', 'int64', V(0, 32767), default=0),
        FieldSpec('log_append_time_ms', 'int64', V(2, 32767), default=-1, ignorable=True),
        FieldSpec('log_start_offset', 'int64', V(5, 32767), default=-1, ignorable=True),
        FieldSpec('record_errors', 'array', V(8, 32767), ignorable=True, struct=_PRODUCE_RECORD_ERROR),
        FieldSpec('error_message', 'string', V(8, 32767), nullable=V(8, 32767), ignorable=True),
        FieldSpec('current_leader', 'struct', V(10, 32767), tag=0, struct=_PRODUCE_LEADER_ID_AND_EPOCH),
    ),
)


_PRODUCE_TOPIC_RESPONSE = StructSpec(
    ProduceTopicResponse,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('partition_responses', 'array', V(0, 32767), struct=_PRODUCE_PARTITION_RESPONSE),
    ),
)


_PRODUCE_NODE_ENDPOINT = StructSpec(
    ProduceNodeEndpoint,
    (
        FieldSpec('node_id', 'int32', V(10, 32767), default=0),
        FieldSpec('host', 'string', V(10, 32767), default=""),
        FieldSpec('port', 'int32', V(10, 32767), default=0),
        FieldSpec('rack', 'string', V(10, 32767), nullable=V(10, 32767)),
    ),
)


_PRODUCE_RESPONSE = MessageSpec(
    ProduceResponse,
    (
        FieldSpec('responses', 'array', V(0, 32767), struct=_PRODUCE_TOPIC_RESPONSE),
        FieldSpec('throttle_time_ms', 'int32', V(1, 32767), default=0, ignorable=True),
        FieldSpec('node_endpoints', 'array', V(10, 32767), tag=0, struct=_PRODUCE_NODE_ENDPOINT),
    ),
    name='ProduceResponse',
    api_key=0,
    valid=V(0, 11),
    flexible=V(9, 32767),
)


PRODUCE_REQUEST_SPEC: MessageSpec = _PRODUCE_REQUEST
PRODUCE_RESPONSE_SPEC: MessageSpec = _PRODUCE_RESPONSE
