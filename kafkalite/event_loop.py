"""The event loop a broker runs on: asyncio's own, or uvloop's when the environment says
``KAFKALITE_EVENT_LOOP=uvloop`` and uvloop is installed (``pip install 'kafkalite[uvloop]'``).

uvloop costs about a third less CPU per request (``benchmarks/README.md``, latency.py), but
has no ``loop.sendfile``: fetch answers larger than ``server.sendfile.INLINE_BYTES`` are then
read and copied through Python, so asyncio's loop stays the default. Used by
``kafkalite serve``, the testing helpers' child process and their in-process thread.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Coroutine
from typing import Any, TypeVar

__all__ = ["ENV", "new_event_loop", "run"]

log = logging.getLogger(__name__)

ENV = "KAFKALITE_EVENT_LOOP"
_T = TypeVar("_T")


def new_event_loop() -> asyncio.AbstractEventLoop:
    """A new loop of the kind ``KAFKALITE_EVENT_LOOP`` names (``asyncio``, the default, or
    ``uvloop``); asyncio's when uvloop is asked for but not installed, with a warning."""
    choice = os.environ.get(ENV, "").strip().lower() or "asyncio"
    if choice == "uvloop":
        try:
            import uvloop
        except ImportError:
            log.warning("%s=uvloop but uvloop is not installed; using asyncio's loop", ENV)
        else:
            return uvloop.new_event_loop()  # type: ignore[no-any-return]
    elif choice != "asyncio":
        log.warning("%s=%r is not asyncio or uvloop; using asyncio's loop", ENV, choice)
    return asyncio.new_event_loop()


def run(main: Coroutine[Any, Any, _T]) -> _T:
    """``asyncio.run(main)`` on a loop from ``new_event_loop``."""
    with asyncio.Runner(loop_factory=new_event_loop) as runner:
        return runner.run(main)
