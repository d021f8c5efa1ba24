"""Waiting on the cluster without polling: long-poll fetches and the control API's waits.

``PartitionWaiters`` wakes whoever waits on a partition when the cluster reports a change
to it (new data, a moved high watermark or last stable offset, a new leader): long-poll
Fetch requests wait here.

``ConditionWaiters`` holds predicates over the whole cluster ("group g is stable with 3
members", "the committed offset of g for t-0 reached 100"); each is checked after every
request the runtime answers, on every partition change, and on a coarse tick while any is
pending (a group's session timeout can change its state with no request at all).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable

__all__ = ["ConditionWaiters", "PartitionWaiters"]

log = logging.getLogger(__name__)

_TICK_S = 0.05


class PartitionWaiters:
    def __init__(self) -> None:
        self._waiters: dict[tuple[str, int], set[asyncio.Future[None]]] = {}

    def wake(self, topic: str, partition: int) -> None:
        waiters = self._waiters.pop((topic, partition), None)
        if waiters:
            for waiter in waiters:
                if not waiter.done():
                    waiter.set_result(None)

    async def wait(
        self, partitions: Iterable[tuple[str, int]], timeout: float, closing: asyncio.Event
    ) -> None:
        """Return when any of ``partitions`` changes, ``closing`` is set, or ``timeout``
        seconds pass."""
        if timeout <= 0 or closing.is_set():
            return
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[None] = loop.create_future()
        keys = list(partitions)
        for key in keys:
            self._waiters.setdefault(key, set()).add(waiter)

        def wake(*_: object) -> None:
            if not waiter.done():
                waiter.set_result(None)

        closing_task = asyncio.ensure_future(closing.wait())
        closing_task.add_done_callback(wake)
        handle = loop.call_later(timeout, wake)
        try:
            await waiter
        finally:
            handle.cancel()
            closing_task.cancel()
            for key in keys:
                waiters = self._waiters.get(key)
                if waiters is not None:
                    waiters.discard(waiter)
                    if not waiters:
                        del self._waiters[key]


class ConditionWaiters:
    def __init__(self) -> None:
        self._pending: list[tuple[Callable[[], bool], asyncio.Future[None]]] = []
        self._ticker: asyncio.TimerHandle | None = None

    async def wait(self, predicate: Callable[[], bool], timeout: float) -> bool:
        """True once ``predicate()`` holds, False if ``timeout`` seconds pass first."""
        if predicate():
            return True
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        entry = (predicate, future)
        self._pending.append(entry)
        self._schedule_tick()
        try:
            await asyncio.wait_for(asyncio.shield(future), timeout)
            return True
        except TimeoutError:
            return predicate()
        finally:
            if entry in self._pending:
                self._pending.remove(entry)

    def check(self, *_: object) -> None:
        for predicate, future in list(self._pending):
            if future.done():
                continue
            try:
                done = predicate()
            except Exception:  # a waiter's predicate must not break request handling
                log.exception("a wait condition failed; it will be checked again")
                continue
            if done:
                future.set_result(None)

    def _schedule_tick(self) -> None:
        if self._ticker is None and self._pending:
            self._ticker = asyncio.get_running_loop().call_later(_TICK_S, self._tick)

    def _tick(self) -> None:
        self._ticker = None
        self.check()
        self._schedule_tick()
