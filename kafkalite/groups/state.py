"""The classic group state machine: states, legal transitions, per-state answers.

Everything that decides *which* state a group may move to, and what a request gets in
each state, lives in the tables of this module (Kafka's `ClassicGroupState`). The code
in `rebalance.py` decides *when* to move; `ClassicGroup.transition_to` refuses any move
this table does not allow.

    Empty ──(member joins)──────────────► PreparingRebalance
    PreparingRebalance ──(join phase done, members left)──► CompletingRebalance
    PreparingRebalance ──(join phase done, nobody left)───► Empty
    CompletingRebalance ──(leader's SyncGroup)────────────► Stable
    CompletingRebalance ──(join, leave, expiry)───────────► PreparingRebalance
    Stable ──(leader rejoins, metadata change, leave, expiry)──► PreparingRebalance
    any ──(group deleted)──► Dead   (final; the group leaves the registry)

What each state answers a validated member of the current generation (Kafka's
`GroupMetadataManager` classic paths; Dead answers COORDINATOR_NOT_AVAILABLE throughout):

| state               | JoinGroup                   | SyncGroup             | Heartbeat            |
|---------------------|-----------------------------|-----------------------|----------------------|
| Empty               | UNKNOWN_MEMBER_ID           | UNKNOWN_MEMBER_ID     | UNKNOWN_MEMBER_ID    |
| PreparingRebalance  | parked until the phase ends | REBALANCE_IN_PROGRESS | REBALANCE_IN_PROGRESS|
| CompletingRebalance | answered if metadata same   | parked for the leader | NONE                 |
| Stable              | rebalance if leader/changed | current assignment    | NONE                 |

OffsetCommit from a member: accepted in PreparingRebalance and Stable (and counts as a
heartbeat there), REBALANCE_IN_PROGRESS in CompletingRebalance; an Empty group takes
only "simple" commits (generation -1, no member id).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Final

from .errors import GroupErrorCode

__all__ = [
    "COMMIT_ERROR",
    "DELETABLE_STATES",
    "HEARTBEAT_ERROR",
    "SESSION_KEEPING_COMMIT_STATES",
    "SYNC_ERROR",
    "VALID_PREVIOUS_STATES",
    "GroupState",
    "IllegalStateTransition",
    "can_rebalance",
    "check_transition",
]


class GroupState(Enum):
    """A classic group's state; the value is Kafka's spelling (ListGroups, DescribeGroups)."""

    EMPTY = "Empty"
    PREPARING_REBALANCE = "PreparingRebalance"
    COMPLETING_REBALANCE = "CompletingRebalance"
    STABLE = "Stable"
    DEAD = "Dead"


_E, _P, _C, _S, _D = (
    GroupState.EMPTY,
    GroupState.PREPARING_REBALANCE,
    GroupState.COMPLETING_REBALANCE,
    GroupState.STABLE,
    GroupState.DEAD,
)

# target state -> the states it may be entered from (ClassicGroupState's static block).
VALID_PREVIOUS_STATES: Final[Mapping[GroupState, frozenset[GroupState]]] = {
    _E: frozenset({_P}),
    _P: frozenset({_S, _C, _E}),
    _C: frozenset({_P}),
    _S: frozenset({_C}),
    _D: frozenset({_S, _P, _C, _E, _D}),
}

# Heartbeat of a validated member of the current generation. CompletingRebalance
# answers NONE: consumers start heartbeating right after the JoinGroup response.
HEARTBEAT_ERROR: Final[Mapping[GroupState, GroupErrorCode]] = {
    _E: GroupErrorCode.UNKNOWN_MEMBER_ID,
    _P: GroupErrorCode.REBALANCE_IN_PROGRESS,
    _C: GroupErrorCode.NONE,
    _S: GroupErrorCode.NONE,
    _D: GroupErrorCode.COORDINATOR_NOT_AVAILABLE,
}

# SyncGroup of a validated member of the current generation; None means "handled"
# (CompletingRebalance parks the request, Stable returns the stored assignment).
SYNC_ERROR: Final[Mapping[GroupState, GroupErrorCode | None]] = {
    _E: GroupErrorCode.UNKNOWN_MEMBER_ID,
    _P: GroupErrorCode.REBALANCE_IN_PROGRESS,
    _C: None,
    _S: None,
    _D: GroupErrorCode.COORDINATOR_NOT_AVAILABLE,
}

# OffsetCommit of a validated member: CompletingRebalance means the member has its new
# generation but no assignment yet (ClassicGroup.validateOffsetCommit).
COMMIT_ERROR: Final[Mapping[GroupState, GroupErrorCode]] = {
    _E: GroupErrorCode.NONE,
    _P: GroupErrorCode.NONE,
    _C: GroupErrorCode.REBALANCE_IN_PROGRESS,
    _S: GroupErrorCode.NONE,
    _D: GroupErrorCode.COORDINATOR_NOT_AVAILABLE,
}

# A member's offset commit counts as a heartbeat in these states.
SESSION_KEEPING_COMMIT_STATES: Final[frozenset[GroupState]] = frozenset({_S, _P})

# DeleteGroups succeeds only for Empty groups; the others answer NON_EMPTY_GROUP.
DELETABLE_STATES: Final[frozenset[GroupState]] = frozenset({_E})


class IllegalStateTransition(RuntimeError):
    """A transition the table forbids: a coordinator bug, never a client's fault."""


def can_rebalance(state: GroupState) -> bool:
    """Whether a group in `state` may start a new rebalance (`ClassicGroup.canRebalance`)."""
    return state in VALID_PREVIOUS_STATES[GroupState.PREPARING_REBALANCE]


def check_transition(current: GroupState, target: GroupState) -> None:
    """Raise IllegalStateTransition unless `current -> target` is in the table."""
    if current not in VALID_PREVIOUS_STATES[target]:
        raise IllegalStateTransition(f"cannot move a group from {current.value} to {target.value}")
