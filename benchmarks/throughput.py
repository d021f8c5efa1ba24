#!/usr/bin/env python3
"""Produce / consume throughput against any Kafka-protocol broker, with confluent-kafka.

    python benchmarks/throughput.py --bootstrap 127.0.0.1:9092 [--pid BROKER_PID] [--quick] [--json out.json]
    python benchmarks/throughput.py --start-kafkalite [--quick] [--json out.json]
    python benchmarks/throughput.py --table a.json b.json ...     # markdown, side by side

Phases, each on a fresh topic (one partition, partition 0 only):
produce then consume N x 100 B records, then produce then consume M x 10 KB records.
The producer uses acks=all, linger.ms=5, the default batch size and ``--compression``
(none by default); the consumer assign()s partition 0 from offset 0 with
fetch.queue.backoff.ms=10. Rates count payload bytes only, 1 MB = 1e6 bytes.

Checks (cheap, inline): no delivery errors; high watermark == records acknowledged;
every record read has the right size, offsets are contiguous from 0, the 8-byte sequence
number at the head of each record equals its offset, and nothing beyond the acknowledged
records comes back. Exit status: 0 all phases ok, 1 a phase failed or timed out,
2 a correctness check failed (wrong / missing / extra data).
"""
from __future__ import annotations

import argparse
import gc
import ipaddress
import json
import os
import platform
import random
import resource
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CLK_TCK = os.sysconf("SC_CLK_TCK")
now = time.perf_counter

SIZES = {"100B": 100, "10KB": 10_000}
FULL_COUNTS = {"100B": 200_000, "10KB": 10_000}
QUICK_COUNTS = {"100B": 50_000, "10KB": 2_000}
SEQ = struct.Struct(">Q")  # record head: its sequence number (== expected offset)


# ---------------------------------------------------------------------------------------
# addresses, processes, /proc


#: librdkafka settings added to every client (--client-config), e.g. security.protocol=SSL.
CLIENT_CONFIG: dict[str, str] = {}


def split_hostport(addr: str) -> tuple[str, int]:
    addr = addr.strip()
    if addr.startswith("["):
        host, _, rest = addr[1:].partition("]")
        port = rest.lstrip(":")
    else:
        host, _, port = addr.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"not HOST:PORT: {addr!r}")
    return host, int(port)


def non_loopback(bootstrap: str) -> list[str]:
    """The bootstrap entries that are (or resolve to) anything but loopback."""
    bad = []
    for entry in bootstrap.split(","):
        host, port = split_hostport(entry)
        try:
            addrs = {ipaddress.ip_address(host)}
        except ValueError:
            try:
                addrs = {ipaddress.ip_address(ai[4][0].split("%")[0])
                         for ai in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)}
            except OSError:
                addrs = set()
        if not addrs or not all(a.is_loopback for a in addrs):
            bad.append(entry)
    return bad


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api_versions_ok(host: str, port: int, timeout: float = 1.0) -> bool:
    """One ApiVersions v0 request; True when a response with our correlation id comes back."""
    client_id = b"throughput-probe"
    body = struct.pack(">hhih", 18, 0, 0x6B6C, len(client_id)) + client_id
    try:
        with socket.create_connection((host, port), timeout=timeout) as s:
            s.sendall(struct.pack(">i", len(body)) + body)
            head = b""
            while len(head) < 8:
                chunk = s.recv(8 - len(head))
                if not chunk:
                    return False
                head += chunk
            _, corr = struct.unpack(">ii", head)
            return corr == 0x6B6C
    except OSError:
        return False


def proc_cpu_s(pid: int | None) -> float | None:
    """utime + stime of a process, in seconds (None when it is gone)."""
    if not pid:
        return None
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK
    except (OSError, IndexError, ValueError):
        return None


def proc_status_mb(pid: int | None, key: str) -> float | None:
    if not pid:
        return None
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return round(int(line.split()[1]) / 1024, 1)
    except (OSError, ValueError):
        return None
    return None


def machine_busy_s() -> float:
    """Machine-wide non-idle CPU seconds (from /proc/stat), summed over all cores."""
    try:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return (sum(v[:8]) - v[3] - v[4]) / CLK_TCK  # minus idle, iowait; guest is in user
    except (OSError, ValueError, IndexError):
        return 0.0


def self_cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)  # every thread, librdkafka's included
    return r.ru_utime + r.ru_stime


class Kafkalite:
    """`python -m kafkalite serve` on a free loopback port and a temporary data dir,
    as a separate process, stopped by its pid."""

    def __init__(self, python: str, extra: list[str], keep_data: bool, parent: str | None):
        self.python, self.extra, self.keep_data = python, extra, keep_data
        self.proc: subprocess.Popen | None = None
        self.tmp = Path(tempfile.mkdtemp(prefix="kafkalite-throughput-", dir=parent))
        self.log_path = self.tmp / "broker.log"
        self.port = free_port()
        self.info: dict = {}

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, wait_s: float = 30.0) -> None:
        cmd = [self.python, "-m", "kafkalite", "serve", "--host", "127.0.0.1",
               "--port", str(self.port), "--data-dir", str(self.tmp / "data"), *self.extra]
        self.info = {"command": " ".join(cmd), "cwd": str(REPO), "log": str(self.log_path)}
        log = open(self.log_path, "wb")
        t0 = now()
        self.proc = subprocess.Popen(cmd, cwd=REPO, stdin=subprocess.DEVNULL, stdout=log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        self.info["pid"] = self.proc.pid
        deadline = t0 + wait_s
        while now() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"kafkalite exited with {self.proc.returncode} before answering; "
                                   f"log:\n{self.log_tail()}")
            if api_versions_ok("127.0.0.1", self.port, timeout=0.5):
                self.info["ready_s"] = round(now() - t0, 3)
                return
            time.sleep(0.02)
        raise RuntimeError(f"kafkalite did not answer ApiVersions on {self.bootstrap} within "
                           f"{wait_s:.0f} s; log:\n{self.log_tail()}")

    def log_tail(self, n: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"

    def stop(self, keep_log: bool = False) -> None:
        p = self.proc
        if p is not None and p.poll() is None:
            self.info["peak_rss_mb"] = proc_status_mb(p.pid, "VmHWM")
            t0 = now()
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                self.info["sigkill"] = True
                p.kill()
                p.wait(5)
            self.info["stop_s"] = round(now() - t0, 3)
        if p is not None:
            self.info["exit_code"] = p.returncode
        if self.keep_data:
            self.info["kept"] = str(self.tmp)
        elif keep_log or self.info.get("exit_code") not in (0, None):
            shutil.rmtree(self.tmp / "data", ignore_errors=True)  # keep broker.log to look at
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.info.pop("log", None)


# ---------------------------------------------------------------------------------------
# topics and payloads


def make_topic(bootstrap: str, name: str, timeout: float = 20.0, partitions: int = 1) -> dict:
    """CreateTopics (``partitions`` partitions, RF 1); if the broker can't, auto-create it
    with a producer's Metadata request. Returns how it went; waits until partitions
    0 .. partitions-1 have a leader."""
    from confluent_kafka import KafkaException, Producer
    from confluent_kafka.admin import AdminClient, NewTopic

    t0 = now()
    info: dict = {"topic": name}
    admin = AdminClient({"bootstrap.servers": bootstrap, **CLIENT_CONFIG})
    fut = None
    try:
        fut = admin.create_topics([NewTopic(name, num_partitions=partitions, replication_factor=1)],
                                  request_timeout=timeout / 2, operation_timeout=timeout / 2)[name]
        fut.result(timeout=timeout)
        info["method"] = "CreateTopics"
        client = admin
    except KafkaException as exc:
        info["method"] = "auto-create (producer Metadata)"
        info["create_topics_error"] = str(exc.args[0] if exc.args else exc)
        client = Producer({"bootstrap.servers": bootstrap, **CLIENT_CONFIG})
    except Exception as exc:  # noqa: BLE001 - e.g. concurrent.futures.TimeoutError
        info["method"] = "auto-create (producer Metadata)"
        info["create_topics_error"] = f"{type(exc).__name__}: {exc}"
        client = Producer({"bootstrap.servers": bootstrap, **CLIENT_CONFIG})
    fut = None  # its exception's traceback would keep this frame, and both clients, alive
    deadline = now() + timeout
    while True:
        try:
            md = client.list_topics(topic=name, timeout=2.0).topics.get(name)
        except KafkaException as exc:
            md = None
            info["last_metadata_error"] = str(exc)
        if md is not None and md.error is None and all(
                p in md.partitions and md.partitions[p].leader >= 0 for p in range(partitions)):
            info["partitions"] = len(md.partitions)
            break
        if now() > deadline:
            info["warning"] = "a partition has no leader in metadata yet; the producer will retry"
            if md is not None and md.error is None:
                info["partitions"] = len(md.partitions)  # e.g. fewer than asked for
            break
        time.sleep(0.05)
    info["seconds"] = round(now() - t0, 3)
    return info


class Payloads:
    """The records of ``make_payloads``, made one at a time as they are iterated: a
    gigabyte of records need not sit in this process's memory."""

    def __init__(self, count: int, size: int, seed: int):
        self.count, self.size = count, size
        rnd = random.Random(seed)
        self.pool = rnd.randbytes(max(65_536, 4 * size)).hex().encode()

    def __len__(self) -> int:
        return self.count

    def __iter__(self):
        pool, size, pack = self.pool, self.size, SEQ.pack
        span, body = len(pool) - size, size - SEQ.size
        for i in range(self.count):
            j = (i * 7919) % span
            yield pack(i) + pool[j:j + body]


def make_payloads(count: int, size: int, seed: int) -> list[bytes]:
    """count records of size bytes: 8-byte big-endian sequence number, then a slice of
    random hex text (varies per record; roughly 2:1 compressible by entropy coders)."""
    rnd = random.Random(seed)
    pool = rnd.randbytes(max(65_536, 4 * size)).hex().encode()
    span, body = len(pool) - size, size - SEQ.size
    out = []
    for i in range(count):
        j = (i * 7919) % span
        out.append(SEQ.pack(i) + pool[j:j + body])
    return out


# ---------------------------------------------------------------------------------------
# phases


def produce_phase(bootstrap: str, topic: str, payloads: list[bytes], compression: str,
                  deadline_s: float, partitions: int = 1, acks: str = "all") -> dict:
    """Produce the payloads, record i to partition i % partitions."""
    from confluent_kafka import Producer

    errors: list[str] = []
    n_failed = 0

    def on_delivery(err, _msg):  # only called for failures (delivery.report.only.error)
        nonlocal n_failed
        n_failed += 1
        if len(errors) < 5:
            errors.append(str(err))

    conf = {"bootstrap.servers": bootstrap, "acks": acks, "linger.ms": 5,
            "compression.type": compression,
            "delivery.report.only.error": True, "on_delivery": on_delivery, **CLIENT_CONFIG}
    p = Producer(conf)
    p.list_topics(topic=topic, timeout=10)  # connect + metadata before the clock starts
    count = len(payloads)
    sent = buffer_waits = 0
    truncated = False
    t0 = now()
    deadline = t0 + deadline_s
    produce = p.produce
    for i, v in enumerate(payloads):
        part = i % partitions
        try:
            produce(topic, v, partition=part)
        except BufferError:  # local queue full: serve callbacks, retry (bounded by deadline)
            while True:
                buffer_waits += 1
                p.poll(0.002)
                try:
                    produce(topic, v, partition=part)
                    break
                except BufferError:
                    if now() > deadline:
                        truncated = True
                        break
            if truncated:
                break
        sent = i + 1
        if not i & 0x3FFF:
            p.poll(0)
            if now() > deadline:
                truncated = True
                break
    unflushed = p.flush(max(1.0, deadline - now()))
    t1 = now()
    if unflushed:  # purged records are reported to on_delivery as failures
        p.purge()
        p.flush(2.0)
    acked = sent - n_failed - len(p)
    r = {"attempted": sent, "acked": acked, "delivery_failures": n_failed,
         "unflushed": unflushed, "buffer_full_waits": buffer_waits,
         "timed_out": truncated or bool(unflushed), "error_samples": errors,
         "seconds": t1 - t0, "records": acked}
    r["ok"] = acked == count and not errors
    if not r["ok"]:
        r["problem"] = (f"{acked} of {count} acknowledged"
                        + (f"; errors: {errors[:2]}" if errors else "")
                        + ("; timed out" if r["timed_out"] else ""))
    return r


class Verifier:
    """Checks records read back against what was produced: record i went to partition
    i % partitions, so it must sit there at offset i // partitions, hold its own sequence
    number i in its first 8 bytes and be ``size`` bytes long; offsets are contiguous from 0
    in every partition, and exactly the ``acked`` records come back, no more."""

    def __init__(self, size: int, partitions: int, acked: int):
        self.size, self.partitions, self.acked = size, partitions, acked
        self.expect = [0] * partitions    # next offset expected, per partition
        self.read = self.gaps = self.bad_size = self.bad_seq = self.extra = 0
        self.errors = 0
        self.samples: list[str] = []

    def _note(self, text: str) -> None:
        if len(self.samples) < 5:
            self.samples.append(text)

    def error(self, text: str) -> None:
        self.errors += 1
        self._note(f"error: {text}")

    def add(self, partition: int, offset: int, value: bytes | None) -> None:
        if not 0 <= partition < self.partitions:
            self.extra += 1
            self._note(f"record from partition {partition}, which was not written")
            return
        self.read += 1
        want = self.expect[partition]
        if offset != want:
            self.gaps += 1
            self._note(f"partition {partition}: offset {offset} where {want} was expected")
        if value is None or len(value) != self.size:
            self.bad_size += 1
            self._note(f"partition {partition} offset {offset}: "
                       f"{0 if value is None else len(value)} bytes, not {self.size}")
        else:
            seq = SEQ.unpack_from(value)[0]
            if seq != offset * self.partitions + partition:
                self.bad_seq += 1
                self._note(f"partition {partition} offset {offset} holds record #{seq}")
        self.expect[partition] = offset + 1

    def add_extra(self, count: int) -> None:
        """Records that came back after all acknowledged ones had been read."""
        self.extra += count
        if count:
            self._note(f"{count} records more than the {self.acked} acknowledged")

    def result(self) -> dict:
        missing = max(0, self.acked - self.read)
        if missing:
            self._note(f"{missing} of {self.acked} acknowledged records never came back")
        correct = not (self.bad_size or self.bad_seq or self.gaps or self.extra or missing)
        return {"read": self.read, "missing": missing, "extra": self.extra,
                "offset_gaps": self.gaps, "wrong_size": self.bad_size,
                "wrong_seq": self.bad_seq, "fetch_errors": self.errors,
                "samples": list(self.samples), "correct": correct,
                "ok": correct and not self.errors}


def consume_phase(bootstrap: str, topic: str, size: int, acked: int, deadline_s: float,
                  idle_s: float = 10.0, partitions: int = 1) -> dict:
    from confluent_kafka import Consumer, TopicPartition

    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "throughput-" + topic,
                  "enable.auto.commit": False, "enable.auto.offset.store": False,
                  "auto.offset.reset": "earliest", "fetch.queue.backoff.ms": 10,
                  **CLIENT_CONFIG})
    r: dict = {}
    tp0 = TopicPartition(topic, 0)
    try:  # not timed; also connects the consumer
        low, high = c.get_watermark_offsets(tp0, timeout=10, cached=False)
        r["watermarks"] = [low, high]
    except Exception as exc:  # noqa: BLE001
        r["watermarks_error"] = str(exc)
    v = Verifier(size, partitions, acked)
    got = 0
    add = v.add
    t0 = now()
    c.assign([TopicPartition(topic, p, 0) for p in range(partitions)])
    deadline, last, first = t0 + deadline_s, t0, None
    while got < acked:
        t = now()
        if t > deadline or t - last > idle_s:
            break
        # consume() waits for all num_messages or the timeout: never ask for more than remain
        batch = c.consume(num_messages=min(10_000, acked - got), timeout=0.5)
        if not batch:
            continue
        last = now()
        if first is None:
            first = last
        for m in batch:
            if m.error() is not None:
                v.error(str(m.error()))
                continue
            got += 1
            add(m.partition(), m.offset(), m.value())
    t1 = last
    # untimed: anything beyond the acknowledged records is wrong (duplicates / extras)
    extra = 0
    end = now() + 0.3
    while now() < end:
        more = c.consume(num_messages=1000, timeout=0.1)
        extra += sum(1 for m in more if m.error() is None)
    c.close()
    v.add_extra(extra)
    if partitions == 1 and "watermarks" in r and r["watermarks"] != [0, acked]:
        # reported, but not a data error: the records themselves are checked above
        r["warning"] = (f"ListOffsets says watermarks {r['watermarks']} after {acked} records "
                        f"were acknowledged (expected [0, {acked}])")
    r.update(v.result())
    r.update({"first_record_s": round(first - t0, 4) if first else None,
              "received": got, "seconds": t1 - t0, "records": got})
    if not r["ok"]:
        r["problem"] = (f"read {r['read']} of {acked}; gaps {r['offset_gaps']}, wrong size "
                        f"{r['wrong_size']}, wrong seq {r['wrong_seq']}, extra {r['extra']}, "
                        f"errors {r['fetch_errors']}"
                        + (f"; {r['samples'][0]}" if r["samples"] else ""))
    return r


def measured(fn, pid: int | None, *args) -> dict:
    """Run one phase, adding the broker's, this process's and the machine's CPU seconds."""
    b0, c0, m0, w0 = proc_cpu_s(pid), self_cpu_s(), machine_busy_s(), now()
    try:
        r = fn(*args)
    except Exception as exc:  # noqa: BLE001 - a broken broker must not hide later phases
        r = {"ok": False, "problem": f"{type(exc).__name__}: {exc}", "records": 0, "seconds": 0}
    b1, c1, m1, w1 = proc_cpu_s(pid), self_cpu_s(), machine_busy_s(), now()
    r["wall_s"] = round(w1 - w0, 3)
    r["client_cpu_s"] = round(c1 - c0, 3)
    if b0 is not None and b1 is not None:
        r["broker_cpu_s"] = round(b1 - b0, 3)
        r["broker_rss_mb"] = proc_status_mb(pid, "VmRSS")
        r["other_cpu_s"] = round((m1 - m0) - (b1 - b0) - (c1 - c0), 3)
    elif pid:
        r["broker_cpu_s"] = None
        r["broker_gone"] = True
    return r


def one_round(a, result: dict, bootstrap: str, pid: int | None, topic: str, size: int,
              payloads: list[bytes]) -> tuple[dict, dict]:
    """Fresh topic, produce the payloads, read them back; raw results of both phases."""
    try:
        tinfo = make_topic(bootstrap, topic)
    except Exception as exc:  # noqa: BLE001
        tinfo = {"topic": topic, "error": f"{type(exc).__name__}: {exc}"}
    gc.collect()  # the admin client can sit in a reference cycle: drop it before timing
    result["topics"].append(tinfo)
    print(f"topic {topic}: {tinfo.get('method', tinfo.get('error'))} "
          f"({tinfo.get('seconds', '?')} s)"
          + (f" [{tinfo['create_topics_error']}]" if "create_topics_error" in tinfo else ""),
          flush=True)
    pr = measured(produce_phase, pid, bootstrap, topic, payloads, a.compression, a.phase_timeout)
    acked = pr.get("acked", 0)
    if acked:
        cr = measured(consume_phase, pid, bootstrap, topic, size, acked, a.phase_timeout)
    else:
        cr = {"ok": False, "problem": "nothing was acknowledged, nothing to read",
              "records": 0, "seconds": 0}
    return pr, cr


def summarize(runs: list[dict]) -> dict:
    """One phase over its repeats: the median run by records/s if all were ok, else the
    first bad one (a failure in any repeat fails the phase)."""
    bad = [r for r in runs if not r.get("ok")]
    if bad:
        out = dict(bad[0], failed_repeats=len(bad))
    else:
        ranked = sorted(runs, key=lambda r: r["records_per_s"])
        out = dict(ranked[(len(ranked) - 1) // 2])
        out["records_per_s_all"] = [r["records_per_s"] for r in runs]
    out["repeats"] = len(runs)
    if any(r.get("correct") is False for r in runs):
        out["correct"] = False
    out.pop("repeat", None)
    return out


# ---------------------------------------------------------------------------------------
# reporting


def fmt_rate(r: dict) -> str:
    if not r.get("records_per_s"):
        return "-"
    return f"{r['records_per_s']:>12,.0f} rec/s {r['mb_per_s']:>8.1f} MB/s"


def print_phase(r: dict, tag: str = "") -> None:
    cpu = "" if r.get("broker_cpu_s") is None else f"  broker CPU {r['broker_cpu_s']:.2f} s"
    if r.get("other_cpu_s") is not None:
        cpu += f"  other {r['other_cpu_s']:.2f} s"
    status = "ok" if r.get("ok") else ("!!! WRONG DATA" if r.get("correct") is False else "FAIL")
    print(f"{tag}{r['phase']:<16} {r['count']:>8,} x {r['size']:>6,} B  {fmt_rate(r)}  "
          f"{r.get('seconds', 0):7.3f} s  client CPU {r.get('client_cpu_s', 0):.2f} s{cpu}  {status}",
          flush=True)
    if not r.get("ok"):
        print(f"    {r.get('problem', '')}", flush=True)
    if r.get("warning"):
        print(f"    warning: {r['warning']}", flush=True)
    if len(r.get("records_per_s_all", [])) > 1:
        print("    all runs, rec/s: " + ", ".join(f"{x:,.0f}" for x in r["records_per_s_all"]),
              flush=True)


def cell(r: dict | None, what: str) -> str:
    if r is None:
        return "-"
    if what == "rate":
        if not r.get("ok"):
            why = r.get("problem", "failed")
            tag = "**WRONG DATA**" if r.get("correct") is False else "**FAIL**"
            return f"{tag}: {why}"[:160].replace("|", "/")
        return f"{r['records_per_s']:,.0f} rec/s ({r['mb_per_s']:.1f} MB/s)"
    v = r.get(what)
    return "-" if v is None else f"{v:.2f}"


def table(paths: list[str]) -> str:
    runs = [json.loads(Path(p).read_text()) for p in paths]
    labels = [r.get("label") or Path(p).stem for r, p in zip(runs, paths)]
    keys: list[tuple[str, str]] = []
    for run in runs:
        for ph in run["phases"]:
            if (ph["phase"], ph["count"]) not in [(k, c) for k, c in keys]:
                keys.append((ph["phase"], ph["count"]))
    lines = ["| phase | " + " | ".join(labels) + " |", "|---" * (len(labels) + 1) + "|"]
    cpu = ["| broker CPU s | " + " | ".join(labels) + " |", "|---" * (len(labels) + 1) + "|"]
    for name, count in keys:
        row = [next((p for p in run["phases"] if p["phase"] == name and p["count"] == count), None)
               for run in runs]
        size = next(p["size"] for p in row if p)
        title = f"{name.split()[0]} {count:,} x {size:,} B"
        lines.append(f"| {title} | " + " | ".join(cell(p, "rate") for p in row) + " |")
        cpu.append(f"| {title} | " + " | ".join(cell(p, "broker_cpu_s") for p in row) + " |")
    out = "\n".join(lines)
    if any(p.get("broker_cpu_s") is not None for run in runs for p in run["phases"]):
        out += "\n\n" + "\n".join(cpu)
    notes = []
    for label, run in zip(labels, runs):
        b = run.get("broker", {})
        bits = [f"wall {run.get('wall_s', 0):.0f} s"]
        if run.get("error"):
            bits.append(f"**run failed: {run['error']}**")
        if b.get("peak_rss_mb") is not None:
            bits.append(f"broker peak RSS {b['peak_rss_mb']:.0f} MB")
        other = [p["other_cpu_s"] for p in run.get("runs", []) if p.get("other_cpu_s") is not None]
        if other:
            bits.append(f"CPU used by other processes during its phases {sum(other):.1f} s")
        methods = sorted({t.get("method", "?") for t in run.get("topics", [])})
        bits.append("topics: " + ", ".join(methods))
        notes.append(f"* {label}: " + "; ".join(bits))
    c = runs[0]
    out += ("\n\n" + "\n".join(notes) + f"\n\nconfluent-kafka {c['client']['confluent_kafka']} "
            f"(librdkafka {c['client']['librdkafka']}), acks=all, linger.ms=5, compression "
            f"{c['compression']}, 1 partition; rates count payload bytes, 1 MB = 1e6 bytes"
            + (f"; median of {c['repeat']} runs per phase" if c.get("repeat", 1) > 1 else "")
            + ".")
    return out


# ---------------------------------------------------------------------------------------


def parse_args(argv=None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bootstrap", help="HOST:PORT[,HOST:PORT] of the broker (loopback only)")
    ap.add_argument("--allow-remote", action="store_true",
                    help="permit a bootstrap that is not a loopback address")
    ap.add_argument("--start-kafkalite", action="store_true",
                    help="start `python -m kafkalite serve` on a free port and a temp data dir, "
                         "measure it (its CPU too) and stop it at the end")
    ap.add_argument("--broker-python", default=sys.executable,
                    help="interpreter for --start-kafkalite (default: this one)")
    ap.add_argument("--broker-arg", action="append", default=[], metavar="ARG",
                    help="extra argument for `kafkalite serve` (repeatable), e.g. --broker-arg=-o "
                         "--broker-arg=log.segment.bytes=1048576")
    ap.add_argument("--data-parent", metavar="DIR",
                    help="where --start-kafkalite makes its temp dir (default: $TMPDIR or /tmp; "
                         "e.g. /dev/shm to take the disk out of the picture)")
    ap.add_argument("--keep-data", action="store_true", help="keep kafkalite's temp data dir")
    ap.add_argument("--pid", type=int, help="broker process id: report its CPU seconds per phase")
    ap.add_argument("--compression", default="none",
                    choices=["none", "gzip", "snappy", "lz4", "zstd"])
    ap.add_argument("--quick", action="store_true",
                    help=f"smaller counts ({QUICK_COUNTS['100B']:,} x 100 B, "
                         f"{QUICK_COUNTS['10KB']:,} x 10 KB)")
    ap.add_argument("--small-count", type=int, help=f"100 B records (default {FULL_COUNTS['100B']:,})")
    ap.add_argument("--large-count", type=int, help=f"10 KB records (default {FULL_COUNTS['10KB']:,})")
    ap.add_argument("--repeat", type=int, default=1,
                    help="rounds per record size, each on a fresh topic; the median run is "
                         "reported (default 1)")
    ap.add_argument("--phase-timeout", type=float, default=60.0, help="seconds per phase (default 60)")
    ap.add_argument("--budget", type=float, default=150.0,
                    help="seconds for the whole run; later phases are skipped (default 150)")
    ap.add_argument("--label", help="name of this broker in the results (default: from the run)")
    ap.add_argument("--json", metavar="OUT", help="write the results here")
    ap.add_argument("--client-config", action="append", default=[], metavar="KEY=VALUE",
                    help="a librdkafka setting for every client, e.g. security.protocol=SSL "
                         "(repeatable; with it --bootstrap is not probed in plaintext)")
    ap.add_argument("--table", nargs="+", metavar="JSON",
                    help="only print a markdown table comparing these result files")
    a = ap.parse_args(argv)
    if a.table:
        return a
    if bool(a.bootstrap) == bool(a.start_kafkalite):
        ap.error("give exactly one of --bootstrap or --start-kafkalite")
    if a.start_kafkalite and a.pid:
        ap.error("--pid is implied by --start-kafkalite")
    if a.bootstrap and not a.allow_remote:
        try:
            bad = non_loopback(a.bootstrap)
        except ValueError as exc:
            ap.error(str(exc))
        if bad:
            ap.error(f"refusing non-loopback bootstrap {', '.join(bad)} (use --allow-remote)")
    counts = dict(QUICK_COUNTS if a.quick else FULL_COUNTS)
    if a.small_count is not None:
        counts["100B"] = a.small_count
    if a.large_count is not None:
        counts["10KB"] = a.large_count
    if not 1 <= a.repeat <= 20:
        ap.error("--repeat must be 1..20")
    if any(c < 0 for c in counts.values()):
        ap.error("counts must be >= 0")
    a.counts = counts
    for item in a.client_config:
        key, sep, value = item.partition("=")
        if not sep:
            ap.error(f"--client-config takes KEY=VALUE, not {item!r}")
        CLIENT_CONFIG[key.strip()] = value.strip()
    return a


def run(a: argparse.Namespace) -> int:
    import confluent_kafka

    def on_term(signum, _frame):
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, on_term)

    wall0 = now()
    broker = None
    result: dict = {
        "tool": "benchmarks/throughput.py", "label": a.label,
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "compression": a.compression, "counts": a.counts,
        "client": {"confluent_kafka": confluent_kafka.__version__,
                   "librdkafka": confluent_kafka.libversion()[0]},
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "kernel": platform.release()},
        "repeat": a.repeat, "phases": [], "runs": [], "topics": [],
    }
    rc = 0
    try:
        if a.start_kafkalite:
            broker = Kafkalite(a.broker_python, a.broker_arg, a.keep_data, a.data_parent)
            result["label"] = a.label or "kafkalite"
            print(f"starting kafkalite on {broker.bootstrap} (data in {broker.tmp})", flush=True)
            broker.start()
            bootstrap, pid = broker.bootstrap, broker.proc.pid
            print(f"kafkalite pid {pid} answered ApiVersions after {broker.info['ready_s']} s",
                  flush=True)
        else:
            bootstrap, pid = a.bootstrap, a.pid
            entries = [split_hostport(e) for e in bootstrap.split(",")]
            deadline = now() + 5.0
            while not CLIENT_CONFIG and not any(api_versions_ok(h, p_) for h, p_ in entries):
                if now() > deadline:
                    raise RuntimeError(f"nothing at {bootstrap} answers a Kafka ApiVersions request")
                time.sleep(0.2)
            if pid and proc_cpu_s(pid) is None:
                raise RuntimeError(f"no process {pid} (or /proc/{pid}/stat unreadable)")
        result["label"] = result["label"] or bootstrap
        result["bootstrap"], result["pid"] = bootstrap, pid
        if pid:
            result["broker_cpu_s_at_start"] = proc_cpu_s(pid)
        print(f"bootstrap {bootstrap}  compression {a.compression}  "
              f"confluent-kafka {result['client']['confluent_kafka']} "
              f"(librdkafka {result['client']['librdkafka']})", flush=True)
        run_id = uuid.uuid4().hex[:12]
        for key, size in SIZES.items():
            count = a.counts[key]
            if count == 0:
                continue
            payloads = make_payloads(count, size, seed=size)
            rounds: list[tuple[dict, dict]] = []
            for rep in range(a.repeat):
                topic = f"throughput-{key}-{run_id}-{rep}"
                base = {"size": size, "count": count, "topic": topic, "repeat": rep}
                if now() - wall0 > a.budget:
                    pr, cr = ({"ok": False, "skipped": True, "records": 0, "seconds": 0,
                               "problem": f"skipped: run budget of {a.budget:.0f} s used up"}
                              for _ in range(2))
                else:
                    pr, cr = one_round(a, result, bootstrap, pid, topic, size, payloads)
                pr = dict(base, phase=f"produce {key}", **pr)
                cr = dict(base, phase=f"consume {key}", **cr)
                for r in (pr, cr):
                    secs = r.get("seconds") or 0
                    r["seconds"] = round(secs, 4)
                    if r.get("records") and secs > 0:
                        r["records_per_s"] = round(r["records"] / secs, 1)
                        r["mb_per_s"] = round(r["records"] * size / secs / 1e6, 2)
                    print_phase(r, f"[{rep + 1}/{a.repeat}] " if a.repeat > 1 else "")
                result["runs"] += [pr, cr]
                rounds.append((pr, cr))
            del payloads
            for i in range(2):
                result["phases"].append(summarize([r[i] for r in rounds]))
        if a.repeat > 1:
            print(f"median of {a.repeat} runs:", flush=True)
            for r in result["phases"]:
                print_phase(r)
        if any(r.get("correct") is False for r in result["phases"]):
            rc = 2
            print("!!! correctness check failed: see 'problem' above", flush=True)
        elif not all(r.get("ok") for r in result["phases"]):
            rc = 1
    except (Exception, KeyboardInterrupt, SystemExit) as exc:  # noqa: BLE001 - SIGTERM too
        result["error"] = (f"interrupted ({type(exc).__name__} {exc})"
                           if isinstance(exc, (KeyboardInterrupt, SystemExit))
                           else f"{type(exc).__name__}: {exc}")
        print(f"FAILED: {result['error']}", file=sys.stderr, flush=True)
        rc = 1
    finally:
        if broker is not None:
            broker.stop(keep_log=rc != 0)
            result["broker"] = broker.info
            if broker.info.get("exit_code") not in (0, None) and "log:" not in result.get("error", ""):
                print(f"kafkalite exit code {broker.info['exit_code']}; log tail:\n"
                      f"{broker.log_tail()}", file=sys.stderr, flush=True)
            if "log" in broker.info:
                print(f"kafkalite log kept: {broker.info['log']}", flush=True)
        elif result.get("pid"):
            result["broker"] = {"pid": result["pid"],
                                "peak_rss_mb": proc_status_mb(result["pid"], "VmHWM")}
        result["wall_s"] = round(now() - wall0, 2)
        result["ok"] = rc == 0
        result["exit_code"] = rc
        if a.json:
            Path(a.json).write_text(json.dumps(result, indent=1) + "\n")
    print(f"done in {result['wall_s']:.1f} s, exit {rc}", flush=True)
    return rc


def main(argv=None) -> int:
    a = parse_args(argv)
    if a.table:
        print(table(a.table))
        return 0
    return run(a)


if __name__ == "__main__":
    sys.exit(main())
