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
from dataclasses import dataclass, field

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


@dataclass(slots=True, kw_only=True)
class OwnedTopicPartitions:
    """The partitions the member owns now (cooperative rebalancing, KIP-429)."""

    topic: str = ""
    """The topic name. (v1+)"""
    partitions: list[int] = field(default_factory=list)
    """The partition numbers. (v1+)"""


@dataclass(slots=True, kw_only=True)
class ConsumerProtocolSubscription:
    topics: list[str] = field(default_factory=list)
    """The topics the member subscribes to."""
    user_data: bytes | None = None
    """Assignor-specific data, passed to the group leader unchanged. (nullable v0+)"""
    owned_partitions: list[OwnedTopicPartitions] = field(default_factory=list)
    """The partitions the member owns now (cooperative rebalancing, KIP-429). (v1+)"""
    generation_id: int = -1
    """The generation the member last took part in, or -1 (KIP-792). (v2+)"""
    rack_id: str | None = None
    """The member's rack, or null (rack-aware assignment, KIP-881). (v3+, nullable v3+)"""


@dataclass(slots=True, kw_only=True)
class AssignedTopicPartitions:
    """The partitions assigned to the member."""

    topic: str = ""
    """The topic name."""
    partitions: list[int] = field(default_factory=list)
    """The partition numbers."""


@dataclass(slots=True, kw_only=True)
class ConsumerProtocolAssignment:
    assigned_partitions: list[AssignedTopicPartitions] = field(default_factory=list)
    """The partitions assigned to the member."""
    user_data: bytes | None = None
    """Assignor-specific data from the group leader. (nullable v0+)"""


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
