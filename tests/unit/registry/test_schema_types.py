"""Compatibility rules per schema type, each rule from both sides, and invalid schemas."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kafkalite.registry import RegistryError
from kafkalite.registry.compatibility import check
from kafkalite.registry.schema_types import ParsedSchema, formatted, parse


def avro(data: Any) -> ParsedSchema:
    return parse("AVRO", json.dumps(data))


def js(data: Any) -> ParsedSchema:
    return parse("JSON", json.dumps(data))


def proto(text: str) -> ParsedSchema:
    return parse("PROTOBUF", text)


def reads(reader: ParsedSchema, writer: ParsedSchema) -> list[str]:
    return reader.incompatibilities(reader=reader, writer=writer)


def record(*fields: dict[str, Any]) -> ParsedSchema:
    return avro({"type": "record", "name": "R", "fields": list(fields)})


# -- levels ------------------------------------------------------------------------------


def test_levels_pick_direction_and_versions() -> None:
    none = record()
    a_required = record({"name": "a", "type": "int"})
    b_required = record({"name": "b", "type": "int"})
    # a reader with a field the writer lacks needs a default: b_required cannot read `none`
    assert check("BACKWARD", b_required, [none])
    assert not check("FORWARD", b_required, [none])  # `none` reads b_required: b ignored
    assert check("FULL", b_required, [none])
    assert not check("NONE", b_required, [none])
    assert not check("FULL_TRANSITIVE", b_required, [])
    # the transitive levels look past the latest version: a_required cannot read b_required
    assert not check("FORWARD", b_required, [a_required, none])
    assert check("FORWARD_TRANSITIVE", b_required, [a_required, none])
    b_defaulted = record({"name": "b", "type": "int", "default": 0})
    b_string = record({"name": "b", "type": "string"})
    assert not check("BACKWARD", b_defaulted, [b_string, none])
    assert check("BACKWARD_TRANSITIVE", b_defaulted, [b_string, none])
    assert check("FULL_TRANSITIVE", b_defaulted, [b_string, none])


# -- Avro --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("writer", "reader", "compatible"),
    [
        ("int", "long", True),  # promotions
        ("long", "int", False),
        ("int", "double", True),
        ("string", "bytes", True),
        ("string", "int", False),
        ("int", ["null", "int"], True),  # into a union holding it
        (["null", "int"], "int", False),  # null has no branch in the reader
    ],
)
def test_avro_type_resolution(writer: Any, reader: Any, compatible: bool) -> None:
    w = record({"name": "f", "type": writer})
    r = record({"name": "f", "type": reader})
    assert (not reads(r, w)) is compatible


def test_avro_fields_enums_and_names() -> None:
    base = record({"name": "a", "type": "int"})
    assert not reads(
        record({"name": "a", "type": "int"}, {"name": "b", "type": "int", "default": 1}), base
    )
    assert (
        "READER_FIELD_MISSING_DEFAULT_VALUE"
        in reads(record({"name": "a", "type": "int"}, {"name": "b", "type": "int"}), base)[0]
    )
    assert not reads(record(), base)  # a removed field is skipped when reading
    enum_ab = avro({"type": "enum", "name": "E", "symbols": ["A", "B"]})
    enum_a = avro({"type": "enum", "name": "E", "symbols": ["A"]})
    assert not reads(enum_ab, enum_a)
    assert "MISSING_ENUM_SYMBOLS" in reads(enum_a, enum_ab)[0]
    renamed = avro({"type": "record", "name": "Other", "fields": [{"name": "a", "type": "int"}]})
    assert "NAME_MISMATCH" in reads(renamed, base)[0]


def test_avro_invalid_schemas() -> None:
    for bad in ('{"type": "record", "name": "R"}', '{"type": "nothing"}', "[1]", "{"):
        with pytest.raises(RegistryError) as info:
            parse("AVRO", bad)
        assert info.value.error_code == 42201


# -- JSON Schema -------------------------------------------------------------------------


OBJ = {"type": "object", "properties": {"a": {"type": "integer"}}}
CLOSED = {**OBJ, "additionalProperties": False}


def kinds(messages: list[str]) -> list[str]:
    return [m.split("'")[1] for m in messages]


def test_json_properties_against_open_and_closed_models() -> None:
    with_b = {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "string"}}}
    # adding a property: fine against a closed writer, breaks against an open one
    assert kinds(reads(js(with_b), js(OBJ))) == ["PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"]
    assert not reads(js({**with_b, "additionalProperties": False}), js(CLOSED))
    # removing a property: fine for an open reader, breaks a closed one
    assert not reads(js(OBJ), js(with_b))
    assert "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL" in kinds(reads(js(CLOSED), js(with_b)))
    # closing an open model breaks; opening a closed one does not
    assert kinds(reads(js(CLOSED), js(OBJ))) == ["ADDITIONAL_PROPERTIES_REMOVED"]
    assert not reads(js(OBJ), js(CLOSED))


def test_json_types_required_enums_and_bounds() -> None:
    number = {"type": "object", "properties": {"a": {"type": "number"}}}
    assert not reads(js(number), js(OBJ))  # integer data is a number
    assert kinds(reads(js(OBJ), js(number))) == ["TYPE_NARROWED"]
    string = {"type": "object", "properties": {"a": {"type": "string"}}}
    assert kinds(reads(js(string), js(OBJ))) == ["TYPE_CHANGED"]
    required = {**CLOSED, "required": ["a"]}
    assert kinds(reads(js(required), js(CLOSED))) == [
        "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL"
    ]
    defaulted = {
        **CLOSED,
        "properties": {"a": {"type": "integer", "default": 0}},
        "required": ["a"],
    }
    assert not reads(js(defaulted), js(CLOSED))
    assert not reads(js(CLOSED), js(required))  # dropping a requirement
    assert not reads(js({"enum": ["x", "y"]}), js({"enum": ["x"]}))
    assert kinds(reads(js({"enum": ["x"]}), js({"enum": ["x", "y"]}))) == ["ENUM_ARRAY_NARROWED"]
    assert kinds(
        reads(js({"type": "string", "maxLength": 3}), js({"type": "string", "maxLength": 5}))
    ) == ["MAX_LENGTH_DECREASED"]
    assert not reads(js({"type": "string", "maxLength": 5}), js({"type": "string", "maxLength": 3}))
    assert kinds(reads(js({"type": "integer", "minimum": 2}), js({"type": "integer"}))) == [
        "MINIMUM_ADDED"
    ]


def test_json_arrays_refs_and_combinations() -> None:
    ints = {"type": "array", "items": {"type": "integer"}}
    strings = {"type": "array", "items": {"type": "string"}}
    assert kinds(reads(js(strings), js(ints))) == ["TYPE_CHANGED"]
    with_defs = {
        "$defs": {"n": {"type": "number"}},
        "type": "array",
        "items": {"$ref": "#/$defs/n"},
    }
    assert not reads(js(with_defs), js(ints))  # the local $ref is followed
    either = {"oneOf": [{"type": "integer"}, {"type": "string"}]}
    assert not reads(js(either), js({"type": "string"}))
    assert kinds(reads(js({"type": "string"}), js(either))) == ["COMBINED_TYPE_SUBSCHEMAS_CHANGED"]


def test_json_invalid_schemas() -> None:
    for bad in ('{"type": 5}', "[]", "nope", '{"minLength": -1}'):
        with pytest.raises(RegistryError) as info:
            parse("JSON", bad)
        assert info.value.error_code == 42201


# -- Protobuf ----------------------------------------------------------------------------


ORDER = """
syntax = "proto3";
package shop;
import "google/protobuf/timestamp.proto";

// an order
message Order {
  string id = 1;
  int32 quantity = 2;
  repeated Item items = 3;
  map<string, string> tags = 4;
  oneof payment { string card = 5; string voucher = 6; }
  google.protobuf.Timestamp created = 7 [deprecated = true];
  message Item { string sku = 1; Kind kind = 2; }
  enum Kind { KIND_UNSPECIFIED = 0; BOOK = 1; }
}
"""


def changed(old: str, new: str) -> str:
    assert old in ORDER
    return ORDER.replace(old, new)


def test_protobuf_compatible_changes() -> None:
    base = proto(ORDER)
    for text in (
        changed("int32 quantity = 2;", "int32 quantity = 2; string note = 8;"),  # field added
        changed("int32 quantity = 2;", ""),  # field removed
        changed("int32 quantity = 2;", "int64 quantity = 2;"),  # int32 and int64 share a wire type
        changed("int32 quantity = 2;", "int32 count = 2;"),  # renamed
        changed("BOOK = 1;", "BOOK = 1; MUSIC = 2;"),  # enum constant added
        ORDER + "\nmessage Refund { string order_id = 1; }",  # message added
    ):
        assert not reads(proto(text), base), text
        assert not reads(base, proto(text)) or "Refund" in text or "note" in text


def test_protobuf_breaking_changes() -> None:
    base = proto(ORDER)
    cases = {
        "FIELD_SCALAR_KIND_CHANGED": changed("int32 quantity = 2;", "string quantity = 2;"),
        "FIELD_KIND_CHANGED": changed("int32 quantity = 2;", "Item quantity = 2;"),
        "FIELD_NAMED_TYPE_CHANGED": changed(
            "repeated Item items = 3;", "repeated google.protobuf.Timestamp items = 3;"
        ),
        "FIELD_LABEL_CHANGED": changed("repeated Item items = 3;", "Item items = 3;"),
        "PACKAGE_CHANGED": changed("package shop;", "package store;"),
        "MESSAGE_REMOVED": changed("message Item { string sku = 1; Kind kind = 2; }", "").replace(
            "repeated Item items = 3;", ""
        ),
        "ONEOF_FIELD_REMOVED": changed("string voucher = 6;", ""),
    }
    for kind, text in cases.items():
        assert kind in kinds(reads(proto(text), base)), kind
    proto2 = 'syntax = "proto2"; message M { optional string a = 1; }'
    with_required = 'syntax = "proto2"; message M { optional string a = 1; required int32 b = 2; }'
    assert kinds(reads(proto(with_required), proto(proto2))) == ["REQUIRED_FIELD_ADDED"]
    assert kinds(reads(proto(proto2), proto(with_required))) == ["REQUIRED_FIELD_REMOVED"]


def test_protobuf_text_and_descriptor_forms_agree() -> None:
    pytest.importorskip("google.protobuf")
    base = proto(ORDER)
    encoded = formatted("PROTOBUF", ORDER, "serialized")
    from_descriptor = proto(encoded)
    assert formatted("PROTOBUF", encoded, "serialized") == encoded
    # a registered descriptor is answered as .proto text by default, as Confluent does
    rendered = formatted("PROTOBUF", encoded, None)
    assert "message Order {" in rendered and "map<string, string> tags = 4;" in rendered
    assert not reads(proto(rendered), base) and not reads(base, proto(rendered))
    assert formatted("PROTOBUF", formatted("PROTOBUF", rendered, "serialized"), None) == rendered
    assert from_descriptor.proto.messages.keys() == base.proto.messages.keys()
    assert not reads(from_descriptor, base) and not reads(base, from_descriptor)
    assert kinds(
        reads(proto(changed("int32 quantity = 2;", "string quantity = 2;")), from_descriptor)
    ) == ["FIELD_SCALAR_KIND_CHANGED"]


def test_protobuf_invalid_schemas() -> None:
    for bad in ("message {", "syntax = ;", "message M { string a = x; }", ""):
        with pytest.raises(RegistryError) as info:
            parse("PROTOBUF", bad)
        assert info.value.error_code == 42201
