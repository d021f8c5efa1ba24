"""The opaque byte blobs of the classic consumer group protocol (protocol type "consumer"): a
member's subscription, carried in JoinGroup protocols[].metadata, and the leader's
assignment for a member, carried in SyncGroup assignments[].assignment and returned to the
member. Each blob starts with its int16 version. The broker passes the blobs through
unchanged; these classes let it read them when it needs their contents.

Generated from protocol/messages/_consumer_protocol.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class OwnedTopicPartitions(Message):
    """The partitions the member owns now (cooperative rebalancing, KIP-429)."""

    __slots__ = ('topic', 'partitions',)

    topic: str
    """The topic name. (v1+)"""

    partitions: list[int]
    """The partition numbers. (v1+)"""

    def __init__(self, *, topic: str = "", partitions: list[int] = UNSET) -> None:
        self.topic = topic
        self.partitions = list() if partitions is UNSET else partitions


class ConsumerProtocolSubscription(Message):
    __slots__ = ('topics', 'user_data', 'owned_partitions', 'generation_id', 'rack_id',)

    topics: list[str]
    """The topics the member subscribes to."""

    user_data: bytes | None
    """Assignor-specific data, passed to the group leader unchanged. (nullable v0+)"""

    owned_partitions: list[OwnedTopicPartitions]
    """The partitions the member owns now (cooperative rebalancing, KIP-429). (v1+)"""

    generation_id: int
    """The generation the member last took part in, or -1 (KIP-792). (v2+)"""

    rack_id: str | None
    """The member's rack, or null (rack-aware assignment, KIP-881). (v3+, nullable v3+)"""

    def __init__(self, *, topics: list[str] = UNSET, user_data: bytes | None = None, owned_partitions: list[OwnedTopicPartitions] = UNSET, generation_id: int = -1, rack_id: str | None = None) -> None:
        self.topics = list() if topics is UNSET else topics
        self.user_data = user_data
        self.owned_partitions = list() if owned_partitions is UNSET else owned_partitions
        self.generation_id = generation_id
        self.rack_id = rack_id


class AssignedTopicPartitions(Message):
    """The partitions assigned to the member."""

    __slots__ = ('topic', 'partitions',)

    topic: str
    """The topic name."""

    partitions: list[int]
    """The partition numbers."""

    def __init__(self, *, topic: str = "", partitions: list[int] = UNSET) -> None:
        self.topic = topic
        self.partitions = list() if partitions is UNSET else partitions


class ConsumerProtocolAssignment(Message):
    __slots__ = ('assigned_partitions', 'user_data',)

    assigned_partitions: list[AssignedTopicPartitions]
    """The partitions assigned to the member."""

    user_data: bytes | None
    """Assignor-specific data from the group leader. (nullable v0+)"""

    def __init__(self, *, assigned_partitions: list[AssignedTopicPartitions] = UNSET, user_data: bytes | None = None) -> None:
        self.assigned_partitions = list() if assigned_partitions is UNSET else assigned_partitions
        self.user_data = user_data


_OWNED_TOPIC_PARTITIONS = StructSpec(
    OwnedTopicPartitions,
    (
        FieldSpec('topic', 'string', V(1, 32767), default=""),
        FieldSpec('partitions', 'array', V(1, 32767), of='int32'),
    ),
)


_CONSUMER_PROTOCOL_SUBSCRIPTION = MessageSpec(
    ConsumerProtocolSubscription,
    (
        FieldSpec('topics', 'array', V(0, 32767), of='string'),
        FieldSpec('user_data', 'bytes', V(0, 32767), nullable=V(0, 32767)),
        FieldSpec('owned_partitions', 'array', V(1, 32767), ignorable=True, struct=_OWNED_TOPIC_PARTITIONS),
        FieldSpec('generation_id', 'int32', V(2, 32767), default=-1, ignorable=True),
        FieldSpec('rack_id', 'string', V(3, 32767), nullable=V(3, 32767), ignorable=True),
    ),
    name='ConsumerProtocolSubscription',
    api_key=-1,
    valid=V(0, 3),
    flexible=V(1, 0),
)


_ASSIGNED_TOPIC_PARTITIONS = StructSpec(
    AssignedTopicPartitions,
    (
        FieldSpec('topic', 'string', V(0, 32767), default=""),
        FieldSpec('partitions', 'array', V(0, 32767), of='int32'),
    ),
)


_CONSUMER_PROTOCOL_ASSIGNMENT = MessageSpec(
    ConsumerProtocolAssignment,
    (
        FieldSpec('assigned_partitions', 'array', V(0, 32767), struct=_ASSIGNED_TOPIC_PARTITIONS),
        FieldSpec('user_data', 'bytes', V(0, 32767), nullable=V(0, 32767)),
    ),
    name='ConsumerProtocolAssignment',
    api_key=-1,
    valid=V(0, 3),
    flexible=V(1, 0),
)


CONSUMER_PROTOCOL_ASSIGNMENT_SPEC: MessageSpec = _CONSUMER_PROTOCOL_ASSIGNMENT
CONSUMER_PROTOCOL_SUBSCRIPTION_SPEC: MessageSpec = _CONSUMER_PROTOCOL_SUBSCRIPTION
