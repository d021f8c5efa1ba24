"""What ``kafkalite serve`` imports: the broker starts without the client, the admin tools
or any optional library whose feature is off.

Each check runs a fresh interpreter, since this process has imported everything already.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

NOT_FOR_SERVING = (
    "kafkalite.tools",
    "kafkalite.client",
    "aiohttp",
    "prometheus_client",
    "cryptography",
)
"""Packages the broker never needs unless a feature asks for them (HTTP, certificates,
schema registry) or a client subcommand runs."""

LOADED_ON_FIRST_USE = (
    # Handlers and message schemas load per API key, on the first request of that key:
    # an ApiVersions answer needs none of these. (The Produce and Fetch schemas load at
    # start: kafkalite.protocol.fast, their fast codec, is on the connection's path.)
    *(
        f"kafkalite.handlers.{api}"
        for api in ("produce", "fetch", "metadata", "join_group", "create_topics", "end_txn")
    ),
    *(
        f"kafkalite.protocol.messages.{api}"
        for api in ("metadata", "join_group", "create_topics", "end_txn", "offset_commit")
    ),
    # The group and transaction coordinators are created when their internal topic has
    # state to replay, else on first use.
    "kafkalite.groups",
    "kafkalite.transactions",
    # The crc32c package's __init__ asks importlib.metadata for its version (which imports
    # email and scans site-packages); kafkalite.protocol.crc loads its C extension alone.
    "crc32c",
    "importlib.metadata",
    "email",
)
"""Modules a fresh broker must not have imported by the time it answers ApiVersions."""

# Runs the real ``kafkalite serve`` in this interpreter: once the port answers ApiVersions
# (a v0 request, the first thing every client sends), SIGINT stops the broker the way a
# user would, and the modules imported by then are printed as JSON.
SERVE_THEN_LIST_MODULES = r"""
import json, os, signal, socket, struct, sys, threading, time

port = int(sys.argv[1])

def probe():
    request = struct.pack(">hhih", 18, 0, 1, 5) + b"probe"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        except OSError:
            time.sleep(0.02)
            continue
        with sock:
            sock.sendall(struct.pack(">i", len(request)) + request)
            (size,) = struct.unpack(">i", sock.recv(4, socket.MSG_WAITALL))
            answer = sock.recv(size, socket.MSG_WAITALL)
            print("answered", struct.unpack(">ih", answer[:6]), file=sys.stderr)
        break
    os.kill(os.getpid(), signal.SIGINT)

threading.Thread(target=probe, daemon=True).start()
from kafkalite.cli import main
code = main(["serve", "--port", str(port), "--data-dir", sys.argv[2], "--log-level", "WARNING"])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def _run(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[3])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=120
    )


def _imported(modules: list[str], packages: tuple[str, ...]) -> list[str]:
    return [m for m in modules if any(m == p or m.startswith(p + ".") for p in packages)]


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_importing_the_command_line_imports_no_tool_and_no_client() -> None:
    done = _run("import json, sys, kafkalite.cli; print(json.dumps(sorted(sys.modules)))")
    assert done.returncode == 0, done.stderr
    assert _imported(json.loads(done.stdout), NOT_FOR_SERVING) == []


def test_client_subcommands_still_load_their_tools() -> None:
    done = _run(
        "import json, sys; from kafkalite.cli import build_parser; "
        "build_parser('topics').parse_args(['topics', 'list']); "
        "print(json.dumps(sorted(sys.modules)))"
    )
    assert done.returncode == 0, done.stderr
    assert "kafkalite.tools.topics" in json.loads(done.stdout)


@pytest.mark.timeout(150)
def test_serving_answers_without_importing_tools_client_or_optional_libraries(
    tmp_path: Path,
) -> None:
    done = _run(SERVE_THEN_LIST_MODULES, str(_free_port()), str(tmp_path / "data"))
    assert done.returncode == 0, done.stderr
    assert "answered (1, 0)" in done.stderr  # correlation id 1, error code NONE
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["code"] == 0
    modules = result["modules"]
    assert "kafkalite.runtime" in modules  # the broker really ran in that interpreter
    assert _imported(modules, NOT_FOR_SERVING) == []
    assert [m for m in LOADED_ON_FIRST_USE if m in modules] == []
    handlers = [m for m in modules if m.startswith("kafkalite.handlers.")]
    schemas = [m for m in modules if m.startswith("kafkalite.protocol.messages.")]
    assert "kafkalite.handlers.api_versions" in handlers  # it answered ApiVersions
    assert len(handlers) <= 8, handlers  # of ~60 handler modules
    assert len(schemas) <= 10, schemas  # of ~70 generated modules
