"""``kafkalite check`` against kafkalite: every check passes or is a listed gap, the secured
listeners work with ``--command-config``, and checks do fail when the broker misbehaves
(``test_check_proofs.py``: each check against a proxy that makes kafkalite misbehave)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kafkalite.check.context import Settings
from kafkalite.check.runner import load_checks, run_one
from kafkalite.client.security import from_properties
from kafkalite.testing import KafkaliteServer

pytestmark = pytest.mark.compat

KNOWN_GAPS = Path(__file__).with_name("KNOWN_GAPS.md")
#: Checks that skip against kafkalite, and why (anything else skipping is a regression:
#: a client library missing from the test extra, or an API no longer advertised).
EXPECTED_SKIPS = {
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
