"""The control API over HTTP: one handler per route of ``routes.CONTROL_ROUTES``.

Each handler reads its path, query and JSON body, calls ``Control`` (in
``kafkalite.runtime.control``; same names, same keys) and returns JSON-able data, which the
server sends as ``application/json``. Waits take ``timeout_ms`` (or ``timeout`` in
seconds) and answer ``reached`` rather than failing on a timeout. Fault answers carry ``id``
and ``hits``.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from kafkalite.http.params import Kind, check_fields, parse_body, parse_query, timeout_s
from kafkalite.runtime.control import DEFAULT_WAIT_S, Control

__all__ = ["CONTROL"]

CONTROL = web.AppKey("control", Control)

_MATCH: dict[str, Kind] = {
    "api": "name",
    "node": "int",
    "topic": "str",
    "partition": "int",
    "group": "str",
    "transactional_id": "str",
    "client_id": "str",
}
FAULT_FIELDS: dict[str, Kind] = {
    "action": "str",
    **_MATCH,
    "error": "name",
    "count": "int",
    "skip": "int",
    "probability": "float",
    "seed": "int",
    "ms": "int",
    "errno": "int",
}
REQUEST_FILTERS: dict[str, Kind] = {
    "api": "name",
    "node": "int",
    "topic": "str",
    "group": "str",
    "client_id": "str",
    "fault_id": "int",
    "limit": "int",
}
_WAIT: dict[str, Kind] = {"timeout_ms": "float", "timeout": "float"}


def _control(request: web.Request) -> Control:
    return request.app[CONTROL]


async def _body(request: web.Request, spec: dict[str, Kind]) -> dict[str, Any]:
    return check_fields(parse_body(await request.text()), spec)


def _int(request: web.Request, name: str) -> int:
    text = request.match_info[name]
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{name} must be an integer, not {text!r}") from None


# -- faults -------------------------------------------------------------------------------


async def add_fault(request: web.Request) -> Any:
    fields = await _body(request, FAULT_FIELDS)
    action = fields.pop("action", "error")
    return _control(request).add_fault(action, **fields).describe()


async def list_faults(request: web.Request) -> Any:
    return _control(request).faults()


async def remove_faults(request: web.Request) -> Any:
    return {"removed": _control(request).remove_faults()}


async def get_fault(request: web.Request) -> Any:
    return _control(request).fault(_int(request, "id"))


async def remove_fault(request: web.Request) -> Any:
    return _control(request).remove_fault(_int(request, "id"))


async def wait_fault(request: web.Request) -> Any:
    fault_id = _int(request, "id")
    fields = await _body(request, {"hits": "int", **_WAIT})
    timeout = timeout_s(fields, DEFAULT_WAIT_S)
    control = _control(request)
    reached = await control.wait_fault(fault_id, fields.get("hits", 1), timeout)
    return {"id": fault_id, "hits": control.fault(fault_id)["hits"], "reached": reached}


# -- brokers ------------------------------------------------------------------------------


async def list_brokers(request: web.Request) -> Any:
    return _control(request).brokers()


async def stop_broker(request: web.Request) -> Any:
    await _body(request, {})
    return await _control(request).stop_broker(_int(request, "id"))


async def start_broker(request: web.Request) -> Any:
    await _body(request, {})
    return await _control(request).start_broker(_int(request, "id"))


async def refuse_connections(request: web.Request) -> Any:
    await _body(request, {})
    return await _control(request).refuse_connections(_int(request, "id"))


async def accept_connections(request: web.Request) -> Any:
    await _body(request, {})
    return await _control(request).accept_connections(_int(request, "id"))


async def drop_connections(request: web.Request) -> Any:
    await _body(request, {})
    control, node = _control(request), _int(request, "id")
    dropped = control.drop_connections(node)
    return {**control.broker(node), "dropped": dropped}


async def black_hole(request: web.Request) -> Any:
    fields = await _body(request, {"on": "bool"})
    return _control(request).black_hole(_int(request, "id"), fields.get("on", True))


# -- partitions ---------------------------------------------------------------------------


async def list_partitions(request: web.Request) -> Any:
    query = parse_query(request.query, {"topic": "str"})
    return _control(request).leaders(query.get("topic"))


async def get_partition(request: web.Request) -> Any:
    return _control(request).partition(request.match_info["topic"], _int(request, "partition"))


async def move_leader(request: web.Request) -> Any:
    fields = await _body(request, {"node": "int"})
    if "node" not in fields:
        raise ValueError("node is required")
    topic, partition = request.match_info["topic"], _int(request, "partition")
    return _control(request).move_leader(topic, partition, fields["node"])


async def wait_high_watermark(request: web.Request) -> Any:
    fields = await _body(request, {"offset": "int", **_WAIT})
    if "offset" not in fields:
        raise ValueError("offset is required")
    timeout = timeout_s(fields, DEFAULT_WAIT_S)
    control = _control(request)
    topic, partition = request.match_info["topic"], _int(request, "partition")
    control.partition(topic, partition)  # 404 for a partition that does not exist
    reached = await control.wait_high_watermark(topic, partition, fields["offset"], timeout)
    return {**control.partition(topic, partition), "reached": reached}


# -- requests, groups, reset, index -------------------------------------------------------


async def list_requests(request: web.Request) -> Any:
    return _control(request).requests(**parse_query(request.query, REQUEST_FILTERS))


async def list_telemetry(request: web.Request) -> Any:
    return _control(request).telemetry(request.query.get("client_id"))


async def get_group(request: web.Request) -> Any:
    return _control(request).group(request.match_info["group"])


async def wait_group(request: web.Request) -> Any:
    spec: dict[str, Kind] = {"members": "int", "state": "str", "all_assigned": "bool", **_WAIT}
    fields = await _body(request, spec)
    timeout = timeout_s(fields, DEFAULT_WAIT_S)
    group = request.match_info["group"]
    control = _control(request)
    reached = await control.wait_group(group, timeout=timeout, **fields)
    return {**control.group(group), "reached": reached}


async def wait_offset(request: web.Request) -> Any:
    spec: dict[str, Kind] = {"topic": "str", "partition": "int", "offset": "int", **_WAIT}
    fields = await _body(request, spec)
    timeout = timeout_s(fields, DEFAULT_WAIT_S)
    missing = [name for name in ("topic", "partition", "offset") if name not in fields]
    if missing:
        raise ValueError(f"{', '.join(missing)} required")
    group = request.match_info["group"]
    control = _control(request)
    reached = await control.wait_offset(group, timeout=timeout, **fields)
    committed = control.committed_offset(group, fields["topic"], fields["partition"])
    return {"group": group, **fields, "committed": committed, "reached": reached}


async def reset(request: web.Request) -> Any:
    await _body(request, {})
    return await _control(request).reset()
