"""GetTelemetrySubscriptions (api key 71), served v0.

One subscription for every client (KIP-714), set with ``-o``:
``kafkalite.telemetry.metrics`` (metric name prefixes; ``*`` for all; empty, the default,
asks for none, as a Kafka broker with no client-metrics subscription does, and clients then
push nothing) and ``kafkalite.telemetry.push.interval.ms``. A client without an instance id
(all zeros) gets a new one. The subscription id is a checksum of the subscription, so it
changes when the subscription does. Accepted codecs: zstd, lz4, gzip, snappy (Kafka's
order); ``telemetry_max_bytes`` 1 MiB; delta temporality.

Not implemented: CLIENT_METRICS config resources (subscriptions per client selector).
"""

from __future__ import annotations

import uuid
import zlib

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.messages.get_telemetry_subscriptions import (
    GetTelemetrySubscriptionsRequest,
    GetTelemetrySubscriptionsResponse,
)

ZERO = uuid.UUID(int=0)
ACCEPTED_CODECS = [4, 3, 1, 2]  # zstd, lz4, gzip, snappy
TELEMETRY_MAX_BYTES = 1 << 20  # telemetry.max.bytes


def subscription_id(ctx: RequestContext) -> int:
    config = ctx.config
    text = f"{','.join(config.telemetry_metrics)}|{config.telemetry_push_interval_ms}"
    checksum = zlib.crc32(text.encode())
    return checksum - (1 << 32) if checksum >= 1 << 31 else checksum


async def handle(
    ctx: RequestContext, request: GetTelemetrySubscriptionsRequest
) -> GetTelemetrySubscriptionsResponse:
    instance = request.client_instance_id
    if instance == ZERO:
        instance = uuid.uuid4()
    return GetTelemetrySubscriptionsResponse(
        client_instance_id=instance,
        subscription_id=subscription_id(ctx),
        accepted_compression_types=list(ACCEPTED_CODECS),
        push_interval_ms=ctx.config.telemetry_push_interval_ms,
        telemetry_max_bytes=TELEMETRY_MAX_BYTES,
        delta_temporality=True,
        requested_metrics=list(ctx.config.telemetry_metrics),
    )
