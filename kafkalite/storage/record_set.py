"""Batches rebuilt from some of their records, for the cleaner.

The cleaner (compaction) opens batches with the protocol layer's record codec
(``kafkalite.protocol.record_codec``) and rebuilds them from the records it keeps; the
produce check that a compacted topic only takes keyed records is part of the one-pass
record check (``kafkalite.protocol.record_validator``).

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

from collections.abc import Sequence

from kafkalite.protocol.compression import NONE
from kafkalite.protocol.record_codec import Record, encode_batch
from kafkalite.protocol.records import BatchHeader

__all__ = [
    "DELETE_HORIZON_FLAG",
    "build_batch",
    "delete_horizon_ms",
]

DELETE_HORIZON_FLAG = 0x40  # attributes bit 6 (KIP-534)
_CODEC_MASK = 0x07
_LOG_APPEND_TIME_FLAG = 0x08


def delete_horizon_ms(header: BatchHeader) -> int | None:
    """The batch's delete horizon (KIP-534): set once the cleaner kept a tombstone in it."""
    return header.base_timestamp if header.attributes & DELETE_HORIZON_FLAG else None


def build_batch(
    original: BatchHeader, records: Sequence[Record], *, delete_horizon_ms: int | None = None
) -> bytes:
    """A batch holding ``records`` (some records of ``original``, in order); see the module
    docstring for what is kept and what is recomputed."""
    attributes = original.attributes & ~(_CODEC_MASK | DELETE_HORIZON_FLAG)
    if not records:
        base_timestamp = max_timestamp = original.max_timestamp
        compression = NONE
    else:
        compression = original.compression
        if delete_horizon_ms is not None:
            attributes |= DELETE_HORIZON_FLAG
            base_timestamp = delete_horizon_ms
        else:
            base_timestamp = records[0].timestamp
        if original.attributes & _LOG_APPEND_TIME_FLAG:
            max_timestamp = original.max_timestamp
        else:
            max_timestamp = max(record.timestamp for record in records)
    return encode_batch(
        records,
        base_offset=original.base_offset,
        base_timestamp=base_timestamp,
        max_timestamp=max_timestamp,
        last_offset_delta=original.last_offset_delta,
        compression=compression,
        attributes=attributes,
        partition_leader_epoch=original.partition_leader_epoch,
        producer_id=original.producer_id,
        producer_epoch=original.producer_epoch,
        base_sequence=original.base_sequence,
    )
