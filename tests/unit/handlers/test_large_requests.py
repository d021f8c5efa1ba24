"""Large requests are served in slices: other coroutines run while a Fetch naming thousands
of partitions is read or a Metadata request auto-creates hundreds of topics, and the answers
are the same as when served at once."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kafkalite.cluster import Cluster
from kafkalite.config import BrokerConfig
from kafkalite.handlers import create_topics, fetch, metadata
from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.connection import Request
from kafkalite.protocol.errors import ErrorCode as E
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.create_topics import CreatableTopic, CreateTopicsRequest
from kafkalite.protocol.messages.fetch import FetchPartition, FetchRequest, FetchTopic
from kafkalite.protocol.messages.headers import RequestHeader
from kafkalite.protocol.messages.metadata import MetadataRequest, MetadataRequestTopic
from kafkalite.protocol.records import validate_batches
from kafkalite.storage import checkpoint
from tests.unit.batches import record_batch


class NoWaits:
    async def wait(
        self, partitions: Iterable[tuple[str, int]], timeout: float, closing: asyncio.Event
    ) -> None:
        return None


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    opened = Cluster(BrokerConfig(data_dir=tmp_path, port=0))
    opened.open()
    try:
        yield opened
    finally:
        opened.close()


def serve_counting_turns(cluster: Cluster, api: ApiKey, version: int, handler: Any, body: Any):
    """Run the handler beside a coroutine that counts turns of the event loop until the
    handler is done; returns (response, turns)."""

    async def main() -> tuple[Any, int]:
        request = Request(
            api, version, RequestHeader(request_api_key=api, request_api_version=version), body, 0
        )
        ctx = RequestContext(
            node=cluster.nodes[1], cluster=cluster, request=request, waiters=NoWaits()
        )
        task = asyncio.ensure_future(handler.handle(ctx, body))
        turns = 0
        while not task.done():
            await asyncio.sleep(0)
            turns += 1
        return task.result(), turns

    return asyncio.run(main())


def test_a_fetch_of_thousands_of_partitions_lets_others_run(cluster: Cluster) -> None:
    partitions = 3 * fetch.SLICE
    cluster.logs.create_topic("big", 3)
    cluster.place_topic("big", 3, 1)
    stored = record_batch([(b"k", b"v")])
    log = cluster.partition("big", 0)
    assert log is not None
    log.append(memoryview(bytearray(stored)), validate_batches(stored), now_ms=1_700_000_000_000)
    body = FetchRequest(
        max_wait_ms=0,
        min_bytes=0,
        max_bytes=1 << 20,
        topics=[
            FetchTopic(
                topic="big",
                partitions=[
                    FetchPartition(partition=i % partitions, partition_max_bytes=1024)
                    for i in range(partitions)
                ],
            )
        ],
    )
    response, turns = serve_counting_turns(cluster, ApiKey.FETCH, 12, fetch, body)
    assert turns >= 2
    answered = response.responses[0].partitions
    assert [p.partition_index for p in answered] == list(range(partitions))
    assert [p.error_code for p in answered[:4]] == [E.NONE, E.NONE, E.NONE, E.UNKNOWN_TOPIC_OR_PARTITION]
    assert {p.error_code for p in answered[3:]} == {E.UNKNOWN_TOPIC_OR_PARTITION}
    # The records read before the loop ran were taken out of the file: the bytes stored
    # (the partition leader epoch, bytes 12-15, is the broker's).
    records = answered[0].records
    assert isinstance(records, bytes)
    assert (records[:12], records[16:]) == (stored[:12], stored[16:])
    assert answered[0].high_watermark == 1


def test_metadata_auto_creates_its_unknown_topics_as_one_batch(
    cluster: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    count = 80
    writes: list[int] = []
    real_write = checkpoint.write_topics_file
    monkeypatch.setattr(
        checkpoint, "write_topics_file", lambda *a, **k: (writes.append(1), real_write(*a, **k))
    )
    fsyncs: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (fsyncs.append(fd), real_fsync(fd))[1])
    cluster.logs.create_topic("a_b", 1)
    names = [f"auto-{n}" for n in range(count)] + ["a.b", "auto-0", "bad name"]
    body = MetadataRequest(
        topics=[MetadataRequestTopic(name=name) for name in names], allow_auto_topic_creation=True
    )
    writes.clear()
    fsyncs.clear()
    response, turns = serve_counting_turns(cluster, ApiKey.METADATA, 12, metadata, body)
    assert turns >= 2  # the creation ran in steps
    assert [(t.name, t.error_code) for t in response.topics] == [
        *[(f"auto-{n}", E.NONE) for n in range(count)],
        ("a.b", E.INVALID_TOPIC_EXCEPTION),  # collides with a_b
        ("auto-0", E.NONE),
        ("bad name", E.INVALID_TOPIC_EXCEPTION),
    ]
    assert all(len(t.partitions) == 1 for t in response.topics[:count])
    assert len(writes) <= 2  # "creating", then created: not two per topic
    assert len(fsyncs) <= 10  # not a few per partition
    reopened = checkpoint.read_topics_file(cluster.logs.data_dir)
    assert {f"auto-{n}" for n in range(count)} <= set(reopened)
    assert not any(record.creating for record in reopened.values())


def test_create_topics_creates_its_topics_as_one_batch(
    cluster: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    writes: list[int] = []
    real_write = checkpoint.write_topics_file
    monkeypatch.setattr(
        checkpoint, "write_topics_file", lambda *a, **k: (writes.append(1), real_write(*a, **k))
    )
    fsyncs: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (fsyncs.append(fd), real_fsync(fd))[1])
    body = CreateTopicsRequest(
        topics=[
            CreatableTopic(name="wide-a", num_partitions=120, replication_factor=1),
            CreatableTopic(name="wide.b", num_partitions=80, replication_factor=-1),
            CreatableTopic(name="wide_b", num_partitions=1, replication_factor=1),
            CreatableTopic(name="nothing", num_partitions=0, replication_factor=1),
        ],
        timeout_ms=1000,
    )
    response, turns = serve_counting_turns(cluster, ApiKey.CREATE_TOPICS, 7, create_topics, body)
    assert turns >= 2
    assert [(t.name, t.error_code, t.num_partitions) for t in response.topics] == [
        ("wide-a", E.NONE, 120),
        ("wide.b", E.NONE, 80),
        ("wide_b", E.INVALID_TOPIC_EXCEPTION, -1),  # collides with wide.b of the same batch
        ("nothing", E.INVALID_PARTITIONS, -1),
    ]
    assert len(writes) <= 2
    assert len(fsyncs) <= 10
    assert len(cluster.logs.get_topic("wide-a").partitions) == 120
    assert cluster.partition_state("wide.b", 79).leader == 1


def test_metadata_auto_creates_at_most_kafkas_partitions_per_request(tmp_path: Path) -> None:
    """Kafka's controller creates at most 10,000 partitions per request: past it, none of
    the request's unknown topics is created and each answers LEADER_NOT_AVAILABLE."""
    opened = Cluster(BrokerConfig(data_dir=tmp_path, port=0, num_partitions=2))
    opened.open()
    try:
        assert metadata.MAX_PARTITIONS_PER_BATCH == 10_000
        over = [f"wide-{n}" for n in range(5001)]  # 10,002 partitions
        body = MetadataRequest(
            topics=[MetadataRequestTopic(name=name) for name in over], allow_auto_topic_creation=True
        )
        response, _ = serve_counting_turns(opened, ApiKey.METADATA, 12, metadata, body)
        assert [(t.name, t.error_code) for t in response.topics] == [
            (name, E.LEADER_NOT_AVAILABLE) for name in over
        ]
        assert not any(opened.logs.get_topic(name) for name in over)
        # The same names twice count once; a request within the limit creates its topics.
        body = MetadataRequest(
            topics=[MetadataRequestTopic(name=name) for name in ["small-0", "small-0", "small-1"]],
            allow_auto_topic_creation=True,
        )
        response, _ = serve_counting_turns(opened, ApiKey.METADATA, 12, metadata, body)
        assert [(t.name, t.error_code, len(t.partitions)) for t in response.topics] == [
            ("small-0", E.NONE, 2), ("small-0", E.NONE, 2), ("small-1", E.NONE, 2)
        ]
    finally:
        opened.close()
