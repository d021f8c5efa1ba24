"""``kafkalite.testing``: KafkaliteServer over real sockets, and the pytest plugin's loading.

The server tests speak raw Kafka requests (an ApiVersions v0 frame built by hand, then
Metadata and Produce through our codec). The plugin tests run pytest in a child process
on a small test file, with and without a ``pytest11`` entry point.
"""

from __future__ import annotations

import importlib.metadata
import os
import socket
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from kafkalite.config import ConfigError
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.metadata import MetadataRequest, MetadataRequestTopic
from kafkalite.protocol.messages.produce import (
    ProducePartitionData,
    ProduceRequest,
    ProduceTopicData,
)
from kafkalite.testing import KafkaliteServer, KafkaliteServerError
from tests.unit.batches import record_batch
from tests.unit.server.kafka_wire import call

REPO = Path(__file__).resolve().parents[2]


def api_versions_v0(bootstrap: str) -> tuple[int, set[int]]:
    """Send a hand-built ApiVersions v0 request; return (error code, api keys listed)."""
    host, _, port = bootstrap.rpartition(":")
    body = struct.pack(">hhih", 18, 0, 77, 4) + b"unit"  # key, version, correlation id, client id
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(struct.pack(">i", len(body)) + body)
        (size,) = struct.unpack(">i", _recv_exact(sock, 4))
        frame = _recv_exact(sock, size)
    correlation_id, error_code, count = struct.unpack_from(">ihi", frame)
    assert correlation_id == 77
    keys = {struct.unpack_from(">h", frame, 10 + 6 * i)[0] for i in range(count)}
    return error_code, keys


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def _address(server: KafkaliteServer) -> tuple[str, int]:
    return server.host, server.port


def produce_one(server: KafkaliteServer, topic: str, value: bytes) -> int:
    """Produce one record with acks=-1 to partition 0; return its offset."""
    request = ProduceRequest(
        acks=-1,
        timeout_ms=5000,
        topic_data=[
            ProduceTopicData(
                name=topic,
                partition_data=[
                    ProducePartitionData(index=0, records=record_batch([(b"k", value)]))
                ],
            )
        ],
    )
    call(
        _address(server),
        ApiKey.METADATA,
        9,
        MetadataRequest(topics=[MetadataRequestTopic(name=topic)]),
    )
    response = call(_address(server), ApiKey.PRODUCE, 7, request)
    partition = response.responses[0].partition_responses[0]
    assert partition.error_code == 0
    return int(partition.base_offset)


def refused(server: KafkaliteServer) -> bool:
    try:
        socket.create_connection(_address(server), timeout=5).close()
    except ConnectionRefusedError:
        return True
    return False


# --- KafkaliteServer, thread mode ------------------------------------------------------


def test_start_serves_api_versions_and_stop_closes_the_port() -> None:
    server = KafkaliteServer()
    assert not server.running
    with pytest.raises(KafkaliteServerError):
        server.bootstrap_servers  # noqa: B018 - no port before the first start
    with server:
        assert server.running and server.mode == "thread"
        assert server.bootstrap_servers == f"127.0.0.1:{server.port}" and server.port > 0
        error_code, keys = api_versions_v0(server.bootstrap_servers)
        assert error_code == 0 and {0, 1, 3, 18} <= keys
        server.stop()
        assert not server.running and refused(server)
    assert not server.data_dir.exists()  # the temp dir it made is gone


def test_properties_are_applied() -> None:
    with KafkaliteServer({"num.partitions": 3, "auto.create.topics.enable": True}) as server:
        response = call(
            _address(server),
            ApiKey.METADATA,
            9,
            MetadataRequest(topics=[MetadataRequestTopic(name="three")]),
        )
        assert sorted(p.partition_index for p in response.topics[0].partitions) == [0, 1, 2]


def test_an_unknown_property_fails_before_anything_starts() -> None:
    with pytest.raises(ConfigError, match="no.such.property"):
        KafkaliteServer({"no.such.property": "1"})


def test_restart_keeps_the_port_and_the_data(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with KafkaliteServer(data_dir=data_dir) as server:
        port = server.port
        assert produce_one(server, "kept", b"one") == 0
        server.restart()
        assert server.port == port
        assert produce_one(server, "kept", b"two") == 1
    assert (data_dir / "kept-0").is_dir()  # a data_dir we passed in is left alone


def test_pause_drops_connections_and_refuses_until_resume() -> None:
    with KafkaliteServer() as server:
        assert produce_one(server, "paused", b"before") == 0
        with socket.create_connection(_address(server), timeout=10) as idle:
            server.pause()
            assert server.paused
            assert idle.recv(1) == b""  # the open connection was closed
        assert refused(server)
        server.pause()  # pausing twice is harmless
        server.resume()
        assert not server.paused
        assert api_versions_v0(server.bootstrap_servers)[0] == 0
        assert produce_one(server, "paused", b"after") == 1  # nothing was lost


def test_stop_while_paused_and_start_again() -> None:
    with KafkaliteServer() as server:
        server.pause()
        server.stop()
        server.start()
        assert not server.paused
        assert api_versions_v0(server.bootstrap_servers)[0] == 0


def test_kill_needs_process_mode() -> None:
    with KafkaliteServer() as server, pytest.raises(KafkaliteServerError, match="process"):
        server.kill()


def test_faults_need_a_running_broker() -> None:
    server = KafkaliteServer()
    try:
        for fault in (server.pause, server.resume):
            with pytest.raises(KafkaliteServerError, match="not running"):
                fault()
    finally:
        server.close()


def test_starting_on_a_taken_port_raises() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        server = KafkaliteServer(port=taken.getsockname()[1])
        with pytest.raises(KafkaliteServerError, match="cannot listen"):
            server.start()
        assert not server.running
        server.close()


# --- process mode ----------------------------------------------------------------------


def test_process_mode_kill_then_start_recovers_the_same_data() -> None:
    with KafkaliteServer({"num.partitions": "2"}, mode="process") as server:
        assert server.log_path is not None
        port = server.port
        assert produce_one(server, "crash", b"one") == 0
        server.pause()
        assert refused(server)
        server.resume()
        server.kill()
        assert not server.running and refused(server)
        server.start()
        assert server.port == port
        assert produce_one(server, "crash", b"two") == 1
        log = server.log_path.read_text()
    assert log.count("recovered after an unclean stop") >= 1


def test_process_mode_reports_a_broker_that_cannot_start() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        server = KafkaliteServer(mode="process", port=taken.getsockname()[1])
        with pytest.raises(KafkaliteServerError, match="cannot start"):
            server.start()
        assert not server.running
        server.close()


# --- importing and the pytest plugin ---------------------------------------------------


def _env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "KAFKALITE_BOOTSTRAP",
            "KAFKALITE_MODE",
            "PYTEST_DISABLE_PLUGIN_AUTOLOAD",
            "PYTHONPATH",
        )
    }
    env["PYTHONPATH"] = str(REPO)
    env.update(extra)
    return env


def test_importing_kafkalite_testing_does_not_import_pytest() -> None:
    code = "import sys, kafkalite.testing; print('pytest' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert out.stdout.strip() == "False"


USER_TESTS = """
import os

pytest_plugins = ["kafkalite.testing.plugin"]


def test_session_broker(kafkalite_broker, kafkalite_bootstrap):
    assert kafkalite_bootstrap == kafkalite_broker.bootstrap_servers
    if not kafkalite_broker.external:
        assert kafkalite_broker.mode == os.environ["EXPECT_MODE"]
    print("SESSION", kafkalite_bootstrap)


def test_factory(kafkalite_broker_factory):
    server = kafkalite_broker_factory({"num.partitions": "2"})
    assert server.running and server.properties == {"num.partitions": "2"}
    assert server.mode == os.environ["EXPECT_MODE"]
"""


def _run_pytest(
    tmp_path: Path, *args: str, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_user.py").write_text(USER_TESTS)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-s", "-p", "no:cacheprovider", *args, "test_user.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_plugin_loads_through_pytest_plugins_without_an_entry_point(tmp_path: Path) -> None:
    env = _env(PYTEST_DISABLE_PLUGIN_AUTOLOAD="1", KAFKALITE_MODE="process", EXPECT_MODE="process")
    result = _run_pytest(tmp_path, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


def test_plugin_loads_through_the_entry_point_once(tmp_path: Path) -> None:
    """With the entry point, the test file's pytest_plugins line is a no-op, and the
    command-line options are known (they are registered before the command line is read)."""
    env = _env(EXPECT_MODE="process")
    if not importlib.metadata.entry_points(group="pytest11", name="kafkalite"):
        site = tmp_path / "site"
        dist = site / "kafkalite_entry_point-0.dist-info"
        dist.mkdir(parents=True)
        (dist / "METADATA").write_text(
            "Metadata-Version: 2.1\nName: kafkalite-entry-point\nVersion: 0\n"
        )
        (dist / "entry_points.txt").write_text("[pytest11]\nkafkalite = kafkalite.testing\n")
        env["PYTHONPATH"] = os.pathsep.join([str(REPO), str(site)])
    result = _run_pytest(tmp_path, "--kafkalite-mode=process", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
    assert "kafkalite: brokers in process mode" in result.stdout  # the report header


def test_plugin_points_at_an_external_broker_and_skips_the_factory(tmp_path: Path) -> None:
    with KafkaliteServer() as external:
        env = _env(
            PYTEST_DISABLE_PLUGIN_AUTOLOAD="1",
            KAFKALITE_BOOTSTRAP=external.bootstrap_servers,
            EXPECT_MODE="thread",
        )
        result = _run_pytest(tmp_path, "-rs", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SESSION {external.bootstrap_servers}" in result.stdout
    assert "1 passed, 1 skipped" in result.stdout
    assert "external broker" in result.stdout
