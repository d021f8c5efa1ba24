"""Avro schemas, parsed and checked by Apache Avro's Python library (``avro``).

Its ``ReaderWriterCompatibilityChecker`` is the Python port of Java's
``SchemaCompatibility``, the class Confluent's registry calls: Avro's schema-resolution
rules (promotions int→long→float→double, string↔bytes, reader fields missing in the writer
need a default, enum symbols, union branches, names, fixed sizes). References are parsed
first, into the same name table, so the schema can use their named types.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from kafkalite.registry.errors import RegistryError
from kafkalite.registry.schema_types import ParsedSchema, Reference

__all__ = ["AvroSchema", "parse_avro"]


class AvroSchema(ParsedSchema):
    schema_type = "AVRO"

    def __init__(self, data: Any, schema: Any) -> None:
        self.data = data
        self.schema = schema

    def canonical(self) -> str:
        return json.dumps(self.data, separators=(",", ":"), ensure_ascii=False)

    def normalized(self) -> str:
        return json.dumps(self.data, separators=(",", ":"), ensure_ascii=False, sort_keys=True)

    def incompatibilities(self, *, reader: ParsedSchema, writer: ParsedSchema) -> list[str]:
        from avro.compatibility import ReaderWriterCompatibilityChecker, SchemaCompatibilityType

        assert isinstance(reader, AvroSchema) and isinstance(writer, AvroSchema)
        checker = ReaderWriterCompatibilityChecker()  # type: ignore[no-untyped-call,unused-ignore]
        result = checker.get_compatibility(reader.schema, writer.schema)
        if result.compatibility is SchemaCompatibilityType.compatible:
            return []
        kinds = ", ".join(sorted({kind.name.upper() for kind in result.incompatibilities}))
        where = ", ".join(sorted(result.locations))
        detail = "; ".join(sorted(result.messages))
        return [f"{{errorType:'{kinds}', location:'{where}', description:'{detail}'}}"]


def parse_avro(text: str, references: Sequence[Reference] = ()) -> AvroSchema:
    import avro.errors
    from avro.name import Names
    from avro.schema import make_avsc_object

    names = Names()
    try:
        for reference in references:
            make_avsc_object(json.loads(reference.schema), names)
    except (ValueError, avro.errors.AvroException) as exc:
        raise RegistryError.invalid_schema(f"reference: {exc}") from None
    try:
        data = json.loads(text)
        schema = make_avsc_object(data, names)
    except json.JSONDecodeError as exc:
        raise RegistryError.invalid_schema(f"{text[:200]}, details: not JSON: {exc}") from None
    except (ValueError, TypeError, AttributeError, avro.errors.AvroException) as exc:
        raise RegistryError.invalid_schema(f"{text[:200]}, details: {exc}") from None
    return AvroSchema(data, schema)
