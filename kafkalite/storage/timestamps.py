"""Timestamp lookups for ListOffsets: the first record at or after a time, and the record
with the largest timestamp (KIP-734). An admin path, so it may walk records.

Kafka answers at record level (``LogSegment.findOffsetByTimestamp`` then
``FileRecords.searchForTimestamp``; ``RecordBatch.offsetOfMaxTimestamp``). kafkalite does too
wherever it can read the records:
- LogAppendTime batches: every record carries the batch's ``maxTimestamp``, so the answer is
  the batch's first offset;
- other batches, uncompressed or compressed with any codec (gzip, snappy, lz4, zstd): the
  records' offsets and timestamps are read (``record_codec.read_record_timestamps``, no
  object per record, decompression and record count bounded by the per-batch limits of
  ``record_validator``, remembered for the last few batches searched);
- a batch that cannot be read that way (over those limits, or corrupt) is answered with its
  base offset and ``maxTimestamp``: an offset at or before the exact record, so a consumer
  seeking there still sees it.

Search (``find_offset_by_timestamp``, as Kafka's): the time index gives the greatest entry
whose timestamp is at most the target, the offset index turns its offset into a file
position, and batch headers are scanned from there to the first batch whose
``maxTimestamp`` reaches the target.
"""

from __future__ import annotations

import logging
import os
from collections import OrderedDict
from collections.abc import Iterator

from kafkalite.protocol.compression import CODEC_NAMES
from kafkalite.protocol.record_codec import read_record_timestamps
from kafkalite.protocol.record_validator import DEFAULT_LIMITS
from kafkalite.protocol.records import BatchHeader, CorruptRecordError, InvalidRecordError
from kafkalite.storage.segment import Segment, iter_batch_headers

__all__ = ["find_offset_by_timestamp", "max_timestamp_in_segment"]

log = logging.getLogger(__name__)

# Record timestamps of the batches searched last, so repeated ListOffsets on the same batch
# read it once: (log file, position, base offset, CRC) -> (offsets, timestamps).
_CACHE_ENTRIES = 32
_cache: OrderedDict[tuple[str, int, int, int], tuple[list[int], list[int]]] = OrderedDict()


def _timestamps(
    segment: Segment, position: int, header: BatchHeader
) -> Iterator[tuple[int, int]] | None:
    """``(offset, timestamp)`` of every record of the batch, or ``None`` when the records
    cannot be read here: more records or decompressed bytes than ``record_validator.DEFAULT_LIMITS`` allow, or records that fail to decode (a batch
    stored before produce checked records). The work per batch is bounded by those limits
    and done once while the batch stays in the cache."""
    if header.timestamp_type == 1:
        return iter([(header.base_offset, header.max_timestamp)])
    if header.compression not in CODEC_NAMES or header.records_count > DEFAULT_LIMITS.max_records:
        return None
    key = (str(segment.log_path), position, header.base_offset, header.crc)
    found = _cache.get(key)
    if found is None:
        data = os.pread(segment.fd, header.size, position)
        try:
            found = read_record_timestamps(
                data, header, max_size=DEFAULT_LIMITS.max_decompressed_bytes
            )
        except (CorruptRecordError, InvalidRecordError) as exc:
            log.warning(
                "%s: batch at offset %d unreadable, answering ListOffsets at batch level: %s",
                segment.log_path, header.base_offset, exc,
            )
            return None
        _cache[key] = found
        if len(_cache) > _CACHE_ENTRIES:
            _cache.popitem(last=False)
    else:
        _cache.move_to_end(key)
    return zip(*found, strict=True)


def find_offset_by_timestamp(
    segment: Segment, timestamp: int, starting_offset: int
) -> tuple[int, int] | None:
    """``(offset, timestamp)`` of the first record in ``segment`` at or after
    ``starting_offset`` whose timestamp is >= ``timestamp``; ``None`` if there is none."""
    _, indexed_offset = segment.time_index.lookup(timestamp)
    position = segment.offset_index.lookup(max(indexed_offset, starting_offset))[1]
    for pos, header in iter_batch_headers(segment.fd, position, segment.size):
        if header.last_offset < starting_offset or header.max_timestamp < timestamp:
            continue
        records = _timestamps(segment, pos, header)
        if records is None:
            return max(header.base_offset, starting_offset), header.max_timestamp
        for offset, record_timestamp in records:
            if offset >= starting_offset and record_timestamp >= timestamp:
                return offset, record_timestamp
        # maxTimestamp promised a record that is not there: answer at batch level.
        return max(header.base_offset, starting_offset), header.max_timestamp
    return None


def max_timestamp_in_segment(segment: Segment) -> tuple[int, int] | None:
    """``(offset, timestamp)`` of the first record holding the segment's largest
    timestamp, as Kafka 3.8+ answers ListOffsets -3 (KAFKA-16310)."""
    if segment.max_timestamp < 0:
        return None
    target = segment.max_timestamp
    position = segment.offset_index.lookup(segment.offset_of_max_timestamp)[1]
    for pos, header in iter_batch_headers(segment.fd, position, segment.size):
        if header.max_timestamp != target:
            continue
        records = _timestamps(segment, pos, header)
        if records is not None:
            for offset, record_timestamp in records:
                if record_timestamp == target:
                    return offset, target
        return header.base_offset, target
    return None
