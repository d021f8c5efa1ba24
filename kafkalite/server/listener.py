"""One node's listeners: accept connections on each of its endpoints (one port per
listener: PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL), track their tasks, close them.

An SSL or SASL_SSL endpoint wraps its connections in TLS (the runtime's server context);
a SASL endpoint makes its connections authenticate before anything but ApiVersions.

Shutdown (hypercorn/aiohttp style, without polling): stop accepting; set ``closing`` so idle
connections close at once and long polls answer early; wait for requests in flight up to the
shutdown timeout; cancel what is left. The runtime then closes the cluster, which flushes
and writes the clean-shutdown marker.

A node that stops (or a paused broker) closes its listener the same way with no grace:
requests in flight are abandoned unanswered, as when a broker's network goes away.

Connection limits: past ``max.connections`` open connections, or ``max.connections.per.ip``
from one address, a new connection is closed at accept with a log line (Kafka's
``ConnectionQuotas`` closes the per-address excess the same way; for the node-wide limit it
instead leaves new connections waiting in the accept backlog). A sweep, a few times per
``connections.max.idle.ms`` or ``kafkalite.request.read.timeout.ms`` (whichever is
shorter, at most once a second), closes idle and stalled connections
(``ClientConnection.expire``).
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from collections import Counter
from functools import partial
from typing import TYPE_CHECKING

from kafkalite.server.connection import ClientConnection

if TYPE_CHECKING:
    from kafkalite.cluster import Endpoint, Node
    from kafkalite.runtime import Runtime

log = logging.getLogger(__name__)


class Listener:
    def __init__(self, runtime: Runtime, node: Node) -> None:
        self.runtime = runtime
        self.node = node
        self.closing = asyncio.Event()
        self.black_hole_lifted = asyncio.Event()
        self._servers: list[asyncio.Server] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._connections: set[ClientConnection] = set()
        self._per_address: Counter[str] = Counter()
        self._sweep_timer: asyncio.TimerHandle | None = None

    async def start(self) -> None:
        """Bind every endpoint; a port 0 becomes the bound port (advertised too, unless
        ``advertised.listeners`` says otherwise), kept for later starts."""
        try:
            for endpoint in self.node.endpoints:
                tls = endpoint.security_protocol in ("SSL", "SASL_SSL")
                server = await asyncio.start_server(
                    partial(self._accept, endpoint),
                    endpoint.host,
                    endpoint.port,
                    ssl=(
                        self.runtime.tls_context(
                            self.runtime.config.ssl_client_auth_for(endpoint.listener)
                        )
                        if tls
                        else None
                    ),
                    backlog=512,
                    limit=1 << 20,
                )
                self._servers.append(server)
                self._warn_if_open(endpoint)
                port = server.sockets[0].getsockname()[1]
                if endpoint.port == 0:
                    endpoint.port = port
                    if endpoint.advertised_port == 0:
                        endpoint.advertised_port = port
        except BaseException:
            for server in self._servers:
                server.close()
            self._servers.clear()
            raise
        self._schedule_sweep()

    def _warn_if_open(self, endpoint: Endpoint) -> None:
        """Anyone who can reach a non-loopback address may use a listener that does not
        authenticate its clients: say so once, at bind time."""
        config = self.runtime.config
        authenticated = endpoint.security_protocol.startswith("SASL_") or (
            endpoint.security_protocol == "SSL"
            and config.ssl_client_auth_for(endpoint.listener) == "required"
        )
        if authenticated or self.node.id != config.node_id:
            return
        try:
            loopback = ipaddress.ip_address(endpoint.host).is_loopback
        except ValueError:
            loopback = endpoint.host == "localhost"
        if not loopback:
            log.warning(
                "listener %s binds %s without authentication: anyone who reaches it may read "
                "and write every topic", endpoint.listener, endpoint.host or "every address",
            )

    def _refused(self, address: str) -> str | None:
        """Why a new connection from ``address`` is over a limit, or None (the limits as
        set at start or at run time, ``max.connections`` and ``max.connections.per.ip``)."""
        config = self.runtime.cluster.broker_config(self.node.id)
        if len(self._connections) >= config.max_connections:
            return f"the node has the configured maximum of {config.max_connections} connections"
        if self._per_address[address] >= config.max_connections_per_ip:
            return (
                f"address already has the configured maximum of "
                f"{config.max_connections_per_ip} connections (max.connections.per.ip)"
            )
        return None

    async def _accept(
        self, endpoint: Endpoint, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        peer = writer.get_extra_info("peername")
        address = str(peer[0]) if isinstance(peer, tuple) else str(peer)
        refused = self._refused(address)
        if refused is not None:
            log.info("node %d: rejected connection from %s: %s", self.node.id, address, refused)
            writer.transport.abort()
            return
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        connection = ClientConnection(self, endpoint, reader, writer)
        self._connections.add(connection)
        self._per_address[address] += 1
        try:
            await connection.run()
        except Exception:
            log.exception("connection task failed")
        finally:
            self._connections.discard(connection)
            self._per_address[address] -= 1
            if not self._per_address[address]:
                del self._per_address[address]
            self._tasks.discard(task)

    def _schedule_sweep(self) -> None:
        config = self.runtime.config
        idle_ms = config.connections_max_idle_ms
        shortest = min(
            config.request_read_timeout_ms, idle_ms if idle_ms >= 0 else config.request_read_timeout_ms
        )
        interval = min(1.0, max(0.01, shortest / 4000))
        self._sweep_timer = asyncio.get_running_loop().call_later(interval, self._sweep)

    def _sweep(self) -> None:
        config = self.runtime.config
        idle_ms = config.connections_max_idle_ms
        idle_s = idle_ms / 1000 if idle_ms >= 0 else None
        now = asyncio.get_running_loop().time()
        for connection in list(self._connections):
            connection.expire(now, idle_s, config.request_read_timeout_ms / 1000)
        self._schedule_sweep()

    def drop_connections(self) -> int:
        """Close every open connection now (requests in flight go unanswered)."""
        connections = list(self._connections)
        for connection in connections:
            connection.writer.transport.abort()
        if connections:
            log.info("node %d: dropped %d connection(s)", self.node.id, len(connections))
        return len(connections)

    def release_black_hole(self) -> None:
        """Wake requests held by a black hole: they are answered now."""
        self.black_hole_lifted.set()
        self.black_hole_lifted = asyncio.Event()

    async def stop_accepting(self) -> None:
        if not self._servers:
            return
        # CPython 3.11 drops, without closing it, a connection that was accepted but not
        # yet given its transport when the server closes (Server._attach asserts and
        # _accept_connection2 swallows the error): that client would hang instead of
        # seeing the broker go away. So stop accepting first, then let the accepts in
        # progress finish (an accept callback and its task take one loop turn each);
        # close() then closes those connections with the rest.
        loop = asyncio.get_running_loop()
        for server in self._servers:
            for sock in server.sockets:
                loop.remove_reader(sock.fileno())
        for _ in range(2):
            await asyncio.sleep(0)

    async def close(self, timeout: float) -> None:
        if self._sweep_timer is not None:
            self._sweep_timer.cancel()
            self._sweep_timer = None
        for server in self._servers:
            server.close()
        self.closing.set()
        self.release_black_hole()
        # A connection accepted just before close() has its task created but not started:
        # let it run once, so it registers, sees `closing` and closes its socket, rather
        # than being cancelled before it ever ran and leaving the client hanging.
        await asyncio.sleep(0)
        for connection in list(self._connections):
            connection.close_if_idle()
        tasks = set(self._tasks)
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=timeout) if timeout > 0 else (
                set(), tasks
            )
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending, timeout=5)
        for server in self._servers:
            await server.wait_closed()
