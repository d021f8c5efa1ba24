"""Injected faults against real clients: idempotent producers and consumers recover without
losing or duplicating a record.

One kafkalite process for the module (``KafkaliteServer(mode="process")``; the control API
goes over HTTP to it), reset between tests. Each test runs once per client (kafka-python,
aiokafka, confluent-kafka; drivers in fault_drivers.py), and KafkaJS has one cell:

- produce: while an idempotent producer streams records in chunks, the test adds faults
  one after the other (each bounded by ``count``): NOT_LEADER_OR_FOLLOWER on Produce,
  REQUEST_TIMED_OUT *after* the append (the retry is a duplicate the broker must recognise),
  a Produce whose connection is closed instead of answered, every connection of the node
  dropped, Produce answers delayed. Every fault must be hit (its handle's ``wait``), every
  record acknowledged once at offset i // P of partition i % P, and a consumer must read
  exactly those records back.
- consume: a consumer that fetches one small batch at a time meets NOT_LEADER_OR_FOLLOWER on
  Fetch, a dropped Fetch connection, a delayed Fetch and a dropped node connection, and
  still reads every record once, in order.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import compat_fault_drivers as fd
import compat_helpers as h
import pytest

from kafkalite.testing import KafkaliteServer

pytestmark = [pytest.mark.compat, pytest.mark.timeout(90)]

PARTITIONS = 3
NODE = 1
NOT_LEADER_OR_FOLLOWER, REQUEST_TIMED_OUT = 6, 7
WAIT_S = 15.0
#: Fetches return at most this many bytes per partition: about one small batch, so a
#: consumer needs many fetches and the faults meet it mid-way.
SMALL_FETCH = 64


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KafkaliteServer]:
    if h.external_bootstrap():
        pytest.skip("injects faults through kafkalite's control API")
    properties = {"num.partitions": PARTITIONS, "offsets.topic.num.partitions": 1}
    data = tmp_path_factory.mktemp("kafkalite-faults") / "data"
    with KafkaliteServer(properties, mode="process", data_dir=data) as s:
        yield s


@pytest.fixture
def control(server: KafkaliteServer) -> Iterator[Any]:
    yield server.control
    server.control.reset()


@pytest.fixture(params=list(fd.DRIVERS))
def driver(request: pytest.FixtureRequest) -> fd.Driver:
    return fd.DRIVERS[request.param]


def topic_name(prefix: str) -> str:
    return f"faults-{prefix}-{uuid.uuid4().hex[:10]}"


def produce_errors(control: Any, topic: str) -> list[int]:
    return [
        code for entry in control.requests(api="Produce", topic=topic) for code in entry["errors"]
    ]


def test_idempotent_producer_through_produce_faults(
    server: KafkaliteServer, control: Any, driver: fd.Driver
) -> None:
    topic = topic_name("produce")
    sent = fd.items(200, PARTITIONS)
    faults: dict[str, Any] = {}

    def hook(chunk: int) -> None:  # runs while chunk `chunk` is in flight
        if chunk == 1:
            faults["not_leader"] = control.fail(
                api="Produce", topic=topic, error="NOT_LEADER_OR_FOLLOWER", count=2
            )
        elif chunk == 3:
            faults["timed_out"] = control.fail(
                api="Produce", topic=topic, error="REQUEST_TIMED_OUT", after_apply=True, count=2
            )
        elif chunk == 5:
            faults["drop"] = control.drop(api="Produce", topic=topic, count=1)
        elif chunk == 6:
            faults["connections_dropped"] = control.drop_connections(NODE)
        elif chunk == 7:
            faults["delay"] = control.delay(api="Produce", topic=topic, ms=300, count=2)

    acked = driver.produce(server.bootstrap_servers, topic, sent, chunk=20, hook=hook)

    for name in ("not_leader", "timed_out", "delay"):
        assert faults[name].wait(2, timeout=WAIT_S), f"{name}: {faults[name].describe()}"
    assert faults["drop"].wait(1, timeout=WAIT_S), faults["drop"].describe()
    assert faults["connections_dropped"] >= 1
    errors = produce_errors(control, topic)
    assert errors.count(NOT_LEADER_OR_FOLLOWER) >= 2 and errors.count(REQUEST_TIMED_OUT) >= 2, (
        errors
    )
    fd.check_acked(sent, acked)
    # The appends answered REQUEST_TIMED_OUT were kept; their retries were not written again.
    want = fd.counts(sent, PARTITIONS)
    for p, n in want.items():
        assert control.partition(topic, p)["high_watermark"] == n
    fd.check_exact(sent, driver.consume(server.bootstrap_servers, topic, want))


def test_consumer_through_fetch_faults(
    server: KafkaliteServer, control: Any, driver: fd.Driver
) -> None:
    topic = topic_name("fetch")
    sent = fd.items(240, PARTITIONS)
    fd.check_acked(sent, driver.produce(server.bootstrap_servers, topic, sent, chunk=12))
    want = fd.counts(sent, PARTITIONS)

    # Ordered rules: each lets the first fetches through, then takes its count.
    not_leader = control.fail(
        api="Fetch", topic=topic, error="NOT_LEADER_OR_FOLLOWER", skip=2, count=2
    )
    dropped = control.drop(api="Fetch", topic=topic, skip=5, count=1)
    delayed = control.delay(api="Fetch", topic=topic, ms=300, skip=7, count=1)
    connections: list[int] = []

    def hook(read: int) -> None:
        if read >= len(sent) // 2 and not connections:
            connections.append(control.drop_connections(NODE))

    reads = driver.consume(
        server.bootstrap_servers, topic, want, hook=hook, small_fetch=SMALL_FETCH
    )
    fd.check_exact(sent, reads)
    for fault, hits in ((not_leader, 2), (dropped, 1), (delayed, 1)):
        assert fault.wait(hits, timeout=WAIT_S), fault.describe()
    assert connections and connections[0] >= 1
    fetch_errors = [
        code for entry in control.requests(api="Fetch", topic=topic) for code in entry["errors"]
    ]
    assert fetch_errors.count(NOT_LEADER_OR_FOLLOWER) >= 2


# --------------------------------------------------------------------------- KafkaJS

JS_DIR = Path(__file__).with_name("js")
NODE_BIN = shutil.which("node")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@pytest.mark.skipif(
    NODE_BIN is None or not (JS_DIR / "node_modules" / "kafkajs").is_dir(),
    reason="KafkaJS needs node and `npm ci --prefix tests/compat/js`",
)
def test_kafkajs_idempotent_producer_and_consumer_through_faults(
    server: KafkaliteServer, control: Any
) -> None:
    """KafkaJS (idempotent, one request in flight): NOT_LEADER_OR_FOLLOWER, REQUEST_TIMED_OUT
    after the append and a dropped connection on Produce; NOT_LEADER_OR_FOLLOWER and a
    dropped connection on Fetch."""
    assert NODE_BIN is not None
    topic = topic_name("kjs")
    sent = fd.items(150, PARTITIONS, tag="kjs")
    # KafkaJS sends a send's partitions in one Produce: each rule takes whole requests.
    faults = [
        (
            control.fail(
                api="Produce", topic=topic, error="NOT_LEADER_OR_FOLLOWER", skip=1, count=1
            ),
            1,
        ),
        (
            control.fail(
                api="Produce",
                topic=topic,
                error="REQUEST_TIMED_OUT",
                after_apply=True,
                skip=2,
                count=1,
            ),
            1,
        ),
        (control.drop(api="Produce", topic=topic, skip=3, count=1), 1),
        (
            control.fail(api="Fetch", topic=topic, error="NOT_LEADER_OR_FOLLOWER", skip=1, count=1),
            1,
        ),
        (control.drop(api="Fetch", topic=topic, skip=3, count=1), 1),
    ]
    now = int(time.time() * 1000)
    config = {
        "bootstrap": server.bootstrap_servers,
        "topic": topic,
        "groupId": f"faults-kjs-{uuid.uuid4().hex[:8]}",
        "chunk": 15,
        "idleMs": 20000,
        "timeoutMs": 60000,
        "records": [
            {"partition": i.partition, "key": _b64(i.key), "value": _b64(i.value), "timestamp": now}
            for i in sent
        ],
        "counts": {str(p): n for p, n in fd.counts(sent, PARTITIONS).items()},
    }
    proc = subprocess.run(
        [NODE_BIN, str(JS_DIR / "fault_stream.js")],
        input=json.dumps(config).encode(),
        cwd=str(JS_DIR),
        capture_output=True,
        timeout=80,
        env=dict(os.environ, KAFKAJS_NO_PARTITIONER_WARNING="1"),
    )
    events = [
        json.loads(line) for line in proc.stdout.decode().splitlines() if line.startswith("{")
    ]
    assert proc.returncode == 0 and events[-1] == {"type": "done"}, (
        f"exit {proc.returncode}: {events[-3:]}\n{proc.stderr.decode()[-3000:]}"
    )
    acked = []
    for event in (e for e in events if e["type"] == "sent"):
        part = sent[event["first"] : event["first"] + event["count"]]
        base = {m["partition"]: int(m["baseOffset"]) for m in event["metadata"]}
        assert all(m["errorCode"] == 0 for m in event["metadata"]), event
        seen: dict[int, int] = {}
        for i in part:
            acked.append(
                fd.Acked(i.index, i.partition, base[i.partition] + seen.get(i.partition, 0))
            )
            seen[i.partition] = seen.get(i.partition, 0) + 1
    fd.check_acked(sent, acked)
    reads = [
        fd.Read(
            e["partition"], e["offset"], base64.b64decode(e["key"]), base64.b64decode(e["value"])
        )
        for e in events
        if e["type"] == "record"
    ]
    fd.check_exact(sent, reads)
    for fault, hits in faults:
        assert fault.wait(hits, timeout=WAIT_S), fault.describe()
