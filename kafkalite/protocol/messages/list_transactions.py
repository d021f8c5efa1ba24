"""Lists the transactions a transaction coordinator knows, optionally filtered by state and
producer id, from v1 by how long they have been running (KIP-994) and from v2 by a regular
expression on the transactional id (KIP-1152, answered with INVALID_REGULAR_EXPRESSION when
it does not compile).

Generated from protocol/messages/list_transactions.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class ListTransactionsRequest(Message):
    __slots__ = ('state_filters', 'producer_id_filters', 'duration_filter', 'transactional_id_pattern',)

    state_filters: list[str]
    """Only list transactions in one of these states; empty for all states."""

    producer_id_filters: list[int]
    """Only list transactions of these producer ids; empty for all producers."""

    duration_filter: int
    """Only list transactions running longer than this many milliseconds; negative for all (v1+, KIP-994). (v1+)"""

    transactional_id_pattern: str | None
    """Only list transactions whose transactional id matches this regular expression; null or empty for all (v2+, KIP-1152). (v2+, nullable v2+)"""

    def __init__(self, *, state_filters: list[str] = UNSET, producer_id_filters: list[int] = UNSET, duration_filter: int = -1, transactional_id_pattern: str | None = None) -> None:
        self.state_filters = list() if state_filters is UNSET else state_filters
        self.producer_id_filters = list() if producer_id_filters is UNSET else producer_id_filters
        self.duration_filter = duration_filter
        self.transactional_id_pattern = transactional_id_pattern


class ListTransactionsState(Message):
    """The transactions that pass the filters."""

    __slots__ = ('transactional_id', 'producer_id', 'transaction_state',)

    transactional_id: str
    """The transactional id."""

    producer_id: int
    """The producer id the transactional id is using."""

    transaction_state: str
    """The coordinator's state for the transaction."""

    def __init__(self, *, transactional_id: str = "", producer_id: int = 0, transaction_state: str = "") -> None:
        self.transactional_id = transactional_id
        self.producer_id = producer_id
        self.transaction_state = transaction_state


class ListTransactionsResponse(Message):
    __slots__ = ('throttle_time_ms', 'error_code', 'unknown_state_filters', 'transaction_states',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    error_code: int
    """The error code, 0 on success."""

    unknown_state_filters: list[str]
    """The state filters of the request that the coordinator does not know."""

    transaction_states: list[ListTransactionsState]
    """The transactions that pass the filters."""

    def __init__(self, *, throttle_time_ms: int = 0, error_code: int = 0, unknown_state_filters: list[str] = UNSET, transaction_states: list[ListTransactionsState] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.error_code = error_code
        self.unknown_state_filters = list() if unknown_state_filters is UNSET else unknown_state_filters
        self.transaction_states = list() if transaction_states is UNSET else transaction_states


_LIST_TRANSACTIONS_REQUEST = MessageSpec(
    ListTransactionsRequest,
    (
        FieldSpec('state_filters', 'array', V(0, 32767), of='string'),
        FieldSpec('producer_id_filters', 'array', V(0, 32767), of='int64'),
        FieldSpec('duration_filter', 'int64', V(1, 32767), default=-1),
        FieldSpec('transactional_id_pattern', 'string', V(2, 32767), nullable=V(2, 32767)),
    ),
    name='ListTransactionsRequest',
    api_key=66,
    valid=V(0, 2),
    flexible=V(0, 32767),
)


_LIST_TRANSACTIONS_STATE = StructSpec(
    ListTransactionsState,
    (
        FieldSpec('transactional_id', 'string', V(0, 32767), default=""),
        FieldSpec('producer_id', 'int64', V(0, 32767), default=0),
        FieldSpec('transaction_state', 'string', V(0, 32767), default=""),
    ),
)


_LIST_TRANSACTIONS_RESPONSE = MessageSpec(
    ListTransactionsResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('unknown_state_filters', 'array', V(0, 32767), of='string'),
        FieldSpec('transaction_states', 'array', V(0, 32767), struct=_LIST_TRANSACTIONS_STATE),
    ),
    name='ListTransactionsResponse',
    api_key=66,
    valid=V(0, 2),
    flexible=V(0, 32767),
)


LIST_TRANSACTIONS_REQUEST_SPEC: MessageSpec = _LIST_TRANSACTIONS_REQUEST
LIST_TRANSACTIONS_RESPONSE_SPEC: MessageSpec = _LIST_TRANSACTIONS_RESPONSE
