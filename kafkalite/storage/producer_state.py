"""Producer state of one partition: epochs, sequences, recent batches, open transactions.

The counterpart of Kafka's ``ProducerStateManager``/``ProducerStateEntry``/
``ProducerAppendInfo``. Per producer id it keeps the epoch and the metadata of the last 5
batches (``NUM_BATCHES_TO_RETAIN``: a producer has at most 5 requests in flight), which is
what duplicate detection needs, and the first offset of the producer's open transaction.

Rules applied to batches from clients (``check``), in Kafka's order:
1. a batch whose epoch equals the producer's and whose (first, last) sequence equals one of
   the cached batches is a retried duplicate: the caller answers with the cached offsets and
   appends nothing (``ProducerStateEntry.findDuplicateBatch``);
2. an epoch lower than the producer's -> ``InvalidProducerEpochError`` (since Kafka 2.7 this
   replaces PRODUCER_FENCED on produce);
3. a new epoch must start at sequence 0, unless the producer is unknown -> otherwise
   ``OutOfOrderSequenceError``;
4. same epoch: the first sequence must follow the last one (int32 wrap) ->
   ``OutOfOrderSequenceError``.
A producer the partition has no state for is accepted at any sequence. That is what Kafka
does since 2.5 (KIP-360 moved UNKNOWN_PRODUCER_ID handling to the client: the broker only
enforces sequence 0 for a fresh producer under transactions v2, which kafkalite does not
offer), and it keeps producers working after their state was lost.

Snapshots use Kafka's ``.snapshot`` layout (``ProducerSnapshot.json``, version 1), all
big-endian: version int16, crc uint32 (CRC-32C of every byte after it), an int32 count, then
per producer: producer id int64, epoch int16, last sequence int32, last offset int64, offset
delta int32, timestamp int64, coordinator epoch int32, current transaction first offset int64.
As in Kafka, a snapshot keeps only the producer's *last* batch, so after a restart only a
retry of that batch is recognised as a duplicate.

Transactions (``ProducerAppendInfo.appendDataBatch``/``appendEndTxnMarker``):
- a transactional batch (attributes bit 4) from a producer with no open transaction opens
  one at the batch's base offset (``current_txn_first_offset``); later ones extend it;
- a non-transactional batch from a producer with an open transaction is refused with
  ``InvalidTxnStateError``;
- a COMMIT or ABORT marker (``end_txn``) closes the open transaction. Before it is written,
  ``check_marker`` refuses an epoch older than the producer's (``InvalidProducerEpochError``)
  and a coordinator epoch older than the last marker's
  (``TransactionCoordinatorFencedError``). A marker for a producer with no open transaction
  is written too but completes nothing: Kafka emits a ``CompletedTxn`` only for non-empty
  transactions, so it neither moves the LSO nor adds an aborted-transaction entry;
- ``first_unstable_offset`` is the first offset of the oldest open transaction, from which
  the log derives its last stable offset. Open transactions are kept in the snapshot
  (``current_txn_first_offset``) and rebuilt from it at load.
Replaying the log at start-up (``update``, ``end_txn``) applies no checks, as Kafka's
REPLICATION origin does.
"""

from __future__ import annotations

import struct
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kafkalite.protocol.crc import crc32c
from kafkalite.protocol.records import BatchHeader
from kafkalite.storage.errors import (
    InvalidProducerEpochError,
    InvalidTxnStateError,
    OutOfOrderSequenceError,
    TransactionCoordinatorFencedError,
)

__all__ = [
    "NUM_BATCHES_TO_RETAIN",
    "BatchMetadata",
    "CompletedTxn",
    "CorruptSnapshotError",
    "ProducerStateEntry",
    "ProducerStateManager",
]

NUM_BATCHES_TO_RETAIN = 5
SNAPSHOT_VERSION = 1
_SNAPSHOT_HEAD = struct.Struct(">hIi")  # version, crc, entry count
_SNAPSHOT_ENTRY = struct.Struct(">qhiqiqiq")
_CRC_START = 6  # after version and crc
_SEQUENCE_MOD = 1 << 31


class CorruptSnapshotError(Exception):
    """A producer snapshot that fails its version, length or CRC check."""


@dataclass(frozen=True, slots=True)
class BatchMetadata:
    """Kafka's ``BatchMetadata``: one appended batch of a producer."""

    last_seq: int
    last_offset: int
    offset_delta: int
    timestamp: int

    @property
    def first_seq(self) -> int:
        return (self.last_seq - self.offset_delta) % _SEQUENCE_MOD

    @property
    def first_offset(self) -> int:
        return self.last_offset - self.offset_delta


@dataclass(frozen=True, slots=True)
class CompletedTxn:
    """Kafka's ``CompletedTxn``: a transaction a marker closed. ``last_offset`` is the
    marker's offset; ``last_stable_offset`` is the LSO once it is closed (the first offset
    of the oldest other open transaction, else ``last_offset + 1``), which Kafka stores in
    the transaction index to bound its searches."""

    producer_id: int
    first_offset: int
    last_offset: int
    is_aborted: bool
    last_stable_offset: int


@dataclass(slots=True)
class ProducerStateEntry:
    producer_id: int
    producer_epoch: int = -1
    batches: deque[BatchMetadata] = field(
        default_factory=lambda: deque(maxlen=NUM_BATCHES_TO_RETAIN)
    )
    last_timestamp: int = -1
    coordinator_epoch: int = -1
    current_txn_first_offset: int = -1

    @property
    def last_seq(self) -> int:
        return self.batches[-1].last_seq if self.batches else -1

    def find_duplicate(self, header: BatchHeader) -> BatchMetadata | None:
        if header.producer_epoch != self.producer_epoch:
            return None
        first, last = header.base_sequence, header.last_sequence
        for batch in self.batches:
            if batch.first_seq == first and batch.last_seq == last:
                return batch
        return None

    def update_epoch(self, epoch: int) -> None:
        """A new epoch restarts the sequences: the cached batches go."""
        if epoch != self.producer_epoch:
            self.batches.clear()
            self.producer_epoch = epoch

    def add_batch(self, header: BatchHeader) -> None:
        """Record an appended batch (offsets already assigned)."""
        self.update_epoch(header.producer_epoch)
        self.batches.append(
            BatchMetadata(
                header.last_sequence, header.last_offset, header.last_offset_delta,
                header.max_timestamp,
            )
        )
        self.last_timestamp = header.max_timestamp


def _in_sequence(last_seq: int, next_seq: int) -> bool:
    return next_seq == last_seq + 1 or (next_seq == 0 and last_seq == _SEQUENCE_MOD - 1)


class ProducerStateManager:
    """Producer id -> state for one partition, plus the offset the state is valid up to."""

    def __init__(self) -> None:
        self.producers: dict[int, ProducerStateEntry] = {}
        self.map_end_offset = 0  # state reflects every batch below this offset
        # producer id -> first offset of its open transaction, oldest first (transactions
        # open in log order, so insertion order is offset order)
        self._open_txns: dict[int, int] = {}

    @property
    def first_unstable_offset(self) -> int | None:
        """First offset of the oldest open transaction, ``None`` when none is open."""
        return next(iter(self._open_txns.values()), None)

    @property
    def open_transactions(self) -> dict[int, int]:
        """A copy of producer id -> first offset of its open transaction, oldest first."""
        return dict(self._open_txns)

    def find_duplicate(self, headers: Sequence[BatchHeader]) -> BatchMetadata | None:
        """The cached metadata of the first batch that is a retry, as
        ``UnifiedLog.analyzeAndValidateProducerState`` does (first hit wins)."""
        for header in headers:
            if header.producer_id >= 0:
                entry = self.producers.get(header.producer_id)
                if entry is not None and (found := entry.find_duplicate(header)) is not None:
                    return found
        return None

    def check(self, headers: Sequence[BatchHeader]) -> None:
        """Raise if any batch breaks the epoch or sequence rules (see module docstring).
        Batches of one append are checked in order, each against the state the earlier
        ones would leave."""
        # producer id -> (epoch, last sequence, in a transaction)
        pending: dict[int, tuple[int, int, bool]] = {}
        for header in headers:
            producer_id = header.producer_id
            if producer_id < 0:
                continue
            if producer_id in pending:
                epoch, last_seq, in_txn = pending[producer_id]
            else:
                entry = self.producers.get(producer_id)
                epoch, last_seq = (entry.producer_epoch, entry.last_seq) if entry else (-1, -1)
                in_txn = producer_id in self._open_txns
            self._check_one(header, epoch, last_seq)
            if in_txn and not header.is_transactional:
                raise InvalidTxnStateError(
                    f"producer {producer_id} sent a non-transactional batch while its "
                    "transaction is open"
                )
            pending[producer_id] = (
                header.producer_epoch, header.last_sequence, in_txn or header.is_transactional
            )

    def check_marker(self, producer_id: int, producer_epoch: int, coordinator_epoch: int) -> None:
        """Raise if a COMMIT/ABORT marker may not be written (module docstring)."""
        entry = self.producers.get(producer_id)
        if entry is None:
            return
        if producer_epoch < entry.producer_epoch:
            raise InvalidProducerEpochError(
                f"marker for producer {producer_id} has epoch {producer_epoch}, older than "
                f"the current epoch {entry.producer_epoch}"
            )
        if coordinator_epoch < entry.coordinator_epoch:
            raise TransactionCoordinatorFencedError(
                f"marker for producer {producer_id} has coordinator epoch {coordinator_epoch}, "
                f"older than {entry.coordinator_epoch}"
            )

    @staticmethod
    def _check_one(header: BatchHeader, epoch: int, last_seq: int) -> None:
        producer_id, first_seq = header.producer_id, header.base_sequence
        if header.producer_epoch < epoch:
            raise InvalidProducerEpochError(
                f"producer {producer_id} has epoch {header.producer_epoch}, "
                f"older than the current epoch {epoch}"
            )
        if header.producer_epoch != epoch:
            if first_seq != 0 and epoch != -1:
                raise OutOfOrderSequenceError(
                    f"producer {producer_id} starts epoch {header.producer_epoch} "
                    f"at sequence {first_seq}, expected 0"
                )
        elif epoch != -1 and not _in_sequence(last_seq, first_seq):
            raise OutOfOrderSequenceError(
                f"producer {producer_id} sent sequence {first_seq} after {last_seq}"
            )

    def _entry(self, producer_id: int) -> ProducerStateEntry:
        entry = self.producers.get(producer_id)
        if entry is None:
            entry = self.producers[producer_id] = ProducerStateEntry(producer_id)
        return entry

    def update(self, headers: Iterable[BatchHeader]) -> None:
        """Apply appended data batches (offsets assigned). Also used, without ``check``,
        when replaying the log at start-up (Kafka's REPLICATION origin). Control batches
        only advance ``map_end_offset``: their effect is ``end_txn``'s."""
        for header in headers:
            if header.producer_id >= 0 and not header.is_control:
                entry = self._entry(header.producer_id)
                entry.add_batch(header)
                if header.is_transactional and entry.current_txn_first_offset < 0:
                    entry.current_txn_first_offset = header.base_offset
                    self._open_txns[header.producer_id] = header.base_offset
            self.map_end_offset = header.next_offset

    def end_txn(
        self, producer_id: int, producer_epoch: int, *, marker_offset: int, commit: bool,
        coordinator_epoch: int, timestamp: int,
    ) -> CompletedTxn | None:
        """Apply a COMMIT/ABORT marker written at ``marker_offset`` (no checks: see
        ``check_marker``); the transaction it closed, or ``None`` if none was open."""
        entry = self._entry(producer_id)
        completed = None
        first = entry.current_txn_first_offset
        if first >= 0:
            del self._open_txns[producer_id]
            lso = next(iter(self._open_txns.values()), marker_offset + 1)
            completed = CompletedTxn(producer_id, first, marker_offset, not commit, lso)
        entry.update_epoch(producer_epoch)
        entry.current_txn_first_offset = -1
        entry.coordinator_epoch = coordinator_epoch
        entry.last_timestamp = timestamp
        self.map_end_offset = marker_offset + 1
        return completed

    # -- snapshots -------------------------------------------------------------------------

    def snapshot_bytes(self) -> bytes:
        body = bytearray(_SNAPSHOT_HEAD.size + _SNAPSHOT_ENTRY.size * len(self.producers))
        pos = _SNAPSHOT_HEAD.size
        for producer_id, entry in self.producers.items():
            last = entry.batches[-1] if entry.batches else None
            _SNAPSHOT_ENTRY.pack_into(
                body, pos, producer_id, entry.producer_epoch, entry.last_seq,
                last.last_offset if last else -1, last.offset_delta if last else 0,
                entry.last_timestamp, entry.coordinator_epoch, entry.current_txn_first_offset,
            )
            pos += _SNAPSHOT_ENTRY.size
        _SNAPSHOT_HEAD.pack_into(body, 0, SNAPSHOT_VERSION, 0, len(self.producers))
        struct.pack_into(">I", body, 2, crc32c(memoryview(body)[_CRC_START:]))
        return bytes(body)

    def load_snapshot(self, data: bytes, snapshot_offset: int) -> None:
        """Replace the state with a snapshot taken at ``snapshot_offset``."""
        if len(data) < _SNAPSHOT_HEAD.size:
            raise CorruptSnapshotError(f"snapshot of {len(data)} bytes is too short")
        version, crc, count = _SNAPSHOT_HEAD.unpack_from(data)
        if version != SNAPSHOT_VERSION:
            raise CorruptSnapshotError(f"unknown snapshot version {version}")
        if crc32c(memoryview(data)[_CRC_START:]) != crc:
            raise CorruptSnapshotError("snapshot fails its CRC")
        if count < 0 or len(data) != _SNAPSHOT_HEAD.size + count * _SNAPSHOT_ENTRY.size:
            raise CorruptSnapshotError(f"snapshot length does not match {count} entries")
        producers: dict[int, ProducerStateEntry] = {}
        for values in _SNAPSHOT_ENTRY.iter_unpack(memoryview(data)[_SNAPSHOT_HEAD.size :]):
            (producer_id, epoch, last_seq, last_offset, offset_delta, timestamp,
             coordinator_epoch, txn_first_offset) = values
            entry = ProducerStateEntry(
                producer_id, epoch, last_timestamp=timestamp,
                coordinator_epoch=coordinator_epoch, current_txn_first_offset=txn_first_offset,
            )
            if last_offset >= 0:
                entry.batches.append(BatchMetadata(last_seq, last_offset, offset_delta, timestamp))
            producers[producer_id] = entry
        self.producers = producers
        self._open_txns = {
            entry.producer_id: entry.current_txn_first_offset
            for entry in sorted(producers.values(), key=lambda e: e.current_txn_first_offset)
            if entry.current_txn_first_offset >= 0
        }
        self.map_end_offset = snapshot_offset
