"""RecordBatch v2 header view: parse, validate, and patch batches without parsing records.

Layout of the 61-byte header (Kafka ``DefaultRecordBatch``, docs/implementation.html §5.3.1),
all big-endian::

    @0  baseOffset int64        @27 baseTimestamp int64
    @8  batchLength int32       @35 maxTimestamp int64
    @12 partitionLeaderEpoch    @43 producerId int64
    @16 magic int8 (= 2)        @51 producerEpoch int16
    @17 crc uint32              @53 baseSequence int32
    @21 attributes int16        @57 recordsCount int32
    @23 lastOffsetDelta int32   @61 records ...

``batchLength`` counts the bytes after itself, so a batch occupies ``batchLength + 12`` bytes.
The CRC is CRC-32C (Castagnoli) over bytes ``[21, size)``: ``baseOffset`` and
``partitionLeaderEpoch`` lie outside it, so a broker assigns offsets in place without
recomputing it; LogAppendTime changes ``attributes``/``maxTimestamp`` and so needs a new CRC.

Contract: the broker handles whole batches. ``validate_batches`` walks the batch headers of a
produce payload; the records inside are ``kafkalite.protocol.record_codec``'s business.

Sans-I/O: no ``os``, ``socket`` or ``asyncio``; beyond the standard typing helpers it
imports only ``struct``, ``dataclasses`` and ``crc32c`` (through ``kafkalite.protocol.crc``).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import ClassVar

from kafkalite.protocol.crc import crc32c

__all__ = [
    "ATTRIBUTES_OFFSET",
    "BASE_OFFSET_OFFSET",
    "BASE_SEQUENCE_OFFSET",
    "BASE_TIMESTAMP_OFFSET",
    "BATCH_HEADER_SIZE",
    "BATCH_LENGTH_OFFSET",
    "CRC_OFFSET",
    "LAST_OFFSET_DELTA_OFFSET",
    "LOG_OVERHEAD",
    "MAGIC_OFFSET",
    "MAX_TIMESTAMP_OFFSET",
    "PARTITION_LEADER_EPOCH_OFFSET",
    "PRODUCER_EPOCH_OFFSET",
    "PRODUCER_ID_OFFSET",
    "RECORDS_COUNT_OFFSET",
    "RECORDS_OFFSET",
    "BatchHeader",
    "CorruptRecordError",
    "InvalidRecordError",
    "batch_crc",
    "pack_header",
    "patch_base_offset",
    "read_header",
    "set_log_append_time",
    "validate_batches",
]

BASE_OFFSET_OFFSET = 0
BATCH_LENGTH_OFFSET = 8
PARTITION_LEADER_EPOCH_OFFSET = 12
MAGIC_OFFSET = 16
CRC_OFFSET = 17
ATTRIBUTES_OFFSET = 21
LAST_OFFSET_DELTA_OFFSET = 23
BASE_TIMESTAMP_OFFSET = 27
MAX_TIMESTAMP_OFFSET = 35
PRODUCER_ID_OFFSET = 43
PRODUCER_EPOCH_OFFSET = 51
BASE_SEQUENCE_OFFSET = 53
RECORDS_COUNT_OFFSET = 57
RECORDS_OFFSET = 61
BATCH_HEADER_SIZE = 61
LOG_OVERHEAD = 12  # baseOffset + batchLength: the prefix shared by every message format

_MIN_BATCH_LENGTH = BATCH_HEADER_SIZE - LOG_OVERHEAD
_MAX_BATCH_LENGTH = 0x7FFFFFFF - LOG_OVERHEAD

_COMPRESSION_MASK = 0x07
_TIMESTAMP_TYPE_FLAG = 0x08
_TRANSACTIONAL_FLAG = 0x10
_CONTROL_FLAG = 0x20

_HEADER = struct.Struct(">qiibIhiqqqhii")
_PREFIX = struct.Struct(">qib")  # baseOffset, batchLength, magic (after the leader epoch)
_OFFSET_AND_EPOCH = struct.Struct(">q")
_EPOCH = struct.Struct(">i")
_CRC = struct.Struct(">I")
_ATTRIBUTES = struct.Struct(">h")
_TIMESTAMP = struct.Struct(">q")

Buffer = bytes | bytearray | memoryview


class CorruptRecordError(Exception):
    """Bytes that are not a well-formed v2 batch: Kafka's CORRUPT_MESSAGE (2)."""

    error_code: ClassVar[int] = 2


class InvalidRecordError(Exception):
    """A well-formed batch the broker refuses from a client: Kafka's INVALID_RECORD (87)."""

    error_code: ClassVar[int] = 87


@dataclass(frozen=True, slots=True)
class BatchHeader:
    """The fixed header of one RecordBatch v2, as stored (after any broker patching)."""

    base_offset: int
    batch_length: int
    partition_leader_epoch: int
    magic: int
    crc: int
    attributes: int
    last_offset_delta: int
    base_timestamp: int
    max_timestamp: int
    producer_id: int
    producer_epoch: int
    base_sequence: int
    records_count: int

    @property
    def size(self) -> int:
        """Bytes the batch occupies, including the 12-byte log overhead."""
        return self.batch_length + LOG_OVERHEAD

    @property
    def last_offset(self) -> int:
        return self.base_offset + self.last_offset_delta

    @property
    def next_offset(self) -> int:
        return self.base_offset + self.last_offset_delta + 1

    @property
    def compression(self) -> int:
        """0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd."""
        return self.attributes & _COMPRESSION_MASK

    @property
    def timestamp_type(self) -> int:
        """0 CreateTime, 1 LogAppendTime."""
        return 1 if self.attributes & _TIMESTAMP_TYPE_FLAG else 0

    @property
    def is_transactional(self) -> bool:
        return bool(self.attributes & _TRANSACTIONAL_FLAG)

    @property
    def is_control(self) -> bool:
        return bool(self.attributes & _CONTROL_FLAG)

    @property
    def last_sequence(self) -> int:
        """Sequence of the last record; wraps past int32 max as Kafka's
        ``DefaultRecordBatch.incrementSequence`` does. -1 when the batch has no sequence."""
        if self.base_sequence < 0:
            return -1
        return (self.base_sequence + self.last_offset_delta) & 0x7FFFFFFF


def read_header(buf: Buffer, pos: int = 0) -> BatchHeader:
    """Parse the 61-byte header at ``pos`` (no CRC or magic check)."""
    if len(buf) - pos < BATCH_HEADER_SIZE:
        raise CorruptRecordError(
            f"batch header at {pos} truncated: {len(buf) - pos} of {BATCH_HEADER_SIZE} bytes"
        )
    return BatchHeader(*_HEADER.unpack_from(buf, pos))


def pack_header(header: BatchHeader) -> bytes:
    """The 61 bytes of ``header``, as ``read_header`` reads them back."""
    return _HEADER.pack(
        header.base_offset,
        header.batch_length,
        header.partition_leader_epoch,
        header.magic,
        header.crc,
        header.attributes,
        header.last_offset_delta,
        header.base_timestamp,
        header.max_timestamp,
        header.producer_id,
        header.producer_epoch,
        header.base_sequence,
        header.records_count,
    )


def batch_crc(buf: Buffer, pos: int, size: int) -> int:
    """CRC-32C of the batch at ``pos``: bytes ``[pos+21, pos+size)``."""
    return crc32c(memoryview(buf)[pos + ATTRIBUTES_OFFSET : pos + size])


def validate_batches(buf: Buffer, *, from_client: bool = True) -> list[BatchHeader]:
    """Check every batch in ``buf`` and return their headers; raise on the first problem.

    Always (CorruptRecordError): length bounds, ``buf`` ending exactly on a batch boundary,
    magic 2, CRC-32C. With ``from_client`` (InvalidRecordError), Kafka's
    ``LogValidator.validateBatch`` rules for appends from producers: a positive records count
    equal to ``lastOffsetDelta + 1``, no control batches, and a non-negative base sequence
    when a producer id is set. Records themselves are not parsed.
    """
    headers: list[BatchHeader] = []
    end = len(buf)
    pos = 0
    while pos < end:
        if end - pos < LOG_OVERHEAD:
            raise CorruptRecordError(f"{end - pos} trailing bytes at {pos}: not a batch")
        _, batch_length, magic = _PREFIX.unpack_from(buf, pos)
        if batch_length < _MIN_BATCH_LENGTH or batch_length > _MAX_BATCH_LENGTH:
            raise CorruptRecordError(f"batch at {pos} has invalid length {batch_length}")
        size = batch_length + LOG_OVERHEAD
        if size > end - pos:
            raise CorruptRecordError(f"batch at {pos} truncated: {end - pos} of {size} bytes")
        header = read_header(buf, pos)
        if header.magic != 2:
            if from_client and header.magic in (0, 1):
                # Produce v3+ must carry magic 2 (ProduceRequest.validateRecords):
                # an old message format is an invalid record, not a corrupt one.
                raise InvalidRecordError(f"batch at {pos} has magic {header.magic}; produce v3+ needs magic 2")
            raise CorruptRecordError(f"batch at {pos} has magic {header.magic}, expected 2")
        computed = batch_crc(buf, pos, size)
        if computed != header.crc:
            raise CorruptRecordError(
                f"batch at {pos} fails its CRC: stored {header.crc:#010x}, "
                f"computed {computed:#010x}"
            )
        if from_client:
            _check_client_batch(header, pos)
        headers.append(header)
        pos += size
    return headers


def _check_client_batch(header: BatchHeader, pos: int) -> None:
    if header.records_count <= 0 or header.last_offset_delta < 0:
        raise InvalidRecordError(
            f"batch at {pos} has count {header.records_count} and last offset delta "
            f"{header.last_offset_delta}"
        )
    if header.records_count != header.last_offset_delta + 1:
        raise InvalidRecordError(
            f"batch at {pos} holds {header.records_count} records but spans "
            f"{header.last_offset_delta + 1} offsets"
        )
    if header.is_control:
        raise InvalidRecordError("clients may not write control batches")
    if header.producer_id >= 0 and header.base_sequence < 0:
        raise InvalidRecordError(
            f"batch at {pos} has producer id {header.producer_id} "
            f"but sequence {header.base_sequence}"
        )


def patch_base_offset(
    buf: bytearray | memoryview, pos: int, base_offset: int, partition_leader_epoch: int
) -> None:
    """Stamp the broker-assigned base offset and leader epoch; both lie outside the CRC."""
    _OFFSET_AND_EPOCH.pack_into(buf, pos + BASE_OFFSET_OFFSET, base_offset)
    _EPOCH.pack_into(buf, pos + PARTITION_LEADER_EPOCH_OFFSET, partition_leader_epoch)


def set_log_append_time(buf: bytearray | memoryview, pos: int, timestamp_ms: int) -> None:
    """Mark the batch LogAppendTime with ``timestamp_ms`` and recompute its CRC.

    As Kafka's ``DefaultRecordBatch.setMaxTimestamp``: the timestamp-type bit and
    ``maxTimestamp`` change, ``baseTimestamp`` and the records stay untouched (readers report
    ``maxTimestamp`` for every record of a LogAppendTime batch).
    """
    (attributes,) = _ATTRIBUTES.unpack_from(buf, pos + ATTRIBUTES_OFFSET)
    (max_timestamp,) = _TIMESTAMP.unpack_from(buf, pos + MAX_TIMESTAMP_OFFSET)
    if attributes & _TIMESTAMP_TYPE_FLAG and max_timestamp == timestamp_ms:
        return
    _ATTRIBUTES.pack_into(buf, pos + ATTRIBUTES_OFFSET, attributes | _TIMESTAMP_TYPE_FLAG)
    _TIMESTAMP.pack_into(buf, pos + MAX_TIMESTAMP_OFFSET, timestamp_ms)
    (batch_length,) = struct.unpack_from(">i", buf, pos + BATCH_LENGTH_OFFSET)
    _CRC.pack_into(buf, pos + CRC_OFFSET, batch_crc(buf, pos, batch_length + LOG_OVERHEAD))
