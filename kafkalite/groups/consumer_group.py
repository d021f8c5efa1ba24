"""A consumer group of the KIP-848 protocol: members, epochs, target assignment, and the
reconciliation of each member towards its target (Kafka's ``ConsumerGroup``,
``ConsumerGroupMember`` and ``CurrentAssignmentBuilder``).

Epochs: the *group epoch* grows whenever the group's membership, the members'
subscriptions or the subscribed topics' metadata change; the *target assignment* is
computed for a group epoch (the *assignment epoch*); each member has a *member epoch*,
which reaches the assignment epoch once the member has converged.

Reconciliation is incremental and revokes before it assigns: a member first gives up the
partitions it must lose (state UNREVOKED_PARTITIONS, its epoch unchanged) and only once
its heartbeat no longer lists them does it move to the new epoch; a partition still owned
by another member (``partition_owners``) is withheld (UNRELEASED_PARTITIONS) until that
member has released it. So no partition ever has two owners.

Pure data and functions: no I/O, no timers (consumer_manager.py drives them).
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

from .api import CONSUMER_PROTOCOL_TYPE, Protocol
from .assignors import Assignment, TopicMetadata

__all__ = [
    "ClassicMemberMetadata",
    "ConsumerGroup",
    "ConsumerGroupState",
    "ConsumerMember",
    "MemberState",
    "OwnedPartitions",
    "reconcile",
]

OwnedPartitions = Mapping[uuid.UUID, Iterable[int]]

LEAVE_GROUP_MEMBER_EPOCH = -1
LEAVE_GROUP_STATIC_MEMBER_EPOCH = -2


class ConsumerGroupState(enum.Enum):
    """As ``ConsumerGroup.ConsumerGroupState`` names them (ListGroups, describe)."""

    EMPTY = "Empty"
    ASSIGNING = "Assigning"
    RECONCILING = "Reconciling"
    STABLE = "Stable"
    DEAD = "Dead"


class MemberState(enum.Enum):
    STABLE = "stable"
    UNREVOKED_PARTITIONS = "unrevoked_partitions"
    UNRELEASED_PARTITIONS = "unreleased_partitions"


@dataclass(frozen=True, slots=True)
class ClassicMemberMetadata:
    """What a member that speaks the classic protocol (JoinGroup, SyncGroup, Heartbeat)
    to a consumer group brings along (Kafka's ``ClassicMemberMetadata``): its session
    timeout and the protocols of its JoinGroup, in its order of preference. The first
    protocol's name is the one its JoinGroup and SyncGroup answers carry."""

    session_timeout_ms: int
    protocols: tuple[Protocol, ...]

    @property
    def protocol_name(self) -> str:
        return self.protocols[0].name if self.protocols else ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ConsumerMember:
    member_id: str
    instance_id: str | None = None
    rack_id: str | None = None
    client_id: str = ""
    client_host: str = ""
    rebalance_timeout_ms: int = 300_000
    subscribed_topic_names: tuple[str, ...] = ()
    subscribed_topic_regex: str | None = None
    server_assignor: str | None = None
    state: MemberState = MemberState.STABLE
    member_epoch: int = 0
    previous_member_epoch: int = -1
    assigned: Assignment = field(default_factory=dict)
    pending_revocation: Assignment = field(default_factory=dict)
    classic: ClassicMemberMetadata | None = None
    """Set for a member that uses the classic protocol (online migration, KIP-848)."""

    @property
    def uses_classic_protocol(self) -> bool:
        return self.classic is not None

    def with_epoch(self, epoch: int, **changes: object) -> ConsumerMember:
        return replace(self, previous_member_epoch=self.member_epoch, member_epoch=epoch, **changes)  # type: ignore[arg-type]


@dataclass(slots=True)
class ConsumerGroup:
    group_id: str
    group_epoch: int = 0
    assignment_epoch: int = 0
    members: dict[str, ConsumerMember] = field(default_factory=dict)
    target: dict[str, Assignment] = field(default_factory=dict)
    """Each member's target assignment, computed at ``assignment_epoch``."""
    metadata: dict[str, TopicMetadata] = field(default_factory=dict)
    """The subscribed topics that exist, as last seen (a change bumps the group epoch)."""
    partition_owners: dict[tuple[uuid.UUID, int], str] = field(default_factory=dict)
    """Who holds each partition now: assigned or pending revocation."""
    assignor_name: str = ""
    dead: bool = False

    @property
    def state(self) -> ConsumerGroupState:
        if self.dead:
            return ConsumerGroupState.DEAD
        if not self.members:
            return ConsumerGroupState.EMPTY
        if self.group_epoch > self.assignment_epoch:
            return ConsumerGroupState.ASSIGNING
        for member in self.members.values():
            if member.member_epoch != self.assignment_epoch or member.state is not MemberState.STABLE:
                return ConsumerGroupState.RECONCILING
        return ConsumerGroupState.STABLE

    def static_member(self, instance_id: str) -> ConsumerMember | None:
        for member in self.members.values():
            if member.instance_id == instance_id:
                return member
        return None

    def put_member(self, member: ConsumerMember) -> None:
        """Add or replace a member, keeping ``partition_owners`` in step."""
        old = self.members.get(member.member_id)
        if old is not None:
            self._release(old)
        self.members[member.member_id] = member
        for assignment in (member.assigned, member.pending_revocation):
            for tid, parts in assignment.items():
                for p in parts:
                    self.partition_owners[(tid, p)] = member.member_id

    def remove_member(self, member_id: str) -> ConsumerMember | None:
        member = self.members.pop(member_id, None)
        if member is not None:
            self._release(member)
            self.target.pop(member_id, None)
        return member

    def _release(self, member: ConsumerMember) -> None:
        for assignment in (member.assigned, member.pending_revocation):
            for tid, parts in assignment.items():
                for p in parts:
                    if self.partition_owners.get((tid, p)) == member.member_id:
                        del self.partition_owners[(tid, p)]

    def preferred_assignor(self, default: str) -> str:
        """The server assignor most members ask for (ties: by name), else ``default``."""
        votes: dict[str, int] = {}
        for member in self.members.values():
            if member.server_assignor:
                votes[member.server_assignor] = votes.get(member.server_assignor, 0) + 1
        if not votes:
            return default
        return min(votes, key=lambda name: (-votes[name], name))

    # -- members of the classic protocol (online migration) --------------------------

    def num_classic_members(self) -> int:
        return sum(1 for member in self.members.values() if member.classic is not None)

    def supports_classic_protocols(self, protocol_type: str | None, names: Iterable[str]) -> bool:
        """Whether a classic member with these protocols may join: protocol type
        "consumer" and, once the group has members, one protocol that every classic
        member supports (``ConsumerGroup.supportsClassicProtocols``)."""
        if protocol_type != CONSUMER_PROTOCOL_TYPE:
            return False
        names = set(names)
        if not self.members:
            return bool(names)
        classic = [m.classic for m in self.members.values() if m.classic is not None]
        return any(all(name in {p.name for p in c.protocols} for c in classic) for name in names)

    def waiting_on_unreleased_partition(self, member: ConsumerMember) -> bool:
        """Whether a partition of the member's target is still held by another member."""
        if member.state is not MemberState.UNRELEASED_PARTITIONS:
            return False
        for tid, parts in self.target.get(member.member_id, {}).items():
            mine = member.assigned.get(tid, frozenset())
            for p in parts:
                holder = self.partition_owners.get((tid, p))
                if p not in mine and holder is not None and holder != member.member_id:
                    return True
        return False

    def topic_name(self, topic_id: uuid.UUID) -> str | None:
        for topic in self.metadata.values():
            if topic.topic_id == topic_id:
                return topic.name
        return None


def _owns_any(owned: OwnedPartitions | None, partitions: Assignment) -> bool:
    """Whether the member's reported partitions include any of ``partitions``; a member
    that did not report them is taken to still own them."""
    if owned is None:
        return True
    return any(p in partitions.get(tid, ()) for tid, parts in owned.items() for p in parts)


def reconcile(
    member: ConsumerMember,
    target_epoch: int,
    target: Assignment,
    owner_of: Callable[[uuid.UUID, int], str | None],
    owned: OwnedPartitions | None,
) -> ConsumerMember:
    """The member's next state towards ``target`` (Kafka's ``CurrentAssignmentBuilder``)."""
    if member.state is MemberState.STABLE:
        if member.member_epoch == target_epoch:
            return member
        return _next(member, member.member_epoch, target_epoch, target, owner_of, owned)
    if member.state is MemberState.UNREVOKED_PARTITIONS:
        if _owns_any(owned, member.pending_revocation):
            return member
        # Revocation acknowledged: the member moves on, towards the latest target.
        return _next(member, member.member_epoch + 1, target_epoch, target, owner_of, owned)
    return _next(member, member.member_epoch, target_epoch, target, owner_of, owned)


def _next(
    member: ConsumerMember,
    epoch: int,
    target_epoch: int,
    target: Assignment,
    owner_of: Callable[[uuid.UUID, int], str | None],
    owned: OwnedPartitions | None,
) -> ConsumerMember:
    assigned: dict[uuid.UUID, frozenset[int]] = {}
    revoking: dict[uuid.UUID, frozenset[int]] = {}
    pending: dict[uuid.UUID, frozenset[int]] = {}
    unreleased = False
    for tid in set(target) | set(member.assigned):
        wanted = target.get(tid, frozenset())
        current = member.assigned.get(tid, frozenset())
        keep = current & wanted
        revoke = current - keep
        mine = member.pending_revocation.get(tid, frozenset())
        free = set()
        for p in wanted - keep:
            holder = owner_of(tid, p)
            if holder is not None and holder != member.member_id and p not in mine:
                unreleased = True
            else:
                free.add(p)
        if keep:
            assigned[tid] = keep
        if revoke:
            revoking[tid] = revoke
        if free:
            pending[tid] = frozenset(free)
    if revoking and _owns_any(owned, revoking):
        return member.with_epoch(
            epoch, state=MemberState.UNREVOKED_PARTITIONS, assigned=assigned, pending_revocation=revoking
        )
    for tid, parts in pending.items():
        assigned[tid] = assigned.get(tid, frozenset()) | parts
    state = MemberState.UNRELEASED_PARTITIONS if unreleased else MemberState.STABLE
    return member.with_epoch(target_epoch, state=state, assigned=assigned, pending_revocation={})
