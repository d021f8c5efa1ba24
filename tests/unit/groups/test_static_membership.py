"""Static membership (KIP-345) and skip_assignment (KIP-814)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kafkalite.groups import GroupErrorCode, GroupState, LeaveMember, Protocol

if TYPE_CHECKING:
    from conftest import Harness

E = GroupErrorCode
SESSION_MS = 10_000
REBALANCE_MS = 30_000


def form_static_group(harness: Harness, instances: list[str]) -> tuple[dict[str, str], int]:
    """Static members join with their instance ids (no MEMBER_ID_REQUIRED) and sync."""
    boxes = {
        instance: harness.join(instance=instance, client_id=instance) for instance in instances
    }
    harness.advance(0)
    ids = {instance: box[0].member_id for instance, box in boxes.items()}
    generation = boxes[instances[0]][0].generation_id
    leader = boxes[instances[0]][0].leader
    assignments = {ids[i]: f"assigned-to-{i}".encode() for i in instances}
    for instance in instances:
        member_id = ids[instance]
        harness.sync(
            member_id, generation, assignments if member_id == leader else None, instance=instance
        )
    assert harness.state() is GroupState.STABLE
    return ids, generation


def test_static_member_joins_without_member_id_required(harness: Harness) -> None:
    box = harness.join(instance="i-1")
    assert box == []
    harness.advance(0)
    assert box[0].error_code == E.NONE
    assert box[0].member_id.startswith("i-1-")
    assert box[0].members[0].group_instance_id == "i-1"


def test_static_member_restart_keeps_assignment_without_rebalance(harness: Harness) -> None:
    ids, generation = form_static_group(harness, ["i-1", "i-2"])
    old = ids["i-2"]
    (rejoined,) = harness.join(instance="i-2")  # restarted: no member id
    new = rejoined.member_id
    assert new != old
    assert rejoined.error_code == E.NONE
    assert rejoined.generation_id == generation
    assert rejoined.leader == ids["i-1"]
    assert harness.state() is GroupState.STABLE  # no rebalance
    assert harness.heartbeat(ids["i-1"], generation, instance="i-1") == E.NONE

    (synced,) = harness.sync(new, generation, instance="i-2")
    assert synced.assignment == b"assigned-to-i-2"
    # The old incarnation is fenced.
    assert harness.heartbeat(old, generation, instance="i-2") == E.FENCED_INSTANCE_ID
    assert harness.sync(old, generation, instance="i-2")[0].error_code == E.FENCED_INSTANCE_ID
    assert harness.heartbeat(old, generation) == E.UNKNOWN_MEMBER_ID


def test_static_leader_restart_skips_assignment(harness: Harness) -> None:
    ids, generation = form_static_group(harness, ["i-1", "i-2"])
    (rejoined,) = harness.join(instance="i-1")  # the leader restarts, JoinGroup v9+
    assert rejoined.leader == rejoined.member_id
    assert rejoined.skip_assignment is True
    assert {m.group_instance_id for m in rejoined.members} == {"i-1", "i-2"}
    assert harness.state() is GroupState.STABLE
    assert (
        harness.sync(rejoined.member_id, generation, instance="i-1")[0].assignment
        == b"assigned-to-i-1"
    )


def test_static_leader_restart_on_old_versions_sees_the_old_leader_id(harness: Harness) -> None:
    ids, generation = form_static_group(harness, ["i-1", "i-2"])
    (rejoined,) = harness.join(instance="i-1", supports_skip_assignment=False)
    assert rejoined.leader == ids["i-1"]  # not itself: it must not assign
    assert rejoined.members == ()
    assert rejoined.skip_assignment is False
    assert harness.state() is GroupState.STABLE


def test_static_restart_with_new_metadata_but_same_protocol_does_not_rebalance(
    harness: Harness,
) -> None:
    # Kafka compares the group's selected protocol, not the metadata bytes: a restarted
    # static follower with a new subscription keeps its assignment; a leader would see
    # the change through skip_assignment (KIP-814) and rejoin to rebalance.
    ids, generation = form_static_group(harness, ["i-1", "i-2"])
    (rejoined,) = harness.join(instance="i-2", protocols=(Protocol("range", b"new topics"),))
    assert rejoined.generation_id == generation
    assert harness.state() is GroupState.STABLE
    assert harness.group().members[rejoined.member_id].protocols[0].metadata == b"new topics"


def test_static_restart_that_changes_the_selected_protocol_rebalances(harness: Harness) -> None:
    both = (Protocol("range", b"r"), Protocol("roundrobin", b"rr"))
    boxes = [harness.join(instance=i, protocols=both) for i in ("i-1", "i-2")]
    harness.advance(0)
    generation = boxes[0][0].generation_id
    assert boxes[0][0].protocol_name == "range"
    ids = [box[0].member_id for box in boxes]
    harness.sync(ids[0], generation, {}, instance="i-1")
    harness.sync(ids[1], generation, instance="i-2")
    rejoined = harness.join(instance="i-2", protocols=(Protocol("roundrobin", b"rr"),))
    assert rejoined == []  # the vote now picks roundrobin: rebalance
    assert harness.state() is GroupState.PREPARING_REBALANCE


def test_known_member_id_with_wrong_instance_is_fenced(harness: Harness) -> None:
    ids, generation = form_static_group(harness, ["i-1", "i-2"])
    assert harness.join(ids["i-1"], instance="i-2")[0].error_code == E.FENCED_INSTANCE_ID
    assert harness.join(ids["i-1"], instance="i-9")[0].error_code == E.UNKNOWN_MEMBER_ID
    assert harness.heartbeat(ids["i-1"], generation, instance="i-2") == E.FENCED_INSTANCE_ID


def test_restart_fences_a_parked_old_incarnation(harness: Harness) -> None:
    ids, generation = form_static_group(harness, ["i-1", "i-2", "i-3"])
    harness.join(ids["i-1"], instance="i-1")  # the leader rejoins: rebalance
    parked_old = harness.join(ids["i-2"], instance="i-2")
    assert parked_old == []  # i-3 has not rejoined yet
    fresh = harness.join(instance="i-2")  # a second process with the same instance id
    assert parked_old[0].error_code == E.FENCED_INSTANCE_ID
    assert fresh == []
    harness.join(ids["i-3"], instance="i-3")
    assert fresh[0].error_code == E.NONE
    assert fresh[0].generation_id == generation + 1
    assert fresh[0].member_id in harness.group().members
    assert ids["i-2"] not in harness.group().members


def test_static_rejoin_while_completing_rebalance_rebalances_again(harness: Harness) -> None:
    boxes = [harness.join(instance=i) for i in ("i-1", "i-2")]
    harness.advance(0)
    generation = boxes[0][0].generation_id
    assert harness.state() is GroupState.COMPLETING_REBALANCE
    again = harness.join(instance="i-2")
    assert again == []
    assert harness.state() is GroupState.PREPARING_REBALANCE
    harness.join(boxes[0][0].member_id, instance="i-1")
    assert again[0].generation_id == generation + 1


def test_static_members_survive_the_rebalance_timeout_but_not_their_session(
    harness: Harness,
) -> None:
    ids, generation = form_static_group(harness, ["i-1", "i-2"])
    box = harness.join(ids["i-1"], instance="i-1")  # i-2 is down (no heartbeats)
    harness.advance(SESSION_MS - 1)
    assert ids["i-2"] in harness.group().members
    harness.advance(1)  # i-2's session is over: removed, the join phase completes
    assert ids["i-2"] not in harness.group().members
    assert box[0].generation_id == generation + 1
    assert [m.group_instance_id for m in box[0].members] == ["i-1"]


def test_static_member_kept_in_generation_when_rebalance_times_out() -> None:
    from kafkalite.groups import GroupConfig, GroupManager, JoinRequest, ManualTimer

    timer = ManualTimer()
    manager = GroupManager(GroupConfig(), timer)
    boxes: list[list[object]] = [[], []]
    for n, box in enumerate(boxes):
        request = JoinRequest(
            group_id="g",
            group_instance_id=f"i-{n}",
            protocol_type="consumer",
            protocols=[Protocol("range", b"")],
            session_timeout_ms=60_000,
            rebalance_timeout_ms=5_000,
        )
        manager.join_group(request, box.append)
    timer.advance(0)
    group = manager.get("g")
    assert group is not None
    ids = [box[0].member_id for box in boxes]  # type: ignore[attr-defined]
    assert group.leader_id == ids[0]
    rejoin: list[object] = []
    request = JoinRequest(
        group_id="g",
        member_id=ids[1],
        group_instance_id="i-1",
        protocol_type="consumer",
        protocols=[Protocol("range", b"x")],
        session_timeout_ms=60_000,
        rebalance_timeout_ms=5_000,
    )
    manager.join_group(request, rejoin.append)  # a follower's new metadata: rebalance
    timer.advance(5_000)  # the leader i-0 did not rejoin in time but is static: it stays
    assert ids[0] in group.members
    assert rejoin[0].generation_id == 2  # type: ignore[attr-defined]
    assert rejoin[0].leader == ids[1]  # type: ignore[attr-defined]  # a member that rejoined leads
    assert len(rejoin[0].members) == 2  # type: ignore[attr-defined]


def test_leave_by_instance_id(harness: Harness) -> None:
    ids, generation = form_static_group(harness, ["i-1", "i-2", "i-3"])
    result = harness.leave(
        LeaveMember("", "i-2"),  # an admin removal: no member id
        LeaveMember(ids["i-3"], "i-1"),  # wrong pairing
        LeaveMember("", "i-9"),
        LeaveMember("", None),
    )
    assert [m.error_code for m in result.members] == [
        E.NONE,
        E.FENCED_INSTANCE_ID,
        E.UNKNOWN_MEMBER_ID,
        E.UNKNOWN_MEMBER_ID,
    ]
    assert ids["i-2"] not in harness.group().members
    assert harness.state() is GroupState.PREPARING_REBALANCE
