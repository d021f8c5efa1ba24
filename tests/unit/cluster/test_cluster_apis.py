"""ElectLeaders, AlterPartitionReassignments, ListPartitionReassignments, DescribeTopicPartitions
and DescribeQuorum on three nodes, over real sockets: leadership and replicas follow."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kafkalite.protocol.errors import ErrorCode as E
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.alter_partition_reassignments import (
    AlterPartitionReassignmentsRequest,
    ReassignablePartition,
    ReassignableTopic,
)
from kafkalite.protocol.messages.describe_cluster import DescribeClusterRequest
from kafkalite.protocol.messages.describe_quorum import (
    DescribeQuorumPartitionRequest,
    DescribeQuorumRequest,
    DescribeQuorumTopicRequest,
)
from kafkalite.protocol.messages.describe_topic_partitions import (
    DescribeTopicPartitionsCursor,
    DescribeTopicPartitionsRequest,
    DescribeTopicPartitionsTopicRequest,
)
from kafkalite.protocol.messages.elect_leaders import ElectLeadersRequest, ElectLeadersTopic
from kafkalite.protocol.messages.list_partition_reassignments import (
    ListPartitionReassignmentsRequest,
)
from tests.unit.cluster.test_nodes import Cluster3, create, metadata, produce
from tests.unit.server.kafka_wire import call


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster3]:
    running = Cluster3(tmp_path / "data")
    try:
        yield running
    finally:
        running.close()


def elect(address: tuple[str, int], version: int, election_type: int, topics: Any) -> Any:
    request = ElectLeadersRequest(election_type=election_type, topic_partitions=topics)
    return call(address, ApiKey.ELECT_LEADERS, version, request)


def results(response: Any) -> dict[tuple[str, int], int]:
    return {
        (t.topic, p.partition_id): p.error_code
        for t in response.replica_election_results for p in t.partition_result
    }


def reassign(address: tuple[str, int], version: int, topic: str, replicas: Any, **kw: Any) -> Any:
    request = AlterPartitionReassignmentsRequest(topics=[ReassignableTopic(
        name=topic, partitions=[ReassignablePartition(partition_index=0, replicas=replicas)]
    )], **kw)
    return call(address, ApiKey.ALTER_PARTITION_REASSIGNMENTS, version, request)


@pytest.mark.parametrize("version", [0, 1, 2])
def test_preferred_election_moves_the_leader_back(cluster: Cluster3, version: int) -> None:
    address = cluster.address(1)
    create(address, "pref", 1, 3)
    first = metadata(address, "pref").topics[0].partitions[0]
    preferred = first.replica_nodes[0]
    wanted = [ElectLeadersTopic(topic="pref", partitions=[0, 7]), ElectLeadersTopic(topic="nope", partitions=[0])]
    answer = elect(address, version, 0, wanted)
    assert results(answer) == {
        ("pref", 0): E.ELECTION_NOT_NEEDED,
        ("pref", 7): E.UNKNOWN_TOPIC_OR_PARTITION,
        ("nope", 0): E.UNKNOWN_TOPIC_OR_PARTITION,
    }
    other = first.replica_nodes[1]
    cluster.run(_on_loop(lambda: cluster.runtime.cluster.move_leader("pref", 0, other)))
    answer = elect(address, version, 0, None)  # every partition; not-needed ones left out
    assert results(answer) == {("pref", 0): E.NONE}
    after = metadata(address, "pref").topics[0].partitions[0]
    assert (after.leader_id, after.leader_epoch) == (preferred, 2)


def test_preferred_leader_not_available_and_no_eligible_leader(cluster: Cluster3) -> None:
    address = cluster.address(1)
    create(address, "pair", 1, 2)
    preferred, second = metadata(address, "pair").topics[0].partitions[0].replica_nodes
    ask = cluster.address(second)
    cluster.run(cluster.runtime.stop_node(preferred))
    wanted = [ElectLeadersTopic(topic="pair", partitions=[0])]
    assert results(elect(ask, 1, 0, wanted)) == {("pair", 0): E.PREFERRED_LEADER_NOT_AVAILABLE}
    assert results(elect(ask, 1, 1, wanted)) == {("pair", 0): E.ELECTION_NOT_NEEDED}
    assert results(elect(ask, 2, 2, wanted)) == {("pair", 0): E.INVALID_REQUEST}
    cluster.run(cluster.runtime.stop_node(second))
    third = next(n for n in (1, 2, 3) if n not in (preferred, second))
    assert metadata(cluster.address(third), "pair").topics[0].partitions[0].leader_id == -1
    assert results(elect(cluster.address(third), 2, 1, wanted)) == {
        ("pair", 0): E.ELIGIBLE_LEADERS_NOT_AVAILABLE
    }


def test_unclean_election_elects_an_out_of_sync_replica(cluster: Cluster3) -> None:
    address = cluster.address(1)
    create(address, "dirty", 1, 2)
    a, b = metadata(address, "dirty").topics[0].partitions[0].replica_nodes
    third = next(n for n in (1, 2, 3) if n not in (a, b))
    ask = cluster.address(third)
    cluster.run(cluster.runtime.stop_node(b))  # b leaves the ISR
    cluster.run(cluster.runtime.stop_node(a))  # a led alone: offline
    cluster.run(_on_loop(lambda: cluster.runtime.cluster.leadership.nodes[b].__setattr__("online", True)))
    assert metadata(ask, "dirty").topics[0].partitions[0].leader_id == -1
    assert results(elect(ask, 1, 1, [ElectLeadersTopic(topic="dirty", partitions=[0])])) == {
        ("dirty", 0): E.NONE
    }
    p = metadata(ask, "dirty").topics[0].partitions[0]
    assert (p.leader_id, p.isr_nodes) == (b, [b])


@pytest.mark.parametrize("version", [0, 1])
def test_reassignment_completes_at_once_and_leadership_follows(cluster: Cluster3, version: int) -> None:
    address = cluster.address(1)
    create(address, "moved", 1, 1)
    [old] = metadata(address, "moved").topics[0].partitions[0].replica_nodes
    target = [n for n in (1, 2, 3) if n != old]
    answer = reassign(address, version, "moved", target)
    assert answer.error_code == 0
    assert [(p.partition_index, p.error_code) for t in answer.responses for p in t.partitions] == [(0, 0)]
    p = metadata(address, "moved").topics[0].partitions[0]
    assert (p.replica_nodes, sorted(p.isr_nodes), p.leader_id, p.leader_epoch) == (
        target, sorted(target), target[0], 1
    )
    assert produce(cluster.address(target[0]), "moved", 0, b"x").error_code == 0
    assert produce(cluster.address(old), "moved", 0, b"x").error_code == E.NOT_LEADER_OR_FOLLOWER
    listed = call(address, ApiKey.LIST_PARTITION_REASSIGNMENTS, 0, ListPartitionReassignmentsRequest())
    assert (listed.error_code, listed.topics) == (0, [])
    # Growing the replica set keeps the leader and its epoch.
    reassign(address, version, "moved", [1, 2, 3])
    p = metadata(address, "moved").topics[0].partitions[0]
    assert (p.replica_nodes, p.leader_id, p.leader_epoch) == ([1, 2, 3], target[0], 1)


def test_reassignment_errors(cluster: Cluster3) -> None:
    address = cluster.address(1)
    create(address, "r", 1, 2)

    def error(*args: Any, **kw: Any) -> int:
        return reassign(address, 1, "r", *args, **kw).responses[0].partitions[0].error_code

    assert error([]) == E.INVALID_REPLICA_ASSIGNMENT
    assert error([1, 1]) == E.INVALID_REPLICA_ASSIGNMENT
    assert error([1, 9]) == E.INVALID_REPLICA_ASSIGNMENT
    assert error(None) == E.NO_REASSIGNMENT_IN_PROGRESS
    assert error([1, 2, 3], allow_replication_factor_change=False) == E.INVALID_REPLICATION_FACTOR
    answer = reassign(address, 1, "r", [3, 1], allow_replication_factor_change=False)
    assert answer.allow_replication_factor_change is False
    assert answer.responses[0].partitions[0].error_code == E.NONE
    assert reassign(address, 0, "gone", [1]).responses[0].partitions[0].error_code == (
        E.UNKNOWN_TOPIC_OR_PARTITION
    )


def test_describe_topic_partitions_pages_with_a_cursor(cluster: Cluster3) -> None:
    address = cluster.address(2)
    create(address, "a", 3, 2)
    create(address, "b", 2, 3)
    create(address, "c", 1, 1)
    seen: list[tuple[str, int]] = []
    cursor = None
    pages = 0
    while True:
        answer = call(address, ApiKey.DESCRIBE_TOPIC_PARTITIONS, 0, DescribeTopicPartitionsRequest(
            topics=[DescribeTopicPartitionsTopicRequest(name=n) for n in ("c", "a", "b")],
            response_partition_limit=2, cursor=cursor,
        ))
        pages += 1
        seen += [(t.name, p.partition_index) for t in answer.topics for p in t.partitions]
        cursor = answer.next_cursor
        if cursor is None:
            break
    assert pages == 3
    assert seen == [("a", 0), ("a", 1), ("a", 2), ("b", 0), ("b", 1), ("c", 0)]
    whole = call(address, ApiKey.DESCRIBE_TOPIC_PARTITIONS, 0, DescribeTopicPartitionsRequest(
        topics=[DescribeTopicPartitionsTopicRequest(name=n) for n in ("b", "zz")],
    ))
    by_name = {t.name: t for t in whole.topics}
    assert by_name["zz"].error_code == E.UNKNOWN_TOPIC_OR_PARTITION
    meta = metadata(address, "b").topics[0]
    b = by_name["b"]
    assert (b.error_code, b.topic_id, b.is_internal) == (0, meta.topic_id, False)
    assert [(p.partition_index, p.leader_id, p.leader_epoch, p.replica_nodes, p.isr_nodes)
            for p in b.partitions] == [
        (p.partition_index, p.leader_id, p.leader_epoch, p.replica_nodes, p.isr_nodes)
        for p in meta.partitions
    ]
    assert b.partitions[0].eligible_leader_replicas == [] and b.topic_authorized_operations > 0
    assert whole.next_cursor is None
    bad = call(address, ApiKey.DESCRIBE_TOPIC_PARTITIONS, 0, DescribeTopicPartitionsRequest(
        topics=[DescribeTopicPartitionsTopicRequest(name="a")],
        cursor=DescribeTopicPartitionsCursor(topic_name="b", partition_index=0),
    ))
    assert [(t.name, t.error_code) for t in bad.topics] == [("a", E.INVALID_REQUEST)]
    every = call(address, ApiKey.DESCRIBE_TOPIC_PARTITIONS, 0, DescribeTopicPartitionsRequest(
        cursor=DescribeTopicPartitionsCursor(topic_name="b", partition_index=1),
    ))
    assert [(t.name, [p.partition_index for p in t.partitions]) for t in every.topics][:2] == [
        ("b", [1]), ("c", [0])
    ]


def test_describe_quorum_single_voter(cluster: Cluster3) -> None:
    request = DescribeQuorumRequest(topics=[DescribeQuorumTopicRequest(
        topic_name="__cluster_metadata", partitions=[DescribeQuorumPartitionRequest(partition_index=0)]
    )])
    for version in (0, 1, 2):
        answer = call(cluster.address(2), ApiKey.DESCRIBE_QUORUM, version, request)
        [partition] = answer.topics[0].partitions
        assert (answer.error_code, partition.error_code, partition.leader_id) == (0, 0, 1)
        assert [v.replica_id for v in partition.current_voters] == [1]
        assert sorted(o.replica_id for o in partition.observers) == [2, 3]
        assert partition.current_voters[0].log_end_offset == partition.high_watermark
        if version >= 2:
            [node] = answer.nodes
            assert (node.node_id, node.listeners[0].port) == (1, cluster.address(1)[1])
    wrong = DescribeQuorumRequest(topics=[DescribeQuorumTopicRequest(
        topic_name="other", partitions=[DescribeQuorumPartitionRequest(partition_index=0)]
    )])
    answer = call(cluster.address(1), ApiKey.DESCRIBE_QUORUM, 2, wrong)
    assert answer.topics[0].partitions[0].error_code == E.UNKNOWN_TOPIC_OR_PARTITION


async def _on_loop(fn: Any) -> Any:
    return fn()


def test_describe_cluster_v2_lists_stopped_nodes_as_fenced(cluster: Cluster3) -> None:
    cluster.run(cluster.runtime.stop_node(3))
    address = cluster.address(1)

    def brokers(version: int, fenced: bool) -> list[tuple[int, bool]]:
        request = DescribeClusterRequest(include_fenced_brokers=fenced) if version >= 2 else (
            DescribeClusterRequest()
        )
        answer = call(address, ApiKey.DESCRIBE_CLUSTER, version, request)
        return [(b.broker_id, b.is_fenced) for b in answer.brokers]

    assert brokers(1, False) == [(1, False), (2, False)]
    assert brokers(2, False) == [(1, False), (2, False)]
    assert brokers(2, True) == [(1, False), (2, False), (3, True)]
