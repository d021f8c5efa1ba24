"""confluent-kafka's AdminClient (librdkafka) on a three-node kafkalite: ElectLeaders (a
preferred election after ``move_leader``; an election that is not needed), describe_topics
seeing the leader come back, describe_cluster, and ListGroups v5's type filter through
``list_consumer_groups(types=...)``."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import compat_helpers as h
import pytest
from confluent_kafka import (
    Consumer,
    ConsumerGroupType,
    ElectionType,
    KafkaError,
    TopicCollection,
    TopicPartition,
)
from confluent_kafka.admin import AdminClient, NewTopic

from kafkalite.testing import KafkaliteServer

pytestmark = [pytest.mark.compat, pytest.mark.timeout(120)]
WAIT_S = 20


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KafkaliteServer]:
    if h.external_bootstrap():
        pytest.skip("starts a three-node kafkalite of its own")
    data: Path = tmp_path_factory.mktemp("kafkalite-ck-admin") / "data"
    properties = {"offsets.topic.num.partitions": 3, "offsets.topic.replication.factor": 3}
    with KafkaliteServer(properties, mode="process", brokers=3, data_dir=data) as server:
        yield server


@pytest.fixture
def admin(cluster: KafkaliteServer) -> AdminClient:
    return AdminClient({"bootstrap.servers": cluster.bootstrap_servers})


def leader(admin: AdminClient, topic: str, partition: int) -> tuple[int, list[int]]:
    [description] = admin.describe_topics(TopicCollection([topic])).values()
    info = description.result(WAIT_S).partitions[partition]
    return info.leader.id, [r.id for r in info.replicas]


def test_preferred_election(cluster: KafkaliteServer, admin: AdminClient) -> None:
    topic = "ck-elect"
    admin.create_topics([NewTopic(topic, 1, 3)])[topic].result(WAIT_S)
    first, replicas = leader(admin, topic, 0)
    assert first == replicas[0]
    tp = TopicPartition(topic, 0)
    not_needed = admin.elect_leaders(ElectionType.PREFERRED, [tp]).result(WAIT_S)[tp]
    assert isinstance(not_needed, KafkaError), not_needed
    assert not_needed.code() == KafkaError.ELECTION_NOT_NEEDED
    cluster.control.move_leader(topic, 0, replicas[1])
    deadline = time.monotonic() + WAIT_S
    while leader(admin, topic, 0)[0] != replicas[1]:  # librdkafka caches metadata briefly
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert admin.elect_leaders(ElectionType.PREFERRED, [tp]).result(WAIT_S) == {tp: None}
    deadline = time.monotonic() + WAIT_S
    while leader(admin, topic, 0)[0] != replicas[0]:
        assert time.monotonic() < deadline
        time.sleep(0.2)


def test_describe_cluster(admin: AdminClient) -> None:
    described = admin.describe_cluster().result(WAIT_S)
    assert sorted(node.id for node in described.nodes) == [1, 2, 3]
    assert described.controller.id == 1


def test_list_consumer_groups_by_type(cluster: KafkaliteServer, admin: AdminClient) -> None:
    topic = "ck-groups"
    admin.create_topics([NewTopic(topic, 1, 1)])[topic].result(WAIT_S)
    consumer = Consumer({"bootstrap.servers": cluster.bootstrap_servers, "group.id": "ck-classic"})
    try:
        consumer.commit(offsets=[TopicPartition(topic, 0, 1)], asynchronous=False)
    finally:
        consumer.close()
    classic = admin.list_consumer_groups(types={ConsumerGroupType.CLASSIC}).result(WAIT_S)
    assert not classic.errors
    listed = {g.group_id: g for g in classic.valid}
    assert listed["ck-classic"].type == ConsumerGroupType.CLASSIC
    consumer_type = admin.list_consumer_groups(types={ConsumerGroupType.CONSUMER}).result(WAIT_S)
    assert [g.group_id for g in consumer_type.valid] == []
