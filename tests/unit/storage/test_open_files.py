"""Segment files are opened on use and closed when idle: at most ``open_files_max`` ``.log``
descriptors stay open however many partitions a broker holds; reads, writes, fsyncs, rolls
and restarts work through the closes, and a descriptor handed out in a slice stays valid
until the event loop runs again."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from kafkalite.protocol.records import validate_batches
from kafkalite.storage.config import LogConfig
from kafkalite.storage.manager import LogManager
from tests.unit.storage.storage_helpers import append, make_batch, read_all

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/fd").exists(), reason="counts descriptors through /proc"
)

PARTITIONS = 12
CAPACITY = 3


def manager(data_dir: Path, config: LogConfig | None = None) -> LogManager:
    logs = LogManager(
        data_dir, default_config=config or LogConfig(), flush_interval_ms=10**9,
        open_files_max=CAPACITY,
    )
    logs.start()
    return logs


def segment_fds(data_dir: Path) -> list[str]:
    """The descriptors of this process open on files of ``data_dir`` ending in .log."""
    found = []
    for name in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{name}")
        except OSError:
            continue
        if target.startswith(str(data_dir)) and target.endswith((".log", ".index", ".timeindex")):
            found.append(target)
    return found


def test_many_partitions_keep_at_most_the_capacity_open(tmp_path: Path) -> None:
    logs = manager(tmp_path)
    try:
        partitions = logs.create_topic("wide", PARTITIONS).partitions
        assert segment_fds(tmp_path) == []  # a new partition holds no descriptor
        for round_ in range(2):
            for number, partition_log in enumerate(partitions):
                batch = make_batch(1, value_size=4 + number)
                assert append(partition_log, batch).base_offset == round_
                assert len(segment_fds(tmp_path)) <= CAPACITY
        future_ends = [partition_log.log_end_offset for partition_log in partitions]
        for partition_log, end in zip(partitions, future_ends, strict=True):
            partition_log.flush_future(end).result(timeout=10)  # fsynced by path
            assert partition_log.recovery_point == end == 2
        for number, partition_log in enumerate(partitions):
            data = read_all(partition_log)
            assert len(validate_batches(bytearray(data), from_client=False)) == 2
            size = 4 + number
            assert data.count(bytes([2 * size]) + bytes([65]) * size + b"\x00") == 2
            assert len(segment_fds(tmp_path)) <= CAPACITY
        assert logs.open_files.closes >= PARTITIONS
    finally:
        logs.shutdown()
    assert segment_fds(tmp_path) == []
    again = manager(tmp_path)  # a restart loads every partition within the capacity too
    try:
        for number in range(PARTITIONS):
            partition_log = again.get_partition("wide", number)
            assert partition_log is not None and partition_log.log_end_offset == 2
            assert len(validate_batches(bytearray(read_all(partition_log)), from_client=False)) == 2
        assert len(segment_fds(tmp_path)) <= CAPACITY
    finally:
        again.shutdown()


def test_rolls_and_unclean_restarts_work_through_closed_descriptors(tmp_path: Path) -> None:
    config = LogConfig(segment_bytes=200)  # a roll every two or three batches
    logs = manager(tmp_path, config)
    partitions = logs.create_topic("rolling", 4).partitions
    for offset in range(6):
        for partition_log in partitions:
            assert append(partition_log, make_batch(1, value_size=40)).base_offset == offset
    assert all(len(partition_log.segments) >= 2 for partition_log in partitions)
    ends = [partition_log.log_end_offset for partition_log in partitions]
    for partition_log, end in zip(partitions, ends, strict=True):
        partition_log.flush_future(end).result(timeout=10)
    # the flusher has fsynced and closed the rolled indexes: only cached .log files remain
    assert len(segment_fds(tmp_path)) <= CAPACITY
    logs.flusher.stop()
    logs._unlock()  # a crash: no clean shutdown marker, no final close
    for partition_log in partitions:
        for segment in partition_log.segments:
            segment.offset_index.close()
            segment.time_index.close()
            segment.release()
    again = manager(tmp_path, config)
    try:
        for number in range(4):
            partition_log = again.get_partition("rolling", number)
            assert partition_log is not None and partition_log.log_end_offset == 6
            assert len(validate_batches(bytearray(read_all(partition_log)), from_client=False)) == 6
        assert len(segment_fds(tmp_path)) <= CAPACITY
    finally:
        again.shutdown()


def test_slices_of_one_turn_stay_readable_beyond_the_capacity(tmp_path: Path) -> None:
    logs = manager(tmp_path)
    try:
        partitions = logs.create_topic("slices", PARTITIONS).partitions
        for number, partition_log in enumerate(partitions):
            append(partition_log, make_batch(1, value_size=10 + number))

        async def one_turn() -> tuple[list[bytes], int]:
            chunks = [partition_log.read(0, 1 << 20) for partition_log in partitions]
            # every descriptor is still the right file, as the server reads them this turn
            data = [os.pread(c.fd, c.length, c.position) for c in chunks if c is not None]
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            return data, len(logs.open_files)

        data, open_after = asyncio.run(one_turn())
        for number, batch in enumerate(data):  # value length (zigzag varint), value, 0 headers
            size = 10 + number
            assert batch.endswith(bytes([2 * size]) + bytes([65]) * size + b"\x00")
        assert open_after <= CAPACITY
    finally:
        logs.shutdown()


@pytest.mark.parametrize("capacity", [0, None])
def test_capacity_defaults(tmp_path: Path, capacity: int | None) -> None:
    import resource

    logs = LogManager(tmp_path, default_config=LogConfig(), open_files_max=capacity)
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    expected = None if capacity is None or soft == resource.RLIM_INFINITY else max(32, soft // 2)
    assert logs.open_files.capacity == expected
