"""Kafka's primitive wire types: fixed-width integers, varints, strings, bytes and UUIDs.

Readers take ``(buf, pos)`` and return ``(value, new_pos)``; ``buf`` is a ``memoryview``.
Writers append to a ``bytearray``. Every reader raises ``MalformedRequest`` on truncated or
out-of-range input, never ``IndexError`` or ``struct.error``, so a hostile frame only ever
costs one closed connection. Varints are protobuf's: base-128, little-endian groups, zig-zag
for the signed forms (Kafka protocol guide, "Protocol Primitive Types").
"""

from __future__ import annotations

import struct
import uuid
from collections.abc import Callable
from typing import Any

from kafkalite.protocol.errors import MalformedRequest

__all__ = [
    "FIXED",
    "read_uvarint",
    "read_varint",
    "read_varlong",
    "write_uvarint",
    "write_varint",
    "write_varlong",
]

Reader = Callable[[memoryview, int], tuple[Any, int]]
Writer = Callable[[bytearray, Any], None]


def _fixed(fmt: str) -> tuple[Reader, Writer, int]:
    codec = struct.Struct(fmt)
    unpack_from, pack, size = codec.unpack_from, codec.pack, codec.size

    def read(buf: memoryview, pos: int) -> tuple[Any, int]:
        end = pos + size
        if end > len(buf):
            raise MalformedRequest(f"buffer underflow reading {fmt} at {pos}")
        return unpack_from(buf, pos)[0], end

    def write(out: bytearray, value: Any) -> None:
        try:
            out += pack(value)
        except struct.error as exc:
            raise OverflowError(f"{value!r} does not fit {fmt}: {exc}") from None

    return read, write, size


#: name -> (reader, writer, size) for every fixed-width primitive.
FIXED: dict[str, tuple[Reader, Writer, int]] = {
    "int8": _fixed(">b"),
    "int16": _fixed(">h"),
    "int32": _fixed(">i"),
    "int64": _fixed(">q"),
    "uint16": _fixed(">H"),
    "uint32": _fixed(">I"),
    "float64": _fixed(">d"),
}


def read_bool(buf: memoryview, pos: int) -> tuple[bool, int]:
    if pos >= len(buf):
        raise MalformedRequest("buffer underflow reading bool")
    return buf[pos] != 0, pos + 1


def write_bool(out: bytearray, value: bool) -> None:
    out.append(1 if value else 0)


FIXED["bool"] = (read_bool, write_bool, 1)


def read_uvarint(buf: memoryview, pos: int, max_bytes: int = 5) -> tuple[int, int]:
    """An unsigned varint of at most ``max_bytes`` bytes (5 for 32-bit, 10 for 64-bit)."""
    result = shift = 0
    end = len(buf)
    for _ in range(max_bytes):
        if pos >= end:
            raise MalformedRequest("varint runs past the end of the buffer")
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            if shift >= 28 and result >> (32 if max_bytes <= 5 else 64):
                raise MalformedRequest("varint overflows its type")
            return result, pos
        shift += 7
    raise MalformedRequest("varint is too long")


def write_uvarint(out: bytearray, value: int) -> None:
    if value < 0:
        raise OverflowError(f"unsigned varint cannot hold {value}")
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def read_varint(buf: memoryview, pos: int) -> tuple[int, int]:
    raw, pos = read_uvarint(buf, pos, 5)
    return (raw >> 1) ^ -(raw & 1), pos


def write_varint(out: bytearray, value: int) -> None:
    if not -(1 << 31) <= value < (1 << 31):
        raise OverflowError(f"varint cannot hold {value}")
    write_uvarint(out, ((value << 1) ^ (value >> 31)) & 0xFFFFFFFF)


def read_varlong(buf: memoryview, pos: int) -> tuple[int, int]:
    raw, pos = read_uvarint(buf, pos, 10)
    return (raw >> 1) ^ -(raw & 1), pos


def write_varlong(out: bytearray, value: int) -> None:
    if not -(1 << 63) <= value < (1 << 63):
        raise OverflowError(f"varlong cannot hold {value}")
    write_uvarint(out, ((value << 1) ^ (value >> 63)) & 0xFFFFFFFFFFFFFFFF)


def read_uuid(buf: memoryview, pos: int) -> tuple[uuid.UUID, int]:
    end = pos + 16
    if end > len(buf):
        raise MalformedRequest("buffer underflow reading uuid")
    return uuid.UUID(bytes=bytes(buf[pos:end])), end


def write_uuid(out: bytearray, value: uuid.UUID) -> None:
    out += value.bytes


FIXED["uuid"] = (read_uuid, write_uuid, 16)


def read_length(buf: memoryview, pos: int, compact: bool, wide: bool) -> tuple[int, int]:
    """A length prefix: -1 means null. ``wide`` selects int32 over int16 (legacy forms)."""
    if compact:
        raw, pos = read_uvarint(buf, pos)
        return raw - 1, pos
    return FIXED["int32" if wide else "int16"][0](buf, pos)


def write_length(out: bytearray, length: int, compact: bool, wide: bool) -> None:
    if compact:
        write_uvarint(out, length + 1)
    else:
        FIXED["int32" if wide else "int16"][1](out, length)


def take(buf: memoryview, pos: int, length: int) -> tuple[memoryview, int]:
    """``length`` bytes at ``pos`` as a view (no copy)."""
    end = pos + length
    if length < 0 or end > len(buf):
        raise MalformedRequest(f"length {length} at {pos} runs past the end of the frame")
    return buf[pos:end], end
