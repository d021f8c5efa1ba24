"""TransactionStateManager: every transactional id's metadata and the ``__transaction_state``
records behind it (Kafka's class of the same name, one node, every partition local).

``write`` is the only way the coordinator changes a transaction: it checks the move against
the state table, appends the new metadata to the id's partition and, only if that append
succeeds, makes it current. ``replay`` rebuilds the registry from records in offset order.
Also here: the admin views (DescribeTransactions, ListTransactions) and the expiration of
idle transactional ids, which are questions about the registry as a whole.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Final

from kafkalite.internal_topics import partition_for
from kafkalite.protocol.errors import ErrorCode

from .api import (
    NO_PRODUCER_EPOCH,
    ListTransactionsResult,
    TransactionConfig,
    TransactionDescription,
    TransactionListing,
    TransactionStateLog,
)
from .records import TransactionLogRecordError, decode_key, decode_value, encode_key, encode_value
from .state import EXPIRATION_ALLOWED, TransactionMetadata, TransactionState, check_transition

__all__ = ["TransactionStateManager"]

log = logging.getLogger("kafkalite.transactions")

# A failed append to __transaction_state, as the client sees it
# (TransactionStateManager.appendTransactionToLog).
_APPEND_ERRORS: Final[Mapping[ErrorCode, ErrorCode]] = {
    ErrorCode.UNKNOWN_TOPIC_OR_PARTITION: ErrorCode.COORDINATOR_NOT_AVAILABLE,
    ErrorCode.NOT_ENOUGH_REPLICAS: ErrorCode.COORDINATOR_NOT_AVAILABLE,
    ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND: ErrorCode.COORDINATOR_NOT_AVAILABLE,
    ErrorCode.REQUEST_TIMED_OUT: ErrorCode.COORDINATOR_NOT_AVAILABLE,
    ErrorCode.NOT_LEADER_OR_FOLLOWER: ErrorCode.NOT_COORDINATOR,
    ErrorCode.KAFKA_STORAGE_ERROR: ErrorCode.NOT_COORDINATOR,
    ErrorCode.MESSAGE_TOO_LARGE: ErrorCode.UNKNOWN_SERVER_ERROR,
    ErrorCode.RECORD_LIST_TOO_LARGE: ErrorCode.UNKNOWN_SERVER_ERROR,
}


class TransactionStateManager:
    def __init__(self, state_log: TransactionStateLog, config: TransactionConfig) -> None:
        self.config = config
        self._log = state_log
        self._transactions: dict[str, TransactionMetadata] = {}
        self._by_producer_id: dict[int, str] = {}

    def get(self, transactional_id: str) -> TransactionMetadata | None:
        return self._transactions.get(transactional_id)

    def transactional_id_of(self, producer_id: int) -> str | None:
        return self._by_producer_id.get(producer_id)

    def __iter__(self) -> Iterator[TransactionMetadata]:
        """A snapshot: the caller may write while iterating."""
        return iter(list(self._transactions.values()))

    def __len__(self) -> int:
        return len(self._transactions)

    def partition_for(self, transactional_id: str) -> int:
        """The ``__transaction_state`` partition that holds ``transactional_id``."""
        return partition_for(transactional_id, self.config.transaction_state_log_num_partitions)

    # -- changes ---------------------------------------------------------------------------

    def put(self, meta: TransactionMetadata) -> None:
        """Remember ``meta`` without writing it (a new id before its first record, or
        partitions whose markers are written, which Kafka also forgets in memory only)."""
        old = self._transactions.get(meta.transactional_id)
        if (
            old is not None
            and old.producer_id != meta.producer_id
            and self._by_producer_id.get(old.producer_id) == meta.transactional_id
        ):
            del self._by_producer_id[old.producer_id]
        self._transactions[meta.transactional_id] = meta
        self._by_producer_id[meta.producer_id] = meta.transactional_id

    def forget(self, transactional_id: str) -> None:
        meta = self._transactions.pop(transactional_id, None)
        if meta is not None and self._by_producer_id.get(meta.producer_id) == transactional_id:
            del self._by_producer_id[meta.producer_id]

    def write(
        self, current: TransactionMetadata, target: TransactionMetadata, now_ms: int,
        *, via: TransactionState | None = None,
    ) -> ErrorCode:
        """Append ``target`` to the log and, only if that succeeds, make it current; ``via``
        names a state passed through without being written (PrepareEpochFence)."""
        check_transition(via or current.state, target.state)
        value = encode_value(target, self.config.transaction_log_value_version)
        error = self._log.append(
            self.partition_for(target.transactional_id),
            [(encode_key(target.transactional_id), value)], now_ms,
        )
        if error != ErrorCode.NONE:
            log.debug("Writing %s of %s failed: %s", target.state.label, target.transactional_id, error.name)
            return _APPEND_ERRORS.get(error, error)
        self.put(target)
        return ErrorCode.NONE

    def remove_expired(self, now_ms: int) -> list[str]:
        """Forget ids idle for ``transactional.id.expiration.ms`` with no transaction in
        flight: one tombstone batch per partition (``removeExpiredTransactionalIds``)."""
        cutoff = now_ms - self.config.transactional_id_expiration_ms
        by_partition: dict[int, list[TransactionMetadata]] = {}
        for meta in self._transactions.values():
            if meta.state in EXPIRATION_ALLOWED and meta.last_update_timestamp_ms <= cutoff:
                check_transition(meta.state, TransactionState.DEAD)
                by_partition.setdefault(self.partition_for(meta.transactional_id), []).append(meta)
        removed = []
        for partition, expired in sorted(by_partition.items()):
            records: list[tuple[bytes, bytes | None]] = [
                (encode_key(meta.transactional_id), None) for meta in expired
            ]
            error = self._log.append(partition, records, now_ms)
            if error != ErrorCode.NONE:
                log.warning("Could not expire %d transactional ids: %s", len(expired), error.name)
                continue
            for meta in expired:
                self.forget(meta.transactional_id)
                removed.append(meta.transactional_id)
                log.info("Expired transactional id %s (producer %d)", meta.transactional_id, meta.producer_id)
        return removed

    def replay(self, records: Iterable[tuple[bytes | None, bytes | None]]) -> list[TransactionMetadata]:
        """Apply ``__transaction_state`` records in offset order: the latest record of an id
        wins, a tombstone forgets it, unknown key versions are skipped. Returns the
        metadata the records left behind."""
        loaded: dict[str, TransactionMetadata | None] = {}
        for key, value in records:
            if key is None:
                continue
            try:
                transactional_id = decode_key(key)
                if transactional_id is not None:
                    loaded[transactional_id] = None if value is None else decode_value(transactional_id, value)
            except TransactionLogRecordError as exc:
                log.warning("Skipping an unreadable __transaction_state record: %s", exc)
        for transactional_id, meta in loaded.items():
            if meta is None:
                self.forget(transactional_id)
            else:
                self.put(meta)
        return [meta for meta in loaded.values() if meta is not None]

    # -- DescribeTransactions (api key 65) and ListTransactions (api key 66) ----------------

    def describe(self, transactional_ids: Sequence[str]) -> list[TransactionDescription]:
        """One description per requested id (``handleDescribeTransactions``). An id whose
        first record was never written is unknown, as it is to Kafka after a restart."""
        out = []
        for transactional_id in transactional_ids:
            meta = self._transactions.get(transactional_id)
            if not transactional_id:
                error = ErrorCode.INVALID_REQUEST
            elif meta is None or meta.producer_epoch == NO_PRODUCER_EPOCH:
                error = ErrorCode.TRANSACTIONAL_ID_NOT_FOUND
            else:
                out.append(TransactionDescription(
                    transactional_id=transactional_id, error_code=ErrorCode.NONE,
                    state=meta.state.label, producer_id=meta.producer_id,
                    producer_epoch=meta.producer_epoch,
                    transaction_timeout_ms=meta.transaction_timeout_ms,
                    transaction_start_time_ms=meta.start_timestamp_ms,
                    topics=meta.partitions_by_topic(),
                ))
                continue
            out.append(TransactionDescription(transactional_id=transactional_id, error_code=error))
        return out

    def list_transactions(
        self, state_filters: Iterable[str], producer_id_filters: Iterable[int],
        duration_filter_ms: int, now_ms: int,
    ) -> ListTransactionsResult:
        """Ids matching every filter given (``listTransactionStates``); state names Kafka
        does not know are reported back, and ``duration_filter_ms`` >= 0 keeps only
        transactions running longer than that (KIP-994)."""
        names = list(state_filters)
        states = {state for name in names if (state := TransactionState.from_label(name)) is not None}
        unknown = [name for name in names if TransactionState.from_label(name) is None]
        producer_ids = set(producer_id_filters)
        listed = [
            TransactionListing(meta.transactional_id, meta.producer_id, meta.state.label)
            for meta in self._transactions.values()
            if meta.producer_epoch != NO_PRODUCER_EPOCH
            and (not producer_ids or meta.producer_id in producer_ids)
            and (not names or meta.state in states)
            and (duration_filter_ms < 0 or now_ms - meta.start_timestamp_ms > duration_filter_ms)
        ]
        return ListTransactionsResult(
            error_code=ErrorCode.NONE, unknown_state_filters=unknown, transactions=listed
        )
