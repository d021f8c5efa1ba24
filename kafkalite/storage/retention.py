"""Retention: whole old segments go (Kafka's ``UnifiedLog.deleteOldSegments``).

``RetentionTask`` runs ``delete_old_segments`` over every log on the event loop (which owns
the segment lists) every ``log.retention.check.interval.ms`` (Kafka's default, 5 minutes).
Logs the cleaner is compacting are skipped until it is done, as Kafka's
``LogCleanerManager.deletableLogs`` does.

Which segments go, oldest first and only as a leading run (Kafka's ``deletableSegments``):
1. whatever the cleanup policy, segments wholly below the log start offset (DeleteRecords
   moved it past them: ``deleteLogStartOffsetBreachedSegments``);
2. with ``delete`` in ``cleanup.policy``:
   - ``retention.ms`` >= 0: segments whose largest timestamp is more than ``retention.ms``
     old; a segment with no timestamp counts its file's modification time, as Kafka's
     ``LogSegment.largestTimestamp`` does;
   - ``retention.bytes`` >= 0: while the log is larger than that, each oldest segment that
     fits entirely within the excess (Kafka's ``diff - segment.size >= 0``).
The active segment always stays. (Kafka also rolls and deletes an active segment that is
itself past ``retention.ms``; here it stays until an append rolls it, by ``segment.ms`` or
``segment.bytes``.)

Then, as Kafka's ``LocalLog.deleteSegmentFiles``: the segments leave the log, whose start
offset moves to the next segment's base; their files are renamed ``*.deleted`` at once (the
loader deletes any left over at start-up, so the removal is decided even across a crash);
their descriptors are closed on the flusher thread, behind any fsync already queued for
them; the files are unlinked ``file.delete.delay.ms`` later, also on the flusher thread.
Fetches already answered read through their own duplicate descriptors and are unaffected.
The caller makes the new log start offset durable (the log-start-offset checkpoint).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path

from kafkalite.storage.checkpoint import fsync_directory
from kafkalite.storage.flusher import Flusher
from kafkalite.storage.log import PartitionLog
from kafkalite.storage.segment import SEGMENT_FILE_SUFFIXES, Segment, segment_path

__all__ = [
    "DEFAULT_RETENTION_CHECK_INTERVAL_MS",
    "DELETED_SUFFIX",
    "SEGMENT_SUFFIXES",
    "RetentionTask",
    "SegmentDeleter",
    "close_and_delete_later",
    "delete_old_segments",
    "deletable_segment_count",
    "rename_for_deletion",
    "retire_segments",
]

log = logging.getLogger(__name__)

DEFAULT_RETENTION_CHECK_INTERVAL_MS = 300_000  # log.retention.check.interval.ms
DELETED_SUFFIX = ".deleted"
SEGMENT_SUFFIXES = SEGMENT_FILE_SUFFIXES  # .log, .index, .timeindex, .txnindex


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


class SegmentDeleter:
    """Unlinks ``*.deleted`` files after a delay, on the flusher thread. With an event loop
    the delay is a loop timer; without one (tools, tests) the unlink is queued at once.
    ``stop`` cancels the timers: files still waiting are left to the loader."""

    def __init__(self, flusher: Flusher) -> None:
        self._flusher = flusher
        self._loop: asyncio.AbstractEventLoop | None = None
        self._timers: set[asyncio.TimerHandle] = set()

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def stop(self) -> None:
        for timer in self._timers:
            timer.cancel()
        self._timers.clear()
        self._loop = None

    def schedule(self, paths: Sequence[Path], delay_ms: int) -> None:
        job = partial(_unlink_files, list(paths))
        if self._loop is None or delay_ms <= 0:
            self._flusher.submit(job)
            return

        def fire() -> None:
            self._timers.discard(timer)
            self._flusher.submit(job)

        timer = self._loop.call_later(delay_ms / 1000, fire)
        self._timers.add(timer)


def _unlink_files(paths: list[Path]) -> None:
    """Flusher thread."""
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("could not delete %s: %s", path, exc)


def _close_segment_files(fds: list[int], directory: Path) -> None:
    """Flusher thread: make the renames durable, then close the retired descriptors (every
    fsync queued for them before has run: the queue is in order)."""
    try:
        fsync_directory(directory)
    except OSError as exc:  # the loader repeats the deletion of files that come back
        log.warning("fsync of %s after deleting segments failed: %s", directory, exc)
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            log.exception("closing descriptor %d of a deleted segment failed", fd)


def rename_for_deletion(directory: Path, segments: Sequence[Segment]) -> list[Path]:
    """Rename the files of ``segments`` to ``*.deleted`` (they stay open); returns the new
    paths. Kafka's ``LogSegment.changeFileSuffixes("", ".deleted")``."""
    renamed: list[Path] = []
    for segment in segments:
        for suffix in SEGMENT_SUFFIXES:
            path = segment_path(directory, segment.base_offset, suffix)
            target = path.with_name(path.name + DELETED_SUFFIX)
            try:
                os.rename(path, target)
            except FileNotFoundError:
                continue
            except OSError as exc:
                log.error("could not rename %s for deletion: %s", path, exc)
                continue
            renamed.append(target)
    return renamed


def close_and_delete_later(
    directory: Path,
    segments: Sequence[Segment],
    renamed: Sequence[Path],
    flusher: Flusher,
    deleter: SegmentDeleter,
    *,
    delete_delay_ms: int,
) -> None:
    """Segments out of their log, files renamed: close them (descriptors on the flusher
    thread) and unlink their files after ``delete_delay_ms``."""
    fds = [fd for segment in segments for fd in segment.close()]
    flusher.submit(partial(_close_segment_files, fds, directory))
    deleter.schedule(renamed, delete_delay_ms)


def retire_segments(
    directory: Path,
    segments: Sequence[Segment],
    flusher: Flusher,
    deleter: SegmentDeleter,
    *,
    delete_delay_ms: int,
) -> None:
    """Both of the above, for segments already taken out of their log."""
    renamed = rename_for_deletion(directory, segments)
    close_and_delete_later(
        directory, segments, renamed, flusher, deleter, delete_delay_ms=delete_delay_ms
    )


def _largest_timestamp(segment: Segment) -> int:
    if segment.max_timestamp >= 0:
        return segment.max_timestamp
    return os.stat(segment.log_path).st_mtime_ns // 1_000_000


def deletable_segment_count(partition_log: PartitionLog, now_ms: int) -> int:
    """How many of the oldest segments retention would delete now (see the module docs)."""
    segments = partition_log.segments
    closed = len(segments) - 1
    count = 0
    while count < closed and segments[count + 1].base_offset <= partition_log.log_start_offset:
        count += 1
    config = partition_log.config
    if not config.delete:
        return count
    if config.retention_ms >= 0:
        while count < closed and (
            now_ms - _largest_timestamp(segments[count]) > config.retention_ms
        ):
            count += 1
    if config.retention_bytes >= 0:
        excess = sum(segment.size for segment in segments[count:]) - config.retention_bytes
        while count < closed and excess - segments[count].size >= 0:
            excess -= segments[count].size
            count += 1
    return count


def delete_old_segments(
    partition_log: PartitionLog, now_ms: int, flusher: Flusher, deleter: SegmentDeleter
) -> int:
    """Apply retention to one log; returns the number of segments deleted."""
    count = deletable_segment_count(partition_log, now_ms)
    if not count:
        return 0
    dropped = partition_log.drop_oldest_segments(count)
    retire_segments(
        partition_log.directory,
        dropped,
        flusher,
        deleter,
        delete_delay_ms=partition_log.config.file_delete_delay_ms,
    )
    log.info(
        "deleted %d old segment(s) of %s-%d (%d bytes); log start offset now %d",
        len(dropped),
        partition_log.topic,
        partition_log.partition,
        sum(segment.size for segment in dropped),
        partition_log.log_start_offset,
    )
    return len(dropped)


class RetentionTask:
    """Runs retention over ``logs()`` every ``interval_ms`` on the event loop; calls
    ``on_deleted`` after a pass that deleted anything (to checkpoint the log start)."""

    def __init__(
        self,
        *,
        logs: Callable[[], Iterable[PartitionLog]],
        flusher: Flusher,
        deleter: SegmentDeleter,
        interval_ms: int = DEFAULT_RETENTION_CHECK_INTERVAL_MS,
        skip: Callable[[PartitionLog], bool] = lambda _: False,
        on_deleted: Callable[[], None] = lambda: None,
    ) -> None:
        self._logs = logs
        self._flusher = flusher
        self._deleter = deleter
        self.interval_ms = interval_ms
        self._skip = skip
        self._on_deleted = on_deleted
        self._loop: asyncio.AbstractEventLoop | None = None
        self._timer: asyncio.TimerHandle | None = None

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._timer = loop.call_later(self.interval_ms / 1000, self._tick)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = None
        self._loop = None

    def _tick(self) -> None:
        try:
            self.run_once()
        except Exception:
            log.exception("retention check failed")
        if self._loop is not None:
            self._timer = self._loop.call_later(self.interval_ms / 1000, self._tick)

    def run_once(self, now_ms: int | None = None) -> int:
        """One pass over every log (on the loop); returns the number of segments deleted."""
        now_ms = _now_ms() if now_ms is None else now_ms
        deleted = 0
        for partition_log in self._logs():
            if self._skip(partition_log) or partition_log.offline_reason is not None:
                continue
            try:
                deleted += delete_old_segments(partition_log, now_ms, self._flusher, self._deleter)
            except Exception:
                log.exception(
                    "retention of %s-%d failed", partition_log.topic, partition_log.partition
                )
        if deleted:
            self._on_deleted()
        return deleted
