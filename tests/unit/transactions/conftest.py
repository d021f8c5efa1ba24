"""Fixtures for the transaction coordinator: a fake clock, an in-memory state log that
decodes what it is given, and a marker writer that records every marker. Nothing sleeps;
time moves only when a test sets ``clock.now``."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pytest

from kafkalite.protocol.errors import ErrorCode
from kafkalite.transactions import TopicPartition, TransactionConfig, TransactionCoordinator


class FakeClock:
    def __init__(self, now: int = 1_000) -> None:
        self.now = now

    def __call__(self) -> int:
        return self.now


@dataclass
class FakeStateLog:
    """Keeps every appended record per partition; ``fail_with`` refuses appends."""

    records: dict[int, list[tuple[bytes, bytes | None]]] = field(default_factory=dict)
    fail_with: ErrorCode = ErrorCode.NONE

    def append(
        self, partition: int, records: Sequence[tuple[bytes, bytes | None]], now_ms: int
    ) -> ErrorCode:
        if self.fail_with != ErrorCode.NONE:
            return self.fail_with
        self.records.setdefault(partition, []).extend(records)
        return ErrorCode.NONE

    def all_records(self) -> list[tuple[bytes | None, bytes | None]]:
        return [record for partition in sorted(self.records) for record in self.records[partition]]


@dataclass(frozen=True)
class Marker:
    producer_id: int
    producer_epoch: int
    commit: bool
    coordinator_epoch: int
    partition: TopicPartition


@dataclass
class FakeMarkerWriter:
    """Records markers; ``errors`` answers chosen partitions with an error instead."""

    written: list[Marker] = field(default_factory=list)
    errors: dict[TopicPartition, ErrorCode] = field(default_factory=dict)

    def write_markers(
        self, producer_id: int, producer_epoch: int, commit: bool, coordinator_epoch: int,
        partitions: Sequence[TopicPartition],
    ) -> dict[TopicPartition, ErrorCode]:
        out = {}
        for tp in partitions:
            out[tp] = self.errors.get(tp, ErrorCode.NONE)
            if out[tp] == ErrorCode.NONE:
                self.written.append(Marker(producer_id, producer_epoch, commit, coordinator_epoch, tp))
        return out


@dataclass
class Harness:
    clock: FakeClock
    state_log: FakeStateLog
    markers: FakeMarkerWriter
    coordinator: TransactionCoordinator


def make_harness(
    config: TransactionConfig | None = None, *, state_log: FakeStateLog | None = None,
    first_producer_id: int = 1000,
) -> Harness:
    clock = FakeClock()
    log = state_log or FakeStateLog()
    markers = FakeMarkerWriter()
    ids = itertools.count(first_producer_id)
    coordinator = TransactionCoordinator(
        state_log=log, marker_writer=markers, producer_ids=lambda: next(ids), clock=clock,
        config=config or TransactionConfig(transaction_state_log_num_partitions=5),
    )
    return Harness(clock, log, markers, coordinator)


@pytest.fixture
def harness() -> Harness:
    return make_harness()


@pytest.fixture
def make() -> Callable[..., Harness]:
    """``make(config, state_log=...)``: a harness with other settings."""
    return make_harness


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def new_marker_writer() -> Callable[[], FakeMarkerWriter]:
    return FakeMarkerWriter
