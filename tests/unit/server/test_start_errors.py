"""``kafkalite serve`` refuses a bad option or config value with one line naming it and
what it accepts, exit code 2, no traceback, and nothing created on disk."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


def serve(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kafkalite", "serve", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["-o", "log.cleanup.policy=banana"], ["log.cleanup.policy", "compact", "delete"]),
        (["-o", "log.message.timestamp.type=Soon"], ["log.message.timestamp.type", "CreateTime"]),
        (["-o", "num.partitions=0"], ["num.partitions", "at least 1"]),
        (["-o", "num.partitions=many"], ["num.partitions", "integer"]),
        (["-o", "default.replication.factor=0"], ["default.replication.factor", "at least 1"]),
        (["-o", "log.segment.bytes=1"], ["log.segment.bytes", "at least 14"]),
        (["-o", "offsets.topic.num.partitions=0"], ["offsets.topic.num.partitions", "at least 1"]),
        (["-o", "socket.request.max.bytes=0"], ["socket.request.max.bytes", "at least 1"]),
        (["-o", "auto.create.topics.enable=yes"], ["auto.create.topics.enable", "true"]),
        (["-o", "max.connections=-1"], ["max.connections", "at least 0"]),
        (["--port", "99999"], ["--port", "0", "65535"]),
        (["--port", "http"], ["--port", "integer"]),
        (["--control-port", "70000"], ["--control-port", "65535"]),
        (["--http-port", "-1"], ["--http-port", "65535"]),
        (["--http-host", "0.0.0.0"], ["--http-host needs --http-port"]),
        (["--log-level", "LOUD"], ["--log-level", "DEBUG", "WARNING"]),
        (["--brokers", "0"], ["--brokers", "at least 1"]),
    ],
)
def test_bad_value_is_one_line_and_exit_2(tmp_path: Path, args: list[str], expected: list[str]) -> None:
    data = tmp_path / "data"
    result = serve(data, *args)
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for word in expected:
        assert word in lines[0], lines[0]
    assert "Traceback" not in result.stderr
    assert not data.exists()


def test_busy_port_leaves_no_new_data_dir(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        data = tmp_path / "data"
        result = serve(data, "--port", str(port))
    assert result.returncode == 1
    assert "cannot start" in result.stderr and "Traceback" not in result.stderr
    assert not data.exists()
