"""Give a producer an id and epoch for idempotent or transactional writes. From v3 a producer
may pass its current id and epoch to bump the epoch after an error instead of getting a new
id (KIP-360).

Generated from protocol/messages/init_producer_id.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


@dataclass(slots=True, kw_only=True)
class InitProducerIdRequest:
    transactional_id: str | None = None
    """The transactional id, or null for an idempotent producer without transactions. (nullable v0+)"""
    transaction_timeout_ms: int = 0
    """How long a transaction may stay idle before the coordinator aborts it, in milliseconds; used only with a transactional id."""
    producer_id: int = -1
    """The producer's current id, or -1 when it has none. (v3+)"""
    producer_epoch: int = -1
    """The producer's current epoch, or -1 when it has none; must match the broker's for an epoch bump. (v3+)"""


@dataclass(slots=True, kw_only=True)
class InitProducerIdResponse:
    throttle_time_ms: int = 0
    """How long the request was throttled, in milliseconds."""
    error_code: int = 0
    """The error code, 0 if none."""
    producer_id: int = -1
    """The producer id assigned, or -1 on error."""
    producer_epoch: int = 0
    """The epoch that goes with the producer id."""


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
    valid=V(0, 4),
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
    valid=V(0, 4),
    flexible=V(2, 32767),
)


INIT_PRODUCER_ID_REQUEST_SPEC: MessageSpec = _INIT_PRODUCER_ID_REQUEST
INIT_PRODUCER_ID_RESPONSE_SPEC: MessageSpec = _INIT_PRODUCER_ID_RESPONSE
