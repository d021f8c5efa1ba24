"""Close and reopen a running broker's listener: the fault behind ``KafkaliteServer.pause()``.

``pause_listener`` closes the listening socket, so new connections are refused, and closes
every client connection at once: requests in flight are abandoned unanswered (the handler
task is cancelled, as at the end of a shutdown timeout). The broker's state (logs, groups,
producer ids) stays in memory. ``resume_listener`` binds the same host and port again.
To a client this is a broker whose network went away and came back: it sees its
connections drop, reconnect attempts fail, then succeed.

Both run on the broker's event loop.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from kafkalite.server.listener import Listener

if TYPE_CHECKING:
    from kafkalite.broker import Broker

__all__ = ["pause_listener", "resume_listener"]


async def pause_listener(broker: Broker) -> None:
    """Stop accepting and drop every connection; a no-op if already paused."""
    # Broker keeps its listener in a private attribute; Broker.stop() closes whatever is
    # there, so swapping it here keeps stop() correct whether or not the broker is paused.
    listener = broker._listener
    if not isinstance(listener, Listener):
        return
    broker._listener = None
    server = listener._server
    if server is not None:
        # CPython 3.11 drops, without closing it, a connection that was accepted but not
        # yet given its transport when the server closes (Server._attach asserts and
        # _accept_connection2 swallows the error): that client would hang instead of
        # seeing the broker go away. So stop accepting first, then let the accepts in
        # progress finish (an accept callback and its task take one loop turn each);
        # Listener.close() then closes those connections with the rest.
        loop = asyncio.get_running_loop()
        for sock in server.sockets:
            loop.remove_reader(sock.fileno())
        for _ in range(2):
            await asyncio.sleep(0)
    await listener.close(timeout=0)


async def resume_listener(broker: Broker) -> tuple[str, int]:
    """Listen again on the address the broker was started on; raises ``OSError``."""
    listener = broker._listener
    if isinstance(listener, Listener):
        return listener.host, listener.port
    listener = Listener(broker, broker.config.host, broker.config.port)
    address = await listener.start()
    broker._listener = listener
    return address
