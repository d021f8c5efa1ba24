"""The control API's HTTP side, spoken with ``urllib`` to a real server on 127.0.0.1.

What the Python calls share is tested in ``tests/unit/runtime/test_control.py``; here:
the URL map (``GET /control`` lists every route), JSON in and out, status codes (400 for bad
input, 404 for unknown ids and paths, 405 for a wrong method) and loopback-only binding.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kafkalite.client import KafkaClient
from kafkalite.http.routes import CONSOLE_ROUTES, REGISTRY_ROUTES, ROUTES
from kafkalite.testing import KafkaliteServer

pytestmark = pytest.mark.timeout(60)

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def server() -> Iterator[KafkaliteServer]:
    with KafkaliteServer(brokers=2, control_port=0) as server:
        yield server


@pytest.fixture
def url(server: KafkaliteServer) -> Iterator[str]:
    assert server.control_url is not None
    yield server.control_url
    call(server.control_url, "POST", "/reset")


def call(url: str, method: str, path: str, body: Any = None, raw: bytes | None = None) -> Any:
    """(status, decoded JSON) of one request."""
    data = raw if raw is not None else None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url + path, data=data, method=method)
    try:
        with urllib.request.urlopen(request, timeout=20) as answer:
            assert answer.headers["Content-Type"].startswith("application/json")
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, json.loads(exc.read())


def test_binds_loopback_only(server: KafkaliteServer) -> None:
    assert server.control_url is not None
    assert server.control_url.startswith("http://127.0.0.1:")


def test_control_lists_every_route(url: str) -> None:
    status, routes = call(url, "GET", "/control")
    assert status == 200
    listed = {(r["method"], r["path"]) for r in routes}
    # every route of the HTTP server: the control API, /control, /metrics, the registry's
    # and the console's
    assert listed == {(r.method, r.path) for r in ROUTES}
    assert {(r.method, r.path) for r in (*REGISTRY_ROUTES, *CONSOLE_ROUTES)} <= listed
    assert all(r["summary"] for r in routes)


def test_fault_lifecycle(url: str) -> None:
    status, fault = call(
        url, "POST", "/faults", {"api": "Metadata", "error": 15, "count": 2, "node": 1}
    )
    assert status == 200
    assert (fault["action"], fault["api"], fault["error"], fault["hits"]) == (
        "error",
        "Metadata",
        "COORDINATOR_NOT_AVAILABLE",
        0,
    )
    _, delayed = call(url, "POST", "/faults", {"action": "delay", "ms": 5, "api": "Fetch"})
    assert [f["id"] for f in call(url, "GET", "/faults")[1]] == [fault["id"], delayed["id"]]
    assert call(url, "GET", f"/faults/{fault['id']}")[1]["count"] == 2
    status, waited = call(url, "POST", f"/faults/{fault['id']}/wait", {"hits": 1, "timeout_ms": 20})
    assert (status, waited) == (200, {"id": fault["id"], "hits": 0, "reached": False})
    assert call(url, "DELETE", f"/faults/{fault['id']}")[1]["id"] == fault["id"]
    assert call(url, "GET", f"/faults/{fault['id']}")[0] == 404
    assert call(url, "DELETE", "/faults") == (200, {"removed": 1})
    assert call(url, "GET", "/faults") == (200, [])


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/faults", {"api": "NoSuchApi", "error": 1}),
        ("/faults", {"api": "Produce", "error": "NO_SUCH_ERROR"}),
        ("/faults", {"api": "Produce"}),
        ("/faults", {"action": "explode", "error": 1}),
        ("/faults", {"error": 1, "colour": "red"}),
        ("/faults", {"error": 1, "count": "two"}),
        ("/faults", [1, 2]),
        ("/brokers/1/black-hole", {"on": "yes"}),
        ("/brokers/one/stop", {}),
        ("/groups/g/wait", {"members": 1.5}),
        ("/groups/g/offsets/wait", {"topic": "t"}),
    ],
)
def test_bad_input_is_400(url: str, path: str, body: Any) -> None:
    status, answer = call(url, "POST", path, body)
    assert status == 400 and answer["error"]


def test_body_that_is_not_json_is_400(url: str) -> None:
    status, answer = call(url, "POST", "/faults", raw=b"{not json")
    assert status == 400 and "JSON" in answer["error"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/faults/999"),
        ("POST", "/faults/999/wait"),
        ("POST", "/brokers/9/stop"),
        ("POST", "/brokers/9/black-hole"),
        ("GET", "/partitions/no-such-topic/0"),
        ("POST", "/partitions/no-such-topic/0/leader"),
        ("GET", "/no/such/path"),
    ],
)
def test_unknown_is_404(url: str, method: str, path: str) -> None:
    body = {"node": 1} if path.endswith("/leader") else {}
    status, answer = call(url, method, path, body if method == "POST" else None)
    assert status == 404 and answer["error"]


def test_wrong_method_is_405(url: str) -> None:
    assert call(url, "PUT", "/faults", {})[0] == 405


def test_brokers_and_network_faults(url: str) -> None:
    status, brokers = call(url, "GET", "/brokers")
    assert status == 200 and [b["id"] for b in brokers] == [1, 2]
    assert call(url, "POST", "/brokers/2/refuse")[1]["listening"] is False
    assert call(url, "POST", "/brokers/2/accept")[1]["listening"] is True
    assert call(url, "POST", "/brokers/2/drop")[1]["dropped"] == 0
    assert call(url, "POST", "/brokers/2/black-hole", {"on": True})[1]["black_hole"] is True
    assert call(url, "POST", "/brokers/2/black-hole", {"on": False})[1]["black_hole"] is False
    assert call(url, "POST", "/brokers/2/stop")[1]["online"] is False
    status, reset = call(url, "POST", "/reset")
    assert status == 200 and reset["brokers_started"] == [2]


def test_requests_filters_by_query(url: str, server: KafkaliteServer) -> None:
    assert call(url, "GET", "/requests") == (200, [])  # emptied by the last reset
    with KafkaClient(server.bootstrap_servers, timeout=10) as client:
        client.metadata(None)
        client.metadata(None)
    status, entries = call(url, "GET", "/requests?api=Metadata&limit=1")
    assert status == 200 and len(entries) == 1
    assert entries[0]["api"] == "Metadata" and entries[0]["api_key"] == 3
    assert call(url, "GET", "/requests?api=3&node=2")[1] == []  # both went to node 1
    assert call(url, "GET", "/requests?limit=ten")[0] == 400
    assert call(url, "GET", "/requests?colour=red")[0] == 400


def test_aiohttp_is_imported_only_when_asked_for() -> None:
    code = (
        "import sys, kafkalite.cli, kafkalite.runtime, kafkalite.testing; "
        "assert 'aiohttp' not in sys.modules, 'aiohttp imported'; "
        "assert 'prometheus_client' not in sys.modules, 'prometheus_client imported'"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=REPO, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
