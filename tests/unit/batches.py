"""Build RecordBatch v2 bytes for tests, with the protocol layer's record codec."""

from __future__ import annotations

import dataclasses
import struct

from kafkalite.protocol.record_codec import Record, encode_batch
from kafkalite.protocol.records import (
    BATCH_HEADER_SIZE,
    CRC_OFFSET,
    LOG_OVERHEAD,
    batch_crc,
    pack_header,
    read_header,
)


def record_batch(
    records: list[tuple[bytes | None, bytes | None]]
    | list[tuple[bytes | None, bytes | None, list[tuple[str, bytes]]]],
    *,
    base_offset: int = 0,
    timestamp: int = 1_700_000_000_000,
    producer_id: int = -1,
    producer_epoch: int = -1,
    base_sequence: int = -1,
    attributes: int = 0,
) -> bytes:
    """An uncompressed batch of ``(key, value[, headers])`` records; record i gets offset
    ``base_offset + i`` and timestamp ``timestamp + i``. ``attributes`` are written as given:
    codec bits there do not compress the records."""
    built = []
    for i, (key, value, *rest) in enumerate(records):
        headers = tuple((name.encode(), header_value) for name, header_value in (rest or [[]])[0])
        built.append(Record(base_offset + i, timestamp + i, key, value, headers))
    return encode_batch(
        built,
        base_offset=base_offset,
        base_timestamp=timestamp,
        max_timestamp=timestamp + len(records) - 1,
        last_offset_delta=len(records) - 1,
        attributes=attributes,
        producer_id=producer_id,
        producer_epoch=producer_epoch,
        base_sequence=base_sequence,
    )


def relabel(batch: bytes, *, records: bytes | None = None, **fields: int) -> bytes:
    """``batch`` with header ``fields`` replaced (``records_count=...``, ``attributes=...``)
    and, given ``records``, those record bytes in place of its own; length and CRC-32C
    recomputed, so only what the fields and records say is wrong."""
    header = read_header(batch)
    body = batch[BATCH_HEADER_SIZE:] if records is None else records
    header = dataclasses.replace(
        header, batch_length=BATCH_HEADER_SIZE - LOG_OVERHEAD + len(body), crc=0, **fields
    )
    out = bytearray(pack_header(header) + body)
    struct.pack_into(">I", out, CRC_OFFSET, batch_crc(out, 0, len(out)))
    return bytes(out)
