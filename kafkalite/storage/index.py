"""Sparse offset and time indexes in Kafka's byte layout (``OffsetIndex``/``TimeIndex``).

``.index``: 8-byte entries ``(relative offset int32, position int32)``; ``.timeindex``:
12-byte entries ``(timestamp int64, relative offset int32)``; big-endian, no header, no
checksum (Kafka ``OffsetIndex.java``: "in the event of a crash it is rebuilt"). Offsets are
relative to the segment's base offset.

Lifecycle, as Kafka's ``AbstractIndex``:
- the active segment's indexes are preallocated to ``segment.index.bytes`` (rounded down to
  whole entries) and mapped read-write; ``entries`` counts the valid prefix;
- ``trim()`` (on roll and at close) unmaps, truncates the file to the valid entries and maps it
  read-only again; it hands the file descriptor back to the caller so the flusher can fsync
  and close it off the event loop. The map is always closed before the file is truncated:
  truncating a mapped file under a reader raises SIGBUS.
- the preallocated file is sparse, so before the map first writes into a chunk of it the
  chunk is reserved with ``posix_fallocate``: on a full disk an entry is then left out (the
  index is sparse anyway) instead of the store faulting with SIGBUS.

Semantics:
- offset-index entries are keyed by the *last* offset of the batch that starts at the
  position (Kafka's ``LogSegment.append``), so ``lookup(t)`` returns a position at or before
  the batch holding ``t``; the caller scans batch headers from there;
- time-index entries are ``(max timestamp so far, last offset of the batch holding it)`` and
  are only appended when the timestamp grows (Kafka ``TimeIndex.maybeAppend``). One slot is
  kept free so the final entry written on roll or close always fits.

Lookups are binary searches with ``struct.unpack_from`` on the map (``memoryview.cast`` would
read native-endian).
"""

from __future__ import annotations

import errno
import logging
import mmap
import operator
import os
import struct
from pathlib import Path
from typing import ClassVar

__all__ = ["OffsetIndex", "TimeIndex"]

log = logging.getLogger(__name__)

_RESERVE_CHUNK = 64 * 1024


def _round_up(value: int, step: int) -> int:
    return -(-value // step) * step


def _no_fallocate(fd: int, offset: int, length: int) -> None:
    raise OSError(errno.EOPNOTSUPP, "posix_fallocate is not available")


_fallocate = getattr(os, "posix_fallocate", _no_fallocate)


def _strictly_increasing(buf: mmap.mmap, entries: int, fields: str) -> bool:
    """Whether both fields of ``entries`` big-endian entries grow strictly (index sanity)."""
    values = struct.unpack_from(f">{fields * entries}", buf)
    return all(map(operator.lt, values[0::2], values[2::2])) and all(
        map(operator.lt, values[1::2], values[3::2])
    )

_OFFSET_ENTRY = struct.Struct(">ii")
_TIME_ENTRY = struct.Struct(">qi")
_INT32 = struct.Struct(">i")
_INT64 = struct.Struct(">q")


class _Index:
    """Shared file, map and binary-search machinery of the two index kinds."""

    entry_size: ClassVar[int]

    def __init__(self, path: Path, base_offset: int, max_index_size: int) -> None:
        self.path = path
        self.base_offset = base_offset
        self.max_entries = max(max_index_size // self.entry_size, 2)
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        size = os.fstat(self._fd).st_size
        self.entries = size // self.entry_size
        self._map: mmap.mmap | None = None
        self._writable = False
        self._reserved = 0  # bytes from the start known to have disk blocks behind them
        self._warned = False
        self._map_readonly()

    # -- mapping ---------------------------------------------------------------------------

    def _map_readonly(self) -> None:
        self._unmap()
        length = self.entries * self.entry_size
        if length:
            self._map = mmap.mmap(self._fd, length, access=mmap.ACCESS_READ)
        self._writable = False

    def _unmap(self) -> None:
        if self._map is not None:
            self._map.close()
            self._map = None

    def make_active(self) -> None:
        """Preallocate to the maximum size and map read-write (the active segment)."""
        if self._fd < 0:
            raise ValueError(f"{self.path} was trimmed for good and cannot become active")
        self._unmap()
        self.max_entries = max(self.max_entries, self.entries)  # segment.index.bytes shrank
        length = self.max_entries * self.entry_size
        os.ftruncate(self._fd, length)
        self._map = mmap.mmap(self._fd, length, access=mmap.ACCESS_WRITE)
        self._writable = True
        self._reserved = 0

    def _reserve(self, end: int) -> bool:
        """Make sure disk blocks back the file up to ``end`` before the map writes there.
        The preallocated file is sparse, and a store to a mapped page the file system
        cannot back (full disk) is SIGBUS, which would kill the broker; ``posix_fallocate``
        turns that into ENOSPC here. Reserves in chunks, so it costs one call per chunk."""
        if end <= self._reserved:
            return True
        length = min(_round_up(end, _RESERVE_CHUNK), self.max_entries * self.entry_size)
        try:
            _fallocate(self._fd, self._reserved, length - self._reserved)
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                return False
            self._reserved = 1 << 62  # not supported here: nothing to guard against
            return True
        self._reserved = length
        return True

    def trim(self) -> int:
        """Shrink the file to its valid entries, map it read-only and give up the file
        descriptor: the caller owns it now (to fsync and close it)."""
        self._unmap()
        os.ftruncate(self._fd, self.entries * self.entry_size)
        self._map_readonly()
        fd, self._fd = self._fd, -1
        return fd

    def reset(self) -> None:
        """Forget every entry (before a rebuild)."""
        self.entries = 0

    def truncate_entries(self, count: int) -> None:
        self.entries = min(self.entries, count)

    def close(self) -> int:
        """Unmap; return the still-open descriptor (or -1) for the caller to close."""
        self._unmap()
        fd, self._fd = self._fd, -1
        return fd

    @property
    def is_active(self) -> bool:
        return self._writable

    @property
    def size_bytes(self) -> int:
        return self.entries * self.entry_size

    def _buffer(self) -> mmap.mmap:
        assert self._map is not None
        return self._map

    def _append_raw(self, entry: struct.Struct, *values: int) -> None:
        if not self._writable:
            raise ValueError(f"{self.path} is not the active index")
        if self.entries >= self.max_entries:
            raise ValueError(f"{self.path} is full ({self.entries} entries)")
        position = self.entries * self.entry_size
        if not self._reserve(position + self.entry_size):
            # Indexes are sparse caches: an entry left out only makes lookups scan further.
            if not self._warned:
                log.warning("no space for %s to grow: leaving entries out", self.path)
                self._warned = True
            return
        entry.pack_into(self._buffer(), position, *values)
        self.entries += 1

    def _relative(self, offset: int) -> int:
        relative = offset - self.base_offset
        if not 0 <= relative <= 0x7FFFFFFF:
            raise ValueError(f"offset {offset} does not fit index based at {self.base_offset}")
        return relative

    def _largest_at_most(self, key_struct: struct.Struct, key_at: int, target: int) -> int:
        """Slot of the greatest entry whose key (read at byte ``key_at`` of the entry) is
        ``<= target``; -1 if none."""
        buf = self._map
        lo, hi = 0, self.entries - 1
        if buf is None or hi < 0 or key_struct.unpack_from(buf, key_at)[0] > target:
            return -1
        size = self.entry_size
        while lo < hi:
            mid = (lo + hi + 1) >> 1
            if key_struct.unpack_from(buf, mid * size + key_at)[0] <= target:
                lo = mid
            else:
                hi = mid - 1
        return lo


class OffsetIndex(_Index):
    """``.index``: last offset of a batch -> file position of that batch."""

    entry_size: ClassVar[int] = 8

    @property
    def is_full(self) -> bool:
        return self.entries >= self.max_entries

    def append(self, offset: int, position: int) -> None:
        self._append_raw(_OFFSET_ENTRY, self._relative(offset), position)

    def entry(self, slot: int) -> tuple[int, int]:
        relative, position = _OFFSET_ENTRY.unpack_from(self._buffer(), slot * 8)
        return self.base_offset + relative, position

    def last_entry(self) -> tuple[int, int]:
        return self.entry(self.entries - 1) if self.entries else (self.base_offset, 0)

    def lookup(self, offset: int) -> tuple[int, int]:
        """Greatest entry with offset <= ``offset``; ``(base_offset, 0)`` if none."""
        slot = self._largest_at_most(_INT32, 0, offset - self.base_offset)
        return self.entry(slot) if slot >= 0 else (self.base_offset, 0)

    def lookup_position(self, position: int) -> tuple[int, int]:
        """Greatest entry with file position <= ``position``; ``(base_offset, 0)`` if none.
        Positions grow with offsets, so the same binary search applies."""
        slot = self._largest_at_most(_INT32, 4, position)
        return self.entry(slot) if slot >= 0 else (self.base_offset, 0)

    def truncate_to_position(self, position: int) -> None:
        """Drop entries pointing at or past ``position`` (the log was cut there)."""
        self.entries = self._largest_at_most(_INT32, 4, position - 1) + 1

    def sane(self, log_size: int) -> bool:
        """Kafka's ``OffsetIndex.sanityCheck`` plus bounds against the log file; a
        zero-filled (preallocated, never trimmed) file fails the strict-growth check."""
        if self._fd >= 0 and os.fstat(self._fd).st_size % self.entry_size:
            return False
        if not self.entries:
            return True
        first_offset, first_position = self.entry(0)
        last_offset, last_position = self.last_entry()
        if self.entries > 1 and not _strictly_increasing(self._buffer(), self.entries, "ii"):
            return False  # every entry is checked, not only the ends: a cache is never trusted
        return first_offset >= self.base_offset and 0 <= first_position <= last_position < log_size


class TimeIndex(_Index):
    """``.timeindex``: max timestamp so far -> last offset of the batch holding it."""

    entry_size: ClassVar[int] = 12

    @property
    def is_full(self) -> bool:
        return self.entries >= self.max_entries - 1  # one slot kept for the final entry

    def entry(self, slot: int) -> tuple[int, int]:
        timestamp, relative = _TIME_ENTRY.unpack_from(self._buffer(), slot * 12)
        return timestamp, self.base_offset + relative

    def last_entry(self) -> tuple[int, int]:
        return self.entry(self.entries - 1) if self.entries else (-1, self.base_offset)

    def maybe_append(self, timestamp: int, offset: int) -> None:
        """Append when ``timestamp`` is larger than the last entry's (Kafka semantics)."""
        if timestamp > self.last_entry()[0]:
            self._append_raw(_TIME_ENTRY, timestamp, self._relative(offset))

    def lookup(self, timestamp: int) -> tuple[int, int]:
        """Greatest entry with timestamp <= ``timestamp``; ``(-1, base_offset)`` if none.
        Exact for searches: an entry's offset belongs to the first batch that reached its
        timestamp, so every record of an earlier batch is strictly older."""
        slot = self._largest_at_most(_INT64, 0, timestamp)
        return self.entry(slot) if slot >= 0 else (-1, self.base_offset)

    def truncate_to_offset(self, next_offset: int) -> None:
        """Drop entries whose offset is ``>= next_offset``."""
        while self.entries and self.entry(self.entries - 1)[1] >= next_offset:
            self.entries -= 1

    def sane(self) -> bool:
        if self._fd >= 0 and os.fstat(self._fd).st_size % self.entry_size:
            return False
        if not self.entries:
            return True
        first_offset = self.entry(0)[1]
        if self.entries > 1 and not _strictly_increasing(self._buffer(), self.entries, "qi"):
            return False
        return first_offset >= self.base_offset
