"""``RequestMemory``: ``queued.max.request.bytes``, the bytes of requests being read.

A connection that has read a frame's size prefix reserves the whole frame before reading
the rest, and gives it back once the request is decoded (or the connection closes). While
the reservations of all connections would pass the limit, a connection waits unread, as
Kafka mutes a channel its ``MemoryPool`` cannot serve (``SocketServer.Processor``), and
resumes when another gives memory back. A frame larger than the whole limit is let through
when nothing else is reserved, so it is never refused outright; ``socket.request.max.bytes``
caps a single frame.
"""

from __future__ import annotations

import asyncio

__all__ = ["RequestMemory"]


class RequestMemory:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.reserved = 0
        self.waiting = 0
        self._released = asyncio.Event()

    def _fits(self, size: int) -> bool:
        return self.reserved == 0 or self.reserved + size <= self.limit

    async def reserve(self, size: int) -> None:
        while not self._fits(size):
            self.waiting += 1
            try:
                await self._released.wait()
            finally:
                self.waiting -= 1
        self.reserved += size

    def release(self, size: int) -> None:
        self.reserved -= size
        released, self._released = self._released, asyncio.Event()
        released.set()
