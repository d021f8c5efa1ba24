"""Leadership, reassignment, quorum, features and config-resource admin calls through
kafka-python 3.x's KafkaAdminClient, on a three-node kafkalite.

ElectLeaders (preferred, after ``move_leader``), AlterPartitionReassignments (completes at
once; the leader follows) and ListPartitionReassignments, DescribeTopicPartitions with a
cursor, DescribeQuorum, UpdateFeatures with ``describe_features`` reading the finalized
levels back, ListConfigResources, AlterReplicaLogDirs, and a producer and consumer that keep
working after the partition moved. Then, on one node per release, the release kafka-python
infers from ApiVersions under ``kafkalite.emulate.version``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import compat_helpers as h
import kafka.errors as Errors
import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import KafkaAdminClient, NewTopic

from kafkalite.testing import KafkaliteServer

pytestmark = [pytest.mark.compat, pytest.mark.timeout(120)]
DATA_DIRS: list[Path] = []


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KafkaliteServer]:
    if h.external_bootstrap():
        pytest.skip("starts a three-node kafkalite of its own")
    data = tmp_path_factory.mktemp("kafkalite-cluster-admin") / "data"
    DATA_DIRS[:] = [data]
    properties = {"offsets.topic.num.partitions": 3, "offsets.topic.replication.factor": 3}
    with KafkaliteServer(properties, mode="process", brokers=3, data_dir=data) as server:
        yield server


@pytest.fixture
def admin(cluster: KafkaliteServer) -> Iterator[KafkaAdminClient]:
    client = KafkaAdminClient(bootstrap_servers=cluster.bootstrap_servers)
    try:
        yield client
    finally:
        client.close()


def create(admin: KafkaAdminClient, name: str, partitions: int, rf: int) -> None:
    admin.create_topics([NewTopic(name, partitions, rf)])


def state(admin: KafkaAdminClient, topic: str) -> list[dict[str, Any]]:
    return admin.describe_topic_partitions([topic])["topics"][0]["partitions"]


def test_preferred_election_after_a_leader_move(cluster: KafkaliteServer, admin: KafkaAdminClient) -> None:
    create(admin, "kp-elect", 2, 3)
    [p0, _] = state(admin, "kp-elect")
    preferred = p0["replica_nodes"][0]
    other = p0["replica_nodes"][1]
    cluster.control.move_leader("kp-elect", 0, other)
    assert state(admin, "kp-elect")[0]["leader_id"] == other
    response = admin.elect_leaders(0, {"kp-elect": [0, 1]})
    errors = {
        (r.topic, p.partition_id): p.error_code
        for r in response.replica_election_results for p in r.partition_result
    }
    assert errors == {("kp-elect", 0): 0, ("kp-elect", 1): Errors.ElectionNotNeededError.errno}
    after = state(admin, "kp-elect")[0]
    assert after["leader_id"] == preferred and after["leader_epoch"] == p0["leader_epoch"] + 2


def test_reassignment_moves_replicas_and_clients_follow(cluster: KafkaliteServer, admin: KafkaAdminClient) -> None:
    create(admin, "kp-move", 1, 1)
    producer = KafkaProducer(bootstrap_servers=cluster.bootstrap_servers)
    producer.send("kp-move", b"before").get(timeout=20)
    [before] = state(admin, "kp-move")
    target = [n for n in (1, 2, 3) if n != before["leader_id"]]
    tp = TopicPartition("kp-move", 0)
    assert admin.alter_partition_reassignments({tp: target}) == {tp: None}
    assert admin.list_partition_reassignments() == {}
    [after] = state(admin, "kp-move")
    assert after["replica_nodes"] == target and after["leader_id"] == target[0]
    deadline = time.monotonic() + 20
    while True:  # the producer refreshes its metadata on NOT_LEADER and retries
        try:
            producer.send("kp-move", b"after").get(timeout=20)
            break
        except Errors.KafkaError:
            if time.monotonic() > deadline:
                raise
    producer.close()
    consumer = KafkaConsumer("kp-move", bootstrap_servers=cluster.bootstrap_servers,
                             auto_offset_reset="earliest", consumer_timeout_ms=10000)
    values = [m.value for m in consumer]
    consumer.close()
    assert values == [b"before", b"after"]
    bad = admin.alter_partition_reassignments({tp: [1, 9]})
    assert bad == {tp: Errors.InvalidReplicationAssignmentError}


def test_describe_topic_partitions_pages(admin: KafkaAdminClient) -> None:
    create(admin, "kp-pages", 5, 1)
    seen, cursor = [], None
    while True:
        page = admin.describe_topic_partitions(["kp-pages"], response_partition_limit=2, cursor=cursor)
        seen += [p["partition_index"] for t in page["topics"] for p in t["partitions"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [0, 1, 2, 3, 4]


def test_describe_metadata_quorum(admin: KafkaAdminClient) -> None:
    quorum = admin.describe_metadata_quorum()
    [partition] = quorum["topics"][0]["partitions"]
    assert partition["error"] is None and partition["leader_id"] == 1
    assert [v["replica_id"] for v in partition["current_voters"]] == [1]
    assert sorted(o["replica_id"] for o in partition["observers"]) == [2, 3]


def test_update_and_describe_features(admin: KafkaAdminClient) -> None:
    features = admin.describe_features()
    assert features["metadata.version"]["finalized"] == (29, 29)
    assert features["transaction.version"]["supported"] == (0, 1)
    assert "finalized" not in features["transaction.version"]
    # the consumer group protocol (KIP-848) is served and on, as in a new Kafka 4.x cluster
    assert features["group.version"]["supported"] == (0, 1)
    assert features["group.version"]["finalized"] == (1, 1)
    assert admin.update_features({"eligible.leader.replicas.version": 1}) == {
        "eligible.leader.replicas.version": "OK"
    }
    after = admin.describe_features()["eligible.leader.replicas.version"]
    assert after["finalized"] == (1, 1)
    assert after["finalized_epoch"] > features["metadata.version"]["finalized_epoch"]
    with pytest.raises(Errors.InvalidUpdateVersionError):
        admin.update_features({"transaction.version": 2})


def test_list_config_resources(admin: KafkaAdminClient) -> None:
    create(admin, "kp-configs", 1, 1)
    listed = admin.list_config_resources()
    assert "kp-configs" in listed["topic"] and listed["broker"] == ["1", "2", "3"]
    assert admin.list_config_resources(["BROKER"]) == {"broker": ["1", "2", "3"]}


def test_alter_replica_log_dirs(admin: KafkaAdminClient) -> None:
    create(admin, "kp-dirs", 1, 1)
    leader = state(admin, "kp-dirs")[0]["leader_id"]
    log_dir = str(DATA_DIRS[0].resolve())
    result = admin.alter_replica_log_dirs({("kp-dirs", 0, leader): log_dir})
    assert list(result.values()) == [Errors.NoError]
    result = admin.alter_replica_log_dirs({("kp-dirs", 0, leader): "/elsewhere"})
    assert list(result.values()) == [Errors.LogDirNotFoundError]


@pytest.mark.parametrize("release", ["2.8", "3.0", "3.6"])
def test_kafka_python_infers_the_emulated_release(tmp_path: Path, release: str) -> None:
    if h.external_bootstrap():
        pytest.skip("starts a kafkalite of its own")
    properties = {"kafkalite.emulate.version": release}
    with KafkaliteServer(properties, data_dir=tmp_path / "data") as server:
        client = KafkaAdminClient(bootstrap_servers=server.bootstrap_servers)
        try:
            inferred = client.get_broker_version_data(1).broker_version
        finally:
            client.close()
    assert inferred == tuple(int(part) for part in release.split("."))
