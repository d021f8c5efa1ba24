"""Metadata over real sockets, v0-v12: the broker list, auto-creation and its switches, topic
name validation, "all topics" requests, and topic ids (v10+) with lookup by id (v12)."""

from __future__ import annotations

import socket
import uuid
from pathlib import Path
from typing import Any

import pytest

from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.api_versions import ApiVersionsRequest
from kafkalite.protocol.messages.metadata import MetadataRequest, MetadataRequestTopic
from tests.unit.handlers.admin_wire import create_topic, running_broker
from tests.unit.server.kafka_wire import call, read_response, request_frame

E = ErrorCode
Address = tuple[str, int]
SERVED = range(0, 13)
ZERO = uuid.UUID(int=0)
INT32_MIN = -(2**31)
# AclOperation codes a topic supports without an authorizer: READ 3, WRITE 4, CREATE 5,
# DELETE 6, ALTER 7, DESCRIBE 8, DESCRIBE_CONFIGS 10, ALTER_CONFIGS 11.
TOPIC_OPERATIONS = (
    (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7) | (1 << 8) | (1 << 10) | (1 << 11)
)
# ... and the cluster: CREATE 5, ALTER 7, DESCRIBE 8, CLUSTER_ACTION 9, DESCRIBE_CONFIGS 10,
# ALTER_CONFIGS 11, IDEMPOTENT_WRITE 12.
CLUSTER_OPERATIONS = (1 << 5) | (1 << 7) | (1 << 8) | (1 << 9) | (1 << 10) | (1 << 11) | (1 << 12)


def metadata(
    address: Address,
    version: int,
    names: list[str] | None,
    *,
    allow: bool = True,
    ids: list[uuid.UUID] = (),  # type: ignore[assignment]
    topic_ops: bool = False,
    cluster_ops: bool = False,
) -> Any:
    topics = None
    if names is not None:
        topics = [MetadataRequestTopic(name=name) for name in names]
        topics += [MetadataRequestTopic(name=None, topic_id=i) for i in ids]
    request = MetadataRequest(
        topics=topics,
        allow_auto_topic_creation=allow,
        include_topic_authorized_operations=topic_ops,
        include_cluster_authorized_operations=cluster_ops,
    )
    response = call(address, ApiKey.METADATA, version, request)
    assert response.throttle_time_ms == 0
    return response


def errors(response: Any) -> list[tuple[str | None, int]]:
    return [(t.name, t.error_code) for t in response.topics]


def topic_names(broker: Any) -> list[str]:
    return sorted(broker.call(broker.broker.cluster.topics))


def topic_id(broker: Any, name: str) -> uuid.UUID:
    return broker.call(lambda: broker.broker.cluster.topics()[name].topic_id)


# --- the whole answer, every version ------------------------------------------------------


@pytest.mark.parametrize("version", SERVED)
def test_every_version_auto_creates_and_describes(tmp_path: Path, version: int) -> None:
    properties = {
        "num.partitions": "3",
        "advertised.listeners": "PLAINTEXT://kafka.example.net:19092",
    }
    with running_broker(tmp_path, **properties) as broker:
        address = broker.address
        node = broker.broker.cluster.node_id
        response = metadata(address, version, ["fresh"])
        assert [(b.node_id, b.host, b.port, b.rack) for b in response.brokers] == [
            (node, "kafka.example.net", 19092, None)
        ]
        assert response.cluster_id == (broker.broker.cluster.cluster_id if version >= 2 else None)
        if version >= 2:
            assert response.cluster_id
        assert response.controller_id == (node if version >= 1 else -1)
        assert response.cluster_authorized_operations == INT32_MIN

        [topic] = response.topics
        assert (topic.error_code, topic.name, topic.is_internal) == (E.NONE, "fresh", False)
        assert topic.topic_authorized_operations == INT32_MIN
        epoch = 0 if version >= 7 else -1
        assert [
            (p.error_code, p.partition_index, p.leader_id, p.leader_epoch) for p in topic.partitions
        ] == [(E.NONE, i, node, epoch) for i in range(3)]
        for p in topic.partitions:
            assert (p.replica_nodes, p.isr_nodes, p.offline_replicas) == ([node], [node], [])
        assert topic_names(broker) == ["fresh"]
        created_id = topic_id(broker, "fresh")
        assert created_id != ZERO
        assert topic.topic_id == (created_id if version >= 10 else ZERO)

        # asked again: the same topic, not created twice, the same id
        again = metadata(address, version, ["fresh"])
        assert [(t.name, t.topic_id, len(t.partitions)) for t in again.topics] == [
            ("fresh", topic.topic_id, 3)
        ]
        assert topic_id(broker, "fresh") == created_id


def test_brokers_default_to_the_listening_address(broker_thread) -> None:
    for version in (0, 1, 9, 12):
        response = metadata(broker_thread.address, version, [])
        assert [(b.node_id, b.host, b.port) for b in response.brokers] == [
            (broker_thread.broker.cluster.node_id, *broker_thread.address)
        ]


# --- auto-creation switches -------------------------------------------------------------


@pytest.mark.parametrize("version", range(4, 13))
def test_allow_auto_topic_creation_false(broker_thread, version: int) -> None:
    address = broker_thread.address
    create_topic(address, "exists")
    response = metadata(address, version, ["absent", "exists"], allow=False)
    assert errors(response) == [("absent", E.UNKNOWN_TOPIC_OR_PARTITION), ("exists", E.NONE)]
    absent = response.topics[0]
    assert (absent.topic_id, absent.partitions) == (ZERO, [])
    assert topic_names(broker_thread) == ["exists"]
    # the flag is per request: the next request may create it
    assert errors(metadata(address, version, ["absent"])) == [("absent", E.NONE)]
    assert topic_names(broker_thread) == ["absent", "exists"]


def test_auto_create_topics_disabled_on_the_broker(tmp_path: Path) -> None:
    with running_broker(tmp_path, **{"auto.create.topics.enable": "false"}) as broker:
        for version in SERVED:
            response = metadata(broker.address, version, ["nope"], allow=True)
            assert errors(response) == [("nope", E.UNKNOWN_TOPIC_OR_PARTITION)], version
            assert response.topics[0].partitions == []
        assert topic_names(broker) == []
        # explicit creation still works
        assert create_topic(broker.address, "nope").error_code == E.NONE
        assert errors(metadata(broker.address, 12, ["nope"])) == [("nope", E.NONE)]


# --- topic names ----------------------------------------------------------------------------


INVALID_NAMES = [".", "..", "a" * 250, "a/b", "", "with space", "caf\u00e9", "a:b", "..\\x"]


@pytest.mark.parametrize(
    ("version", "allow"),
    [(0, True), (3, True), (4, True), (4, False), (9, False), (12, True), (12, False)],
)
def test_invalid_names_get_invalid_topic_exception(
    broker_thread, version: int, allow: bool
) -> None:
    address = broker_thread.address
    response = metadata(address, version, [*INVALID_NAMES, "a" * 249, "ok._-9"], allow=allow)
    created = E.NONE if allow else E.UNKNOWN_TOPIC_OR_PARTITION
    assert errors(response) == [
        *((name, E.INVALID_TOPIC_EXCEPTION) for name in INVALID_NAMES),
        ("a" * 249, created),
        ("ok._-9", created),
    ]
    for topic in response.topics[: len(INVALID_NAMES)]:
        assert (topic.partitions, topic.topic_id) == ([], ZERO)
    assert topic_names(broker_thread) == ([] if created else sorted(["a" * 249, "ok._-9"]))


@pytest.mark.parametrize("version", [0, 4, 9, 12])
def test_auto_creating_a_colliding_name_is_invalid_topic(broker_thread, version: int) -> None:
    """Kafka refuses ``a.b`` while ``a_b`` exists (they share metric names): the answer is
    INVALID_TOPIC_EXCEPTION for that topic, on a connection that stays open."""
    address = broker_thread.address
    assert create_topic(address, "a_b").error_code == E.NONE
    with socket.create_connection(address, timeout=10) as sock:
        for correlation in range(2):  # a client refreshing metadata asks again
            request = MetadataRequest(
                topics=[MetadataRequestTopic(name=n) for n in ("a.b", "a_b")],
                allow_auto_topic_creation=True,
            )
            sock.sendall(request_frame(ApiKey.METADATA, version, request, correlation))
            _, response = read_response(sock, ApiKey.METADATA, version)
            assert errors(response) == [("a.b", E.INVALID_TOPIC_EXCEPTION), ("a_b", E.NONE)]
            assert response.topics[0].partitions == []
    assert topic_names(broker_thread) == ["a_b"]


def test_invalid_names_with_auto_creation_disabled(tmp_path: Path) -> None:
    with running_broker(tmp_path, **{"auto.create.topics.enable": "false"}) as broker:
        response = metadata(broker.address, 12, [".", "a/b", "fine"])
        assert errors(response) == [
            (".", E.INVALID_TOPIC_EXCEPTION),
            ("a/b", E.INVALID_TOPIC_EXCEPTION),
            ("fine", E.UNKNOWN_TOPIC_OR_PARTITION),
        ]


# --- every topic ------------------------------------------------------------------------------


def test_null_list_means_every_topic_and_empty_means_none(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "beta", partitions=2)
    create_topic(address, "alpha")
    for version in range(1, 13):
        everything = metadata(address, version, None)
        assert sorted((t.name, t.error_code, len(t.partitions)) for t in everything.topics) == [
            ("alpha", E.NONE, 1),
            ("beta", E.NONE, 2),
        ]
        nothing = metadata(address, version, [])
        assert nothing.topics == []
        assert len(nothing.brokers) == 1
    assert topic_names(broker_thread) == ["alpha", "beta"]


def test_empty_list_at_v0_means_every_topic(broker_thread) -> None:
    address = broker_thread.address
    assert metadata(address, 0, []).topics == []  # no topics yet
    create_topic(address, "one")
    create_topic(address, "two", partitions=3)
    response = metadata(address, 0, [])
    assert sorted((t.name, t.error_code, len(t.partitions)) for t in response.topics) == [
        ("one", E.NONE, 1),
        ("two", E.NONE, 3),
    ]


# --- topic ids ----------------------------------------------------------------------------------


def test_topic_ids_are_stable_and_distinct(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "x")
    create_topic(address, "y")
    seen: dict[str, set[uuid.UUID]] = {"x": set(), "y": set()}
    for version in (10, 11, 12, 12):
        for topic in metadata(address, version, ["x", "y"]).topics:
            seen[topic.name].add(topic.topic_id)
        for topic in metadata(address, version, None).topics:
            seen[topic.name].add(topic.topic_id)
    assert seen == {"x": {topic_id(broker_thread, "x")}, "y": {topic_id(broker_thread, "y")}}
    assert ZERO not in seen["x"] | seen["y"]
    assert seen["x"] != seen["y"]
    for version in range(0, 10):
        assert {t.topic_id for t in metadata(address, version, ["x", "y"]).topics} == {ZERO}


def test_v12_looks_topics_up_by_id(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "by-id", partitions=2)
    create_topic(address, "by-name")
    known = topic_id(broker_thread, "by-id")
    unknown = uuid.UUID("0123456789abcdef0123456789abcdef")
    response = metadata(address, 12, ["by-name"], ids=[known, unknown])
    assert [(t.error_code, t.name, t.topic_id, len(t.partitions)) for t in response.topics] == [
        (E.NONE, "by-name", topic_id(broker_thread, "by-name"), 1),
        (E.NONE, "by-id", known, 2),
        (E.UNKNOWN_TOPIC_ID, None, unknown, 0),
    ]
    # an id that names nothing never creates a topic, with or without the flag
    for allow in (True, False):
        only_unknown = metadata(address, 12, [], ids=[unknown], allow=allow)
        assert [(t.error_code, t.name, t.topic_id) for t in only_unknown.topics] == [
            (E.UNKNOWN_TOPIC_ID, None, unknown)
        ]
    assert topic_names(broker_thread) == ["by-id", "by-name"]


# --- authorized operations ---------------------------------------------------------------


@pytest.mark.parametrize("version", range(8, 13))
def test_authorized_operations_when_asked(broker_thread, version: int) -> None:
    address = broker_thread.address
    create_topic(address, "ops")
    response = metadata(address, version, ["ops"], topic_ops=True, cluster_ops=version <= 10)
    assert response.topics[0].topic_authorized_operations == TOPIC_OPERATIONS
    assert response.cluster_authorized_operations == (
        CLUSTER_OPERATIONS if version <= 10 else INT32_MIN
    )
    plain = metadata(address, version, ["ops"])
    assert plain.topics[0].topic_authorized_operations == INT32_MIN
    assert plain.cluster_authorized_operations == INT32_MIN


# --- large requests share the event loop ------------------------------------------------------


def test_other_clients_are_served_while_many_topics_are_auto_created(broker_thread) -> None:
    address = broker_thread.address
    names = [f"many-{n}" for n in range(100)]
    request = MetadataRequest(
        topics=[MetadataRequestTopic(name=n) for n in names], allow_auto_topic_creation=True
    )
    with socket.create_connection(address, timeout=30) as big, socket.create_connection(
        address, timeout=30
    ) as small:
        big.sendall(request_frame(ApiKey.METADATA, 12, request))
        small.sendall(request_frame(ApiKey.API_VERSIONS, 3, ApiVersionsRequest()))
        read_response(small, ApiKey.API_VERSIONS, 3)
        # answered while the big request was still creating topics
        assert len(topic_names(broker_thread)) < len(names)
        _, response = read_response(big, ApiKey.METADATA, 12)
    assert [t.error_code for t in response.topics] == [E.NONE] * len(names)
    assert topic_names(broker_thread) == sorted(names)


def test_two_requests_auto_creating_the_same_topics_both_succeed(broker_thread) -> None:
    address = broker_thread.address
    names = [f"shared-{n}" for n in range(40)]
    request = MetadataRequest(
        topics=[MetadataRequestTopic(name=n) for n in names], allow_auto_topic_creation=True
    )
    with socket.create_connection(address, timeout=30) as first, socket.create_connection(
        address, timeout=30
    ) as second:
        first.sendall(request_frame(ApiKey.METADATA, 12, request))
        second.sendall(request_frame(ApiKey.METADATA, 12, request))
        answers = [read_response(s, ApiKey.METADATA, 12)[1] for s in (first, second)]
    for response in answers:
        assert [(t.name, t.error_code) for t in response.topics] == [(n, E.NONE) for n in names]
        assert all(len(t.partitions) == 1 for t in response.topics)
    assert answers[0].topics[5].topic_id == answers[1].topics[5].topic_id
