"""Adapters from the coordinator's interfaces to the broker's partition logs.

- ``PartitionLogStateLog`` appends the coordinator's records to ``__transaction_state``
  partitions as ordinary key/value batches (``internal_topics.append_records``);
- ``PartitionLogMarkerWriter`` writes markers with ``PartitionLog.append_marker``;
- ``replay`` reads a ``__transaction_state`` partition back for
  ``TransactionCoordinator.load``.

Partition logs are looked up through a callable, so the runtime may create the internal
topic lazily on first use; a partition that does not exist answers
UNKNOWN_TOPIC_OR_PARTITION. Storage exceptions become their wire error codes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Protocol

from kafkalite.internal_topics import append_records, scan
from kafkalite.protocol.errors import ErrorCode
from kafkalite.storage.errors import StorageError

from .api import Clock, TopicPartition

if TYPE_CHECKING:
    from kafkalite.storage.log import PartitionLog

__all__ = ["MarkerLog", "PartitionLogMarkerWriter", "PartitionLogStateLog", "replay"]


class PartitionLogStateLog:
    """``TransactionStateLog`` over the ``__transaction_state`` partition logs."""

    def __init__(self, partition_log: Callable[[int], PartitionLog | None]) -> None:
        self._partition_log = partition_log

    def append(
        self, partition: int, records: Sequence[tuple[bytes, bytes | None]], now_ms: int
    ) -> ErrorCode:
        target = self._partition_log(partition)
        if target is None:
            return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
        try:
            append_records(target, records, now_ms=now_ms)
        except StorageError as exc:
            return ErrorCode(exc.error_code)
        return ErrorCode.NONE


def replay(partition_log: PartitionLog) -> Iterator[tuple[bytes | None, bytes | None]]:
    """The ``(key, value)`` records of a ``__transaction_state`` partition, in offset order."""
    for batch in scan(partition_log):
        if batch.header.is_control:
            continue
        for record in batch.records:
            yield record.key, record.value


class MarkerLog(Protocol):
    """The part of ``PartitionLog`` that writes a transaction marker."""

    def append_marker(
        self, producer_id: int, producer_epoch: int, *, commit: bool, coordinator_epoch: int,
        now_ms: int,
    ) -> object: ...


class PartitionLogMarkerWriter:
    """``MarkerWriter`` over local partition logs."""

    def __init__(self, partition_log: Callable[[TopicPartition], MarkerLog | None], clock: Clock) -> None:
        self._partition_log = partition_log
        self._clock = clock

    def write_markers(
        self,
        producer_id: int,
        producer_epoch: int,
        commit: bool,
        coordinator_epoch: int,
        partitions: Sequence[TopicPartition],
    ) -> dict[TopicPartition, ErrorCode]:
        now = self._clock()
        errors = {}
        for tp in partitions:
            target = self._partition_log(tp)
            if target is None:
                errors[tp] = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
                continue
            try:
                target.append_marker(
                    producer_id, producer_epoch, commit=commit,
                    coordinator_epoch=coordinator_epoch, now_ms=now,
                )
            except StorageError as exc:
                errors[tp] = ErrorCode(exc.error_code)
            else:
                errors[tp] = ErrorCode.NONE
        return errors
