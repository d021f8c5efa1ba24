"""Consumer groups with kafka-python 3.x: rebalancing, commits, static members, admin.

kafka-python's defaults are kept (range then roundrobin assignors, auto commit every 5 s
and on close and rebalance) except auto_offset_reset=earliest, a 6 s session and 500 ms
heartbeats (see group_helpers.Member). The scenarios themselves live in group_helpers.py;
this module runs them with kafka-python and checks kafka-python's admin client.
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
from kafka import TopicPartition  # noqa: E402
from kafka.admin import KafkaAdminClient  # noqa: E402

pytestmark = pytest.mark.compat


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Overrides conftest's: a 6-partition kafkalite for this module (see group_helpers)."""
    yield from gh.module_broker(tmp_path_factory)


def driver(b: Any) -> gh.KafkaPythonDriver:
    return gh.KafkaPythonDriver(b.bootstrap, b)


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


def _assigned(member: dict[str, Any], topic: str) -> set[int]:
    """Partitions of ``topic`` in a described member's (decoded) assignment."""
    assignment = member["member_assignment"]
    if isinstance(assignment, dict):
        entries = [(e["topic"], e["partitions"]) for e in assignment["assigned_partitions"]]
    else:
        entries = [(e.topic, e.partitions) for e in assignment.assigned_partitions]
    return {p for t, parts in entries if t == topic for p in parts}


@pytest.mark.timeout(150)
def test_admin_list_describe_offsets_delete(broker) -> None:
    d = driver(broker)
    topic = d.create_topic()
    group = gh.unique_group("kp-admin")
    first = d.produce(topic, gh.batch("first", 60))
    ends = gh.per_partition(first)
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
    try:
        with gh.Crew(d, group, topic) as crew:
            members = [crew.add("m0"), crew.add("m1")]
            crew.wait_split(members)
            crew.wait_read(members, first)
            for m in members:
                m.call("commit_sync")

            listed = {g["group_id"]: g for g in admin.list_groups()}
            assert group in listed, f"{group} not in {sorted(listed)}"
            assert listed[group]["protocol_type"] == "consumer"

            desc = admin.describe_groups([group])[group]
            assert desc["error"] is None, desc
            assert desc["group_state"] == "Stable", desc
            assert desc["protocol_type"] == "consumer", desc
            assert desc["protocol_data"] in ("range", "roundrobin"), desc
            described = {m["client_id"]: _assigned(m, topic) for m in desc["members"]}
            assert described == {m.name: set(m.assigned) for m in members}, desc

            offsets = admin.list_group_offsets(group)[group]
            assert {tp: om.offset for tp, om in offsets.items()} == {
                TopicPartition(topic, p): n for p, n in ends.items()
            }

            assert admin.delete_groups([group]) == {group: "NonEmptyGroupError"}
            assert admin.describe_groups([group])[group]["group_state"] == "Stable"

        # every member left: the group is Empty but keeps its offsets
        desc = admin.describe_groups([group])[group]
        assert (desc["group_state"], desc["members"]) == ("Empty", []), desc
        assert d.committed(group, topic) == ends

        assert admin.delete_groups([group]) == {group: "OK"}
        assert group not in {g["group_id"] for g in admin.list_groups()}
        assert admin.list_group_offsets(group)[group] == {}
        assert admin.describe_groups([group])[group]["group_state"] == "Dead"
    finally:
        admin.close()
