"""ConsumerGroupHeartbeat and the rest of the consumer group protocol (KIP-848),
synchronously: the consumer half of Kafka's ``GroupMetadataManager``.

One heartbeat does everything Kafka's does, in the same order:
1. validate the request (INVALID_REQUEST, UNSUPPORTED_ASSIGNOR, INVALID_REGULAR_EXPRESSION);
2. find or create the member: epoch 0 joins (a static member with an instance id whose
   previous incarnation left with epoch -2 takes over its epoch and partitions; one still
   active answers UNRELEASED_INSTANCE_ID), epoch -1 leaves, epoch -2 leaves for a while
   (a static member keeps its partitions until its session expires), any other epoch
   must be the member's current one, or its previous one while it owns a subset of its
   partitions (a lost response), else FENCED_MEMBER_EPOCH;
3. bump the group epoch if the member is new, its subscription or assignor changed, or
   the subscribed topics' metadata did (created, deleted, partitions added);
4. recompute the target assignment if the group epoch passed the assignment epoch;
5. reconcile the member towards its target (consumer_group.py) and answer its epoch,
   the heartbeat interval and, when it changed or the request was a full one, its
   assignment.

Timers: each heartbeat re-arms the member's session (``group.consumer.session.timeout.ms``);
a member asked to revoke partitions must do so within its rebalance timeout. Either timer
expiring fences the member: it leaves the group and its partitions go to the others.

Offsets: ``validate_commit``/``validate_fetch`` are ``ConsumerGroup.validateOffsetCommit``
and ``validateOffsetFetch``: member id and member epoch must be current
(UNKNOWN_MEMBER_ID, STALE_MEMBER_EPOCH); an empty group takes commits from outside.

Persistence: ``on_change`` hands every changed group to the coordinator, which writes its
records (consumer_persistence.py); ``restore`` takes a group back after a restart.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Collection, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace

from .api import GroupConfig
from .assignors import ASSIGNORS, AssignmentSpec, TopicMetadata
from .consumer_group import (
    LEAVE_GROUP_MEMBER_EPOCH,
    LEAVE_GROUP_STATIC_MEMBER_EPOCH,
    ConsumerGroup,
    ConsumerGroupState,
    ConsumerMember,
    MemberState,
    reconcile,
)
from .errors import GroupErrorCode
from .timer import Timer
from .topic_regex import InvalidRegexError, compile_topic_regex, matching_topics

__all__ = ["ConsumerGroupError", "ConsumerGroupManager", "ConsumerHeartbeat", "HeartbeatResult"]

log = logging.getLogger(__name__)

_E = GroupErrorCode
# ConsumerGroupHeartbeat v1+: the consumer generates its member id (KIP-1082).
CONSUMER_GENERATED_MEMBER_ID_VERSION = 1

TopicsProvider = Callable[[], Mapping[str, TopicMetadata]]


class ConsumerGroupError(Exception):
    def __init__(self, code: GroupErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True, kw_only=True)
class ConsumerHeartbeat:
    """A ConsumerGroupHeartbeat request, wire-agnostic: topic partitions by topic id."""

    group_id: str
    member_id: str
    member_epoch: int
    instance_id: str | None = None
    rack_id: str | None = None
    rebalance_timeout_ms: int = -1
    subscribed_topic_names: Sequence[str] | None = None
    subscribed_topic_regex: str | None = None
    server_assignor: str | None = None
    owned: Mapping[uuid.UUID, Sequence[int]] | None = None
    client_id: str = ""
    client_host: str = ""
    api_version: int = 1


@dataclass(frozen=True, slots=True)
class HeartbeatResult:
    error_code: int = 0
    error_message: str | None = None
    member_id: str | None = None
    member_epoch: int = 0
    heartbeat_interval_ms: int = 0
    assignment: Mapping[uuid.UUID, frozenset[int]] | None = None


class ConsumerGroupManager:
    def __init__(
        self,
        config: GroupConfig,
        timer: Timer,
        topics: TopicsProvider,
        *,
        member_id_factory: Callable[[], str] = lambda: str(uuid.uuid4()),
        on_change: Callable[[ConsumerGroup], None] | None = None,
    ) -> None:
        """``topics`` lists the existing non-internal topics by name; ``on_change`` is
        called after each change of a group (to persist it)."""
        self.on_change = on_change
        self.config = config
        self.timer = timer
        self._topics = topics
        self._groups: dict[str, ConsumerGroup] = {}
        self._new_member_id = member_id_factory
        self._join_timeouts: set[tuple[str, str]] = set()
        self.downgrade: Callable[[ConsumerGroup, Collection[str]], bool] | None = None
        """Asked before members leave or are fenced: returns True when it turned the group
        into a classic group without them instead (migration.py)."""

    # -- registry ------------------------------------------------------------------

    def get(self, group_id: str) -> ConsumerGroup | None:
        return self._groups.get(group_id)

    def all_groups(self) -> list[ConsumerGroup]:
        return list(self._groups.values())

    def restore(self, group: ConsumerGroup) -> None:
        """Take back a group read from disk; each member has a session's time to heartbeat."""
        self._groups[group.group_id] = group
        for member in group.members.values():
            self._schedule_session(group, member)

    def _changed(self, group: ConsumerGroup) -> None:
        if self.on_change is not None:
            self.on_change(group)

    def remove_group(self, group_id: str) -> None:
        group = self._groups.pop(group_id, None)
        if group is not None:
            for member_id in list(group.members):
                self._cancel_timers(group_id, member_id)
            group.dead = True

    @property
    def assignor_names(self) -> list[str]:
        return [name for name in self.config.group_consumer_assignors if name in ASSIGNORS]

    # -- heartbeat -----------------------------------------------------------------

    def heartbeat(self, request: ConsumerHeartbeat, *, create: Callable[[], bool] = lambda: True) -> HeartbeatResult:
        """Answer a heartbeat. ``create`` is asked before a new group is made; it returns
        False when the id belongs to a group of another type that cannot convert."""
        try:
            self._validate(request)
            return self._heartbeat(request, create)
        except ConsumerGroupError as exc:
            return HeartbeatResult(error_code=exc.code, error_message=str(exc))

    def _validate(self, request: ConsumerHeartbeat) -> None:
        def invalid(message: str) -> ConsumerGroupError:
            return ConsumerGroupError(_E.INVALID_REQUEST, message)

        epoch = request.member_epoch
        if (request.api_version >= CONSUMER_GENERATED_MEMBER_ID_VERSION or epoch > 0
                or epoch == LEAVE_GROUP_MEMBER_EPOCH) and not request.member_id:
            raise invalid("MemberId can't be empty.")
        if not request.group_id:
            raise invalid("GroupId can't be empty.")
        if request.rack_id == "":
            raise invalid("RackId can't be empty.")
        if epoch == 0:
            if request.rebalance_timeout_ms == -1:
                raise invalid("RebalanceTimeoutMs must be provided in first request.")
            if request.owned is None or any(request.owned.values()):
                raise invalid("TopicPartitions must be empty when (re-)joining.")
            if not request.subscribed_topic_names and not request.subscribed_topic_regex:
                raise invalid("SubscribedTopicNames or SubscribedTopicRegex must be set in first request.")
        elif epoch == LEAVE_GROUP_STATIC_MEMBER_EPOCH:
            if request.instance_id is None:
                raise invalid("InstanceId can't be null.")
        elif epoch < LEAVE_GROUP_STATIC_MEMBER_EPOCH:
            raise invalid("MemberEpoch is invalid.")
        if request.server_assignor is not None and request.server_assignor not in self.assignor_names:
            raise ConsumerGroupError(
                _E.UNSUPPORTED_ASSIGNOR,
                f"ServerAssignor {request.server_assignor} is not supported. "
                f"Supported assignors: {', '.join(self.assignor_names)}.",
            )
        if request.subscribed_topic_regex:
            try:
                compile_topic_regex(request.subscribed_topic_regex)
            except InvalidRegexError as exc:
                raise ConsumerGroupError(
                    _E.INVALID_REGULAR_EXPRESSION,
                    f"SubscribedTopicRegex `{request.subscribed_topic_regex}` is not a valid regular expression: {exc}.",
                ) from None

    def _heartbeat(self, request: ConsumerHeartbeat, create: Callable[[], bool]) -> HeartbeatResult:
        group_id = request.group_id
        group = self._groups.get(group_id)
        if group is None:
            if request.member_epoch != 0:
                raise ConsumerGroupError(_E.UNKNOWN_MEMBER_ID, f"Consumer group {group_id} not found.")
            if not create():
                raise ConsumerGroupError(_E.GROUP_ID_NOT_FOUND, f"Group {group_id} is not a consumer group.")
            # ``create`` may have put in a group converted from a classic one.
            group = self._groups.get(group_id) or self._groups.setdefault(group_id, ConsumerGroup(group_id))
        if request.member_epoch == LEAVE_GROUP_MEMBER_EPOCH:
            return self._leave(group, request)
        if request.member_epoch == LEAVE_GROUP_STATIC_MEMBER_EPOCH:
            return self._leave_static(group, request)

        bump = False
        if request.member_epoch == 0:
            member, bump = self._join(group, request)
        else:
            known = group.members.get(request.member_id)
            if known is None:
                raise ConsumerGroupError(
                    _E.UNKNOWN_MEMBER_ID, f"Member {request.member_id} is not a member of group {group_id}."
                )
            member = known
            if member.instance_id != request.instance_id and request.instance_id is not None:
                raise ConsumerGroupError(
                    _E.FENCED_INSTANCE_ID, f"Member {request.member_id} has another instance id."
                )
            self._check_epoch(member, request)

        updated = self._apply_request(member, request)
        if updated != member and _subscription_changed(member, updated):
            bump = True
        group.put_member(updated)
        member = updated

        metadata = self._subscribed_metadata(group)
        if metadata != group.metadata:
            group.metadata = metadata
            bump = True
        if bump or group.group_epoch == 0:
            group.group_epoch += 1
        if group.group_epoch > group.assignment_epoch:
            self._update_target(group)

        previous = member
        member = reconcile(
            member,
            group.assignment_epoch,
            group.target.get(member.member_id, {}),
            lambda tid, p: group.partition_owners.get((tid, p)),
            request.owned,
        )
        if member != previous:
            group.put_member(member)
        self._schedule_session(group, member)
        self._schedule_rebalance(group, member, previous)

        self._changed(group)
        full = request.member_epoch == 0 or (
            request.rebalance_timeout_ms != -1
            and (request.subscribed_topic_names is not None or request.subscribed_topic_regex is not None)
            and request.owned is not None
        )
        assignment = member.assigned if full or member.assigned != previous.assigned else None
        return HeartbeatResult(
            member_id=member.member_id,
            member_epoch=member.member_epoch,
            heartbeat_interval_ms=self.config.group_consumer_heartbeat_interval_ms,
            assignment=assignment,
        )

    def _join(self, group: ConsumerGroup, request: ConsumerHeartbeat) -> tuple[ConsumerMember, bool]:
        member_id = request.member_id or self._new_member_id()
        if request.instance_id is not None:
            existing = group.static_member(request.instance_id)
            if existing is not None and existing.member_id != member_id:
                # A member of the classic protocol is replaced whether it left or not.
                if existing.member_epoch != LEAVE_GROUP_STATIC_MEMBER_EPOCH and existing.classic is None:
                    raise ConsumerGroupError(
                        _E.UNRELEASED_INSTANCE_ID,
                        f"Static member {existing.member_id} with instance id {request.instance_id} "
                        "is still active. It must leave first.",
                    )
                # The new incarnation takes over the old one's epoch, partitions and target.
                target = group.target.get(existing.member_id)
                group.remove_member(existing.member_id)
                self._cancel_timers(group.group_id, existing.member_id)
                replacement = replace(
                    existing, member_id=member_id, member_epoch=existing.previous_member_epoch
                    if existing.member_epoch < 0 else existing.member_epoch, classic=None,
                )
                group.put_member(replacement)
                if target is not None:
                    group.target[member_id] = target
                return replacement, False
        existing = group.members.get(member_id)
        if existing is not None:
            # A member rejoining with epoch 0 has given up everything it held.
            group.remove_member(member_id)
            self._cancel_timers(group.group_id, member_id)
        if len(group.members) >= self.config.group_consumer_max_size:
            raise ConsumerGroupError(
                _E.GROUP_MAX_SIZE_REACHED,
                f"The consumer group has reached its maximum capacity of {self.config.group_consumer_max_size} members.",
            )
        log.info("group %s: member %s joins", group.group_id, member_id)
        return ConsumerMember(
            member_id=member_id, client_id=request.client_id, client_host=request.client_host
        ), True

    @staticmethod
    def _check_epoch(member: ConsumerMember, request: ConsumerHeartbeat) -> None:
        received = request.member_epoch
        if received > member.member_epoch:
            raise ConsumerGroupError(
                _E.FENCED_MEMBER_EPOCH,
                f"The consumer group member has a greater member epoch ({received}) than the one "
                f"known by the group coordinator ({member.member_epoch}). The member must abandon "
                "all its partitions and rejoin.",
            )
        if received < member.member_epoch:
            # The response with the new epoch may have been lost: accept the previous epoch
            # while the member owns only partitions it still has.
            owned = request.owned
            subset = owned is not None and all(
                p in member.assigned.get(tid, ()) for tid, parts in owned.items() for p in parts
            )
            if received != member.previous_member_epoch or not subset:
                raise ConsumerGroupError(
                    _E.FENCED_MEMBER_EPOCH,
                    f"The consumer group member has a smaller member epoch ({received}) than the "
                    f"one known by the group coordinator ({member.member_epoch}). The member must "
                    "abandon all its partitions and rejoin.",
                )

    @staticmethod
    def _apply_request(member: ConsumerMember, request: ConsumerHeartbeat) -> ConsumerMember:
        changes: dict[str, object] = {}
        if request.instance_id is not None:
            changes["instance_id"] = request.instance_id
        if request.rack_id is not None:
            changes["rack_id"] = request.rack_id
        if request.rebalance_timeout_ms != -1:
            changes["rebalance_timeout_ms"] = request.rebalance_timeout_ms
        if request.subscribed_topic_names is not None:
            changes["subscribed_topic_names"] = tuple(sorted(request.subscribed_topic_names))
        if request.subscribed_topic_regex is not None:
            changes["subscribed_topic_regex"] = request.subscribed_topic_regex or None
        if request.server_assignor is not None:
            changes["server_assignor"] = request.server_assignor
        if request.client_id:
            changes["client_id"] = request.client_id
        if request.client_host:
            changes["client_host"] = request.client_host
        return replace(member, **changes) if changes else member  # type: ignore[arg-type]

    def _leave(self, group: ConsumerGroup, request: ConsumerHeartbeat) -> HeartbeatResult:
        member = group.members.get(request.member_id)
        if member is None:
            raise ConsumerGroupError(
                _E.UNKNOWN_MEMBER_ID, f"Member {request.member_id} is not a member of group {group.group_id}."
            )
        if not self.maybe_downgrade(group, [member.member_id]):
            self._fence(group, member.member_id, "left the group")
            self._changed(group)
        return HeartbeatResult(member_id=request.member_id, member_epoch=LEAVE_GROUP_MEMBER_EPOCH)

    def _leave_static(self, group: ConsumerGroup, request: ConsumerHeartbeat) -> HeartbeatResult:
        member = group.members.get(request.member_id)
        if member is None:
            raise ConsumerGroupError(
                _E.UNKNOWN_MEMBER_ID, f"Member {request.member_id} is not a member of group {group.group_id}."
            )
        if member.instance_id != request.instance_id:
            raise ConsumerGroupError(_E.FENCED_INSTANCE_ID, f"Member {request.member_id} has another instance id.")
        # It keeps its partitions, withheld from the others, until it comes back or its
        # session expires.
        group.put_member(member.with_epoch(LEAVE_GROUP_STATIC_MEMBER_EPOCH))
        self.timer.cancel(("consumer-rebalance", group.group_id, member.member_id))
        log.info("group %s: static member %s (%s) left for now", group.group_id, member.member_id, member.instance_id)
        self._changed(group)
        return HeartbeatResult(member_id=request.member_id, member_epoch=LEAVE_GROUP_STATIC_MEMBER_EPOCH)

    # -- assignment ----------------------------------------------------------------

    def member_topics(self, member: ConsumerMember, all_topics: Mapping[str, TopicMetadata]) -> frozenset[str]:
        topics = set(member.subscribed_topic_names)
        if member.subscribed_topic_regex:
            with suppress(InvalidRegexError):  # an invalid pattern matches nothing
                topics |= matching_topics(member.subscribed_topic_regex, all_topics)
        return frozenset(topics)

    def _subscribed_metadata(self, group: ConsumerGroup) -> dict[str, TopicMetadata]:
        all_topics = self._topics()
        wanted: set[str] = set()
        for member in group.members.values():
            wanted |= self.member_topics(member, all_topics)
        return {name: all_topics[name] for name in sorted(wanted) if name in all_topics}

    def _update_target(self, group: ConsumerGroup) -> None:
        all_topics = group.metadata
        names = self.assignor_names
        assignor_name = group.preferred_assignor(names[0] if names else "uniform")
        assignor = ASSIGNORS[assignor_name]
        # group.metadata holds exactly the subscribed topics that exist (regex matches included).
        spec = AssignmentSpec(
            subscriptions={
                member_id: self.member_topics(member, all_topics) for member_id, member in group.members.items()
            },
            topics=all_topics,
            current=group.target,
        )
        group.target = assignor.assign(spec)
        group.assignment_epoch = group.group_epoch
        group.assignor_name = assignor_name

    # -- timers --------------------------------------------------------------------

    def _schedule_session(self, group: ConsumerGroup, member: ConsumerMember) -> None:
        group_id, member_id = group.group_id, member.member_id
        timeout = (
            member.classic.session_timeout_ms if member.classic is not None
            else self.config.group_consumer_session_timeout_ms
        )
        self.timer.schedule(
            ("consumer-session", group_id, member_id),
            timeout,
            lambda: self._expire(group_id, member_id, "session timed out"),
        )

    def schedule_join_timeout_if_absent(self, group: ConsumerGroup, member: ConsumerMember) -> None:
        """A member of the classic protocol told to rejoin must do so within its
        rebalance timeout, or it is fenced."""
        group_id, member_id = group.group_id, member.member_id
        if (group_id, member_id) in self._join_timeouts:
            return
        self._join_timeouts.add((group_id, member_id))

        def expire() -> None:
            self._join_timeouts.discard((group_id, member_id))
            self._expire(group_id, member_id, "did not rejoin within the rebalance timeout")

        self.timer.schedule(("consumer-join", group_id, member_id), member.rebalance_timeout_ms, expire)

    def cancel_join_timeout(self, group_id: str, member_id: str) -> None:
        self._join_timeouts.discard((group_id, member_id))
        self.timer.cancel(("consumer-join", group_id, member_id))

    def schedule_sync_timeout(self, group: ConsumerGroup, member: ConsumerMember) -> None:
        """A member of the classic protocol must send its SyncGroup within its
        rebalance timeout after its JoinGroup, or it is fenced."""
        group_id, member_id = group.group_id, member.member_id
        self.timer.schedule(
            ("consumer-sync", group_id, member_id),
            member.rebalance_timeout_ms,
            lambda: self._expire(group_id, member_id, "did not sync within the rebalance timeout"),
        )

    def cancel_sync_timeout(self, group_id: str, member_id: str) -> None:
        self.timer.cancel(("consumer-sync", group_id, member_id))

    def schedule_session(self, group: ConsumerGroup, member: ConsumerMember) -> None:
        self._schedule_session(group, member)

    def _schedule_rebalance(self, group: ConsumerGroup, member: ConsumerMember, before: ConsumerMember) -> None:
        key = ("consumer-rebalance", group.group_id, member.member_id)
        if member.state is MemberState.UNREVOKED_PARTITIONS:
            if before.state is not MemberState.UNREVOKED_PARTITIONS or before.pending_revocation != member.pending_revocation:
                group_id, member_id, epoch = group.group_id, member.member_id, member.member_epoch

                def expire() -> None:
                    current = self._groups.get(group_id)
                    held = current.members.get(member_id) if current else None
                    if held is not None and held.state is MemberState.UNREVOKED_PARTITIONS and held.member_epoch == epoch:
                        self._expire(group_id, member_id, "did not revoke its partitions within the rebalance timeout")

                self.timer.schedule(key, member.rebalance_timeout_ms, expire)
        else:
            self.timer.cancel(key)

    def _expire(self, group_id: str, member_id: str, reason: str) -> None:
        group = self._groups.get(group_id)
        if group is not None and member_id in group.members:
            log.info("group %s: member %s %s", group_id, member_id, reason)
            if not self.maybe_downgrade(group, [member_id]):
                self._fence(group, member_id, reason)
                self._changed(group)

    def maybe_downgrade(self, group: ConsumerGroup, leaving: Collection[str]) -> bool:
        return self.downgrade is not None and self.downgrade(group, leaving)

    def fence_members(self, group: ConsumerGroup, member_ids: Sequence[str], reason: str) -> None:
        """Remove members at once and bump the group epoch once (LeaveGroup of members of
        the classic protocol)."""
        for member_id in member_ids:
            group.remove_member(member_id)
            self._cancel_timers(group.group_id, member_id)
        group.group_epoch += 1
        group.metadata = self._subscribed_metadata(group)
        log.info("group %s: members %s %s; group epoch %d", group.group_id, list(member_ids), reason, group.group_epoch)
        self._changed(group)

    def detach(self, group_id: str) -> None:
        """Forget a group that became a classic group, with its timers."""
        group = self._groups.pop(group_id, None)
        if group is not None:
            for member_id in group.members:
                self._cancel_timers(group_id, member_id)

    def _fence(self, group: ConsumerGroup, member_id: str, reason: str) -> None:
        """Remove a member; its partitions become free and the group epoch grows, so the
        next heartbeat of any member computes a new target assignment."""
        group.remove_member(member_id)
        self._cancel_timers(group.group_id, member_id)
        group.group_epoch += 1
        group.metadata = self._subscribed_metadata(group)
        log.info("group %s: member %s %s; group epoch %d", group.group_id, member_id, reason, group.group_epoch)

    def _cancel_timers(self, group_id: str, member_id: str) -> None:
        self.timer.cancel(("consumer-session", group_id, member_id))
        self.timer.cancel(("consumer-rebalance", group_id, member_id))
        self.cancel_join_timeout(group_id, member_id)
        self.cancel_sync_timeout(group_id, member_id)

    def shutdown(self) -> None:
        for group in self._groups.values():
            for member_id in group.members:
                self._cancel_timers(group.group_id, member_id)

    # -- offsets -------------------------------------------------------------------

    def validate_commit(
        self, group: ConsumerGroup, member_id: str, member_epoch: int, *, transactional: bool, api_version_ok: bool
    ) -> GroupErrorCode:
        if member_epoch < 0 and not group.members:
            return _E.NONE
        if transactional and member_epoch < 0 and not member_id:
            return _E.NONE
        member = group.members.get(member_id)
        if member is None:
            return _E.UNKNOWN_MEMBER_ID
        if member.classic is not None:
            # A member of the classic protocol commits with its generation: its epoch.
            return _E.ILLEGAL_GENERATION if member_epoch != member.member_epoch else _E.NONE
        if not transactional and not api_version_ok:
            return _E.UNSUPPORTED_VERSION
        if member_epoch != member.member_epoch:
            return _E.STALE_MEMBER_EPOCH
        return _E.NONE

    def validate_fetch(self, group: ConsumerGroup, member_id: str | None, member_epoch: int) -> GroupErrorCode:
        if member_epoch < 0 and not member_id:
            return _E.NONE  # an admin or a consumer outside the group
        member = group.members.get(member_id or "")
        if member is None:
            return _E.UNKNOWN_MEMBER_ID
        if member_epoch != member.member_epoch:
            return _E.ILLEGAL_GENERATION if member.classic is not None else _E.STALE_MEMBER_EPOCH
        return _E.NONE


def _subscription_changed(before: ConsumerMember, after: ConsumerMember) -> bool:
    return (
        before.subscribed_topic_names != after.subscribed_topic_names
        or before.subscribed_topic_regex != after.subscribed_topic_regex
        or before.server_assignor != after.server_assignor
        or before.rack_id != after.rack_id
    )


def is_consumer_group_state(group: ConsumerGroup, states: set[str] | None) -> bool:
    return states is None or group.state.value.lower() in states


__all__ += ["ConsumerGroupState", "is_consumer_group_state"]
