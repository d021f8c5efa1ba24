"""The Schema Registry's HTTP side, spoken with ``urllib`` to a real server on 127.0.0.1.

The registry's rules are tested in ``tests/unit/registry``; here: Confluent's paths at the
root, its content type, its error bodies with their HTTP statuses, query flags, the raw
``/schema`` answers and Protobuf's ``format=serialized``.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from kafkalite.testing import KafkaliteServer

pytestmark = pytest.mark.timeout(60)

CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"
RECORD = {"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}]}


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with KafkaliteServer(control_port=0) as server:
        assert server.control_url is not None
        yield server.control_url


def call(url: str, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    """(status, decoded body) of one request; JSON answers must carry Confluent's type."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url + path, data=data, method=method, headers={"Content-Type": CONTENT_TYPE}
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as answer:
            status, kind, text = answer.status, answer.headers["Content-Type"], answer.read()
    except urllib.error.HTTPError as exc:
        with exc:
            status, kind, text = exc.code, exc.headers["Content-Type"], exc.read()
    if kind.startswith("text/plain"):
        return status, text.decode()
    assert kind == CONTENT_TYPE
    return status, json.loads(text)


def register(url: str, subject: str, schema: Any, **extra: Any) -> tuple[int, Any]:
    text = schema if isinstance(schema, str) else json.dumps(schema)
    return call(url, "POST", f"/subjects/{subject}/versions", {"schema": text, **extra})


def test_register_read_and_errors(url: str) -> None:
    status, answer = register(url, "http-a", RECORD)
    assert status == 200 and answer["version"] == 1
    schema_id = answer["id"]
    assert call(url, "GET", "/schemas/types") == (200, ["JSON", "PROTOBUF", "AVRO"])
    assert call(url, "GET", f"/schemas/ids/{schema_id}")[1]["schema"] == json.dumps(
        RECORD, separators=(",", ":")
    )
    assert call(url, "GET", f"/schemas/ids/{schema_id}/schema") == (200, RECORD)
    assert call(url, "GET", "/subjects/http-a/versions/latest/schema") == (200, RECORD)
    assert call(url, "GET", "/subjects/http-a/versions") == (200, [1])
    looked_up = call(url, "POST", "/subjects/http-a", {"schema": json.dumps(RECORD)})[1]
    assert (looked_up["id"], looked_up["version"]) == (schema_id, 1)
    assert call(url, "GET", "/subjects/nobody/versions")[1]["error_code"] == 40401
    assert call(url, "GET", "/subjects/http-a/versions/9") == (
        404,
        {"error_code": 40402, "message": "Version 9 not found."},
    )
    assert call(url, "GET", "/subjects/http-a/versions/x")[:1] == (422,)
    assert call(url, "GET", "/schemas/ids/999")[1]["error_code"] == 40403
    status, answer = register(url, "http-a", "{nope")
    assert (status, answer["error_code"]) == (422, 42201)
    status, answer = call(url, "POST", "/subjects/http-a/versions", None)
    assert (status, answer["error_code"]) == (422, 42201)


def test_compatibility_config_and_mode(url: str) -> None:
    register(url, "http-c", RECORD)
    broken = {**RECORD, "fields": [{"name": "a", "type": "string"}]}
    status, answer = register(url, "http-c", broken)
    assert (status, answer["error_code"]) == (409, 409)
    check = call(
        url,
        "POST",
        "/compatibility/subjects/http-c/versions/latest?verbose=true",
        {"schema": json.dumps(broken)},
    )[1]
    assert check["is_compatible"] is False and "TYPE_MISMATCH" in check["messages"][0]
    assert call(url, "PUT", "/config/http-c", {"compatibility": "none"}) == (
        200,
        {"compatibility": "NONE"},
    )
    assert call(url, "GET", "/config/http-c")[1]["compatibilityLevel"] == "NONE"
    assert call(url, "PUT", "/config", {"compatibility": "sideways"})[1]["error_code"] == 42203
    assert register(url, "http-c", broken)[1]["version"] == 2
    assert call(url, "DELETE", "/config/http-c")[1]["compatibilityLevel"] == "NONE"
    assert call(url, "GET", "/config/http-c")[1]["error_code"] == 40408
    assert call(url, "GET", "/mode") == (200, {"mode": "READWRITE"})
    assert call(url, "PUT", "/mode/http-c", {"mode": "READONLY"}) == (200, {"mode": "READONLY"})
    assert register(url, "http-c", {"type": "string"})[1]["error_code"] == 42205
    assert call(url, "DELETE", "/mode/http-c") == (200, {"mode": "READONLY"})


def test_deletes(url: str) -> None:
    register(url, "http-d", RECORD)
    assert call(url, "DELETE", "/subjects/http-d?permanent=true")[1]["error_code"] == 40405
    assert call(url, "DELETE", "/subjects/http-d") == (200, [1])
    assert call(url, "DELETE", "/subjects/http-d")[1]["error_code"] == 40404
    assert "http-d" not in call(url, "GET", "/subjects")[1]
    assert "http-d" in call(url, "GET", "/subjects?deleted=true")[1]
    assert call(url, "DELETE", "/subjects/http-d?permanent=true") == (200, [1])
    assert "http-d" not in call(url, "GET", "/subjects?deleted=true")[1]


def test_protobuf_text_and_serialized(url: str) -> None:
    text = 'syntax = "proto3";\npackage p;\nmessage M {\n  string a = 1;\n}'
    status, answer = register(url, "http-p", text, schemaType="PROTOBUF")
    assert status == 200
    fetched = call(url, "GET", f"/schemas/ids/{answer['id']}")[1]
    assert (fetched["schemaType"], fetched["schema"]) == ("PROTOBUF", text)
    encoded = call(url, "GET", f"/schemas/ids/{answer['id']}?format=serialized")[1]["schema"]
    descriptor_pb2 = pytest.importorskip("google.protobuf.descriptor_pb2")
    descriptor = descriptor_pb2.FileDescriptorProto.FromString(base64.b64decode(encoded))
    assert (descriptor.package, descriptor.syntax) == ("p", "proto3")
    (message,) = descriptor.message_type
    assert (message.name, message.field[0].name, message.field[0].type) == ("M", "a", 9)
    assert call(url, "GET", "/subjects/http-p/versions/1/schema") == (200, text)
    changed = text.replace("string a", "int32 a")
    status, answer = register(url, "http-p", changed, schemaType="PROTOBUF")
    assert (status, answer["error_code"]) == (409, 409)
