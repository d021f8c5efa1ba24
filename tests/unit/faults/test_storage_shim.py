"""The storage shim's per-partition arming: a failure armed for one log directory leaves
the others alone."""

from __future__ import annotations

import asyncio
import errno
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from kafkalite.faults import FaultPlan, run_with_faults
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.produce import (
    ProducePartitionData,
    ProduceRequest,
    ProduceTopicData,
)
from kafkalite.protocol.record_codec import Record, encode_batch
from kafkalite.protocol.records import validate_batches
from kafkalite.storage import faults
from kafkalite.storage.config import LogConfig
from kafkalite.storage.errors import KafkaStorageError
from kafkalite.storage.flusher import Flusher
from kafkalite.storage.loader import create_partition_log


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


NOW_MS = 1_700_000_000_000


def _batch() -> bytearray:
    return bytearray(encode_batch([Record(0, NOW_MS, None, b"value")], base_offset=0,
                                  base_timestamp=NOW_MS, max_timestamp=NOW_MS))


def test_a_fail_write_rule_fails_only_its_partitions_log(tmp_path: Path) -> None:
    flusher = Flusher(interval_ms=10**9)
    logs = {
        p: create_partition_log(tmp_path / f"t-{p}", topic="t", partition=p,
                                topic_id=uuid.uuid4(), config=LogConfig(), flusher=flusher,
                                now_ms=NOW_MS)
        for p in (0, 1)
    }
    try:
        plan = FaultPlan()
        plan.add("fail_write", topic="t", partition=1, errno=errno.EDQUOT)

        async def call(body: ProduceRequest) -> None:
            for topic in body.topic_data:
                for part in topic.partition_data:
                    batch = _batch()
                    logs[part.index].append(batch, validate_batches(batch), now_ms=NOW_MS)

        request = ProduceRequest(acks=0, topic_data=[ProduceTopicData(name="t", partition_data=[
            ProducePartitionData(index=0), ProducePartitionData(index=1),
        ])])
        with pytest.raises(KafkaStorageError) as info:
            asyncio.run(run_with_faults(plan, node_id=1, api_key=ApiKey.PRODUCE, version=9,
                                        client_id=None, body=request, call=call))
        assert "Disk quota exceeded" in str(info.value)
        assert (logs[0].log_end_offset, logs[1].log_end_offset) == (1, 0)
    finally:
        for log in logs.values():
            log.close()
