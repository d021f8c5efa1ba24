"""PartitionLog append and read: offsets, KIP-74, the max offset, rolling, indexes."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest
from storage_helpers import NOW_MS, append, make_batch, new_log, read_all

from kafkalite.protocol.records import read_header, validate_batches
from kafkalite.storage.config import LogConfig
from kafkalite.storage.errors import InvalidTimestampError, OffsetOutOfRangeError
from kafkalite.storage.segment import iter_batch_headers


def slice_bytes(chunk: object) -> bytes:
    assert chunk is not None
    return os.pread(chunk.fd, chunk.length, chunk.position)  # type: ignore[attr-defined]


def test_append_assigns_offsets_and_reads_back_the_same_bytes(tmp_path: Path) -> None:
    log = new_log(tmp_path)
    assert (log.log_start_offset, log.log_end_offset, log.high_watermark) == (0, 0, 0)
    assert log.read(0, 1000) is None
    sent = [make_batch(3), make_batch(1), make_batch(5)]
    results = [append(log, bytearray(b)) for b in sent]
    assert [(r.base_offset, r.last_offset) for r in results] == [(0, 2), (3, 3), (4, 8)]
    assert all(r.log_append_time == -1 and not r.duplicate for r in results)
    assert log.log_end_offset == log.high_watermark == log.last_stable_offset == 9
    data = slice_bytes(log.read(0, 1 << 20))
    headers = validate_batches(data, from_client=False)
    assert [h.base_offset for h in headers] == [0, 3, 4]
    assert all(h.partition_leader_epoch == 0 for h in headers)
    # Only base offset and leader epoch differ from what the client sent.
    positions = (0, len(sent[0]), len(sent[0]) + len(sent[1]))
    for sent_batch, header, pos in zip(sent, headers, positions, strict=True):
        stored = data[pos : pos + header.size]
        assert stored[16:] == bytes(sent_batch[16:])
        assert struct.unpack_from(">qi", stored, 0)[0] == header.base_offset
    assert (log.directory / "00000000000000000000.log").read_bytes() == data


def test_read_starts_at_the_batch_holding_the_offset(tmp_path: Path) -> None:
    log = new_log(tmp_path)
    for _ in range(4):
        append(log, make_batch(3))
    for offset in range(12):
        chunk = log.read(offset, 1 << 20)
        first = read_header(slice_bytes(chunk))
        assert first.base_offset == offset - offset % 3
    assert log.read(12, 100) is None
    with pytest.raises(OffsetOutOfRangeError):
        log.read(13, 100)
    with pytest.raises(OffsetOutOfRangeError):
        log.read(-1, 100)


def test_kip74_returns_one_whole_batch_beyond_max_bytes(tmp_path: Path) -> None:
    log = new_log(tmp_path)
    big = make_batch(2, value_size=500)
    append(log, bytearray(big))
    append(log, make_batch(1))
    chunk = log.read(0, 10)
    assert chunk is not None and chunk.length == len(big)
    assert log.read(0, 10, min_one_batch=False) is None
    both = log.read(0, len(big) + 200)
    assert both is not None and both.length == len(big) + len(make_batch(1))


def test_reads_cut_at_batch_boundaries(tmp_path: Path) -> None:
    log = new_log(tmp_path, LogConfig(index_interval_bytes=100))
    sizes = []
    for i in range(40):
        batch = make_batch(1 + i % 4, value_size=10 + 7 * i)
        sizes.append(len(batch))
        append(log, batch)
    starts = [sum(sizes[:i]) for i in range(41)]
    for max_bytes in (1, 50, 333, 1000, 4096, 100_000):
        chunk = log.read(0, max_bytes)
        assert chunk is not None and chunk.position == 0
        expected = max([s for s in starts if s <= max_bytes] + [sizes[0]])
        assert chunk.length == expected


def test_read_never_returns_bytes_at_or_after_max_offset(tmp_path: Path) -> None:
    log = new_log(tmp_path, LogConfig(index_interval_bytes=50))
    for _ in range(10):
        append(log, make_batch(2))
    assert log.read(4, 1 << 20, max_offset=4) is None
    for max_offset in range(1, 21):
        for fetch in range(0, max_offset):
            chunk = log.read(fetch, 1 << 20, max_offset=max_offset)
            headers = validate_batches(slice_bytes(chunk), from_client=False) if chunk else []
            assert all(h.last_offset < max_offset for h in headers)
            # Every batch wholly below max_offset is included (no max_bytes limit here).
            reached = headers[-1].next_offset if headers else fetch - fetch % 2
            assert reached == max_offset - max_offset % 2


def test_roll_at_segment_bytes_and_read_across_segments(tmp_path: Path) -> None:
    config = LogConfig(segment_bytes=1000, index_interval_bytes=200)
    log = new_log(tmp_path, config)
    batch_size = len(make_batch(2, value_size=40))
    for _ in range(30):
        append(log, make_batch(2, value_size=40))
    per_segment = 1000 // batch_size
    assert [s.base_offset for s in log.segments] == list(range(0, 60, 2 * per_segment))
    assert all(s.size <= 1000 for s in log.segments)
    names = sorted(p.name for p in log.directory.iterdir())
    assert "00000000000000000000.log" in names and f"{2 * per_segment:020d}.index" in names
    # Sealed segments have trimmed indexes; each fetch reads from one segment only.
    sealed = log.segments[0]
    assert os.path.getsize(sealed.offset_index.path) == sealed.offset_index.entries * 8
    chunk = log.read(0, 1 << 20)
    assert chunk is not None and chunk.length == sealed.size
    assert read_all(log) == b"".join(
        os.pread(s.fd, s.size, 0) for s in log.segments
    )
    assert len(read_all(log)) == 30 * batch_size


def test_read_past_the_last_batch_of_a_segment_moves_on(tmp_path: Path) -> None:
    log = new_log(tmp_path, LogConfig(segment_bytes=200))
    append(log, make_batch(1, value_size=150))
    append(log, make_batch(1, value_size=150))
    first, second = log.segments
    # Pretend the first segment ends below the second's base (a gap, as after compaction).
    first.next_offset = 1
    chunk = log.read(1, 1 << 20)
    assert chunk is not None and chunk.fd == second.fd
    assert read_header(slice_bytes(chunk)).base_offset == 1


def test_offset_index_lookup_matches_a_linear_scan(tmp_path: Path) -> None:
    log = new_log(tmp_path, LogConfig(index_interval_bytes=64))
    for i in range(120):
        append(log, make_batch(1 + i % 5, value_size=5 + i % 13))
    segment = log.segments[-1]
    assert segment.offset_index.entries > 20
    scanned = list(iter_batch_headers(segment.fd, 0, segment.size))
    for offset in range(log.log_end_offset):
        expected = next((pos, h) for pos, h in scanned if h.last_offset >= offset)
        assert segment.translate_offset(offset) == expected
        indexed = segment.offset_index.lookup(offset)
        assert indexed[1] <= expected[0]  # never past the batch holding the offset


def test_roll_on_full_index(tmp_path: Path) -> None:
    log = new_log(tmp_path, LogConfig(segment_index_bytes=8 * 3, index_interval_bytes=0))
    for _ in range(12):
        append(log, make_batch(1))
    assert len(log.segments) > 2
    assert all(s.offset_index.entries <= 3 for s in log.segments)
    assert len(read_all(log)) == 12 * len(make_batch(1))


def test_roll_on_segment_ms_uses_the_first_batch_timestamp(tmp_path: Path) -> None:
    log = new_log(tmp_path, LogConfig(segment_ms=1000))
    append(log, make_batch(1, timestamps=[NOW_MS]))
    append(log, make_batch(1, timestamps=[NOW_MS + 1000]))
    assert len(log.segments) == 1
    append(log, make_batch(1, timestamps=[NOW_MS + 1001]))
    assert [s.base_offset for s in log.segments] == [0, 2]


def test_config_replaced_at_runtime_applies_at_next_roll(tmp_path: Path) -> None:
    log = new_log(tmp_path)
    for _ in range(5):
        append(log, make_batch(1, value_size=100))
    log.config = LogConfig(segment_bytes=300)
    append(log, make_batch(1, value_size=100))
    assert [s.base_offset for s in log.segments] == [0, 5]


def test_log_append_time(tmp_path: Path) -> None:
    log = new_log(tmp_path, LogConfig(message_timestamp_type="LogAppendTime"))
    result = append(log, make_batch(3, timestamps=[5, 6, 7]), now_ms=NOW_MS + 42)
    assert result.log_append_time == NOW_MS + 42
    header = validate_batches(slice_bytes(log.read(0, 1000)), from_client=False)[0]
    assert header.timestamp_type == 1 and header.max_timestamp == NOW_MS + 42
    assert header.base_timestamp == 5
    assert log.offset_for_timestamp(NOW_MS) == (0, NOW_MS + 42)
    assert log.max_timestamp_entry() == (0, NOW_MS + 42)


def test_create_time_bounds(tmp_path: Path) -> None:
    log = new_log(tmp_path, LogConfig(message_timestamp_before_max_ms=1000))
    with pytest.raises(InvalidTimestampError):
        append(log, make_batch(1, timestamps=[NOW_MS + 3_600_001]))  # Kafka 4 default: 1 h
    with pytest.raises(InvalidTimestampError):
        append(log, make_batch(1, timestamps=[NOW_MS - 1001]))
    assert append(log, make_batch(1, timestamps=[NOW_MS + 3_600_000])).base_offset == 0
    assert log.log_end_offset == 1


def test_multiple_batches_in_one_append(tmp_path: Path) -> None:
    log = new_log(tmp_path)
    buf = make_batch(2) + make_batch(3) + make_batch(1)
    result = append(log, buf)
    assert (result.base_offset, result.last_offset) == (0, 5)
    assert [h.base_offset for h in validate_batches(slice_bytes(log.read(0, 10_000)))] == [0, 2, 5]
