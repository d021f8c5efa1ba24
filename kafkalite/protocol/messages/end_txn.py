"""Commits or aborts a producer's transaction. From v5 the coordinator bumps the producer epoch
at the end of every transaction and returns the producer id and epoch to use next (KIP-890).

Generated from protocol/messages/end_txn.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class EndTxnRequest(Message):
    __slots__ = ('transactional_id', 'producer_id', 'producer_epoch', 'committed',)

    transactional_id: str
    """The transactional id of the transaction to end."""

    producer_id: int
    """The producer id."""

    producer_epoch: int
    """The producer's current epoch."""

    committed: bool
    """True to commit the transaction, false to abort it."""

    def __init__(self, *, transactional_id: str = "", producer_id: int = 0, producer_epoch: int = 0, committed: bool = False) -> None:
        self.transactional_id = transactional_id
        self.producer_id = producer_id
        self.producer_epoch = producer_epoch
        self.committed = committed


class EndTxnResponse(Message):
    __slots__ = ('throttle_time_ms', 'error_code', 'producer_id', 'producer_epoch',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    error_code: int
    """The error code, 0 on success."""

    producer_id: int
    """The producer id to use for the next transaction (v5+, KIP-890). (v5+)"""

    producer_epoch: int
    """The epoch to use for the next transaction (v5+, KIP-890). (v5+)"""

    def __init__(self, *, throttle_time_ms: int = 0, error_code: int = 0, producer_id: int = -1, producer_epoch: int = -1) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.error_code = error_code
        self.producer_id = producer_id
        self.producer_epoch = producer_epoch


_END_TXN_REQUEST = MessageSpec(
    EndTxnRequest,
    (
        FieldSpec('transactional_id', 'string', V(0, 32767), default=""),
        FieldSpec('producer_id', 'int64', V(0, 32767), default=0),
        FieldSpec('producer_epoch', 'int16', V(0, 32767), default=0),
        FieldSpec('committed', 'bool', V(0, 32767), default=False),
    ),
    name='EndTxnRequest',
    api_key=26,
    valid=V(0, 5),
    flexible=V(3, 32767),
)


_END_TXN_RESPONSE = MessageSpec(
    EndTxnResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('producer_id', 'int64', V(5, 32767), default=-1, ignorable=True),
        FieldSpec('producer_epoch', 'int16', V(5, 32767), default=-1, ignorable=True),
    ),
    name='EndTxnResponse',
    api_key=26,
    valid=V(0, 5),
    flexible=V(3, 32767),
)


END_TXN_REQUEST_SPEC: MessageSpec = _END_TXN_REQUEST
END_TXN_RESPONSE_SPEC: MessageSpec = _END_TXN_RESPONSE
