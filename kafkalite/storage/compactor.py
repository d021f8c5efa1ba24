"""The worker half of log compaction: build the offset map, rewrite segment groups.

Runs on the cleaner's worker thread and touches no live object: it gets a ``CleanPlan``
made on the event loop (``cleaner.plan_clean``) holding duplicated descriptors of the
segments to read, which are immutable (closed segments, or the part of the active segment
below the recovery point), and writes only new ``<base>.log.cleaned``,
``<base>.index.cleaned``, ``<base>.timeindex.cleaned`` and, when an aborted transaction is
kept, ``<base>.txnindex.cleaned`` files, fsynced before it returns.
The swap into the log happens later, on the loop (``cleaner.install_clean``).

Kafka's ``Cleaner`` in Python:
1. ``build_offset_map``: key -> offset of its latest record, over [first dirty offset, map
   end). Kafka's map stops at the first uncleanable offset; ours goes on to the recovery
   point (never past the last stable offset), through the flushed part of the active
   segment, so a key rewritten recently still supersedes its older records, and nothing
   not yet durable, nor any record of a transaction still open, ever removes a durable
   record. Records of aborted transactions are not mapped. Keys are kept whole (Kafka
   keeps a 16-byte hash in a bounded buffer): one dictionary entry per distinct key of the
   dirty part.
2. ``clean_group``: the segments of a group become one segment based at the first one's
   base offset. Records (``Cleaner.shouldRetainRecord``): one without key goes; one whose
   offset is below its key's latest goes; a tombstone goes once its batch's delete horizon
   has passed. A batch that keeps a tombstone and has no horizon gets
   ``now + delete.retention.ms`` (KIP-534), so a tombstone survives at least
   ``delete.retention.ms`` after the clean that first kept it. Batches
   (``checkBatchRetention``): one left empty stays as an empty header when it holds its
   producer's last offset (so the producer's last sequence survives a restart) or when it
   ends the group (so the segment still ends where the next one begins); a batch that lost
   nothing and needs no horizon is copied byte for byte; the rest are rebuilt
   (``record_set.build_batch``). Any batch that cannot be decoded is copied unchanged, and
   so is one beyond ``record_validator.DEFAULT_LIMITS`` (more records, or more decompressed
   bytes, than produce accepts): decoding it would cost work in proportion to whatever a
   log written before produce checked records holds, on every pass.
3. Transactions (``cleaned_txns``, Kafka's ``CleanedTransactionMetadata``, fresh for each
   group): the records of aborted transactions go (their batch is then handled like any
   emptied batch); committed transactional batches are compacted like the others; a
   marker whose transaction has no data left gets a delete horizon of now +
   ``delete.retention.ms`` and goes in the first clean after it, so a marker outlives its
   transaction's data by at least that long. ABORT markers kept because their data is still
   there keep their ``.txnindex`` entry in the cleaned segment; the others' entries go.
   An emptied aborted batch that is its producer's last data batch stays as an empty
   header, and keeps its marker alive, as in Kafka. Nothing past the last stable offset is
   cleaned (``cleaner.cleanable_offsets``); Kafka's rule for markers of message formats
   before v2 (``retainLegacyDeletesAndTxnMarkers``) does not apply to v2-only logs.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kafkalite.protocol.record_codec import Record, read_records
from kafkalite.protocol.record_validator import DEFAULT_LIMITS
from kafkalite.protocol.records import (
    BATCH_HEADER_SIZE,
    BatchHeader,
    CorruptRecordError,
    read_header,
)
from kafkalite.storage.cleaned_txns import CleanedTransactions
from kafkalite.storage.index import OffsetIndex, TimeIndex
from kafkalite.storage.record_set import build_batch, delete_horizon_ms
from kafkalite.storage.segment import segment_path
from kafkalite.storage.txn_index import AbortedTxn, TransactionIndex
from kafkalite.storage.txn_marker import read_marker

__all__ = [
    "CLEANED_SUFFIX",
    "CleanAbortedError",
    "CleanPlan",
    "CleanedGroup",
    "SegmentView",
    "build_offset_map",
    "clean_group",
    "run_clean",
]

log = logging.getLogger(__name__)

CLEANED_SUFFIX = ".cleaned"
_WINDOW = 1 << 20


class CleanAbortedError(Exception):
    """The cleaner is stopping: the clean was abandoned and its files deleted."""


@dataclass(frozen=True, slots=True)
class SegmentView:
    """What the worker may know of a segment: a duplicate descriptor it owns and how many
    bytes of it to read."""

    base_offset: int
    next_offset: int
    size: int
    fd: int
    mtime_ns: int


@dataclass(slots=True)
class CleanPlan:
    """Everything the worker needs, taken on the loop; it owns the duplicated descriptors
    of its views until ``close_views``."""

    directory: Path
    name: str  # <topic>-<partition>, for log lines
    first_dirty: int
    first_uncleanable: int
    map_end: int  # the offset map covers [first_dirty, map_end)
    map_views: list[SegmentView]
    group_views: list[list[SegmentView]]
    now_ms: int
    delete_retention_ms: int
    segment_index_bytes: int
    index_interval_bytes: int
    producer_last_offsets: dict[int, int]  # producer id -> offset of its last record
    # .txnindex entries that may concern the batches read (any order)
    aborted_txns: list[AbortedTxn] = field(default_factory=list)
    _closed: bool = field(default=False, init=False)

    def close_views(self) -> None:
        """Close the duplicated descriptors (idempotent)."""
        if self._closed:
            return
        self._closed = True
        fds = {view.fd for view in self.map_views}
        fds.update(view.fd for views in self.group_views for view in views)
        for fd in fds:
            os.close(fd)


@dataclass(slots=True)
class CleanedGroup:
    """One cleaned segment, fsynced, under its ``.cleaned`` names; what ``Segment.load``
    would find by scanning it comes along, so the swap on the loop need not scan it."""

    base_offset: int
    next_offset: int
    old_bytes: int
    new_bytes: int
    files: dict[str, Path]  # ".log"/".index"/".timeindex"[/".txnindex"] -> ".cleaned" path
    max_timestamp: int = -1
    offset_of_max_timestamp: int = 0
    first_batch_timestamp: int | None = None
    bytes_since_last_index_entry: int = 0

    def discard(self) -> None:
        for path in self.files.values():
            path.unlink(missing_ok=True)


def _check(abort: threading.Event | None) -> None:
    if abort is not None and abort.is_set():
        raise CleanAbortedError("the cleaner is stopping")


def iter_batches(fd: int, size: int) -> Iterator[tuple[BatchHeader, memoryview]]:
    """``(header, bytes)`` of every batch in the first ``size`` bytes of the file."""
    buf = b""
    buf_start = 0
    pos = 0
    while pos < size:
        rel = pos - buf_start
        if rel < 0 or rel + BATCH_HEADER_SIZE > len(buf):
            buf, buf_start, rel = os.pread(fd, min(_WINDOW, size - pos), pos), pos, 0
        header = read_header(buf, rel)
        if header.magic != 2 or header.size < BATCH_HEADER_SIZE or pos + header.size > size:
            raise CorruptRecordError(f"bad batch header at position {pos}")
        if rel + header.size > len(buf):
            buf = os.pread(fd, max(header.size, min(_WINDOW, size - pos)), pos)
            buf_start, rel = pos, 0
            if len(buf) < header.size:
                raise CorruptRecordError(f"batch at position {pos} is cut short")
        yield header, memoryview(buf)[rel : rel + header.size]
        pos += header.size


def _read_bounded(data: memoryview, header: BatchHeader) -> list[Record]:
    """The batch's records, within the limits produce applies (else CorruptRecordError)."""
    if header.records_count > DEFAULT_LIMITS.max_records:
        raise CorruptRecordError(
            f"{header.records_count} records, more than the {DEFAULT_LIMITS.max_records} "
            f"allowed per batch"
        )
    return read_records(data, header, max_size=DEFAULT_LIMITS.max_decompressed_bytes)


def build_offset_map(plan: CleanPlan, abort: threading.Event | None = None) -> dict[bytes, int]:
    offsets: dict[bytes, int] = {}
    txns = CleanedTransactions(plan.aborted_txns)
    for view in plan.map_views:
        for header, data in iter_batches(view.fd, view.size):
            _check(abort)
            if header.base_offset >= plan.map_end:
                break
            if header.is_control:
                txns.on_marker(header, read_marker(data, header))
                continue
            if txns.on_batch(header) or header.last_offset < plan.first_dirty:
                continue
            try:
                records = _read_bounded(data, header)
            except CorruptRecordError as exc:  # its keys supersede nothing: the safe side
                log.warning(
                    "%s: batch at offset %d unreadable while mapping keys: %s",
                    plan.name,
                    header.base_offset,
                    exc,
                )
                continue
            for record in records:
                if record.key is not None and record.offset >= plan.first_dirty:
                    offsets[record.key] = record.offset
    return offsets


class _CleanedWriter:
    """Writes one cleaned segment and its indexes (Kafka's ``LogSegment.append`` rules)."""

    def __init__(self, plan: CleanPlan, base_offset: int) -> None:
        self.files = {
            suffix: segment_path(plan.directory, base_offset, suffix + CLEANED_SUFFIX)
            for suffix in (".log", ".index", ".timeindex")
        }
        self._txn_path = segment_path(plan.directory, base_offset, ".txnindex" + CLEANED_SUFFIX)
        self._base_offset = base_offset
        self._txn_path.unlink(missing_ok=True)
        for path in self.files.values():
            path.unlink(missing_ok=True)
        self._interval = plan.index_interval_bytes
        self._fd = os.open(self.files[".log"], os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
        self._offset_index = OffsetIndex(
            self.files[".index"], base_offset, plan.segment_index_bytes
        )
        self._time_index = TimeIndex(
            self.files[".timeindex"], base_offset, plan.segment_index_bytes
        )
        self._offset_index.make_active()
        self._time_index.make_active()
        self.size = 0
        self.next_offset = base_offset
        self.since_index = 0
        self.max_timestamp = -1
        self.offset_of_max = base_offset
        self.first_batch_timestamp: int | None = None

    def append(self, data: bytes | memoryview, header: BatchHeader) -> None:
        if header.max_timestamp > self.max_timestamp:
            self.max_timestamp, self.offset_of_max = header.max_timestamp, header.last_offset
        if self.first_batch_timestamp is None:
            self.first_batch_timestamp = header.max_timestamp
        if self.since_index > self._interval:
            if not self._offset_index.is_full:
                self._offset_index.append(header.last_offset, self.size)
            if not self._time_index.is_full:
                self._time_index.maybe_append(self.max_timestamp, self.offset_of_max)
            self.since_index = 0
        view = memoryview(data)
        written = 0
        while written < len(view):
            written += os.pwrite(self._fd, view[written:], self.size + written)
        self.since_index += len(view)
        self.size += len(view)
        self.next_offset = header.next_offset

    def finish(self, mtime_ns: int, aborted: list[AbortedTxn]) -> None:
        """Final time-index entry, the ``.txnindex`` of the kept aborted transactions,
        trim, fsync, close; the file keeps the last old segment's modification time
        (Kafka's ``cleaned.setLastModified``)."""
        self._time_index.maybe_append(self.max_timestamp, self.offset_of_max)
        fds = [self._offset_index.trim(), self._time_index.trim(), self._fd]
        if aborted:
            self.files[".txnindex"] = self._txn_path
            txn_index = TransactionIndex(self._txn_path, self._base_offset)
            try:
                for txn in aborted:
                    txn_index.append(txn)
            finally:
                if (txn_fd := txn_index.close()) >= 0:
                    fds.append(txn_fd)
        self._fd = -1
        try:
            for fd in fds:
                os.fsync(fd)
        finally:
            self._offset_index.close()
            self._time_index.close()
            for fd in fds:
                os.close(fd)
        os.utime(self.files[".log"], ns=(mtime_ns, mtime_ns))

    def discard(self) -> None:
        for fd in (self._offset_index.close(), self._time_index.close(), self._fd):
            if fd >= 0:
                os.close(fd)
        self._fd = -1
        for path in (*self.files.values(), self._txn_path):
            path.unlink(missing_ok=True)


def _filter_batch(
    plan: CleanPlan,
    header: BatchHeader,
    data: memoryview,
    offsets: dict[bytes, int],
    group_end: int,
    txns: CleanedTransactions,
) -> bytes | memoryview | None:
    """The batch to write in place of ``data``: itself, a rebuilt one, or ``None``."""
    horizon = delete_horizon_ms(header)
    if header.is_control:
        marker = read_marker(data, header)
        if not txns.on_marker(header, marker):
            return data
        if horizon is not None and plan.now_ms >= horizon:
            return _emptied(plan, header, data, group_end)
        if horizon is None and header.records_count > 0:
            records = read_records(data, header)
            return build_batch(header, records, delete_horizon_ms=plan.now_ms + plan.delete_retention_ms)
        return data if header.records_count > 0 else _emptied(plan, header, data, group_end)
    if txns.on_batch(header):
        return _emptied(plan, header, data, group_end)
    try:
        records = _read_bounded(data, header)
    except CorruptRecordError as exc:
        log.warning(
            "%s: batch at offset %d copied as it is, unreadable: %s",
            plan.name,
            header.base_offset,
            exc,
        )
        return data
    kept: list[Record] = []
    tombstones = False
    for record in records:
        if record.key is None or record.offset < offsets.get(record.key, -1):
            continue
        if not record.has_value:
            if horizon is not None and plan.now_ms >= horizon:
                continue
            tombstones = True
        kept.append(record)
    if not kept:
        return _emptied(plan, header, data, group_end)
    if tombstones and horizon is None:
        horizon = plan.now_ms + plan.delete_retention_ms
    elif len(kept) == len(records):
        return data
    return build_batch(header, kept, delete_horizon_ms=horizon)


def _emptied(
    plan: CleanPlan, header: BatchHeader, data: memoryview, group_end: int
) -> bytes | memoryview | None:
    """A batch that keeps no record: an empty header when it holds its producer's last
    offset or ends the group (module docstring), else nothing."""
    producers_last = header.producer_id >= 0 and (
        plan.producer_last_offsets.get(header.producer_id) == header.last_offset
    )
    if producers_last or header.next_offset == group_end:
        return data if header.records_count == 0 else build_batch(header, [])
    return None


def clean_group(
    plan: CleanPlan,
    views: Sequence[SegmentView],
    offsets: dict[bytes, int],
    abort: threading.Event | None = None,
) -> CleanedGroup:
    """Rewrite the consecutive segments ``views`` into one ``.cleaned`` segment."""
    writer = _CleanedWriter(plan, views[0].base_offset)
    group_end = views[-1].next_offset
    txns = CleanedTransactions(
        txn for txn in plan.aborted_txns if txn.last_offset >= views[0].base_offset
    )
    try:
        for view in views:
            for header, data in iter_batches(view.fd, view.size):
                _check(abort)
                out = _filter_batch(plan, header, data, offsets, group_end, txns)
                if out is not None:
                    writer.append(out, header if out is data else read_header(out))
        writer.finish(views[-1].mtime_ns, txns.retained)
    except BaseException:
        writer.discard()
        raise
    return CleanedGroup(
        views[0].base_offset,
        writer.next_offset,
        sum(view.size for view in views),
        writer.size,
        writer.files,
        writer.max_timestamp,
        writer.offset_of_max,
        writer.first_batch_timestamp,
        writer.since_index,
    )


def run_clean(plan: CleanPlan, abort: threading.Event | None = None) -> list[CleanedGroup]:
    """The whole worker side of one clean; closes the plan's descriptors when done. On
    any failure every file it wrote is deleted before the exception propagates."""
    cleaned: list[CleanedGroup] = []
    try:
        offsets = build_offset_map(plan, abort)
        for views in plan.group_views:
            cleaned.append(clean_group(plan, views, offsets, abort))
    except BaseException:
        for group in cleaned:
            group.discard()
        raise
    finally:
        plan.close_views()
    return cleaned
