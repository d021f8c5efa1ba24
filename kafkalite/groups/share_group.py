"""Share groups (KIP-932): membership, the ``simple`` assignor, share sessions and the
share partitions of each group, synchronously (the share half of Kafka's
``GroupMetadataManager`` plus its ``SharePartitionManager``).

Membership (ShareGroupHeartbeat): the consumer generates its member id; epoch 0 joins,
-1 leaves, any other epoch must be the member's current one, or its previous one (a lost
response), else FENCED_MEMBER_EPOCH. The group epoch grows when a member joins or leaves,
a subscription changes, or the subscribed topics change (created, deleted, grown); the
assignment is then recomputed. Share groups have no revocation: a member takes its new
assignment and epoch at its next heartbeat. A member that does not heartbeat for
``group.share.session.timeout.ms`` is removed.

The ``simple`` assignor: every member gets every partition of the topics it subscribes to
(several members share each partition; the share partition hands each record to one).

Share sessions (ShareFetch/ShareAcknowledge): one per member, opened with epoch 0, each
later request carrying the next epoch. The records of a member that leaves or is removed
become available to the others at once; a removed member loses its session, one that left
keeps it until it closes it (a closing consumer leaves, then ends its session).

Record locks: one timer per share partition, at its earliest lock deadline, releases
expired records for redelivery. ``on_available`` is told (topic id, partition) whenever
records become acquirable again, so parked ShareFetches wake; ``on_state_change`` whenever a
share partition's durable state changed (the coordinator writes it to
``__share_group_state``).
"""

from __future__ import annotations

import enum
import logging
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from .api import GroupConfig
from .assignors import Assignment, TopicMetadata
from .errors import GroupErrorCode
from .share_partition import SharePartition, SharePartitionConfig
from .timer import Timer

__all__ = [
    "ShareGroup",
    "ShareGroupManager",
    "ShareGroupState",
    "ShareHeartbeat",
    "ShareHeartbeatResult",
    "ShareMember",
    "ShareSession",
]

log = logging.getLogger(__name__)

_E = GroupErrorCode
LEAVE_GROUP_MEMBER_EPOCH = -1
ASSIGNOR_NAME = "simple"

TopicsProvider = Callable[[], Mapping[str, TopicMetadata]]
PartitionKey = tuple[uuid.UUID, int]


class ShareGroupState(enum.Enum):
    """As Kafka's ``ShareGroup.ShareGroupState`` names them."""

    EMPTY = "Empty"
    STABLE = "Stable"
    DEAD = "Dead"


@dataclass(slots=True, kw_only=True)
class ShareMember:
    member_id: str
    member_epoch: int = 0
    previous_member_epoch: int = -1
    rack_id: str | None = None
    client_id: str = ""
    client_host: str = ""
    subscribed_topic_names: tuple[str, ...] = ()
    assigned: Assignment = field(default_factory=dict)


@dataclass(slots=True)
class ShareSession:
    """A member's share session: the next epoch expected and the partitions it fetches."""

    group_id: str
    member_id: str
    epoch: int = 1
    partitions: dict[PartitionKey, None] = field(default_factory=dict)


@dataclass(slots=True)
class ShareGroup:
    group_id: str
    members: dict[str, ShareMember] = field(default_factory=dict)
    group_epoch: int = 0
    assignment_epoch: int = 0
    metadata: dict[str, TopicMetadata] = field(default_factory=dict)
    partitions: dict[PartitionKey, SharePartition] = field(default_factory=dict)
    dead: bool = False

    @property
    def state(self) -> ShareGroupState:
        if self.dead:
            return ShareGroupState.DEAD
        return ShareGroupState.STABLE if self.members else ShareGroupState.EMPTY

    def topic_name(self, topic_id: uuid.UUID) -> str | None:
        for name, topic in self.metadata.items():
            if topic.topic_id == topic_id:
                return name
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class ShareHeartbeat:
    group_id: str
    member_id: str
    member_epoch: int
    rack_id: str | None = None
    subscribed_topic_names: Sequence[str] | None = None
    client_id: str = ""
    client_host: str = ""


@dataclass(frozen=True, slots=True)
class ShareHeartbeatResult:
    error_code: int = 0
    error_message: str | None = None
    member_id: str | None = None
    member_epoch: int = 0
    heartbeat_interval_ms: int = 0
    assignment: Mapping[uuid.UUID, frozenset[int]] | None = None


class _Refused(Exception):
    def __init__(self, code: GroupErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code


def _monotonic_ms() -> int:
    return time.monotonic_ns() // 1_000_000


class ShareGroupManager:
    def __init__(
        self,
        config: GroupConfig,
        timer: Timer,
        topics: TopicsProvider,
        *,
        clock: Callable[[], int] = _monotonic_ms,
        on_available: Callable[[uuid.UUID, int], None] | None = None,
        on_state_change: Callable[[str, uuid.UUID, int, SharePartition], None] | None = None,
    ) -> None:
        """``clock`` must tick with ``timer`` (milliseconds); ``topics`` lists the existing
        non-internal topics by name."""
        self.config = config
        self.timer = timer
        self.clock = clock
        self._topics = topics
        self._groups: dict[str, ShareGroup] = {}
        self._sessions: dict[tuple[str, str], ShareSession] = {}
        self.on_available = on_available
        self.on_state_change = on_state_change
        self.group_configs: dict[str, dict[str, str]] = {}
        """Dynamic group configs (``share.auto.offset.reset``) by group id."""
        self.partition_config = SharePartitionConfig(
            delivery_count_limit=config.group_share_delivery_count_limit,
            record_lock_duration_ms=config.group_share_record_lock_duration_ms,
            max_record_locks=config.group_share_partition_max_record_locks,
        )

    # -- registry -----------------------------------------------------------------------------

    def get(self, group_id: str) -> ShareGroup | None:
        return self._groups.get(group_id)

    def all_groups(self) -> list[ShareGroup]:
        return list(self._groups.values())

    def get_or_create(self, group_id: str) -> ShareGroup:
        group = self._groups.get(group_id)
        if group is None:
            group = self._groups[group_id] = ShareGroup(group_id)
        return group

    def remove_group(self, group_id: str) -> None:
        group = self._groups.pop(group_id, None)
        if group is None:
            return
        for member_id in list(group.members):
            self._cancel_member(group_id, member_id)
        for topic_id, partition in group.partitions:
            self.timer.cancel(_lock_key(group_id, topic_id, partition))
        group.dead = True

    def shutdown(self) -> None:
        for group in self._groups.values():
            for member_id in group.members:
                self.timer.cancel(("share-session", group.group_id, member_id))
            for topic_id, partition in group.partitions:
                self.timer.cancel(_lock_key(group.group_id, topic_id, partition))

    # -- heartbeat ----------------------------------------------------------------------------

    def heartbeat(
        self, request: ShareHeartbeat, *, create: Callable[[], bool] = lambda: True
    ) -> ShareHeartbeatResult:
        """Answer a ShareGroupHeartbeat. ``create`` is asked before a new group is made; it
        returns False when the id belongs to a group of another type."""
        try:
            self._validate(request)
            return self._heartbeat(request, create)
        except _Refused as exc:
            return ShareHeartbeatResult(error_code=exc.code, error_message=str(exc))

    @staticmethod
    def _validate(request: ShareHeartbeat) -> None:
        # GroupMetadataManager.throwIfShareGroupHeartbeatRequestIsInvalid
        def invalid(message: str) -> _Refused:
            return _Refused(_E.INVALID_REQUEST, message)

        if not request.group_id:
            raise invalid("GroupId can't be empty.")
        if not request.member_id:
            raise invalid("MemberId can't be empty.")
        if request.rack_id == "":
            raise invalid("RackId can't be empty.")
        if request.member_epoch == 0 and not request.subscribed_topic_names:
            raise invalid("SubscribedTopicNames must be set in first request.")
        if request.member_epoch < LEAVE_GROUP_MEMBER_EPOCH:
            raise invalid(f"MemberEpoch is {request.member_epoch}, but must be greater than or equal to -1.")

    def _heartbeat(self, request: ShareHeartbeat, create: Callable[[], bool]) -> ShareHeartbeatResult:
        group = self._groups.get(request.group_id)
        if group is None:
            if request.member_epoch != 0:
                raise _Refused(_E.UNKNOWN_MEMBER_ID, f"Share group {request.group_id} not found.")
            if not create():
                raise _Refused(_E.GROUP_ID_NOT_FOUND, f"Group {request.group_id} is not a share group.")
            group = self.get_or_create(request.group_id)
        elif request.member_epoch == 0 and not create() and not group.members and group.group_epoch == 0:
            raise _Refused(_E.GROUP_ID_NOT_FOUND, f"Group {request.group_id} is not a share group.")
        if request.member_epoch == LEAVE_GROUP_MEMBER_EPOCH:
            if request.member_id not in group.members:
                raise _Refused(_E.UNKNOWN_MEMBER_ID, f"Member {request.member_id} is not a member of group {group.group_id}.")
            # Its share session stays until the consumer closes it (it may still send its
            # last acknowledgements); the records it holds are released now.
            self._remove_member(group, request.member_id, "left the group", keep_session=True)
            return ShareHeartbeatResult(member_id=request.member_id, member_epoch=LEAVE_GROUP_MEMBER_EPOCH)

        bump = False
        member = group.members.get(request.member_id)
        if request.member_epoch == 0:
            if member is None:
                if len(group.members) >= self.config.group_share_max_size:
                    raise _Refused(
                        _E.GROUP_MAX_SIZE_REACHED,
                        f"The share group has reached its maximum capacity of {self.config.group_share_max_size} members.",
                    )
                member = group.members[request.member_id] = ShareMember(member_id=request.member_id)
                log.info("share group %s: member %s joins", group.group_id, request.member_id)
            bump = True
        else:
            if member is None:
                raise _Refused(_E.UNKNOWN_MEMBER_ID, f"Member {request.member_id} is not a member of group {group.group_id}.")
            received = request.member_epoch
            if received > member.member_epoch or (
                received < member.member_epoch and received != member.previous_member_epoch
            ):
                raise _Refused(
                    _E.FENCED_MEMBER_EPOCH,
                    f"The share group member has a {'greater' if received > member.member_epoch else 'smaller'} "
                    f"member epoch ({received}) than the one known by the group coordinator "
                    f"({member.member_epoch}). The member must abandon all its partitions and rejoin.",
                )
        if request.rack_id is not None:
            member.rack_id = request.rack_id
        if request.client_id:
            member.client_id = request.client_id
        if request.client_host:
            member.client_host = request.client_host
        if request.subscribed_topic_names is not None:
            names = tuple(sorted(set(request.subscribed_topic_names)))
            if names != member.subscribed_topic_names:
                member.subscribed_topic_names = names
                bump = True

        metadata = self._subscribed_metadata(group)
        if metadata != group.metadata:
            group.metadata = metadata
            bump = True
        if bump or group.group_epoch == 0:
            group.group_epoch += 1
        if group.group_epoch > group.assignment_epoch:
            group.assignment_epoch = group.group_epoch

        target = self._target(group, member)
        changed = target != member.assigned
        if member.member_epoch != group.assignment_epoch:
            member.previous_member_epoch = member.member_epoch
            member.member_epoch = group.assignment_epoch
        member.assigned = target
        self._schedule_session(group.group_id, member.member_id)
        return ShareHeartbeatResult(
            member_id=member.member_id,
            member_epoch=member.member_epoch,
            heartbeat_interval_ms=self.config.group_share_heartbeat_interval_ms,
            assignment=target if changed or request.member_epoch == 0 else None,
        )

    def _subscribed_metadata(self, group: ShareGroup) -> dict[str, TopicMetadata]:
        all_topics = self._topics()
        wanted = {name for member in group.members.values() for name in member.subscribed_topic_names}
        return {name: all_topics[name] for name in sorted(wanted) if name in all_topics}

    @staticmethod
    def _target(group: ShareGroup, member: ShareMember) -> Assignment:
        # The simple assignor, as this broker runs it: each member may fetch from every
        # partition of the topics it subscribes to.
        return {
            group.metadata[name].topic_id: frozenset(range(group.metadata[name].partitions))
            for name in member.subscribed_topic_names
            if name in group.metadata
        }

    # -- members leaving ----------------------------------------------------------------------

    def _schedule_session(self, group_id: str, member_id: str) -> None:
        self.timer.schedule(
            ("share-session", group_id, member_id),
            self.config.group_share_session_timeout_ms,
            lambda: self._expire(group_id, member_id),
        )

    def _expire(self, group_id: str, member_id: str) -> None:
        group = self._groups.get(group_id)
        if group is not None and member_id in group.members:
            self._remove_member(group, member_id, "session timed out")

    def _remove_member(self, group: ShareGroup, member_id: str, reason: str, *, keep_session: bool = False) -> None:
        group.members.pop(member_id, None)
        self._cancel_member(group.group_id, member_id, keep_session=keep_session)
        group.group_epoch += 1
        group.metadata = self._subscribed_metadata(group)
        log.info("share group %s: member %s %s; group epoch %d", group.group_id, member_id, reason, group.group_epoch)

    def _cancel_member(self, group_id: str, member_id: str, *, keep_session: bool = False) -> None:
        self.timer.cancel(("share-session", group_id, member_id))
        if not keep_session:
            self._sessions.pop((group_id, member_id), None)
        self.release_member(group_id, member_id)

    def is_member(self, group_id: str, member_id: str) -> bool:
        group = self._groups.get(group_id)
        return group is not None and member_id in group.members

    # -- share sessions -----------------------------------------------------------------------

    def session(self, group_id: str, member_id: str) -> ShareSession | None:
        return self._sessions.get((group_id, member_id))

    def open_session(self, group_id: str, member_id: str) -> ShareSession:
        """A new session for the member (replacing any): its acquired records are released,
        as a new session starts from nothing."""
        self.release_member(group_id, member_id)
        session = self._sessions[(group_id, member_id)] = ShareSession(group_id, member_id)
        return session

    def close_session(self, group_id: str, member_id: str) -> None:
        self._sessions.pop((group_id, member_id), None)
        self.release_member(group_id, member_id)

    # -- share partitions ---------------------------------------------------------------------

    def lock_duration_ms(self, group_id: str) -> int:
        """``share.record.lock.duration.ms`` of the group, else the broker's."""
        value = self.group_configs.get(group_id, {}).get("share.record.lock.duration.ms")
        return int(value) if value is not None else self.partition_config.record_lock_duration_ms

    def partition(self, group_id: str, topic_id: uuid.UUID, partition: int) -> SharePartition:
        group = self.get_or_create(group_id)
        key = (topic_id, partition)
        share_partition = group.partitions.get(key)
        if share_partition is None:
            share_partition = group.partitions[key] = SharePartition(self.partition_config, self.clock)
        lock_ms = self.lock_duration_ms(group_id)
        if share_partition.config.record_lock_duration_ms != lock_ms:
            share_partition.config = replace(share_partition.config, record_lock_duration_ms=lock_ms)
        return share_partition

    def changed(self, group_id: str, topic_id: uuid.UUID, partition: int, *, available: bool = False) -> None:
        """After a share partition changed: persist it, re-arm its lock timer, and wake
        fetchers if records became available."""
        group = self._groups.get(group_id)
        share_partition = group.partitions.get((topic_id, partition)) if group else None
        if share_partition is None:
            return
        if self.on_state_change is not None:
            self.on_state_change(group_id, topic_id, partition, share_partition)
        self._schedule_locks(group_id, topic_id, partition, share_partition)
        if available and self.on_available is not None:
            self.on_available(topic_id, partition)

    def drop_partitions(self, group_id: str, keys: Sequence[PartitionKey]) -> None:
        """Forget the share partitions ``keys`` of the group (their state was deleted)."""
        group = self._groups.get(group_id)
        if group is None:
            return
        for topic_id, partition in keys:
            group.partitions.pop((topic_id, partition), None)
            self.timer.cancel(_lock_key(group_id, topic_id, partition))

    def acquired(self, group_id: str, topic_id: uuid.UUID, partition: int) -> None:
        """After records were acquired: arm the partition's lock timer. Acquisitions are not
        written (a restart makes acquired records available again anyway)."""
        group = self._groups.get(group_id)
        share_partition = group.partitions.get((topic_id, partition)) if group else None
        if share_partition is not None:
            self._schedule_locks(group_id, topic_id, partition, share_partition)

    def auto_offset_reset(self, group_id: str) -> str:
        """``share.auto.offset.reset`` of the group: where a share partition starts when the
        group first fetches from it, ``latest`` (Kafka's default) or ``earliest``."""
        return self.group_configs.get(group_id, {}).get("share.auto.offset.reset", "latest")

    def release_member(self, group_id: str, member_id: str) -> None:
        group = self._groups.get(group_id)
        if group is None:
            return
        for (topic_id, partition), share_partition in list(group.partitions.items()):
            if share_partition.holds(member_id):
                available = share_partition.release_member(member_id)
                self.changed(group_id, topic_id, partition, available=available > 0)

    def _schedule_locks(
        self, group_id: str, topic_id: uuid.UUID, partition: int, share_partition: SharePartition
    ) -> None:
        key = _lock_key(group_id, topic_id, partition)
        deadline = share_partition.next_deadline()
        if deadline is None:
            self.timer.cancel(key)
            return

        def expire() -> None:
            group = self._groups.get(group_id)
            if group is None or group.partitions.get((topic_id, partition)) is not share_partition:
                return
            released = share_partition.expire_locks()
            if released:
                log.debug("share group %s: %d record locks expired on %s-%d", group_id, released, topic_id, partition)
            self.changed(group_id, topic_id, partition, available=released > 0)

        self.timer.schedule(key, deadline - self.clock(), expire)


def _lock_key(group_id: str, topic_id: uuid.UUID, partition: int) -> tuple[str, ...]:
    return ("share-locks", group_id, str(topic_id), str(partition))
