"""Committed offsets expire after offsets.retention.minutes, as in Kafka (KIP-211)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kafkalite.groups import (
    CommitEntry,
    CommittedOffset,
    GroupConfig,
    GroupCoordinator,
    GroupState,
    LeaveMember,
    ManualTimer,
    TopicPartition,
)
from kafkalite.groups.offset_expiry import expired_offsets
from kafkalite.internal_topics import OFFSETS_TOPIC, scan
from kafkalite.storage.manager import LogManager
from tests.unit.handlers.admin_wire import create_topic, running_broker
from tests.unit.handlers.group_wire import commit, fetch

if TYPE_CHECKING:
    from conftest import Harness

T0, T1, U0 = TopicPartition("t", 0), TopicPartition("t", 1), TopicPartition("u", 0)
RETENTION_MS = 60_000
CHECK_MS = 1_000
START_MS = 1_700_000_000_000


def offsets_at(**stamps: int) -> dict[TopicPartition, CommittedOffset]:
    by_name = {"t0": T0, "t1": T1, "u0": U0}
    return {by_name[name]: CommittedOffset(5, -1, "", ts) for name, ts in stamps.items()}


def test_standalone_offsets_expire_from_their_commit_time() -> None:
    offsets = offsets_at(t0=0, t1=50_000)
    common = {"protocol_type": None, "subscribed": None, "empty_since_ms": None}
    assert expired_offsets(
        offsets, state=GroupState.EMPTY, now_ms=59_999, retention_ms=RETENTION_MS, **common
    ) == []
    assert expired_offsets(
        offsets, state=GroupState.EMPTY, now_ms=60_000, retention_ms=RETENTION_MS, **common
    ) == [T0]
    assert expired_offsets(
        offsets, state=GroupState.EMPTY, now_ms=200_000, retention_ms=RETENTION_MS,
        is_pending=lambda tp: tp == T1, **common,
    ) == [T0]


def test_consumer_group_offsets_by_state() -> None:
    offsets = offsets_at(t0=0, u0=0)

    def expired(state: GroupState, **kw: object) -> list[TopicPartition]:
        args: dict = {"protocol_type": "consumer", "subscribed": None, "empty_since_ms": None}
        args.update(kw)
        return expired_offsets(offsets, state=state, now_ms=100_000, retention_ms=RETENTION_MS, **args)

    # Empty: counted from when the group emptied, not from the commits
    assert expired(GroupState.EMPTY, empty_since_ms=50_000) == []
    assert expired(GroupState.EMPTY, empty_since_ms=40_000) == [T0, U0]
    assert expired(GroupState.EMPTY) == [T0, U0]  # unknown: the commit times
    # Stable: only the topics no member subscribes to any more (KIP-496)
    assert expired(GroupState.STABLE, subscribed={"t"}) == [U0]
    assert expired(GroupState.STABLE, subscribed=None) == []
    assert expired(GroupState.STABLE, protocol_type="connect", subscribed={"t"}) == []
    assert expired(GroupState.PREPARING_REBALANCE, subscribed={"t"}) == []


class Clock:
    def __init__(self) -> None:
        self.now = START_MS

    def __call__(self) -> int:
        return self.now


def expiring_coordinator(
    logs: LogManager, make_coordinator: Callable[..., GroupCoordinator], clock: Clock
) -> tuple[GroupCoordinator, ManualTimer]:
    timer = ManualTimer()
    config = GroupConfig(
        offsets_retention_ms=RETENTION_MS, offsets_retention_check_interval_ms=CHECK_MS
    )
    coordinator = make_coordinator(logs, config=config, timer=timer, wall_clock_ms=clock)
    coordinator.start()
    return coordinator, timer


def tombstoned_keys(logs: LogManager) -> int:
    info = logs.get_topic(OFFSETS_TOPIC)
    assert info is not None
    return sum(
        1
        for partition_log in info.partitions
        for batch in scan(partition_log)
        for record in batch.records
        if record.value is None
    )


def test_expiry_on_the_check_timer_writes_tombstones(
    logs: LogManager, make_coordinator: Callable[..., GroupCoordinator]
) -> None:
    clock = Clock()
    coordinator, timer = expiring_coordinator(logs, make_coordinator, clock)
    coordinator.commit_offsets("simple", -1, "", None, [CommitEntry("t", 0, 7), CommitEntry("t", 1, 8)])
    clock.now += RETENTION_MS // 2
    coordinator.commit_offsets("simple", -1, "", None, [CommitEntry("t", 1, 9)])
    clock.now = START_MS + RETENTION_MS - 1
    timer.advance(CHECK_MS)
    assert set(coordinator.offsets.committed("simple")) == {T0, T1}
    clock.now = START_MS + RETENTION_MS
    timer.advance(CHECK_MS)
    assert set(coordinator.offsets.committed("simple")) == {T1}
    assert tombstoned_keys(logs) == 1
    clock.now = START_MS + RETENTION_MS + RETENTION_MS // 2
    timer.advance(CHECK_MS)
    # the last offset gone, the group goes too (its metadata tombstoned)
    assert coordinator.offsets.committed("simple") == {}
    assert coordinator.groups.get("simple") is None
    assert coordinator.fetch_offsets("simple", [T0, T1]).offsets[0].offset == -1
    coordinator.close()
    # replaying the log finds nothing: the expiry is durable
    again, _ = expiring_coordinator(logs, make_coordinator, clock)
    assert again.offsets.group_ids() == set()
    again.close()


def test_consumer_group_offsets_expire_after_the_group_empties(
    logs: LogManager, make_coordinator: Callable[..., GroupCoordinator], make_harness: type[Harness]
) -> None:
    clock = Clock()
    coordinator, timer = expiring_coordinator(logs, make_coordinator, clock)
    members = make_harness(timer=timer, manager=coordinator.groups)
    [member], generation = members.form_group(1)
    assert coordinator.commit_offsets("g", generation, member, None, [CommitEntry("t", 0, 3)]) == {
        T0: 0
    }
    # a live group keeps its offsets however old they are
    clock.now += 10 * RETENTION_MS
    members.heartbeat(member, generation)
    timer.advance(CHECK_MS)
    members.heartbeat(member, generation)
    assert set(coordinator.offsets.committed("g")) == {T0}
    coordinator.leave_group("g", [LeaveMember(member, None)])
    assert coordinator.groups.get("g").state is GroupState.EMPTY  # type: ignore[union-attr]
    left_at = clock.now
    clock.now = left_at + RETENTION_MS - 1
    timer.advance(CHECK_MS)
    assert set(coordinator.offsets.committed("g")) == {T0}
    clock.now = left_at + RETENTION_MS
    timer.advance(CHECK_MS)
    assert coordinator.offsets.committed("g") == {}
    assert coordinator.groups.get("g") is None
    coordinator.close()


def test_broker_settings_reach_the_coordinator_and_expiry_answers_over_the_wire(
    tmp_path: Path,
) -> None:
    """-o offsets.retention.minutes / offsets.retention.check.interval.ms configure the
    broker's coordinator; an expired commit is gone for OffsetFetch and ListGroups."""
    properties = {
        "offsets.retention.minutes": "2",
        "offsets.retention.check.interval.ms": "3600000",
        "offsets.topic.num.partitions": "1",
    }
    with running_broker(tmp_path / "d", **properties) as running:
        address = running.address
        coordinator = running.broker.cluster.groups
        assert (
            coordinator.config.offsets_retention_ms,
            coordinator.config.offsets_retention_check_interval_ms,
        ) == (120_000, 3_600_000)
        assert create_topic(address, "t").error_code == 0
        assert commit(address, 8, "old", -1, "", {("t", 0): 4}) == {("t", 0): 0}
        assert fetch(address, 8, "old", [("t", 0)])[1][("t", 0)][0] == 4
        # nothing has expired yet
        assert running.call(coordinator.expire_offsets) == 0
        later = time.time_ns() // 1_000_000 + 120_000
        running.call(lambda: setattr(coordinator, "_wall_clock_ms", lambda: later))
        assert running.call(coordinator.expire_offsets) == 1
        assert fetch(address, 8, "old", [("t", 0)])[1][("t", 0)][0] == -1
        assert running.call(lambda: coordinator.groups.get("old")) is None
