"""Client telemetry (KIP-714) from librdkafka through confluent-kafka: with every metric
requested every second, a producer pushes its metrics and kafkalite keeps them, so a test
can assert that the client sent them (``control.telemetry()``); with none requested (the
default) the client pushes nothing."""

from __future__ import annotations

import time
from pathlib import Path

import compat_helpers as h
import pytest
from confluent_kafka import Producer

from kafkalite.testing import KafkaliteServer

pytestmark = [pytest.mark.compat, pytest.mark.timeout(60)]


def produce_and_wait(server: KafkaliteServer, client_id: str, seconds: float) -> list[dict]:
    producer = Producer({"bootstrap.servers": server.bootstrap_servers, "client.id": client_id})
    producer.produce("telemetry", b"value")
    assert producer.flush(10) == 0
    deadline = time.monotonic() + seconds
    pushes: list[dict] = []
    while time.monotonic() < deadline and not pushes:
        producer.poll(0.2)
        pushes = server.control.telemetry(client_id)
    producer.flush(5)
    return pushes


def test_librdkafka_pushes_requested_metrics(tmp_path: Path) -> None:
    if h.external_bootstrap():
        pytest.skip("starts a kafkalite of its own")
    properties = {"kafkalite.telemetry.metrics": "*", "kafkalite.telemetry.push.interval.ms": 1000}
    with KafkaliteServer(properties, data_dir=tmp_path / "data") as server:
        pushes = produce_and_wait(server, "metrics-app", 20)
        assert pushes, "librdkafka pushed no metrics"
        first = pushes[0]
        assert first["metrics_bytes"] > 0 and first["client_instance_id"] != "00000000-0000-0000-0000-000000000000"
        # The payload is an OTLP MetricsData protobuf naming librdkafka's metrics.
        assert b"org.apache.kafka" in bytes.fromhex(first["metrics"])


def test_nothing_is_pushed_when_nothing_is_requested(tmp_path: Path) -> None:
    if h.external_bootstrap():
        pytest.skip("starts a kafkalite of its own")
    with KafkaliteServer({}, data_dir=tmp_path / "data") as server:
        assert produce_and_wait(server, "quiet-app", 3) == []
