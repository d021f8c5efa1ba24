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

Text is read into ``protobuf_text.ProtoFile``, a descriptor converted into the same model,
so both forms compare alike. Text schemas are served ``?format=serialized`` as a descriptor
built from the model; descriptors are served as text rendered from it.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from typing import Any

from kafkalite.registry.errors import RegistryError
from kafkalite.registry.protobuf_text import (
    SCALARS,
    Field,
    Message,
    ParseError,
    ProtoFile,
    read_proto,
    render,
)
from kafkalite.registry.schema_types import ParsedSchema, Reference

__all__ = ["ProtobufSchema", "as_text", "parse_protobuf", "serialized"]

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
        return ProtobufSchema(text, read_proto(text))
    except ParseError as exc:
        raise RegistryError.invalid_schema(f"{text[:200]}, details: {exc}") from None


def as_text(text: str) -> str:
    """A stored schema as ``.proto`` text (rendered from a base64 descriptor)."""
    stripped = text.strip()
    return render(_from_descriptor(stripped)) if _looks_serialized(stripped) else text


def serialized(text: str) -> str:
    """The base64 ``FileDescriptorProto`` of a stored schema."""
    stripped = text.strip()
    if _looks_serialized(stripped):
        return stripped
    proto = read_proto(text)
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
