"""Write tests/unit/protocol/data/golden.json, the golden bytes test_golden.py checks.

    python tests/unit/protocol/make_golden.py            # add entries for new versions only
    python tests/unit/protocol/make_golden.py --rewrite  # regenerate every entry

For every API and every version in its schema, an entry holds:
- ``request``: a request frame body (header and message, no size prefix) encoded by
  kafka-python's independent encoder, and the values it carries;
- ``response``: the values of a fixed response and the whole frame kafkalite sends for it
  (size prefix, header, message).
The values are ``protocol_samples.sample`` messages (every field the version carries set to a
non-default value, one element per array) in ``protocol_samples.plain`` form.

Existing entries are kept: once a version is served its bytes must not change, so a
change that alters them should fail the test, not be re-recorded. Each new entry is checked before it is written: kafka-python must read our response back with the same
values, and we must read kafka-python's request. Needs kafka-python; the test does not.
"""

from __future__ import annotations

import argparse
import json
import struct
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
sys.path[:0] = [str(REPO), str(HERE)]

from protocol_samples import (  # noqa: E402
    all_messages,
    kp_class,
    kp_decode_response,
    kp_encode_request,
    kp_plain,
    plain,
    sample,
    to_kp,
)

from kafkalite.protocol.connection import Request, ServerConnection  # noqa: E402
from kafkalite.protocol.messages import REQUESTS, RESPONSES, ApiKey  # noqa: E402
from tests.unit.server.kafka_wire import request_frame  # noqa: E402

GOLDEN = HERE / "data" / "golden.json"
SERVED = {api_key: (spec.valid.low, spec.valid.high) for api_key, spec in REQUESTS.items()}
CLIENT_ID = "golden-client"
ABOUT = (
    "Golden bytes for every API version kafkalite's schemas describe. request.hex: a request "
    "frame body (header + message, no size prefix) encoded once by kafka-python; "
    "request.values: what it carries. response.hex: the whole frame kafkalite sends for "
    "response.values. Written by tests/unit/protocol/make_golden.py; checked by test_golden.py."
)


def make_entry(api_key: ApiKey, version: int) -> dict[str, Any]:
    request_spec, response_spec = REQUESTS[api_key], RESPONSES[api_key]
    correlation_id = api_key * 1000 + version
    request_message = sample(request_spec, version, elements=1)
    independent = kp_class(api_key, "request") is not None
    if independent:
        kp_request = to_kp(request_spec, version, request_message, kp_class(api_key, "request"))
        frame_body = kp_encode_request(kp_request, correlation_id, CLIENT_ID)
    else:
        # kafka-python has no class for this API (the telemetry APIs): our own encoder, whose
        # bytes test_hand_written_bytes.py checks against the layout written out by hand.
        frame_body = request_frame(api_key, version, request_message, correlation_id, CLIENT_ID)[4:]

    conn = ServerConnection(SERVED)
    conn.receive_data(struct.pack(">i", len(frame_body)) + frame_body)
    request = conn.next_event()
    assert isinstance(request, Request)
    request_values = plain(request_spec, version, request.body)
    assert request_values == plain(request_spec, version, request_message), (api_key, version)

    response_message = sample(response_spec, version, elements=1)
    if api_key == ApiKey.API_VERSIONS:
        response_message.error_code = 0  # kafka-python reads error responses as v0 (KIP-511)
    frame = b"".join(conn.send_response(request, response_message))  # type: ignore[arg-type]
    if independent:
        kp_response = kp_decode_response(kp_class(api_key, "response"), version, frame[4:])
        assert kp_response.header.correlation_id == correlation_id
        assert kp_plain(response_spec, version, kp_response) == plain(
            response_spec, version, response_message
        )

    return {
        "api": api_key.name,
        "api_key": int(api_key),
        "version": version,
        "request": {
            "correlation_id": correlation_id,
            "client_id": CLIENT_ID,
            "hex": frame_body.hex(),
            "values": request_values,
        },
        "response": {
            "values": plain(response_spec, version, response_message),
            "hex": frame.hex(),
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rewrite", action="store_true", help="regenerate existing entries too")
    args = parser.parse_args(argv)
    entries: dict[tuple[str, int], dict[str, Any]] = {}
    if GOLDEN.exists() and not args.rewrite:
        for entry in json.loads(GOLDEN.read_text())["entries"]:
            entries[entry["api"], entry["version"]] = entry
    added = 0
    for api_key, kind, _, version in all_messages():
        if kind == "request" and (api_key.name, version) not in entries:
            entries[api_key.name, version] = make_entry(api_key, version)
            added += 1
    ordered = sorted(entries.values(), key=lambda e: (e["api_key"], e["version"]))
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN.write_text(
        json.dumps({"about": ABOUT, "entries": ordered}, indent=1, ensure_ascii=False) + "\n"
    )
    size = GOLDEN.stat().st_size
    print(f"{GOLDEN.relative_to(REPO)}: {len(ordered)} entries, {added} new, {size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
