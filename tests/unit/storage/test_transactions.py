"""Transactions in the log: open transactions, the LSO, markers, the ``.txnindex``."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest
from storage_helpers import NOW_MS, append, make_batch, new_log

from kafkalite.protocol.record_codec import read_records
from kafkalite.protocol.records import read_header, validate_batches
from kafkalite.storage.config import LogConfig
from kafkalite.storage.errors import (
    InvalidProducerEpochError,
    InvalidTxnStateError,
    TransactionCoordinatorFencedError,
)
from kafkalite.storage.log import PartitionLog
from kafkalite.storage.producer_state import ProducerStateManager
from kafkalite.storage.txn_index import AbortedTxn, TransactionIndex
from kafkalite.storage.txn_marker import ControlType, EndTxnMarker, read_marker

TXN = 0x10
P1, P2 = 1000, 2000


def txn_batch(pid: int, seq: int, count: int = 2, epoch: int = 0) -> bytearray:
    return make_batch(count, producer_id=pid, producer_epoch=epoch, base_sequence=seq,
                      attributes=TXN)


def marker(log: PartitionLog, pid: int, *, commit: bool, epoch: int = 0,
           coordinator_epoch: int = 0) -> int:
    result = log.append_marker(pid, epoch, commit=commit, coordinator_epoch=coordinator_epoch,
                               now_ms=NOW_MS)
    assert result.base_offset == result.last_offset
    return result.base_offset


def test_lso_is_the_first_offset_of_the_oldest_open_transaction(tmp_path: Path) -> None:
    log = new_log(tmp_path)
    append(log, make_batch(2))  # 0-1, not transactional
    assert log.last_stable_offset == 2
    append(log, txn_batch(P1, 0))  # 2-3 opens P1's transaction
    append(log, make_batch(1))  # 4
    append(log, txn_batch(P2, 0))  # 5-6 opens P2's
    append(log, txn_batch(P1, 2))  # 7-8 extends P1's
    assert (log.high_watermark, log.last_stable_offset) == (9, 2)
    assert log.producer_state.open_transactions == {P1: 2, P2: 5}
    assert marker(log, P1, commit=True) == 9
    assert log.last_stable_offset == 5
    assert marker(log, P2, commit=False) == 10
    assert log.last_stable_offset == log.high_watermark == 11
    assert log.producer_state.first_unstable_offset is None


def test_marker_batch_is_kafkas_control_batch(tmp_path: Path) -> None:
    log = new_log(tmp_path)
    append(log, txn_batch(P1, 0, epoch=3))
    log.append_marker(P1, 3, commit=False, coordinator_epoch=7, now_ms=NOW_MS + 5)
    log.append_marker(P1, 3, commit=True, coordinator_epoch=7, now_ms=NOW_MS + 6)
    data = (log.directory / "00000000000000000000.log").read_bytes()
    headers = validate_batches(data, from_client=False)
    abort, commit = headers[1:]
    assert abort.attributes == 0x30 and abort.is_control and abort.is_transactional
    assert (abort.base_offset, abort.last_offset_delta, abort.records_count) == (2, 0, 1)
    assert (abort.producer_id, abort.producer_epoch, abort.base_sequence) == (P1, 3, -1)
    assert abort.partition_leader_epoch == 0
    assert abort.base_timestamp == abort.max_timestamp == NOW_MS + 5
    position = headers[0].size
    (record,) = read_records(data[position : position + abort.size], abort)
    assert record.key == struct.pack(">hh", 0, 0)
    assert record.value == struct.pack(">hi", 0, 7)
    assert (record.offset, record.timestamp, record.headers) == (2, NOW_MS + 5, ())
    assert read_marker(data[position : position + abort.size], abort) == EndTxnMarker(
        ControlType.ABORT, 7
    )
    position += abort.size
    assert read_marker(data[position:], commit) == EndTxnMarker(ControlType.COMMIT, 7)


def test_abort_appends_kafkas_34_byte_entry_to_the_active_segment(tmp_path: Path) -> None:
    log = new_log(tmp_path)
    append(log, txn_batch(P1, 0, count=3))  # 0-2
    append(log, txn_batch(P2, 0))  # 3-4
    assert marker(log, P1, commit=False) == 5  # P2 still open: LSO 3
    assert marker(log, P2, commit=False) == 6  # none open: LSO 7
    raw = (log.directory / "00000000000000000000.txnindex").read_bytes()
    assert raw == bytes.fromhex(
        "0000" "00000000000003e8" "0000000000000000" "0000000000000005" "0000000000000003"
        "0000" "00000000000007d0" "0000000000000003" "0000000000000006" "0000000000000007"
    )
    assert TransactionIndex(log.directory / "00000000000000000000.txnindex", 0).entries == [
        AbortedTxn(P1, 0, 5, 3), AbortedTxn(P2, 3, 6, 7),
    ]


def test_commit_and_empty_transactions_add_no_entry(tmp_path: Path) -> None:
    log = new_log(tmp_path)
    append(log, txn_batch(P1, 0))
    marker(log, P1, commit=True)
    before = log.high_watermark
    calls: list[None] = []
    log.add_listener(lambda: calls.append(None))
    assert marker(log, P2, commit=False) == before  # no open transaction: still written
    assert len(calls) == 1 and log.last_stable_offset == before + 1
    assert not (log.directory / "00000000000000000000.txnindex").exists()
    assert log.aborted_transactions(0, log.high_watermark) == []


def test_aborted_transactions_overlapping_the_fetch_range(tmp_path: Path) -> None:
    log = new_log(tmp_path)
    append(log, txn_batch(P1, 0))  # 0-1
    marker(log, P1, commit=False)  # 2
    append(log, make_batch(3))  # 3-5
    append(log, txn_batch(P2, 0))  # 6-7
    append(log, txn_batch(P1, 2))  # 8-9
    marker(log, P2, commit=False)  # 10
    marker(log, P1, commit=False)  # 11
    end = log.high_watermark
    assert log.aborted_transactions(0, end) == [(P1, 0), (P2, 6), (P1, 8)]
    assert log.aborted_transactions(3, 6) == []
    assert log.aborted_transactions(2, 3) == [(P1, 0)]
    assert log.aborted_transactions(3, 7) == [(P2, 6)]
    assert log.aborted_transactions(11, end) == [(P1, 8)]


def test_aborted_transactions_are_found_across_segments(tmp_path: Path) -> None:
    log = new_log(tmp_path, LogConfig(segment_bytes=300))
    append(log, txn_batch(P1, 0))  # 0-1
    for _ in range(6):
        append(log, make_batch(2, value_size=60))
    at = marker(log, P1, commit=False)
    assert len(log.segments) > 2 and log.segments[0].txn_index.entries == []
    first_segment_end = log.segments[0].next_offset
    # The entry lives with the marker, in the last segment, yet a fetch of the first
    # segment finds it; a range past the marker does not.
    assert log.aborted_transactions(0, first_segment_end) == [(P1, 0)]
    assert log.aborted_transactions(first_segment_end, at) == [(P1, 0)]
    assert log.aborted_transactions(at + 1, at + 2) == []


def test_marker_epoch_rules(tmp_path: Path) -> None:
    log = new_log(tmp_path)
    append(log, txn_batch(P1, 0, epoch=2))
    with pytest.raises(InvalidProducerEpochError):
        log.append_marker(P1, 1, commit=True, coordinator_epoch=0, now_ms=NOW_MS)
    marker(log, P1, commit=True, epoch=2, coordinator_epoch=5)
    with pytest.raises(TransactionCoordinatorFencedError):
        log.append_marker(P1, 2, commit=True, coordinator_epoch=4, now_ms=NOW_MS)
    assert log.high_watermark == 3
    # A marker at a newer epoch (the coordinator fenced the producer) restarts sequences.
    marker(log, P1, commit=False, epoch=3, coordinator_epoch=5)
    append(log, txn_batch(P1, 0, epoch=3))


def test_non_transactional_batch_during_a_transaction_is_refused(tmp_path: Path) -> None:
    log = new_log(tmp_path)
    append(log, txn_batch(P1, 0))
    with pytest.raises(InvalidTxnStateError):
        append(log, make_batch(1, producer_id=P1, producer_epoch=0, base_sequence=2))
    two = txn_batch(P2, 0) + make_batch(1, producer_id=P2, producer_epoch=0, base_sequence=2)
    with pytest.raises(InvalidTxnStateError):
        append(log, two)
    assert log.high_watermark == 2
    marker(log, P1, commit=True)
    append(log, make_batch(1, producer_id=P1, producer_epoch=0, base_sequence=2))


def test_retried_transactional_batch_is_a_duplicate(tmp_path: Path) -> None:
    log = new_log(tmp_path)
    batch = txn_batch(P1, 0)
    append(log, bytearray(batch))
    result = append(log, bytearray(batch))
    assert result.duplicate and (result.base_offset, result.last_offset) == (0, 1)
    assert log.producer_state.open_transactions == {P1: 0}


def test_listeners_see_markers_and_delete_records_move_the_lso(tmp_path: Path) -> None:
    log = new_log(tmp_path)
    append(log, make_batch(2))
    append(log, txn_batch(P1, 0))  # 2-3
    append(log, make_batch(2))  # 4-5
    seen: list[tuple[int, int]] = []
    log.add_listener(lambda: seen.append((log.high_watermark, log.last_stable_offset)))
    log.delete_records(1)  # below the transaction: nothing moves
    log.delete_records(4)  # past its first offset: the LSO follows the log start
    marker(log, P1, commit=True)
    assert seen == [(6, 4), (7, 7)]


def test_open_transactions_round_trip_through_a_snapshot() -> None:
    state = ProducerStateManager()
    header = read_header(txn_batch(P1, 0))
    state.update([header])
    state.update([read_header(make_batch(1, producer_id=P2, producer_epoch=1, base_sequence=0,
                                         attributes=TXN, base_offset=2))])
    loaded = ProducerStateManager()
    loaded.load_snapshot(state.snapshot_bytes(), 3)
    assert loaded.open_transactions == {P1: 0, P2: 2}
    assert loaded.producers[P2].current_txn_first_offset == 2
    done = loaded.end_txn(P1, 0, marker_offset=3, commit=False, coordinator_epoch=1,
                          timestamp=NOW_MS)
    assert done is not None and (done.first_offset, done.last_stable_offset) == (0, 2)
    assert loaded.first_unstable_offset == 2


def test_txnindex_with_a_torn_or_bad_entry_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "00000000000000000100.txnindex"
    good = AbortedTxn(1, 90, 100, 101).to_bytes()
    path.write_bytes(good + good[:10])
    assert TransactionIndex(path, 100).problem is not None
    path.write_bytes(good + good)
    assert "increase" in str(TransactionIndex(path, 100).problem)
    path.write_bytes(AbortedTxn(1, 90, 99, 101).to_bytes())
    assert "below" in str(TransactionIndex(path, 100).problem)
    path.write_bytes(good)
    index = TransactionIndex(path, 100)
    assert index.problem is None and index.entries == [AbortedTxn(1, 90, 100, 101)]
    index.reset()
    assert not path.exists() and index.entries == []
    index.append(AbortedTxn(2, 95, 105, 106))
    assert os.path.getsize(path) == 34
    os.close(index.close())
