"""Incremental fetch sessions (KIP-227): the per-broker cache of what each fetcher asked for.

A consumer fetching many partitions sends them all once (session epoch 0), gets a session id,
and from then on sends only the partitions whose fetch position or limits changed, plus the
partitions to drop (``forgotten_topics_data``); the broker answers only the partitions with
something new (records, an error, or a moved high watermark, last stable offset or log
start offset). Epoch -1 closes the session.

This module holds the cache and its eviction rule, as Kafka's ``FetchSessionCache`` does:
at most ``max.incremental.fetch.session.cache.slots`` sessions per broker; when full, a
session unused for ``min.incremental.fetch.session.eviction.ms`` is evicted first, else the
smallest session if the new one has more partitions; if neither applies the fetcher gets no
session (id 0) and keeps sending full fetches. A client whose session was evicted gets
FETCH_SESSION_ID_NOT_FOUND on its next incremental fetch and starts over with a full one,
so eviction costs bandwidth, never records.

Partitions are keyed by topic name (Fetch v7-v12) or topic id (v13+, KIP-516); a session
remembers which, and a request of the other kind is FETCH_SESSION_TOPIC_ID_ERROR.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

__all__ = [
    "FINAL_EPOCH",
    "INITIAL_EPOCH",
    "INVALID_SESSION_ID",
    "CachedPartition",
    "FetchSession",
    "FetchSessionCache",
    "PartitionKey",
    "next_epoch",
]

INVALID_SESSION_ID = 0
INITIAL_EPOCH = 0
FINAL_EPOCH = -1
_MAX_EPOCH = 0x7FFFFFFF

PartitionKey = tuple[str | uuid.UUID, int]
"""(topic name or topic id, partition)."""


def next_epoch(epoch: int) -> int:
    """The epoch the fetcher must send next (Kafka's ``FetchMetadata.nextEpoch``)."""
    if epoch < 0:
        return FINAL_EPOCH
    return 1 if epoch == _MAX_EPOCH else epoch + 1


@dataclass(slots=True)
class CachedPartition:
    """What the fetcher asked for, and what it was last told (-1: never told, so the
    partition is in the next answer)."""

    fetch_offset: int
    partition_max_bytes: int
    current_leader_epoch: int = -1
    high_watermark: int = -1
    last_stable_offset: int = -1
    log_start_offset: int = -1


@dataclass(slots=True)
class FetchSession:
    id: int
    uses_topic_ids: bool
    partitions: dict[PartitionKey, CachedPartition]
    """In fetch order: a partition answered with records moves to the end, so every
    partition gets its turn under ``max_bytes``."""
    epoch: int = field(default=next_epoch(INITIAL_EPOCH))
    """The epoch the next incremental request must carry."""
    last_used: float = 0.0

    def update(self, changed: Iterable[tuple[PartitionKey, CachedPartition]],
               forgotten: Iterable[PartitionKey]) -> None:
        """Apply an incremental request: changed or added partitions, then the dropped ones."""
        for key, wanted in changed:
            cached = self.partitions.get(key)
            if cached is None:
                self.partitions[key] = wanted
            else:
                cached.fetch_offset = wanted.fetch_offset
                cached.partition_max_bytes = wanted.partition_max_bytes
                cached.current_leader_epoch = wanted.current_leader_epoch
        for key in forgotten:
            self.partitions.pop(key, None)

    def rotate(self, key: PartitionKey) -> None:
        """Move a partition to the end of the fetch order."""
        self.partitions[key] = self.partitions.pop(key)


class FetchSessionCache:
    """One broker's fetch sessions, bounded by ``max_slots``."""

    def __init__(self, max_slots: int, eviction_ms: int,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_slots = max_slots
        self.eviction_s = eviction_ms / 1000
        self._clock = clock
        self._sessions: dict[int, FetchSession] = {}  # least recently used first
        self.evictions = 0
        self.created = 0

    def __len__(self) -> int:
        return len(self._sessions)

    def get(self, session_id: int) -> FetchSession | None:
        return self._sessions.get(session_id)

    def touch(self, session: FetchSession) -> None:
        session.last_used = self._clock()
        if self._sessions.pop(session.id, None) is not None:
            self._sessions[session.id] = session

    def remove(self, session_id: int) -> FetchSession | None:
        return self._sessions.pop(session_id, None)

    def create(self, partitions: dict[PartitionKey, CachedPartition],
               uses_topic_ids: bool) -> FetchSession | None:
        """A new session for ``partitions``, or None when the cache is full and nothing may
        be evicted for it (the fetcher then stays sessionless)."""
        if self.max_slots <= 0:
            return None
        if len(self._sessions) >= self.max_slots and not self._evict_for(len(partitions)):
            return None
        session_id = INVALID_SESSION_ID
        while session_id == INVALID_SESSION_ID or session_id in self._sessions:
            session_id = random.randint(1, _MAX_EPOCH)
        session = FetchSession(session_id, uses_topic_ids, partitions, last_used=self._clock())
        self._sessions[session_id] = session
        self.created += 1
        return session

    def _evict_for(self, size: int) -> bool:
        oldest = next(iter(self._sessions.values()))
        if self._clock() - oldest.last_used >= self.eviction_s:
            victim = oldest
        else:
            victim = min(self._sessions.values(), key=lambda s: (len(s.partitions), s.last_used))
            if len(victim.partitions) >= size:
                return False
        del self._sessions[victim.id]
        self.evictions += 1
        return True
