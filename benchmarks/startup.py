"""Start to first answer: how long until a fresh kafkalite answers ApiVersions.

Three rows, each the median (and minimum) of ``--runs`` starts:

* ``process``: ``python -m kafkalite serve --port 0 --data-dir TMP`` spawned as its own
  process; the clock runs from just before the spawn to the ApiVersions answer on the port
  it prints. Its CPU seconds up to that answer (``/proc/PID/stat``) are reported too: they
  move less than wall time on a busy machine; so are its resident set at that answer (an
  idle broker's, ``VmRSS``) and its peak by then (``VmHWM``). The ``python -c pass`` row beside it is the
  interpreter's own start on this machine (site-packages ``.pth`` files included), the floor
  under the process row.
* ``thread``: ``KafkaliteServer()`` (thread mode) started in this process, kafkalite already
  imported, until it answers ApiVersions.
* ``thread, 3 nodes``: ``KafkaliteServer(brokers=3)``, until every node has answered.

    python benchmarks/startup.py [--runs 15] [--json out.json]

Bytecode: the rows run with compiled bytecode cached (in a temporary ``PYTHONPYCACHEPREFIX``,
filled by one start before the clock runs), as after ``pip install``, even where
``PYTHONDONTWRITEBYTECODE`` is set: compiling ~300 modules from source on every start would
otherwise be most of what is measured. ``--no-bytecode-cache`` measures as the environment is.

Every answer is checked (correlation id, error code NONE, API 18 in its list): a broker that
answers wrongly fails the run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLK_TCK = os.sysconf("SC_CLK_TCK")
LISTENING = re.compile(rb"serving on (\S+?):(\d+)[ ,]")


def api_versions(host: str, port: int, correlation_id: int = 7, timeout: float = 10.0) -> None:
    """Send ApiVersions v0 and check the answer; raises on anything but a correct one."""
    client_id = b"startup-bench"
    request = struct.pack(">hhih", 18, 0, correlation_id, len(client_id)) + client_id
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(struct.pack(">i", len(request)) + request)
        (size,) = struct.unpack(">i", _read(sock, 4))
        body = _read(sock, size)
    got_id, error, count = struct.unpack(">ihi", body[:10])
    keys = {struct.unpack(">h", body[10 + 6 * i : 12 + 6 * i])[0] for i in range(count)}
    if (got_id, error) != (correlation_id, 0) or 18 not in keys:
        raise RuntimeError(f"bad ApiVersions answer: id {got_id}, error {error}, {count} APIs")


def _read(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise RuntimeError("connection closed before the answer was complete")
        data += chunk
    return data


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def _memory_mb(pid: int) -> tuple[float, float]:
    """(resident set now, its peak so far) in MB (1e6 bytes), from ``/proc/PID/status``."""
    status = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    kib = [int(status[key].split()[0]) for key in ("VmRSS", "VmHWM")]
    return kib[0] * 1024 / 1e6, kib[1] * 1024 / 1e6


PYCACHE: str | None = None
"""The bytecode cache the started interpreters use (``None``: as the environment says)."""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    if PYCACHE is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = PYCACHE
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def start_process(python: str, timeout: float) -> tuple[float, float, float, float]:
    """One ``kafkalite serve`` start: seconds to the first answer, its CPU seconds by then,
    and its resident set then and at its peak (MB)."""
    data = Path(tempfile.mkdtemp(prefix="kafkalite-startup-"))
    started = time.perf_counter()
    proc = subprocess.Popen(
        [python, "-m", "kafkalite", "serve", "--port", "0", "--data-dir", str(data / "d"),
         "--log-level", "WARNING"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=data, env=_env(),
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # printed once the listeners are bound
        match = LISTENING.search(line)
        if match is None:
            raise RuntimeError(f"kafkalite serve did not start: {line!r}")
        api_versions(match[1].decode(), int(match[2]), timeout=timeout)
        elapsed = time.perf_counter() - started
        cpu = _cpu_seconds(proc.pid)
        rss, peak = _memory_mb(proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(data, ignore_errors=True)
    return elapsed, cpu, rss, peak


def python_floor(python: str) -> tuple[float, float]:
    before = os.times()
    started = time.perf_counter()
    subprocess.run([python, "-c", "pass"], check=True, env=_env())
    elapsed = time.perf_counter() - started
    after = os.times()
    return elapsed, (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )


def start_thread(brokers: int) -> float:
    from kafkalite.testing import KafkaliteServer

    started = time.perf_counter()
    server = KafkaliteServer(brokers=brokers)
    try:
        server.start()
        for address in server.bootstrap_servers.split(","):
            host, _, port = address.rpartition(":")
            api_versions(host, int(port))
        return time.perf_counter() - started
    finally:
        server.close()


def _row(
    name: str,
    runs: list[float],
    cpu: list[float] | None = None,
    memory: list[tuple[float, float]] | None = None,
) -> dict[str, object]:
    row: dict[str, object] = {
        "row": name,
        "median_ms": round(statistics.median(runs) * 1000, 1),
        "min_ms": round(min(runs) * 1000, 1),
        "runs_ms": [round(r * 1000, 1) for r in runs],
    }
    if cpu is not None:
        row["cpu_median_ms"] = round(statistics.median(cpu) * 1000, 1)
        row["cpu_min_ms"] = round(min(cpu) * 1000, 1)
    if memory is not None:
        row["rss_median_mb"] = round(statistics.median(m[0] for m in memory), 1)
        row["rss_peak_max_mb"] = round(max(m[1] for m in memory), 1)
    return row


def _repeat(runs: int, once: Callable[[], object]) -> list[object]:
    return [once() for _ in range(runs)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="starts per row (default 15)")
    parser.add_argument("--python", default=sys.executable, help="interpreter for the process row")
    parser.add_argument("--timeout", type=float, default=30.0, help="per start, seconds")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    parser.add_argument(
        "--no-bytecode-cache", action="store_true", help="keep PYTHONDONTWRITEBYTECODE if set"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    global PYCACHE
    if not args.no_bytecode_cache:
        PYCACHE = tempfile.mkdtemp(prefix="kafkalite-startup-pycache-")
        sys.pycache_prefix, sys.dont_write_bytecode = PYCACHE, False
    try:
        return _measure(args)
    finally:
        if PYCACHE is not None:
            shutil.rmtree(PYCACHE, ignore_errors=True)


def _measure(args: argparse.Namespace) -> int:
    start_process(args.python, args.timeout)  # warm up: fills the bytecode cache
    floor = _repeat(args.runs, lambda: python_floor(args.python))
    process = _repeat(args.runs, lambda: start_process(args.python, args.timeout))
    start_thread(1)  # warm up: imports and first-use caches are not start-up of a server
    thread = _repeat(args.runs, lambda: start_thread(1))
    cluster = _repeat(args.runs, lambda: start_thread(3))
    rows = [
        _row("python -c pass (floor)", [w for w, _ in floor], [c for _, c in floor]),  # type: ignore[misc]
        _row(
            "process: kafkalite serve",
            [run[0] for run in process],  # type: ignore[index]
            [run[1] for run in process],  # type: ignore[index]
            [(run[2], run[3]) for run in process],  # type: ignore[index]
        ),
        _row("thread: KafkaliteServer()", thread),  # type: ignore[arg-type]
        _row("thread: KafkaliteServer(brokers=3)", cluster),  # type: ignore[arg-type]
    ]
    cache = "no bytecode cache" if PYCACHE is None else "bytecode cached"
    print(f"start to first ApiVersions answer, {args.runs} runs each, {cache} (ms)")
    print(f"| {'row':36} | median | min | CPU median | CPU min | RSS median (MB) | peak RSS (MB) |")
    print(f"|{'-' * 38}|--------|-----|------------|---------|-----------------|---------------|")
    for row in rows:
        cpu = (row.get("cpu_median_ms", ""), row.get("cpu_min_ms", ""))
        rss = (row.get("rss_median_mb", ""), row.get("rss_peak_max_mb", ""))
        print(
            f"| {row['row']:36} | {row['median_ms']} | {row['min_ms']} | {cpu[0]} | {cpu[1]} "
            f"| {rss[0]} | {rss[1]} |"
        )
    if args.json:
        args.json.write_text(
            json.dumps(
                {"runs": args.runs, "bytecode_cache": PYCACHE is not None, "rows": rows}, indent=2
            )
            + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
