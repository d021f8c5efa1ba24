"""Transactional offsets: staged as a producer's transactional batch, pending until the
transaction ends, and replayed with the markers found in __consumer_offsets."""

from __future__ import annotations

import struct
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kafkalite.groups import (
    CommitEntry,
    CommittedOffset,
    FetchedOffset,
    GroupCoordinator,
    GroupErrorCode,
    ManualTimer,
    OffsetStoreError,
    TopicPartition,
)
from kafkalite.internal_topics import OFFSETS_TOPIC, partition_for, scan
from kafkalite.protocol.record_codec import Record, encode_batch
from kafkalite.protocol.records import validate_batches
from kafkalite.storage.errors import InvalidProducerEpochError
from kafkalite.storage.manager import LogManager

E = GroupErrorCode
T0 = TopicPartition("t", 0)
T1 = TopicPartition("t", 1)
PARTITIONS = 3
PRODUCER, EPOCH = 4000, 2


def offset(value: int) -> CommittedOffset:
    return CommittedOffset(value, -1, "", 1234)


def write_marker(logs: LogManager, group_id: str, producer_id: int, *, commit: bool) -> None:
    """What the transaction coordinator writes: a control batch of the producer whose one
    record has key version 0 + type (1 commit, 0 abort) and value version 0 + epoch."""
    partition_log = logs.get_partition(OFFSETS_TOPIC, partition_for(group_id, PARTITIONS))
    assert partition_log is not None
    now = time.time_ns() // 1_000_000
    marker = Record(
        offset=0,
        timestamp=now,
        key=struct.pack(">hh", 0, 1 if commit else 0),
        value=struct.pack(">hi", 0, 0),
    )
    # The log checks sequences on control batches too (Kafka does not), so the marker
    # continues the producer's sequence here.
    entry = partition_log.producer_state.producers[producer_id]
    batch = bytearray(
        encode_batch(
            [marker],
            attributes=0x30,  # control | transactional
            producer_id=producer_id,
            producer_epoch=EPOCH,
            base_sequence=entry.last_seq + 1,
        )
    )
    partition_log.append(batch, validate_batches(batch, from_client=False), now_ms=now)


class Broker:
    """A LogManager and a coordinator on one directory, restartable."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.logs: LogManager | None = None
        self.coordinator: GroupCoordinator | None = None
        self.start()

    def start(self) -> GroupCoordinator:
        self.logs = LogManager(self.data_dir, cleaner_enable=False)
        self.logs.start()
        self.coordinator = GroupCoordinator(
            self.logs,
            timer=ManualTimer(),
            wall_clock_ms=lambda: 1234,
            offsets_topic_num_partitions=PARTITIONS,
        )
        self.coordinator.start()
        return self.coordinator

    def stop(self) -> None:
        if self.coordinator is not None:
            self.coordinator.close()
        if self.logs is not None:
            self.logs.shutdown()
        self.logs = self.coordinator = None

    def restart(self) -> GroupCoordinator:
        self.stop()
        return self.start()


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Broker]:
    running = Broker(tmp_path)
    try:
        yield running
    finally:
        running.stop()


def test_staged_offsets_are_pending_until_commit(broker: Broker) -> None:
    coordinator = broker.coordinator
    assert coordinator is not None
    store = coordinator.offsets
    coordinator.commit_offsets("g", -1, "", None, [CommitEntry("t", 0, 5)])
    store.stage_txn_offsets("g", PRODUCER, EPOCH, [(T0, offset(10)), (T1, offset(11))])
    assert store.has_pending("g", "t", 0) and store.has_pending("g", "t", 1)
    assert not store.has_pending("g", "t", 2) and not store.has_pending("other", "t", 0)
    assert coordinator.fetch_offsets("g", [T0, T1]).offsets == (
        FetchedOffset("t", 0, 5),
        FetchedOffset("t", 1),
    )
    assert coordinator.fetch_offsets("g", [T0, T1], require_stable=True).offsets == (
        FetchedOffset("t", 0, error_code=E.UNSTABLE_OFFSET_COMMIT),
        FetchedOffset("t", 1, error_code=E.UNSTABLE_OFFSET_COMMIT),
    )
    store.complete_txn(PRODUCER, commit=True)
    assert not store.has_pending("g", "t", 0)
    assert coordinator.fetch_offsets("g", [T0, T1], require_stable=True).offsets == (
        FetchedOffset("t", 0, 10),
        FetchedOffset("t", 1, 11),
    )


def test_abort_drops_the_staged_offsets(broker: Broker) -> None:
    assert broker.coordinator is not None
    store = broker.coordinator.offsets
    store.commit("g", [(T0, offset(5))])
    store.stage_txn_offsets("g", PRODUCER, EPOCH, [(T0, offset(10))])
    store.stage_txn_offsets("h", PRODUCER, EPOCH, [(T0, offset(20))])
    store.complete_txn(PRODUCER, commit=False)
    assert store.get("g", T0) == offset(5)
    assert store.get("h", T0) is None
    assert not store.has_pending("g", "t", 0) and not store.has_pending("h", "t", 0)


def test_staged_batches_are_transactional_and_in_sequence(broker: Broker) -> None:
    assert broker.coordinator is not None and broker.logs is not None
    store = broker.coordinator.offsets
    for value in (1, 2, 3):  # the log checks the producer's sequence on every batch
        store.stage_txn_offsets("g", PRODUCER, EPOCH, [(T0, offset(value))])
    partition_log = broker.logs.get_partition(OFFSETS_TOPIC, partition_for("g", PARTITIONS))
    assert partition_log is not None
    headers = [batch.header for batch in scan(partition_log)]
    assert [(h.is_transactional, h.producer_id, h.producer_epoch) for h in headers] == [
        (True, PRODUCER, EPOCH)
    ] * 3
    assert [h.base_sequence for h in headers] == [0, 1, 2]
    with pytest.raises(OffsetStoreError) as raised:
        store.stage_txn_offsets("g", PRODUCER, EPOCH - 1, [(T0, offset(9))])  # fenced
    assert isinstance(raised.value.__cause__, InvalidProducerEpochError)
    store.complete_txn(PRODUCER, commit=True)
    assert store.get("g", T0) == offset(3)


def test_a_later_plain_commit_wins_over_a_committed_transaction(broker: Broker) -> None:
    assert broker.coordinator is not None
    store = broker.coordinator.offsets
    store.stage_txn_offsets("g", PRODUCER, EPOCH, [(T0, offset(10)), (T1, offset(11))])
    store.commit("g", [(T0, offset(50))])  # appended after the staged offsets
    store.complete_txn(PRODUCER, commit=True)
    assert (store.get("g", T0), store.get("g", T1)) == (offset(50), offset(11))


def test_restart_keeps_pending_offsets_pending(broker: Broker) -> None:
    assert broker.coordinator is not None
    broker.coordinator.offsets.commit("g", [(T0, offset(5))])
    broker.coordinator.offsets.stage_txn_offsets("g", PRODUCER, EPOCH, [(T0, offset(10))])
    store = broker.restart().offsets
    assert store.get("g", T0) == offset(5)
    assert store.has_pending("g", "t", 0)
    store.complete_txn(PRODUCER, commit=True)  # the marker arrives after the restart
    assert store.get("g", T0) == offset(10)


@pytest.mark.parametrize("commit", [True, False])
def test_restart_applies_the_marker_in_the_log(broker: Broker, commit: bool) -> None:
    assert broker.coordinator is not None and broker.logs is not None
    store = broker.coordinator.offsets
    store.commit("g", [(T0, offset(5))])
    store.stage_txn_offsets("g", PRODUCER, EPOCH, [(T0, offset(10)), (T1, offset(11))])
    other = PRODUCER + 1
    store.stage_txn_offsets("g", other, EPOCH, [(T1, offset(99))])  # still open
    write_marker(broker.logs, "g", PRODUCER, commit=commit)
    store.complete_txn(PRODUCER, commit=commit)
    before = dict(store.committed("g"))

    store = broker.restart().offsets
    assert dict(store.committed("g")) == before
    if commit:
        assert before == {T0: offset(10), T1: offset(11)}
    else:
        assert before == {T0: offset(5)}
    assert store.has_pending("g", "t", 1) and not store.has_pending("g", "t", 0)
    # A new transaction of the same producer continues its sequence after the marker.
    store.stage_txn_offsets("g", PRODUCER, EPOCH, [(T0, offset(12))])
    store.complete_txn(PRODUCER, commit=True)
    assert store.get("g", T0) == offset(12)
