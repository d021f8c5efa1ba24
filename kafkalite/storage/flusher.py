"""The background fsync thread: one daemon thread fed by a ``queue.SimpleQueue`` of jobs.

Everything that can block on the disk runs here, off the event loop: fsyncs requested by
``PartitionLog.flush_future`` (group commit: one fsync answers every waiter up to the
offset it covered), the periodic background sync, sealing rolled segments, and closing or
deleting retired files. Jobs run one at a time in submission order, so a descriptor is
never closed under an fsync: every close goes through this same queue.

Durability contract: by default a produce is acknowledged after the
page-cache write and the data is fsynced in the background every ``interval_ms`` (our
documented default is 1 s; Kafka's ``log.flush.interval.ms`` default is Long.MAX, leaving
it to the OS). That survives a process crash; with topic config ``flush.messages=1`` the
producer waits for the fsync itself.

Pinning: with ``cpu`` set, the thread calls ``os.sched_setaffinity(0, {cpu})`` from inside
itself, which on Linux pins only the calling thread. Where the call does not exist (macOS,
Windows) pinning is a no-op.

Exceptions raised by a job are logged and do not stop the thread; jobs that must report
failure (fsync errors) do so through their futures. ``stop`` enqueues a sentinel, so every
job submitted before it still runs, then joins the thread.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Callable

from kafkalite.stats import FlushStats

__all__ = ["DEFAULT_FLUSH_INTERVAL_MS", "Flusher"]

log = logging.getLogger(__name__)

DEFAULT_FLUSH_INTERVAL_MS = 1000
_MAX_WAIT_S = 3600.0  # SimpleQueue.get rejects timeouts past the platform's limit

Job = Callable[[], None]


class _Stop:
    """The sentinel that ends the thread."""


_STOP = _Stop()


class Flusher:
    """Runs jobs on one background thread; ``periodic`` runs every ``interval_ms``."""

    def __init__(
        self,
        *,
        interval_ms: int = DEFAULT_FLUSH_INTERVAL_MS,
        cpu: int | None = None,
        periodic: Job | None = None,
        name: str = "kafkalite-flusher",
    ) -> None:
        self.interval_ms = interval_ms
        self.cpu = cpu
        self.pinned = False  # True once the thread really pinned itself
        self._periodic = periodic
        self._queue: queue.SimpleQueue[Job | _Stop] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._started = False
        self._stopped = False
        self.stats = FlushStats()
        """Time of each log fsync, written on this thread only."""

    @property
    def running(self) -> bool:
        return self._started and not self._stopped

    def start(self) -> None:
        if self._started:
            raise RuntimeError("the flusher was already started")
        self._started = True
        self._thread.start()

    def submit(self, job: Job) -> None:
        """Queue ``job``; if the flusher is not running, run it in the caller's thread."""
        if self.running:
            self._queue.put(job)
        else:
            self._run_job(job)

    def stop(self, timeout: float | None = 30.0) -> None:
        """Run every job already queued, then end and join the thread."""
        if not self.running:
            self._stopped = True
            return
        self._stopped = True
        self._queue.put(_STOP)
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.error("the flusher thread did not stop within %s s", timeout)

    # -- the thread ------------------------------------------------------------------------

    def _pin(self) -> None:
        if self.cpu is None:
            return
        setaffinity = getattr(os, "sched_setaffinity", None)
        if setaffinity is None:
            log.info("CPU pinning is not supported on this platform; flusher not pinned")
            return
        try:
            setaffinity(0, {self.cpu})
            self.pinned = True
        except OSError as exc:
            log.warning("could not pin the flusher to CPU %d: %s", self.cpu, exc)

    def _run(self) -> None:
        self._pin()
        interval_s = self.interval_ms / 1000 if self.interval_ms > 0 else None
        if interval_s is not None and interval_s > _MAX_WAIT_S:
            interval_s = None  # "never", like Kafka's Long.MAX default
        next_tick = time.monotonic() + interval_s if interval_s is not None else None
        while True:
            timeout = None if next_tick is None else max(0.0, next_tick - time.monotonic())
            try:
                job = self._queue.get(timeout=timeout)
            except queue.Empty:
                job = None
            if isinstance(job, _Stop):
                return
            if job is not None:
                self._run_job(job)
            if next_tick is not None and interval_s is not None and time.monotonic() >= next_tick:
                if self._periodic is not None:
                    self._run_job(self._periodic)
                next_tick = time.monotonic() + interval_s

    @staticmethod
    def _run_job(job: Job) -> None:
        try:
            job()
        except Exception:
            log.exception("flusher job %r failed", job)
