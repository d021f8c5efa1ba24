"""Keyed one-shot timers for the coordinator (Kafka's `CoordinatorTimer` in miniature).

A timer is identified by a key such as `("heartbeat", group_id, member_id)`; scheduling
a key again replaces the earlier deadline, which is how a heartbeat pushes a session
out. Callbacks run on the event loop that owns the groups, never concurrently.

- `LoopTimer` runs callbacks with `loop.call_later`; the broker uses it.
- `ManualTimer` keeps its own clock that moves only in `advance()`, so tests step
  through session and rebalance timeouts deterministically without sleeping.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Callable
from typing import Protocol

__all__ = ["LoopTimer", "ManualTimer", "Timer", "TimerKey"]

TimerKey = tuple[str, ...]


class Timer(Protocol):
    def schedule(self, key: TimerKey, delay_ms: int, callback: Callable[[], None]) -> None:
        """Run `callback` after `delay_ms`, replacing any timer with the same key."""

    def cancel(self, key: TimerKey) -> None:
        """Forget the timer with this key, if any."""

    def cancel_all(self) -> None:
        """Forget every timer."""


class LoopTimer:
    """Timers on an asyncio loop (the running loop unless one is given)."""

    def __init__(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self._loop = loop
        self._handles: dict[TimerKey, asyncio.TimerHandle] = {}

    def schedule(self, key: TimerKey, delay_ms: int, callback: Callable[[], None]) -> None:
        self.cancel(key)
        loop = self._loop or asyncio.get_running_loop()
        self._handles[key] = loop.call_later(max(delay_ms, 0) / 1000, self._fire, key, callback)

    def cancel(self, key: TimerKey) -> None:
        handle = self._handles.pop(key, None)
        if handle is not None:
            handle.cancel()

    def cancel_all(self) -> None:
        for handle in self._handles.values():
            handle.cancel()
        self._handles.clear()

    def __len__(self) -> int:
        return len(self._handles)

    def _fire(self, key: TimerKey, callback: Callable[[], None]) -> None:
        del self._handles[key]
        callback()


class ManualTimer:
    """A fake clock plus timers, for tests: nothing fires until `advance()`."""

    def __init__(self, start_ms: int = 0, *, max_callbacks_per_advance: int = 10_000) -> None:
        self.now_ms = start_ms
        self._max_callbacks = max_callbacks_per_advance
        self._entries: dict[TimerKey, tuple[int, int, Callable[[], None]]] = {}
        self._heap: list[tuple[int, int, TimerKey]] = []
        self._sequence = itertools.count()

    def schedule(self, key: TimerKey, delay_ms: int, callback: Callable[[], None]) -> None:
        deadline = self.now_ms + max(delay_ms, 0)
        sequence = next(self._sequence)
        self._entries[key] = (deadline, sequence, callback)
        heapq.heappush(self._heap, (deadline, sequence, key))

    def cancel(self, key: TimerKey) -> None:
        self._entries.pop(key, None)  # its heap item is skipped when popped

    def cancel_all(self) -> None:
        self._entries.clear()
        self._heap.clear()

    def deadline(self, key: TimerKey) -> int | None:
        entry = self._entries.get(key)
        return None if entry is None else entry[0]

    def __len__(self) -> int:
        return len(self._entries)

    def advance(self, ms: int = 0) -> int:
        """Move the clock forward by `ms`, firing due timers in deadline order.

        Timers scheduled by callbacks fire too if they fall due within the window.
        Returns how many fired; raises RuntimeError past the per-call bound, which
        only a callback that keeps rescheduling itself at zero delay can reach.
        """
        target = self.now_ms + ms
        fired = 0
        while (due := self._pop_due(target)) is not None:
            if fired >= self._max_callbacks:
                raise RuntimeError("ManualTimer.advance: too many callbacks, a timer loops")
            deadline, callback = due
            self.now_ms = max(self.now_ms, deadline)
            callback()
            fired += 1
        self.now_ms = target
        return fired

    def _pop_due(self, target: int) -> tuple[int, Callable[[], None]] | None:
        while self._heap:
            deadline, sequence, key = self._heap[0]
            entry = self._entries.get(key)
            if entry is None or entry[1] != sequence:
                heapq.heappop(self._heap)  # cancelled or rescheduled
                continue
            if deadline > target:
                return None
            heapq.heappop(self._heap)
            del self._entries[key]
            return deadline, entry[2]
        return None
