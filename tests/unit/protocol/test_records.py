"""RecordBatch v2 header view: parsing, validation, in-place patching.

Batches come from kafka-python's own builder (an independent implementation of the format)
and from a hand-packed struct for exact field values.
"""

from __future__ import annotations

import struct

import crc32c
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kafka.record.default_records import DefaultRecordBatch, DefaultRecordBatchBuilder

from kafkalite.protocol.record_codec import decode_records
from kafkalite.protocol.records import (
    BATCH_HEADER_SIZE,
    CRC_OFFSET,
    MAX_TIMESTAMP_OFFSET,
    CorruptRecordError,
    InvalidRecordError,
    patch_base_offset,
    read_header,
    set_log_append_time,
    validate_batches,
)


def client_batch(
    count: int = 3, *, compression: int = 0, timestamps: list[int] | None = None,
    producer_id: int = -1, producer_epoch: int = -1, base_sequence: int = -1,
) -> bytearray:
    builder = DefaultRecordBatchBuilder(
        magic=2, compression_type=compression, is_transactional=False,
        producer_id=producer_id, producer_epoch=producer_epoch, base_sequence=base_sequence,
        batch_size=1 << 20,
    )
    stamps = timestamps or [1_000 + 7 * i for i in range(count)]
    for i in range(count):
        builder.append(i, stamps[i], b"key%d" % i, b"value" * (i + 1), [])
    return bytearray(builder.build())


def packed_batch(
    *, attributes: int = 0, last_offset_delta: int = 0, records_count: int = 1,
    producer_id: int = 42, producer_epoch: int = 3, base_sequence: int = 7,
    magic: int = 2, body: bytes = b"\x00" * 9,
) -> bytearray:
    after_crc = struct.pack(
        ">hiqqqhii", attributes, last_offset_delta, 1_000, 2_000, producer_id,
        producer_epoch, base_sequence, records_count,
    ) + body
    crc = crc32c.crc32c(after_crc)
    return bytearray(struct.pack(">qiibI", 99, 9 + len(after_crc), 5, magic, crc) + after_crc)


def test_header_fields_and_properties() -> None:
    buf = packed_batch(attributes=0x1B, last_offset_delta=4, records_count=5)
    header = read_header(buf)
    assert (header.base_offset, header.partition_leader_epoch, header.magic) == (99, 5, 2)
    assert header.batch_length == len(buf) - 12 and header.size == len(buf)
    assert (header.base_timestamp, header.max_timestamp) == (1_000, 2_000)
    assert (header.producer_id, header.producer_epoch, header.base_sequence) == (42, 3, 7)
    assert header.crc == crc32c.crc32c(bytes(buf[21:]))
    assert header.last_offset == 103 and header.next_offset == 104
    assert header.compression == 3 and header.timestamp_type == 1
    assert header.is_transactional and not header.is_control
    assert header.last_sequence == 11
    assert BATCH_HEADER_SIZE == 61


def test_last_sequence_wraps_like_kafka() -> None:
    wrapped = packed_batch(base_sequence=2**31 - 2, last_offset_delta=3, records_count=4)
    header = read_header(wrapped)
    assert header.last_sequence == 1  # DefaultRecordBatch.incrementSequence
    assert read_header(packed_batch(base_sequence=-1)).last_sequence == -1


def test_validate_matches_kafka_python_builder() -> None:
    for compression in (0, 1):
        buf = client_batch(4, compression=compression) + client_batch(2)
        headers = validate_batches(buf)
        assert [h.records_count for h in headers] == [4, 2]
        assert headers[0].compression == compression
        theirs = DefaultRecordBatch(bytes(buf[: headers[0].size]))
        assert (headers[0].crc, headers[0].max_timestamp) == (theirs.crc, theirs.max_timestamp)
        assert headers[0].last_offset_delta == theirs.last_offset_delta == 3
    assert validate_batches(b"") == []
    assert validate_batches(memoryview(client_batch(1)))[0].records_count == 1


def test_every_flipped_byte_under_the_crc_is_caught() -> None:
    buf = client_batch(2)
    for pos in range(21, len(buf)):
        broken = bytearray(buf)
        broken[pos] ^= 0x40
        with pytest.raises(CorruptRecordError):
            validate_batches(broken)
    broken = bytearray(buf)
    broken[CRC_OFFSET] ^= 1
    with pytest.raises(CorruptRecordError, match="CRC"):
        validate_batches(broken)


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda b: b[:-1], "truncated"),
        (lambda b: b + b"\x00" * 5, "trailing"),
        (lambda b: b[:8] + struct.pack(">i", 10) + b[12:], "invalid length"),
        (lambda b: b[:8] + struct.pack(">i", 2**31 - 1) + b[12:], "invalid length"),
        (lambda b: b[:16] + b"\x03" + b[17:], "magic 3"),
        (lambda b: b[:70], "truncated"),
    ],
)
def test_structural_problems_are_corrupt(mutate: object, message: str) -> None:
    buf = client_batch(2)
    with pytest.raises(CorruptRecordError, match=message):
        validate_batches(mutate(buf))  # type: ignore[operator]


def test_client_rules_are_invalid_record() -> None:
    with pytest.raises(InvalidRecordError, match="spans"):
        validate_batches(packed_batch(last_offset_delta=1, records_count=3))
    with pytest.raises(InvalidRecordError, match="count 0"):
        validate_batches(packed_batch(last_offset_delta=-1, records_count=0))
    with pytest.raises(InvalidRecordError, match="control"):
        validate_batches(packed_batch(attributes=0x20))
    with pytest.raises(InvalidRecordError, match="sequence -1"):
        validate_batches(packed_batch(producer_id=5, base_sequence=-1))
    # Produce v3+ needs magic 2: an old message format is invalid, not corrupt (as Kafka).
    with pytest.raises(InvalidRecordError, match="magic 1"):
        validate_batches(client_batch(2)[:16] + b"\x01" + client_batch(2)[17:])
    with pytest.raises(CorruptRecordError, match="magic 1"):
        validate_batches(client_batch(2)[:16] + b"\x01" + client_batch(2)[17:], from_client=False)
    # The same bytes read back from our own log are fine (compaction can leave such batches).
    assert validate_batches(packed_batch(attributes=0x20), from_client=False)[0].is_control


def test_patch_base_offset_keeps_the_crc() -> None:
    buf = client_batch(3) + client_batch(2)
    first = read_header(buf)
    patch_base_offset(buf, 0, 1_234_567, 9)
    patch_base_offset(memoryview(buf), first.size, 1_234_570, 9)
    headers = validate_batches(buf)
    assert [(h.base_offset, h.partition_leader_epoch) for h in headers] == [
        (1_234_567, 9), (1_234_570, 9),
    ]
    assert [r.offset for r in DefaultRecordBatch(bytes(buf[: first.size]))] == [
        1_234_567, 1_234_568, 1_234_569,
    ]


def test_set_log_append_time() -> None:
    buf = client_batch(3)
    before = read_header(buf)
    set_log_append_time(buf, 0, 1_700_000_000_123)
    after = validate_batches(buf)[0]
    assert after.timestamp_type == 1 and after.attributes == before.attributes | 0x08
    assert after.max_timestamp == 1_700_000_000_123
    assert after.base_timestamp == before.base_timestamp  # Kafka leaves baseTimestamp alone
    theirs = DefaultRecordBatch(bytes(buf))
    assert theirs.validate_crc()
    assert [r.timestamp for r in theirs] == [1_700_000_000_123] * 3
    crc = after.crc
    set_log_append_time(buf, 0, 1_700_000_000_123)  # unchanged: nothing to rewrite
    assert read_header(buf).crc == crc
    assert struct.unpack_from(">q", buf, MAX_TIMESTAMP_OFFSET)[0] == 1_700_000_000_123


def test_record_timestamps_match_kafka_python() -> None:
    stamps = [5_000, 4_000, 9_000, 9_000, 7_500]
    buf = client_batch(5, timestamps=stamps)
    header = read_header(buf)
    ours = decode_records(
        memoryview(buf)[61:], base_offset=10, base_timestamp=header.base_timestamp, count=5
    )
    assert [(r.offset, r.timestamp) for r in ours] == [(10 + i, t) for i, t in enumerate(stamps)]
    with pytest.raises(CorruptRecordError):
        decode_records(buf[61:70], base_offset=0, base_timestamp=0, count=5)


@settings(max_examples=40, deadline=None)
@given(
    counts=st.lists(st.integers(min_value=1, max_value=20), min_size=1, max_size=4),
    timestamp=st.integers(min_value=0, max_value=2**40),
    producer_id=st.integers(min_value=-1, max_value=2**40),
)
def test_validate_round_trips_any_client_batches(
    counts: list[int], timestamp: int, producer_id: int
) -> None:
    buf = bytearray()
    for count in counts:
        buf += client_batch(
            count, timestamps=[timestamp + i for i in range(count)], producer_id=producer_id,
            producer_epoch=0 if producer_id >= 0 else -1,
            base_sequence=0 if producer_id >= 0 else -1,
        )
    headers = validate_batches(buf)
    assert [h.records_count for h in headers] == counts
    assert sum(h.size for h in headers) == len(buf)
    assert all(h.max_timestamp == timestamp + h.records_count - 1 for h in headers)
