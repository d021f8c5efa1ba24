"""Consumer groups with confluent-kafka (librdkafka): rebalancing, commits, static
members, the cooperative-sticky assignor, admin.

librdkafka's defaults are kept (range then roundrobin assignors, eager protocol, auto
commit every 5 s and on close and rebalance, isolation.level=read_committed) except
auto.offset.reset=earliest, a 6 s session and 500 ms heartbeats (see
group_helpers.Member). The shared scenarios live in group_helpers.py.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

_GH = "compat_group_helpers"
if _GH not in sys.modules:
    _spec = importlib.util.spec_from_file_location(_GH, Path(__file__).with_name("group_helpers.py"))
    assert _spec is not None and _spec.loader is not None
    _module = importlib.util.module_from_spec(_spec)
    sys.modules[_GH] = _module
    _spec.loader.exec_module(_module)

import compat_group_helpers as gh  # noqa: E402
from confluent_kafka import (  # noqa: E402
    ConsumerGroupState,
    ConsumerGroupTopicPartitions,
    KafkaError,
    KafkaException,
)
from confluent_kafka.admin import AdminClient  # noqa: E402

pytestmark = pytest.mark.compat


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Overrides conftest's: a 6-partition kafkalite for this module (see group_helpers)."""
    yield from gh.module_broker(tmp_path_factory)

TIMEOUT_S = 10.0
RESULT_S = 30.0


def driver(b: Any) -> gh.ConfluentDriver:
    return gh.ConfluentDriver(b.bootstrap, b)


@pytest.mark.timeout(150)
def test_three_members_split_partitions(broker) -> None:
    gh.scenario_three_members_split(driver(broker))


@pytest.mark.timeout(150)
def test_closed_member_partitions_move(broker) -> None:
    gh.scenario_member_leaves(driver(broker), kill=False)


@pytest.mark.timeout(180)
def test_killed_member_partitions_move(broker) -> None:
    gh.scenario_member_leaves(driver(broker), kill=True)


@pytest.mark.timeout(150)
@pytest.mark.parametrize("mode", ["auto", "sync", "async"])
def test_commit_then_resume(broker, mode: str) -> None:
    gh.scenario_commit_resume(driver(broker), mode)


@pytest.mark.timeout(180)
def test_committed_offsets_survive_restart(broker) -> None:
    if broker.external:
        pytest.skip("KAFKALITE_BOOTSTRAP points at an external broker: cannot restart it")
    gh.scenario_commit_survives_restart(driver(broker), broker)


@pytest.mark.timeout(150)
def test_static_member_restart_keeps_assignment(broker) -> None:
    gh.scenario_static_member_restart(driver(broker))


@pytest.mark.timeout(150)
def test_cooperative_sticky_incremental_rebalance(broker) -> None:
    """A second member joins: the first gives up only what moves, in incremental callbacks."""
    d = driver(broker)
    topic = d.create_topic()
    group = gh.unique_group("ck-coop")
    conf = {"partition.assignment.strategy": "cooperative-sticky"}
    everything = set(range(gh.PARTITIONS))
    first = d.produce(topic, gh.batch("first", 300))
    with gh.Crew(d, group, topic) as crew:
        m0 = crew.add("m0", conf)
        crew.wait("m0 to own every partition", lambda: m0.assigned == everything)
        crew.wait_read([m0], first)
        assert [(c.kind, c.partitions, c.incremental) for c in m0.changes] == [
            ("assign", tuple(sorted(everything)), True)
        ], crew.describe()
        m0.call("commit_sync")
        mark = len(m0.changes)

        m1 = crew.add("m1", conf)
        crew.wait_split([m0, m1])
        moved, kept = set(m1.assigned), set(m0.assigned)
        since = m0.changes_since(mark)
        assert all(c.incremental for c in since + m1.changes), crew.describe()
        assert {p for c in since if c.kind == "revoke" for p in c.partitions} == moved, crew.describe()
        assert not [c for c in since if c.kind == "lost"], crew.describe()
        # m0 never gave up, nor was given again, a partition it kept
        assert not {p for c in since for p in c.partitions} & kept, crew.describe()
        assert {p for c in m1.changes if c.kind == "assign" for p in c.partitions} == moved
        # what the callbacks said is what librdkafka holds
        assert set(m0.call("assignment")) == kept and set(m1.call("assignment")) == moved

        reads_at = gh.read_marks([m0, m1])
        second = d.produce(topic, gh.batch("second", 300))
        crew.wait_read([m0, m1], second)
        gh.check_owners([m0, m1], second, reads_at)
        gh.check_exact(gh.all_reads([m0, m1]), first + second, "records read by the group")


def _error_code(exc: BaseException) -> Any:
    assert isinstance(exc, KafkaException), repr(exc)
    return exc.args[0].code()


@pytest.mark.timeout(150)
def test_admin_list_describe_offsets_delete(broker) -> None:
    d = driver(broker)
    topic = d.create_topic()
    group = gh.unique_group("ck-admin")
    first = d.produce(topic, gh.batch("first", 60))
    ends = gh.per_partition(first)
    admin = AdminClient({"bootstrap.servers": broker.bootstrap})

    def listed() -> dict[str, Any]:
        result = admin.list_consumer_groups(request_timeout=TIMEOUT_S).result(RESULT_S)
        assert not result.errors, result.errors
        return {g.group_id: g for g in result.valid}

    def describe() -> Any:
        return admin.describe_consumer_groups([group], request_timeout=TIMEOUT_S)[group].result(RESULT_S)

    def offsets() -> dict[tuple[str, int], int]:
        fut = admin.list_consumer_group_offsets(
            [ConsumerGroupTopicPartitions(group)], request_timeout=TIMEOUT_S,
        )[group]
        return {(tp.topic, tp.partition): tp.offset for tp in fut.result(RESULT_S).topic_partitions}

    def delete() -> None:
        admin.delete_consumer_groups([group], request_timeout=TIMEOUT_S)[group].result(RESULT_S)

    with gh.Crew(d, group, topic) as crew:
        members = [crew.add("m0"), crew.add("m1")]
        crew.wait_split(members)
        crew.wait_read(members, first)
        for m in members:
            m.call("commit_sync")

        listing = listed().get(group)
        assert listing is not None, f"{group} not listed"
        assert listing.state == ConsumerGroupState.STABLE, listing.state
        assert listing.is_simple_consumer_group is False

        desc = describe()
        assert desc.state == ConsumerGroupState.STABLE, desc.state
        assert desc.partition_assignor in ("range", "roundrobin"), desc.partition_assignor
        assert desc.is_simple_consumer_group is False
        described = {
            m.client_id: {tp.partition for tp in m.assignment.topic_partitions if tp.topic == topic}
            for m in desc.members
        }
        assert described == {m.name: set(m.assigned) for m in members}, described

        assert offsets() == {(topic, p): n for p, n in ends.items()}

        with pytest.raises(KafkaException) as failure:
            delete()
        assert _error_code(failure.value) == KafkaError.NON_EMPTY_GROUP, failure.value
        assert describe().state == ConsumerGroupState.STABLE

    # every member left: the group is Empty but keeps its offsets
    desc = describe()
    assert (desc.state, desc.members) == (ConsumerGroupState.EMPTY, []), desc
    assert listed()[group].state == ConsumerGroupState.EMPTY
    assert offsets() == {(topic, p): n for p, n in ends.items()}

    delete()
    assert group not in listed()
    assert offsets() == {}
    try:
        state = describe().state
    except KafkaException as exc:  # DescribeGroups v6+: GROUP_ID_NOT_FOUND
        assert _error_code(exc) == KafkaError.GROUP_ID_NOT_FOUND, exc
    else:
        assert state == ConsumerGroupState.DEAD, state
