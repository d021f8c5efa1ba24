"""The types generated message modules are built from.

A message is described once, for every version it has (Kafka's "MessageData objects do not
contain a version number"). The codec reads these specs and compiles a reader and a writer
per (struct, version, flexible) the first time that combination is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["FieldSpec", "MessageSpec", "StructSpec", "VersionRange", "versions"]

_MAX_VERSION = 0x7FFF


@dataclass(frozen=True, slots=True)
class VersionRange:
    """An inclusive range of versions; ``low > high`` means no version at all."""

    low: int
    high: int

    def __contains__(self, version: object) -> bool:
        return isinstance(version, int) and self.low <= version <= self.high

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(range(self.low, self.high + 1))

    @property
    def empty(self) -> bool:
        return self.low > self.high

    def __str__(self) -> str:
        if self.empty:
            return "none"
        if self.high == _MAX_VERSION:
            return f"{self.low}+"
        return f"{self.low}" if self.low == self.high else f"{self.low}-{self.high}"


def versions(text: str) -> VersionRange:
    """Parse ``"3+"``, ``"1-8"``, ``"5"`` or ``"none"``."""
    if text == "none":
        return VersionRange(1, 0)
    if text.endswith("+"):
        return VersionRange(int(text[:-1]), _MAX_VERSION)
    low, _, high = text.partition("-")
    return VersionRange(int(low), int(high or low))


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field of a struct, with its wire facts.

    ``type`` is a primitive name, ``"array"`` or ``"struct"``. For arrays, ``of`` names the
    element primitive, or ``struct`` gives the element struct. ``default`` is the value used
    when the field is absent; arrays default to an empty list, structs to a default instance.
    """

    name: str
    type: str
    versions: VersionRange
    nullable: VersionRange = VersionRange(1, 0)
    default: Any = None
    tag: int | None = None
    ignorable: bool = False
    legacy: bool = False
    of: str | None = None
    struct: StructSpec | None = None


@dataclass(frozen=True, slots=True)
class StructSpec:
    """A struct: the dataclass it decodes into and its fields in wire order."""

    cls: type
    fields: tuple[FieldSpec, ...]


@dataclass(frozen=True, slots=True)
class MessageSpec(StructSpec):
    """A top-level message: a request, a response, a header or an embedded blob."""

    name: str = ""
    api_key: int = -1
    valid: VersionRange = VersionRange(1, 0)
    flexible: VersionRange = VersionRange(1, 0)
