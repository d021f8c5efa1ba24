"""The transaction state machine: states, legal transitions, and one transactional id's
metadata (Kafka's ``TransactionState`` and ``TransactionMetadata``).

Everything that decides *which* state a transaction may move to lives in the table of this
module; ``coordinator.py`` decides *when* to move and refuses any move the table forbids.

    Empty / CompleteCommit / CompleteAbort ──(AddPartitions, AddOffsets)──► Ongoing
    Ongoing ──(EndTxn commit)──► PrepareCommit ──(markers written)──► CompleteCommit
    Ongoing ──(EndTxn abort)───► PrepareAbort ──(markers written)───► CompleteAbort
    Ongoing ──(InitProducerId of a new instance, timeout)──► PrepareEpochFence ──► PrepareAbort
    Empty / Complete* ──(InitProducerId: epoch bump)──► Empty
    Empty / Complete* ──(transactional.id.expiration.ms)──► Dead (tombstone, then forgotten)

PrepareEpochFence and Dead are never written to ``__transaction_state``: the first is
immediately followed by PrepareAbort with the bumped epoch, the second by a tombstone.
The numeric ids are the ``TransactionStatus`` byte of the log record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Final

from .api import NO_PRODUCER_EPOCH, NO_PRODUCER_ID, TopicPartition

__all__ = [
    "EXPIRATION_ALLOWED",
    "MAX_PRODUCER_EPOCH",
    "VALID_PREVIOUS_STATES",
    "IllegalStateTransition",
    "TransactionMetadata",
    "TransactionState",
    "check_transition",
    "is_epoch_exhausted",
]

MAX_PRODUCER_EPOCH: Final = 32767  # Short.MaxValue


class TransactionState(Enum):
    """A transaction's state; ``value`` is the log's status byte, ``label`` Kafka's name
    (DescribeTransactions, ListTransactions)."""

    EMPTY = 0
    ONGOING = 1
    PREPARE_COMMIT = 2
    PREPARE_ABORT = 3
    COMPLETE_COMMIT = 4
    COMPLETE_ABORT = 5
    DEAD = 6
    PREPARE_EPOCH_FENCE = 7

    @property
    def label(self) -> str:
        return "".join(part.capitalize() for part in self.name.split("_"))

    @classmethod
    def from_label(cls, label: str) -> TransactionState | None:
        return next((state for state in cls if state.label == label), None)


_E, _O, _PC, _PA, _CC, _CA, _D, _PF = (
    TransactionState.EMPTY,
    TransactionState.ONGOING,
    TransactionState.PREPARE_COMMIT,
    TransactionState.PREPARE_ABORT,
    TransactionState.COMPLETE_COMMIT,
    TransactionState.COMPLETE_ABORT,
    TransactionState.DEAD,
    TransactionState.PREPARE_EPOCH_FENCE,
)

# target state -> the states it may be entered from (each state's validPreviousStates).
VALID_PREVIOUS_STATES: Final[Mapping[TransactionState, frozenset[TransactionState]]] = {
    _E: frozenset({_E, _CC, _CA}),
    _O: frozenset({_O, _E, _CC, _CA}),
    _PC: frozenset({_O}),
    _PA: frozenset({_O, _PF}),
    _CC: frozenset({_PC}),
    _CA: frozenset({_PA}),
    _D: frozenset({_E, _CA, _CC}),
    _PF: frozenset({_O}),
}

# States in which an idle transactional id may expire (isExpirationAllowed).
EXPIRATION_ALLOWED: Final[frozenset[TransactionState]] = frozenset({_E, _CC, _CA})


class IllegalStateTransition(RuntimeError):
    """A transition the table forbids: a coordinator bug, never a client's fault."""


def check_transition(current: TransactionState, target: TransactionState) -> None:
    """Raise IllegalStateTransition unless ``current -> target`` is in the table."""
    if current not in VALID_PREVIOUS_STATES[target]:
        raise IllegalStateTransition(f"cannot move a transaction from {current.label} to {target.label}")


def is_epoch_exhausted(producer_epoch: int) -> bool:
    """Kafka never hands out epoch 32767, so it can always fence a producer by one bump."""
    return producer_epoch >= MAX_PRODUCER_EPOCH - 1


@dataclass(slots=True, kw_only=True)
class TransactionMetadata:
    """What the coordinator knows of one transactional id. ``last_producer_epoch`` lives
    in memory only (the log does not carry it): it lets a KIP-360 retry of a successful
    InitProducerId get the same epoch back."""

    transactional_id: str
    producer_id: int
    previous_producer_id: int = NO_PRODUCER_ID
    next_producer_id: int = NO_PRODUCER_ID
    producer_epoch: int = NO_PRODUCER_EPOCH
    last_producer_epoch: int = NO_PRODUCER_EPOCH
    transaction_timeout_ms: int
    state: TransactionState = TransactionState.EMPTY
    partitions: frozenset[TopicPartition] = field(default_factory=frozenset)
    start_timestamp_ms: int = -1
    last_update_timestamp_ms: int
    client_transaction_version: int = 0

    @property
    def is_preparing(self) -> bool:
        """Markers are still being written (PrepareCommit or PrepareAbort)."""
        return self.state in (_PC, _PA)

    def partitions_by_topic(self) -> dict[str, list[int]]:
        topics: dict[str, list[int]] = {}
        for topic, partition in sorted(self.partitions):
            topics.setdefault(topic, []).append(partition)
        return topics
