"""The cleaner's work per batch is bounded: a batch beyond the per-batch record limit that
produce applies (one stored before produce checked records) is copied as it is, never
decoded, so a pass over it costs no more than copying it."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
from storage_helpers import NOW_MS, append, new_log, read_all

from kafkalite.protocol.compression import GZIP
from kafkalite.protocol.record_codec import Record, encode_batch, read_records
from kafkalite.protocol.records import validate_batches
from kafkalite.storage.cleaner import LogCleaner
from kafkalite.storage.config import LogConfig
from kafkalite.storage.flusher import Flusher
from kafkalite.storage.retention import SegmentDeleter
from tests.unit.batches import relabel

COMPACT = LogConfig(cleanup_policy="compact", segment_bytes=4000)


def gzip_bomb(count: int) -> bytearray:
    """``count`` keyed 8-byte records in a gzip batch of a few tens of KB (all with offset
    delta 0: what matters is what decoding them costs)."""
    record = bytes([0x0E, 0, 0, 0, 0x02, ord("k"), 0x01, 0])
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    data = compressor.compress(record * count) + compressor.flush()
    template = encode_batch([Record(0, NOW_MS, b"k", None)], compression=GZIP)
    return bytearray(relabel(template, records=data, records_count=count, last_offset_delta=count - 1))


@pytest.mark.timeout(20)  # decoding each of the bomb's records would take ~30 s
def test_a_stored_bomb_is_copied_without_decoding(tmp_path: Path) -> None:
    log = new_log(tmp_path, COMPACT)
    for version in range(3):
        append(log, bytearray(encode_batch([Record(0, NOW_MS, b"a", b"v%d" % version)])))
    append(log, gzip_bomb(3_000_000))
    for version in range(3):
        append(log, bytearray(encode_batch([Record(0, NOW_MS, b"a", b"w%d" % version)] * 1)))
    flusher = Flusher()
    cleaner = LogCleaner(tmp_path, logs=lambda: [log], flusher=flusher, deleter=SegmentDeleter(flusher))
    assert cleaner.clean_now(log, NOW_MS) > 0
    kept = validate_batches(read_all(log, log.log_start_offset), from_client=False)
    assert [h.records_count for h in kept if h.records_count > 1] == [3_000_000]
    last = read_all(log, log.log_end_offset - 1)
    assert read_records(last)[0].value == b"w2"
