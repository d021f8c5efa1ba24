"""The one URL map of kafkalite's HTTP server.

Every path the server answers is in ``ROUTES``, so that paths added later (the console at
``/`` and ``/ui/...``, Confluent's Schema Registry paths at the root: ``/subjects``,
``/schemas``, ``/config``, ``/mode``, ``/compatibility``) sit beside the control API's and
``/metrics`` and a collision shows here. ``GET /control`` lists every route with its
summary; the README documents the control API's with curl examples.

A view takes the aiohttp request and returns JSON-able data (or an aiohttp response).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kafkalite.console import views as console_views
from kafkalite.http import control_views as c
from kafkalite.http import registry_views
from kafkalite.http.metrics import metrics_view

if TYPE_CHECKING:
    from aiohttp import web

__all__ = ["CONSOLE_ROUTES", "CONTROL_ROUTES", "METRICS", "REGISTRY_ROUTES", "ROUTES", "Route"]

View = Callable[["web.Request"], Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class Route:
    method: str
    path: str
    view: View
    summary: str


_BROKER = "/brokers/{id}"
_PARTITION = "/partitions/{topic}/{partition}"
_FAULT = "/faults/{id}"

CONTROL_ROUTES: tuple[Route, ...] = (
    Route("GET", "/faults", c.list_faults, "every fault rule, in order, with its hits"),
    Route(
        "POST",
        "/faults",
        c.add_fault,
        "add a fault: {action: error|drop|delay|after_apply|observe|fail_write|fail_fsync, "
        "api, error, topic, partition, node, group, transactional_id, client_id, count, "
        "skip, probability, seed, ms, errno}",
    ),
    Route("DELETE", "/faults", c.remove_faults, "remove every fault rule"),
    Route("GET", _FAULT, c.get_fault, "one fault rule with its hits"),
    Route("DELETE", _FAULT, c.remove_fault, "remove a fault rule; answers it, final hits included"),
    Route(
        "POST",
        _FAULT + "/wait",
        c.wait_fault,
        "wait until a fault has {hits} hits (timeout_ms): {id, hits, reached}",
    ),
    Route(
        "GET",
        "/brokers",
        c.list_brokers,
        "every broker: id, host, port, online, listening, black_hole",
    ),
    Route(
        "POST",
        _BROKER + "/stop",
        c.stop_broker,
        "stop a broker: listener closed, its partitions elect other leaders",
    ),
    Route("POST", _BROKER + "/start", c.start_broker, "start a stopped broker again"),
    Route(
        "POST",
        _BROKER + "/refuse",
        c.refuse_connections,
        "refuse new connections and drop open ones; leadership unchanged",
    ),
    Route("POST", _BROKER + "/accept", c.accept_connections, "accept connections again"),
    Route(
        "POST", _BROKER + "/drop", c.drop_connections, "close the broker's open connections once"
    ),
    Route(
        "POST",
        _BROKER + "/black-hole",
        c.black_hole,
        "{on: true}: read requests, never answer them; {on: false} lifts it",
    ),
    Route(
        "GET",
        "/partitions",
        c.list_partitions,
        "every partition (?topic=): leader, leader_epoch, replicas, isr, high_watermark",
    ),
    Route("GET", _PARTITION, c.get_partition, "one partition's leadership and offsets"),
    Route("POST", _PARTITION + "/leader", c.move_leader, "make {node} the partition's leader"),
    Route(
        "POST",
        _PARTITION + "/wait",
        c.wait_high_watermark,
        "wait until the high watermark reaches {offset} (timeout_ms)",
    ),
    Route(
        "GET",
        "/requests",
        c.list_requests,
        "answered requests, oldest first (?api=&node=&topic=&group=&client_id=&fault_id=&limit=)",
    ),
    Route(
        "GET",
        "/telemetry",
        c.list_telemetry,
        "client metrics pushed with PushTelemetry (KIP-714), oldest first (?client_id=)",
    ),
    Route(
        "GET",
        "/groups/{group}",
        c.get_group,
        "a consumer group's state, member count and protocol (state Dead: no such group)",
    ),
    Route(
        "POST",
        "/groups/{group}/wait",
        c.wait_group,
        "wait until the group is {state} (Stable) with {members} members, every subscribed "
        "partition assigned unless all_assigned is false (timeout_ms)",
    ),
    Route(
        "POST",
        "/groups/{group}/offsets/wait",
        c.wait_offset,
        "wait until the group's committed offset of {topic} {partition} reaches {offset}",
    ),
    Route(
        "POST",
        "/reset",
        c.reset,
        "remove every fault, start and reopen every broker, lift black holes, clear requests",
    ),
)


async def _index(request: web.Request) -> Any:
    del request
    return [
        {"method": route.method, "path": route.path, "summary": route.summary} for route in ROUTES
    ]


_INDEX = Route("GET", "/control", _index, "this list: every route of the HTTP server")

METRICS = Route(
    "GET", "/metrics", metrics_view, "the broker's metrics in the Prometheus text format"
)

# Confluent Schema Registry's paths, at the root as its clients expect (registry_views.py).
REGISTRY_ROUTES: tuple[Route, ...] = tuple(Route(*route) for route in registry_views.ROUTES)

# The web console's HTML pages under /console/ (kafkalite/console/views.py).
CONSOLE_ROUTES: tuple[Route, ...] = tuple(Route(*route) for route in console_views.ROUTES)

ROUTES: tuple[Route, ...] = (*CONTROL_ROUTES, _INDEX, METRICS, *REGISTRY_ROUTES, *CONSOLE_ROUTES)
