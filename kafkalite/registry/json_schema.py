"""JSON Schema: validated with ``jsonschema``, compatibility by Confluent's documented rules.

Data written under the writer schema must validate under the reader schema. The rules, each
reported with Confluent's name for the difference:

- types: the reader's ``type`` must take every type the writer allows (``integer`` data is
  a ``number``): TYPE_CHANGED / TYPE_NARROWED;
- objects (an *open* content model is one without ``additionalProperties: false``):
  a property the writer has and the reader lacks breaks a closed reader
  (PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL) or must fit the reader's
  ``additionalProperties`` schema; a property the reader adds is fine when the writer is
  closed, but against an open writer (which may have sent anything under that name) the
  reader's property must accept anything (PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL);
  closing an open model breaks (ADDITIONAL_PROPERTIES_REMOVED); a newly required property
  without a default breaks (REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL);
  common properties are checked recursively;
- ``enum``/``const``: the reader's values must include the writer's (ENUM_ARRAY_NARROWED);
- bounds: a lower maximum/maxLength/maxItems/maxProperties or a higher minimum/... breaks
  (MAXIMUM_DECREASED, MIN_LENGTH_INCREASED...), as does a new or changed ``pattern``;
- arrays: ``items`` recursively; ``oneOf``/``anyOf``: each writer branch must fit a reader
  branch (COMBINED_TYPE_SUBSCHEMAS_CHANGED);
- ``$ref``: local pointers (``#/definitions/x``, ``#/$defs/x``) are followed; other
  references (to registered schemas) must name the same schema.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from kafkalite.registry.errors import RegistryError
from kafkalite.registry.schema_types import ParsedSchema, Reference

__all__ = ["JsonSchema", "parse_json_schema"]

_UPPER = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
_LOWER = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_CONSTRAINTS = frozenset(
    {
        "type",
        "enum",
        "const",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "pattern",
        "oneOf",
        "anyOf",
        "allOf",
        "not",
        "$ref",
        "multipleOf",
        "format",
        "patternProperties",
        *_UPPER,
        *_LOWER,
    }
)
_MAX_DEPTH = 64


class JsonSchema(ParsedSchema):
    schema_type = "JSON"

    def __init__(self, data: Any) -> None:
        self.data = data

    def canonical(self) -> str:
        return json.dumps(self.data, separators=(",", ":"), ensure_ascii=False)

    def normalized(self) -> str:
        return json.dumps(self.data, separators=(",", ":"), ensure_ascii=False, sort_keys=True)

    def incompatibilities(self, *, reader: ParsedSchema, writer: ParsedSchema) -> list[str]:
        assert isinstance(reader, JsonSchema) and isinstance(writer, JsonSchema)
        check = _Check(reader.data, writer.data)
        check.compare(reader.data, writer.data, "#", 0)
        return check.messages


def parse_json_schema(text: str, references: Sequence[Reference] = ()) -> JsonSchema:
    del references  # resolved by name when data is validated, not needed to check compatibility
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RegistryError.invalid_schema(f"{text[:200]}, details: not JSON: {exc}") from None
    if not isinstance(data, dict | bool):
        raise RegistryError.invalid_schema(f"{text[:200]}, details: not a JSON object or boolean")
    from jsonschema import SchemaError  # type: ignore[import-untyped,unused-ignore]
    from jsonschema.validators import validator_for  # type: ignore[import-untyped,unused-ignore]

    try:
        validator_for(data).check_schema(data)
    except SchemaError as exc:
        raise RegistryError.invalid_schema(f"{text[:200]}, details: {exc.message}") from None
    return JsonSchema(data)


def _types(schema: dict[str, Any]) -> set[str] | None:
    kind = schema.get("type")
    if kind is None:
        return None
    return {kind} if isinstance(kind, str) else set(kind)


def _is_open(schema: Any) -> bool:
    """Whether ``schema`` accepts any value."""
    return schema is True or (isinstance(schema, dict) and not (_CONSTRAINTS & set(schema)))


class _Check:
    def __init__(self, reader_root: Any, writer_root: Any) -> None:
        self.roots = {"reader": reader_root, "writer": writer_root}
        self.messages: list[str] = []

    def fail(self, kind: str, path: str, detail: str = "") -> None:
        suffix = f", description:'{detail}'" if detail else ""
        self.messages.append(f"{{errorType:'{kind}', location:'{path}'{suffix}}}")

    def resolve(self, schema: Any, side: str) -> Any:
        for _ in range(_MAX_DEPTH):
            if not (isinstance(schema, dict) and isinstance(schema.get("$ref"), str)):
                return schema
            ref = schema["$ref"]
            if not ref.startswith("#"):
                return schema
            target: Any = self.roots[side]
            for part in filter(None, ref[1:].split("/")):
                part = part.replace("~1", "/").replace("~0", "~")
                if not isinstance(target, dict) or part not in target:
                    return schema
                target = target[part]
            schema = target
        return schema

    def compare(self, reader: Any, writer: Any, path: str, depth: int) -> None:
        if depth > _MAX_DEPTH:
            return
        reader, writer = self.resolve(reader, "reader"), self.resolve(writer, "writer")
        if _is_open(reader) or writer is False:
            return
        if reader is False:
            self.fail("SCHEMA_NARROWED", path, "the new schema accepts nothing")
            return
        if writer is True:
            writer = {}
        if "$ref" in reader or "$ref" in writer:
            if reader.get("$ref") != writer.get("$ref"):
                self.fail(
                    "REFERENCE_CHANGED", path, f"{writer.get('$ref')} to {reader.get('$ref')}"
                )
            return
        for combined in ("oneOf", "anyOf"):
            if combined in reader or combined in writer:
                self.compare_combined(reader, writer, combined, path, depth)
                return
        self.compare_types(reader, writer, path)
        self.compare_values(reader, writer, path)
        if "object" in (_types(reader) or ()) or "properties" in reader or "properties" in writer:
            self.compare_objects(reader, writer, path, depth)
        if "items" in reader:
            items = writer.get("items", True)
            self.compare(reader["items"], items, f"{path}/items", depth + 1)

    def compare_combined(
        self, reader: dict[str, Any], writer: dict[str, Any], key: str, path: str, depth: int
    ) -> None:
        reader_branches = reader.get(key, [reader])
        for index, branch in enumerate(writer.get(key, [writer])):
            if not any(self.fits(option, branch, depth) for option in reader_branches):
                self.fail("COMBINED_TYPE_SUBSCHEMAS_CHANGED", f"{path}/{key}/{index}")

    def fits(self, reader: Any, writer: Any, depth: int) -> bool:
        probe = _Check(self.roots["reader"], self.roots["writer"])
        probe.compare(reader, writer, "#", depth + 1)
        return not probe.messages

    def compare_types(self, reader: dict[str, Any], writer: dict[str, Any], path: str) -> None:
        reader_types, writer_types = _types(reader), _types(writer)
        if reader_types is None:
            return
        if writer_types is None:
            self.fail("TYPE_NARROWED", path, f"any type to {sorted(reader_types)}")
            return
        for kind in sorted(writer_types):
            if kind in reader_types or (kind == "integer" and "number" in reader_types):
                continue
            name = (
                "TYPE_NARROWED"
                if kind == "number" and "integer" in reader_types
                else "TYPE_CHANGED"
            )
            self.fail(name, path, f"{sorted(writer_types)} to {sorted(reader_types)}")

    def compare_values(self, reader: dict[str, Any], writer: dict[str, Any], path: str) -> None:
        if "enum" in reader or "const" in reader:
            allowed = reader["enum"] if "enum" in reader else [reader["const"]]
            written = (
                writer["enum"]
                if "enum" in writer
                else [writer["const"]]
                if "const" in writer
                else None
            )
            if written is None or any(value not in allowed for value in written):
                self.fail("ENUM_ARRAY_NARROWED", path)
        for key in _UPPER:
            if key in reader and (key not in writer or reader[key] < writer[key]):
                self.fail(f"{_snake(key)}_{'ADDED' if key not in writer else 'DECREASED'}", path)
        for key in _LOWER:
            if key in reader and (key not in writer or reader[key] > writer[key]):
                self.fail(f"{_snake(key)}_{'ADDED' if key not in writer else 'INCREASED'}", path)
        if "pattern" in reader and reader["pattern"] != writer.get("pattern"):
            self.fail("PATTERN_ADDED" if "pattern" not in writer else "PATTERN_CHANGED", path)
        if "multipleOf" in reader:
            written = writer.get("multipleOf")
            if written is None or written % reader["multipleOf"] != 0:
                self.fail("MULTIPLE_OF_CHANGED", path)

    def compare_objects(
        self, reader: dict[str, Any], writer: dict[str, Any], path: str, depth: int
    ) -> None:
        reader_props: dict[str, Any] = reader.get("properties", {})
        writer_props: dict[str, Any] = writer.get("properties", {})
        reader_extra = reader.get("additionalProperties", True)
        writer_extra = writer.get("additionalProperties", True)
        for name, schema in writer_props.items():
            where = f"{path}/properties/{name}"
            if name in reader_props:
                self.compare(reader_props[name], schema, where, depth + 1)
            elif reader_extra is False:
                self.fail("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", where)
            elif not _is_open(reader_extra):
                self.compare(reader_extra, schema, where, depth + 1)
        for name, schema in reader_props.items():
            if name in writer_props or writer_extra is False:
                continue
            where = f"{path}/properties/{name}"
            if _is_open(writer_extra):
                if not _is_open(self.resolve(schema, "reader")):
                    self.fail("PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", where)
            else:
                self.compare(schema, writer_extra, where, depth + 1)
        if reader_extra is False and writer_extra is not False:
            self.fail("ADDITIONAL_PROPERTIES_REMOVED", path)
        elif not _is_open(reader_extra) and writer_extra is not False:
            self.compare(reader_extra, writer_extra, f"{path}/additionalProperties", depth + 1)
        added = set(reader.get("required", ())) - set(writer.get("required", ()))
        for name in sorted(added):
            schema = self.resolve(reader_props.get(name, {}), "reader")
            if not (isinstance(schema, dict) and "default" in schema):
                self.fail(
                    "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", f"{path}/required/{name}"
                )


def _snake(name: str) -> str:
    return "".join(f"_{c}" if c.isupper() else c.upper() for c in name)
