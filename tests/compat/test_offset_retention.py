"""Committed offsets expire as in Kafka (``offsets.retention.minutes``, KIP-211), seen
through real clients.

A group that has no members any more loses its committed offsets once they are older than
the retention; a group with a live subscribed member keeps them however old they are. After
expiry a new member of the expired group starts from ``auto.offset.reset``. The broker runs
with Kafka's smallest retention, one minute, and checks every half second, so this module
waits out that minute once for every case at the same time: kafka-python and confluent-kafka
groups that closed, and a kafka-python group that stays.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import compat_helpers as h
import pytest
from confluent_kafka import Consumer as ConfluentConsumer
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer

from kafkalite.testing import KafkaliteServer

pytestmark = [pytest.mark.compat, pytest.mark.timeout(180)]

TOPIC = "retained"
RECORDS = [b"r0", b"r1", b"r2"]
RETENTION_S = 60  # offsets.retention.minutes=1: Kafka's minimum
WAIT_S = RETENTION_S + 40


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KafkaliteServer]:
    if h.external_bootstrap():
        pytest.skip("starts a kafkalite of its own")
    properties = {
        "offsets.retention.minutes": 1,
        "offsets.retention.check.interval.ms": 500,
        "group.initial.rebalance.delay.ms": 0,
    }
    data_dir: Path = tmp_path_factory.mktemp("retention") / "data"
    with KafkaliteServer(properties, data_dir=data_dir) as running:
        producer = KafkaProducer(bootstrap_servers=running.bootstrap_servers)
        for value in RECORDS:
            producer.send(TOPIC, value, partition=0).get(timeout=10)
        producer.close()
        yield running


def kafka_python_consumer(server: KafkaliteServer, group: str) -> KafkaConsumer:
    consumer = KafkaConsumer(
        TOPIC,
        bootstrap_servers=server.bootstrap_servers,
        group_id=group,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    return consumer


def read_all(consumer: KafkaConsumer) -> list[bytes]:
    values: list[bytes] = []
    deadline = time.monotonic() + 20
    while len(values) < len(RECORDS) and time.monotonic() < deadline:
        for records in consumer.poll(timeout_ms=500).values():
            values.extend(r.value for r in records)
    return values


def committed(admin: KafkaAdminClient, group: str) -> dict[int, int]:
    offsets = admin.list_group_offsets(group).get(group, {})
    return {tp.partition: meta.offset for tp, meta in offsets.items() if tp.topic == TOPIC}


def test_offsets_of_empty_groups_expire_and_live_groups_keep_theirs(
    server: KafkaliteServer,
) -> None:
    admin = KafkaAdminClient(bootstrap_servers=server.bootstrap_servers)
    committed_at = time.monotonic()

    closed = kafka_python_consumer(server, "kp-closed")
    assert read_all(closed) == RECORDS
    closed.commit()
    closed.close()

    confluent = ConfluentConsumer({
        "bootstrap.servers": server.bootstrap_servers,
        "group.id": "ck-closed",
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
    })
    confluent.subscribe([TOPIC])
    got: list[bytes] = []
    deadline = time.monotonic() + 20
    while len(got) < len(RECORDS) and time.monotonic() < deadline:
        message = confluent.poll(0.5)
        if message is not None and message.error() is None:
            got.append(message.value())
    assert got == RECORDS
    confluent.commit(asynchronous=False)
    confluent.close()

    # A member that stays subscribed, polling in the background as an application would.
    live = kafka_python_consumer(server, "kp-live")
    assert read_all(live) == RECORDS
    live.commit()
    stop = threading.Event()

    def keep_polling() -> None:
        while not stop.is_set():
            live.poll(timeout_ms=200)

    poller = threading.Thread(target=keep_polling, daemon=True)
    poller.start()
    try:
        for group in ("kp-closed", "ck-closed", "kp-live"):
            assert committed(admin, group) == {0: len(RECORDS)}, group

        expired_at = None
        deadline = committed_at + WAIT_S
        while time.monotonic() < deadline:
            if not committed(admin, "kp-closed") and not committed(admin, "ck-closed"):
                expired_at = time.monotonic()
                break
            time.sleep(0.5)  # the broker's expiry runs on its own clock: poll the answer
        assert expired_at is not None, "offsets of the empty groups never expired"
        # Never before the retention: the commits happened after committed_at.
        assert expired_at - committed_at >= RETENTION_S - 1
        # The group with a live member keeps its offsets, although as old as the others.
        assert committed(admin, "kp-live") == {0: len(RECORDS)}
    finally:
        stop.set()
        poller.join(10)
        live.close()

    # The expired group starts again from auto.offset.reset, here the earliest offset.
    again = kafka_python_consumer(server, "kp-closed")
    try:
        assert read_all(again) == RECORDS
    finally:
        again.close()
    admin.close()
