"""Fixtures for the group coordinator tests: a GroupManager on a fake clock.

`Harness` drives the synchronous state machine directly; parked JoinGroup/SyncGroup
answers land in a list ("box") that stays empty until the group can answer. Time moves
only through `advance()`; nothing here sleeps. Coordinators keep `__consumer_offsets`
in a `LogManager` on the test's directory, with `PARTITIONS` partitions.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from kafkalite.groups import (
    GroupConfig,
    GroupCoordinator,
    GroupManager,
    GroupState,
    JoinRequest,
    JoinResult,
    LeaveMember,
    LeaveResult,
    ManualTimer,
    Protocol,
    SyncRequest,
    SyncResult,
)
from kafkalite.storage.manager import LogManager

RANGE = (Protocol("range", b"meta"),)
SESSION_MS = 10_000
REBALANCE_MS = 30_000


class Harness:
    def __init__(
        self,
        config: GroupConfig | None = None,
        timer: ManualTimer | None = None,
        manager: GroupManager | None = None,
    ) -> None:
        """A fresh manager with readable member ids, or drive an existing one."""
        self.timer = timer if timer is not None else ManualTimer()
        self.generations: list[tuple[str, int]] = []
        ids = itertools.count(1)
        self.manager = (
            manager
            if manager is not None
            else GroupManager(
                config if config is not None else GroupConfig(),
                self.timer,
                on_new_generation=lambda g: self.generations.append((g.group_id, g.generation_id)),
                member_id_factory=lambda prefix: f"{prefix}-{next(ids)}",
            )
        )

    def group(self, group_id: str = "g"):  # type: ignore[no-untyped-def]
        group = self.manager.get(group_id)
        assert group is not None
        return group

    def state(self, group_id: str = "g") -> GroupState:
        return self.group(group_id).state

    def advance(self, ms: int = 0) -> int:
        return self.timer.advance(ms)

    def join(
        self,
        member_id: str = "",
        *,
        group_id: str = "g",
        instance: str | None = None,
        protocols: Sequence[Protocol] = RANGE,
        protocol_type: str = "consumer",
        session_timeout_ms: int = SESSION_MS,
        rebalance_timeout_ms: int = REBALANCE_MS,
        client_id: str = "client",
        require_known_member_id: bool = True,
        supports_skip_assignment: bool = True,
    ) -> list[JoinResult]:
        box: list[JoinResult] = []
        self.manager.join_group(
            JoinRequest(
                group_id=group_id,
                member_id=member_id,
                group_instance_id=instance,
                protocol_type=protocol_type,
                protocols=protocols,
                session_timeout_ms=session_timeout_ms,
                rebalance_timeout_ms=rebalance_timeout_ms,
                client_id=client_id,
                require_known_member_id=require_known_member_id,
                supports_skip_assignment=supports_skip_assignment,
            ),
            box.append,
        )
        return box

    def join_new(self, **kwargs: object) -> tuple[str, list[JoinResult]]:
        """A dynamic member's first join: MEMBER_ID_REQUIRED, then the parked rejoin."""
        first = self.join(**kwargs)  # type: ignore[arg-type]
        assert len(first) == 1 and first[0].error_code == 79, first
        member_id = first[0].member_id
        return member_id, self.join(member_id, **kwargs)  # type: ignore[arg-type]

    def sync(
        self,
        member_id: str,
        generation_id: int,
        assignments: Mapping[str, bytes] | None = None,
        *,
        group_id: str = "g",
        instance: str | None = None,
        protocol_type: str | None = None,
        protocol_name: str | None = None,
    ) -> list[SyncResult]:
        box: list[SyncResult] = []
        self.manager.sync_group(
            SyncRequest(
                group_id=group_id,
                generation_id=generation_id,
                member_id=member_id,
                group_instance_id=instance,
                protocol_type=protocol_type,
                protocol_name=protocol_name,
                assignments=assignments or {},
            ),
            box.append,
        )
        return box

    def heartbeat(
        self,
        member_id: str,
        generation_id: int,
        *,
        group_id: str = "g",
        instance: str | None = None,
    ) -> int:
        return self.manager.heartbeat(group_id, member_id, instance, generation_id)

    def leave(self, *members: LeaveMember, group_id: str = "g") -> LeaveResult:
        return self.manager.leave_group(group_id, list(members))

    def form_group(self, size: int, *, group_id: str = "g") -> tuple[list[str], int]:
        """Join `size` dynamic members and sync them: a Stable group.

        Member i is assigned b"assignment-<i>". Returns (member ids, generation)."""
        joins = [self.join_new(group_id=group_id, client_id=f"c{i}") for i in range(size)]
        self.advance(0)  # the initial rebalance's delay (0 ms) ends the join phase
        results = [box[0] for _, box in joins]
        generation = results[0].generation_id
        leader = results[0].leader
        members = [member_id for member_id, _ in joins]
        assignments = {m: f"assignment-{i}".encode() for i, m in enumerate(members)}
        boxes = [
            self.sync(m, generation, assignments if m == leader else None, group_id=group_id)
            for m in members
        ]
        assert all(box and box[0].error_code == 0 for box in boxes), boxes
        assert self.state(group_id) is GroupState.STABLE
        return members, generation


@pytest.fixture
def harness() -> Harness:
    return Harness()


@pytest.fixture
def make_harness() -> type[Harness]:
    """The Harness class itself, for tests that need their own GroupConfig."""
    return Harness


NOW_MS = 1_700_000_000_000


@pytest.fixture
def timer() -> ManualTimer:
    return ManualTimer()


PARTITIONS = 3


def open_logs(data_dir: Path) -> LogManager:
    logs = LogManager(data_dir, cleaner_enable=False)
    logs.start()
    return logs


@pytest.fixture
def logs(tmp_path: Path) -> Iterator[LogManager]:
    """A started LogManager on the test's directory, shut down afterwards."""
    logs = open_logs(tmp_path)
    try:
        yield logs
    finally:
        logs.shutdown()


def new_coordinator(logs: LogManager, **kwargs: Any) -> GroupCoordinator:
    """A GroupCoordinator whose `__consumer_offsets` gets PARTITIONS partitions."""
    return GroupCoordinator(logs, offsets_topic_num_partitions=PARTITIONS, **kwargs)


@pytest.fixture
def make_coordinator() -> Callable[..., GroupCoordinator]:
    """`new_coordinator`, for tests that build their own coordinator."""
    return new_coordinator


@pytest.fixture
def coordinator(logs: LogManager, timer: ManualTimer) -> Iterator[GroupCoordinator]:
    """A started GroupCoordinator on the `timer` fixture and a fixed wall clock."""
    coordinator = new_coordinator(logs, timer=timer, wall_clock_ms=lambda: NOW_MS)
    coordinator.start()
    try:
        yield coordinator
    finally:
        coordinator.close()


@pytest.fixture
def members(coordinator: GroupCoordinator, timer: ManualTimer) -> Harness:
    """A Harness driving the coordinator's own GroupManager."""
    return Harness(timer=timer, manager=coordinator.groups)
