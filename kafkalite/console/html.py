"""Small helpers to build the console's HTML: escaping, tables, the page layout, and how a
record's bytes are shown (text, JSON, hex, or decoded through the schema registry)."""

from __future__ import annotations

import datetime
import html
import io
import json
import struct
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kafkalite.registry import SchemaRegistry

__all__ = ["DECODINGS", "decode", "esc", "layout", "table", "timestamp_text"]

PREFIX = "/console"
DECODINGS = ("auto", "text", "json", "hex", "schema")
_NAV = (("", "Overview"), ("/topics", "Topics"), ("/groups", "Consumer groups"), ("/schemas", "Schemas"))


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], css: str = "") -> str:
    """Cells are HTML already (escape text with ``esc``)."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def layout(title: str, body: str, *, notice: str = "", error: str = "", script: bool = False) -> str:
    nav = "".join(f'<a href="{PREFIX}{path}/">{esc(name)}</a>' if path else
                  f'<a href="{PREFIX}/">{esc(name)}</a>' for path, name in _NAV)
    flash = ""
    if notice:
        flash += f'<p class="notice">{esc(notice)}</p>'
    if error:
        flash += f'<p class="error">{esc(error)}</p>'
    js = f'<script src="{PREFIX}/static/console.js"></script>' if script else ""
    return (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)} · kafkalite</title>"
        f'<link rel="stylesheet" href="{PREFIX}/static/console.css">'
        '<link rel="icon" href="data:,">'
        f'</head><body><header><a class="brand" href="{PREFIX}/">kafkalite</a><nav>{nav}</nav>'
        f"</header><main><h1>{esc(title)}</h1>{flash}{body}</main>{js}</body></html>"
    )


def timestamp_text(ms: int) -> str:
    if ms < 0:
        return "-"
    moment = datetime.datetime.fromtimestamp(ms / 1000, datetime.UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def size_text(size: int) -> str:
    amount = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if amount < 1024 or unit == "GiB":
            return f"{amount:.0f} {unit}" if unit == "B" else f"{amount:.1f} {unit}"
        amount /= 1024
    return f"{size} B"


def decode(data: bytes | None, how: str, registry: SchemaRegistry | None = None) -> tuple[str, str]:
    """``(kind, text)`` of ``data`` shown as ``how``: kind is what it was shown as."""
    if data is None:
        return "null", "null"
    if how == "hex":
        return "hex", data.hex(" ")
    if how in ("schema", "auto") and registry is not None and len(data) >= 5 and data[0] == 0:
        shown = _from_registry(data, registry)
        if shown is not None:
            return shown
    if how in ("json", "auto"):
        try:
            return "json", json.dumps(json.loads(data), indent=2, ensure_ascii=False)
        except (ValueError, UnicodeDecodeError):
            if how == "json":
                return "hex", data.hex(" ")
    try:
        text = data.decode()
    except UnicodeDecodeError:
        return "hex", data.hex(" ")
    if how == "auto" and not text.isprintable() and not all(c.isprintable() or c in "\n\t\r" for c in text):
        return "hex", data.hex(" ")
    return "text", text


def _from_registry(data: bytes, registry: SchemaRegistry) -> tuple[str, str] | None:
    """A Confluent-framed value (magic 0, schema id, payload) decoded with its schema:
    Avro with Apache Avro's reader, JSON Schema as the JSON it is, Protobuf with the
    registered descriptor (the message indexes after the schema id pick the message type)."""
    (schema_id,) = struct.unpack_from(">I", data, 1)
    try:
        version = registry.schema_by_id(schema_id)
    except Exception:  # no such id: not a framed value after all
        return None
    payload = data[5:]
    kind = f"{version.schema_type.lower()} (schema id {schema_id})"
    try:
        if version.schema_type == "AVRO":
            return kind, json.dumps(_avro_decode(version.schema, payload), indent=2, default=str)
        if version.schema_type == "JSON":
            return kind, json.dumps(json.loads(payload), indent=2, ensure_ascii=False)
        if version.schema_type == "PROTOBUF":
            decoded = _protobuf_decode(version.schema, payload)
            return kind, json.dumps(decoded, indent=2, ensure_ascii=False)
    except Exception:  # bytes that do not fit the schema
        return None
    return kind, payload.hex(" ")


def _protobuf_decode(schema_text: str, payload: bytes) -> Any:
    """Confluent's Protobuf framing after the schema id: the message indexes (a zigzag
    varint count, then each index; a lone 0 means the first message), then the message."""
    import base64

    from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory

    from kafkalite.registry.protobuf_schema import serialized

    def varint(position: int) -> tuple[int, int]:
        shift = value = 0
        while True:
            byte = payload[position]
            value |= (byte & 0x7F) << shift
            position += 1
            if not byte & 0x80:
                return (value >> 1) ^ -(value & 1), position  # zigzag
            shift += 7

    count, position = varint(0)
    indexes = [0]
    if count:
        indexes = []
        for _ in range(count):
            index, position = varint(position)
            indexes.append(index)
    fd = descriptor_pb2.FileDescriptorProto.FromString(base64.b64decode(serialized(schema_text)))
    fd.ClearField("dependency")  # references are not resolved here: self-contained schemas only
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fd)
    file = pool.FindFileByName(fd.name)
    message = file.message_types_by_name[fd.message_type[indexes[0]].name]
    for index in indexes[1:]:
        message = message.nested_types[index]
    decoded = message_factory.GetMessageClass(message).FromString(payload[position:])
    return json_format.MessageToDict(decoded, preserving_proto_field_name=True)


def _avro_decode(schema_text: str, payload: bytes) -> Any:
    import avro.io  # imported on first use only: the broker does not need it
    import avro.schema

    schema = avro.schema.parse(schema_text)
    reader = avro.io.DatumReader(schema)
    return reader.read(avro.io.BinaryDecoder(io.BytesIO(payload)))
