"""``kafkalite check`` against kafkalite: every check passes or is a listed gap, the secured
listeners work with ``--command-config``, and checks do fail when the broker misbehaves
(faults injected through the control API, and a tiny fake broker that gets ApiVersions
wrong)."""

from __future__ import annotations

import json
import os
import re
import socket
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kafkalite.check.context import Settings
from kafkalite.check.runner import load_checks, run_one
from kafkalite.client.security import from_properties
from kafkalite.protocol.codec import encode_bytes
from kafkalite.protocol.messages import RESPONSES, ApiKey
from kafkalite.protocol.messages.api_versions import ApiVersion, ApiVersionsResponse
from kafkalite.protocol.messages.headers import RESPONSE_HEADER_SPEC, ResponseHeader
from kafkalite.testing import KafkaliteServer

pytestmark = pytest.mark.compat

KNOWN_GAPS = Path(__file__).with_name("KNOWN_GAPS.md")
#: Checks that skip against kafkalite, and why (anything else skipping is a regression:
#: a client library missing from the test extra, or an API no longer advertised).
EXPECTED_SKIPS = {
    "new_groups.share_groups": "share groups are not advertised",
    "admin.acl_round_trip": "no authorizer: SECURITY_DISABLED (test_acl_checks_with_an_authorizer)",
}


def known_gaps() -> dict[str, str]:
    """``check name -> reason`` from the ``kafkalite check`` table of KNOWN_GAPS.md."""
    text = KNOWN_GAPS.read_text()
    section = text.split("## `kafkalite check`", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^\| `([a-z_]+\.[a-z0-9_]+)` \| (.+?) \|$", section, re.MULTILINE))


def run_check(
    bootstrap: str, tmp_path: Path, *args: str, timeout: float = 120
) -> tuple[int, dict[str, Any], str]:
    out = tmp_path / f"check-{len(list(tmp_path.iterdir()))}.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "kafkalite",
            "check",
            "--bootstrap-server",
            bootstrap,
            "--json",
            str(out),
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=os.environ.copy(),
    )
    report = json.loads(out.read_text()) if out.exists() else {}
    return proc.returncode, report, proc.stdout + proc.stderr


def by_name(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["name"]: entry for entry in report["checks"]}


@pytest.fixture(scope="module")
def server() -> Iterator[KafkaliteServer]:
    with KafkaliteServer(
        {
            "transaction.abort.timed.out.transaction.cleanup.interval.ms": "500",
            "group.initial.rebalance.delay.ms": "0",
            "kafkalite.shutdown.timeout.ms": "2000",
        },
        tls=True,
        users={"alice": "alice-secret"},
    ) as s:
        yield s


def test_every_check_passes_or_is_a_known_gap(server: KafkaliteServer, tmp_path: Path) -> None:
    code, report, output = run_check(
        server.bootstrap_servers,
        tmp_path,
        "--allow-destructive",
        "--junit",
        str(tmp_path / "junit.xml"),
    )
    checks = by_name(report)
    assert len(checks) >= 60, output
    gaps = known_gaps()
    assert set(gaps) <= set(checks), (
        f"KNOWN_GAPS lists checks that do not exist: {set(gaps) - set(checks)}"
    )
    failed = {name: c["reason"] for name, c in checks.items() if c["result"] == "failed"}
    unexpected = {name: reason for name, reason in failed.items() if name not in gaps}
    assert not unexpected, f"failed and not in KNOWN_GAPS.md: {json.dumps(unexpected, indent=1)}"
    for name in failed:
        assert checks[name]["exchanges"], f"{name} failed without request/response summaries"
    skipped = {name: c["reason"] for name, c in checks.items() if c["result"] == "skipped"}
    assert set(skipped) <= set(EXPECTED_SKIPS), f"unexpected skips: {skipped}"
    assert code == (1 if failed else 0)
    junit = (tmp_path / "junit.xml").read_text()
    assert junit.count("<testcase ") == len(checks)
    assert junit.count("<failure ") == len(failed)


def _command_config(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "client.properties"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize(
    ("listener", "lines", "checks"),
    [
        (
            "SASL_PLAINTEXT",
            [
                "security.protocol=SASL_PLAINTEXT",
                "sasl.mechanism=SCRAM-SHA-256",
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule "
                'required username="alice" password="alice-secret";',
            ],
            "produce.acks_all,fetch.long_poll_woken_by_append,clients.kafka_python_roundtrip",
        ),
        (
            "SASL_SSL",
            [
                "security.protocol=SASL_SSL",
                "sasl.mechanism=PLAIN",
                "sasl.username=alice",
                "sasl.password=alice-secret",
                "ssl.truststore.location={ca}",
            ],
            "api_versions.v0_request,produce.acks_all,clients.confluent_kafka_roundtrip",
        ),
    ],
)
def test_secured_listeners(
    server: KafkaliteServer, tmp_path: Path, listener: str, lines: list[str], checks: str
) -> None:
    ca = str(server.certificates.ca)
    config = _command_config(tmp_path, [line.format(ca=ca) for line in lines])
    code, report, output = run_check(
        server.bootstrap_servers_for(listener),
        tmp_path,
        "--command-config",
        str(config),
        "--only",
        checks,
    )
    results = {name: c["result"] for name, c in by_name(report).items()}
    assert code == 0 and set(results.values()) == {"passed"}, output


def test_wrong_password_fails_clearly(server: KafkaliteServer, tmp_path: Path) -> None:
    config = _command_config(
        tmp_path,
        [
            "security.protocol=SASL_PLAINTEXT",
            "sasl.mechanism=SCRAM-SHA-512",
            "sasl.username=alice",
            "sasl.password=wrong",
        ],
    )
    code, report, output = run_check(
        server.bootstrap_servers_for("SASL_PLAINTEXT"),
        tmp_path,
        "--command-config",
        str(config),
        "--only",
        "produce.acks_leader",
    )
    entry = by_name(report)["produce.acks_leader"]
    assert code == 1 and entry["result"] == "failed", output
    assert "SASL_AUTHENTICATION_FAILED" in entry["reason"]


#: Injected fault -> the checks it must break, and a word their reason must carry.
FAULTS = [
    (
        {"api": "Produce", "error": "NOT_ENOUGH_REPLICAS"},
        [
            "produce.acks_leader",
            "produce.acks_all",
            "produce.codec_zstd",
            "produce.record_fields",
            "idempotence.duplicate_batch",
            "fetch.oversize_first_batch",
            "list_offsets.max_timestamp",
        ],
        "NOT_ENOUGH_REPLICAS",
    ),
    (
        {"api": "JoinGroup", "error": "UNKNOWN_SERVER_ERROR"},
        [
            "groups.member_id_required",
            "groups.join_sync_heartbeat_leave",
            "groups.static_membership",
        ],
        "UNKNOWN_SERVER_ERROR",
    ),
    (
        {"api": "AddPartitionsToTxn", "error": "INVALID_TXN_STATE"},
        ["transactions.commit", "transactions.abort", "transactions.fencing"],
        "INVALID_TXN_STATE",
    ),
    (
        {"api": "ListOffsets", "error": "OFFSET_NOT_AVAILABLE"},
        ["list_offsets.latest"],
        "OFFSET_NOT_AVAILABLE",
    ),
]


def test_checks_fail_when_the_broker_misbehaves(server: KafkaliteServer, tmp_path: Path) -> None:
    control = server.control
    for rule, _, _ in FAULTS:
        control.fail(**rule)
    try:
        names = [name for _, checks, _ in FAULTS for name in checks]
        code, report, output = run_check(
            server.bootstrap_servers, tmp_path, "--only", ",".join(names)
        )
    finally:
        control.remove_faults()
    checks = by_name(report)
    assert code == 1, output
    for _, expected, word in FAULTS:
        for name in expected:
            assert checks[name]["result"] == "failed", f"{name} did not fail: {checks[name]}"
            assert word in checks[name]["reason"], (
                f"{name}: {checks[name]['reason']!r} does not name {word}"
            )
            assert any(word in e["response"] for e in checks[name]["exchanges"]), checks[name][
                "exchanges"
            ]


class FakeBroker:
    """Answers ApiVersions only, advertising ApiVersions v0-3 and Metadata v0-1; answers
    UNSUPPORTED_VERSION for ApiVersions v4-v99 but closes the connection beyond (a KIP-511
    fallback that stops short)."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._connection, args=(sock,), daemon=True).start()

    def _connection(self, sock: socket.socket) -> None:
        with sock:
            while True:
                head = self._read(sock, 4)
                if head is None:
                    return
                frame = self._read(sock, struct.unpack(">i", head)[0])
                if frame is None:
                    return
                api, version, correlation = struct.unpack_from(">hhi", frame)
                if api != ApiKey.API_VERSIONS or version > 99:
                    return  # close
                body = ApiVersionsResponse(
                    error_code=0 if version <= 3 else 35,
                    api_keys=[
                        ApiVersion(api_key=ApiKey.API_VERSIONS, min_version=0, max_version=3),
                        ApiVersion(api_key=ApiKey.METADATA, min_version=0, max_version=1),
                    ],
                )
                payload = encode_bytes(
                    RESPONSE_HEADER_SPEC, ResponseHeader(correlation_id=correlation), 0
                )
                payload += encode_bytes(
                    RESPONSES[ApiKey.API_VERSIONS], body, min(version, 3) if version <= 3 else 0
                )
                sock.sendall(struct.pack(">i", len(payload)) + payload)

    @staticmethod
    def _read(sock: socket.socket, n: int) -> bytes | None:
        buf = b""
        while len(buf) < n:
            chunk = sock.recv(n - len(buf))
            if not chunk:
                return None
            buf += chunk
        return buf

    def close(self) -> None:
        self.listener.close()


def test_api_version_checks_fail_against_a_fake_broker(tmp_path: Path) -> None:
    fake = FakeBroker()
    try:
        code, report, output = run_check(
            f"127.0.0.1:{fake.port}", tmp_path, "--only", "api_versions", timeout=60
        )
    finally:
        fake.close()
    checks = by_name(report)
    assert code == 1, output
    assert checks["api_versions.unknown_version_fallback"]["result"] == "failed"
    assert "closed the connection" in checks["api_versions.unknown_version_fallback"]["reason"]
    for name in ("api_versions.v0_request", "api_versions.ranges_well_formed"):
        assert checks[name]["result"] == "failed"
        assert "PRODUCE" in checks[name]["reason"] and "FETCH" in checks[name]["reason"], checks[
            name
        ]
    assert checks["api_versions.ranges_vs_release"]["result"] == "failed"
    assert "no release covered" in checks["api_versions.ranges_vs_release"]["reason"]


def test_acl_checks_with_an_authorizer() -> None:
    """The ACL checks pass against a kafkalite with Kafka's StandardAuthorizer, run as a
    super user; as a principal without ACLs they skip, saying so."""
    checks = load_checks()
    with KafkaliteServer(
        {"kafkalite.shutdown.timeout.ms": "500"},
        users={"admin": "admin-secret", "bob": "bob-secret"},
        super_users=["admin"],
    ) as secured:
        results = {}
        for user in ("admin", "bob"):
            properties = {
                "security.protocol": "SASL_PLAINTEXT",
                "sasl.mechanism": "PLAIN",
                "sasl.username": user,
                "sasl.password": f"{user}-secret",
            }
            settings = Settings(
                secured.bootstrap_servers_for("SASL_PLAINTEXT"),
                security=from_properties(properties),
                properties=properties,
            )
            for name in ("admin.acl_round_trip", "admin.describe_acls"):
                results[user, name] = run_one(checks[name], settings)
    for (user, name), result in results.items():
        expected = "passed" if user == "admin" else "skipped"
        assert result.result == expected, (user, name, result.reason)
        if user == "bob":
            assert "CLUSTER_AUTHORIZATION_FAILED" in result.reason, result.reason
