"""The share-partition state machine (KIP-932) with an injected clock: acquisition,
acknowledgement, lock expiry, delivery-count limit, in-flight window, persisted form."""

from __future__ import annotations

import pytest

from kafkalite.groups.share_partition import (
    AcknowledgeType as A,
)
from kafkalite.groups.share_partition import (
    AcquiredRange,
    FetchedBatch,
    RecordState,
    SharePartition,
    SharePartitionConfig,
    StateBatch,
)
from kafkalite.protocol.errors import ErrorCode


class Clock:
    def __init__(self) -> None:
        self.now = 1_000

    def __call__(self) -> int:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def partition(clock: Clock, **config: int) -> SharePartition:
    sp = SharePartition(SharePartitionConfig(**config), clock)
    sp.initialize(0)
    return sp


def test_two_members_acquire_distinct_records(clock: Clock) -> None:
    sp = partition(clock)
    batches = [FetchedBatch(0, 4), FetchedBatch(5, 9)]
    assert sp.next_fetch_offset() == 0
    first = sp.acquire("a", batches, max_records=3)
    # Batch-optimized: the batch begun is acquired whole.
    assert first == [AcquiredRange(0, 4, 1)]
    assert sp.next_fetch_offset() == 5
    second = sp.acquire("b", batches, max_records=100)
    assert second == [AcquiredRange(5, 9, 1)]
    assert sp.acquire("c", batches, max_records=100) == []
    assert sp.next_fetch_offset() == 10


def test_record_limit_mode_never_exceeds_max_records(clock: Clock) -> None:
    sp = partition(clock)
    assert sp.acquire("a", [FetchedBatch(0, 9)], max_records=3, record_limit=True) == [
        AcquiredRange(0, 2, 1)
    ]
    assert sp.next_fetch_offset() == 3


def test_accept_release_reject(clock: Clock) -> None:
    sp = partition(clock)
    sp.acquire("a", [FetchedBatch(0, 2)], max_records=10)
    error, released = sp.acknowledge("a", 0, 2, [A.ACCEPT, A.RELEASE, A.REJECT])
    assert (error, released) == (ErrorCode.NONE, True)
    assert sp.state_of(1) == (RecordState.AVAILABLE, 1)
    assert sp.state_of(2) == (RecordState.ARCHIVED, 1)
    # Offset 0 is final and first: the SPSO moves past it, offset 1 holds it now.
    assert sp.start_offset == 1 and sp.end_offset == 3
    again = sp.acquire("b", [FetchedBatch(0, 2)], max_records=10)
    assert again == [AcquiredRange(1, 1, 2)]
    assert sp.acknowledge("b", 1, 1, [A.ACCEPT]) == (ErrorCode.NONE, False)
    assert sp.start_offset == 3 and sp.in_flight() == 0


def test_acknowledging_records_of_another_member_is_invalid_and_changes_nothing(clock: Clock) -> None:
    sp = partition(clock)
    sp.acquire("a", [FetchedBatch(0, 1)], max_records=1)
    assert sp.acknowledge("b", 0, 1, [A.ACCEPT]) == (ErrorCode.INVALID_RECORD_STATE, False)
    assert sp.acknowledge("a", 0, 2, [A.ACCEPT]) == (ErrorCode.INVALID_RECORD_STATE, False)
    assert sp.state_of(0) == (RecordState.ACQUIRED, 1)
    assert sp.acknowledge("a", 0, 1, [A.ACCEPT, A.ACCEPT, A.ACCEPT])[0] == ErrorCode.INVALID_REQUEST
    assert sp.acknowledge("a", 1, 0, [A.ACCEPT])[0] == ErrorCode.INVALID_REQUEST
    assert sp.acknowledge("a", 0, 0, [9])[0] == ErrorCode.INVALID_REQUEST
    assert sp.acknowledge("a", 0, 1, [A.ACCEPT]) == (ErrorCode.NONE, False)
    # Acknowledged already: a second acknowledgement is refused.
    assert sp.acknowledge("a", 0, 0, [A.ACCEPT])[0] == ErrorCode.INVALID_RECORD_STATE


def test_lock_expiry_releases_for_redelivery(clock: Clock) -> None:
    sp = partition(clock, record_lock_duration_ms=1_000)
    sp.acquire("a", [FetchedBatch(0, 1)], max_records=10)
    assert sp.next_deadline() == 2_000
    clock.now = 1_999
    assert sp.expire_locks() == 0
    clock.now = 2_000
    assert sp.expire_locks() == 2
    assert sp.next_deadline() is None
    assert sp.acquire("b", [FetchedBatch(0, 1)], max_records=10) == [AcquiredRange(0, 1, 2)]
    # The late acknowledgement of the first member is refused.
    assert sp.acknowledge("a", 0, 1, [A.ACCEPT])[0] == ErrorCode.INVALID_RECORD_STATE


def test_renew_extends_the_lock(clock: Clock) -> None:
    sp = partition(clock, record_lock_duration_ms=1_000)
    sp.acquire("a", [FetchedBatch(0, 0)], max_records=10)
    clock.now = 1_900
    assert sp.acknowledge("a", 0, 0, [A.RENEW]) == (ErrorCode.NONE, False)
    clock.now = 2_500
    assert sp.expire_locks() == 0
    assert sp.state_of(0) == (RecordState.ACQUIRED, 1)


def test_delivery_count_limit_archives_a_poison_record(clock: Clock) -> None:
    sp = partition(clock, delivery_count_limit=3)
    for delivery in (1, 2, 3):
        assert sp.acquire("a", [FetchedBatch(0, 0), FetchedBatch(1, 1)], max_records=1) == [
            AcquiredRange(0, 0, delivery)
        ]
        error, released = sp.acknowledge("a", 0, 0, [A.RELEASE])
        assert error == ErrorCode.NONE and released is (delivery < 3)
    assert sp.state_of(0) is None  # archived, and the SPSO moved past it
    assert sp.start_offset == 1
    assert sp.acquire("a", [FetchedBatch(1, 1)], max_records=1) == [AcquiredRange(1, 1, 1)]


def test_member_leaving_releases_its_records(clock: Clock) -> None:
    sp = partition(clock)
    sp.acquire("a", [FetchedBatch(0, 1)], max_records=10)
    sp.acquire("b", [FetchedBatch(2, 3)], max_records=10)
    assert sp.release_member("a") == 2
    assert sp.state_of(0) == (RecordState.AVAILABLE, 1)
    assert sp.state_of(2) == (RecordState.ACQUIRED, 1)
    assert sp.next_fetch_offset() == 0


def test_in_flight_window_is_capped(clock: Clock) -> None:
    sp = partition(clock, max_record_locks=4)
    assert sp.acquire("a", [FetchedBatch(0, 9)], max_records=100) == [AcquiredRange(0, 3, 1)]
    assert sp.next_fetch_offset() is None
    sp.acknowledge("a", 0, 1, [A.ACCEPT])
    assert sp.next_fetch_offset() == 4
    assert sp.acquire("a", [FetchedBatch(0, 9)], max_records=100) == [AcquiredRange(4, 5, 1)]


def test_control_batches_and_gaps_are_archived_not_acquired(clock: Clock) -> None:
    sp = partition(clock)
    got = sp.acquire("a", [FetchedBatch(0, 1), FetchedBatch(2, 2, is_control=True), FetchedBatch(5, 6)], 100)
    assert got == [AcquiredRange(0, 1, 1), AcquiredRange(5, 6, 1)]
    assert sp.state_of(2) == (RecordState.ARCHIVED, 0)
    assert sp.state_of(3) == (RecordState.ARCHIVED, 0)
    sp.acknowledge("a", 0, 1, [A.ACCEPT])
    assert sp.start_offset == 5


def test_acquisition_skips_records_below_the_start(clock: Clock) -> None:
    sp = SharePartition(SharePartitionConfig(), clock)
    sp.initialize(3)
    sp.initialize(0)  # already started: no change
    assert sp.acquire("a", [FetchedBatch(0, 4)], 100) == [AcquiredRange(3, 4, 1)]


def test_state_batches_round_trip_and_acquired_records_come_back_available(clock: Clock) -> None:
    sp = partition(clock)
    sp.acquire("a", [FetchedBatch(0, 5)], 100)
    sp.acknowledge("a", 1, 2, [A.ACCEPT])
    sp.acknowledge("a", 3, 3, [A.RELEASE])
    batches = sp.state_batches()
    assert batches == [
        StateBatch(0, 0, RecordState.AVAILABLE, 1),
        StateBatch(1, 2, RecordState.ACKNOWLEDGED, 1),
        StateBatch(3, 5, RecordState.AVAILABLE, 1),
    ]
    restored = SharePartition(SharePartitionConfig(), clock)
    restored.restore(sp.start_offset, batches, state_epoch=2)
    assert restored.state_batches() == batches
    assert restored.state_of(0) == (RecordState.AVAILABLE, 1)
    assert restored.acquire("b", [FetchedBatch(0, 5), FetchedBatch(6, 7)], 100) == [
        AcquiredRange(0, 0, 2), AcquiredRange(3, 5, 2), AcquiredRange(6, 7, 1)
    ]


def test_move_start_and_reset(clock: Clock) -> None:
    sp = partition(clock)
    sp.acquire("a", [FetchedBatch(0, 5)], 100)
    assert sp.move_start(3)
    assert sp.state_of(2) is None and sp.state_of(3) == (RecordState.ACQUIRED, 1)
    assert not sp.move_start(1)
    sp.reset(10)
    assert (sp.start_offset, sp.end_offset, sp.in_flight()) == (10, 10, 0)
    assert sp.state_epoch == 1
