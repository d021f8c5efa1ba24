"""Describes the producers with state on partitions the broker leads: their epoch, last
sequence and timestamp, and the start offset of any open transaction, so that a hanging
transaction can be found (KIP-664).

Generated from protocol/messages/describe_producers.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class DescribeProducersTopicRequest(Message):
    """The partitions to describe, by topic."""

    __slots__ = ('name', 'partition_indexes',)

    name: str
    """The topic name."""

    partition_indexes: list[int]
    """The partition indexes."""

    def __init__(self, *, name: str = "", partition_indexes: list[int] = UNSET) -> None:
        self.name = name
        self.partition_indexes = list() if partition_indexes is UNSET else partition_indexes


class DescribeProducersRequest(Message):
    __slots__ = ('topics',)

    topics: list[DescribeProducersTopicRequest]
    """The partitions to describe, by topic."""

    def __init__(self, *, topics: list[DescribeProducersTopicRequest] = UNSET) -> None:
        self.topics = list() if topics is UNSET else topics


class ProducerState(Message):
    """The producers with state on the partition."""

    __slots__ = ('producer_id', 'producer_epoch', 'last_sequence', 'last_timestamp', 'coordinator_epoch', 'current_txn_start_offset',)

    producer_id: int
    """The producer id."""

    producer_epoch: int
    """The producer epoch (an int32 here, though epochs are int16 elsewhere)."""

    last_sequence: int
    """The last sequence number the producer wrote, -1 if none."""

    last_timestamp: int
    """The timestamp of the producer's last write, -1 if none."""

    coordinator_epoch: int
    """The epoch of the transaction coordinator that last wrote a marker for the producer."""

    current_txn_start_offset: int
    """The first offset of the producer's open transaction, -1 if none is open."""

    def __init__(self, *, producer_id: int = 0, producer_epoch: int = 0, last_sequence: int = -1, last_timestamp: int = -1, coordinator_epoch: int = 0, current_txn_start_offset: int = -1) -> None:
        self.producer_id = producer_id
        self.producer_epoch = producer_epoch
        self.last_sequence = last_sequence
        self.last_timestamp = last_timestamp
        self.coordinator_epoch = coordinator_epoch
        self.current_txn_start_offset = current_txn_start_offset


class DescribeProducersPartitionResponse(Message):
    """The results, by partition."""

    __slots__ = ('partition_index', 'error_code', 'error_message', 'active_producers',)

    partition_index: int
    """The partition index."""

    error_code: int
    """The error code for the partition, 0 on success."""

    error_message: str | None
    """A message describing the error, or null. (nullable v0+)"""

    active_producers: list[ProducerState]
    """The producers with state on the partition."""

    def __init__(self, *, partition_index: int = 0, error_code: int = 0, error_message: str | None = None, active_producers: list[ProducerState] = UNSET) -> None:
        self.partition_index = partition_index
        self.error_code = error_code
        self.error_message = error_message
        self.active_producers = list() if active_producers is UNSET else active_producers


class DescribeProducersTopicResponse(Message):
    """The results, by topic."""

    __slots__ = ('name', 'partitions',)

    name: str
    """The topic name."""

    partitions: list[DescribeProducersPartitionResponse]
    """The results, by partition."""

    def __init__(self, *, name: str = "", partitions: list[DescribeProducersPartitionResponse] = UNSET) -> None:
        self.name = name
        self.partitions = list() if partitions is UNSET else partitions


class DescribeProducersResponse(Message):
    __slots__ = ('throttle_time_ms', 'topics',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    topics: list[DescribeProducersTopicResponse]
    """The results, by topic."""

    def __init__(self, *, throttle_time_ms: int = 0, topics: list[DescribeProducersTopicResponse] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.topics = list() if topics is UNSET else topics


_DESCRIBE_PRODUCERS_TOPIC_REQUEST = StructSpec(
    DescribeProducersTopicRequest,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('partition_indexes', 'array', V(0, 32767), of='int32'),
    ),
)


_DESCRIBE_PRODUCERS_REQUEST = MessageSpec(
    DescribeProducersRequest,
    (
        FieldSpec('topics', 'array', V(0, 32767), struct=_DESCRIBE_PRODUCERS_TOPIC_REQUEST),
    ),
    name='DescribeProducersRequest',
    api_key=61,
    valid=V(0, 0),
    flexible=V(0, 32767),
)


_PRODUCER_STATE = StructSpec(
    ProducerState,
    (
        FieldSpec('producer_id', 'int64', V(0, 32767), default=0),
        FieldSpec('producer_epoch', 'int32', V(0, 32767), default=0),
        FieldSpec('last_sequence', 'int32', V(0, 32767), default=-1),
        FieldSpec('last_timestamp', 'int64', V(0, 32767), default=-1),
        FieldSpec('coordinator_epoch', 'int32', V(0, 32767), default=0),
        FieldSpec('current_txn_start_offset', 'int64', V(0, 32767), default=-1),
    ),
)


_DESCRIBE_PRODUCERS_PARTITION_RESPONSE = StructSpec(
    DescribeProducersPartitionResponse,
    (
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(0, 32767)),
        FieldSpec('active_producers', 'array', V(0, 32767), struct=_PRODUCER_STATE),
    ),
)


_DESCRIBE_PRODUCERS_TOPIC_RESPONSE = StructSpec(
    DescribeProducersTopicResponse,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_DESCRIBE_PRODUCERS_PARTITION_RESPONSE),
    ),
)


_DESCRIBE_PRODUCERS_RESPONSE = MessageSpec(
    DescribeProducersResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('topics', 'array', V(0, 32767), struct=_DESCRIBE_PRODUCERS_TOPIC_RESPONSE),
    ),
    name='DescribeProducersResponse',
    api_key=61,
    valid=V(0, 0),
    flexible=V(0, 32767),
)


DESCRIBE_PRODUCERS_REQUEST_SPEC: MessageSpec = _DESCRIBE_PRODUCERS_REQUEST
DESCRIBE_PRODUCERS_RESPONSE_SPEC: MessageSpec = _DESCRIBE_PRODUCERS_RESPONSE
