"""Reading what an HTTP client sent: a JSON object body or a query string, checked against
the fields a call takes.

A field spec maps each accepted name to its kind: ``int``, ``float``, ``str``, ``bool`` or
``name`` (an API or error code, by name or number). ``None`` (JSON ``null``) is accepted
for any field and means "not given". Unknown names and values of the wrong kind raise
``ValueError``, which the server answers with 400. Query strings carry text only: ``int``,
``float`` and ``bool`` fields are converted from it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Literal

__all__ = ["Kind", "check_fields", "parse_body", "parse_query", "timeout_s"]

Kind = Literal["int", "float", "str", "bool", "name"]


def parse_body(text: str) -> dict[str, Any]:
    """The JSON object ``text`` holds; an empty body is ``{}``."""
    if not text.strip():
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"the body is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError("the body must be a JSON object")
    return data


def check_fields(data: Mapping[str, Any], spec: Mapping[str, Kind]) -> dict[str, Any]:
    """``data`` with each value checked against ``spec``; None values are dropped."""
    unknown = sorted(set(data) - set(spec))
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(unknown)}; accepted: {', '.join(spec)}")
    checked: dict[str, Any] = {}
    for name, value in data.items():
        if value is None:
            continue
        kind = spec[name]
        if not _is_kind(value, kind):
            raise ValueError(f"{name} must be {_KIND_TEXT[kind]}, not {value!r}")
        checked[name] = float(value) if kind == "float" else value
    return checked


def parse_query(query: Mapping[str, str], spec: Mapping[str, Kind]) -> dict[str, Any]:
    """A query string's parameters, converted to ``spec``'s kinds and checked."""
    converted: dict[str, Any] = {}
    for name, text in query.items():
        kind = spec.get(name)
        try:
            if kind == "int":
                converted[name] = int(text)
            elif kind == "float":
                converted[name] = float(text)
            elif kind == "bool":
                converted[name] = _bool(text)
            else:
                converted[name] = text
        except ValueError:
            raise ValueError(f"{name} must be {_KIND_TEXT[kind or 'str']}, not {text!r}") from None
    return check_fields(converted, spec)


def timeout_s(data: dict[str, Any], default: float) -> float:
    """Pop ``timeout_ms`` or ``timeout`` (seconds) from checked ``data``; seconds."""
    if "timeout_ms" in data:
        return float(data.pop("timeout_ms")) / 1000
    if "timeout" in data:
        return float(data.pop("timeout"))
    return default


_KIND_TEXT: dict[str, str] = {
    "int": "an integer",
    "float": "a number",
    "str": "a string",
    "bool": "true or false",
    "name": "a name or a number",
}


def _is_kind(value: object, kind: Kind) -> bool:
    if kind == "bool":
        return isinstance(value, bool)
    if isinstance(value, bool):  # JSON true is not the number 1
        return False
    if kind == "int":
        return isinstance(value, int)
    if kind == "float":
        return isinstance(value, int | float)
    if kind == "str":
        return isinstance(value, str)
    return isinstance(value, int | str)


def _bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("true", "1", "yes", "on"):
        return True
    if lowered in ("false", "0", "no", "off"):
        return False
    raise ValueError(text)
