"""Incremental fetch sessions (KIP-227) and Fetch by topic id (KIP-516) with the clients that
use them: kafka-python 3.0.12 fetches in sessions (at v12: it caps Fetch there), librdkafka
fetches at v16, by topic id, without sessions.

One topic of 1,000 partitions, on a broker with one fetch-session slot and sessions stale at
once (``max.incremental.fetch.session.cache.slots=1``,
``min.incremental.fetch.session.eviction.ms=0``). A kafka-python consumer reads it alone, in
incremental fetches; then a second one starts, and each evicts the other's session over and
over while new records arrive: every record must still arrive exactly once. librdkafka then
reads the whole topic by topic id.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kafkalite.testing import KafkaliteServer

kafka = pytest.importorskip("kafka")
from kafka import KafkaConsumer, KafkaProducer, TopicPartition  # noqa: E402
from kafka.admin import KafkaAdminClient, NewTopic  # noqa: E402
from kafka.structs import OffsetAndMetadata  # noqa: E402

pytestmark = pytest.mark.compat

PARTITIONS = 1000
WAIT_S = 120
FETCH_SESSION_ID_NOT_FOUND = 70


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KafkaliteServer]:
    properties = {
        "offsets.topic.num.partitions": "1",
        "max.incremental.fetch.session.cache.slots": "1",
        "min.incremental.fetch.session.eviction.ms": "0",
    }
    data_dir: Path = tmp_path_factory.mktemp("fetch-sessions") / "data"
    with KafkaliteServer(properties, mode="process", data_dir=data_dir) as running:
        yield running


@pytest.fixture(scope="module")
def topic(server: KafkaliteServer) -> Iterator[dict[str, Any]]:
    """The 1,000-partition topic and the records in it: (partition, offset) -> value."""
    name = f"sessions-{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(bootstrap_servers=server.bootstrap_servers)
    try:
        admin.create_topics([NewTopic(name, PARTITIONS, 1)])
        yield {"name": name, "records": produce(server.bootstrap_servers, name, 0)}
        admin.delete_topics([name])  # a broker stops sooner without 1,000 logs to close
    finally:
        admin.close()


def produce(bootstrap: str, topic: str, round_no: int) -> dict[tuple[int, int], bytes]:
    """One record per partition; returns (partition, offset) -> value."""
    producer = KafkaProducer(bootstrap_servers=bootstrap, linger_ms=20,
                             request_timeout_ms=WAIT_S * 1000, delivery_timeout_ms=WAIT_S * 2000)
    try:
        futures = {
            p: producer.send(topic, b"r%d-p%d" % (round_no, p), partition=p)
            for p in range(PARTITIONS)
        }
        producer.flush(timeout=WAIT_S)
        return {(p, f.get(timeout=WAIT_S).offset): b"r%d-p%d" % (round_no, p)
                for p, f in futures.items()}
    finally:
        producer.close(timeout=10)


def consumer(bootstrap: str, topic: str, client_id: str, group: str | None = None
             ) -> KafkaConsumer:
    c = KafkaConsumer(
        bootstrap_servers=bootstrap, client_id=client_id, group_id=group, enable_auto_commit=False,
        fetch_max_wait_ms=100, max_poll_records=5000,
    )
    c.assign([TopicPartition(topic, p) for p in range(PARTITIONS)])
    c.seek_to_beginning()
    return c


def read(reader: KafkaConsumer, seen: dict[tuple[int, int], bytes],
         dups: list[tuple[int, int]]) -> None:
    for records in reader.poll(timeout_ms=200).values():
        for r in records:
            key = (r.partition, r.offset)
            if key in seen:
                dups.append(key)
            seen[key] = r.value


@pytest.mark.timeout(300)
def test_two_consumers_over_1000_partitions_lose_nothing_to_evictions(
    server: KafkaliteServer, topic: dict[str, Any],
) -> None:
    bootstrap, name, expected = server.bootstrap_servers, topic["name"], topic["records"]
    control = server.control
    first = f"first-{name}"
    readers = [consumer(bootstrap, name, first, group=f"g-{name}"),
               consumer(bootstrap, name, f"second-{name}")]
    got: list[dict[tuple[int, int], bytes]] = [{}, {}]
    duplicates: list[list[tuple[int, int]]] = [[], []]
    deadline = time.monotonic() + WAIT_S
    try:
        # The first reader alone: its session lives, so its fetches are incremental.
        for _ in range(500):
            if len(got[0]) == len(expected) or time.monotonic() > deadline:
                break
            read(readers[0], got[0], duplicates[0])
        for _ in range(5):  # caught up: a few fetches that name no partition
            read(readers[0], got[0], duplicates[0])
        alone = control.requests(api="Fetch", client_id=first)
        # Then both, evicting each other's session, while new records arrive.
        expected.update(produce(bootstrap, name, 1))
        for _ in range(2000):
            if all(len(g) == len(expected) for g in got) or time.monotonic() > deadline:
                break
            for reader, seen, dups in zip(readers, got, duplicates, strict=True):
                read(reader, seen, dups)
        for _ in range(5):  # caught up, still evicting each other: nothing more, nothing twice
            for reader, seen, dups in zip(readers, got, duplicates, strict=True):
                read(reader, seen, dups)
        for seen, dups in zip(got, duplicates, strict=True):
            assert dups == []
            assert seen == expected
        # The grouped reader commits offsets and reads them back.
        ends = {TopicPartition(name, p): 2 for p in range(0, PARTITIONS, 97)}
        readers[0].commit({tp: OffsetAndMetadata(o, "", -1) for tp, o in ends.items()})
        assert {tp: readers[0].committed(tp) for tp in ends} == ends
    finally:
        for reader in readers:
            reader.close()

    # Alone, the reader opened a session with a full fetch, then sent incremental ones: once
    # caught up, they name no partition at all.
    sizes = [len(e["topics"].get(name, [])) for e in alone]
    assert sizes[0] == PARTITIONS and 0 in sizes
    assert not any(e["errors"] for e in alone)
    fetches = control.requests(api="Fetch", topic=name)
    assert min(e["version"] for e in fetches) >= 7  # versions with sessions
    # Together, sessions were evicted under the readers (one slot, stale at once).
    assert any(FETCH_SESSION_ID_NOT_FOUND in e["errors"] for e in control.requests(api="Fetch"))


@pytest.mark.timeout(120)
def test_librdkafka_fetches_1000_partitions_by_topic_id(
    server: KafkaliteServer, topic: dict[str, Any],
) -> None:
    confluent_kafka = pytest.importorskip("confluent_kafka")
    name, expected = topic["name"], topic["records"]
    reader = confluent_kafka.Consumer({
        "bootstrap.servers": server.bootstrap_servers, "group.id": f"rd-{name}",
        "enable.auto.commit": False, "fetch.wait.max.ms": 100,
    })
    got: dict[tuple[int, int], bytes] = {}
    try:
        reader.assign([confluent_kafka.TopicPartition(name, p, confluent_kafka.OFFSET_BEGINNING)
                       for p in range(PARTITIONS)])
        deadline = time.monotonic() + WAIT_S
        while len(got) < len(expected) and time.monotonic() < deadline:
            for message in reader.consume(num_messages=5000, timeout=0.5):
                assert message.error() is None, message.error()
                assert (message.partition(), message.offset()) not in got
                got[(message.partition(), message.offset())] = message.value()
    finally:
        reader.close()
    assert got == expected
    fetched = [e for e in server.control.requests(api="Fetch", topic=name)
               if e["client_id"] and "rdkafka" in e["client_id"]]
    assert fetched and min(e["version"] for e in fetched) >= 13  # topics named by id
