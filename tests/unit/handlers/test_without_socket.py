"""Handlers called directly with a ``RequestContext``: a cluster, a node, no socket."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kafkalite.cluster import Cluster
from kafkalite.config import BrokerConfig
from kafkalite.handlers import fetch, metadata, produce
from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.connection import Request
from kafkalite.protocol.errors import ErrorCode as E
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.fetch import FetchPartition, FetchRequest, FetchTopic
from kafkalite.protocol.messages.headers import RequestHeader
from kafkalite.protocol.messages.metadata import MetadataRequest
from kafkalite.protocol.messages.produce import (
    ProducePartitionData,
    ProduceRequest,
    ProduceTopicData,
)
from tests.unit.batches import record_batch


class NoWaits:
    """Long polls return at once: nothing here appends while a fetch waits."""

    async def wait(self, partitions: Iterable[tuple[str, int]], timeout: float, closing: asyncio.Event) -> None:
        return None


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    opened = Cluster(BrokerConfig(data_dir=tmp_path, brokers=2, port=0))
    opened.open()
    try:
        yield opened
    finally:
        opened.close()


def run(cluster: Cluster, node_id: int, api: ApiKey, version: int, handler: Any, body: Any) -> Any:
    request = Request(api, version, RequestHeader(request_api_key=api, request_api_version=version), body, 0)
    ctx = RequestContext(node=cluster.nodes[node_id], cluster=cluster, request=request, waiters=NoWaits())
    return asyncio.run(handler.handle(ctx, body))


def test_metadata_and_produce_answer_for_the_node_they_run_on(cluster: Cluster) -> None:
    cluster.logs.create_topic("t", 1)
    cluster.place_topic("t", 1, 2, {0: [2, 1]})
    described = run(cluster, 1, ApiKey.METADATA, 12, metadata, MetadataRequest(topics=None))
    assert [(p.leader_id, p.replica_nodes) for p in described.topics[0].partitions] == [(2, [2, 1])]
    assert [b.node_id for b in described.brokers] == [1, 2]

    def produce_on(node_id: int) -> Any:
        body = ProduceRequest(acks=1, timeout_ms=1000, topic_data=[ProduceTopicData(
            name="t", partition_data=[ProducePartitionData(index=0, records=record_batch([(b"k", b"v")]))])])
        return run(cluster, node_id, ApiKey.PRODUCE, 11, produce, body)

    refused = produce_on(1)
    assert refused.responses[0].partition_responses[0].error_code == E.NOT_LEADER_OR_FOLLOWER
    assert [(n.node_id, n.port) for n in refused.node_endpoints] == [(2, 0)]  # not bound: no socket
    assert produce_on(2).responses[0].partition_responses[0].base_offset == 0

    body = FetchRequest(max_wait_ms=500, min_bytes=1, max_bytes=1024, topics=[FetchTopic(
        topic="t", partitions=[FetchPartition(partition=0, partition_max_bytes=1024)])])
    fetched = run(cluster, 2, ApiKey.FETCH, 12, fetch, body).responses[0].partitions[0]
    assert (fetched.error_code, fetched.high_watermark, fetched.records.length) == (
        E.NONE, 1, len(record_batch([(b"k", b"v")])))
