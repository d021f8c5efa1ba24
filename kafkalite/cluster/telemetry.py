"""Client telemetry (KIP-714): what clients pushed with PushTelemetry, kept for tests.

Each push is kept as received (``metrics`` is the OTLP ``MetricsData`` protobuf, already
decompressed), so a test can assert that a client sent its metrics; nothing is exported.
The newest ``MAX_PUSHES`` are kept.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

__all__ = ["MAX_PUSHES", "PushedTelemetry"]

MAX_PUSHES = 10_000


@dataclass(frozen=True, slots=True)
class PushedTelemetry:
    client_instance_id: uuid.UUID
    subscription_id: int
    terminating: bool
    compression_type: int
    """The codec the client used (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd)."""
    metrics: bytes
    """The OTLP MetricsData payload, decompressed."""
    client_id: str
    received_at: float
