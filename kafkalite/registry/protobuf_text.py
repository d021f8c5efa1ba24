"""Protobuf schemas as a small model (``ProtoFile``: messages with their fields by number,
enums), read from ``.proto`` text and rendered back to it.

The reader covers messages, nested types, enums, ``map<K, V>`` (a nested ``...Entry``
message, as ``protoc`` makes it), ``oneof``, labels, packages and imports; options,
services, extensions and reserved ranges are read past. Type names are resolved by
protobuf's scoping rules; a name no scope defines (an imported type) keeps its spelling.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

__all__ = ["SCALARS", "Field", "Message", "ParseError", "ProtoFile", "read_proto", "render"]

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


def render(proto: ProtoFile) -> str:
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


class ParseError(ValueError):
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
            raise ParseError(f"unexpected character {text[pos]!r} at {pos}")
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
            raise ParseError("unexpected end of schema")
        self.pos += 1
        return token

    def expect(self, wanted: str) -> None:
        token = self.next()
        if token != wanted:
            raise ParseError(f"expected {wanted!r}, found {token!r}")

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
            raise ParseError("empty schema")
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
                raise ParseError(f"unexpected {token!r}")
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
            raise ParseError(f"field number {token!r} is not a number") from None

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


def read_proto(text: str) -> ProtoFile:
    """The model of ``.proto`` text; ``ParseError`` when it is not one."""
    return _Reader(text).read()
