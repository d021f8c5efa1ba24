"""ListOffsets by timestamp over batches that lie about their records, or that fail to be
read: each partition gets its own answer, and the others of the request keep theirs.

Batches are stored straight into the log (produce now refuses them), as a log written before
produce checked records would hold them. Handlers are called directly.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kafkalite.cluster import Cluster
from kafkalite.config import BrokerConfig
from kafkalite.handlers import list_offsets
from kafkalite.protocol.errors import ErrorCode as E
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.list_offsets import (
    ListOffsetsPartition,
    ListOffsetsRequest,
    ListOffsetsTopic,
)
from kafkalite.protocol.record_codec import Record, encode_batch
from kafkalite.protocol.records import validate_batches
from kafkalite.storage import timestamps
from tests.unit.batches import record_batch, relabel
from tests.unit.handlers.test_without_socket import run

TS = 1_700_000_000_000


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    opened = Cluster(BrokerConfig(data_dir=tmp_path, brokers=1, port=0))
    opened.open()
    opened.logs.create_topic("t", 3)
    opened.place_topic("t", 3, 1, {0: [1], 1: [1], 2: [1]})
    try:
        yield opened
    finally:
        opened.close()


def store(cluster: Cluster, partition: int, batch: bytes) -> None:
    partition_log = cluster.partition("t", partition)
    assert partition_log is not None
    partition_log.append(memoryview(bytearray(batch)), validate_batches(batch), now_ms=TS)


def by_timestamp(cluster: Cluster, timestamp: int) -> dict[int, Any]:
    request = ListOffsetsRequest(
        replica_id=-1,
        topics=[ListOffsetsTopic(name="t", partitions=[
            ListOffsetsPartition(partition_index=i, timestamp=timestamp) for i in range(3)
        ])],
    )
    response = run(cluster, 1, ApiKey.LIST_OFFSETS, 7, list_offsets, request)
    return {part.partition_index: part for part in response.topics[0].partitions}


def honest() -> bytes:
    return record_batch([(b"k", b"v")] * 4)  # timestamps TS .. TS+3


def lying_count() -> bytes:
    return relabel(honest(), records_count=3, last_offset_delta=2)


def lying_offsets() -> bytes:
    built = [Record(0, TS, b"a", b"v"), Record(1001, TS + 1, b"b", b"v"), Record(2, TS + 2, b"c", b"v")]
    return relabel(encode_batch(built), last_offset_delta=2)


@pytest.mark.parametrize("bad", [lying_count, lying_offsets])
def test_a_lying_batch_costs_no_other_partition_its_answer(cluster: Cluster, bad: Any) -> None:
    store(cluster, 0, bad())
    store(cluster, 1, honest())
    store(cluster, 2, honest())
    answers = by_timestamp(cluster, TS + 2)
    assert [(answers[i].error_code, answers[i].offset, answers[i].timestamp) for i in (1, 2)] == [
        (E.NONE, 2, TS + 2), (E.NONE, 2, TS + 2)
    ]
    assert answers[0].error_code == E.NONE
    assert answers[0].offset in (0, 2)  # batch level, or the record itself


def test_a_failing_partition_is_answered_with_an_error_and_the_others_still_are(
    cluster: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    for partition in range(3):
        store(cluster, partition, honest())
    broken = cluster.partition("t", 1)

    def fail(timestamp: int) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(broken, "offset_for_timestamp", fail)
    answers = by_timestamp(cluster, TS + 1)
    assert answers[1].error_code == E.UNKNOWN_SERVER_ERROR
    assert answers[1].offset == -1
    assert [(answers[i].error_code, answers[i].offset) for i in (0, 2)] == [(E.NONE, 1), (E.NONE, 1)]


def test_a_batch_is_read_once_for_repeated_searches(
    cluster: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    store(cluster, 0, record_batch([(b"k", b"v")] * 500))
    calls = []
    real = timestamps.read_record_timestamps

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(timestamps, "read_record_timestamps", counting)
    for target in (TS + 10, TS + 400, TS + 10):
        assert by_timestamp(cluster, target)[0].offset == target - TS
    assert len(calls) == 1


@pytest.mark.timeout(20)  # decoding each of the bomb's records would take ~30 s
def test_a_stored_batch_over_the_record_limit_is_answered_at_batch_level_at_once(cluster: Cluster) -> None:
    count = 3_000_000
    record = bytes([0x0E, 0, 0, 0, 0x02, ord("k"), 0x01, 0])  # offset delta 0: cheap to build
    bomb = relabel(record_batch([(b"k", None)]), records=record * 10, records_count=count,
                   last_offset_delta=count - 1, max_timestamp=TS + 5)
    store(cluster, 0, bomb)
    answer = by_timestamp(cluster, TS + 5)[0]
    assert (answer.error_code, answer.offset, answer.timestamp) == (E.NONE, 0, TS + 5)
