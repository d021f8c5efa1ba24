"""ListOffsets lookups: offset for a timestamp, and the max-timestamp record (KIP-734)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from storage_helpers import NOW_MS, append, make_batch, new_log, reopen

from kafkalite.protocol.compression import CODEC_NAMES, GZIP, LZ4, SNAPPY, ZSTD
from kafkalite.storage.config import LogConfig
from kafkalite.storage.log import PartitionLog


def fill(
    tmp_path: Path, *, gzip_every: int = 0, seed: int = 3, codec: int = GZIP
) -> tuple[PartitionLog, list[tuple[int, int]]]:
    """A multi-segment log with jittery (non-monotonic) record timestamps; returns the log
    and every record's (offset, timestamp)."""
    rng = random.Random(seed)
    log = new_log(tmp_path, LogConfig(segment_bytes=2000, index_interval_bytes=150))
    records: list[tuple[int, int]] = []
    clock = NOW_MS
    for i in range(80):
        count = rng.randint(1, 6)
        stamps = [clock + rng.randint(-400, 400) for _ in range(count)]
        clock += 100
        compressed = bool(gzip_every and i % gzip_every == 0)
        result = append(log, make_batch(count, timestamps=stamps,
                                        codec=codec if compressed else None))
        records += [(result.base_offset + j, t) for j, t in enumerate(stamps)]
    assert len(log.segments) > 3
    return log, records


def first_at_or_after(records: list[tuple[int, int]], target: int) -> tuple[int, int] | None:
    return next(((o, t) for o, t in records if t >= target), None)


def test_offset_for_timestamp_equals_a_record_scan(tmp_path: Path) -> None:
    log, records = fill(tmp_path)
    stamps = sorted({t for _, t in records})
    targets = [NOW_MS - 10_000, stamps[-1] + 1] + stamps[::7] + [t + 1 for t in stamps[::11]]
    for target in targets:
        assert log.offset_for_timestamp(target) == first_at_or_after(records, target), target


@pytest.mark.parametrize("codec", [GZIP, SNAPPY, LZ4, ZSTD], ids=CODEC_NAMES.get)
def test_compressed_batches_are_searched_record_by_record(tmp_path: Path, codec: int) -> None:
    log, records = fill(tmp_path, gzip_every=2, seed=5, codec=codec)
    for _, target in records[::3]:
        assert log.offset_for_timestamp(target) == first_at_or_after(records, target)
    # inside one batch whose records are out of time order: the first one at or after
    base = log.log_end_offset
    append(log, make_batch(4, timestamps=[NOW_MS + 9_010, NOW_MS + 9_030, NOW_MS + 9_020,
                                          NOW_MS + 9_005], codec=codec))
    assert log.offset_for_timestamp(NOW_MS + 9_015) == (base + 1, NOW_MS + 9_030)
    assert log.offset_for_timestamp(NOW_MS + 9_030) == (base + 1, NOW_MS + 9_030)


def test_corrupt_compressed_batches_answer_at_batch_level(tmp_path: Path) -> None:
    log = new_log(tmp_path)
    append(log, make_batch(2, timestamps=[NOW_MS, NOW_MS + 1]))
    # codec bits 3 (lz4) on records that are not lz4: unreadable, so batch level
    append(log, make_batch(4, timestamps=[NOW_MS + 10, NOW_MS + 30, NOW_MS + 20, NOW_MS + 5],
                           attributes=3))
    assert log.offset_for_timestamp(NOW_MS + 25) == (2, NOW_MS + 30)
    assert log.max_timestamp_entry() == (2, NOW_MS + 30)


def test_max_timestamp_entry_is_the_record_holding_it(tmp_path: Path) -> None:
    log = new_log(tmp_path)
    assert log.max_timestamp_entry() == (-1, -1)
    append(log, make_batch(3, timestamps=[NOW_MS, NOW_MS + 50, NOW_MS + 10]))
    append(log, make_batch(3, timestamps=[NOW_MS + 20, NOW_MS + 90, NOW_MS + 90]))
    append(log, make_batch(1, timestamps=[NOW_MS + 60]))
    assert log.max_timestamp_entry() == (4, NOW_MS + 90)


def test_max_timestamp_across_segments_and_restart(tmp_path: Path) -> None:
    log, records = fill(tmp_path, seed=11)
    best = max(t for _, t in records)
    expected = next((o, t) for o, t in records if t == best)
    assert log.max_timestamp_entry() == expected
    log.close()
    again = reopen(log, clean=True, recovery_point=None)
    assert again.max_timestamp_entry() == expected
    assert again.offset_for_timestamp(best) == expected
    again.close()
