"""The records inside one RecordBatch v2: read them, and build a batch from some of them.

Everything else in the broker handles whole batches; this module opens them, for the two
places that must look at keys: the cleaner (compaction) and the produce check that a
compacted topic only takes keyed records. Compressed batches go through ``compression``.

A record (Kafka ``DefaultRecord``, docs/implementation.html §5.3.2), zig-zag varints::

    length varint | attributes int8 | timestampDelta varlong | offsetDelta varint |
    keyLength varint | key | valueLength varint | value | headerCount varint | headers

``timestampDelta`` is relative to the batch's ``baseTimestamp`` and ``offsetDelta`` to its
``baseOffset``. A null key or value has length -1; a null value is a tombstone.

``build_batch`` follows Kafka's ``MemoryRecords.filterTo``/``buildRetainedRecordsInto``: the
rebuilt batch keeps the original base offset, ``lastOffsetDelta`` (so the producer's last
sequence survives), producer id, epoch, base sequence, leader epoch and the transactional,
control and timestamp-type bits, and is compressed with the original codec. Its
``baseTimestamp`` is the first kept record's timestamp, or, when the batch carries a delete
horizon (attributes bit 6, KIP-534), the horizon itself; every record's ``timestampDelta``
is re-encoded against it, so record timestamps never change. ``maxTimestamp`` is the
largest kept timestamp (LogAppendTime batches keep theirs). A batch with no record left is
written as Kafka's "empty header": uncompressed, no records, base and max timestamp equal to
the original ``maxTimestamp``.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass

from crc32c import crc32c

from kafkalite.protocol.records import (
    BATCH_HEADER_SIZE,
    LOG_OVERHEAD,
    BatchHeader,
    CorruptRecordError,
    read_header,
)
from kafkalite.storage.compression import MAX_DECOMPRESSED_BYTES, NONE, compress, decompress

__all__ = [
    "DELETE_HORIZON_FLAG",
    "Record",
    "build_batch",
    "delete_horizon_ms",
    "keyless_record_indexes",
    "read_records",
]

DELETE_HORIZON_FLAG = 0x40  # attributes bit 6 (KIP-534)
_CODEC_MASK = 0x07
_LOG_APPEND_TIME_FLAG = 0x08

Buffer = bytes | bytearray | memoryview

_PREFIX = struct.Struct(">qiib")  # baseOffset, batchLength, partitionLeaderEpoch, magic
_AFTER_CRC = struct.Struct(">hiqqqhii")


@dataclass(frozen=True, slots=True)
class Record:
    offset: int
    timestamp: int
    key: bytes | None
    has_value: bool  # False for a tombstone
    body: bytes  # the record after its length varint
    after_timestamp: int  # index in ``body`` where offsetDelta starts


def delete_horizon_ms(header: BatchHeader) -> int | None:
    """The batch's delete horizon (KIP-534): set once the cleaner kept a tombstone in it."""
    return header.base_timestamp if header.attributes & DELETE_HORIZON_FLAG else None


def _varint(buf: Buffer, pos: int) -> tuple[int, int]:
    result = 0
    shift = 0
    while True:
        if pos >= len(buf) or shift > 63:
            raise CorruptRecordError("varint runs past the end of the record data")
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return (result >> 1) ^ -(result & 1), pos
        shift += 7


def _zigzag(value: int) -> bytes:
    raw = (value << 1) ^ (value >> 63)
    out = bytearray()
    while raw > 0x7F:
        out.append((raw & 0x7F) | 0x80)
        raw >>= 7
    out.append(raw)
    return bytes(out)


def _record_data(batch: Buffer, header: BatchHeader, max_size: int) -> bytes | memoryview:
    body = memoryview(batch)[BATCH_HEADER_SIZE : header.size]
    if header.compression == NONE:
        return body
    return decompress(header.compression, body, max_size=max_size)


def read_records(
    batch: Buffer, header: BatchHeader | None = None, *, max_size: int = MAX_DECOMPRESSED_BYTES
) -> list[Record]:
    """Every record of the batch at the start of ``batch`` (decompressed when needed)."""
    header = header or read_header(batch)
    data = _record_data(batch, header, max_size)
    records: list[Record] = []
    pos = 0
    for _ in range(header.records_count):
        length, start = _varint(data, pos)
        end = start + length
        if length < 1 or end > len(data):
            raise CorruptRecordError(f"record at {pos} has invalid length {length}")
        timestamp_delta, after_timestamp = _varint(data, start + 1)
        offset_delta, cursor = _varint(data, after_timestamp)
        key_length, cursor = _varint(data, cursor)
        key = None if key_length < 0 else bytes(data[cursor : cursor + key_length])
        cursor += max(key_length, 0)
        value_length, cursor = _varint(data, cursor)
        if cursor + max(value_length, 0) > end:
            raise CorruptRecordError(f"record at {pos} runs past its length")
        records.append(
            Record(
                header.base_offset + offset_delta,
                header.base_timestamp + timestamp_delta,
                key,
                value_length >= 0,
                bytes(data[start:end]),
                after_timestamp - start,
            )
        )
        pos = end
    if pos != len(data):
        raise CorruptRecordError(f"{len(data) - pos} bytes follow the last record of the batch")
    return records


def keyless_record_indexes(
    batch: Buffer, header: BatchHeader | None = None, *, max_size: int = MAX_DECOMPRESSED_BYTES
) -> list[int]:
    """Positions within the batch of the records that have no key (the produce check of a
    compacted topic, Kafka's ``LogValidator.validateKey``)."""
    header = header or read_header(batch)
    data = _record_data(batch, header, max_size)
    keyless: list[int] = []
    pos = 0
    for index in range(header.records_count):
        length, start = _varint(data, pos)
        if length < 1 or start + length > len(data):
            raise CorruptRecordError(f"record at {pos} has invalid length {length}")
        _, cursor = _varint(data, start + 1)  # timestampDelta
        _, cursor = _varint(data, cursor)  # offsetDelta
        key_length, _ = _varint(data, cursor)
        if key_length < 0:
            keyless.append(index)
        pos = start + length
    if pos != len(data):
        raise CorruptRecordError(f"{len(data) - pos} bytes follow the last record of the batch")
    return keyless


def build_batch(
    original: BatchHeader, records: Sequence[Record], *, delete_horizon_ms: int | None = None
) -> bytes:
    """A batch holding ``records`` (some records of ``original``, in order); see the module
    docstring for what is kept and what is recomputed."""
    attributes = original.attributes & ~(_CODEC_MASK | DELETE_HORIZON_FLAG)
    if not records:
        base_timestamp = max_timestamp = original.max_timestamp
        payload = b""
    else:
        attributes |= original.compression
        if delete_horizon_ms is not None:
            attributes |= DELETE_HORIZON_FLAG
            base_timestamp = delete_horizon_ms
        else:
            base_timestamp = records[0].timestamp
        if original.attributes & _LOG_APPEND_TIME_FLAG:
            max_timestamp = original.max_timestamp
        else:
            max_timestamp = max(record.timestamp for record in records)
        encoded = bytearray()
        for record in records:
            body = record.body
            delta = record.timestamp - base_timestamp
            inner = body[:1] + _zigzag(delta) + body[record.after_timestamp :]
            encoded += _zigzag(len(inner))
            encoded += inner
        payload = compress(original.compression, encoded)
    after_crc = (
        _AFTER_CRC.pack(
            attributes,
            original.last_offset_delta,
            base_timestamp,
            max_timestamp,
            original.producer_id,
            original.producer_epoch,
            original.base_sequence,
            len(records),
        )
        + payload
    )
    batch_length = BATCH_HEADER_SIZE - LOG_OVERHEAD + len(payload)
    prefix = _PREFIX.pack(
        original.base_offset, batch_length, original.partition_leader_epoch, original.magic
    )
    return prefix + struct.pack(">I", crc32c(after_crc)) + after_crc
