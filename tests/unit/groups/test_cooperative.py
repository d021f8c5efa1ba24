"""Incremental cooperative rebalancing (KIP-429) runs on the same state machine.

The protocol lives in the clients: members rejoin while still owning partitions, and
the leader revokes before it reassigns, which takes two rebalances. The coordinator
only has to relay the opaque bytes and keep accepting commits from members of the
current generation while a rebalance is prepared.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kafkalite.groups import CommitEntry, GroupErrorCode, GroupState, Protocol

if TYPE_CHECKING:
    from conftest import Harness

    from kafkalite.groups import GroupCoordinator

E = GroupErrorCode


def subscription(owned: str) -> tuple[Protocol, ...]:
    # Stand-in for a ConsumerProtocolSubscription v1+ carrying owned partitions.
    return (Protocol("cooperative-sticky", f"topics=t;owned={owned}".encode()),)


def test_two_phase_cooperative_rebalance(members: Harness, coordinator: GroupCoordinator) -> None:
    a, box_a = members.join_new(client_id="a", protocols=subscription(""))
    members.advance(0)
    generation = box_a[0].generation_id
    members.sync(a, generation, {a: b"t:0,1"})
    assert members.state() is GroupState.STABLE

    # b joins; a keeps consuming (and committing) while the rebalance is prepared.
    b, box_b = members.join_new(client_id="b", protocols=subscription(""))
    assert members.state() is GroupState.PREPARING_REBALANCE
    assert members.heartbeat(a, generation) == E.REBALANCE_IN_PROGRESS
    commit = coordinator.commit_offsets("g", generation, a, None, [CommitEntry("t", 1, 42)])
    assert set(commit.values()) == {E.NONE}

    # a rejoins still owning t:0,1. The leader revokes t:1 and assigns nothing new yet.
    rejoin_a = members.join(a, protocols=subscription("0,1"))
    first, second = rejoin_a[0], box_b[0]
    assert first.generation_id == second.generation_id == generation + 1
    owned = {m.member_id: m.metadata for m in first.members}
    assert owned == {a: b"topics=t;owned=0,1", b: b"topics=t;owned="}
    gen2 = first.generation_id
    assert members.sync(b, gen2) == []  # waits for the leader
    sync_a = members.sync(a, gen2, {a: b"t:0", b: b""})
    assert sync_a[0].assignment == b"t:0"
    assert members.state() is GroupState.STABLE

    # a revoked t:1 and rejoins at once with its new ownership: the second rebalance.
    rejoin_a = members.join(a, protocols=subscription("0"))
    assert members.heartbeat(b, gen2) == E.REBALANCE_IN_PROGRESS
    rejoin_b = members.join(b, protocols=subscription(""))
    gen3 = rejoin_a[0].generation_id
    assert gen3 == rejoin_b[0].generation_id == gen2 + 1
    parked_b = members.sync(b, gen3)
    members.sync(a, gen3, {a: b"t:0", b: b"t:1"})
    assert parked_b[0].assignment == b"t:1"
    assert members.state() is GroupState.STABLE
    fetched = coordinator.fetch_offsets("g", [("t", 1)])
    assert fetched.offsets[0].offset == 42
