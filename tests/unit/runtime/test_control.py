"""The control API on a three-node cluster in thread mode, driven with our own client.

Every test runs twice: through ``LoopControl`` (calls on the broker's loop) and through
``HttpControl`` (the same calls over the broker's HTTP server), so both carry the same
behaviour. The cluster is shared by the module; ``reset()`` after each test puts it back.
"""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Iterator

import pytest

from kafkalite.client import ConnectionFailed, KafkaClient, ProducerRecord, encode_batch
from kafkalite.client.admin import NewTopic, create_topics
from kafkalite.client.group import GroupMember
from kafkalite.protocol.errors import ErrorCode
from kafkalite.testing import KafkaliteServer
from kafkalite.testing.control import ControlClient, UnknownId
from kafkalite.testing.http_control import HttpControl

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(scope="module")
def server() -> Iterator[KafkaliteServer]:
    with KafkaliteServer(brokers=3, control_port=0, properties={"num.partitions": "2"}) as server:
        yield server


@pytest.fixture(params=["loop", "http"])
def control(request: pytest.FixtureRequest, server: KafkaliteServer) -> Iterator[ControlClient]:
    assert server.control_url is not None
    client = server.control if request.param == "loop" else HttpControl(server.control_url)
    yield client
    client.reset()


@pytest.fixture
def topic(server: KafkaliteServer) -> str:
    name = f"ctl-{uuid.uuid4().hex[:10]}"
    with KafkaClient(server.bootstrap_servers, timeout=10) as client:
        (result,) = create_topics(client, [NewTopic(name, 2, 3)])
        assert result.error_code == 0
    return name


def produce(server: KafkaliteServer, topic: str, partition: int = 0, timeout: float = 10) -> int:
    """One record to ``topic``-``partition``; the partition's error code."""
    batch = encode_batch([ProducerRecord(b"k", b"v")])
    with KafkaClient(server.bootstrap_servers, timeout=timeout) as client:
        return client.produce(topic, {partition: batch}, timeout_ms=5000)[partition].error_code


def test_fail_answers_the_error_count_times(
    server: KafkaliteServer, control: ControlClient, topic: str
) -> None:
    fault = control.fail(api="Produce", topic=topic, error="NOT_ENOUGH_REPLICAS", count=1)
    assert produce(server, topic) == ErrorCode.NOT_ENOUGH_REPLICAS
    assert produce(server, topic) == 0
    assert fault.hits == 1 and fault.wait(1, timeout=1)
    entries = control.requests(api="Produce", topic=topic)
    assert [e["errors"] for e in entries] == [[ErrorCode.NOT_ENOUGH_REPLICAS], []]
    assert entries[0]["fault_id"] == fault.id and entries[0]["api"] == "Produce"
    assert control.partition(topic, 0)["high_watermark"] == 1


def test_names_and_numbers_are_the_same_rule(
    server: KafkaliteServer, control: ControlClient, topic: str
) -> None:
    fault = control.fail(api=0, error=19, topic=topic, partition=1)
    assert produce(server, topic, partition=0) == 0
    assert produce(server, topic, partition=1) == ErrorCode.NOT_ENOUGH_REPLICAS
    described = fault.describe()
    assert (described["api"], described["error"], described["hits"]) == (
        "Produce",
        "NOT_ENOUGH_REPLICAS",
        1,
    )
    assert [f["id"] for f in control.faults()] == [fault.id]
    assert fault.remove() and control.faults() == []


def test_after_apply_applies_then_fails(
    server: KafkaliteServer, control: ControlClient, topic: str
) -> None:
    control.fail(api="Produce", topic=topic, error="REQUEST_TIMED_OUT", after_apply=True, count=1)
    assert produce(server, topic) == ErrorCode.REQUEST_TIMED_OUT
    assert control.partition(topic, 0)["high_watermark"] == 1  # written all the same


def test_drop_closes_the_connection(
    server: KafkaliteServer, control: ControlClient, topic: str
) -> None:
    fault = control.drop(api="Produce", topic=topic, count=1)
    with pytest.raises(ConnectionFailed):
        produce(server, topic)
    assert fault.hits == 1
    assert produce(server, topic) == 0


def test_delay_answers_late(server: KafkaliteServer, control: ControlClient, topic: str) -> None:
    control.delay(api="Produce", ms=300, topic=topic, count=1)
    started = time.monotonic()
    assert produce(server, topic) == 0
    assert time.monotonic() - started >= 0.3


def test_fail_write_reaches_the_log(
    server: KafkaliteServer, control: ControlClient, topic: str
) -> None:
    fault = control.fail_write(topic, 0, count=1)
    assert produce(server, topic) == ErrorCode.KAFKA_STORAGE_ERROR
    assert fault.hits == 1


def test_wait_fault_wakes_when_another_thread_hits_it(
    server: KafkaliteServer, control: ControlClient, topic: str
) -> None:
    fault = control.observe(api="Produce", topic=topic)
    assert not control.wait_fault(fault.id, hits=1, timeout=0.05)
    sender = threading.Thread(target=produce, args=(server, topic))
    sender.start()
    try:
        assert control.wait_fault(fault.id, hits=1, timeout=10)
    finally:
        sender.join(10)
    assert control.wait_high_watermark(topic, 0, 1, timeout=10)
    assert not control.wait_high_watermark(topic, 0, 5, timeout=0.05)


def test_stop_and_start_a_broker_moves_leaders(
    server: KafkaliteServer, control: ControlClient, topic: str
) -> None:
    leader = control.partition(topic, 0)["leader"]
    epoch = control.partition(topic, 0)["leader_epoch"]
    stopped = control.stop_broker(leader)
    assert (stopped["online"], stopped["listening"]) == (False, False)
    moved = control.partition(topic, 0)
    assert moved["leader"] != leader and moved["leader_epoch"] > epoch
    assert leader not in moved["isr"]
    assert produce(server, topic) == 0  # the client follows the new leader
    assert control.start_broker(leader)["online"]
    assert leader in control.partition(topic, 0)["isr"]


def test_move_leader(server: KafkaliteServer, control: ControlClient, topic: str) -> None:
    before = control.partition(topic, 1)
    target = next(n for n in (1, 2, 3) if n != before["leader"])
    after = control.move_leader(topic, 1, target)
    assert after["leader"] == target and after["leader_epoch"] == before["leader_epoch"] + 1
    assert any(
        p["topic"] == topic and p["partition"] == 1 and p["leader"] == target
        for p in control.leaders(topic)
    )
    assert produce(server, topic, partition=1) == 0
    with pytest.raises(UnknownId):
        control.move_leader(topic, 1, 99)
    with pytest.raises(UnknownId):
        control.partition(topic, 7)


def test_refuse_accept_and_reset(server: KafkaliteServer, control: ControlClient) -> None:
    node = control.brokers()[1]
    control.refuse_connections(node["id"])
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", node["port"]), timeout=2)
    assert control.accept_connections(node["id"])["listening"]
    control.stop_broker(node["id"])
    control.black_hole(3)
    control.fail(api="Metadata", error="UNKNOWN_SERVER_ERROR")
    undone = control.reset()
    assert undone["brokers_started"] == [node["id"]] and undone["black_holes_lifted"] == [3]
    assert undone["faults_removed"] == 1 and control.faults() == []
    assert all(b["online"] and b["listening"] and not b["black_hole"] for b in control.brokers())
    assert control.requests() == []


def test_black_hole_holds_requests_until_lifted(
    server: KafkaliteServer, control: ControlClient, topic: str
) -> None:
    first = control.broker(1)
    assert control.black_hole(1)["black_hole"]
    with (
        KafkaClient(f"127.0.0.1:{first['port']}", timeout=0.3) as client,
        pytest.raises(ConnectionFailed),
    ):
        client.metadata([topic])
    control.black_hole(1, on=False)
    with KafkaClient(f"127.0.0.1:{first['port']}", timeout=10) as client:
        assert topic in client.metadata([topic]).topics


def test_wait_group_and_offset(server: KafkaliteServer, control: ControlClient, topic: str) -> None:
    group = f"g-{uuid.uuid4().hex[:8]}"
    assert control.group(group)["state"] == "Dead"
    assert not control.wait_group(group, members=1, timeout=0.05)
    with KafkaClient(server.bootstrap_servers, timeout=10) as client:
        member = GroupMember(client, group, [topic])
        assert sorted((tp.topic, tp.partition) for tp in member.join()) == [(topic, 0), (topic, 1)]
        assert control.wait_group(group, members=1, timeout=10)
        assert not control.wait_group(group, members=2, timeout=0.05)
        assert control.group(group) == {
            "group": group,
            "state": "Stable",
            "members": 1,
            "protocol": "range",
        }
        assert not control.wait_offset(group, topic, 0, 5, timeout=0.05)
        member.commit({member.assignment[0]: 5})
        assert control.wait_offset(group, topic, 0, 5, timeout=10)
        member.leave()
    assert control.wait_group(group, state="Empty", members=0, timeout=10)


def test_bad_input_and_unknown_ids(control: ControlClient) -> None:
    with pytest.raises(ValueError, match="unknown API"):
        control.fail(api="Nope", error=1)
    with pytest.raises(ValueError, match="unknown error"):
        control.fail(api="Produce", error="NOT_A_CODE")
    with pytest.raises(ValueError, match="needs an error code"):
        control.fail(api="Produce")
    with pytest.raises(ValueError):
        control.delay(api="Produce", ms=0)
    with pytest.raises(UnknownId):
        control.stop_broker(42)
    with pytest.raises(UnknownId):
        control.fault(12345)
    with pytest.raises(UnknownId):
        control.fail(api="Produce", error=1, node=42)
