"""Exceptions raised by the storage engine, each carrying Kafka's numeric error code.

A handler turns ``exc.error_code`` into the partition's ``error_code`` (partition-level
failures are data). ``CorruptRecordError`` (2) and ``InvalidRecordError`` (87)
live in ``kafkalite.protocol.records`` because batch validation is sans-I/O; they are
re-exported here so callers catch every storage failure from one module.
"""

from __future__ import annotations

from typing import ClassVar

from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.records import CorruptRecordError, InvalidRecordError

__all__ = [
    "CorruptRecordError",
    "InvalidConfigError",
    "InvalidPartitionsError",
    "InvalidProducerEpochError",
    "InvalidRecordError",
    "InvalidTimestampError",
    "InvalidTopicError",
    "InvalidTxnStateError",
    "KafkaStorageError",
    "MessageTooLargeError",
    "OffsetOutOfRangeError",
    "OutOfOrderSequenceError",
    "DuplicateSequenceError",
    "StorageError",
    "TopicAlreadyExistsError",
    "TransactionCoordinatorFencedError",
    "UnknownProducerIdError",
    "UnknownTopicOrPartitionError",
]


class StorageError(Exception):
    """Base of the storage exceptions; ``error_code`` is the Kafka wire code."""

    error_code: ClassVar[int] = ErrorCode.UNKNOWN_SERVER_ERROR


class OffsetOutOfRangeError(StorageError):
    error_code: ClassVar[int] = ErrorCode.OFFSET_OUT_OF_RANGE


class UnknownTopicOrPartitionError(StorageError):
    error_code: ClassVar[int] = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION


class MessageTooLargeError(StorageError):
    error_code: ClassVar[int] = ErrorCode.MESSAGE_TOO_LARGE


class InvalidTopicError(StorageError):
    error_code: ClassVar[int] = ErrorCode.INVALID_TOPIC_EXCEPTION


class InvalidTimestampError(StorageError):
    error_code: ClassVar[int] = ErrorCode.INVALID_TIMESTAMP


class TopicAlreadyExistsError(StorageError):
    error_code: ClassVar[int] = ErrorCode.TOPIC_ALREADY_EXISTS


class InvalidPartitionsError(StorageError):
    error_code: ClassVar[int] = ErrorCode.INVALID_PARTITIONS


class InvalidConfigError(StorageError):
    error_code: ClassVar[int] = ErrorCode.INVALID_CONFIG


class OutOfOrderSequenceError(StorageError):
    error_code: ClassVar[int] = ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER


class DuplicateSequenceError(StorageError):
    """Not raised for retries: a retried batch is answered with its original offsets
    (``AppendResult.duplicate``), as Kafka's ``UnifiedLog.append`` does since 1.0."""

    error_code: ClassVar[int] = ErrorCode.DUPLICATE_SEQUENCE_NUMBER


class InvalidProducerEpochError(StorageError):
    error_code: ClassVar[int] = ErrorCode.INVALID_PRODUCER_EPOCH


class InvalidTxnStateError(StorageError):
    error_code: ClassVar[int] = ErrorCode.INVALID_TXN_STATE


class TransactionCoordinatorFencedError(StorageError):
    error_code: ClassVar[int] = ErrorCode.TRANSACTION_COORDINATOR_FENCED


class KafkaStorageError(StorageError):
    """An I/O failure (write, fsync, a broken data directory)."""

    error_code: ClassVar[int] = ErrorCode.KAFKA_STORAGE_ERROR


class UnknownProducerIdError(StorageError):
    error_code: ClassVar[int] = ErrorCode.UNKNOWN_PRODUCER_ID
