"""Compaction of transactional data: aborted records go, markers go only after
delete.retention.ms once their transaction's data is gone, and nothing of an open
transaction is ever cleaned."""

from __future__ import annotations

import os
from pathlib import Path

from storage_helpers import NOW_MS, abandon, append, new_log, read_all, reopen

from kafkalite.protocol.record_codec import Record, encode_batch, read_records
from kafkalite.protocol.records import BatchHeader, validate_batches
from kafkalite.storage.cleaner import LogCleaner
from kafkalite.storage.config import LogConfig
from kafkalite.storage.flusher import Flusher
from kafkalite.storage.log import PartitionLog
from kafkalite.storage.record_set import delete_horizon_ms
from kafkalite.storage.retention import SegmentDeleter

DAY = 86_400_000
TXN = 0x10
P1, P2, P3 = 1000, 2000, 3000
CONFIG = LogConfig(cleanup_policy="compact", segment_bytes=600, delete_retention_ms=DAY)


def keyed(keys: list[bytes], *, pid: int = -1, seq: int = -1, txn: bool = False) -> bytearray:
    records = [Record(i, NOW_MS + i, key, key + b"-value") for i, key in enumerate(keys)]
    return bytearray(encode_batch(
        records, attributes=TXN if txn else 0, producer_id=pid,
        producer_epoch=0 if pid >= 0 else -1, base_sequence=seq,
    ))


def end(log: PartitionLog, pid: int, *, commit: bool) -> int:
    return log.append_marker(pid, 0, commit=commit, coordinator_epoch=0, now_ms=NOW_MS).base_offset


def batches(log: PartitionLog) -> list[tuple[BatchHeader, list[Record]]]:
    data = read_all(log, log.log_start_offset)
    out = []
    position = 0
    for header in validate_batches(data, from_client=False):
        out.append((header, read_records(data[position : position + header.size], header)))
        position += header.size
    return out


def record_offsets(log: PartitionLog) -> set[int]:
    return {r.offset for h, records in batches(log) if not h.is_control for r in records}


def clean(tmp_path: Path, log: PartitionLog, now_ms: int) -> None:
    log.flush_future(log.log_end_offset).result(timeout=10)
    flusher = Flusher()
    LogCleaner(tmp_path, logs=lambda: [log], flusher=flusher,
               deleter=SegmentDeleter(flusher)).clean_now(log, now_ms)


def test_aborted_records_go_and_the_abort_marker_follows_after_the_horizon(
    tmp_path: Path,
) -> None:
    log = new_log(tmp_path, CONFIG)
    aborted = append(log, keyed([b"a1", b"a2"], pid=P1, seq=0, txn=True))
    committed = append(log, keyed([b"c1", b"c2"], pid=P2, seq=0, txn=True))
    abort_at = end(log, P1, commit=False)
    commit_at = end(log, P2, commit=True)
    # P1 writes again, so its aborted batch is not its last one (which would stay).
    append(log, keyed([b"x1"], pid=P1, seq=2))
    for i in range(8):  # roll well past the markers
        append(log, keyed([b"filler%d" % i] * 3))
    assert log.segments[0].next_offset > commit_at + 1
    assert log.aborted_transactions(0, log.high_watermark) == [(P1, 0)]

    clean(tmp_path, log, NOW_MS)
    offsets = record_offsets(log)
    assert not {aborted.base_offset, aborted.last_offset} & offsets
    assert {committed.base_offset, committed.last_offset} <= offsets
    markers = {h.base_offset: h for h, _ in batches(log) if h.is_control}
    # The abort marker saw its data go in this clean: kept, entry kept, no horizon yet.
    assert abort_at in markers and delete_horizon_ms(markers[abort_at]) is None
    assert log.aborted_transactions(0, log.high_watermark) == [(P1, 0)]

    clean(tmp_path, log, NOW_MS + 1)  # no data left: the horizon is set, the entry goes
    markers = {h.base_offset: h for h, _ in batches(log) if h.is_control}
    assert delete_horizon_ms(markers[abort_at]) == NOW_MS + 1 + DAY
    assert log.aborted_transactions(0, log.high_watermark) == []
    assert commit_at in markers and delete_horizon_ms(markers[commit_at]) is None

    clean(tmp_path, log, NOW_MS + DAY)  # before the horizon: still there
    assert abort_at in {h.base_offset for h, _ in batches(log) if h.is_control}
    clean(tmp_path, log, NOW_MS + 1 + DAY)
    markers = {h.base_offset: h for h, _ in batches(log) if h.is_control}
    assert abort_at not in markers and commit_at in markers  # committed data is still there
    assert {committed.base_offset, committed.last_offset} <= record_offsets(log)
    assert not list(log.directory.glob("*.txnindex"))


def test_nothing_at_or_past_the_lso_is_cleaned(tmp_path: Path) -> None:
    log = new_log(tmp_path, CONFIG)
    append(log, keyed([b"k"]))  # superseded below, but only by records of open data
    for i in range(4):
        append(log, keyed([b"filler%d" % i] * 3))
    open_txn = append(log, keyed([b"k", b"j"], pid=P3, seq=0, txn=True))
    for i in range(8):
        append(log, keyed([b"filler%d" % i] * 3))
        append(log, keyed([b"j"]))
    assert log.last_stable_offset == open_txn.base_offset
    assert log.segments[0].next_offset <= open_txn.base_offset  # something is cleanable
    size_before = [(s.base_offset, s.size) for s in log.segments]
    clean(tmp_path, log, NOW_MS)
    assert [s.base_offset for s in log.segments][0] == 0 and log.segments[0].size < size_before[0][1]
    assert 0 in record_offsets(log)  # the open transaction's "k" does not supersede it
    assert {open_txn.base_offset, open_txn.last_offset} <= record_offsets(log)
    # Segments from the one holding the LSO on are untouched.
    lso_segment = max(b for b, _ in size_before if b <= log.last_stable_offset)
    assert [(s.base_offset, s.size) for s in log.segments if s.base_offset >= lso_segment] == [
        (b, size) for b, size in size_before if b >= lso_segment
    ]
    end(log, P3, commit=False)
    append(log, keyed([b"last"] * 30))  # roll: everything now below the LSO
    clean(tmp_path, log, NOW_MS)
    assert not {open_txn.base_offset, open_txn.last_offset} & record_offsets(log)
    assert 0 in record_offsets(log)  # the aborted "k" never superseded it


def test_a_producers_last_aborted_batch_stays_as_an_empty_header(tmp_path: Path) -> None:
    log = new_log(tmp_path, CONFIG)
    aborted = append(log, keyed([b"a1", b"a2"], pid=P1, seq=0, txn=True))
    abort_at = end(log, P1, commit=False)
    for i in range(8):
        append(log, keyed([b"filler%d" % i] * 3))
    clean(tmp_path, log, NOW_MS)
    found = {h.base_offset: (h, records) for h, records in batches(log)}
    header, records = found[aborted.base_offset]
    assert records == [] and header.is_transactional and header.last_offset == aborted.last_offset
    assert abort_at in found  # the empty batch is data of the transaction: the marker stays
    assert log.aborted_transactions(0, log.high_watermark) == [(P1, 0)]
    assert os.path.exists(log.directory / "00000000000000000000.txnindex")
    abandon(log)
    for clean_shutdown in (True, False):  # the cleaned .txnindex, then a rebuilt one
        again = reopen(log, clean=clean_shutdown)
        assert again.aborted_transactions(0, again.high_watermark) == [(P1, 0)]
        abandon(again)
