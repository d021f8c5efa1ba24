"""One log segment: a ``.log`` file of RecordBatches plus its ``.index``, ``.timeindex``
and ``.txnindex`` (``txn_index``: aborted transactions, written by the log and rebuilt by the
loader, never by the segment itself).

The counterpart of Kafka's ``LogSegment``. Files are named by the segment's base offset,
zero-padded to 20 digits (``LogFileUtils.filenamePrefixFromOffset``). The ``.log`` holds the
batches exactly as produced, with broker-assigned base offsets.

Contract:
- ``append`` writes pre-validated, offset-stamped batches at the end with ``os.pwrite`` (a
  page-cache write; never ``os.write``: the server ``dup``s our descriptor for sendfile and
  a dup shares the file position) and adds a sparse index entry when more than
  ``index.interval.bytes`` were written since the last one (``LogSegment.append``); a
  failed or short write is cut back to the last whole batch (``SegmentDamagedError`` when
  even that fails), so a full disk never leaves a partial batch behind;
- ``translate_offset`` finds the batch holding an offset: offset-index lookup, then a scan of
  batch headers from that position (``LogSegment.translateOffset``);
- ``read_from`` cuts a ``FileSlice`` at batch boundaries (KIP-74 aside, see ``read_from``);
- ``seal`` (on roll) appends the final time-index entry and trims both indexes;
- ``recover`` (after an unclean shutdown) checks every batch's bounds, magic, CRC and offset
  order, rebuilds both indexes and truncates the file at the first bad byte
  (``LogSegment.recover``); ``load`` is the cheap path for segments below the recovery point.

Only batch headers are ever parsed. Every file descriptor handed out (``seal``, ``close``)
belongs to the caller afterwards, which fsyncs and closes it on the flusher thread. The
``.log`` descriptor is opened on first use and may be closed between uses by the broker's
``OpenFiles`` cache (``fd``); the indexes keep none.
"""

from __future__ import annotations

import logging
import os
import struct
from collections.abc import Iterator, Sequence
from pathlib import Path

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.crc import crc32c
from kafkalite.protocol.records import (
    ATTRIBUTES_OFFSET,
    BATCH_HEADER_SIZE,
    LOG_OVERHEAD,
    BatchHeader,
    CorruptRecordError,
    read_header,
)
from kafkalite.storage import faults
from kafkalite.storage.errors import KafkaStorageError
from kafkalite.storage.index import OffsetIndex, TimeIndex
from kafkalite.storage.open_files import OpenFiles
from kafkalite.storage.txn_index import TransactionIndex

__all__ = [
    "SEGMENT_FILE_SUFFIXES",
    "Segment",
    "SegmentDamagedError",
    "iter_batch_headers",
    "segment_path",
]

log = logging.getLogger(__name__)

INT32_MAX = 0x7FFFFFFF
_SCAN_WINDOW = 64 * 1024  # header scans: enough for many small batches per read
_RECOVERY_WINDOW = 1 << 20  # recovery reads whole batches, this much at a time
# baseOffset, batchLength, partitionLeaderEpoch, magic, crc, attributes, lastOffsetDelta,
# baseTimestamp, maxTimestamp: the header fields recovery checks, in one unpack
_RECOVERY_FIELDS = struct.Struct(">qiibIhiqq")
SEGMENT_FILE_SUFFIXES = (".log", ".index", ".timeindex", ".txnindex")


class SegmentDamagedError(KafkaStorageError):
    """A failed write could not be undone: the file may end in a partial batch."""


def segment_path(directory: Path, base_offset: int, suffix: str) -> Path:
    return directory / f"{base_offset:020d}{suffix}"


def iter_batch_headers(fd: int, start: int, end: int) -> Iterator[tuple[int, BatchHeader]]:
    """Yield ``(position, header)`` of the batches in ``[start, end)`` of a file already
    known to be valid; a malformed header raises ``CorruptRecordError``."""
    buf = b""
    buf_start = start
    pos = start
    while pos < end:
        rel = pos - buf_start
        if rel + BATCH_HEADER_SIZE > len(buf):
            buf = os.pread(fd, min(_SCAN_WINDOW, end - pos), pos)
            buf_start, rel = pos, 0
        header = read_header(buf, rel)
        if header.magic != 2 or header.size < BATCH_HEADER_SIZE or pos + header.size > end:
            raise CorruptRecordError(f"bad batch header at position {pos}")
        yield pos, header
        pos += header.size


class Segment:
    """A ``.log`` file and its two indexes; owned by one ``PartitionLog``."""

    _last_batch: tuple[int, BatchHeader] | None = None
    """Position and header of the batch appended last, while the file ends with it: a
    consumer at the end of the log asks for exactly that batch, found without a scan."""

    def __init__(
        self, directory: Path, base_offset: int, segment_index_bytes: int,
        files: OpenFiles | None = None,
    ) -> None:
        self.directory = directory
        self.base_offset = base_offset
        self.log_path = segment_path(directory, base_offset, ".log")
        self.files = files if files is not None else OpenFiles()
        self._fd = -1  # opened on first use (``fd``), closed by ``files`` when idle
        self.closed = False
        try:
            self.size = os.stat(self.log_path).st_size
        except FileNotFoundError:
            os.close(os.open(self.log_path, os.O_RDWR | os.O_CREAT, 0o644))
            self.size = 0
        # at open; a missing index is never assumed empty unless ``load`` shows it may be
        self.time_index_found = segment_path(directory, base_offset, ".timeindex").exists()
        self.indexes_found = self.time_index_found and (
            segment_path(directory, base_offset, ".index").exists()
        )
        self.offset_index = OffsetIndex(
            segment_path(directory, base_offset, ".index"), base_offset, segment_index_bytes
        )
        self.time_index = TimeIndex(
            segment_path(directory, base_offset, ".timeindex"), base_offset, segment_index_bytes
        )
        self.txn_index = TransactionIndex(
            segment_path(directory, base_offset, ".txnindex"), base_offset
        )
        self.next_offset = base_offset
        self.max_timestamp = -1
        self.offset_of_max_timestamp = base_offset
        self.bytes_since_last_index_entry = 0
        self.first_batch_timestamp: int | None = None  # Kafka's rollingBasedTimestamp
        self.created_ms = 0

    # -- the .log descriptor ---------------------------------------------------------------

    @property
    def fd(self) -> int:
        """The ``.log`` descriptor, opened now if the cache closed it (or it was never
        opened). Valid until another segment of the same cache is opened, or, once handed
        out in a ``FileSlice``, until the event loop runs again."""
        fd = self._fd
        if fd >= 0:
            self.files.used(self)
            return fd
        if self.closed:
            raise ValueError(f"{self.log_path} is closed")
        fd = self._fd = os.open(self.log_path, os.O_RDWR)
        self.files.opened(self)
        return fd

    @property
    def open_fd(self) -> int:
        """The ``.log`` descriptor if it is open now, else -1; never opens it."""
        return self._fd

    def release(self) -> None:
        """Close the ``.log`` descriptor (the cache does, to stay within its capacity); the
        next use opens it again. Writes need no fsync first: the flusher fsyncs by path."""
        fd, self._fd = self._fd, -1
        if fd >= 0:
            os.close(fd)

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def create(
        cls, directory: Path, base_offset: int, segment_index_bytes: int, *, now_ms: int,
        files: OpenFiles | None = None, fresh: bool = False,
    ) -> Segment:
        """A new, empty, active segment. It keeps no descriptor open (its ``.log`` is opened
        on first use), so it may be made on a worker thread. ``fresh``: the directory was
        just made, so there are no leftover files to delete first."""
        if not fresh:
            for suffix in SEGMENT_FILE_SUFFIXES:
                segment_path(directory, base_offset, suffix).unlink(missing_ok=True)
        segment = cls(directory, base_offset, segment_index_bytes, files)
        segment.created_ms = now_ms
        segment.make_active()  # holds no descriptor: nothing to give back on failure
        return segment

    def load(self, *, now_ms: int, index_interval_bytes: int) -> str | None:
        """Open a segment trusted to be valid (below the recovery point or after a clean
        shutdown): check the indexes, rebuild them if they are missing or insane, and find
        the next offset and max timestamp from the batches after the last index entry
        (Kafka's ``readNextOffset``/``readLargestTimestamp``). A malformed tail falls back to
        ``recover``. Returns why the indexes were rebuilt, or ``None``."""
        self.created_ms = now_ms
        try:
            problem = self._index_problem()
            if problem is not None:
                log.warning("rebuilding the indexes of %s: %s", self.log_path, problem)
                self.rebuild_indexes(index_interval_bytes)
                return problem
            self.max_timestamp, self.offset_of_max_timestamp = self.time_index.last_entry()
            indexed_offset, position = self.offset_index.last_entry()
            tail = iter_batch_headers(self.fd, position, self.size) if position < self.size else ()
            for pos, header in tail:
                if pos == position and self.offset_index.entries and (
                    header.last_offset != indexed_offset
                ):
                    problem = f"the last index entry points at offset {header.last_offset}"
                    break
                if not self.indexes_found and (
                    self.bytes_since_last_index_entry > index_interval_bytes
                ):
                    problem = "an index file is missing"  # an entry was due before this batch
                    break
                self._track(header)
                self.bytes_since_last_index_entry += header.size
                self.next_offset = header.next_offset
            if (
                problem is None
                and self.time_index.entries
                and self.offset_of_max_timestamp >= self.next_offset
            ):
                problem = "the time index points past the log"
            if problem is not None:
                log.warning("rebuilding the indexes of %s: %s", self.log_path, problem)
                self.rebuild_indexes(index_interval_bytes)
                return problem
            if self.size:
                first = read_header(os.pread(self.fd, BATCH_HEADER_SIZE, 0))
                self.first_batch_timestamp = first.max_timestamp
        except CorruptRecordError:
            log.warning("%s has a malformed batch; recovering it", self.log_path)
            self.recover(index_interval_bytes)
            return "a malformed batch"
        return None

    def _index_problem(self) -> str | None:
        """What makes the indexes unusable before ``load``'s scan of the tail. A missing
        index file is not by itself: index files are made when first written (a segment
        whose batches never made an entry due has none), and the scan, which then covers
        the whole segment, tells whether an entry was due. A missing time index beside
        offset-index entries is, since the scan would miss earlier timestamps."""
        if not self.time_index_found and self.offset_index.entries:
            return "the time index file is missing"
        if not self.offset_index.sane(self.size):
            return "the offset index fails its sanity check"
        if not self.time_index.sane():
            return "the time index fails its sanity check"
        return None

    def rebuild_indexes(self, index_interval_bytes: int) -> None:
        """Rebuild both indexes from batch headers (no CRC check)."""
        self._reset_indexes()
        for pos, header in iter_batch_headers(self.fd, 0, self.size) if self.size else ():
            self._index_batch(pos, header, index_interval_bytes)
        self._finish_rebuild()

    def recover(self, index_interval_bytes: int) -> int:
        """Validate every batch, rebuild the indexes, cut the file after the last good batch.
        Returns the number of bytes truncated.

        The hot loop of a start after a crash, so it reads the file through a large buffer
        and unpacks only the header fields it checks (no ``BatchHeader`` per batch)."""
        self._reset_indexes()
        fd = self.fd
        file_size = os.fstat(fd).st_size
        base_offset = self.base_offset
        index = self._index
        buf = b""
        view = memoryview(buf)
        buf_start = 0
        pos = 0
        while file_size - pos >= BATCH_HEADER_SIZE:
            rel = pos - buf_start
            if rel + BATCH_HEADER_SIZE > len(buf):
                buf = os.pread(fd, min(_RECOVERY_WINDOW, file_size - pos), pos)
                view, buf_start, rel = memoryview(buf), pos, 0
            (batch_offset, batch_length, _, magic, crc, _, last_delta, _, max_timestamp) = (
                _RECOVERY_FIELDS.unpack_from(buf, rel)
            )
            size = batch_length + LOG_OVERHEAD
            if magic != 2 or size < BATCH_HEADER_SIZE or pos + size > file_size:
                break
            if rel + size > len(buf):
                buf = os.pread(fd, max(size, min(_RECOVERY_WINDOW, file_size - pos)), pos)
                view, buf_start, rel = memoryview(buf), pos, 0
                if len(buf) < size:
                    break
            last_offset = batch_offset + last_delta
            if (
                crc32c(view[rel + ATTRIBUTES_OFFSET : rel + size]) != crc
                or last_delta < 0
                or batch_offset < self.next_offset
                or last_offset - base_offset > INT32_MAX
            ):
                break
            index(pos, last_offset, max_timestamp, size, index_interval_bytes)
            pos += size
        truncated = file_size - pos
        if truncated:
            log.warning("truncating %d invalid bytes at the end of %s", truncated, self.log_path)
            os.ftruncate(fd, pos)
        self.size = pos
        self._finish_rebuild()
        return truncated

    def _reset_indexes(self) -> None:
        self.offset_index.reset()
        self.time_index.reset()
        if not self.offset_index.is_active:
            self.offset_index.make_active()
            self.time_index.make_active()
        self.next_offset = self.base_offset
        self.max_timestamp = -1
        self.offset_of_max_timestamp = self.base_offset
        self.bytes_since_last_index_entry = 0
        self.first_batch_timestamp = None

    def _finish_rebuild(self) -> None:
        """Kafka appends the segment's max timestamp at the end of a recovery so that a
        later load sees it without a scan."""
        self.time_index.maybe_append(self.max_timestamp, self.offset_of_max_timestamp)

    def make_active(self) -> None:
        self.offset_index.make_active()
        self.time_index.make_active()

    # -- appending -------------------------------------------------------------------------

    def _track(self, header: BatchHeader) -> None:
        if header.max_timestamp > self.max_timestamp:
            self.max_timestamp = header.max_timestamp
            self.offset_of_max_timestamp = header.last_offset
        if self.first_batch_timestamp is None:
            self.first_batch_timestamp = header.max_timestamp

    def _index_batch(self, position: int, header: BatchHeader, index_interval_bytes: int) -> None:
        self._index(
            position, header.last_offset, header.max_timestamp, header.size, index_interval_bytes
        )

    def _index(
        self, position: int, last_offset: int, max_timestamp: int, size: int,
        index_interval_bytes: int,
    ) -> None:
        """Account for the batch at ``position``; add index entries when they are due."""
        if max_timestamp > self.max_timestamp:
            self.max_timestamp = max_timestamp
            self.offset_of_max_timestamp = last_offset
        if self.first_batch_timestamp is None:
            self.first_batch_timestamp = max_timestamp
        if self.bytes_since_last_index_entry > index_interval_bytes:
            if not self.offset_index.is_full:
                self.offset_index.append(last_offset, position)
            if not self.time_index.is_full:
                self.time_index.maybe_append(self.max_timestamp, self.offset_of_max_timestamp)
            self.bytes_since_last_index_entry = 0
        self.bytes_since_last_index_entry += size
        self.next_offset = last_offset + 1

    def should_roll(
        self, *, append_size: int, last_offset: int, max_timestamp: int, now_ms: int,
        segment_bytes: int, segment_ms: int,
    ) -> bool:
        """Kafka's ``LogSegment.shouldRoll``: size, age (segment.ms, measured from the first
        batch's timestamp when it has one), full indexes, or a relative offset overflow."""
        if self.size == 0:
            return False
        if self.first_batch_timestamp is not None and self.first_batch_timestamp >= 0:
            waited = max_timestamp - self.first_batch_timestamp
        else:
            waited = now_ms - self.created_ms
        return (
            self.size > segment_bytes - append_size
            or waited > segment_ms
            or self.offset_index.is_full
            or self.time_index.is_full
            or last_offset - self.base_offset > INT32_MAX
        )

    def append(
        self, data: bytes | bytearray | memoryview, headers: Sequence[BatchHeader],
        index_interval_bytes: int,
    ) -> None:
        """Write ``data`` (exactly the batches in ``headers``) at the end of the file."""
        start = self.size
        view = memoryview(data)
        written = 0
        fd = self.fd
        try:
            while written < len(view):
                written += faults.pwrite(fd, view[written:], start + written, self.directory)
        except OSError as exc:
            # Nothing of a failed write may stay: cut the file back to the last whole batch.
            # A short write to the page cache left nothing else behind, so the segment is
            # as it was and later appends may succeed; if the cut fails, it is damaged.
            message = f"write of {len(view)} bytes to {self.log_path} failed: {exc}"
            try:
                os.ftruncate(fd, start)
            except OSError as cut_exc:
                raise SegmentDamagedError(
                    f"{message}; cutting it back to {start} bytes failed too: {cut_exc}"
                ) from exc
            raise KafkaStorageError(message) from exc
        position = start
        for header in headers:
            self._index_batch(position, header, index_interval_bytes)
            self._last_batch = (position, header)
            position += header.size
        self.size = position

    # -- reading ---------------------------------------------------------------------------

    def translate_offset(
        self, offset: int, start_position: int = 0
    ) -> tuple[int, BatchHeader] | None:
        """Position and header of the first batch whose last offset is >= ``offset``."""
        if offset >= self.next_offset:
            return None
        last = self._last_batch
        if (
            last is not None
            and last[1].base_offset <= offset <= last[1].last_offset
            and last[0] >= start_position
            and last[0] + last[1].size == self.size
        ):
            return last
        position = max(self.offset_index.lookup(offset)[1], start_position)
        for pos, header in iter_batch_headers(self.fd, position, self.size):
            if header.last_offset >= offset:
                return pos, header
        return None

    def position_of(self, offset: int) -> int:
        """File position where batches holding offsets >= ``offset`` begin (a batch that
        straddles ``offset`` counts as at or after it)."""
        found = self.translate_offset(offset)
        return self.size if found is None else found[0]

    def read_from(
        self, position: int, first: BatchHeader, max_bytes: int, max_position: int,
        min_one_batch: bool,
    ) -> FileSlice | None:
        """Whole batches from ``position`` (where ``first`` starts) totalling at most
        ``max_bytes`` and ending at or before ``max_position``. With ``min_one_batch`` the
        first batch is returned even when larger than ``max_bytes`` (KIP-74); ``None`` when
        nothing fits. Kafka may end a fetch on a partial batch; cutting at a boundary is
        equally valid for every client and simpler to reason about."""
        first_end = position + first.size
        if first_end > max_position:
            return None
        limit = min(position + max_bytes, max_position)
        if first_end > limit:
            return self._slice(position, first.size) if min_one_batch else None
        # Index entries point at batch starts: jump to the last one at or below the limit,
        # then walk headers while the next batch still fits.
        end = max(self.offset_index.lookup_position(limit)[1], first_end)
        for pos, header in iter_batch_headers(self.fd, end, self.size):
            if pos + header.size > limit:
                break
            end = pos + header.size
        return self._slice(position, end - position)

    def _slice(self, position: int, length: int) -> FileSlice:
        chunk = FileSlice(self.fd, position, length)
        self.files.pin(self)  # the descriptor must outlive this turn of the loop
        return chunk

    # -- retiring --------------------------------------------------------------------------

    def seal(self) -> list[int]:
        """The segment stops being active: write the final time-index entry, trim both
        indexes. Returns index descriptors for the flusher to fsync and close; the ``.log``
        stays in the cache for reads (the flusher fsyncs it by path)."""
        self.time_index.append_final(self.max_timestamp, self.offset_of_max_timestamp)
        fds = [
            self.offset_index.trim(lazy=True), self.time_index.trim(lazy=True),
            self.txn_index.close(),
        ]
        return [fd for fd in fds if fd >= 0]

    def close(self) -> list[int]:
        """Seal if needed and give up every descriptor (``.log`` last, when it is open)."""
        fds: list[int] = []
        if self.offset_index.is_active:
            fds.extend(self.seal())
        closing = (self.offset_index.close(), self.time_index.close(), self.txn_index.close())
        fds.extend(fd for fd in closing if fd >= 0)
        self.closed = True
        self.files.forget(self)
        fd, self._fd = self._fd, -1
        if fd >= 0:
            fds.append(fd)
        return fds

    def delete_files(self) -> None:
        for suffix in SEGMENT_FILE_SUFFIXES:
            segment_path(self.directory, self.base_offset, suffix).unlink(missing_ok=True)
