"""Compatibility levels and which earlier versions a new schema is checked against.

BACKWARD: the new schema reads data written with the previous one (reader new, writer old);
FORWARD: the previous schema reads data written with the new one (reader old, writer new);
FULL: both. The ``_TRANSITIVE`` forms check every earlier live version instead of the latest
only; NONE checks nothing. Confluent's default is BACKWARD.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kafkalite.registry.schema_types import ParsedSchema

__all__ = ["DEFAULT_LEVEL", "LEVELS", "check"]

LEVELS = (
    "NONE",
    "BACKWARD",
    "BACKWARD_TRANSITIVE",
    "FORWARD",
    "FORWARD_TRANSITIVE",
    "FULL",
    "FULL_TRANSITIVE",
)
DEFAULT_LEVEL = "BACKWARD"


def check(level: str, new: ParsedSchema, previous: Sequence[ParsedSchema]) -> list[str]:
    """Why ``new`` breaks ``level`` against ``previous`` (oldest first); empty if it does not."""
    if level == "NONE" or not previous:
        return []
    targets = list(previous) if level.endswith("_TRANSITIVE") else [previous[-1]]
    base = level.removesuffix("_TRANSITIVE")
    messages: list[str] = []
    for old in reversed(targets):
        if base in ("BACKWARD", "FULL"):
            messages += new.incompatibilities(reader=new, writer=old)
        if base in ("FORWARD", "FULL"):
            messages += new.incompatibilities(reader=old, writer=new)
        if messages:
            break
    return messages
