"""confluent-kafka consumers with ``group.protocol=consumer``: the KIP-848 consumer group
protocol (ConsumerGroupHeartbeat), the scenarios test_groups.py runs for the classic one,
and the online migration of a running classic group to it and back.

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


def test_cooperative_reassignment_moves_only_what_changes_owner(driver: gh.Driver) -> None:
    """A second member joins: the first gives up only the partitions that move, in
    incremental callbacks, and keeps reading the others; each record is read once."""
    topic = driver.create_topic()
    group = gh.unique_group("kip848-coop")
    everything = set(range(gh.PARTITIONS))
    first = driver.produce(topic, gh.batch("first", 120))
    with gh.Crew(driver, group, topic) as crew:
        m0 = crew.add("m0")
        crew.wait("m0 to own every partition", lambda: m0.assigned == everything)
        crew.wait_read([m0], first)
        m0.call("commit_sync")
        mark = len(m0.changes)
        m1 = crew.add("m1")
        crew.wait_split([m0, m1])
        moved, kept = set(m1.assigned), set(m0.assigned)
        since = m0.changes_since(mark)
        assert all(c.incremental for c in since + m1.changes), crew.describe()
        assert {p for c in since if c.kind == "revoke" for p in c.partitions} == moved, crew.describe()
        assert not {p for c in since for p in c.partitions} & kept, crew.describe()
        reads_at = gh.read_marks([m0, m1])
        second = driver.produce(topic, gh.batch("second", 120))
        crew.wait_read([m0, m1], second)
        gh.check_owners([m0, m1], second, reads_at)
        gh.check_exact(gh.all_reads([m0, m1]), first + second, "records read by the group")


def _group_type(admin: Any, group: str) -> Any:
    listed = admin.list_consumer_groups(request_timeout=10).result(30)
    [mine] = [g for g in listed.valid if g.group_id == group]
    return mine.type


def test_online_upgrade_and_downgrade_of_a_running_group(broker: Any) -> None:
    """A classic group (group.protocol=classic, eager range assignor) is upgraded when a
    member of the consumer protocol joins: the classic members stay and share the
    partitions with it; when it leaves, the group is classic again and a classic member
    can join. With a commit before each change, every record is read exactly once."""
    import confluent_kafka as ck
    from confluent_kafka.admin import AdminClient

    classic = gh.ConfluentDriver(broker.bootstrap, broker)
    admin = AdminClient({"bootstrap.servers": broker.bootstrap})
    topic = classic.create_topic()
    group = gh.unique_group("kip848-migration")
    sent = classic.produce(topic, gh.batch("classic", 120))
    with gh.Crew(classic, group, topic) as crew:
        c0, c1 = crew.add("c0"), crew.add("c1")
        crew.wait_split([c0, c1])
        crew.wait_read([c0, c1], sent)
        assert _group_type(admin, group) == ck.ConsumerGroupType.CLASSIC
        for m in (c0, c1):
            m.call("commit_sync")

        # Upgrade: a member of the consumer protocol joins the running group.
        k0 = crew.add("k0", CONSUMER_PROTOCOL)
        crew.wait_split([c0, c1, k0])
        assert _group_type(admin, group) == ck.ConsumerGroupType.CONSUMER
        reads_at = gh.read_marks([c0, c1, k0])
        mixed = classic.produce(topic, gh.batch("mixed", 120))
        crew.wait_read([c0, c1, k0], mixed)
        gh.check_owners([c0, c1, k0], mixed, reads_at)
        sent += mixed
        for m in (c0, c1, k0):
            m.call("commit_sync")

        # Downgrade: the consumer-protocol member leaves; the classic pair takes over.
        k0.close()
        crew.wait_split([c0, c1])
        crew.wait("the group to be classic again",
                  lambda: _group_type(admin, group) == ck.ConsumerGroupType.CLASSIC)
        reads_at = gh.read_marks([c0, c1])
        back = classic.produce(topic, gh.batch("back", 120))
        crew.wait_read([c0, c1], back)
        gh.check_owners([c0, c1], back, reads_at)
        sent += back
        for m in (c0, c1):
            m.call("commit_sync")

        # A classic member joins the classic group again.
        c2 = crew.add("c2")
        crew.wait_split([c0, c1, c2])
        reads_at = gh.read_marks([c0, c1, c2])
        last = classic.produce(topic, gh.batch("last", 120))
        crew.wait_read([c0, c1, c2], last)
        gh.check_owners([c0, c1, c2], last, reads_at)
        sent += last
        assert _group_type(admin, group) == ck.ConsumerGroupType.CLASSIC
        gh.check_exact(gh.all_reads([c0, c1, k0, c2]), sent, "records read across the migrations")


def test_online_upgrade_keeps_cooperative_classic_members_reading(broker: Any) -> None:
    """Classic members with the cooperative-sticky assignor give up, when the group is
    upgraded, only the partitions that move to the new member, in incremental callbacks,
    and lose none; every record is read once."""
    classic = gh.ConfluentDriver(broker.bootstrap, broker)
    coop = {"partition.assignment.strategy": "cooperative-sticky"}
    topic = classic.create_topic()
    group = gh.unique_group("kip848-migration-coop")
    sent = classic.produce(topic, gh.batch("classic", 120))
    with gh.Crew(classic, group, topic) as crew:
        c0, c1 = crew.add("c0", coop), crew.add("c1", coop)
        crew.wait_split([c0, c1])
        crew.wait_read([c0, c1], sent)
        for m in (c0, c1):
            m.call("commit_sync")
        before = {m.name: set(m.assigned) for m in (c0, c1)}
        marks = gh.change_marks([c0, c1])
        k0 = crew.add("k0", CONSUMER_PROTOCOL)
        crew.wait_split([c0, c1, k0])
        for m in (c0, c1):
            since = m.changes_since(marks[m.name])
            assert all(c.incremental and c.kind != "lost" for c in since), crew.describe()
            revoked = {p for c in since if c.kind == "revoke" for p in c.partitions}
            assert revoked == before[m.name] - set(m.assigned), crew.describe()
        reads_at = gh.read_marks([c0, c1, k0])
        mixed = classic.produce(topic, gh.batch("mixed", 120))
        crew.wait_read([c0, c1, k0], mixed)
        gh.check_owners([c0, c1, k0], mixed, reads_at)
        gh.check_exact(gh.all_reads([c0, c1, k0]), sent + mixed, "records read across the upgrade")


@pytest.mark.parametrize("classic_driver", [gh.KafkaPythonDriver, gh.AiokafkaDriver], ids=lambda d: d.client)
def test_online_migration_with_classic_members_of_other_clients(broker: Any, classic_driver: type[gh.Driver]) -> None:
    """kafka-python's and aiokafka's classic members stay in the group a confluent-kafka
    member of the consumer protocol upgrades, and have it back when that member leaves."""
    import confluent_kafka as ck
    from confluent_kafka.admin import AdminClient

    classic = classic_driver(broker.bootstrap, broker)
    modern = gh.ConfluentDriver(broker.bootstrap, broker)
    admin = AdminClient({"bootstrap.servers": broker.bootstrap})
    topic = classic.create_topic()
    group = gh.unique_group(f"kip848-migration-{classic.client}")
    sent = classic.produce(topic, gh.batch("classic", 60))
    with gh.Crew(classic, group, topic) as crew, gh.Crew(modern, group, topic) as modern_crew:
        c0, c1 = crew.add("c0"), crew.add("c1")
        crew.wait_split([c0, c1])
        crew.wait_read([c0, c1], sent)
        for m in (c0, c1):
            m.call("commit_sync")
        k0 = modern_crew.add("k0", CONSUMER_PROTOCOL)
        crew.wait_split([c0, c1, k0])
        assert _group_type(admin, group) == ck.ConsumerGroupType.CONSUMER
        mixed = classic.produce(topic, gh.batch("mixed", 60))
        crew.wait_read([c0, c1, k0], mixed)
        sent += mixed
        for m in (c0, c1, k0):
            m.call("commit_sync")
        k0.close()
        crew.wait_split([c0, c1])
        crew.wait("the group to be classic again",
                  lambda: _group_type(admin, group) == ck.ConsumerGroupType.CLASSIC)
        back = classic.produce(topic, gh.batch("back", 60))
        crew.wait_read([c0, c1], back)
        sent += back
        gh.check_exact(gh.all_reads([c0, c1, k0]), sent, "records read across the migrations")
