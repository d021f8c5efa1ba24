"""Tells a producer's transaction coordinator that the transaction will commit offsets for a
consumer group, so that the group's offset partition is part of the transaction; the offsets
themselves follow in TxnOffsetCommit to the group coordinator.

Generated from protocol/messages/add_offsets_to_txn.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class AddOffsetsToTxnRequest(Message):
    __slots__ = ('transactional_id', 'producer_id', 'producer_epoch', 'group_id',)

    transactional_id: str
    """The transactional id of the transaction."""

    producer_id: int
    """The producer id the transactional id is using."""

    producer_epoch: int
    """The epoch of that producer id."""

    group_id: str
    """The consumer group whose offsets the transaction will commit."""

    def __init__(self, *, transactional_id: str = "", producer_id: int = 0, producer_epoch: int = 0, group_id: str = "") -> None:
        self.transactional_id = transactional_id
        self.producer_id = producer_id
        self.producer_epoch = producer_epoch
        self.group_id = group_id


class AddOffsetsToTxnResponse(Message):
    __slots__ = ('throttle_time_ms', 'error_code',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    error_code: int
    """The error code, 0 on success."""

    def __init__(self, *, throttle_time_ms: int = 0, error_code: int = 0) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.error_code = error_code


_ADD_OFFSETS_TO_TXN_REQUEST = MessageSpec(
    AddOffsetsToTxnRequest,
    (
        FieldSpec('transactional_id', 'string', V(0, 32767), default=""),
        FieldSpec('producer_id', 'int64', V(0, 32767), default=0),
        FieldSpec('producer_epoch', 'int16', V(0, 32767), default=0),
        FieldSpec('group_id', 'string', V(0, 32767), default=""),
    ),
    name='AddOffsetsToTxnRequest',
    api_key=25,
    valid=V(0, 4),
    flexible=V(3, 32767),
)


_ADD_OFFSETS_TO_TXN_RESPONSE = MessageSpec(
    AddOffsetsToTxnResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
    ),
    name='AddOffsetsToTxnResponse',
    api_key=25,
    valid=V(0, 4),
    flexible=V(3, 32767),
)


ADD_OFFSETS_TO_TXN_REQUEST_SPEC: MessageSpec = _ADD_OFFSETS_TO_TXN_REQUEST
ADD_OFFSETS_TO_TXN_RESPONSE_SPEC: MessageSpec = _ADD_OFFSETS_TO_TXN_RESPONSE
