"""Injected I/O failures for tests: the storage engine's log writes and fsyncs go through
``pwrite`` and ``fsync`` here, which behave exactly like ``os.pwrite``/``os.fsync`` until a
test arms a failure (the idea of franz-go kfake's ``memFS.failNextWrite``/``failNextSync``).

    faults.fail_next_write(errno.ENOSPC)              # the next log write fails
    faults.fail_next_write(errno.ENOSPC, after=100)   # ... after 100 bytes reached the file
    faults.fail_next_fsync(errno.EIO)                 # the next log fsync fails
    faults.fail_next_write(errno.EIO, partition="orders-3")  # ... of that partition only
    faults.clear()

Each armed failure fires once, in the order armed. A failure armed for a ``partition`` (the
name of its log directory, ``<topic>-<partition>`` as in Kafka) fires only on a write or fsync
made for that directory; the others fire on any. ``after=N`` writes the first N bytes of
the data for real and reports a short write; the caller's next write attempt gets the error,
which is how a disk fills up in the middle of a batch. Nothing in the broker arms failures:
only code that imports this module and calls the functions above does (tests, in-process).
The shim is process-wide and thread-safe; the cost when nothing is armed is one attribute
check per write or fsync.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path

__all__ = ["clear", "fail_next_fsync", "fail_next_write", "fsync", "pending", "pwrite"]


@dataclass(slots=True)
class _Fault:
    errno: int
    after: int = 0  # bytes written for real before the error (writes only)
    partial_done: bool = False
    partition: str | None = None  # log directory name, or None for any

    def applies(self, directory: Path | None) -> bool:
        return self.partition is None or (
            directory is not None and directory.name == self.partition
        )


_lock = threading.Lock()
_writes: deque[_Fault] = deque()
_fsyncs: deque[_Fault] = deque()
_armed = False  # fast path: read without the lock


def fail_next_write(error: int, *, after: int = 0, partition: str | None = None) -> None:
    """Make the next log write (of ``partition``, if given) fail with ``OSError(error)``,
    after ``after`` bytes."""
    global _armed
    with _lock:
        _writes.append(_Fault(error, max(after, 0), partition=partition))
        _armed = True


def fail_next_fsync(error: int, *, partition: str | None = None) -> None:
    """Make the next log fsync (of ``partition``, if given) fail with ``OSError(error)``."""
    global _armed
    with _lock:
        _fsyncs.append(_Fault(error, partition=partition))
        _armed = True


def clear() -> None:
    """Disarm every failure not fired yet."""
    global _armed
    with _lock:
        _writes.clear()
        _fsyncs.clear()
        _armed = False


def pending() -> tuple[int, int]:
    """``(writes, fsyncs)`` armed and not fired yet."""
    with _lock:
        return len(_writes), len(_fsyncs)


def _error(code: int) -> OSError:
    return OSError(code, os.strerror(code))


def _first(faults: deque[_Fault], directory: Path | None) -> _Fault | None:
    return next((fault for fault in faults if fault.applies(directory)), None)


def pwrite(
    fd: int, data: memoryview | bytes, offset: int, directory: Path | None = None
) -> int:
    """``os.pwrite``, unless a write failure is armed (for ``directory``, the partition's)."""
    global _armed
    if _armed:
        with _lock:
            fault = _first(_writes, directory)
            if fault is not None:
                if fault.after and not fault.partial_done and len(data) > fault.after:
                    fault.partial_done = True
                    partial = True
                else:
                    _writes.remove(fault)
                    partial = False
                _armed = bool(_writes or _fsyncs)
        if fault is not None:
            if partial:
                return os.pwrite(fd, data[: fault.after], offset)
            raise _error(fault.errno)
    return os.pwrite(fd, data, offset)


def fsync(fd: int, directory: Path | None = None) -> None:
    """``os.fsync``, unless an fsync failure is armed (for ``directory``, the partition's)."""
    global _armed
    if _armed:
        with _lock:
            fault = _first(_fsyncs, directory)
            if fault is not None:
                _fsyncs.remove(fault)
            _armed = bool(_writes or _fsyncs)
        if fault is not None:
            raise _error(fault.errno)
    os.fsync(fd)
