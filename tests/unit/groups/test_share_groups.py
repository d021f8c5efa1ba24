"""Share group membership (KIP-932) on a ManualTimer: joins, epochs, the simple assignor,
fencing, session expiry releasing records, lock timers, coexistence with other group types."""

from __future__ import annotations

import uuid

import pytest

from kafkalite.groups import GroupConfig, ManualTimer
from kafkalite.groups.assignors import TopicMetadata
from kafkalite.groups.share_group import ShareGroupManager, ShareGroupState, ShareHeartbeat
from kafkalite.groups.share_partition import AcquiredRange, FetchedBatch, RecordState
from kafkalite.protocol.errors import ErrorCode as E

T1 = uuid.UUID(int=1)
T2 = uuid.UUID(int=2)
TOPICS = {"t1": TopicMetadata(T1, "t1", 2), "t2": TopicMetadata(T2, "t2", 1)}


@pytest.fixture
def timer() -> ManualTimer:
    return ManualTimer(start_ms=1_000)


@pytest.fixture
def manager(timer: ManualTimer) -> ShareGroupManager:
    config = GroupConfig(group_share_session_timeout_ms=10_000, group_share_heartbeat_interval_ms=1_000,
                         group_share_record_lock_duration_ms=5_000, group_share_max_size=3)
    return ShareGroupManager(config, timer, lambda: TOPICS, clock=lambda: timer.now_ms)


def beat(manager: ShareGroupManager, member: str, epoch: int, topics: list[str] | None = None, group: str = "g"):
    return manager.heartbeat(ShareHeartbeat(group_id=group, member_id=member, member_epoch=epoch,
                                            subscribed_topic_names=topics))


def test_every_member_gets_every_partition_of_its_topics(manager: ShareGroupManager) -> None:
    a = beat(manager, "a", 0, ["t1"])
    assert (a.error_code, a.member_id, a.member_epoch, a.heartbeat_interval_ms) == (0, "a", 1, 1_000)
    assert a.assignment == {T1: frozenset({0, 1})}
    b = beat(manager, "b", 0, ["t1", "t2"])
    assert b.member_epoch == 2 and b.assignment == {T1: frozenset({0, 1}), T2: frozenset({0})}
    # a's assignment did not change; it moves to the new epoch without one.
    again = beat(manager, "a", 1)
    assert (again.member_epoch, again.assignment) == (2, None)
    group = manager.get("g")
    assert group is not None and group.state is ShareGroupState.STABLE
    assert group.group_epoch == 2 and set(group.members) == {"a", "b"}


def test_invalid_requests(manager: ShareGroupManager) -> None:
    assert beat(manager, "", 0, ["t1"]).error_code == E.INVALID_REQUEST
    assert beat(manager, "a", 0, None).error_code == E.INVALID_REQUEST
    assert beat(manager, "a", -2, ["t1"]).error_code == E.INVALID_REQUEST
    assert beat(manager, "a", 0, ["t1"], group="").error_code == E.INVALID_REQUEST
    assert beat(manager, "a", 3).error_code == E.UNKNOWN_MEMBER_ID


def test_epochs_are_fenced_but_the_previous_one_is_accepted(manager: ShareGroupManager) -> None:
    beat(manager, "a", 0, ["t1"])
    beat(manager, "b", 0, ["t1"])
    assert beat(manager, "a", 1).member_epoch == 2
    assert beat(manager, "a", 1).error_code == 0  # the answer with epoch 2 may have been lost
    assert beat(manager, "a", 7).error_code == E.FENCED_MEMBER_EPOCH
    assert beat(manager, "zz", 1).error_code == E.UNKNOWN_MEMBER_ID


def test_group_max_size(manager: ShareGroupManager) -> None:
    for member in "abc":
        assert beat(manager, member, 0, ["t1"]).error_code == 0
    assert beat(manager, "d", 0, ["t1"]).error_code == E.GROUP_MAX_SIZE_REACHED


def test_session_expiry_removes_the_member_and_releases_its_records(
    manager: ShareGroupManager, timer: ManualTimer
) -> None:
    beat(manager, "a", 0, ["t1"])
    beat(manager, "b", 0, ["t1"])
    woken: list[tuple[uuid.UUID, int]] = []
    manager.on_available = lambda topic_id, partition: woken.append((topic_id, partition))
    manager.open_session("g", "a")
    sp = manager.partition("g", T1, 0)
    sp.initialize(0)
    assert sp.acquire("a", [FetchedBatch(0, 2)], 10) == [AcquiredRange(0, 2, 1)]
    manager.acquired("g", T1, 0)
    timer.advance(9_000)
    assert beat(manager, "b", 2).error_code == 0  # b stays alive
    timer.advance(1_000)  # a's session timed out, before its record locks did
    group = manager.get("g")
    assert group is not None and set(group.members) == {"b"}
    assert manager.session("g", "a") is None
    assert sp.state_of(0) == (RecordState.AVAILABLE, 1)
    assert woken == [(T1, 0)]


def test_lock_timer_releases_records_and_wakes_fetchers(manager: ShareGroupManager, timer: ManualTimer) -> None:
    beat(manager, "a", 0, ["t1"])
    woken: list[tuple[uuid.UUID, int]] = []
    written: list[int] = []
    manager.on_available = lambda topic_id, partition: woken.append((topic_id, partition))
    manager.on_state_change = lambda g, t, p, sp: written.append(sp.start_offset)
    sp = manager.partition("g", T1, 1)
    sp.initialize(0)
    sp.acquire("a", [FetchedBatch(0, 0)], 10)
    manager.acquired("g", T1, 1)
    timer.advance(4_999)
    assert woken == [] and sp.state_of(0) == (RecordState.ACQUIRED, 1)
    beat(manager, "a", 1)
    timer.advance(1)
    assert woken == [(T1, 1)] and sp.state_of(0) == (RecordState.AVAILABLE, 1)
    assert written == [0]


def test_leaving_releases_records_and_empties_the_group(manager: ShareGroupManager) -> None:
    beat(manager, "a", 0, ["t1"])
    session = manager.open_session("g", "a")
    sp = manager.partition("g", T1, 0)
    sp.initialize(0)
    sp.acquire("a", [FetchedBatch(0, 0)], 10)
    left = beat(manager, "a", -1)
    assert (left.error_code, left.member_epoch) == (0, -1)
    assert sp.state_of(0) == (RecordState.AVAILABLE, 1)
    group = manager.get("g")
    assert group is not None and group.state is ShareGroupState.EMPTY and group.group_epoch == 2
    # A closing consumer leaves first, then ends its share session: the session waits for it.
    assert manager.session("g", "a") is session
    manager.close_session("g", "a")
    assert manager.session("g", "a") is None


def test_sessions_open_replace_and_close(manager: ShareGroupManager) -> None:
    beat(manager, "a", 0, ["t1"])
    first = manager.open_session("g", "a")
    assert first.epoch == 1 and manager.session("g", "a") is first
    sp = manager.partition("g", T1, 0)
    sp.initialize(0)
    sp.acquire("a", [FetchedBatch(0, 0)], 10)
    second = manager.open_session("g", "a")
    assert second is not first and sp.state_of(0) == (RecordState.AVAILABLE, 1)
    manager.close_session("g", "a")
    assert manager.session("g", "a") is None


def test_share_groups_coexist_with_other_group_types(tmp_path) -> None:
    from kafkalite.groups import GroupCoordinator
    from kafkalite.groups.consumer_manager import ConsumerHeartbeat
    from kafkalite.groups.share_group import ShareHeartbeat as SH
    from kafkalite.storage.manager import LogManager

    logs = LogManager(tmp_path)
    logs.start()
    coordinator = GroupCoordinator(logs, timer=ManualTimer(), offsets_topic_num_partitions=1,
                                   topics=lambda: TOPICS)
    coordinator.start()
    try:
        joined = coordinator.share_group_heartbeat(SH(group_id="s", member_id="m", member_epoch=0,
                                                      subscribed_topic_names=["t1"]))
        assert joined.error_code == 0
        consumer = coordinator.consumer_group_heartbeat(ConsumerHeartbeat(
            group_id="s", member_id="c", member_epoch=0, rebalance_timeout_ms=1000,
            subscribed_topic_names=["t1"], owned={}))
        assert consumer.error_code == E.GROUP_ID_NOT_FOUND
        assert coordinator.consumer_group_heartbeat(ConsumerHeartbeat(
            group_id="c", member_id="c", member_epoch=0, rebalance_timeout_ms=1000,
            subscribed_topic_names=["t1"], owned={})).error_code == 0
        refused = coordinator.share_group_heartbeat(SH(group_id="c", member_id="m", member_epoch=0,
                                                       subscribed_topic_names=["t1"]))
        assert refused.error_code == E.GROUP_ID_NOT_FOUND
        listed = {(g.group_id, g.group_type, g.protocol_type, g.group_state) for g in coordinator.list_groups()}
        assert ("s", "share", "share", "Stable") in listed
        assert [g.group_id for g in coordinator.list_groups(types_filter=["SHARE"])] == ["s"]
    finally:
        coordinator.close()
        logs.shutdown()


def test_committed_offset_apis_do_not_touch_a_share_group(tmp_path) -> None:
    from kafkalite.groups import CommitEntry, GroupCoordinator, TopicPartition
    from kafkalite.groups.share_group import ShareHeartbeat as SH
    from kafkalite.storage.manager import LogManager

    logs = LogManager(tmp_path)
    logs.start()
    coordinator = GroupCoordinator(logs, timer=ManualTimer(), offsets_topic_num_partitions=1,
                                   topics=lambda: TOPICS)
    coordinator.start()
    try:
        assert coordinator.share_group_heartbeat(SH(group_id="s", member_id="m", member_epoch=0,
                                                    subscribed_topic_names=["t1"])).error_code == 0
        committed = coordinator.commit_offsets("s", -1, "", None, [CommitEntry("t1", 0, 5)])
        assert committed == {TopicPartition("t1", 0): E.GROUP_ID_NOT_FOUND}
        assert coordinator.groups.get("s") is None  # no classic group of the same id appeared
        assert coordinator.fetch_offsets("s").error_code == E.GROUP_ID_NOT_FOUND
        assert coordinator.delete_offsets("s", [TopicPartition("t1", 0)]).error_code == E.GROUP_ID_NOT_FOUND
    finally:
        coordinator.close()
        logs.shutdown()
