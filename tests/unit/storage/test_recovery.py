"""Recovery after an unclean shutdown: torn tails, corrupt batches, lost indexes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from storage_helpers import NOW_MS, TOPIC_ID, abandon, append, make_batch, new_log, read_all, reopen

from kafkalite.storage.config import LogConfig
from kafkalite.storage.flusher import Flusher
from kafkalite.storage.loader import load_partition_log
from kafkalite.storage.log import PartitionLog


def load(directory: Path, *, clean: bool, recovery_point: int | None,
         config: LogConfig | None = None) -> PartitionLog:
    return load_partition_log(
        directory, topic="t", partition=0, topic_id=TOPIC_ID, config=config or LogConfig(),
        flusher=Flusher(), now_ms=NOW_MS, log_start_offset=None,
        recovery_point=recovery_point, clean_shutdown=clean,
    )


def test_torn_tail_at_every_byte_of_the_last_batch(tmp_path: Path) -> None:
    config = LogConfig(segment_bytes=400, index_interval_bytes=60)
    log = new_log(tmp_path / "source", config)
    for i in range(12):
        append(log, make_batch(1 + i % 3, value_size=20))
    last = make_batch(3, value_size=30)
    append(log, last)
    active_base = log.segments[-1].base_offset
    log_end = log.log_end_offset
    abandon(log)
    source = log.directory
    active_name = f"{active_base:020d}.log"
    full = (source / active_name).read_bytes()
    keep = len(full) - len(last)
    expected_prefix = full[:keep]
    work = tmp_path / "work" / "t-0"
    for cut in range(keep, len(full)):
        if work.exists():
            shutil.rmtree(work)
        shutil.copytree(source, work)
        with open(work / active_name, "r+b") as f:
            f.truncate(cut)
        recovered = load(work, clean=False, recovery_point=active_base, config=config)
        assert recovered.log_end_offset == log_end - 3, cut
        assert (work / active_name).read_bytes() == expected_prefix
        assert recovered.recovery_point == log_end - 3
        # The log takes new appends at the recovered end.
        assert append(recovered, make_batch(1)).base_offset == log_end - 3
        abandon(recovered)


def test_corrupt_batch_truncates_and_drops_later_segments(tmp_path: Path) -> None:
    config = LogConfig(segment_bytes=300)
    log = new_log(tmp_path, config)
    for _ in range(12):
        append(log, make_batch(2, value_size=30))
    bases = [s.base_offset for s in log.segments]
    assert len(bases) >= 4
    second = log.segments[1]
    batch_size = len(make_batch(2, value_size=30))
    abandon(log)
    with open(second.log_path, "r+b") as f:  # flip a byte inside its second batch's records
        f.seek(batch_size + 70)
        byte = f.read(1)
        f.seek(batch_size + 70)
        f.write(bytes([byte[0] ^ 0xFF]))
    recovered = load(log.directory, clean=False, recovery_point=0, config=config)
    assert recovered.log_end_offset == bases[1] + 2
    assert [s.base_offset for s in recovered.segments] == bases[:2]
    for base in bases[2:]:
        assert not (log.directory / f"{base:020d}.log").exists()
        assert not (log.directory / f"{base:020d}.index").exists()
    assert len(read_all(recovered)) == (bases[1] // 2 + 1) * batch_size


def test_segments_below_the_recovery_point_are_not_rescanned(tmp_path: Path) -> None:
    config = LogConfig(segment_bytes=300)
    log = new_log(tmp_path, config)
    for _ in range(9):
        append(log, make_batch(2, value_size=30))
    first = log.segments[0]
    abandon(log)
    with open(first.log_path, "r+b") as f:  # damage a record body: only a CRC check sees it
        f.seek(80)
        f.write(b"\x00\x00")
    recovered = load(log.directory, clean=False, recovery_point=log.segments[-1].base_offset,
                     config=config)
    assert recovered.log_end_offset == 18  # trusted below the recovery point, as in Kafka
    abandon(recovered)
    rescanned = load(log.directory, clean=False, recovery_point=0, config=config)
    assert rescanned.log_end_offset == 0  # the first batch fails its CRC


def test_lost_or_garbage_indexes_are_rebuilt(tmp_path: Path) -> None:
    config = LogConfig(segment_bytes=2000, index_interval_bytes=100)
    log = new_log(tmp_path, config)
    for i in range(60):
        append(log, make_batch(1 + i % 4, value_size=15))
    log.close()
    sealed = log.segments[0]
    index_bytes = sealed.offset_index.path.read_bytes()
    time_bytes = sealed.time_index.path.read_bytes()
    assert len(index_bytes) > 16 and len(time_bytes) >= 24
    sealed.offset_index.path.unlink()
    sealed.time_index.path.write_bytes(bytes(len(time_bytes) * 3))  # zero-filled
    again = load(log.directory, clean=True, recovery_point=None, config=config)
    assert sealed.offset_index.path.read_bytes() == index_bytes
    assert sealed.time_index.path.read_bytes() == time_bytes
    assert again.log_end_offset == log.log_end_offset
    assert read_all(again) == read_all(reopen(again, clean=True, recovery_point=None))


def test_leftovers_are_deleted_and_stale_snapshots_dropped(tmp_path: Path) -> None:
    log = new_log(tmp_path)
    append(log, make_batch(2))
    log.close()
    directory = log.directory
    for name in ("00000000000000000000.log.deleted", "00000000000000000000.index.swap",
                 "partition.metadata.tmp", "00000000000000000500.index",
                 "00000000000000000500.timeindex"):
        (directory / name).write_bytes(b"x")
    (directory / "00000000000000000900.snapshot").write_bytes(b"from the future")
    again = load(directory, clean=True, recovery_point=None)
    names = sorted(os.listdir(directory))
    assert names == [
        "00000000000000000000.index", "00000000000000000000.log",
        "00000000000000000000.timeindex", "00000000000000000002.snapshot", "partition.metadata",
    ]
    assert again.log_end_offset == 2
