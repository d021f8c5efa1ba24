"""PushTelemetry (api key 72), served v0.

Accepts a client's metrics (KIP-714) and keeps them, decompressed, in
``cluster.telemetry`` (``kafkalite.cluster.telemetry.PushedTelemetry``) so that a test can
assert that a client sent them; the control API lists them (``telemetry()``). Nothing is
exported.

Errors, as Kafka's ClientMetricsManager checks them: INVALID_REQUEST for an all-zero
instance id; UNKNOWN_SUBSCRIPTION_ID when the subscription id is not the current one (the
client then asks GetTelemetrySubscriptions again); UNSUPPORTED_COMPRESSION_TYPE for a codec
not accepted; TELEMETRY_TOO_LARGE above ``telemetry_max_bytes``; INVALID_RECORD for a
payload that does not decompress. A terminating push is accepted like any other.

Not implemented: push-rate throttling (THROTTLING_QUOTA_EXCEEDED for a push sooner than the
interval) and parsing the OTLP payload.
"""

from __future__ import annotations

import time
import uuid

from kafkalite.cluster.telemetry import PushedTelemetry
from kafkalite.handlers.context import RequestContext
from kafkalite.handlers.get_telemetry_subscriptions import (
    ACCEPTED_CODECS,
    TELEMETRY_MAX_BYTES,
    subscription_id,
)
from kafkalite.protocol.compression import decompress
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.push_telemetry import PushTelemetryRequest, PushTelemetryResponse

ZERO = uuid.UUID(int=0)


async def handle(ctx: RequestContext, request: PushTelemetryRequest) -> PushTelemetryResponse:
    if request.client_instance_id == ZERO:
        return PushTelemetryResponse(error_code=ErrorCode.INVALID_REQUEST)
    if request.subscription_id != subscription_id(ctx):
        return PushTelemetryResponse(error_code=ErrorCode.UNKNOWN_SUBSCRIPTION_ID)
    codec = request.compression_type
    if codec != 0 and codec not in ACCEPTED_CODECS:
        return PushTelemetryResponse(error_code=ErrorCode.UNSUPPORTED_COMPRESSION_TYPE)
    if len(request.metrics) > TELEMETRY_MAX_BYTES:
        return PushTelemetryResponse(error_code=ErrorCode.TELEMETRY_TOO_LARGE)
    try:
        metrics = bytes(request.metrics) if codec == 0 else decompress(codec, request.metrics)
    except Exception:  # any codec failure: the payload is not what the client said
        return PushTelemetryResponse(error_code=ErrorCode.INVALID_RECORD)
    ctx.cluster.telemetry.append(PushedTelemetry(
        client_instance_id=request.client_instance_id,
        subscription_id=request.subscription_id,
        terminating=request.terminating,
        compression_type=codec,
        metrics=metrics,
        client_id=ctx.request.client_id or "",
        received_at=time.time(),
    ))
    return PushTelemetryResponse()
