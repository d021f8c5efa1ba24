"""Adds partitions to a producer's ongoing transaction, before the producer first writes to
them. Up to v3 a request carries one producer's transaction and is what clients send; from
v4 a request batches several transactions and may only verify that partitions are already in
them, which is how partition leaders check transactional writes (KIP-890).

Generated from protocol/messages/add_partitions_to_txn.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class AddPartitionsToTxnTopic(Message):
    """Partitions of one topic."""

    __slots__ = ('name', 'partitions',)

    name: str
    """The topic name."""

    partitions: list[int]
    """The partition indexes."""

    def __init__(self, *, name: str = "", partitions: list[int] = UNSET) -> None:
        self.name = name
        self.partitions = list() if partitions is UNSET else partitions


class AddPartitionsToTxnTransaction(Message):
    """The transactions to add partitions to, or to check (v4+)."""

    __slots__ = ('transactional_id', 'producer_id', 'producer_epoch', 'verify_only', 'topics',)

    transactional_id: str
    """The transactional id of the transaction."""

    producer_id: int
    """The producer id the transactional id is using."""

    producer_epoch: int
    """The epoch of that producer id."""

    verify_only: bool
    """Only check that the partitions are already in the transaction; add nothing."""

    topics: list[AddPartitionsToTxnTopic]
    """The partitions, by topic."""

    def __init__(self, *, transactional_id: str = "", producer_id: int = 0, producer_epoch: int = 0, verify_only: bool = False, topics: list[AddPartitionsToTxnTopic] = UNSET) -> None:
        self.transactional_id = transactional_id
        self.producer_id = producer_id
        self.producer_epoch = producer_epoch
        self.verify_only = verify_only
        self.topics = list() if topics is UNSET else topics


class AddPartitionsToTxnRequest(Message):
    __slots__ = ('transactions', 'transactional_id', 'producer_id', 'producer_epoch', 'topics',)

    transactions: list[AddPartitionsToTxnTransaction]
    """The transactions to add partitions to, or to check (v4+). (v4+)"""

    transactional_id: str
    """The transactional id of the transaction (up to v3; Kafka calls it V3AndBelowTransactionalId). (v0-3)"""

    producer_id: int
    """The producer id the transactional id is using (up to v3). (v0-3)"""

    producer_epoch: int
    """The epoch of that producer id (up to v3). (v0-3)"""

    topics: list[AddPartitionsToTxnTopic]
    """The partitions to add, by topic (up to v3). (v0-3)"""

    def __init__(self, *, transactions: list[AddPartitionsToTxnTransaction] = UNSET, transactional_id: str = "", producer_id: int = 0, producer_epoch: int = 0, topics: list[AddPartitionsToTxnTopic] = UNSET) -> None:
        self.transactions = list() if transactions is UNSET else transactions
        self.transactional_id = transactional_id
        self.producer_id = producer_id
        self.producer_epoch = producer_epoch
        self.topics = list() if topics is UNSET else topics


class AddPartitionsToTxnPartitionResult(Message):
    """The results, by partition."""

    __slots__ = ('partition_index', 'partition_error_code',)

    partition_index: int
    """The partition index."""

    partition_error_code: int
    """The error code, 0 on success."""

    def __init__(self, *, partition_index: int = 0, partition_error_code: int = 0) -> None:
        self.partition_index = partition_index
        self.partition_error_code = partition_error_code


class AddPartitionsToTxnTopicResult(Message):
    """The results for one topic."""

    __slots__ = ('name', 'results_by_partition',)

    name: str
    """The topic name."""

    results_by_partition: list[AddPartitionsToTxnPartitionResult]
    """The results, by partition."""

    def __init__(self, *, name: str = "", results_by_partition: list[AddPartitionsToTxnPartitionResult] = UNSET) -> None:
        self.name = name
        self.results_by_partition = list() if results_by_partition is UNSET else results_by_partition


class AddPartitionsToTxnResult(Message):
    """The results, by transaction (v4+)."""

    __slots__ = ('transactional_id', 'topic_results',)

    transactional_id: str
    """The transactional id."""

    topic_results: list[AddPartitionsToTxnTopicResult]
    """The results, by topic."""

    def __init__(self, *, transactional_id: str = "", topic_results: list[AddPartitionsToTxnTopicResult] = UNSET) -> None:
        self.transactional_id = transactional_id
        self.topic_results = list() if topic_results is UNSET else topic_results


class AddPartitionsToTxnResponse(Message):
    __slots__ = ('throttle_time_ms', 'error_code', 'results_by_transaction', 'results_by_topic',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    error_code: int
    """An error for the whole request, 0 if none (v4+). (v4+)"""

    results_by_transaction: list[AddPartitionsToTxnResult]
    """The results, by transaction (v4+). (v4+)"""

    results_by_topic: list[AddPartitionsToTxnTopicResult]
    """The results, by topic (up to v3; Kafka calls it ResultsByTopicV3AndBelow). (v0-3)"""

    def __init__(self, *, throttle_time_ms: int = 0, error_code: int = 0, results_by_transaction: list[AddPartitionsToTxnResult] = UNSET, results_by_topic: list[AddPartitionsToTxnTopicResult] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.error_code = error_code
        self.results_by_transaction = list() if results_by_transaction is UNSET else results_by_transaction
        self.results_by_topic = list() if results_by_topic is UNSET else results_by_topic


_ADD_PARTITIONS_TO_TXN_TOPIC = StructSpec(
    AddPartitionsToTxnTopic,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('partitions', 'array', V(0, 32767), of='int32'),
    ),
)


_ADD_PARTITIONS_TO_TXN_TRANSACTION = StructSpec(
    AddPartitionsToTxnTransaction,
    (
        FieldSpec('transactional_id', 'string', V(0, 32767), default=""),
        FieldSpec('producer_id', 'int64', V(0, 32767), default=0),
        FieldSpec('producer_epoch', 'int16', V(0, 32767), default=0),
        FieldSpec('verify_only', 'bool', V(0, 32767), default=False),
        FieldSpec('topics', 'array', V(0, 32767), struct=_ADD_PARTITIONS_TO_TXN_TOPIC),
    ),
)


_ADD_PARTITIONS_TO_TXN_REQUEST = MessageSpec(
    AddPartitionsToTxnRequest,
    (
        FieldSpec('transactions', 'array', V(4, 32767), struct=_ADD_PARTITIONS_TO_TXN_TRANSACTION),
        FieldSpec('transactional_id', 'string', V(0, 3), default=""),
        FieldSpec('producer_id', 'int64', V(0, 3), default=0),
        FieldSpec('producer_epoch', 'int16', V(0, 3), default=0),
        FieldSpec('topics', 'array', V(0, 3), struct=_ADD_PARTITIONS_TO_TXN_TOPIC),
    ),
    name='AddPartitionsToTxnRequest',
    api_key=24,
    valid=V(0, 5),
    flexible=V(3, 32767),
)


_ADD_PARTITIONS_TO_TXN_PARTITION_RESULT = StructSpec(
    AddPartitionsToTxnPartitionResult,
    (
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
        FieldSpec('partition_error_code', 'int16', V(0, 32767), default=0),
    ),
)


_ADD_PARTITIONS_TO_TXN_TOPIC_RESULT = StructSpec(
    AddPartitionsToTxnTopicResult,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('results_by_partition', 'array', V(0, 32767), struct=_ADD_PARTITIONS_TO_TXN_PARTITION_RESULT),
    ),
)


_ADD_PARTITIONS_TO_TXN_RESULT = StructSpec(
    AddPartitionsToTxnResult,
    (
        FieldSpec('transactional_id', 'string', V(0, 32767), default=""),
        FieldSpec('topic_results', 'array', V(0, 32767), struct=_ADD_PARTITIONS_TO_TXN_TOPIC_RESULT),
    ),
)


_ADD_PARTITIONS_TO_TXN_RESPONSE = MessageSpec(
    AddPartitionsToTxnResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(4, 32767), default=0, ignorable=True),
        FieldSpec('results_by_transaction', 'array', V(4, 32767), struct=_ADD_PARTITIONS_TO_TXN_RESULT),
        FieldSpec('results_by_topic', 'array', V(0, 3), struct=_ADD_PARTITIONS_TO_TXN_TOPIC_RESULT),
    ),
    name='AddPartitionsToTxnResponse',
    api_key=24,
    valid=V(0, 5),
    flexible=V(3, 32767),
)


ADD_PARTITIONS_TO_TXN_REQUEST_SPEC: MessageSpec = _ADD_PARTITIONS_TO_TXN_REQUEST
ADD_PARTITIONS_TO_TXN_RESPONSE_SPEC: MessageSpec = _ADD_PARTITIONS_TO_TXN_RESPONSE
