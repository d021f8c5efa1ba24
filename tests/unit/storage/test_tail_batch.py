"""A consumer at the end of the log asks for the batch appended last; the segment finds it
without scanning (``Segment._last_batch``), and must find exactly what a scan finds."""

from __future__ import annotations

import os
from pathlib import Path

from storage_helpers import append, make_batch, new_log

from kafkalite.storage.config import LogConfig
from kafkalite.storage.segment import iter_batch_headers


def scanned(segment, offset: int):
    return next(
        ((pos, h) for pos, h in iter_batch_headers(segment.fd, 0, segment.size)
         if h.last_offset >= offset),
        None,
    )


def test_the_last_batch_is_found_as_a_scan_finds_it(tmp_path: Path) -> None:
    log = new_log(tmp_path, LogConfig(index_interval_bytes=64))
    for i in range(40):
        append(log, make_batch(1 + i % 4, value_size=5 + i % 11))
        segment = log.segments[-1]
        for offset in range(max(0, log.log_end_offset - 10), log.log_end_offset + 2):
            assert segment.translate_offset(offset) == scanned(segment, offset), (i, offset)
        position, last = segment._last_batch
        assert segment.translate_offset(last.base_offset, position) == (position, last)
        # a start position past the last batch (the end of the file): nothing to find
        assert segment.translate_offset(last.base_offset, segment.size) is None


def test_a_tail_cut_by_recovery_is_not_remembered(tmp_path: Path) -> None:
    log = new_log(tmp_path)
    for count in (2, 3, 4):
        append(log, make_batch(count))
    segment = log.segments[-1]
    position, last = segment._last_batch
    os.pwrite(segment.fd, b"\xff" * 8, position + 20)  # break the last batch's CRC
    segment.next_offset = 0
    segment.recover(4096)
    assert segment.size == position
    assert segment.translate_offset(last.base_offset) == scanned(segment, last.base_offset) is None
    assert segment.translate_offset(2) == scanned(segment, 2) is not None
