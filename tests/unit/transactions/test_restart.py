"""The coordinator over a real ``__transaction_state`` log: records survive a restart, and
a transaction caught between PrepareCommit and CompleteCommit is finished on load."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from kafkalite.internal_topics import INTERNAL_TOPIC_CONFIGS, TRANSACTION_STATE_TOPIC
from kafkalite.protocol.errors import ErrorCode as E
from kafkalite.storage.config import LogConfig
from kafkalite.storage.manager import LogManager
from kafkalite.transactions import (
    TopicPartition,
    TransactionConfig,
    TransactionCoordinator,
    TransactionState,
)
from kafkalite.transactions.records import decode_value
from kafkalite.transactions.storage import PartitionLogStateLog, replay

if TYPE_CHECKING:
    from conftest import FakeClock, FakeMarkerWriter

PARTITIONS = 3
T0, T1 = TopicPartition("t", 0), TopicPartition("t", 1)
CONFIG = TransactionConfig(transaction_state_log_num_partitions=PARTITIONS)


def _open(data_dir: Path, *, create: bool) -> LogManager:
    logs = LogManager(data_dir, default_config=LogConfig())
    logs.start()
    if create:
        logs.create_topic(TRANSACTION_STATE_TOPIC, PARTITIONS, configs=dict(INTERNAL_TOPIC_CONFIGS))
    return logs


def _coordinator(logs: LogManager, markers: FakeMarkerWriter, clock: FakeClock) -> TransactionCoordinator:
    ids: Iterator[int] = itertools.count(5000)
    return TransactionCoordinator(
        state_log=PartitionLogStateLog(lambda p: logs.get_partition(TRANSACTION_STATE_TOPIC, p)),
        marker_writer=markers, producer_ids=lambda: next(ids), clock=clock, config=CONFIG,
    )


def _load(coordinator: TransactionCoordinator, logs: LogManager) -> None:
    for partition in range(PARTITIONS):
        partition_log = logs.get_partition(TRANSACTION_STATE_TOPIC, partition)
        assert partition_log is not None
        coordinator.load(replay(partition_log))


def test_restart_mid_prepare_commit_completes_on_load(
    tmp_path: Path, clock: FakeClock, new_marker_writer: Callable[[], FakeMarkerWriter]
) -> None:
    markers = new_marker_writer()
    logs = _open(tmp_path, create=True)
    try:
        coordinator = _coordinator(logs, markers, clock)
        error, pid, epoch = coordinator.init_producer_id("txn", 60_000)
        assert error == E.NONE
        assert coordinator.add_partitions("txn", pid, epoch, [T0, T1]) == {T0: E.NONE, T1: E.NONE}
        coordinator.init_producer_id("idle", 30_000)
        # The broker stops after PrepareCommit is written, before any marker lands.
        markers.errors = {T0: E.KAFKA_STORAGE_ERROR, T1: E.KAFKA_STORAGE_ERROR}
        assert coordinator.end_txn("txn", pid, epoch, commit=True).error_code == E.NONE
        assert coordinator.metadata("txn").state is TransactionState.PREPARE_COMMIT  # type: ignore[union-attr]
    finally:
        logs.shutdown()

    clock.now += 1_000
    restarted_markers = new_marker_writer()
    logs = _open(tmp_path, create=False)
    try:
        coordinator = _coordinator(logs, restarted_markers, clock)
        _load(coordinator, logs)
        assert sorted((m.partition, m.commit, m.producer_id, m.producer_epoch) for m in restarted_markers.written) == [
            (T0, True, pid, epoch), (T1, True, pid, epoch),
        ]
        meta = coordinator.metadata("txn")
        assert meta is not None and meta.state is TransactionState.COMPLETE_COMMIT
        assert meta.last_update_timestamp_ms == clock.now and not meta.partitions
        idle = coordinator.metadata("idle")
        assert idle is not None and (idle.producer_id, idle.transaction_timeout_ms) == (5001, 30_000)
        # The CompleteCommit record is the last one of the id's partition.
        partition_log = logs.get_partition(TRANSACTION_STATE_TOPIC, coordinator.partition_for("txn"))
        assert partition_log is not None
        values = [v for k, v in replay(partition_log) if k == b"\x00\x00\x00\x03txn" and v is not None]
        assert [decode_value("txn", v).state for v in values] == [
            TransactionState.EMPTY, TransactionState.ONGOING,
            TransactionState.PREPARE_COMMIT, TransactionState.COMPLETE_COMMIT,
        ]
        # The producer carries on with its epoch; a new instance bumps it.
        assert coordinator.init_producer_id("txn", 60_000) == (E.NONE, pid, epoch + 1)
    finally:
        logs.shutdown()


def test_expired_ids_stay_gone_after_a_restart(
    tmp_path: Path, clock: FakeClock, new_marker_writer: Callable[[], FakeMarkerWriter]
) -> None:
    logs = _open(tmp_path, create=True)
    try:
        coordinator = _coordinator(logs, new_marker_writer(), clock)
        coordinator.init_producer_id("txn", 60_000)
        assert coordinator.remove_expired_transactional_ids(clock.now + CONFIG.transactional_id_expiration_ms) == ["txn"]
    finally:
        logs.shutdown()
    logs = _open(tmp_path, create=False)
    try:
        coordinator = _coordinator(logs, new_marker_writer(), clock)
        _load(coordinator, logs)
        assert coordinator.metadata("txn") is None
    finally:
        logs.shutdown()


def test_adapters_answer_missing_partitions_and_storage_errors(clock: FakeClock) -> None:
    from kafkalite.storage.errors import KafkaStorageError
    from kafkalite.transactions.storage import PartitionLogMarkerWriter

    assert PartitionLogStateLog(lambda p: None).append(0, [(b"k", b"v")], 0) == E.UNKNOWN_TOPIC_OR_PARTITION

    calls: list[tuple[int, int, bool, int, int]] = []

    class Log:
        def append_marker(
            self, producer_id: int, producer_epoch: int, *, commit: bool, coordinator_epoch: int,
            now_ms: int,
        ) -> None:
            if producer_id < 0:
                raise KafkaStorageError("disk gone")
            calls.append((producer_id, producer_epoch, commit, coordinator_epoch, now_ms))

    writer = PartitionLogMarkerWriter(lambda tp: Log() if tp == T0 else None, clock)
    assert writer.write_markers(7, 1, True, 3, [T0, T1]) == {T0: E.NONE, T1: E.UNKNOWN_TOPIC_OR_PARTITION}
    assert calls == [(7, 1, True, 3, clock.now)]
    assert writer.write_markers(-5, 1, False, 3, [T0]) == {T0: E.KAFKA_STORAGE_ERROR}
