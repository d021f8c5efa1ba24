"""The one-pass record check of produced batches (``record_validator.validate_records``).

Each refusal is a batch whose header and CRC are valid, so only the records can give it
away: a count or offset deltas that contradict the header, a record running past the
batch, codec ids 5-7, and batches over the per-batch record and decompressed-size limits.
"""

from __future__ import annotations

import zlib

import pytest

from kafkalite.protocol.compression import CODECS, GZIP, NONE, compress
from kafkalite.protocol.record_codec import Record, encode_batch, read_records
from kafkalite.protocol.record_validator import RecordLimits, validate_records
from kafkalite.protocol.records import (
    BATCH_HEADER_SIZE,
    CorruptRecordError,
    InvalidRecordError,
    validate_batches,
)
from tests.unit.batches import relabel

TS = 1_700_000_000_000


def records(count: int, *, keyless: set[int] = frozenset(), size: int = 10) -> list[Record]:
    return [
        Record(i, TS + 37 * i, None if i in keyless else b"key-%d" % i, bytes([i % 251]) * size,
               ((b"h", b"v"),) if i % 3 == 0 else ())
        for i in range(count)
    ]


def body(batch: bytes) -> bytes:
    """The (uncompressed) record bytes of ``batch``."""
    return batch[BATCH_HEADER_SIZE:]


@pytest.mark.parametrize("codec", sorted(CODECS.values()))
@pytest.mark.parametrize("count", [1, 63, 64, 65, 300, 9000])
def test_well_formed_batches_pass(codec: int, count: int) -> None:
    batch = encode_batch(records(count, size=3), compression=codec)
    validate_batches(batch)
    validate_records(batch)


def test_long_records_and_large_timestamp_deltas_pass() -> None:
    long = [Record(i, TS + (i << 40), b"k", bytes(20_000 * i)) for i in range(4)]
    validate_records(encode_batch(long))


@pytest.mark.parametrize("codec", [NONE, GZIP])
def test_keyless_records_are_found_in_the_same_pass(codec: int) -> None:
    batch = encode_batch(records(10, keyless={2, 7}), compression=codec)
    found: list[int] = []
    validate_records(batch, keyless=found)
    assert found == [2, 7]


@pytest.mark.parametrize("declared", [1, 3, 5])
def test_a_count_that_contradicts_the_records_is_refused(declared: int) -> None:
    batch = relabel(encode_batch(records(4)), records_count=declared, last_offset_delta=declared - 1)
    validate_batches(batch)  # the header agrees with itself
    with pytest.raises(InvalidRecordError):
        validate_records(batch)


def test_offset_deltas_that_jump_are_refused() -> None:
    honest = records(4)
    lying = [honest[0], Record(1001, honest[1].timestamp, b"k", b"v"), *honest[2:]]
    batch = relabel(encode_batch(lying), last_offset_delta=3)
    validate_batches(batch)
    assert [r.offset for r in read_records(batch)] == [0, 1001, 2, 3]  # what a consumer sees
    with pytest.raises(InvalidRecordError, match="offset delta 1001"):
        validate_records(batch)


def test_offset_deltas_past_64_are_checked() -> None:
    honest = records(100)
    lying = [*honest[:70], Record(69, honest[70].timestamp, b"k", b"v"), *honest[71:]]
    batch = relabel(encode_batch(lying), last_offset_delta=99)
    with pytest.raises(InvalidRecordError, match="offset delta 69"):
        validate_records(batch)


@pytest.mark.parametrize("cut", [1, 5])
def test_a_record_running_past_the_batch_is_refused(cut: int) -> None:
    batch = encode_batch(records(3))
    with pytest.raises(InvalidRecordError):
        validate_records(relabel(batch, records=body(batch)[:-cut]))


def test_bytes_after_the_last_record_are_refused() -> None:
    batch = encode_batch(records(3))
    with pytest.raises(InvalidRecordError, match="follow"):
        validate_records(relabel(batch, records=body(batch) + b"\x00" * 8))


@pytest.mark.parametrize("codec_id", [5, 6, 7])
def test_codec_ids_5_to_7_are_refused(codec_id: int) -> None:
    batch = relabel(encode_batch(records(3)), attributes=codec_id)
    validate_batches(batch)
    with pytest.raises(InvalidRecordError, match=f"codec id {codec_id}"):
        validate_records(batch)


def test_more_records_than_the_limit_are_refused_before_any_work() -> None:
    batch = encode_batch(records(11))
    validate_records(batch, limits=RecordLimits(max_records=11))
    with pytest.raises(InvalidRecordError, match="10 allowed"):
        validate_records(batch, limits=RecordLimits(max_records=10))


def bomb(count: int, *, declared: int) -> bytes:
    """A gzip batch of ``count`` identical 8-byte keyed records, its header declaring
    ``declared`` of them."""
    record = bytes([0x0E, 0, 0, 0, 0x02, ord("k"), 0x01, 0])  # offset delta 0, key "k", null value
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    data = compressor.compress(record * count) + compressor.flush()
    template = encode_batch([Record(0, TS, b"k", None)], compression=GZIP)
    return relabel(template, records=data, records_count=declared, last_offset_delta=declared - 1)


def test_a_decompression_bomb_is_refused_without_walking_its_records(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kafkalite.protocol import record_validator

    honest = bomb(3_000_000, declared=3_000_000)  # ~24 MB of records in ~25 KB
    assert len(honest) < 64 << 10
    real = record_validator.decompress_in_slices
    calls: list[int] = []
    monkeypatch.setattr(
        record_validator, "decompress_in_slices", lambda *a, **k: (calls.append(1), real(*a, **k))[1]
    )
    with pytest.raises(InvalidRecordError, match="records"):
        validate_records(honest)
    assert calls == []  # refused on its declared count, before any decompression
    walked: list[tuple[int, int]] = []
    real_walk = record_validator._walk
    monkeypatch.setattr(
        record_validator, "_walk",
        lambda data, pos, first, stop, *rest: (walked.append((first, stop)), real_walk(data, pos, first, stop, *rest))[1],
    )
    lying = bomb(3_000_000, declared=1)
    with pytest.raises(InvalidRecordError, match="follow"):
        validate_records(lying)
    assert walked == [(0, 1)]  # one record walked, not three million


def test_decompressed_size_is_bounded() -> None:
    batch = encode_batch(records(50, size=1000), compression=GZIP)
    validate_records(batch, limits=RecordLimits(max_decompressed_bytes=60_000))
    with pytest.raises(CorruptRecordError, match="more than the 40000"):
        validate_records(batch, limits=RecordLimits(max_decompressed_bytes=40_000))


def test_garbage_inside_a_codec_is_corrupt() -> None:
    batch = relabel(encode_batch(records(3)), attributes=GZIP, records=b"not gzip at all")
    with pytest.raises(CorruptRecordError):
        validate_records(batch)


def test_an_empty_compressed_body_is_refused() -> None:
    batch = relabel(encode_batch(records(3)), attributes=GZIP, records=compress(GZIP, b""))
    with pytest.raises(InvalidRecordError):
        validate_records(batch)


def test_check_records_yields_between_slices_and_raises_from_a_late_one() -> None:
    from kafkalite.protocol.record_validator import check_records

    batch = encode_batch(records(30))
    assert sum(1 for _ in check_records(batch, slice_records=7)) == 4  # slices at 0, 7, 14, 21, 28
    assert sum(1 for _ in check_records(batch)) == 0  # one slice: no yield at all
    lying = [*records(30)[:25], Record(99, TS, b"k", b"v"), *records(30)[26:]]
    slices = check_records(relabel(encode_batch(lying), last_offset_delta=29), slice_records=7)
    with pytest.raises(InvalidRecordError, match="offset delta 99"):
        for _ in slices:
            pass


@pytest.mark.parametrize("codec", [NONE, GZIP])
def test_the_smallest_and_largest_record_timestamps_are_found(codec: int) -> None:
    from kafkalite.protocol.record_validator import record_timestamps
    from kafkalite.protocol.records import read_header

    base = 1_700_000_000_000
    # deltas of one, two and more varint bytes, negative ones, and the extremes not first
    deltas = [0, 3, -2, 70, 9000, -65, 5_000_000_000, -3_000_000, 1]
    batch = encode_batch(
        [Record(i, base + d, b"k", b"v") for i, d in enumerate(deltas)], compression=codec
    )
    found: list[int] = []
    validate_records(batch, timestamps=found)
    assert record_timestamps(read_header(batch), found) == (base - 3_000_000, base + 5_000_000_000)
    keyless: list[int] = []
    validate_records(batch, keyless=keyless, timestamps=found)  # both in the same pass
    assert (keyless, found) == ([], [-3_000_000, 5_000_000_000])
