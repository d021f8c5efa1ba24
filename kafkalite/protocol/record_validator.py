"""One pass over the records of a produced batch, as Kafka's ``LogValidator`` checks them.

``validate_records`` walks the records of one RecordBatch v2 (the layout is in
``kafkalite.protocol.record_codec``) with integer cursors over the bytes, building no object
per record, and checks what Kafka's ``DefaultRecordBatch`` iterator and ``DefaultRecord.readFrom``
check on the way through ``LogValidator``, plus what keeps offsets honest:

- the codec id is 0-4; 5-7 name no codec;
- each record's length holds at least its six fixed fields (one byte each at least) and
  ends inside the batch (on a compacted topic, its key too);
- the records fill the batch exactly, and there are exactly ``recordsCount`` of them;
- record ``i`` has offset delta ``i``. ``validate_batches`` already holds
  ``recordsCount == lastOffsetDelta + 1``, so a stored batch's offsets are
  ``baseOffset .. baseOffset + lastOffsetDelta`` with no gap: consumers never see an offset
  jump. (Kafka rewrites a compressed batch whose deltas are off rather than refusing it;
  a client that writes such batches is broken, so we refuse.)

With ``timestamps``, the same pass keeps the smallest and largest timestamp delta of the
records (``record_timestamps`` turns them into timestamps), for Kafka's per-record timestamp
check and the batch's true ``maxTimestamp``: about a tenth more per record.

``check_records`` does the same work in slices of ``SLICE_RECORDS`` records, for a caller
on an event loop that lets other requests run between them. Work is bounded by ``RecordLimits``: a batch may hold at most ``max_records`` records and
decompress to at most ``max_decompressed_bytes`` (the decompressor stops there, so a
30 KB gzip bomb costs at most that much output, never its full expansion). Kafka has no
such limits, only its heap; the defaults sit far above what a producer's batch of real
records reaches (librdkafka's ``batch.num.messages`` is 10,000, a 1 MiB batch of empty
records holds about 150,000) and far below what stalls a broker.

Errors: a structural fault is ``InvalidRecordError`` (INVALID_RECORD), which is what Kafka's
``InvalidRecordException`` from the record iterator becomes; data that fails to decompress or
decompresses past the limit is ``CorruptRecordError`` (CORRUPT_MESSAGE). For codec ids 5-7
Kafka answers UNKNOWN_SERVER_ERROR (``CompressionType.forId`` throws
``IllegalArgumentException``, which ``ReplicaManager`` catches as any throwable); we answer
INVALID_RECORD, which a client does not retry.

Sans-I/O: no ``os``, ``socket`` or ``asyncio``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from kafkalite.protocol.compression import NONE, ZSTD, decompress_in_slices
from kafkalite.protocol.records import (
    BATCH_HEADER_SIZE,
    BatchHeader,
    Buffer,
    InvalidRecordError,
    read_header,
)

__all__ = [
    "DEFAULT_LIMITS",
    "SLICE_RECORDS",
    "RecordLimits",
    "check_records",
    "record_timestamps",
    "validate_records",
]

# Records per slice of ``check_records``: some milliseconds of work in CPython.
SLICE_RECORDS = 10_000


@dataclass(frozen=True, slots=True)
class RecordLimits:
    """Per-batch bounds on the work of reading a batch's records."""

    max_records: int = 200_000
    max_decompressed_bytes: int = 32 << 20


DEFAULT_LIMITS = RecordLimits()

# attributes, timestampDelta, offsetDelta, keyLength, valueLength, headerCount: one byte each
_MIN_RECORD_LENGTH = 6


def validate_records(
    batch: Buffer,
    header: BatchHeader | None = None,
    *,
    limits: RecordLimits = DEFAULT_LIMITS,
    keyless: list[int] | None = None,
    timestamps: list[int] | None = None,
) -> None:
    """Check the records of the batch at the start of ``batch`` (see the module docstring);
    raise ``InvalidRecordError`` or ``CorruptRecordError`` on the first fault.

    With ``keyless`` given, the index of every record without a key is appended to it (the
    compacted-topic check, Kafka's ``LogValidator.validateKey``), in the same pass. With
    ``timestamps`` given (a list of two), it is set to the smallest and largest timestamp
    delta of the records, for ``record_timestamps`` (Kafka's per-record
    ``LogValidator.validateTimestamp`` and the batch's true ``maxTimestamp``).
    """
    for _ in check_records(batch, header, limits=limits, keyless=keyless, timestamps=timestamps):
        pass


def record_timestamps(header: BatchHeader, deltas: list[int]) -> tuple[int, int]:
    """The smallest and largest record timestamp of a batch with records, from the deltas
    ``check_records`` found."""
    return header.base_timestamp + deltas[0], header.base_timestamp + deltas[1]


def check_records(
    batch: Buffer,
    header: BatchHeader | None = None,
    *,
    limits: RecordLimits = DEFAULT_LIMITS,
    keyless: list[int] | None = None,
    slice_records: int = SLICE_RECORDS,
    timestamps: list[int] | None = None,
) -> Iterator[None]:
    """``validate_records`` in slices: a generator that yields between slices of
    decompression (``compression.decompress_in_slices``) and before each slice of
    ``slice_records`` records after the first, so a caller on an event loop can let other
    work run between slices (a small batch never yields). Errors are raised from the
    iteration."""
    header = header or read_header(batch)
    codec = header.compression
    if codec > ZSTD:
        raise InvalidRecordError(f"unknown compression codec id {codec}")
    count = header.records_count
    if count > limits.max_records:
        raise InvalidRecordError(
            f"batch holds {count} records, more than the {limits.max_records} allowed per batch"
        )
    body = memoryview(batch)[BATCH_HEADER_SIZE : header.size]
    if codec == NONE:
        data = bytes(body)  # indexing bytes is faster than a memoryview; the copy is cheap
    else:
        data = yield from decompress_in_slices(codec, body, max_size=limits.max_decompressed_bytes)
    pos = 0
    if timestamps is not None:
        timestamps[:] = [_NO_MIN, _NO_MAX]
    for first in range(0, count, slice_records):
        if first:
            yield
        try:
            pos = _walk(data, pos, first, min(count, first + slice_records), keyless, timestamps)
        except IndexError:
            raise InvalidRecordError("record data ends inside a record") from None
    if pos != len(data):
        raise InvalidRecordError(
            f"{len(data) - pos} bytes follow the {count} records the batch declares"
        )


_NO_MIN = 1 << 63
_NO_MAX = -(1 << 63)


def _walk(
    data: bytes,
    pos: int,
    first: int,
    stop: int,
    keyless: list[int] | None,
    timestamps: list[int] | None = None,
) -> int:
    """Check records ``first`` .. ``stop - 1``, the first at ``pos``; return where the last
    one ends.

    The hot path, about a microsecond a record: per record the length and the offset delta
    are read (inline for their one- and two-byte forms, the common ones), the attributes are
    skipped, the timestamp delta is skipped byte by byte (read only for ``timestamps``, which
    keeps the smallest and largest), and the key, value and headers are jumped over by the
    record's length; only for ``keyless`` is the key length read. An index past the data
    raises ``IndexError``.
    """
    end_of_data = len(data)
    if timestamps is not None:
        low, high = timestamps
    for index in range(first, stop):
        raw = data[pos]
        if raw < 0x80:
            length = (raw >> 1) ^ -(raw & 1)
            pos += 1
        elif data[pos + 1] < 0x80:
            raw = (raw & 0x7F) | data[pos + 1] << 7
            length = (raw >> 1) ^ -(raw & 1)
            pos += 2
        else:
            length, pos = _varint(data, pos, 5)
        end = pos + length
        if length < _MIN_RECORD_LENGTH or end > end_of_data:
            raise InvalidRecordError(f"record {index} has invalid length {length}")
        pos += 1  # attributes
        if timestamps is None:
            while data[pos] >= 0x80:  # timestampDelta, up to its last byte
                pos += 1
        else:
            raw = data[pos]
            if raw < 0x80:
                delta = (raw >> 1) ^ -(raw & 1)
            elif data[pos + 1] < 0x80:
                raw = (raw & 0x7F) | data[pos + 1] << 7
                delta = (raw >> 1) ^ -(raw & 1)
                pos += 1
            else:
                delta, pos = _varint(data, pos, 10)
                pos -= 1  # to its last byte, as the loop above leaves it
            if delta < low:
                low = delta
            if delta > high:
                high = delta
        raw = data[pos + 1]
        expected = index << 1  # offset delta ``index``, zig-zag encoded
        if raw < 0x80:
            if raw != expected:
                raise InvalidRecordError(f"record {index} has offset delta {(raw >> 1) ^ -(raw & 1)}")
            pos += 2
        elif data[pos + 2] < 0x80 and (raw & 0x7F) | data[pos + 2] << 7 == expected:
            pos += 3
        else:
            offset_delta, pos = _varint(data, pos + 1, 5)
            if offset_delta != index:
                raise InvalidRecordError(f"record {index} has offset delta {offset_delta}")
        if keyless is not None:
            key_length, pos = _varint(data, pos, 5)
            if key_length < 0:  # any negative length is null, as Kafka reads it
                keyless.append(index)
            elif pos + key_length > end:
                raise InvalidRecordError(f"record {index} has a key longer than itself")
        if pos > end:
            raise InvalidRecordError(f"record {index} has fields past its length {length}")
        pos = end
    if timestamps is not None:
        timestamps[0], timestamps[1] = low, high
    return pos


def _varint(data: Buffer, pos: int, max_bytes: int) -> tuple[int, int]:
    """The zig-zag varint at ``pos`` (at most ``max_bytes`` long) and the position after it."""
    raw = data[pos]
    if raw < 0x80:
        return (raw >> 1) ^ -(raw & 1), pos + 1
    value = raw & 0x7F
    shift = 7
    for offset in range(1, max_bytes):
        raw = data[pos + offset]
        value |= (raw & 0x7F) << shift
        if raw < 0x80:
            return (value >> 1) ^ -(value & 1), pos + offset + 1
        shift += 7
    raise InvalidRecordError(f"varint at {pos} is longer than {max_bytes} bytes")
