"""Pushes client metrics, as OTLP protobuf (KIP-714).

Generated from protocol/messages/push_telemetry.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class PushTelemetryRequest(Message):
    __slots__ = ('client_instance_id', 'subscription_id', 'terminating', 'compression_type', 'metrics',)

    client_instance_id: uuid.UUID
    """The client's instance id."""

    subscription_id: int
    """The subscription id being answered."""

    terminating: bool
    """True for the client's last push."""

    compression_type: int
    """The codec of ``metrics``."""

    metrics: bytes
    """The metrics, an OTLP MetricsData protobuf."""

    def __init__(self, *, client_instance_id: uuid.UUID = ZERO_UUID, subscription_id: int = 0, terminating: bool = False, compression_type: int = 0, metrics: bytes = b"") -> None:
        self.client_instance_id = client_instance_id
        self.subscription_id = subscription_id
        self.terminating = terminating
        self.compression_type = compression_type
        self.metrics = metrics


class PushTelemetryResponse(Message):
    __slots__ = ('throttle_time_ms', 'error_code',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    error_code: int
    """The error code, 0 on success."""

    def __init__(self, *, throttle_time_ms: int = 0, error_code: int = 0) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.error_code = error_code


_PUSH_TELEMETRY_REQUEST = MessageSpec(
    PushTelemetryRequest,
    (
        FieldSpec('client_instance_id', 'uuid', V(0, 32767), default=ZERO_UUID),
        FieldSpec('subscription_id', 'int32', V(0, 32767), default=0),
        FieldSpec('terminating', 'bool', V(0, 32767), default=False),
        FieldSpec('compression_type', 'int8', V(0, 32767), default=0),
        FieldSpec('metrics', 'bytes', V(0, 32767), default=b""),
    ),
    name='PushTelemetryRequest',
    api_key=72,
    valid=V(0, 0),
    flexible=V(0, 32767),
)


_PUSH_TELEMETRY_RESPONSE = MessageSpec(
    PushTelemetryResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
    ),
    name='PushTelemetryResponse',
    api_key=72,
    valid=V(0, 0),
    flexible=V(0, 32767),
)


PUSH_TELEMETRY_REQUEST_SPEC: MessageSpec = _PUSH_TELEMETRY_REQUEST
PUSH_TELEMETRY_RESPONSE_SPEC: MessageSpec = _PUSH_TELEMETRY_RESPONSE
