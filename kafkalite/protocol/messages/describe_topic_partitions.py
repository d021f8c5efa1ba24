"""Describes topics and their partitions, a page at a time (KIP-966).

Generated from protocol/messages/describe_topic_partitions.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class DescribeTopicPartitionsTopicRequest(Message):
    """The topics to describe; empty for every topic."""

    __slots__ = ('name',)

    name: str
    """The topic name."""

    def __init__(self, *, name: str = "") -> None:
        self.name = name


class DescribeTopicPartitionsCursor(Message):
    """Where to start: the first topic and partition to answer, or null."""

    __slots__ = ('topic_name', 'partition_index',)

    topic_name: str
    """The topic name."""

    partition_index: int
    """The partition index."""

    def __init__(self, *, topic_name: str = "", partition_index: int = 0) -> None:
        self.topic_name = topic_name
        self.partition_index = partition_index


class DescribeTopicPartitionsRequest(Message):
    __slots__ = ('topics', 'response_partition_limit', 'cursor',)

    topics: list[DescribeTopicPartitionsTopicRequest]
    """The topics to describe; empty for every topic."""

    response_partition_limit: int
    """The most partitions to answer."""

    cursor: DescribeTopicPartitionsCursor | None
    """Where to start: the first topic and partition to answer, or null. (nullable v0+)"""

    def __init__(self, *, topics: list[DescribeTopicPartitionsTopicRequest] = UNSET, response_partition_limit: int = 2000, cursor: DescribeTopicPartitionsCursor | None = None) -> None:
        self.topics = list() if topics is UNSET else topics
        self.response_partition_limit = response_partition_limit
        self.cursor = cursor


class DescribeTopicPartitionsResponsePartition(Message):
    """The partitions of this page."""

    __slots__ = ('error_code', 'partition_index', 'leader_id', 'leader_epoch', 'replica_nodes', 'isr_nodes', 'eligible_leader_replicas', 'last_known_elr', 'offline_replicas',)

    error_code: int
    """The partition error code, 0 on success."""

    partition_index: int
    """The partition index."""

    leader_id: int
    """The leader's node id, -1 if none."""

    leader_epoch: int
    """The leader epoch."""

    replica_nodes: list[int]
    """The replicas."""

    isr_nodes: list[int]
    """The in-sync replicas."""

    eligible_leader_replicas: list[int] | None
    """Replicas eligible to lead under ELR (KIP-966), or null. (nullable v0+)"""

    last_known_elr: list[int] | None
    """The last known eligible leader replicas, or null. (nullable v0+)"""

    offline_replicas: list[int]
    """The replicas that are offline."""

    def __init__(self, *, error_code: int = 0, partition_index: int = 0, leader_id: int = 0, leader_epoch: int = -1, replica_nodes: list[int] = UNSET, isr_nodes: list[int] = UNSET, eligible_leader_replicas: list[int] | None = None, last_known_elr: list[int] | None = None, offline_replicas: list[int] = UNSET) -> None:
        self.error_code = error_code
        self.partition_index = partition_index
        self.leader_id = leader_id
        self.leader_epoch = leader_epoch
        self.replica_nodes = list() if replica_nodes is UNSET else replica_nodes
        self.isr_nodes = list() if isr_nodes is UNSET else isr_nodes
        self.eligible_leader_replicas = eligible_leader_replicas
        self.last_known_elr = last_known_elr
        self.offline_replicas = list() if offline_replicas is UNSET else offline_replicas


class DescribeTopicPartitionsResponseTopic(Message):
    """The topics."""

    __slots__ = ('error_code', 'name', 'topic_id', 'is_internal', 'partitions', 'topic_authorized_operations',)

    error_code: int
    """The topic error code, 0 on success."""

    name: str | None
    """The topic name. (nullable v0+)"""

    topic_id: uuid.UUID
    """The topic id."""

    is_internal: bool
    """Whether the topic is internal."""

    partitions: list[DescribeTopicPartitionsResponsePartition]
    """The partitions of this page."""

    topic_authorized_operations: int
    """A bit field of the operations the caller may perform on the topic."""

    def __init__(self, *, error_code: int = 0, name: str | None = None, topic_id: uuid.UUID = ZERO_UUID, is_internal: bool = False, partitions: list[DescribeTopicPartitionsResponsePartition] = UNSET, topic_authorized_operations: int = -2147483648) -> None:
        self.error_code = error_code
        self.name = name
        self.topic_id = topic_id
        self.is_internal = is_internal
        self.partitions = list() if partitions is UNSET else partitions
        self.topic_authorized_operations = topic_authorized_operations


class DescribeTopicPartitionsResponse(Message):
    __slots__ = ('throttle_time_ms', 'topics', 'next_cursor',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    topics: list[DescribeTopicPartitionsResponseTopic]
    """The topics."""

    next_cursor: DescribeTopicPartitionsCursor | None
    """Where the next page starts, or null after the last page. (nullable v0+)"""

    def __init__(self, *, throttle_time_ms: int = 0, topics: list[DescribeTopicPartitionsResponseTopic] = UNSET, next_cursor: DescribeTopicPartitionsCursor | None = None) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.topics = list() if topics is UNSET else topics
        self.next_cursor = next_cursor


_DESCRIBE_TOPIC_PARTITIONS_TOPIC_REQUEST = StructSpec(
    DescribeTopicPartitionsTopicRequest,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
    ),
)


_DESCRIBE_TOPIC_PARTITIONS_CURSOR = StructSpec(
    DescribeTopicPartitionsCursor,
    (
        FieldSpec('topic_name', 'string', V(0, 32767), default=""),
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
    ),
)


_DESCRIBE_TOPIC_PARTITIONS_REQUEST = MessageSpec(
    DescribeTopicPartitionsRequest,
    (
        FieldSpec('topics', 'array', V(0, 32767), struct=_DESCRIBE_TOPIC_PARTITIONS_TOPIC_REQUEST),
        FieldSpec('response_partition_limit', 'int32', V(0, 32767), default=2000),
        FieldSpec('cursor', 'struct', V(0, 32767), nullable=V(0, 32767), struct=_DESCRIBE_TOPIC_PARTITIONS_CURSOR),
    ),
    name='DescribeTopicPartitionsRequest',
    api_key=75,
    valid=V(0, 0),
    flexible=V(0, 32767),
)


_DESCRIBE_TOPIC_PARTITIONS_RESPONSE_PARTITION = StructSpec(
    DescribeTopicPartitionsResponsePartition,
    (
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
        FieldSpec('leader_id', 'int32', V(0, 32767), default=0),
        FieldSpec('leader_epoch', 'int32', V(0, 32767), default=-1, ignorable=True),
        FieldSpec('replica_nodes', 'array', V(0, 32767), of='int32'),
        FieldSpec('isr_nodes', 'array', V(0, 32767), of='int32'),
        FieldSpec('eligible_leader_replicas', 'array', V(0, 32767), nullable=V(0, 32767), of='int32'),
        FieldSpec('last_known_elr', 'array', V(0, 32767), nullable=V(0, 32767), of='int32'),
        FieldSpec('offline_replicas', 'array', V(0, 32767), ignorable=True, of='int32'),
    ),
)


_DESCRIBE_TOPIC_PARTITIONS_RESPONSE_TOPIC = StructSpec(
    DescribeTopicPartitionsResponseTopic,
    (
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('name', 'string', V(0, 32767), nullable=V(0, 32767)),
        FieldSpec('topic_id', 'uuid', V(0, 32767), default=ZERO_UUID, ignorable=True),
        FieldSpec('is_internal', 'bool', V(0, 32767), default=False, ignorable=True),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_DESCRIBE_TOPIC_PARTITIONS_RESPONSE_PARTITION),
        FieldSpec('topic_authorized_operations', 'int32', V(0, 32767), default=-2147483648),
    ),
)


_DESCRIBE_TOPIC_PARTITIONS_RESPONSE = MessageSpec(
    DescribeTopicPartitionsResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0, ignorable=True),
        FieldSpec('topics', 'array', V(0, 32767), struct=_DESCRIBE_TOPIC_PARTITIONS_RESPONSE_TOPIC),
        FieldSpec('next_cursor', 'struct', V(0, 32767), nullable=V(0, 32767), struct=_DESCRIBE_TOPIC_PARTITIONS_CURSOR),
    ),
    name='DescribeTopicPartitionsResponse',
    api_key=75,
    valid=V(0, 0),
    flexible=V(0, 32767),
)


DESCRIBE_TOPIC_PARTITIONS_REQUEST_SPEC: MessageSpec = _DESCRIBE_TOPIC_PARTITIONS_REQUEST
DESCRIBE_TOPIC_PARTITIONS_RESPONSE_SPEC: MessageSpec = _DESCRIBE_TOPIC_PARTITIONS_RESPONSE
