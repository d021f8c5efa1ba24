#!/usr/bin/env python3
"""End-to-end latency at a fixed rate, and the broker CPU it costs, with confluent-kafka.

A producer thread (linger.ms=0, acks=all) sends RATE records per second for DURATION seconds
to partition 0 of a fresh topic; the main thread consumes them (assign, no group, librdkafka's
long poll: fetch.wait.max.ms=500, fetch.min.bytes=1) and measures send -> receive time of
every record on one process-wide monotonic clock. The broker's CPU seconds (utime + stime from
/proc/PID/stat) are taken over that window, then over IDLE seconds in which the consumer keeps
long-polling and nothing is produced.

    python benchmarks/latency.py --start-kafkalite [--repeat 5] [--json out.json]
    python benchmarks/latency.py --start-kafkalite --tree /path/a --tree /path/b --repeat 5
    python benchmarks/latency.py --bootstrap 127.0.0.1:9092 --pid BROKER_PID

With several ``--tree`` the brokers are started from each source tree (cwd and PYTHONPATH)
and measured round by round in turn, so a before/after comparison shares the machine's noise.
Every record is checked (size, sequence number at both ends, no loss, no duplicate); a check
that fails makes the exit status 2.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import struct
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import (  # noqa: E402
    REPO,
    Kafkalite,
    api_versions_ok,
    machine_busy_s,
    make_topic,
    non_loopback,
    proc_cpu_s,
    proc_status_mb,
    self_cpu_s,
    split_hostport,
)

now = time.perf_counter
HEAD = struct.Struct(">QQ")  # sequence number, send time (perf_counter_ns)


def make_value(seq: int, size: int) -> bytes:
    """``seq | send time | padding | seq``: the tail repeats the sequence number."""
    head = HEAD.pack(seq, time.perf_counter_ns())
    tail = struct.pack(">Q", seq)
    return head + b"x" * (size - len(head) - len(tail)) + tail


def percentiles(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    s = sorted(values)

    def q(p: float) -> float:
        return round(s[min(len(s) - 1, int(p * len(s)))], 3)

    return {"n": len(s), "p50": q(0.50), "p90": q(0.90), "p99": q(0.99), "max": round(s[-1], 3),
            "mean": round(statistics.fmean(s), 3)}


class TreeKafkalite(Kafkalite):
    """Kafkalite started from a given source tree (cwd and PYTHONPATH)."""

    def __init__(self, tree: Path, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tree = tree

    def start(self, wait_s: float = 30.0) -> None:
        import throughput

        saved_repo, saved_pp = throughput.REPO, os.environ.get("PYTHONPATH")
        throughput.REPO = self.tree
        os.environ["PYTHONPATH"] = str(self.tree)
        try:
            super().start(wait_s)
        finally:
            throughput.REPO = saved_repo
            if saved_pp is None:
                os.environ.pop("PYTHONPATH", None)
            else:
                os.environ["PYTHONPATH"] = saved_pp
        self.info["tree"] = str(self.tree)


def one_round(bootstrap: str, pid: int | None, rate: int, duration: float, size: int,
              idle_s: float) -> dict:
    from confluent_kafka import Consumer, Producer, TopicPartition

    topic = f"latency-{uuid.uuid4().hex[:12]}"
    r: dict = {"topic": topic, "rate": rate, "duration_s": duration, "size": size}
    r["topic_info"] = make_topic(bootstrap, topic)
    total = int(rate * duration)
    failed: list[int] = []
    ack_ms: list[float] = []

    def on_delivery(err, msg):
        if err is not None:
            failed.append(HEAD.unpack_from(msg.value())[0])
        elif msg.latency() is not None:
            ack_ms.append(msg.latency() * 1000.0)

    p = Producer({"bootstrap.servers": bootstrap, "acks": "all", "linger.ms": 0,
                  "on_delivery": on_delivery})
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "latency-" + topic,
                  "enable.auto.commit": False, "auto.offset.reset": "earliest"})
    try:
        c.assign([TopicPartition(topic, 0, 0)])
        # Warm-up: record 0 must arrive (connections, metadata and fetch session set up).
        p.produce(topic, make_value(0, size), partition=0)
        p.flush(10)
        deadline = now() + 20
        while now() < deadline:
            m = c.poll(0.2)
            if m is not None and m.error() is None and HEAD.unpack_from(m.value())[0] == 0:
                break
        else:
            r.update(ok=False, correct=True, error="warm-up record never arrived")
            return r
        ack_ms.clear()
        sent: dict = {}

        def producer() -> None:
            start = now()
            for i in range(1, total + 1):
                wait = start + (i - 1) / rate - now()
                if wait > 0:
                    time.sleep(wait)
                p.produce(topic, make_value(i, size), partition=0)
                p.poll(0)
            sent["send_s"] = now() - start
            p.flush(10)

        lat: list[float] = []
        seen = bytearray(total + 1)
        dups = corrupt = received = 0
        b0, c0, m0, w0 = proc_cpu_s(pid), self_cpu_s(), machine_busy_s(), now()
        th = threading.Thread(target=producer, daemon=True)
        th.start()
        deadline = now() + duration + 20
        while received < total and now() < deadline:
            m = c.poll(0.1)  # returns as soon as one record is there
            t_rx = time.perf_counter_ns()
            if m is None or m.error() is not None:
                continue
            v = m.value()
            if v is None or len(v) != size or v[:8] != v[-8:]:
                corrupt += 1
                continue
            seq, t_tx = HEAD.unpack_from(v)
            if seq == 0 or seq > total:
                continue
            if seen[seq]:
                dups += 1
                continue
            seen[seq] = 1
            received += 1
            lat.append((t_rx - t_tx) / 1e6)
        th.join(15)
        b1, c1, m1, w1 = proc_cpu_s(pid), self_cpu_s(), machine_busy_s(), now()
        # Idle: the consumer long-polls an empty partition; nothing is produced.
        idle: dict = {"seconds": idle_s}
        if idle_s > 0:
            i0, deadline = proc_cpu_s(pid), now() + idle_s
            extra = 0
            while now() < deadline:
                m = c.poll(min(0.5, max(0.01, deadline - now())))
                if m is not None and m.error() is None:
                    extra += 1
            i1 = proc_cpu_s(pid)
            idle["extra_records"] = extra
            if i0 is not None and i1 is not None:
                idle["broker_cpu_s"] = round(i1 - i0, 3)
        fset = set(failed)
        missing_acked = sum(1 for s in range(1, total + 1) if not seen[s] and s not in fset)
        r.update({
            "sent": total, "received": received, "failed_sends": len(failed),
            "missing_acked": missing_acked, "duplicates": dups, "corrupt": corrupt,
            "achieved_send_rate": round(total / sent["send_s"], 1) if sent.get("send_s") else None,
            "e2e_ms": percentiles(lat), "produce_ack_ms": percentiles(ack_ms),
            "wall_s": round(w1 - w0, 3), "client_cpu_s": round(c1 - c0, 3), "idle": idle,
        })
        if b0 is not None and b1 is not None:
            r["broker_cpu_s"] = round(b1 - b0, 3)
            r["other_cpu_s"] = round((m1 - m0) - (b1 - b0) - (c1 - c0), 3)
            r["broker_rss_mb"] = proc_status_mb(pid, "VmRSS")
        r["correct"] = missing_acked == 0 and dups == 0 and corrupt == 0
        r["ok"] = r["correct"] and received == total and idle.get("extra_records", 0) == 0
        return r
    finally:
        c.close()
        p.flush(5)


def ping_pong(bootstrap: str, pid: int | None, count: int, size: int) -> dict:
    """``count`` records, one at a time: a long-poll Fetch (v16, max_wait 500 ms, min_bytes 1)
    waits on one connection while a Produce (v10, acks=1, one 100 B record) arrives on another;
    time from sending the Produce to the Fetch's answer, and broker CPU per record (exactly
    one Produce and one Fetch each, whatever the machine's load: the steadier CPU figure)."""
    sys.path.insert(0, str(REPO))
    from kafkalite.client import KafkaClient
    from kafkalite.client.admin import NewTopic, create_topics
    from kafkalite.client.connection import BrokerConnection
    from kafkalite.client.records import ProducerRecord, encode_batch
    from kafkalite.protocol.messages import ApiKey
    from kafkalite.protocol.messages.fetch import FetchPartition, FetchRequest, FetchTopic
    from kafkalite.protocol.messages.produce import (
        ProducePartitionData,
        ProduceRequest,
        ProduceTopicData,
    )

    topic = f"pingpong-{uuid.uuid4().hex[:12]}"
    host, port = split_hostport(bootstrap)
    with KafkaClient(bootstrap, client_id="latency") as client:
        create_topics(client, [NewTopic(topic, 1, 1)])
        topic_id = client.topic(topic, wait_s=10).topic_id
    producer = BrokerConnection(host, port, client_id="latency-producer")
    consumer = BrokerConnection(host, port, client_id="latency-consumer")
    lat: list[float] = []
    wrong = 0
    try:
        def one(offset: int) -> None:
            nonlocal wrong
            fetch = FetchRequest(
                replica_id=-1, max_wait_ms=500, min_bytes=1, max_bytes=1 << 20,
                session_id=0, session_epoch=-1,
                topics=[FetchTopic(topic_id=topic_id, partitions=[FetchPartition(
                    partition=0, fetch_offset=offset, partition_max_bytes=1 << 20)])])
            corr = consumer._send(ApiKey.FETCH, fetch, 16)
            value = HEAD.pack(offset, 0).ljust(size - 8, b"x") + struct.pack(">Q", offset)
            batch = encode_batch([ProducerRecord(key=None, value=value)])
            produce = ProduceRequest(acks=1, timeout_ms=30_000, topic_data=[ProduceTopicData(
                name=topic, partition_data=[ProducePartitionData(index=0, records=batch)])])
            t0 = time.perf_counter_ns()
            answer = producer.call(ApiKey.PRODUCE, produce, 10)
            body = consumer._decode_response(ApiKey.FETCH, 16, corr, consumer._receive(10))
            t1 = time.perf_counter_ns()
            part = answer.responses[0].partition_responses[0]
            records = body.responses[0].partitions[0].records if body.responses else None
            if part.error_code or part.base_offset != offset or not records \
                    or bytes(records).find(value) < 0:
                wrong += 1
            lat.append((t1 - t0) / 1e6)

        for offset in range(20):  # warm-up: connections, first segment, code paths
            one(offset)
        lat.clear()
        b0, w0 = proc_cpu_s(pid), now()
        for offset in range(20, 20 + count):
            one(offset)
        b1, w1 = proc_cpu_s(pid), now()
    finally:
        producer.close()
        consumer.close()
    r = {"topic": topic, "count": count, "e2e_ms": percentiles(lat), "wrong": wrong,
         "wall_s": round(w1 - w0, 3), "correct": wrong == 0, "ok": wrong == 0}
    if b0 is not None and b1 is not None:
        r["broker_cpu_s"] = round(b1 - b0, 3)
        r["broker_cpu_us_per_record"] = round((b1 - b0) / count * 1e6, 1)
    return r


def fmt(r: dict) -> str:
    if "count" in r:
        e = r["e2e_ms"]
        return (f"ping-pong {r['count']}: produce->fetch answer p50 {e['p50']:.3f} p99 "
                f"{e['p99']:.3f} ms  broker CPU {r.get('broker_cpu_s', float('nan')):.2f} s = "
                f"{r.get('broker_cpu_us_per_record', float('nan')):.0f} us per record"
                + ("" if r["ok"] else f"  WRONG {r['wrong']}"))
    if not r.get("ok"):
        return f"FAILED: {r.get('error') or {k: r.get(k) for k in ('received', 'missing_acked', 'duplicates', 'corrupt')}}"
    e = r["e2e_ms"]
    return (f"e2e p50 {e['p50']:.3f} p99 {e['p99']:.3f} max {e['max']:.2f} ms  "
            f"ack p50 {r['produce_ack_ms'].get('p50', float('nan')):.2f} ms  "
            f"broker CPU {r.get('broker_cpu_s', float('nan')):.2f} s  "
            f"idle {r['idle'].get('broker_cpu_s', float('nan')):.2f} s/{r['idle']['seconds']:.0f} s  "
            f"client {r['client_cpu_s']:.2f} s  other {r.get('other_cpu_s', float('nan')):.2f} s")


def summary(runs: list[dict]) -> dict:
    good = [r for r in runs if r.get("ok")]
    if not good:
        return {"rounds": len(runs), "ok_rounds": 0}
    if "count" in good[0]:
        return {"rounds": len(runs), "ok_rounds": len(good),
                "e2e_p50_ms": statistics.median(r["e2e_ms"]["p50"] for r in good),
                "e2e_p99_ms": statistics.median(r["e2e_ms"]["p99"] for r in good),
                "broker_cpu_us_per_record": statistics.median(
                    r.get("broker_cpu_us_per_record", 0) for r in good)}

    def med(get) -> float | None:
        vals = [v for v in (get(r) for r in good) if v is not None]
        return round(statistics.median(vals), 3) if vals else None

    return {
        "rounds": len(runs), "ok_rounds": len(good),
        "e2e_p50_ms": med(lambda r: r["e2e_ms"]["p50"]),
        "e2e_p99_ms": med(lambda r: r["e2e_ms"]["p99"]),
        "ack_p50_ms": med(lambda r: r["produce_ack_ms"].get("p50")),
        "broker_cpu_s": med(lambda r: r.get("broker_cpu_s")),
        "idle_broker_cpu_s": med(lambda r: r["idle"].get("broker_cpu_s")),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bootstrap", help="HOST:PORT of a running broker (loopback only)")
    ap.add_argument("--pid", type=int, help="its process id, for CPU seconds")
    ap.add_argument("--start-kafkalite", action="store_true",
                    help="start `python -m kafkalite serve` (per --tree) and stop it at the end")
    ap.add_argument("--tree", action="append", type=Path, default=[],
                    help="source tree to start kafkalite from (repeatable; default: this one)")
    ap.add_argument("--broker-python", default=sys.executable)
    ap.add_argument("--broker-arg", action="append", default=[], metavar="ARG")
    ap.add_argument("--data-parent", metavar="DIR")
    ap.add_argument("--rate", type=int, default=2000, help="records per second (default 2000)")
    ap.add_argument("--duration", type=float, default=5.0, help="seconds (default 5)")
    ap.add_argument("--size", type=int, default=100, help="record size in bytes (default 100)")
    ap.add_argument("--idle", type=float, default=3.0,
                    help="seconds of idle long poll measured after each round (default 3)")
    ap.add_argument("--ping-pong", type=int, default=0, metavar="N",
                    help="instead: N records one at a time over raw connections (Produce v10 "
                         "then a waiting Fetch v16 answers); broker CPU per record")
    ap.add_argument("--repeat", type=int, default=1, help="rounds (per tree); medians reported")
    ap.add_argument("--json", metavar="OUT")
    a = ap.parse_args(argv)
    if bool(a.bootstrap) == bool(a.start_kafkalite):
        ap.error("give exactly one of --bootstrap or --start-kafkalite")
    if a.bootstrap and non_loopback(a.bootstrap):
        ap.error("refusing a non-loopback bootstrap")
    if a.size < 24:
        ap.error("--size must be at least 24")

    targets: list[tuple[str, str, int | None, Kafkalite | None]] = []
    try:
        if a.start_kafkalite:
            for tree in a.tree or [REPO]:
                b = TreeKafkalite(tree.resolve(), a.broker_python, a.broker_arg, False,
                                  a.data_parent)
                b.start()
                targets.append((str(tree), b.bootstrap, b.proc.pid, b))
        else:
            host, port = split_hostport(a.bootstrap.split(",")[0])
            if not api_versions_ok(host, port, timeout=5):
                print(f"{a.bootstrap} does not answer ApiVersions", file=sys.stderr)
                return 1
            targets.append((a.bootstrap, a.bootstrap, a.pid, None))
        runs: dict[str, list[dict]] = {label: [] for label, *_ in targets}
        for rnd in range(a.repeat):
            for label, bootstrap, pid, _ in targets:
                if a.ping_pong:
                    r = ping_pong(bootstrap, pid, a.ping_pong, a.size)
                else:
                    r = one_round(bootstrap, pid, a.rate, a.duration, a.size, a.idle)
                runs[label].append(r)
                print(f"[{rnd + 1}/{a.repeat}] {label}: {fmt(r)}", flush=True)
        result = {"rate": a.rate, "duration_s": a.duration, "size": a.size,
                  "targets": {label: {"summary": summary(runs[label]), "runs": runs[label],
                                      "broker": b.info if b else {"pid": pid}}
                              for label, _, pid, b in targets}}
    finally:
        for *_, b in targets:
            if b is not None:
                b.stop()
    print()
    for label, t in result["targets"].items():
        s = t["summary"]
        if "broker_cpu_us_per_record" in s:
            print(f"{label}: median of {s['ok_rounds']}/{s['rounds']} rounds: ping-pong "
                  f"p50 {s['e2e_p50_ms']} ms, p99 {s['e2e_p99_ms']} ms, broker CPU "
                  f"{s['broker_cpu_us_per_record']} us per record")
            continue
        print(f"{label}: median of {s['ok_rounds']}/{s['rounds']} rounds: "
              f"e2e p50 {s.get('e2e_p50_ms')} ms, p99 {s.get('e2e_p99_ms')} ms, "
              f"ack p50 {s.get('ack_p50_ms')} ms, broker CPU {s.get('broker_cpu_s')} s, "
              f"idle broker CPU {s.get('idle_broker_cpu_s')} s / {a.idle:g} s")
    if a.json:
        Path(a.json).write_text(json.dumps(result, indent=2))
    runs_all = [r for t in result["targets"].values() for r in t["runs"]]
    if any(not r.get("correct", True) for r in runs_all):
        print("!!! WRONG DATA", file=sys.stderr)
        return 2
    return 0 if all(r.get("ok") for r in runs_all) else 1


if __name__ == "__main__":
    sys.exit(main())
