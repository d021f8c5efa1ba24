"""``Control``: make a running cluster misbehave, look inside it, and wait on it.

One object per ``Runtime`` (``runtime.control``); every method runs on the runtime's event
loop. ``KafkaliteServer.control`` offers the same calls, blocking, from a test's thread
(thread mode) or over HTTP (process mode); ``kafkalite.http`` serves them as JSON.

    control = runtime.control
    fault = control.fail(api="Produce", topic="orders", error="NOT_LEADER_OR_FOLLOWER", count=1)
    ...                                        # a producer sends, gets the error, retries
    assert await control.wait_fault(fault.id, hits=1, timeout=5)

Faults (rules of the runtime's ``FaultPlan``, checked at dispatch on every node; APIs and
error codes by Kafka name or number): ``fail`` answers an error (``after_apply=True``:
applies the request first), ``drop`` closes the connection instead of answering, ``delay``
answers ``ms`` later, ``observe`` only counts, ``fail_write``/``fail_fsync`` make the next
log write/fsync of the partition fail. Each returns a ``FaultHandle`` (``id``, ``hits``,
``wait``, ``remove``).

Nodes: ``stop_broker``/``start_broker`` (leaders move), ``refuse_connections``/
``accept_connections`` (network only), ``drop_connections``, ``black_hole``.
Leadership: ``move_leader``, ``leaders``, ``partition``. Journal: ``requests``.

Waits (``wait_group``, ``wait_offset``, ``wait_high_watermark``, ``wait_fault``) return True
once the condition holds, False when ``timeout`` seconds pass first. They are woken by
requests, partition changes and the waiters' coarse tick (``runtime.conditions``), not by
polling here. A wait ends early, False, when the runtime shuts down.

``reset()`` puts the cluster back in working order for the next test: every fault removed
(storage faults disarmed), every node started, listening and out of its black hole, the
journal cleared. Leaders stay where they are (clients follow them); data, topics, groups and
offsets are kept.

Bad input raises ``ValueError``; an unknown node or fault id raises ``UnknownId`` (HTTP
answers 400 and 404).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kafkalite.faults import Action, FaultHandle, parse_api
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.runtime.views import broker_view, group_ready, partition_view

if TYPE_CHECKING:
    from kafkalite.runtime.runtime import Runtime

__all__ = ["DEFAULT_WAIT_S", "Control", "UnknownId"]

DEFAULT_WAIT_S = 10.0

ApiArg = ApiKey | int | str | None
ErrorArg = ErrorCode | int | str


class UnknownId(LookupError):
    """No node or fault has the id asked about."""


class Control:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    # -- faults -------------------------------------------------------------------------------

    def add_fault(self, action: Action | str = Action.ERROR, **rule: Any) -> FaultHandle:
        """A rule of any action (``FaultPlan.add``'s arguments): what ``POST /faults`` calls."""
        node = rule.get("node")
        if node is not None:
            self._node(node)
        return self.runtime.faults.add(action, **rule)

    def fail(
        self,
        api: ApiArg = None,
        error: ErrorArg | None = None,
        count: int | None = None,
        skip: int = 0,
        topic: str | None = None,
        partition: int | None = None,
        node: int | None = None,
        group: str | None = None,
        transactional_id: str | None = None,
        client_id: str | None = None,
        probability: float = 1.0,
        seed: int | None = None,
        after_apply: bool = False,
    ) -> FaultHandle:
        """Answer ``error`` (after applying the request if ``after_apply``)."""
        action = Action.AFTER_APPLY if after_apply else Action.ERROR
        return self.add_fault(
            action,
            api=api,
            error=error,
            count=count,
            skip=skip,
            topic=topic,
            partition=partition,
            node=node,
            group=group,
            transactional_id=transactional_id,
            client_id=client_id,
            probability=probability,
            seed=seed,
        )

    def drop(self, api: ApiArg = None, **match: Any) -> FaultHandle:
        """Close the request's connection instead of answering it."""
        return self.add_fault(Action.DROP, api=api, **match)

    def delay(
        self, api: ApiArg = None, node: int | None = None, ms: int = 0, **match: Any
    ) -> FaultHandle:
        """Answer ``ms`` milliseconds late."""
        return self.add_fault(Action.DELAY, api=api, node=node, ms=ms, **match)

    def observe(self, api: ApiArg = None, **match: Any) -> FaultHandle:
        """Only count the matching requests (to wait on them)."""
        return self.add_fault(Action.OBSERVE, api=api, **match)

    def fail_write(self, topic: str, partition: int | None = None, **match: Any) -> FaultHandle:
        """The next log write of the partition fails (ENOSPC unless ``errno``)."""
        return self.add_fault(Action.FAIL_WRITE, topic=topic, partition=partition, **match)

    def fail_fsync(self, topic: str, partition: int | None = None, **match: Any) -> FaultHandle:
        """The next fsync of the partition fails (EIO unless ``errno``)."""
        return self.add_fault(Action.FAIL_FSYNC, topic=topic, partition=partition, **match)

    def faults(self) -> list[dict[str, Any]]:
        return self.runtime.faults.describe()

    def remove_faults(self) -> int:
        """Remove every rule (and disarm storage faults); returns how many rules there were."""
        removed = len(self.runtime.faults)
        self.runtime.faults.reset()
        return removed

    def fault(self, fault_id: int) -> dict[str, Any]:
        return self._fault(fault_id).describe()

    def remove_fault(self, fault_id: int) -> dict[str, Any]:
        """Remove a rule; answers what it was (with its final ``hits``)."""
        handle = self._fault(fault_id)
        handle.remove()
        return handle.describe()

    async def wait_fault(
        self, fault_id: int, hits: int = 1, timeout: float = DEFAULT_WAIT_S
    ) -> bool:
        return await self._fault(fault_id).wait_async(hits, timeout)

    def _fault(self, fault_id: int) -> FaultHandle:
        for handle in self.runtime.faults.rules():
            if handle.id == fault_id:
                return handle
        raise UnknownId(f"no fault {fault_id}")

    # -- nodes --------------------------------------------------------------------------------

    def brokers(self) -> list[dict[str, Any]]:
        return [
            broker_view(self.runtime, node_id) for node_id in sorted(self.runtime.cluster.nodes)
        ]

    def broker(self, node: int) -> dict[str, Any]:
        return broker_view(self.runtime, self._node(node))

    async def stop_broker(self, node: int) -> dict[str, Any]:
        await self.runtime.stop_node(self._node(node))
        return self.broker(node)

    async def start_broker(self, node: int) -> dict[str, Any]:
        await self.runtime.start_node(self._node(node))
        return self.broker(node)

    async def refuse_connections(self, node: int) -> dict[str, Any]:
        await self.runtime.refuse_connections(self._node(node))
        return self.broker(node)

    async def accept_connections(self, node: int) -> dict[str, Any]:
        if not self.runtime.cluster.nodes[self._node(node)].online:
            raise ValueError(f"node {node} is stopped: start_broker brings it back")
        await self.runtime.accept_connections(node)
        return self.broker(node)

    def drop_connections(self, node: int) -> int:
        """Close every open connection of ``node`` once; returns how many."""
        return self.runtime.drop_connections(self._node(node))

    def black_hole(self, node: int, on: bool = True) -> dict[str, Any]:
        self.runtime.black_hole(self._node(node), on)
        return self.broker(node)

    def _node(self, node: int) -> int:
        if not isinstance(node, int) or isinstance(node, bool):
            raise ValueError(f"a node id is an integer, not {node!r}")
        if node not in self.runtime.cluster.nodes:
            raise UnknownId(f"no node {node} (nodes: {sorted(self.runtime.cluster.nodes)})")
        return node

    # -- leadership ---------------------------------------------------------------------------

    def leaders(self, topic: str | None = None) -> list[dict[str, Any]]:
        """Every partition of every topic (or of ``topic``), internal topics included."""
        cluster = self.runtime.cluster
        keys = sorted(
            {key for key in cluster.leadership.partitions}
            | {
                (name, p)
                for name, info in cluster.topics().items()
                for p in range(len(info.partitions))
            }
        )
        return [partition_view(cluster, t, p) for t, p in keys if topic is None or t == topic]

    def partition(self, topic: str, partition: int) -> dict[str, Any]:
        self._existing(topic, partition)
        return partition_view(self.runtime.cluster, topic, partition)

    def move_leader(self, topic: str, partition: int, node: int) -> dict[str, Any]:
        self._existing(topic, partition)
        self.runtime.cluster.move_leader(topic, partition, self._node(node))
        return partition_view(self.runtime.cluster, topic, partition)

    def _existing(self, topic: str, partition: int) -> None:
        if self.runtime.cluster.partition(topic, partition) is None:
            raise UnknownId(f"no partition {topic}-{partition}")

    # -- journal ------------------------------------------------------------------------------

    def requests(
        self,
        api: ApiArg = None,
        node: int | None = None,
        topic: str | None = None,
        group: str | None = None,
        client_id: str | None = None,
        fault_id: int | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Answered requests, oldest first (the newest ``limit``), as JSON-able dicts."""
        if api is not None:
            parse_api(api)  # ValueError for an unknown name, before the query
        entries = self.runtime.journal.query(
            api=api,
            node=node,
            topic=topic,
            group=group,
            client_id=client_id,
            fault_id=fault_id,
            limit=limit,
        )
        return [entry.to_json() for entry in entries]

    # -- groups -------------------------------------------------------------------------------

    def group(self, group: str) -> dict[str, Any]:
        """``{"group", "state", "members", "protocol"}`` as DescribeGroups sees the group
        (state "Dead" when there is none)."""
        description = self.runtime.cluster.groups.describe_group(group)
        return {
            "group": group,
            "state": description.group_state,
            "members": len(description.members),
            "protocol": description.protocol_data,
        }

    def telemetry(self, client_id: str | None = None) -> list[dict[str, Any]]:
        """Client metrics pushed with PushTelemetry (KIP-714), oldest first, optionally only
        those of ``client_id``: ``{"client_instance_id", "client_id", "subscription_id",
        "terminating", "compression_type", "metrics_bytes", "metrics" (hex), "received_at"}``."""
        return [
            {
                "client_instance_id": str(push.client_instance_id),
                "client_id": push.client_id,
                "subscription_id": push.subscription_id,
                "terminating": push.terminating,
                "compression_type": push.compression_type,
                "metrics_bytes": len(push.metrics),
                "metrics": push.metrics.hex(),
                "received_at": push.received_at,
            }
            for push in self.runtime.cluster.telemetry
            if client_id is None or push.client_id == client_id
        ]

    def committed_offset(self, group: str, topic: str, partition: int) -> int | None:
        from kafkalite.groups import TopicPartition

        committed = self.runtime.cluster.groups.offsets.get(group, TopicPartition(topic, partition))
        return committed.offset if committed is not None else None

    # -- waits --------------------------------------------------------------------------------

    async def wait_group(
        self,
        group: str,
        members: int | None = None,
        state: str = "Stable",
        all_assigned: bool = True,
        timeout: float = DEFAULT_WAIT_S,
    ) -> bool:
        """``group`` is in ``state`` with ``members`` members (any number if None) and, with
        ``all_assigned``, every partition of its subscribed topics assigned."""
        cluster = self.runtime.cluster

        def ready() -> bool:
            description = cluster.groups.describe_group(group)
            return group_ready(
                cluster, description, state=state, members=members, all_assigned=all_assigned
            )

        return await self._wait(ready, timeout)

    async def wait_offset(
        self, group: str, topic: str, partition: int, offset: int, timeout: float = DEFAULT_WAIT_S
    ) -> bool:
        """``group``'s committed offset of ``topic``-``partition`` is at least ``offset``."""

        def reached() -> bool:
            committed = self.committed_offset(group, topic, partition)
            return committed is not None and committed >= offset

        return await self._wait(reached, timeout)

    async def wait_high_watermark(
        self, topic: str, partition: int, offset: int, timeout: float = DEFAULT_WAIT_S
    ) -> bool:
        """The partition's high watermark is at least ``offset``."""
        cluster = self.runtime.cluster

        def reached() -> bool:
            log = cluster.partition(topic, partition)
            return log is not None and log.high_watermark >= offset

        return await self._wait(reached, timeout)

    async def _wait(self, predicate: Any, timeout: float) -> bool:
        if timeout < 0:
            raise ValueError("timeout must not be negative")
        closing = self.runtime.closing
        await self.runtime.conditions.wait(lambda: closing.is_set() or predicate(), timeout)
        return bool(predicate())

    # -- reset --------------------------------------------------------------------------------

    async def reset(self) -> dict[str, Any]:
        """See the module docstring; answers what was undone."""
        runtime = self.runtime
        removed = self.remove_faults()
        started, reopened, lifted = [], [], sorted(runtime.black_holes)
        for node_id in lifted:
            runtime.black_hole(node_id, False)
        for node_id, node in sorted(runtime.cluster.nodes.items()):
            if not node.online:
                await runtime.start_node(node_id)
                started.append(node_id)
            elif not runtime.listening(node_id):
                await runtime.accept_connections(node_id)
                reopened.append(node_id)
        runtime.journal.clear()
        return {
            "faults_removed": removed,
            "brokers_started": started,
            "brokers_listening_again": reopened,
            "black_holes_lifted": lifted,
        }
