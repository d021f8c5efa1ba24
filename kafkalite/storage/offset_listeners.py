"""Change events of a partition log: who to call when its high watermark or LSO moves.

``OffsetListeners`` remembers the ``(high watermark, last stable offset)`` pair it last
reported; ``changed(pair)`` calls every registered callback, synchronously and in
registration order, only when the pair differs from that one, so each move is reported
exactly once however many code paths check. A callback that raises is logged and the
others still run: a fetch waiter's bug must not fail the append that woke it. Callbacks may
add or remove listeners while being called (the list is copied first).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable

__all__ = ["OffsetListeners"]

log = logging.getLogger(__name__)


class OffsetListeners:
    """The listeners of one log, and the offsets they last heard of."""

    def __init__(self, name: str, offsets: tuple[int, int]) -> None:
        self._name = name
        self._callbacks: list[Callable[[], None]] = []
        self._reported = offsets

    def add(self, callback: Callable[[], None]) -> None:
        self._callbacks.append(callback)

    def remove(self, callback: Callable[[], None]) -> None:
        """Forget ``callback``; one not registered is ignored."""
        with contextlib.suppress(ValueError):
            self._callbacks.remove(callback)

    def changed(self, offsets: tuple[int, int]) -> None:
        """Call every listener if ``offsets`` differs from the last pair reported."""
        if offsets == self._reported:
            return
        self._reported = offsets
        for callback in tuple(self._callbacks):
            try:
                callback()
            except Exception:
                log.exception("%s: offset listener %r failed", self._name, callback)
