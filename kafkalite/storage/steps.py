"""Work done in steps: a generator that yields ``None`` where the event loop may run other
work, or a callable that blocks (an fsync, a ``syncfs``) and may run on a worker thread.
Its return value is the result.

``run_now`` runs every step at once, calling the blocking parts inline (start-up, tests,
callers that are not coroutines); ``run_sliced`` lets the event loop run between steps and
runs the blocking parts with ``asyncio.to_thread``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Generator
from typing import Any, TypeAlias, TypeVar

__all__ = ["Steps", "run_now", "run_sliced"]

T = TypeVar("T")
Steps: TypeAlias = Generator["Callable[[], Any] | None", None, T]


def run_now(steps: Steps[T]) -> T:
    try:
        item = next(steps)
        while True:
            if item is None:
                item = next(steps)
                continue
            try:
                item()
            except BaseException as exc:  # the steps see it where they yielded the call
                item = steps.throw(exc)
            else:
                item = next(steps)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


async def run_sliced(steps: Steps[T]) -> T:
    try:
        item = next(steps)
        while True:
            if item is None:
                await asyncio.sleep(0)
                item = next(steps)
                continue
            try:
                await asyncio.to_thread(item)
            except BaseException as exc:
                item = steps.throw(exc)
            else:
                item = next(steps)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
