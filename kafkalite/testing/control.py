"""``KafkaliteServer.control``: the control API, blocking, from a test's own thread.

The same calls in both modes, so a test does not care where its broker runs:

- thread mode (``LoopControl``): each call runs ``Runtime.control`` (``kafkalite.runtime.
  control.Control``) on the broker's event loop and waits for its result;
- process mode (``HttpControl`` in ``http_control``): each call is a request to the
  child's HTTP server (``kafkalite.http``) with the standard library's ``urllib``.

Answers are the same plain data in both: dicts and lists as the HTTP API answers them,
``True``/``False`` for waits. Fault calls return a handle with ``id``, ``hits``,
``wait(hits, timeout)``, ``remove()`` and ``describe()`` (a ``FaultHandle`` of the plan in
thread mode, an ``http_control.RemoteFault`` in process mode). Bad input raises ``ValueError``, an unknown
node, fault or partition ``UnknownId``, in both modes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, Protocol, TypeVar

from kafkalite.runtime.control import DEFAULT_WAIT_S, Control, UnknownId

__all__ = ["ControlClient", "Fault", "LoopControl", "UnknownId"]

_T = TypeVar("_T")
_MARGIN_S = 10.0  # beyond a wait's own timeout, for the answer to come back


class Fault(Protocol):
    """What a fault call returns, in either mode."""

    id: int

    @property
    def hits(self) -> int: ...

    def wait(self, hits: int = 1, timeout: float | None = None) -> bool: ...

    def remove(self) -> bool: ...

    def describe(self) -> dict[str, Any]: ...


class ControlClient:
    """The calls of ``Control`` as blocking methods; subclasses say how each is carried."""

    def add_fault(self, action: str = "error", **rule: Any) -> Fault:
        raise NotImplementedError

    def fail(
        self,
        api: int | str | None = None,
        error: int | str | None = None,
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
    ) -> Fault:
        """Answer ``error`` to matching requests (after applying them if ``after_apply``)."""
        return self.add_fault(
            "after_apply" if after_apply else "error",
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

    def drop(self, api: int | str | None = None, **match: Any) -> Fault:
        return self.add_fault("drop", api=api, **match)

    def delay(
        self, api: int | str | None = None, node: int | None = None, ms: int = 0, **match: Any
    ) -> Fault:
        return self.add_fault("delay", api=api, node=node, ms=ms, **match)

    def observe(self, api: int | str | None = None, **match: Any) -> Fault:
        return self.add_fault("observe", api=api, **match)

    def fail_write(self, topic: str, partition: int | None = None, **match: Any) -> Fault:
        return self.add_fault("fail_write", topic=topic, partition=partition, **match)

    def fail_fsync(self, topic: str, partition: int | None = None, **match: Any) -> Fault:
        return self.add_fault("fail_fsync", topic=topic, partition=partition, **match)

    # -- carried by each mode (see ``Control`` for what each does) -----------------------

    def faults(self) -> list[dict[str, Any]]:
        raise NotImplementedError

    def fault(self, fault_id: int) -> dict[str, Any]:
        raise NotImplementedError

    def remove_fault(self, fault_id: int) -> dict[str, Any]:
        raise NotImplementedError

    def remove_faults(self) -> int:
        raise NotImplementedError

    def wait_fault(self, fault_id: int, hits: int = 1, timeout: float = DEFAULT_WAIT_S) -> bool:
        raise NotImplementedError

    def brokers(self) -> list[dict[str, Any]]:
        raise NotImplementedError

    def broker(self, node: int) -> dict[str, Any]:
        raise NotImplementedError

    def stop_broker(self, node: int) -> dict[str, Any]:
        raise NotImplementedError

    def start_broker(self, node: int) -> dict[str, Any]:
        raise NotImplementedError

    def refuse_connections(self, node: int) -> dict[str, Any]:
        raise NotImplementedError

    def accept_connections(self, node: int) -> dict[str, Any]:
        raise NotImplementedError

    def drop_connections(self, node: int) -> int:
        raise NotImplementedError

    def black_hole(self, node: int, on: bool = True) -> dict[str, Any]:
        raise NotImplementedError

    def leaders(self, topic: str | None = None) -> list[dict[str, Any]]:
        raise NotImplementedError

    def partition(self, topic: str, partition: int) -> dict[str, Any]:
        raise NotImplementedError

    def move_leader(self, topic: str, partition: int, node: int) -> dict[str, Any]:
        raise NotImplementedError

    def requests(self, **filters: Any) -> list[dict[str, Any]]:
        """Filters: ``api``, ``node``, ``topic``, ``group``, ``client_id``, ``fault_id``,
        ``limit``."""
        raise NotImplementedError

    def group(self, group: str) -> dict[str, Any]:
        raise NotImplementedError

    def telemetry(self, client_id: str | None = None) -> list[dict[str, Any]]:
        """Client metrics pushed with PushTelemetry (KIP-714), oldest first."""
        raise NotImplementedError

    def wait_group(
        self,
        group: str,
        members: int | None = None,
        state: str = "Stable",
        all_assigned: bool = True,
        timeout: float = DEFAULT_WAIT_S,
    ) -> bool:
        raise NotImplementedError

    def wait_offset(
        self, group: str, topic: str, partition: int, offset: int, timeout: float = DEFAULT_WAIT_S
    ) -> bool:
        raise NotImplementedError

    def wait_high_watermark(
        self, topic: str, partition: int, offset: int, timeout: float = DEFAULT_WAIT_S
    ) -> bool:
        raise NotImplementedError

    def reset(self) -> dict[str, Any]:
        raise NotImplementedError


class LoopControl(ControlClient):
    """Thread mode: ``Control`` run on the broker's loop."""

    def __init__(self, control: Control, loop: asyncio.AbstractEventLoop) -> None:
        self._control = control
        self._loop = loop

    def _run(self, coro: Coroutine[Any, Any, _T], timeout: float = 30.0) -> _T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout + _MARGIN_S)

    def _sync(self, name: str, *args: Any, **kwargs: Any) -> Any:
        async def call() -> Any:
            return getattr(self._control, name)(*args, **kwargs)

        return self._run(call())

    def add_fault(self, action: str = "error", **rule: Any) -> Fault:
        result: Fault = self._sync("add_fault", action, **rule)
        return result

    def faults(self) -> list[dict[str, Any]]:
        return list(self._sync("faults"))

    def fault(self, fault_id: int) -> dict[str, Any]:
        return dict(self._sync("fault", fault_id))

    def remove_fault(self, fault_id: int) -> dict[str, Any]:
        return dict(self._sync("remove_fault", fault_id))

    def remove_faults(self) -> int:
        return int(self._sync("remove_faults"))

    def wait_fault(self, fault_id: int, hits: int = 1, timeout: float = DEFAULT_WAIT_S) -> bool:
        return self._run(self._control.wait_fault(fault_id, hits, timeout), timeout)

    def brokers(self) -> list[dict[str, Any]]:
        return list(self._sync("brokers"))

    def broker(self, node: int) -> dict[str, Any]:
        return dict(self._sync("broker", node))

    def stop_broker(self, node: int) -> dict[str, Any]:
        return self._run(self._control.stop_broker(node))

    def start_broker(self, node: int) -> dict[str, Any]:
        return self._run(self._control.start_broker(node))

    def refuse_connections(self, node: int) -> dict[str, Any]:
        return self._run(self._control.refuse_connections(node))

    def accept_connections(self, node: int) -> dict[str, Any]:
        return self._run(self._control.accept_connections(node))

    def drop_connections(self, node: int) -> int:
        return int(self._sync("drop_connections", node))

    def black_hole(self, node: int, on: bool = True) -> dict[str, Any]:
        return dict(self._sync("black_hole", node, on))

    def leaders(self, topic: str | None = None) -> list[dict[str, Any]]:
        return list(self._sync("leaders", topic))

    def partition(self, topic: str, partition: int) -> dict[str, Any]:
        return dict(self._sync("partition", topic, partition))

    def move_leader(self, topic: str, partition: int, node: int) -> dict[str, Any]:
        return dict(self._sync("move_leader", topic, partition, node))

    def requests(self, **filters: Any) -> list[dict[str, Any]]:
        return list(self._sync("requests", **filters))

    def group(self, group: str) -> dict[str, Any]:
        return dict(self._sync("group", group))

    def telemetry(self, client_id: str | None = None) -> list[dict[str, Any]]:
        return list(self._sync("telemetry", client_id))

    def wait_group(
        self,
        group: str,
        members: int | None = None,
        state: str = "Stable",
        all_assigned: bool = True,
        timeout: float = DEFAULT_WAIT_S,
    ) -> bool:
        coro = self._control.wait_group(group, members, state, all_assigned, timeout)
        return self._run(coro, timeout)

    def wait_offset(
        self, group: str, topic: str, partition: int, offset: int, timeout: float = DEFAULT_WAIT_S
    ) -> bool:
        coro = self._control.wait_offset(group, topic, partition, offset, timeout)
        return self._run(coro, timeout)

    def wait_high_watermark(
        self, topic: str, partition: int, offset: int, timeout: float = DEFAULT_WAIT_S
    ) -> bool:
        return self._run(
            self._control.wait_high_watermark(topic, partition, offset, timeout), timeout
        )

    def reset(self) -> dict[str, Any]:
        return self._run(self._control.reset())
