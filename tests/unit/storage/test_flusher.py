"""The flusher thread: flush futures, group commit, fsync failures, periodic sync, pinning."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from storage_helpers import append, make_batch, new_log

from kafkalite.storage.config import LogConfig
from kafkalite.storage.errors import KafkaStorageError
from kafkalite.storage.flusher import Flusher

REAL_FSYNC = os.fsync


class GatedFsync:
    """Replaces ``os.fsync``: records each call and holds it until the gate opens."""

    def __init__(self) -> None:
        self.calls: list[int] = []
        self.inodes: list[int] = []  # the file behind each call's descriptor
        self.entered = threading.Event()
        self.gate = threading.Event()
        self.fail_with: OSError | None = None

    def __call__(self, fd: int) -> None:
        if threading.current_thread() is threading.main_thread():
            REAL_FSYNC(fd)  # set-up and shutdown fsyncs are not under test
            return
        self.calls.append(fd)
        self.inodes.append(os.fstat(fd).st_ino)
        self.entered.set()
        assert self.gate.wait(10)
        if self.fail_with is not None:
            raise self.fail_with
        REAL_FSYNC(fd)


@pytest.fixture
def fsync(monkeypatch: pytest.MonkeyPatch) -> GatedFsync:
    gated = GatedFsync()
    monkeypatch.setattr(os, "fsync", gated)
    return gated


@pytest.fixture
def flusher() -> Iterator[Flusher]:
    running = Flusher(interval_ms=10**9)
    running.start()
    yield running
    running.stop()


def test_flush_future_resolves_only_after_the_fsync(tmp_path: Path, fsync: GatedFsync,
                                                    flusher: Flusher) -> None:
    log = new_log(tmp_path, flusher=flusher)
    result = append(log, make_batch(3))
    assert log.recovery_point == 0
    future = log.flush_future(result.last_offset + 1)
    assert fsync.entered.wait(5)
    assert not future.done()
    fsync.gate.set()
    assert future.result(timeout=5) is None
    assert fsync.inodes == [os.stat(log.segments[-1].log_path).st_ino]  # by path, its own fd
    assert log.recovery_point == 3
    assert log.flush_future(3).done()  # already durable: resolved at once


def test_group_commit_one_fsync_answers_many_waiters(tmp_path: Path, fsync: GatedFsync,
                                                     flusher: Flusher) -> None:
    log = new_log(tmp_path, flusher=flusher)
    append(log, make_batch(1))
    first = log.flush_future(1)
    assert fsync.entered.wait(5)  # that sync is now inside fsync, holding offset 1
    later = []
    for _ in range(10):
        result = append(log, make_batch(1))
        later.append(log.flush_future(result.last_offset + 1))
    fsync.gate.set()
    first.result(timeout=5)
    for future in later:
        future.result(timeout=5)
    assert len(fsync.calls) == 2  # the one in flight, then one for all ten later waiters
    assert log.recovery_point == 11


def test_fsync_failure_fails_the_waiters_and_the_log(tmp_path: Path, fsync: GatedFsync,
                                                     flusher: Flusher) -> None:
    log = new_log(tmp_path, flusher=flusher)
    append(log, make_batch(1))
    fsync.fail_with = OSError(5, "Input/output error")
    fsync.gate.set()
    with pytest.raises(KafkaStorageError):
        log.flush_future(1).result(timeout=5)
    with pytest.raises(KafkaStorageError) as info:
        append(log, make_batch(1))
    assert info.value.error_code == 56
    with pytest.raises(KafkaStorageError):
        log.flush_future(1).result(timeout=1)
    assert log.recovery_point == 0


def test_flush_messages_one_syncs_every_append(tmp_path: Path, flusher: Flusher) -> None:
    log = new_log(tmp_path, LogConfig(flush_messages=1), flusher=flusher)
    result = append(log, make_batch(2))
    log.flush_future(result.last_offset + 1).result(timeout=5)
    assert log.recovery_point == 2


def test_background_sync_without_waiters(tmp_path: Path) -> None:
    log_holder = []
    periodic = Flusher(interval_ms=20, periodic=lambda: [p.sync_if_dirty() for p in log_holder])
    periodic.start()
    try:
        log = new_log(tmp_path, flusher=periodic)
        log_holder.append(log)
        append(log, make_batch(4))
        deadline = time.monotonic() + 5
        while log.recovery_point < 4 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert log.recovery_point == 4
    finally:
        periodic.stop()


def test_jobs_run_in_order_and_stop_drains_the_queue() -> None:
    flusher = Flusher(interval_ms=10**9)
    flusher.start()
    seen: list[int] = []
    release = threading.Event()
    flusher.submit(lambda: release.wait(5) and None)
    for i in range(50):
        flusher.submit(lambda i=i: seen.append(i))
    flusher.submit(lambda: 1 / 0)  # logged, the thread carries on
    flusher.submit(lambda: seen.append(99))
    release.set()
    flusher.stop()
    assert seen == list(range(50)) + [99]
    flusher.submit(lambda: seen.append(100))  # after stop: runs in the caller
    assert seen[-1] == 100


def test_pinning_is_a_no_op_where_unsupported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "sched_setaffinity", raising=False)
    flusher = Flusher(interval_ms=10**9, cpu=0)
    flusher.start()
    done = threading.Event()
    flusher.submit(done.set)
    assert done.wait(5)
    flusher.stop()
    assert not flusher.pinned


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="no sched_setaffinity")
def test_pinning_affects_only_the_flusher_thread() -> None:
    before = os.sched_getaffinity(0)
    cpu = max(before)
    flusher = Flusher(interval_ms=10**9, cpu=cpu)
    flusher.start()
    inside: list[set[int]] = []
    flusher.submit(lambda: inside.append(os.sched_getaffinity(0)))
    flusher.stop()
    assert flusher.pinned and inside == [{cpu}]
    assert os.sched_getaffinity(0) == before
