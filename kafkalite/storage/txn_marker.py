"""Transaction markers: the control batches that end a transaction.

A marker is what Kafka's ``MemoryRecords.withEndTransactionMarker`` builds: a RecordBatch v2
with the control (bit 5) and transactional (bit 4) attribute bits, CreateTime, no
compression, the transaction's producer id and epoch, base sequence -1, and one record whose
timestamp is the batch's and whose offset delta is 0, with (all big-endian)
- key: version int16 (0) + type int16 (0 ABORT, 1 COMMIT): Kafka's ``ControlRecordType``;
- value: version int16 (0) + coordinator epoch int32: Kafka's ``EndTransactionMarker``.

Reading a control batch back (``read_marker``) decodes its one record; an empty control
batch (the cleaner left only its header) or a key of another kind gives ``None``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from enum import IntEnum

from kafkalite.protocol.record_codec import Record, encode_batch, read_records
from kafkalite.protocol.records import BatchHeader, Buffer, CorruptRecordError

__all__ = [
    "CONTROL_FLAG",
    "TRANSACTIONAL_FLAG",
    "ControlType",
    "EndTxnMarker",
    "build_marker_batch",
    "read_marker",
]

TRANSACTIONAL_FLAG = 0x10  # attributes bit 4
CONTROL_FLAG = 0x20  # attributes bit 5
_KEY = struct.Struct(">hh")  # version, type
_VALUE = struct.Struct(">hi")  # version, coordinator epoch
_KEY_VERSION = 0
_VALUE_VERSION = 0


class ControlType(IntEnum):
    """Kafka's ``ControlRecordType`` values for transaction markers."""

    ABORT = 0
    COMMIT = 1


def build_marker_batch(
    producer_id: int, producer_epoch: int, *, commit: bool, coordinator_epoch: int,
    timestamp_ms: int,
) -> bytearray:
    """The marker batch at base offset 0 (the log stamps the real one)."""
    control_type = ControlType.COMMIT if commit else ControlType.ABORT
    record = Record(
        0, timestamp_ms, _KEY.pack(_KEY_VERSION, control_type),
        _VALUE.pack(_VALUE_VERSION, coordinator_epoch),
    )
    return bytearray(encode_batch(
        [record], attributes=CONTROL_FLAG | TRANSACTIONAL_FLAG, producer_id=producer_id,
        producer_epoch=producer_epoch, base_sequence=-1,
    ))


@dataclass(frozen=True, slots=True)
class EndTxnMarker:
    """What a marker says: Kafka's ``EndTransactionMarker``."""

    control_type: ControlType
    coordinator_epoch: int  # -1 when the value is missing or too short

    @property
    def commit(self) -> bool:
        return self.control_type is ControlType.COMMIT


def read_marker(batch: Buffer, header: BatchHeader) -> EndTxnMarker | None:
    """The marker in the control batch ``batch`` (``header`` is its header), or ``None``
    when it holds no record or a key that is not a transaction marker's."""
    try:
        records = read_records(batch, header)
    except CorruptRecordError:
        return None
    if not records or records[0].key is None or len(records[0].key) < _KEY.size:
        return None
    version, control_type = _KEY.unpack_from(records[0].key)
    if version < 0 or control_type not in (ControlType.ABORT, ControlType.COMMIT):
        return None
    value = records[0].value
    coordinator_epoch = -1
    if value is not None and len(value) >= _VALUE.size:
        coordinator_epoch = _VALUE.unpack_from(value)[1]
    return EndTxnMarker(ControlType(control_type), coordinator_epoch)
