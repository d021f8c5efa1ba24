"""Recovery after an unclean shutdown: torn tails, corrupt batches, lost indexes."""

from __future__ import annotations

import logging
import os
import shutil
import struct
from pathlib import Path

import pytest
from storage_helpers import NOW_MS, TOPIC_ID, abandon, append, make_batch, new_log, read_all, reopen

from kafkalite.protocol.records import validate_batches
from kafkalite.storage.config import LogConfig
from kafkalite.storage.flusher import Flusher
from kafkalite.storage.loader import load_partition_log
from kafkalite.storage.log import PartitionLog
from kafkalite.storage.producer_state import ProducerStateManager


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
    assert names == [  # no .index: two small batches never made an entry due (lazy index)
        "00000000000000000000.log",
        "00000000000000000000.timeindex", "00000000000000000002.snapshot", "partition.metadata",
    ]
    assert again.log_end_offset == 2


# -- a bad CRC in the middle, indexes that lie, producer snapshots ahead of the log ------------


def _batch_positions(path: Path) -> list[tuple[int, int, int]]:
    """``(position, base offset, size)`` of every batch in a ``.log`` file."""
    data = path.read_bytes()
    out = []
    pos = 0
    while pos < len(data):
        base, length = struct.unpack_from(">qi", data, pos)
        out.append((pos, base, length + 12))
        pos += length + 12
    return out


def _assert_every_offset_reads_back(log: PartitionLog) -> None:
    for offset in range(log.log_start_offset, log.log_end_offset):
        chunk = log.read(offset, 1)
        assert chunk is not None, offset
        data = os.pread(chunk.fd, chunk.length, chunk.position)
        first = validate_batches(data, from_client=False)[0]
        assert first.base_offset <= offset <= first.last_offset, offset


def test_bad_crc_mid_segment_cuts_there_and_drops_later_segments(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = LogConfig(segment_bytes=1500, index_interval_bytes=100)
    log = new_log(tmp_path, config)
    for i in range(40):
        append(log, make_batch(1 + i % 3, value_size=20))
    bases = [s.base_offset for s in log.segments]
    assert len(bases) >= 4
    middle = log.segments[1]
    abandon(log)
    batches = _batch_positions(middle.log_path)
    position, bad_offset, _ = batches[len(batches) // 2]
    with open(middle.log_path, "r+b") as f:  # the stored CRC itself, not the data under it
        f.seek(position + 17)
        crc = f.read(4)
        f.seek(position + 17)
        f.write(bytes([crc[0] ^ 0x01]) + crc[1:])
    later_sizes = sum((log.directory / f"{b:020d}.log").stat().st_size for b in bases[2:])
    first_size = (log.directory / f"{bases[0]:020d}.log").stat().st_size
    middle_size = middle.log_path.stat().st_size
    with caplog.at_level(logging.INFO, logger="kafkalite.storage"):
        recovered = load(log.directory, clean=False, recovery_point=0, config=config)
    assert recovered.log_end_offset == bad_offset
    assert middle.log_path.stat().st_size == position
    assert [s.base_offset for s in recovered.segments] == bases[:2]
    for base in bases[2:]:
        for suffix in (".log", ".index", ".timeindex"):
            assert not (log.directory / f"{base:020d}{suffix}").exists()
    # the rebuilt index of the cut segment points only at batches that remain
    index = recovered.segments[1].offset_index
    assert index.entries > 0
    assert all(index.entry(i)[1] < position for i in range(index.entries))
    _assert_every_offset_reads_back(recovered)
    assert recovered.recovery_point == bad_offset
    assert append(recovered, make_batch(2)).base_offset == bad_offset
    summary = [r.getMessage() for r in caplog.records if r.getMessage().startswith("recovered")]
    assert len(summary) == 1
    assert f"scanned 2 segment(s), {first_size + middle_size} bytes, from offset 0" in summary[0]
    assert f"truncated {middle_size - position} invalid bytes" in summary[0]
    assert f"offset {bad_offset})" in summary[0]
    assert f"deleted {len(bases) - 2} later segment(s), {later_sizes} bytes" in summary[0]
    assert "rebuilt the indexes of 2 segment(s)" in summary[0]
    abandon(recovered)


def _swap_middle_entries(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = (len(data) // 8 // 2) * 8
    data[middle - 8 : middle + 8] = data[middle : middle + 8] + data[middle - 8 : middle]
    path.write_bytes(bytes(data))


def _shift_last_entry(path: Path) -> None:
    data = bytearray(path.read_bytes())
    relative, position = struct.unpack_from(">ii", data, len(data) - 8)
    struct.pack_into(">ii", data, len(data) - 8, relative + 1, position)  # still growing
    path.write_bytes(bytes(data))


INDEX_DAMAGE = {
    "offset index deleted": lambda seg: seg.offset_index.path.unlink(),
    "time index deleted": lambda seg: seg.time_index.path.unlink(),
    "offset index entries out of order": lambda seg: _swap_middle_entries(seg.offset_index.path),
    "last offset index entry names another batch": lambda seg: _shift_last_entry(
        seg.offset_index.path
    ),
    "time index torn": lambda seg: os.truncate(
        seg.time_index.path, seg.time_index.path.stat().st_size - 5
    ),
    "offset index past the log": lambda seg: seg.offset_index.path.write_bytes(
        seg.offset_index.path.read_bytes() + struct.pack(">ii", 10**6, 10**8)
    ),
}


@pytest.mark.parametrize("damage", sorted(INDEX_DAMAGE))
@pytest.mark.parametrize("clean", [True, False], ids=["clean", "unclean"])
def test_damaged_index_files_are_rebuilt_not_trusted(
    tmp_path: Path, damage: str, clean: bool
) -> None:
    """Whether the segment is trusted (clean shutdown, or below the recovery point) or
    rescanned, damaged or missing index files are rebuilt to exactly what appends wrote."""
    config = LogConfig(segment_bytes=3000, index_interval_bytes=100)
    log = new_log(tmp_path, config)
    for i in range(80):
        append(log, make_batch(1 + i % 4, value_size=15))
    sealed = log.segments[0]
    assert len(log.segments) >= 2
    if clean:
        log.close()
        recovery_point = None
    else:
        abandon(log)  # sealed segments' indexes were trimmed and fsynced at the roll
        recovery_point = log.segments[-1].base_offset
    index_bytes = sealed.offset_index.path.read_bytes()
    time_bytes = sealed.time_index.path.read_bytes()
    assert len(index_bytes) >= 5 * 8 and len(time_bytes) >= 2 * 12
    INDEX_DAMAGE[damage](sealed)
    again = load(log.directory, clean=clean, recovery_point=recovery_point, config=config)
    assert again.log_end_offset == log.log_end_offset
    assert sealed.offset_index.path.read_bytes() == index_bytes
    assert sealed.time_index.path.read_bytes() == time_bytes
    assert again.segments[0].max_timestamp == log.segments[0].max_timestamp
    _assert_every_offset_reads_back(again)
    abandon(again)


def test_damaged_index_of_a_segment_being_recovered_is_ignored(tmp_path: Path) -> None:
    """Above the recovery point the indexes are rebuilt whatever they hold."""
    config = LogConfig(index_interval_bytes=100)
    log = new_log(tmp_path, config)
    for i in range(30):
        append(log, make_batch(1 + i % 4, value_size=15))
    active = log.segments[0]
    entries = [active.offset_index.entry(i) for i in range(active.offset_index.entries)]
    abandon(log)
    with open(active.offset_index.path, "r+b") as f:  # a plausible but wrong index
        for slot in range(len(entries)):
            f.write(struct.pack(">ii", slot + 1, 7 * (slot + 1)))
    again = load(log.directory, clean=False, recovery_point=0, config=config)
    index = again.segments[0].offset_index
    assert [index.entry(i) for i in range(index.entries)] == entries
    _assert_every_offset_reads_back(again)
    abandon(again)


# -- producer state after a cut ---------------------------------------------------------------

PID = 7000


def _produce(log: PartitionLog, seq: int, count: int = 2) -> tuple[int, int, bool]:
    result = append(log, make_batch(count, producer_id=PID, producer_epoch=0, base_sequence=seq))
    return result.base_offset, result.last_offset, result.duplicate


def test_snapshot_above_a_cut_log_is_deleted_and_state_replayed(tmp_path: Path) -> None:
    """Batches truncated away must not be answered as duplicates: the roll snapshot taken
    after them goes, and the state comes from the log that is left."""
    config = LogConfig(segment_bytes=400)
    log = new_log(tmp_path, config)
    for i in range(12):
        assert _produce(log, 2 * i) == (2 * i, 2 * i + 1, False)
    bases = [s.base_offset for s in log.segments]
    assert len(bases) >= 3
    snapshots = sorted(p.name for p in log.directory.glob("*.snapshot"))
    assert snapshots and all(int(n[:20]) in bases for n in snapshots)
    first = log.segments[0]
    abandon(log)
    batches = _batch_positions(first.log_path)
    position, cut_offset, _ = batches[2]  # keep two batches: sequences 0..3
    with open(first.log_path, "r+b") as f:
        f.seek(position + 30)
        f.write(b"\xff\xff")
    again = load(log.directory, clean=False, recovery_point=0, config=config)
    assert again.log_end_offset == cut_offset == 4
    assert list(log.directory.glob("*.snapshot")) == []
    entry = again.producer_state.producers[PID]
    assert entry.last_seq == 3
    assert _produce(again, 2) == (2, 3, True)  # still in the log: a duplicate
    assert _produce(again, 4) == (4, 5, False)  # truncated away: written again, same offsets
    assert _produce(again, 6) == (6, 7, False)
    abandon(again)


def test_valid_snapshot_ahead_of_the_log_is_never_loaded(tmp_path: Path) -> None:
    log = new_log(tmp_path)
    for i in range(3):
        _produce(log, 2 * i)
    abandon(log)
    ahead = ProducerStateManager()  # a well-formed snapshot that claims sequences up to 99
    ahead.update(validate_batches(make_batch(
        50, producer_id=PID, producer_epoch=0, base_sequence=50, base_offset=6,
    )))
    future = log.directory / "00000000000000000056.snapshot"
    future.write_bytes(ahead.snapshot_bytes())
    again = load(log.directory, clean=False, recovery_point=0)
    assert not future.exists()
    assert again.producer_state.producers[PID].last_seq == 5
    assert _produce(again, 6) == (6, 7, False)
    abandon(again)


def test_recovery_reads_batches_larger_than_and_across_its_window(tmp_path: Path) -> None:
    """Recovery reads through a 1 MiB buffer: batches straddling it, or bigger than it, are
    checked whole; a torn one at the end is still cut."""
    config = LogConfig(max_message_bytes=4 << 20)
    log = new_log(tmp_path, config)
    sizes = [700_000, 10, 1_500_000, 300, 700_000, 20]
    for size in sizes:
        append(log, make_batch(1, value_size=size))
    end = log.log_end_offset
    full = read_all(log)
    append(log, make_batch(1, value_size=1_200_000))
    abandon(log)
    path = log.segments[0].log_path
    os.truncate(path, len(full) + 1_100_000)  # the last batch is torn
    recovered = load(log.directory, clean=False, recovery_point=0, config=config)
    assert recovered.log_end_offset == end == len(sizes)
    assert read_all(recovered) == full
    abandon(recovered)
