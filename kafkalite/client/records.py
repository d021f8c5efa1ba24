"""Records in and out of RecordBatch v2: what a producer writes and a consumer reads.

A batch is the 61-byte header described in ``kafkalite.protocol.records`` followed by the
records, compressed as one block when the attributes name a codec. Each record is::

    length varint | attributes int8 | timestampDelta varlong | offsetDelta varint
    keyLength varint | key | valueLength varint | value
    headerCount varint | (keyLength varint | key utf-8 | valueLength varint | value)*

Lengths of -1 mean null (keys, values, header values; header keys are never null).
Timestamp and offset deltas count from the batch's ``baseTimestamp`` and ``baseOffset``.
A LogAppendTime batch reports its ``maxTimestamp`` for every record.

Reading follows the Java consumer: CRCs are checked, control batches (transaction markers)
are skipped, records before the fetch position are dropped (a fetch returns whole batches,
which may start before it), and a truncated batch at the end of a fetch response is
ignored (brokers may cut the last batch when a size limit is reached).
"""

from __future__ import annotations

import struct
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeAlias

from kafkalite.client.compression import NONE, compress, decompress
from kafkalite.client.errors import ClientError
from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.errors import MalformedRequest
from kafkalite.protocol.primitives import read_varint, read_varlong, write_varint, write_varlong
from kafkalite.protocol.records import (
    BATCH_HEADER_SIZE,
    LOG_OVERHEAD,
    MAGIC_OFFSET,
    RECORDS_OFFSET,
    BatchHeader,
    batch_crc,
    read_header,
)

__all__ = [
    "ConsumerRecord",
    "CorruptBatchError",
    "FetchedRecords",
    "Header",
    "ProducerRecord",
    "decode_records",
    "encode_batch",
]

Header: TypeAlias = tuple[str, bytes | None]

_HEADER = struct.Struct(">qiibIhiqqqhii")
_TRANSACTIONAL = 0x10
_NO_PARTITION_LEADER_EPOCH = -1
_LENGTH = struct.Struct(">i")


class CorruptBatchError(ClientError):
    """Fetched bytes that are not a valid v2 batch (bad CRC, lengths that do not add up)."""


@dataclass(frozen=True, slots=True)
class ProducerRecord:
    """One record to send; ``timestamp`` None means the time the batch is built."""

    key: bytes | None
    value: bytes | None
    headers: tuple[Header, ...] = ()
    timestamp: int | None = None


@dataclass(frozen=True, slots=True)
class ConsumerRecord:
    topic: str
    partition: int
    offset: int
    timestamp: int
    timestamp_type: int  # 0 CreateTime, 1 LogAppendTime
    key: bytes | None
    value: bytes | None
    headers: tuple[Header, ...] = ()


@dataclass(slots=True)
class FetchedRecords:
    """The records of one partition's fetch data, and where the next fetch starts.

    ``next_offset`` is the offset after the last complete batch (None when the data held
    none): a consumer moves to it even when every record was skipped (control batches).
    """

    records: list[ConsumerRecord] = field(default_factory=list)
    next_offset: int | None = None


# --- encoding --------------------------------------------------------------------------


def encode_batch(
    records: Sequence[ProducerRecord],
    *,
    compression: int = NONE,
    base_offset: int = 0,
    producer_id: int = -1,
    producer_epoch: int = -1,
    base_sequence: int = -1,
    transactional: bool = False,
    now_ms: int | None = None,
) -> bytes:
    """One batch holding ``records`` with offset deltas 0..n-1, CRC-32C filled in."""
    if not records:
        raise ValueError("a record batch holds at least one record")
    if now_ms is None:
        now_ms = int(time.time() * 1000)
    timestamps = [now_ms if r.timestamp is None else r.timestamp for r in records]
    base_timestamp = timestamps[0]
    body = bytearray()
    for delta, (record, timestamp) in enumerate(zip(records, timestamps, strict=True)):
        _write_record(body, record, delta, timestamp - base_timestamp)
    payload = compress(compression, bytes(body))
    attributes = compression | (_TRANSACTIONAL if transactional else 0)
    count = len(records)
    batch = bytearray(
        _HEADER.pack(
            base_offset,
            BATCH_HEADER_SIZE - LOG_OVERHEAD + len(payload),
            _NO_PARTITION_LEADER_EPOCH,
            2,
            0,
            attributes,
            count - 1,
            base_timestamp,
            max(timestamps),
            producer_id,
            producer_epoch,
            base_sequence,
            count,
        )
    )
    batch += payload
    struct.pack_into(">I", batch, 17, batch_crc(batch, 0, len(batch)))
    return bytes(batch)


def _write_record(
    out: bytearray, record: ProducerRecord, offset_delta: int, timestamp_delta: int
) -> None:
    inner = bytearray(b"\x00")  # attributes: unused by v2 records
    write_varlong(inner, timestamp_delta)
    write_varint(inner, offset_delta)
    _write_bytes(inner, record.key)
    _write_bytes(inner, record.value)
    write_varint(inner, len(record.headers))
    for name, value in record.headers:
        _write_bytes(inner, name.encode())
        _write_bytes(inner, value)
    write_varint(out, len(inner))
    out += inner


def _write_bytes(out: bytearray, data: bytes | None) -> None:
    if data is None:
        write_varint(out, -1)
    else:
        write_varint(out, len(data))
        out += data


# --- decoding --------------------------------------------------------------------------


def decode_records(
    data: bytes | bytearray | memoryview | FileSlice | None,
    *,
    topic: str = "",
    partition: int = 0,
    min_offset: int = 0,
    check_crc: bool = True,
) -> FetchedRecords:
    """The records at or after ``min_offset`` in the batches of one partition's fetch data."""
    result = FetchedRecords()
    if isinstance(data, FileSlice):
        raise TypeError("a client decodes received bytes, not file slices")
    if not data:
        return result
    buf = memoryview(data)
    end = len(buf)
    pos = 0
    while end - pos > MAGIC_OFFSET:  # enough to read the length and the magic
        (batch_length,) = _LENGTH.unpack_from(buf, pos + 8)
        size = batch_length + LOG_OVERHEAD
        if batch_length < 0 or size > end - pos:
            break  # truncated last batch
        magic = buf[pos + MAGIC_OFFSET]
        if magic != 2:
            raise CorruptBatchError(
                f"message format v{magic} at byte {pos} is not supported (only v2)"
            )
        if size < BATCH_HEADER_SIZE:
            raise CorruptBatchError(f"batch at byte {pos} is {size} bytes, shorter than its header")
        header = read_header(buf, pos)
        if check_crc and batch_crc(buf, pos, size) != header.crc:
            raise CorruptBatchError(
                f"batch at offset {header.base_offset} of {topic}-{partition} fails its CRC check"
            )
        result.next_offset = header.next_offset
        if not header.is_control and header.next_offset > min_offset:
            raw = buf[pos + RECORDS_OFFSET : pos + size]
            records = decompress(header.compression, raw) if header.compression else raw
            try:
                _read_records(
                    result.records, memoryview(records), header, topic, partition, min_offset
                )
            except MalformedRequest as exc:
                raise CorruptBatchError(
                    f"batch at offset {header.base_offset} of {topic}-{partition}: {exc}"
                ) from exc
        pos += size
    return result


def _read_records(
    out: list[ConsumerRecord],
    buf: memoryview,
    header: BatchHeader,
    topic: str,
    partition: int,
    min_offset: int,
) -> None:
    log_append_time = header.timestamp_type == 1
    pos = 0
    for _ in range(header.records_count):
        length, pos = read_varint(buf, pos)
        end = pos + length
        if length < 0 or end > len(buf):
            raise MalformedRequest(f"record length {length} runs past the batch")
        pos += 1  # attributes
        timestamp_delta, pos = read_varlong(buf, pos)
        offset_delta, pos = read_varint(buf, pos)
        key, pos = _read_bytes(buf, pos)
        value, pos = _read_bytes(buf, pos)
        count, pos = read_varint(buf, pos)
        headers: list[Header] = []
        for _ in range(max(count, 0)):
            name, pos = _read_bytes(buf, pos)
            header_value, pos = _read_bytes(buf, pos)
            headers.append(((name or b"").decode("utf-8", "replace"), header_value))
        if pos != end:
            raise MalformedRequest(f"record declares {length} bytes but holds {length + pos - end}")
        offset = header.base_offset + offset_delta
        if offset < min_offset:
            continue
        out.append(
            ConsumerRecord(
                topic=topic,
                partition=partition,
                offset=offset,
                timestamp=header.max_timestamp
                if log_append_time
                else header.base_timestamp + timestamp_delta,
                timestamp_type=header.timestamp_type,
                key=key,
                value=value,
                headers=tuple(headers),
            )
        )


def _read_bytes(buf: memoryview, pos: int) -> tuple[bytes | None, int]:
    length, pos = read_varint(buf, pos)
    if length < 0:
        return None, pos
    if pos + length > len(buf):
        raise MalformedRequest(f"field of {length} bytes runs past the record")
    return bytes(buf[pos : pos + length]), pos + length
