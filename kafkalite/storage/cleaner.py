"""Log compaction (``cleanup.policy`` with ``compact``): Kafka's ``LogCleaner`` and
``LogCleanerManager``. The rewriting itself is ``compactor``, the swap into the log
``swap``.

``LogCleaner`` cleans one log at a time. On the event loop it picks the dirtiest log,
``plan_clean`` snapshots what the worker needs (duplicated descriptors of immutable
segments), a worker thread runs ``compactor.run_clean``, and back on the loop
``install_clean`` swaps the new segments in. When nothing needs cleaning it looks again
after ``log.cleaner.backoff.ms`` (15 s).

Choosing (``LogCleanerManager.grabFilthiestCompactedLog``/``cleanableOffsets``):
- the first dirty offset is where the last clean ended (``cleaner-offset-checkpoint``, Kafka's
  file and format), reset to the log start offset when outside [log start, log end];
- the first uncleanable offset is the lowest of: the active segment's base; the base of the
  first segment not yet fsynced whole (its end above the recovery point); the base of the
  first segment reaching past the last stable offset (Kafka bounds it by the LSO itself;
  whole segments keep every batch of an open transaction out of the clean); with
  ``min.compaction.lag.ms`` > 0, the base of the first dirty segment whose largest timestamp
  is within the lag;
- dirty ratio: bytes of the closed segments holding [first dirty, first uncleanable) over
  those and the clean segments below. A log is cleaned when the ratio exceeds
  ``min.cleanable.dirty.ratio``, or when a dirty segment's first batch is older than
  ``max.compaction.lag.ms``; the dirtiest goes first. Logs being cleaned are skipped by
  retention; a log whose clean failed is left alone until a restart (Kafka marks it
  uncleanable).

The closed segments below the first uncleanable offset (clean ones too, as Kafka does) are
grouped as Kafka's ``groupSegmentsBySize`` does (within ``segment.bytes``, within
``segment.index.bytes`` per index, an int32 of offsets) and each group becomes one segment.

Each group is swapped in on the loop by ``swap.swap_in`` (Kafka's ``.cleaned`` -> ``.swap``
-> final renames; ``swap`` also completes a swap cut short by a crash, at start-up). A group
is dropped instead, its ``.cleaned`` files deleted, when the log changed meanwhile: an old
segment left it, the topic was deleted or stopped being compacted, the broker is stopping.
The old segments' descriptors close on the flusher thread, their files are unlinked
``file.delete.delay.ms`` later; fetches in flight hold their own duplicates.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path

from kafkalite.stats import CleanerStats
from kafkalite.storage import checkpoint as files
from kafkalite.storage.compactor import (
    CleanAbortedError,
    CleanedGroup,
    CleanPlan,
    SegmentView,
    run_clean,
)
from kafkalite.storage.flusher import Flusher
from kafkalite.storage.log import PartitionLog
from kafkalite.storage.retention import SegmentDeleter, close_and_delete_later
from kafkalite.storage.segment import Segment
from kafkalite.storage.swap import swap_in

__all__ = [
    "CLEANER_CHECKPOINT",
    "DEFAULT_CLEANER_BACKOFF_MS",
    "LogCleaner",
    "PlannedClean",
    "cleanable_offsets",
    "dirty_ratio",
    "install_clean",
    "plan_clean",
]

log = logging.getLogger(__name__)

CLEANER_CHECKPOINT = "cleaner-offset-checkpoint"
DEFAULT_CLEANER_BACKOFF_MS = 15_000  # log.cleaner.backoff.ms
_INT32_MAX = 0x7FFFFFFF


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def _largest_timestamp(segment: Segment) -> int:
    if segment.max_timestamp >= 0:
        return segment.max_timestamp
    return os.stat(segment.log_path).st_mtime_ns // 1_000_000


# -- choosing ----------------------------------------------------------------------------


def cleanable_offsets(
    partition_log: PartitionLog, checkpoint: int | None, now_ms: int
) -> tuple[int, int]:
    """``(first dirty offset, first uncleanable offset)`` of the log."""
    start, end = partition_log.log_start_offset, partition_log.log_end_offset
    first_dirty = checkpoint if checkpoint is not None and start <= checkpoint <= end else start
    segments = partition_log.segments
    uncleanable = segments[-1].base_offset
    lag = partition_log.config.min_compaction_lag_ms
    stable = min(partition_log.recovery_point, partition_log.last_stable_offset)
    for segment in segments[:-1]:
        if segment.next_offset > stable or (
            lag > 0
            and segment.next_offset > first_dirty
            and _largest_timestamp(segment) > now_ms - lag
        ):
            uncleanable = segment.base_offset
            break
    return first_dirty, max(first_dirty, uncleanable)


def dirty_ratio(
    partition_log: PartitionLog, first_dirty: int, first_uncleanable: int
) -> tuple[float, int]:
    """``(dirty ratio, dirty bytes)``."""
    clean = dirty = 0
    for segment in partition_log.segments[:-1]:
        if segment.base_offset >= first_uncleanable:
            break
        if segment.next_offset <= first_dirty:
            clean += segment.size
        else:
            dirty += segment.size
    total = clean + dirty
    return (dirty / total if total else 0.0), dirty


def _compaction_overdue(partition_log: PartitionLog, first_dirty: int, now_ms: int) -> bool:
    """A dirty closed segment's first batch is older than ``max.compaction.lag.ms``."""
    limit = now_ms - max(partition_log.config.max_compaction_lag_ms, 0)
    return any(
        segment.next_offset > first_dirty
        and segment.first_batch_timestamp is not None
        and 0 < segment.first_batch_timestamp < limit
        for segment in partition_log.segments[:-1]
    )


def _groups(
    segments: Sequence[Segment], config_segment_bytes: int, index_bytes: int
) -> list[list[Segment]]:
    """Kafka's ``Cleaner.groupSegmentsBySize``."""
    groups: list[list[Segment]] = []
    rest = list(segments)
    while rest:
        group = [rest.pop(0)]
        log_size = group[0].size
        offset_index = group[0].offset_index.size_bytes
        time_index = group[0].time_index.size_bytes
        while rest and (
            log_size + rest[0].size <= config_segment_bytes
            and offset_index + rest[0].offset_index.size_bytes <= index_bytes
            and time_index + rest[0].time_index.size_bytes <= index_bytes
            and rest[0].next_offset - 1 - group[0].base_offset <= _INT32_MAX
        ):
            segment = rest.pop(0)
            group.append(segment)
            log_size += segment.size
            offset_index += segment.offset_index.size_bytes
            time_index += segment.time_index.size_bytes
        groups.append(group)
    return groups


def _view(segment: Segment, size: int) -> SegmentView:
    fd = os.dup(segment.fd)
    return SegmentView(segment.base_offset, segment.next_offset, size, fd, os.fstat(fd).st_mtime_ns)


class PlannedClean:
    """A ``CleanPlan`` for the worker plus the loop-side objects the swap needs: the log and
    the old segments of each group."""

    def __init__(
        self, partition_log: PartitionLog, plan: CleanPlan, groups: list[list[Segment]]
    ) -> None:
        self.log = partition_log
        self.plan = plan
        self.groups = groups


def plan_clean(
    partition_log: PartitionLog, checkpoint: int | None, now_ms: int, *, force: bool = False
) -> PlannedClean | None:
    """On the loop: what to clean in this log now, or ``None`` (see the module docs);
    ``force`` skips the dirty-ratio test. The plan owns duplicated descriptors: hand it to
    ``compactor.run_clean``, which closes them."""
    config = partition_log.config
    first_dirty, first_uncleanable = cleanable_offsets(partition_log, checkpoint, now_ms)
    ratio, dirty = dirty_ratio(partition_log, first_dirty, first_uncleanable)
    if not force and not (
        ratio > config.min_cleanable_dirty_ratio
        or (dirty > 0 and _compaction_overdue(partition_log, first_dirty, now_ms))
    ):
        return None
    segments = partition_log.segments
    cleanable = [
        segment
        for segment in segments[:-1]
        if segment.base_offset < first_uncleanable
        and segment.next_offset > partition_log.log_start_offset
    ]
    if not cleanable:
        return None
    groups = _groups(cleanable, config.segment_bytes, config.segment_index_bytes)
    map_end = min(partition_log.recovery_point, partition_log.last_stable_offset)
    mapped = [
        segment
        for segment in segments
        if segment.next_offset > first_dirty and segment.base_offset < map_end
    ]
    producers = {
        producer_id: entry.batches[-1].last_offset
        for producer_id, entry in partition_log.producer_state.producers.items()
        if entry.batches
    }
    plan = CleanPlan(
        directory=partition_log.directory,
        name=f"{partition_log.topic}-{partition_log.partition}",
        first_dirty=first_dirty,
        first_uncleanable=first_uncleanable,
        map_end=map_end,
        map_views=[],
        group_views=[],
        now_ms=now_ms,
        delete_retention_ms=config.delete_retention_ms,
        segment_index_bytes=config.segment_index_bytes,
        index_interval_bytes=config.index_interval_bytes,
        producer_last_offsets=producers,
        aborted_txns=partition_log.collect_aborted_txns(
            min(cleanable[0].base_offset, first_dirty), max(map_end, first_uncleanable)
        ),
    )
    try:
        plan.map_views = [_view(segment, segment.size) for segment in mapped]
        plan.group_views = [[_view(segment, segment.size) for segment in g] for g in groups]
    except OSError:
        plan.close_views()
        raise
    return PlannedClean(partition_log, plan, groups)


# -- swapping ----------------------------------------------------------------------------


def _still_there(partition_log: PartitionLog, old: Sequence[Segment]) -> bool:
    closed = partition_log.segments[:-1]
    return all(not segment.closed and any(segment is s for s in closed) for segment in old)


def install_clean(
    planned: PlannedClean,
    cleaned: Sequence[CleanedGroup],
    flusher: Flusher,
    deleter: SegmentDeleter,
    *,
    now_ms: int,
    keep: bool = True,
) -> int:
    """On the loop: swap the cleaned groups into the log (``keep=False`` drops them all);
    returns how many were swapped in."""
    partition_log = planned.log
    swapped = old_segments = old_bytes = new_bytes = 0
    for old, group in zip(planned.groups, cleaned, strict=True):
        if not (keep and partition_log.config.compact and _still_there(partition_log, old)):
            deleter.schedule(list(group.files.values()), 0)
            continue
        renamed = swap_in(partition_log, old, group, now_ms)
        close_and_delete_later(
            partition_log.directory,
            old,
            renamed,
            flusher,
            deleter,
            delete_delay_ms=partition_log.config.file_delete_delay_ms,
        )
        swapped += 1
        old_segments += len(old)
        old_bytes += group.old_bytes
        new_bytes += group.new_bytes
    if swapped:
        log.info(
            "cleaned %s below offset %d: %d segment(s) into %d, %d bytes into %d",
            planned.plan.name,
            planned.plan.first_uncleanable,
            old_segments,
            swapped,
            old_bytes,
            new_bytes,
        )
    if swapped < len(cleaned):
        log.info(
            "%s changed while it was cleaned: %d cleaned segment(s) dropped",
            planned.plan.name,
            len(cleaned) - swapped,
        )
    return swapped


# -- the background cleaner --------------------------------------------------------------


class LogCleaner:
    """Compacts the compacted logs of ``logs()`` in the background (module docs)."""

    def __init__(
        self,
        data_dir: Path,
        *,
        logs: Callable[[], Iterable[PartitionLog]],
        flusher: Flusher,
        deleter: SegmentDeleter,
        backoff_ms: int = DEFAULT_CLEANER_BACKOFF_MS,
    ) -> None:
        self._checkpoint_path = Path(data_dir) / CLEANER_CHECKPOINT
        self._logs = logs
        self._flusher = flusher
        self._deleter = deleter
        self.backoff_ms = backoff_ms
        self._first_dirty: dict[tuple[str, int], int] = {}
        self._uncleanable: set[PartitionLog] = set()
        self._in_progress: PlannedClean | None = None
        self._abort = threading.Event()
        self._executor: concurrent.futures.ThreadPoolExecutor | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._run_started = 0.0
        self.stats = CleanerStats()
        """Runs, bytes and times, for ``/metrics``."""

    # -- state -----------------------------------------------------------------------------

    def load_checkpoint(self) -> None:
        try:
            self._first_dirty = files.read_offset_checkpoint(self._checkpoint_path)
        except ValueError as exc:
            log.warning("ignoring %s: %s", CLEANER_CHECKPOINT, exc)

    def first_dirty_offset(self, partition_log: PartitionLog) -> int | None:
        return self._first_dirty.get((partition_log.topic, partition_log.partition))

    def is_cleaning(self, partition_log: PartitionLog) -> bool:
        """True while the log is being cleaned, or after its clean failed (retention keeps
        away from it: its files may be mid-swap)."""
        planned = self._in_progress
        return (planned is not None and planned.log is partition_log) or (
            partition_log in self._uncleanable
        )

    def forget(self, topic: str) -> None:
        """The topic was deleted: its cleaning history goes with it."""
        self._first_dirty = {k: v for k, v in self._first_dirty.items() if k[0] != topic}

    def _done(self, planned: PlannedClean) -> None:
        key = (planned.log.topic, planned.log.partition)
        self._first_dirty[key] = planned.plan.first_uncleanable
        live = {(p.topic, p.partition) for p in self._logs()}
        offsets = {k: v for k, v in self._first_dirty.items() if k in live}
        self._flusher.submit(partial(files.write_offset_checkpoint, self._checkpoint_path, offsets))

    # -- cleaning --------------------------------------------------------------------------

    def select(self, now_ms: int) -> PlannedClean | None:
        """The dirtiest log that needs cleaning, planned; ``None`` if none does."""
        best: tuple[float, PartitionLog] | None = None
        for partition_log in self._logs():
            if not partition_log.config.compact or partition_log in self._uncleanable:
                continue
            if partition_log.offline_reason is not None:
                continue
            first_dirty, first_uncleanable = cleanable_offsets(
                partition_log, self.first_dirty_offset(partition_log), now_ms
            )
            ratio, dirty = dirty_ratio(partition_log, first_dirty, first_uncleanable)
            ready = ratio > partition_log.config.min_cleanable_dirty_ratio or (
                dirty > 0 and _compaction_overdue(partition_log, first_dirty, now_ms)
            )
            if ready and (best is None or ratio > best[0]):
                best = (ratio, partition_log)
        if best is None:
            return None
        return plan_clean(best[1], self.first_dirty_offset(best[1]), now_ms, force=True)

    def clean_now(self, partition_log: PartitionLog, now_ms: int | None = None) -> int:
        """Clean one log at once in the calling thread, whatever its dirty ratio (tools and
        tests; the loop is blocked meanwhile). Returns the number of segments written."""
        now_ms = _now_ms() if now_ms is None else now_ms
        planned = plan_clean(
            partition_log, self.first_dirty_offset(partition_log), now_ms, force=True
        )
        if planned is None:
            return 0
        cleaned = run_clean(planned.plan)
        swapped = install_clean(planned, cleaned, self._flusher, self._deleter, now_ms=now_ms)
        if swapped == len(cleaned):
            self._done(planned)
        return swapped

    # -- the background loop ---------------------------------------------------------------

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._abort.clear()
        self._executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="kafkalite-cleaner"
        )
        self._timer = loop.call_later(self.backoff_ms / 1000, self._tick)

    def stop(self) -> None:
        """Abandon any clean in progress (its files are deleted) and join the worker."""
        self._loop = None
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._abort.set()
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
        self._in_progress = None

    def _schedule(self, delay_ms: int) -> None:
        if self._loop is not None:
            self._timer = self._loop.call_later(delay_ms / 1000, self._tick)

    def _tick(self) -> None:
        self._timer = None
        if self._loop is None or self._executor is None or self._in_progress is not None:
            return
        try:
            planned = self.select(_now_ms())
        except Exception:
            log.exception("choosing a log to clean failed")
            planned = None
        if planned is None:
            self._schedule(self.backoff_ms)
            return
        self._in_progress = planned
        self._run_started = time.monotonic()
        loop = self._loop
        future = self._executor.submit(run_clean, planned.plan, self._abort)

        def report(done: concurrent.futures.Future[list[CleanedGroup]]) -> None:
            try:
                loop.call_soon_threadsafe(self._finished, planned, done)
            except RuntimeError:  # the loop is closed: the broker stopped
                _discard(done)

        future.add_done_callback(report)

    def _finished(
        self, planned: PlannedClean, done: concurrent.futures.Future[list[CleanedGroup]]
    ) -> None:
        if self._in_progress is not planned:  # stopped meanwhile
            _discard(done)
            return
        self._in_progress = None
        name = planned.plan.name
        stats = self.stats
        stats.runs += 1
        stats.max_clean_time_s = max(stats.max_clean_time_s, time.monotonic() - self._run_started)
        stats.last_run_ms = time.time_ns() // 1_000_000
        try:
            cleaned = done.result()
        except CleanAbortedError:
            return
        except Exception:
            log.exception("cleaning %s failed; leaving it uncleaned until a restart", name)
            stats.failures += 1
            self._uncleanable.add(planned.log)
            stats.uncleanable = len(self._uncleanable)
            self._schedule(self.backoff_ms)
            return
        for group in cleaned:
            stats.bytes_read += group.old_bytes
            stats.bytes_written += group.new_bytes
        alive = any(planned.log is p for p in self._logs())
        try:
            swapped = install_clean(
                planned, cleaned, self._flusher, self._deleter, now_ms=_now_ms(), keep=alive
            )
        except Exception:
            log.exception(
                "swapping cleaned segments into %s failed; it is left alone until a restart "
                "completes or drops the swap",
                name,
            )
            stats.failures += 1
            self._uncleanable.add(planned.log)
            stats.uncleanable = len(self._uncleanable)
            self._schedule(self.backoff_ms)
            return
        if alive and swapped == len(cleaned):
            self._done(planned)
            self._schedule(0)  # Kafka's cleaner looks for the next dirty log at once
        else:
            self._schedule(self.backoff_ms)


def _discard(done: concurrent.futures.Future[list[CleanedGroup]]) -> None:
    if done.cancelled() or done.exception() is not None:
        return
    for group in done.result():
        group.discard()
