"""Records in and out of RecordBatch v2: what a producer writes and a consumer reads.

The batch format is the protocol layer's (``kafkalite.protocol.records`` for the 61-byte
header, ``kafkalite.protocol.record_codec`` for the records, compressed as one block when
the attributes name a codec, ``kafkalite.protocol.compression``). Here are the client's
views of a record: ``ProducerRecord`` in, ``ConsumerRecord`` out, header keys as text.
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

from kafkalite.client.errors import ClientError
from kafkalite.protocol import record_codec
from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.compression import NONE
from kafkalite.protocol.record_codec import Record, read_records
from kafkalite.protocol.records import (
    BATCH_HEADER_SIZE,
    LOG_OVERHEAD,
    MAGIC_OFFSET,
    CorruptRecordError,
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

_TRANSACTIONAL = 0x10
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
    return record_codec.encode_batch(
        [
            Record(
                base_offset + delta,
                now_ms if record.timestamp is None else record.timestamp,
                record.key,
                record.value,
                tuple((name.encode(), value) for name, value in record.headers),
            )
            for delta, record in enumerate(records)
        ],
        base_offset=base_offset,
        compression=compression,
        attributes=_TRANSACTIONAL if transactional else 0,
        producer_id=producer_id,
        producer_epoch=producer_epoch,
        base_sequence=base_sequence,
    )


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
            try:
                records = read_records(buf[pos : pos + size], header)
            except CorruptRecordError as exc:
                raise CorruptBatchError(
                    f"batch at offset {header.base_offset} of {topic}-{partition}: {exc}"
                ) from exc
            timestamp_type = header.timestamp_type
            result.records.extend(
                ConsumerRecord(
                    topic=topic,
                    partition=partition,
                    offset=record.offset,
                    timestamp=header.max_timestamp if timestamp_type == 1 else record.timestamp,
                    timestamp_type=timestamp_type,
                    key=record.key,
                    value=record.value,
                    headers=tuple(
                        (name.decode("utf-8", "replace"), value) for name, value in record.headers
                    ),
                )
                for record in records
                if record.offset >= min_offset
            )
        pos += size
    return result
