"""Which bytes of one partition log are durable: the state shared by the event loop and the
flusher thread, under one small lock.

The loop reports writes (``note_write``) and new files (``note_new_file``) and asks for
futures (``future``); the flusher thread runs ``sync``, which fsyncs every file written
since its last fsync (plus the directory after a new segment file appeared), moves the
recovery point to the offset the loop had written when the sync started, and resolves the
waiters at or below it. One fsync answers every waiter it covers (group commit); a waiter
that arrives while an fsync is in flight gets the next one.

A failed fsync is final: the page cache may already have dropped the data (Linux reports a
writeback error once), so the log refuses further appends, as Kafka takes the log directory
offline, and every waiter gets ``KafkaStorageError``.

Files are named by path, and the flusher fsyncs each through a descriptor of its own
(``fsync_path``): an fsync writes back every dirty page of the file whichever descriptor
wrote it, and the loop's descriptors may then be closed at any time (``open_files``)
without racing an fsync in flight. A file gone by then (deleted by retention, replaced by
the cleaner) has nothing left to keep.
"""

from __future__ import annotations

import concurrent.futures
import logging
import os
import threading
import time
from pathlib import Path

from kafkalite.storage import faults
from kafkalite.storage.checkpoint import fsync_directory
from kafkalite.storage.errors import KafkaStorageError
from kafkalite.storage.flusher import Flusher

__all__ = ["FlushState", "fsync_path"]

log = logging.getLogger(__name__)

Waiter = concurrent.futures.Future[None]


def fsync_path(path: Path, directory: Path | None = None) -> None:
    """fsync the file at ``path`` through a descriptor of its own; a file that no longer
    exists is skipped. ``directory`` names the partition for injected faults."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return
    try:
        faults.fsync(fd, directory)
    finally:
        os.close(fd)


class FlushState:
    def __init__(
        self, directory: Path, flusher: Flusher, *, written_end: int, recovery_point: int
    ) -> None:
        self.directory = directory
        self._flusher = flusher
        self._lock = threading.Lock()
        self._unflushed: set[Path] = set()  # files written since their last fsync
        self._directory_dirty = False
        self._written_end = written_end
        self.recovery_point = min(recovery_point, written_end)  # everything below is fsynced
        self._waiters: list[tuple[int, Waiter]] = []
        self._sync_queued = False
        self.failure: str | None = None

    # -- the event loop --------------------------------------------------------------------

    def note_write(self, path: Path, end_offset: int) -> None:
        with self._lock:
            self._unflushed.add(path)
            self._written_end = end_offset

    def note_new_file(self) -> None:
        with self._lock:
            self._directory_dirty = True

    def future(self, end_offset: int) -> Waiter:
        waiter: Waiter = concurrent.futures.Future()
        with self._lock:
            if self.failure is not None:
                waiter.set_exception(KafkaStorageError(self.failure))
                return waiter
            if end_offset <= self.recovery_point:
                waiter.set_result(None)
                return waiter
            self._waiters.append((end_offset, waiter))
        self.request_sync()
        return waiter

    def request_sync(self) -> None:
        with self._lock:
            if self._sync_queued:
                return
            self._sync_queued = True
        self._flusher.submit(self.sync)

    def take_unflushed(self) -> set[Path]:
        """For a clean close: the files still to fsync (the caller does it)."""
        with self._lock:
            paths, self._unflushed = self._unflushed, set()
            return paths

    def forget(self, reason: str) -> None:
        """The log is being deleted: nothing more to sync, waiters fail."""
        with self._lock:
            self._unflushed.clear()
            self.failure = self.failure or reason
        self._fail_waiters(reason)

    # -- the flusher thread ----------------------------------------------------------------

    def sync_if_dirty(self) -> None:
        with self._lock:
            dirty = bool(self._unflushed or self._directory_dirty) and self.failure is None
        if dirty:
            self.sync()

    def sync(self) -> None:
        with self._lock:
            self._sync_queued = False
            if self.failure is not None:
                return
            target = self._written_end
            paths = list(self._unflushed)
            self._unflushed.clear()
            directory_dirty, self._directory_dirty = self._directory_dirty, False
        started = time.perf_counter()
        try:
            for path in paths:
                fsync_path(path, self.directory)
            if directory_dirty:
                fsync_directory(self.directory)
        except OSError as exc:
            self.fail(f"fsync in {self.directory} failed: {exc}")
            return
        if paths:
            self._flusher.stats.time_ms.observe((time.perf_counter() - started) * 1000)
        self.advance(target)

    def sealed(self, path: Path, end_offset: int) -> None:
        """A rolled segment ending at ``end_offset`` was fsynced whole (with its indexes)."""
        with self._lock:
            self._unflushed.discard(path)
        self.advance(end_offset)

    def advance(self, durable_end: int) -> None:
        with self._lock:
            self.recovery_point = max(self.recovery_point, durable_end)
            ready = [w for end, w in self._waiters if end <= self.recovery_point]
            self._waiters = [(end, w) for end, w in self._waiters if end > self.recovery_point]
            again = bool(self._waiters) and not self._sync_queued
            self._sync_queued = self._sync_queued or again
        for waiter in ready:
            waiter.set_result(None)
        if again:
            self._flusher.submit(self.sync)

    def fail(self, message: str) -> None:
        log.error("%s", message)
        with self._lock:
            self.failure = message
        self._fail_waiters(message)

    def _fail_waiters(self, message: str) -> None:
        with self._lock:
            waiters, self._waiters = self._waiters, []
        for _, waiter in waiters:
            waiter.set_exception(KafkaStorageError(message))
