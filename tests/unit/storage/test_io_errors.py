"""I/O failures in the storage engine, injected with ``kafkalite.storage.faults``: failed and
short writes, failed fsyncs, failed rolls, snapshots and index growth on a full disk."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from storage_helpers import abandon, append, make_batch, new_log, read_all, reopen

from kafkalite.protocol.records import validate_batches
from kafkalite.storage import faults, index
from kafkalite.storage import log as log_module
from kafkalite.storage.config import LogConfig
from kafkalite.storage.errors import KafkaStorageError
from kafkalite.storage.flusher import Flusher
from kafkalite.storage.log import PartitionLog
from kafkalite.storage.segment import SegmentDamagedError

PID = 9000


@pytest.fixture(autouse=True)
def _disarm() -> Iterator[None]:
    faults.clear()
    yield
    faults.clear()


@pytest.fixture
def flusher() -> Iterator[Flusher]:
    running = Flusher(interval_ms=10**9)
    running.start()
    yield running
    running.stop()


def produce(log: PartitionLog, seq: int, count: int = 2) -> tuple[int, int, bool]:
    result = append(log, make_batch(count, producer_id=PID, producer_epoch=0, base_sequence=seq))
    return result.base_offset, result.last_offset, result.duplicate


def offsets_in(data: bytes) -> list[int]:
    return [h.base_offset for h in validate_batches(data, from_client=False)]


@pytest.mark.parametrize("after", [0, 1, 30, 70], ids=lambda n: f"after{n}bytes")
def test_failed_write_leaves_nothing_and_appends_resume(tmp_path: Path, after: int) -> None:
    log = new_log(tmp_path)
    assert produce(log, 0) == (0, 1, False)
    assert produce(log, 2) == (2, 3, False)
    before = read_all(log)
    size = os.path.getsize(log.segments[-1].log_path)
    faults.fail_next_write(errno.ENOSPC, after=after)
    with pytest.raises(KafkaStorageError) as info:
        produce(log, 4)
    assert info.value.error_code == 56
    assert "No space left on device" in str(info.value)
    assert faults.pending() == (0, 0)
    # no partial batch, no new offset, no producer state for the failed batch
    assert os.path.getsize(log.segments[-1].log_path) == size == log.segments[-1].size
    assert log.log_end_offset == 4
    assert log.producer_state.producers[PID].last_seq == 3
    assert read_all(log) == before
    # space came back: the retry of the same batch is appended, not taken for a duplicate
    assert produce(log, 4) == (4, 5, False)
    assert produce(log, 4) == (4, 5, True)
    assert offsets_in(read_all(log)) == [0, 2, 4]
    abandon(log)
    again = reopen(log, clean=False)
    assert again.log_end_offset == 6
    assert offsets_in(read_all(again)) == [0, 2, 4]
    abandon(again)


def test_write_that_cannot_be_undone_takes_the_log_offline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = new_log(tmp_path)
    append(log, make_batch(3))
    before = read_all(log)
    real_ftruncate = os.ftruncate

    def broken_ftruncate(fd: int, length: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    faults.fail_next_write(errno.EIO, after=20)
    monkeypatch.setattr(os, "ftruncate", broken_ftruncate)
    with pytest.raises(SegmentDamagedError) as info:
        append(log, make_batch(2))
    monkeypatch.setattr(os, "ftruncate", real_ftruncate)
    assert info.value.error_code == 56
    assert log.log_end_offset == 3
    with pytest.raises(KafkaStorageError):  # offline until a restart recovers the segment
        append(log, make_batch(1))
    assert read_all(log) == before  # reads stop at the log end, before the torn bytes
    abandon(log)
    again = reopen(log, clean=False)  # recovery cuts the 20 torn bytes
    assert again.log_end_offset == 3
    assert os.path.getsize(again.segments[-1].log_path) == len(before)
    assert append(again, make_batch(1)).base_offset == 3
    abandon(again)


def test_failed_fsync_fails_the_waiter_and_the_log_but_not_reads(
    tmp_path: Path, flusher: Flusher
) -> None:
    log = new_log(tmp_path, LogConfig(flush_messages=1), flusher=flusher)
    first = append(log, make_batch(2))
    log.flush_future(first.last_offset + 1).result(timeout=10)
    assert log.recovery_point == 2
    faults.fail_next_fsync(errno.EIO)
    second = append(log, make_batch(3))
    with pytest.raises(KafkaStorageError) as info:
        log.flush_future(second.last_offset + 1).result(timeout=10)
    assert info.value.error_code == 56
    assert "Input/output error" in str(info.value)
    assert log.recovery_point == 2  # never advanced past what was fsynced
    with pytest.raises(KafkaStorageError):
        append(log, make_batch(1))  # final: the page cache may have dropped the data
    with pytest.raises(KafkaStorageError):
        log.flush_future(second.last_offset + 1).result(timeout=10)
    assert offsets_in(read_all(log)) == [0, 2]


def test_failed_fsync_of_a_sealed_segment_takes_the_log_offline(
    tmp_path: Path, flusher: Flusher
) -> None:
    log = new_log(tmp_path, LogConfig(segment_bytes=200), flusher=flusher)
    append(log, make_batch(2, value_size=40))
    faults.fail_next_fsync(errno.EIO)
    append(log, make_batch(2, value_size=40))  # rolls; the flusher fsyncs the old segment
    assert len(log.segments) == 2
    future = log.flush_future(4)
    with pytest.raises(KafkaStorageError):
        future.result(timeout=10)
    assert log.recovery_point == 0
    with pytest.raises(KafkaStorageError):
        append(log, make_batch(1))
    assert offsets_in(read_all(log)) == [0, 2]


def test_failed_roll_snapshot_is_no_failure(
    tmp_path: Path, flusher: Flusher, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(log_module, "atomic_write", full_disk)
    log = new_log(tmp_path, LogConfig(segment_bytes=200, flush_messages=1), flusher=flusher)
    for i in range(6):
        result = produce(log, 2 * i)
    log.flush_future(result[1] + 1).result(timeout=10)
    assert len(log.segments) >= 3
    assert list(log.directory.glob("*.snapshot*")) == []
    assert log.recovery_point == 12
    assert produce(log, 12) == (12, 13, False)
    assert produce(log, 10) == (10, 11, True)


def test_failed_roll_keeps_the_active_segment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = new_log(tmp_path, LogConfig(segment_bytes=200))
    append(log, make_batch(2, value_size=40))
    real_open = os.open

    def no_inodes(path: object, flags: int, *args: int) -> int:
        if str(path).endswith("00000000000000000002.log"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", no_inodes)
    with pytest.raises(KafkaStorageError) as info:
        append(log, make_batch(2, value_size=40))
    assert info.value.error_code == 56
    monkeypatch.setattr(os, "open", real_open)
    assert [s.base_offset for s in log.segments] == [0]
    assert log.segments[0].offset_index.is_active
    assert log.log_end_offset == 2
    assert append(log, make_batch(2, value_size=40)).base_offset == 2  # rolls now
    assert [s.base_offset for s in log.segments] == [0, 2]
    assert offsets_in(read_all(log)) == [0, 2]


def test_index_growth_on_a_full_disk_leaves_entries_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store into an unbacked page of the mapped index would be SIGBUS on a full disk;
    the index reserves its chunks first and leaves entries out when it cannot."""
    calls: list[tuple[int, int]] = []

    def full_disk(fd: int, offset: int, length: int) -> None:
        calls.append((offset, length))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(index, "_fallocate", full_disk)
    log = new_log(tmp_path, LogConfig(index_interval_bytes=50))
    for _ in range(20):
        append(log, make_batch(2, value_size=30))
    active = log.segments[-1]
    assert calls and calls[0] == (0, 64 * 1024)
    assert active.offset_index.entries == 0 and active.time_index.entries == 0
    assert [log.read(o, 1) is not None for o in range(40)] == [True] * 40
    assert offsets_in(read_all(log)) == list(range(0, 40, 2))
    monkeypatch.undo()
    log.close()
    again = reopen(log, clean=True, recovery_point=None)  # lookups scan from the start
    assert [again.read(o, 1) is not None for o in range(40)] == [True] * 40
    assert offsets_in(read_all(again)) == list(range(0, 40, 2))
    again.close()


def test_index_reserves_its_chunks_before_writing_them(tmp_path: Path) -> None:
    log = new_log(tmp_path, LogConfig(index_interval_bytes=10))
    for _ in range(3):
        append(log, make_batch(1))
    offset_index = log.segments[-1].offset_index
    assert offset_index.entries == 2
    blocks = os.stat(offset_index.path).st_blocks * 512
    assert blocks >= 4096  # backed, although the preallocated file is sparse
    assert os.path.getsize(offset_index.path) == 10 << 20
    assert blocks <= 128 * 1024
    abandon(log)
