"""The brokers of the cluster and the topics, partitions and leaders they host. Clients send it
at start-up and whenever a partition error tells them their view is stale.

Generated from protocol/messages/metadata.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class MetadataRequestTopic(Message):
    """The topics wanted. From v1 null means every topic and an empty array means none; in v0 an empty array means every topic."""

    __slots__ = ('topic_id', 'name',)

    topic_id: uuid.UUID
    """The topic id; all zeros when the topic is named. Only v12+ requests look topics up by id. (v10+)"""

    name: str | None
    """The topic name; null when the topic is asked for by id. (nullable v10+)"""

    def __init__(self, *, topic_id: uuid.UUID = ZERO_UUID, name: str | None = "") -> None:
        self.topic_id = topic_id
        self.name = name


class MetadataRequest(Message):
    __slots__ = ('topics', 'allow_auto_topic_creation', 'include_cluster_authorized_operations', 'include_topic_authorized_operations',)

    topics: list[MetadataRequestTopic] | None
    """The topics wanted. From v1 null means every topic and an empty array means none; in v0 an empty array means every topic. (nullable v1+)"""

    allow_auto_topic_creation: bool
    """Whether the broker may create missing topics, if its configuration allows it. (v4+)"""

    include_cluster_authorized_operations: bool
    """Whether to return the operations the client may perform on the cluster (moved to DescribeCluster in v11, KIP-700). (v8-10)"""

    include_topic_authorized_operations: bool
    """Whether to return the operations the client may perform on each topic. (v8+)"""

    def __init__(self, *, topics: list[MetadataRequestTopic] | None = UNSET, allow_auto_topic_creation: bool = True, include_cluster_authorized_operations: bool = False, include_topic_authorized_operations: bool = False) -> None:
        self.topics = list() if topics is UNSET else topics
        self.allow_auto_topic_creation = allow_auto_topic_creation
        self.include_cluster_authorized_operations = include_cluster_authorized_operations
        self.include_topic_authorized_operations = include_topic_authorized_operations


class MetadataResponseBroker(Message):
    """The brokers of the cluster."""

    __slots__ = ('node_id', 'host', 'port', 'rack',)

    node_id: int
    """The broker id."""

    host: str
    """The host name clients connect to."""

    port: int
    """The port clients connect to."""

    rack: str | None
    """The broker's rack, or null if it has none. (v1+, nullable v1+)"""

    def __init__(self, *, node_id: int = 0, host: str = "", port: int = 0, rack: str | None = None) -> None:
        self.node_id = node_id
        self.host = host
        self.port = port
        self.rack = rack


class MetadataResponsePartition(Message):
    """The partitions of the topic."""

    __slots__ = ('error_code', 'partition_index', 'leader_id', 'leader_epoch', 'replica_nodes', 'isr_nodes', 'offline_replicas',)

    error_code: int
    """The partition-level error code, 0 if none."""

    partition_index: int
    """The partition number."""

    leader_id: int
    """The id of the leader broker, or -1 if none."""

    leader_epoch: int
    """The leader epoch of the partition, or -1 if unknown. (v7+)"""

    replica_nodes: list[int]
    """The ids of every broker holding a replica."""

    isr_nodes: list[int]
    """The ids of the replicas in sync with the leader."""

    offline_replicas: list[int]
    """The ids of the replicas that are offline. (v5+)"""

    def __init__(self, *, error_code: int = 0, partition_index: int = 0, leader_id: int = 0, leader_epoch: int = -1, replica_nodes: list[int] = UNSET, isr_nodes: list[int] = UNSET, offline_replicas: list[int] = UNSET) -> None:
        self.error_code = error_code
        self.partition_index = partition_index
        self.leader_id = leader_id
        self.leader_epoch = leader_epoch
        self.replica_nodes = list() if replica_nodes is UNSET else replica_nodes
        self.isr_nodes = list() if isr_nodes is UNSET else isr_nodes
        self.offline_replicas = list() if offline_replicas is UNSET else offline_replicas


class MetadataResponseTopic(Message):
    """One entry per topic asked for (or every topic)."""

    __slots__ = ('error_code', 'name', 'topic_id', 'is_internal', 'partitions', 'topic_authorized_operations',)

    error_code: int
    """The topic-level error code, 0 if none."""

    name: str | None
    """The topic name; null only for an unknown topic asked for by id. (nullable v12+)"""

    topic_id: uuid.UUID
    """The topic id; all zeros for an unknown topic asked for by name. (v10+)"""

    is_internal: bool
    """Whether the topic is internal, such as __consumer_offsets. (v1+)"""

    partitions: list[MetadataResponsePartition]
    """The partitions of the topic."""

    topic_authorized_operations: int
    """Bit field of the operations the client may perform on the topic; INT32_MIN when not asked for. (v8+)"""

    def __init__(self, *, error_code: int = 0, name: str | None = "", topic_id: uuid.UUID = ZERO_UUID, is_internal: bool = False, partitions: list[MetadataResponsePartition] = UNSET, topic_authorized_operations: int = -2147483648) -> None:
        self.error_code = error_code
        self.name = name
        self.topic_id = topic_id
        self.is_internal = is_internal
        self.partitions = list() if partitions is UNSET else partitions
        self.topic_authorized_operations = topic_authorized_operations


class MetadataResponse(Message):
    __slots__ = ('throttle_time_ms', 'brokers', 'cluster_id', 'controller_id', 'topics', 'cluster_authorized_operations', 'error_code',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds. (v3+)"""

    brokers: list[MetadataResponseBroker]
    """The brokers of the cluster."""

    cluster_id: str | None
    """The id of the cluster the broker belongs to. (v2+, nullable v2+)"""

    controller_id: int
    """The id of the controller broker, or -1 if unknown. (v1+)"""

    topics: list[MetadataResponseTopic]
    """One entry per topic asked for (or every topic)."""

    cluster_authorized_operations: int
    """Bit field of the operations the client may perform on the cluster; INT32_MIN when not asked for. (v8-10)"""

    error_code: int
    """The request-level error code, 0 if none (v13+). (v13+)"""

    def __init__(self, *, throttle_time_ms: int = 0, brokers: list[MetadataResponseBroker] = UNSET, cluster_id: str | None = None, controller_id: int = -1, topics: list[MetadataResponseTopic] = UNSET, cluster_authorized_operations: int = -2147483648, error_code: int = 0) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.brokers = list() if brokers is UNSET else brokers
        self.cluster_id = cluster_id
        self.controller_id = controller_id
        self.topics = list() if topics is UNSET else topics
        self.cluster_authorized_operations = cluster_authorized_operations
        self.error_code = error_code


_METADATA_REQUEST_TOPIC = StructSpec(
    MetadataRequestTopic,
    (
        FieldSpec('topic_id', 'uuid', V(10, 32767), default=ZERO_UUID, ignorable=True),
        FieldSpec('name', 'string', V(0, 32767), nullable=V(10, 32767), default=""),
    ),
)


_METADATA_REQUEST = MessageSpec(
    MetadataRequest,
    (
        FieldSpec('topics', 'array', V(0, 32767), nullable=V(1, 32767), struct=_METADATA_REQUEST_TOPIC),
        FieldSpec('allow_auto_topic_creation', 'bool', V(4, 32767), default=True),
        FieldSpec('include_cluster_authorized_operations', 'bool', V(8, 10), default=False),
        FieldSpec('include_topic_authorized_operations', 'bool', V(8, 32767), default=False),
    ),
    name='MetadataRequest',
    api_key=3,
    valid=V(0, 13),
    flexible=V(9, 32767),
)


_METADATA_RESPONSE_BROKER = StructSpec(
    MetadataResponseBroker,
    (
        FieldSpec('node_id', 'int32', V(0, 32767), default=0),
        FieldSpec('host', 'string', V(0, 32767), default=""),
        FieldSpec('port', 'int32', V(0, 32767), default=0),
        FieldSpec('rack', 'string', V(1, 32767), nullable=V(1, 32767), ignorable=True),
    ),
)


_METADATA_RESPONSE_PARTITION = StructSpec(
    MetadataResponsePartition,
    (
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
        FieldSpec('leader_id', 'int32', V(0, 32767), default=0),
        FieldSpec('leader_epoch', 'int32', V(7, 32767), default=-1, ignorable=True),
        FieldSpec('replica_nodes', 'array', V(0, 32767), of='int32'),
        FieldSpec('isr_nodes', 'array', V(0, 32767), of='int32'),
        FieldSpec('offline_replicas', 'array', V(5, 32767), ignorable=True, of='int32'),
    ),
)


_METADATA_RESPONSE_TOPIC = StructSpec(
    MetadataResponseTopic,
    (
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('name', 'string', V(0, 32767), nullable=V(12, 32767), default=""),
        FieldSpec('topic_id', 'uuid', V(10, 32767), default=ZERO_UUID, ignorable=True),
        FieldSpec('is_internal', 'bool', V(1, 32767), default=False, ignorable=True),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_METADATA_RESPONSE_PARTITION),
        FieldSpec('topic_authorized_operations', 'int32', V(8, 32767), default=-2147483648),
    ),
)


_METADATA_RESPONSE = MessageSpec(
    MetadataResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(3, 32767), default=0, ignorable=True),
        FieldSpec('brokers', 'array', V(0, 32767), struct=_METADATA_RESPONSE_BROKER),
        FieldSpec('cluster_id', 'string', V(2, 32767), nullable=V(2, 32767), ignorable=True),
        FieldSpec('controller_id', 'int32', V(1, 32767), default=-1, ignorable=True),
        FieldSpec('topics', 'array', V(0, 32767), struct=_METADATA_RESPONSE_TOPIC),
        FieldSpec('cluster_authorized_operations', 'int32', V(8, 10), default=-2147483648),
        FieldSpec('error_code', 'int16', V(13, 32767), default=0, ignorable=True),
    ),
    name='MetadataResponse',
    api_key=3,
    valid=V(0, 13),
    flexible=V(9, 32767),
)


METADATA_REQUEST_SPEC: MessageSpec = _METADATA_REQUEST
METADATA_RESPONSE_SPEC: MessageSpec = _METADATA_RESPONSE
