"""RecordBatch v2 encoding and decoding, cross-checked with kafka-python's record code."""

from __future__ import annotations

import gzip
import struct

import crc32c
import pytest
from kafka.codec import snappy_encode
from kafka.record.default_records import DefaultRecordBatch, DefaultRecordBatchBuilder

from kafkalite.client.errors import ClientError
from kafkalite.client.records import (
    ConsumerRecord,
    CorruptBatchError,
    ProducerRecord,
    decode_records,
    encode_batch,
)
from kafkalite.protocol.compression import CODECS, compress, decompress
from kafkalite.protocol.records import patch_base_offset, set_log_append_time, validate_batches
from tests.unit.batches import record_batch

TS = 1_700_000_000_000
RECORDS = [
    ProducerRecord(b"k0", b"v0", (("h", b"1"),), TS),
    ProducerRecord(None, b"no key", (), TS + 5),
    ProducerRecord(b"no value", None, (("a", None), ("b", b"")), TS - 3),
    ProducerRecord(b"", b"", (), TS + 1),
    ProducerRecord(b"k4", b"\x00\xff" * 300, (("\u00e9", b"utf-8 key"),), TS + 2),
]


def expected(base_offset: int, partition: int = 0, topic: str = "t") -> list[ConsumerRecord]:
    return [
        ConsumerRecord(
            topic, partition, base_offset + i, r.timestamp or 0, 0, r.key, r.value, r.headers
        )
        for i, r in enumerate(RECORDS)
    ]


@pytest.mark.parametrize("codec", list(CODECS))
def test_round_trip_every_codec(codec: str) -> None:
    batch = encode_batch(RECORDS, compression=CODECS[codec])
    (header,) = validate_batches(batch)  # the broker's own checks: CRC, counts, magic
    assert header.compression == CODECS[codec]
    assert header.records_count == len(RECORDS)
    assert header.base_timestamp == TS
    assert header.max_timestamp == TS + 5
    fetched = decode_records(batch, topic="t", partition=0)
    assert fetched.records == expected(0)
    assert fetched.next_offset == len(RECORDS)


def test_uncompressed_bytes_equal_the_test_helper() -> None:
    records = [(b"k", b"v", [("h", b"x")]), (None, b"w", []), (b"n", None, [])]
    ours = encode_batch(
        [ProducerRecord(k, v, tuple(h), TS + i) for i, (k, v, h) in enumerate(records)],
        base_offset=7,
    )
    assert ours == record_batch(records, base_offset=7, timestamp=TS)  # type: ignore[arg-type]


@pytest.mark.parametrize("codec", ["none", "gzip", "snappy", "lz4", "zstd"])
def test_kafka_python_reads_our_batches(codec: str) -> None:
    batch = DefaultRecordBatch(encode_batch(RECORDS, compression=CODECS[codec]))
    assert batch.validate_crc()
    got = [(r.offset, r.timestamp, r.key, r.value, list(r.headers)) for r in batch]
    assert got == [(i, r.timestamp, r.key, r.value, list(r.headers)) for i, r in enumerate(RECORDS)]


@pytest.mark.parametrize("codec", [0, 1, 2, 3, 4])
def test_we_read_kafka_python_batches(codec: int) -> None:
    builder = DefaultRecordBatchBuilder(
        magic=2, compression_type=codec, is_transactional=0, producer_id=-1,
        producer_epoch=-1, base_sequence=-1, batch_size=1 << 20,
    )  # fmt: skip
    for i, r in enumerate(RECORDS):
        builder.append(i, timestamp=r.timestamp, key=r.key, value=r.value, headers=list(r.headers))
    data = bytearray(builder.build())
    patch_base_offset(data, 0, 40, 0)
    assert decode_records(bytes(data), topic="t").records == expected(40)


def test_min_offset_drops_earlier_records_of_the_batch() -> None:
    data = bytearray(encode_batch(RECORDS))
    patch_base_offset(data, 0, 100, 0)
    fetched = decode_records(bytes(data), topic="t", min_offset=103)
    assert [r.offset for r in fetched.records] == [103, 104]
    assert fetched.next_offset == 105


def test_several_batches_and_a_truncated_tail() -> None:
    first = bytearray(encode_batch(RECORDS[:2]))
    second = bytearray(encode_batch(RECORDS[2:]))
    patch_base_offset(first, 0, 0, 0)
    patch_base_offset(second, 0, 2, 0)
    data = bytes(first + second)
    for cut in (1, 12, 40, len(second) - 1):
        fetched = decode_records(data[: len(data) - cut], topic="t")
        assert [r.offset for r in fetched.records] == [0, 1]
        assert fetched.next_offset == 2
    assert [r.offset for r in decode_records(data, topic="t").records] == [0, 1, 2, 3, 4]
    assert decode_records(b"", topic="t").next_offset is None
    assert decode_records(None).records == []


def test_log_append_time_reports_the_batch_max_timestamp() -> None:
    data = bytearray(encode_batch(RECORDS))
    set_log_append_time(data, 0, TS + 999)
    records = decode_records(bytes(data)).records
    assert {(r.timestamp, r.timestamp_type) for r in records} == {(TS + 999, 1)}


def test_control_batches_are_skipped_but_advance_the_position() -> None:
    marker = record_batch(
        [(b"\x00\x00\x00\x00", b"\x00\x00\x00\x00\x00\x00")], base_offset=5, attributes=0x30
    )
    data = marker + record_batch([(b"k", b"v")], base_offset=6)
    fetched = decode_records(data, min_offset=5)
    assert [(r.offset, r.key) for r in fetched.records] == [(6, b"k")]
    only_marker = decode_records(marker, min_offset=5)
    assert only_marker.records == [] and only_marker.next_offset == 6


def test_bad_crc_and_old_magic_are_refused() -> None:
    data = bytearray(encode_batch(RECORDS))
    data[-1] ^= 0xFF
    with pytest.raises(CorruptBatchError, match="CRC"):
        decode_records(bytes(data))
    unchecked = decode_records(bytes(data), check_crc=False).records
    assert [r.offset for r in unchecked] == [0, 1, 2, 3, 4]
    assert unchecked[-1].headers == (("\u00e9", b"utf-8 ke" + bytes([ord("y") ^ 0xFF])),)
    old = bytearray(encode_batch(RECORDS))
    old[16] = 1
    with pytest.raises(CorruptBatchError, match="message format v1"):
        decode_records(bytes(old))


def test_record_lengths_that_do_not_add_up_are_corrupt() -> None:
    data = bytearray(encode_batch([ProducerRecord(b"k", b"value", (), TS)]))
    data[61] += 2  # the record claims two more bytes than it holds
    struct.pack_into(">I", data, 17, crc32c.crc32c(bytes(data[21:])))
    with pytest.raises(CorruptBatchError):
        decode_records(bytes(data))


def test_empty_batches_are_refused() -> None:
    with pytest.raises(ValueError):
        encode_batch([])


def test_xerial_and_raw_snappy_both_decode() -> None:
    payload = b"snappy payload " * 5000  # several 32 KiB xerial blocks
    assert decompress(CODECS["snappy"], snappy_encode(payload, xerial_compatible=True)) == payload
    assert decompress(CODECS["snappy"], snappy_encode(payload, xerial_compatible=False)) == payload
    ours = compress(CODECS["snappy"], payload)
    assert ours.startswith(b"\x82SNAPPY\x00")
    assert decompress(CODECS["snappy"], ours) == payload


def test_gzip_is_standard_gzip() -> None:
    assert gzip.decompress(compress(CODECS["gzip"], b"abc" * 100)) == b"abc" * 100


@pytest.mark.parametrize("codec", ["snappy", "lz4", "zstd"])
def test_the_dedicated_codec_modules_read_and_write_our_data(codec: str) -> None:
    import lz4.frame
    import snappy
    import zstandard

    theirs_compress, theirs_decompress = {
        "snappy": (snappy.compress, snappy.decompress),
        "lz4": (lz4.frame.compress, lz4.frame.decompress),
        "zstd": (
            zstandard.ZstdCompressor().compress,
            lambda data: zstandard.ZstdDecompressor().decompressobj().decompress(data),
        ),
    }[codec]
    ours = compress(CODECS[codec], b"y" * 5000)
    if codec == "snappy":  # one xerial block holds the raw snappy data
        assert theirs_decompress(ours[20:]) == b"y" * 5000
    else:
        assert theirs_decompress(ours) == b"y" * 5000
    assert decompress(CODECS[codec], theirs_compress(b"z" * 100)) == b"z" * 100


def test_garbage_in_a_compressed_batch_is_a_client_error() -> None:
    batch = bytearray(encode_batch([ProducerRecord(b"k", b"v" * 100, (), TS)]))
    garbage = batch[:61] + b"not gzip"
    struct.pack_into(">i", garbage, 8, len(garbage) - 12)
    garbage[21:23] = struct.pack(">h", 1)  # gzip
    struct.pack_into(">I", garbage, 17, crc32c.crc32c(bytes(garbage[21:])))
    with pytest.raises(ClientError, match="gzip data fails to decompress"):
        decode_records(bytes(garbage))
    garbage[21:23] = struct.pack(">h", 7)  # no such codec
    struct.pack_into(">I", garbage, 17, crc32c.crc32c(bytes(garbage[21:])))
    with pytest.raises(CorruptBatchError, match="unknown compression codec 7"):
        decode_records(bytes(garbage))
