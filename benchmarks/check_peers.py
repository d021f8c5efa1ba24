#!/usr/bin/env python3
"""Run ``kafkalite check`` against kafkalite and the peer brokers this machine can start,
and write the results as markdown.

    python benchmarks/check_peers.py [--peers-dir DIR] [--out DIR] [--only NAME,...]

Each broker is started fresh on a free loopback port (kafkalite with ``kafkalite serve``, a
peer with its start script from ``--peers-dir``, default ``$KAFKALITE_PEERS`` or
``../shared/peers`` next to the repository), checked with ``--allow-destructive`` (the
broker is a throwaway one) and ``--timeout 3`` (a broker that never answers a request costs
3 s per check, not 10), then stopped by its PID. Results go to ``OUT/<broker>.json``;
``OUT/summary.md`` holds the table of passed/failed/skipped per area and broker, and the
list of every check that did not pass, with its reason; the table is also written into
README.md between its ``check-results`` markers. A peer that exits during the run is started
again and the checks that found it gone are run once more (the check it exited during keeps
its failure), so one crash does not fail every later check.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
#: name -> (start command given a port, what it is)
PEERS = {
    "tansu": (["bash", "start_tansu.sh", "{port}"], "Tansu 0.6.0"),
    "rdkafka-mock": (
        [sys.executable, "start_rdkafka_mock.py", "{port}"],
        "librdkafka 2.16.0 mock cluster",
    ),
    "noida": (["bash", "start_noida.sh", "{port}"], "noida-db 0.2.3"),
    "nafka": (["bash", "start_nafka.sh", "{port}"], "nafka 0.1"),
}
KAFKALITE = "kafkalite"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_kafkalite(data_dir: Path) -> tuple[str, subprocess.Popen[bytes]]:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kafkalite",
            "serve",
            "--port",
            str(port),
            "--data-dir",
            str(data_dir),
            "--log-level",
            "WARNING",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=REPO,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().decode()
    if "serving on" not in line:
        proc.kill()
        raise RuntimeError(f"kafkalite did not start: {line!r}")
    return f"127.0.0.1:{port}", proc


def start_peer(peers_dir: Path, name: str) -> tuple[str, int]:
    command = [part.format(port=free_port()) for part in PEERS[name][0]]
    done = subprocess.run(command, cwd=peers_dir, capture_output=True, text=True, timeout=600)
    values = dict(re.findall(r"^([A-Z]+)=(\S+)", done.stdout, re.MULTILINE))
    if done.returncode != 0 or "BOOTSTRAP" not in values or "PID" not in values:
        raise RuntimeError(f"{name} did not start: {done.stdout[-500:]} {done.stderr[-500:]}")
    return values["BOOTSTRAP"], int(values["PID"])


def stop_pid(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
        for _ in range(50):
            time.sleep(0.1)
            os.kill(pid, 0)
        os.kill(pid, signal.SIGKILL)


def run_check(bootstrap: str, out: Path, only: list[str] | None = None) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "kafkalite",
            "check",
            "--bootstrap-server",
            bootstrap,
            "--json",
            str(out),
            "--allow-destructive",
            "--timeout",
            "3",
            *(["--only", ",".join(only)] if only else []),
        ],
        cwd=REPO,
        timeout=1800,
        check=False,
    )


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


#: Reasons of checks that found the broker gone (it exited during an earlier check).
_GONE = ("Connection refused", "cannot connect to", "Connection reset by peer")
_RESTARTS = 10


def check_peer(peers_dir: Path, name: str, out: Path) -> None:
    """Check a peer; if it exits during the run, start it again and rerun the checks that
    found it gone, as often as it keeps exiting (at most ``_RESTARTS`` times). The check
    during which it exited keeps its failure."""
    bootstrap, pid = start_peer(peers_dir, name)
    try:
        run_check(bootstrap, out)
        for _ in range(_RESTARTS):
            if alive(pid):
                break
            report = json.loads(out.read_text())
            gone = [c for c in report["checks"] if any(g in c["reason"] for g in _GONE)]
            if not gone:
                break
            bootstrap, pid = start_peer(peers_dir, name)
            rerun = out.with_suffix(".rerun.json")
            run_check(bootstrap, rerun, [c["name"] for c in gone])
            again = {c["name"]: c for c in json.loads(rerun.read_text())["checks"]}
            rerun.unlink()
            report["checks"] = [again.get(c["name"], c) for c in report["checks"]]
            report["summary"] = dict(Counter(c["result"] for c in report["checks"]))
            out.write_text(json.dumps(report, indent=1) + "\n")
    finally:
        stop_pid(pid)


def summary(results: dict[str, dict], labels: dict[str, str]) -> str:
    brokers = list(results)
    areas: list[str] = []
    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for broker, report in results.items():
        for entry in report["checks"]:
            if entry["area"] not in areas:
                areas.append(entry["area"])
            counts[(entry["area"], broker)][entry["result"]] += 1
    lines = [
        "| area | " + " | ".join(labels[b] for b in brokers) + " |",
        "| --- |" + " --- |" * len(brokers),
    ]
    totals: dict[str, Counter[str]] = defaultdict(Counter)
    for area in areas:
        cells = []
        for broker in brokers:
            c = counts[(area, broker)]
            totals[broker].update(c)
            cells.append(_cell(c))
        lines.append(f"| {area} | " + " | ".join(cells) + " |")
    lines.append("| **all** | " + " | ".join(f"**{_cell(totals[b])}**" for b in brokers) + " |")
    lines.append("")
    lines.append("Cells: passed / failed / skipped.")
    lines.append("")
    for broker in brokers:
        bad = [e for e in results[broker]["checks"] if e["result"] != "passed"]
        lines.append(f"### {labels[broker]}: what did not pass")
        lines.append("")
        if not bad:
            lines.append("Every check passed.")
        for entry in bad:
            reason = " ".join(entry["reason"].split()).replace("|", "\\|")
            if len(reason) > 160:
                reason = reason[:157] + "..."
            lines.append(f"- `{entry['name']}` {entry['result']}: {reason}")
        lines.append("")
    return "\n".join(lines)


def _cell(c: Counter[str]) -> str:
    return f"{c['passed']} / {c['failed']} / {c['skipped']}"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    candidates = [REPO.parent / "shared" / "peers", REPO.parent.parent / "shared" / "peers"]
    found = next((c for c in candidates if c.is_dir()), candidates[0])
    default_peers = os.environ.get("KAFKALITE_PEERS", str(found))
    parser.add_argument("--peers-dir", type=Path, default=Path(default_peers))
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "check-results")
    parser.add_argument(
        "--only",
        default="",
        help=f"brokers to check (default all: {KAFKALITE}, {', '.join(PEERS)})",
    )
    parser.add_argument(
        "--table-only", action="store_true", help="rewrite summary.md from saved JSON"
    )
    args = parser.parse_args()
    names = [n for n in args.only.split(",") if n] or [KAFKALITE, *PEERS]
    labels = {KAFKALITE: "kafkalite", **{n: PEERS[n][1] for n in PEERS}}
    args.out.mkdir(parents=True, exist_ok=True)
    if not args.table_only:
        for name in names:
            out = args.out / f"{name}.json"
            print(f"== {name}", flush=True)
            try:
                if name == KAFKALITE:
                    with tempfile.TemporaryDirectory() as data_dir:
                        bootstrap, proc = start_kafkalite(Path(data_dir) / "data")
                        try:
                            run_check(bootstrap, out)
                        finally:
                            stop_pid(proc.pid)
                            proc.wait(10)
                else:
                    check_peer(args.peers_dir, name, out)
            except Exception as exc:  # one broker that cannot start does not stop the others
                print(f"{name}: {exc}", file=sys.stderr)
    results = {}
    for name in [KAFKALITE, *PEERS]:
        path = args.out / f"{name}.json"
        if path.exists():
            results[name] = json.loads(path.read_text())
    text = summary(results, labels)
    (args.out / "summary.md").write_text(text + "\n")
    print(text)
    update_readme(text.split("\n### ", 1)[0].rstrip())
    return 0


def update_readme(table: str) -> None:
    """Put the area table between README.md's ``check-results`` markers."""
    readme = REPO / "README.md"
    text = readme.read_text()
    start, end = "<!-- check-results -->\n", "<!-- /check-results -->"
    if start not in text or end not in text:
        return
    head, rest = text.split(start, 1)
    tail = rest.split(end, 1)[1]
    readme.write_text(head + start + table + "\n" + end + tail)


if __name__ == "__main__":
    sys.exit(main())
