"""Heartbeats, session expiry and rebalance timeouts, stepped with a fake clock."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kafkalite.groups import GroupErrorCode, GroupState, Protocol

if TYPE_CHECKING:
    from conftest import Harness

E = GroupErrorCode
SESSION_MS = 10_000
REBALANCE_MS = 30_000


def test_heartbeat_answers(harness: Harness) -> None:
    (a, b), generation = harness.form_group(2)
    assert harness.heartbeat(a, generation) == E.NONE
    assert harness.heartbeat(a, generation - 1) == E.ILLEGAL_GENERATION
    assert harness.heartbeat("nobody", generation) == E.UNKNOWN_MEMBER_ID
    assert harness.heartbeat(a, generation, group_id="other") == E.UNKNOWN_MEMBER_ID
    assert harness.heartbeat(a, generation, group_id="") == E.INVALID_GROUP_ID

    harness.join(a)  # the leader rejoins: a rebalance is pending
    assert harness.heartbeat(b, generation) == E.REBALANCE_IN_PROGRESS
    harness.join(b)
    assert harness.state() is GroupState.COMPLETING_REBALANCE
    assert harness.heartbeat(b, generation + 1) == E.NONE


def test_session_expiry_removes_member_and_rebalances(harness: Harness) -> None:
    (a, b), generation = harness.form_group(2)
    for _ in range(2):  # a heartbeats every 4 s, b has gone silent
        harness.advance(4_000)
        assert harness.heartbeat(a, generation) == E.NONE
    harness.advance(4_000)
    assert b not in harness.group().members  # 12 s > 10 s session
    assert harness.state() is GroupState.PREPARING_REBALANCE
    assert harness.heartbeat(a, generation) == E.REBALANCE_IN_PROGRESS
    (result,) = harness.join(a)
    assert result.generation_id == generation + 1
    assert harness.heartbeat(b, generation) == E.UNKNOWN_MEMBER_ID


def test_heartbeats_keep_a_member_alive(harness: Harness) -> None:
    (a,), generation = harness.form_group(1)
    for _ in range(20):
        harness.advance(SESSION_MS - 1)
        assert harness.heartbeat(a, generation) == E.NONE
    assert harness.state() is GroupState.STABLE


def test_session_expiry_of_the_last_member_empties_the_group(harness: Harness) -> None:
    (a,), generation = harness.form_group(1)
    harness.advance(SESSION_MS)
    assert harness.state() is GroupState.EMPTY
    assert harness.group().generation_id == generation + 1


def test_rebalance_timeout_drops_members_that_did_not_rejoin(harness: Harness) -> None:
    (a, b, c), generation = harness.form_group(3)
    box = harness.join(a)  # the leader starts a rebalance; b rejoins, c only heartbeats
    harness.join(b)
    for _ in range(REBALANCE_MS // 5_000 - 1):
        harness.advance(5_000)
        assert harness.heartbeat(c, generation) == E.REBALANCE_IN_PROGRESS
        assert box == []
    harness.advance(5_000)
    assert box[0].generation_id == generation + 1
    assert [m.member_id for m in box[0].members] == [a, b]
    assert c not in harness.group().members
    assert harness.heartbeat(c, generation) == E.UNKNOWN_MEMBER_ID


def test_new_leader_when_the_leader_does_not_rejoin(harness: Harness) -> None:
    (a, b), generation = harness.form_group(2)
    changed = harness.join(b, protocols=(Protocol("range", b"changed"),))  # follower: rebalance
    assert changed == []
    for _ in range(REBALANCE_MS // 5_000 - 1):
        harness.advance(5_000)
        assert harness.heartbeat(a, generation) == E.REBALANCE_IN_PROGRESS  # alive, not rejoining
    harness.advance(5_000)
    assert changed[0].leader == b  # a never rejoined: b leads the next generation
    assert changed[0].generation_id == generation + 1
    assert changed[0].members[0].metadata == b"changed"
    assert a not in harness.group().members


def test_abandoned_join_of_a_new_member_expires(make_harness: type[Harness]) -> None:
    from kafkalite.groups import GroupConfig

    harness = make_harness(GroupConfig(new_member_join_timeout_ms=5_000))
    (a,), generation = harness.form_group(1)
    newcomer, parked = harness.join_new(client_id="new")  # a keeps heartbeating, no rejoin
    harness.advance(4_000)
    assert harness.heartbeat(a, generation) == E.REBALANCE_IN_PROGRESS
    assert parked == []
    harness.advance(1_000)  # Kafka's NewMemberJoinTimeoutMs, shortened
    assert parked[0].error_code == E.UNKNOWN_MEMBER_ID
    assert newcomer not in harness.group().members


def test_members_parked_in_a_rebalance_outlive_their_session(harness: Harness) -> None:
    (a, b), generation = harness.form_group(2)
    box_a = harness.join(a)  # parked; b stays alive by heartbeats but does not rejoin
    for _ in range(REBALANCE_MS // 5_000 - 1):
        harness.advance(5_000)
        assert harness.heartbeat(b, generation) == E.REBALANCE_IN_PROGRESS
    assert a in harness.group().members  # 25 s without a heartbeat, but parked
    assert box_a == []
    harness.advance(5_000)
    assert box_a[0].generation_id == generation + 1
    assert b not in harness.group().members
