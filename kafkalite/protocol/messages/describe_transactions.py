"""Describes transactions by transactional id, as their transaction coordinator sees them:
state, timeout, producer and the partitions in the transaction (KIP-664).

Generated from protocol/messages/describe_transactions.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class DescribeTransactionsRequest(Message):
    __slots__ = ('transactional_ids',)

    transactional_ids: list[str]
    """The transactional ids to describe; an empty list describes none."""

    def __init__(self, *, transactional_ids: list[str] = UNSET) -> None:
        self.transactional_ids = list() if transactional_ids is UNSET else transactional_ids


class DescribeTransactionsTopic(Message):
    """The partitions in the ongoing transaction; while it prepares to commit or abort, only those still without a marker."""

    __slots__ = ('topic', 'partitions',)

    topic: str
    """The topic name."""

    partitions: list[int]
    """The partition indexes."""

    def __init__(self, *, topic: str = "", partitions: list[int] = UNSET) -> None:
        self.topic = topic
        self.partitions = list() if partitions is UNSET else partitions


class DescribeTransactionsState(Message):
    """One entry for each transactional id asked for."""

    __slots__ = ('error_code', 'transactional_id', 'transaction_state', 'transaction_timeout_ms', 'transaction_start_time_ms', 'producer_id', 'producer_epoch', 'topics',)

    error_code: int
    """The error code for this transactional id, 0 on success."""

    transactional_id: str
    """The transactional id."""

    transaction_state: str
    """The coordinator's state for the transaction, such as Ongoing, PrepareCommit or CompleteAbort."""

    transaction_timeout_ms: int
    """The transaction timeout, in milliseconds."""

    transaction_start_time_ms: int
    """When the current transaction started, in milliseconds since the epoch."""

    producer_id: int
    """The producer id the transactional id is using."""

    producer_epoch: int
    """The epoch of that producer id."""

    topics: list[DescribeTransactionsTopic]
    """The partitions in the ongoing transaction; while it prepares to commit or abort, only those still without a marker."""

    def __init__(self, *, error_code: int = 0, transactional_id: str = "", transaction_state: str = "", transaction_timeout_ms: int = 0, transaction_start_time_ms: int = 0, producer_id: int = 0, producer_epoch: int = 0, topics: list[DescribeTransactionsTopic] = UNSET) -> None:
        self.error_code = error_code
        self.transactional_id = transactional_id
        self.transaction_state = transaction_state
        self.transaction_timeout_ms = transaction_timeout_ms
        self.transaction_start_time_ms = transaction_start_time_ms
        self.producer_id = producer_id
        self.producer_epoch = producer_epoch
        self.topics = list() if topics is UNSET else topics


class DescribeTransactionsResponse(Message):
    __slots__ = ('throttle_time_ms', 'transaction_states',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    transaction_states: list[DescribeTransactionsState]
    """One entry for each transactional id asked for."""

    def __init__(self, *, throttle_time_ms: int = 0, transaction_states: list[DescribeTransactionsState] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.transaction_states = list() if transaction_states is UNSET else transaction_states


_DESCRIBE_TRANSACTIONS_REQUEST = MessageSpec(
    DescribeTransactionsRequest,
    (
        FieldSpec('transactional_ids', 'array', V(0, 32767), of='string'),
    ),
    name='DescribeTransactionsRequest',
    api_key=65,
    valid=V(0, 0),
    flexible=V(0, 32767),
)


_DESCRIBE_TRANSACTIONS_TOPIC = StructSpec(
    DescribeTransactionsTopic,
    (
        FieldSpec('topic', 'string', V(0, 32767), default=""),
        FieldSpec('partitions', 'array', V(0, 32767), of='int32'),
    ),
)


_DESCRIBE_TRANSACTIONS_STATE = StructSpec(
    DescribeTransactionsState,
    (
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('transactional_id', 'string', V(0, 32767), default=""),
        FieldSpec('transaction_state', 'string', V(0, 32767), default=""),
        FieldSpec('transaction_timeout_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('transaction_start_time_ms', 'int64', V(0, 32767), default=0),
        FieldSpec('producer_id', 'int64', V(0, 32767), default=0),
        FieldSpec('producer_epoch', 'int16', V(0, 32767), default=0),
        FieldSpec('topics', 'array', V(0, 32767), struct=_DESCRIBE_TRANSACTIONS_TOPIC),
    ),
)


_DESCRIBE_TRANSACTIONS_RESPONSE = MessageSpec(
    DescribeTransactionsResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('transaction_states', 'array', V(0, 32767), struct=_DESCRIBE_TRANSACTIONS_STATE),
    ),
    name='DescribeTransactionsResponse',
    api_key=65,
    valid=V(0, 0),
    flexible=V(0, 32767),
)


DESCRIBE_TRANSACTIONS_REQUEST_SPEC: MessageSpec = _DESCRIBE_TRANSACTIONS_REQUEST
DESCRIBE_TRANSACTIONS_RESPONSE_SPEC: MessageSpec = _DESCRIBE_TRANSACTIONS_RESPONSE
