"""Schema-driven, sans-I/O encoder and decoder for Kafka messages.

``decode(spec, version, buf)`` turns bytes into the message's class; ``encode(spec, msg,
version)`` turns a message into a list of chunks: ``bytes`` and ``FileSlice`` objects, the
latter being record bytes the I/O layer sends straight from a segment file (after h11's ``send_with_data_passthrough``). Reader and writer closures are compiled once per
(struct, version, flexible) from the specs in ``kafkalite.protocol.messages`` and cached, as
kio's ``_compile_schema`` does; the hot path is then a flat loop of small functions.

Rules (Kafka protocol guide, KIP-482):
- flexible versions use compact strings/bytes/arrays (uvarint length + 1) and end every struct
  with a tagged-field section; fields marked ``legacy`` keep the int16 form (request header
  ``client_id``);
- ``records`` decode to a ``memoryview`` of the frame (no copy) and encode from bytes-like
  objects or a ``FileSlice``;
- a non-ignorable field that the negotiated version lacks must hold its default, otherwise the
  encode fails with ``EncodeError`` (Kafka's generator enforces the same);
- unknown tagged fields are skipped; a struct claiming more than ``MAX_TAGGED_FIELDS`` of
  them is a malformed request (the connection closes with a log line). Kafka's schemas give
  a struct a handful of tags and clients send only those, so the cap refuses nothing a
  client sends, while millions of empty tags in one request would otherwise hold the event
  loop for seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from functools import partial
from typing import Any, TypeAlias

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.errors import EncodeError, MalformedRequest
from kafkalite.protocol.primitives import (
    FIXED,
    read_length,
    read_uvarint,
    take,
    write_length,
    write_uvarint,
)
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec

__all__ = [
    "STEP",
    "Chunk",
    "chunks_size",
    "decode",
    "decode_in_steps",
    "encode",
    "encode_bytes",
    "encode_in_steps",
]

Chunk: TypeAlias = bytes | FileSlice
Reader = Callable[[memoryview, int], tuple[Any, int]]
Writer = Callable[["_Out", Any], None]


class _Out(bytearray):
    """The encode buffer; ``slices`` remembers where file slices go between its bytes."""

    __slots__ = ("slices",)

    def __init__(self) -> None:
        super().__init__()
        self.slices: list[tuple[int, FileSlice]] = []


_readers: dict[tuple[int, int, bool], Reader] = {}
_writers: dict[tuple[int, int, bool], Writer] = {}


def decode(
    spec: MessageSpec, version: int, buf: bytes | bytearray | memoryview, pos: int = 0
) -> tuple[Any, int]:
    """Decode one message of ``spec`` at ``version``; returns the object and the end position."""
    view = buf if isinstance(buf, memoryview) else memoryview(buf)
    return _struct_reader(spec, version, version in spec.flexible)(view, pos)


def encode(spec: MessageSpec, message: Any, version: int) -> list[Chunk]:
    """Encode ``message`` at ``version`` into byte runs and file slices, in wire order."""
    out = _Out()
    _struct_writer(spec, version, version in spec.flexible)(out, message)
    return _chunks(out)


def _chunks(out: _Out) -> list[Any]:
    if not out.slices:
        return [bytes(out)]
    chunks: list[Chunk] = []
    start = 0
    for position, file_slice in out.slices:
        if position > start:
            chunks.append(bytes(out[start:position]))
        chunks.append(file_slice)
        start = position
    if start < len(out):
        chunks.append(bytes(out[start:]))
    return chunks


def encode_bytes(spec: MessageSpec, message: Any, version: int) -> bytes:
    """Encode a message that carries no file slices (headers, embedded blobs, tests)."""
    out = _Out()
    _struct_writer(spec, version, version in spec.flexible)(out, message)
    if out.slices:
        raise EncodeError(f"{spec.name} carries file slices; use encode()")
    return bytes(out)


def chunks_size(chunks: list[Chunk]) -> int:
    return sum(c.length if isinstance(c, FileSlice) else len(c) for c in chunks)


# --- readers ---------------------------------------------------------------------------


def _struct_reader(spec: StructSpec, version: int, flexible: bool) -> Reader:
    key = (id(spec), version, flexible)
    reader = _readers.get(key)
    if reader is None:
        reader = _readers[key] = _compile_struct_reader(spec, version, flexible)
    return reader


def _compile_struct_reader(spec: StructSpec, version: int, flexible: bool) -> Reader:
    steps: list[tuple[str, Reader]] = []
    tagged: dict[int, tuple[str, Reader]] = {}
    for field in spec.fields:
        if version not in field.versions:
            continue
        if field.tag is not None:
            if flexible:
                tagged[field.tag] = (field.name, _field_reader(field, version, flexible))
        else:
            steps.append((field.name, _field_reader(field, version, flexible)))
    cls = spec.cls

    def read(buf: memoryview, pos: int) -> tuple[Any, int]:
        values: dict[str, Any] = {}
        for name, field_reader in steps:
            values[name], pos = field_reader(buf, pos)
        if flexible:
            pos = _read_tagged_fields(buf, pos, tagged, values)
        return cls(**values), pos

    return read


MAX_TAGGED_FIELDS = 256
"""Tagged fields one struct may carry (see the module docstring)."""


def _read_tagged_fields(
    buf: memoryview, pos: int, tagged: dict[int, tuple[str, Reader]], values: dict[str, Any]
) -> int:
    count, pos = read_uvarint(buf, pos)
    if count > MAX_TAGGED_FIELDS:
        raise MalformedRequest(
            f"a struct claims {count} tagged fields; at most {MAX_TAGGED_FIELDS} are read"
        )
    for _ in range(count):
        tag, pos = read_uvarint(buf, pos)
        size, pos = read_uvarint(buf, pos)
        body, end = take(buf, pos, size)
        known = tagged.get(tag)
        if known is not None:  # unknown tags are skipped (KIP-482)
            values[known[0]], _ = known[1](body, 0)
        pos = end
    return pos


def _field_reader(field: FieldSpec, version: int, flexible: bool) -> Reader:
    nullable = version in field.nullable
    if field.type == "array":
        element = (
            _struct_reader(field.struct, version, flexible)
            if field.struct is not None
            else _value_reader(field.of or "", nullable=False, flexible=flexible, legacy=False)
        )
        return _array_reader(element, nullable, flexible, field.name)
    if field.type == "struct":
        assert field.struct is not None
        inner = _struct_reader(field.struct, version, flexible)
        if not nullable:
            return inner
        int8 = FIXED["int8"][0]

        def read_nullable_struct(buf: memoryview, pos: int) -> tuple[Any, int]:
            marker, pos = int8(buf, pos)
            return (None, pos) if marker < 0 else inner(buf, pos)

        return read_nullable_struct
    return _value_reader(
        field.type, nullable=nullable, flexible=flexible, legacy=field.legacy, name=field.name
    )


def _array_reader(element: Reader, nullable: bool, flexible: bool, name: str) -> Reader:
    def read_array(buf: memoryview, pos: int) -> tuple[Any, int]:
        count, pos = read_length(buf, pos, flexible, True)
        if count < 0:
            if nullable:
                return None, pos
            raise MalformedRequest(f"null array {name!r} is not nullable")
        if count > len(buf) - pos:  # every element takes at least one byte
            raise MalformedRequest(f"array {name!r} claims {count} elements")
        items = []
        for _ in range(count):
            item, pos = element(buf, pos)
            items.append(item)
        return items, pos

    return read_array


def _value_reader(
    type_: str, *, nullable: bool, flexible: bool, legacy: bool, name: str = ""
) -> Reader:
    fixed = FIXED.get(type_)
    if fixed is not None:
        return fixed[0]
    compact = flexible and not legacy
    wide = type_ != "string"

    def read_sized(buf: memoryview, pos: int) -> tuple[Any, int]:
        length, pos = read_length(buf, pos, compact, wide)
        if length < 0:
            if nullable:
                return None, pos
            raise MalformedRequest(f"null {type_} {name!r} is not nullable")
        view, pos = take(buf, pos, length)
        if type_ == "string":
            try:
                return str(view, "utf-8"), pos
            except UnicodeDecodeError:
                raise MalformedRequest(f"string {name!r} is not UTF-8") from None
        if type_ == "bytes":
            return bytes(view), pos
        return view, pos  # records: a view of the frame, never copied here

    if type_ not in ("string", "bytes", "records"):
        raise ValueError(f"unknown type {type_!r}")
    return read_sized


# --- writers ---------------------------------------------------------------------------


def _struct_writer(spec: StructSpec, version: int, flexible: bool) -> Writer:
    key = (id(spec), version, flexible)
    writer = _writers.get(key)
    if writer is None:
        writer = _writers[key] = _compile_struct_writer(spec, version, flexible)
    return writer


def _compile_struct_writer(spec: StructSpec, version: int, flexible: bool) -> Writer:
    steps: list[tuple[str, Writer]] = []
    tagged: list[tuple[int, str, Writer, Any]] = []
    absent: list[FieldSpec] = []
    for field in spec.fields:
        if version not in field.versions or (field.tag is not None and not flexible):
            if not field.ignorable:
                absent.append(field)
            continue
        writer = _field_writer(field, version, flexible)
        if field.tag is not None:
            tagged.append((field.tag, field.name, writer, field))
        else:
            steps.append((field.name, writer))
    tagged.sort(key=lambda entry: entry[0])
    tagged_checks = [(tag, name, writer, _default_check(field)) for tag, name, writer, field in tagged]
    struct_name = spec.cls.__name__

    def write(out: _Out, message: Any) -> None:
        for field in absent:
            if not _is_default(field, getattr(message, field.name)):
                raise EncodeError(
                    f"{struct_name}.{field.name} is not carried by version {version} "
                    f"and holds {getattr(message, field.name)!r}"
                )
        for name, field_writer in steps:
            field_writer(out, getattr(message, name))
        if flexible:
            present = [t for t in tagged_checks if not t[3](getattr(message, t[1]))]
            write_uvarint(out, len(present))
            for tag, name, field_writer, _ in present:
                body = _Out()
                field_writer(body, getattr(message, name))
                write_uvarint(out, tag)
                write_uvarint(out, len(body))
                out += body

    return write


def _is_default(field: FieldSpec, value: Any) -> bool:
    if field.type == "array":
        return (
            value is None or (field.default is None and len(value) == 0) or value == field.default
        )
    if field.type == "struct":
        return value is None or value == field.struct.cls()  # type: ignore[union-attr]
    return bool(value == field.default)


def _default_check(field: FieldSpec) -> Callable[[Any], bool]:
    """``_is_default`` for one field, with a struct's default instance built once: tagged
    fields are checked for every struct written, so this is on the hot path."""
    if field.type != "struct":
        return partial(_is_default, field)
    assert field.struct is not None
    default = field.struct.cls()

    def is_default(value: Any) -> bool:
        return value is None or value is default or value == default

    return is_default


def _field_writer(field: FieldSpec, version: int, flexible: bool) -> Writer:
    nullable = version in field.nullable
    where = field.name
    if field.type == "array":
        element = (
            _struct_writer(field.struct, version, flexible)
            if field.struct is not None
            else _value_writer(
                field.of or "", nullable=False, flexible=flexible, legacy=False, name=where
            )
        )

        def write_array(out: _Out, items: Any) -> None:
            if items is None:
                if not nullable:
                    raise EncodeError(f"{where} is not nullable at version {version}")
                write_length(out, -1, flexible, True)
                return
            write_length(out, len(items), flexible, True)
            for item in items:
                element(out, item)

        return write_array
    if field.type == "struct":
        assert field.struct is not None
        inner = _struct_writer(field.struct, version, flexible)
        if not nullable:
            return inner

        def write_nullable_struct(out: _Out, value: Any) -> None:
            if value is None:
                out.append(0xFF)
            else:
                out.append(1)
                inner(out, value)

        return write_nullable_struct
    return _value_writer(
        field.type, nullable=nullable, flexible=flexible, legacy=field.legacy, name=where
    )


def _value_writer(type_: str, *, nullable: bool, flexible: bool, legacy: bool, name: str) -> Writer:
    fixed = FIXED.get(type_)
    if fixed is not None:
        return fixed[1]
    compact = flexible and not legacy
    wide = type_ != "string"

    def write_sized(out: _Out, value: Any) -> None:
        if value is None:
            if not nullable:
                raise EncodeError(f"{name} is not nullable")
            write_length(out, -1, compact, wide)
            return
        if isinstance(value, FileSlice):
            write_length(out, value.length, compact, wide)
            out.slices.append((len(out), value))
            return
        data = value.encode("utf-8") if isinstance(value, str) else value
        write_length(out, len(data), compact, wide)
        out += data

    return write_sized


# --- in steps ----------------------------------------------------------------------------
#
# ``decode_in_steps`` and ``encode_in_steps`` give the same results as ``decode`` and
# ``encode`` but are generators that yield after every ``step`` array elements, so the I/O
# shell can let the event loop run between two slices of a large message (a Produce naming
# 400,000 partitions takes seconds to decode or answer in one go). Structs without arrays
# are read and written by the compiled closures; only the arrays are walked here.

STEP = 500
"""Array elements decoded or encoded between two yields."""


class _Tick:
    __slots__ = ("hold", "held", "left", "step")

    def __init__(self, step: int, hold: Callable[[FileSlice], Any] | None = None) -> None:
        self.step = step
        self.left = step
        self.hold = hold
        self.held = 0


Steps: TypeAlias = Generator[None, None, Any]
_read_plans: dict[tuple[int, int, bool], Any] = {}
_write_plans: dict[tuple[int, int, bool], Any] = {}


def decode_in_steps(
    spec: MessageSpec, version: int, buf: bytes | bytearray | memoryview, pos: int = 0,
    step: int = STEP,
) -> Generator[None, None, tuple[Any, int]]:
    """``decode``, yielding after every ``step`` array elements; returns (object, end)."""
    view = buf if isinstance(buf, memoryview) else memoryview(buf)
    result: tuple[Any, int] = yield from _read_struct_steps(
        spec, version, version in spec.flexible, view, pos, _Tick(step)
    )
    return result


def encode_in_steps(
    spec: MessageSpec, message: Any, version: int, step: int = STEP,
    hold: Callable[[FileSlice], Any] | None = None,
) -> Generator[None, None, list[Any]]:
    """``encode``, yielding after every ``step`` array elements. A ``FileSlice`` is only
    valid until the event loop runs again, so before each yield the slices written so far
    are passed to ``hold``, whose result (an object with a ``length``) takes their place in
    the chunks returned."""
    out = _Out()
    tick = _Tick(step, hold)
    yield from _write_struct_steps(spec, version, version in spec.flexible, out, message, tick)
    return _chunks(out)


def _has_arrays(spec: StructSpec, version: int) -> bool:
    return any(
        version in f.versions and f.tag is None and f.type == "array" for f in spec.fields
    )


def _read_plan(spec: StructSpec, version: int, flexible: bool) -> Any:
    """None for a struct without arrays (its compiled reader does); else its steps."""
    key = (id(spec), version, flexible)
    if key in _read_plans:
        return _read_plans[key]
    plan = None
    if _has_arrays(spec, version):
        steps: list[tuple[str, Reader, FieldSpec | None]] = []
        tagged: dict[int, tuple[str, Reader]] = {}
        for field in spec.fields:
            if version not in field.versions:
                continue
            if field.tag is not None:
                if flexible:
                    tagged[field.tag] = (field.name, _field_reader(field, version, flexible))
            elif field.type == "array":
                steps.append((field.name, _field_reader(field, version, flexible), field))
            else:
                steps.append((field.name, _field_reader(field, version, flexible), None))
        plan = (steps, tagged)
    _read_plans[key] = plan
    return plan


def _tick(tick: _Tick) -> bool:
    tick.left -= 1
    if tick.left > 0:
        return False
    tick.left = tick.step
    return True


def _read_struct_steps(
    spec: StructSpec, version: int, flexible: bool, buf: memoryview, pos: int, tick: _Tick
) -> Steps:
    plan = _read_plan(spec, version, flexible)
    if plan is None:
        return _struct_reader(spec, version, flexible)(buf, pos)
    steps, tagged = plan
    values: dict[str, Any] = {}
    for name, field_reader, field in steps:
        if field is None:
            values[name], pos = field_reader(buf, pos)
        else:
            values[name], pos = yield from _read_array_steps(field, version, flexible, buf, pos, tick)
    if flexible:
        pos = _read_tagged_fields(buf, pos, tagged, values)
    return spec.cls(**values), pos


def _read_array_steps(
    field: FieldSpec, version: int, flexible: bool, buf: memoryview, pos: int, tick: _Tick
) -> Steps:
    count, pos = read_length(buf, pos, flexible, True)
    if count < 0:
        if version in field.nullable:
            return None, pos
        raise MalformedRequest(f"null array {field.name!r} is not nullable")
    if count > len(buf) - pos:  # every element takes at least one byte
        raise MalformedRequest(f"array {field.name!r} claims {count} elements")
    nested = field.struct is not None and _read_plan(field.struct, version, flexible) is not None
    element = (
        _struct_reader(field.struct, version, flexible)
        if field.struct is not None
        else _value_reader(field.of or "", nullable=False, flexible=flexible, legacy=False)
    )
    items = []
    for _ in range(count):
        if nested:
            assert field.struct is not None
            item, pos = yield from _read_struct_steps(field.struct, version, flexible, buf, pos, tick)
        else:
            item, pos = element(buf, pos)
        items.append(item)
        if _tick(tick):
            yield
    return items, pos


def _write_plan(spec: StructSpec, version: int, flexible: bool) -> Any:
    key = (id(spec), version, flexible)
    if key in _write_plans:
        return _write_plans[key]
    plan = None
    if _has_arrays(spec, version):
        steps: list[tuple[str, Writer, FieldSpec | None]] = []
        tagged: list[tuple[int, str, Writer, Callable[[Any], bool]]] = []
        absent: list[FieldSpec] = []
        for field in spec.fields:
            if version not in field.versions or (field.tag is not None and not flexible):
                if not field.ignorable:
                    absent.append(field)
                continue
            writer = _field_writer(field, version, flexible)
            if field.tag is not None:
                tagged.append((field.tag, field.name, writer, _default_check(field)))
            else:
                steps.append((field.name, writer, field if field.type == "array" else None))
        tagged.sort(key=lambda entry: entry[0])
        plan = (steps, tagged, absent)
    _write_plans[key] = plan
    return plan


def _hold(out: _Out, tick: _Tick) -> None:
    if tick.hold is None:
        return
    for index in range(tick.held, len(out.slices)):
        position, file_slice = out.slices[index]
        out.slices[index] = (position, tick.hold(file_slice))
    tick.held = len(out.slices)


def _write_struct_steps(
    spec: StructSpec, version: int, flexible: bool, out: _Out, message: Any, tick: _Tick
) -> Steps:
    plan = _write_plan(spec, version, flexible)
    if plan is None:
        _struct_writer(spec, version, flexible)(out, message)
        return
    steps, tagged, absent = plan
    for field in absent:
        if not _is_default(field, getattr(message, field.name)):
            raise EncodeError(
                f"{spec.cls.__name__}.{field.name} is not carried by version {version} "
                f"and holds {getattr(message, field.name)!r}"
            )
    for name, field_writer, field in steps:
        value = getattr(message, name)
        if field is None or value is None:
            field_writer(out, value)
            continue
        write_length(out, len(value), flexible, True)
        nested = field.struct is not None and _write_plan(field.struct, version, flexible)
        element = (
            _struct_writer(field.struct, version, flexible)
            if field.struct is not None
            else _value_writer(
                field.of or "", nullable=False, flexible=flexible, legacy=False, name=name
            )
        )
        for item in value:
            if nested:
                assert field.struct is not None
                yield from _write_struct_steps(field.struct, version, flexible, out, item, tick)
            else:
                element(out, item)
            if _tick(tick):
                _hold(out, tick)
                yield
    if flexible:
        present = [t for t in tagged if not t[3](getattr(message, t[1]))]
        write_uvarint(out, len(present))
        for tag, name, field_writer, _ in present:
            body = _Out()
            field_writer(body, getattr(message, name))
            write_uvarint(out, tag)
            write_uvarint(out, len(body))
            out += body
