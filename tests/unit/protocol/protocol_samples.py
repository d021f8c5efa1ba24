"""Sample messages built from the message specs, shared by the protocol tests.

``sample(spec, version)`` fills every field the version carries with a value that differs
from the field's default, so a field the codec drops, swaps or writes at the wrong version
shows up in a round trip. Every primitive gets a distinct value (a running counter), strings
hold a non-ASCII character (their byte length differs from their length), arrays get one or
two elements and ``records`` a real v2 record batch.

``plain``/``from_plain`` convert a message to JSON-ready values and back (bytes as hex, UUIDs
as text), walking only the fields the version carries; comparing plain forms compares
``records`` (a ``memoryview`` after decoding) by their bytes.

The ``kp_*`` functions map our messages to and from kafka-python's ``kafka.protocol`` classes,
an implementation built from Kafka's own message definitions; they import kafka-python lazily.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kafkalite.protocol.messages import REQUESTS, RESPONSES, ApiKey
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec

REPO = Path(__file__).resolve().parents[3]
ZERO_UUID = uuid.UUID(int=0)

# Two records (offsets 0-1, keys b"k" and null, a header on the second), magic 2, no
# compression, made once with kafka-python's MemoryRecordsBuilder. The codec never parses
# records; a real batch just keeps the samples honest.
RECORD_BATCH = bytes.fromhex(
    "00000000000000000000004e0000000002507addb40000000000010000018bcfe568000000018bcfe568"
    "01ffffffffffffffffffffffffffff0000000218000000026b0a68656c6c6f001e000202010a776f726c"
    "640202680276"
)

_INT_BASE = {
    "int8": 10,
    "int16": 1_000,
    "int32": 100_000,
    "int64": 1 << 40,
    "uint16": 40_000,  # above the int16 range: proves the field is unsigned
    "uint32": 3_000_000_000,
}
_INT_SPAN = {"int8": 100, "int16": 20_000, "uint16": 20_000}


# --- which messages and versions exist ----------------------------------------------------


def all_messages() -> Iterator[tuple[ApiKey, str, MessageSpec, int]]:
    """(api key, "request"/"response", spec, version) for every version of every message."""
    for api_key in sorted(REQUESTS):
        for kind, table in (("request", REQUESTS), ("response", RESPONSES)):
            spec = table[api_key]
            for version in spec.valid:
                yield api_key, kind, spec, version


def served_ranges() -> dict[ApiKey, tuple[int, int]]:
    """The ranges of ``kafkalite.handlers.HANDLERS``; read from the file text when the
    package cannot be imported yet (its handlers import the storage layer)."""
    try:
        from kafkalite.handlers import SERVED
    except Exception:  # noqa: BLE001 - any import failure: fall back to the text
        text = (REPO / "kafkalite" / "handlers" / "__init__.py").read_text()
        pattern = r"ApiKey\.(\w+):\s*Handler\(\s*[\w.]+\s*,\s*(\d+)\s*,\s*(\d+)\s*\)"
        return {
            ApiKey[name]: (int(low), int(high)) for name, low, high in re.findall(pattern, text)
        }
    return dict(SERVED)


def carried(field: FieldSpec, version: int, flexible: bool) -> bool:
    """Whether ``field`` is on the wire at ``version`` (tagged fields only when flexible)."""
    return version in field.versions and (field.tag is None or flexible)


# --- building samples ---------------------------------------------------------------------


class _Counter:
    def __init__(self) -> None:
        self.n = 0

    def next(self) -> int:
        self.n += 1
        return self.n


def sample(spec: MessageSpec, version: int, *, elements: int = 2, nulls: bool = False) -> Any:
    """An instance of ``spec.cls`` with a non-default value in every field ``version`` carries.

    With ``nulls``, every field that is nullable at ``version`` holds null instead.
    """
    return _sample_struct(spec, version, version in spec.flexible, elements, nulls, _Counter())


def _sample_struct(
    spec: StructSpec, version: int, flexible: bool, elements: int, nulls: bool, counter: _Counter
) -> Any:
    values = {}
    for field in spec.fields:
        if carried(field, version, flexible):
            values[field.name] = sample_field(field, version, flexible, elements, nulls, counter)
    return spec.cls(**values)


def sample_field(
    field: FieldSpec,
    version: int,
    flexible: bool,
    elements: int = 2,
    nulls: bool = False,
    counter: _Counter | None = None,
) -> Any:
    """A non-default value for ``field`` (null when ``nulls`` and the field is nullable)."""
    counter = counter or _Counter()
    if nulls and version in field.nullable:
        return None
    if field.type == "struct":
        assert field.struct is not None
        return _sample_struct(field.struct, version, flexible, elements, nulls, counter)
    if field.type == "array":
        if field.struct is not None:
            return [
                _sample_struct(field.struct, version, flexible, elements, nulls, counter)
                for _ in range(elements)
            ]
        return [
            _primitive(field.of or "", None, field.name, counter.next()) for _ in range(elements)
        ]
    return _primitive(field.type, field.default, field.name, counter.next())


def _primitive(type_: str, default: Any, name: str, n: int) -> Any:
    if type_ == "bool":
        return not default
    if type_ in _INT_BASE:
        value = _INT_BASE[type_] + n % _INT_SPAN.get(type_, 1 << 20)
        return value + 1 if value == default else value
    if type_ == "float64":
        return n + 0.25
    if type_ == "string":
        return f"{name}-{n}-é"
    if type_ == "bytes":
        return bytes([n % 256, 0, 255]) + name.encode()
    if type_ == "uuid":
        return uuid.UUID(int=(0xC0FFEE << 96) | n)
    if type_ == "records":
        return RECORD_BATCH
    raise ValueError(f"unknown type {type_!r}")


# --- plain (JSON-ready) values ------------------------------------------------------------


def plain(spec: MessageSpec, version: int, message: Any) -> dict[str, Any]:
    """``message`` as JSON-ready values, only the fields ``version`` carries."""
    return _plain_struct(spec, version, version in spec.flexible, message)


def _plain_struct(spec: StructSpec, version: int, flexible: bool, message: Any) -> dict[str, Any]:
    return {
        field.name: _plain_field(field, version, flexible, getattr(message, field.name))
        for field in spec.fields
        if carried(field, version, flexible)
    }


def _plain_field(field: FieldSpec, version: int, flexible: bool, value: Any) -> Any:
    if value is None:
        return None
    if field.type == "struct":
        assert field.struct is not None
        return _plain_struct(field.struct, version, flexible, value)
    if field.type == "array":
        if field.struct is not None:
            return [_plain_struct(field.struct, version, flexible, item) for item in value]
        return [_plain_value(field.of or "", item) for item in value]
    return _plain_value(field.type, value)


def _plain_value(type_: str, value: Any) -> Any:
    if value is None:
        return None
    if type_ in ("bytes", "records"):
        return bytes(value).hex()
    if type_ == "uuid":
        return str(value)
    return value


def from_plain(spec: MessageSpec, version: int, data: dict[str, Any]) -> Any:
    """The message ``plain`` was made from (fields the version lacks take their defaults)."""
    return _from_plain_struct(spec, version, version in spec.flexible, data)


def _from_plain_struct(spec: StructSpec, version: int, flexible: bool, data: dict[str, Any]) -> Any:
    values = {}
    for field in spec.fields:
        if carried(field, version, flexible):
            values[field.name] = _from_plain_field(field, version, flexible, data[field.name])
    return spec.cls(**values)


def _from_plain_field(field: FieldSpec, version: int, flexible: bool, value: Any) -> Any:
    if value is None:
        return None
    if field.type == "struct":
        assert field.struct is not None
        return _from_plain_struct(field.struct, version, flexible, value)
    if field.type == "array":
        if field.struct is not None:
            return [_from_plain_struct(field.struct, version, flexible, item) for item in value]
        return [_from_plain_value(field.of or "", item) for item in value]
    return _from_plain_value(field.type, value)


def _from_plain_value(type_: str, value: Any) -> Any:
    if value is None:
        return None
    if type_ in ("bytes", "records"):
        return bytes.fromhex(value)
    if type_ == "uuid":
        return uuid.UUID(value)
    return value


# --- kafka-python --------------------------------------------------------------------------


def kp_class(api_key: int, kind: str) -> Any:
    """kafka-python's ``ApiMessage`` class for an API's request or response, or None."""
    import kafka.protocol.admin  # noqa: F401 - importing registers the classes
    import kafka.protocol.consumer  # noqa: F401
    import kafka.protocol.metadata  # noqa: F401
    import kafka.protocol.producer  # noqa: F401
    import kafka.protocol.sasl  # noqa: F401
    from kafka.protocol.api_message import ApiMessage

    pending = list(ApiMessage.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls._class_version is None and api_key == cls.API_KEY and cls.type == kind:
            return cls
    return None


# Our names for fields kafka-python names after Kafka's (test_schema_vs_upstream.RENAMES).
_KP_RENAMES = {
    "transactional_id": "v3_and_below_transactional_id",
    "producer_id": "v3_and_below_producer_id",
    "producer_epoch": "v3_and_below_producer_epoch",
    "topics": "v3_and_below_topics",
    "results_by_topic": "results_by_topic_v3_and_below",
}


def _kp_name(name: str, kp_fields: Any) -> str:
    if name in kp_fields:
        return name
    # kafka-python renames {cluster,topic}_authorized_operations to authorized_operations and
    # reads them as a set of bits (kafka/protocol/metadata/metadata.py, admin/cluster.py).
    if name.endswith("_authorized_operations"):
        return "authorized_operations"
    return _KP_RENAMES.get(name, name)


def _is_bitfield(kp_field: Any) -> bool:
    from kafka.protocol.schemas.fields.codecs import BitField

    return getattr(kp_field, "_type", None) is BitField


def _to_bitfield(value: int) -> set[int] | None:
    bits = {b for b in range(32) if (value & 0xFFFFFFFF) >> b & 1}
    return None if bits == {31} else bits  # kafka-python's null for INT32_MIN


def _from_bitfield(bits: set[int] | None) -> int:
    raw = sum(1 << b for b in ({31} if bits is None else bits))
    return raw - (1 << 32) if raw & 0x80000000 else raw


def to_kp(spec: MessageSpec, version: int, message: Any, kp_cls: Any) -> Any:
    """kafka-python's object for ``message`` at ``version``."""
    kwargs = _kp_kwargs(spec, version, version in spec.flexible, message, kp_cls.fields)
    return kp_cls[version](**kwargs)


def _kp_kwargs(
    spec: StructSpec, version: int, flexible: bool, message: Any, kp_fields: Any
) -> dict[str, Any]:
    kwargs = {}
    for field in spec.fields:
        if not carried(field, version, flexible):
            continue
        name = _kp_name(field.name, kp_fields)
        kp_field = kp_fields[name]
        value = getattr(message, field.name)
        if value is None:
            kwargs[name] = None
        elif field.type == "struct":
            assert field.struct is not None
            nested = _kp_kwargs(field.struct, version, flexible, value, kp_field.data_class.fields)
            kwargs[name] = kp_field.data_class(**nested)
        elif field.type == "array" and field.struct is not None:
            kwargs[name] = [
                kp_field.data_class(
                    **_kp_kwargs(field.struct, version, flexible, item, kp_field.data_class.fields)
                )
                for item in value
            ]
        elif _is_bitfield(kp_field):
            kwargs[name] = _to_bitfield(value)
        elif field.type == "records":
            kwargs[name] = bytes(value)
        else:
            kwargs[name] = value
    return kwargs


def kp_plain(spec: MessageSpec, version: int, kp_message: Any) -> dict[str, Any]:
    """A kafka-python object as the values ``plain`` gives for ours."""
    return _kp_plain_struct(
        spec, version, version in spec.flexible, kp_message, type(kp_message).fields
    )


def _kp_plain_struct(
    spec: StructSpec, version: int, flexible: bool, kp_obj: Any, kp_fields: Any
) -> dict[str, Any]:
    out = {}
    for field in spec.fields:
        if not carried(field, version, flexible):
            continue
        name = _kp_name(field.name, kp_fields)
        kp_field = kp_fields[name]
        value = getattr(kp_obj, name)
        if _is_bitfield(kp_field):
            out[field.name] = _from_bitfield(value)
        elif field.type == "uuid":
            out[field.name] = str(
                ZERO_UUID if value is None else value
            )  # kafka-python: zero is None
        elif value is None:
            out[field.name] = None
        elif field.type == "struct":
            assert field.struct is not None
            out[field.name] = _kp_plain_struct(
                field.struct, version, flexible, value, kp_field.data_class.fields
            )
        elif field.type == "array":
            if field.struct is not None:
                out[field.name] = [
                    _kp_plain_struct(
                        field.struct, version, flexible, item, kp_field.data_class.fields
                    )
                    for item in value
                ]
            else:
                out[field.name] = [_plain_value(field.of or "", item) for item in value]
        else:
            out[field.name] = _plain_value(field.type, value)
    return out


def kp_encode_request(kp_request: Any, correlation_id: int, client_id: str | None) -> bytes:
    """The request frame body (header and message, no size prefix) kafka-python sends."""
    kp_request.with_header(correlation_id=correlation_id, client_id=client_id)
    return bytes(kp_request.encode(header=True))


def kp_decode_response(kp_cls: Any, version: int, frame_body: bytes) -> Any:
    """kafka-python's reading of a response frame body (header and message, no size prefix)."""
    return kp_cls[version].decode(frame_body, header=True)
