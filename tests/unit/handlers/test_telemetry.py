"""GetTelemetrySubscriptions and PushTelemetry over real sockets: the subscription set with -o,
pushed metrics kept (decompressed) for tests, and Kafka's errors."""

from __future__ import annotations

import uuid
from pathlib import Path

from kafkalite.protocol.compression import compress
from kafkalite.protocol.errors import ErrorCode as E
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.get_telemetry_subscriptions import (
    GetTelemetrySubscriptionsRequest,
)
from kafkalite.protocol.messages.push_telemetry import PushTelemetryRequest
from tests.unit.handlers.admin_wire import running_broker
from tests.unit.server.kafka_wire import call

ZERO = uuid.UUID(int=0)


def subscribe(address: tuple[str, int], instance: uuid.UUID = ZERO):
    return call(address, ApiKey.GET_TELEMETRY_SUBSCRIPTIONS, 0,
                GetTelemetrySubscriptionsRequest(client_instance_id=instance))


def push(address: tuple[str, int], **fields) -> int:
    return call(address, ApiKey.PUSH_TELEMETRY, 0, PushTelemetryRequest(**fields)).error_code


def test_no_metrics_requested_by_default(broker_thread) -> None:
    answer = subscribe(broker_thread.address)
    assert answer.error_code == 0 and answer.client_instance_id != ZERO
    assert answer.requested_metrics == [] and answer.push_interval_ms == 300_000
    assert answer.accepted_compression_types == [4, 3, 1, 2]
    again = subscribe(broker_thread.address, answer.client_instance_id)
    assert again.client_instance_id == answer.client_instance_id
    assert again.subscription_id == answer.subscription_id


def test_pushed_metrics_are_kept_for_tests(tmp_path: Path) -> None:
    properties = {"kafkalite.telemetry.metrics": "*", "kafkalite.telemetry.push.interval.ms": "1000"}
    with running_broker(tmp_path / "data", **properties) as broker:
        address = broker.address
        sub = subscribe(address)
        assert (sub.requested_metrics, sub.push_interval_ms) == ([""], 1000)
        instance, sid = sub.client_instance_id, sub.subscription_id
        payload = b"\x0a\x03otlp" * 50
        assert push(address, client_instance_id=instance, subscription_id=sid,
                    compression_type=1, metrics=compress(1, payload)) == 0
        assert push(address, client_instance_id=instance, subscription_id=sid,
                    terminating=True, metrics=b"last") == 0
        assert push(address, client_instance_id=ZERO, subscription_id=sid) == E.INVALID_REQUEST
        assert push(address, client_instance_id=instance, subscription_id=sid + 1) == (
            E.UNKNOWN_SUBSCRIPTION_ID
        )
        assert push(address, client_instance_id=instance, subscription_id=sid,
                    compression_type=9, metrics=b"x") == E.UNSUPPORTED_COMPRESSION_TYPE
        assert push(address, client_instance_id=instance, subscription_id=sid,
                    metrics=b"x" * ((1 << 20) + 1)) == E.TELEMETRY_TOO_LARGE
        assert push(address, client_instance_id=instance, subscription_id=sid,
                    compression_type=1, metrics=b"not gzip") == E.INVALID_RECORD
        pushes = broker.call(lambda: list(broker.broker.cluster.telemetry))
        assert [(p.metrics, p.terminating, p.compression_type, p.client_id) for p in pushes] == [
            (payload, False, 1, "test"), (b"last", True, 0, "test")
        ]
        assert all(p.client_instance_id == instance for p in pushes)
        listed = broker.call(lambda: broker.broker.control.telemetry("test"))
        assert [(p["metrics"], p["terminating"]) for p in listed] == [
            (payload.hex(), False), (b"last".hex(), True)
        ]
        assert broker.call(lambda: broker.broker.control.telemetry("someone-else")) == []
