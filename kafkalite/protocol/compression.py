"""The record-batch codecs: ``decompress(codec, data)`` and ``compress(codec, data)``.

Codec ids are the low three bits of a batch's attributes (Kafka ``CompressionType``):
0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd. gzip uses the standard library; the others use
``cramjam``, a runtime dependency. One module serves the broker (the cleaner recompresses a
rewritten batch with the codec it came in; a compacted topic's key check opens batches) and
the command-line client (the producer compresses, the consumer decompresses). What each
client writes, and what we write:

- gzip: one or more gzip members (Java's ``GZIPInputStream`` reads concatenated members and
  ignores whatever follows the last one, so we do too). We write one member, level 6
  (zlib's default, Kafka's ``-1``).
- snappy comes in two framings. Java's ``SnappyOutputStream`` and
  kafka-python/aiokafka (``xerial_compatible=True``) write the snappy-java ("xerial")
  framing: the 8-byte magic ``0x82 'SNAPPY' 0x00``, two big-endian int32 (version 1,
  compatible version 1), then blocks of a big-endian int32 length and that many bytes of
  raw snappy, each holding up to 32 KiB of input. librdkafka writes one raw snappy block
  and reads both. We read both and write xerial, as Kafka itself does when it recompresses
  (snappy-java reads a raw block too, so every client reads it).
- lz4: the LZ4 *frame* format (Kafka ``Lz4BlockOutputStream``). Kafka decompresses every
  block on its own, so we write independent blocks (kafka-python passes
  ``block_linked=False`` for the same reason) with no content checksum.
- zstd: one or more zstd frames, with or without the content size (zstd-jni's stream
  writes none). We write one frame, level 3 (Kafka's ``compression.zstd.level`` default).

Decompression is bounded: before any codec runs, the largest output the input can produce
is worked out from the framing (snappy's declared lengths, the lz4 frame's block maximum
per block, zstd's block headers; gzip decompresses incrementally), and more than
``max_size`` bytes is refused as ``CorruptRecordError`` (CORRUPT_MESSAGE), so a small
batch cannot make the broker (or a consumer) allocate gigabytes. Malformed input raises
the same error.

Sans-I/O: no ``os``, ``socket`` or ``asyncio``.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Generator
from typing import Final

import cramjam

from kafkalite.protocol.records import Buffer, CorruptRecordError

__all__ = [
    "CODECS",
    "CODEC_NAMES",
    "GZIP",
    "LZ4",
    "MAX_DECOMPRESSED_BYTES",
    "NONE",
    "SNAPPY",
    "ZSTD",
    "codec_by_name",
    "compress",
    "decompress",
    "decompress_in_slices",
    "is_xerial_snappy",
]

NONE: Final = 0
GZIP: Final = 1
SNAPPY: Final = 2
LZ4: Final = 3
ZSTD: Final = 4
CODEC_NAMES: Final = {NONE: "none", GZIP: "gzip", SNAPPY: "snappy", LZ4: "lz4", ZSTD: "zstd"}
CODECS: Final = {name: codec for codec, name in CODEC_NAMES.items()}  # name -> codec id

# Largest decompressed record set accepted: far above what a max.message.bytes batch of real
# records expands to, far below what would hurt the broker.
MAX_DECOMPRESSED_BYTES: Final = 128 << 20


_GZIP_LEVEL = 6
_ZSTD_LEVEL = 3
_XERIAL_MAGIC = b"\x82SNAPPY\x00"
_XERIAL_HEADER = struct.Struct(">8sii")
_XERIAL_BLOCK = 32 * 1024  # snappy-java's default block size
_INT32_BE = struct.Struct(">i")
_UINT32_LE = struct.Struct("<I")
_LZ4_MAGIC = 0x184D2204
_LZ4_BLOCK_SIZES = {4: 64 << 10, 5: 256 << 10, 6: 1 << 20, 7: 4 << 20}
_ZSTD_MAGIC = 0xFD2FB528
_ZSTD_MAX_BLOCK = 128 << 10
_SKIPPABLE_MASK = 0xFFFFFFF0
_SKIPPABLE_MAGIC = 0x184D2A50  # zstd and lz4 share the skippable-frame range


def decompress(codec: int, data: Buffer, *, max_size: int = MAX_DECOMPRESSED_BYTES) -> bytes:
    """The record bytes inside a compressed batch body (everything after byte 61)."""
    view = memoryview(data)
    try:
        if codec == NONE:
            return bytes(view)
        if codec == GZIP:
            return _gunzip(view, max_size)
        if codec == SNAPPY:
            return _unsnappy(view, max_size)
        if codec == LZ4:
            _check_bound(_lz4_bound(view), max_size, codec)
            return bytes(cramjam.lz4.decompress(view))
        if codec == ZSTD:
            _check_bound(_zstd_bound(view), max_size, codec)
            return bytes(cramjam.zstd.decompress(view))
    except CorruptRecordError:
        raise
    except (cramjam.DecompressionError, zlib.error, struct.error, IndexError, ValueError) as exc:
        raise CorruptRecordError(f"{_name(codec)} data fails to decompress: {exc}") from exc
    raise CorruptRecordError(f"unknown compression codec {codec}")


def decompress_in_slices(
    codec: int, data: Buffer, *, max_size: int = MAX_DECOMPRESSED_BYTES, slice_bytes: int = 4 << 20
) -> Generator[None, None, bytes]:
    """``decompress`` as a generator that yields between slices of about ``slice_bytes`` of
    output and returns the bytes (``data = yield from decompress_in_slices(...)``), so a
    caller on an event loop can let other work run meanwhile. gzip, the slowest codec, is
    decompressed incrementally; the others, several times faster, in one call (their
    output is bounded before they run)."""
    if codec != GZIP:
        return decompress(codec, data, max_size=max_size)
    out = bytearray()
    rest: bytes | memoryview = memoryview(data)
    first = True
    try:
        while first or rest[:2] == b"\x1f\x8b":  # bytes after the last member are ignored
            first = False
            member = zlib.decompressobj(31)
            while True:
                limit = min(slice_bytes, max_size - len(out) + 1)
                chunk = member.decompress(rest, limit)
                out += chunk
                _check_bound(len(out), max_size, GZIP)
                rest = member.unconsumed_tail
                if member.eof or (not rest and len(chunk) < limit):  # done, or out of input
                    break
                yield
            if not member.eof:
                raise CorruptRecordError("gzip data is truncated")
            rest = member.unused_data
    except zlib.error as exc:
        raise CorruptRecordError(f"gzip data fails to decompress: {exc}") from exc
    return bytes(out)


def compress(codec: int, data: Buffer) -> bytes:
    """``data`` compressed the way a Kafka producer of that codec would send it."""
    if codec == NONE:
        return bytes(data)
    if codec == GZIP:
        compressor = zlib.compressobj(_GZIP_LEVEL, zlib.DEFLATED, 31)  # 31: gzip container
        return compressor.compress(data) + compressor.flush()
    if codec == SNAPPY:
        return _xerial_snappy(memoryview(data))
    if codec == LZ4:
        lz4 = cramjam.lz4.Compressor(block_linked=False, content_checksum=False)
        lz4.compress(bytes(data))
        return bytes(lz4.finish())
    if codec == ZSTD:
        return bytes(cramjam.zstd.compress(bytes(data), level=_ZSTD_LEVEL))
    raise ValueError(f"unknown compression codec {codec}")


def codec_by_name(name: str) -> int:
    """The codec id of a ``compression.type`` name (case-insensitive)."""
    try:
        return CODECS[name.lower()]
    except KeyError:
        raise ValueError(
            f"unknown compression codec {name!r} (choose from {', '.join(CODECS)})"
        ) from None


def is_xerial_snappy(data: Buffer) -> bool:
    """Whether snappy data uses the snappy-java framing (else it is one raw block)."""
    return bytes(memoryview(data)[:8]) == _XERIAL_MAGIC and len(data) >= _XERIAL_HEADER.size


# -- codecs ------------------------------------------------------------------------------


def _name(codec: int) -> str:
    return CODEC_NAMES.get(codec, str(codec))


def _check_bound(bound: int, max_size: int, codec: int) -> None:
    if bound > max_size:
        raise CorruptRecordError(
            f"{_name(codec)} data may expand to {bound} bytes, more than the {max_size} allowed"
        )


def _gunzip(view: memoryview, max_size: int) -> bytes:
    out = bytearray()
    rest: bytes | memoryview = view
    first = True
    while first or rest[:2] == b"\x1f\x8b":  # bytes after the last member are ignored
        first = False
        member = zlib.decompressobj(31)
        out += member.decompress(rest, max_size - len(out) + 1)
        _check_bound(len(out), max_size, GZIP)
        if not member.eof:
            raise CorruptRecordError("gzip data is truncated")
        rest = member.unused_data
    return bytes(out)


def _unsnappy(view: memoryview, max_size: int) -> bytes:
    if not is_xerial_snappy(view):
        _check_bound(cramjam.snappy.decompress_raw_len(view), max_size, SNAPPY)
        return bytes(cramjam.snappy.decompress_raw(view))
    blocks: list[memoryview] = []
    total = 0
    pos = _XERIAL_HEADER.size
    while pos < len(view):
        (length,) = _INT32_BE.unpack_from(view, pos)
        pos += _INT32_BE.size
        if length < 0 or pos + length > len(view):
            raise CorruptRecordError(f"xerial snappy block of {length} bytes is truncated")
        block = view[pos : pos + length]
        total += cramjam.snappy.decompress_raw_len(block)
        _check_bound(total, max_size, SNAPPY)
        blocks.append(block)
        pos += length
    return b"".join(bytes(cramjam.snappy.decompress_raw(block)) for block in blocks)


def _xerial_snappy(view: memoryview) -> bytes:
    out = bytearray(_XERIAL_HEADER.pack(_XERIAL_MAGIC, 1, 1))
    for start in range(0, len(view), _XERIAL_BLOCK):
        block = cramjam.snappy.compress_raw(bytes(view[start : start + _XERIAL_BLOCK]))
        out += _INT32_BE.pack(len(block))
        out += memoryview(block)
    return bytes(out)


def _next_frame(view: memoryview, pos: int, magic: int, name: str) -> int:
    """Where the next frame starts at or after ``pos``, past any skippable frames (which
    zstd and lz4 share), or ``len(view)`` at the end; a frame of another kind is corrupt."""
    while pos < len(view):
        (found,) = _UINT32_LE.unpack_from(view, pos)
        if found & _SKIPPABLE_MASK != _SKIPPABLE_MAGIC:
            if found != magic:
                raise CorruptRecordError(f"not {name} frame (magic {found:#010x})")
            return pos
        pos += 8 + _UINT32_LE.unpack_from(view, pos + 4)[0]
    return len(view)


def _lz4_bound(view: memoryview) -> int:
    """Most bytes a sequence of LZ4 frames can decompress to (lz4_Frame_format.md)."""
    bound = 0
    pos = 0
    while (pos := _next_frame(view, pos, _LZ4_MAGIC, "an LZ4")) < len(view):
        flags, block_descriptor = view[pos + 4], view[pos + 5]
        block_max = _LZ4_BLOCK_SIZES.get((block_descriptor >> 4) & 0x7)
        if flags >> 6 != 1 or block_max is None:
            raise CorruptRecordError("unsupported LZ4 frame descriptor")
        block_checksum, content_size, content_checksum = flags & 0x10, flags & 0x08, flags & 0x04
        pos += 6 + (8 if content_size else 0) + (4 if flags & 0x01 else 0) + 1
        while True:
            (word,) = _UINT32_LE.unpack_from(view, pos)
            pos += 4
            if word == 0:  # EndMark
                pos += 4 if content_checksum else 0
                break
            size = word & 0x7FFFFFFF
            bound += size if word & 0x80000000 else block_max
            pos += size + (4 if block_checksum else 0)
    return bound


def _zstd_bound(view: memoryview) -> int:
    """Most bytes a sequence of zstd frames can decompress to (RFC 8878 §3.1)."""
    bound = 0
    pos = 0
    while (pos := _next_frame(view, pos, _ZSTD_MAGIC, "a zstd")) < len(view):
        descriptor = view[pos + 4]
        single_segment = descriptor & 0x20
        content_size_bytes = (0 if not single_segment else 1, 2, 4, 8)[descriptor >> 6]
        dictionary_bytes = (0, 1, 2, 4)[descriptor & 0x03]
        pos += 5 + (0 if single_segment else 1) + dictionary_bytes + content_size_bytes
        while True:
            header = view[pos] | view[pos + 1] << 8 | view[pos + 2] << 16
            pos += 3
            block_type, size = (header >> 1) & 0x3, header >> 3
            if block_type == 0:  # raw
                bound += size
                pos += size
            elif block_type == 1:  # RLE: one byte repeated size times
                bound += size
                pos += 1
            elif block_type == 2:  # compressed
                bound += _ZSTD_MAX_BLOCK
                pos += size
            else:
                raise CorruptRecordError("reserved zstd block type")
            if header & 1:  # last block
                break
        pos += 4 if descriptor & 0x04 else 0  # content checksum
    return bound
