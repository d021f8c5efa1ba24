"""The state of one partition for one share group (KIP-932), Kafka's ``SharePartition``
without I/O: which records are handed out to whom, until when, and how often.

Offsets below the share-partition start offset (SPSO, ``start_offset``) are done with;
offsets from the end offset (SPEO, ``end_offset``) on were never acquired. Every offset in
between is in flight, in one of Kafka's record states:

- AVAILABLE: may be acquired by the next fetch of any member;
- ACQUIRED: handed to one member, locked until its deadline
  (``group.share.record.lock.duration.ms``); the member acknowledges it:
  ACCEPT makes it ACKNOWLEDGED, RELEASE makes it AVAILABLE again, REJECT (and GAP, for an
  offset with no record) makes it ARCHIVED; RENEW (KIP-1222) extends the lock;
- ACKNOWLEDGED and ARCHIVED are final; once every offset from the SPSO on is final the
  SPSO moves past them and they are forgotten.

Each acquisition counts a delivery. A record released (by its member, a lock that expires,
or a member that leaves) after ``group.share.delivery.count.limit`` deliveries is ARCHIVED
instead of AVAILABLE: a poison record is not redelivered forever. The in-flight window
(SPEO - SPSO) is capped at ``group.share.partition.max.record.locks``; a full window
acquires nothing new until the SPSO moves.

Control batches (transaction markers) and offsets with no record (compaction) are
archived as the SPEO passes them; members never see them acquired.

Time comes from an injected clock in milliseconds, so tests step it without sleeping;
``next_deadline``/``expire_locks`` let the caller run one timer per partition.

``state_batches``/``restore`` are the persisted form (Kafka's ShareSnapshot
``StateBatches``): runs of offsets with their delivery state and count, where an
ACQUIRED record is stored AVAILABLE (its lock does not survive a restart).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum

from .errors import GroupErrorCode

__all__ = [
    "AcknowledgeType",
    "AcquiredRange",
    "FetchedBatch",
    "RecordState",
    "SharePartition",
    "SharePartitionConfig",
    "StateBatch",
]

_E = GroupErrorCode


class RecordState(IntEnum):
    """Kafka's ``RecordState`` ids, which the share-group state records store."""

    AVAILABLE = 0
    ACQUIRED = 1
    ACKNOWLEDGED = 2
    ARCHIVED = 4


class AcknowledgeType(IntEnum):
    """The acknowledge types of ShareFetch/ShareAcknowledge."""

    GAP = 0
    ACCEPT = 1
    RELEASE = 2
    REJECT = 3
    RENEW = 4


FINAL = (RecordState.ACKNOWLEDGED, RecordState.ARCHIVED)


@dataclass(frozen=True, slots=True)
class SharePartitionConfig:
    delivery_count_limit: int = 5  # group.share.delivery.count.limit
    record_lock_duration_ms: int = 30_000  # group.share.record.lock.duration.ms
    max_record_locks: int = 2_000  # group.share.partition.max.record.locks


@dataclass(frozen=True, slots=True)
class FetchedBatch:
    """A record batch read from the log: its offsets and whether it is a control batch."""

    first_offset: int
    last_offset: int
    is_control: bool = False


@dataclass(frozen=True, slots=True)
class AcquiredRange:
    """Offsets acquired together, all delivered ``delivery_count`` times (AcquiredRecords)."""

    first_offset: int
    last_offset: int
    delivery_count: int


@dataclass(frozen=True, slots=True)
class StateBatch:
    first_offset: int
    last_offset: int
    delivery_state: int
    delivery_count: int


@dataclass(slots=True)
class _InFlight:
    state: RecordState
    delivery_count: int = 0
    member_id: str | None = None
    deadline_ms: int = 0


class SharePartition:
    def __init__(self, config: SharePartitionConfig, clock: Callable[[], int]) -> None:
        self.config = config
        self._clock = clock
        self.start_offset = -1
        """The SPSO; -1 until the first fetch (or a restore) sets it."""
        self.end_offset = -1
        """The SPEO: the first offset never acquired."""
        self.state_epoch = 0
        self._records: dict[int, _InFlight] = {}

    # -- set up -------------------------------------------------------------------------------

    @property
    def initialized(self) -> bool:
        return self.start_offset >= 0

    def initialize(self, offset: int) -> None:
        """Start at ``offset`` (from ``share.auto.offset.reset``) unless already started."""
        if not self.initialized:
            self.start_offset = self.end_offset = max(offset, 0)

    def reset(self, offset: int) -> None:
        """Start over at ``offset``, forgetting everything in flight (AlterShareGroupOffsets,
        only while the group has no members)."""
        self._records.clear()
        self.start_offset = self.end_offset = max(offset, 0)
        self.state_epoch += 1

    def restore(self, start_offset: int, batches: Iterable[StateBatch], state_epoch: int = 0) -> None:
        self._records.clear()
        self.start_offset = self.end_offset = start_offset
        self.state_epoch = state_epoch
        for batch in sorted(batches, key=lambda b: b.first_offset):
            state = RecordState(batch.delivery_state)
            if state is RecordState.ACQUIRED:
                state = RecordState.AVAILABLE
            for offset in range(max(batch.first_offset, start_offset), batch.last_offset + 1):
                self._records[offset] = _InFlight(state, batch.delivery_count)
            self.end_offset = max(self.end_offset, batch.last_offset + 1)
        for offset in range(self.start_offset, self.end_offset):
            # Offsets a snapshot does not name were done with.
            self._records.setdefault(offset, _InFlight(RecordState.ARCHIVED))
        self._advance_start()

    def move_start(self, offset: int) -> bool:
        """Archive everything below ``offset`` (records the log no longer has); True if the
        SPSO moved."""
        if not self.initialized or offset <= self.start_offset:
            return False
        for number in range(self.start_offset, min(offset, self.end_offset)):
            self._records.pop(number, None)
        self.start_offset = offset
        self.end_offset = max(self.end_offset, offset)
        return True

    # -- fetching -----------------------------------------------------------------------------

    def next_fetch_offset(self) -> int | None:
        """Where the next fetch should read from: the first AVAILABLE record, else the
        SPEO; None when nothing can be acquired (the window is full)."""
        for offset in range(self.start_offset, self.end_offset):
            if self._records[offset].state is RecordState.AVAILABLE:
                return offset
        if self.end_offset - self.start_offset >= self.config.max_record_locks:
            return None
        return self.end_offset

    def acquire(
        self, member_id: str, batches: Sequence[FetchedBatch], max_records: int, *,
        record_limit: bool = False,
    ) -> list[AcquiredRange]:
        """Acquire for ``member_id`` the AVAILABLE and new records of ``batches`` (read from
        the log at ``next_fetch_offset``). At most ``max_records``, except that in the
        default batch-optimized mode a batch begun is acquired whole (Kafka's alignment to
        batch boundaries); ``record_limit`` (ShareAcquireMode 1) never exceeds it."""
        now = self._clock()
        deadline = now + self.config.record_lock_duration_ms
        acquired: list[tuple[int, int]] = []
        limit = max(max_records, 1)
        for batch in sorted(batches, key=lambda b: b.first_offset):
            if len(acquired) >= limit:
                break
            for offset in range(max(batch.first_offset, self.start_offset), batch.last_offset + 1):
                if record_limit and len(acquired) >= limit:
                    break
                if offset < self.end_offset:
                    record = self._records[offset]
                    if record.state is not RecordState.AVAILABLE or batch.is_control:
                        continue
                else:
                    if offset - self.start_offset >= self.config.max_record_locks:
                        break
                    for gap in range(self.end_offset, offset):  # compacted away: no record
                        self._records[gap] = _InFlight(RecordState.ARCHIVED)
                    self.end_offset = offset + 1
                    if batch.is_control:
                        self._records[offset] = _InFlight(RecordState.ARCHIVED)
                        continue
                    record = self._records[offset] = _InFlight(RecordState.AVAILABLE)
                record.state = RecordState.ACQUIRED
                record.delivery_count += 1
                record.member_id = member_id
                record.deadline_ms = deadline
                acquired.append((offset, record.delivery_count))
        self._advance_start()
        return _ranges(acquired)

    # -- acknowledging ------------------------------------------------------------------------

    def acknowledge(
        self, member_id: str, first_offset: int, last_offset: int, types: Sequence[int]
    ) -> tuple[GroupErrorCode, bool]:
        """Apply one acknowledgement batch: one type for the range, or one per offset.
        Returns the error (INVALID_REQUEST for a malformed batch, INVALID_RECORD_STATE when
        a record is not acquired by this member; nothing changes then) and whether records
        became AVAILABLE again."""
        count = last_offset - first_offset + 1
        if count <= 0 or len(types) not in (1, count) or any(
            t not in AcknowledgeType._value2member_map_ for t in types
        ):
            return _E.INVALID_REQUEST, False
        for offset in range(first_offset, last_offset + 1):
            record = self._records.get(offset) if self.start_offset <= offset < self.end_offset else None
            if record is None or record.state is not RecordState.ACQUIRED or record.member_id != member_id:
                return _E.INVALID_RECORD_STATE, False
        released = False
        now = self._clock()
        for index, offset in enumerate(range(first_offset, last_offset + 1)):
            kind = AcknowledgeType(types[index] if len(types) > 1 else types[0])
            record = self._records[offset]
            if kind is AcknowledgeType.ACCEPT:
                self._finish(record, RecordState.ACKNOWLEDGED)
            elif kind is AcknowledgeType.RELEASE:
                released |= self._release(record)
            elif kind is AcknowledgeType.RENEW:
                record.deadline_ms = now + self.config.record_lock_duration_ms
            else:  # REJECT, GAP
                self._finish(record, RecordState.ARCHIVED)
        self._advance_start()
        return _E.NONE, released

    def holds(self, member_id: str) -> bool:
        """Whether ``member_id`` has records acquired here."""
        return any(
            r.state is RecordState.ACQUIRED and r.member_id == member_id for r in self._records.values()
        )

    def release_member(self, member_id: str) -> int:
        """Release every record ``member_id`` holds (it left, or its share session closed);
        returns how many became AVAILABLE."""
        count = 0
        for record in self._records.values():
            if record.state is RecordState.ACQUIRED and record.member_id == member_id:
                count += self._release(record)
        self._advance_start()
        return count

    # -- locks --------------------------------------------------------------------------------

    def next_deadline(self) -> int | None:
        deadlines = [r.deadline_ms for r in self._records.values() if r.state is RecordState.ACQUIRED]
        return min(deadlines) if deadlines else None

    def expire_locks(self) -> int:
        """Release the records whose lock has expired; returns how many became AVAILABLE."""
        now = self._clock()
        count = 0
        for record in self._records.values():
            if record.state is RecordState.ACQUIRED and record.deadline_ms <= now:
                count += self._release(record)
        self._advance_start()
        return count

    # -- views --------------------------------------------------------------------------------

    def state_of(self, offset: int) -> tuple[RecordState, int] | None:
        """(state, delivery count) of an in-flight offset; None outside the window."""
        record = self._records.get(offset)
        return None if record is None else (record.state, record.delivery_count)

    def in_flight(self) -> int:
        return self.end_offset - self.start_offset if self.initialized else 0

    def state_batches(self) -> list[StateBatch]:
        batches: list[StateBatch] = []
        for offset in range(self.start_offset, self.end_offset):
            record = self._records[offset]
            state = RecordState.AVAILABLE if record.state is RecordState.ACQUIRED else record.state
            last = batches[-1] if batches else None
            if last is not None and last.last_offset == offset - 1 and (
                last.delivery_state, last.delivery_count) == (state, record.delivery_count):
                batches[-1] = StateBatch(last.first_offset, offset, state, record.delivery_count)
            else:
                batches.append(StateBatch(offset, offset, state, record.delivery_count))
        return batches

    # -- internals ----------------------------------------------------------------------------

    def _release(self, record: _InFlight) -> bool:
        record.member_id = None
        record.deadline_ms = 0
        if record.delivery_count >= self.config.delivery_count_limit:
            record.state = RecordState.ARCHIVED
            return False
        record.state = RecordState.AVAILABLE
        return True

    @staticmethod
    def _finish(record: _InFlight, state: RecordState) -> None:
        record.state = state
        record.member_id = None
        record.deadline_ms = 0

    def _advance_start(self) -> None:
        while self.start_offset < self.end_offset and self._records[self.start_offset].state in FINAL:
            del self._records[self.start_offset]
            self.start_offset += 1


def _ranges(acquired: list[tuple[int, int]]) -> list[AcquiredRange]:
    ranges: list[AcquiredRange] = []
    for offset, count in acquired:
        last = ranges[-1] if ranges else None
        if last is not None and last.last_offset == offset - 1 and last.delivery_count == count:
            ranges[-1] = AcquiredRange(last.first_offset, offset, count)
        else:
            ranges.append(AcquiredRange(offset, offset, count))
    return ranges
