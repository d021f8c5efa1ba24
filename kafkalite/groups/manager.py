"""JoinGroup, SyncGroup, Heartbeat and LeaveGroup for classic groups, synchronously.

`GroupManager` is the classic half of Kafka's `GroupMetadataManager`: it owns the group
registry, validates each request against the group, and hands state changes to the
`Rebalancer` (rebalance.py). It does no I/O and never blocks. Requests that must wait
(JoinGroup until the join phase ends, SyncGroup until the leader's assignment) pass a
callback that is called exactly once with the answer, possibly before the method
returns.

Deliberate differences from Kafka:
- A second JoinGroup/SyncGroup from a member that is already parked answers the first
  one with REBALANCE_IN_PROGRESS instead of leaving it unanswered.
- Requests naming an unknown group answer UNKNOWN_MEMBER_ID (Kafka up to 3.6; 3.7+
  answer GROUP_ID_NOT_FOUND); every client handles it by rejoining.
- A group created by a JoinGroup that failed at once is not kept.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence

from .api import (
    UNKNOWN_MEMBER_ID,
    GroupConfig,
    JoinRequest,
    LeaveMember,
    LeaveMemberResult,
    LeaveResult,
    SyncRequest,
    SyncResult,
)
from .errors import GroupErrorCode
from .membership import ClassicGroup, JoinCallback, SyncCallback
from .rebalance import Rebalancer, join_error, join_result
from .state import HEARTBEAT_ERROR, SYNC_ERROR, GroupState
from .timer import Timer

__all__ = ["GroupManager"]

log = logging.getLogger(__name__)

_E = GroupErrorCode
_EMPTY, _PREPARING, _COMPLETING, _STABLE, _DEAD = (
    GroupState.EMPTY,
    GroupState.PREPARING_REBALANCE,
    GroupState.COMPLETING_REBALANCE,
    GroupState.STABLE,
    GroupState.DEAD,
)


def _random_member_id(prefix: str) -> str:
    # ClassicGroup.generateMemberId: client id (or group instance id) + "-" + UUID.
    return f"{prefix}-{uuid.uuid4()}"


def _protocol_inconsistent(requested: str | None, current: str | None) -> bool:
    return requested is not None and current is not None and requested != current


class GroupManager:
    def __init__(
        self,
        config: GroupConfig,
        timer: Timer,
        *,
        on_new_generation: Callable[[ClassicGroup], None] | None = None,
        on_stable: Callable[[ClassicGroup], None] | None = None,
        member_id_factory: Callable[[str], str] = _random_member_id,
    ) -> None:
        """`on_new_generation` is called whenever a group starts a generation and
        `on_stable` when the leader's assignment makes it Stable (both to persist it);
        `member_id_factory` turns a client or instance id into a member id."""
        self.config = config
        self.rebalancer = Rebalancer(config, timer, on_new_generation)
        self._on_stable = on_stable
        self._groups: dict[str, ClassicGroup] = {}
        self._new_member_id = member_id_factory

    # -- registry ------------------------------------------------------------------

    def get(self, group_id: str) -> ClassicGroup | None:
        return self._groups.get(group_id)

    def all_groups(self) -> list[ClassicGroup]:
        return list(self._groups.values())

    def get_or_create(self, group_id: str) -> ClassicGroup:
        group = self._groups.get(group_id)
        if group is None:
            group = self._groups[group_id] = ClassicGroup(group_id)
        return group

    def restore(self, group_id: str, protocol_type: str | None, generation_id: int) -> ClassicGroup:
        """Recreate a group from disk: Empty, since members are not persisted."""
        group = ClassicGroup(group_id, generation_id=generation_id, protocol_type=protocol_type)
        self._groups[group_id] = group
        return group

    def adopt(self, group: ClassicGroup, reason: str | None) -> None:
        """Take in a group that was a consumer group (online downgrade): its members'
        sessions start now and, with a ``reason``, a rebalance begins at once."""
        self._groups[group.group_id] = group
        for member in group.members.values():
            self.rebalancer.schedule_heartbeat(group, member)
        if reason is not None:
            self.rebalancer.prepare_rebalance(group, reason)

    def remove_group(self, group_id: str) -> None:
        """Forget a group (DeleteGroups, cleanup): it becomes Dead and leaves the registry."""
        group = self._groups.pop(group_id, None)
        if group is not None:
            self.rebalancer.cancel_group_timers(group)
            group.transition_to(_DEAD)

    def shutdown(self, error: GroupErrorCode = _E.NOT_COORDINATOR) -> None:
        """Answer every parked request with `error` and stop all timers (onGroupUnloaded)."""
        self.rebalancer.timer.cancel_all()
        for group in self._groups.values():
            for member in list(group.members.values()):
                group.complete_join(member, join_error(member.member_id, error))
                group.complete_sync(member, SyncResult(error_code=error))

    def touch_member(self, group: ClassicGroup, member_id: str) -> None:
        """Extend a member's session (an accepted offset commit counts as a heartbeat)."""
        member = group.members.get(member_id)
        if member is not None:
            self.rebalancer.schedule_heartbeat(group, member)

    # -- JoinGroup -----------------------------------------------------------------

    def join_group(self, request: JoinRequest, respond: JoinCallback) -> None:
        member_id = request.member_id
        config = self.config
        if not request.group_id:
            respond(join_error(member_id, _E.INVALID_GROUP_ID))
            return
        timeout = request.session_timeout_ms
        if (
            not config.group_min_session_timeout_ms
            <= timeout
            <= config.group_max_session_timeout_ms
        ):
            respond(join_error(member_id, _E.INVALID_SESSION_TIMEOUT))
            return
        is_unknown = member_id == UNKNOWN_MEMBER_ID
        group = self._groups.get(request.group_id)
        created = group is None
        if group is None:
            if not is_unknown:
                respond(join_error(member_id, _E.UNKNOWN_MEMBER_ID))
                return
            group = self.get_or_create(request.group_id)
        if not self._accept_joining_member(group, member_id):
            if member_id:  # shed it: over-sized groups lose the members that come last
                group.remove(member_id)
                self.rebalancer.cancel_heartbeat(group, member_id)
                self.rebalancer.maybe_complete_join_phase(group)
            respond(join_error(UNKNOWN_MEMBER_ID, _E.GROUP_MAX_SIZE_REACHED))
        elif is_unknown:
            self._join_new_member(group, request, respond)
        else:
            self._join_existing_member(group, request, respond)
        if (
            created
            and group.state is _EMPTY
            and not group.members
            and not group.pending_join_members
        ):
            del self._groups[group.group_id]

    def _accept_joining_member(self, group: ClassicGroup, member_id: str) -> bool:
        max_size = self.config.group_max_size
        member = group.members.get(member_id)
        if group.state is _PREPARING:
            # Counting parked joins, not members, lets a group that is over the limit
            # shed the members that rejoin last (GroupMetadataManager.acceptJoiningMember).
            if member is not None and member.is_awaiting_join:
                return True
            return group.num_awaiting_join < max_size
        if group.state in (_COMPLETING, _STABLE):
            return member is not None or len(group.members) < max_size
        return True

    def _join_new_member(
        self, group: ClassicGroup, request: JoinRequest, respond: JoinCallback
    ) -> None:
        if group.state is _DEAD:
            respond(join_error(UNKNOWN_MEMBER_ID, _E.COORDINATOR_NOT_AVAILABLE))
            return
        if not group.supports_protocols(request.protocol_type, {p.name for p in request.protocols}):
            respond(join_error(UNKNOWN_MEMBER_ID, _E.INCONSISTENT_GROUP_PROTOCOL))
            return
        instance_id = request.group_instance_id
        new_id = self._new_member_id(instance_id if instance_id is not None else request.client_id)
        if instance_id is not None:
            existing = group.static_members.get(instance_id)
            if existing is not None:
                self.rebalancer.replace_static_member(group, request, existing, new_id, respond)
            else:
                self.rebalancer.add_member(group, request, new_id, respond)
        elif request.require_known_member_id:
            # KIP-394: hand out the id first and admit the member when it comes back
            # with it, so clients that time out and retry do not pile up members.
            group.pending_join_members.add(new_id)
            self.rebalancer.schedule_pending_member(group, new_id, request.session_timeout_ms)
            respond(join_error(new_id, _E.MEMBER_ID_REQUIRED))
        else:
            self.rebalancer.add_member(group, request, new_id, respond)

    def _join_existing_member(
        self, group: ClassicGroup, request: JoinRequest, respond: JoinCallback
    ) -> None:
        member_id = request.member_id
        if group.state is _DEAD:
            respond(join_error(member_id, _E.COORDINATOR_NOT_AVAILABLE))
            return
        if not group.supports_protocols(request.protocol_type, {p.name for p in request.protocols}):
            respond(join_error(member_id, _E.INCONSISTENT_GROUP_PROTOCOL))
            return
        if member_id in group.pending_join_members and request.group_instance_id is None:
            self.rebalancer.add_member(group, request, member_id, respond)
            return
        error = group.validate_member(member_id, request.group_instance_id)
        if error:
            respond(join_error(member_id, error))
            return
        member = group.members[member_id]
        is_leader = group.is_leader(member_id)
        unchanged = member.matches(request.protocols)
        reason = f"member {member_id} rejoins during {group.state.value} (reason: {request.reason})"
        if group.state is _COMPLETING and unchanged:
            # Same metadata: most likely its JoinGroup answer was lost; send it again.
            respond(join_result(group, member_id, with_members=is_leader))
        elif group.state is _STABLE and unchanged and not is_leader:
            respond(join_result(group, member_id, with_members=False))
        elif group.state in (_PREPARING, _COMPLETING, _STABLE):
            # In Stable a leader's JoinGroup always rebalances: that is how a consumer
            # leader reacts to metadata changes its subscription bytes do not show.
            self.rebalancer.update_member(group, member, request, respond, reason)
        else:
            respond(join_error(member_id, _E.UNKNOWN_MEMBER_ID))

    # -- SyncGroup -----------------------------------------------------------------

    def sync_group(self, request: SyncRequest, respond: SyncCallback) -> None:
        error = self._validate_sync(request)
        if error is not None:
            respond(SyncResult(error_code=error))
            return
        group = self._groups[request.group_id]
        member = group.members[request.member_id]
        rebalancer = self.rebalancer
        if group.state is _STABLE:
            rebalancer.remove_pending_sync_member(group, member.member_id)
            rebalancer.schedule_heartbeat(group, member)
            respond(
                SyncResult(
                    error_code=_E.NONE,
                    assignment=member.assignment,
                    protocol_type=group.protocol_type,
                    protocol_name=group.protocol_name,
                )
            )
            return
        # CompletingRebalance: park until the leader's assignment arrives.
        group.complete_sync(member, SyncResult(error_code=_E.REBALANCE_IN_PROGRESS))
        member.sync_callback = respond
        rebalancer.remove_pending_sync_member(group, member.member_id)
        if group.is_leader(member.member_id):
            for each in group.members.values():
                # Members the leader left out get an empty assignment, as in Kafka.
                each.assignment = bytes(request.assignments.get(each.member_id, b""))
            rebalancer.propagate_assignment(group, _E.NONE)
            group.transition_to(_STABLE)
            if self._on_stable is not None:
                self._on_stable(group)

    def _validate_sync(self, request: SyncRequest) -> GroupErrorCode | None:
        if not request.group_id:
            return _E.INVALID_GROUP_ID
        group = self._groups.get(request.group_id)
        if group is None:
            return _E.UNKNOWN_MEMBER_ID
        if group.state is _DEAD:
            return _E.COORDINATOR_NOT_AVAILABLE
        error = group.validate_member(request.member_id, request.group_instance_id)
        if error:
            return error
        if request.generation_id != group.generation_id:
            return _E.ILLEGAL_GENERATION
        if _protocol_inconsistent(request.protocol_type, group.protocol_type):
            return _E.INCONSISTENT_GROUP_PROTOCOL
        if _protocol_inconsistent(request.protocol_name, group.protocol_name):
            return _E.INCONSISTENT_GROUP_PROTOCOL
        return SYNC_ERROR[group.state]

    # -- Heartbeat -----------------------------------------------------------------

    def heartbeat(
        self, group_id: str, member_id: str, group_instance_id: str | None, generation_id: int
    ) -> int:
        if not group_id:
            return _E.INVALID_GROUP_ID
        group = self._groups.get(group_id)
        if group is None:
            return _E.UNKNOWN_MEMBER_ID
        if group.state is _DEAD:
            return _E.COORDINATOR_NOT_AVAILABLE
        error = group.validate_member(member_id, group_instance_id)
        if error:
            return error
        if generation_id != group.generation_id:
            return _E.ILLEGAL_GENERATION
        if group.state is not _EMPTY:
            self.rebalancer.schedule_heartbeat(group, group.members[member_id])
        return HEARTBEAT_ERROR[group.state]

    # -- LeaveGroup ----------------------------------------------------------------

    def leave_group(self, group_id: str, members: Sequence[LeaveMember]) -> LeaveResult:
        if not group_id:
            return LeaveResult(_E.INVALID_GROUP_ID)
        group = self._groups.get(group_id)
        if group is None:
            unknown = _E.UNKNOWN_MEMBER_ID
            return LeaveResult(
                _E.NONE,
                tuple(
                    LeaveMemberResult(m.member_id, m.group_instance_id, unknown) for m in members
                ),
            )
        if group.state is _DEAD:
            return LeaveResult(_E.COORDINATOR_NOT_AVAILABLE)
        results = tuple(
            LeaveMemberResult(m.member_id, m.group_instance_id, self._leave_one(group, m))
            for m in members
        )
        left = [r.member_id or r.group_instance_id for r in results if r.error_code == _E.NONE]
        if left and group.state in (_STABLE, _COMPLETING):
            self.rebalancer.maybe_prepare_rebalance_or_complete_join(group, f"members {left} left")
        elif left and group.state is _PREPARING:
            self.rebalancer.maybe_complete_join_phase(group)
        return LeaveResult(_E.NONE, results)

    def _leave_one(self, group: ClassicGroup, leaving: LeaveMember) -> GroupErrorCode:
        member_id, instance_id = leaving.member_id, leaving.group_instance_id
        if member_id == UNKNOWN_MEMBER_ID:
            # KIP-345: an admin removes static members by group instance id alone.
            existing = group.static_members.get(instance_id) if instance_id is not None else None
            if existing is None:
                return _E.UNKNOWN_MEMBER_ID
            member_id = existing
        elif member_id in group.pending_join_members:
            group.remove(member_id)
            self.rebalancer.cancel_heartbeat(group, member_id)
            return _E.NONE
        else:
            error = group.validate_member(member_id, instance_id)
            if error:
                return error
        member = group.members[member_id]
        log.info(
            "group %s: member %s leaves (reason: %s)", group.group_id, member_id, leaving.reason
        )
        self.rebalancer.cancel_heartbeat(group, member_id)
        group.complete_join(member, join_error(UNKNOWN_MEMBER_ID, _E.UNKNOWN_MEMBER_ID))
        group.complete_sync(member, SyncResult(error_code=_E.UNKNOWN_MEMBER_ID))
        group.remove(member_id)
        return _E.NONE
