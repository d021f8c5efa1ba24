"""The rebalance machinery of classic groups: join phase, sync phase, sessions, timers.

`Rebalancer` changes membership and decides when a group moves between the states
of `state.py` (Kafka's `add/update/updateStaticMemberThenRebalanceOrCompleteJoin`,
`prepareRebalance`, `completeClassicGroupJoin`, `expirePendingSync`, heartbeat
expiry). `GroupManager` (manager.py) validates requests and calls in here.
Everything is synchronous; time passes only through keyed timers of a `Timer`:

- ("heartbeat", group, member): the session. An expired member leaves the group,
  unless it is parked in a rebalance (and not new). Pending members (KIP-394) expire
  after their session timeout, new members' parked joins after
  `new_member_join_timeout_ms`.
- ("join", group): the join phase ends when every member has rejoined or the
  rebalance timeout (the largest among members) passes; members that did not rejoin
  are dropped, static ones excepted (KIP-345). The first rebalance of an Empty group
  waits `group_initial_rebalance_delay_ms`, extended while new members arrive.
- ("sync", group): members that send no SyncGroup within the rebalance timeout are
  dropped and the group rebalances again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from .api import UNKNOWN_MEMBER_ID, GroupConfig, JoinRequest, JoinResult, SyncResult
from .errors import GroupErrorCode
from .membership import ClassicGroup, JoinCallback, Member
from .state import GroupState
from .timer import Timer, TimerKey

__all__ = ["Rebalancer", "join_error", "join_result"]

log = logging.getLogger(__name__)

_E = GroupErrorCode
_EMPTY, _PREPARING, _COMPLETING, _STABLE, _DEAD = (
    GroupState.EMPTY,
    GroupState.PREPARING_REBALANCE,
    GroupState.COMPLETING_REBALANCE,
    GroupState.STABLE,
    GroupState.DEAD,
)


def join_error(member_id: str, error: GroupErrorCode) -> JoinResult:
    return JoinResult(error_code=error, member_id=member_id)


def join_result(
    group: ClassicGroup,
    member_id: str,
    *,
    with_members: bool,
    skip_assignment: bool = False,
    leader: str | None = None,
) -> JoinResult:
    """A successful JoinGroup answer for the group's current generation."""
    return JoinResult(
        error_code=_E.NONE,
        member_id=member_id,
        generation_id=group.generation_id,
        protocol_type=group.protocol_type,
        protocol_name=group.protocol_name,
        leader=(group.leader_id or "") if leader is None else leader,
        skip_assignment=skip_assignment,
        members=group.current_members() if with_members else (),
    )


def _heartbeat_key(group: ClassicGroup, member_id: str) -> TimerKey:
    return ("heartbeat", group.group_id, member_id)


def _join_key(group: ClassicGroup) -> TimerKey:
    return ("join", group.group_id)


def _sync_key(group: ClassicGroup) -> TimerKey:
    return ("sync", group.group_id)


class Rebalancer:
    def __init__(
        self,
        config: GroupConfig,
        timer: Timer,
        on_new_generation: Callable[[ClassicGroup], None] | None = None,
    ) -> None:
        self.config = config
        self.timer = timer
        self._on_new_generation = on_new_generation

    # -- sessions ------------------------------------------------------------------

    def schedule_heartbeat(
        self, group: ClassicGroup, member: Member, timeout_ms: int | None = None
    ) -> None:
        """(Re)start a member's session: `timeout_ms`, or its session timeout."""
        self.timer.schedule(
            _heartbeat_key(group, member.member_id),
            member.session_timeout_ms if timeout_ms is None else timeout_ms,
            partial(self._expire_heartbeat, group, member.member_id),
        )

    def schedule_pending_member(
        self, group: ClassicGroup, member_id: str, session_timeout_ms: int
    ) -> None:
        """A MEMBER_ID_REQUIRED member must come back within its session timeout."""
        self.timer.schedule(
            _heartbeat_key(group, member_id),
            session_timeout_ms,
            partial(self._expire_heartbeat, group, member_id),
        )

    def cancel_heartbeat(self, group: ClassicGroup, member_id: str) -> None:
        self.timer.cancel(_heartbeat_key(group, member_id))

    def cancel_group_timers(self, group: ClassicGroup) -> None:
        for member_id in [*group.members, *group.pending_join_members]:
            self.cancel_heartbeat(group, member_id)
        self.timer.cancel(_join_key(group))
        self.timer.cancel(_sync_key(group))

    def _expire_heartbeat(self, group: ClassicGroup, member_id: str) -> None:
        if group.state is _DEAD:
            return
        if member_id in group.pending_join_members:
            log.info("group %s: pending member %s never came back", group.group_id, member_id)
            group.remove(member_id)
            if group.state is _PREPARING and group.has_all_members_joined():
                self.complete_join(group)
            return
        member = group.members.get(member_id)
        if member is None or member.has_satisfied_heartbeat():
            return
        log.info("group %s: member %s session expired", group.group_id, member_id)
        self.remove_member(group, member, f"member {member_id} session expired")

    def remove_member(self, group: ClassicGroup, member: Member, reason: str) -> None:
        """Drop a member, answer its parked requests, and rebalance what is left.

        A new member may expire with its JoinGroup parked; UNKNOWN_MEMBER_ID makes a
        live client retry (GroupMetadataManager.removeMemberAndUpdateClassicGroup).
        """
        self.cancel_heartbeat(group, member.member_id)
        group.complete_join(member, join_error(UNKNOWN_MEMBER_ID, _E.UNKNOWN_MEMBER_ID))
        group.complete_sync(member, SyncResult(error_code=_E.UNKNOWN_MEMBER_ID))
        group.remove(member.member_id)
        if group.state in (_STABLE, _COMPLETING):
            self.maybe_prepare_rebalance_or_complete_join(group, reason)
        elif group.state is _PREPARING and group.has_all_members_joined():
            self.complete_join(group)

    # -- membership changes (Kafka's "...ThenRebalanceOrCompleteJoin" family) -------

    def add_member(
        self, group: ClassicGroup, request: JoinRequest, member_id: str, respond: JoinCallback
    ) -> None:
        member = Member(
            member_id=member_id,
            group_instance_id=request.group_instance_id,
            client_id=request.client_id,
            client_host=request.client_host,
            rebalance_timeout_ms=request.rebalance_timeout_ms,
            session_timeout_ms=request.session_timeout_ms,
            protocol_type=request.protocol_type,
            protocols=tuple(request.protocols),
            is_new=True,
        )
        if group.state is _PREPARING and group.previous_state is _EMPTY:
            group.new_member_added = True  # extends the initial rebalance delay
        group.add(member, respond)
        self.schedule_heartbeat(group, member, self.config.new_member_join_timeout_ms)
        instance_id = request.group_instance_id
        reason = f"new member {member_id} (instance {instance_id}, reason: {request.reason})"
        self.maybe_prepare_rebalance_or_complete_join(group, reason)

    def update_member(
        self,
        group: ClassicGroup,
        member: Member,
        request: JoinRequest,
        respond: JoinCallback,
        reason: str,
    ) -> None:
        group.complete_join(member, join_error(member.member_id, _E.REBALANCE_IN_PROGRESS))
        group.update_member(
            member,
            request.protocols,
            request.rebalance_timeout_ms,
            request.session_timeout_ms,
            respond,
        )
        self.maybe_prepare_rebalance_or_complete_join(group, reason)

    def replace_static_member(
        self,
        group: ClassicGroup,
        request: JoinRequest,
        old_id: str,
        new_id: str,
        respond: JoinCallback,
    ) -> None:
        """A known group instance id joins without a member id: a restarted static member
        (KIP-345, GroupMetadataManager.updateStaticMemberThenRebalanceOrCompleteJoin)."""
        assert request.group_instance_id is not None
        old_leader = group.leader_id
        self.cancel_heartbeat(group, old_id)
        member = group.replace_static_member(request.group_instance_id, old_id, new_id)
        group.update_member(
            member,
            request.protocols,
            request.rebalance_timeout_ms,
            request.session_timeout_ms,
            respond,
        )
        self.schedule_heartbeat(group, member)
        instance_id = request.group_instance_id
        reason = f"static member {instance_id} rejoins as {new_id} (reason: {request.reason})"
        if group.state is _STABLE and group.protocol_name == group.select_protocol():
            # The selected protocol stands, so no rebalance: the member keeps its
            # assignment and gets it back from SyncGroup.
            if request.supports_skip_assignment:
                # KIP-814: a returning leader learns the members, so its assignor can
                # watch metadata again, but must not compute a new assignment.
                is_leader = group.is_leader(new_id)
                result = join_result(
                    group, new_id, with_members=is_leader, skip_assignment=is_leader
                )
            else:
                # Older clients get the old leader id, so a returning leader does not
                # believe it leads and computes nothing the Stable group would ignore.
                result = join_result(group, new_id, with_members=False, leader=old_leader or "")
            group.complete_join(member, result)
        elif group.state is _STABLE:
            self.maybe_prepare_rebalance_or_complete_join(group, reason)
        elif group.state is _COMPLETING:
            # The leader may be assigning to the old member id: start over.
            self.prepare_rebalance(group, reason)
        else:
            self.maybe_complete_join_phase(group)

    # -- the join phase ------------------------------------------------------------

    def maybe_prepare_rebalance_or_complete_join(self, group: ClassicGroup, reason: str) -> None:
        if group.can_rebalance():
            self.prepare_rebalance(group, reason)
        else:
            self.maybe_complete_join_phase(group)

    def maybe_complete_join_phase(self, group: ClassicGroup) -> None:
        # The initial rebalance of an Empty group ends only by its delay timer.
        if (
            group.state is _PREPARING
            and group.has_all_members_joined()
            and group.previous_state is not _EMPTY
        ):
            self.complete_join(group)

    def prepare_rebalance(self, group: ClassicGroup, reason: str) -> None:
        if group.state is _COMPLETING:
            # Members parked in SyncGroup learn at once that they must rejoin.
            self._reset_and_propagate_assignment_error(group, _E.REBALANCE_IN_PROGRESS)
        group.pending_sync_members.clear()
        self.timer.cancel(_sync_key(group))
        initial = group.state is _EMPTY
        if initial:
            delay = self.config.group_initial_rebalance_delay_ms
            remaining = max(group.rebalance_timeout_ms() - delay, 0)
            self.timer.schedule(
                _join_key(group),
                delay,
                partial(self._try_complete_initial_rebalance, group, delay, remaining),
            )
        group.transition_to(_PREPARING)
        log.info(
            "group %s: preparing to rebalance, old generation %d (%s)",
            group.group_id,
            group.generation_id,
            reason,
        )
        if initial:
            return
        if group.has_all_members_joined():
            self.complete_join(group)
        else:
            self.timer.schedule(
                _join_key(group), group.rebalance_timeout_ms(), partial(self.complete_join, group)
            )

    def _try_complete_initial_rebalance(
        self, group: ClassicGroup, delay: int, remaining: int
    ) -> None:
        if group.new_member_added and remaining != 0:
            group.new_member_added = False
            next_delay = min(self.config.group_initial_rebalance_delay_ms, remaining)
            next_remaining = max(remaining - delay, 0)
            self.timer.schedule(
                _join_key(group),
                next_delay,
                partial(self._try_complete_initial_rebalance, group, next_delay, next_remaining),
            )
        else:
            self.complete_join(group)

    def complete_join(self, group: ClassicGroup) -> None:
        """End the join phase: drop who did not rejoin, start the next generation."""
        self.timer.cancel(_join_key(group))
        if group.state is not _PREPARING:
            return
        for member in group.not_yet_rejoined_members():
            if not member.is_static:  # a static member keeps its seat until its session ends
                group.remove(member.member_id)
                self.cancel_heartbeat(group, member.member_id)
                log.info(
                    "group %s: member %s did not rejoin in time", group.group_id, member.member_id
                )
        if not group.maybe_elect_new_joined_leader() and group.members:
            # Only static members are left and none rejoined: wait for their sessions.
            log.error("group %s: no member rejoined, extending the rebalance", group.group_id)
            self.timer.schedule(
                _join_key(group), group.rebalance_timeout_ms(), partial(self.complete_join, group)
            )
            return
        group.init_next_generation()
        if self._on_new_generation is not None:
            self._on_new_generation(group)
        if group.state is _EMPTY:
            log.info("group %s: generation %d is empty", group.group_id, group.generation_id)
            return
        log.info(
            "group %s: generation %d with %d members, protocol %s, leader %s",
            group.group_id,
            group.generation_id,
            len(group.members),
            group.protocol_name,
            group.leader_id,
        )
        for member in list(group.members.values()):
            is_leader = group.is_leader(member.member_id)
            group.complete_join(
                member, join_result(group, member.member_id, with_members=is_leader)
            )
            self.schedule_heartbeat(group, member)
            member.is_new = False
            group.pending_sync_members.add(member.member_id)
        self.timer.schedule(
            _sync_key(group),
            group.rebalance_timeout_ms(),
            partial(self._expire_pending_sync, group, group.generation_id),
        )

    # -- the sync phase ------------------------------------------------------------

    def propagate_assignment(self, group: ClassicGroup, error: GroupErrorCode) -> None:
        """Answer every parked SyncGroup: its member's assignment, or `error`."""
        for member in list(group.members.values()):
            if error:
                result = SyncResult(error_code=error)
            else:
                result = SyncResult(
                    error_code=error,
                    assignment=member.assignment,
                    protocol_type=group.protocol_type,
                    protocol_name=group.protocol_name,
                )
            if group.complete_sync(member, result):
                # Sessions that ran out while parked were ignored; restart them now.
                self.schedule_heartbeat(group, member)

    def _reset_and_propagate_assignment_error(
        self, group: ClassicGroup, error: GroupErrorCode
    ) -> None:
        for member in group.members.values():
            member.assignment = b""
        self.propagate_assignment(group, error)

    def remove_pending_sync_member(self, group: ClassicGroup, member_id: str) -> None:
        group.pending_sync_members.discard(member_id)
        if not group.pending_sync_members:
            self.timer.cancel(_sync_key(group))

    def _expire_pending_sync(self, group: ClassicGroup, generation_id: int) -> None:
        if generation_id != group.generation_id or group.state not in (_COMPLETING, _STABLE):
            return
        late = sorted(group.pending_sync_members)
        if not late:
            return
        for member_id in late:
            group.remove(member_id)
            self.cancel_heartbeat(group, member_id)
        self.prepare_rebalance(group, f"members {late} sent no SyncGroup in time")
