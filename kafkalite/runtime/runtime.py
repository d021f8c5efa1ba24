"""``Runtime``: the event-loop side of a kafkalite cluster.

It owns what the domain (``kafkalite.cluster.Cluster``) must not: one listener per node,
the connections, the waiters, node and network faults, and shutdown. ``kafkalite serve``,
``KafkaliteServer`` and embedding code all run a ``Runtime``:

    runtime = Runtime(BrokerConfig(port=0, brokers=3))
    await runtime.start()
    print(runtime.bootstrap_servers)      # "127.0.0.1:40001,127.0.0.1:40002,..."
    await runtime.stop()

Node faults, each a coroutine on the runtime's loop:
- ``stop_node(id)`` / ``start_node(id)``: the node's listener closes (connections dropped,
  new ones refused) and its partitions elect new leaders from their ISR; starting it binds
  the same port again and it rejoins;
- ``refuse_connections(id)`` / ``accept_connections(id)``: the network side only, no
  change of leadership (a node clients cannot reach);
- ``drop_connections(id)``: close every open connection of a node once;
- ``black_hole(id, on)``: connections stay open and requests are read but never answered,
  until the client times out (or the black hole is lifted);
- ``pause()`` / ``resume()``: every node's listener, as one broker whose network went away.

``control`` (``kafkalite.runtime.control.Control``) offers these, the fault plan, the
journal and waits as one API. With ``config.http_port`` set, ``start()`` also serves it over
HTTP on 127.0.0.1 (``kafkalite.http``, imported only then, so start-up stays fast without
it) and ``http_url`` says where; ``stop()`` closes that server first.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import shutil
import ssl
import time
from pathlib import Path
from typing import TYPE_CHECKING

from kafkalite.cluster import Cluster, Node
from kafkalite.config import BrokerConfig
from kafkalite.faults import FaultPlan, Journal
from kafkalite.runtime.control import Control
from kafkalite.runtime.waiters import ConditionWaiters, PartitionWaiters
from kafkalite.server.memory import RequestMemory
from kafkalite.stats import BrokerStats

if TYPE_CHECKING:
    from kafkalite.http.server import HttpServer
    from kafkalite.security.principal import PrincipalMapper
    from kafkalite.security.sasl import SaslUsers
    from kafkalite.server.listener import Listener

__all__ = ["Runtime"]

log = logging.getLogger(__name__)


class Runtime:
    def __init__(self, config: BrokerConfig) -> None:
        self.config = config
        self.cluster = Cluster(config)
        self.partition_waiters = PartitionWaiters()
        self.conditions = ConditionWaiters()
        self.cluster.partition_listeners.append(self.partition_waiters.wake)
        self.cluster.partition_listeners.append(self.conditions.check)
        self.closing = asyncio.Event()
        self.black_holes: set[int] = set()
        self.faults = FaultPlan()
        """Rules checked at dispatch on every node (``kafkalite.faults``)."""
        self.journal = Journal()
        """The last requests every node answered, for tests to inspect."""
        self.control = Control(self)
        """The control API on this runtime (faults, nodes, leaders, journal, waits)."""
        self.http: HttpServer | None = None
        self.stats = BrokerStats()
        """Request, topic and connection counts, read by ``/metrics`` (``kafkalite.stats``)."""
        self.started_at = time.time()
        self.request_memory = (
            RequestMemory(config.queued_max_request_bytes)
            if config.queued_max_request_bytes > 0
            else None
        )
        """``queued.max.request.bytes`` across every connection of every node."""
        self._listeners: dict[int, Listener] = {}
        self._started = False
        self._txn_timer: asyncio.TimerHandle | None = None
        self._tls_contexts: dict[str, ssl.SSLContext] = {}
        self._sasl_users: SaslUsers | None = None
        self._principal_mapper: PrincipalMapper | None = None

    # -- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> tuple[str, int]:
        """Load the cluster, then listen for every node; returns the first node's address."""
        started = time.perf_counter()
        data_dir = Path(self.config.data_dir)
        fresh = not data_dir.exists()
        try:
            self.cluster.open()
        except BaseException:
            _remove_if(fresh, data_dir)
            raise
        try:
            for node in self.cluster.nodes.values():
                await self._listen(node)
            if self.config.http_port is not None:
                await self._serve_http(self.config.http_port)
        except BaseException:
            await self._stop_http()
            await self._close_listeners(0)
            self.cluster.close()
            _remove_if(fresh, data_dir)  # a start that failed leaves no new data dir behind
            raise
        self._started = True
        self._schedule_transaction_expiry()
        first = self.first_node
        unbound = any(address.port == 0 for address in self.config.listeners)
        if self.config.port == 0 or self.config.http_port == 0 or unbound:
            # Later starts (a restart, start_node) reuse the ports bound now.
            http_port = self.http.port if self.http is not None else None
            listeners = tuple(
                dataclasses.replace(address, port=endpoint.port)
                for address, endpoint in zip(self.config.listeners, first.endpoints, strict=False)
            )
            self.config = dataclasses.replace(
                self.config, port=first.port, http_port=http_port, listeners=listeners
            )
            self.cluster.config = self.config
        log.info(
            "%d node(s) ready in %.1f ms: %s", len(self.cluster.nodes),
            (time.perf_counter() - started) * 1000, self.bootstrap_servers,
        )
        return first.host, first.port

    async def stop(self) -> None:
        self.closing.set()
        self.conditions.check()  # control API waits end now, not at their timeout
        await self._stop_http()
        if self._txn_timer is not None:
            self._txn_timer.cancel()
            self._txn_timer = None
        await self._close_listeners(self.config.shutdown_timeout_ms / 1000)
        if self._started:
            self._started = False
            self.cluster.close()

    def _schedule_transaction_expiry(self) -> None:
        interval = self.config.transaction_abort_timed_out_transaction_cleanup_interval_ms / 1000
        self._txn_timer = asyncio.get_running_loop().call_later(interval, self._expire_transactions)

    def _expire_transactions(self) -> None:
        """Abort transactions open past their timeout, retry unfinished markers and forget
        idle transactional ids (Kafka's ``abortTimedOutTransactions`` task)."""
        if not self._started:
            return
        coordinator = self.cluster.loaded_transactions  # none yet: nothing to expire
        if coordinator is not None:
            try:
                coordinator.expire(time.time_ns() // 1_000_000)
            except Exception:  # the next run tries again; the loop must survive
                log.exception("transaction expiry failed")
        self._schedule_transaction_expiry()

    @property
    def first_node(self) -> Node:
        return self.cluster.nodes[self.config.node_id]

    @property
    def bootstrap_servers(self) -> str:
        """Every node's advertised ``host:port`` on the first listener, comma-separated, for
        ``bootstrap.servers``."""
        return ",".join(
            f"{node.advertised_host}:{node.advertised_port}"
            for node in self.cluster.nodes.values()
        )

    def listener_bootstrap_servers(self) -> dict[str, str]:
        """``bootstrap.servers`` of each listener, by listener name."""
        names = [endpoint.listener for endpoint in self.first_node.endpoints]
        return {
            name: ",".join(
                "{}:{}".format(*node.advertised_for(name)) for node in self.cluster.nodes.values()
            )
            for name in names
        }

    @property
    def http_url(self) -> str | None:
        """``http://127.0.0.1:PORT`` of the HTTP server, or None when there is none."""
        return self.http.url if self.http is not None else None

    async def _serve_http(self, port: int) -> None:
        from kafkalite.http.server import HttpServer

        server = HttpServer(self)
        await server.start(port)
        self.http = server
        log.info(
            "HTTP server on %s: control API (list of paths: %s/control), %s/metrics",
            server.url, server.url, server.url,
        )

    async def _stop_http(self) -> None:
        server, self.http = self.http, None
        if server is not None:
            await server.stop()

    # -- node faults --------------------------------------------------------------------------

    def node(self, node_id: int) -> Node:
        node = self.cluster.nodes.get(node_id)
        if node is None:
            raise ValueError(f"no node {node_id} (nodes: {sorted(self.cluster.nodes)})")
        return node

    async def stop_node(self, node_id: int) -> list[tuple[str, int]]:
        """Take a node down: listener closed, connections dropped, leaders re-elected."""
        self.node(node_id)
        await self._close_listener(node_id)
        moved = self.cluster.stop_node(node_id)
        log.info("node %d stopped; %d partition leader(s) moved", node_id, len(moved))
        return moved

    async def start_node(self, node_id: int) -> list[tuple[str, int]]:
        node = self.node(node_id)
        if node_id not in self._listeners:
            await self._listen(node)
        moved = self.cluster.start_node(node_id)
        log.info("node %d started; it leads %d more partition(s)", node_id, len(moved))
        return moved

    async def refuse_connections(self, node_id: int) -> None:
        self.node(node_id)
        await self._close_listener(node_id)

    async def accept_connections(self, node_id: int) -> None:
        node = self.node(node_id)
        if node_id not in self._listeners:
            await self._listen(node)

    def listening(self, node_id: int) -> bool:
        """Whether the node accepts connections (not stopped, refusing or paused)."""
        return node_id in self._listeners

    def drop_connections(self, node_id: int) -> int:
        listener = self._listeners.get(node_id)
        return listener.drop_connections() if listener is not None else 0

    def black_hole(self, node_id: int, on: bool = True) -> None:
        self.node(node_id)
        if on:
            self.black_holes.add(node_id)
        else:
            self.black_holes.discard(node_id)
            listener = self._listeners.get(node_id)
            if listener is not None:
                listener.release_black_hole()

    async def pause(self) -> None:
        """Close every listener and connection; state stays in memory."""
        await self._close_listeners(0)

    async def resume(self) -> tuple[str, int]:
        for node in self.cluster.nodes.values():
            if node.online and node.id not in self._listeners:
                await self._listen(node)
        return self.first_node.host, self.first_node.port

    # -- listeners ----------------------------------------------------------------------------

    async def _listen(self, node: Node) -> None:
        from kafkalite.server.listener import Listener

        listener = Listener(self, node)
        await listener.start()
        self._listeners[node.id] = listener

    def sasl_users(self) -> SaslUsers:
        """The SASL users of ``kafkalite.users``, their SCRAM credentials derived once, and
        the cluster's SCRAM credentials (AlterUserScramCredentials), usable at once."""
        if self._sasl_users is None:
            from kafkalite.security.sasl import SaslUsers
            from kafkalite.security.tokens import now_ms

            cluster = self.cluster
            self._sasl_users = SaslUsers(
                self.config.users, cluster.scram,
                tokens=lambda token_id: (
                    cluster.tokens.live(token_id, now_ms())
                    if cluster.config.delegation_token_secret_key else None
                ),
            )
        return self._sasl_users

    def principal_mapper(self) -> PrincipalMapper:
        """``ssl.principal.mapping.rules``, parsed once."""
        if self._principal_mapper is None:
            from kafkalite.security.principal import PrincipalMapper

            self._principal_mapper = PrincipalMapper(self.config.ssl.principal_mapping_rules)
        return self._principal_mapper

    def tls_context(self, client_auth: str) -> ssl.SSLContext:
        """The server TLS context for one ``ssl.client.auth`` mode (none, requested,
        required), built on first use."""
        context = self._tls_contexts.get(client_auth)
        if context is None:
            from kafkalite.security.tls import server_context

            context = server_context(self.config.ssl, client_auth)
            self._tls_contexts[client_auth] = context
        return context

    async def _close_listener(self, node_id: int) -> None:
        listener = self._listeners.pop(node_id, None)
        if listener is not None:
            await listener.stop_accepting()
            await listener.close(timeout=0)

    async def _close_listeners(self, timeout: float) -> None:
        listeners = list(self._listeners.values())
        self._listeners.clear()
        for listener in listeners:
            await listener.stop_accepting()
        await asyncio.gather(*(listener.close(timeout) for listener in listeners))


def _remove_if(fresh: bool, data_dir: Path) -> None:
    if fresh:
        shutil.rmtree(data_dir, ignore_errors=True)
