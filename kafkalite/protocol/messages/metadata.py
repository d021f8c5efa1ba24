"""The brokers of the cluster and the topics, partitions and leaders they host. Clients send it
at start-up and whenever a partition error tells them their view is stale.

Generated from protocol/messages/metadata.json by kafkalite.protocol.codegen: do not edit.
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
class MetadataRequestTopic:
    """The topics wanted. From v1 null means every topic and an empty array means none; in v0 an empty array means every topic."""

    topic_id: uuid.UUID = ZERO_UUID
    """The topic id; all zeros when the topic is named. Only v12+ requests look topics up by id. (v10+)"""
    name: str | None = ""
    """The topic name; null when the topic is asked for by id. (nullable v10+)"""


@dataclass(slots=True, kw_only=True)
class MetadataRequest:
    topics: list[MetadataRequestTopic] | None = field(default_factory=list)
    """The topics wanted. From v1 null means every topic and an empty array means none; in v0 an empty array means every topic. (nullable v1+)"""
    allow_auto_topic_creation: bool = True
    """Whether the broker may create missing topics, if its configuration allows it. (v4+)"""
    include_cluster_authorized_operations: bool = False
    """Whether to return the operations the client may perform on the cluster (moved to DescribeCluster in v11, KIP-700). (v8-10)"""
    include_topic_authorized_operations: bool = False
    """Whether to return the operations the client may perform on each topic. (v8+)"""


@dataclass(slots=True, kw_only=True)
class MetadataResponseBroker:
    """The brokers of the cluster."""

    node_id: int = 0
    """The broker id."""
    host: str = ""
    """The host name clients connect to."""
    port: int = 0
    """The port clients connect to."""
    rack: str | None = None
    """The broker's rack, or null if it has none. (v1+, nullable v1+)"""


@dataclass(slots=True, kw_only=True)
class MetadataResponsePartition:
    """The partitions of the topic."""

    error_code: int = 0
    """The partition-level error code, 0 if none."""
    partition_index: int = 0
    """The partition number."""
    leader_id: int = 0
    """The id of the leader broker, or -1 if none."""
    leader_epoch: int = -1
    """The leader epoch of the partition, or -1 if unknown. (v7+)"""
    replica_nodes: list[int] = field(default_factory=list)
    """The ids of every broker holding a replica."""
    isr_nodes: list[int] = field(default_factory=list)
    """The ids of the replicas in sync with the leader."""
    offline_replicas: list[int] = field(default_factory=list)
    """The ids of the replicas that are offline. (v5+)"""


@dataclass(slots=True, kw_only=True)
class MetadataResponseTopic:
    """One entry per topic asked for (or every topic)."""

    error_code: int = 0
    """The topic-level error code, 0 if none."""
    name: str | None = ""
    """The topic name; null only for an unknown topic asked for by id. (nullable v12+)"""
    topic_id: uuid.UUID = ZERO_UUID
    """The topic id; all zeros for an unknown topic asked for by name. (v10+)"""
    is_internal: bool = False
    """Whether the topic is internal, such as __consumer_offsets. (v1+)"""
    partitions: list[MetadataResponsePartition] = field(default_factory=list)
    """The partitions of the topic."""
    topic_authorized_operations: int = -2147483648
    """Bit field of the operations the client may perform on the topic; INT32_MIN when not asked for. (v8+)"""


@dataclass(slots=True, kw_only=True)
class MetadataResponse:
    throttle_time_ms: int = 0
    """How long the request was throttled, in milliseconds. (v3+)"""
    brokers: list[MetadataResponseBroker] = field(default_factory=list)
    """The brokers of the cluster."""
    cluster_id: str | None = None
    """The id of the cluster the broker belongs to. (v2+, nullable v2+)"""
    controller_id: int = -1
    """The id of the controller broker, or -1 if unknown. (v1+)"""
    topics: list[MetadataResponseTopic] = field(default_factory=list)
    """One entry per topic asked for (or every topic)."""
    cluster_authorized_operations: int = -2147483648
    """Bit field of the operations the client may perform on the cluster; INT32_MIN when not asked for. (v8-10)"""


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
    valid=V(0, 12),
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
    ),
    name='MetadataResponse',
    api_key=3,
    valid=V(0, 12),
    flexible=V(9, 32767),
)


METADATA_REQUEST_SPEC: MessageSpec = _METADATA_REQUEST
METADATA_RESPONSE_SPEC: MessageSpec = _METADATA_RESPONSE
