#!/usr/bin/env python3
"""Noisy neighbour: one client's ApiVersions latency while another sends a huge request.

    python benchmarks/noisy_neighbour.py [--bootstrap HOST:PORT] [--json out.json] [--only NAME]

Without ``--bootstrap`` it starts ``python -m kafkalite serve`` on a free port with a
temporary data directory, and stops it at the end. For each large request below, a second
connection sends ApiVersions requests back to back, one at a time, from just before the
large request is sent until just after it is answered (or its connection closed), and the
latencies of those round trips are reported as p50 / p99 / max. The target is a p99 under
50 ms. A quiet row (no large request) gives the baseline. When it starts the broker, it also
reports the broker's longest event-loop step during each row in CPU milliseconds of the
loop's thread: what no other connection can interrupt, a figure the load of other processes
does not inflate as it inflates the wall-clock latencies.

Large requests (all valid on the wire unless said otherwise):
- ``produce_400k``: Produce v9, one topic, 400,000 partition entries without records (2.4 MB);
- ``fetch_200k``: Fetch v12, one topic, 200,000 partitions;
- ``metadata_tagged``: Metadata v12 whose top-level struct claims 3,000,000 empty tagged
  fields (6 MB);
- ``metadata_1000_new``: Metadata v12 naming 1,000 unknown topics, auto-creation allowed;
- ``create_topics_10k``: CreateTopics v7, one topic of 10,000 partitions.

The script uses kafkalite's codec to frame requests, so run it from the repository root.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kafkalite.protocol.codec import decode, encode_bytes  # noqa: E402
from kafkalite.protocol.headers import (  # noqa: E402
    request_header_version,
    response_header_version,
)
from kafkalite.protocol.messages import REQUESTS, RESPONSES, ApiKey  # noqa: E402
from kafkalite.protocol.messages.api_versions import ApiVersionsRequest  # noqa: E402
from kafkalite.protocol.messages.create_topics import (  # noqa: E402
    CreatableTopic,
    CreateTopicsRequest,
)
from kafkalite.protocol.messages.fetch import FetchPartition, FetchRequest, FetchTopic  # noqa: E402
from kafkalite.protocol.messages.headers import (  # noqa: E402
    REQUEST_HEADER_SPEC,
    RESPONSE_HEADER_SPEC,
    RequestHeader,
)
from kafkalite.protocol.messages.metadata import MetadataRequest, MetadataRequestTopic  # noqa: E402
from kafkalite.protocol.messages.produce import (  # noqa: E402
    ProducePartitionData,
    ProduceRequest,
    ProduceTopicData,
)

TOPIC = "noisy"


def frame(api_key: ApiKey, version: int, body: Any, correlation_id: int = 1) -> bytes:
    header = RequestHeader(
        request_api_key=api_key, request_api_version=version, correlation_id=correlation_id,
        client_id="noisy",
    )
    payload = encode_bytes(REQUEST_HEADER_SPEC, header, request_header_version(api_key, version))
    payload += encode_bytes(REQUESTS[api_key], body, version)
    return struct.pack(">i", len(payload)) + payload


def recv_exact(sock: socket.socket, n: int) -> bytes | None:
    data = bytearray()
    while len(data) < n:
        chunk = sock.recv(min(n - len(data), 1 << 20))
        if not chunk:
            return None
        data += chunk
    return bytes(data)


def send_and_read(sock: socket.socket, request: bytes) -> bytes | None:
    """Send, then read the answer's bytes; None if the broker closed the connection instead."""
    sock.sendall(request)
    prefix = recv_exact(sock, 4)
    if prefix is None:
        return None
    return recv_exact(sock, struct.unpack(">i", prefix)[0])


def decode_answer(body: bytes | None, api_key: ApiKey, version: int) -> Any:
    if body is None:
        return None
    _, pos = decode(RESPONSE_HEADER_SPEC, response_header_version(api_key, version), body)
    return decode(RESPONSES[api_key], version, body, pos)[0]


def round_trip(sock: socket.socket, request: bytes, api_key: ApiKey, version: int) -> Any:
    """Send, then read and decode the answer; None if the broker closed the connection."""
    return decode_answer(send_and_read(sock, request), api_key, version)


def produce_400k() -> tuple[bytes, ApiKey, int]:
    partitions = [ProducePartitionData(index=i, records=None) for i in range(400_000)]
    body = ProduceRequest(
        acks=1, timeout_ms=30_000, topic_data=[ProduceTopicData(name=TOPIC, partition_data=partitions)]
    )
    return frame(ApiKey.PRODUCE, 9, body), ApiKey.PRODUCE, 9


def fetch_200k() -> tuple[bytes, ApiKey, int]:
    partitions = [
        FetchPartition(partition=i, fetch_offset=0, partition_max_bytes=1024)
        for i in range(200_000)
    ]
    body = FetchRequest(
        replica_id=-1, max_wait_ms=0, min_bytes=0, max_bytes=1 << 20,
        topics=[FetchTopic(topic=TOPIC, partitions=partitions)],
    )
    return frame(ApiKey.FETCH, 12, body), ApiKey.FETCH, 12


def metadata_tagged() -> tuple[bytes, ApiKey, int]:
    count = 3_000_000
    plain = frame(ApiKey.METADATA, 12, MetadataRequest(topics=[]))
    assert plain.endswith(b"\x00")  # the empty top-level tagged section
    varint = bytearray()
    value = count
    while value >= 0x80:
        varint.append((value & 0x7F) | 0x80)
        value >>= 7
    varint.append(value)
    payload = plain[4:-1] + bytes(varint) + b"\x7f\x00" * count
    return struct.pack(">i", len(payload)) + payload, ApiKey.METADATA, 12


def metadata_1000_new() -> tuple[bytes, ApiKey, int]:
    run = uuid.uuid4().hex[:8]
    topics = [MetadataRequestTopic(name=f"noisy-new-{run}-{n}") for n in range(1000)]
    body = MetadataRequest(topics=topics, allow_auto_topic_creation=True)
    return frame(ApiKey.METADATA, 12, body), ApiKey.METADATA, 12


def create_topics_10k() -> tuple[bytes, ApiKey, int]:
    run = uuid.uuid4().hex[:8]
    body = CreateTopicsRequest(
        topics=[CreatableTopic(name=f"noisy-wide-{run}", num_partitions=10_000, replication_factor=1)],
        timeout_ms=60_000,
    )
    return frame(ApiKey.CREATE_TOPICS, 7, body), ApiKey.CREATE_TOPICS, 7


SCENARIOS: dict[str, Callable[[], tuple[bytes, ApiKey, int]]] = {
    "produce_400k": produce_400k,
    "fetch_200k": fetch_200k,
    "metadata_tagged": metadata_tagged,
    "metadata_1000_new": metadata_1000_new,
    "create_topics_10k": create_topics_10k,
}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def measure(address: tuple[str, int], scenario: str | None, quiet_s: float = 1.0) -> dict[str, Any]:
    request = SCENARIOS[scenario]() if scenario else None
    latencies: list[float] = []
    stop = threading.Event()
    probe = frame(ApiKey.API_VERSIONS, 3, ApiVersionsRequest(client_software_name="noisy"))

    def neighbour() -> None:
        with socket.create_connection(address) as sock:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            while not stop.is_set():
                started = time.perf_counter()
                round_trip(sock, probe, ApiKey.API_VERSIONS, 3)
                latencies.append((time.perf_counter() - started) * 1000)

    thread = threading.Thread(target=neighbour, daemon=True)
    thread.start()
    time.sleep(0.05)
    started = time.perf_counter()
    outcome = "quiet"
    if request is None:
        time.sleep(quiet_s)
    else:
        data, api_key, version = request
        with socket.create_connection(address) as sock:
            raw = send_and_read(sock, data)
    elapsed = (time.perf_counter() - started) * 1000
    stop.set()
    thread.join(timeout=30)
    if request is not None:
        # Decoded once the probes have stopped: decoding 400,000 entries in Python here
        # would hold this process's GIL and delay the probes, which share the process.
        answer = decode_answer(raw, api_key, version)
        outcome = "answered" if answer is not None else "connection closed"
    return {
        "scenario": scenario or "quiet",
        "request_bytes": len(request[0]) if request else 0,
        "outcome": outcome,
        "request_ms": round(elapsed, 1),
        "probes": len(latencies),
        "p50_ms": round(percentile(latencies, 0.50), 2),
        "p99_ms": round(percentile(latencies, 0.99), 2),
        "max_ms": round(max(latencies, default=float("nan")), 2),
    }


def create_topic(address: tuple[str, int]) -> None:
    with socket.create_connection(address) as sock:
        body = MetadataRequest(topics=[MetadataRequestTopic(name=TOPIC)], allow_auto_topic_creation=True)
        round_trip(sock, frame(ApiKey.METADATA, 12, body), ApiKey.METADATA, 12)


# Started in front of ``kafkalite serve``: times every callback the event loop runs in CPU
# seconds of the loop's thread (``time.thread_time``, which other processes' load does not
# inflate as it does wall time), and on SIGUSR1 writes the longest since the last signal to
# the file named by NOISY_STEPS_FILE. A step is what no other connection can interrupt.
_STEP_TIMER = """
import os, signal, sys, time
from asyncio import events
longest = [0.0]
run = events.Handle._run
def timed(self):
    started = time.thread_time()
    try:
        return run(self)
    finally:
        longest[0] = max(longest[0], time.thread_time() - started)
events.Handle._run = timed
def report(*_):
    with open(os.environ["NOISY_STEPS_FILE"], "w") as out:
        out.write(repr(longest[0] * 1000))
    longest[0] = 0.0
signal.signal(signal.SIGUSR1, report)
from kafkalite.cli import main
sys.exit(main(sys.argv[1:]))
"""


def longest_step_ms(proc: subprocess.Popen[str] | None, steps_file: Path | None) -> float | None:
    """The broker's longest event-loop step (CPU ms) since the last call; None when the
    broker was not started here."""
    if proc is None or steps_file is None:
        return None
    steps_file.unlink(missing_ok=True)
    proc.send_signal(signal.SIGUSR1)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            text = steps_file.read_text()
        except FileNotFoundError:
            text = ""
        if text:
            return round(float(text), 1)
        time.sleep(0.02)
    return None


def start_broker(data_dir: Path) -> tuple[subprocess.Popen[str], tuple[str, int]]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _STEP_TIMER, "serve", "--port", "0", "--data-dir", str(data_dir),
         "--log-level", "WARNING"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO), "NOISY_STEPS_FILE": str(data_dir / "steps")},
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    port = int(line.split("serving on ")[1].split(" ")[0].rsplit(":", 1)[1])
    return proc, ("127.0.0.1", port)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bootstrap", help="HOST:PORT of a running broker (default: start one)")
    parser.add_argument("--only", choices=sorted(SCENARIOS), action="append")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    proc = None
    data_dir = None
    if args.bootstrap:
        host, _, port = args.bootstrap.rpartition(":")
        address = (host, int(port))
    else:
        data_dir = Path(tempfile.mkdtemp(prefix="noisy-"))
        proc, address = start_broker(data_dir)
    steps_file = data_dir / "steps" if data_dir is not None else None
    try:
        create_topic(address)
        with socket.create_connection(address) as sock:  # first-use imports are not a row's
            probe = ApiVersionsRequest(client_software_name="noisy")
            round_trip(sock, frame(ApiKey.API_VERSIONS, 3, probe), ApiKey.API_VERSIONS, 3)
        longest_step_ms(proc, steps_file)
        rows = [measure(address, None)]
        rows[-1]["longest_step_ms"] = longest_step_ms(proc, steps_file)
        for name in args.only or SCENARIOS:
            rows.append(measure(address, name))
            rows[-1]["longest_step_ms"] = longest_step_ms(proc, steps_file)
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)
        if data_dir is not None:
            shutil.rmtree(data_dir, ignore_errors=True)
    print(
        "| request | bytes | outcome | served in ms | ApiVersions probes | p50 ms | p99 ms | max ms "
        "| longest step, CPU ms |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        step = row.get("longest_step_ms")
        print(
            f"| {row['scenario']} | {row['request_bytes']} | {row['outcome']} | {row['request_ms']} "
            f"| {row['probes']} | {row['p50_ms']} | {row['p99_ms']} | {row['max_ms']} "
            f"| {'-' if step is None else step} |"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n")
    return 0 if all(row["p99_ms"] < 50 for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
