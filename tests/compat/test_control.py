"""The control API driving real clients against a broker in its own process.

- ``kafkalite serve --brokers 3 --port 0 --control-port 0`` runs as a child; another process
  (``curl``, or ``python -c`` with urllib where curl is missing) adds a fault over HTTP and
  confluent-kafka, with retries off, sees the injected error;
- ``KafkaliteServer(mode="process", brokers=3)``: the Python ``control`` object speaks HTTP
  to the child; kafka-python's idempotent producer retries a NOT_LEADER_OR_FOLLOWER and
  lands its record once, and a consumer group is waited on until stable and committed.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import compat_helpers as h
import confluent_kafka as ck
import pytest
from kafka import KafkaConsumer, KafkaProducer

from kafkalite.testing import KafkaliteServer

pytestmark = [pytest.mark.compat, pytest.mark.timeout(90)]

NOT_ENOUGH_REPLICAS = 19
WAIT_S = 20.0


class ServeProcess:
    """``python -m kafkalite serve`` with free ports, its addresses read from its stdout."""

    def __init__(self, data_dir: Path, *args: str) -> None:
        command = [sys.executable, "-m", "kafkalite", "serve", "--data-dir", str(data_dir), *args]
        self.log_path = data_dir.with_suffix(".log")
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=log, env=h.broker_env()
            )
        self.bootstrap, self.control_url = self._read_addresses()

    def _read_addresses(self) -> tuple[str, str]:
        assert self.proc.stdout is not None
        bootstrap = url = ""
        deadline = time.monotonic() + h.STARTUP_TIMEOUT_S
        buffer = b""
        while not (bootstrap and url):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.proc.poll() is not None:
                self.stop()
                raise h.BrokerUnavailable(
                    "kafkalite serve printed no addresses\n" + self.log_path.read_text()
                )
            if select.select([self.proc.stdout], [], [], remaining)[0]:
                buffer += os.read(self.proc.stdout.fileno(), 4096)
            for line in buffer.decode(errors="replace").splitlines():
                if "(bootstrap " in line:  # "... (bootstrap H:P,H:P,H:P, data DIR)"
                    bootstrap = line.split("(bootstrap ", 1)[1].split(", data ", 1)[0]
                if "control API at " in line:
                    url = line.split("control API at ", 1)[1].split()[0]
        return bootstrap, url

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(h.STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(h.STOP_TIMEOUT_S)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def http(method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    """One request from another process: curl if installed, else python's urllib."""
    data = json.dumps(body) if body is not None else ""
    if shutil.which("curl"):
        command = ["curl", "-sS", "-X", method, url, "-H", "Content-Type: application/json"]
        command += ["-d", data] if body is not None else []
    else:
        script = (
            "import sys, urllib.request as u; "
            "r = u.Request(sys.argv[2], data=sys.argv[3].encode() or None, method=sys.argv[1]); "
            "print(u.urlopen(r, timeout=20).read().decode())"
        )
        command = [sys.executable, "-c", script, method, url, data]
    done = subprocess.run(command, capture_output=True, timeout=30, check=True)
    return json.loads(done.stdout)


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[ServeProcess]:
    if h.external_bootstrap():
        pytest.skip("starts a broker process of its own")
    process = ServeProcess(
        tmp_path / "data", "--brokers", "3", "--port", "0", "--control-port", "0"
    )
    try:
        yield process
    finally:
        process.stop()


def test_another_process_fails_produce_over_http(serve: ServeProcess) -> None:
    assert len(serve.bootstrap.split(",")) == 3
    brokers = http("GET", serve.control_url + "/brokers")
    assert [b["id"] for b in brokers] == [1, 2, 3]
    topic = f"control-{uuid.uuid4().hex[:10]}"
    fault = http(
        "POST",
        serve.control_url + "/faults",
        {"api": "Produce", "topic": topic, "error": "NOT_ENOUGH_REPLICAS", "count": 1},
    )
    assert (fault["hits"], fault["error"]) == (0, "NOT_ENOUGH_REPLICAS")

    producer = ck.Producer(
        {"bootstrap.servers": serve.bootstrap, "retries": 0, "acks": "all", "linger.ms": 0}
    )
    errors: list[Any] = []
    producer.produce(topic, b"first", on_delivery=lambda err, _msg: errors.append(err))
    assert producer.flush(WAIT_S) == 0
    assert errors[0] is not None and errors[0].code() == ck.KafkaError.NOT_ENOUGH_REPLICAS
    producer.produce(topic, b"second", on_delivery=lambda err, _msg: errors.append(err))
    assert producer.flush(WAIT_S) == 0
    assert errors[1] is None  # count 1: the rule has retired

    answer = http("GET", f"{serve.control_url}/faults/{fault['id']}")
    assert (answer["hits"], answer["retired"]) == (1, True)
    produced = http("GET", f"{serve.control_url}/requests?api=Produce&topic={topic}")
    assert [entry["errors"] for entry in produced] == [[NOT_ENOUGH_REPLICAS], []]


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[KafkaliteServer]:
    if h.external_bootstrap():
        pytest.skip("starts a broker process of its own")
    properties = {"num.partitions": "2", "offsets.topic.num.partitions": "3"}
    with KafkaliteServer(
        properties, mode="process", brokers=3, data_dir=tmp_path / "data"
    ) as server:
        yield server


def test_process_mode_control_with_kafka_python(cluster: KafkaliteServer) -> None:
    control = cluster.control
    assert cluster.control_url is not None and len(cluster.bootstrap_servers.split(",")) == 3
    topic = f"control-{uuid.uuid4().hex[:10]}"
    fault = control.fail(api="Produce", topic=topic, error="NOT_LEADER_OR_FOLLOWER", count=1)

    producer = KafkaProducer(bootstrap_servers=cluster.bootstrap_servers)  # idempotent
    try:
        metadata = producer.send(topic, b"once", partition=0).get(timeout=WAIT_S)
    finally:
        producer.close(timeout=10)
    assert metadata.offset == 0
    assert fault.hits == 1 and fault.wait(1, timeout=1)
    produced = control.requests(api="Produce", topic=topic)
    assert [entry["errors"] for entry in produced][-2:] == [[6], []]  # retried after the error
    assert control.wait_high_watermark(topic, 0, 1, timeout=WAIT_S)

    group = f"group-{uuid.uuid4().hex[:8]}"
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=cluster.bootstrap_servers,
        group_id=group,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    try:
        deadline = time.monotonic() + WAIT_S
        got: list[bytes] = []
        while not got and time.monotonic() < deadline:
            for batch in consumer.poll(timeout_ms=500).values():
                got += [record.value for record in batch]
        assert got == [b"once"]
        assert control.wait_group(group, members=1, timeout=WAIT_S)
        assert control.group(group)["state"] == "Stable"
        consumer.commit()
        assert control.wait_offset(group, topic, 0, 1, timeout=WAIT_S)
    finally:
        consumer.close()
    assert control.reset()["faults_removed"] == 1
