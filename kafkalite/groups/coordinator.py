"""GroupCoordinator: the classic group protocol and committed offsets for handlers.

The thin asyncio edge around the synchronous `GroupManager` (manager.py) and the
durable `OffsetStore` (offsets.py). `join_group` and `sync_group` park on a future
that the manager completes the moment the group can answer; everything else answers
at once. All methods run on the event loop that owns broker state; nothing blocks
except the page-cache write of an offset commit (and its fsync, if asked for).

Lifecycle (once per instance): `start()` replays `__consumer_offsets` (offsets.py) and
recreates persisted groups as Empty; `close()` answers parked requests with NOT_COORDINATOR
(clients look for the coordinator again) and stops timers. Before `start()` and after
`close()` every API answers COORDINATOR_NOT_AVAILABLE.

Consumer groups (KIP-848, consumer_manager.py) write their records after every change
and come back after a restart with their members, epochs and assignments. Groups migrate
on line between the two protocols (migration.py): a classic group with members becomes a
consumer group when a member of the consumer protocol joins, its classic members staying
(consumer_classic.py answers their JoinGroup, SyncGroup, Heartbeat and LeaveGroup), and
a consumer group whose last member of the consumer protocol leaves becomes classic again.

Group metadata is written as Kafka writes it: when a generation starts and when the
leader's assignment makes the group Stable (`GroupMetadataValue` with the members, their
subscription in the selected protocol, and their assignments). After a restart a group
comes back Empty with its protocol type and generation; members are not restored, they
rejoin (Kafka restores them and waits for their heartbeats).

Offset rules are Kafka's (`OffsetMetadataManager`, `ClassicGroup.validateOffsetCommit`):
a commit with generation -1 and no member id is a "simple" commit, accepted while the
group has no members (and creating the group if needed); otherwise the member and
generation must be current. With `require_stable`, OffsetFetch answers
UNSTABLE_OFFSET_COMMIT for partitions with transactional offsets still pending (KIP-447).
Offset expiry (``offset_expiry.py``): every ``offsets_retention_check_interval_ms`` the
expired offsets are tombstoned, and a group left Empty without offsets is deleted, as
Kafka's ``GroupMetadataManager.cleanupGroupMetadata`` does. The time a group became Empty is
noted when a check or a LeaveGroup first sees it Empty; after a restart it is the latest of
the group's stored state time and commit times.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
import uuid
from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING, TypeVar

from kafkalite.storage.errors import InvalidProducerEpochError

from .api import (
    CONSUMER_PROTOCOL_TYPE,
    CommitEntry,
    CommittedOffset,
    FetchedOffset,
    GroupConfig,
    GroupDescription,
    GroupListing,
    JoinRequest,
    JoinResult,
    LeaveMember,
    LeaveResult,
    MemberDescription,
    OffsetDeleteResult,
    OffsetFetchResult,
    SubscribedTopics,
    SyncRequest,
    SyncResult,
    TopicPartition,
)
from .consumer_classic import ClassicMembers
from .consumer_group import ConsumerGroup
from .consumer_manager import (
    ConsumerGroupManager,
    ConsumerHeartbeat,
    HeartbeatResult,
    TopicsProvider,
)
from .consumer_persistence import Records, group_records, record_changes, restore_group
from .errors import EntryTooLargeError, GroupErrorCode, OffsetStoreError
from .group_records import GroupMetadataValue, MemberMetadata
from .manager import GroupManager
from .membership import ClassicGroup
from .migration import (
    CustomAssignorError,
    MalformedConsumerProtocolError,
    can_downgrade,
    can_downgrade_after_replacement,
    can_upgrade,
    classic_group_from_consumer,
    consumer_group_from_classic,
)
from .offset_expiry import expired_offsets
from .offsets import DEFAULT_NUM_PARTITIONS, OffsetStore
from .rebalance import join_error
from .share_group import ShareGroupManager, ShareHeartbeat, ShareHeartbeatResult
from .share_partition import SharePartition
from .share_state import ShareStateStore
from .state import COMMIT_ERROR, DELETABLE_STATES, SESSION_KEEPING_COMMIT_STATES, GroupState
from .timer import LoopTimer, Timer

if TYPE_CHECKING:
    from kafkalite.storage.manager import LogManager

__all__ = ["GroupCoordinator"]

log = logging.getLogger(__name__)

_E = GroupErrorCode
_T = TypeVar("_T")


def _wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


class GroupCoordinator:
    def __init__(
        self,
        logs: LogManager,
        *,
        config: GroupConfig | None = None,
        timer: Timer | None = None,
        wall_clock_ms: Callable[[], int] = _wall_clock_ms,
        subscribed_topics: SubscribedTopics | None = None,
        offsets_topic_num_partitions: int = DEFAULT_NUM_PARTITIONS,
        topics: TopicsProvider | None = None,
        share_state_topic_num_partitions: int = 50,
    ) -> None:
        """`logs` holds `__consumer_offsets` and must be started before `start()`.
        `timer` defaults to timers on the running loop; tests pass a `ManualTimer`.
        `wall_clock_ms` stamps commits and group metadata. `subscribed_topics` parses a
        consumer's subscription for OffsetDelete; without it a busy consumer group counts
        as subscribed to every topic. `offsets_topic_num_partitions` is
        `offsets.topic.num.partitions`, used when the topic is created. `topics` lists
        the existing topics for consumer groups (KIP-848, consumer_manager.py)."""
        self.config = config if config is not None else GroupConfig()
        self._timer: Timer = timer if timer is not None else LoopTimer()
        self._empty_since: dict[str, int] = {}
        self.groups = GroupManager(
            self.config,
            self._timer,
            on_new_generation=self._persist_group,
            on_stable=self._persist_group,
        )
        self._topics: TopicsProvider = topics or dict
        self.consumer = ConsumerGroupManager(
            self.config, self._timer, self._topics, on_change=self._persist_consumer_group
        )
        self.consumer.downgrade = self._downgrade
        self.classic_members = ClassicMembers(self.consumer, downgrade=self._downgrade_after_replacement)
        self._consumer_written: dict[str, Records] = {}
        self.share = ShareGroupManager(
            self.config, self._timer, topics or dict, on_state_change=self._persist_share_partition
        )
        """Share groups (KIP-932, share_group.py), their state in ``__share_group_state``."""
        self.share_state = ShareStateStore(logs, num_partitions=share_state_topic_num_partitions)
        self.offsets = OffsetStore(logs, num_partitions=offsets_topic_num_partitions)
        self._wall_clock_ms = wall_clock_ms
        self._subscribed_topics = subscribed_topics
        self._active = False

    # -- lifecycle -----------------------------------------------------------------

    def start(self) -> None:
        if self._active:
            return
        self.offsets.open()
        for group_id in sorted(self.offsets.consumer_group_ids()):
            records = self.offsets.consumer_group_records(group_id)
            consumer_group = restore_group(group_id, records)
            if consumer_group is not None:
                self.consumer.restore(consumer_group)
                self._consumer_written[group_id] = dict(records)
        for group_id in sorted(self.offsets.group_ids() - set(self._consumer_written)):
            metadata = self.offsets.group_metadata(group_id)
            if metadata is None:
                self.groups.restore(group_id, None, 0)
            else:
                protocol_type = metadata.protocol_type or None  # Kafka writes "" for none
                self.groups.restore(group_id, protocol_type, metadata.generation)
            # Restored groups are Empty. When they became so is not stored (Kafka stores
            # it): the latest of their stored state time and commits stands in for it.
            latest = max(
                [c.commit_timestamp_ms for c in self.offsets.committed(group_id).values()]
                + [metadata.current_state_timestamp if metadata is not None else -1]
            )
            if latest >= 0:
                self._empty_since[group_id] = latest
        for (group_id, topic_id, partition), state in self.share_state.open().items():
            self.share.partition(group_id, topic_id, partition).restore(
                state.start_offset, state.batches, state.state_epoch
            )
        self._active = True
        self._schedule_expiry()

    def close(self) -> None:
        if not self._active:
            return
        self._active = False
        self.groups.shutdown(_E.NOT_COORDINATOR)
        self.consumer.shutdown()
        self.share.shutdown()

    # -- membership ----------------------------------------------------------------

    async def join_group(self, request: JoinRequest) -> JoinResult:
        if not self._active:
            return JoinResult(error_code=_E.COORDINATOR_NOT_AVAILABLE, member_id=request.member_id)
        if self.share.get(request.group_id) is not None:
            return JoinResult(error_code=_E.INCONSISTENT_GROUP_PROTOCOL, member_id=request.member_id)
        consumer_group = self.consumer.get(request.group_id)
        if consumer_group is not None and consumer_group.members:
            # Members of the classic protocol join a consumer group that has members.
            return self.classic_members.join(consumer_group, request)
        if consumer_group is not None:
            # An empty consumer group turns classic under a policy that allows downgrades
            # (group.consumer.migration.policy).
            if self.config.group_consumer_migration_policy not in ("downgrade", "bidirectional"):
                return JoinResult(error_code=_E.INCONSISTENT_GROUP_PROTOCOL, member_id=request.member_id)
            try:
                self.offsets.delete_consumer_group(request.group_id)
            except OffsetStoreError as exc:
                log.warning("group %s: consumer group records not removed: %s", request.group_id, exc)
            self._consumer_written.pop(request.group_id, None)
            self.consumer.remove_group(request.group_id)
        future: asyncio.Future[JoinResult] = asyncio.get_running_loop().create_future()
        self.groups.join_group(request, _resolver(future))
        return await future

    async def sync_group(self, request: SyncRequest) -> SyncResult:
        if not self._active:
            return SyncResult(error_code=_E.COORDINATOR_NOT_AVAILABLE)
        consumer_group = self.consumer.get(request.group_id) if request.group_id else None
        if consumer_group is not None:
            return self.classic_members.sync(consumer_group, request)
        future: asyncio.Future[SyncResult] = asyncio.get_running_loop().create_future()
        self.groups.sync_group(request, _resolver(future))
        return await future

    def heartbeat(
        self, group_id: str, member_id: str, group_instance_id: str | None, generation_id: int
    ) -> int:
        if not self._active:
            return _E.COORDINATOR_NOT_AVAILABLE
        consumer_group = self.consumer.get(group_id) if group_id else None
        if consumer_group is not None:
            return self.classic_members.heartbeat(consumer_group, member_id, group_instance_id, generation_id)
        return self.groups.heartbeat(group_id, member_id, group_instance_id, generation_id)

    def consumer_group_heartbeat(self, request: ConsumerHeartbeat) -> HeartbeatResult:
        """ConsumerGroupHeartbeat (KIP-848). A classic group becomes a consumer group on
        its first member when group.consumer.migration.policy allows upgrades: an empty
        one (only offsets, or all members gone) is replaced, one with members is converted
        with its members (``_upgrade``); any other classic group answers GROUP_ID_NOT_FOUND."""
        if not self._active:
            return HeartbeatResult(error_code=_E.COORDINATOR_NOT_AVAILABLE)

        if self.share.get(request.group_id) is not None:
            return HeartbeatResult(
                error_code=_E.GROUP_ID_NOT_FOUND,
                error_message=f"Group {request.group_id} is not a consumer group.",
            )

        def may_create() -> bool:
            classic = self.groups.get(request.group_id)
            if classic is None:
                return True
            upgrade = self.config.group_consumer_migration_policy in ("upgrade", "bidirectional")
            if classic.members:
                return can_upgrade(classic, self.config) and self._upgrade(classic)
            if classic.state is not GroupState.EMPTY or classic.pending_join_members or not upgrade:
                return False
            self.groups.remove_group(request.group_id)  # its offsets stay
            return True

        if self.consumer.get(request.group_id) is None and request.member_epoch != 0 \
                and self.groups.get(request.group_id) is not None:
            return HeartbeatResult(
                error_code=_E.GROUP_ID_NOT_FOUND,
                error_message=f"Group {request.group_id} is not a consumer group.",
            )
        return self.consumer.heartbeat(request, create=may_create)

    def share_group_heartbeat(self, request: ShareHeartbeat) -> ShareHeartbeatResult:
        """ShareGroupHeartbeat (KIP-932). A classic or consumer group of the same id answers
        GROUP_ID_NOT_FOUND, as Kafka does."""
        if not self._active:
            return ShareHeartbeatResult(error_code=_E.COORDINATOR_NOT_AVAILABLE)
        group_id = request.group_id
        if self.share.get(group_id) is None and (
            self.groups.get(group_id) is not None or self.consumer.get(group_id) is not None
        ):
            return ShareHeartbeatResult(
                error_code=_E.GROUP_ID_NOT_FOUND, error_message=f"Group {group_id} is not a share group."
            )
        return self.share.heartbeat(request)

    def share_group_error(self, group_id: str, *, create: bool = False) -> GroupErrorCode:
        """For the share group offset APIs: GROUP_ID_NOT_FOUND for an unknown group (or, with
        ``create``, one is made, as AlterShareGroupOffsets does) or a group of another type."""
        if not self._active:
            return _E.COORDINATOR_NOT_AVAILABLE
        if self.share.get(group_id) is not None:
            return _E.NONE
        if self.groups.get(group_id) is not None or self.consumer.get(group_id) is not None or not create:
            return _E.GROUP_ID_NOT_FOUND
        self.share.get_or_create(group_id)
        return _E.NONE

    def delete_share_state(self, group_id: str, keys: Sequence[tuple[uuid.UUID, int]]) -> GroupErrorCode:
        """Tombstone the share partitions ``keys`` of the group and forget them."""
        try:
            for topic_id, partition in keys:
                self.share_state.delete(group_id, topic_id, partition)
        except OffsetStoreError as exc:
            log.error("share group %s: state deletion not stored: %s", group_id, exc)
            return _E.KAFKA_STORAGE_ERROR
        finally:
            self.share.drop_partitions(group_id, keys)
        return _E.NONE

    def leave_group(self, group_id: str, members: Sequence[LeaveMember]) -> LeaveResult:
        if not self._active:
            return LeaveResult(_E.COORDINATOR_NOT_AVAILABLE)
        consumer_group = self.consumer.get(group_id) if group_id else None
        if consumer_group is not None:
            return self.classic_members.leave(consumer_group, members)
        result = self.groups.leave_group(group_id, members)
        self._note_empty(self._wall_clock_ms())
        return result

    # -- online migration (migration.py) ------------------------------------------

    def _upgrade(self, classic: ClassicGroup) -> bool:
        """Turn a classic group with members into a consumer group (``convertToConsumerGroup``)."""
        group_id = classic.group_id
        try:
            group = consumer_group_from_classic(classic, self._topics())
        except (MalformedConsumerProtocolError, CustomAssignorError) as exc:
            log.warning("group %s: not upgraded to a consumer group: %s", group_id, exc)
            return False
        # Members parked in a rebalance rejoin: they are now members of a consumer group.
        for member in list(classic.members.values()):
            classic.complete_join(member, join_error(member.member_id, _E.REBALANCE_IN_PROGRESS))
            classic.complete_sync(member, SyncResult(error_code=_E.REBALANCE_IN_PROGRESS))
        self.groups.remove_group(group_id)
        self._empty_since.pop(group_id, None)
        try:
            self.offsets.delete_group_metadata(group_id)
        except OffsetStoreError as exc:
            log.warning("group %s: classic group metadata not removed: %s", group_id, exc)
        self.consumer.restore(group)
        self._persist_consumer_group(group)
        log.info(
            "group %s: upgraded from classic to consumer at epoch %d with %d members",
            group_id, group.group_epoch, len(group.members),
        )
        return True

    def _downgrade(self, group: ConsumerGroup, leaving: Collection[str]) -> bool:
        """Turn a consumer group left with members of the classic protocol alone into a
        classic group (``convertToClassicGroup``); False when the rules keep it."""
        if not can_downgrade(group, leaving, self.config):
            return False
        return self._convert_to_classic(group, leaving)

    def _downgrade_after_replacement(self, group: ConsumerGroup, subscription_changed: bool) -> bool:
        """A static member of the classic protocol replaced the last member of the
        consumer protocol: the group turns classic, Stable, or rebalancing when the new
        member's subscription differs from its predecessor's (KAFKA-19546)."""
        if not can_downgrade_after_replacement(group, self.config):
            return False
        reason = (
            f"downgrade of group {group.group_id} from consumer to classic for a static member "
            "replaced with another subscription"
        ) if subscription_changed else None
        return self._convert_to_classic(group, None, reason)

    def _convert_to_classic(
        self, group: ConsumerGroup, leaving: Collection[str] | None, reason: str | None = None
    ) -> bool:
        """``leaving`` None: a member replaced another, so a rebalance only with a ``reason``."""
        group_id = group.group_id
        try:
            classic = classic_group_from_consumer(group, leaving or (), self._topics())
        except MalformedConsumerProtocolError as exc:
            log.warning("group %s: not downgraded to a classic group: %s", group_id, exc)
            return False
        self.consumer.detach(group_id)
        try:
            self.offsets.delete_consumer_group(group_id)
        except OffsetStoreError as exc:
            log.warning("group %s: consumer group records not removed: %s", group_id, exc)
        self._consumer_written.pop(group_id, None)
        if leaving is not None:
            reason = f"downgrade of group {group_id} from consumer to classic"
        self.groups.adopt(classic, reason)
        self._persist_group(classic)
        log.info(
            "group %s: downgraded from consumer to classic at generation %d with %d members",
            group_id, classic.generation_id, len(classic.members),
        )
        return True

    # -- offset expiry -------------------------------------------------------------

    def _schedule_expiry(self) -> None:
        try:
            self._timer.schedule(
                ("offset-expiry",),
                self.config.offsets_retention_check_interval_ms,
                self._expiry_tick,
            )
        except RuntimeError:  # no running loop: a coordinator opened for inspection only
            log.debug("no event loop: offset expiry not scheduled")

    def _expiry_tick(self) -> None:
        if not self._active:
            return
        try:
            self.expire_offsets()
        finally:
            self._schedule_expiry()

    def _is_pending(self, group_id: str, tp: TopicPartition) -> bool:
        return self.offsets.has_pending(group_id, tp.topic, tp.partition)

    def _note_empty(self, now_ms: int) -> None:
        """Remember when each group was first seen Empty; forget groups that are not."""
        for group in self.groups.all_groups():
            if group.state is GroupState.EMPTY:
                self._empty_since.setdefault(group.group_id, now_ms)
            else:
                self._empty_since.pop(group.group_id, None)

    def expire_offsets(self) -> int:
        """Tombstone every expired offset and delete the Empty groups left without any;
        returns how many offsets expired."""
        now = self._wall_clock_ms()
        self._note_empty(now)
        count = 0
        for group in list(self.groups.all_groups()):
            group_id = group.group_id
            doomed = expired_offsets(
                self.offsets.committed(group_id),
                state=group.state,
                protocol_type=group.protocol_type,
                subscribed=(
                    group.subscribed_topics(self._subscribed_topics)
                    if group.state is GroupState.STABLE
                    else None
                ),
                empty_since_ms=self._empty_since.get(group_id),
                now_ms=now,
                retention_ms=self.config.offsets_retention_ms,
                is_pending=functools.partial(self._is_pending, group_id),
            )
            if doomed:
                try:
                    self.offsets.delete_offsets(group_id, doomed)
                except OffsetStoreError as exc:
                    log.error("group %s: expired offsets not removed: %s", group_id, exc)
                    continue
                count += len(doomed)
                log.info("group %s: %d committed offsets expired", group_id, len(doomed))
            if group.state is GroupState.EMPTY and not self.offsets.has_offsets(group_id):
                pending = any(
                    group_id in groups for groups in self.offsets.pending_groups()
                )
                if not pending and self._delete_group(group) is _E.NONE:
                    self._empty_since.pop(group_id, None)
                    log.info("group %s: empty with no offsets left, removed", group_id)
        return count

    # -- offsets -------------------------------------------------------------------

    def commit_offsets(
        self,
        group_id: str,
        generation_id: int,
        member_id: str,
        group_instance_id: str | None,
        offsets: Sequence[CommitEntry],
        *,
        report_group_id_not_found: bool = False,
    ) -> dict[TopicPartition, int]:
        """OffsetCommit; answers an error code per partition, in request order."""
        partitions = [TopicPartition(entry.topic, entry.partition) for entry in offsets]
        error = self._validate_commit(
            group_id, generation_id, member_id, group_instance_id, report_group_id_not_found
        )
        if error:
            return dict.fromkeys(partitions, error)
        now = self._wall_clock_ms()
        results: dict[TopicPartition, int] = {}
        accepted: list[tuple[TopicPartition, CommittedOffset]] = []
        for tp, entry in zip(partitions, offsets, strict=True):
            metadata = entry.metadata or ""  # Kafka stores a null metadata as ""
            if len(metadata) > self.config.offset_metadata_max_bytes:
                results[tp] = _E.OFFSET_METADATA_TOO_LARGE
            else:
                results[tp] = _E.NONE
                accepted.append(
                    (tp, CommittedOffset(entry.offset, entry.leader_epoch, metadata, now))
                )
        if accepted:
            try:
                self.offsets.commit(group_id, accepted)
            except OffsetStoreError as exc:
                log.error("group %s: offset commit not stored: %s", group_id, exc)
                failure = (
                    _E.INVALID_COMMIT_OFFSET_SIZE
                    if isinstance(exc, EntryTooLargeError)
                    else _E.NOT_COORDINATOR
                )
                results.update(dict.fromkeys((tp for tp, _ in accepted), failure))
        return results

    def commit_txn_offsets(
        self,
        group_id: str,
        producer_id: int,
        producer_epoch: int,
        generation_id: int,
        member_id: str,
        group_instance_id: str | None,
        offsets: Sequence[CommitEntry],
    ) -> dict[TopicPartition, int]:
        """TxnOffsetCommit: stage the offsets in the producer's transaction; they become
        visible when its COMMIT marker reaches the group's partition (``OffsetStore``).
        The membership rules are ``ClassicGroup.validateOffsetCommit``'s for a
        transactional commit: without generation and member the commit is accepted in any
        state, and a rebalance in progress does not refuse it."""
        partitions = [TopicPartition(entry.topic, entry.partition) for entry in offsets]
        error = self._validate_commit(
            group_id, generation_id, member_id, group_instance_id, transactional=True
        )
        if error:
            return dict.fromkeys(partitions, error)
        now = self._wall_clock_ms()
        results: dict[TopicPartition, int] = {}
        accepted: list[tuple[TopicPartition, CommittedOffset]] = []
        for tp, entry in zip(partitions, offsets, strict=True):
            metadata = entry.metadata or ""
            if len(metadata) > self.config.offset_metadata_max_bytes:
                results[tp] = _E.OFFSET_METADATA_TOO_LARGE
            else:
                results[tp] = _E.NONE
                accepted.append((tp, CommittedOffset(entry.offset, entry.leader_epoch, metadata, now)))
        if accepted:
            try:
                self.offsets.stage_txn_offsets(group_id, producer_id, producer_epoch, accepted)
            except OffsetStoreError as exc:
                if isinstance(exc.__cause__, InvalidProducerEpochError):
                    failure = _E.INVALID_PRODUCER_EPOCH
                elif isinstance(exc, EntryTooLargeError):
                    failure = _E.INVALID_COMMIT_OFFSET_SIZE
                else:
                    log.error("group %s: transactional offsets not stored: %s", group_id, exc)
                    failure = _E.NOT_COORDINATOR
                results.update(dict.fromkeys((tp for tp, _ in accepted), failure))
        return results

    def _validate_commit(
        self,
        group_id: str,
        generation_id: int,
        member_id: str,
        instance_id: str | None,
        report_not_found: bool = False,
        *,
        transactional: bool = False,
    ) -> GroupErrorCode:
        """Kafka's checks of an OffsetCommit, or with ``transactional`` of a TxnOffsetCommit,
        which checks the member and generation only (``GroupCoordinator.doTxnCommitOffsets``):
        not the group's rebalance state, and a commit from outside the group is taken."""
        if not self._active:
            return _E.COORDINATOR_NOT_AVAILABLE
        if self.share.get(group_id) is not None:
            return _E.GROUP_ID_NOT_FOUND  # a share group has no committed offsets
        consumer_group = self.consumer.get(group_id)
        if consumer_group is not None:
            # The generation is the member epoch; OffsetCommit v9+ carries it (KIP-848).
            return self.consumer.validate_commit(
                consumer_group, member_id, generation_id,
                transactional=transactional, api_version_ok=report_not_found,
            )
        group = self.groups.get(group_id)
        if group is None:
            if generation_id >= 0:
                # OffsetCommit v9+ says GROUP_ID_NOT_FOUND; older versions ILLEGAL_GENERATION.
                return _E.GROUP_ID_NOT_FOUND if report_not_found else _E.ILLEGAL_GENERATION
            group = self.groups.get_or_create(group_id)  # a "simple" group: offsets only
        if group.state is GroupState.DEAD:
            return _E.COORDINATOR_NOT_AVAILABLE
        if generation_id < 0 and group.state is GroupState.EMPTY:
            return _E.NONE
        if generation_id >= 0 or member_id or instance_id is not None:
            error = group.validate_member(member_id, instance_id)
            if error:
                return error
            if generation_id != group.generation_id:
                return _E.ILLEGAL_GENERATION
        elif not transactional and group.state is not GroupState.EMPTY:
            return _E.UNKNOWN_MEMBER_ID
        if transactional:
            return _E.NONE
        if group.state in SESSION_KEEPING_COMMIT_STATES:
            self.groups.touch_member(group, member_id)
        return COMMIT_ERROR[group.state]

    def fetch_offsets(
        self,
        group_id: str,
        partitions: Sequence[TopicPartition] | None = None,
        *,
        require_stable: bool = False,
        member_id: str | None = None,
        member_epoch: int = -1,
    ) -> OffsetFetchResult:
        """OffsetFetch; `partitions=None` fetches all of the group's offsets. Unknown
        groups and partitions answer offset -1, leader epoch -1, metadata "". A consumer
        group (KIP-848) checks `member_id` and `member_epoch` (OffsetFetch v9+)."""
        if not self._active:
            return OffsetFetchResult(_E.COORDINATOR_NOT_AVAILABLE)
        if self.share.get(group_id) is not None:
            return OffsetFetchResult(_E.GROUP_ID_NOT_FOUND)  # see DescribeShareGroupOffsets
        consumer_group = self.consumer.get(group_id)
        if consumer_group is not None:
            error = self.consumer.validate_fetch(consumer_group, member_id, member_epoch)
            if error:
                return OffsetFetchResult(error)
        stored = self.offsets.committed(group_id)
        wanted = (
            sorted(stored) if partitions is None else [TopicPartition(*tp) for tp in partitions]
        )
        fetched = []
        for tp in wanted:
            committed = stored.get(tp)
            if require_stable and self.offsets.has_pending(group_id, tp.topic, tp.partition):
                fetched.append(
                    FetchedOffset(tp.topic, tp.partition, error_code=_E.UNSTABLE_OFFSET_COMMIT)
                )
            elif committed is None:
                fetched.append(FetchedOffset(tp.topic, tp.partition))
            else:
                fetched.append(
                    FetchedOffset(
                        tp.topic,
                        tp.partition,
                        committed.offset,
                        committed.leader_epoch,
                        committed.metadata,
                    )
                )
        return OffsetFetchResult(_E.NONE, tuple(fetched))

    def delete_offsets(
        self, group_id: str, partitions: Sequence[TopicPartition]
    ) -> OffsetDeleteResult:
        """OffsetDelete (KIP-496): refused for topics the group's members consume."""
        if not self._active:
            return OffsetDeleteResult(_E.COORDINATOR_NOT_AVAILABLE)
        if not group_id:
            return OffsetDeleteResult(_E.INVALID_GROUP_ID)
        if self.share.get(group_id) is not None:
            return OffsetDeleteResult(_E.GROUP_ID_NOT_FOUND)  # see DeleteShareGroupOffsets
        consumer_group = self.consumer.get(group_id)
        if consumer_group is not None:
            subscribed_topics = set(consumer_group.metadata) if consumer_group.members else set()
            return self._delete_offsets(group_id, partitions, lambda topic: topic in subscribed_topics)
        group = self.groups.get(group_id)
        if group is None:
            return OffsetDeleteResult(_E.GROUP_ID_NOT_FOUND)
        if group.state is not GroupState.EMPTY and not group.uses_consumer_protocol():
            return OffsetDeleteResult(_E.NON_EMPTY_GROUP)
        return self._delete_offsets(
            group_id, partitions, lambda topic: group.is_subscribed_to(topic, self._subscribed_topics)
        )

    def _delete_offsets(
        self, group_id: str, partitions: Sequence[TopicPartition], subscribed: Callable[[str], bool]
    ) -> OffsetDeleteResult:
        results: dict[TopicPartition, int] = {}
        for tp in (TopicPartition(*tp) for tp in partitions):
            results[tp] = _E.GROUP_SUBSCRIBED_TO_TOPIC if subscribed(tp.topic) else _E.NONE
        deletable = [tp for tp, error in results.items() if error == _E.NONE]
        try:
            self.offsets.delete_offsets(group_id, deletable)
        except OffsetStoreError as exc:
            log.error("group %s: offset deletion not stored: %s", group_id, exc)
            return OffsetDeleteResult(_E.NOT_COORDINATOR)
        return OffsetDeleteResult(_E.NONE, results)

    def on_topic_deleted(self, topic: str) -> None:
        """Forget every group's offsets of a deleted topic; Empty groups left with no
        offsets are removed, as Kafka's `cleanupGroupMetadata` does."""
        if not self._active:
            return
        try:
            self.offsets.delete_topic(topic)
        except OffsetStoreError as exc:
            log.error("offsets of deleted topic %s not removed: %s", topic, exc)
            return
        for group in self.groups.all_groups():
            idle = group.state is GroupState.EMPTY and not group.pending_join_members
            if idle and not self.offsets.has_offsets(group.group_id):
                self._delete_group(group)

    # -- administration ------------------------------------------------------------

    def list_groups(
        self,
        states_filter: Collection[str] | None = None,
        types_filter: Collection[str] | None = None,
    ) -> list[GroupListing]:
        """ListGroups; filters are case-insensitive (KIP-518 states, KIP-848 types)."""
        if not self._active:
            return []
        types = {t.lower() for t in types_filter} if types_filter else {"classic", "consumer", "share"}
        states = {s.lower() for s in states_filter} if states_filter else None
        listings = []
        if "classic" in types:
            listings += [
                GroupListing(group.group_id, group.protocol_type or "", group.state.value)
                for group in self.groups.all_groups()
                if states is None or group.state.value.lower() in states
            ]
        if "consumer" in types:
            listings += [
                GroupListing(group.group_id, CONSUMER_PROTOCOL_TYPE, group.state.value, "consumer")
                for group in self.consumer.all_groups()
                if states is None or group.state.value.lower() in states
            ]
        if "share" in types:
            listings += [
                GroupListing(group.group_id, "share", group.state.value, "share")
                for group in self.share.all_groups()
                if states is None or group.state.value.lower() in states
            ]
        return sorted(listings, key=lambda listing: listing.group_id)

    def describe_group(self, group_id: str) -> GroupDescription:
        if not self._active:
            return GroupDescription(_E.COORDINATOR_NOT_AVAILABLE, group_id, "", "", "")
        group = self.groups.get(group_id)
        if group is None:
            return GroupDescription(_E.GROUP_ID_NOT_FOUND, group_id, GroupState.DEAD.value, "", "")
        # GroupMetadata.summary: metadata and assignments only once the group is Stable.
        stable = group.state is GroupState.STABLE
        members = tuple(
            MemberDescription(
                member.member_id,
                member.group_instance_id,
                member.client_id,
                member.client_host,
                (member.metadata(group.protocol_name) or b"") if stable else b"",
                member.assignment if stable else b"",
            )
            for member in group.members.values()
        )
        protocol = (group.protocol_name or "") if stable else ""
        return GroupDescription(
            _E.NONE, group_id, group.state.value, group.protocol_type or "", protocol, members
        )

    def delete_groups(self, group_ids: Sequence[str]) -> dict[str, int]:
        """DeleteGroups: only Empty groups go, with all their offsets."""
        results: dict[str, int] = {}
        for group_id in group_ids:
            if not self._active:
                results[group_id] = _E.COORDINATOR_NOT_AVAILABLE
                continue
            consumer_group = self.consumer.get(group_id)
            if consumer_group is not None:
                results[group_id] = self._delete_consumer_group(group_id)
                continue
            share_group = self.share.get(group_id)
            if share_group is not None:
                if share_group.members:
                    results[group_id] = _E.NON_EMPTY_GROUP
                    continue
                results[group_id] = self.delete_share_state(group_id, list(share_group.partitions))
                if results[group_id] == _E.NONE:
                    self.share.remove_group(group_id)  # its group configs stay
                continue
            group = self.groups.get(group_id)
            if group is None:
                results[group_id] = _E.GROUP_ID_NOT_FOUND
            elif group.state not in DELETABLE_STATES:
                results[group_id] = _E.NON_EMPTY_GROUP
            else:
                results[group_id] = self._delete_group(group)
        return results

    # -- internals -----------------------------------------------------------------

    def _delete_group(self, group: ClassicGroup) -> GroupErrorCode:
        try:
            self.offsets.delete_group(group.group_id)
        except OffsetStoreError as exc:
            log.error("group %s: deletion not stored: %s", group.group_id, exc)
            return _E.NOT_COORDINATOR
        self.groups.remove_group(group.group_id)
        return _E.NONE

    def _delete_consumer_group(self, group_id: str) -> GroupErrorCode:
        group = self.consumer.get(group_id)
        if group is None:
            return _E.GROUP_ID_NOT_FOUND
        if group.members:
            return _E.NON_EMPTY_GROUP
        try:
            self.offsets.delete_group(group_id)
        except OffsetStoreError as exc:
            log.error("group %s: deletion not stored: %s", group_id, exc)
            return _E.NOT_COORDINATOR
        self.consumer.remove_group(group_id)
        self._consumer_written.pop(group_id, None)
        return _E.NONE

    def _persist_consumer_group(self, group: ConsumerGroup) -> None:
        """Write the records of ``group`` that changed since it was last written."""
        written = self._consumer_written.get(group.group_id, {})
        now = group_records(group)
        changes = record_changes(written, now)
        if not changes:
            return
        try:
            self.offsets.write_consumer_group(group.group_id, changes)
        except OffsetStoreError as exc:
            log.warning("group %s: epoch %d not stored: %s", group.group_id, group.group_epoch, exc)
            return
        self._consumer_written[group.group_id] = now

    def _persist_share_partition(
        self, group_id: str, topic_id: uuid.UUID, partition: int, share_partition: SharePartition
    ) -> None:
        try:
            self.share_state.write(group_id, topic_id, partition, share_partition)
        except OffsetStoreError as exc:
            log.warning("share group %s: state of %s-%d not stored: %s", group_id, topic_id, partition, exc)

    def _persist_group(self, group: ClassicGroup) -> None:
        try:
            self.offsets.put_group(group.group_id, self._group_metadata(group))
        except OffsetStoreError as exc:
            # Kafka only warns too: members are not persisted, clients rejoin anyway.
            log.warning(
                "group %s: generation %d not stored: %s", group.group_id, group.generation_id, exc
            )

    def _group_metadata(self, group: ClassicGroup) -> GroupMetadataValue:
        """Kafka's `newGroupMetadataRecord`: each member with its subscription in the
        selected protocol and its assignment."""
        return GroupMetadataValue(
            protocol_type=group.protocol_type or "",
            generation=group.generation_id,
            protocol=group.protocol_name,
            leader=group.leader_id if group.members else None,
            current_state_timestamp=self._wall_clock_ms(),
            members=tuple(
                MemberMetadata(
                    member_id=member.member_id,
                    group_instance_id=member.group_instance_id,
                    client_id=member.client_id,
                    client_host=member.client_host,
                    rebalance_timeout=member.rebalance_timeout_ms,
                    session_timeout=member.session_timeout_ms,
                    subscription=member.metadata(group.protocol_name) or b"",
                    assignment=member.assignment,
                )
                for member in group.members.values()
            ),
        )


def _resolver(future: asyncio.Future[_T]) -> Callable[[_T], None]:
    def resolve(result: _T) -> None:
        if not future.done():  # the waiting request may have been cancelled
            future.set_result(result)

    return resolve
