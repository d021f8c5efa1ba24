"""``HttpControl``: ``KafkaliteServer.control`` for a broker in another process, over the
control API's HTTP server (``kafkalite.http``), with the standard library's ``urllib``.

The same calls and answers as ``control.LoopControl``; 400 answers raise ``ValueError``,
404 answers ``UnknownId``. Fault calls return a ``RemoteFault``.
"""

from __future__ import annotations

import contextlib
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from kafkalite.runtime.control import DEFAULT_WAIT_S, UnknownId
from kafkalite.testing.control import ControlClient, Fault

__all__ = ["HttpControl", "RemoteFault"]

_MARGIN_S = 10.0  # beyond a wait's own timeout, for the answer to come back


class HttpControl(ControlClient):
    """Process mode: the same calls as requests to ``url`` (``http://127.0.0.1:PORT``)."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")

    def request(
        self, method: str, path: str, body: dict[str, Any] | None = None, timeout: float = 30.0
    ) -> Any:
        """One call: JSON in and out; 400 raises ``ValueError``, 404 ``UnknownId``."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                return json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as exc:
            with exc:
                message = _error_text(exc.read()) or exc.reason
            if exc.code == 404:
                raise UnknownId(message) from None
            if exc.code == 400:
                raise ValueError(message) from None
            raise

    def add_fault(self, action: str = "error", **rule: Any) -> Fault:
        body = {"action": action, **{k: v for k, v in rule.items() if v is not None}}
        return RemoteFault(self, self.request("POST", "/faults", body))

    def faults(self) -> list[dict[str, Any]]:
        return list(self.request("GET", "/faults"))

    def fault(self, fault_id: int) -> dict[str, Any]:
        return dict(self.request("GET", f"/faults/{fault_id}"))

    def remove_fault(self, fault_id: int) -> dict[str, Any]:
        return dict(self.request("DELETE", f"/faults/{fault_id}"))

    def remove_faults(self) -> int:
        return int(self.request("DELETE", "/faults")["removed"])

    def wait_fault(self, fault_id: int, hits: int = 1, timeout: float = DEFAULT_WAIT_S) -> bool:
        body = {"hits": hits, "timeout_ms": timeout * 1000}
        answer = self.request("POST", f"/faults/{fault_id}/wait", body, timeout + _MARGIN_S)
        return bool(answer["reached"])

    def brokers(self) -> list[dict[str, Any]]:
        return list(self.request("GET", "/brokers"))

    def broker(self, node: int) -> dict[str, Any]:
        for broker in self.brokers():
            if broker["id"] == node:
                return dict(broker)
        raise UnknownId(f"no node {node}")

    def stop_broker(self, node: int) -> dict[str, Any]:
        return dict(self.request("POST", f"/brokers/{node}/stop", {}))

    def start_broker(self, node: int) -> dict[str, Any]:
        return dict(self.request("POST", f"/brokers/{node}/start", {}))

    def refuse_connections(self, node: int) -> dict[str, Any]:
        return dict(self.request("POST", f"/brokers/{node}/refuse", {}))

    def accept_connections(self, node: int) -> dict[str, Any]:
        return dict(self.request("POST", f"/brokers/{node}/accept", {}))

    def drop_connections(self, node: int) -> int:
        return int(self.request("POST", f"/brokers/{node}/drop", {})["dropped"])

    def black_hole(self, node: int, on: bool = True) -> dict[str, Any]:
        return dict(self.request("POST", f"/brokers/{node}/black-hole", {"on": on}))

    def leaders(self, topic: str | None = None) -> list[dict[str, Any]]:
        query = "" if topic is None else "?" + urllib.parse.urlencode({"topic": topic})
        return list(self.request("GET", "/partitions" + query))

    def partition(self, topic: str, partition: int) -> dict[str, Any]:
        return dict(self.request("GET", _partition_path(topic, partition)))

    def move_leader(self, topic: str, partition: int, node: int) -> dict[str, Any]:
        path = _partition_path(topic, partition) + "/leader"
        return dict(self.request("POST", path, {"node": node}))

    def requests(self, **filters: Any) -> list[dict[str, Any]]:
        given = {k: str(v) for k, v in filters.items() if v is not None}
        query = "?" + urllib.parse.urlencode(given) if given else ""
        return list(self.request("GET", "/requests" + query))

    def group(self, group: str) -> dict[str, Any]:
        return dict(self.request("GET", f"/groups/{_quote(group)}"))

    def telemetry(self, client_id: str | None = None) -> list[dict[str, Any]]:
        query = "?" + urllib.parse.urlencode({"client_id": client_id}) if client_id else ""
        return list(self.request("GET", "/telemetry" + query))

    def wait_group(
        self,
        group: str,
        members: int | None = None,
        state: str = "Stable",
        all_assigned: bool = True,
        timeout: float = DEFAULT_WAIT_S,
    ) -> bool:
        body = {
            "members": members,
            "state": state,
            "all_assigned": all_assigned,
            "timeout_ms": timeout * 1000,
        }
        path = f"/groups/{_quote(group)}/wait"
        return bool(self.request("POST", path, body, timeout + _MARGIN_S)["reached"])

    def wait_offset(
        self, group: str, topic: str, partition: int, offset: int, timeout: float = DEFAULT_WAIT_S
    ) -> bool:
        body = {
            "topic": topic,
            "partition": partition,
            "offset": offset,
            "timeout_ms": timeout * 1000,
        }
        path = f"/groups/{_quote(group)}/offsets/wait"
        return bool(self.request("POST", path, body, timeout + _MARGIN_S)["reached"])

    def wait_high_watermark(
        self, topic: str, partition: int, offset: int, timeout: float = DEFAULT_WAIT_S
    ) -> bool:
        body = {"offset": offset, "timeout_ms": timeout * 1000}
        path = _partition_path(topic, partition) + "/wait"
        return bool(self.request("POST", path, body, timeout + _MARGIN_S)["reached"])

    def reset(self) -> dict[str, Any]:
        return dict(self.request("POST", "/reset", {}))


class RemoteFault:
    """A fault rule of a broker reached over HTTP; the same surface as ``FaultHandle``."""

    def __init__(self, control: HttpControl, description: dict[str, Any]) -> None:
        self._control = control
        self.id = int(description["id"])
        self._last = description

    @property
    def hits(self) -> int:
        """The rule's hits now (its last known hits once it was removed)."""
        return int(self.describe()["hits"])

    def wait(self, hits: int = 1, timeout: float | None = None) -> bool:
        return self._control.wait_fault(
            self.id, hits, DEFAULT_WAIT_S if timeout is None else timeout
        )

    def remove(self) -> bool:
        try:
            self._last = self._control.remove_fault(self.id)
        except UnknownId:
            return False
        return True

    def describe(self) -> dict[str, Any]:
        with contextlib.suppress(UnknownId):  # removed: its last known state
            self._last = self._control.fault(self.id)
        return dict(self._last)

    def __repr__(self) -> str:
        return f"RemoteFault(id={self.id})"


def _quote(segment: str) -> str:
    return urllib.parse.quote(segment, safe="")


def _partition_path(topic: str, partition: int) -> str:
    return f"/partitions/{_quote(topic)}/{partition}"


def _error_text(body: bytes) -> str | None:
    try:
        data = json.loads(body)
    except ValueError:
        return None
    return str(data["error"]) if isinstance(data, dict) and "error" in data else None
