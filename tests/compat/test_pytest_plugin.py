"""The pytest plugin (``kafkalite.testing``) as a user's test suite would use it.

kafka-python and confluent-kafka, with their default settings, produce and consume
through the plugin's fixtures: the session broker, a broker of the test's own with
properties, and the faults (pause/resume, restart, kill in process mode).

Installed kafkalite registers the plugin through its ``pytest11`` entry point; from a
checkout that is not installed, the ``pytest_plugins`` line below loads it, and when the
entry point has loaded it already the line is a no-op. With ``KAFKALITE_BOOTSTRAP`` set,
the session-broker tests run against that broker and the others skip.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING

import confluent_kafka as ck
import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

if TYPE_CHECKING:  # importing the plugin here would keep pytest from rewriting its asserts
    from kafkalite.testing import KafkaliteServer
    from kafkalite.testing.control import ControlClient
    from kafkalite.testing.plugin import ExternalBroker, KafkaliteBrokerFactory

pytest_plugins = ["kafkalite.testing.plugin"]
pytestmark = [pytest.mark.compat, pytest.mark.timeout(120)]

WAIT_S = 30.0


def new_topic() -> str:
    return f"plugin-{uuid.uuid4().hex[:12]}"


def values(prefix: str, n: int) -> list[bytes]:
    return [b"%s-%d" % (prefix.encode(), i) for i in range(n)]


# --- kafka-python -----------------------------------------------------------------------


def kp_produce(bootstrap: str, topic: str, records: Sequence[bytes]) -> list[int]:
    """Send to partition 0 (acks=all, kafka-python's default); return the offsets."""
    producer = KafkaProducer(bootstrap_servers=bootstrap)
    try:
        futures = [producer.send(topic, value=v, partition=0) for v in records]
        return [f.get(timeout=WAIT_S).offset for f in futures]
    finally:
        producer.close(timeout=10)


def kp_consume(consumer: KafkaConsumer, n: int) -> list[bytes]:
    got: list[bytes] = []
    deadline = time.monotonic() + WAIT_S
    while len(got) < n and time.monotonic() < deadline:
        for batch in consumer.poll(timeout_ms=500).values():
            got += [m.value for m in batch]
    return got


def kp_consumer(bootstrap: str, topic: str) -> KafkaConsumer:
    consumer = KafkaConsumer(bootstrap_servers=bootstrap)
    tp = TopicPartition(topic, 0)
    consumer.assign([tp])
    consumer.seek_to_beginning(tp)
    return consumer


# --- confluent-kafka --------------------------------------------------------------------


class CkProducer:
    """A confluent-kafka producer that records delivery reports."""

    def __init__(self, bootstrap: str) -> None:
        self.producer = ck.Producer({"bootstrap.servers": bootstrap})
        self.offsets: list[int] = []
        self.errors: list[str] = []

    def _report(self, err: ck.KafkaError | None, msg: ck.Message) -> None:
        if err is not None:
            self.errors.append(str(err))
        else:
            offset = msg.offset()
            assert offset is not None
            self.offsets.append(offset)

    def produce(self, topic: str, records: Sequence[bytes]) -> None:
        for v in records:
            self.producer.produce(topic, value=v, partition=0, on_delivery=self._report)

    def flush(self) -> list[int]:
        assert self.producer.flush(WAIT_S) == 0, "records still queued"
        assert not self.errors, self.errors
        return self.offsets


def ck_consume(bootstrap: str, topic: str, n: int) -> list[bytes]:
    consumer = ck.Consumer(
        {"bootstrap.servers": bootstrap, "group.id": f"plugin-{uuid.uuid4().hex[:8]}"}
    )
    try:
        consumer.assign([ck.TopicPartition(topic, 0, ck.OFFSET_BEGINNING)])
        got: list[bytes] = []
        deadline = time.monotonic() + WAIT_S
        while len(got) < n and time.monotonic() < deadline:
            msg = consumer.poll(0.5)
            if msg is None:
                continue
            assert msg.error() is None, msg.error()
            value = msg.value()
            assert value is not None
            got.append(value)
        return got
    finally:
        consumer.close()


# --- the session broker -----------------------------------------------------------------


def test_kafka_python_produces_and_confluent_consumes(kafkalite_bootstrap: str) -> None:
    topic, records = new_topic(), values("kp", 5)
    assert kp_produce(kafkalite_bootstrap, topic, records) == [0, 1, 2, 3, 4]
    assert ck_consume(kafkalite_bootstrap, topic, 5) == records


def test_confluent_produces_and_kafka_python_consumes(
    kafkalite_broker: KafkaliteServer | ExternalBroker,
) -> None:
    bootstrap, topic, records = kafkalite_broker.bootstrap_servers, new_topic(), values("ck", 5)
    producer = CkProducer(bootstrap)
    producer.produce(topic, records)
    assert producer.flush() == [0, 1, 2, 3, 4]
    consumer = kp_consumer(bootstrap, topic)
    try:
        assert kp_consume(consumer, 5) == records
    finally:
        consumer.close()


def test_control_fault_is_retried_and_reset_after_the_test(
    kafkalite_control: ControlClient, kafkalite_bootstrap: str
) -> None:
    topic = new_topic()
    fault = kafkalite_control.fail(
        api="Produce", topic=topic, error="NOT_ENOUGH_REPLICAS", count=1
    )
    producer = CkProducer(kafkalite_bootstrap)  # retries the retriable error
    producer.produce(topic, [b"once"])
    assert producer.flush() == [0]
    assert fault.hits == 1
    assert kafkalite_control.faults()  # still listed, retired; the fixture's reset removes it


def test_control_starts_each_test_clean(kafkalite_control: ControlClient) -> None:
    assert kafkalite_control.faults() == []
    assert kafkalite_control.requests(api="Produce") == []


# --- brokers of a test's own ------------------------------------------------------------


def test_factory_applies_properties(kafkalite_broker_factory: KafkaliteBrokerFactory) -> None:
    server = kafkalite_broker_factory({"num.partitions": "3"})
    topic = new_topic()
    producer = ck.Producer({"bootstrap.servers": server.bootstrap_servers})
    meta = producer.list_topics(topic, timeout=WAIT_S).topics[topic]  # auto-creates it
    assert sorted(meta.partitions) == [0, 1, 2]
    kp = KafkaProducer(bootstrap_servers=server.bootstrap_servers)
    try:
        assert kp.partitions_for(topic) == {0, 1, 2}
    finally:
        kp.close(timeout=10)


def test_factory_runs_a_cluster(kafkalite_broker_factory: KafkaliteBrokerFactory) -> None:
    server = kafkalite_broker_factory({"default.replication.factor": "3"}, brokers=3)
    assert len(server.bootstrap_servers.split(",")) == 3
    assert [b["id"] for b in server.control.brokers()] == [1, 2, 3]
    topic = new_topic()
    assert kp_produce(server.bootstrap_servers, topic, values("c", 2)) == [0, 1]
    leader = server.control.partition(topic, 0)["leader"]
    server.control.stop_broker(leader)
    assert kp_produce(server.bootstrap_servers, topic, values("d", 1)) == [2]


def test_confluent_producer_delivers_what_it_queued_while_paused(
    kafkalite_broker_factory: KafkaliteBrokerFactory,
) -> None:
    server = kafkalite_broker_factory()
    topic = new_topic()
    producer = CkProducer(server.bootstrap_servers)
    producer.produce(topic, values("before", 3))
    assert producer.flush() == [0, 1, 2]
    server.pause()
    producer.produce(topic, values("during", 3))
    producer.producer.poll(1.0)
    assert producer.offsets == [0, 1, 2]  # nothing gets through while paused
    server.resume()
    assert producer.flush() == [0, 1, 2, 3, 4, 5]
    assert ck_consume(server.bootstrap_servers, topic, 6) == values("before", 3) + values(
        "during", 3
    )


def test_kafka_python_consumer_reconnects_after_pause(
    kafkalite_broker_factory: KafkaliteBrokerFactory,
) -> None:
    server = kafkalite_broker_factory()
    topic = new_topic()
    kp_produce(server.bootstrap_servers, topic, values("first", 2))
    consumer = kp_consumer(server.bootstrap_servers, topic)
    try:
        assert kp_consume(consumer, 2) == values("first", 2)
        server.pause()
        consumer.poll(timeout_ms=500)  # sees its connection drop
        server.resume()
        assert kp_produce(server.bootstrap_servers, topic, values("second", 2)) == [2, 3]
        assert kp_consume(consumer, 2) == values("second", 2)
    finally:
        consumer.close()


def test_restart_keeps_records_and_the_same_producer_carries_on(
    kafkalite_broker_factory: KafkaliteBrokerFactory,
) -> None:
    server = kafkalite_broker_factory()
    topic = new_topic()
    producer = CkProducer(server.bootstrap_servers)
    producer.produce(topic, values("a", 3))
    assert producer.flush() == [0, 1, 2]
    server.restart()
    producer.produce(topic, values("b", 3))
    assert producer.flush() == [0, 1, 2, 3, 4, 5]
    assert ck_consume(server.bootstrap_servers, topic, 6) == values("a", 3) + values("b", 3)


def test_kill_then_start_keeps_acknowledged_records(
    kafkalite_broker_factory: KafkaliteBrokerFactory,
) -> None:
    server = kafkalite_broker_factory(mode="process")
    topic = new_topic()
    records = values("acked", 20)
    assert kp_produce(server.bootstrap_servers, topic, records) == list(range(20))
    server.kill()
    server.start()
    assert ck_consume(server.bootstrap_servers, topic, 20) == records
    assert kp_produce(server.bootstrap_servers, topic, [b"next"]) == [20]
