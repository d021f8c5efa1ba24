"""OffsetCommit/Fetch/Delete, ListGroups, DescribeGroups, DeleteGroups, topic deletion."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kafkalite.groups import (
    CommitEntry,
    FetchedOffset,
    GroupCoordinator,
    GroupErrorCode,
    GroupState,
    ManualTimer,
    Protocol,
    TopicPartition,
)
from kafkalite.storage.manager import LogManager

if TYPE_CHECKING:
    from conftest import Harness

E = GroupErrorCode
MakeCoordinator = Callable[..., GroupCoordinator]
NOW_MS = 1_700_000_000_000
T0 = TopicPartition("t", 0)
T1 = TopicPartition("t", 1)


def test_simple_consumer_commit_creates_an_empty_group(coordinator: GroupCoordinator) -> None:
    result = coordinator.commit_offsets(
        "simple",
        -1,
        "",
        None,
        [CommitEntry("t", 0, 10, 3, "meta"), CommitEntry("t", 1, 20, metadata=None)],
    )
    assert result == {T0: E.NONE, T1: E.NONE}
    fetched = coordinator.fetch_offsets("simple", [T0, T1, TopicPartition("u", 0)])
    assert fetched.error_code == E.NONE
    assert fetched.offsets == (
        FetchedOffset("t", 0, 10, 3, "meta"),
        FetchedOffset("t", 1, 20, -1, ""),
        FetchedOffset("u", 0, -1, -1, ""),
    )
    assert coordinator.offsets.get("simple", T0).commit_timestamp_ms == NOW_MS  # type: ignore[union-attr]
    listing = coordinator.list_groups()
    assert [(g.group_id, g.group_state, g.protocol_type) for g in listing] == [
        ("simple", "Empty", "")
    ]


def test_fetch_all_and_unknown_group(coordinator: GroupCoordinator) -> None:
    coordinator.commit_offsets("g", -1, "", None, [CommitEntry("b", 0, 1), CommitEntry("a", 2, 2)])
    everything = coordinator.fetch_offsets("g", None)
    assert [(o.topic, o.partition, o.offset) for o in everything.offsets] == [
        ("a", 2, 2),
        ("b", 0, 1),
    ]
    assert coordinator.fetch_offsets("nobody", None).offsets == ()
    assert coordinator.fetch_offsets("nobody", [T0]).offsets == (FetchedOffset("t", 0),)


def test_member_commits_are_checked_like_kafka(
    members: Harness, coordinator: GroupCoordinator
) -> None:
    (a, b), generation = members.form_group(2)
    commit = coordinator.commit_offsets
    assert commit("g", generation, a, None, [CommitEntry("t", 0, 5)]) == {T0: E.NONE}
    assert commit("g", generation + 1, a, None, [CommitEntry("t", 0, 6)]) == {
        T0: E.ILLEGAL_GENERATION
    }
    assert commit("g", generation, "nobody", None, [CommitEntry("t", 0, 6)]) == {
        T0: E.UNKNOWN_MEMBER_ID
    }
    # A "simple" commit while the group has members.
    assert commit("g", -1, "", None, [CommitEntry("t", 0, 6)]) == {T0: E.UNKNOWN_MEMBER_ID}
    # Generation -1 but a member id: the member is checked, and the generation differs.
    assert commit("g", -1, a, None, [CommitEntry("t", 0, 6)]) == {T0: E.ILLEGAL_GENERATION}
    # Unknown groups: ILLEGAL_GENERATION before OffsetCommit v9, GROUP_ID_NOT_FOUND after.
    assert commit("x", 1, a, None, [CommitEntry("t", 0, 6)]) == {T0: E.ILLEGAL_GENERATION}
    v9 = commit("x", 1, a, None, [CommitEntry("t", 0, 6)], report_group_id_not_found=True)
    assert v9 == {T0: E.GROUP_ID_NOT_FOUND}
    assert coordinator.fetch_offsets("g", [T0]).offsets[0].offset == 5

    members.join(a)  # PreparingRebalance: members of the current generation may commit
    assert commit("g", generation, b, None, [CommitEntry("t", 0, 7)]) == {T0: E.NONE}
    members.join(b)  # CompletingRebalance: not until SyncGroup
    assert commit("g", generation + 1, b, None, [CommitEntry("t", 0, 8)]) == {
        T0: E.REBALANCE_IN_PROGRESS
    }
    assert coordinator.fetch_offsets("g", [T0]).offsets[0].offset == 7


def test_static_member_commit_is_fenced(members: Harness, coordinator: GroupCoordinator) -> None:
    box = members.join(instance="i-1")
    members.advance(0)
    member_id, generation = box[0].member_id, box[0].generation_id
    members.sync(member_id, generation, {}, instance="i-1")
    ok = coordinator.commit_offsets("g", generation, member_id, "i-1", [CommitEntry("t", 0, 1)])
    assert ok == {T0: E.NONE}
    fenced = coordinator.commit_offsets("g", generation, "old-id", "i-1", [CommitEntry("t", 0, 2)])
    assert fenced == {T0: E.FENCED_INSTANCE_ID}


def test_commit_counts_as_a_heartbeat(members: Harness, coordinator: GroupCoordinator) -> None:
    (a,), generation = members.form_group(1)
    for _ in range(5):
        members.advance(8_000)
        assert coordinator.commit_offsets("g", generation, a, None, [CommitEntry("t", 0, 1)]) == {
            T0: 0
        }
    assert a in members.group().members


def test_metadata_too_large_fails_only_that_partition(
    logs: LogManager, make_coordinator: MakeCoordinator
) -> None:
    from kafkalite.groups import GroupConfig

    coordinator = make_coordinator(
        logs, timer=ManualTimer(), config=GroupConfig(offset_metadata_max_bytes=4)
    )
    coordinator.start()
    try:
        result = coordinator.commit_offsets(
            "g",
            -1,
            "",
            None,
            [CommitEntry("t", 0, 1, metadata="12345"), CommitEntry("t", 1, 1, metadata="1234")],
        )
        assert result == {T0: E.OFFSET_METADATA_TOO_LARGE, T1: E.NONE}
        assert coordinator.fetch_offsets("g", [T0]).offsets[0].offset == -1
    finally:
        coordinator.close()


def test_delete_offsets(members: Harness, coordinator: GroupCoordinator) -> None:
    assert coordinator.delete_offsets("nobody", [T0]).error_code == E.GROUP_ID_NOT_FOUND
    assert coordinator.delete_offsets("", [T0]).error_code == E.INVALID_GROUP_ID
    coordinator.commit_offsets("g", -1, "", None, [CommitEntry("t", 0, 1), CommitEntry("u", 0, 1)])
    result = coordinator.delete_offsets("g", [T0, TopicPartition("v", 0)])  # Empty group
    assert result.error_code == E.NONE
    assert dict(result.partitions) == {T0: E.NONE, TopicPartition("v", 0): E.NONE}
    assert coordinator.fetch_offsets("g", [T0]).offsets[0].offset == -1

    members.form_group(1)  # a consumer group with members; no subscription parser
    busy = coordinator.delete_offsets("g", [TopicPartition("u", 0)])
    assert busy.error_code == E.NONE
    assert dict(busy.partitions) == {TopicPartition("u", 0): E.GROUP_SUBSCRIBED_TO_TOPIC}


def test_delete_offsets_with_a_subscription_parser(
    logs: LogManager, make_coordinator: MakeCoordinator, make_harness: type[Harness]
) -> None:
    timer = ManualTimer()
    coordinator = make_coordinator(
        logs, timer=timer, subscribed_topics=lambda metadata: {metadata.decode()}
    )
    coordinator.start()
    try:
        members = make_harness(timer=timer, manager=coordinator.groups)
        coordinator.commit_offsets(
            "g", -1, "", None, [CommitEntry("t", 0, 1), CommitEntry("u", 0, 1)]
        )
        member, box = members.join_new(protocols=(Protocol("range", b"t"),))
        members.advance(0)
        members.sync(member, box[0].generation_id, {})
        result = coordinator.delete_offsets("g", [T0, TopicPartition("u", 0)])
        assert dict(result.partitions) == {
            T0: E.GROUP_SUBSCRIBED_TO_TOPIC,
            TopicPartition("u", 0): E.NONE,
        }
        assert coordinator.fetch_offsets("g", [T0]).offsets[0].offset == 1
        assert coordinator.fetch_offsets("g", [TopicPartition("u", 0)]).offsets[0].offset == -1
    finally:
        coordinator.close()


def test_delete_offsets_non_consumer_group_with_members(
    members: Harness, coordinator: GroupCoordinator
) -> None:
    member, box = members.join_new(protocol_type="connect")
    members.advance(0)
    assert coordinator.delete_offsets("g", [T0]).error_code == E.NON_EMPTY_GROUP


def test_list_groups_with_state_filter(members: Harness, coordinator: GroupCoordinator) -> None:
    members.form_group(1, group_id="stable")
    members.join_new(group_id="preparing")
    coordinator.commit_offsets("empty", -1, "", None, [CommitEntry("t", 0, 1)])
    every = {(g.group_id, g.group_state) for g in coordinator.list_groups()}
    assert every == {("stable", "Stable"), ("preparing", "PreparingRebalance"), ("empty", "Empty")}
    assert [g.group_id for g in coordinator.list_groups(["stable", "EMPTY"])] == ["empty", "stable"]
    assert [g.group_id for g in coordinator.list_groups(["PreparingRebalance"])] == ["preparing"]
    assert coordinator.list_groups(["Dead"]) == []
    assert len(coordinator.list_groups(types_filter=["Classic"])) == 3
    assert coordinator.list_groups(types_filter=["consumer"]) == []
    assert coordinator.list_groups()[0].group_type == "classic"


def test_describe_group(members: Harness, coordinator: GroupCoordinator) -> None:
    (a, b), generation = members.form_group(2)
    description = coordinator.describe_group("g")
    assert description.error_code == E.NONE
    assert (description.group_state, description.protocol_type, description.protocol_data) == (
        "Stable",
        "consumer",
        "range",
    )
    by_id = {m.member_id: m for m in description.members}
    assert by_id[a].member_metadata == b"meta"
    assert by_id[b].member_assignment == b"assignment-1"
    assert by_id[a].client_id == "c0"

    members.join(a)  # rebalancing: no metadata or assignments are shown
    rebalancing = coordinator.describe_group("g")
    assert rebalancing.group_state == "PreparingRebalance"
    assert rebalancing.protocol_data == ""
    assert all(m.member_metadata == m.member_assignment == b"" for m in rebalancing.members)

    unknown = coordinator.describe_group("nobody")
    assert (unknown.error_code, unknown.group_state) == (E.GROUP_ID_NOT_FOUND, "Dead")


def test_delete_groups(members: Harness, coordinator: GroupCoordinator) -> None:
    members.form_group(1, group_id="busy")
    coordinator.commit_offsets("idle", -1, "", None, [CommitEntry("t", 0, 1)])
    result = coordinator.delete_groups(["busy", "idle", "nobody", "idle"])
    assert result == {
        "busy": E.NON_EMPTY_GROUP,
        "idle": E.GROUP_ID_NOT_FOUND,
        "nobody": E.GROUP_ID_NOT_FOUND,
    }
    assert coordinator.groups.get("idle") is None
    assert coordinator.fetch_offsets("idle", [T0]).offsets[0].offset == -1
    assert [g.group_id for g in coordinator.list_groups()] == ["busy"]


def test_delete_group_result_for_each_id(coordinator: GroupCoordinator) -> None:
    coordinator.commit_offsets("idle", -1, "", None, [CommitEntry("t", 0, 1)])
    assert coordinator.delete_groups(["idle"]) == {"idle": E.NONE}


def test_group_that_emptied_keeps_offsets_and_can_be_deleted(
    members: Harness, coordinator: GroupCoordinator
) -> None:
    (a,), generation = members.form_group(1)
    coordinator.commit_offsets("g", generation, a, None, [CommitEntry("t", 0, 9)])
    members.advance(10_000)  # session over: Empty
    assert members.state() is GroupState.EMPTY
    assert coordinator.fetch_offsets("g", [T0]).offsets[0].offset == 9
    assert coordinator.delete_groups(["g"]) == {"g": E.NONE}


def test_topic_deletion_removes_offsets(members: Harness, coordinator: GroupCoordinator) -> None:
    coordinator.commit_offsets(
        "only-t", -1, "", None, [CommitEntry("t", 0, 1), CommitEntry("t", 1, 1)]
    )
    coordinator.commit_offsets(
        "mixed", -1, "", None, [CommitEntry("t", 0, 1), CommitEntry("u", 0, 1)]
    )
    members.form_group(1, group_id="live")
    coordinator.commit_offsets(
        "live", 1, next(iter(members.group("live").members)), None, [CommitEntry("t", 0, 1)]
    )
    coordinator.on_topic_deleted("t")
    assert coordinator.fetch_offsets("mixed", None).offsets == (FetchedOffset("u", 0, 1, -1, ""),)
    assert coordinator.fetch_offsets("live", None).offsets == ()
    # Kafka's cleanup: an Empty group left without offsets is gone; live groups stay.
    assert {g.group_id for g in coordinator.list_groups()} == {"mixed", "live"}


def test_not_started_answers_coordinator_not_available(
    logs: LogManager, make_coordinator: MakeCoordinator
) -> None:
    coordinator = make_coordinator(logs, timer=ManualTimer())
    assert coordinator.heartbeat("g", "m", None, 1) == E.COORDINATOR_NOT_AVAILABLE
    assert coordinator.commit_offsets("g", -1, "", None, [CommitEntry("t", 0, 1)]) == {
        T0: E.COORDINATOR_NOT_AVAILABLE
    }
    assert coordinator.fetch_offsets("g").error_code == E.COORDINATOR_NOT_AVAILABLE
    assert coordinator.delete_groups(["g"]) == {"g": E.COORDINATOR_NOT_AVAILABLE}
    assert coordinator.leave_group("g", []).error_code == E.COORDINATOR_NOT_AVAILABLE
