"""The transaction coordinator's vocabulary: settings, results, and the interfaces it is
given for everything outside itself.

Handlers translate wire messages into calls on ``TransactionCoordinator`` and copy the
results below back into responses. The coordinator performs no I/O of its own; it is given:

- ``TransactionStateLog``: appends key/value records to a ``__transaction_state`` partition;
- ``MarkerWriter``: writes COMMIT/ABORT control records to the transaction's partitions;
- ``ProducerIdSource``: hands out producer ids that are never reused;
- ``Clock``: the current time in milliseconds.

Error codes are the generated ``ErrorCode``. Handlers of old request versions turn
PRODUCER_FENCED into INVALID_PRODUCER_EPOCH (see ``error_for_version``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, NamedTuple, Protocol

from kafkalite.protocol.errors import ErrorCode

__all__ = [
    "NO_PRODUCER_EPOCH",
    "NO_PRODUCER_ID",
    "Clock",
    "EndTxnResult",
    "InitProducerIdResult",
    "ListTransactionsResult",
    "MarkerWriter",
    "ProducerIdSource",
    "TopicPartition",
    "TransactionConfig",
    "TransactionDescription",
    "TransactionListing",
    "TransactionStateLog",
    "error_for_version",
]

NO_PRODUCER_ID: Final = -1
NO_PRODUCER_EPOCH: Final = -1

Clock = Callable[[], int]
ProducerIdSource = Callable[[], int]


class TopicPartition(NamedTuple):
    """A partition; as a tuple it compares equal to the groups package's ``TopicPartition``."""

    topic: str
    partition: int


@dataclass(frozen=True, kw_only=True, slots=True)
class TransactionConfig:
    """Coordinator settings, named after Kafka's broker properties (Kafka's defaults)."""

    transaction_max_timeout_ms: int = 900_000  # transaction.max.timeout.ms
    transactional_id_expiration_ms: int = 604_800_000  # transactional.id.expiration.ms
    transaction_state_log_num_partitions: int = 50  # transaction.state.log.num.partitions
    offsets_topic_num_partitions: int = 50  # offsets.topic.num.partitions
    # transaction.abort.timed.out.transaction.cleanup.interval.ms: how often the runtime
    # should call ``TransactionCoordinator.expire``.
    transaction_abort_timed_out_transaction_cleanup_interval_ms: int = 10_000
    # TransactionLogValue version written: 0, or the flexible 1 with tagged fields
    # (Kafka writes 1 once the transaction.version feature is at least 1).
    transaction_log_value_version: int = 1


class InitProducerIdResult(NamedTuple):
    error_code: ErrorCode
    producer_id: int = NO_PRODUCER_ID
    producer_epoch: int = NO_PRODUCER_EPOCH


class EndTxnResult(NamedTuple):
    """EndTxn's answer; producer id and epoch are carried from v5 on."""

    error_code: ErrorCode
    producer_id: int = NO_PRODUCER_ID
    producer_epoch: int = NO_PRODUCER_EPOCH


@dataclass(frozen=True, kw_only=True, slots=True)
class TransactionDescription:
    """One entry of a DescribeTransactions answer."""

    transactional_id: str
    error_code: ErrorCode
    state: str = ""
    producer_id: int = NO_PRODUCER_ID
    producer_epoch: int = NO_PRODUCER_EPOCH
    transaction_timeout_ms: int = 0
    transaction_start_time_ms: int = -1
    topics: Mapping[str, list[int]] = field(default_factory=dict)


class TransactionListing(NamedTuple):
    transactional_id: str
    producer_id: int
    state: str


@dataclass(frozen=True, kw_only=True, slots=True)
class ListTransactionsResult:
    error_code: ErrorCode
    unknown_state_filters: list[str]
    transactions: list[TransactionListing]


class TransactionStateLog(Protocol):
    """Where the coordinator's records go: one ``__transaction_state`` partition per call."""

    def append(
        self, partition: int, records: Sequence[tuple[bytes, bytes | None]], now_ms: int
    ) -> ErrorCode:
        """Append ``(key, value)`` records (``None``: a tombstone) as one batch; return NONE
        or the storage error (UNKNOWN_TOPIC_OR_PARTITION, KAFKA_STORAGE_ERROR, ...)."""
        ...


class MarkerWriter(Protocol):
    """Writes transaction markers; every partition is local, so this is synchronous."""

    def write_markers(
        self,
        producer_id: int,
        producer_epoch: int,
        commit: bool,
        coordinator_epoch: int,
        partitions: Sequence[TopicPartition],
    ) -> dict[TopicPartition, ErrorCode]:
        """Append a COMMIT (``commit``) or ABORT marker to each partition; answer an error
        per partition (NONE when written)."""
        ...


# Versions before these cannot parse PRODUCER_FENCED (KIP-588); Kafka's KafkaApis answers
# them INVALID_PRODUCER_EPOCH instead.
_PRODUCER_FENCED_SINCE: Final[Mapping[str, int]] = {
    "InitProducerId": 4,
    "AddPartitionsToTxn": 2,
    "AddOffsetsToTxn": 2,
    "EndTxn": 2,
}


def error_for_version(error: ErrorCode, api: str, version: int) -> ErrorCode:
    """The error an ``api`` request of ``version`` is answered with."""
    if error == ErrorCode.PRODUCER_FENCED and version < _PRODUCER_FENCED_SINCE.get(api, 0):
        return ErrorCode.INVALID_PRODUCER_EPOCH
    return error
