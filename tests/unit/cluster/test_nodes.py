"""Several nodes in one runtime, over real sockets: Metadata, leadership, NOT_LEADER,
coordinators, stopping and starting nodes, and the data-directory lock."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kafkalite.config import BrokerConfig
from kafkalite.internal_topics import partition_for
from kafkalite.protocol.errors import ErrorCode as E
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.create_topics import CreatableTopic, CreateTopicsRequest
from kafkalite.protocol.messages.fetch import FetchPartition, FetchRequest, FetchTopic
from kafkalite.protocol.messages.find_coordinator import FindCoordinatorRequest
from kafkalite.protocol.messages.heartbeat import HeartbeatRequest
from kafkalite.protocol.messages.metadata import MetadataRequest, MetadataRequestTopic
from kafkalite.protocol.messages.produce import (
    ProducePartitionData,
    ProduceRequest,
    ProduceTopicData,
)
from kafkalite.runtime import Runtime
from kafkalite.storage.manager import DataDirInUseError
from tests.unit.batches import record_batch
from tests.unit.server.kafka_wire import call


class Cluster3:
    """A 3-node runtime on its own loop in a thread."""

    def __init__(self, data_dir: Path, **properties: str) -> None:
        config = BrokerConfig(port=0, data_dir=data_dir, brokers=3).with_properties(
            {"offsets.topic.num.partitions": "5", **properties}
        )
        self.runtime = Runtime(config)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        started = time.perf_counter()
        self.run(self.runtime.start())
        self.start_ms = (time.perf_counter() - started) * 1000

    def run(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=30)

    def address(self, node_id: int) -> tuple[str, int]:
        node = self.runtime.cluster.nodes[node_id]
        return node.host, node.port

    def close(self) -> None:
        try:
            self.run(self.runtime.stop())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=30)
            self.loop.close()


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster3]:
    running = Cluster3(tmp_path / "data")
    try:
        yield running
    finally:
        running.close()


def metadata(address: tuple[str, int], topic: str) -> Any:
    request = MetadataRequest(topics=[MetadataRequestTopic(name=topic)], allow_auto_topic_creation=False)
    return call(address, ApiKey.METADATA, 12, request)


def create(address: tuple[str, int], topic: str, partitions: int, rf: int) -> None:
    request = CreateTopicsRequest(
        topics=[CreatableTopic(name=topic, num_partitions=partitions, replication_factor=rf)],
        timeout_ms=5000,
    )
    result = call(address, ApiKey.CREATE_TOPICS, 7, request).topics[0]
    assert result.error_code == E.NONE, result.error_message


def produce(address: tuple[str, int], topic: str, partition: int, value: bytes) -> Any:
    request = ProduceRequest(acks=-1, timeout_ms=5000, topic_data=[ProduceTopicData(
        name=topic, partition_data=[ProducePartitionData(index=partition, records=record_batch([(None, value)]))])])
    return call(address, ApiKey.PRODUCE, 11, request).responses[0].partition_responses[0]


def fetch(address: tuple[str, int], topic: str, partition: int, epoch: int = -1) -> Any:
    request = FetchRequest(max_wait_ms=0, min_bytes=0, max_bytes=1 << 20, topics=[FetchTopic(
        topic=topic, partitions=[FetchPartition(partition=partition, current_leader_epoch=epoch,
                                                partition_max_bytes=1 << 20)])])
    return call(address, ApiKey.FETCH, 12, request).responses[0].partitions[0]


def test_three_nodes_share_one_cluster(cluster: Cluster3) -> None:
    ids = sorted(cluster.runtime.cluster.nodes)
    assert ids == [1, 2, 3]
    ports = {cluster.address(i)[1] for i in ids}
    assert len(ports) == 3 and 0 not in ports
    assert cluster.runtime.bootstrap_servers == ",".join(f"127.0.0.1:{cluster.address(i)[1]}" for i in ids)
    create(cluster.address(2), "spread", 6, 2)
    for node_id in ids:  # every node answers the same metadata
        answer = metadata(cluster.address(node_id), "spread")
        assert sorted((b.node_id, b.port) for b in answer.brokers) == [
            (i, cluster.address(i)[1]) for i in ids]
        assert answer.controller_id == 1
        parts = answer.topics[0].partitions
        assert sorted(p.leader_id for p in parts) == [1, 1, 2, 2, 3, 3]
        for p in parts:
            assert p.error_code == E.NONE and len(p.replica_nodes) == 2
            assert p.leader_id == p.replica_nodes[0] and p.isr_nodes == p.replica_nodes
            assert p.leader_epoch == 0 and p.offline_replicas == []


def test_only_the_leader_serves_a_partition(cluster: Cluster3) -> None:
    create(cluster.address(1), "led", 1, 3)
    leader = metadata(cluster.address(1), "led").topics[0].partitions[0].leader_id
    others = [n for n in (1, 2, 3) if n != leader]
    refused = produce(cluster.address(others[0]), "led", 0, b"x")
    assert (refused.error_code, refused.base_offset) == (E.NOT_LEADER_OR_FOLLOWER, -1)
    # KIP-951: the refusal names the current leader
    assert (refused.current_leader.leader_id, refused.current_leader.leader_epoch) == (leader, 0)
    assert produce(cluster.address(leader), "led", 0, b"a").base_offset == 0
    assert fetch(cluster.address(others[1]), "led", 0).error_code == E.NOT_LEADER_OR_FOLLOWER
    served = fetch(cluster.address(leader), "led", 0, epoch=0)
    assert (served.error_code, served.high_watermark) == (E.NONE, 1)
    assert fetch(cluster.address(leader), "led", 0, epoch=1).error_code == E.UNKNOWN_LEADER_EPOCH


def test_moving_a_leader_and_stopping_a_node(cluster: Cluster3) -> None:
    create(cluster.address(1), "moving", 1, 3)
    first = metadata(cluster.address(1), "moving").topics[0].partitions[0].leader_id
    target = first % 3 + 1
    cluster.run(_call(lambda: cluster.runtime.cluster.move_leader("moving", 0, target)))
    p = metadata(cluster.address(1), "moving").topics[0].partitions[0]
    assert (p.leader_id, p.leader_epoch) == (target, 1)
    assert produce(cluster.address(first), "moving", 0, b"old").error_code == E.NOT_LEADER_OR_FOLLOWER
    assert produce(cluster.address(target), "moving", 0, b"new").base_offset == 0
    assert fetch(cluster.address(target), "moving", 0, epoch=0).error_code == E.FENCED_LEADER_EPOCH

    cluster.run(cluster.runtime.stop_node(target))
    with pytest.raises(OSError):
        socket.create_connection(cluster.address(target), timeout=2).close()
    after = metadata(cluster.address(first), "moving")
    assert target not in [b.node_id for b in after.brokers]
    p = after.topics[0].partitions[0]
    assert p.leader_id != target and p.leader_epoch == 2
    assert target not in p.isr_nodes and p.offline_replicas == [target]
    new_leader = p.leader_id
    assert produce(cluster.address(new_leader), "moving", 0, b"kept").base_offset == 1  # data shared

    cluster.run(cluster.runtime.start_node(target))
    back = metadata(cluster.address(target), "moving")
    assert sorted(b.node_id for b in back.brokers) == [1, 2, 3]
    p = back.topics[0].partitions[0]
    assert p.leader_id == new_leader and sorted(p.isr_nodes) == [1, 2, 3] and p.offline_replicas == []


def test_coordinators_follow_the_internal_topic_leaders(cluster: Cluster3) -> None:
    group = "orders"
    partition = partition_for(group, 5)
    found = call(cluster.address(1), ApiKey.FIND_COORDINATOR, 3, FindCoordinatorRequest(key=group))
    state = cluster.runtime.cluster.partition_state("__consumer_offsets", partition)
    assert (found.error_code, found.node_id, found.port) == (E.NONE, state.leader, cluster.address(state.leader)[1])
    elsewhere = next(n for n in (1, 2, 3) if n != found.node_id)
    beat = call(cluster.address(elsewhere), ApiKey.HEARTBEAT, 4,
                HeartbeatRequest(group_id=group, generation_id=1, member_id="m"))
    assert beat.error_code == E.NOT_COORDINATOR
    cluster.run(cluster.runtime.stop_node(found.node_id))
    moved = call(cluster.address(elsewhere), ApiKey.FIND_COORDINATOR, 3, FindCoordinatorRequest(key=group))
    assert moved.error_code == E.NONE and moved.node_id not in (found.node_id,)


def test_leadership_and_epochs_survive_a_restart(tmp_path: Path) -> None:
    first = Cluster3(tmp_path / "data")
    try:
        create(first.address(1), "kept", 2, 2)
        first.run(_call(lambda: first.runtime.cluster.move_leader("kept", 1, 3)))
        before = metadata(first.address(1), "kept").topics[0].partitions
    finally:
        first.close()
    again = Cluster3(tmp_path / "data")
    try:
        after = metadata(again.address(1), "kept").topics[0].partitions
        assert [(p.leader_id, p.leader_epoch, p.replica_nodes) for p in after] == [
            (p.leader_id, p.leader_epoch, p.replica_nodes) for p in before]
    finally:
        again.close()


def test_a_second_broker_on_a_data_dir_in_use_refuses_to_start(cluster: Cluster3, tmp_path: Path) -> None:
    second = Runtime(BrokerConfig(port=0, data_dir=tmp_path / "data"))
    with pytest.raises(DataDirInUseError, match="in use by another broker"):
        asyncio.run(second.start())
    # the running cluster was not disturbed
    assert metadata(cluster.address(1), "none").brokers


async def _call(fn: Any) -> Any:
    return fn()
