"""Shared memory maps of index files that keep no file descriptor open.

``mmap.mmap`` keeps a duplicate of the descriptor it was given for as long as the map
lives (CPython's ``mmapmodule.c`` dups it, for ``size()`` and ``resize()``), so every
mapped index would cost a descriptor. Python 3.13 has ``trackfd=False`` to avoid that;
before it, the map is made with the C library's ``mmap(2)`` through ``ctypes``. Either way
the caller opens the file, maps it, and closes its descriptor at once: on POSIX a mapping
stays valid after its descriptor is closed, and stores into a ``MAP_SHARED`` mapping reach
the file (an ``fsync`` of any descriptor of the file writes them back).

A ``FileMap`` exposes ``buffer``, a writable (or read-only) ``memoryview`` of bytes for
``struct.pack_into``/``unpack_from``. Using it after ``close()`` raises ``ValueError`` (the
view is released), never touches unmapped memory.
"""

from __future__ import annotations

import mmap
import os
import sys
from typing import Any

__all__ = ["FileMap", "map_file"]

_TRACKFD = sys.version_info >= (3, 13)


class FileMap:
    """``length`` bytes of a file mapped shared, without a descriptor."""

    __slots__ = ("buffer", "_address", "_base", "_length", "_mmap")

    def __init__(self, fd: int, length: int, *, writable: bool) -> None:
        self._length = length
        self._address = 0
        self._mmap: mmap.mmap | None = None
        self._base: memoryview | None = None
        if _TRACKFD:
            access = mmap.ACCESS_WRITE if writable else mmap.ACCESS_READ
            self._mmap = mmap.mmap(fd, length, access=access, trackfd=False)  # type: ignore[call-arg]
            self.buffer = memoryview(self._mmap)
            return
        ctypes, libc_mmap, _, map_failed = _libc()
        prot = mmap.PROT_READ | (mmap.PROT_WRITE if writable else 0)
        address = libc_mmap(None, length, prot, mmap.MAP_SHARED, fd, 0)
        if address is None or address == map_failed:
            error = ctypes.get_errno()
            raise OSError(error, f"mmap failed: {os.strerror(error)}")
        self._address = address
        array = (ctypes.c_char * length).from_address(address)
        self._base = memoryview(array).cast("B")
        self.buffer = self._base if writable else self._base.toreadonly()

    def close(self) -> None:
        self.buffer.release()
        if self._base is not None:
            self._base.release()
        if self._mmap is not None:
            self._mmap.close()
            self._mmap = None
        elif self._address:
            _libc()[2](self._address, self._length)
            self._address = 0


def map_file(fd: int, length: int, *, writable: bool) -> FileMap:
    """Map ``length`` bytes of the open file ``fd`` (shared); ``fd`` may be closed after."""
    return FileMap(fd, length, writable=writable)


_LIBC: tuple[Any, Any, Any, Any] | None = None


def _libc() -> tuple[Any, Any, Any, Any]:
    """``ctypes``, ``mmap``, ``munmap`` and ``MAP_FAILED``, loaded on first use (importing
    ``ctypes`` costs start-up time a broker with no partition yet need not pay)."""
    global _LIBC
    if _LIBC is None:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc_mmap = libc.mmap
        libc_mmap.restype = ctypes.c_void_p
        libc_mmap.argtypes = [
            ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int,
            ctypes.c_int64,
        ]
        libc_munmap = libc.munmap
        libc_munmap.restype = ctypes.c_int
        libc_munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
        _LIBC = (ctypes, libc_mmap, libc_munmap, ctypes.c_void_p(-1).value)
    return _LIBC
