"""``HttpServer``: aiohttp on the runtime's event loop, serving ``routes.ROUTES``.

It binds 127.0.0.1 unless ``http_host`` (``--http-host``) names another address: the
control API can stop brokers and fail requests, so another address is warned about at
start. Port 0 picks a free port; ``url`` says which.

Answers are JSON. Bad input (``ValueError``: an unknown field, API or error name, a value
of the wrong kind, a body that is not a JSON object) is answered 400
``{"error": "..."}``; an unknown node, fault or partition (``UnknownId``) 404; a path or
method the map lacks 404 or 405, also as JSON. One DEBUG line per request goes to the
``kafkalite.http`` logger.

``stop()`` closes the listening socket, then gives handlers in flight a short grace: the
runtime ends its waits first (``Runtime.stop`` sets ``closing``), so none should need it.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from typing import TYPE_CHECKING, Any

from aiohttp import web

from kafkalite.http.control_views import CONTROL
from kafkalite.http.routes import ROUTES, View
from kafkalite.runtime.control import UnknownId

if TYPE_CHECKING:
    from kafkalite.runtime import Runtime

__all__ = ["HOST", "HttpServer"]

log = logging.getLogger("kafkalite.http")

HOST = "127.0.0.1"
_SHUTDOWN_GRACE_S = 2.0
_Handler = Any  # aiohttp's middleware handler type is private


class HttpServer:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.host = runtime.config.http_host or HOST
        self.port = 0
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    async def start(self, port: int) -> None:
        app = web.Application(middlewares=[_json_errors])
        app[CONTROL] = self.runtime.control
        for route in ROUTES:
            app.router.add_route(route.method, route.path, _json_view(route.view))
        runner = web.AppRunner(
            app, handle_signals=False, access_log=None, shutdown_timeout=_SHUTDOWN_GRACE_S
        )
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, port, reuse_address=True)
            await site.start()
            if not _is_loopback(self.host):
                log.warning(
                    "the HTTP server binds %s: whoever reaches it can stop brokers and inject "
                    "faults (control API)", self.host,
                )
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self.port = int(runner.addresses[0][1])

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _json_view(view: View) -> _Handler:
    async def handle(request: web.Request) -> web.StreamResponse:
        result = await view(request)
        if isinstance(result, web.StreamResponse):
            return result
        return web.json_response(result)

    return handle


@web.middleware
async def _json_errors(request: web.Request, handler: _Handler) -> web.StreamResponse:
    started = time.perf_counter()
    try:
        response: web.StreamResponse = await handler(request)
    except UnknownId as exc:
        response = _error(404, str(exc.args[0]) if exc.args else "not found")
    except ValueError as exc:
        response = _error(400, str(exc))
    except web.HTTPException as exc:  # no such path, or a method the path lacks
        response = _error(exc.status, exc.reason)
    if log.isEnabledFor(logging.DEBUG):
        log.debug(
            "%s %s %d %.1fms",
            request.method,
            request.path_qs,
            response.status,
            (time.perf_counter() - started) * 1000,
        )
    return response


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)
