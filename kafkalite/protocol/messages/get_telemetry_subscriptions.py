"""Asks which client metrics to push, how often and how (KIP-714).

Generated from protocol/messages/get_telemetry_subscriptions.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class GetTelemetrySubscriptionsRequest(Message):
    __slots__ = ('client_instance_id',)

    client_instance_id: uuid.UUID
    """The client's instance id; all zeros to get one assigned."""

    def __init__(self, *, client_instance_id: uuid.UUID = ZERO_UUID) -> None:
        self.client_instance_id = client_instance_id


class GetTelemetrySubscriptionsResponse(Message):
    __slots__ = ('throttle_time_ms', 'error_code', 'client_instance_id', 'subscription_id', 'accepted_compression_types', 'push_interval_ms', 'telemetry_max_bytes', 'delta_temporality', 'requested_metrics',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    error_code: int
    """The error code, 0 on success."""

    client_instance_id: uuid.UUID
    """The client's instance id."""

    subscription_id: int
    """Identifies this set of subscriptions; PushTelemetry sends it back."""

    accepted_compression_types: list[int]
    """The codecs the broker accepts for metrics, preferred first; empty for none."""

    push_interval_ms: int
    """How often to push, in milliseconds."""

    telemetry_max_bytes: int
    """The largest metrics payload accepted."""

    delta_temporality: bool
    """True for delta temporality, false for cumulative."""

    requested_metrics: list[str]
    """Name prefixes of the metrics to push; empty for none, one empty string for all."""

    def __init__(self, *, throttle_time_ms: int = 0, error_code: int = 0, client_instance_id: uuid.UUID = ZERO_UUID, subscription_id: int = 0, accepted_compression_types: list[int] = UNSET, push_interval_ms: int = 0, telemetry_max_bytes: int = 0, delta_temporality: bool = False, requested_metrics: list[str] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.error_code = error_code
        self.client_instance_id = client_instance_id
        self.subscription_id = subscription_id
        self.accepted_compression_types = list() if accepted_compression_types is UNSET else accepted_compression_types
        self.push_interval_ms = push_interval_ms
        self.telemetry_max_bytes = telemetry_max_bytes
        self.delta_temporality = delta_temporality
        self.requested_metrics = list() if requested_metrics is UNSET else requested_metrics


_GET_TELEMETRY_SUBSCRIPTIONS_REQUEST = MessageSpec(
    GetTelemetrySubscriptionsRequest,
    (
        FieldSpec('client_instance_id', 'uuid', V(0, 32767), default=ZERO_UUID),
    ),
    name='GetTelemetrySubscriptionsRequest',
    api_key=71,
    valid=V(0, 0),
    flexible=V(0, 32767),
)


_GET_TELEMETRY_SUBSCRIPTIONS_RESPONSE = MessageSpec(
    GetTelemetrySubscriptionsResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('client_instance_id', 'uuid', V(0, 32767), default=ZERO_UUID),
        FieldSpec('subscription_id', 'int32', V(0, 32767), default=0),
        FieldSpec('accepted_compression_types', 'array', V(0, 32767), of='int8'),
        FieldSpec('push_interval_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('telemetry_max_bytes', 'int32', V(0, 32767), default=0),
        FieldSpec('delta_temporality', 'bool', V(0, 32767), default=False),
        FieldSpec('requested_metrics', 'array', V(0, 32767), of='string'),
    ),
    name='GetTelemetrySubscriptionsResponse',
    api_key=71,
    valid=V(0, 0),
    flexible=V(0, 32767),
)


GET_TELEMETRY_SUBSCRIPTIONS_REQUEST_SPEC: MessageSpec = _GET_TELEMETRY_SUBSCRIPTIONS_REQUEST
GET_TELEMETRY_SUBSCRIPTIONS_RESPONSE_SPEC: MessageSpec = _GET_TELEMETRY_SUBSCRIPTIONS_RESPONSE
