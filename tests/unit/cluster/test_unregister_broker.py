"""UnregisterBroker (api key 64, v0) on three nodes over real sockets: the bytes on the wire,
BROKER_ID_NOT_REGISTERED, a stopped (fenced) node's registration removed until it starts
again, a live node leaving every ISR and the metadata, and ALTER on the cluster required.
No installed client exposes it (kafka-python's KafkaAdminClient and confluent-kafka's
AdminClient have no unregister_broker), so it is driven here with our own frames."""

from __future__ import annotations

import asyncio
import socket
import struct
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kafkalite.cluster import Cluster
from kafkalite.config import BrokerConfig
from kafkalite.handlers import unregister_broker
from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.connection import Request
from kafkalite.protocol.errors import ErrorCode as E
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.describe_cluster import DescribeClusterRequest
from kafkalite.protocol.messages.headers import RequestHeader
from kafkalite.protocol.messages.unregister_broker import UnregisterBrokerRequest
from kafkalite.security.acls import STANDARD_AUTHORIZER_NAME
from tests.unit.cluster.test_nodes import Cluster3, create, metadata
from tests.unit.server.kafka_wire import api_versions_request, call, recv_exact, request_frame

Address = tuple[str, int]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster3]:
    running = Cluster3(tmp_path_factory.mktemp("unregister") / "data")
    try:
        yield running
    finally:
        running.close()


def unregister_raw(address: Address, broker_id: int) -> bytes:
    """The response frame's bytes after its length, for an UnregisterBroker v0."""
    with socket.create_connection(address, timeout=10) as sock:
        sock.sendall(request_frame(ApiKey.UNREGISTER_BROKER, 0, UnregisterBrokerRequest(broker_id=broker_id),
                                   correlation_id=7))
        (size,) = struct.unpack(">i", recv_exact(sock, 4))
        return recv_exact(sock, size)


def unregister(address: Address, broker_id: int) -> int:
    return call(address, ApiKey.UNREGISTER_BROKER, 0, UnregisterBrokerRequest(broker_id=broker_id)).error_code


def listed(address: Address, fenced: bool = True) -> list[tuple[int, bool]]:
    answer = call(address, ApiKey.DESCRIBE_CLUSTER, 2, DescribeClusterRequest(include_fenced_brokers=fenced))
    return [(b.broker_id, b.is_fenced) for b in answer.brokers]


def test_advertised_as_kafka_4_2_does(cluster: Cluster3) -> None:
    answer = call(cluster.address(1), ApiKey.API_VERSIONS, 3, api_versions_request())
    [key] = [k for k in answer.api_keys if k.api_key == ApiKey.UNREGISTER_BROKER]
    assert (key.min_version, key.max_version) == (0, 0)


def test_an_unknown_broker_id_is_not_registered(cluster: Cluster3) -> None:
    # Response header v1 (correlation id, no tags), throttle 0, error 102, null message, no tags.
    assert unregister_raw(cluster.address(1), 9) == (
        b"\x00\x00\x00\x07\x00" + b"\x00\x00\x00\x00" + b"\x00\x66" + b"\x00" + b"\x00"
    )
    assert unregister(cluster.address(1), -1) == E.BROKER_ID_NOT_REGISTERED


def test_a_stopped_node_is_unregistered_until_it_starts(cluster: Cluster3) -> None:
    address = cluster.address(1)
    cluster.run(cluster.runtime.stop_node(3))
    try:
        assert listed(address) == [(1, False), (2, False), (3, True)]
        assert unregister_raw(address, 3) == b"\x00\x00\x00\x07\x00" + b"\x00" * 4 + b"\x00\x00" + b"\x00\x00"
        assert listed(address) == [(1, False), (2, False)]
        assert unregister(address, 3) == E.BROKER_ID_NOT_REGISTERED
    finally:
        cluster.run(cluster.runtime.start_node(3))
    assert listed(address) == [(1, False), (2, False), (3, False)]
    assert sorted(b.node_id for b in metadata(address, "none").brokers) == [1, 2, 3]


def test_a_live_node_leaves_the_isrs_and_the_metadata(cluster: Cluster3) -> None:
    address = cluster.address(1)
    create(address, "unreg", 3, 3)
    before = {p.partition_index: p for p in metadata(address, "unreg").topics[0].partitions}
    led_by_2 = [i for i, p in before.items() if p.leader_id == 2]
    assert led_by_2 and all(p.isr_nodes == p.replica_nodes for p in before.values())
    try:
        assert unregister(cluster.address(2), 2) == E.NONE
        for node in (1, 2, 3):  # every listener answers the same: 2 is gone
            answer = metadata(cluster.address(node), "unreg")
            assert sorted(b.node_id for b in answer.brokers) == [1, 3]
            for p in answer.topics[0].partitions:
                assert 2 not in p.isr_nodes and p.offline_replicas == [2]
                assert p.replica_nodes == before[p.partition_index].replica_nodes
                assert p.leader_id in (1, 3)
                if p.partition_index in led_by_2:
                    assert p.leader_epoch == before[p.partition_index].leader_epoch + 1
                else:
                    assert p.leader_id == before[p.partition_index].leader_id
        assert listed(address) == [(1, False), (3, False)]
        assert unregister(address, 2) == E.BROKER_ID_NOT_REGISTERED
    finally:
        # A Kafka broker registers again when it restarts.
        cluster.run(cluster.runtime.stop_node(2))
        cluster.run(cluster.runtime.start_node(2))
    assert listed(address) == [(1, False), (2, False), (3, False)]
    after = metadata(address, "unreg").topics[0].partitions
    assert all(p.isr_nodes == p.replica_nodes and p.offline_replicas == [] for p in after)


class NoWaits:
    async def wait(self, partitions: Iterable[tuple[str, int]], timeout: float, closing: asyncio.Event) -> None:
        return None


def test_alter_on_the_cluster_is_required(tmp_path: Path) -> None:
    opened = Cluster(BrokerConfig(data_dir=tmp_path, port=0, brokers=2).with_properties(
        {"authorizer.class.name": STANDARD_AUTHORIZER_NAME, "super.users": "User:admin"}
    ))
    opened.open()

    def run(principal: str, broker_id: int) -> Any:
        body = UnregisterBrokerRequest(broker_id=broker_id)
        header = RequestHeader(request_api_key=ApiKey.UNREGISTER_BROKER, request_api_version=0, client_id="c")
        ctx = RequestContext(
            node=opened.nodes[1], cluster=opened, waiters=NoWaits(), principal=principal,
            request=Request(ApiKey.UNREGISTER_BROKER, 0, header, body, 0),
        )
        return asyncio.run(unregister_broker.handle(ctx, body))

    try:
        refused = run("User:alice", 2)
        assert (refused.error_code, refused.error_message) == (E.CLUSTER_AUTHORIZATION_FAILED, None)
        assert opened.nodes[2].registered
        assert run("User:alice", 7).error_code == E.CLUSTER_AUTHORIZATION_FAILED
        assert run("User:admin", 7).error_code == E.BROKER_ID_NOT_REGISTERED
        assert run("User:admin", 2).error_code == E.NONE
        assert [n.id for n in opened.online_nodes()] == [1]
    finally:
        opened.close()
