"""Helpers shared by the consumer-group handlers (JoinGroup through OffsetDelete)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

from kafkalite.handlers.context import RequestContext

__all__ = ["client_host", "unless_closing"]

_T = TypeVar("_T")


def client_host(ctx: RequestContext) -> str:
    """The member's host as Kafka reports it: ``InetAddress.toString()``, e.g. "/127.0.0.1"."""
    host = ctx.peer.rsplit(":", 1)[0] if ":" in ctx.peer else ctx.peer
    return f"/{host}"


async def unless_closing(ctx: RequestContext, work: Coroutine[Any, Any, _T]) -> _T | None:
    """Await ``work`` (a parked JoinGroup or SyncGroup); None if the broker starts
    shutting down first, in which case ``work`` is cancelled (shutdown: waits wake
    early). Cancelling the handler cancels ``work`` too."""
    task = asyncio.ensure_future(work)
    closing = asyncio.ensure_future(ctx.closing.wait())
    try:
        await asyncio.wait((task, closing), return_when=asyncio.FIRST_COMPLETED)
    finally:
        closing.cancel()
        if not task.done():
            task.cancel()
    if not task.done() or task.cancelled():
        return None
    return task.result()
