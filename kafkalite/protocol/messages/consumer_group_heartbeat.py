"""The consumer group protocol's single request (KIP-848): joins, keeps alive, reconciles and
leaves a consumer group.

Generated from protocol/messages/consumer_group_heartbeat.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class HeartbeatTopicPartitions(Message):
    """Partitions of one topic, by topic id."""

    __slots__ = ('topic_id', 'partitions',)

    topic_id: uuid.UUID
    """The topic id."""

    partitions: list[int]
    """The partitions."""

    def __init__(self, *, topic_id: uuid.UUID = ZERO_UUID, partitions: list[int] = UNSET) -> None:
        self.topic_id = topic_id
        self.partitions = list() if partitions is UNSET else partitions


class ConsumerGroupHeartbeatRequest(Message):
    __slots__ = ('group_id', 'member_id', 'member_epoch', 'instance_id', 'rack_id', 'rebalance_timeout_ms', 'subscribed_topic_names', 'subscribed_topic_regex', 'server_assignor', 'topic_partitions',)

    group_id: str
    """The group."""

    member_id: str
    """The member id; from v1 the consumer generates it and keeps it for its whole life (KIP-1082)."""

    member_epoch: int
    """The member's current epoch: 0 to join, -1 to leave, -2 for a static member that will come back."""

    instance_id: str | None
    """The static instance id, or null if not given or unchanged. (nullable v0+)"""

    rack_id: str | None
    """The consumer's rack, or null if not given or unchanged. (nullable v0+)"""

    rebalance_timeout_ms: int
    """How long the coordinator waits for the member to revoke partitions, or -1 if unchanged."""

    subscribed_topic_names: list[str] | None
    """The subscribed topics, or null if unchanged. (nullable v0+)"""

    subscribed_topic_regex: str | None
    """The subscribed topic pattern (RE2 syntax), or null if unchanged. (v1+, nullable v1+)"""

    server_assignor: str | None
    """The server-side assignor the member asks for, or null if none or unchanged. (nullable v0+)"""

    topic_partitions: list[HeartbeatTopicPartitions] | None
    """The partitions the member owns, or null if unchanged. (nullable v0+)"""

    def __init__(self, *, group_id: str = "", member_id: str = "", member_epoch: int = 0, instance_id: str | None = None, rack_id: str | None = None, rebalance_timeout_ms: int = -1, subscribed_topic_names: list[str] | None = None, subscribed_topic_regex: str | None = None, server_assignor: str | None = None, topic_partitions: list[HeartbeatTopicPartitions] | None = None) -> None:
        self.group_id = group_id
        self.member_id = member_id
        self.member_epoch = member_epoch
        self.instance_id = instance_id
        self.rack_id = rack_id
        self.rebalance_timeout_ms = rebalance_timeout_ms
        self.subscribed_topic_names = subscribed_topic_names
        self.subscribed_topic_regex = subscribed_topic_regex
        self.server_assignor = server_assignor
        self.topic_partitions = topic_partitions


class HeartbeatAssignment(Message):
    """The member's new assignment, or null if unchanged."""

    __slots__ = ('topic_partitions',)

    topic_partitions: list[HeartbeatTopicPartitions]
    """The partitions the member may use now."""

    def __init__(self, *, topic_partitions: list[HeartbeatTopicPartitions] = UNSET) -> None:
        self.topic_partitions = list() if topic_partitions is UNSET else topic_partitions


class ConsumerGroupHeartbeatResponse(Message):
    __slots__ = ('throttle_time_ms', 'error_code', 'error_message', 'member_id', 'member_epoch', 'heartbeat_interval_ms', 'assignment',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    error_code: int
    """The error code, 0 on success."""

    error_message: str | None
    """A message describing the error, or null. (nullable v0+)"""

    member_id: str | None
    """The member id. (nullable v0+)"""

    member_epoch: int
    """The member's epoch."""

    heartbeat_interval_ms: int
    """How often the member should heartbeat."""

    assignment: HeartbeatAssignment | None
    """The member's new assignment, or null if unchanged. (nullable v0+)"""

    def __init__(self, *, throttle_time_ms: int = 0, error_code: int = 0, error_message: str | None = None, member_id: str | None = None, member_epoch: int = 0, heartbeat_interval_ms: int = 0, assignment: HeartbeatAssignment | None = None) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.error_code = error_code
        self.error_message = error_message
        self.member_id = member_id
        self.member_epoch = member_epoch
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.assignment = assignment


_HEARTBEAT_TOPIC_PARTITIONS = StructSpec(
    HeartbeatTopicPartitions,
    (
        FieldSpec('topic_id', 'uuid', V(0, 32767), default=ZERO_UUID),
        FieldSpec('partitions', 'array', V(0, 32767), of='int32'),
    ),
)


_CONSUMER_GROUP_HEARTBEAT_REQUEST = MessageSpec(
    ConsumerGroupHeartbeatRequest,
    (
        FieldSpec('group_id', 'string', V(0, 32767), default=""),
        FieldSpec('member_id', 'string', V(0, 32767), default=""),
        FieldSpec('member_epoch', 'int32', V(0, 32767), default=0),
        FieldSpec('instance_id', 'string', V(0, 32767), nullable=V(0, 32767)),
        FieldSpec('rack_id', 'string', V(0, 32767), nullable=V(0, 32767)),
        FieldSpec('rebalance_timeout_ms', 'int32', V(0, 32767), default=-1),
        FieldSpec('subscribed_topic_names', 'array', V(0, 32767), nullable=V(0, 32767), of='string'),
        FieldSpec('subscribed_topic_regex', 'string', V(1, 32767), nullable=V(1, 32767)),
        FieldSpec('server_assignor', 'string', V(0, 32767), nullable=V(0, 32767)),
        FieldSpec('topic_partitions', 'array', V(0, 32767), nullable=V(0, 32767), struct=_HEARTBEAT_TOPIC_PARTITIONS),
    ),
    name='ConsumerGroupHeartbeatRequest',
    api_key=68,
    valid=V(0, 1),
    flexible=V(0, 32767),
)


_HEARTBEAT_ASSIGNMENT = StructSpec(
    HeartbeatAssignment,
    (
        FieldSpec('topic_partitions', 'array', V(0, 32767), struct=_HEARTBEAT_TOPIC_PARTITIONS),
    ),
)


_CONSUMER_GROUP_HEARTBEAT_RESPONSE = MessageSpec(
    ConsumerGroupHeartbeatResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(0, 32767)),
        FieldSpec('member_id', 'string', V(0, 32767), nullable=V(0, 32767)),
        FieldSpec('member_epoch', 'int32', V(0, 32767), default=0),
        FieldSpec('heartbeat_interval_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('assignment', 'struct', V(0, 32767), nullable=V(0, 32767), struct=_HEARTBEAT_ASSIGNMENT),
    ),
    name='ConsumerGroupHeartbeatResponse',
    api_key=68,
    valid=V(0, 1),
    flexible=V(0, 32767),
)


CONSUMER_GROUP_HEARTBEAT_REQUEST_SPEC: MessageSpec = _CONSUMER_GROUP_HEARTBEAT_REQUEST
CONSUMER_GROUP_HEARTBEAT_RESPONSE_SPEC: MessageSpec = _CONSUMER_GROUP_HEARTBEAT_RESPONSE
