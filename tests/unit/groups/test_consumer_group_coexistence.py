"""Consumer groups (KIP-848) next to classic groups in one coordinator: the group id space
is shared, offsets check member epochs, ListGroups reports each group's type, and an empty
group changes type under group.consumer.migration.policy."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import pytest

from kafkalite.groups import (
    CommitEntry,
    GroupConfig,
    GroupCoordinator,
    JoinRequest,
    ManualTimer,
    Protocol,
    TopicPartition,
)
from kafkalite.groups.assignors import TopicMetadata
from kafkalite.groups.consumer_manager import ConsumerHeartbeat
from kafkalite.protocol.errors import ErrorCode
from kafkalite.storage.manager import LogManager

from .conftest import Harness, new_coordinator

FOO = uuid.UUID(int=7)


def make(logs: LogManager, timer: ManualTimer, policy: str = "bidirectional") -> GroupCoordinator:
    coordinator = new_coordinator(
        logs, timer=timer, topics=lambda: {"foo": TopicMetadata(FOO, "foo", 2)},
        config=GroupConfig(group_consumer_migration_policy=policy),
    )
    coordinator.start()
    return coordinator


@pytest.fixture
def coordinator(logs: LogManager, timer: ManualTimer) -> Iterator[GroupCoordinator]:
    coordinator = make(logs, timer)
    yield coordinator
    coordinator.close()


def join(coordinator: GroupCoordinator, group_id: str = "g", member_id: str = "m"):  # type: ignore[no-untyped-def]
    return coordinator.consumer_group_heartbeat(ConsumerHeartbeat(
        group_id=group_id, member_id=member_id, member_epoch=0, rebalance_timeout_ms=1000,
        subscribed_topic_names=["foo"], owned={},
    ))


def commit(coordinator: GroupCoordinator, epoch: int, member_id: str = "m", *, v9: bool = True) -> int:
    results = coordinator.commit_offsets(
        "g", epoch, member_id, None, [CommitEntry("foo", 0, 42)], report_group_id_not_found=v9
    )
    return results[TopicPartition("foo", 0)]


def test_offsets_check_the_member_epoch(coordinator: GroupCoordinator) -> None:
    answer = join(coordinator)
    assert answer.error_code == 0 and answer.assignment == {FOO: frozenset({0, 1})}
    assert commit(coordinator, answer.member_epoch) == 0
    assert commit(coordinator, answer.member_epoch + 1) == ErrorCode.STALE_MEMBER_EPOCH
    assert commit(coordinator, answer.member_epoch, "other") == ErrorCode.UNKNOWN_MEMBER_ID
    assert commit(coordinator, answer.member_epoch, v9=False) == ErrorCode.UNSUPPORTED_VERSION
    fetched = coordinator.fetch_offsets("g", [TopicPartition("foo", 0)], member_id="m", member_epoch=answer.member_epoch)
    assert fetched.error_code == 0 and fetched.offsets[0].offset == 42
    stale = coordinator.fetch_offsets("g", None, member_id="m", member_epoch=0)
    assert stale.error_code == ErrorCode.STALE_MEMBER_EPOCH
    assert coordinator.fetch_offsets("g", None).error_code == 0  # an admin's fetch


def test_list_groups_reports_types_and_delete_needs_an_empty_group(
    coordinator: GroupCoordinator, timer: ManualTimer
) -> None:
    Harness(timer=timer, manager=coordinator.groups).form_group(1, group_id="classic")
    join(coordinator, "new")
    listed = {(g.group_id, g.group_type, g.protocol_type, g.group_state) for g in coordinator.list_groups()}
    assert listed == {("classic", "classic", "consumer", "Stable"), ("new", "consumer", "consumer", "Stable")}
    assert [g.group_id for g in coordinator.list_groups(types_filter=["Consumer"])] == ["new"]
    assert [g.group_id for g in coordinator.list_groups(states_filter=["empty"])] == []
    assert coordinator.delete_groups(["new"]) == {"new": ErrorCode.NON_EMPTY_GROUP}
    coordinator.consumer_group_heartbeat(ConsumerHeartbeat(group_id="new", member_id="m", member_epoch=-1))
    assert [g.group_state for g in coordinator.list_groups(types_filter=["consumer"])] == ["Empty"]
    assert coordinator.delete_groups(["new"]) == {"new": 0}
    assert coordinator.consumer.get("new") is None


def test_a_group_of_the_other_type_refuses_members_it_cannot_take(
    coordinator: GroupCoordinator, timer: ManualTimer
) -> None:
    # A classic group whose subscriptions are not ConsumerProtocol blobs cannot convert.
    classic = Harness(timer=timer, manager=coordinator.groups)
    classic.form_group(1, group_id="classic")
    answer = join(coordinator, "classic")
    assert answer.error_code == ErrorCode.GROUP_ID_NOT_FOUND
    join(coordinator, "new")

    async def classic_join(protocol_type: str) -> int:
        result = await coordinator.join_group(JoinRequest(
            group_id="new", protocol_type=protocol_type, protocols=[Protocol("range", b"")],
            session_timeout_ms=10_000, rebalance_timeout_ms=10_000, client_id="c", client_host="h",
        ))
        return result.error_code

    # Only members of the "consumer" embedded protocol may join a consumer group.
    assert asyncio.run(classic_join("connect")) == ErrorCode.INCONSISTENT_GROUP_PROTOCOL


def test_an_empty_classic_group_upgrades(coordinator: GroupCoordinator) -> None:
    # A group known only by its offsets (an admin's commit) becomes a consumer group and
    # keeps them.
    assert commit(coordinator, -1, "") == 0
    assert coordinator.groups.get("g") is not None
    assert join(coordinator).error_code == 0
    assert coordinator.groups.get("g") is None and coordinator.consumer.get("g") is not None
    assert coordinator.fetch_offsets("g", [TopicPartition("foo", 0)]).offsets[0].offset == 42


def test_migration_disabled(logs: LogManager, timer: ManualTimer) -> None:
    coordinator = make(logs, timer, policy="disabled")
    try:
        assert commit(coordinator, -1, "") == 0
        assert join(coordinator).error_code == ErrorCode.GROUP_ID_NOT_FOUND
    finally:
        coordinator.close()


def test_a_restart_restores_members_epochs_and_assignments(logs: LogManager, timer: ManualTimer) -> None:
    first = make(logs, timer)
    a = join(first, member_id="a")
    b = join(first, member_id="b")
    # a revokes what b needs, then both converge.
    heartbeat = lambda c, m, e, owned: c.consumer_group_heartbeat(  # noqa: E731
        ConsumerHeartbeat(group_id="g", member_id=m, member_epoch=e, owned=owned))
    step = heartbeat(first, "a", a.member_epoch, {FOO: [0, 1]})
    step = heartbeat(first, "a", step.member_epoch, {tid: sorted(p) for tid, p in step.assignment.items()})
    settled = heartbeat(first, "b", b.member_epoch, {})
    assert settled.assignment and sum(len(p) for p in settled.assignment.values()) == 1
    before = first.consumer.get("g")
    assert before is not None
    members_before = dict(before.members)
    epochs = (before.group_epoch, before.assignment_epoch, dict(before.target))
    join(first, "gone", member_id="x")
    first.consumer_group_heartbeat(ConsumerHeartbeat(group_id="gone", member_id="x", member_epoch=-1))
    assert first.delete_groups(["gone"]) == {"gone": 0}
    first.close()

    second = make(logs, ManualTimer())
    try:
        after = second.consumer.get("g")
        assert after is not None and second.consumer.get("gone") is None
        assert (after.group_epoch, after.assignment_epoch, dict(after.target)) == epochs
        assert after.members == members_before
        assert after.partition_owners == before.partition_owners
        assert second.groups.get("g") is None  # not restored as a classic group too
        member_b = after.members["b"]
        again = heartbeat(second, "b", member_b.member_epoch, {t: sorted(p) for t, p in member_b.assigned.items()})
        assert again.error_code == 0 and again.member_epoch == member_b.member_epoch
        assert [g.group_type for g in second.list_groups()] == ["consumer"]
    finally:
        second.close()
