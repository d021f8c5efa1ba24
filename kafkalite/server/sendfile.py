"""Write response chunks to a transport: bytes with ``transport.write``, file slices with
``loop.sendfile`` (zero copy), falling back to an ``os.pread`` loop where native sendfile is
unavailable (TLS, uvloop, or ``KAFKALITE_NO_SENDFILE`` set).

A response whose file slices are small in all (``INLINE_BYTES``) is read into one byte string
instead (``inline_small_slices``) and leaves in one ``send``: a sendfile costs a duplicate
descriptor, the transport's flush, pause and resume around it and a system call of its own,
more than copying a few kilobytes. A long-polling consumer's answers are of this kind.

Each slice gets its own duplicate file descriptor, taken synchronously right after the
response is encoded (``dup_slices``), because ``loop.sendfile`` moves the file position and
because the segment may be deleted or closed meanwhile: the duplicate keeps the bytes
readable (POSIX unlink semantics). asyncio's own fallback is not used: it skips ``seek()``
when ``offset == 0`` and so can send the wrong bytes from a reused handle.
"""

from __future__ import annotations

import asyncio
import os
from typing import IO

from kafkalite.protocol.chunks import FileSlice

__all__ = ["INLINE_BYTES", "OwnedSlice", "dup_slices", "inline_small_slices", "write_chunks"]

_CHUNK = 256 * 1024
INLINE_BYTES = 64 * 1024
"""File slices totalling at most this many bytes are read and sent with the rest."""
_NO_SENDFILE = bool(os.environ.get("KAFKALITE_NO_SENDFILE"))


class OwnedSlice:
    """A ``FileSlice`` whose descriptor we own; closed once sent (or on failure)."""

    __slots__ = ("file", "length", "position")

    def __init__(self, file: IO[bytes], position: int, length: int) -> None:
        self.file = file
        self.position = position
        self.length = length


def inline_small_slices(chunks: list[bytes | FileSlice]) -> list[bytes | FileSlice]:
    """One byte string for a response whose ``FileSlice``s total at most ``INLINE_BYTES``;
    other responses unchanged. Call it before the event loop runs again, while the slices'
    descriptors are valid (see ``FileSlice``)."""
    if len(chunks) == 1:
        return chunks
    total = 0
    for chunk in chunks:
        if not isinstance(chunk, bytes):
            if not isinstance(chunk, FileSlice):
                return chunks
            total += chunk.length
            if total > INLINE_BYTES:
                return chunks
    parts: list[bytes] = []
    for chunk in chunks:
        if isinstance(chunk, FileSlice):
            data = os.pread(chunk.fd, chunk.length, chunk.position)
            if len(data) != chunk.length:
                raise ConnectionError(f"file ended {chunk.length - len(data)} bytes short of the slice")
            parts.append(data)
        else:
            parts.append(chunk)
    return [b"".join(parts)]


def dup_slices(chunks: list[bytes | FileSlice]) -> list[bytes | OwnedSlice]:
    """Replace every ``FileSlice`` with an ``OwnedSlice`` on a duplicate descriptor."""
    owned: list[bytes | OwnedSlice] = []
    try:
        for chunk in chunks:
            if isinstance(chunk, FileSlice):
                owned.append(
                    OwnedSlice(
                        os.fdopen(os.dup(chunk.fd), "rb", buffering=0), chunk.position, chunk.length
                    )
                )
            else:
                owned.append(chunk)
    except BaseException:
        close_slices(owned)
        raise
    return owned


def close_slices(chunks: list[bytes | OwnedSlice]) -> None:
    for chunk in chunks:
        if isinstance(chunk, OwnedSlice):
            chunk.file.close()


async def write_chunks(writer: asyncio.StreamWriter, chunks: list[bytes | OwnedSlice]) -> None:
    """Write every chunk in order, then drain. Closes the owned slices in all cases."""
    loop = asyncio.get_running_loop()
    transport = writer.transport
    try:
        for chunk in chunks:
            if isinstance(chunk, OwnedSlice):
                await _send_slice(loop, writer, transport, chunk)
            else:
                writer.write(chunk)
        await writer.drain()
    finally:
        close_slices(chunks)


async def _send_slice(
    loop: asyncio.AbstractEventLoop,
    writer: asyncio.StreamWriter,
    transport: asyncio.WriteTransport,
    chunk: OwnedSlice,
) -> None:
    if chunk.length == 0:
        return
    if not _NO_SENDFILE:
        try:
            sent = await loop.sendfile(
                transport, chunk.file, chunk.position, chunk.length, fallback=False
            )
            if sent == chunk.length:
                return
            raise ConnectionError(f"sendfile sent {sent} of {chunk.length} bytes")
        except (NotImplementedError, RuntimeError, asyncio.SendfileNotAvailableError):
            pass  # e.g. TLS or uvloop transports: fall through to reading in Python
    fd = chunk.file.fileno()
    position, remaining = chunk.position, chunk.length
    while remaining:
        data = os.pread(fd, min(remaining, _CHUNK), position)
        if not data:
            raise ConnectionError(f"file ended {remaining} bytes short of the slice")
        writer.write(data)
        position += len(data)
        remaining -= len(data)
        await writer.drain()
