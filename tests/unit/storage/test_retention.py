"""Retention: old segments deleted by time and size, the log start offset moved, made
durable, and refused to fetches; files renamed, closed and unlinked in Kafka's order."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import pytest
from storage_helpers import NOW_MS, abandon, append, make_batch, new_log, read_all

from kafkalite.protocol.records import validate_batches
from kafkalite.storage.config import LogConfig
from kafkalite.storage.errors import OffsetOutOfRangeError
from kafkalite.storage.flusher import Flusher
from kafkalite.storage.log import PartitionLog
from kafkalite.storage.manager import LogManager
from kafkalite.storage.retention import (
    RetentionTask,
    SegmentDeleter,
    deletable_segment_count,
    delete_old_segments,
)

SECOND = 1000


def segment_per_second(log: PartitionLog, seconds: int, start_ms: int = NOW_MS) -> None:
    """One record per second; with ``segment.ms`` = 0.5 s each append rolls a new segment."""
    for i in range(seconds):
        append(log, make_batch(1, timestamps=[start_ms + i * SECOND + 1]), now_ms=start_ms)


def files(log: PartitionLog) -> list[str]:
    return sorted(p.name for p in log.directory.iterdir() if ".log" in p.name)


def test_segment_ms_rolls_and_retention_ms_deletes_by_largest_timestamp(tmp_path: Path) -> None:
    log = new_log(tmp_path, LogConfig(segment_ms=SECOND // 2, retention_ms=2500))
    segment_per_second(log, 6)
    assert [s.base_offset for s in log.segments] == [0, 1, 2, 3, 4, 5]  # rolled by age
    flusher = Flusher()
    deleter = SegmentDeleter(flusher)
    now = NOW_MS + 5 * SECOND  # segment i holds NOW_MS + i s + 1 ms
    assert deletable_segment_count(log, now) == 3  # 5 s, 4 s and 3 s old: more than 2.5 s
    assert delete_old_segments(log, now, flusher, deleter) == 3
    assert [s.base_offset for s in log.segments] == [3, 4, 5]
    assert log.log_start_offset == 3 and log.log_end_offset == 6
    with pytest.raises(OffsetOutOfRangeError):
        log.read(2, 1 << 20)
    kept = validate_batches(read_all(log, 3), from_client=False)
    assert [h.base_offset for h in kept] == [3, 4, 5]
    assert files(log) == [f"{i:020d}.log" for i in (3, 4, 5)]  # no loop: unlinked at once
    # Far in the future everything is past retention, yet the active segment stays.
    assert delete_old_segments(log, NOW_MS + 3600 * SECOND, flusher, deleter) == 2
    assert [s.base_offset for s in log.segments] == [5] and log.log_start_offset == 5
    assert delete_old_segments(log, NOW_MS + 3600 * SECOND, flusher, deleter) == 0


def test_retention_bytes_deletes_oldest_whole_segments(tmp_path: Path) -> None:
    log = new_log(tmp_path, LogConfig(segment_ms=SECOND // 2, retention_bytes=-1))
    segment_per_second(log, 5)
    size = log.segments[0].size
    assert all(s.size == size for s in log.segments)
    flusher, now = Flusher(), NOW_MS
    deleter = SegmentDeleter(flusher)
    log.config = LogConfig(segment_ms=SECOND // 2, retention_bytes=int(2.5 * size))
    # 5 segments, 2.5 allowed: 2.5 too many, so 2 whole segments go (Kafka: diff - size >= 0)
    assert delete_old_segments(log, now, flusher, deleter) == 2
    assert log.size_bytes == 3 * size and log.log_start_offset == 2
    log.config = LogConfig(segment_ms=SECOND // 2, retention_bytes=0)
    assert delete_old_segments(log, now, flusher, deleter) == 2  # never the active one
    assert [s.base_offset for s in log.segments] == [4]


def test_compact_only_keeps_old_segments_but_not_those_below_the_log_start(
    tmp_path: Path,
) -> None:
    log = new_log(
        tmp_path, LogConfig(segment_ms=SECOND // 2, retention_ms=1, cleanup_policy="compact")
    )
    segment_per_second(log, 4)
    flusher = Flusher()
    deleter = SegmentDeleter(flusher)
    assert delete_old_segments(log, NOW_MS + 3600 * SECOND, flusher, deleter) == 0
    log.log_start_offset = 2  # as DeleteRecords leaves it
    assert delete_old_segments(log, NOW_MS, flusher, deleter) == 2
    assert [s.base_offset for s in log.segments] == [2, 3]
    log.config = LogConfig(segment_ms=SECOND // 2, retention_ms=1, cleanup_policy="compact,delete")
    assert delete_old_segments(log, NOW_MS + 3600 * SECOND, flusher, deleter) == 1


def test_files_are_renamed_then_unlinked_after_the_delay_and_fetches_keep_reading(
    tmp_path: Path,
) -> None:
    log = new_log(
        tmp_path, LogConfig(segment_ms=SECOND // 2, retention_ms=0, file_delete_delay_ms=1000)
    )
    segment_per_second(log, 3)
    in_flight = log.read(0, 1 << 20)
    assert in_flight is not None
    first = log.segments[0]
    expected = os.pread(in_flight.fd, in_flight.length, in_flight.position)
    dup = os.dup(in_flight.fd)  # what the server does as it encodes the response
    flusher = Flusher()
    flusher.start()

    async def scenario() -> list[str]:
        deleter = SegmentDeleter(flusher)
        deleter.start(asyncio.get_running_loop())
        task = RetentionTask(logs=lambda: [log], flusher=flusher, deleter=deleter)
        assert task.run_once(NOW_MS + 10 * SECOND) == 2
        renamed = files(log)
        await asyncio.sleep(0.1)  # well within file.delete.delay.ms: still there
        assert files(log) == renamed
        for _ in range(1000):  # then unlinked on the flusher thread
            if len(files(log)) == 1:
                break
            await asyncio.sleep(0.01)
        deleter.stop()
        return renamed

    renamed = asyncio.run(scenario())
    flusher.stop()
    assert renamed == [
        "00000000000000000000.log.deleted",
        "00000000000000000001.log.deleted",
        "00000000000000000002.log",
    ]
    assert sorted(p.name for p in log.directory.iterdir() if "deleted" in p.name) == []
    assert first.closed and first.open_fd == -1  # given up; the flusher closed it
    assert os.pread(dup, len(expected), in_flight.position) == expected
    os.close(dup)


def test_log_start_offset_is_checkpointed_and_survives_restart(tmp_path: Path) -> None:
    """The LogManager's periodic task deletes, checkpoints; a restart keeps the start."""
    config = LogConfig(segment_ms=SECOND // 2, retention_ms=7 * 24 * 3600 * SECOND)
    old = time.time_ns() // 1_000_000 - 8 * 24 * 3600 * SECOND  # 8 days ago

    checkpoint = tmp_path / "log-start-offset-checkpoint"

    async def run() -> tuple[int, list[str]]:
        logs = LogManager(tmp_path, default_config=config, retention_check_interval_ms=20)
        logs.start()
        partition = logs.create_topic("events", 1).partitions[0]
        segment_per_second(partition, 5, start_ms=old)
        for _ in range(1000):  # the periodic task deletes, then the flusher checkpoints
            if checkpoint.read_text().endswith("events 0 4\n"):
                break
            await asyncio.sleep(0.01)
        written = checkpoint.read_text().splitlines()
        logs.shutdown()
        return partition.log_start_offset, written

    start, written = asyncio.run(run())
    assert start == 4 and written == ["0", "1", "events 0 4"]
    again = LogManager(tmp_path, default_config=config)
    again.start()
    partition = again.get_partition("events", 0)
    assert partition is not None
    assert (partition.log_start_offset, partition.log_end_offset) == (4, 5)
    with pytest.raises(OffsetOutOfRangeError):
        partition.read(3, 1 << 20)
    assert partition.read(4, 1 << 20) is not None
    again.shutdown()


def test_a_crash_after_the_rename_still_deletes(tmp_path: Path) -> None:
    """Renamed files are the decision: after a crash the loader deletes them and the log
    starts at the first remaining segment even without a checkpoint."""
    logs = LogManager(tmp_path, default_config=LogConfig(segment_ms=SECOND // 2, retention_ms=0))
    logs.start()
    partition = logs.create_topic("events", 1).partitions[0]
    segment_per_second(partition, 4)
    deleter = SegmentDeleter(logs.flusher)
    idle = asyncio.new_event_loop()  # never runs: the delayed unlinks never happen
    deleter.start(idle)
    assert delete_old_segments(partition, NOW_MS + 10 * SECOND, logs.flusher, deleter) == 3
    assert any(name.endswith(".deleted") for name in files(partition))
    logs.flusher.stop()
    abandon(partition)  # killed before any checkpoint
    logs._unlock()  # as the kernel does for a killed process
    idle.close()
    again = LogManager(tmp_path)
    again.start()
    restored = again.get_partition("events", 0)
    assert restored is not None
    assert (restored.log_start_offset, restored.log_end_offset) == (3, 4)
    assert files(restored) == ["00000000000000000003.log"]
    again.shutdown()
