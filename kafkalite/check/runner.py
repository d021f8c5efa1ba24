"""Runs the selected checks one after the other, each bounded in time.

A check runs in a daemon thread; if it has not finished after its ``timeout_s`` it is
reported failed ("timed out") and the run moves on (its sockets time out on their own).
Clean-up runs whatever the result: a check's groups are deleted at its end, in its thread,
and the topics of every check together once the run ends.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from kafkalite.check.context import CheckContext, Settings, delete_leftover_topics
from kafkalite.check.registry import AREAS, CHECKS, Check, Failed, Skip

__all__ = ["Result", "load_checks", "run_checks", "select"]

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"


@dataclass(slots=True)
class Result:
    check: Check
    result: str
    reason: str = ""
    seconds: float = 0.0
    exchanges: list[dict[str, str]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.check.name

    @property
    def area(self) -> str:
        return self.check.area


def load_checks() -> dict[str, Check]:
    """Import every area module (each registers its checks) and return the registry."""
    from kafkalite.check import areas  # noqa: F401  (registers on import)

    return CHECKS


def select(only: Iterable[str] | None = None) -> list[Check]:
    """Checks of the given areas or names (all when ``only`` is empty), in area order."""
    checks = load_checks()
    wanted = {item.strip() for item in only or () if item.strip()}
    unknown = {w for w in wanted if w not in AREAS and w not in checks}
    if unknown:
        raise ValueError(
            f"unknown area or check: {', '.join(sorted(unknown))} (areas: {', '.join(AREAS)})"
        )
    chosen = [c for c in checks.values() if not wanted or c.area in wanted or c.name in wanted]
    return sorted(chosen, key=lambda c: AREAS.index(c.area))


def run_one(check: Check, settings: Settings) -> Result:
    if check.destructive and not settings.allow_destructive:
        return Result(check, SKIPPED, "destructive: run with --allow-destructive")
    outcome: list[Result] = []
    context = CheckContext(settings, check.name)

    def body() -> None:
        started = time.monotonic()
        try:
            note = check.run(context)
            result = Result(check, PASSED, note or "")
        except Skip as exc:
            result = Result(check, SKIPPED, str(exc))
        except Failed as exc:
            result = Result(check, FAILED, str(exc) or "failed")
        except Exception as exc:  # a check's own bug or a broken connection: still a failure
            where = traceback.extract_tb(exc.__traceback__)[-1]
            result = Result(
                check,
                FAILED,
                f"{type(exc).__name__}: {exc} (at {where.name}:{where.lineno})",
            )
        finally:
            context.close()
        if result.result == FAILED:
            result.exchanges = [exchange.summary() for exchange in context.trail]
        result.seconds = time.monotonic() - started
        outcome.append(result)

    thread = threading.Thread(target=body, name=check.name, daemon=True)
    thread.start()
    thread.join(check.timeout_s + settings.timeout_s)
    if outcome:
        return outcome[0]
    return Result(
        check,
        FAILED,
        f"timed out after {check.timeout_s + settings.timeout_s:.0f} s",
        check.timeout_s + settings.timeout_s,
        [exchange.summary() for exchange in list(context.trail)],
    )


def run_checks(
    checks: list[Check],
    settings: Settings,
    progress: Callable[[int, int, Check, Result | None], None] | None = None,
) -> list[Result]:
    results = []
    try:
        for index, check in enumerate(checks, 1):
            if progress is not None:
                progress(index, len(checks), check, None)
            result = run_one(check, settings)
            results.append(result)
            if progress is not None:
                progress(index, len(checks), check, result)
    finally:
        left = delete_leftover_topics(settings)
        if left:
            print(
                f"kafkalite check: could not delete {len(left)} topics: {', '.join(left[:5])}...",
                file=sys.stderr,
            )
    return results
