"""Transaction state while the cleaner walks a log: which batches belong to aborted
transactions, and which markers may go (Kafka's ``CleanedTransactionMetadata``).

The cleaner feeds every batch it reads, in offset order, to one ``CleanedTransactions``
built from the ``.txnindex`` entries that may concern those batches:
- ``on_batch`` (data batches): an entry starts applying to its producer once the walk
  reaches its first offset; a transactional batch of a producer with an applying entry is
  aborted data (``True``: discard its records); any other transactional batch belongs to a
  committed (or, past the LSO, open) transaction and is kept;
- ``on_marker`` (control batches): ``True`` when the marker may be discarded, which, as in
  Kafka, needs its transaction to have no data left: an ABORT whose transaction showed no
  batch in this walk, a COMMIT whose transaction showed none either, or an empty control
  batch. An ABORT that still has data is kept, and its entry goes to ``retained``: the
  cleaned segment's ``.txnindex``.
The caller does not drop a discardable marker at once: it first gets a delete horizon of
``now + delete.retention.ms`` and goes in a later clean after the horizon (KIP-534's
tombstone rule, which Kafka reuses for markers), so that a consumer that read the
transaction's data before the clean still sees its end.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from kafkalite.protocol.records import BatchHeader
from kafkalite.storage.txn_index import AbortedTxn
from kafkalite.storage.txn_marker import ControlType, EndTxnMarker

__all__ = ["CleanedTransactions"]


class CleanedTransactions:
    """One walk over consecutive batches (see the module docstring)."""

    def __init__(self, aborted: Iterable[AbortedTxn]) -> None:
        self._pending = deque(sorted(aborted, key=lambda txn: txn.first_offset))
        self._aborted: dict[int, tuple[AbortedTxn, bool]] = {}  # pid -> (entry, data seen)
        self._committed: set[int] = set()  # producers with data of a transaction seen
        self.retained: list[AbortedTxn] = []

    def _reach(self, offset: int) -> None:
        while self._pending and self._pending[0].first_offset <= offset:
            txn = self._pending.popleft()
            self._aborted.setdefault(txn.producer_id, (txn, False))

    def on_batch(self, header: BatchHeader) -> bool:
        """A data batch: ``True`` when it belongs to an aborted transaction."""
        self._reach(header.last_offset)
        if not header.is_transactional:
            return False
        found = self._aborted.get(header.producer_id)
        if found is not None:
            self._aborted[header.producer_id] = (found[0], True)
            return True
        self._committed.add(header.producer_id)
        return False

    def on_marker(self, header: BatchHeader, marker: EndTxnMarker | None) -> bool:
        """A control batch (``marker`` read from it, ``None`` if it holds no marker):
        ``True`` when it may be discarded."""
        self._reach(header.last_offset)
        if header.records_count == 0:
            return True  # an empty control batch: a clean already emptied it
        if marker is None:
            return False
        if marker.control_type is ControlType.ABORT:
            found = self._aborted.pop(header.producer_id, None)
            if found is not None and found[1]:
                self.retained.append(found[0])
                return False
            return True
        if header.producer_id in self._committed:
            self._committed.discard(header.producer_id)
            return False
        return True
