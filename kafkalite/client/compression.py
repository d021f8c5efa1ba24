"""Compression codecs of record batches (attributes bits 0-2).

gzip comes from the standard library. snappy, lz4 and zstd need an optional module, tried
in order: ``snappy`` (python-snappy) or ``cramjam`` for snappy, ``lz4`` or ``cramjam`` for
lz4, ``zstandard`` or ``cramjam`` for zstd; without one, ``CompressionUnavailable`` names
what to install.

Formats, as Kafka clients write them:
- snappy: either a raw snappy block (librdkafka) or xerial snappy-java framing
  (``\\x82SNAPPY\\x00`` + version + compat, then int32-length-prefixed raw blocks), which the
  Java producer writes. We read both and write the xerial framing, which every client reads.
- lz4: the LZ4 frame format (KIP-57 fixed the header checksum for magic 1+).
- zstd: a zstd frame, possibly without the content size (streaming compressors omit it).
"""

from __future__ import annotations

import gzip
import importlib
import struct
from types import ModuleType
from typing import Any

from kafkalite.client.errors import ClientError

__all__ = [
    "CODECS",
    "CODEC_NAMES",
    "CompressionUnavailable",
    "codec_by_name",
    "compress",
    "decompress",
]

NONE, GZIP, SNAPPY, LZ4, ZSTD = 0, 1, 2, 3, 4
CODECS: dict[str, int] = {"none": NONE, "gzip": GZIP, "snappy": SNAPPY, "lz4": LZ4, "zstd": ZSTD}
CODEC_NAMES: dict[int, str] = {code: name for name, code in CODECS.items()}

_XERIAL_MAGIC = b"\x82SNAPPY\x00"
_XERIAL_HEADER = _XERIAL_MAGIC + struct.pack(">ii", 1, 1)
_XERIAL_BLOCK = 32 * 1024  # snappy-java's default block size
_INT32 = struct.Struct(">i")

_PACKAGES = {
    SNAPPY: "python-snappy (or cramjam)",
    LZ4: "lz4 (or cramjam)",
    ZSTD: "zstandard (or cramjam)",
}


class CompressionUnavailable(ClientError):
    """The codec needs a module that is not installed, or the codec number is unknown."""


def codec_by_name(name: str) -> int:
    try:
        return CODECS[name.lower()]
    except KeyError:
        raise ValueError(
            f"unknown compression codec {name!r} (choose from {', '.join(CODECS)})"
        ) from None


def compress(codec: int, data: bytes) -> bytes:
    if codec == NONE:
        return data
    if codec == GZIP:
        return gzip.compress(data)
    if codec == SNAPPY:
        return _snappy_xerial(data)
    if codec == LZ4:
        lz4 = _optional("lz4.frame")
        if lz4 is not None:
            return bytes(lz4.compress(data))
        return bytes(_cramjam(codec, "write").lz4.compress(data))
    if codec == ZSTD:
        zstandard = _optional("zstandard")
        if zstandard is not None:
            return bytes(zstandard.ZstdCompressor().compress(data))
        return bytes(_cramjam(codec, "write").zstd.compress(data))
    raise CompressionUnavailable(f"unknown compression codec {codec}")


def decompress(codec: int, data: bytes | memoryview) -> bytes:
    if codec == NONE:
        return bytes(data)
    try:
        if codec == GZIP:
            return gzip.decompress(data)
        if codec == SNAPPY:
            return _unsnappy(bytes(data))
        if codec == LZ4:
            lz4 = _optional("lz4.frame")
            if lz4 is not None:
                return bytes(lz4.decompress(bytes(data)))
            return bytes(_cramjam(codec, "read").lz4.decompress(bytes(data)))
        if codec == ZSTD:
            zstandard = _optional("zstandard")
            if zstandard is not None:
                # decompressobj copes with frames that do not record their content size
                return bytes(zstandard.ZstdDecompressor().decompressobj().decompress(bytes(data)))
            return bytes(_cramjam(codec, "read").zstd.decompress(bytes(data)))
    except CompressionUnavailable:
        raise
    except Exception as exc:  # each codec library raises its own error type
        raise ClientError(
            f"cannot decompress a {CODEC_NAMES.get(codec, codec)} batch: {exc}"
        ) from exc
    raise CompressionUnavailable(f"unknown compression codec {codec} in a record batch")


def _snappy_xerial(data: bytes) -> bytes:
    out = bytearray(_XERIAL_HEADER)
    for start in range(0, len(data), _XERIAL_BLOCK):
        block = _snappy_raw_compress(data[start : start + _XERIAL_BLOCK])
        out += _INT32.pack(len(block)) + block
    return bytes(out)


def _unsnappy(data: bytes) -> bytes:
    if not data.startswith(_XERIAL_MAGIC):
        return _snappy_raw_decompress(data)
    out = bytearray()
    pos = len(_XERIAL_HEADER)
    while pos < len(data):
        (size,) = _INT32.unpack_from(data, pos)
        pos += 4
        if size < 0 or pos + size > len(data):
            raise ClientError("truncated xerial snappy block")
        out += _snappy_raw_decompress(data[pos : pos + size])
        pos += size
    return bytes(out)


def _snappy_raw_compress(data: bytes) -> bytes:
    snappy = _optional("snappy")
    if snappy is not None and hasattr(snappy, "compress"):
        return bytes(snappy.compress(data))
    return bytes(_cramjam(SNAPPY, "write").snappy.compress_raw(data))


def _snappy_raw_decompress(data: bytes) -> bytes:
    snappy = _optional("snappy")
    if snappy is not None and hasattr(snappy, "decompress"):
        return bytes(snappy.decompress(data))
    return bytes(_cramjam(SNAPPY, "read").snappy.decompress_raw(data))


def _cramjam(codec: int, verb: str) -> Any:
    module = _optional("cramjam")
    if module is None:
        name = CODEC_NAMES[codec]
        raise CompressionUnavailable(
            f"install {_PACKAGES[codec]} to {verb} {name}-compressed batches"
        )
    return module


def _optional(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None
