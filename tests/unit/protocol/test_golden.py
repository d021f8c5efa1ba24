"""Golden bytes: requests as kafka-python encoded them, responses as we must keep sending them.

``data/golden.json`` (written by ``make_golden.py``, which needs kafka-python; this test
does not) holds, for every API version in the schemas:
- a request frame body encoded by kafka-python: our connection must decode it to the
  recorded values, and our encoder must give back the same bytes;
- a fixed response and the frame we send for it: any change to served bytes fails here.
Once a version is served its bytes must not change; a new version needs
``python tests/unit/protocol/make_golden.py`` to add its entry.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

import pytest
from protocol_samples import all_messages, from_plain, plain, served_ranges

from kafkalite.protocol.codec import encode_bytes
from kafkalite.protocol.connection import Request, ServerConnection
from kafkalite.protocol.headers import request_header_version
from kafkalite.protocol.messages import REQUESTS, RESPONSES, ApiKey
from kafkalite.protocol.messages.headers import REQUEST_HEADER_SPEC

GOLDEN = Path(__file__).resolve().parent / "data" / "golden.json"
ENTRIES: list[dict[str, Any]] = json.loads(GOLDEN.read_text())["entries"]
SERVED = {api_key: (spec.valid.low, spec.valid.high) for api_key, spec in REQUESTS.items()}
CASES = [pytest.param(entry, id=f"{entry['api']}-v{entry['version']}") for entry in ENTRIES]


def receive(frame_body: bytes) -> Request:
    conn = ServerConnection(SERVED)
    conn.receive_data(struct.pack(">i", len(frame_body)) + frame_body)
    request = conn.next_event()
    assert isinstance(request, Request)
    assert conn.buffered == 0
    return request


def test_every_schema_version_has_an_entry() -> None:
    recorded = {(e["api"], e["version"]) for e in ENTRIES}
    expected = {
        (api.name, version) for api, kind, _, version in all_messages() if kind == "request"
    }
    assert expected - recorded == set(), "run tests/unit/protocol/make_golden.py"


def test_every_served_version_has_an_entry() -> None:
    recorded = {(e["api"], e["version"]) for e in ENTRIES}
    for api_key, (low, high) in served_ranges().items():
        for version in range(low, high + 1):
            assert (api_key.name, version) in recorded


def test_the_golden_file_stays_modest() -> None:
    assert GOLDEN.stat().st_size < 350_000


@pytest.mark.parametrize("entry", CASES)
def test_kafka_python_request_decodes_to_the_recorded_values(entry: dict[str, Any]) -> None:
    api_key, version = ApiKey(entry["api_key"]), entry["version"]
    recorded = entry["request"]
    frame_body = bytes.fromhex(recorded["hex"])
    request = receive(frame_body)
    assert (request.api_key, request.api_version) == (api_key, version)
    assert (request.correlation_id, request.client_id) == (
        recorded["correlation_id"],
        recorded["client_id"],
    )
    assert not request.version_unsupported
    assert plain(REQUESTS[api_key], version, request.body) == recorded["values"]


@pytest.mark.parametrize("entry", CASES)
def test_we_encode_the_recorded_request_to_the_same_bytes(entry: dict[str, Any]) -> None:
    api_key, version = ApiKey(entry["api_key"]), entry["version"]
    recorded = entry["request"]
    request = receive(bytes.fromhex(recorded["hex"]))
    header = encode_bytes(
        REQUEST_HEADER_SPEC, request.header, request_header_version(api_key, version)
    )
    body = encode_bytes(
        REQUESTS[api_key], from_plain(REQUESTS[api_key], version, recorded["values"]), version
    )
    assert (header + body).hex() == recorded["hex"]


@pytest.mark.parametrize("entry", CASES)
def test_response_bytes_are_unchanged(entry: dict[str, Any]) -> None:
    api_key, version = ApiKey(entry["api_key"]), entry["version"]
    request = receive(bytes.fromhex(entry["request"]["hex"]))
    response = from_plain(RESPONSES[api_key], version, entry["response"]["values"])
    chunks = ServerConnection(SERVED).send_response(request, response)
    assert all(isinstance(c, bytes) for c in chunks)
    assert b"".join(chunks).hex() == entry["response"]["hex"]  # type: ignore[arg-type]
