"""confluent-kafka consumers with ``group.protocol=consumer``: the KIP-848 consumer group
protocol (ConsumerGroupHeartbeat), the scenarios test_groups.py runs for the classic one.

One broker for the module, with the coordinator's timers lowered: members heartbeat every
500 ms and a silent member is dropped after 6 s (``group.consumer.*``), so a killed
member's partitions move within seconds.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

import compat_group_helpers as gh
import compat_helpers as h

pytestmark = pytest.mark.compat

CONSUMER_PROTOCOL = {"group.protocol": "consumer"}
API_CONSUMER_GROUP_HEARTBEAT = 68


class ConsumerProtocolDriver(gh.ConfluentDriver):
    def member(self, name: str, group: str, topic: str, conf: dict[str, Any] | None = None) -> gh.Member:
        return super().member(name, group, topic, {**CONSUMER_PROTOCOL, **(conf or {})})

    def process_member(self, name: str, group: str, topic: str, conf: dict[str, Any] | None = None) -> gh.ProcessMember:
        return super().process_member(name, group, topic, {**CONSUMER_PROTOCOL, **(conf or {})})

    def static_conf(self, instance_id: str) -> dict[str, Any]:
        return {"group.instance.id": instance_id}  # the session is the coordinator's


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if h.external_bootstrap():
        pytest.skip("the test broker's consumer group timers are lowered; an external broker's are not")
    root = tmp_path_factory.mktemp("kafkalite-kip848")
    b = h.KafkaliteBroker(data_dir=root / "data", options={
        "num.partitions": str(gh.PARTITIONS),
        "group.consumer.heartbeat.interval.ms": "500",
        "group.consumer.session.timeout.ms": str(gh.SESSION_TIMEOUT_MS),
    })
    b.start()
    try:
        assert b.supports(API_CONSUMER_GROUP_HEARTBEAT)
        yield b
    finally:
        b.stop()


@pytest.fixture
def driver(broker: Any) -> gh.Driver:
    return ConsumerProtocolDriver(broker.bootstrap, broker)


def test_three_members_split_partitions(driver: gh.Driver) -> None:
    gh.scenario_three_members_split(driver)


def test_killed_member_partitions_move(driver: gh.Driver) -> None:
    gh.scenario_member_leaves(driver, kill=True)


def test_closed_member_partitions_move(driver: gh.Driver) -> None:
    gh.scenario_member_leaves(driver, kill=False)


def test_commit_then_resume(driver: gh.Driver) -> None:
    gh.scenario_commit_resume(driver, "sync")


def test_members_keep_their_partitions_across_a_restart(broker: Any, driver: gh.Driver) -> None:
    """The group's records in __consumer_offsets bring members, epochs and assignments back:
    after a broker restart the members heartbeat on with their epochs and nobody is
    rebalanced; committed offsets are where they were."""
    topic = driver.create_topic()
    group = gh.unique_group(driver.client)
    first = driver.produce(topic, gh.batch("first", 120))
    with gh.Crew(driver, group, topic) as crew:
        members = [crew.add("m0"), crew.add("m1")]
        crew.wait_split(members)
        crew.wait_read(members, first)
        assigned = {m.name: m.assigned for m in members}
        changes_at = gh.change_marks(members)
        broker.restart()
        reads_at = gh.read_marks(members)
        second = driver.produce(topic, gh.batch("second", 120))
        crew.wait_read(members, second)
        gh.check_owners(members, second, reads_at)
        for m in members:
            assert m.changes_since(changes_at[m.name]) == [], crew.describe()
            assert m.assigned == assigned[m.name]
        gh.check_exact(gh.all_reads(members), first + second, "records read by the group")


def test_static_member_restart_keeps_assignment(driver: gh.Driver) -> None:
    gh.scenario_static_member_restart(driver)


def _consume_until(consumer: Any, wanted: set[tuple[str, int, bytes]], seconds: float = 30.0) -> set[tuple[str, int, bytes]]:
    got: set[tuple[str, int, bytes]] = set()
    deadline = time.monotonic() + seconds
    while not wanted <= got and time.monotonic() < deadline:
        for msg in consumer.consume(num_messages=100, timeout=0.2):
            if msg.error() is None:
                got.add((msg.topic(), msg.partition(), msg.value()))
    return got


def test_regex_subscription_new_topics_and_partitions(broker: Any) -> None:
    """A pattern subscription picks up a topic created later and partitions added while
    consuming; ListGroups and ConsumerGroupDescribe report a consumer group."""
    import confluent_kafka as ck
    from confluent_kafka.admin import AdminClient, NewPartitions, NewTopic

    prefix = f"kip848-{uuid.uuid4().hex[:8]}"
    group = gh.unique_group("regex")
    admin = AdminClient({"bootstrap.servers": broker.bootstrap})
    for future in admin.create_topics([NewTopic(f"{prefix}-a", 2, 1)]).values():
        future.result(30)

    def produce(topic: str, partition: int, value: bytes) -> tuple[str, int, bytes]:
        # a new producer each time: it knows of the partitions added meanwhile
        producer = ck.Producer({"bootstrap.servers": broker.bootstrap})
        producer.produce(topic, value=value, partition=partition)
        assert producer.flush(30) == 0
        return topic, partition, value

    consumer = ck.Consumer({
        "bootstrap.servers": broker.bootstrap, "group.id": group, "group.protocol": "consumer",
        "auto.offset.reset": "earliest", "topic.metadata.refresh.interval.ms": 1000,
    })
    try:
        consumer.subscribe([f"^{prefix}-.*"])
        first = {produce(f"{prefix}-a", p, f"a{p}".encode()) for p in range(2)}
        assert _consume_until(consumer, first) >= first

        for future in admin.create_topics([NewTopic(f"{prefix}-b", 1, 1)]).values():
            future.result(30)
        for future in admin.create_partitions([NewPartitions(f"{prefix}-a", 3)]).values():
            future.result(30)
        later = {produce(f"{prefix}-b", 0, b"b0"), produce(f"{prefix}-a", 2, b"a2")}
        assert _consume_until(consumer, later) >= later
        assert {(tp.topic, tp.partition) for tp in consumer.assignment()} == {
            (f"{prefix}-a", 0), (f"{prefix}-a", 1), (f"{prefix}-a", 2), (f"{prefix}-b", 0)
        }

        listed = admin.list_consumer_groups(request_timeout=10).result(30)
        mine = [g for g in listed.valid if g.group_id == group]
        assert len(mine) == 1 and mine[0].type == ck.ConsumerGroupType.CONSUMER, mine
        described = admin.describe_consumer_groups([group], request_timeout=10)[group].result(30)
        assert described.type == ck.ConsumerGroupType.CONSUMER
        assert described.state == ck.ConsumerGroupState.STABLE
        assert described.partition_assignor == "uniform"
        [member] = described.members
        assert {(tp.topic, tp.partition) for tp in member.assignment.topic_partitions} == {
            (f"{prefix}-a", 0), (f"{prefix}-a", 1), (f"{prefix}-a", 2), (f"{prefix}-b", 0)
        }
    finally:
        consumer.close()
