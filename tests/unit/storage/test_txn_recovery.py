"""Transactions across restarts: snapshots, crash recovery, rebuilt ``.txnindex`` files,
and segment deletion taking the ``.txnindex`` along."""

from __future__ import annotations

from pathlib import Path

from storage_helpers import NOW_MS, abandon, append, make_batch, new_log, reopen

from kafkalite.storage.config import LogConfig
from kafkalite.storage.flusher import Flusher
from kafkalite.storage.log import PartitionLog
from kafkalite.storage.retention import SegmentDeleter, delete_old_segments

TXN = 0x10
P1, P2, P3 = 1000, 2000, 3000
CONFIG = LogConfig(segment_bytes=500)


def txn_batch(pid: int, seq: int, count: int = 2) -> bytearray:
    return make_batch(count, producer_id=pid, producer_epoch=0, base_sequence=seq,
                      attributes=TXN, value_size=40)


def end(log: PartitionLog, pid: int, *, commit: bool) -> None:
    log.append_marker(pid, 0, commit=commit, coordinator_epoch=1, now_ms=NOW_MS)


def build_mid_transaction(tmp_path: Path) -> PartitionLog:
    """Several segments: P1 aborted across segments, P2 committed, P2 aborted, P3 left
    open, with plain batches between them."""
    log = new_log(tmp_path, CONFIG)
    append(log, txn_batch(P1, 0))
    append(log, make_batch(3, value_size=40))
    append(log, txn_batch(P2, 0))
    append(log, txn_batch(P1, 2))
    end(log, P2, commit=True)
    append(log, make_batch(3, value_size=40))
    end(log, P1, commit=False)
    append(log, txn_batch(P3, 0))
    append(log, txn_batch(P2, 2))
    append(log, make_batch(3, value_size=40))
    end(log, P2, commit=False)
    append(log, txn_batch(P3, 2))
    assert len(log.segments) >= 3
    assert log.last_stable_offset < log.high_watermark
    return log


def txn_view(log: PartitionLog) -> tuple[int, int, list[tuple[int, int]], dict[int, int]]:
    return (log.high_watermark, log.last_stable_offset,
            log.aborted_transactions(log.log_start_offset, log.high_watermark),
            log.producer_state.open_transactions)


def txn_files(log: PartitionLog) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(log.directory.glob("*.txnindex"))}


def test_crash_mid_transaction_recovers_the_same_lso_and_aborted_list(tmp_path: Path) -> None:
    log = build_mid_transaction(tmp_path)
    before, files = txn_view(log), txn_files(log)
    assert len(before[2]) == 2 and len(files) >= 1
    abandon(log)
    again = reopen(log, clean=False, recovery_point=0)
    assert txn_view(again) == before
    assert txn_files(again) == files
    # The open transaction goes on where it was: its abort lists its first offset.
    end(again, P3, commit=False)
    assert again.aborted_transactions(0, again.high_watermark)[-1] == (P3, before[3][P3])
    abandon(again)


def test_crash_recovering_only_the_last_segment_replays_from_a_snapshot(
    tmp_path: Path,
) -> None:
    log = build_mid_transaction(tmp_path)
    before, files = txn_view(log), txn_files(log)
    last_base = log.segments[-1].base_offset
    assert (log.directory / f"{last_base:020d}.snapshot").exists()
    abandon(log)
    again = reopen(log, clean=False, recovery_point=last_base)
    assert txn_view(again) == before
    assert txn_files(again) == files
    abandon(again)


def test_open_transactions_survive_a_clean_restart(tmp_path: Path) -> None:
    log = build_mid_transaction(tmp_path)
    before, files = txn_view(log), txn_files(log)
    log.close()
    again = reopen(log, clean=True, recovery_point=None)
    assert txn_view(again) == before
    assert txn_files(again) == files
    end(again, P3, commit=True)
    assert again.last_stable_offset == again.high_watermark
    again.close()


def test_a_damaged_txnindex_is_rebuilt_even_after_a_clean_shutdown(tmp_path: Path) -> None:
    log = build_mid_transaction(tmp_path)
    before, files = txn_view(log), txn_files(log)
    log.close()
    name = next(iter(files))
    (log.directory / name).write_bytes(files[name][:-5])  # a torn last entry
    again = reopen(log, clean=True, recovery_point=None)
    assert txn_view(again) == before
    assert txn_files(again) == files
    again.close()


def test_retention_deletes_the_txnindex_with_its_segment(tmp_path: Path) -> None:
    log = new_log(tmp_path, LogConfig(segment_bytes=500, retention_bytes=0))
    append(log, txn_batch(P1, 0))
    end(log, P1, commit=False)
    for _ in range(6):
        append(log, make_batch(3, value_size=40))
    first = log.segments[0]
    txnindex = log.directory / f"{first.base_offset:020d}.txnindex"
    assert txnindex.exists()
    flusher = Flusher()
    assert delete_old_segments(log, NOW_MS, flusher, SegmentDeleter(flusher)) >= 1
    assert not txnindex.exists()
    assert not list(log.directory.glob("*.txnindex*"))
    assert log.aborted_transactions(log.log_start_offset, log.high_watermark) == []
    abandon(log)
