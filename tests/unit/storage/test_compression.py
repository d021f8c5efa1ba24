"""Codecs and record sets: batches as real clients build them, every codec both ways."""

from __future__ import annotations

import gzip
import struct

import cramjam
import crc32c
import lz4.frame
import pytest
import zstandard
from kafka import codec as kafka_codec
from kafka.record.default_records import DefaultRecordBatch, DefaultRecordBatchBuilder

from kafkalite.protocol import compression
from kafkalite.protocol.record_codec import read_records
from kafkalite.protocol.records import (
    CorruptRecordError,
    read_header,
    validate_batches,
)
from kafkalite.storage.record_set import (
    build_batch,
    delete_horizon_ms,
)

T0 = 1_700_000_000_000
CODECS = [compression.NONE, compression.GZIP, compression.SNAPPY, compression.LZ4, compression.ZSTD]
PAYLOAD = b"".join(b"record %05d of a compressible payload; " % i for i in range(2000))


def client_batch(codec: int, records: list[tuple[bytes | None, bytes | None]]) -> bytes:
    """A batch as kafka-python's producer builds it (xerial snappy, lz4 frames)."""
    builder = DefaultRecordBatchBuilder(
        magic=2,
        compression_type=codec,
        is_transactional=False,
        producer_id=7,
        producer_epoch=1,
        base_sequence=0,
        batch_size=1 << 20,
    )
    for i, (key, value) in enumerate(records):
        builder.append(i, timestamp=T0 + 10 * i, key=key, value=value, headers=[("h", b"%d" % i)])
    return bytes(builder.build())


def compressible(count: int = 40) -> list[tuple[bytes | None, bytes | None]]:
    return [(b"key-%d" % (i % 5), b"value %d " % i * 30) for i in range(count)]


def rewrap(batch: bytes, codec: int, payload: bytes) -> bytes:
    """``batch`` with its records replaced by ``payload`` under ``codec``, CRC recomputed."""
    header = read_header(batch)
    attributes = (header.attributes & ~0x07) | codec
    after_crc = struct.pack(">h", attributes) + batch[23:61] + payload
    prefix = struct.pack(">qiib", header.base_offset, len(after_crc) + 9, -1, 2)
    return prefix + struct.pack(">I", crc32c.crc32c(after_crc)) + after_crc


@pytest.mark.parametrize("codec", CODECS)
def test_client_batches_of_every_codec_decode(codec: int) -> None:
    records = compressible()
    batch = client_batch(codec, records)
    header = read_header(batch)
    assert header.compression == codec  # kafka-python kept the codec: the data compresses
    read = read_records(batch)
    assert [(r.key, r.has_value) for r in read] == [(k, True) for k, _ in records]
    assert [r.offset for r in read] == list(range(40))
    assert [r.timestamp for r in read] == [T0 + 10 * i for i in range(40)]
    assert (read[3].value, read[3].headers) == (b"value 3 " * 30, ((b"h", b"3"),))


def test_snappy_xerial_from_clients_and_raw_from_librdkafka() -> None:
    xerial = client_batch(compression.SNAPPY, compressible())
    assert compression.is_xerial_snappy(xerial[61:])
    uncompressed = bytes(
        compression.decompress(compression.NONE, client_batch(0, compressible())[61:])
    )
    assert compression.decompress(compression.SNAPPY, xerial[61:]) == uncompressed
    # librdkafka writes one raw snappy block
    raw = rewrap(xerial, compression.SNAPPY, bytes(cramjam.snappy.compress_raw(uncompressed)))
    validate_batches(raw, from_client=True)
    assert not compression.is_xerial_snappy(raw[61:])
    assert [r.key for r in read_records(raw)] == [r.key for r in read_records(xerial)]
    assert compression.decompress(compression.SNAPPY, raw[61:]) == uncompressed


def test_other_encoders_of_each_codec() -> None:
    streamed = zstandard.ZstdCompressor().compressobj()  # no content size, as zstd-jni
    zstd_stream = streamed.compress(PAYLOAD) + streamed.flush()
    assert zstandard.get_frame_parameters(zstd_stream).content_size == zstandard.CONTENTSIZE_UNKNOWN
    linked = lz4.frame.compress(PAYLOAD, block_linked=True, content_checksum=True)
    two_members = gzip.compress(PAYLOAD[:1000], mtime=0) + gzip.compress(PAYLOAD[1000:], mtime=0)
    cases = [
        (compression.ZSTD, zstd_stream, PAYLOAD),
        (compression.ZSTD, zstandard.ZstdCompressor(level=19).compress(PAYLOAD) * 2, PAYLOAD * 2),
        (compression.LZ4, linked, PAYLOAD),
        (
            compression.LZ4,
            lz4.frame.compress(PAYLOAD[:10]) + lz4.frame.compress(PAYLOAD[10:]),
            PAYLOAD,
        ),
        (compression.GZIP, two_members + b"\x00\x00 trailing padding", PAYLOAD),
        (compression.SNAPPY, kafka_codec.snappy_encode(PAYLOAD, xerial_blocksize=1000), PAYLOAD),
    ]
    for codec, data, expected in cases:
        assert compression.decompress(codec, data) == expected, codec


@pytest.mark.parametrize("codec", CODECS[1:])
def test_compress_is_what_clients_read(codec: int) -> None:
    data = compression.compress(codec, PAYLOAD)
    assert len(data) < len(PAYLOAD) // 4
    assert compression.decompress(codec, data) == PAYLOAD
    decode = {
        compression.GZIP: kafka_codec.gzip_decode,
        compression.SNAPPY: kafka_codec.snappy_decode,
        compression.LZ4: kafka_codec.lz4_decode,
        compression.ZSTD: kafka_codec.zstd_decode,
    }[codec]
    assert decode(data) == PAYLOAD


def test_written_framings_are_kafkas() -> None:
    snappy = compression.compress(compression.SNAPPY, PAYLOAD)
    assert snappy[:16] == b"\x82SNAPPY\x00" + struct.pack(">ii", 1, 1)  # snappy-java header
    first_block = struct.unpack_from(">i", snappy, 16)[0]
    assert cramjam.snappy.decompress_raw_len(snappy[20 : 20 + first_block]) == 32 * 1024
    info = lz4.frame.get_frame_info(compression.compress(compression.LZ4, PAYLOAD))
    assert info["block_linked"] is False  # Kafka decompresses lz4 blocks independently
    assert info["content_checksum"] is False
    assert gzip.decompress(compression.compress(compression.GZIP, PAYLOAD)) == PAYLOAD


@pytest.mark.parametrize("codec", CODECS[1:])
def test_decompression_is_bounded(codec: int) -> None:
    bomb = compression.compress(codec, bytes(1 << 20))
    assert len(bomb) < 70_000
    assert len(compression.decompress(codec, bomb)) == 1 << 20
    with pytest.raises(CorruptRecordError, match="more than the 65536 allowed"):
        compression.decompress(codec, bomb, max_size=65536)


@pytest.mark.parametrize("codec", CODECS[1:])
def test_garbage_is_a_corrupt_message(codec: int) -> None:
    good = compression.compress(codec, PAYLOAD)
    for data in (b"", b"not compressed at all", good[: len(good) // 2]):
        with pytest.raises(CorruptRecordError):
            compression.decompress(codec, data)
    with pytest.raises(CorruptRecordError, match="unknown compression codec 6"):
        compression.decompress(6, good)


# -- record sets ------------------------------------------------------------------------


@pytest.mark.parametrize("codec", CODECS)
def test_rebuilt_batch_keeps_offsets_and_is_read_by_kafka_python(codec: int) -> None:
    records = compressible(30)
    records[29] = (b"key-4", None)  # a tombstone
    batch = client_batch(codec, records)
    original = read_header(batch)
    read = read_records(batch)
    kept = [r for r in read if r.offset % 3 == 0 or r.offset == 29]
    horizon = T0 + 86_400_000
    rebuilt = build_batch(original, kept, delete_horizon_ms=horizon)
    (header,) = validate_batches(rebuilt, from_client=False)  # CRC-32C checked
    assert (header.base_offset, header.last_offset_delta) == (0, 29)
    assert (header.producer_id, header.producer_epoch, header.base_sequence) == (7, 1, 0)
    assert header.compression == codec and header.records_count == len(kept)
    assert delete_horizon_ms(header) == horizon and header.base_timestamp == horizon
    assert header.max_timestamp == T0 + 290
    client = DefaultRecordBatch(bytearray(rebuilt))
    assert client.validate_crc() and client.next_offset == 30
    seen = [(r.offset, r.timestamp, r.key, r.value, r.headers) for r in client]
    assert seen == [
        (i, T0 + 10 * i, records[i][0], records[i][1], [("h", b"%d" % i)])
        for i in (0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 29)
    ]
    again = build_batch(header, read_records(rebuilt)[:2])  # horizon kept only when asked
    assert delete_horizon_ms(read_header(again)) is None
    assert [r.timestamp for r in read_records(again)] == [T0, T0 + 30]


def test_empty_batch_header_keeps_the_last_offset() -> None:
    batch = client_batch(compression.LZ4, compressible(12))
    empty = build_batch(read_header(batch), [])
    (header,) = validate_batches(empty, from_client=False)
    assert header.size == 61 and header.records_count == 0 and header.compression == 0
    assert header.last_offset == 11 and header.last_sequence == 11
    assert header.base_timestamp == header.max_timestamp == T0 + 110
    client = DefaultRecordBatch(bytearray(empty))
    assert client.validate_crc() and list(client) == [] and client.next_offset == 12


def test_malformed_records_are_corrupt() -> None:
    batch = bytearray(client_batch(compression.NONE, compressible(3)))
    struct.pack_into(">i", batch, 57, 4)  # claims 4 records, holds 3
    with pytest.raises(CorruptRecordError, match="varint runs past"):
        read_records(batch)
    struct.pack_into(">i", batch, 57, 2)  # claims 2, holds 3
    with pytest.raises(CorruptRecordError, match="follow the last record"):
        read_records(batch)


@pytest.mark.parametrize("members", [1, 3])
def test_gzip_in_slices_gives_the_same_bytes_and_yields_between_slices(members: int) -> None:
    from kafkalite.protocol.compression import decompress_in_slices

    data = bytes(range(256)) * 40_000  # 10 MB
    packed = b"".join(compression.compress(compression.GZIP, data) for _ in range(members))
    slices = decompress_in_slices(compression.GZIP, packed, slice_bytes=1 << 20)
    yields = 0
    while True:
        try:
            next(slices)
            yields += 1
        except StopIteration as done:
            assert done.value == data * members
            break
    assert yields >= 9 * members
    with pytest.raises(CorruptRecordError):
        for _ in decompress_in_slices(compression.GZIP, packed, max_size=len(data) - 1, slice_bytes=1 << 20):
            pass
    with pytest.raises(CorruptRecordError):
        for _ in decompress_in_slices(compression.GZIP, packed[:-20], slice_bytes=1 << 20):
            pass
