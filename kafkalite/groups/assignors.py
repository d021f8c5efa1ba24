"""Server-side partition assignors of consumer groups (KIP-848): ``uniform`` and ``range``.

An assignor maps each member to the partitions it should own (the target assignment),
from the members' subscriptions, the subscribed topics' partition counts and the
previous target assignment. Assignments are keyed by topic id, as on the wire.

- ``uniform`` (Kafka's ``UniformAssignor``, the default) spreads partitions so that the
  members' counts differ by at most one among the members able to take them, and keeps
  every partition with its previous owner where that stays balanced (sticky), so a
  rebalance moves as few partitions as possible.
- ``range`` (Kafka's server-side ``RangeAssignor``) gives each member, topic by topic, a
  contiguous range of partitions: members sorted by id, the first ``partitions % members``
  one partition more. Members subscribed to the same topics with the same partition
  counts get the same partition numbers (co-partitioning).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

__all__ = ["ASSIGNORS", "Assignment", "AssignmentSpec", "RangeAssignor", "TopicMetadata", "UniformAssignor"]

Assignment = dict[uuid.UUID, frozenset[int]]


@dataclass(frozen=True, slots=True)
class TopicMetadata:
    topic_id: uuid.UUID
    name: str
    partitions: int


@dataclass(frozen=True, slots=True)
class AssignmentSpec:
    """What an assignor needs: each member's subscribed topic names, the subscribed
    topics that exist, and the current target assignment."""

    subscriptions: Mapping[str, frozenset[str]]
    topics: Mapping[str, TopicMetadata]
    current: Mapping[str, Assignment]


class Assignor(Protocol):
    name: str

    def assign(self, spec: AssignmentSpec) -> dict[str, Assignment]: ...


def _freeze(assignment: Mapping[str, Mapping[uuid.UUID, set[int]]], members: list[str]) -> dict[str, Assignment]:
    return {
        member: {tid: frozenset(parts) for tid, parts in assignment.get(member, {}).items() if parts}
        for member in members
    }


class UniformAssignor:
    name = "uniform"

    def assign(self, spec: AssignmentSpec) -> dict[str, Assignment]:
        members = sorted(spec.subscriptions)
        eligible: dict[uuid.UUID, list[str]] = {}
        partitions: list[tuple[uuid.UUID, int]] = []
        for name in sorted({t for subs in spec.subscriptions.values() for t in subs}):
            topic = spec.topics.get(name)
            if topic is None:
                continue
            eligible[topic.topic_id] = [m for m in members if name in spec.subscriptions[m]]
            partitions.extend((topic.topic_id, p) for p in range(topic.partitions))
        sizes = {topic.topic_id: topic.partitions for topic in spec.topics.values()}
        owner: dict[tuple[uuid.UUID, int], str] = {}
        counts = dict.fromkeys(members, 0)
        # Sticky: a partition stays with its previous owner while that owner may take it.
        for member in members:
            for tid, parts in spec.current.get(member, {}).items():
                if member not in eligible.get(tid, ()):
                    continue
                for p in sorted(parts):
                    if (tid, p) not in owner and p < sizes.get(tid, 0):
                        owner[(tid, p)] = member
                        counts[member] += 1
        # New or orphaned partitions go to the least loaded member able to take them.
        for tp in partitions:
            if tp not in owner:
                candidates = eligible[tp[0]]
                if candidates:
                    chosen = min(candidates, key=lambda m: (counts[m], m))
                    owner[tp] = chosen
                    counts[chosen] += 1
        # Balance: move partitions from a member with two or more above another member
        # that may take them. Each move lowers the sum of squared counts, so this ends.
        for _ in range(len(partitions) * max(len(members), 1) + 1):
            if not self._move_one(partitions, owner, counts, eligible):
                break
        result: dict[str, dict[uuid.UUID, set[int]]] = {}
        for (tid, p), member in owner.items():
            result.setdefault(member, {}).setdefault(tid, set()).add(p)
        return _freeze(result, members)

    @staticmethod
    def _move_one(
        partitions: list[tuple[uuid.UUID, int]],
        owner: dict[tuple[uuid.UUID, int], str],
        counts: dict[str, int],
        eligible: Mapping[uuid.UUID, list[str]],
    ) -> bool:
        # Highest-numbered partitions of the most loaded member move first, so the
        # low-numbered ones stay put.
        for giver in sorted(counts, key=lambda m: (-counts[m], m)):
            for tp in reversed(partitions):
                if owner.get(tp) != giver:
                    continue
                taker = min(eligible[tp[0]], key=lambda m: (counts[m], m))
                if counts[taker] + 1 < counts[giver]:
                    owner[tp] = taker
                    counts[giver] -= 1
                    counts[taker] += 1
                    return True
        return False


class RangeAssignor:
    name = "range"

    def assign(self, spec: AssignmentSpec) -> dict[str, Assignment]:
        members = sorted(spec.subscriptions)
        result: dict[str, dict[uuid.UUID, set[int]]] = {}
        for name in sorted({t for subs in spec.subscriptions.values() for t in subs}):
            topic = spec.topics.get(name)
            if topic is None:
                continue
            subscribers = [m for m in members if name in spec.subscriptions[m]]
            if not subscribers:
                continue
            quota, extra = divmod(topic.partitions, len(subscribers))
            start = 0
            for index, member in enumerate(subscribers):
                size = quota + (1 if index < extra else 0)
                if size:
                    result.setdefault(member, {})[topic.topic_id] = set(range(start, start + size))
                start += size
        return _freeze(result, members)


ASSIGNORS: Mapping[str, Assignor] = {
    assignor.name: assignor for assignor in (UniformAssignor(), RangeAssignor())
}
