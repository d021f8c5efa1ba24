"""Sparse offset and time indexes in Kafka's byte layout (``OffsetIndex``/``TimeIndex``).

``.index``: 8-byte entries ``(relative offset int32, position int32)``; ``.timeindex``:
12-byte entries ``(timestamp int64, relative offset int32)``; big-endian, no header, no
checksum (Kafka ``OffsetIndex.java``: "in the event of a crash it is rebuilt"). Offsets are
relative to the segment's base offset.

Lifecycle, as Kafka's ``AbstractIndex``:
- the active segment's indexes are preallocated to ``segment.index.bytes`` (rounded down to
  whole entries) and mapped read-write when first written; ``entries`` counts the valid
  prefix. A file is created only then, or when trimmed (Kafka's ``LazyIndex``): creating a
  partition makes no index file;
- ``trim()`` (on roll and at close) unmaps, truncates the file to the valid entries (it is
  mapped read-only again on the next lookup); it hands a descriptor of the file to the
  caller so the flusher can fsync and close it off the event loop. The map is always closed
  before the file is truncated: truncating a mapped file under a reader raises SIGBUS.
- an index holds no descriptor: the file is opened to map it (on first use, so an index
  nobody reads costs nothing), to resize it or to reserve disk blocks, and closed at once
  (``mapping``: the map itself keeps none either).
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
import operator
import os
import struct
from pathlib import Path
from typing import ClassVar

from kafkalite.storage.mapping import FileMap, map_file

__all__ = ["OffsetIndex", "TimeIndex"]

log = logging.getLogger(__name__)

_RESERVE_CHUNK = 64 * 1024


def _round_up(value: int, step: int) -> int:
    return -(-value // step) * step


def _no_fallocate(fd: int, offset: int, length: int) -> None:
    raise OSError(errno.EOPNOTSUPP, "posix_fallocate is not available")


_fallocate = getattr(os, "posix_fallocate", _no_fallocate)


def _strictly_increasing(buf: memoryview, entries: int, fields: str) -> bool:
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
        try:
            self._file_size = os.stat(path).st_size
        except FileNotFoundError:  # made when first written or trimmed (Kafka's LazyIndex)
            self._file_size = 0
        self.entries = self._file_size // self.entry_size
        self._preallocate = False  # active, but the file is not yet at its full size
        self._map: FileMap | None = None
        self._writable = False
        self._retired = False  # trimmed for good or closed: never made active again
        self._closed = False  # closed: never mapped again
        self._reserved = 0  # bytes from the start known to have disk blocks behind them
        self._warned = False

    # -- mapping ---------------------------------------------------------------------------

    def _buffer(self) -> memoryview:
        """The map, made on first use (an index nobody reads costs no map): read-write
        over the preallocated size while active, read-only over the entries otherwise."""
        if self._map is None:
            if self._closed:
                raise ValueError(f"{self.path} is closed")
            length = (
                self.max_entries * self.entry_size if self._writable
                else self.entries * self.entry_size
            )
            if self._preallocate:
                self._make_file()
            fd = os.open(self.path, os.O_RDWR if self._writable else os.O_RDONLY)
            try:
                self._map = map_file(fd, length, writable=self._writable)
            finally:
                os.close(fd)
        return self._map.buffer

    def _unmap(self) -> None:
        if self._map is not None:
            self._map.close()
            self._map = None

    def make_active(self) -> None:
        """Become the active segment's index: preallocated to the maximum size and mapped
        read-write, both when first written (a partition never written past
        ``index.interval.bytes`` never creates its index file until it is trimmed)."""
        if self._retired:
            raise ValueError(f"{self.path} was trimmed for good and cannot become active")
        self._unmap()
        self.max_entries = max(self.max_entries, self.entries)  # segment.index.bytes shrank
        self._writable = True
        self._preallocate = True
        self._reserved = 0

    def _make_file(self) -> None:
        """Create the file if needed and preallocate it to the maximum size."""
        length = self.max_entries * self.entry_size
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            os.ftruncate(fd, length)
        finally:
            os.close(fd)
        self._file_size = length
        self._preallocate = False

    def _reserve(self, end: int) -> bool:
        """Make sure disk blocks back the file up to ``end`` before the map writes there.
        The preallocated file is sparse, and a store to a mapped page the file system
        cannot back (full disk) is SIGBUS, which would kill the broker; ``posix_fallocate``
        turns that into ENOSPC here. Reserves in chunks, so it costs one call (and one
        ``open``) per chunk."""
        if end <= self._reserved:
            return True
        length = min(_round_up(end, _RESERVE_CHUNK), self.max_entries * self.entry_size)
        if self._preallocate:
            self._make_file()
        try:
            fd = os.open(self.path, os.O_RDWR)
            try:
                _fallocate(fd, self._reserved, length - self._reserved)
            finally:
                os.close(fd)
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                return False
            self._reserved = 1 << 62  # not supported here: nothing to guard against
            return True
        self._reserved = length
        return True

    def trim(self, *, lazy: bool = False) -> int:
        """Shrink the file to its valid entries (it is mapped read-only again on the next
        lookup) and return a descriptor of it: the caller owns it (to fsync and close it).
        With ``lazy``, an index never written and without a file stays so: -1."""
        self._unmap()
        if lazy and not self.entries and self._preallocate and not self.path.exists():
            # never written: like Kafka's LazyIndex, leave no file (a missing index of a
            # segment too small to have entries is read as empty, see ``Segment.load``)
            self._file_size = 0
            self._writable = self._preallocate = False
            self._retired = True
            return -1
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            os.ftruncate(fd, self.entries * self.entry_size)
        except BaseException:
            os.close(fd)
            raise
        self._file_size = self.entries * self.entry_size
        self._writable = self._preallocate = False
        self._retired = True
        return fd

    def reset(self) -> None:
        """Forget every entry (before a rebuild)."""
        self.entries = 0

    def truncate_entries(self, count: int) -> None:
        self.entries = min(self.entries, count)

    def close(self) -> int:
        """Unmap for good. An index keeps no descriptor, so this returns -1 (kept for the
        callers that close what ``close`` returns)."""
        self._unmap()
        self._writable = False
        self._retired = self._closed = True
        return -1

    @property
    def is_active(self) -> bool:
        return self._writable

    @property
    def size_bytes(self) -> int:
        return self.entries * self.entry_size

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
        lo, hi = 0, self.entries - 1
        if hi < 0 or self._closed:
            return -1
        buf = self._buffer()
        if key_struct.unpack_from(buf, key_at)[0] > target:
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
        if self._file_size % self.entry_size:
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

    def append_final(self, timestamp: int, offset: int) -> None:
        """``maybe_append`` for the entry written when the segment stops being active. If
        the index was never written, the file is made holding just that entry, instead of
        being preallocated, mapped and trimmed back (closing thousands of partitions)."""
        if self.entries or not self._preallocate or self.path.exists():
            self.maybe_append(timestamp, offset)
            return
        if timestamp < 0:
            return
        data = _TIME_ENTRY.pack(timestamp, self._relative(offset))
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            written = 0
            while written < len(data):
                written += os.pwrite(fd, data[written:], written)
        finally:
            os.close(fd)
        self._preallocate = self._writable = False  # not mapped for writing: ``trim`` is next
        self._file_size = len(data)
        self.entries = 1

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
        if self._file_size % self.entry_size:
            return False
        if not self.entries:
            return True
        first_offset = self.entry(0)[1]
        if self.entries > 1 and not _strictly_increasing(self._buffer(), self.entries, "qi"):
            return False
        return first_offset >= self.base_offset
