"""Injected I/O failures for tests: the storage engine's log writes and fsyncs go through
``pwrite`` and ``fsync`` here, which behave exactly like ``os.pwrite``/``os.fsync`` until a
test arms a failure (the idea of franz-go kfake's ``memFS.failNextWrite``/``failNextSync``).

    faults.fail_next_write(errno.ENOSPC)              # the next log write fails
    faults.fail_next_write(errno.ENOSPC, after=100)   # ... after 100 bytes reached the file
    faults.fail_next_fsync(errno.EIO)                 # the next log fsync fails
    faults.clear()

Each armed failure fires once, in the order armed. ``after=N`` writes the first N bytes of
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

__all__ = ["clear", "fail_next_fsync", "fail_next_write", "fsync", "pending", "pwrite"]


@dataclass(slots=True)
class _Fault:
    errno: int
    after: int = 0  # bytes written for real before the error (writes only)
    partial_done: bool = False


_lock = threading.Lock()
_writes: deque[_Fault] = deque()
_fsyncs: deque[_Fault] = deque()
_armed = False  # fast path: read without the lock


def fail_next_write(error: int, *, after: int = 0) -> None:
    """Make the next log write fail with ``OSError(error)``, after ``after`` bytes."""
    global _armed
    with _lock:
        _writes.append(_Fault(error, max(after, 0)))
        _armed = True


def fail_next_fsync(error: int) -> None:
    """Make the next log fsync fail with ``OSError(error)``."""
    global _armed
    with _lock:
        _fsyncs.append(_Fault(error))
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


def pwrite(fd: int, data: memoryview | bytes, offset: int) -> int:
    """``os.pwrite``, unless a write failure is armed."""
    global _armed
    if _armed:
        with _lock:
            fault = _writes[0] if _writes else None
            if fault is not None:
                if fault.after and not fault.partial_done and len(data) > fault.after:
                    fault.partial_done = True
                    partial = True
                else:
                    _writes.popleft()
                    partial = False
                _armed = bool(_writes or _fsyncs)
        if fault is not None:
            if partial:
                return os.pwrite(fd, data[: fault.after], offset)
            raise _error(fault.errno)
    return os.pwrite(fd, data, offset)


def fsync(fd: int) -> None:
    """``os.fsync``, unless an fsync failure is armed."""
    global _armed
    if _armed:
        with _lock:
            fault = _fsyncs.popleft() if _fsyncs else None
            _armed = bool(_writes or _fsyncs)
        if fault is not None:
            raise _error(fault.errno)
    os.fsync(fd)
