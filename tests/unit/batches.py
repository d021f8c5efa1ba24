"""Build RecordBatch v2 bytes by hand for tests (Kafka protocol guide, "Record Batch")."""

from __future__ import annotations

import struct

import crc32c


def _varint(value: int) -> bytes:
    raw = (value << 1) ^ (value >> 63)
    out = bytearray()
    while raw > 0x7F:
        out.append((raw & 0x7F) | 0x80)
        raw >>= 7
    out.append(raw)
    return bytes(out)


def _field(data: bytes | None) -> bytes:
    return _varint(-1) if data is None else _varint(len(data)) + data


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
    """An uncompressed batch; record i gets timestamp ``timestamp + i``."""
    body = bytearray()
    for i, record in enumerate(records):
        key, value = record[0], record[1]
        headers = record[2] if len(record) > 2 else []  # type: ignore[misc]
        inner = (
            bytes([0])
            + _varint(i)
            + _varint(i)
            + _field(key)
            + _field(value)
            + _varint(len(headers))
        )
        for name, hvalue in headers:
            inner += _field(name.encode()) + _field(hvalue)
        body += _varint(len(inner)) + inner
    count = len(records)
    after_crc = struct.pack(
        ">hiqqqhii",
        attributes,
        count - 1,
        timestamp,
        timestamp + count - 1,
        producer_id,
        producer_epoch,
        base_sequence,
        count,
    ) + bytes(body)
    crc = crc32c.crc32c(after_crc)
    batch_length = 4 + 1 + 4 + len(after_crc)  # leader epoch, magic, crc, rest
    return struct.pack(">qiibI", base_offset, batch_length, -1, 2, crc) + after_crc
