"""Offset and time indexes: Kafka's byte layout, binary-search lookups, trim and reopen."""

from __future__ import annotations

import os
import random
import struct
from pathlib import Path

from kafkalite.storage.index import OffsetIndex, TimeIndex


def test_offset_index_layout_and_lookup_equal_a_linear_scan(tmp_path: Path) -> None:
    rng = random.Random(7)
    index = OffsetIndex(tmp_path / "00000000000000001000.index", 1000, 8 * 500)
    index.make_active()
    entries: list[tuple[int, int]] = []
    offset, position = 1000, 0
    for _ in range(300):
        offset += rng.randint(1, 50)
        position += rng.randint(1, 5000)
        index.append(offset, position)
        entries.append((offset, position))
    for target in range(990, offset + 60):
        below = [e for e in entries if e[0] <= target]
        assert index.lookup(target) == (below[-1] if below else (1000, 0))
    for target in range(0, position + 10, 97):
        below = [e for e in entries if e[1] <= target]
        assert index.lookup_position(target) == (below[-1] if below else (1000, 0))
    fd = index.trim()
    os.close(fd)
    raw = (tmp_path / "00000000000000001000.index").read_bytes()
    assert len(raw) == 300 * 8  # trimmed to the valid entries
    assert struct.unpack_from(">ii", raw, 0) == (entries[0][0] - 1000, entries[0][1])
    assert index.lookup(entries[150][0]) == entries[150]  # read-only map after the trim
    index.close()


def test_offset_index_reopens_and_grows(tmp_path: Path) -> None:
    path = tmp_path / "00000000000000000000.index"
    index = OffsetIndex(path, 0, 80)
    index.make_active()
    assert not path.exists()  # made on first write (Kafka's LazyIndex)
    index.append(10, 100)
    assert os.path.getsize(path) == 80  # preallocated, Kafka's AbstractIndex
    for i in range(2, 11):
        index.append(i * 10, i * 100)
    assert index.is_full
    os.close(index.trim())
    index.close()
    again = OffsetIndex(path, 0, 160)
    assert again.entries == 10 and again.sane(log_size=1001)
    assert not again.sane(log_size=1000)  # points past the end of the log
    again.make_active()
    again.append(110, 1100)
    assert again.lookup(115) == (110, 1100) and again.entries == 11
    again.truncate_to_position(500)
    assert again.entries == 4 and again.last_entry() == (40, 400)
    assert again.close() == -1  # an index keeps no descriptor


def test_zero_filled_preallocated_index_is_insane(tmp_path: Path) -> None:
    path = tmp_path / "00000000000000000000.index"
    path.write_bytes(bytes(800))  # what a crash leaves behind
    index = OffsetIndex(path, 0, 800)
    assert index.entries == 100 and not index.sane(log_size=10_000)
    assert index.close() == -1
    path.write_bytes(bytes(12))  # not a multiple of the entry size
    odd = OffsetIndex(path, 0, 800)
    assert not odd.sane(log_size=10_000)
    assert odd.close() == -1


def test_time_index_appends_only_growing_timestamps(tmp_path: Path) -> None:
    index = TimeIndex(tmp_path / "00000000000000000500.timeindex", 500, 12 * 10)
    index.make_active()
    assert index.last_entry() == (-1, 500)
    index.maybe_append(1_000, 504)
    index.maybe_append(1_000, 509)  # not larger: ignored
    index.maybe_append(900, 510)  # smaller: ignored
    index.maybe_append(2_000, 520)
    assert index.entries == 2 and index.last_entry() == (2_000, 520)
    assert index.lookup(999) == (-1, 500)
    assert index.lookup(1_000) == (1_000, 504)
    assert index.lookup(1_999) == (1_000, 504)
    assert index.lookup(10**12) == (2_000, 520)
    for ts in range(3_000, 10_000, 1_000):
        index.maybe_append(ts, 520 + ts // 100)
    assert index.entries == 9 and index.is_full  # one slot kept for the final entry
    index.maybe_append(99_999, 700)
    assert index.entries == 10
    fd = index.trim()
    os.close(fd)
    raw = (tmp_path / "00000000000000000500.timeindex").read_bytes()
    assert len(raw) == 120 and struct.unpack_from(">qi", raw, 12) == (2_000, 20)
    assert index.sane()
    index.truncate_to_offset(520)
    assert index.last_entry() == (1_000, 504)
    index.close()
