"""KIP-951 on the topic-id versions, over real sockets on three nodes: a Fetch (v16+) or a
Produce (v13) sent to a node that does not lead the partition is NOT_LEADER_OR_FOLLOWER
with the current leader, and the answer carries that leader's endpoint."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kafkalite.protocol.errors import ErrorCode as E
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.fetch import FetchPartition, FetchRequest, FetchTopic
from kafkalite.protocol.messages.produce import (
    ProducePartitionData,
    ProduceRequest,
    ProduceTopicData,
)
from tests.unit.batches import record_batch
from tests.unit.cluster.test_nodes import Cluster3, create, metadata
from tests.unit.server.kafka_wire import call


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster3]:
    running = Cluster3(Path(tmp_path_factory.mktemp("kip951")) / "data")
    try:
        yield running
    finally:
        running.close()


@pytest.fixture(scope="module")
def placed(cluster: Cluster3) -> tuple[Any, int, int]:
    """The topic id, its leader and a node that does not lead partition 0."""
    create(cluster.address(1), "moved", 1, 1)
    answer = metadata(cluster.address(1), "moved").topics[0]
    leader = answer.partitions[0].leader_id
    other = next(n for n in (1, 2, 3) if n != leader)
    return answer.topic_id, leader, other


@pytest.mark.parametrize("version", [15, 16, 18])
def test_fetch_by_topic_id_names_the_leader_and_its_endpoint(
    cluster: Cluster3, placed: tuple[Any, int, int], version: int
) -> None:
    topic_id, leader, other = placed
    request = FetchRequest(max_wait_ms=0, min_bytes=0, max_bytes=1 << 20, topics=[FetchTopic(
        topic_id=topic_id, partitions=[FetchPartition(partition=0, partition_max_bytes=1 << 20)])])
    response = call(cluster.address(other), ApiKey.FETCH, version, request)
    [topic] = response.responses
    [part] = topic.partitions
    assert topic.topic_id == topic_id and part.error_code == E.NOT_LEADER_OR_FOLLOWER
    assert part.current_leader.leader_id == leader
    host, port = cluster.address(leader)
    endpoints = [(n.node_id, n.host, n.port) for n in response.node_endpoints]
    assert endpoints == ([] if version < 16 else [(leader, host, port)])


def test_produce_v13_names_the_leader_and_its_endpoint(
    cluster: Cluster3, placed: tuple[Any, int, int]
) -> None:
    topic_id, leader, other = placed
    request = ProduceRequest(acks=-1, timeout_ms=5000, topic_data=[ProduceTopicData(
        topic_id=topic_id, partition_data=[
            ProducePartitionData(index=0, records=record_batch([(None, b"v")]))])])
    response = call(cluster.address(other), ApiKey.PRODUCE, 13, request)
    [topic] = response.responses
    [part] = topic.partition_responses
    assert topic.topic_id == topic_id and part.error_code == E.NOT_LEADER_OR_FOLLOWER
    assert part.current_leader.leader_id == leader
    host, port = cluster.address(leader)
    assert [(n.node_id, n.host, n.port) for n in response.node_endpoints] == [(leader, host, port)]
