"""Give a producer an id and epoch for idempotent or transactional writes. From v3 a producer
may pass its current id and epoch to bump the epoch after an error instead of getting a new
id (KIP-360). v4 adds the PRODUCER_FENCED error (KIP-588) and v5 TRANSACTION_ABORTABLE
(KIP-890); the layout is unchanged.

Generated from protocol/messages/init_producer_id.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class InitProducerIdRequest(Message):
    __slots__ = ('transactional_id', 'transaction_timeout_ms', 'producer_id', 'producer_epoch',)

    transactional_id: str | None
    """The transactional id, or null for an idempotent producer without transactions. (nullable v0+)"""

    transaction_timeout_ms: int
    """How long a transaction may stay idle before the coordinator aborts it, in milliseconds; used only with a transactional id."""

    producer_id: int
    """The producer's current id, or -1 when it has none. (v3+)"""

    producer_epoch: int
    """The producer's current epoch, or -1 when it has none; must match the broker's for an epoch bump. (v3+)"""

    def __init__(self, *, transactional_id: str | None = None, transaction_timeout_ms: int = 0, producer_id: int = -1, producer_epoch: int = -1) -> None:
        self.transactional_id = transactional_id
        self.transaction_timeout_ms = transaction_timeout_ms
        self.producer_id = producer_id
        self.producer_epoch = producer_epoch


class InitProducerIdResponse(Message):
    __slots__ = ('throttle_time_ms', 'error_code', 'producer_id', 'producer_epoch',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    error_code: int
    """The error code, 0 if none."""

    producer_id: int
    """The producer id assigned, or -1 on error."""

    producer_epoch: int
    """The epoch that goes with the producer id."""

    def __init__(self, *, throttle_time_ms: int = 0, error_code: int = 0, producer_id: int = -1, producer_epoch: int = 0) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.error_code = error_code
        self.producer_id = producer_id
        self.producer_epoch = producer_epoch


_INIT_PRODUCER_ID_REQUEST = MessageSpec(
    InitProducerIdRequest,
    (
        FieldSpec('transactional_id', 'string', V(0, 32767), nullable=V(0, 32767)),
        FieldSpec('transaction_timeout_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('producer_id', 'int64', V(3, 32767), default=-1),
        FieldSpec('producer_epoch', 'int16', V(3, 32767), default=-1),
    ),
    name='InitProducerIdRequest',
    api_key=22,
    valid=V(0, 5),
    flexible=V(2, 32767),
)


_INIT_PRODUCER_ID_RESPONSE = MessageSpec(
    InitProducerIdResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0, ignorable=True),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('producer_id', 'int64', V(0, 32767), default=-1),
        FieldSpec('producer_epoch', 'int16', V(0, 32767), default=0),
    ),
    name='InitProducerIdResponse',
    api_key=22,
    valid=V(0, 5),
    flexible=V(2, 32767),
)


INIT_PRODUCER_ID_REQUEST_SPEC: MessageSpec = _INIT_PRODUCER_ID_REQUEST
INIT_PRODUCER_ID_RESPONSE_SPEC: MessageSpec = _INIT_PRODUCER_ID_RESPONSE
