#!/usr/bin/env python3
"""CPU cost of checking produced records: µs per batch, without and with record validation.

    python benchmarks/validation.py [--seconds 0.5] [--json out.json]

Runs in-process, no sockets: for each batch shape, a Produce v9 request frame is fed to a
``ServerConnection``, decoded, handed to the Produce handler of a one-node cluster in a temp
dir, and its response encoded: the broker's whole produce path except the socket. It is
timed twice, once with ``record_validator.check_records`` replaced by a no-op (the
broker before record validation: header, CRC and size checks only) and once as it is;
``validate`` times ``validate_records`` alone (with the record timestamps found, as Produce
asks for them). Rows: 1 KB batches (10 records of 100 B) and
100 KB batches (1,000 records of 100 B, and 100 of 1 KB), uncompressed and with each codec.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
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
from kafkalite.handlers import produce  # noqa: E402
from kafkalite.handlers.context import RequestContext  # noqa: E402
from kafkalite.protocol.codec import encode  # noqa: E402
from kafkalite.protocol.compression import CODECS  # noqa: E402
from kafkalite.protocol.connection import ServerConnection  # noqa: E402
from kafkalite.protocol.headers import request_header_version  # noqa: E402
from kafkalite.protocol.messages import REQUESTS, ApiKey  # noqa: E402
from kafkalite.protocol.messages.headers import REQUEST_HEADER_SPEC, RequestHeader  # noqa: E402
from kafkalite.protocol.messages.produce import (  # noqa: E402
    ProducePartitionData,
    ProduceRequest,
    ProduceTopicData,
)
from kafkalite.protocol.record_codec import Record, encode_batch  # noqa: E402
from kafkalite.protocol.record_validator import check_records, validate_records  # noqa: E402

VERSION = 9
SHAPES = {"1KB (10 x 100 B)": (10, 100), "100KB (1000 x 100 B)": (1000, 100), "100KB (100 x 1 KB)": (100, 1000)}


class NoWaits:
    async def wait(self, *args: Any) -> None:
        return None


def batch(count: int, size: int, codec: int) -> bytes:
    payload = bytes(range(256)) * (size // 256 + 1)
    records = [
        Record(i, 1_700_000_000_000 + i, b"key-%d" % i, payload[i % 200 : i % 200 + size])
        for i in range(count)
    ]
    return encode_batch(records, compression=codec)


def frame(records: bytes) -> bytes:
    body = ProduceRequest(
        acks=1, timeout_ms=5000,
        topic_data=[ProduceTopicData(name="t", partition_data=[ProducePartitionData(index=0, records=records)])],
    )
    header = RequestHeader(request_api_key=ApiKey.PRODUCE, request_api_version=VERSION, correlation_id=1, client_id="bench")
    payload = b"".join(encode(REQUEST_HEADER_SPEC, header, request_header_version(ApiKey.PRODUCE, VERSION)))
    payload += b"".join(encode(REQUESTS[ApiKey.PRODUCE], body, VERSION))  # type: ignore[arg-type]
    return len(payload).to_bytes(4, "big") + payload


def per_call(seconds: float, call: Callable[[], object]) -> float:
    """CPU µs per call on this thread (``time.thread_time``: other processes' load does not
    inflate it as it inflates wall time): the best of three runs of ``seconds`` / 3 each."""
    best = float("inf")
    for _ in range(3):
        calls = 0
        start = time.thread_time()
        while (elapsed := time.thread_time() - start) < seconds / 3:
            call()
            calls += 1
        best = min(best, elapsed / calls * 1e6)
    return best


def produce_path(cluster: Cluster, data: bytes, seconds: float) -> float:
    served = {ApiKey.PRODUCE: (0, 11)}
    loop = asyncio.new_event_loop()

    def once() -> None:
        connection = ServerConnection(served)
        connection.receive_data(data)
        request = connection.next_event()
        ctx = RequestContext(node=cluster.nodes[1], cluster=cluster, request=request, waiters=NoWaits())  # type: ignore[arg-type]
        coroutine = produce.handle(ctx, request.body)  # type: ignore[union-attr]
        try:
            coroutine.send(None)
        except StopIteration as done:
            response = done.value
        else:
            raise RuntimeError("the produce handler waited")
        assert response.responses[0].partition_responses[0].error_code == 0
        connection.send_response(request, response)  # type: ignore[arg-type]

    try:
        return per_call(seconds, once)
    finally:
        loop.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=0.6, help="time per measurement")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cluster = Cluster(BrokerConfig(data_dir=Path(tmp), brokers=1, port=0))
        cluster.open()
        try:
            cluster.logs.create_topic("t", 1)
            cluster.place_topic("t", 1, 1, {0: [1]})
            for shape, (count, size) in SHAPES.items():
                for name, codec in CODECS.items():
                    records = batch(count, size, codec)
                    data = frame(records)
                    validate_us = per_call(args.seconds, functools.partial(validate_records, records, timestamps=[]))
                    produce.check_records = lambda *a, **k: iter(())  # type: ignore[assignment]
                    before = produce_path(cluster, data, args.seconds)
                    produce.check_records = check_records
                    after = produce_path(cluster, data, args.seconds)
                    rows.append({
                        "batch": shape, "codec": name, "bytes": len(records),
                        "validate_us": round(validate_us, 1),
                        "produce_before_us": round(before, 1), "produce_after_us": round(after, 1),
                        "overhead_pct": round((after / before - 1) * 100, 1),
                    })
                    print(
                        f"| {shape} | {name} | {len(records)} | {validate_us:.1f} | {before:.1f} "
                        f"| {after:.1f} | {(after / before - 1) * 100:+.0f}% |",
                        flush=True,
                    )
        finally:
            cluster.close()
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    print("| batch | codec | bytes | validate µs | produce before µs | produce after µs | overhead |")
    print("|---|---|---|---|---|---|---|")
    main()
