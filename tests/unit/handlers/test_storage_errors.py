"""Produce and Fetch over real sockets while the disk fails (``kafkalite.storage.faults``).

A failed write is answered with KAFKA_STORAGE_ERROR, leaves no trace in the log and the next
append may succeed; a failed fsync under ``flush.messages=1`` is never acknowledged and takes
the partition offline for appends until a restart. Reads of existing data go on throughout.
"""

from __future__ import annotations

import errno
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.fetch import FetchPartition, FetchRequest, FetchTopic
from kafkalite.protocol.messages.produce import (
    ProducePartitionData,
    ProduceRequest,
    ProduceTopicData,
)
from kafkalite.protocol.records import validate_batches
from kafkalite.storage import faults
from tests.conftest import BrokerThread
from tests.unit.batches import record_batch
from tests.unit.server.kafka_wire import call

STORAGE_ERROR = ErrorCode.KAFKA_STORAGE_ERROR
assert STORAGE_ERROR == 56


@pytest.fixture(autouse=True)
def _disarm() -> Iterator[None]:
    faults.clear()
    yield
    faults.clear()


def produce(address: tuple[str, int], topic: str, values: list[bytes]) -> tuple[int, int, str]:
    request = ProduceRequest(
        acks=-1,
        timeout_ms=10_000,
        topic_data=[
            ProduceTopicData(
                name=topic,
                partition_data=[
                    ProducePartitionData(
                        index=0, records=record_batch([(None, value) for value in values])
                    )
                ],
            )
        ],
    )
    response = call(address, ApiKey.PRODUCE, 9, request)
    part = response.responses[0].partition_responses[0]
    return part.error_code, part.base_offset, part.error_message or ""


def fetch_values(address: tuple[str, int], topic: str) -> tuple[int, int, list[tuple[int, int]]]:
    """(error code, high watermark, [(base offset, record count)] of the batches from 0)."""
    request = FetchRequest(
        max_wait_ms=0,
        topics=[
            FetchTopic(
                topic=topic,
                partitions=[
                    FetchPartition(partition=0, fetch_offset=0, partition_max_bytes=1 << 20)
                ],
            )
        ],
    )
    response = call(address, ApiKey.FETCH, 11, request)
    part = response.responses[0].partitions[0]
    records = bytes(part.records or b"")
    batches = validate_batches(records, from_client=False) if records else []
    return part.error_code, part.high_watermark, [(b.base_offset, b.records_count) for b in batches]


def create(broker: BrokerThread, topic: str, **configs: str) -> None:
    broker.call(lambda: broker.broker.cluster.logs.create_topic(topic, 1, configs=configs))


def segment_size(broker: BrokerThread, topic: str) -> int:
    log = broker.call(broker.broker.cluster.partition, topic, 0)
    return os.path.getsize(log.segments[-1].log_path)


def test_failed_write_answers_storage_error_and_the_next_append_succeeds(
    broker_thread: BrokerThread, caplog: pytest.LogCaptureFixture
) -> None:
    address = broker_thread.address
    create(broker_thread, "full")
    assert produce(address, "full", [b"a", b"b", b"c"])[:2] == (0, 0)
    size = segment_size(broker_thread, "full")
    faults.fail_next_write(errno.ENOSPC, after=25)  # the disk fills up inside the batch
    with caplog.at_level(logging.ERROR):
        code, base, message = produce(address, "full", [b"d", b"e"])
    assert (code, base) == (STORAGE_ERROR, -1)
    assert "No space left on device" in message
    assert any("No space left on device" in r.getMessage() for r in caplog.records)
    assert segment_size(broker_thread, "full") == size  # no partial batch left behind
    assert fetch_values(address, "full") == (0, 3, [(0, 3)])  # reads go on
    caplog.clear()
    faults.fail_next_write(errno.ENOSPC)
    with caplog.at_level(logging.DEBUG, logger="kafkalite.storage"):
        assert produce(address, "full", [b"d", b"e"])[:2] == (STORAGE_ERROR, -1)
        # space is back: appends resume at the same offset
        assert produce(address, "full", [b"d", b"e"])[:2] == (0, 3)
    # one ERROR per failing spell, however often producers retry
    assert [(r.levelname, r.getMessage().split(": ")[1]) for r in caplog.records] == [
        ("DEBUG", "append refused"),
        ("WARNING", "appends succeed again"),
    ]
    assert fetch_values(address, "full") == (0, 5, [(0, 3), (3, 2)])


def test_failed_fsync_with_flush_messages_one_is_never_acknowledged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    broker = BrokerThread(data, **{"num.partitions": "1"}).start()
    try:
        address = broker.address
        create(broker, "durable", **{"flush.messages": "1"})
        assert produce(address, "durable", [b"a", b"b"])[:2] == (0, 0)
        log = broker.call(broker.broker.cluster.partition, "durable", 0)
        assert log.recovery_point == 2  # acknowledged only once fsynced
        faults.fail_next_fsync(errno.EIO)
        with caplog.at_level(logging.ERROR):
            code, base, _ = produce(address, "durable", [b"c"])
        assert (code, base) == (STORAGE_ERROR, -1)
        assert any("Input/output error" in r.getMessage() for r in caplog.records)
        assert faults.pending() == (0, 0)
        # offline for appends until a restart: the page cache may have lost the data
        assert produce(address, "durable", [b"d"])[:2] == (STORAGE_ERROR, -1)
        assert log.recovery_point == 2
        code, high_watermark, batches = fetch_values(address, "durable")
        assert code == 0 and batches[0] == (0, 2)  # what was acknowledged is still served
    finally:
        broker.stop()
    assert not (data / ".kafka_cleanshutdown").exists()  # the next start recovers the log
    again = BrokerThread(data, **{"num.partitions": "1"}).start()
    try:
        code, high_watermark, batches = fetch_values(again.address, "durable")
        assert code == 0 and batches[0] == (0, 2)
        code, base, _ = produce(again.address, "durable", [b"e"])
        assert (code, base) == (0, high_watermark)
    finally:
        again.stop()


def test_failed_fsync_fails_only_the_partitions_that_waited_for_it(tmp_path: Path) -> None:
    broker = BrokerThread(tmp_path / "data", **{"num.partitions": "1"}).start()
    try:
        create(broker, "synced", **{"flush.messages": "1"})
        create(broker, "relaxed")
        faults.fail_next_fsync(errno.EIO)
        request = ProduceRequest(
            acks=-1,
            timeout_ms=10_000,
            topic_data=[
                ProduceTopicData(
                    name=name,
                    partition_data=[
                        ProducePartitionData(index=0, records=record_batch([(None, b"x")]))
                    ],
                )
                for name in ("synced", "relaxed")
            ],
        )
        for version in (7, 9):  # v7 has no error message field
            response = call(broker.address, ApiKey.PRODUCE, version, request)
            answers = {
                t.name: (t.partition_responses[0].error_code, t.partition_responses[0].base_offset)
                for t in response.responses
            }
            relaxed_offset = {7: 0, 9: 1}[version]
            assert answers == {"synced": (STORAGE_ERROR, -1), "relaxed": (0, relaxed_offset)}
    finally:
        broker.stop()


def test_committed_offsets_past_a_cut_log_are_reported_at_start(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from kafkalite.groups.api import CommittedOffset, TopicPartition

    data = tmp_path / "data"
    broker = BrokerThread(data, **{"num.partitions": "1"}).start()
    try:
        create(broker, "cut")
        assert produce(broker.address, "cut", [b"a", b"b", b"c"])[:2] == (0, 0)
        offsets = broker.broker.cluster.groups.offsets
        commits = [
            (TopicPartition("cut", 0), CommittedOffset(3, -1, "", 0)),  # the log end: fine
        ]
        broker.call(offsets.commit, "fine", commits)
        commits = [(TopicPartition("cut", 0), CommittedOffset(9, -1, "", 0))]
        broker.call(offsets.commit, "ahead", commits)
    finally:
        broker.stop()
    with caplog.at_level(logging.WARNING, logger="kafkalite.cluster.cluster"):
        again = BrokerThread(data, **{"num.partitions": "1"}).start()
    try:
        warnings = [r.getMessage() for r in caplog.records if r.name == "kafkalite.cluster.cluster"]
        assert warnings == [
            "group ahead: committed offset 9 of cut-0 is past the log end offset 3; "
            "its consumers will reset by auto.offset.reset"
        ]
        committed = again.broker.cluster.groups.offsets.get("ahead", TopicPartition("cut", 0))
        assert committed is not None and committed.offset == 9  # kept, as Kafka keeps it
    finally:
        again.stop()
