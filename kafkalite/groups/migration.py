"""Online migration between the classic and the consumer group protocols (KIP-848).

Kafka's rules (``GroupMetadataManager``, ``ConsumerGroup.fromClassicGroup``,
``ClassicGroup.fromConsumerGroup``), governed by ``group.consumer.migration.policy``
(``bidirectional``, ``upgrade``, ``downgrade`` or ``disabled``):

- Upgrade: a ConsumerGroupHeartbeat that joins a classic group with members turns it
  into a consumer group when upgrades are allowed, the group uses the "consumer"
  embedded protocol, and it has no more members than ``group.consumer.max.size``. The
  group epoch and every member's epoch become the classic generation; each classic
  member keeps the partitions of its last assignment, which is also its target, and
  stays a member that speaks the classic protocol (its session timeout and protocols
  are kept as its ``ClassicMemberMetadata``). Requests parked in a rebalance answer
  REBALANCE_IN_PROGRESS. Otherwise the heartbeat answers GROUP_ID_NOT_FOUND.
- Downgrade: when members leave or are fenced (a ConsumerGroupHeartbeat or LeaveGroup, a
  timeout) and only members of the classic protocol remain, the group becomes a
  classic group again if downgrades are allowed and the rest fits ``group.max.size``:
  its generation is the group epoch, the leader the first member, each member's
  assignment its target assignment (in the version of its subscription), and a
  rebalance starts at once. A static member of the classic protocol that replaces the
  last member of the consumer protocol downgrades the group too: without a rebalance
  when its subscription is its predecessor's, else the group epoch stays and a rebalance
  starts (KAFKA-19546, Kafka 4.0.2/4.1.1/4.2).
- A classic member whose subscription does not parse gets UNKNOWN_SERVER_ERROR, as
  Kafka's ``deserializeSubscription`` failing with an IllegalStateException answers.
- A classic group is not upgraded while an assignment carries user data: a custom
  client-side assignor is in use, which the server-side assignors cannot stand in for.

The ``ConsumerProtocol`` blobs (subscription and assignment) are read and written here:
the coordinator needs the topics and owned partitions of a classic subscription, and
hands a classic member its partitions as an assignment blob.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from kafkalite.protocol.codec import decode, encode_bytes
from kafkalite.protocol.errors import ProtocolError
from kafkalite.protocol.messages.consumer_protocol import (
    CONSUMER_PROTOCOL_ASSIGNMENT_SPEC,
    CONSUMER_PROTOCOL_SUBSCRIPTION_SPEC,
    AssignedTopicPartitions,
    ConsumerProtocolAssignment,
    ConsumerProtocolSubscription,
)

from .api import CONSUMER_PROTOCOL_TYPE, GroupConfig, Protocol
from .assignors import Assignment, TopicMetadata
from .consumer_group import ClassicMemberMetadata, ConsumerGroup, ConsumerMember, MemberState
from .membership import ClassicGroup, Member
from .state import GroupState

__all__ = [
    "ClassicSubscription",
    "CustomAssignorError",
    "MalformedConsumerProtocolError",
    "by_topic_id",
    "by_topic_name",
    "can_downgrade",
    "can_downgrade_after_replacement",
    "can_upgrade",
    "classic_group_from_consumer",
    "consumer_group_from_classic",
    "decode_assignment",
    "decode_subscription",
    "downgrade_allowed",
    "encode_assignment",
    "subscription_version",
    "upgrade_allowed",
]

log = logging.getLogger(__name__)

_NEWEST_SUBSCRIPTION = CONSUMER_PROTOCOL_SUBSCRIPTION_SPEC.valid.high
_NEWEST_ASSIGNMENT = CONSUMER_PROTOCOL_ASSIGNMENT_SPEC.valid.high


class MalformedConsumerProtocolError(ValueError):
    """A subscription or assignment blob that does not parse."""


class CustomAssignorError(ValueError):
    """An assignment carries user data: the classic group uses a custom assignor."""


@dataclass(frozen=True, slots=True)
class ClassicSubscription:
    version: int
    topics: tuple[str, ...]
    owned: dict[str, frozenset[int]]
    rack_id: str | None


def _blob_version(blob: bytes) -> int:
    if len(blob) < 2:
        raise MalformedConsumerProtocolError("a consumer protocol blob shorter than its version")
    version = int.from_bytes(blob[:2], "big", signed=True)
    if version < 0:
        raise MalformedConsumerProtocolError(f"consumer protocol version {version}")
    return version


def decode_subscription(blob: bytes) -> ClassicSubscription:
    """A ConsumerProtocolSubscription; a version newer than ours reads as our newest."""
    version = _blob_version(blob)
    try:
        body, _ = decode(CONSUMER_PROTOCOL_SUBSCRIPTION_SPEC, min(version, _NEWEST_SUBSCRIPTION), blob, 2)
    except (ProtocolError, ValueError) as exc:
        raise MalformedConsumerProtocolError(f"subscription: {exc}") from exc
    assert isinstance(body, ConsumerProtocolSubscription)
    owned: dict[str, frozenset[int]] = {}
    for entry in body.owned_partitions:
        owned[entry.topic] = owned.get(entry.topic, frozenset()) | frozenset(entry.partitions)
    return ClassicSubscription(version, tuple(sorted(set(body.topics))), owned, body.rack_id)


def _assignment_body(blob: bytes) -> ConsumerProtocolAssignment:
    version = _blob_version(blob)
    try:
        body, _ = decode(CONSUMER_PROTOCOL_ASSIGNMENT_SPEC, min(version, _NEWEST_ASSIGNMENT), blob, 2)
    except (ProtocolError, ValueError) as exc:
        raise MalformedConsumerProtocolError(f"assignment: {exc}") from exc
    assert isinstance(body, ConsumerProtocolAssignment)
    return body


def decode_assignment(blob: bytes) -> dict[str, frozenset[int]]:
    """The partitions of a ConsumerProtocolAssignment by topic name; empty for no bytes."""
    if not blob:
        return {}
    body = _assignment_body(blob)
    partitions: dict[str, frozenset[int]] = {}
    for entry in body.assigned_partitions:
        partitions[entry.topic] = partitions.get(entry.topic, frozenset()) | frozenset(entry.partitions)
    return partitions


def encode_assignment(partitions: Mapping[str, frozenset[int]], version: int) -> bytes:
    """A ConsumerProtocolAssignment at ``version`` (capped at ours), as Kafka's
    ``ConsumerProtocol.serializeAssignment`` writes it for a classic member."""
    version = min(max(version, 0), _NEWEST_ASSIGNMENT)
    body = ConsumerProtocolAssignment(
        assigned_partitions=[
            AssignedTopicPartitions(topic=topic, partitions=sorted(parts))
            for topic, parts in sorted(partitions.items())
            if parts
        ]
    )
    return version.to_bytes(2, "big", signed=True) + encode_bytes(CONSUMER_PROTOCOL_ASSIGNMENT_SPEC, body, version)


def subscription_version(classic: ClassicMemberMetadata) -> int:
    """The version of the member's first protocol's subscription: its assignments are
    written at that version."""
    try:
        return _blob_version(classic.protocols[0].metadata) if classic.protocols else 0
    except MalformedConsumerProtocolError:
        return 0


def by_topic_id(
    partitions: Mapping[str, frozenset[int]], topics: Mapping[str, TopicMetadata]
) -> Assignment:
    """Partitions by topic name to partitions by topic id; unknown topics are dropped."""
    out: dict[uuid.UUID, frozenset[int]] = {}
    for name, parts in partitions.items():
        topic = topics.get(name)
        if topic is not None and parts:
            out[topic.topic_id] = frozenset(p for p in parts if 0 <= p < topic.partitions)
    return {tid: parts for tid, parts in out.items() if parts}


def by_topic_name(partitions: Assignment, topics: Mapping[str, TopicMetadata]) -> dict[str, frozenset[int]]:
    names = {topic.topic_id: name for name, topic in topics.items()}
    return {names[tid]: frozenset(parts) for tid, parts in partitions.items() if tid in names and parts}


def upgrade_allowed(policy: str) -> bool:
    return policy in ("upgrade", "bidirectional")


def downgrade_allowed(policy: str) -> bool:
    return policy in ("downgrade", "bidirectional")


def can_upgrade(classic: ClassicGroup, config: GroupConfig) -> bool:
    """``GroupMetadataManager.validateOnlineUpgrade``."""
    group_id = classic.group_id
    if not upgrade_allowed(config.group_consumer_migration_policy):
        log.info("group %s: not upgraded to a consumer group: the online upgrade is disabled", group_id)
        return False
    if classic.protocol_type != CONSUMER_PROTOCOL_TYPE:
        log.info("group %s: not upgraded to a consumer group: it does not use the consumer protocol", group_id)
        return False
    if len(classic.members) > config.group_consumer_max_size:
        log.info("group %s: not upgraded to a consumer group: more members than group.consumer.max.size", group_id)
        return False
    return True


def can_downgrade(group: ConsumerGroup, leaving: Collection[str], config: GroupConfig) -> bool:
    """``GroupMetadataManager.validateOnlineDowngradeWithFencedMembers``: the members that
    stay all use the classic protocol."""
    remaining = [m for member_id, m in group.members.items() if member_id not in leaving]
    if any(m.classic is None for m in remaining):
        return False
    if not remaining:
        return False  # nothing left to downgrade
    if not downgrade_allowed(config.group_consumer_migration_policy):
        log.info("group %s: not downgraded to a classic group: the online downgrade is disabled", group.group_id)
        return False
    if len(remaining) > config.group_max_size:
        log.info("group %s: not downgraded to a classic group: more members than group.max.size", group.group_id)
        return False
    return True


def can_downgrade_after_replacement(group: ConsumerGroup, config: GroupConfig) -> bool:
    """``validateOnlineDowngradeWithReplacedMemberId``, once a static member of the classic
    protocol replaced a member of the consumer protocol: every member left is classic."""
    if group.num_classic_members() != len(group.members):
        return False
    if not downgrade_allowed(config.group_consumer_migration_policy):
        log.info("group %s: not downgraded to a classic group: the online downgrade is disabled", group.group_id)
        return False
    if len(group.members) > config.group_max_size:
        log.info("group %s: not downgraded to a classic group: more members than group.max.size", group.group_id)
        return False
    return True


def consumer_group_from_classic(classic: ClassicGroup, topics: Mapping[str, TopicMetadata]) -> ConsumerGroup:
    """``ConsumerGroup.fromClassicGroup``: every member Stable at the generation, owning
    and targeted with the partitions of its last assignment. Raises
    ``MalformedConsumerProtocolError`` if a member's subscription or assignment does not
    parse, ``CustomAssignorError`` if an assignment carries user data."""
    generation = classic.generation_id
    group = ConsumerGroup(classic.group_id, group_epoch=generation, assignment_epoch=generation)
    for member in classic.members.values():
        blob = member.metadata(classic.protocol_name)
        if blob is None:
            blob = member.protocols[0].metadata if member.protocols else b""
        subscription = decode_subscription(blob)
        assigned = by_topic_id(decode_assignment(member.assignment), topics)
        consumer_member = ConsumerMember(
            member_id=member.member_id,
            instance_id=member.group_instance_id,
            rack_id=subscription.rack_id,
            client_id=member.client_id,
            client_host=member.client_host,
            rebalance_timeout_ms=member.rebalance_timeout_ms,
            subscribed_topic_names=subscription.topics,
            state=MemberState.STABLE,
            member_epoch=generation,
            previous_member_epoch=generation,
            assigned=assigned,
            classic=ClassicMemberMetadata(member.session_timeout_ms, tuple(member.protocols)),
        )
        group.target[member.member_id] = dict(assigned)
        group.put_member(consumer_member)
    for member in classic.members.values():
        if member.assignment and _assignment_body(member.assignment).user_data:
            raise CustomAssignorError(f"member {member.member_id}'s assignment carries assignor user data")
    subscribed = {name for m in group.members.values() for name in m.subscribed_topic_names}
    group.metadata = {name: topics[name] for name in sorted(subscribed) if name in topics}
    return group


def classic_group_from_consumer(
    group: ConsumerGroup, leaving: Collection[str], topics: Mapping[str, TopicMetadata]
) -> ClassicGroup:
    """``ClassicGroup.fromConsumerGroup``: a Stable classic group at the group epoch
    with every member but the leaving ones, each assigned its target assignment. The
    caller starts a rebalance."""
    classic = ClassicGroup(group.group_id, generation_id=group.group_epoch, protocol_type=CONSUMER_PROTOCOL_TYPE)
    for member_id, member in group.members.items():
        if member_id in leaving or member.classic is None:
            continue
        classic.add(
            Member(
                member_id=member_id,
                group_instance_id=member.instance_id,
                client_id=member.client_id,
                client_host=member.client_host,
                rebalance_timeout_ms=member.rebalance_timeout_ms,
                session_timeout_ms=member.classic.session_timeout_ms,
                protocol_type=CONSUMER_PROTOCOL_TYPE,
                protocols=tuple(Protocol(p.name, p.metadata) for p in member.classic.protocols),
            ),
            None,
        )
    classic.protocol_name = classic.select_protocol()
    for member in classic.members.values():
        consumer_member = group.members[member.member_id]
        assert consumer_member.classic is not None
        member.assignment = encode_assignment(
            by_topic_name(group.target.get(member.member_id, {}), {**topics, **group.metadata}),
            subscription_version(consumer_member.classic),
        )
    classic.state, classic.previous_state = GroupState.STABLE, GroupState.COMPLETING_REBALANCE
    return classic
