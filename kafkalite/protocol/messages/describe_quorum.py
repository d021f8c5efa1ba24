"""Describes the KRaft metadata quorum: its leader, voters and observers.

Generated from protocol/messages/describe_quorum.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class DescribeQuorumPartitionRequest(Message):
    """The partitions."""

    __slots__ = ('partition_index',)

    partition_index: int
    """The partition index."""

    def __init__(self, *, partition_index: int = 0) -> None:
        self.partition_index = partition_index


class DescribeQuorumTopicRequest(Message):
    """The topics (the metadata topic __cluster_metadata)."""

    __slots__ = ('topic_name', 'partitions',)

    topic_name: str
    """The topic name."""

    partitions: list[DescribeQuorumPartitionRequest]
    """The partitions."""

    def __init__(self, *, topic_name: str = "", partitions: list[DescribeQuorumPartitionRequest] = UNSET) -> None:
        self.topic_name = topic_name
        self.partitions = list() if partitions is UNSET else partitions


class DescribeQuorumRequest(Message):
    __slots__ = ('topics',)

    topics: list[DescribeQuorumTopicRequest]
    """The topics (the metadata topic __cluster_metadata)."""

    def __init__(self, *, topics: list[DescribeQuorumTopicRequest] = UNSET) -> None:
        self.topics = list() if topics is UNSET else topics


class ReplicaState(Message):
    """The voters."""

    __slots__ = ('replica_id', 'replica_directory_id', 'log_end_offset', 'last_fetch_timestamp', 'last_caught_up_timestamp',)

    replica_id: int
    """The replica's node id."""

    replica_directory_id: uuid.UUID
    """The replica's metadata log directory id (KIP-853). (v2+)"""

    log_end_offset: int
    """The replica's log end offset."""

    last_fetch_timestamp: int
    """When the replica last fetched, in ms since the epoch; -1 if unknown. (v1+)"""

    last_caught_up_timestamp: int
    """When the replica last caught up, in ms since the epoch; -1 if unknown. (v1+)"""

    def __init__(self, *, replica_id: int = 0, replica_directory_id: uuid.UUID = ZERO_UUID, log_end_offset: int = 0, last_fetch_timestamp: int = -1, last_caught_up_timestamp: int = -1) -> None:
        self.replica_id = replica_id
        self.replica_directory_id = replica_directory_id
        self.log_end_offset = log_end_offset
        self.last_fetch_timestamp = last_fetch_timestamp
        self.last_caught_up_timestamp = last_caught_up_timestamp


class DescribeQuorumPartitionResponse(Message):
    """The partitions."""

    __slots__ = ('partition_index', 'error_code', 'error_message', 'leader_id', 'leader_epoch', 'high_watermark', 'current_voters', 'observers',)

    partition_index: int
    """The partition index."""

    error_code: int
    """The partition error code, 0 on success."""

    error_message: str | None
    """A message describing the error, or null. (v2+, nullable v2+)"""

    leader_id: int
    """The quorum leader's id."""

    leader_epoch: int
    """The quorum's epoch."""

    high_watermark: int
    """The metadata log's high watermark."""

    current_voters: list[ReplicaState]
    """The voters."""

    observers: list[ReplicaState]
    """The observers."""

    def __init__(self, *, partition_index: int = 0, error_code: int = 0, error_message: str | None = None, leader_id: int = 0, leader_epoch: int = 0, high_watermark: int = 0, current_voters: list[ReplicaState] = UNSET, observers: list[ReplicaState] = UNSET) -> None:
        self.partition_index = partition_index
        self.error_code = error_code
        self.error_message = error_message
        self.leader_id = leader_id
        self.leader_epoch = leader_epoch
        self.high_watermark = high_watermark
        self.current_voters = list() if current_voters is UNSET else current_voters
        self.observers = list() if observers is UNSET else observers


class DescribeQuorumTopicResponse(Message):
    """The topics."""

    __slots__ = ('topic_name', 'partitions',)

    topic_name: str
    """The topic name."""

    partitions: list[DescribeQuorumPartitionResponse]
    """The partitions."""

    def __init__(self, *, topic_name: str = "", partitions: list[DescribeQuorumPartitionResponse] = UNSET) -> None:
        self.topic_name = topic_name
        self.partitions = list() if partitions is UNSET else partitions


class DescribeQuorumListener(Message):
    """The node's controller listeners."""

    __slots__ = ('name', 'host', 'port',)

    name: str
    """The listener name."""

    host: str
    """The host name."""

    port: int
    """The port."""

    def __init__(self, *, name: str = "", host: str = "", port: int = 0) -> None:
        self.name = name
        self.host = host
        self.port = port


class DescribeQuorumNode(Message):
    """The voters' endpoints (KIP-853)."""

    __slots__ = ('node_id', 'listeners',)

    node_id: int
    """The node id."""

    listeners: list[DescribeQuorumListener]
    """The node's controller listeners."""

    def __init__(self, *, node_id: int = 0, listeners: list[DescribeQuorumListener] = UNSET) -> None:
        self.node_id = node_id
        self.listeners = list() if listeners is UNSET else listeners


class DescribeQuorumResponse(Message):
    __slots__ = ('error_code', 'error_message', 'topics', 'nodes',)

    error_code: int
    """The top-level error code, 0 on success."""

    error_message: str | None
    """A message describing the error, or null. (v2+, nullable v2+)"""

    topics: list[DescribeQuorumTopicResponse]
    """The topics."""

    nodes: list[DescribeQuorumNode]
    """The voters' endpoints (KIP-853). (v2+)"""

    def __init__(self, *, error_code: int = 0, error_message: str | None = None, topics: list[DescribeQuorumTopicResponse] = UNSET, nodes: list[DescribeQuorumNode] = UNSET) -> None:
        self.error_code = error_code
        self.error_message = error_message
        self.topics = list() if topics is UNSET else topics
        self.nodes = list() if nodes is UNSET else nodes


_DESCRIBE_QUORUM_PARTITION_REQUEST = StructSpec(
    DescribeQuorumPartitionRequest,
    (
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
    ),
)


_DESCRIBE_QUORUM_TOPIC_REQUEST = StructSpec(
    DescribeQuorumTopicRequest,
    (
        FieldSpec('topic_name', 'string', V(0, 32767), default=""),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_DESCRIBE_QUORUM_PARTITION_REQUEST),
    ),
)


_DESCRIBE_QUORUM_REQUEST = MessageSpec(
    DescribeQuorumRequest,
    (
        FieldSpec('topics', 'array', V(0, 32767), struct=_DESCRIBE_QUORUM_TOPIC_REQUEST),
    ),
    name='DescribeQuorumRequest',
    api_key=55,
    valid=V(0, 2),
    flexible=V(0, 32767),
)


_REPLICA_STATE = StructSpec(
    ReplicaState,
    (
        FieldSpec('replica_id', 'int32', V(0, 32767), default=0),
        FieldSpec('replica_directory_id', 'uuid', V(2, 32767), default=ZERO_UUID),
        FieldSpec('log_end_offset', 'int64', V(0, 32767), default=0),
        FieldSpec('last_fetch_timestamp', 'int64', V(1, 32767), default=-1, ignorable=True),
        FieldSpec('last_caught_up_timestamp', 'int64', V(1, 32767), default=-1, ignorable=True),
    ),
)


_DESCRIBE_QUORUM_PARTITION_RESPONSE = StructSpec(
    DescribeQuorumPartitionResponse,
    (
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(2, 32767), nullable=V(2, 32767), ignorable=True),
        FieldSpec('leader_id', 'int32', V(0, 32767), default=0),
        FieldSpec('leader_epoch', 'int32', V(0, 32767), default=0),
        FieldSpec('high_watermark', 'int64', V(0, 32767), default=0),
        FieldSpec('current_voters', 'array', V(0, 32767), struct=_REPLICA_STATE),
        FieldSpec('observers', 'array', V(0, 32767), struct=_REPLICA_STATE),
    ),
)


_DESCRIBE_QUORUM_TOPIC_RESPONSE = StructSpec(
    DescribeQuorumTopicResponse,
    (
        FieldSpec('topic_name', 'string', V(0, 32767), default=""),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_DESCRIBE_QUORUM_PARTITION_RESPONSE),
    ),
)


_DESCRIBE_QUORUM_LISTENER = StructSpec(
    DescribeQuorumListener,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('host', 'string', V(0, 32767), default=""),
        FieldSpec('port', 'uint16', V(0, 32767), default=0),
    ),
)


_DESCRIBE_QUORUM_NODE = StructSpec(
    DescribeQuorumNode,
    (
        FieldSpec('node_id', 'int32', V(0, 32767), default=0),
        FieldSpec('listeners', 'array', V(0, 32767), struct=_DESCRIBE_QUORUM_LISTENER),
    ),
)


_DESCRIBE_QUORUM_RESPONSE = MessageSpec(
    DescribeQuorumResponse,
    (
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(2, 32767), nullable=V(2, 32767), ignorable=True),
        FieldSpec('topics', 'array', V(0, 32767), struct=_DESCRIBE_QUORUM_TOPIC_RESPONSE),
        FieldSpec('nodes', 'array', V(2, 32767), struct=_DESCRIBE_QUORUM_NODE),
    ),
    name='DescribeQuorumResponse',
    api_key=55,
    valid=V(0, 2),
    flexible=V(0, 32767),
)


DESCRIBE_QUORUM_REQUEST_SPEC: MessageSpec = _DESCRIBE_QUORUM_REQUEST
DESCRIBE_QUORUM_RESPONSE_SPEC: MessageSpec = _DESCRIBE_QUORUM_RESPONSE
