"""JoinGroup and SyncGroup on the synchronous GroupManager, with a fake clock."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kafkalite.groups import (
    GroupConfig,
    GroupErrorCode,
    GroupState,
    JoinMember,
    LeaveMember,
    Protocol,
)

if TYPE_CHECKING:
    from conftest import Harness

E = GroupErrorCode
SESSION_MS = 10_000  # the harness's defaults
REBALANCE_MS = 30_000


def test_single_member_join_and_sync(harness: Harness) -> None:
    first = harness.join(client_id="app")
    assert first[0].error_code == E.MEMBER_ID_REQUIRED
    member_id = first[0].member_id
    assert member_id.startswith("app-")
    assert harness.state() is GroupState.EMPTY  # only a pending member so far

    box = harness.join(member_id, client_id="app")
    assert box == []  # parked: the initial rebalance ends on its (0 ms) delay timer
    assert harness.state() is GroupState.PREPARING_REBALANCE
    harness.advance(0)

    (result,) = box
    assert result.error_code == E.NONE
    assert result.member_id == member_id
    assert result.generation_id == 1
    assert result.leader == member_id
    assert result.protocol_type == "consumer"
    assert result.protocol_name == "range"
    assert result.members == (JoinMember(member_id, None, b"meta"),)
    assert harness.state() is GroupState.COMPLETING_REBALANCE
    assert harness.generations == [("g", 1)]

    (synced,) = harness.sync(member_id, 1, {member_id: b"\x00opaque\xff"})
    assert synced.error_code == E.NONE
    assert synced.assignment == b"\x00opaque\xff"
    assert (synced.protocol_type, synced.protocol_name) == ("consumer", "range")
    assert harness.state() is GroupState.STABLE
    assert harness.heartbeat(member_id, 1) == E.NONE


def test_three_members_leader_gets_metadata_followers_wait(harness: Harness) -> None:
    ids = []
    boxes = []
    for i in range(3):
        protocols = (Protocol("range", f"sub-{i}".encode()),)
        member_id, box = harness.join_new(client_id=f"c{i}", protocols=protocols)
        ids.append(member_id)
        boxes.append(box)
    assert all(box == [] for box in boxes)
    harness.advance(0)

    results = [box[0] for box in boxes]
    leader = results[0].leader
    assert leader == ids[0]  # the first joiner leads
    assert {r.generation_id for r in results} == {1}
    assert {r.leader for r in results} == {leader}
    assert results[0].members == tuple(
        JoinMember(m, None, f"sub-{i}".encode()) for i, m in enumerate(ids)
    )
    assert results[1].members == () and results[2].members == ()

    # Followers sync first and wait for the leader.
    follower_boxes = [harness.sync(m, 1) for m in ids[1:]]
    assert follower_boxes == [[], []]
    assert harness.heartbeat(ids[1], 1) == E.NONE  # CompletingRebalance heartbeats are fine

    leader_box = harness.sync(leader, 1, {ids[0]: b"a0", ids[1]: b"a1"})  # ids[2] left out
    assert leader_box[0].assignment == b"a0"
    assert follower_boxes[0][0].assignment == b"a1"
    assert follower_boxes[1][0].error_code == E.NONE
    assert follower_boxes[1][0].assignment == b""  # missing from the leader's map: empty
    assert harness.state() is GroupState.STABLE

    # A late SyncGroup in Stable gets the stored assignment.
    assert harness.sync(ids[1], 1)[0].assignment == b"a1"


def test_member_id_required_then_pending_member_expires(harness: Harness) -> None:
    first = harness.join()
    member_id = first[0].member_id
    assert first[0].error_code == E.MEMBER_ID_REQUIRED
    assert first[0].generation_id == -1
    assert member_id in harness.group().pending_join_members
    harness.advance(SESSION_MS)  # never came back
    assert member_id not in harness.group().pending_join_members
    # Coming back after expiry: the id is unknown now.
    assert harness.join(member_id)[0].error_code == E.UNKNOWN_MEMBER_ID


def test_old_join_versions_skip_member_id_required(harness: Harness) -> None:
    box = harness.join(require_known_member_id=False)  # JoinGroup v0-v3
    assert box == []
    harness.advance(0)
    assert box[0].error_code == E.NONE and box[0].member_id


def test_join_validation_errors(harness: Harness) -> None:
    assert harness.join(group_id="")[0].error_code == E.INVALID_GROUP_ID
    assert harness.join(session_timeout_ms=1)[0].error_code == E.INVALID_SESSION_TIMEOUT
    assert harness.join(session_timeout_ms=1_800_001)[0].error_code == E.INVALID_SESSION_TIMEOUT
    # A member id for a group that does not exist.
    assert harness.join("ghost")[0].error_code == E.UNKNOWN_MEMBER_ID
    assert harness.join(protocols=())[0].error_code == E.INCONSISTENT_GROUP_PROTOCOL
    assert harness.join(protocol_type="")[0].error_code == E.INCONSISTENT_GROUP_PROTOCOL
    assert harness.manager.get("g") is None  # failed first joins leave no group behind


def test_inconsistent_protocols(harness: Harness) -> None:
    members, _ = harness.form_group(1)
    other_type = harness.join(protocol_type="connect")
    assert other_type[0].error_code == E.INCONSISTENT_GROUP_PROTOCOL
    assert other_type[0].member_id == ""
    no_common = harness.join(protocols=(Protocol("sticky", b""),))
    assert no_common[0].error_code == E.INCONSISTENT_GROUP_PROTOCOL
    # A known member switching protocols away from the group's is refused too.
    assert harness.join(members[0], protocols=(Protocol("sticky", b""),))[0].error_code == 23


def test_protocol_selection_by_votes(harness: Harness) -> None:
    a, b = Protocol("a", b"A"), Protocol("b", b"B")
    preferences = [(a, b), (b, a), (a, b, Protocol("c", b"C"))]
    boxes = [harness.join_new(client_id=f"c{i}", protocols=p)[1] for i, p in enumerate(preferences)]
    harness.advance(0)
    assert {box[0].protocol_name for box in boxes} == {"a"}  # two votes for a, one for b
    leader_view = boxes[0][0].members
    assert [m.metadata for m in leader_view] == [b"A", b"A", b"A"]  # the selected protocol's


def test_leave_triggers_rebalance_and_new_generation(harness: Harness) -> None:
    (a, b), generation = harness.form_group(2)
    result = harness.leave(LeaveMember(b))
    assert result.error_code == E.NONE and result.members[0].error_code == E.NONE
    assert harness.state() is GroupState.PREPARING_REBALANCE
    assert harness.heartbeat(a, generation) == E.REBALANCE_IN_PROGRESS

    box = harness.join(a)
    (rejoined,) = box  # everyone left has rejoined: completes at once
    assert rejoined.generation_id == generation + 1
    assert rejoined.leader == a
    assert harness.heartbeat(b, generation) == E.UNKNOWN_MEMBER_ID


def test_last_member_leaving_empties_the_group(harness: Harness) -> None:
    (a,), generation = harness.form_group(1)
    harness.leave(LeaveMember(a))
    assert harness.state() is GroupState.EMPTY
    assert harness.group().generation_id == generation + 1
    assert harness.group().protocol_name is None


def test_leave_errors(harness: Harness) -> None:
    (a,), _ = harness.form_group(1)
    result = harness.leave(LeaveMember("nobody"), LeaveMember(a))
    assert [m.error_code for m in result.members] == [E.UNKNOWN_MEMBER_ID, E.NONE]
    unknown_group = harness.leave(LeaveMember(a), group_id="other")
    assert unknown_group.error_code == E.NONE
    assert unknown_group.members[0].error_code == E.UNKNOWN_MEMBER_ID
    assert harness.leave(LeaveMember(a), group_id="").error_code == E.INVALID_GROUP_ID


def test_pending_member_can_leave(harness: Harness) -> None:
    pending = harness.join()[0].member_id
    assert harness.leave(LeaveMember(pending)).members[0].error_code == E.NONE
    assert not harness.group().pending_join_members


def test_leader_rejoin_in_stable_rebalances_follower_rejoin_does_not(harness: Harness) -> None:
    (a, b), generation = harness.form_group(2)
    follower = harness.join(b)  # same metadata, not the leader
    assert follower[0].generation_id == generation
    assert harness.state() is GroupState.STABLE

    leader = harness.join(a)
    assert leader == []
    assert harness.state() is GroupState.PREPARING_REBALANCE
    harness.join(b)
    assert leader[0].generation_id == generation + 1


def test_metadata_change_rebalances(harness: Harness) -> None:
    (a, b), generation = harness.form_group(2)
    box = harness.join(b, protocols=(Protocol("range", b"new subscription"),))
    assert box == []
    assert harness.state() is GroupState.PREPARING_REBALANCE
    harness.join(a)
    assert box[0].generation_id == generation + 1


def test_rejoin_during_completing_rebalance_with_same_metadata_repeats_the_answer(
    harness: Harness,
) -> None:
    a, box_a = harness.join_new(client_id="a")
    b, box_b = harness.join_new(client_id="b")
    harness.advance(0)
    again = harness.join(a)  # the leader lost its JoinGroup answer
    assert again[0].generation_id == box_a[0].generation_id
    assert len(again[0].members) == 2
    assert harness.join(b)[0].members == ()
    assert harness.state() is GroupState.COMPLETING_REBALANCE


def test_sync_errors(harness: Harness) -> None:
    (a, b), generation = harness.form_group(2)
    assert harness.sync(a, generation + 1)[0].error_code == E.ILLEGAL_GENERATION
    assert harness.sync("nobody", generation)[0].error_code == E.UNKNOWN_MEMBER_ID
    assert harness.sync(a, generation, group_id="other")[0].error_code == E.UNKNOWN_MEMBER_ID
    assert harness.sync(a, generation, group_id="")[0].error_code == E.INVALID_GROUP_ID
    bad_name = harness.sync(a, generation, protocol_name="roundrobin")
    assert bad_name[0].error_code == E.INCONSISTENT_GROUP_PROTOCOL
    bad_type = harness.sync(a, generation, protocol_type="connect")
    assert bad_type[0].error_code == E.INCONSISTENT_GROUP_PROTOCOL
    good = harness.sync(a, generation, protocol_type="consumer", protocol_name="range")
    assert good[0].error_code == E.NONE

    harness.join(a)  # the leader rejoins: PreparingRebalance
    assert harness.sync(b, generation)[0].error_code == E.REBALANCE_IN_PROGRESS


def test_new_joiner_releases_members_parked_in_sync(harness: Harness) -> None:
    a, box_a = harness.join_new(client_id="a")
    b, box_b = harness.join_new(client_id="b")
    harness.advance(0)
    parked = harness.sync(b, 1)
    assert parked == []
    harness.join_new(client_id="late")  # arrives during CompletingRebalance
    assert parked[0].error_code == E.REBALANCE_IN_PROGRESS
    assert harness.state() is GroupState.PREPARING_REBALANCE


def test_members_that_never_sync_are_dropped(harness: Harness) -> None:
    a, box_a = harness.join_new(client_id="a")
    b, box_b = harness.join_new(client_id="b")
    harness.advance(0)
    harness.sync(a, 1, {a: b"x", b: b"y"})  # b heartbeats but never sends SyncGroup
    assert harness.state() is GroupState.STABLE
    for _ in range(REBALANCE_MS // 5_000 - 1):
        harness.advance(5_000)
        assert harness.heartbeat(a, 1) == harness.heartbeat(b, 1) == E.NONE
    harness.advance(5_000)  # the rebalance timeout for SyncGroup has passed
    assert b not in harness.group().members
    assert harness.state() is GroupState.PREPARING_REBALANCE
    assert harness.heartbeat(a, 1) == E.REBALANCE_IN_PROGRESS


def test_second_join_from_a_parked_member_releases_the_first(harness: Harness) -> None:
    a, first = harness.join_new(client_id="a")
    second = harness.join(a)
    assert first[0].error_code == E.REBALANCE_IN_PROGRESS
    harness.advance(0)
    assert second[0].error_code == E.NONE


def test_initial_rebalance_delay_waits_for_more_members(make_harness: type[Harness]) -> None:
    harness = make_harness(GroupConfig(group_initial_rebalance_delay_ms=3_000))
    _, box_a = harness.join_new(client_id="a")
    harness.advance(2_000)
    _, box_b = harness.join_new(client_id="b")
    harness.advance(1_000)  # first delay over, but a member arrived: extended
    assert box_a == [] and box_b == []
    harness.advance(2_999)
    assert box_a == []
    harness.advance(1)
    assert box_a[0].generation_id == box_b[0].generation_id == 1
    assert len(box_a[0].members) == 2


def test_group_max_size(make_harness: type[Harness]) -> None:
    harness = make_harness(GroupConfig(group_max_size=2))
    harness.form_group(2)
    box = harness.join()
    assert box[0].error_code == E.GROUP_MAX_SIZE_REACHED
    assert box[0].member_id == ""
