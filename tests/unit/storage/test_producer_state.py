"""Idempotent producers: duplicates, sequence and epoch rules, snapshots, restarts."""

from __future__ import annotations

import struct
from pathlib import Path

import crc32c
import pytest
from storage_helpers import NOW_MS, abandon, append, make_batch, new_log, reopen

from kafkalite.storage.config import LogConfig
from kafkalite.storage.errors import InvalidProducerEpochError, OutOfOrderSequenceError
from kafkalite.storage.log import PartitionLog
from kafkalite.storage.producer_state import CorruptSnapshotError, ProducerStateManager

PID = 4000


def produce(log: PartitionLog, seq: int, count: int = 2, epoch: int = 0, pid: int = PID,
            now_ms: int = NOW_MS) -> tuple[int, int, bool]:
    result = append(log, make_batch(count, producer_id=pid, producer_epoch=epoch,
                                    base_sequence=seq), now_ms=now_ms)
    return result.base_offset, result.last_offset, result.duplicate


def test_retried_batch_gets_its_original_offsets_and_is_not_written(tmp_path: Path) -> None:
    log = new_log(tmp_path)
    assert produce(log, 0) == (0, 1, False)
    assert produce(log, 2) == (2, 3, False)
    size = log.segments[-1].size
    assert produce(log, 0) == (0, 1, True)
    assert produce(log, 2) == (2, 3, True)
    assert log.log_end_offset == 4 and log.segments[-1].size == size
    assert produce(log, 4) == (4, 5, False)


def test_only_the_last_five_batches_are_remembered(tmp_path: Path) -> None:
    log = new_log(tmp_path)
    for i in range(6):
        produce(log, 2 * i)
    assert produce(log, 2) == (2, 3, True)  # among the last five
    with pytest.raises(OutOfOrderSequenceError):
        produce(log, 0)  # evicted: Kafka answers OUT_OF_ORDER_SEQUENCE_NUMBER too


def test_sequence_gap_is_out_of_order_and_appends_nothing(tmp_path: Path) -> None:
    log = new_log(tmp_path)
    produce(log, 0)
    with pytest.raises(OutOfOrderSequenceError) as info:
        produce(log, 3)
    assert info.value.error_code == 45
    with pytest.raises(OutOfOrderSequenceError):
        produce(log, 1, count=1)  # overlaps the previous batch without matching it
    assert log.log_end_offset == 2
    assert produce(log, 2) == (2, 3, False)


def test_epochs(tmp_path: Path) -> None:
    log = new_log(tmp_path)
    produce(log, 0, epoch=3)
    with pytest.raises(InvalidProducerEpochError) as info:
        produce(log, 2, epoch=2)
    assert info.value.error_code == 47
    with pytest.raises(OutOfOrderSequenceError):
        produce(log, 5, epoch=4)  # a new epoch starts at sequence 0
    assert produce(log, 0, epoch=4) == (2, 3, False)
    with pytest.raises(InvalidProducerEpochError):
        produce(log, 2, epoch=3)
    assert produce(log, 0, epoch=4) == (2, 3, True)


def test_unknown_producer_is_accepted_at_any_sequence(tmp_path: Path) -> None:
    # Kafka >= 2.5 (KIP-360): no UNKNOWN_PRODUCER_ID for a producer without state.
    log = new_log(tmp_path)
    assert produce(log, 17, pid=77) == (0, 1, False)
    assert produce(log, 19, pid=77) == (2, 3, False)
    assert produce(log, 0, pid=78) == (4, 5, False)


def test_sequence_wraps_past_int32_max(tmp_path: Path) -> None:
    log = new_log(tmp_path)
    produce(log, 2**31 - 2, count=3)  # covers MAX-1, MAX, 0
    with pytest.raises(OutOfOrderSequenceError):
        produce(log, 0)
    assert produce(log, 1) == (3, 4, False)
    produce(log, 3, count=1)
    assert produce(log, 2**31 - 2, count=3) == (0, 2, True)


def test_batches_of_one_append_are_checked_in_order(tmp_path: Path) -> None:
    log = new_log(tmp_path)
    buf = (make_batch(2, producer_id=PID, producer_epoch=0, base_sequence=0)
           + make_batch(2, producer_id=PID, producer_epoch=0, base_sequence=2))
    assert (append(log, buf).base_offset, log.log_end_offset) == (0, 4)
    bad = (make_batch(2, producer_id=PID, producer_epoch=0, base_sequence=4)
           + make_batch(2, producer_id=PID, producer_epoch=0, base_sequence=9))
    with pytest.raises(OutOfOrderSequenceError):
        append(log, bad)
    assert log.log_end_offset == 4


def test_duplicate_under_log_append_time_reports_the_original_time(tmp_path: Path) -> None:
    log = new_log(tmp_path, LogConfig(message_timestamp_type="LogAppendTime"))
    first = append(log, make_batch(1, producer_id=PID, producer_epoch=0, base_sequence=0),
                   now_ms=NOW_MS + 5)
    again = append(log, make_batch(1, producer_id=PID, producer_epoch=0, base_sequence=0),
                   now_ms=NOW_MS + 99)
    assert again.duplicate and again.log_append_time == first.log_append_time == NOW_MS + 5


def test_snapshot_layout_is_kafkas(tmp_path: Path) -> None:
    log = new_log(tmp_path)
    produce(log, 0, count=3, epoch=2, now_ms=NOW_MS)
    produce(log, 3, count=4, epoch=2, now_ms=NOW_MS)
    log.close()
    data = (log.directory / "00000000000000000007.snapshot").read_bytes()
    version, crc, count = struct.unpack_from(">hIi", data)
    assert (version, count, len(data)) == (1, 1, 10 + 46)
    assert crc == crc32c.crc32c(data[6:])
    entry = struct.unpack_from(">qhiqiqiq", data, 10)
    assert entry == (PID, 2, 6, 6, 3, NOW_MS + 3, -1, -1)
    state = ProducerStateManager()
    with pytest.raises(CorruptSnapshotError):
        state.load_snapshot(data[:-1], 7)
    with pytest.raises(CorruptSnapshotError):
        state.load_snapshot(data[:20] + b"\xff" + data[21:], 7)


@pytest.mark.parametrize("clean", [True, False])
def test_state_survives_a_restart(tmp_path: Path, clean: bool) -> None:
    log = new_log(tmp_path, LogConfig(segment_bytes=300))
    for i in range(8):
        produce(log, 2 * i)
    produce(log, 0, pid=PID + 1, epoch=5)
    assert len(log.segments) > 2
    if clean:
        log.close()
    else:
        abandon(log)
    again = reopen(log, clean=clean)
    assert again.log_end_offset == 18
    assert produce(again, 14) == (14, 15, True)  # the last batch of PID
    with pytest.raises(OutOfOrderSequenceError):
        produce(again, 20)
    with pytest.raises(InvalidProducerEpochError):
        produce(again, 2, pid=PID + 1, epoch=4)
    assert produce(again, 16) == (18, 19, False)
    if not clean:
        # Rebuilt by replaying headers after the last roll snapshot: all five batches.
        assert produce(again, 10) == (10, 11, True)
    again.close()


def test_corrupt_snapshot_falls_back_to_a_full_replay(tmp_path: Path) -> None:
    log = new_log(tmp_path)
    for i in range(3):
        produce(log, 2 * i)
    log.close()
    snapshot = log.directory / "00000000000000000006.snapshot"
    snapshot.write_bytes(b"\x00\x01garbage")
    again = reopen(log, clean=True, recovery_point=None)
    assert not snapshot.exists()
    assert produce(again, 0) == (0, 1, True)  # replayed from the log itself
    assert produce(again, 6) == (6, 7, False)
    again.close()
