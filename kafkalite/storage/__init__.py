"""kafkalite's storage engine: Kafka's on-disk log format, in Python.

``LogManager`` owns the data directory (``manager``) and opens partitions through
``loader``; each partition is a ``PartitionLog`` (``log``) made of ``Segment`` files
(``segment``) with Kafka-layout indexes (``index``, and ``txn_index`` for aborted
transactions). ``producer_state`` tracks idempotent producers and open transactions,
``txn_marker`` builds and reads COMMIT/ABORT control batches, ``offset_listeners`` reports
moves of the high watermark and LSO, ``timestamps`` answers ListOffsets lookups, ``flusher``
runs every fsync off the event loop and ``flush_state`` tracks what is durable,
``checkpoint`` reads and writes the small metadata files, ``config`` holds the topic
configs. ``retention`` deletes old segments; ``cleaner`` compacts logs, rewriting segments
with ``compactor`` and swapping them in with ``swap`` (``cleaned_txns`` decides what of a
transaction may go); ``record_set`` rebuilds batches from the records the cleaner keeps (the
record codec and the compression codecs live in ``kafkalite.protocol``). Errors carry
Kafka's wire codes (``errors``).
"""

from kafkalite.storage.config import LogConfig
from kafkalite.storage.errors import (
    CorruptRecordError,
    DuplicateSequenceError,
    InvalidConfigError,
    InvalidPartitionsError,
    InvalidProducerEpochError,
    InvalidRecordError,
    InvalidTimestampError,
    InvalidTopicError,
    InvalidTxnStateError,
    KafkaStorageError,
    MessageTooLargeError,
    OffsetOutOfRangeError,
    OutOfOrderSequenceError,
    StorageError,
    TopicAlreadyExistsError,
    TransactionCoordinatorFencedError,
    UnknownProducerIdError,
    UnknownTopicOrPartitionError,
)
from kafkalite.storage.flusher import DEFAULT_FLUSH_INTERVAL_MS, Flusher
from kafkalite.storage.log import AppendResult, PartitionLog
from kafkalite.storage.manager import LogManager, TopicInfo

__all__ = [
    "DEFAULT_FLUSH_INTERVAL_MS",
    "AppendResult",
    "CorruptRecordError",
    "DuplicateSequenceError",
    "Flusher",
    "InvalidConfigError",
    "InvalidPartitionsError",
    "InvalidProducerEpochError",
    "InvalidRecordError",
    "InvalidTimestampError",
    "InvalidTopicError",
    "InvalidTxnStateError",
    "KafkaStorageError",
    "LogConfig",
    "LogManager",
    "MessageTooLargeError",
    "OffsetOutOfRangeError",
    "OutOfOrderSequenceError",
    "PartitionLog",
    "StorageError",
    "TopicAlreadyExistsError",
    "TopicInfo",
    "TransactionCoordinatorFencedError",
    "UnknownProducerIdError",
    "UnknownTopicOrPartitionError",
]
