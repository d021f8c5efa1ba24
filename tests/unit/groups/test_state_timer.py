"""The state table and the fake timer."""

from __future__ import annotations

import itertools

import pytest

from kafkalite.groups import GroupErrorCode, GroupState, ManualTimer
from kafkalite.groups.state import (
    HEARTBEAT_ERROR,
    VALID_PREVIOUS_STATES,
    IllegalStateTransition,
    can_rebalance,
    check_transition,
)

S = GroupState
ALLOWED = {
    (S.EMPTY, S.PREPARING_REBALANCE),
    (S.PREPARING_REBALANCE, S.COMPLETING_REBALANCE),
    (S.PREPARING_REBALANCE, S.EMPTY),
    (S.COMPLETING_REBALANCE, S.STABLE),
    (S.COMPLETING_REBALANCE, S.PREPARING_REBALANCE),
    (S.STABLE, S.PREPARING_REBALANCE),
    *((state, S.DEAD) for state in S),
}


@pytest.mark.parametrize(("current", "target"), list(itertools.product(S, S)))
def test_transition_table(current: GroupState, target: GroupState) -> None:
    if (current, target) in ALLOWED:
        check_transition(current, target)
    else:
        with pytest.raises(IllegalStateTransition):
            check_transition(current, target)


def test_tables_cover_every_state() -> None:
    assert set(VALID_PREVIOUS_STATES) == set(S)
    assert set(HEARTBEAT_ERROR) == set(S)
    assert [s for s in S if can_rebalance(s)] == [S.EMPTY, S.COMPLETING_REBALANCE, S.STABLE]
    assert HEARTBEAT_ERROR[S.PREPARING_REBALANCE] == GroupErrorCode.REBALANCE_IN_PROGRESS


def test_state_names_are_kafkas() -> None:
    assert [s.value for s in S] == [
        "Empty",
        "PreparingRebalance",
        "CompletingRebalance",
        "Stable",
        "Dead",
    ]


def test_manual_timer_fires_in_deadline_order() -> None:
    timer = ManualTimer()
    fired: list[tuple[str, int]] = []
    timer.schedule(("b",), 20, lambda: fired.append(("b", timer.now_ms)))
    timer.schedule(("a",), 10, lambda: fired.append(("a", timer.now_ms)))
    timer.schedule(("c",), 30, lambda: fired.append(("c", timer.now_ms)))
    timer.cancel(("c",))
    assert timer.advance(9) == 0
    assert timer.advance(100) == 2
    assert fired == [("a", 10), ("b", 20)]
    assert timer.now_ms == 109


def test_manual_timer_rescheduling_pushes_the_deadline() -> None:
    timer = ManualTimer()
    fired: list[int] = []
    timer.schedule(("session",), 10, lambda: fired.append(timer.now_ms))
    timer.advance(8)
    timer.schedule(("session",), 10, lambda: fired.append(timer.now_ms))
    timer.advance(8)
    assert fired == []
    assert timer.deadline(("session",)) == 18
    timer.advance(2)
    assert fired == [18]


def test_manual_timer_runs_timers_scheduled_by_callbacks_within_the_window() -> None:
    timer = ManualTimer()
    fired: list[int] = []

    def chain() -> None:
        fired.append(timer.now_ms)
        if len(fired) < 3:
            timer.schedule(("chain",), 5, chain)

    timer.schedule(("chain",), 5, chain)
    timer.advance(100)
    assert fired == [5, 10, 15]


def test_manual_timer_bounds_runaway_loops() -> None:
    timer = ManualTimer(max_callbacks_per_advance=50)

    def forever() -> None:
        timer.schedule(("loop",), 0, forever)

    timer.schedule(("loop",), 0, forever)
    with pytest.raises(RuntimeError, match="too many callbacks"):
        timer.advance(0)
