"""ListOffsets over real sockets, v1-v8: earliest, latest, by timestamp, max timestamp
(v7+), earliest local (v8), errors, and the version-gated leader epoch (v4+)."""

from __future__ import annotations

import gzip
import struct
import time
from typing import Any

import crc32c
import pytest

from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.list_offsets import (
    ListOffsetsPartition,
    ListOffsetsRequest,
    ListOffsetsTopic,
)
from kafkalite.protocol.messages.produce import (
    ProducePartitionData,
    ProduceRequest,
    ProduceTopicData,
)
from tests.unit.batches import record_batch
from tests.unit.handlers.admin_wire import create_topic, delete_records
from tests.unit.server.kafka_wire import call

E = ErrorCode
Address = tuple[str, int]
SERVED = range(1, 9)
LATEST, EARLIEST, MAX_TIMESTAMP, EARLIEST_LOCAL = -1, -2, -3, -4
T = 1_700_000_000_000


# --- helpers --------------------------------------------------------------------------


def list_offsets(
    address: Address,
    version: int,
    queries: list[tuple[str, int, int]],
    *,
    isolation_level: int = 0,
) -> list[tuple[str, int, int, int, int, int]]:
    """(topic, partition, error, offset, timestamp, leader epoch) per (topic, partition, time)."""
    topics: dict[str, list[ListOffsetsPartition]] = {}
    for topic, partition, timestamp in queries:
        topics.setdefault(topic, []).append(
            ListOffsetsPartition(partition_index=partition, timestamp=timestamp)
        )
    request = ListOffsetsRequest(
        replica_id=-1,
        isolation_level=isolation_level,
        topics=[ListOffsetsTopic(name=name, partitions=parts) for name, parts in topics.items()],
    )
    response = call(address, ApiKey.LIST_OFFSETS, version, request)
    assert response.throttle_time_ms == 0
    return [
        (t.name, p.partition_index, p.error_code, p.offset, p.timestamp, p.leader_epoch)
        for t in response.topics
        for p in t.partitions
    ]


def one(
    address: Address, version: int, topic: str, timestamp: int, partition: int = 0
) -> tuple[int, int, int, int]:
    """(error, offset, timestamp, leader epoch) for one partition."""
    [(_, _, *answer)] = list_offsets(address, version, [(topic, partition, timestamp)])
    return tuple(answer)  # type: ignore[return-value]


def produce(address: Address, topic: str, batch: bytes, partition: int = 0) -> Any:
    request = ProduceRequest(
        acks=-1,
        timeout_ms=5000,
        topic_data=[
            ProduceTopicData(
                name=topic, partition_data=[ProducePartitionData(index=partition, records=batch)]
            )
        ],
    )
    part = call(address, ApiKey.PRODUCE, 9, request).responses[0].partition_responses[0]
    assert part.error_code == E.NONE
    return part


def gzipped(batch: bytes) -> bytes:
    body = gzip.compress(batch[61:])
    head = bytearray(batch[:61])
    struct.pack_into(">i", head, 8, 49 + len(body))
    struct.pack_into(">h", head, 21, 1)
    out = bytes(head) + body
    return out[:17] + struct.pack(">I", crc32c.crc32c(out[21:])) + out[21:]


def fill(address: Address, topic: str = "t") -> None:
    """Offsets 0-2 at T..T+2, 3-4 at T+100..T+101, 5 at T+50: the largest timestamp is at
    offset 4 and timestamps are not monotonic across batches."""
    create_topic(address, topic)
    assert produce(address, topic, record_batch([(None, b"a")] * 3, timestamp=T)).base_offset == 0
    assert (
        produce(address, topic, record_batch([(None, b"b")] * 2, timestamp=T + 100)).base_offset
        == 3
    )
    assert produce(address, topic, record_batch([(None, b"c")], timestamp=T + 50)).base_offset == 5


# --- every version ----------------------------------------------------------------------


@pytest.mark.parametrize("version", SERVED)
def test_every_version(broker_thread, version: int) -> None:
    address = broker_thread.address
    fill(address)
    epoch = 0 if version >= 4 else -1  # leader_epoch is on the wire from v4
    expected = {
        EARLIEST: (0, -1),
        LATEST: (6, -1),
        0: (0, T),
        T: (0, T),
        T + 1: (1, T + 1),
        T + 2: (2, T + 2),
        T + 3: (3, T + 100),  # the first offset at or after the time, not the closest time
        T + 50: (3, T + 100),
        T + 100: (3, T + 100),
        T + 101: (4, T + 101),
    }
    if version >= 7:
        expected[MAX_TIMESTAMP] = (4, T + 101)
    if version >= 8:
        expected[EARLIEST_LOCAL] = (0, -1)
    answers = list_offsets(address, version, [("t", 0, ts) for ts in expected])
    assert answers == [("t", 0, E.NONE, *found, epoch) for found in expected.values()]

    # no record at or after the time: offset -1, timestamp -1
    assert one(address, version, "t", T + 102)[:3] == (E.NONE, -1, -1)
    if version >= 2:  # isolation_level; no transactions, so the same answer
        [latest] = list_offsets(address, version, [("t", 0, LATEST)], isolation_level=1)
        assert latest == ("t", 0, E.NONE, 6, -1, epoch)


@pytest.mark.parametrize("version", [1, 4, 8])
def test_many_partitions_in_one_request(broker_thread, version: int) -> None:
    address = broker_thread.address
    create_topic(address, "a", partitions=3)
    create_topic(address, "b")
    for partition, count in ((0, 1), (2, 4)):
        for i in range(count):
            produce(address, "a", record_batch([(None, b"x")], timestamp=T + i), partition)
    produce(address, "b", record_batch([(None, b"y")] * 2, timestamp=T + 10))
    epoch = 0 if version >= 4 else -1
    answers = list_offsets(
        address,
        version,
        [("a", 0, LATEST), ("a", 1, LATEST), ("a", 2, T + 2), ("a", 2, LATEST), ("b", 0, T + 11)],
    )
    assert answers == [
        ("a", 0, E.NONE, 1, -1, epoch),
        ("a", 1, E.NONE, 0, -1, epoch),
        ("a", 2, E.NONE, 2, T + 2, epoch),
        ("a", 2, E.NONE, 4, -1, epoch),
        ("b", 0, E.NONE, 1, T + 11, epoch),
    ]


def test_empty_partition(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "empty")
    for version in SERVED:
        epoch = 0 if version >= 4 else -1
        assert one(address, version, "empty", EARLIEST) == (E.NONE, 0, -1, epoch)
        assert one(address, version, "empty", LATEST) == (E.NONE, 0, -1, epoch)
        assert one(address, version, "empty", T)[:3] == (E.NONE, -1, -1)
        if version >= 7:
            assert one(address, version, "empty", MAX_TIMESTAMP)[:3] == (E.NONE, -1, -1)


def test_log_start_moved_by_delete_records(broker_thread) -> None:
    address = broker_thread.address
    fill(address)
    delete_records(address, "t", 4)
    assert one(address, 8, "t", EARLIEST) == (E.NONE, 4, -1, 0)
    assert one(address, 8, "t", EARLIEST_LOCAL) == (E.NONE, 4, -1, 0)
    assert one(address, 8, "t", LATEST) == (E.NONE, 6, -1, 0)
    # records below the log start are never answered, even when their time matches
    assert one(address, 8, "t", T) == (E.NONE, 4, T + 101, 0)
    assert one(address, 8, "t", T + 101) == (E.NONE, 4, T + 101, 0)
    assert one(address, 1, "t", T + 1) == (E.NONE, 4, T + 101, -1)
    assert one(address, 8, "t", T + 102)[:3] == (E.NONE, -1, -1)


def test_no_match_has_no_leader_epoch(broker_thread) -> None:
    """Kafka answers a time that matches no record with buildErrorResponse(NONE): offset -1,
    timestamp -1 and the leader epoch left at -1 (KafkaApis/ReplicaManager.fetchOffset)."""
    address = broker_thread.address
    fill(address)
    assert one(address, 4, "t", T + 102) == (E.NONE, -1, -1, -1)
    assert one(address, 8, "t", T + 102) == (E.NONE, -1, -1, -1)


# --- record-level answers ---------------------------------------------------------------


def test_gzip_batches_answer_at_record_level(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "gz")
    produce(address, "gz", record_batch([(None, b"first")], timestamp=T - 10))
    produce(
        address, "gz", gzipped(record_batch([(None, b"v %d" % i) for i in range(5)], timestamp=T))
    )
    assert one(address, 8, "gz", T + 3) == (E.NONE, 4, T + 3, 0)
    assert one(address, 8, "gz", T - 5) == (E.NONE, 1, T, 0)
    assert one(address, 8, "gz", MAX_TIMESTAMP) == (E.NONE, 5, T + 4, 0)


def test_log_append_time_topic_answers_with_the_append_time(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "lat", configs={"message.timestamp.type": "LogAppendTime"})
    first = produce(
        address, "lat", record_batch([(None, b"a")] * 3, timestamp=T)
    ).log_append_time_ms
    time.sleep(0.005)
    second = produce(
        address, "lat", record_batch([(None, b"b")] * 2, timestamp=T)
    ).log_append_time_ms
    assert 0 < first < second
    # every record of a LogAppendTime batch carries the batch's append time
    assert one(address, 8, "lat", T) == (E.NONE, 0, first, 0)
    assert one(address, 8, "lat", first) == (E.NONE, 0, first, 0)
    assert one(address, 8, "lat", first + 1) == (E.NONE, 3, second, 0)
    assert one(address, 8, "lat", MAX_TIMESTAMP) == (E.NONE, 3, second, 0)
    assert one(address, 8, "lat", second + 1)[:3] == (E.NONE, -1, -1)


# --- errors -----------------------------------------------------------------------------


@pytest.mark.parametrize("version", [1, 4, 6, 8])
def test_unknown_topic_or_partition(broker_thread, version: int) -> None:
    address = broker_thread.address
    create_topic(address, "known")
    answers = list_offsets(
        address,
        version,
        [("missing", 0, LATEST), ("known", 1, EARLIEST), ("known", 0, LATEST)],
    )
    assert answers == [
        ("missing", 0, E.UNKNOWN_TOPIC_OR_PARTITION, -1, -1, -1),
        ("known", 1, E.UNKNOWN_TOPIC_OR_PARTITION, -1, -1, -1),
        ("known", 0, E.NONE, 0, -1, 0 if version >= 4 else -1),
    ]
    assert "missing" not in broker_thread.call(broker_thread.broker.cluster.topics)
