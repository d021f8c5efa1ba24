"""Consumers started together form one group and share its partitions evenly, with each
client's default settings and the broker's default group.initial.rebalance.delay.ms.

Two consumers of one new group start at the same moment (threads) on a 6-partition topic;
each must end up with 3 partitions, together all 6, and keep them. With no initial delay
kafka-python 3.0.12 could leave one member with all six (README: Consumer groups). How
fast each client gets there is measured in benchmarks/group_formation.py, not here.
"""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Callable

import compat_helpers as h
import pytest
from confluent_kafka.admin import AdminClient, NewTopic

pytestmark = [pytest.mark.compat, pytest.mark.timeout(90)]

PARTITIONS, MEMBERS = 6, 2
FORM_WITHIN_S = 40.0
KEEP_FOR_S = 2.0


class Assignments:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.by_member: dict[int, frozenset[int]] = {}
        self.errors: list[BaseException] = []

    def note(self, member: int, partitions: set[int]) -> None:
        with self.lock:
            self.by_member[member] = frozenset(partitions)

    def even(self) -> bool:
        with self.lock:
            shares = [self.by_member.get(m, frozenset()) for m in range(MEMBERS)]
        together = sorted(p for share in shares for p in share)
        return together == list(range(PARTITIONS)) and all(
            len(share) == PARTITIONS // MEMBERS for share in shares
        )


def kafka_python_member(bootstrap: str, topic: str, group: str, index: int,
                        seen: Assignments, stop: threading.Event) -> None:
    from kafka import KafkaConsumer

    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=group)
    consumer.subscribe([topic])
    try:
        while not stop.is_set():
            consumer.poll(timeout_ms=100)
            seen.note(index, {tp.partition for tp in consumer.assignment()})
    finally:
        consumer.close()


def confluent_member(bootstrap: str, topic: str, group: str, index: int,
                     seen: Assignments, stop: threading.Event) -> None:
    from confluent_kafka import Consumer

    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group})
    consumer.subscribe([topic])
    try:
        while not stop.is_set():
            consumer.poll(0.1)
            seen.note(index, {tp.partition for tp in consumer.assignment()})
    finally:
        consumer.close()


def aiokafka_member(bootstrap: str, topic: str, group: str, index: int,
                    seen: Assignments, stop: threading.Event) -> None:
    from aiokafka import AIOKafkaConsumer

    async def run() -> None:
        consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group)
        await consumer.start()
        try:
            while not stop.is_set():
                await consumer.getmany(timeout_ms=100)
                seen.note(index, {tp.partition for tp in consumer.assignment()})
        finally:
            await consumer.stop()

    asyncio.run(run())


MEMBER_KINDS: dict[str, Callable[..., None]] = {
    "kafka-python": kafka_python_member,
    "aiokafka": aiokafka_member,
    "confluent-kafka": confluent_member,
}


@pytest.mark.parametrize("client", list(MEMBER_KINDS))
def test_consumers_started_together_share_partitions_evenly(broker, client: str) -> None:
    topic = h.unique_topic("formation")
    admin = AdminClient({"bootstrap.servers": broker.bootstrap})
    admin.create_topics([NewTopic(topic, PARTITIONS, 1)])[topic].result(30)
    group = f"formation-{uuid.uuid4().hex[:8]}"
    seen, stop = Assignments(), threading.Event()

    def guarded(index: int) -> None:
        try:
            MEMBER_KINDS[client](broker.bootstrap, topic, group, index, seen, stop)
        except BaseException as exc:  # reported by the test, not lost in the thread
            seen.errors.append(exc)

    threads = [threading.Thread(target=guarded, args=(i,), daemon=True) for i in range(MEMBERS)]
    for thread in threads:
        thread.start()
    try:
        deadline = time.monotonic() + FORM_WITHIN_S
        while not seen.even() and time.monotonic() < deadline and not seen.errors:
            time.sleep(0.05)
        assert seen.even(), f"assignments never became even: {seen.by_member}"
        kept_until = time.monotonic() + KEEP_FOR_S
        while time.monotonic() < kept_until:
            assert seen.even(), f"assignments changed after forming: {seen.by_member}"
            time.sleep(0.05)
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)
    assert not seen.errors, seen.errors
