"""TransactionCoordinator: InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn, EndTxn and
the Produce-side partition check for transactional ids (Kafka's ``TransactionCoordinator``
and ``TransactionStateManager``, single node).

Every state change is first appended to the transactional id's ``__transaction_state``
partition (``partition_for(transactional_id, transaction.state.log.num.partitions)``);
only a successful append changes what the coordinator remembers, so a failed write leaves
the transaction as it was and the client retries.

Ending a transaction writes PrepareCommit/PrepareAbort, then the markers (through the
``MarkerWriter``, synchronously: every partition is local), then CompleteCommit or
CompleteAbort. A partition whose marker could not be written yet stays in the transaction
and ``expire`` retries it; meanwhile the transactional id answers CONCURRENT_TRANSACTIONS.
A restart between the two records completes the transaction on load, as Kafka does.
Offsets committed with TxnOffsetCommit become visible through the same markers: the
group's ``__consumer_offsets`` partition is one of the transaction's partitions.

Quirks kept from Kafka:
- InitProducerId while a transaction is Ongoing fences it (epoch + 1, abort markers with
  that epoch) and answers CONCURRENT_TRANSACTIONS; the retry bumps the epoch once more.
- KIP-360: an InitProducerId carrying the previous epoch of a successful bump gets the
  same epoch back (``last_producer_epoch``, kept in memory only, like Kafka).
- Transactions are "transaction.version 0/1": the epoch is not bumped on every EndTxn
  (KIP-890 part 2 is not implemented).

``TransactionState`` names the states; ``records`` holds the log formats.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Final

from kafkalite.internal_topics import OFFSETS_TOPIC, partition_for
from kafkalite.protocol.errors import ErrorCode

from .api import (
    NO_PRODUCER_EPOCH,
    Clock,
    EndTxnResult,
    InitProducerIdResult,
    ListTransactionsResult,
    MarkerWriter,
    ProducerIdSource,
    TopicPartition,
    TransactionConfig,
    TransactionDescription,
    TransactionStateLog,
)
from .state import (
    MAX_PRODUCER_EPOCH,
    TransactionMetadata,
    TransactionState,
    check_transition,
    is_epoch_exhausted,
)
from .state_manager import TransactionStateManager

__all__ = ["TransactionCoordinator"]

log = logging.getLogger("kafkalite.transactions")

_S = TransactionState

# Marker answers after which a partition needs no more markers
# (TransactionMarkerRequestCompletionHandler). UNKNOWN_TOPIC_OR_PARTITION: the topic was
# deleted, which Kafka's marker channel also skips; INVALID_PRODUCER_EPOCH and
# TRANSACTION_COORDINATOR_FENCED: a newer epoch has taken over the partition. Anything
# else is retried by ``expire``.
_MARKER_DONE: Final[frozenset[ErrorCode]] = frozenset({
    ErrorCode.NONE,
    ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT,
    ErrorCode.UNSUPPORTED_VERSION,
    ErrorCode.INVALID_PRODUCER_EPOCH,
    ErrorCode.TRANSACTION_COORDINATOR_FENCED,
})


class TransactionCoordinator:
    """Owns every transactional id; its methods map 1:1 onto the transaction APIs."""

    def __init__(
        self,
        *,
        state_log: TransactionStateLog,
        marker_writer: MarkerWriter,
        producer_ids: ProducerIdSource,
        clock: Clock,
        config: TransactionConfig | None = None,
        coordinator_epoch: int = 0,
    ) -> None:
        self.config = config or TransactionConfig()
        self.coordinator_epoch = coordinator_epoch
        self._states = TransactionStateManager(state_log, self.config)
        self._markers = marker_writer
        self._producer_ids = producer_ids
        self._clock = clock

    def metadata(self, transactional_id: str) -> TransactionMetadata | None:
        return self._states.get(transactional_id)

    def partition_for(self, transactional_id: str) -> int:
        """The ``__transaction_state`` partition that holds ``transactional_id``."""
        return self._states.partition_for(transactional_id)

    # -- InitProducerId (api key 22) ------------------------------------------------------

    def init_producer_id(
        self,
        transactional_id: str,
        transaction_timeout_ms: int,
        expected_producer_id: int = -1,
        expected_epoch: int = -1,
    ) -> InitProducerIdResult:
        """Give the transactional id's producer its id and a bumped epoch, fencing any older
        instance (``TransactionCoordinator.handleInitProducerId``)."""
        if not transactional_id:
            return InitProducerIdResult(ErrorCode.INVALID_REQUEST)
        if not 0 < transaction_timeout_ms <= self.config.transaction_max_timeout_ms:
            return InitProducerIdResult(ErrorCode.INVALID_TRANSACTION_TIMEOUT)
        expected = expected_producer_id != -1 or expected_epoch != -1
        now = self._clock()
        meta = self._states.get(transactional_id)
        if meta is None:
            # Remembered before its first record is written, as Kafka's cache does, so a
            # retry after a failed write gets the same producer id.
            meta = TransactionMetadata(
                transactional_id=transactional_id, producer_id=self._producer_ids(),
                transaction_timeout_ms=transaction_timeout_ms, last_update_timestamp_ms=now,
            )
            self._states.put(meta)
        if expected and not (
            meta.producer_epoch == NO_PRODUCER_EPOCH
            or expected_producer_id == meta.producer_id
            or (expected_producer_id == meta.previous_producer_id and is_epoch_exhausted(expected_epoch))
        ):
            return InitProducerIdResult(ErrorCode.PRODUCER_FENCED)
        if meta.is_preparing:
            return InitProducerIdResult(ErrorCode.CONCURRENT_TRANSACTIONS)
        if meta.state is _S.ONGOING:
            log.info(
                "Fencing producer %d epoch %d of transactional id %s: a new instance is starting",
                meta.producer_id, meta.producer_epoch, transactional_id,
            )
            error = self._fence_and_abort(meta, now)
            return InitProducerIdResult(ErrorCode.CONCURRENT_TRANSACTIONS if error == ErrorCode.NONE else error)

        if is_epoch_exhausted(meta.producer_epoch) and (not expected or expected_epoch == meta.producer_epoch):
            target = replace(
                meta, producer_id=self._producer_ids(), previous_producer_id=meta.producer_id,
                producer_epoch=0, last_producer_epoch=meta.producer_epoch if expected else NO_PRODUCER_EPOCH,
            )
        elif not expected:
            target = replace(meta, producer_epoch=meta.producer_epoch + 1, last_producer_epoch=NO_PRODUCER_EPOCH)
        elif meta.producer_epoch == NO_PRODUCER_EPOCH or expected_epoch == meta.producer_epoch:
            # The producer recovers from an abortable error, and nobody took its place.
            target = replace(meta, producer_epoch=meta.producer_epoch + 1, last_producer_epoch=meta.producer_epoch)
        elif expected_epoch == meta.last_producer_epoch:
            target = replace(meta)  # a retry of a bump that succeeded: the same epoch again
        else:
            log.info(
                "Transactional id %s: expected epoch %d is neither the current %d nor the last %d",
                transactional_id, expected_epoch, meta.producer_epoch, meta.last_producer_epoch,
            )
            return InitProducerIdResult(ErrorCode.PRODUCER_FENCED)
        if target.producer_id == meta.producer_id:
            target.previous_producer_id = meta.producer_id
        target = replace(
            target, state=_S.EMPTY, partitions=frozenset(), start_timestamp_ms=-1,
            transaction_timeout_ms=transaction_timeout_ms, last_update_timestamp_ms=now,
        )
        error = self._states.write(meta, target, now)
        if error != ErrorCode.NONE:
            return InitProducerIdResult(error)
        log.info(
            "Initialized transactional id %s with producer id %d and epoch %d",
            transactional_id, target.producer_id, target.producer_epoch,
        )
        return InitProducerIdResult(ErrorCode.NONE, target.producer_id, target.producer_epoch)

    # -- AddPartitionsToTxn (api key 24) and AddOffsetsToTxn (api key 25) ------------------

    def add_partitions(
        self,
        transactional_id: str,
        producer_id: int,
        producer_epoch: int,
        partitions: Iterable[TopicPartition],
        verify_only: bool = False,
    ) -> dict[TopicPartition, ErrorCode]:
        """Add partitions to the transaction; with ``verify_only`` (v4+ broker requests)
        only report whether each is already part of it (TRANSACTION_ABORTABLE if not)."""
        wanted = frozenset(TopicPartition(*tp) for tp in partitions)
        if verify_only:
            return self._verify_partitions(transactional_id, producer_id, producer_epoch, wanted)
        error = self._add_partitions(transactional_id, producer_id, producer_epoch, wanted)
        return dict.fromkeys(wanted, error)

    def add_offsets(
        self, transactional_id: str, producer_id: int, producer_epoch: int, group_id: str
    ) -> ErrorCode:
        """Add the group's ``__consumer_offsets`` partition, so TxnOffsetCommit's offsets
        commit or abort with the transaction."""
        partition = partition_for(group_id, self.config.offsets_topic_num_partitions)
        return self._add_partitions(
            transactional_id, producer_id, producer_epoch,
            frozenset({TopicPartition(OFFSETS_TOPIC, partition)}),
        )

    def _add_partitions(
        self, transactional_id: str, producer_id: int, producer_epoch: int,
        partitions: frozenset[TopicPartition],
    ) -> ErrorCode:
        if not transactional_id:
            return ErrorCode.INVALID_REQUEST
        meta = self._states.get(transactional_id)
        if meta is None or meta.producer_id != producer_id:
            return ErrorCode.INVALID_PRODUCER_ID_MAPPING
        if meta.producer_epoch != producer_epoch:
            return ErrorCode.PRODUCER_FENCED
        if meta.is_preparing:
            return ErrorCode.CONCURRENT_TRANSACTIONS
        if meta.state is _S.ONGOING and partitions <= meta.partitions:
            return ErrorCode.NONE
        now = self._clock()
        begins = meta.state is not _S.ONGOING
        target = replace(
            meta, state=_S.ONGOING, partitions=meta.partitions | partitions,
            start_timestamp_ms=now if begins else meta.start_timestamp_ms,
            last_update_timestamp_ms=now,
        )
        error = self._states.write(meta, target, now)
        if error == ErrorCode.NONE and begins:
            log.debug(
                "Began a transaction of %s (producer %d epoch %d)",
                transactional_id, producer_id, producer_epoch,
            )
        return error

    def _verify_partitions(
        self, transactional_id: str, producer_id: int, producer_epoch: int,
        partitions: frozenset[TopicPartition],
    ) -> dict[TopicPartition, ErrorCode]:
        # TransactionCoordinator.handleVerifyPartitionsInTransaction
        meta = self._states.get(transactional_id) if transactional_id else None
        if not transactional_id:
            error = ErrorCode.INVALID_REQUEST
        elif meta is None or meta.producer_id != producer_id:
            error = ErrorCode.INVALID_PRODUCER_ID_MAPPING
        elif meta.producer_epoch != producer_epoch:
            error = ErrorCode.PRODUCER_FENCED
        elif meta.is_preparing:
            error = ErrorCode.CONCURRENT_TRANSACTIONS
        else:
            return {
                tp: ErrorCode.NONE if tp in meta.partitions else ErrorCode.TRANSACTION_ABORTABLE
                for tp in partitions
            }
        return dict.fromkeys(partitions, error)

    def verify(
        self,
        producer_id: int,
        producer_epoch: int,
        topic: str,
        partition: int,
        *,
        transactional_id: str | None = None,
        abortable: bool = False,
    ) -> ErrorCode:
        """Whether a transactional Produce may write to a partition (KIP-890 part 1): the
        answer Kafka's ``AddPartitionsToTxnManager`` gives the Produce path. A partition not
        in the transaction gets INVALID_TXN_STATE, or TRANSACTION_ABORTABLE with
        ``abortable`` (Produce v11+); a stale epoch gets INVALID_PRODUCER_EPOCH, since
        producers expect that, not PRODUCER_FENCED, from a Produce."""
        if transactional_id is None:
            transactional_id = self._states.transactional_id_of(producer_id) or ""
        if not transactional_id:
            return ErrorCode.INVALID_PRODUCER_ID_MAPPING
        tp = TopicPartition(topic, partition)
        error = self._verify_partitions(transactional_id, producer_id, producer_epoch, frozenset({tp}))[tp]
        if error == ErrorCode.PRODUCER_FENCED:
            return ErrorCode.INVALID_PRODUCER_EPOCH
        if error == ErrorCode.TRANSACTION_ABORTABLE and not abortable:
            return ErrorCode.INVALID_TXN_STATE
        return error

    # -- EndTxn (api key 26) ---------------------------------------------------------------

    def end_txn(
        self, transactional_id: str, producer_id: int, producer_epoch: int, commit: bool
    ) -> EndTxnResult:
        """Commit or abort the ongoing transaction (``TransactionCoordinator.endTransaction``,
        transaction.version < 2: the epoch must be the current one)."""
        if not transactional_id:
            return EndTxnResult(ErrorCode.INVALID_REQUEST)
        meta = self._states.get(transactional_id)
        if meta is None or meta.producer_id != producer_id:
            return EndTxnResult(ErrorCode.INVALID_PRODUCER_ID_MAPPING)
        if meta.producer_epoch != producer_epoch:
            return EndTxnResult(ErrorCode.PRODUCER_FENCED)
        state = meta.state
        done, preparing = (
            (_S.COMPLETE_COMMIT, _S.PREPARE_COMMIT) if commit else (_S.COMPLETE_ABORT, _S.PREPARE_ABORT)
        )
        if state is done:  # a retry of an EndTxn that succeeded
            return EndTxnResult(ErrorCode.NONE, meta.producer_id, meta.producer_epoch)
        if state is preparing:
            return EndTxnResult(ErrorCode.CONCURRENT_TRANSACTIONS)
        if state is not _S.ONGOING:
            log.debug(
                "Transactional id %s is %s; refusing EndTxn(%s)",
                transactional_id, state.label, "commit" if commit else "abort",
            )
            return EndTxnResult(ErrorCode.INVALID_TXN_STATE)
        now = self._clock()
        target = replace(meta, state=preparing, last_update_timestamp_ms=now)
        error = self._states.write(meta, target, now)
        if error != ErrorCode.NONE:
            return EndTxnResult(error)
        log.debug(
            "%s the transaction of %s (producer %d epoch %d) on %d partitions",
            "Committing" if commit else "Aborting", transactional_id, producer_id,
            producer_epoch, len(target.partitions),
        )
        self._complete(target, now)
        return EndTxnResult(ErrorCode.NONE, target.producer_id, target.producer_epoch)

    # -- completion, timeouts and expiration ------------------------------------------------

    def _fence_and_abort(self, meta: TransactionMetadata, now: int) -> ErrorCode:
        """Bump the epoch of an Ongoing transaction and abort it with the bumped epoch, so the
        old producer is fenced (``prepareFenceProducerEpoch`` + ``endTransaction``). The
        bumped epoch is written with PrepareAbort; PrepareEpochFence is never logged."""
        check_transition(meta.state, _S.PREPARE_EPOCH_FENCE)
        epoch = meta.producer_epoch + 1 if meta.producer_epoch < MAX_PRODUCER_EPOCH else meta.producer_epoch
        target = replace(
            meta, producer_epoch=epoch, last_producer_epoch=NO_PRODUCER_EPOCH,
            state=_S.PREPARE_ABORT, last_update_timestamp_ms=now,
        )
        error = self._states.write(meta, target, now, via=_S.PREPARE_EPOCH_FENCE)
        if error == ErrorCode.NONE:
            self._complete(target, now)
        return error

    def _complete(self, meta: TransactionMetadata, now: int) -> None:
        """Write the markers still missing, then CompleteCommit/CompleteAbort."""
        commit = meta.state is _S.PREPARE_COMMIT
        pending = sorted(meta.partitions)
        if pending:
            errors = self._markers.write_markers(
                meta.producer_id, meta.producer_epoch, commit, self.coordinator_epoch, pending
            )
            written = set()
            for tp in pending:
                error = errors.get(tp, ErrorCode.UNKNOWN_SERVER_ERROR)
                if error in _MARKER_DONE:
                    written.add(tp)
                else:
                    log.info(
                        "%s marker of %s on %s-%d failed (%s); retrying later",
                        "Commit" if commit else "Abort", meta.transactional_id, tp.topic,
                        tp.partition, error.name,
                    )
            # Kafka's removePartition: only the memory forgets them; a reload writes again.
            meta = replace(meta, partitions=meta.partitions - written)
            self._states.put(meta)
            if meta.partitions:
                return
        target = replace(
            meta, state=_S.COMPLETE_COMMIT if commit else _S.COMPLETE_ABORT,
            partitions=frozenset(), last_update_timestamp_ms=now,
        )
        if self._states.write(meta, target, now) == ErrorCode.NONE:
            log.debug(
                "%s the transaction of %s (producer %d epoch %d)",
                "Committed" if commit else "Aborted", meta.transactional_id,
                meta.producer_id, meta.producer_epoch,
            )

    def expire(self, now_ms: int) -> list[str]:
        """The coordinator's periodic work: abort transactions open longer than their
        timeout, fencing their producers (``abortTimedOutTransactions``), finish
        transactions whose markers or Complete record failed, and remove idle
        transactional ids. Returns the transactional ids whose transactions timed out."""
        timed_out = []
        for meta in self._states:
            if meta.state is _S.ONGOING and meta.start_timestamp_ms + meta.transaction_timeout_ms < now_ms:
                log.info(
                    "Aborting the transaction of %s (producer %d epoch %d): open longer than "
                    "its timeout of %d ms; fencing the producer",
                    meta.transactional_id, meta.producer_id, meta.producer_epoch,
                    meta.transaction_timeout_ms,
                )
                if self._fence_and_abort(meta, now_ms) == ErrorCode.NONE:
                    timed_out.append(meta.transactional_id)
            elif meta.is_preparing:
                self._complete(meta, now_ms)
        self._states.remove_expired(now_ms)
        return timed_out

    def remove_expired_transactional_ids(self, now_ms: int) -> list[str]:
        """Forget ids idle for ``transactional.id.expiration.ms`` (tombstones written)."""
        return self._states.remove_expired(now_ms)

    # -- DescribeTransactions (api key 65) and ListTransactions (api key 66) ----------------

    def describe(self, transactional_ids: Sequence[str]) -> list[TransactionDescription]:
        """One description per requested id, in order."""
        return self._states.describe(transactional_ids)

    def list_transactions(
        self,
        state_filters: Iterable[str] = (),
        producer_id_filters: Iterable[int] = (),
        duration_filter_ms: int = -1,
    ) -> ListTransactionsResult:
        """Transactions matching every filter given; see ``TransactionStateManager``."""
        return self._states.list_transactions(
            state_filters, producer_id_filters, duration_filter_ms, self._clock()
        )

    # -- loading ---------------------------------------------------------------------------

    def load(self, records: Iterable[tuple[bytes | None, bytes | None]]) -> int:
        """Replay ``__transaction_state`` records in offset order, then finish every
        transaction caught between Prepare* and Complete* (Kafka's
        ``loadTransactionsForTxnTopicPartition``). Returns how many ids are known."""
        now = self._clock()
        for meta in self._states.replay(records):
            if meta.is_preparing:
                log.info(
                    "Completing the %s of %s left unfinished by the last run",
                    "commit" if meta.state is _S.PREPARE_COMMIT else "abort", meta.transactional_id,
                )
                self._complete(meta, now)
        return len(self._states)
