"""The cluster's transaction coordinator, wired to its storage.

``open_transaction_coordinator`` builds the ``TransactionCoordinator`` of a cluster:

- its records go to ``__transaction_state``, created on first use with
  ``transaction.state.log.num.partitions`` partitions and the internal topics' configs
  (compacted), as Kafka creates it; an existing topic keeps its partition count;
- markers are written with ``PartitionLog.append_marker``; once a transaction's markers are
  in every ``__consumer_offsets`` partition it wrote to, the group coordinator makes its
  offsets visible (commit) or drops them (abort);
- the state is replayed from the topic when the cluster opens, and transactions caught
  between PrepareCommit/PrepareAbort and their Complete record are finished then.

Every node shares the storage, so the one coordinator answers for every node; handlers
check that the node they run on leads the transactional id's partition.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from kafkalite.internal_topics import INTERNAL_TOPIC_CONFIGS, OFFSETS_TOPIC, TRANSACTION_STATE_TOPIC
from kafkalite.protocol.errors import ErrorCode
from kafkalite.storage.errors import StorageError
from kafkalite.transactions import TopicPartition, TransactionConfig, TransactionCoordinator
from kafkalite.transactions.storage import PartitionLogMarkerWriter, PartitionLogStateLog, replay

if TYPE_CHECKING:
    from kafkalite.config import BrokerConfig
    from kafkalite.groups.offsets import OffsetStore
    from kafkalite.storage.log import PartitionLog
    from kafkalite.storage.manager import LogManager

__all__ = ["open_transaction_coordinator"]

log = logging.getLogger(__name__)


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def transaction_config(config: BrokerConfig) -> TransactionConfig:
    return TransactionConfig(
        transaction_max_timeout_ms=config.transaction_max_timeout_ms,
        transactional_id_expiration_ms=config.transactional_id_expiration_ms,
        transaction_state_log_num_partitions=config.transaction_state_log_num_partitions,
        offsets_topic_num_partitions=config.offsets_topic_num_partitions,
        transaction_abort_timed_out_transaction_cleanup_interval_ms=(
            config.transaction_abort_timed_out_transaction_cleanup_interval_ms
        ),
    )


class _StatePartitions:
    """The ``__transaction_state`` partitions, the topic created on the first write."""

    def __init__(self, logs: LogManager, num_partitions: int) -> None:
        self._logs = logs
        self._num_partitions = num_partitions

    def __call__(self, partition: int) -> PartitionLog | None:
        info = self._logs.get_topic(TRANSACTION_STATE_TOPIC)
        if info is None:
            try:
                info = self._logs.create_topic(
                    TRANSACTION_STATE_TOPIC, self._num_partitions, configs=dict(INTERNAL_TOPIC_CONFIGS)
                )
            except (StorageError, OSError) as exc:
                log.error("cannot create %s: %s", TRANSACTION_STATE_TOPIC, exc)
                return None
            log.info("created %s with %d partitions", TRANSACTION_STATE_TOPIC, self._num_partitions)
        return self._logs.get_partition(TRANSACTION_STATE_TOPIC, partition)


class _OffsetsAwareMarkerWriter:
    """Writes markers; completes the group offsets a transaction committed through
    TxnOffsetCommit once its markers are in their ``__consumer_offsets`` partitions."""

    def __init__(self, logs: LogManager, offsets: Callable[[], OffsetStore], clock: Callable[[], int]) -> None:
        self._writer = PartitionLogMarkerWriter(lambda tp: logs.get_partition(tp.topic, tp.partition), clock)
        self._offsets = offsets

    def write_markers(
        self,
        producer_id: int,
        producer_epoch: int,
        commit: bool,
        coordinator_epoch: int,
        partitions: Sequence[TopicPartition],
    ) -> dict[TopicPartition, ErrorCode]:
        errors = self._writer.write_markers(producer_id, producer_epoch, commit, coordinator_epoch, partitions)
        offsets_partitions = [tp for tp in partitions if tp.topic == OFFSETS_TOPIC]
        if offsets_partitions and all(errors[tp] == ErrorCode.NONE for tp in offsets_partitions):
            self._offsets().complete_txn(producer_id, commit)
        return errors


def open_transaction_coordinator(
    config: BrokerConfig,
    logs: LogManager,
    offsets: Callable[[], OffsetStore],
    producer_ids: Callable[[], int],
) -> TransactionCoordinator:
    """A coordinator over ``logs``, its state replayed from ``__transaction_state``."""
    started = time.perf_counter()
    coordinator = TransactionCoordinator(
        state_log=PartitionLogStateLog(_StatePartitions(logs, config.transaction_state_log_num_partitions)),
        marker_writer=_OffsetsAwareMarkerWriter(logs, offsets, _now_ms),
        producer_ids=producer_ids,
        clock=_now_ms,
        config=transaction_config(config),
    )
    info = logs.get_topic(TRANSACTION_STATE_TOPIC)
    if info is not None:
        known = coordinator.load(itertools.chain.from_iterable(replay(p) for p in info.partitions))
        log.info(
            "%s: %d transactional ids loaded from %d partitions in %.1f ms",
            TRANSACTION_STATE_TOPIC, known, len(info.partitions), (time.perf_counter() - started) * 1000,
        )
    return coordinator
