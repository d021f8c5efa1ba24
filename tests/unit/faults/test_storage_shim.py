"""The storage shim's per-partition arming: a failure armed for one log directory leaves
the others alone."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kafkalite.storage import faults


@pytest.fixture(autouse=True)
def _disarm() -> Iterator[None]:
    faults.clear()
    yield
    faults.clear()


def test_write_failure_armed_for_one_partition(tmp_path: Path) -> None:
    fd = os.open(tmp_path / "f", os.O_RDWR | os.O_CREAT)
    try:
        faults.fail_next_write(errno.ENOSPC, partition="orders-1")
        assert faults.pwrite(fd, b"ab", 0, tmp_path / "orders-0") == 2
        assert faults.pwrite(fd, b"ab", 0) == 2
        with pytest.raises(OSError) as info:
            faults.pwrite(fd, b"ab", 0, tmp_path / "orders-1")
        assert info.value.errno == errno.ENOSPC
        assert faults.pending() == (0, 0)
    finally:
        os.close(fd)


def test_fsync_failure_armed_for_one_partition(tmp_path: Path) -> None:
    fd = os.open(tmp_path / "f", os.O_RDWR | os.O_CREAT)
    try:
        faults.fail_next_fsync(errno.EIO, partition="orders-1")
        faults.fail_next_fsync(errno.EROFS)
        with pytest.raises(OSError) as info:  # the unkeyed one applies to any directory
            faults.fsync(fd, tmp_path / "orders-0")
        assert info.value.errno == errno.EROFS
        faults.fsync(fd, tmp_path / "orders-0")
        with pytest.raises(OSError) as info:
            faults.fsync(fd, tmp_path / "orders-1")
        assert info.value.errno == errno.EIO
    finally:
        os.close(fd)
