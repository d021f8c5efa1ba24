"""Protobuf schemas: ``.proto`` text (read by our own small reader) or a base64
``FileDescriptorProto`` (what confluent-kafka's ProtobufSerializer registers, read with
``protobuf``), and Confluent's compatibility rules for them.

Fields are compared by number, message by message (Confluent's ``ProtobufSchema`` diff).
Breaking, reported with Confluent's names: PACKAGE_CHANGED, MESSAGE_REMOVED,
FIELD_KIND_CHANGED (scalar, message, enum), FIELD_SCALAR_KIND_CHANGED (outside the
wire-compatible groups int32/uint32/int64/uint64/bool, sint32/sint64, fixed32/sfixed32,
fixed64/sfixed64, string/bytes), FIELD_NAMED_TYPE_CHANGED, FIELD_LABEL_CHANGED (repeated
against singular, but for numbers, which pack either way), REQUIRED_FIELD_ADDED,
REQUIRED_FIELD_REMOVED, ONEOF_FIELD_REMOVED. Compatible, as in Confluent: added or removed
fields, renamed fields, added messages and enums, enum constants added or removed.

The ``.proto`` reader covers messages, nested types, enums, ``map<K, V>``, ``oneof``,
labels, packages and imports; options, services, extensions and reserved ranges are read
past. Text schemas are served ``?format=serialized`` as a descriptor built from that.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from kafkalite.registry.errors import RegistryError
from kafkalite.registry.schema_types import ParsedSchema, Reference

__all__ = ["ProtobufSchema", "parse_protobuf", "serialized"]

SCALARS = (
    "double",
    "float",
    "int64",
    "uint64",
    "int32",
    "fixed64",
    "fixed32",
    "bool",
    "string",
    "group",
    "message",
    "bytes",
    "uint32",
    "enum",
    "sfixed32",
    "sfixed64",
    "sint32",
    "sint64",
)  # in FieldDescriptorProto.Type order from 1; group, message and enum are not scalars
_NOT_SCALAR = {"group", "message", "enum"}
_GROUPS = (
    {"int32", "uint32", "int64", "uint64", "bool"},
    {"sint32", "sint64"},
    {"fixed32", "sfixed32"},
    {"fixed64", "sfixed64"},
    {"string", "bytes"},
)
_NUMERIC = {
    "double",
    "float",
    "int64",
    "uint64",
    "int32",
    "fixed64",
    "fixed32",
    "bool",
    "uint32",
    "sfixed32",
    "sfixed64",
    "sint32",
    "sint64",
}


@dataclass(slots=True)
class Field:
    name: str
    number: int
    type: str  # a scalar's name, or the full name of a message or enum
    kind: str = "scalar"  # scalar | message | enum
    label: str = "optional"  # optional | required | repeated
    oneof: str | None = None


@dataclass(slots=True)
class Message:
    name: str  # full name
    fields: dict[int, Field] = field(default_factory=dict)
    map_entry: bool = False


@dataclass(slots=True)
class ProtoFile:
    syntax: str = "proto2"
    package: str = ""
    imports: list[str] = field(default_factory=list)
    messages: dict[str, Message] = field(default_factory=dict)
    enums: dict[str, dict[str, int]] = field(default_factory=dict)


class ProtobufSchema(ParsedSchema):
    schema_type = "PROTOBUF"

    def __init__(self, text: str, proto: ProtoFile) -> None:
        self.text = text
        self.proto = proto

    def canonical(self) -> str:
        return self.text.strip()

    def incompatibilities(self, *, reader: ParsedSchema, writer: ParsedSchema) -> list[str]:
        assert isinstance(reader, ProtobufSchema) and isinstance(writer, ProtobufSchema)
        return _differences(reader.proto, writer.proto)


def parse_protobuf(text: str, references: Sequence[Reference] = ()) -> ProtobufSchema:
    del references  # imported types keep the names they are written with
    stripped = text.strip()
    if _looks_serialized(stripped):
        return ProtobufSchema(stripped, _from_descriptor(stripped))
    try:
        return ProtobufSchema(text, _Reader(text).read())
    except _ParseError as exc:
        raise RegistryError.invalid_schema(f"{text[:200]}, details: {exc}") from None


def as_text(text: str) -> str:
    """A stored schema as ``.proto`` text (rendered from a base64 descriptor)."""
    stripped = text.strip()
    return _render(_from_descriptor(stripped)) if _looks_serialized(stripped) else text


def serialized(text: str) -> str:
    """The base64 ``FileDescriptorProto`` of a stored schema."""
    stripped = text.strip()
    if _looks_serialized(stripped):
        return stripped
    proto = _Reader(text).read()
    return base64.b64encode(_to_descriptor(proto).SerializeToString()).decode()


# -- compatibility ----------------------------------------------------------------------


def _differences(reader: ProtoFile, writer: ProtoFile) -> list[str]:
    found: list[str] = []

    def fail(kind: str, where: str) -> None:
        found.append(f"{{errorType:'{kind}', location:'{where}'}}")

    if reader.package != writer.package:
        fail("PACKAGE_CHANGED", "#/")
    for name, old in writer.messages.items():
        new = reader.messages.get(name)
        if new is None:
            if not old.map_entry:
                fail("MESSAGE_REMOVED", f"#/{name}")
            continue
        for number, old_field in old.fields.items():
            where = f"#/{name}/{number}"
            new_field = new.fields.get(number)
            if new_field is None:
                if old_field.label == "required":
                    fail("REQUIRED_FIELD_REMOVED", where)
                if old_field.oneof is not None and any(
                    f.oneof == old_field.oneof for f in new.fields.values()
                ):
                    fail("ONEOF_FIELD_REMOVED", where)
                continue
            if new_field.kind != old_field.kind:
                fail("FIELD_KIND_CHANGED", where)
            elif new_field.type != old_field.type:
                if new_field.kind == "scalar":
                    if not any({new_field.type, old_field.type} <= group for group in _GROUPS):
                        fail("FIELD_SCALAR_KIND_CHANGED", where)
                elif not (
                    reader.messages.get(new_field.type, Message("")).map_entry
                    and writer.messages.get(old_field.type, Message("")).map_entry
                ):
                    fail("FIELD_NAMED_TYPE_CHANGED", where)
            if (new_field.label == "repeated") != (old_field.label == "repeated") and not (
                new_field.type in _NUMERIC and old_field.type in _NUMERIC
            ):
                fail("FIELD_LABEL_CHANGED", where)
        for number, new_field in new.fields.items():
            if new_field.label == "required" and (
                number not in old.fields or old.fields[number].label != "required"
            ):
                fail("REQUIRED_FIELD_ADDED", f"#/{name}/{number}")
    return found


# -- base64 descriptors ------------------------------------------------------------------


def _looks_serialized(text: str) -> bool:
    return (
        bool(text)
        and re.fullmatch(r"[A-Za-z0-9+/=\s]+", text) is not None
        and ("syntax" not in text and "message" not in text)
    )


def _from_descriptor(text: str) -> ProtoFile:
    from google.protobuf import descriptor_pb2  # type: ignore[import-untyped,unused-ignore]
    from google.protobuf.message import DecodeError  # type: ignore[import-untyped,unused-ignore]

    try:
        descriptor = descriptor_pb2.FileDescriptorProto.FromString(base64.b64decode(text))
    except (binascii.Error, DecodeError, ValueError) as exc:
        raise RegistryError.invalid_schema(f"{text[:200]}, details: {exc}") from None
    proto = ProtoFile(
        syntax=descriptor.syntax or "proto2",
        package=descriptor.package,
        imports=list(descriptor.dependency),
    )
    prefix = f"{descriptor.package}." if descriptor.package else ""
    for enum in descriptor.enum_type:
        proto.enums[prefix + enum.name] = {v.name: v.number for v in enum.value}
    for message in descriptor.message_type:
        _add_message(proto, prefix + message.name, message)
    return proto


def _add_message(proto: ProtoFile, full_name: str, message: Any) -> None:
    from google.protobuf.descriptor_pb2 import (  # type: ignore[import-untyped,unused-ignore]
        DescriptorProto,
        FieldDescriptorProto,
    )

    assert isinstance(message, DescriptorProto)
    labels = {1: "optional", 2: "required", 3: "repeated"}
    entry = Message(full_name, map_entry=message.options.map_entry)
    oneofs = [o.name for o in message.oneof_decl]
    for f in message.field:
        kind = {
            FieldDescriptorProto.TYPE_MESSAGE: "message",
            FieldDescriptorProto.TYPE_GROUP: "message",
            FieldDescriptorProto.TYPE_ENUM: "enum",
        }.get(f.type, "scalar")
        type_name = f.type_name.lstrip(".") if kind != "scalar" else SCALARS[f.type - 1]
        oneof = None
        if f.HasField("oneof_index") and not f.proto3_optional:
            oneof = oneofs[f.oneof_index]
        entry.fields[f.number] = Field(f.name, f.number, type_name, kind, labels[f.label], oneof)
    proto.messages[full_name] = entry
    for enum in message.enum_type:
        proto.enums[f"{full_name}.{enum.name}"] = {v.name: v.number for v in enum.value}
    for nested in message.nested_type:
        _add_message(proto, f"{full_name}.{nested.name}", nested)


def _to_descriptor(proto: ProtoFile) -> Any:
    from google.protobuf import descriptor_pb2  # type: ignore[import-untyped,unused-ignore]

    fd = descriptor_pb2.FileDescriptorProto(name="schema.proto", package=proto.package)
    if proto.syntax == "proto3":
        fd.syntax = "proto3"
    fd.dependency.extend(proto.imports)
    prefix = f"{proto.package}." if proto.package else ""
    containers: dict[str, Any] = {}
    kinds = {"message": 11, "enum": 14}
    labels = {"optional": 1, "required": 2, "repeated": 3}
    for name in sorted(proto.messages, key=lambda n: n.count(".")):
        message = proto.messages[name]
        parent_name, _, short = name.rpartition(".")
        parent = containers.get(parent_name)
        target = parent.nested_type.add() if parent is not None else fd.message_type.add()
        target.name = short
        if message.map_entry:
            target.options.map_entry = True
        oneofs: list[str] = []
        for f in sorted(message.fields.values(), key=lambda f: f.number):
            added = target.field.add(name=f.name, number=f.number, label=labels[f.label])
            if f.kind == "scalar":
                added.type = SCALARS.index(f.type) + 1
            else:
                added.type = kinds[f.kind]
                added.type_name = "." + f.type
            if f.oneof is not None:
                if f.oneof not in oneofs:
                    oneofs.append(f.oneof)
                    target.oneof_decl.add(name=f.oneof)
                added.oneof_index = oneofs.index(f.oneof)
        containers[name] = target
    for name, values in proto.enums.items():
        parent_name, _, short = name.rpartition(".")
        parent = containers.get(parent_name)
        enum = parent.enum_type.add() if parent is not None else fd.enum_type.add()
        enum.name = short
        for value_name, number in values.items():
            enum.value.add(name=value_name, number=number)
    del prefix
    return fd


def _render(proto: ProtoFile) -> str:
    lines = [f'syntax = "{proto.syntax}";']
    if proto.package:
        lines.append(f"package {proto.package};")
    lines += [f'import "{name}";' for name in proto.imports]
    prefix = f"{proto.package}." if proto.package else ""
    top = [n for n in proto.messages if "." not in n.removeprefix(prefix)]
    for name, values in proto.enums.items():
        if "." not in name.removeprefix(prefix):
            lines += _render_enum(name, values, "")
    for name in top:
        lines += _render_message(proto, name, "")
    return "\n".join(lines) + "\n"


def _render_enum(name: str, values: dict[str, int], indent: str) -> list[str]:
    body = [f"{indent}  {value} = {number};" for value, number in values.items()]
    return [f"{indent}enum {name.rpartition('.')[2]} {{", *body, f"{indent}}}"]


def _render_message(proto: ProtoFile, name: str, indent: str) -> list[str]:
    message = proto.messages[name]
    lines = [f"{indent}message {name.rpartition('.')[2]} {{"]
    inner = indent + "  "
    oneofs: dict[str, list[str]] = {}
    for f in sorted(message.fields.values(), key=lambda f: f.number):
        entry = proto.messages.get(f.type)
        if f.kind == "message" and entry is not None and entry.map_entry:
            key, value = entry.fields[1].type, entry.fields[2].type
            text = f"map<{key}, {_type_ref(value, entry.fields[2].kind)}> {f.name} = {f.number};"
        else:
            label = "" if f.label == "optional" and proto.syntax == "proto3" else f"{f.label} "
            if f.oneof is not None:
                label = ""
            text = f"{label}{_type_ref(f.type, f.kind)} {f.name} = {f.number};"
        if f.oneof is not None:
            oneofs.setdefault(f.oneof, []).append(text)
        else:
            lines.append(inner + text)
    for oneof, fields in oneofs.items():
        lines += [f"{inner}oneof {oneof} {{", *(f"{inner}  {t}" for t in fields), f"{inner}}}"]
    for nested in proto.messages:
        if nested.rpartition(".")[0] == name and not proto.messages[nested].map_entry:
            lines += _render_message(proto, nested, inner)
    for enum, values in proto.enums.items():
        if enum.rpartition(".")[0] == name:
            lines += _render_enum(enum, values, inner)
    lines.append(f"{indent}}}")
    return lines


def _type_ref(type_name: str, kind: str) -> str:
    return type_name if kind == "scalar" else "." + type_name


# -- the .proto reader ---------------------------------------------------------------------


class _ParseError(ValueError):
    pass


_TOKEN = re.compile(
    r"\s+|//[^\n]*|/\*.*?\*/|(?P<tok>\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|"
    r"[A-Za-z_][\w.]*|\.[A-Za-z_][\w.]*|-?\d[\w.+-]*|[{}\[\]()<>=;,:])",
    re.S,
)


def _tokens(text: str) -> Iterator[str]:
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise _ParseError(f"unexpected character {text[pos]!r} at {pos}")
        pos = match.end()
        if match.group("tok") is not None:
            yield match.group("tok")


class _Reader:
    def __init__(self, text: str) -> None:
        self.tokens = list(_tokens(text))
        self.pos = 0
        self.proto = ProtoFile()
        self.pending: list[tuple[str, Field]] = []  # (scope, field) to resolve

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def next(self) -> str:
        token = self.peek()
        if token is None:
            raise _ParseError("unexpected end of schema")
        self.pos += 1
        return token

    def expect(self, wanted: str) -> None:
        token = self.next()
        if token != wanted:
            raise _ParseError(f"expected {wanted!r}, found {token!r}")

    def skip_statement(self) -> None:
        depth = 0
        while True:
            token = self.next()
            if token in "{[(" and len(token) == 1:
                depth += 1
            elif token in "}])" and len(token) == 1:
                depth -= 1
                if depth == 0 and token == "}":
                    return
            elif token == ";" and depth == 0:
                return

    def read(self) -> ProtoFile:
        if not self.tokens:
            raise _ParseError("empty schema")
        while self.peek() is not None:
            token = self.next()
            if token in ("syntax", "edition"):
                self.expect("=")
                self.proto.syntax = self.next().strip("\"'")
                self.expect(";")
            elif token == "package":
                self.proto.package = self.next()
                self.expect(";")
            elif token == "import":
                name = self.next()
                if name in ("public", "weak"):
                    name = self.next()
                self.proto.imports.append(name.strip("\"'"))
                self.expect(";")
            elif token == "message":
                self.message(self.prefix())
            elif token == "enum":
                self.enum(self.prefix())
            elif token in ("option", "service", "extend"):
                self.skip_statement()
            elif token != ";":
                raise _ParseError(f"unexpected {token!r}")
        for scope, f in self.pending:
            self.resolve(scope, f)
        return self.proto

    def prefix(self) -> str:
        return f"{self.proto.package}." if self.proto.package else ""

    def message(self, prefix: str) -> None:
        name = prefix + self.next()
        message = Message(name)
        self.proto.messages[name] = message
        self.expect("{")
        self.body(message, None)

    def body(self, message: Message, oneof: str | None) -> None:
        while True:
            token = self.next()
            if token == "}":
                return
            if token == ";":
                continue
            if token == "message":
                self.message(message.name + ".")
            elif token == "enum":
                self.enum(message.name + ".")
            elif token == "oneof":
                group = self.next()
                self.expect("{")
                self.body(message, group)
            elif token in ("option", "reserved", "extensions", "extend"):
                self.skip_statement()
            elif token == "map":
                self.map_field(message, oneof)
            else:
                label = "optional"
                if token in ("optional", "required", "repeated"):
                    label, token = token, self.next()
                self.field(message, token, label, oneof)

    def field(self, message: Message, type_name: str, label: str, oneof: str | None) -> None:
        name = self.next()
        self.expect("=")
        number = self.number()
        self.finish_field()
        f = Field(name, number, type_name, "scalar", label, oneof)
        if type_name not in SCALARS or type_name in _NOT_SCALAR:
            f.kind = "message"
            self.pending.append((message.name, f))
        message.fields[number] = f

    def map_field(self, message: Message, oneof: str | None) -> None:
        self.expect("<")
        key_type = self.next()
        self.expect(",")
        value_type = self.next()
        self.expect(">")
        name = self.next()
        self.expect("=")
        number = self.number()
        self.finish_field()
        entry_name = (
            f"{message.name}.{''.join(p[:1].upper() + p[1:] for p in name.split('_'))}Entry"
        )
        entry = Message(entry_name, map_entry=True)
        entry.fields[1] = Field("key", 1, key_type, "scalar", "optional")
        value = Field("value", 2, value_type, "scalar", "optional")
        if value_type not in SCALARS:
            value.kind = "message"
            self.pending.append((message.name, value))
        entry.fields[2] = value
        self.proto.messages[entry_name] = entry
        message.fields[number] = Field(name, number, entry_name, "message", "repeated", oneof)

    def number(self) -> int:
        token = self.next()
        try:
            return int(token, 0)
        except ValueError:
            raise _ParseError(f"field number {token!r} is not a number") from None

    def finish_field(self) -> None:
        if self.peek() == "[":
            depth = 0
            while True:
                token = self.next()
                depth += token == "["
                depth -= token == "]"
                if depth == 0:
                    break
        self.expect(";")

    def enum(self, prefix: str) -> None:
        name = prefix + self.next()
        values: dict[str, int] = {}
        self.expect("{")
        while True:
            token = self.next()
            if token == "}":
                break
            if token == ";":
                continue
            if token in ("option", "reserved"):
                self.skip_statement()
                continue
            self.expect("=")
            values[token] = self.number()
            self.finish_field()
        self.proto.enums[name] = values

    def resolve(self, scope: str, f: Field) -> None:
        """Protobuf's scoping: the innermost enclosing scope that defines the name."""
        written = f.type
        if written.startswith("."):
            candidates = [written[1:]]
        else:
            parts = scope.split(".")
            candidates = [".".join([*parts[:i], written]) for i in range(len(parts), -1, -1)]
            candidates = [c.lstrip(".") for c in candidates]
        for candidate in candidates:
            if candidate in self.proto.messages:
                f.type, f.kind = candidate, "message"
                return
            if candidate in self.proto.enums:
                f.type, f.kind = candidate, "enum"
                return
        f.type = written.lstrip(".")  # an imported type
