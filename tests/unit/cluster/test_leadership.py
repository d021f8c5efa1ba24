"""Leadership: placement, elections when nodes stop and start, moving leaders."""

from __future__ import annotations

import pytest

from kafkalite.cluster.leadership import NO_LEADER, Endpoint, Leadership, Node, place_replicas


def nodes(*ids: int) -> dict[int, Node]:
    return {
        i: Node(id=i, endpoints=[Endpoint("PLAINTEXT", "PLAINTEXT", "127.0.0.1", 9000 + i, "h",
                                          9000 + i)])
        for i in ids
    }


def test_placement_spreads_leaders_and_takes_consecutive_nodes() -> None:
    placed = [place_replicas("events", p, [3, 1, 2], 2) for p in range(6)]
    assert all(len(set(r)) == 2 for r in placed)
    assert sorted(r[0] for r in placed) == [1, 1, 2, 2, 3, 3]  # preferred leaders spread evenly
    for replicas in placed:  # the next node in id order follows the first
        assert replicas[1] == {1: 2, 2: 3, 3: 1}[replicas[0]]
    assert place_replicas("events", 0, [1, 2, 3], 2) == place_replicas("events", 0, [3, 2, 1], 2)
    assert place_replicas("events", 0, [1], 3) == [1]  # capped at the number of nodes


def test_stopping_the_leader_elects_the_next_in_sync_replica_and_bumps_the_epoch() -> None:
    leadership = Leadership(nodes(1, 2, 3))
    state = leadership.assign("t", 0, 3, replicas=[2, 3, 1])
    assert (state.leader, state.leader_epoch, state.isr) == (2, 0, [2, 3, 1])
    assert leadership.stop_node(2) == [("t", 0)]
    assert (state.leader, state.leader_epoch, state.isr) == (3, 1, [3, 1])
    assert leadership.stop_node(1) == []  # a follower: ISR shrinks, leader stays
    assert (state.leader, state.leader_epoch, state.isr) == (3, 1, [3])
    assert leadership.stop_node(3) == [("t", 0)]
    assert (state.leader, state.leader_epoch, state.isr) == (NO_LEADER, 2, [])
    # The first replica back leads the offline partition; the others only rejoin the ISR.
    assert leadership.start_node(1) == [("t", 0)]
    assert (state.leader, state.leader_epoch, state.isr) == (1, 3, [1])
    assert leadership.start_node(2) == []
    assert (state.leader, state.isr) == (1, [2, 1])
    assert state.partition_epoch > state.leader_epoch  # ISR changes count too


def test_move_leader() -> None:
    leadership = Leadership(nodes(1, 2, 3))
    state = leadership.assign("t", 0, 1, replicas=[1])
    moved = leadership.move_leader("t", 0, 3)
    assert moved is state and (state.leader, state.leader_epoch) == (3, 1)
    assert 3 in state.replicas and 3 in state.isr  # reassigned onto the new leader
    assert leadership.move_leader("t", 0, 3).leader_epoch == 1  # already there: no new epoch
    with pytest.raises(ValueError, match="no node 7"):
        leadership.move_leader("t", 0, 7)
    leadership.stop_node(2)
    with pytest.raises(ValueError, match="stopped"):
        leadership.move_leader("t", 0, 2)


def test_a_partition_whose_replicas_left_the_cluster_is_placed_again() -> None:
    leadership = Leadership(nodes(1, 2))
    leadership.assign("t", 0, 1, replicas=[5])  # a node of an earlier, larger cluster
    state = leadership.state("t", 0)
    assert state.replicas and set(state.replicas) <= {1, 2} and state.leader in (1, 2)
