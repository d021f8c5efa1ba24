"""How ``kafkalite consume`` prints a record.

Two styles:

``--format FMT`` (kcat's ``-f``; the default is ``%s\\n``, the value alone). Tokens:
``%t`` topic, ``%p`` partition, ``%o`` offset, ``%k`` key, ``%s`` value, ``%K`` key length,
``%S`` value length (-1 when null), ``%h`` headers as ``name=value`` joined by ``,``,
``%T`` timestamp in ms, ``%%`` a percent sign; escapes ``\\n \\t \\r \\0 \\\\``. Nothing is
added: end the format with ``\\n`` for one record per line. As in kcat, a null key or value
prints as nothing (or ``--null-literal``) and a null header value as ``NULL``.

``--property print.key=true`` ... (kafka-console-consumer.sh's DefaultMessageFormatter):
``print.timestamp`` (``CreateTime:<ms>``), ``print.partition`` (``Partition:<n>``),
``print.offset`` (``Offset:<n>``), ``print.headers`` (``k:v,k:v`` or ``NO_HEADERS``),
``print.key``, ``print.value`` (default true), joined by ``key.separator`` (TAB), then
``line.separator`` (newline); ``headers.separator`` (``,``), ``headers.key.separator``
(``:``), ``null.literal`` (``null``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from kafkalite.client.records import ConsumerRecord
from kafkalite.tools.common import unescape

__all__ = ["DEFAULT_FORMAT", "Formatter", "FormatError", "kafka_formatter", "kcat_formatter"]

Formatter = Callable[[ConsumerRecord], bytes]
DEFAULT_FORMAT = "%s\\n"

_TIMESTAMP_TYPES = {0: b"CreateTime", 1: b"LogAppendTime"}
_BOOLEAN_PROPERTIES = (
    "print.timestamp",
    "print.partition",
    "print.offset",
    "print.headers",
    "print.key",
    "print.value",
)
_TEXT_PROPERTIES = (
    "key.separator",
    "line.separator",
    "headers.separator",
    "headers.key.separator",
    "null.literal",
)
KAFKA_PROPERTIES = frozenset(_BOOLEAN_PROPERTIES + _TEXT_PROPERTIES)


class FormatError(ValueError):
    pass


def _number(value: int) -> bytes:
    return str(value).encode()


def _headers_kcat(record: ConsumerRecord) -> bytes:
    return b",".join(
        name.encode() + b"=" + (b"NULL" if value is None else value)
        for name, value in record.headers
    )


def kcat_formatter(fmt: str, null_literal: bytes = b"") -> Formatter:
    """Compile a kcat-style format string into a function of a record."""

    def key(r: ConsumerRecord) -> bytes:
        return null_literal if r.key is None else r.key

    def value(r: ConsumerRecord) -> bytes:
        return null_literal if r.value is None else r.value

    tokens: dict[str, Formatter] = {
        "t": lambda r: r.topic.encode(),
        "p": lambda r: _number(r.partition),
        "o": lambda r: _number(r.offset),
        "k": key,
        "s": value,
        "K": lambda r: _number(-1 if r.key is None else len(r.key)),
        "S": lambda r: _number(-1 if r.value is None else len(r.value)),
        "h": _headers_kcat,
        "T": lambda r: _number(r.timestamp),
    }
    parts: list[bytes | Formatter] = []
    text = unescape(fmt)
    literal = bytearray()
    i = 0
    while i < len(text):
        char = text[i]
        if char != "%":
            literal += char.encode()
            i += 1
            continue
        if i + 1 >= len(text):
            raise FormatError("format ends with a lone '%'")
        token = text[i + 1]
        i += 2
        if token == "%":
            literal += b"%"
            continue
        if token not in tokens:
            raise FormatError(
                f"unknown format token %{token} (known: %t %p %o %k %s %K %S %h %T %%)"
            )
        if literal:
            parts.append(bytes(literal))
            literal.clear()
        parts.append(tokens[token])
    if literal:
        parts.append(bytes(literal))

    def render(record: ConsumerRecord) -> bytes:
        return b"".join(part if isinstance(part, bytes) else part(record) for part in parts)

    return render


def kafka_formatter(properties: Mapping[str, str]) -> Formatter:
    """kafka-console-consumer.sh's output for ``--property`` settings."""
    unknown = set(properties) - KAFKA_PROPERTIES
    if unknown:
        raise FormatError(f"unknown formatter properties: {', '.join(sorted(unknown))}")
    flags = {}
    for name in _BOOLEAN_PROPERTIES:
        raw = properties.get(name, "true" if name == "print.value" else "false").strip().lower()
        if raw not in ("true", "false"):
            raise FormatError(f"{name} must be true or false, not {raw!r}")
        flags[name] = raw == "true"
    separator = unescape(properties.get("key.separator", "\t")).encode()
    line_separator = unescape(properties.get("line.separator", "\n")).encode()
    headers_separator = unescape(properties.get("headers.separator", ",")).encode()
    headers_key_separator = unescape(properties.get("headers.key.separator", ":")).encode()
    null_literal = properties.get("null.literal", "null").encode()
    order = [name for name in _BOOLEAN_PROPERTIES if flags[name]]

    def field(name: str, r: ConsumerRecord) -> bytes:
        if name == "print.timestamp":
            kind = _TIMESTAMP_TYPES.get(r.timestamp_type)
            return (
                b"NO_TIMESTAMP"
                if kind is None or r.timestamp < 0
                else kind + b":" + _number(r.timestamp)
            )
        if name == "print.partition":
            return b"Partition:" + _number(r.partition)
        if name == "print.offset":
            return b"Offset:" + _number(r.offset)
        if name == "print.headers":
            if not r.headers:
                return b"NO_HEADERS"
            return headers_separator.join(
                k.encode() + headers_key_separator + (null_literal if v is None else v)
                for k, v in r.headers
            )
        data = r.key if name == "print.key" else r.value
        return null_literal if data is None else data

    def render(record: ConsumerRecord) -> bytes:
        # Fields are joined by key.separator; the last one printed ends the line.
        if not order:
            return b""
        return separator.join(field(name, record) for name in order) + line_separator

    return render
