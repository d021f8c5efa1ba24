#!/usr/bin/env python3
"""What incremental fetch sessions (KIP-227) save on a Fetch over many partitions.

    python benchmarks/fetch_sessions.py [--partitions 100,1000] [--seconds 0.6] [--json out.json]

Runs in-process, no sockets: a Fetch v12 request frame is fed to a ``ServerConnection``,
decoded, handed to the Fetch handler of a one-node cluster in a temp dir, and its response
encoded: the broker's whole fetch path except the socket. A consumer caught up on every
partition of one topic fetches either in full (no session: every partition in the request
and in the answer) or incrementally (in a session: the request lists nothing, the answer
only the partitions with news). Two cases: ``idle`` (nothing new anywhere) and ``10 with
data`` (ten partitions each return one 1 KB batch). Columns: request and response bytes on
the wire (records included), and µs of broker CPU per fetch.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kafkalite.cluster import Cluster  # noqa: E402
from kafkalite.config import BrokerConfig  # noqa: E402
from kafkalite.handlers import fetch  # noqa: E402
from kafkalite.handlers.context import RequestContext  # noqa: E402
from kafkalite.protocol.codec import encode  # noqa: E402
from kafkalite.protocol.connection import ServerConnection  # noqa: E402
from kafkalite.protocol.headers import request_header_version  # noqa: E402
from kafkalite.protocol.messages import REQUESTS, ApiKey  # noqa: E402
from kafkalite.protocol.messages.fetch import FetchPartition, FetchRequest, FetchTopic  # noqa: E402
from kafkalite.protocol.messages.headers import REQUEST_HEADER_SPEC, RequestHeader  # noqa: E402
from kafkalite.protocol.record_codec import Record, encode_batch  # noqa: E402
from kafkalite.protocol.records import validate_batches  # noqa: E402

VERSION = 12
WITH_DATA = 10


class NoWaits:
    async def wait(self, *args: Any) -> None:
        return None


def frame(body: FetchRequest) -> bytes:
    header = RequestHeader(request_api_key=ApiKey.FETCH, request_api_version=VERSION,
                           correlation_id=1, client_id="bench")
    payload = b"".join(encode(REQUEST_HEADER_SPEC, header, request_header_version(ApiKey.FETCH, VERSION)))
    payload += b"".join(encode(REQUESTS[ApiKey.FETCH], body, VERSION))  # type: ignore[arg-type]
    return len(payload).to_bytes(4, "big") + payload


def request(topic: str, offsets: dict[int, int], session_id: int, epoch: int) -> FetchRequest:
    return FetchRequest(
        max_wait_ms=0, min_bytes=0, max_bytes=50 << 20, session_id=session_id, session_epoch=epoch,
        topics=[FetchTopic(topic=topic, partitions=[
            FetchPartition(partition=p, fetch_offset=o, partition_max_bytes=1 << 20)
            for p, o in offsets.items()
        ])] if offsets else [],
    )


def wire_size(chunks: list[Any]) -> int:
    return sum(c.length if hasattr(c, "length") else len(c) for c in chunks)


def fetch_once(cluster: Cluster, data: bytes) -> tuple[Any, int]:
    connection = ServerConnection({ApiKey.FETCH: (4, 18)})
    connection.receive_data(data)
    req = connection.next_event()
    ctx = RequestContext(node=cluster.nodes[1], cluster=cluster, request=req, waiters=NoWaits())  # type: ignore[arg-type]
    coroutine = fetch.handle(ctx, req.body)  # type: ignore[union-attr]
    try:
        coroutine.send(None)
    except StopIteration as done:
        response = done.value
    else:
        raise RuntimeError("the fetch handler waited")
    return response, wire_size(list(connection.send_response(req, response)))  # type: ignore[arg-type]


def per_call(seconds: float, call: Callable[[], object]) -> float:
    """µs per call: the best of three timed runs of ``seconds`` / 3 each."""
    best = float("inf")
    for _ in range(3):
        calls = 0
        start = time.perf_counter()
        while (elapsed := time.perf_counter() - start) < seconds / 3:
            call()
            calls += 1
        best = min(best, elapsed / calls * 1e6)
    return best


def measure(cluster: Cluster, topic: str, partitions: int, seconds: float) -> list[dict[str, Any]]:
    ends = {p: cluster.partition(topic, p).high_watermark for p in range(partitions)}  # type: ignore[union-attr]
    rows = []
    for case in ("idle", f"{WITH_DATA} with data"):
        # Caught up everywhere, or one batch behind on the partitions that have data.
        offsets = {p: (e - 1 if case != "idle" and e > 0 else e) for p, e in ends.items()}
        full = frame(request(topic, offsets, 0, -1))
        response, full_out = fetch_once(cluster, full)
        full_parts = sum(len(t.partitions) for t in response.responses)
        full_us = per_call(seconds, lambda frame_=full: fetch_once(cluster, frame_))  # type: ignore[misc]

        response, _ = fetch_once(cluster, frame(request(topic, offsets, 0, 0)))
        session_id, epoch = response.session_id, 1
        assert session_id != 0
        probe = frame(request(topic, {}, session_id, epoch))
        response, inc_out = fetch_once(cluster, probe)
        inc_parts = sum(len(t.partitions) for t in response.responses)

        def incremental(session: int = session_id) -> None:
            nonlocal epoch
            epoch += 1
            fetch_once(cluster, frame(request(topic, {}, session, epoch)))

        inc_us = per_call(seconds, incremental)
        fetch_once(cluster, frame(request(topic, {}, session_id, -1)))  # close it
        for mode, size_in, size_out, parts, us in (
            ("full", len(full), full_out, full_parts, full_us),
            ("incremental", len(probe), inc_out, inc_parts, inc_us),
        ):
            rows.append({"partitions": partitions, "case": case, "mode": mode,
                         "request_bytes": size_in, "response_bytes": size_out,
                         "partitions_answered": parts, "us_per_fetch": round(us, 1)})
            print(f"| {partitions} | {case} | {mode} | {size_in} | {size_out} | {parts} | {us:.0f} |",
                  flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--partitions", default="100,1000", help="comma-separated topic sizes")
    parser.add_argument("--seconds", type=float, default=0.6, help="time per measurement")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    args = parser.parse_args()
    rows = []
    batch = encode_batch([Record(0, 1_700_000_000_000, None, b"x" * 1000)])
    with tempfile.TemporaryDirectory() as tmp:
        cluster = Cluster(BrokerConfig(data_dir=Path(tmp), brokers=1, port=0))
        cluster.open()
        try:
            for partitions in (int(n) for n in args.partitions.split(",")):
                topic = f"t{partitions}"
                cluster.logs.create_topic(topic, partitions)
                cluster.place_topic(topic, partitions, 1, {p: [1] for p in range(partitions)})
                for p in range(WITH_DATA):
                    buf = bytearray(batch)
                    cluster.partition(topic, p).append(  # type: ignore[union-attr]
                        buf, validate_batches(memoryview(buf)), now_ms=int(time.time() * 1000))
                rows += measure(cluster, topic, partitions, args.seconds)
        finally:
            cluster.close()
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    print("| partitions | case | fetch | request bytes | response bytes | partitions answered | µs per fetch |")
    print("|---|---|---|---|---|---|---|")
    main()
