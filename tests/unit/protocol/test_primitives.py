"""Kafka's primitive types: varints, fixed-width integers, UUIDs, strings and bytes.

Known encodings come from the protocol guide ("Protocol Primitive Types") and protobuf's
zig-zag table. Every reader must raise MalformedRequest on truncated or out-of-range input,
never IndexError or struct.error. Strings and bytes are exercised through one-field
messages, since their four forms (legacy/compact, nullable or not) live in the codec.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kafkalite.protocol.codec import decode, encode_bytes
from kafkalite.protocol.errors import EncodeError, MalformedRequest
from kafkalite.protocol.primitives import (
    FIXED,
    read_length,
    read_uvarint,
    read_varint,
    read_varlong,
    take,
    write_length,
    write_uvarint,
    write_varint,
    write_varlong,
)
from kafkalite.protocol.spec import FieldSpec, MessageSpec, versions

INT32 = (-(1 << 31), (1 << 31) - 1)
INT64 = (-(1 << 63), (1 << 63) - 1)
UINT32_MAX = (1 << 32) - 1


def written(writer, value) -> bytes:  # type: ignore[no-untyped-def]
    out = bytearray()
    writer(out, value)
    return bytes(out)


def read_all(reader, data: bytes):  # type: ignore[no-untyped-def]
    value, pos = reader(memoryview(data), 0)
    assert pos == len(data)
    return value


# --- varints -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "hex_"),
    [
        (0, "00"),
        (-1, "01"),
        (1, "02"),
        (-2, "03"),
        (2, "04"),
        (63, "7e"),
        (-64, "7f"),
        (64, "8001"),
        (-65, "8101"),
        (INT32[1], "feffffff0f"),
        (INT32[0], "ffffffff0f"),
    ],
)
def test_varint_known_encodings(value: int, hex_: str) -> None:
    assert written(write_varint, value).hex() == hex_
    assert read_all(read_varint, bytes.fromhex(hex_)) == value


@pytest.mark.parametrize(
    ("value", "hex_"),
    [
        (0, "00"),
        (1, "01"),
        (127, "7f"),
        (128, "8001"),
        (300, "ac02"),
        (16384, "808001"),
        (UINT32_MAX, "ffffffff0f"),
    ],
)
def test_uvarint_known_encodings(value: int, hex_: str) -> None:
    assert written(write_uvarint, value).hex() == hex_
    assert read_all(read_uvarint, bytes.fromhex(hex_)) == value


@pytest.mark.parametrize(
    ("value", "hex_"),
    [
        (0, "00"),
        (-1, "01"),
        (1 << 40, "808080808040"),
        (INT64[1], "feffffffffffffffff01"),
        (INT64[0], "ffffffffffffffffff01"),
    ],
)
def test_varlong_known_encodings(value: int, hex_: str) -> None:
    assert written(write_varlong, value).hex() == hex_
    assert read_all(read_varlong, bytes.fromhex(hex_)) == value


@given(st.integers(*INT32))
def test_varint_round_trip(value: int) -> None:
    data = written(write_varint, value)
    zigzag = ((value << 1) ^ (value >> 31)) & 0xFFFFFFFF
    assert len(data) == max(1, -(-zigzag.bit_length() // 7))
    assert read_all(read_varint, data) == value


@given(st.integers(*INT64))
def test_varlong_round_trip(value: int) -> None:
    data = written(write_varlong, value)
    assert len(data) <= 10
    assert read_all(read_varlong, data) == value


@given(st.integers(0, UINT32_MAX))
def test_uvarint_round_trip(value: int) -> None:
    data = written(write_uvarint, value)
    assert len(data) == max(1, -(-value.bit_length() // 7))
    assert all(b & 0x80 for b in data[:-1]) and not data[-1] & 0x80
    assert read_all(read_uvarint, data) == value


@given(st.integers(0, (1 << 64) - 1))
def test_uvarint_64_bit_round_trip(value: int) -> None:
    data = written(write_uvarint, value)
    value_read, pos = read_uvarint(memoryview(data), 0, 10)
    assert (value_read, pos) == (value, len(data))


@pytest.mark.parametrize(
    ("writer", "value"),
    [
        (write_varint, 1 << 31),
        (write_varint, -(1 << 31) - 1),
        (write_varlong, 1 << 63),
        (write_varlong, -(1 << 63) - 1),
        (write_uvarint, -1),
    ],
)
def test_varint_writers_refuse_out_of_range_values(writer, value: int) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(OverflowError):
        written(writer, value)


@pytest.mark.parametrize(
    ("reader", "hex_"),
    [
        (read_uvarint, "ffffffffff01"),  # six bytes for a 32-bit value
        (read_varint, "8080808080800000"),
        (read_varlong, "ffffffffffffffffffff01"),  # eleven bytes for a 64-bit value
        (read_uvarint, "ffffffff1f"),  # five bytes, but 2**33 - 1 does not fit 32 bits
        (read_varint, "ffffffff7f"),
        (read_varlong, "ffffffffffffffffff7f"),  # bits above 64
    ],
)
def test_overlong_or_overflowing_varints_are_malformed(reader, hex_: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(MalformedRequest):
        reader(memoryview(bytes.fromhex(hex_)), 0)


@given(st.integers(*INT64), st.data())
def test_truncated_varlong_is_malformed(value: int, data: st.DataObject) -> None:
    encoded = written(write_varlong, value)
    cut = data.draw(st.integers(0, len(encoded) - 1))
    with pytest.raises(MalformedRequest):
        read_varlong(memoryview(encoded[:cut]), 0)


@given(st.integers(*INT32), st.data())
def test_truncated_varint_is_malformed(value: int, data: st.DataObject) -> None:
    encoded = written(write_varint, value)
    cut = data.draw(st.integers(0, len(encoded) - 1))
    with pytest.raises(MalformedRequest):
        read_varint(memoryview(encoded[:cut]), 0)


def test_varint_reads_at_an_offset() -> None:
    buf = memoryview(bytes.fromhex("ffac02ff"))
    assert read_uvarint(buf, 1) == (300, 3)


# --- fixed-width types ---------------------------------------------------------------------

FIXED_RANGES = {
    "int8": (-(1 << 7), (1 << 7) - 1),
    "int16": (-(1 << 15), (1 << 15) - 1),
    "int32": INT32,
    "int64": INT64,
    "uint16": (0, (1 << 16) - 1),
    "uint32": (0, UINT32_MAX),
}


@pytest.mark.parametrize(
    ("type_", "value", "hex_"),
    [
        ("int8", -1, "ff"),
        ("int16", 300, "012c"),
        ("int16", -2, "fffe"),
        ("int32", 1, "00000001"),
        ("int32", -1, "ffffffff"),
        ("int64", 1 << 40, "0000010000000000"),
        ("uint16", 65535, "ffff"),
        ("uint32", UINT32_MAX, "ffffffff"),
        ("float64", 1.5, "3ff8000000000000"),
        ("bool", True, "01"),
        ("bool", False, "00"),
    ],
)
def test_fixed_known_encodings(type_: str, value: object, hex_: str) -> None:
    reader, writer, size = FIXED[type_]
    assert written(writer, value).hex() == hex_
    assert size == len(hex_) // 2
    assert read_all(reader, bytes.fromhex(hex_)) == value


@pytest.mark.parametrize("type_", sorted(FIXED_RANGES))
@given(data=st.data())
def test_fixed_round_trip(type_: str, data: st.DataObject) -> None:
    reader, writer, size = FIXED[type_]
    value = data.draw(st.integers(*FIXED_RANGES[type_]))
    encoded = written(writer, value)
    assert len(encoded) == size
    assert read_all(reader, encoded) == value


@given(st.floats(allow_nan=False))
def test_float64_round_trip(value: float) -> None:
    reader, writer, _ = FIXED["float64"]
    assert read_all(reader, written(writer, value)) == value


@pytest.mark.parametrize("type_", sorted(FIXED_RANGES))
def test_fixed_writers_refuse_out_of_range_values(type_: str) -> None:
    low, high = FIXED_RANGES[type_]
    for value in (low - 1, high + 1):
        with pytest.raises(OverflowError):
            written(FIXED[type_][1], value)


@pytest.mark.parametrize("type_", sorted(FIXED))
def test_truncated_fixed_is_malformed(type_: str) -> None:
    reader, _, size = FIXED[type_]
    for cut in range(size):
        with pytest.raises(MalformedRequest):
            reader(memoryview(b"\x01" * cut), 0)
    with pytest.raises(MalformedRequest):  # enough bytes in the buffer, not after pos
        reader(memoryview(b"\x01" * size), 1)


def test_any_non_zero_byte_reads_as_true() -> None:
    assert read_all(FIXED["bool"][0], b"\x02") is True


@given(st.uuids())
def test_uuid_round_trip(value: uuid.UUID) -> None:
    reader, writer, _ = FIXED["uuid"]
    encoded = written(writer, value)
    assert encoded == value.bytes
    assert read_all(reader, encoded) == value


def test_uuid_known_encoding() -> None:
    value = uuid.UUID("00010203-0405-0607-0809-0a0b0c0d0e0f")
    assert written(FIXED["uuid"][1], value) == bytes(range(16))


# --- lengths and slices --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("length", "compact", "wide", "hex_"),
    [
        (-1, True, True, "00"),
        (0, True, True, "01"),
        (3, True, False, "04"),
        (-1, False, False, "ffff"),
        (3, False, False, "0003"),
        (-1, False, True, "ffffffff"),
        (3, False, True, "00000003"),
    ],
)
def test_length_prefixes(length: int, compact: bool, wide: bool, hex_: str) -> None:
    out = bytearray()
    write_length(out, length, compact, wide)
    assert out.hex() == hex_
    assert read_length(memoryview(out), 0, compact, wide) == (length, len(out))


def test_take_returns_a_view_without_copying() -> None:
    frame = bytearray(b"abcdef")
    view, pos = take(memoryview(frame), 2, 3)
    assert (bytes(view), pos) == (b"cde", 5)
    frame[2] = ord("X")
    assert bytes(view) == b"Xde"


@pytest.mark.parametrize(("pos", "length"), [(0, 7), (5, 2), (0, -1), (6, 1)])
def test_take_past_the_end_is_malformed(pos: int, length: int) -> None:
    with pytest.raises(MalformedRequest):
        take(memoryview(b"abcdef"), pos, length)


# --- strings and bytes, through one-field messages -----------------------------------------


@dataclass(slots=True, kw_only=True)
class One:
    value: object = None


def one_field(type_: str, *, nullable: bool, legacy: bool = False) -> MessageSpec:
    """A message with a single field, legacy at v0 and flexible (compact) at v1."""
    field = FieldSpec(
        "value",
        type_,
        versions("0+"),
        nullable=versions("0+" if nullable else "none"),
        default=None if nullable else {"string": "", "bytes": b""}[type_],
        legacy=legacy,
    )
    return MessageSpec(One, (field,), name="One", valid=versions("0-1"), flexible=versions("1+"))


LEGACY, FLEXIBLE = 0, 1
STRING = one_field("string", nullable=False)
NULLABLE_STRING = one_field("string", nullable=True)
LEGACY_STRING = one_field("string", nullable=True, legacy=True)
BYTES = one_field("bytes", nullable=False)
NULLABLE_BYTES = one_field("bytes", nullable=True)


@pytest.mark.parametrize(
    ("spec", "version", "value", "hex_"),
    [
        (STRING, LEGACY, "", "0000"),
        (STRING, LEGACY, "abc", "0003616263"),
        (STRING, LEGACY, "é", "0002c3a9"),  # the length counts UTF-8 bytes
        (NULLABLE_STRING, LEGACY, None, "ffff"),
        (STRING, FLEXIBLE, "", "0100"),  # then the empty tagged-field section
        (STRING, FLEXIBLE, "abc", "0461626300"),
        (NULLABLE_STRING, FLEXIBLE, None, "0000"),
        (LEGACY_STRING, FLEXIBLE, "abc", "000361626300"),  # int16 length even when flexible
        (LEGACY_STRING, FLEXIBLE, None, "ffff00"),
        (BYTES, LEGACY, b"\x00\xff", "0000000200ff"),
        (NULLABLE_BYTES, LEGACY, None, "ffffffff"),
        (BYTES, FLEXIBLE, b"\x00\xff", "0300ff00"),
        (NULLABLE_BYTES, FLEXIBLE, None, "0000"),
    ],
)
def test_string_and_bytes_encodings(
    spec: MessageSpec, version: int, value: object, hex_: str
) -> None:
    assert encode_bytes(spec, One(value=value), version).hex() == hex_
    decoded, end = decode(spec, version, bytes.fromhex(hex_))
    assert (decoded.value, end) == (value, len(hex_) // 2)


@pytest.mark.parametrize("version", [LEGACY, FLEXIBLE])
@given(value=st.one_of(st.none(), st.text(max_size=300)))
def test_string_round_trip(version: int, value: str | None) -> None:
    for spec in (NULLABLE_STRING, LEGACY_STRING):
        encoded = encode_bytes(spec, One(value=value), version)
        assert decode(spec, version, encoded) == (One(value=value), len(encoded))


@pytest.mark.parametrize("version", [LEGACY, FLEXIBLE])
@given(value=st.one_of(st.none(), st.binary(max_size=300)))
def test_bytes_round_trip(version: int, value: bytes | None) -> None:
    encoded = encode_bytes(NULLABLE_BYTES, One(value=value), version)
    assert decode(NULLABLE_BYTES, version, encoded) == (One(value=value), len(encoded))


@pytest.mark.parametrize("version", [LEGACY, FLEXIBLE])
@given(value=st.text(min_size=1, max_size=50), data=st.data())
def test_truncated_string_is_malformed(version: int, value: str, data: st.DataObject) -> None:
    encoded = encode_bytes(STRING, One(value=value), version)
    cut = data.draw(st.integers(0, len(encoded) - 1))
    with pytest.raises(MalformedRequest):
        decode(STRING, version, encoded[:cut])


@pytest.mark.parametrize(("spec", "hex_"), [(STRING, "ffff"), (BYTES, "ffffffff")])
def test_null_in_a_non_nullable_field_is_malformed(spec: MessageSpec, hex_: str) -> None:
    with pytest.raises(MalformedRequest):
        decode(spec, LEGACY, bytes.fromhex(hex_))


@pytest.mark.parametrize("spec", [STRING, BYTES])
def test_encoding_null_in_a_non_nullable_field_fails(spec: MessageSpec) -> None:
    with pytest.raises(EncodeError):
        encode_bytes(spec, One(value=None), LEGACY)


@pytest.mark.parametrize(("version", "hex_"), [(LEGACY, "0002c328"), (FLEXIBLE, "03c32800")])
def test_invalid_utf8_is_malformed(version: int, hex_: str) -> None:
    with pytest.raises(MalformedRequest):
        decode(STRING, version, bytes.fromhex(hex_))
