"""Shared pieces of the client compatibility suite.

Nothing here talks to a client library: this module holds the broker process wrapper, a
stdlib ApiVersions probe, the record set every client produces, and the checks applied to
what comes back. The per-client test modules import it as ``compat_helpers`` (conftest.py
registers it under that name, because ``--import-mode=importlib`` puts no test folder on
``sys.path``).
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CODECS = ("none", "gzip", "snappy", "lz4", "zstd")
PARTITIONS = 3
RECORDS_PER_CODEC = 10_000

#: Base of the explicit create timestamps: a fixed offset into the past from "now", so the
#: values are recent (no retention or timestamp-skew rule rejects them) yet far enough back
#: that a broker that replaces them with its own clock is caught.
BASE_TS = (int(time.time() * 1000) // 1000) * 1000 - 3_600_000

API_CREATE_TOPICS = 19
API_INIT_PRODUCER_ID = 22

STARTUP_TIMEOUT_S = 20.0
#: A consume loop gives up when no record has arrived for this long (a healthy broker
#: streams the test's records without pauses anywhere near this).
CONSUME_IDLE_S = 15.0
STOP_TIMEOUT_S = 10.0


# --------------------------------------------------------------------------- probe


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("connection closed by broker")
        buf += chunk
    return bytes(buf)


def api_versions(host: str, port: int, timeout: float = 2.0) -> dict[int, tuple[int, int]]:
    """Send ApiVersions v0 on a fresh connection; return {api_key: (min, max)}.

    v0 is the one version every broker must answer. If the broker answers with an error
    code the key table is still parsed (KIP-511 brokers list their range with the error).
    """
    corr = 0x434F4D50  # "COMP"
    client_id = b"kafkalite-compat-probe"
    body = struct.pack(">hhih", 18, 0, corr, len(client_id)) + client_id
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(struct.pack(">i", len(body)) + body)
        (size,) = struct.unpack(">i", _recv_exact(sock, 4))
        if not 6 <= size <= 1_000_000:
            raise ValueError(f"ApiVersions v0: implausible frame size {size}")
        payload = _recv_exact(sock, size)
    got_corr, _error = struct.unpack_from(">ih", payload, 0)
    if got_corr != corr:
        raise ValueError(f"ApiVersions v0: correlation id {got_corr:#x} != {corr:#x}")
    table: dict[int, tuple[int, int]] = {}
    if size >= 10:
        (count,) = struct.unpack_from(">i", payload, 6)
        pos = 10
        for _ in range(max(count, 0)):
            if pos + 6 > size:
                break
            key, lo, hi = struct.unpack_from(">hhh", payload, pos)
            table[key] = (lo, hi)
            pos += 6
    return table


def split_bootstrap(bootstrap: str) -> tuple[str, int]:
    host, _, port = bootstrap.rpartition(":")
    return host, int(port)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --------------------------------------------------------------------------- brokers


class BrokerUnavailable(RuntimeError):
    pass


#: The checkout these tests belong to; its kafkalite package is the one under test.
REPO_ROOT = Path(__file__).resolve().parents[2]


def broker_env() -> dict[str, str]:
    """The environment for ``python -m kafkalite``: this checkout first on PYTHONPATH."""
    env = dict(os.environ)
    if (REPO_ROOT / "kafkalite").is_dir():
        parts = [str(REPO_ROOT)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
        env["PYTHONPATH"] = os.pathsep.join(parts)
    return env


@dataclass
class KafkaliteBroker:
    """``python -m kafkalite serve`` as a child process on a loopback port."""

    data_dir: Path
    options: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    host: str = "127.0.0.1"
    proc: subprocess.Popen[bytes] | None = None
    starts: int = 0
    external: bool = False
    versions: dict[int, tuple[int, int]] = field(default_factory=dict)
    preexec_fn: Callable[[], None] | None = None
    """Run in the child before ``exec`` (e.g. to lower its limits)."""

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.data_dir.parent / f"{self.data_dir.name}.log"

    def command(self) -> list[str]:
        cmd = [
            sys.executable, "-m", "kafkalite", "serve",
            "--host", self.host, "--port", str(self.port), "--data-dir", str(self.data_dir),
        ]
        for key, value in self.options.items():
            cmd += ["-o", f"{key}={value}"]
        return cmd

    def start(self) -> None:
        assert self.proc is None, "already running"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.starts += 1
        log = self.log_path.open("ab")
        try:
            log.write(f"\n===== start #{self.starts}: {shlex.join(self.command())}\n".encode())
            log.flush()
            self.proc = subprocess.Popen(
                self.command(), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                cwd=str(self.data_dir.parent), env=broker_env(), preexec_fn=self.preexec_fn,
            )
        finally:
            log.close()
        self._wait_ready()

    def _wait_ready(self) -> None:
        assert self.proc is not None
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        last: Exception | None = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                code = self.proc.returncode
                self.proc = None
                raise BrokerUnavailable(
                    f"kafkalite exited with code {code} before answering ApiVersions\n"
                    + self.log_tail()
                )
            try:
                self.versions = api_versions(self.host, self.port, timeout=1.0)
                return
            except (OSError, ValueError) as exc:
                last = exc
            time.sleep(0.05)
        self.stop()
        raise BrokerUnavailable(
            f"kafkalite did not answer ApiVersions v0 on {self.bootstrap} within "
            f"{STARTUP_TIMEOUT_S:.0f}s (last error: {last!r})\n" + self.log_tail()
        )

    def stop(self) -> None:
        """SIGTERM our own pid, SIGKILL it if it has not exited in time."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=STOP_TIMEOUT_S)

    def restart(self) -> None:
        self.stop()
        self.start()

    def supports(self, api_key: int) -> bool:
        return api_key in self.versions

    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no broker log)"
        tail = "\n".join(text.splitlines()[-lines:])
        return f"--- last {lines} lines of {self.log_path} ---\n{tail}"


@dataclass
class ExternalBroker:
    """A broker someone else runs (KAFKALITE_BOOTSTRAP=host:port)."""

    bootstrap: str
    versions: dict[int, tuple[int, int]] = field(default_factory=dict)
    external: bool = True

    def __post_init__(self) -> None:
        host, port = split_bootstrap(self.bootstrap)
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        last: Exception | None = None
        while time.monotonic() < deadline:
            try:
                self.versions = api_versions(host, port, timeout=1.0)
                return
            except (OSError, ValueError) as exc:
                last = exc
            time.sleep(0.1)
        raise BrokerUnavailable(f"external broker {self.bootstrap} does not answer: {last!r}")

    def supports(self, api_key: int) -> bool:
        return api_key in self.versions

    def restart(self) -> None:
        pytest.skip("KAFKALITE_BOOTSTRAP points at an external broker: cannot restart it")

    def stop(self) -> None:
        pytest.skip("KAFKALITE_BOOTSTRAP points at an external broker: cannot stop it")

    def log_tail(self, lines: int = 60) -> str:
        return f"(external broker {self.bootstrap}: no log)"


def external_bootstrap() -> str | None:
    value = os.environ.get("KAFKALITE_BOOTSTRAP", "").strip()
    return value or None


# --------------------------------------------------------------------------- records


def unique_topic(prefix: str) -> str:
    return f"compat-{prefix}-{uuid.uuid4().hex[:12]}"


@dataclass(frozen=True)
class Rec:
    """One record as the test produces it; ``index`` is its position in the produce order."""

    index: int
    partition: int
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes], ...]
    timestamp: int


def make_records(n: int, partitions: int = PARTITIONS, base_ts: int = BASE_TS) -> list[Rec]:
    """Records with keys, headers, null values/keys and distinct increasing timestamps.

    Record i goes to partition i % partitions, so partition p holds records p, p+P, p+2P...
    at offsets 0, 1, 2... and timestamps increase with the offset inside each partition.
    Every 7th value is null, every 11th (that is not null) is empty, every 13th key is null
    (unless the value is null too: kafka-python refuses a record with neither).
    """
    filler = b"the quick brown fox jumps over the lazy dog "
    out = []
    for i in range(n):
        if i % 7 == 0:
            value: bytes | None = None
        elif i % 11 == 0:
            value = b""
        else:
            value = b"value-%d|" % i + filler[: i % len(filler)] + bytes([i % 256])
        key = None if i % 13 == 0 and value is not None else b"key-%d" % i
        headers = (("h", b"%d" % i), ("n", b"x"))
        out.append(Rec(i, i % partitions, key, value, headers, base_ts + i))
    return out


def expected_offsets(records: Sequence[Rec]) -> dict[int, int]:
    """Index -> offset, assuming per-partition append in produce order from offset 0."""
    seen: dict[int, int] = {}
    out = {}
    for r in records:
        out[r.index] = seen.get(r.partition, 0)
        seen[r.partition] = out[r.index] + 1
    return out


def counts_per_partition(records: Iterable[Rec], partitions: int = PARTITIONS) -> dict[int, int]:
    counts = dict.fromkeys(range(partitions), 0)
    for r in records:
        counts[r.partition] += 1
    return counts


@dataclass(frozen=True)
class Got:
    """A consumed record, normalised across clients."""

    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes], ...]
    timestamp: int
    create_time: bool


@dataclass(frozen=True)
class Delivered:
    """What the producer reported for one record."""

    index: int
    partition: int
    offset: int
    timestamp: int | None


def _first(problems: list[str], limit: int = 15) -> str:
    more = f"\n... and {len(problems) - limit} more" if len(problems) > limit else ""
    return "\n".join(problems[:limit]) + more


def check_delivered(records: Sequence[Rec], delivered: Sequence[Delivered]) -> None:
    """The producer reports partition i % P, offset i // P and our timestamp for record i."""
    assert len(delivered) == len(records), f"{len(delivered)} delivery reports for {len(records)}"
    offsets = expected_offsets(records)
    problems = []
    for d in delivered:
        r = records[d.index]
        if d.partition != r.partition or d.offset != offsets[r.index]:
            problems.append(
                f"record {r.index}: delivered to {d.partition}@{d.offset}, "
                f"expected {r.partition}@{offsets[r.index]}"
            )
        if d.timestamp is not None and d.timestamp != r.timestamp:
            problems.append(f"record {r.index}: delivery timestamp {d.timestamp} != {r.timestamp}")
    assert not problems, "delivery reports differ:\n" + _first(problems)


def check_consumed(records: Sequence[Rec], got: Sequence[Got], partitions: int = PARTITIONS) -> None:
    """Every record comes back once, at its offset, with its key/value/headers/timestamp."""
    by_partition: dict[int, list[Got]] = {p: [] for p in range(partitions)}
    problems = []
    for g in got:
        if g.partition not in by_partition:
            problems.append(f"record from unexpected partition {g.partition}")
            continue
        by_partition[g.partition].append(g)
    expected_by_partition: dict[int, list[Rec]] = {p: [] for p in range(partitions)}
    for r in records:
        expected_by_partition[r.partition].append(r)
    for p in range(partitions):
        want = expected_by_partition[p]
        have = by_partition[p]
        offs = [g.offset for g in have]
        if offs != list(range(len(have))):
            dupes = len(offs) - len(set(offs))
            problems.append(
                f"partition {p}: offsets not 0..{len(have) - 1} contiguous "
                f"(first {offs[:5]}, last {offs[-5:]}, {dupes} duplicates)"
            )
        if len(have) != len(want):
            problems.append(f"partition {p}: consumed {len(have)} records, produced {len(want)}")
        for r, g in zip(want, have, strict=False):
            where = f"partition {p} offset {g.offset} (record {r.index})"
            if g.key != r.key:
                problems.append(f"{where}: key {g.key!r} != {r.key!r}")
            if g.value != r.value:
                problems.append(f"{where}: value {g.value!r} != {r.value!r}")
            if g.headers != r.headers:
                problems.append(f"{where}: headers {g.headers!r} != {r.headers!r}")
            if g.timestamp != r.timestamp:
                problems.append(f"{where}: timestamp {g.timestamp} != {r.timestamp}")
            if not g.create_time:
                problems.append(f"{where}: timestamp type is not CreateTime")
    assert not problems, "consumed records differ:\n" + _first(problems)


def norm_headers(headers: Iterable[tuple[str, bytes | None]] | None) -> tuple[tuple[str, bytes], ...]:
    if not headers:
        return ()
    return tuple((k if isinstance(k, str) else k.decode(), v) for k, v in headers)  # type: ignore[misc]


def timestamp_queries(records: Sequence[Rec], partitions: int = PARTITIONS) -> list[tuple[int, int, int | None, int | None]]:
    """(partition, query timestamp, expected offset, expected record timestamp) cases.

    Covers: before the first record, exactly on a record, between two records, exactly on
    the last record, and after the last record (no such offset: None).
    """
    cases = []
    offsets = expected_offsets(records)
    for p in range(partitions):
        recs = [r for r in records if r.partition == p]
        first, last = recs[0], recs[-1]
        mid = recs[len(recs) // 2]
        cases.append((p, first.timestamp - 1000, 0, first.timestamp))
        cases.append((p, first.timestamp, 0, first.timestamp))
        cases.append((p, mid.timestamp, offsets[mid.index], mid.timestamp))
        # one ms after mid: the next record of this partition is the first with ts >= t
        nxt = recs[len(recs) // 2 + 1]
        cases.append((p, mid.timestamp + 1, offsets[nxt.index], nxt.timestamp))
        cases.append((p, last.timestamp, offsets[last.index], last.timestamp))
        cases.append((p, last.timestamp + 1, None, None))
    return cases


# --------------------------------------------------------------------------- kcat


def kcat_command() -> list[str] | None:
    """``KAFKALITE_KCAT`` (shell words, e.g. ``env LD_LIBRARY_PATH=/x kcat``) or kcat on PATH."""
    custom = os.environ.get("KAFKALITE_KCAT", "").strip()
    if custom:
        return shlex.split(custom)
    found = shutil.which("kcat") or shutil.which("kafkacat")
    return [found] if found else None


class Progress:
    """Bounds a consume loop: overall deadline plus an idle limit since the last record."""

    def __init__(self, counts: dict[int, int], timeout: float, idle: float = CONSUME_IDLE_S):
        self.counts = counts
        self.have = dict.fromkeys(counts, 0)
        self.start = time.monotonic()
        self.end = self.start + timeout
        self.idle = idle
        self.last = self.start

    def add(self, partition: int) -> None:
        self.have[partition] = self.have.get(partition, 0) + 1
        self.last = time.monotonic()

    def done(self) -> bool:
        return all(self.have[p] >= n for p, n in self.counts.items())

    def waits(self) -> Iterable[float]:
        """``wait_s()`` before each poll, until the loop should stop."""
        for _ in range(100_000):
            wait = self.wait_s()
            if wait <= 0:
                return
            yield wait

    def wait_s(self) -> float:
        """Seconds the next poll may block; 0 when the loop should stop."""
        if self.done():
            return 0.0
        now = time.monotonic()
        left = min(self.end - now, self.last + self.idle - now)
        return max(0.0, min(left, 1.0))


def deadline_loop(seconds: float) -> Iterable[float]:
    """Yield the remaining time until ``seconds`` have passed (bounded polling loops)."""
    end = time.monotonic() + seconds
    for _ in range(1_000_000):
        left = end - time.monotonic()
        if left <= 0:
            return
        yield left
