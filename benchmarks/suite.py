#!/usr/bin/env python3
"""Every benchmark row in one run: kafkalite (started here) beside any other broker.

    python benchmarks/suite.py [--quick | --tiny] [--modes process,thread]
        [--peers tansu,rdkafka-mock,noida,nafka] [--bootstrap [NAME=]HOST:PORT[@PID] ...]
        [--only throughput,latency,startup,groups,partitions,connections,noisy,recovery]
        [--json out.json] [--chart out.png] [--markdown out.md]

Targets, one after the other, each fresh: kafkalite as its own process (``kafkalite serve``),
kafkalite in thread mode (``KafkaliteServer()`` in this process), each peer of ``--peers``
(started with its script from ``--peers-dir``) and each ``--bootstrap`` address. Rows, each
measured with the broker's CPU seconds, CPU seconds per GB moved and peak RSS during the row:

* throughput: produce then consume with confluent-kafka, 100 B / 1 KB / 10 KB records,
  1 and 8 partitions, acks 1 and all, every codec (throughput.py's phases);
* latency: end to end (send to receive, one process, one clock) and produce-acknowledgement
  latency at 100, 2,000 and 20,000 msg/s;
* startup (kafkalite only): start to first answer as a process, in thread mode and as a
  3-node cluster in thread mode (startup.py);
* groups: subscribe() to first record, and to the last one, per client (kafka-python,
  aiokafka, confluent-kafka), a new group on a topic holding records;
* partitions: CreateTopics with 10,000 partitions, one record produced to each, all read back;
* connections: 1,000 idle connections plus 50 active ones, every idle one still answering at
  the end;
* noisy: another client's ApiVersions round trips while a huge Produce is served
  (noisy_neighbour.py);
* recovery (kafkalite process only): 1 GB written, SIGKILL, restart on the same data
  directory: time and CPU until the broker answers and until every record is there again,
  then everything read back.

Everything read back is verified (count, order, content): a record lost, duplicated, out of
order or changed fails the row as WRONG DATA and the run exits 2; a row that could not run
(timeout, unsupported API) exits 1. Peers that lose records are reported the same way.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import resource
import shutil
import signal
import socket
import statistics
import struct
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
for _path in (str(HERE), str(REPO)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import check_peers  # noqa: E402
import startup as startup_bench  # noqa: E402
import throughput as tp  # noqa: E402

now = time.perf_counter
SEQ = tp.SEQ
STAMP = struct.Struct(">Qq")  # latency records: sequence number, send time (ns)
GROUPS = (
    "throughput",
    "latency",
    "startup",
    "groups",
    "partitions",
    "connections",
    "noisy",
    "recovery",
)
CODECS = ("gzip", "snappy", "lz4", "zstd")
SIZES = {"100B": 100, "1KB": 1000, "10KB": 10_000}
CLIENTS = ("confluent-kafka", "kafka-python", "aiokafka")


# ---------------------------------------------------------------------------------------
# settings per scale


def settings(scale: str) -> dict[str, Any]:
    """What each row does at ``full``, ``quick`` (about a minute) or ``tiny`` (a smoke run)."""
    if scale == "full":
        records = {"100B": 200_000, "1KB": 50_000, "10KB": 10_000}
        matrix = [(s, p, a, "none") for s in SIZES for p in (1, 8) for a in ("1", "all")]
        matrix += [("1KB", 1, "all", c) for c in CODECS]
        return {
            "records": records,
            "matrix": matrix,
            "latency_rates": (100, 2000, 20_000),
            "latency_s": 5.0,
            "latency_records": 100_000,
            "idle_consumer_s": 10.0,
            "startup_runs": 10,
            "clients": CLIENTS,
            "group_records": 300,
            "group_timeout_s": 40.0,
            "partitions": 10_000,
            "idle": 1000,
            "active": 50,
            "active_s": 5.0,
            "noisy": ("produce", 400_000),
            "recovery_bytes": 1_000_000_000,
            "phase_timeout_s": 120.0,
        }
    if scale == "quick":
        records = {"100B": 20_000, "1KB": 5_000, "10KB": 1_000}
        matrix = [
            ("100B", 1, "all", "none"),
            ("10KB", 1, "all", "none"),
            ("1KB", 8, "1", "none"),
        ] + [("1KB", 1, "all", c) for c in CODECS]
        return {
            "records": records,
            "matrix": matrix,
            "latency_rates": (100, 2000, 20_000),
            "latency_s": 1.0,
            "latency_records": 5_000,
            "idle_consumer_s": 2.0,
            "startup_runs": 3,
            "clients": CLIENTS,
            "group_records": 300,
            "group_timeout_s": 40.0,
            "partitions": 1000,
            "idle": 1000,
            "active": 50,
            "active_s": 1.0,
            "noisy": ("produce", 40_000),
            "recovery_bytes": 50_000_000,
            "phase_timeout_s": 60.0,
        }
    records = {"100B": 300, "1KB": 200, "10KB": 50}
    matrix = [("100B", 1, "all", "none"), ("1KB", 2, "1", "gzip")]
    return {
        "records": records,
        "matrix": matrix,
        "latency_rates": (100,),
        "latency_s": 0.3,
        "latency_records": 100,
        "idle_consumer_s": 0.3,
        "startup_runs": 1,
        "clients": ("confluent-kafka",),
        "group_records": 30,
        "group_timeout_s": 30.0,
        "partitions": 20,
        "idle": 20,
        "active": 4,
        "active_s": 0.3,
        "noisy": ("produce", 2000),
        "recovery_bytes": 2_000_000,
        "phase_timeout_s": 30.0,
    }


# ---------------------------------------------------------------------------------------
# targets: what is measured, and how its CPU and memory are read


def task_cpu_s(tids: set[int]) -> float:
    total = 0.0
    for tid in tids:
        try:
            with open(f"/proc/self/task/{tid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tp.CLK_TCK
        except (OSError, IndexError, ValueError):
            pass  # the thread has ended: its CPU is no longer counted
    return total


class Target:
    """A broker under measurement; ``pid`` is the process whose CPU and RSS are read."""

    kind = "external"

    def __init__(self, name: str, bootstrap: str, pid: int | None = None) -> None:
        self.name, self.bootstrap, self.pid = name, bootstrap, pid
        self.info: dict[str, Any] = {}

    def start(self) -> None:
        host, port = tp.split_hostport(self.bootstrap.split(",")[0])
        deadline = now() + 10
        while not tp.api_versions_ok(host, port):
            if now() > deadline:
                raise RuntimeError(f"nothing at {self.bootstrap} answers ApiVersions")
            time.sleep(0.1)

    def broker_cpu_s(self) -> float | None:
        return tp.proc_cpu_s(self.pid)

    def rss_mb(self) -> float | None:
        return tp.proc_status_mb(self.pid, "VmRSS")

    def peak_rss_mb(self) -> float | None:
        return tp.proc_status_mb(self.pid, "VmHWM")

    def stop(self) -> None:
        pass


class KafkaliteProcess(Target):
    kind = "kafkalite-process"

    def __init__(self, data_parent: str | None) -> None:
        super().__init__("kafkalite (process)", "")
        self.broker = tp.Kafkalite(sys.executable, [], False, data_parent)
        self.bootstrap = self.broker.bootstrap

    def start(self) -> None:
        self.broker.start()
        assert self.broker.proc is not None
        self.pid = self.broker.proc.pid
        self.info.update(self.broker.info)

    def stop(self) -> None:
        self.info["peak_rss_mb"] = self.peak_rss_mb()
        self.broker.stop()
        self.info.update(self.broker.info)


class KafkaliteThread(Target):
    """``KafkaliteServer()`` in this process. Its CPU is that of the broker's threads (the
    event loop, the flusher, the loop's executor); its RSS is this whole process's, the
    clients' memory included."""

    kind = "kafkalite-thread"

    def __init__(self, data_parent: str | None) -> None:
        super().__init__("kafkalite (thread)", "", os.getpid())
        self.tmp = Path(tempfile.mkdtemp(prefix="kafkalite-suite-", dir=data_parent))
        self.server: Any = None

    def start(self) -> None:
        from kafkalite.testing import KafkaliteServer

        t0 = now()
        self.server = KafkaliteServer(data_dir=self.tmp / "data")
        self.server.start()
        self.bootstrap = self.server.bootstrap_servers
        self.info["ready_s"] = round(now() - t0, 4)

    def broker_cpu_s(self) -> float | None:
        tids = {
            t.native_id
            for t in threading.enumerate()
            if t.native_id and t.name.startswith(("kafkalite", "asyncio_"))
        }
        return task_cpu_s(tids)

    def peak_rss_mb(self) -> float | None:
        return None  # this process's peak says more about the clients than the broker

    def stop(self) -> None:
        if self.server is not None:
            self.server.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


class Peer(Target):
    kind = "peer"

    def __init__(self, name: str, peers_dir: Path) -> None:
        super().__init__(name, "")
        self.peers_dir = peers_dir

    def start(self) -> None:
        t0 = now()
        self.bootstrap, self.pid = check_peers.start_peer(self.peers_dir, self.name)
        self.info.update(
            {
                "start_script_s": round(now() - t0, 3),
                "pid": self.pid,
                "what": check_peers.PEERS[self.name][1],
            }
        )

    def stop(self) -> None:
        self.info["peak_rss_mb"] = self.peak_rss_mb()
        if self.pid:
            check_peers.stop_pid(self.pid)


class Meter:
    """The broker's CPU seconds, this process's, everything else's, and the broker's RSS
    (sampled every 0.1 s) over one row."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.rss_max: float | None = None
        self.stopped = threading.Event()
        self.values: dict[str, Any] = {}

    def _sample(self) -> None:
        while True:
            rss = self.target.rss_mb()
            if rss is not None:
                self.rss_max = max(self.rss_max or 0.0, rss)
            if self.stopped.wait(0.1):
                return

    def __enter__(self) -> Meter:
        self.b0, self.c0 = self.target.broker_cpu_s(), tp.self_cpu_s()
        self.m0, self.w0 = tp.machine_busy_s(), now()
        self.sampler = threading.Thread(target=self._sample, name="suite-rss", daemon=True)
        self.sampler.start()
        return self

    def __exit__(self, *exc: object) -> None:
        b1, c1, m1, w1 = self.target.broker_cpu_s(), tp.self_cpu_s(), tp.machine_busy_s(), now()
        self.stopped.set()
        self.sampler.join(5)
        v: dict[str, Any] = {"wall_s": round(w1 - self.w0, 3)}
        broker = None if self.b0 is None or b1 is None else b1 - self.b0
        client = c1 - self.c0
        if broker is not None:
            if isinstance(self.target, KafkaliteThread):
                client -= broker  # the broker's threads are part of this process
            v["broker_cpu_s"] = round(broker, 3)
            v["other_cpu_s"] = round((m1 - self.m0) - client - broker, 3)
        v["client_cpu_s"] = round(client, 3)
        v["broker_rss_max_mb"] = self.rss_max
        self.values = v


def row(
    group: str,
    name: str,
    meter: Meter | None,
    value: float | None,
    unit: str,
    ok: bool,
    correct: bool | None = True,
    moved_bytes: int | None = None,
    **detail: Any,
) -> dict[str, Any]:
    r: dict[str, Any] = {
        "group": group,
        "row": name,
        "value": value,
        "unit": unit,
        "ok": bool(ok),
        "correct": correct,
    }
    if meter is not None:
        r.update(meter.values)
    if moved_bytes and r.get("broker_cpu_s") is not None:
        r["bytes"] = moved_bytes
        r["cpu_s_per_gb"] = round(r["broker_cpu_s"] / (moved_bytes / 1e9), 2)
    r.update(detail)
    return r


def failed(group: str, name: str, exc: BaseException, meter: Meter | None = None) -> dict[str, Any]:
    return row(group, name, meter, None, "", False, None, problem=f"{type(exc).__name__}: {exc}")


# ---------------------------------------------------------------------------------------
# throughput


def throughput_rows(t: Target, cfg: dict[str, Any], run: str) -> Iterator[dict[str, Any]]:
    for key, partitions, acks, codec in cfg["matrix"]:
        size, count = SIZES[key], cfg["records"][key]
        label = f"{key} x{count} p{partitions} acks={acks} {codec}"
        topic = f"suite-{key}-p{partitions}-a{acks}-{codec}-{run}"
        try:
            topic_info = tp.make_topic(t.bootstrap, topic, partitions=partitions)
        except Exception as exc:  # noqa: BLE001
            yield failed("throughput", f"produce {label}", exc)
            continue
        payloads: Any = tp.Payloads(count, size, seed=size)
        if count * size <= 200_000_000:
            payloads = list(payloads)  # made before the clock starts, as throughput.py does
        with Meter(t) as m:
            pr = _phase(
                tp.produce_phase,
                t.bootstrap,
                topic,
                payloads,
                codec,
                cfg["phase_timeout_s"],
                partitions=partitions,
                acks=acks,
            )
        del payloads
        yield _rate_row(f"produce {label}", m, pr, size, topic=topic_info)
        if not pr.get("acked"):
            yield row(
                "throughput",
                f"consume {label}",
                None,
                None,
                "MB/s",
                False,
                None,
                problem="nothing was acknowledged, nothing to read",
            )
            continue
        with Meter(t) as m:
            cr = _phase(
                tp.consume_phase,
                t.bootstrap,
                topic,
                size,
                pr["acked"],
                cfg["phase_timeout_s"],
                partitions=partitions,
            )
        yield _rate_row(f"consume {label}", m, cr, size)


def _phase(fn: Callable[..., dict[str, Any]], *args: Any, **kwargs: Any) -> dict[str, Any]:
    """One phase; a client exception (e.g. a partition the broker does not have) fails it."""
    try:
        return fn(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001
        problem = f"{type(exc).__name__}: {exc}"
        return {"ok": False, "correct": None, "records": 0, "seconds": 0, "problem": problem}


def _rate_row(name: str, m: Meter, r: dict[str, Any], size: int, **extra: Any) -> dict[str, Any]:
    records, secs = r.get("records") or 0, r.get("seconds") or 0
    mb_s = round(records * size / secs / 1e6, 2) if records and secs > 0 else None
    detail = {k: v for k, v in r.items() if k not in ("ok", "correct", "records", "seconds")}
    return row(
        "throughput",
        name,
        m,
        mb_s,
        "MB/s",
        r.get("ok", False),
        r.get("correct", True),
        moved_bytes=records * size,
        records=records,
        seconds=round(secs, 4),
        records_per_s=round(records / secs, 1) if records and secs > 0 else None,
        **detail,
        **extra,
    )


# ---------------------------------------------------------------------------------------
# latency


def percentiles(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"p50": None, "p99": None, "max": None}
    ordered = sorted(values)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3)

    return {"p50": at(0.50), "p99": at(0.99), "max": round(ordered[-1], 3)}


class Sequence:
    """Records of one partition read back in order: each sequence number once, each one
    after the previous, all ``expected`` of them."""

    def __init__(self, expected: int) -> None:
        self.expected = expected
        self.last = 0
        self.seen = bytearray(expected + 1)
        self.duplicates = self.out_of_order = self.corrupt = self.unknown = 0

    def add(self, seq: int) -> bool:
        """True for a record seen for the first time."""
        if not 1 <= seq <= self.expected:
            self.unknown += 1
            return False
        if self.seen[seq]:
            self.duplicates += 1
            return False
        if seq < self.last:
            self.out_of_order += 1
        self.seen[seq] = 1
        self.last = seq
        return True

    def result(self, failed_sends: set[int]) -> dict[str, Any]:
        received = sum(self.seen)
        missing = [
            s for s in range(1, self.expected + 1) if not self.seen[s] and s not in failed_sends
        ]
        correct = not (
            missing or self.duplicates or self.out_of_order or self.corrupt or self.unknown
        )
        return {
            "received": received,
            "missing_acked": len(missing),
            "missing_sample": missing[:5],
            "duplicates": self.duplicates,
            "out_of_order": self.out_of_order,
            "corrupt": self.corrupt,
            "unknown": self.unknown,
            "correct": correct,
        }


def latency_row(t: Target, rate: int, seconds: float, run: str, size: int = 100) -> dict[str, Any]:
    """A producer thread sends at ``rate`` (linger.ms=0, acks=all) into one partition while
    this thread consumes it (assign, poll): send-to-receive time of every record."""
    from confluent_kafka import Consumer, Producer, TopicPartition

    name = f"latency at {rate:,} msg/s"
    topic = f"suite-latency-{rate}-{run}"
    tp.make_topic(t.bootstrap, topic)
    total = max(1, int(rate * seconds))
    pad = b"." * (size - STAMP.size)
    acks: list[float] = []
    failures: set[int] = set()

    def on_delivery(err: Any, msg: Any) -> None:
        if err is not None:
            failures.add(STAMP.unpack_from(msg.value())[0])
        elif msg.latency() is not None:
            acks.append(msg.latency() * 1000)

    p = Producer(
        {
            "bootstrap.servers": t.bootstrap,
            "acks": "all",
            "linger.ms": 0,
            "on_delivery": on_delivery,
            **tp.CLIENT_CONFIG,
        }
    )
    c = Consumer(
        {
            "bootstrap.servers": t.bootstrap,
            "group.id": "suite-" + topic,
            "enable.auto.commit": False,
            "auto.offset.reset": "earliest",
            **tp.CLIENT_CONFIG,
        }
    )
    c.assign([TopicPartition(topic, 0, 0)])
    try:
        p.produce(topic, STAMP.pack(0, time.perf_counter_ns()) + pad, partition=0)
        p.flush(10)
        deadline, warm = now() + 20, False
        while now() < deadline and not warm:
            m = c.poll(0.2)
            warm = m is not None and m.error() is None and STAMP.unpack_from(m.value())[0] == 0
        if not warm:
            return row(
                "latency",
                name,
                None,
                None,
                "ms",
                False,
                None,
                problem="the warm-up record never arrived",
            )
        acks.clear()
        sent: dict[str, float] = {}

        def send() -> None:
            start = now()
            for i in range(1, total + 1):
                wait = start + (i - 1) / rate - now()
                if wait > 0:
                    time.sleep(wait)
                p.produce(topic, STAMP.pack(i, time.perf_counter_ns()) + pad, partition=0)
                p.poll(0)
            sent["send_s"] = now() - start
            p.flush(10)

        seq = Sequence(total)
        e2e: list[float] = []
        with Meter(t) as meter:
            sender = threading.Thread(target=send, name="suite-latency-producer", daemon=True)
            sender.start()
            deadline = now() + seconds + 20
            while sum(seq.seen) + len(failures) < total and now() < deadline:
                m = c.poll(0.1)
                received_ns = time.perf_counter_ns()
                if m is None or m.error() is not None:
                    continue
                v = m.value()
                if v is None or len(v) != size or v[STAMP.size :] != pad:
                    seq.corrupt += 1
                    continue
                number, sent_ns = STAMP.unpack_from(v)
                if number and seq.add(number):
                    e2e.append((received_ns - sent_ns) / 1e6)
            sender.join(15)
        end = now() + 0.3
        while now() < end:  # untimed: nothing more may come
            m = c.poll(0.05)
            if m is not None and m.error() is None:
                seq.add(STAMP.unpack_from(m.value())[0])
    finally:
        c.close()
        p.flush(5)
    check = seq.result(failures)
    lat, ack = percentiles(e2e), percentiles(acks)
    ok = check["correct"] and not failures and check["received"] == total
    value = f"{lat['p50']} / {lat['p99']}" if lat["p50"] is not None else None
    return row(
        "latency",
        name,
        meter,
        None,
        "ms p50 / p99",
        ok,
        check["correct"],
        display=value,
        rate=rate,
        seconds=seconds,
        sent=total,
        achieved_rate=round(total / sent["send_s"], 1) if sent.get("send_s") else None,
        failed_sends=len(failures),
        e2e_ms=lat,
        produce_ack_ms=ack,
        **{k: v for k, v in check.items() if k != "correct"},
    )


# ---------------------------------------------------------------------------------------
# start-up (kafkalite only)


def idle_consumer_row(t: Target, seconds: float, run: str) -> dict[str, Any]:
    """The broker's CPU while one consumer long-polls an empty partition (its Fetch waits
    up to fetch.wait.max.ms, 500 ms by default, for data that never comes)."""
    from confluent_kafka import Consumer, TopicPartition

    name = "idle consumer in long poll"
    topic = f"suite-idle-{run}"
    tp.make_topic(t.bootstrap, topic)
    c = Consumer(
        {
            "bootstrap.servers": t.bootstrap,
            "group.id": "suite-" + topic,
            "enable.auto.commit": False,
            **tp.CLIENT_CONFIG,
        }
    )
    try:
        c.assign([TopicPartition(topic, 0, 0)])
        got = 0
        end = now() + 1.0
        while now() < end:  # connected, fetching: the steady state starts here
            m = c.poll(0.1)
            got += m is not None and m.error() is None
        with Meter(t) as meter:
            end = now() + seconds
            while now() < end:
                m = c.poll(0.1)
            got += m is not None and m.error() is None
    finally:
        c.close()
    cpu = meter.values.get("broker_cpu_s")
    per_s = round(cpu / seconds, 4) if cpu is not None else None
    return row(
        "latency",
        name,
        meter,
        per_s,
        "broker CPU s per s",
        got == 0,
        got == 0,  # a record from a topic nobody wrote to is wrong data
        seconds=seconds,
        problem=None if got == 0 else f"{got} records from an empty topic",
    )


def startup_rows(t: Target, cfg: dict[str, Any]) -> Iterator[dict[str, Any]]:
    runs = cfg["startup_runs"]
    if isinstance(t, KafkaliteProcess):
        startup_bench.PYCACHE = tempfile.mkdtemp(prefix="kafkalite-suite-pycache-")
        try:
            startup_bench.start_process(sys.executable, 30)  # fills the bytecode cache
            got = [startup_bench.start_process(sys.executable, 30) for _ in range(runs)]
        except Exception as exc:  # noqa: BLE001
            yield failed("startup", "start to ready: process", exc)
            return
        finally:
            shutil.rmtree(startup_bench.PYCACHE, ignore_errors=True)
            startup_bench.PYCACHE = None
        wall = [w for w, _ in got]
        cpu = [c for _, c in got]
        yield row(
            "startup",
            "start to ready: process",
            None,
            round(statistics.median(wall) * 1000, 1),
            "ms",
            True,
            runs_ms=[round(w * 1000, 1) for w in wall],
            broker_cpu_s=round(statistics.median(cpu), 3),
        )
    elif isinstance(t, KafkaliteThread):
        for brokers, label in ((1, "thread"), (3, "3 nodes, thread")):
            try:
                startup_bench.start_thread(brokers)  # first use: imports, caches
                wall = [startup_bench.start_thread(brokers) for _ in range(runs)]
            except Exception as exc:  # noqa: BLE001
                yield failed("startup", f"start to ready: {label}", exc)
                continue
            yield row(
                "startup",
                f"start to ready: {label}",
                None,
                round(statistics.median(wall) * 1000, 1),
                "ms",
                True,
                runs_ms=[round(w * 1000, 1) for w in wall],
            )


# ---------------------------------------------------------------------------------------
# group formation: subscribe() to first record, per client


def group_row(t: Target, client: str, cfg: dict[str, Any], run: str) -> dict[str, Any]:
    name = f"group: subscribe to first record, {client}"
    count = cfg["group_records"]
    topic = f"suite-group-{client}-{run}"
    made = tp.make_topic(t.bootstrap, topic, partitions=3)
    partitions = min(3, made.get("partitions") or 3)  # a broker may only make one
    pr = tp.produce_phase(
        t.bootstrap,
        topic,
        list(tp.Payloads(count, 100, seed=7)),
        "none",
        30.0,
        partitions=partitions,
    )
    if not pr.get("ok"):
        return row(
            "groups",
            name,
            None,
            None,
            "s",
            False,
            None,
            problem=f"could not write the records: {pr.get('problem')}",
        )
    verifier = tp.Verifier(100, partitions, pr["acked"])
    marks: dict[str, float] = {}
    group = f"suite-{client}-{run}"
    timeout = cfg["group_timeout_s"]

    def record(partition: int, offset: int, value: bytes | None) -> None:
        marks.setdefault("first", now())
        verifier.add(partition, offset, value)
        if verifier.read == count:
            marks.setdefault("last", now())

    with Meter(t) as meter:
        start = now()
        deadline = start + timeout
        if client == "confluent-kafka":
            from confluent_kafka import Consumer

            c = Consumer(
                {
                    "bootstrap.servers": t.bootstrap,
                    "group.id": group,
                    "auto.offset.reset": "earliest",
                    "enable.auto.commit": False,
                    **tp.CLIENT_CONFIG,
                }
            )
            c.subscribe([topic])
            try:
                while verifier.read < count and now() < deadline:
                    m = c.poll(0.1)
                    if m is not None and m.error() is None:
                        record(m.partition(), m.offset(), m.value())
                end = now() + 0.3
                while now() < end:
                    m = c.poll(0.05)
                    verifier.add_extra(int(m is not None and m.error() is None))
            finally:
                c.close()
        elif client == "kafka-python":
            from kafka import KafkaConsumer

            k = KafkaConsumer(
                bootstrap_servers=t.bootstrap,
                group_id=group,
                auto_offset_reset="earliest",
                enable_auto_commit=False,
            )
            k.subscribe([topic])
            try:
                while verifier.read < count and now() < deadline:
                    for msgs in k.poll(timeout_ms=100).values():
                        for msg in msgs:
                            record(msg.partition, msg.offset, msg.value)
                end = now() + 0.3
                while now() < end:
                    verifier.add_extra(sum(len(v) for v in k.poll(timeout_ms=50).values()))
            finally:
                k.close()
        else:
            from aiokafka import AIOKafkaConsumer

            async def consume() -> None:
                a = AIOKafkaConsumer(
                    bootstrap_servers=t.bootstrap,
                    group_id=group,
                    auto_offset_reset="earliest",
                    enable_auto_commit=False,
                )
                a.subscribe([topic])
                await a.start()
                try:
                    while verifier.read < count and now() < deadline:
                        for msgs in (await a.getmany(timeout_ms=100)).values():
                            for msg in msgs:
                                record(msg.partition, msg.offset, msg.value)
                    end = now() + 0.3
                    while now() < end:
                        got = await a.getmany(timeout_ms=50)
                        verifier.add_extra(sum(len(v) for v in got.values()))
                finally:
                    await a.stop()

            asyncio.run(asyncio.wait_for(consume(), timeout + 30))
    check = verifier.result()
    first = round(marks["first"] - start, 3) if "first" in marks else None
    problem = (
        None
        if check["ok"]
        else (f"no record within {timeout:.0f} s" if first is None else "; ".join(check["samples"]))
    )
    return row(
        "groups",
        name,
        meter,
        first,
        "s",
        check["ok"],
        check["correct"] if first is not None else None,  # no group formed: failed, not lost
        all_records_s=round(marks["last"] - start, 3) if "last" in marks else None,
        problem=problem,
        **{k: v for k, v in check.items() if k not in ("ok", "correct")},
    )


# ---------------------------------------------------------------------------------------
# many partitions


def partitions_row(t: Target, cfg: dict[str, Any], run: str) -> dict[str, Any]:
    from confluent_kafka import Consumer, Producer, TopicPartition
    from confluent_kafka.admin import AdminClient, NewTopic

    n = cfg["partitions"]
    name = f"{n:,} partitions: CreateTopics / produce one record to each / read back"
    topic = f"suite-wide-{run}"
    timeout = max(60.0, cfg["phase_timeout_s"])
    times: dict[str, float] = {}
    with Meter(t) as meter:
        admin = AdminClient({"bootstrap.servers": t.bootstrap, **tp.CLIENT_CONFIG})
        t0 = now()
        try:
            admin.create_topics(
                [NewTopic(topic, n, 1)], request_timeout=timeout, operation_timeout=timeout
            )[topic].result(timeout + 10)
        except Exception as exc:  # noqa: BLE001
            return failed("partitions", name, exc, meter)
        times["create_s"] = now() - t0
        t0 = now()
        deadline = t0 + timeout
        while True:
            md = admin.list_topics(topic=topic, timeout=30).topics.get(topic)
            if (
                md is not None
                and md.error is None
                and len(md.partitions) == n
                and all(p.leader >= 0 for p in md.partitions.values())
            ):
                break
            if now() > deadline:
                return row(
                    "partitions",
                    name,
                    meter,
                    None,
                    "s",
                    False,
                    None,
                    problem=f"not every partition has a leader after {timeout:.0f} s",
                )
            time.sleep(0.1)
        times["metadata_s"] = now() - t0
        failures: list[str] = []
        p = Producer(
            {
                "bootstrap.servers": t.bootstrap,
                "acks": "all",
                "linger.ms": 5,
                "on_delivery": lambda err, _m: err is not None and failures.append(str(err)),
                **tp.CLIENT_CONFIG,
            }
        )
        t0 = now()
        for i in range(n):
            p.produce(topic, SEQ.pack(i) + b"w" * 92, partition=i)
            p.poll(0)
        left = p.flush(timeout)
        times["produce_s"] = now() - t0
        acked = n - len(failures) - left
        verifier = tp.Verifier(100, n, acked)
        c = Consumer(
            {
                "bootstrap.servers": t.bootstrap,
                "group.id": "suite-" + topic,
                "enable.auto.commit": False,
                "auto.offset.reset": "earliest",
                **tp.CLIENT_CONFIG,
            }
        )
        t0 = now()
        c.assign([TopicPartition(topic, i, 0) for i in range(n)])
        deadline = t0 + timeout
        try:
            while verifier.read < acked and now() < deadline:
                for m in c.consume(num_messages=min(1000, acked - verifier.read), timeout=0.5):
                    if m.error() is None:
                        verifier.add(m.partition(), m.offset(), m.value())
            times["read_back_s"] = now() - t0
            end = now() + 0.3
            while now() < end:
                verifier.add_extra(sum(1 for m in c.consume(1000, 0.1) if m.error() is None))
        finally:
            c.close()
    check = verifier.result()
    ok = check["ok"] and acked == n
    display = " / ".join(
        f"{times[k]:.2f}" for k in ("create_s", "produce_s", "read_back_s") if k in times
    )
    return row(
        "partitions",
        name,
        meter,
        round(times["create_s"], 3),
        "s",
        ok,
        check["correct"],
        display=display,
        **{k: round(v, 3) for k, v in times.items()},
        produce_failures=failures[:3],
        acked=acked,
        problem=None if ok else "; ".join(check["samples"] + failures[:1]),
        **{k: v for k, v in check.items() if k not in ("ok", "correct")},
    )


# ---------------------------------------------------------------------------------------
# many connections


API_VERSIONS_V0 = struct.Struct(">ihhi")  # size, api key, version, correlation id; client id after


async def _round_trip(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, corr: int
) -> None:
    client = b"suite"
    body = struct.pack(">hhih", 18, 0, corr, len(client)) + client
    writer.write(struct.pack(">i", len(body)) + body)
    size = struct.unpack(">i", await reader.readexactly(4))[0]
    answer = await reader.readexactly(size)
    got, error = struct.unpack_from(">ih", answer)
    if (got, error) != (corr, 0):
        raise RuntimeError(f"ApiVersions answered correlation id {got}, error {error}")


async def _connections(
    host: str, port: int, idle: int, active: int, seconds: float, timeout: float
) -> dict[str, Any]:
    conns: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
    errors: list[str] = []

    async def open_one(i: int) -> None:
        try:
            r, w = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
            await asyncio.wait_for(_round_trip(r, w, i), timeout)
            conns.append((r, w))
        except Exception as exc:  # noqa: BLE001
            errors.append(f"open: {type(exc).__name__}: {exc}")

    t0 = now()
    for start in range(0, idle, 100):  # 100 at a time: the listen backlog is finite
        await asyncio.gather(*(open_one(i) for i in range(start, min(idle, start + 100))))
    opened_s = now() - t0
    latencies: list[float] = []

    async def busy(i: int) -> None:
        try:
            r, w = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
        except Exception as exc:  # noqa: BLE001
            errors.append(f"active open: {type(exc).__name__}: {exc}")
            return
        end, corr = now() + seconds, 0
        try:
            while now() < end:
                corr += 1
                started = now()
                await asyncio.wait_for(_round_trip(r, w, corr), timeout)
                latencies.append((now() - started) * 1000)
        except Exception as exc:  # noqa: BLE001
            errors.append(f"active: {type(exc).__name__}: {exc}")
        finally:
            w.close()

    t0 = now()
    await asyncio.gather(*(busy(i) for i in range(active)))
    active_s = now() - t0
    held = 0

    async def still_there(i: int, r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
        nonlocal held
        try:
            await asyncio.wait_for(_round_trip(r, w, 1_000_000 + i), timeout)
            held += 1
        except Exception as exc:  # noqa: BLE001
            errors.append(f"idle: {type(exc).__name__}: {exc}")

    await asyncio.gather(*(still_there(i, r, w) for i, (r, w) in enumerate(conns)))
    for _, w in conns:
        w.close()
    return {
        "idle": idle,
        "opened": len(conns),
        "held": held,
        "active": active,
        "open_s": round(opened_s, 3),
        "round_trips": len(latencies),
        "round_trips_per_s": round(len(latencies) / active_s, 1) if active_s else None,
        "round_trip_ms": percentiles(latencies),
        "errors": errors[:5],
        "error_count": len(errors),
    }


def connections_row(t: Target, cfg: dict[str, Any]) -> dict[str, Any]:
    idle, active = cfg["idle"], cfg["active"]
    name = f"{idle:,} idle + {active} active connections"
    host, port = tp.split_hostport(t.bootstrap.split(",")[0])
    with Meter(t) as meter:
        try:
            r = asyncio.run(_connections(host, port, idle, active, cfg["active_s"], 10.0))
        except Exception as exc:  # noqa: BLE001
            return failed("connections", name, exc, meter)
    ok = r["held"] == idle and not r["error_count"]
    return row(
        "connections",
        name,
        meter,
        r["round_trips_per_s"],
        "round trips/s",
        ok,
        problem=None if ok else f"{r['held']} of {idle} held; {r['errors'][:2]}",
        **r,
    )


# ---------------------------------------------------------------------------------------
# noisy neighbour


def noisy_row(t: Target, cfg: dict[str, Any]) -> dict[str, Any]:
    import noisy_neighbour as nn

    kind, entries = cfg["noisy"]
    scenario = f"produce_{entries // 1000}k"
    name = f"noisy neighbour: ApiVersions p99 while a Produce of {entries:,} partitions is served"

    def big_produce() -> tuple[bytes, Any, int]:
        parts = [nn.ProducePartitionData(index=i, records=None) for i in range(entries)]
        body = nn.ProduceRequest(
            acks=1,
            timeout_ms=30_000,
            topic_data=[nn.ProduceTopicData(name=nn.TOPIC, partition_data=parts)],
        )
        return nn.frame(nn.ApiKey.PRODUCE, 9, body), nn.ApiKey.PRODUCE, 9

    nn.SCENARIOS.setdefault(scenario, big_produce)
    host, port = tp.split_hostport(t.bootstrap.split(",")[0])
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(max(60.0, cfg["phase_timeout_s"]))  # nn's sockets: no hang
    try:
        nn.create_topic((host, port))
        quiet = nn.measure((host, port), None, quiet_s=0.5)
        with Meter(t) as meter:
            loud = nn.measure((host, port), scenario)
    except Exception as exc:  # noqa: BLE001
        return failed("noisy", name, exc)
    finally:
        socket.setdefaulttimeout(previous)
    ok = loud["probes"] > 0  # answered, or refused by closing the connection: both count
    shown = f"{loud['p99_ms']}" + ("" if loud["outcome"] == "answered" else f" ({loud['outcome']})")
    return row(
        "noisy",
        name,
        meter,
        loud["p99_ms"],
        "ms",
        ok,
        display=shown,
        quiet=quiet,
        loud=loud,
        problem=None if ok else "no probe got an answer",
    )


# ---------------------------------------------------------------------------------------
# recovery after SIGKILL (kafkalite process only)


def recovery_row(cfg: dict[str, Any], data_parent: str | None) -> dict[str, Any]:
    size, partitions = 10_000, 4
    count = max(partitions, cfg["recovery_bytes"] // size)
    name = f"recovery of {count * size / 1e9:g} GB after SIGKILL"
    topic = "suite-recovery"
    broker = tp.Kafkalite(sys.executable, [], False, data_parent)
    detail: dict[str, Any] = {}
    try:
        broker.start()
        tp.make_topic(broker.bootstrap, topic, partitions=partitions)
        pr = tp.produce_phase(
            broker.bootstrap,
            topic,
            tp.Payloads(count, size, seed=11),
            "none",
            max(120.0, count / 500),
            partitions=partitions,
        )
        if not pr.get("ok"):
            return row(
                "recovery",
                name,
                None,
                None,
                "s",
                False,
                None,
                problem=f"writing the data failed: {pr.get('problem')}",
            )
        assert broker.proc is not None
        os.kill(broker.proc.pid, signal.SIGKILL)
        broker.proc.wait(10)
        data = broker.tmp / "data"
        detail["data_dir_mb"] = round(
            sum(f.stat().st_size for f in data.rglob("*") if f.is_file()) / 1e6, 1
        )
        expected = [len(range(p, count, partitions)) for p in range(partitions)]
        t0 = now()
        broker.start(wait_s=300)
        pid = broker.proc.pid
        detail["ready_s"] = round(now() - t0, 3)
        from confluent_kafka import Consumer, TopicPartition

        c = Consumer(
            {
                "bootstrap.servers": broker.bootstrap,
                "group.id": "suite-recovery",
                **tp.CLIENT_CONFIG,
            }
        )
        try:
            deadline = now() + 300
            while True:
                marks = [
                    c.get_watermark_offsets(TopicPartition(topic, p), timeout=10, cached=False)
                    for p in range(partitions)
                ]
                if [high for _, high in marks] == expected:
                    break
                if now() > deadline:
                    return row(
                        "recovery",
                        name,
                        None,
                        None,
                        "s",
                        False,
                        False,
                        problem=f"high watermarks {marks}, expected {expected}",
                        **detail,
                    )
                time.sleep(0.05)
        finally:
            c.close()
        recovered_s = now() - t0
        detail["broker_cpu_s"] = tp.proc_cpu_s(pid)
        detail["broker_rss_max_mb"] = tp.proc_status_mb(pid, "VmHWM")
        cr = tp.consume_phase(
            broker.bootstrap,
            topic,
            size,
            pr["acked"],
            max(120.0, count / 500),
            partitions=partitions,
        )
        detail["read_back"] = {
            k: cr.get(k)
            for k in (
                "read",
                "missing",
                "extra",
                "offset_gaps",
                "wrong_seq",
                "wrong_size",
                "samples",
            )
        }
        return row(
            "recovery",
            name,
            None,
            round(recovered_s, 3),
            "s",
            cr["ok"],
            cr["correct"],
            problem=cr.get("problem"),
            **detail,
        )
    except Exception as exc:  # noqa: BLE001
        return failed("recovery", name, exc)
    finally:
        broker.stop()


# ---------------------------------------------------------------------------------------
# the run


def run_target(
    t: Target,
    cfg: dict[str, Any],
    groups: list[str],
    data_parent: str | None,
    log: Callable[[dict[str, Any]], None],
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    runid = uuid.uuid4().hex[:8]
    kafkalite = isinstance(t, (KafkaliteProcess, KafkaliteThread))

    def add(r: dict[str, Any]) -> None:
        rows.append(r)
        log(r)

    def guarded(group: str, name: str, make: Callable[[], dict[str, Any]]) -> None:
        try:
            add(make())
        except Exception as exc:  # noqa: BLE001 - one broken row must not hide the others
            add(failed(group, name, exc))

    for group in groups:
        if group == "throughput":
            try:
                for r in throughput_rows(t, cfg, runid):
                    add(r)
            except Exception as exc:  # noqa: BLE001
                add(failed("throughput", "throughput", exc))
        elif group == "latency":
            for rate in cfg["latency_rates"]:
                guarded(
                    "latency",
                    f"latency at {rate:,} msg/s",
                    lambda rate=rate: latency_row(
                        t, rate, min(cfg["latency_s"], cfg["latency_records"] / rate), runid
                    ),
                )
            guarded(
                "latency",
                "idle consumer in long poll",
                lambda: idle_consumer_row(t, cfg["idle_consumer_s"], runid),
            )
        elif group == "startup" and kafkalite:
            for r in startup_rows(t, cfg):
                add(r)
        elif group == "groups":
            for client in cfg["clients"]:
                guarded(
                    "groups",
                    f"group: subscribe to first record, {client}",
                    lambda client=client: group_row(t, client, cfg, runid),
                )
        elif group == "partitions":
            guarded("partitions", "many partitions", lambda: partitions_row(t, cfg, runid))
        elif group == "connections":
            guarded("connections", "many connections", lambda: connections_row(t, cfg))
        elif group == "noisy":
            guarded("noisy", "noisy neighbour", lambda: noisy_row(t, cfg))
        elif group == "recovery" and isinstance(t, KafkaliteProcess):
            add(recovery_row(cfg, data_parent))
    return rows


def print_row(target: str, r: dict[str, Any]) -> None:
    status = "ok" if r["ok"] else ("!!! WRONG DATA" if r["correct"] is False else "FAILED")
    value = r.get("display") or r.get("value")
    cpu = r.get("broker_cpu_s")
    rss = r.get("broker_rss_max_mb")
    print(
        f"[{target}] {r['row']}: {value if value is not None else '-'} {r['unit']}"
        + (f"  broker CPU {cpu} s" if cpu is not None else "")
        + (f" ({r['cpu_s_per_gb']} s/GB)" if r.get("cpu_s_per_gb") is not None else "")
        + (f"  RSS {rss} MB" if rss is not None else "")
        + f"  {status}"
        + (f": {r['problem']}" if r.get("problem") and not r["ok"] else ""),
        flush=True,
    )


def cell(r: dict[str, Any] | None) -> str:
    if r is None:
        return "-"
    if r["correct"] is False:
        return "WRONG DATA"
    if not r["ok"]:
        return "failed"
    value = r.get("display") or r.get("value")
    text = f"{value:,}" if isinstance(value, (int, float)) else str(value)
    extras = []
    if r.get("broker_cpu_s") is not None:
        extras.append(f"{r['broker_cpu_s']} s CPU")
    if r.get("broker_rss_max_mb") is not None:
        extras.append(f"{r['broker_rss_max_mb']:.0f} MB")
    return text + (f" ({', '.join(extras)})" if extras else "")


def table(result: dict[str, Any]) -> str:
    targets = result["targets"]
    names: dict[str, str] = {}  # row -> unit, in the order rows first appear
    for t in targets:
        for r in t["rows"]:
            if not names.get(r["row"]):
                names[r["row"]] = r["unit"]
    head = "| row | " + " | ".join(t["name"] for t in targets) + " |"
    lines = [head, "|---|" + "---|" * len(targets)]
    for name, unit in names.items():
        cells = []
        for t in targets:
            match = [r for r in t["rows"] if r["row"] == name]
            cells.append(cell(match[0] if match else None))
        lines.append(f"| {name}{f' ({unit})' if unit else ''} | " + " | ".join(cells) + " |")
    lines.append(
        "| peak RSS of the broker, whole run (MB) | "
        + " | ".join(str(t.get("peak_rss_mb") or "-") for t in targets)
        + " |"
    )
    return "\n".join(lines)


def chart(result: dict[str, Any], out: Path) -> None:
    """Throughput (MB/s) and end-to-end latency (p50, p99) per target, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    targets = result["targets"]
    thr = [r["row"] for r in targets[0]["rows"] if r["group"] == "throughput"] if targets else []
    for t in targets[1:]:
        thr += [r["row"] for r in t["rows"] if r["group"] == "throughput" and r["row"] not in thr]
    lat = []
    for t in targets:
        lat += [r["row"] for r in t["rows"] if "e2e_ms" in r and r["row"] not in lat]
    fig, (ax1, ax2) = plt.subplots(
        1, 2, figsize=(15, max(4, 0.35 * len(thr) + 2)), gridspec_kw={"width_ratios": [3, 2]}
    )
    height = 0.8 / max(1, len(targets))
    for i, t in enumerate(targets):
        by = {r["row"]: r for r in t["rows"]}
        values = [(by[n]["value"] or 0) if n in by and by[n]["ok"] else 0 for n in thr]
        ax1.barh([k + i * height for k in range(len(thr))], values, height, label=t["name"])
    ax1.set_yticks([k + 0.4 - height / 2 for k in range(len(thr))], thr, fontsize=7)
    ax1.invert_yaxis()
    ax1.set_xlabel("MB/s (payload bytes; a failed or wrong row is drawn as 0)")
    ax1.set_title("throughput, confluent-kafka")
    ax1.legend(fontsize=8)
    for i, t in enumerate(targets):
        by = {r["row"]: r for r in t["rows"]}
        for q, marker, style in (("p50", "o", "-"), ("p99", "^", "--")):
            xs = [k for k, n in enumerate(lat) if n in by and by[n]["ok"]]
            ys = [by[lat[k]]["e2e_ms"][q] for k in xs]
            ax2.plot(xs, ys, style, marker=marker, color=f"C{i}", label=f"{t['name']} {q}")
    ax2.set_xticks(range(len(lat)), [n.replace("latency at ", "") for n in lat], fontsize=8)
    ax2.set_yscale("log")
    ax2.set_xlim(-0.5, len(lat) - 0.5)
    ax2.set_ylabel("end-to-end latency, ms (log; failed rows left out)")
    ax2.set_title("end-to-end latency, confluent-kafka")
    ax2.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    scale = ap.add_mutually_exclusive_group()
    scale.add_argument("--quick", action="store_true", help="about a minute for kafkalite")
    scale.add_argument("--tiny", action="store_true", help="the smallest run (a smoke test)")
    ap.add_argument(
        "--modes",
        default="process,thread",
        help="kafkalite targets: process, thread, both (default) or none",
    )
    ap.add_argument("--peers", default="", help=f"comma-separated: {', '.join(check_peers.PEERS)}")
    ap.add_argument(
        "--peers-dir",
        type=Path,
        default=None,
        help="folder of the peers' start scripts (default $KAFKALITE_PEERS, "
        "or ../shared/peers next to the repository)",
    )
    ap.add_argument(
        "--bootstrap",
        action="append",
        default=[],
        help="[NAME=]HOST:PORT[@PID] of a running broker (repeatable)",
    )
    ap.add_argument("--only", default=",".join(GROUPS), help="row groups to run")
    ap.add_argument("--data-parent", default=None, help="where kafkalite's data dirs go")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--markdown", type=Path, help="also write the table here")
    ap.add_argument("--chart", type=Path, help="a PNG of throughput and latency (matplotlib)")
    ap.add_argument("--allow-remote", action="store_true")
    ap.add_argument(
        "--from-json", type=Path, help="measure nothing: remake the table (and --chart) from a run"
    )
    a = ap.parse_args(argv)
    a.groups = [g for g in a.only.split(",") if g]
    unknown = set(a.groups) - set(GROUPS)
    if unknown:
        ap.error(f"unknown row groups: {sorted(unknown)}")
    a.peer_names = [p for p in a.peers.split(",") if p]
    if set(a.peer_names) - set(check_peers.PEERS):
        ap.error(f"unknown peers: {sorted(set(a.peer_names) - set(check_peers.PEERS))}")
    return a


def targets_of(a: argparse.Namespace) -> list[Target]:
    modes = {"both": ["process", "thread"], "none": []}.get(a.modes, a.modes.split(","))
    out: list[Target] = []
    if "process" in modes:
        out.append(KafkaliteProcess(a.data_parent))
    if "thread" in modes:
        out.append(KafkaliteThread(a.data_parent))
    peers_dir = a.peers_dir or Path(
        os.environ.get("KAFKALITE_PEERS")
        or next(
            (
                p
                for p in (REPO.parent / "shared" / "peers", REPO.parent.parent / "shared" / "peers")
                if p.is_dir()
            ),
            REPO.parent / "shared" / "peers",
        )
    )
    out += [Peer(name, peers_dir) for name in a.peer_names]
    for spec in a.bootstrap:
        name, _, rest = spec.rpartition("=")
        address, _, pid = rest.partition("@")
        if not a.allow_remote and tp.non_loopback(address):
            raise SystemExit(f"{address} is not a loopback address (--allow-remote)")
        out.append(Target(name or address, address, int(pid) if pid else None))
    return out


def exit_code(result: dict[str, Any]) -> int:
    """2 when anything read back was wrong, 1 when a row failed or a target did not run."""
    rows = [r for t in result["targets"] for r in t["rows"]]
    if any(r["correct"] is False for r in rows):
        return 2
    if any(not r["ok"] for r in rows) or any(t.get("error") for t in result["targets"]):
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    if a.from_json:
        saved = json.loads(a.from_json.read_text())
        print(table(saved))
        if a.markdown:
            a.markdown.write_text(table(saved) + "\n")
        if a.chart:
            chart(saved, a.chart)
        return 0
    scale = "tiny" if a.tiny else "quick" if a.quick else "full"
    cfg = settings(scale)
    tp.CLIENT_CONFIG.setdefault("log_level", 3)  # librdkafka: errors only, no notices
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:  # 1,000+ client sockets; a broker started here inherits the limit
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    def on_term(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_term)
    import confluent_kafka

    result: dict[str, Any] = {
        "tool": "benchmarks/suite.py",
        "command": " ".join(["python benchmarks/suite.py", *(argv or sys.argv[1:])]),
        "scale": scale,
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "settings": {k: v for k, v in cfg.items() if k != "matrix"},
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "kernel": platform.release(),
            "loadavg_start": os.getloadavg(),
            "nofile_limit": resource.getrlimit(resource.RLIMIT_NOFILE),
        },
        "client": {
            "confluent_kafka": confluent_kafka.__version__,
            "librdkafka": confluent_kafka.libversion()[0],
        },
        "targets": [],
    }
    t_start = now()
    try:
        for t in targets_of(a):
            entry: dict[str, Any] = {"name": t.name, "kind": t.kind, "rows": []}
            result["targets"].append(entry)
            print(f"== {t.name}", flush=True)
            try:
                t.start()
                entry.update(bootstrap=t.bootstrap, pid=t.pid)
                print(f"   bootstrap {t.bootstrap}, pid {t.pid}", flush=True)
                entry["rows"] = run_target(
                    t, cfg, a.groups, a.data_parent, lambda r, n=t.name: print_row(n, r)
                )
                entry["peak_rss_mb"] = t.peak_rss_mb()
            except Exception as exc:  # noqa: BLE001 - the other targets still run
                entry["error"] = f"{type(exc).__name__}: {exc}"
                print(f"   {t.name} FAILED: {entry['error']}", flush=True)
            finally:
                with contextlib.suppress(Exception):
                    t.stop()
                entry["info"] = t.info
                entry.setdefault("peak_rss_mb", t.info.get("peak_rss_mb"))
    except (KeyboardInterrupt, SystemExit) as exc:
        result["error"] = f"interrupted ({type(exc).__name__} {exc})"
    result["wall_s"] = round(now() - t_start, 1)
    result["machine"]["loadavg_end"] = os.getloadavg()
    rc = 1 if result.get("error") else exit_code(result)
    result["exit_code"] = rc
    text = table(result)
    print()
    print(text)
    if rc == 2:
        print(
            "!!! WRONG DATA: a broker lost, duplicated, reordered or changed records "
            "(rows marked WRONG DATA)",
            flush=True,
        )
    if a.json:
        a.json.write_text(json.dumps(result, indent=1, default=str) + "\n")
    if a.markdown:
        a.markdown.write_text(text + "\n")
    if a.chart:
        try:
            chart(result, a.chart)
        except ImportError:
            print("--chart needs matplotlib: pip install 'kafkalite[bench]'", file=sys.stderr)
    print(f"done in {result['wall_s']} s, exit {rc}", flush=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
