"""Accept connections, track their tasks, and shut down gracefully.

Shutdown (hypercorn/aiohttp style, without polling): stop accepting; set ``closing`` so idle
connections close at once and long polls answer early; wait for requests in flight up to the
shutdown timeout; cancel what is left; then the broker flushes and writes its clean-shutdown
marker.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from kafkalite.server.connection import ClientConnection

if TYPE_CHECKING:
    from kafkalite.broker import Broker

log = logging.getLogger(__name__)


class Listener:
    def __init__(self, broker: Broker, host: str, port: int) -> None:
        self.broker = broker
        self.host = host
        self.port = port
        self.closing = asyncio.Event()
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._connections: set[ClientConnection] = set()

    async def start(self) -> tuple[str, int]:
        self._server = await asyncio.start_server(
            self._accept, self.host, self.port, backlog=512, limit=1 << 20
        )
        bound = self._server.sockets[0].getsockname()
        self.port = bound[1]
        return bound[0], bound[1]

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        connection = ClientConnection(self.broker, reader, writer, self.closing)
        self._connections.add(connection)
        try:
            await connection.run()
        except Exception:
            log.exception("connection task failed")
        finally:
            self._connections.discard(connection)
            self._tasks.discard(task)

    async def close(self, timeout: float) -> None:
        if self._server is not None:
            self._server.close()
        self.closing.set()
        # A connection accepted just before close() has its task created but not started:
        # let it run once, so it registers, sees `closing` and closes its socket, rather
        # than being cancelled before it ever ran and leaving the client hanging.
        await asyncio.sleep(0)
        for connection in list(self._connections):
            connection.close_if_idle()
        tasks = set(self._tasks)
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=timeout)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending, timeout=5)
        if self._server is not None:
            await self._server.wait_closed()
