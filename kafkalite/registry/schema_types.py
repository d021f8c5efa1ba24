"""The three schema types: parsing a registered schema, the text that identifies it, and the
compatibility check between two schemas of one type.

``parse(schema_type, text, references)`` returns a ``ParsedSchema`` or raises
``RegistryError`` 42201 (invalid schema). ``references`` are the referenced schemas' texts,
resolved by the registry, dependencies before dependents.

Each type's module imports its library lazily (Avro: Apache Avro's own Python library, which
implements Avro's schema-resolution compatibility; JSON Schema: ``jsonschema`` validates,
the compatibility rules are ours; Protobuf: our ``.proto`` reader), so importing this
package costs nothing until a schema arrives.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kafkalite.registry.errors import RegistryError

__all__ = ["SCHEMA_TYPES", "ParsedSchema", "Reference", "parse"]

SCHEMA_TYPES = ("JSON", "PROTOBUF", "AVRO")  # GET /schemas/types, in Confluent's order


@dataclass(frozen=True, slots=True)
class Reference:
    """A named reference to ``subject`` at ``version``, with the text it resolved to."""

    name: str
    subject: str
    version: int
    schema: str = ""


class ParsedSchema:
    schema_type: str = ""

    def canonical(self) -> str:
        """The text stored and compared: the schema without insignificant whitespace."""
        raise NotImplementedError

    def normalized(self) -> str:
        """The text under ``normalize=true``: equal for schemas that differ only in order."""
        return self.canonical()

    def incompatibilities(self, *, reader: ParsedSchema, writer: ParsedSchema) -> list[str]:
        """Why ``reader`` cannot read what ``writer`` wrote; empty when it can."""
        raise NotImplementedError


def parse(schema_type: str, text: str, references: Sequence[Reference] = ()) -> ParsedSchema:
    if schema_type == "AVRO":
        from kafkalite.registry.avro_schema import parse_avro

        return parse_avro(text, references)
    if schema_type == "JSON":
        from kafkalite.registry.json_schema import parse_json_schema

        return parse_json_schema(text, references)
    if schema_type == "PROTOBUF":
        from kafkalite.registry.protobuf_schema import parse_protobuf

        return parse_protobuf(text, references)
    raise RegistryError.invalid_schema(
        f"of unknown type {schema_type!r}: valid types are {', '.join(SCHEMA_TYPES)}"
    )


def formatted(schema_type: str, text: str, fmt: str | None) -> str:
    """A stored schema in the ``format`` a client asked for: Protobuf's ``serialized`` is
    the base64 ``FileDescriptorProto`` its deserializers want, and otherwise ``.proto`` text
    (rendered from a registered descriptor, as Confluent answers); other types as stored."""
    if schema_type == "PROTOBUF":
        from kafkalite.registry.protobuf_schema import as_text, serialized

        return serialized(text) if fmt == "serialized" else as_text(text)
    return text
