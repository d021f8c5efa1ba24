"""Checks: named, documented scenarios, each verifying one Kafka behaviour.

A check is a function of a ``CheckContext`` registered with ``@check``; it returns (passed,
optionally with a note such as the release a broker's versions match),
or raises ``Skip`` (it does not apply to this broker, or its client library is missing) or
``Failed`` (the broker answered differently from Apache Kafka). Any other exception is a
failure too, reported with its type and message. ``source`` names where the behaviour is
specified: a KIP, the protocol guide, or the Kafka class that implements it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kafkalite.check.context import CheckContext

__all__ = ["AREAS", "CHECKS", "Check", "Failed", "Skip", "check", "expect", "expect_code"]

#: Areas in the order they run and are reported.
AREAS = (
    "api_versions",
    "metadata",
    "produce",
    "idempotence",
    "transactions",
    "fetch",
    "list_offsets",
    "groups",
    "new_groups",
    "admin",
    "malformed",
    "clients",
)


class Skip(Exception):
    """The check does not apply; the message says why."""


class Failed(AssertionError):
    """The broker's behaviour differs from Kafka's; the message says how."""


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    area: str
    verifies: str
    source: str
    run: Callable[[CheckContext], str | None]
    destructive: bool = False
    timeout_s: float = 20.0


CHECKS: dict[str, Check] = {}


def check(
    area: str, verifies: str, source: str, *, destructive: bool = False, timeout_s: float = 20.0
) -> Callable[[Callable[[CheckContext], str | None]], Callable[[CheckContext], str | None]]:
    """Register the decorated function as a check named ``<area>.<function name>``."""
    if area not in AREAS:
        raise ValueError(f"unknown area {area!r}")

    def register(fn: Callable[[CheckContext], str | None]) -> Callable[[CheckContext], str | None]:
        name = f"{area}.{fn.__name__}"
        if name in CHECKS:
            raise ValueError(f"check {name} registered twice")
        CHECKS[name] = Check(name, area, verifies, source, fn, destructive, timeout_s)
        return fn

    return register


def expect(condition: object, message: str) -> None:
    if not condition:
        raise Failed(message)


def expect_code(actual: int, expected: int | tuple[int, ...], what: str) -> None:
    """Fail unless ``actual`` is (one of) ``expected``, naming both by their Kafka names."""
    from kafkalite.client.errors import error_name

    wanted = expected if isinstance(expected, tuple) else (expected,)
    if actual not in wanted:
        names = " or ".join(error_name(code) for code in wanted)
        raise Failed(f"{what}: expected {names}, got {error_name(actual)}")
