"""Share groups (KIP-932) with confluent-kafka's ``ShareConsumer`` (librdkafka): queue
semantics on one partition shared by several consumers.

One broker for the module with the share group timers lowered (members heartbeat every
500 ms, a silent one is dropped after 6 s, a record is archived after 3 deliveries); groups
that test lock expiry set their own ``share.record.lock.duration.ms`` of one second with
the AdminClient (a group config, as in Kafka), the others keep the broker's 15 s, so a slow
poll never redelivers a record there. Every group starts at the earliest offset
(``share.auto.offset.reset=earliest``, also a group config).
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import compat_helpers as h
import pytest
from confluent_kafka import AcknowledgeType, Producer, ShareConsumer
from confluent_kafka.admin import (
    AdminClient,
    AlterConfigOpType,
    ConfigEntry,
    ConfigResource,
    NewTopic,
    ResourceType,
)

pytestmark = pytest.mark.compat

API_SHARE_GROUP_HEARTBEAT = 76
NON_EMPTY_GROUP, GROUP_ID_NOT_FOUND = 68, 69
DELIVERY_LIMIT = 3
SHORT_LOCK_MS = 1000
DEADLINE_S = 30.0


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[h.KafkaliteBroker]:
    if h.external_bootstrap():
        pytest.skip("the test broker's share group timers are lowered; an external broker's are not")
    root = tmp_path_factory.mktemp("kafkalite-kip932")
    b = h.KafkaliteBroker(data_dir=root / "data", options={
        "num.partitions": "1",
        "offsets.topic.num.partitions": "1",
        "share.coordinator.state.topic.num.partitions": "1",
        "group.share.heartbeat.interval.ms": "500",
        "group.share.session.timeout.ms": "6000",
        "group.share.record.lock.duration.ms": "15000",
        "group.share.delivery.count.limit": str(DELIVERY_LIMIT),
    })
    b.start()
    try:
        assert b.supports(API_SHARE_GROUP_HEARTBEAT)
        yield b
    finally:
        b.stop()


@pytest.fixture(scope="module")
def admin(broker: h.KafkaliteBroker) -> AdminClient:
    return AdminClient({"bootstrap.servers": broker.bootstrap})


def new_topic(admin: AdminClient, partitions: int = 1) -> str:
    name = f"share-{uuid.uuid4().hex[:8]}"
    admin.create_topics([NewTopic(name, partitions, 1)])[name].result(timeout=20)
    return name


def new_group(admin: AdminClient, *, lock_ms: int | None = None) -> str:
    group = f"sg-{uuid.uuid4().hex[:8]}"
    entries = [ConfigEntry("share.auto.offset.reset", "earliest",
                           incremental_operation=AlterConfigOpType.SET)]
    if lock_ms is not None:
        entries.append(ConfigEntry("share.record.lock.duration.ms", str(lock_ms),
                                   incremental_operation=AlterConfigOpType.SET))
    resource = ConfigResource(ResourceType.GROUP, group, incremental_configs=entries)
    for future in admin.incremental_alter_configs([resource]).values():
        future.result(timeout=20)
    return group


def produce(bootstrap: str, topic: str, count: int, *, first: int = 0, per_batch: int = 10) -> None:
    producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 0,
                         "batch.num.messages": per_batch})
    for i in range(first, first + count):
        producer.produce(topic, value=b"v%d" % i, partition=0)
        if (i + 1) % per_batch == 0:
            producer.poll(0)
    assert producer.flush(20) == 0


def share_consumer(bootstrap: str, group: str, topic: str, **conf: Any) -> ShareConsumer:
    consumer = ShareConsumer({"bootstrap.servers": bootstrap, "group.id": group, **conf})
    consumer.subscribe([topic])
    return consumer


Record = tuple[int, bytes, int]  # offset, value, delivery count


def poll_until(
    consumers: list[ShareConsumer], done: Callable[[list[list[Record]]], bool],
    *, timeout: float = 0.3, on_batch: Callable[[int, list[Any]], None] | None = None,
    seconds: float = DEADLINE_S,
) -> list[list[Record]]:
    """Poll each consumer in turn until ``done(records per consumer)`` or ``seconds``."""
    seen: list[list[Record]] = [[] for _ in consumers]
    deadline = time.monotonic() + seconds
    for _ in range(1000):
        if done(seen) or time.monotonic() > deadline:
            break
        for index, consumer in enumerate(consumers):
            batch = [m for m in consumer.poll(timeout) if m.error() is None]
            seen[index] += [(m.offset(), m.value(), m.delivery_count()) for m in batch]
            if on_batch is not None and batch:
                on_batch(index, batch)
    return seen


def offsets(records: list[Record]) -> list[int]:
    return sorted(offset for offset, _, _ in records)


def test_consumers_sharing_one_partition_each_get_distinct_records(
    broker: h.KafkaliteBroker, admin: AdminClient
) -> None:
    topic, group = new_topic(admin), new_group(admin)
    produce(broker.bootstrap, topic, 300)
    consumers = [share_consumer(broker.bootstrap, group, topic, **{"max.poll.records": 20})
                 for _ in range(3)]
    try:
        seen = poll_until(consumers, lambda s: sum(len(r) for r in s) >= 300)
    finally:
        for consumer in consumers:
            consumer.close()
    everything = [record for records in seen for record in records]
    assert offsets(everything) == list(range(300)), "each record once, none lost"
    assert all(value == b"v%d" % offset and count == 1 for offset, value, count in everything)
    assert sum(1 for records in seen if records) >= 2, "the partition is shared"


def test_accept_release_and_reject(broker: h.KafkaliteBroker, admin: AdminClient) -> None:
    topic, group = new_topic(admin), new_group(admin)
    produce(broker.bootstrap, topic, 9, per_batch=9)
    explicit = {"share.acknowledgement.mode": "explicit"}
    first = share_consumer(broker.bootstrap, group, topic, **explicit)
    try:
        kinds = {0: AcknowledgeType.ACCEPT, 1: AcknowledgeType.RELEASE, 2: AcknowledgeType.REJECT}

        def ack(_: int, batch: list[Any]) -> None:
            for message in batch:
                first.acknowledge(message, kinds.get(message.offset() % 3, AcknowledgeType.ACCEPT))
            first.commit_sync(20)

        seen = poll_until([first], lambda s: len(s[0]) >= 9, on_batch=ack)
        assert offsets(seen[0]) == list(range(9))
        # Released records come back with a second delivery; accepted and rejected never.
        kinds.clear()  # from now on every record is accepted
        again = poll_until([first], lambda s: len(s[0]) >= 3, on_batch=ack)
        assert sorted((o, c) for o, _, c in again[0]) == [(1, 2), (4, 2), (7, 2)]
        more = poll_until([first], lambda s: False, timeout=1.0, on_batch=ack, seconds=2.0)
    finally:
        first.close()
    assert more == [[]]


def test_records_of_a_closed_consumer_are_redelivered_at_once(
    broker: h.KafkaliteBroker, admin: AdminClient
) -> None:
    topic, group = new_topic(admin), new_group(admin)
    produce(broker.bootstrap, topic, 5, per_batch=5)
    holder = share_consumer(broker.bootstrap, group, topic, **{"share.acknowledgement.mode": "explicit"})
    taken = poll_until([holder], lambda s: len(s[0]) >= 5)
    assert offsets(taken[0]) == list(range(5))
    holder.close()  # nothing acknowledged: the share session's records are released
    other = share_consumer(broker.bootstrap, group, topic)
    try:
        redelivered = poll_until([other], lambda s: len(s[0]) >= 5)
    finally:
        other.close()
    assert sorted((o, c) for o, _, c in redelivered[0]) == [(o, 2) for o in range(5)]


CHILD = r"""
import sys
from confluent_kafka import ShareConsumer
bootstrap, group, topic, wanted = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
consumer = ShareConsumer({"bootstrap.servers": bootstrap, "group.id": group,
                          "share.acknowledgement.mode": "explicit"})
consumer.subscribe([topic])
got = set()
for _ in range(200):
    got |= {m.offset() for m in consumer.poll(0.3) if m.error() is None}
    if len(got) >= wanted:
        break
print(" ".join(str(o) for o in sorted(got)), flush=True)
sys.stdin.read()  # hold the records, unacknowledged, until killed
"""


def test_records_of_a_killed_consumer_are_redelivered_after_the_lock_expires(
    broker: h.KafkaliteBroker, admin: AdminClient
) -> None:
    topic, group = new_topic(admin), new_group(admin, lock_ms=SHORT_LOCK_MS)
    produce(broker.bootstrap, topic, 4, per_batch=4)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, broker.bootstrap, group, topic, "4"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )
    try:
        line = _read_line(child, DEADLINE_S)
        assert line.split() == ["0", "1", "2", "3"]
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
        other = share_consumer(broker.bootstrap, group, topic)
        try:
            redelivered = poll_until([other], lambda s: len(s[0]) >= 4)
        finally:
            other.close()
        assert sorted((o, c) for o, _, c in redelivered[0]) == [(o, 2) for o in range(4)]
    finally:
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=10)


def _read_line(proc: subprocess.Popen[bytes], timeout: float) -> str:
    assert proc.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            raise AssertionError("the child consumer printed nothing")
    return proc.stdout.readline().decode()


def test_the_delivery_count_limit_archives_a_poison_record(
    broker: h.KafkaliteBroker, admin: AdminClient
) -> None:
    topic, group = new_topic(admin), new_group(admin)
    produce(broker.bootstrap, topic, 1)
    consumer = share_consumer(broker.bootstrap, group, topic, **{"share.acknowledgement.mode": "explicit"})
    deliveries: list[int] = []

    def release(_: int, batch: list[Any]) -> None:
        for message in batch:
            deliveries.append(message.delivery_count())
            consumer.acknowledge(message, AcknowledgeType.RELEASE)
        consumer.commit_sync(20)

    try:
        poll_until([consumer], lambda s: len(s[0]) >= DELIVERY_LIMIT, on_batch=release)
        assert deliveries == list(range(1, DELIVERY_LIMIT + 1))
        produce(broker.bootstrap, topic, 1, first=1)
        # The poison record is archived: only the new one arrives.
        after = poll_until([consumer], lambda s: len(s[0]) >= 1)
        consumer.acknowledge_offset(topic, 0, 1, AcknowledgeType.ACCEPT)
        consumer.commit_sync(20)
    finally:
        consumer.close()
    assert [(o, v, c) for o, v, c in after[0]] == [(1, b"v1", 1)]


def test_a_broker_restart_redelivers_nothing_acknowledged(
    broker: h.KafkaliteBroker, admin: AdminClient
) -> None:
    topic, group = new_topic(admin), new_group(admin)
    produce(broker.bootstrap, topic, 10, per_batch=10)
    consumer = share_consumer(broker.bootstrap, group, topic, **{"share.acknowledgement.mode": "explicit"})

    def accept_first_half(_: int, batch: list[Any]) -> None:
        for message in batch:
            if message.offset() < 5:
                consumer.acknowledge(message, AcknowledgeType.ACCEPT)
            else:
                consumer.acknowledge(message, AcknowledgeType.RELEASE)
        consumer.commit_sync(20)

    try:
        first = poll_until([consumer], lambda s: len(s[0]) >= 10, on_batch=accept_first_half)
    finally:
        consumer.close()
    assert offsets(first[0]) == list(range(10))
    broker.stop()
    broker.start()
    after = share_consumer(broker.bootstrap, group, topic)
    try:
        again = poll_until([after], lambda s: len(s[0]) >= 5)
        extra = poll_until([after], lambda s: False, timeout=0.5, seconds=1.5)
    finally:
        after.close()
    assert sorted((o, v, c) for o, v, c in again[0]) == [(o, b"v%d" % o, 2) for o in range(5, 10)]
    assert extra == [[]]


def test_offsets_described_reset_and_the_group_listed_and_deleted(broker: h.KafkaliteBroker, admin: AdminClient) -> None:
    """confluent-kafka 2.16.1's AdminClient has no share group offset calls; they go over
    the wire with kafkalite's own client, the group deletion with confluent-kafka's."""
    from kafkalite.client import KafkaClient
    from kafkalite.protocol.messages import ApiKey
    from kafkalite.protocol.messages.alter_share_group_offsets import (
        AlterShareGroupOffsetsRequest,
        AlterShareGroupOffsetsRequestPartition,
        AlterShareGroupOffsetsRequestTopic,
    )
    from kafkalite.protocol.messages.describe_share_group_offsets import (
        DescribeShareGroupOffsetsRequest,
        DescribeShareGroupOffsetsRequestGroup,
    )
    from kafkalite.protocol.messages.list_groups import ListGroupsRequest

    topic, group = new_topic(admin), new_group(admin)
    produce(broker.bootstrap, topic, 10, per_batch=10)
    with KafkaClient(broker.bootstrap) as client:
        connection = client.any_connection()

        def describe() -> list[tuple[int, int]]:
            answer = client.call(connection, ApiKey.DESCRIBE_SHARE_GROUP_OFFSETS, DescribeShareGroupOffsetsRequest(
                groups=[DescribeShareGroupOffsetsRequestGroup(group_id=group, topics=None)]), 1)
            return [(p.start_offset, p.lag) for t in answer.groups[0].topics for p in t.partitions]

        def alter(offset: int) -> int:
            answer = client.call(connection, ApiKey.ALTER_SHARE_GROUP_OFFSETS, AlterShareGroupOffsetsRequest(
                group_id=group, topics=[AlterShareGroupOffsetsRequestTopic(topic_name=topic, partitions=[
                    AlterShareGroupOffsetsRequestPartition(partition_index=0, start_offset=offset)])]), 0)
            return answer.error_code or answer.responses[0].partitions[0].error_code

        consumer = share_consumer(broker.bootstrap, group, topic)
        try:
            read = poll_until([consumer], lambda s: len(s[0]) >= 10)
            assert offsets(read[0]) == list(range(10))
            assert alter(3) == NON_EMPTY_GROUP
            consumer.commit_sync(20)  # accepts what the last poll returned (close would release it)
        finally:
            consumer.close()
        assert describe() == [(10, 0)]
        assert alter(3) == 0
        assert describe() == [(3, 7)]
        again = share_consumer(broker.bootstrap, group, topic)
        try:
            reread = poll_until([again], lambda s: len(s[0]) >= 7)
        finally:
            again.close()
        assert sorted((o, c) for o, _, c in reread[0]) == [(o, 1) for o in range(3, 10)]
        # ListGroups v5 reports its type (confluent-kafka's list_consumer_groups keeps "consumer"
        # groups only).
        listed = client.call(connection, ApiKey.LIST_GROUPS, ListGroupsRequest(types_filter=["share"]), 5)
        assert [(g.group_id, g.group_type, g.group_state) for g in listed.groups
                if g.group_id == group] == [(group, "share", "Empty")]
        admin.delete_consumer_groups([group])[group].result(timeout=20)
        answer = client.call(connection, ApiKey.DESCRIBE_SHARE_GROUP_OFFSETS, DescribeShareGroupOffsetsRequest(
            groups=[DescribeShareGroupOffsetsRequestGroup(group_id=group, topics=None)]), 1)
        assert answer.groups[0].error_code == GROUP_ID_NOT_FOUND
