"""A segment's ``.txnindex``: the aborted transactions whose ABORT marker lies in it.

Kafka's ``TransactionIndex`` and ``AbortedTxn``. Entries are 34 bytes, big-endian: version
int16 (0), producer id int64, first offset int64 (the transaction's first offset, possibly
in an earlier segment), last offset int64 (the marker's offset), last stable offset int64
(the partition's LSO just after the marker). Entries are appended in marker order, so last
offsets strictly increase. As in Kafka the file is created by the first append: a segment
without aborted transactions has none, and a missing file is an empty index.

Unlike the offset and time indexes it cannot be rebuilt from its segment alone (a first
offset may lie in an earlier segment): the loader rebuilds it while replaying producer
state. ``problem`` says why a file found at open cannot be trusted (a torn entry, an unknown
version, offsets out of order or below the segment: Kafka's ``sanityCheck``).

The entries are also kept in memory (aborts are rare), so lookups never read the file.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ENTRY_SIZE", "AbortedTxn", "TransactionIndex", "TxnSearchResult"]

_ENTRY = struct.Struct(">hqqqq")
ENTRY_SIZE = _ENTRY.size  # 34
_VERSION = 0


@dataclass(frozen=True, slots=True)
class AbortedTxn:
    """One entry; ``last_offset`` is the ABORT marker's offset."""

    producer_id: int
    first_offset: int
    last_offset: int
    last_stable_offset: int

    def to_bytes(self) -> bytes:
        return _ENTRY.pack(
            _VERSION, self.producer_id, self.first_offset, self.last_offset,
            self.last_stable_offset,
        )


@dataclass(frozen=True, slots=True)
class TxnSearchResult:
    """Kafka's ``TxnIndexSearchResult``: the matches, and whether later segments can hold
    no more (an entry's LSO reached the upper bound)."""

    aborted: list[AbortedTxn]
    complete: bool


class TransactionIndex:
    """The ``.txnindex`` of the segment based at ``base_offset``."""

    def __init__(self, path: Path, base_offset: int) -> None:
        self.path = path
        self.base_offset = base_offset
        self.entries: list[AbortedTxn] = []
        self.problem: str | None = None
        self.fd = -1
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return
        if len(data) % ENTRY_SIZE:
            self.problem = f"{len(data)} bytes is not a whole number of entries"
        for values in _ENTRY.iter_unpack(data[: len(data) - len(data) % ENTRY_SIZE]):
            version, producer_id, first, last, lso = values
            if version != _VERSION:
                self.problem = f"entry version {version}"
            elif last < base_offset:
                self.problem = f"last offset {last} is below the segment base {base_offset}"
            elif self.entries and last <= self.entries[-1].last_offset:
                self.problem = f"last offset {last} does not increase"
            if self.problem is not None:
                break
            self.entries.append(AbortedTxn(producer_id, first, last, lso))

    def append(self, txn: AbortedTxn) -> None:
        """Add an entry at the end of the file (created if needed); ``OSError`` leaves the
        index unchanged in memory."""
        if self.entries and txn.last_offset <= self.entries[-1].last_offset:
            raise ValueError(
                f"aborted transaction at {txn.last_offset} is not after "
                f"{self.entries[-1].last_offset} in {self.path}"
            )
        if self.fd < 0:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        data = txn.to_bytes()
        position = len(self.entries) * ENTRY_SIZE
        written = 0
        while written < len(data):
            written += os.pwrite(self.fd, data[written:], position + written)
        self.entries.append(txn)

    def collect(self, fetch_offset: int, upper_bound_offset: int) -> TxnSearchResult:
        """The entries overlapping [``fetch_offset``, ``upper_bound_offset``), as Kafka's
        ``TransactionIndex.collectAbortedTxns``."""
        found: list[AbortedTxn] = []
        for txn in self.entries:
            if txn.last_offset >= fetch_offset and txn.first_offset < upper_bound_offset:
                found.append(txn)
            if txn.last_stable_offset >= upper_bound_offset:
                return TxnSearchResult(found, True)
        return TxnSearchResult(found, False)

    def reset(self) -> None:
        """Empty the index (before a rebuild); the file goes until the next append."""
        self.entries = []
        self.problem = None
        if self.fd >= 0:
            os.ftruncate(self.fd, 0)
        else:
            self.path.unlink(missing_ok=True)

    def close(self) -> int:
        """Give up the descriptor (-1 if the file was never written through this object);
        the caller fsyncs and closes it. A later append opens the file again."""
        fd, self.fd = self.fd, -1
        return fd
