"""Append record batches to partitions. Versions 0-2 (old message formats) are advertised,
because librdkafka needs to see them (KAFKA-18659), and are decoded only to answer
UNSUPPORTED_VERSION, as Kafka 4 does (KIP-896). A request with acks=0 gets no response at
all.

Generated from protocol/messages/produce.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class ProducePartitionData(Message):
    """The partitions of the topic to append to."""

    __slots__ = ('index', 'records',)

    index: int
    """The partition number."""

    records: Records
    """The records to append: from v3 exactly one RecordBatch (magic 2). (nullable v0+)"""

    def __init__(self, *, index: int = 0, records: Records = None) -> None:
        self.index = index
        self.records = records


class ProduceTopicData(Message):
    """The topics to append to."""

    __slots__ = ('name', 'topic_id', 'partition_data',)

    name: str
    """The topic name. (v0-12)"""

    topic_id: uuid.UUID
    """The topic id, which replaces the name from v13 (KIP-516). (v13+)"""

    partition_data: list[ProducePartitionData]
    """The partitions of the topic to append to."""

    def __init__(self, *, name: str = "", topic_id: uuid.UUID = ZERO_UUID, partition_data: list[ProducePartitionData] = UNSET) -> None:
        self.name = name
        self.topic_id = topic_id
        self.partition_data = list() if partition_data is UNSET else partition_data


class ProduceRequest(Message):
    __slots__ = ('transactional_id', 'acks', 'timeout_ms', 'topic_data',)

    transactional_id: str | None
    """The producer's transactional id, or null for a non-transactional producer. (v3+, nullable v3+)"""

    acks: int
    """Acknowledgements required: 0 none (no response is sent), 1 the leader, -1 every in-sync replica."""

    timeout_ms: int
    """How long to wait for the required acknowledgements, in milliseconds."""

    topic_data: list[ProduceTopicData]
    """The topics to append to."""

    def __init__(self, *, transactional_id: str | None = None, acks: int = 0, timeout_ms: int = 0, topic_data: list[ProduceTopicData] = UNSET) -> None:
        self.transactional_id = transactional_id
        self.acks = acks
        self.timeout_ms = timeout_ms
        self.topic_data = list() if topic_data is UNSET else topic_data


class ProduceRecordError(Message):
    """The records that made the broker reject the batch (KIP-467)."""

    __slots__ = ('batch_index', 'batch_index_error_message',)

    batch_index: int
    """The position of the record in its batch. (v8+)"""

    batch_index_error_message: str | None
    """Why the record was rejected, or null. (v8+, nullable v8+)"""

    def __init__(self, *, batch_index: int = 0, batch_index_error_message: str | None = None) -> None:
        self.batch_index = batch_index
        self.batch_index_error_message = batch_index_error_message


class ProduceLeaderIdAndEpoch(Message):
    """The current leader, sent with NOT_LEADER_OR_FOLLOWER so the client can redirect without a metadata refresh (KIP-951)."""

    __slots__ = ('leader_id', 'leader_epoch',)

    leader_id: int
    """The id of the current leader, or -1 if unknown. (v10+)"""

    leader_epoch: int
    """The current leader epoch, or -1 if unknown. (v10+)"""

    def __init__(self, *, leader_id: int = -1, leader_epoch: int = -1) -> None:
        self.leader_id = leader_id
        self.leader_epoch = leader_epoch


class ProducePartitionResponse(Message):
    """One entry per partition of the request."""

    __slots__ = ('index', 'error_code', 'base_offset', 'log_append_time_ms', 'log_start_offset', 'record_errors', 'error_message', 'current_leader',)

    index: int
    """The partition number."""

    error_code: int
    """The partition's error code, 0 if none."""

    base_offset: int
    """The offset given to the first record appended."""

    log_append_time_ms: int
    """The broker's append time when the topic uses LogAppendTime, otherwise -1. (v2+)"""

    log_start_offset: int
    """The partition's log start offset after the append. (v5+)"""

    record_errors: list[ProduceRecordError]
    """The records that made the broker reject the batch (KIP-467). (v8+)"""

    error_message: str | None
    """A summary of why the batch was rejected, or null. (v8+, nullable v8+)"""

    current_leader: ProduceLeaderIdAndEpoch
    """The current leader, sent with NOT_LEADER_OR_FOLLOWER so the client can redirect without a metadata refresh (KIP-951). (v10+, tag 0)"""

    def __init__(self, *, index: int = 0, error_code: int = 0, base_offset: int = 0, log_append_time_ms: int = -1, log_start_offset: int = -1, record_errors: list[ProduceRecordError] = UNSET, error_message: str | None = None, current_leader: ProduceLeaderIdAndEpoch = UNSET) -> None:
        self.index = index
        self.error_code = error_code
        self.base_offset = base_offset
        self.log_append_time_ms = log_append_time_ms
        self.log_start_offset = log_start_offset
        self.record_errors = list() if record_errors is UNSET else record_errors
        self.error_message = error_message
        self.current_leader = ProduceLeaderIdAndEpoch() if current_leader is UNSET else current_leader


class ProduceTopicResponse(Message):
    """One entry per topic of the request."""

    __slots__ = ('name', 'topic_id', 'partition_responses',)

    name: str
    """The topic name. (v0-12)"""

    topic_id: uuid.UUID
    """The topic id, which replaces the name from v13 (KIP-516). (v13+)"""

    partition_responses: list[ProducePartitionResponse]
    """One entry per partition of the request."""

    def __init__(self, *, name: str = "", topic_id: uuid.UUID = ZERO_UUID, partition_responses: list[ProducePartitionResponse] = UNSET) -> None:
        self.name = name
        self.topic_id = topic_id
        self.partition_responses = list() if partition_responses is UNSET else partition_responses


class ProduceNodeEndpoint(Message):
    """Endpoints of the leaders named in current_leader (KIP-951)."""

    __slots__ = ('node_id', 'host', 'port', 'rack',)

    node_id: int
    """The broker id. (v10+)"""

    host: str
    """The broker's host name. (v10+)"""

    port: int
    """The broker's port. (v10+)"""

    rack: str | None
    """The broker's rack, or null if it has none. (v10+, nullable v10+)"""

    def __init__(self, *, node_id: int = 0, host: str = "", port: int = 0, rack: str | None = None) -> None:
        self.node_id = node_id
        self.host = host
        self.port = port
        self.rack = rack


class ProduceResponse(Message):
    __slots__ = ('responses', 'throttle_time_ms', 'node_endpoints',)

    responses: list[ProduceTopicResponse]
    """One entry per topic of the request."""

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds. (v1+)"""

    node_endpoints: list[ProduceNodeEndpoint]
    """Endpoints of the leaders named in current_leader (KIP-951). (v10+, tag 0)"""

    def __init__(self, *, responses: list[ProduceTopicResponse] = UNSET, throttle_time_ms: int = 0, node_endpoints: list[ProduceNodeEndpoint] = UNSET) -> None:
        self.responses = list() if responses is UNSET else responses
        self.throttle_time_ms = throttle_time_ms
        self.node_endpoints = list() if node_endpoints is UNSET else node_endpoints


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
        FieldSpec('name', 'string', V(0, 12), default="", ignorable=True),
        FieldSpec('topic_id', 'uuid', V(13, 32767), default=ZERO_UUID, ignorable=True),
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
    valid=V(0, 13),
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
        FieldSpec('name', 'string', V(0, 12), default="", ignorable=True),
        FieldSpec('topic_id', 'uuid', V(13, 32767), default=ZERO_UUID, ignorable=True),
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
    valid=V(0, 13),
    flexible=V(9, 32767),
)


PRODUCE_REQUEST_SPEC: MessageSpec = _PRODUCE_REQUEST
PRODUCE_RESPONSE_SPEC: MessageSpec = _PRODUCE_RESPONSE
