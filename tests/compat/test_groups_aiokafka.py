"""Consumer groups with aiokafka 0.14: rebalancing, commits, static members, admin.

aiokafka's defaults are kept (roundrobin assignor, auto commit every 5 s and on stop and
rebalance; JoinGroup v5 at most, so group_instance_id works) except
auto_offset_reset=earliest, a 6 s session and 500 ms heartbeats (see
group_helpers.Member). Each member runs its own event loop on its own thread. The
scenarios live in group_helpers.py; this module runs them with aiokafka and checks
AIOKafkaAdminClient, which has list/describe groups and list offsets but no delete: the
delete check sends aiokafka's own DeleteGroupsRequest through the admin client's
connection.
"""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

_GH = "compat_group_helpers"
if _GH not in sys.modules:
    _spec = importlib.util.spec_from_file_location(_GH, Path(__file__).with_name("group_helpers.py"))
    assert _spec is not None and _spec.loader is not None
    _module = importlib.util.module_from_spec(_spec)
    sys.modules[_GH] = _module
    _spec.loader.exec_module(_module)

import compat_group_helpers as gh  # noqa: E402
from aiokafka.admin import AIOKafkaAdminClient  # noqa: E402
from aiokafka.coordinator.protocol import ConsumerProtocolMemberAssignment  # noqa: E402
from aiokafka.protocol.admin import DeleteGroupsRequest  # noqa: E402
from aiokafka.structs import TopicPartition  # noqa: E402

pytestmark = pytest.mark.compat


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Overrides conftest's: a 6-partition kafkalite for this module (see group_helpers)."""
    yield from gh.module_broker(tmp_path_factory)

NON_EMPTY_GROUP = 68
GROUP_ID_NOT_FOUND = 69

T = TypeVar("T")


def driver(b: Any) -> gh.AiokafkaDriver:
    return gh.AiokafkaDriver(b.bootstrap, b)


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


def with_admin(bootstrap: str, fn: Callable[[AIOKafkaAdminClient], Awaitable[T]]) -> T:
    async def run() -> T:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
        await admin.start()
        try:
            return await asyncio.wait_for(fn(admin), timeout=30)
        finally:
            await admin.close()

    return asyncio.run(run())


async def _describe(admin: AIOKafkaAdminClient, group: str) -> dict[str, Any]:
    (response,) = await admin.describe_consumer_groups([group])
    (described,) = response.to_object()["groups"]
    return described  # type: ignore[no-any-return]


async def _delete(admin: AIOKafkaAdminClient, group: str) -> int:
    coordinator = await admin.find_coordinator(group)
    response = await admin._client.send(coordinator, DeleteGroupsRequest([group]))
    ((name, error_code),) = response.results
    assert name == group
    return int(error_code)


def _assigned(member: dict[str, Any], topic: str) -> set[int]:
    assignment = ConsumerProtocolMemberAssignment.decode(member["member_assignment"])
    return {tp.partition for tp in assignment.partitions() if tp.topic == topic}


@pytest.mark.timeout(150)
def test_admin_list_describe_offsets_delete(broker) -> None:
    d = driver(broker)
    boot = broker.bootstrap
    topic = d.create_topic()
    group = gh.unique_group("aio-admin")
    first = d.produce(topic, gh.batch("first", 60))
    ends = gh.per_partition(first)
    with gh.Crew(d, group, topic) as crew:
        members = [crew.add("m0"), crew.add("m1")]
        crew.wait_split(members)
        crew.wait_read(members, first)
        for m in members:
            m.call("commit_sync")

        listed = dict(with_admin(boot, lambda a: a.list_consumer_groups()))
        assert listed.get(group) == "consumer", f"{group} not listed as a consumer group: {listed}"

        desc = with_admin(boot, lambda a: _describe(a, group))
        assert desc["error_code"] == 0, desc
        assert (desc["state"], desc["protocol_type"], desc["protocol"]) == (
            "Stable", "consumer", "roundrobin"
        ), desc
        described = {m["client_id"]: _assigned(m, topic) for m in desc["members"]}
        assert described == {m.name: set(m.assigned) for m in members}, desc

        offsets = with_admin(boot, lambda a: a.list_consumer_group_offsets(group))
        assert {tp: om.offset for tp, om in offsets.items()} == {
            TopicPartition(topic, p): n for p, n in ends.items()
        }

        assert with_admin(boot, lambda a: _delete(a, group)) == NON_EMPTY_GROUP
        assert with_admin(boot, lambda a: _describe(a, group))["state"] == "Stable"

    # every member left: the group is Empty but keeps its offsets
    desc = with_admin(boot, lambda a: _describe(a, group))
    assert (desc["state"], desc["members"]) == ("Empty", []), desc
    assert d.committed(group, topic) == ends

    assert with_admin(boot, lambda a: _delete(a, group)) == 0
    assert group not in dict(with_admin(boot, lambda a: a.list_consumer_groups()))
    assert with_admin(boot, lambda a: a.list_consumer_group_offsets(group)) == {}
    desc = with_admin(boot, lambda a: _describe(a, group))
    # DescribeGroups before v6 answers an unknown group with no error and state Dead
    assert (desc["error_code"], desc["state"]) in ((0, "Dead"), (GROUP_ID_NOT_FOUND, "Dead")), desc
