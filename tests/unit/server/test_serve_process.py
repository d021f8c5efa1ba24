"""``kafkalite serve`` as a process: start line, config errors, graceful SIGTERM/SIGINT."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.api_versions import ApiVersionsRequest
from kafkalite.protocol.messages.metadata import MetadataRequest, MetadataRequestTopic
from tests.unit.server.kafka_wire import call

REPO = Path(__file__).resolve().parents[3]
START_LINE = re.compile(r"serving on 127\.0\.0\.1:(\d+)")


def _serve(data_dir: Path, *extra: str) -> tuple[subprocess.Popen[str], int]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kafkalite", "serve", "--port", "0", "--data-dir", str(data_dir), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        match = START_LINE.search(line)
        if match:
            return proc, int(match.group(1))
        if not line and proc.poll() is not None:
            break
    proc.kill()
    raise AssertionError("the broker printed no start line")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_shuts_down_cleanly_and_writes_the_marker(tmp_path: Path, signum: int) -> None:
    data = tmp_path / "data"
    proc, port = _serve(data, "-o", "num.partitions=2")
    try:
        response = call(("127.0.0.1", port), ApiKey.METADATA, 9, MetadataRequest(topics=[MetadataRequestTopic(name="t")]))
        assert [p.partition_index for p in response.topics[0].partitions] == [0, 1]
        proc.send_signal(signum)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    assert (data / ".kafka_cleanshutdown").exists()
    assert (data / "meta.properties").read_text().count("cluster.id=") == 1
    assert sorted(p.name for p in data.iterdir() if p.is_dir() and p.name.startswith("t-")) == ["t-0", "t-1"]


def test_restart_keeps_cluster_id_and_topic(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ids = []
    for _ in range(2):
        proc, port = _serve(data)
        try:
            response = call(("127.0.0.1", port), ApiKey.METADATA, 12, MetadataRequest(topics=[MetadataRequestTopic(name="keep")]))
            ids.append((response.cluster_id, response.topics[0].topic_id))
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=30) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
    assert ids[0] == ids[1]
    assert ids[0][0]


def test_unknown_property_is_refused(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kafkalite", "serve", "--data-dir", str(tmp_path), "-o", "no.such.property=1"],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 2
    assert "unknown broker config 'no.such.property'" in result.stderr


def test_port_in_use_fails_with_a_message(tmp_path: Path) -> None:
    proc, port = _serve(tmp_path / "a")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "kafkalite", "serve", "--port", str(port), "--data-dir", str(tmp_path / "b")],
            capture_output=True,
            text=True,
            timeout=30,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        assert result.returncode == 1
        assert "cannot start" in result.stderr
        assert call(("127.0.0.1", port), ApiKey.API_VERSIONS, 0, ApiVersionsRequest()).error_code == 0
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_the_open_files_limit_is_raised_to_the_hard_limit(tmp_path: Path) -> None:
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard <= 256:
        pytest.skip("the hard limit is already at most 256")

    def lower() -> None:  # in the child, before it runs: a soft limit of 256
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kafkalite", "serve", "--port", "0", "--data-dir", str(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, preexec_fn=lower,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert START_LINE.search(line), line
        limits = Path(f"/proc/{proc.pid}/limits").read_text()
        row = next(r for r in limits.splitlines() if r.startswith("Max open files"))
        expected = str(1 << 20) if hard == resource.RLIM_INFINITY else str(hard)
        assert row.split()[3] == expected  # the soft limit
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
