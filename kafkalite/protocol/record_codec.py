"""The records inside a RecordBatch v2: build a batch from records, read the records of one.

A record (Kafka ``DefaultRecord``, docs/implementation.html §5.3.2), in zig-zag varints::

    length varint | attributes int8 | timestampDelta varlong | offsetDelta varint |
    keyLength varint | key | valueLength varint | value |
    headerCount varint | (keyLength varint | key | valueLength varint | value)*

``timestampDelta`` counts from the batch's ``baseTimestamp`` and ``offsetDelta`` from its
``baseOffset``. A length of -1 means null (keys, values, header values; header keys are
never null); a null value is a tombstone. The 61-byte batch header around the records is
``kafkalite.protocol.records``; a codec named in its attributes compresses the records as
one block (``kafkalite.protocol.compression``).

This is the one record codec: the broker's cleaner (which rebuilds batches from the
records it keeps), the compacted-topic key check, ListOffsets by timestamp, the
command-line producer and consumer, and the tests' batch builders all use it.

A ``Record`` holds its offset and timestamp made absolute, header keys as the bytes they
are, and its attributes byte, so a record read from a batch and written again against the
same base offset and base timestamp gives back the same bytes. In a LogAppendTime batch
``timestamp`` is what the producer wrote; consumers report the batch's ``maxTimestamp``.

Reading checks what Kafka's ``DefaultRecord.readFrom`` and the batch iterator check: each
record holds exactly its declared length, header counts and header keys are not negative,
and the records fill the data exactly. Anything else is ``CorruptRecordError``.

Sans-I/O: no ``os``, ``socket`` or ``asyncio``.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeAlias

from kafkalite.protocol.compression import MAX_DECOMPRESSED_BYTES, NONE, compress, decompress
from kafkalite.protocol.errors import MalformedRequest
from kafkalite.protocol.primitives import (
    read_varint,
    read_varlong,
    take,
    write_varint,
    write_varlong,
)
from kafkalite.protocol.records import (
    BATCH_HEADER_SIZE,
    CRC_OFFSET,
    LOG_OVERHEAD,
    BatchHeader,
    Buffer,
    CorruptRecordError,
    batch_crc,
    pack_header,
    read_header,
)

__all__ = [
    "Record",
    "RecordHeader",
    "decode_records",
    "encode_batch",
    "read_record_timestamps",
    "read_records",
]

RecordHeader: TypeAlias = tuple[bytes, bytes | None]

_CRC = struct.Struct(">I")
_MAGIC = 2


@dataclass(frozen=True, slots=True)
class Record:
    """One record of a batch, its offset and timestamp absolute."""

    offset: int
    timestamp: int
    key: bytes | None
    value: bytes | None
    headers: tuple[RecordHeader, ...] = ()
    attributes: int = 0  # the record's own attributes byte: unused by Kafka so far

    @property
    def has_value(self) -> bool:
        """False for a tombstone."""
        return self.value is not None


# --- writing ---------------------------------------------------------------------------


def encode_batch(
    records: Sequence[Record],
    *,
    base_offset: int = 0,
    base_timestamp: int | None = None,
    max_timestamp: int | None = None,
    last_offset_delta: int | None = None,
    compression: int = NONE,
    attributes: int = 0,
    partition_leader_epoch: int = -1,
    producer_id: int = -1,
    producer_epoch: int = -1,
    base_sequence: int = -1,
) -> bytes:
    """A batch holding ``records``, compressed with ``compression``, its CRC-32C filled in.

    ``attributes`` holds the attribute bits other than the codec (timestamp type,
    transactional, control, delete horizon); the codec bits are ``compression``'s. By
    default ``baseTimestamp`` is the first record's timestamp, ``maxTimestamp`` the largest
    one and ``lastOffsetDelta`` the last record's offset delta; a batch without records
    must give all three.
    """
    if not records and None in (base_timestamp, max_timestamp, last_offset_delta):
        raise ValueError("a batch without records needs its timestamps and last offset delta")
    if base_timestamp is None:
        base_timestamp = records[0].timestamp
    if max_timestamp is None:
        max_timestamp = max(record.timestamp for record in records)
    if last_offset_delta is None:
        last_offset_delta = records[-1].offset - base_offset
    body = bytearray()
    for record in records:
        _write_record(body, record, base_offset, base_timestamp)
    payload = compress(compression, body)
    header = BatchHeader(
        base_offset=base_offset,
        batch_length=BATCH_HEADER_SIZE - LOG_OVERHEAD + len(payload),
        partition_leader_epoch=partition_leader_epoch,
        magic=_MAGIC,
        crc=0,  # computed below, over the finished batch
        attributes=attributes | compression,
        last_offset_delta=last_offset_delta,
        base_timestamp=base_timestamp,
        max_timestamp=max_timestamp,
        producer_id=producer_id,
        producer_epoch=producer_epoch,
        base_sequence=base_sequence,
        records_count=len(records),
    )
    batch = bytearray(pack_header(header))
    batch += payload
    _CRC.pack_into(batch, CRC_OFFSET, batch_crc(batch, 0, len(batch)))
    return bytes(batch)


def _write_record(out: bytearray, record: Record, base_offset: int, base_timestamp: int) -> None:
    body = bytearray((record.attributes,))
    write_varlong(body, record.timestamp - base_timestamp)
    write_varint(body, record.offset - base_offset)
    _write_bytes(body, record.key)
    _write_bytes(body, record.value)
    write_varint(body, len(record.headers))
    for key, value in record.headers:
        _write_bytes(body, key)
        _write_bytes(body, value)
    write_varint(out, len(body))
    out += body


def _write_bytes(out: bytearray, data: bytes | None) -> None:
    if data is None:
        write_varint(out, -1)
    else:
        write_varint(out, len(data))
        out += data


# --- reading ---------------------------------------------------------------------------


def read_records(
    batch: Buffer, header: BatchHeader | None = None, *, max_size: int = MAX_DECOMPRESSED_BYTES
) -> list[Record]:
    """Every record of the batch at the start of ``batch``, decompressed when its attributes
    name a codec (at most ``max_size`` bytes of records)."""
    header = header or read_header(batch)
    data: bytes | memoryview = memoryview(batch)[BATCH_HEADER_SIZE : header.size]
    if header.compression != NONE:
        data = decompress(header.compression, data, max_size=max_size)
    return decode_records(
        data,
        base_offset=header.base_offset,
        base_timestamp=header.base_timestamp,
        count=header.records_count,
    )


def read_record_timestamps(
    batch: Buffer, header: BatchHeader | None = None, *, max_size: int = MAX_DECOMPRESSED_BYTES
) -> tuple[list[int], list[int]]:
    """The offsets and the timestamps of the records of the batch at the start of ``batch``,
    as two lists, with no object per record; the rest of each record is skipped by its
    length (ListOffsets by timestamp needs nothing else)."""
    header = header or read_header(batch)
    data: bytes | memoryview = memoryview(batch)[BATCH_HEADER_SIZE : header.size]
    if header.compression != NONE:
        data = decompress(header.compression, data, max_size=max_size)
    view = memoryview(data)
    offsets: list[int] = []
    timestamps: list[int] = []
    pos = 0
    try:
        for _ in range(header.records_count):
            length, start = read_varint(view, pos)
            end = start + length
            if length < 1 or end > len(view):
                raise CorruptRecordError(f"record at {pos} has invalid length {length}")
            timestamp_delta, cursor = read_varlong(view, start + 1)
            offset_delta, cursor = read_varint(view, cursor)
            if cursor > end:
                raise CorruptRecordError(f"record at {pos} is longer than its length {length}")
            offsets.append(header.base_offset + offset_delta)
            timestamps.append(header.base_timestamp + timestamp_delta)
            pos = end
    except MalformedRequest as exc:  # the primitives' error: here the data is at fault
        raise CorruptRecordError(f"record at {pos}: {exc}") from None
    if pos != len(view):
        raise CorruptRecordError(f"{len(view) - pos} bytes follow the last record of the batch")
    return offsets, timestamps


def decode_records(
    data: Buffer, *, base_offset: int, base_timestamp: int, count: int
) -> list[Record]:
    """The ``count`` records in ``data``: *uncompressed* record bytes, as they follow a
    batch header (or come out of the decompressor)."""
    view = memoryview(data)
    records: list[Record] = []
    pos = 0
    try:
        for _ in range(count):
            length, start = read_varint(view, pos)
            end = start + length
            if length < 1 or end > len(view):
                raise CorruptRecordError(f"record at {pos} has invalid length {length}")
            body = view[:end]  # reads past the record's end fail
            timestamp_delta, cursor = read_varlong(body, start + 1)
            offset_delta, cursor = read_varint(body, cursor)
            key, cursor = _read_bytes(body, cursor)
            value, cursor = _read_bytes(body, cursor)
            header_count, cursor = read_varint(body, cursor)
            if header_count < 0:
                raise CorruptRecordError(f"record at {pos} has {header_count} headers")
            headers: list[RecordHeader] = []
            for _ in range(header_count):
                header_key, cursor = _read_bytes(body, cursor)
                if header_key is None:
                    raise CorruptRecordError(f"record at {pos} has a header with a null key")
                header_value, cursor = _read_bytes(body, cursor)
                headers.append((header_key, header_value))
            if cursor != end:
                raise CorruptRecordError(
                    f"record at {pos} declares {length} bytes but holds {cursor - start}"
                )
            records.append(
                Record(
                    base_offset + offset_delta,
                    base_timestamp + timestamp_delta,
                    key,
                    value,
                    tuple(headers),
                    body[start],
                )
            )
            pos = end
    except MalformedRequest as exc:  # the primitives' error: here the data is at fault
        raise CorruptRecordError(f"record at {pos}: {exc}") from None
    if pos != len(view):
        raise CorruptRecordError(f"{len(view) - pos} bytes follow the last record of the batch")
    return records


def _read_bytes(buf: memoryview, pos: int) -> tuple[bytes | None, int]:
    length, pos = read_varint(buf, pos)
    if length < 0:
        return None, pos
    field, pos = take(buf, pos, length)
    return bytes(field), pos
