"""Classic group bookkeeping: members, static members, protocols, leader, generation.

Kafka's `ClassicGroup` and `ClassicGroupMember`, as plain data with invariants and no
timers or I/O. A member waiting for a JoinGroup or SyncGroup answer holds a callback;
`complete_join` / `complete_sync` call it exactly once. State changes go through
`transition_to`, which checks the table in `state.py`.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .api import (
    CONSUMER_PROTOCOL_TYPE,
    JoinMember,
    JoinResult,
    Protocol,
    SubscribedTopics,
    SyncResult,
)
from .errors import GroupErrorCode
from .state import GroupState, can_rebalance, check_transition

__all__ = ["ClassicGroup", "JoinCallback", "Member", "SyncCallback"]

log = logging.getLogger(__name__)

JoinCallback = Callable[[JoinResult], None]
SyncCallback = Callable[[SyncResult], None]


@dataclass(slots=True, eq=False)
class Member:
    member_id: str
    group_instance_id: str | None
    client_id: str
    client_host: str
    rebalance_timeout_ms: int
    session_timeout_ms: int
    protocol_type: str
    protocols: tuple[Protocol, ...]
    assignment: bytes = b""
    join_callback: JoinCallback | None = None
    sync_callback: SyncCallback | None = None
    is_new: bool = False

    @property
    def is_static(self) -> bool:
        return self.group_instance_id is not None

    @property
    def is_awaiting_join(self) -> bool:
        return self.join_callback is not None

    @property
    def is_awaiting_sync(self) -> bool:
        return self.sync_callback is not None

    def protocol_names(self) -> set[str]:
        return {protocol.name for protocol in self.protocols}

    def metadata(self, protocol_name: str | None) -> bytes | None:
        for protocol in self.protocols:
            if protocol.name == protocol_name:
                return protocol.metadata
        return None

    def matches(self, protocols: Sequence[Protocol]) -> bool:
        """Same protocols, metadata and order as last time (`ClassicGroupMember.matches`)."""
        return tuple(protocols) == self.protocols

    def vote(self, candidates: set[str]) -> str:
        """The member's most preferred protocol among `candidates`."""
        for protocol in self.protocols:
            if protocol.name in candidates:
                return protocol.name
        raise ValueError(f"member {self.member_id} supports none of {sorted(candidates)}")

    def has_satisfied_heartbeat(self) -> bool:
        # ClassicGroupMember.hasSatisfiedHeartbeat: a member parked in a rebalance
        # counts as alive, except a new one, whose parked JoinGroup may be abandoned.
        if self.is_new:
            return False
        return self.is_awaiting_join or self.is_awaiting_sync


class ClassicGroup:
    """One classic group's membership; the registry and timers live in `GroupManager`."""

    def __init__(
        self, group_id: str, *, generation_id: int = 0, protocol_type: str | None = None
    ) -> None:
        self.group_id = group_id
        self.state = GroupState.EMPTY
        self.previous_state = GroupState.DEAD
        self.generation_id = generation_id
        self.protocol_type = protocol_type
        self.protocol_name: str | None = None
        self.leader_id: str | None = None
        self.members: dict[str, Member] = {}
        self.static_members: dict[str, str] = {}  # group_instance_id -> member_id
        self.pending_join_members: set[str] = set()  # got MEMBER_ID_REQUIRED (KIP-394)
        self.pending_sync_members: set[str] = set()
        self.supported_protocols: Counter[str] = Counter()
        self.num_awaiting_join = 0
        # Set when a member joins during the initial (delayed) rebalance, which then
        # extends the delay (group.initial.rebalance.delay.ms).
        self.new_member_added = False

    def __repr__(self) -> str:
        return (
            f"ClassicGroup({self.group_id!r}, {self.state.value}, "
            f"generation={self.generation_id}, members={list(self.members)})"
        )

    # -- state ---------------------------------------------------------------------

    def transition_to(self, target: GroupState) -> None:
        check_transition(self.state, target)
        self.previous_state, self.state = self.state, target

    def can_rebalance(self) -> bool:
        return can_rebalance(self.state)

    # -- members -------------------------------------------------------------------

    def is_leader(self, member_id: str) -> bool:
        return self.leader_id is not None and self.leader_id == member_id

    def add(self, member: Member, callback: JoinCallback | None) -> None:
        if member.group_instance_id is not None:
            if member.group_instance_id in self.static_members:
                raise ValueError(
                    f"static member {member.group_instance_id} is already in the group"
                )
            self.static_members[member.group_instance_id] = member.member_id
        if not self.members:
            self.protocol_type = member.protocol_type
        if self.leader_id is None:
            self.leader_id = member.member_id
        self.members[member.member_id] = member
        self.supported_protocols.update(member.protocol_names())
        member.join_callback = callback
        if callback is not None:
            self.num_awaiting_join += 1
        self.pending_join_members.discard(member.member_id)

    def remove(self, member_id: str) -> Member | None:
        """Remove a member or pending member; its waiting callbacks are not answered."""
        member = self.members.pop(member_id, None)
        if member is not None:
            self.supported_protocols.subtract(member.protocol_names())
            if member.is_awaiting_join:
                self.num_awaiting_join -= 1
            instance_id = member.group_instance_id
            if instance_id is not None and self.static_members.get(instance_id) == member_id:
                del self.static_members[instance_id]
        if self.is_leader(member_id):
            self.leader_id = next(iter(self.members), None)
        self.pending_join_members.discard(member_id)
        self.pending_sync_members.discard(member_id)
        return member

    def update_member(
        self,
        member: Member,
        protocols: Sequence[Protocol],
        rebalance_timeout_ms: int,
        session_timeout_ms: int,
        callback: JoinCallback | None,
    ) -> None:
        self.supported_protocols.subtract(member.protocol_names())
        member.protocols = tuple(protocols)
        self.supported_protocols.update(member.protocol_names())
        member.rebalance_timeout_ms = rebalance_timeout_ms
        member.session_timeout_ms = session_timeout_ms
        if callback is not None and not member.is_awaiting_join:
            self.num_awaiting_join += 1
        elif callback is None and member.is_awaiting_join:
            self.num_awaiting_join -= 1
        member.join_callback = callback

    def replace_static_member(
        self, instance_id: str, old_member_id: str, new_member_id: str
    ) -> Member:
        """Give a static member a new member id, keeping everything else (KIP-345).

        Whoever still waits under the old id is fenced at once with FENCED_INSTANCE_ID.
        """
        old = self.members.pop(old_member_id)
        fenced = GroupErrorCode.FENCED_INSTANCE_ID
        self.complete_join(old, JoinResult(error_code=fenced, member_id=old_member_id))
        self.complete_sync(old, SyncResult(error_code=fenced))
        new = Member(
            member_id=new_member_id,
            group_instance_id=old.group_instance_id,
            client_id=old.client_id,
            client_host=old.client_host,
            rebalance_timeout_ms=old.rebalance_timeout_ms,
            session_timeout_ms=old.session_timeout_ms,
            protocol_type=old.protocol_type,
            protocols=old.protocols,
            assignment=old.assignment,
        )
        self.members[new_member_id] = new
        if self.is_leader(old_member_id):
            self.leader_id = new_member_id
        self.static_members[instance_id] = new_member_id
        self.pending_sync_members.discard(old_member_id)
        return new

    def validate_member(self, member_id: str, group_instance_id: str | None) -> GroupErrorCode:
        """`ClassicGroup.validateMember`: the instance id must map to this member id."""
        if group_instance_id is not None:
            existing = self.static_members.get(group_instance_id)
            if existing is None:
                return GroupErrorCode.UNKNOWN_MEMBER_ID
            if existing != member_id:
                return GroupErrorCode.FENCED_INSTANCE_ID
        if member_id not in self.members:
            return GroupErrorCode.UNKNOWN_MEMBER_ID
        return GroupErrorCode.NONE

    # -- waiting callbacks ---------------------------------------------------------

    def complete_join(self, member: Member, result: JoinResult) -> bool:
        callback = member.join_callback
        if callback is None:
            return False
        member.join_callback = None
        self.num_awaiting_join -= 1
        callback(result)
        return True

    def complete_sync(self, member: Member, result: SyncResult) -> bool:
        callback = member.sync_callback
        if callback is None:
            return False
        member.sync_callback = None
        callback(result)
        return True

    # -- rebalance bookkeeping -----------------------------------------------------

    def has_all_members_joined(self) -> bool:
        return len(self.members) == self.num_awaiting_join and not self.pending_join_members

    def not_yet_rejoined_members(self) -> list[Member]:
        return [member for member in self.members.values() if not member.is_awaiting_join]

    def rebalance_timeout_ms(self) -> int:
        return max((member.rebalance_timeout_ms for member in self.members.values()), default=0)

    def maybe_elect_new_joined_leader(self) -> bool:
        """Keep the leader if it rejoined, else pick a member that did (Kafka's rule).

        False when there is no leader or nobody rejoined.
        """
        if self.leader_id is None:
            return False
        if self.members[self.leader_id].is_awaiting_join:
            return True
        for member in self.members.values():
            if member.is_awaiting_join:
                log.info(
                    "group %s: leader %s did not rejoin in time, %s is the new leader",
                    self.group_id,
                    self.leader_id,
                    member.member_id,
                )
                self.leader_id = member.member_id
                return True
        return False

    def init_next_generation(self) -> None:
        self.generation_id += 1
        if self.members:
            self.protocol_name = self.select_protocol()
            self.transition_to(GroupState.COMPLETING_REBALANCE)
        else:
            self.protocol_name = None
            self.transition_to(GroupState.EMPTY)
        self.pending_sync_members.clear()

    # -- protocols -----------------------------------------------------------------

    def supports_protocols(self, protocol_type: str, protocol_names: set[str]) -> bool:
        """A joiner must share the protocol type and one protocol with every member."""
        if self.state is GroupState.EMPTY:
            return bool(protocol_type) and bool(protocol_names)
        size = len(self.members)
        return protocol_type == self.protocol_type and any(
            self.supported_protocols[name] == size for name in protocol_names
        )

    def select_protocol(self) -> str:
        """Kafka's `selectProtocol`: each member votes for its most preferred protocol
        that every member supports; most votes wins, ties go to the earliest vote."""
        if not self.members:
            raise ValueError(f"group {self.group_id} has no members to select a protocol")
        size = len(self.members)
        candidates = {name for name, count in self.supported_protocols.items() if count == size}
        votes = Counter(member.vote(candidates) for member in self.members.values())
        return max(votes, key=votes.__getitem__)

    def current_members(self) -> tuple[JoinMember, ...]:
        return tuple(
            JoinMember(
                member.member_id,
                member.group_instance_id,
                member.metadata(self.protocol_name) or b"",
            )
            for member in self.members.values()
        )

    def uses_consumer_protocol(self) -> bool:
        return self.protocol_type == CONSUMER_PROTOCOL_TYPE

    def subscribed_topics(self, parse: SubscribedTopics | None) -> set[str] | None:
        """Union of the members' subscriptions, or None when unknown
        (`ClassicGroup.computeSubscribedTopics`; only the consumer protocol is parsed)."""
        if not self.uses_consumer_protocol():
            return None
        if not self.members:
            return set()
        if self.protocol_name is None or parse is None:
            return None
        topics: set[str] = set()
        for member in self.members.values():
            metadata = member.metadata(self.protocol_name)
            if metadata is None:
                return None
            try:
                member_topics = parse(metadata)
            except ValueError:
                return None
            if member_topics is None:
                return None
            topics |= member_topics
        return topics

    def is_subscribed_to(self, topic: str, parse: SubscribedTopics | None) -> bool:
        # ClassicGroup.isSubscribedToTopic: when the topics are unknown, a consumer
        # group is assumed subscribed and any other group is not.
        topics = self.subscribed_topics(parse)
        if topics is None:
            return self.uses_consumer_protocol()
        return topic in topics
