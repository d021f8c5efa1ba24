"""JoinGroup, SyncGroup, Heartbeat and LeaveGroup from members of the classic protocol
in a consumer group (KIP-848 online migration): Kafka's ``classicGroupJoinToConsumerGroup``,
``classicGroupSyncToConsumerGroup``, ``classicGroupHeartbeatToConsumerGroup`` and
``classicGroupLeaveToConsumerGroup``.

The server-side assignor assigns such members like any other: a JoinGroup updates the
member's subscription (read from its protocol metadata), bumps the group epoch when it
changed, recomputes the target assignment and reconciles the member with the partitions
its subscription says it owns. The answer comes at once: its generation is the member
epoch, its leader nobody (no member assigns), its protocol the member's first. SyncGroup
hands out the member's assigned partitions as a ConsumerProtocolAssignment. A Heartbeat
answers REBALANCE_IN_PROGRESS, so the member rejoins, when the group epoch passed the
member's, when the member must revoke partitions, or when partitions it waits for became
free. Timers: the member's own session timeout; a SyncGroup due within the rebalance
timeout after each JoinGroup, and a JoinGroup within it after a REBALANCE_IN_PROGRESS.
LeaveGroup removes members of either protocol (an admin removes static members by
instance id); when only classic members are left the group may turn classic
(migration.py). A static member that comes back with a new member id replaces its
predecessor, and if that was the last member of the consumer protocol the group turns
classic at once: Stable when the subscription is the predecessor's, else a rebalance
starts (KAFKA-19546) and the member, answered at epoch 0, rejoins. A subscription that
does not parse answers UNKNOWN_SERVER_ERROR, as Kafka's IllegalStateException does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace

from .api import (
    CONSUMER_PROTOCOL_TYPE,
    UNKNOWN_MEMBER_ID,
    JoinRequest,
    JoinResult,
    LeaveMember,
    LeaveMemberResult,
    LeaveResult,
    SyncRequest,
    SyncResult,
)
from .consumer_group import (
    ClassicMemberMetadata,
    ConsumerGroup,
    ConsumerMember,
    MemberState,
    reconcile,
)
from .consumer_manager import ConsumerGroupManager, _subscription_changed
from .errors import GroupErrorCode
from .migration import (
    MalformedConsumerProtocolError,
    by_topic_id,
    by_topic_name,
    decode_subscription,
    encode_assignment,
    subscription_version,
)

__all__ = ["ClassicMembers"]

log = logging.getLogger(__name__)

_E = GroupErrorCode


class _Refused(Exception):
    def __init__(self, code: GroupErrorCode) -> None:
        super().__init__(code)
        self.code = code


class ClassicMembers:
    """The classic protocol's requests against consumer groups of ``manager``."""

    def __init__(
        self, manager: ConsumerGroupManager, *, downgrade: Callable[[ConsumerGroup, bool], bool] | None = None
    ) -> None:
        """``downgrade(group, subscription_changed)`` is asked after a static member of the
        classic protocol replaced a member of the consumer protocol; it returns True when
        it turned the group into a classic group (rebalancing when the subscription
        changed)."""
        self.manager = manager
        self.downgrade = downgrade

    # -- JoinGroup -----------------------------------------------------------------

    def join(self, group: ConsumerGroup, request: JoinRequest) -> JoinResult:
        try:
            return self._join(group, request)
        except _Refused as exc:
            return JoinResult(error_code=exc.code, member_id=request.member_id)

    def _join(self, group: ConsumerGroup, request: JoinRequest) -> JoinResult:
        manager, config = self.manager, self.manager.config
        if not config.group_min_session_timeout_ms <= request.session_timeout_ms <= config.group_max_session_timeout_ms:
            raise _Refused(_E.INVALID_SESSION_TIMEOUT)  # checked for every JoinGroup, as Kafka does
        member_id = request.member_id
        unknown = member_id == UNKNOWN_MEMBER_ID
        if unknown:
            member_id = manager._new_member_id()
        if member_id not in group.members and len(group.members) >= config.group_consumer_max_size:
            raise _Refused(_E.GROUP_MAX_SIZE_REACHED)
        if not group.supports_classic_protocols(request.protocol_type, [p.name for p in request.protocols]):
            raise _Refused(_E.INCONSISTENT_GROUP_PROTOCOL)
        if unknown and request.require_known_member_id and request.group_instance_id is None:
            # KIP-394: hand out the id; the member joins when it comes back with it.
            return JoinResult(error_code=_E.MEMBER_ID_REQUIRED, member_id=member_id)
        try:
            subscription = decode_subscription(request.protocols[0].metadata)
        except MalformedConsumerProtocolError as exc:
            # Kafka's deserializeSubscription turns the SchemaException into an
            # IllegalStateException, which the coordinator answers UNKNOWN_SERVER_ERROR.
            log.error("group %s: JoinGroup of %s failed: malformed embedded consumer protocol in "
                      "subscription deserialization: %s", group.group_id, member_id, exc)
            raise _Refused(_E.UNKNOWN_SERVER_ERROR) from None

        member, new, replaced = self._member(group, member_id, request.group_instance_id)
        changes: dict[str, object] = {
            "subscribed_topic_names": subscription.topics,
            "client_id": request.client_id,
            "client_host": request.client_host,
            "classic": ClassicMemberMetadata(request.session_timeout_ms, tuple(request.protocols)),
        }
        if request.group_instance_id is not None:
            changes["instance_id"] = request.group_instance_id
        if subscription.rack_id is not None:
            changes["rack_id"] = subscription.rack_id
        if request.rebalance_timeout_ms != -1:
            changes["rebalance_timeout_ms"] = request.rebalance_timeout_ms
        updated = replace(member, **changes)  # type: ignore[arg-type]
        changed = _subscription_changed(member, updated)
        bump = new or changed
        group.put_member(updated)
        replaced_consumer_member = replaced is not None and replaced.classic is None
        if replaced_consumer_member and changed and self.downgrade is not None and self.downgrade(group, True):
            # KAFKA-19546: the last member of the consumer protocol was replaced by one
            # with another subscription. Kafka downgrades without bumping the group epoch
            # or reconciling, and starts a rebalance; the member's epoch is still 0.
            assert updated.classic is not None
            return JoinResult(
                error_code=_E.NONE, member_id=member_id, generation_id=updated.member_epoch,
                protocol_type=CONSUMER_PROTOCOL_TYPE, protocol_name=updated.classic.protocol_name,
            )
        metadata = manager._subscribed_metadata(group)
        if metadata != group.metadata:
            group.metadata = metadata
            bump = True
        if bump:
            group.group_epoch += 1
        if group.group_epoch > group.assignment_epoch:
            manager._update_target(group)

        owned = by_topic_id(subscription.owned, manager._topics())
        reconciled = reconcile(
            updated,
            group.assignment_epoch,
            group.target.get(member_id, {}),
            lambda tid, p: group.partition_owners.get((tid, p)),
            owned,
        )
        if reconciled != updated:
            group.put_member(reconciled)
        assert reconciled.classic is not None
        if replaced_consumer_member and self.downgrade is not None and self.downgrade(group, False):
            # The last member of the consumer protocol was replaced: the group is classic
            # now, Stable at the group epoch, and the new member holds what it held.
            return JoinResult(
                error_code=_E.NONE, member_id=member_id, generation_id=group.group_epoch,
                protocol_type=CONSUMER_PROTOCOL_TYPE, protocol_name=reconciled.classic.protocol_name,
            )
        manager.cancel_join_timeout(group.group_id, member_id)
        manager.schedule_session(group, reconciled)
        manager.schedule_sync_timeout(group, reconciled)
        manager._changed(group)
        log.info(
            "group %s: member %s of the classic protocol joins at epoch %d (group epoch %d)",
            group.group_id, member_id, reconciled.member_epoch, group.group_epoch,
        )
        return JoinResult(
            error_code=_E.NONE,
            member_id=member_id,
            generation_id=reconciled.member_epoch,
            protocol_type=CONSUMER_PROTOCOL_TYPE,
            protocol_name=reconciled.classic.protocol_name,
        )

    def _member(
        self, group: ConsumerGroup, member_id: str, instance_id: str | None
    ) -> tuple[ConsumerMember, bool, ConsumerMember | None]:
        """The joining member, whether it is new, and the member it replaced: a static
        member that comes back with a new member id takes over its predecessor's
        partitions."""
        manager = self.manager
        if instance_id is not None:
            existing = group.static_member(instance_id)
            if existing is not None and existing.member_id != member_id:
                target = group.target.get(existing.member_id)
                group.remove_member(existing.member_id)
                manager._cancel_timers(group.group_id, existing.member_id)
                replacement = replace(existing, member_id=member_id, member_epoch=0, previous_member_epoch=0)
                group.put_member(replacement)
                if target is not None:
                    group.target[member_id] = target
                log.info(
                    "group %s: static member %s (%s) replaces %s",
                    group.group_id, member_id, instance_id, existing.member_id,
                )
                return replacement, False, existing
        member = group.members.get(member_id)
        if member is not None:
            return member, False, None
        return ConsumerMember(member_id=member_id), True, None

    # -- SyncGroup -----------------------------------------------------------------

    def sync(self, group: ConsumerGroup, request: SyncRequest) -> SyncResult:
        try:
            member = self._validate(group, request.member_id, request.group_instance_id, request.generation_id)
        except _Refused as exc:
            return SyncResult(error_code=exc.code)
        assert member.classic is not None
        if request.protocol_type is not None and request.protocol_type != CONSUMER_PROTOCOL_TYPE:
            return SyncResult(error_code=_E.INCONSISTENT_GROUP_PROTOCOL)
        if request.protocol_name is not None and request.protocol_name != member.classic.protocol_name:
            return SyncResult(error_code=_E.INCONSISTENT_GROUP_PROTOCOL)
        if group.group_epoch > member.member_epoch and member.state is not MemberState.UNREVOKED_PARTITIONS:
            self.manager.schedule_join_timeout_if_absent(group, member)
            return SyncResult(error_code=_E.REBALANCE_IN_PROGRESS)
        self.manager.cancel_sync_timeout(group.group_id, member.member_id)
        self.manager.schedule_session(group, member)
        assignment = encode_assignment(
            by_topic_name(member.assigned, {**self.manager._topics(), **group.metadata}),
            subscription_version(member.classic),
        )
        return SyncResult(
            error_code=_E.NONE,
            assignment=assignment,
            protocol_type=request.protocol_type,
            protocol_name=request.protocol_name,
        )

    # -- Heartbeat -----------------------------------------------------------------

    def heartbeat(
        self, group: ConsumerGroup, member_id: str, instance_id: str | None, generation_id: int
    ) -> GroupErrorCode:
        try:
            member = self._validate(group, member_id, instance_id, generation_id)
        except _Refused as exc:
            return exc.code
        self.manager.schedule_session(group, member)
        if (
            member.member_epoch < group.group_epoch
            or member.state is MemberState.UNREVOKED_PARTITIONS
            or (
                member.state is MemberState.UNRELEASED_PARTITIONS
                and not group.waiting_on_unreleased_partition(member)
            )
        ):
            self.manager.schedule_join_timeout_if_absent(group, member)
            return _E.REBALANCE_IN_PROGRESS
        return _E.NONE

    def _validate(
        self, group: ConsumerGroup, member_id: str, instance_id: str | None, generation_id: int
    ) -> ConsumerMember:
        if instance_id is None:
            member = group.members.get(member_id)
            if member is None:
                raise _Refused(_E.UNKNOWN_MEMBER_ID)
        else:
            member = group.static_member(instance_id)
            if member is None:
                raise _Refused(_E.UNKNOWN_MEMBER_ID)
            if member.member_id != member_id:
                raise _Refused(_E.FENCED_INSTANCE_ID)
        if member.classic is None:
            raise _Refused(_E.UNKNOWN_MEMBER_ID)
        if generation_id != member.member_epoch:
            raise _Refused(_E.ILLEGAL_GENERATION)
        return member

    # -- LeaveGroup ----------------------------------------------------------------

    def leave(self, group: ConsumerGroup, members: Sequence[LeaveMember]) -> LeaveResult:
        results: list[LeaveMemberResult] = []
        leaving: list[str] = []
        for each in members:
            member_id, instance_id = each.member_id, each.group_instance_id
            if instance_id is None:
                member = group.members.get(member_id)
            else:
                member = group.static_member(instance_id)
                if member is not None and member_id != UNKNOWN_MEMBER_ID and member.member_id != member_id:
                    results.append(LeaveMemberResult(member_id, instance_id, _E.FENCED_INSTANCE_ID))
                    continue
            if member is None or member.member_id in leaving:
                results.append(LeaveMemberResult(member_id, instance_id, _E.UNKNOWN_MEMBER_ID))
                continue
            # An admin may remove a member of either protocol (by its instance id).
            log.info("group %s: member %s leaves (reason: %s)", group.group_id, member.member_id, each.reason)
            leaving.append(member.member_id)
            results.append(LeaveMemberResult(member.member_id, instance_id, _E.NONE))
        if leaving and not self.manager.maybe_downgrade(group, leaving):
            self.manager.fence_members(group, leaving, "left the group")
        return LeaveResult(_E.NONE, tuple(results))
