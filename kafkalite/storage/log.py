"""PartitionLog: one partition's log (Kafka's ``UnifiedLog`` + ``LocalLog``, single replica).

Owned by the event loop: ``append``, ``read`` and the lookups run there and never block on
the disk beyond page-cache reads and writes. Only the flush bookkeeping (``flush_state``) is
shared with the flusher thread.

Offsets: ``log_start_offset`` <= offsets < ``log_end_offset`` (the next offset to assign).
With one replica the high watermark equals the log end offset. The last stable offset is
the first offset of the oldest open transaction (``producer_state``), raised to the log
start offset if records below it were deleted, as Kafka's ``updateFirstUnstableOffset``
does; with no open transaction it is the high watermark.

``append`` takes batches already validated by ``records.validate_batches`` and:
1. checks CreateTime timestamps against ``message.timestamp.{before,after}.max.ms``
   (batch-level: ``maxTimestamp`` and ``baseTimestamp``, not every record);
2. answers a retried idempotent batch with its original offsets (``duplicate=True``) and
   applies the epoch/sequence rules (``producer_state``);
3. stamps base offsets (leader epoch 0) in place, sets LogAppendTime when the topic uses it;
4. rolls the segment when needed, writes, indexes, updates producer state;
5. asks the flusher for an fsync when ``flush.messages``/``flush.ms`` say so.

I/O errors: a failed write (a full disk) is cut back by the segment and refused with
KAFKA_STORAGE_ERROR; the log changes in no way and the next append tries again. A failed
fsync, or a failed write that could not be cut back, takes the log offline for appends until
a restart recovers it (``offline_reason``; reads go on), as Kafka takes a log directory
offline: after a failed fsync the page cache may already have dropped the data.

``flush_future(end)`` resolves once every byte below offset ``end`` is fsynced (group commit,
see ``flush_state``). ``recovery_point`` is the flushed offset; the manager checkpoints it.

Change events: ``add_listener(callback)`` registers a no-argument callable that is called
synchronously, on the event loop, exactly once each time the high watermark or the last
stable offset moves (appends, transaction markers, ``delete_records``, segment removal or
replacement). Long-polling fetches wait on it. A listener that raises is logged and the
operation that moved the offsets goes on.
"""

from __future__ import annotations

import bisect
import concurrent.futures
import logging
import os
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.records import (
    BATCH_HEADER_SIZE,
    BatchHeader,
    patch_base_offset,
    read_header,
    set_log_append_time,
)
from kafkalite.storage import faults
from kafkalite.storage.checkpoint import atomic_write
from kafkalite.storage.config import LogConfig
from kafkalite.storage.errors import (
    InvalidTimestampError,
    KafkaStorageError,
    OffsetOutOfRangeError,
)
from kafkalite.storage.flush_state import FlushState, fsync_path
from kafkalite.storage.flusher import Flusher
from kafkalite.storage.offset_listeners import OffsetListeners
from kafkalite.storage.producer_state import ProducerStateManager
from kafkalite.storage.segment import Segment, SegmentDamagedError
from kafkalite.storage.timestamps import find_offset_by_timestamp, max_timestamp_in_segment
from kafkalite.storage.txn_index import AbortedTxn
from kafkalite.storage.txn_marker import build_marker_batch

__all__ = ["AppendResult", "PartitionLog", "SNAPSHOTS_TO_KEEP", "snapshot_path"]

log = logging.getLogger(__name__)

SNAPSHOTS_TO_KEEP = 2


def snapshot_path(directory: Path, offset: int) -> Path:
    return directory / f"{offset:020d}.snapshot"


@dataclass(frozen=True, slots=True)
class AppendResult:
    base_offset: int
    last_offset: int
    log_append_time: int  # -1 unless the topic uses LogAppendTime
    log_start_offset: int
    duplicate: bool = False  # a retried idempotent batch: original offsets, nothing written


class PartitionLog:
    """The segments of one ``<topic>-<partition>`` directory; built by ``loader``."""

    def __init__(
        self, *, topic: str, partition: int, topic_id: uuid.UUID, directory: Path,
        config: LogConfig, flusher: Flusher, segments: list[Segment], log_start_offset: int,
        recovery_point: int, producer_state: ProducerStateManager,
    ) -> None:
        self.topic = topic
        self.partition = partition
        self.topic_id = topic_id
        self.directory = directory
        self.config = config
        self.log_start_offset = log_start_offset
        self._flusher = flusher
        self._segments = segments
        self._bases = [segment.base_offset for segment in segments]
        self._producer_state = producer_state
        self._closed = False
        self._flush = FlushState(
            directory, flusher, written_end=self.log_end_offset, recovery_point=recovery_point
        )
        self._last_sync_request_ms = 0
        self._changed = False  # appended to since it was opened (a snapshot is due at close)
        self._write_failing = False  # the last append's write failed (full disk, say)
        self._listeners = OffsetListeners(
            f"{topic}-{partition}", (self.high_watermark, self.last_stable_offset)
        )

    # -- offsets ---------------------------------------------------------------------------

    @property
    def log_end_offset(self) -> int:
        return self._segments[-1].next_offset

    @property
    def high_watermark(self) -> int:
        return self.log_end_offset

    @property
    def last_stable_offset(self) -> int:
        first_unstable = self._producer_state.first_unstable_offset
        if first_unstable is None:
            return self.high_watermark
        return min(self.high_watermark, max(first_unstable, self.log_start_offset))

    @property
    def recovery_point(self) -> int:
        return self._flush.recovery_point

    @property
    def offline_reason(self) -> str | None:
        """Why the log refuses appends until a restart (a failed fsync, a write that could
        not be undone), or ``None`` while it is online."""
        return self._flush.failure if not self._closed else None

    @property
    def segments(self) -> tuple[Segment, ...]:
        return tuple(self._segments)

    @property
    def producer_state(self) -> ProducerStateManager:
        return self._producer_state

    @property
    def size_bytes(self) -> int:
        return sum(segment.size for segment in self._segments)

    # -- change events ---------------------------------------------------------------------

    def add_listener(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` on the loop each time the high watermark or the last stable
        offset moves (once per move, whichever of the two moved; ``offset_listeners``)."""
        self._listeners.add(callback)

    def remove_listener(self, callback: Callable[[], None]) -> None:
        """Stop calling ``callback``; a callback not registered is ignored. A listener may
        remove itself (or others) while being called."""
        self._listeners.remove(callback)

    def _offsets_moved(self) -> None:
        self._listeners.changed((self.high_watermark, self.last_stable_offset))

    # -- append ----------------------------------------------------------------------------

    def append(
        self, buf: bytearray | memoryview, headers: list[BatchHeader], *, now_ms: int
    ) -> AppendResult:
        """Append the batches of ``buf`` (a writable buffer holding exactly ``headers``)."""
        self._check_online()
        config = self.config
        log_append_time = config.log_append_time
        if not headers:
            end = self.log_end_offset
            return AppendResult(end, end - 1, -1, self.log_start_offset)
        if not log_append_time:
            self._check_timestamps(headers, now_ms)
        state = self._producer_state
        duplicate = state.find_duplicate(headers)
        if duplicate is not None:
            return AppendResult(
                duplicate.first_offset, duplicate.last_offset,
                duplicate.timestamp if log_append_time else -1, self.log_start_offset, True,
            )
        state.check(headers)
        stamped, segment = self._write(buf, headers, now_ms)
        state.update(stamped)
        self._written(segment, now_ms)
        return AppendResult(
            stamped[0].base_offset, stamped[-1].last_offset,
            now_ms if log_append_time else -1, self.log_start_offset,
        )

    def append_marker(
        self, producer_id: int, producer_epoch: int, *, commit: bool, coordinator_epoch: int,
        now_ms: int,
    ) -> AppendResult:
        """Write a COMMIT or ABORT marker (``txn_marker``) ending the producer's open
        transaction (Kafka's ``UnifiedLog.appendAsLeader`` with a WriteTxnMarkers batch).

        An abort adds an entry to the active segment's ``.txnindex``. The LSO moves past the
        transaction. A producer with no open transaction here still gets its marker, which
        completes nothing (``producer_state``). Raises ``InvalidProducerEpochError`` for an
        epoch older than the producer's, ``TransactionCoordinatorFencedError`` for a
        coordinator epoch older than its last marker's, ``KafkaStorageError`` on I/O failure.
        """
        self._check_online()
        state = self._producer_state
        state.check_marker(producer_id, producer_epoch, coordinator_epoch)
        buf = build_marker_batch(
            producer_id, producer_epoch, commit=commit, coordinator_epoch=coordinator_epoch,
            timestamp_ms=now_ms,
        )
        stamped, segment = self._write(buf, [read_header(buf)], now_ms)
        offset = stamped[0].base_offset
        completed = state.end_txn(
            producer_id, producer_epoch, marker_offset=offset, commit=commit,
            coordinator_epoch=coordinator_epoch, timestamp=now_ms,
        )
        if completed is not None and completed.is_aborted:
            try:
                segment.txn_index.append(AbortedTxn(
                    producer_id, completed.first_offset, offset, completed.last_stable_offset
                ))
            except OSError as exc:  # the marker is written: only a recovery can fix the index
                self._flush.fail(f"writing {segment.txn_index.path} failed: {exc}")
                raise KafkaStorageError(str(self._flush.failure)) from exc
        self._written(segment, now_ms)
        return AppendResult(
            offset, offset, now_ms if self.config.log_append_time else -1, self.log_start_offset
        )

    def _check_online(self) -> None:
        if self._flush.failure is not None or self._closed:
            raise KafkaStorageError(self._flush.failure or f"{self.directory.name} is closed")

    def _write(
        self, buf: bytearray | memoryview, headers: list[BatchHeader], now_ms: int
    ) -> tuple[list[BatchHeader], Segment]:
        """Stamp offsets (and LogAppendTime), roll if due, write; the stamped headers and
        the segment written to."""
        config = self.config
        next_offset = self.log_end_offset
        stamped: list[BatchHeader] = []
        position = 0
        for header in headers:
            patch_base_offset(buf, position, next_offset, 0)
            if config.log_append_time:
                set_log_append_time(buf, position, now_ms)
            stamped.append(read_header(buf, position))
            next_offset += header.last_offset_delta + 1
            position += header.size
        if position != len(buf):
            raise ValueError(f"buffer holds {len(buf)} bytes but the batches {position}")

        segment = self._segments[-1]
        if segment.should_roll(
            append_size=len(buf), last_offset=stamped[-1].last_offset,
            max_timestamp=max(h.max_timestamp for h in stamped), now_ms=now_ms,
            segment_bytes=config.segment_bytes, segment_ms=config.segment_ms,
        ):
            segment = self._roll(now_ms)
        try:
            segment.append(buf, stamped, config.index_interval_bytes)
        except SegmentDamagedError as exc:
            self._flush.fail(str(exc))  # offline until a restart recovers the segment
            raise
        except KafkaStorageError as exc:
            # The write was cut back: nothing changed, the next append tries again (a full
            # disk may have space by then). Only fsync failures take the log offline.
            # Logged once per failing spell: retrying producers would flood the log.
            level = logging.DEBUG if self._write_failing else logging.ERROR
            log.log(level, "%s-%d: append refused: %s", self.topic, self.partition, exc)
            self._write_failing = True
            raise
        if self._write_failing:
            self._write_failing = False
            log.warning("%s-%d: appends succeed again", self.topic, self.partition)
        return stamped, segment

    def _written(self, segment: Segment, now_ms: int) -> None:
        """After a write and its producer-state update: flush bookkeeping, listeners."""
        next_offset = self.log_end_offset
        self._changed = True
        self._flush.note_write(segment.log_path, next_offset)
        if (
            next_offset - self._flush.recovery_point >= self.config.flush_messages
            or now_ms - self._last_sync_request_ms >= self.config.flush_ms
        ):
            self._last_sync_request_ms = now_ms
            self._flush.request_sync()
        self._offsets_moved()

    def _check_timestamps(self, headers: Sequence[BatchHeader], now_ms: int) -> None:
        """Kafka's ``LogValidator.validateTimestamp`` at batch granularity."""
        after = self.config.message_timestamp_after_max_ms
        before = self.config.message_timestamp_before_max_ms
        for header in headers:
            if header.max_timestamp - now_ms > after:
                raise InvalidTimestampError(
                    f"timestamp {header.max_timestamp} is more than {after} ms in the future"
                )
            if header.base_timestamp >= 0 and now_ms - header.base_timestamp > before:
                raise InvalidTimestampError(
                    f"timestamp {header.base_timestamp} is more than {before} ms in the past"
                )

    def _roll(self, now_ms: int) -> Segment:
        """Seal the active segment and start a new one at the log end offset; the flusher
        fsyncs the sealed files, writes a producer snapshot at the new base offset (as
        Kafka's ``UnifiedLog.roll``) and makes the new directory entries durable."""
        old = self._segments[-1]
        try:  # first, so that a failure leaves the old segment active and untouched
            new = Segment.create(
                self.directory, old.next_offset, self.config.segment_index_bytes, now_ms=now_ms,
                files=old.files,
            )
        except OSError as exc:
            log.error("%s-%d: cannot roll: %s", self.topic, self.partition, exc)
            raise KafkaStorageError(f"cannot roll {self.directory.name}: {exc}") from exc
        index_fds = old.seal()
        self._segments.append(new)
        self._bases.append(new.base_offset)
        self._flush.note_new_file()
        snapshot = self._producer_state.snapshot_bytes()
        self._flusher.submit(
            partial(self._finish_roll, old.log_path, index_fds, new.base_offset, snapshot)
        )
        return new

    def _finish_roll(
        self, log_file: Path, index_fds: list[int], base: int, snapshot: bytes
    ) -> None:
        """Flusher thread: everything below ``base`` becomes durable."""
        try:
            try:
                fsync_path(log_file, self.directory)
                for fd in index_fds:
                    faults.fsync(fd, self.directory)
            finally:
                for fd in index_fds:
                    os.close(fd)
        except OSError as exc:
            self._flush.fail(f"sealing a segment in {self.directory} failed: {exc}")
            return
        self._flush.sealed(log_file, base)
        if self._closed:  # a deleted log's directory is already renamed
            return
        try:  # a snapshot only saves a replay at the next start: failing it is no data loss
            atomic_write(snapshot_path(self.directory, base), snapshot)
            self._delete_old_snapshots()
        except OSError as exc:
            log.warning("producer snapshot at %d in %s not written: %s", base, self.directory, exc)

    def _delete_old_snapshots(self) -> None:
        names = sorted(p.name for p in self.directory.glob("*.snapshot"))
        for name in names[:-SNAPSHOTS_TO_KEEP]:
            (self.directory / name).unlink(missing_ok=True)

    # -- read ------------------------------------------------------------------------------

    def read(
        self, fetch_offset: int, max_bytes: int, *, max_offset: int | None = None,
        min_one_batch: bool = True,
    ) -> FileSlice | None:
        """Whole batches from the one segment holding ``fetch_offset`` (as Kafka reads one
        segment per fetch): the first batch even past ``max_bytes`` when ``min_one_batch``
        (KIP-74), nothing at or after ``max_offset`` (the high watermark for consumers)."""
        end = self.log_end_offset
        if fetch_offset < self.log_start_offset or fetch_offset > end:
            raise OffsetOutOfRangeError(
                f"offset {fetch_offset} is outside [{self.log_start_offset}, {end}] "
                f"of {self.topic}-{self.partition}"
            )
        limit = end if max_offset is None else min(max_offset, end)
        if fetch_offset >= limit:
            return None
        index = max(bisect.bisect_right(self._bases, fetch_offset) - 1, 0)
        for segment in self._segments[index:]:
            if segment.base_offset >= limit:
                break
            found = segment.translate_offset(fetch_offset)
            if found is None:
                continue  # fetch_offset is past this segment's last batch
            position, first = found
            max_position = segment.size if limit >= segment.next_offset else (
                segment.position_of(limit)
            )
            return segment.read_from(position, first, max_bytes, max_position, min_one_batch)
        return None

    def offset_for_timestamp(self, timestamp_ms: int) -> tuple[int, int] | None:
        """``(offset, timestamp)`` of the first record whose timestamp is >= ``timestamp_ms``
        (ListOffsets); ``None`` when every record is older. See ``timestamps``."""
        for segment in self._segments:
            if segment.max_timestamp < timestamp_ms:
                continue
            if segment.next_offset <= self.log_start_offset:
                continue
            found = find_offset_by_timestamp(segment, timestamp_ms, self.log_start_offset)
            if found is not None:
                return found
        return None

    def max_timestamp_entry(self) -> tuple[int, int]:
        """``(offset, timestamp)`` of the record with the largest timestamp (ListOffsets -3,
        KIP-734); the earliest such record on ties; ``(-1, -1)`` when there is none."""
        best: Segment | None = None
        for segment in self._segments:
            if segment.max_timestamp >= 0 and (
                best is None or segment.max_timestamp > best.max_timestamp
            ):
                best = segment
        if best is None:
            return -1, -1
        found = max_timestamp_in_segment(best)
        return found if found is not None else (-1, -1)

    # -- transactions (read_committed fetches) ---------------------------------------------

    def aborted_transactions(
        self, fetch_offset: int, upper_bound_offset: int
    ) -> list[tuple[int, int]]:
        """``(producer_id, first_offset)`` of every aborted transaction overlapping
        [``fetch_offset``, ``upper_bound_offset``): what a read_committed fetch returns
        with the batches it read (``upper_bound_offset``: the offset after them)."""
        return [
            (txn.producer_id, txn.first_offset)
            for txn in self.collect_aborted_txns(fetch_offset, upper_bound_offset)
        ]

    def offset_after(self, chunk: FileSlice) -> int:
        """The offset following the last batch of ``chunk`` (a slice ``read`` returned):
        the upper bound of the aborted transactions a read_committed fetch returns with it
        (Kafka's ``fetchUpperBoundOffset``)."""
        end = chunk.position + chunk.length
        for segment in self._segments:
            if segment.open_fd == chunk.fd:  # pinned since ``read``: still open
                if end >= segment.size:
                    return segment.next_offset
                return read_header(os.pread(segment.fd, BATCH_HEADER_SIZE, end)).base_offset
        return self.log_end_offset

    def collect_aborted_txns(self, fetch_offset: int, upper_bound_offset: int) -> list[AbortedTxn]:
        """The ``.txnindex`` entries overlapping [``fetch_offset``, ``upper_bound_offset``),
        as Kafka's ``LocalLog.collectAbortedTransactions``: from the segment holding
        ``fetch_offset`` on (a marker is never before its transaction's records), until an
        entry's LSO shows that no later marker can end a transaction begun below the bound."""
        found: list[AbortedTxn] = []
        index = max(bisect.bisect_right(self._bases, fetch_offset) - 1, 0)
        for segment in self._segments[index:]:
            result = segment.txn_index.collect(fetch_offset, upper_bound_offset)
            found.extend(result.aborted)
            if result.complete:
                break
        return found

    # -- deleting records (DeleteRecords) --------------------------------------------------

    def delete_records(self, offset: int) -> int:
        """Advance the log start offset to ``offset`` (Kafka's ``maybeIncrementLogStartOffset``
        for a client's DeleteRecords); returns the new log start offset.

        ``offset`` above the high watermark raises ``OffsetOutOfRangeError``; one at or below
        the current start changes nothing. Reads below the new start fail at once; the
        segments wholly below it stay until retention drops them (``retention``: every
        segment whose successor starts at or below the log start offset). The caller makes
        the new start durable (the log-start-offset checkpoint).
        """
        if self._closed:
            raise KafkaStorageError(f"{self.directory.name} is closed")
        if offset > self.high_watermark:
            raise OffsetOutOfRangeError(
                f"cannot move the log start offset of {self.topic}-{self.partition} to "
                f"{offset}, past the high watermark {self.high_watermark}"
            )
        self.log_start_offset = max(self.log_start_offset, offset)
        self._offsets_moved()
        return self.log_start_offset

    # -- retention and compaction (``retention``, ``cleaner``) ------------------------------

    def drop_oldest_segments(self, count: int) -> list[Segment]:
        """Take the ``count`` oldest segments out of the log (never the active one) and move
        the log start offset up to the new first segment's base, as Kafka's
        ``UnifiedLog.deleteSegments``. The caller owns the returned segments' files."""
        if self._closed:
            raise KafkaStorageError(f"{self.directory.name} is closed")
        count = max(0, min(count, len(self._segments) - 1))
        dropped = self._segments[:count]
        del self._segments[:count]
        del self._bases[:count]
        if dropped:
            self.log_start_offset = max(self.log_start_offset, self._segments[0].base_offset)
            self._offsets_moved()
        return dropped

    def replace_segments(self, old: Sequence[Segment], new: Segment) -> None:
        """Put ``new`` where the consecutive closed segments ``old`` are (the cleaner's swap,
        Kafka's ``LocalLog.replaceSegments``); ``ValueError`` when ``old`` is not exactly a
        run of this log's closed segments. The caller owns the files of ``old``."""
        if self._closed:
            raise KafkaStorageError(f"{self.directory.name} is closed")
        closed = [id(segment) for segment in self._segments[:-1]]
        wanted = [id(segment) for segment in old]
        start = closed.index(wanted[0]) if wanted and wanted[0] in closed else -1
        end = start + len(wanted)
        if start < 0 or closed[start:end] != wanted:
            raise ValueError(f"segments to replace are not closed segments of {self.directory}")
        self._segments[start:end] = [new]
        self._bases[start:end] = [new.base_offset]
        self._offsets_moved()

    # -- flushing --------------------------------------------------------------------------

    def flush_future(self, end_offset: int) -> concurrent.futures.Future[None]:
        """Resolves once everything below ``end_offset`` is fsynced (``KafkaStorageError``
        if the fsync fails)."""
        return self._flush.future(end_offset)

    def sync_if_dirty(self) -> None:
        """Flusher thread, periodic: fsync if anything was written since the last sync."""
        self._flush.sync_if_dirty()

    # -- closing ---------------------------------------------------------------------------

    def close(self, *, durable: bool = True) -> None:
        """Clean shutdown, with the flusher stopped: seal, fsync and close every file, then
        write a producer snapshot at the log end offset. With ``durable=False`` nothing is
        fsynced: the caller syncs the whole file system once afterwards (a broker with
        thousands of partitions would otherwise spend seconds in per-file fsyncs)."""
        if self._closed:
            return
        self._closed = True
        end = self.log_end_offset
        active = self._segments[-1]
        paths = self._flush.take_unflushed() | {active.log_path}
        if active.open_fd >= 0:
            paths.discard(active.log_path)  # synced through the descriptor ``close`` gives
        fds: list[int] = []
        to_sync: set[int] = set()
        for segment in self._segments:
            closing = segment.close()
            fds.extend(closing)
            if segment is active:
                to_sync.update(closing)
        if not durable:
            to_sync.clear()
            paths.clear()
        try:
            for fd in fds:
                if fd in to_sync:
                    os.fsync(fd)
            for path in paths:
                fsync_path(path)
            snapshot = snapshot_path(self.directory, end)
            if self._changed or not snapshot.exists():  # else the one there says the same
                atomic_write(snapshot, self._producer_state.snapshot_bytes(), durable=durable)
                self._delete_old_snapshots()
        finally:
            for fd in fds:
                os.close(fd)
        self._flush.advance(end)

    def retire(self) -> list[int]:
        """For deletion: stop accepting appends and give up every descriptor (the caller
        closes them on the flusher thread, after any fsync already queued)."""
        self._closed = True
        fds: list[int] = []
        for segment in self._segments:
            fds.extend(segment.close())
        self._flush.forget(f"{self.topic}-{self.partition} was deleted")
        return fds

