"""The broker process behind ``KafkaliteServer(mode="process")``.

    python -m kafkalite.testing.child '{"host": ..., "port": ..., "data_dir": ..., "properties": {...}}'

It runs the same ``Runtime`` as ``kafkalite serve`` and talks to its parent over pipes, one
line at a time. On stdout: ``listeners NAME=BOOTSTRAP ...`` (each listener's bootstrap
servers), then ``listening HOST PORT BOOTSTRAP [HTTP_URL]`` once every node listens (the URL of the control API when the spec has an ``http_port``), or
``error MESSAGE`` (then exit 1). On stdin it takes commands:

- ``pause``: close every listener and connection (``Runtime.pause``), answered ``paused``;
- ``resume``: listen again on the same port, answered ``resumed HOST PORT`` or
  ``error MESSAGE``;
- ``stop``, or end of input (the parent went away): shut down gracefully.

SIGTERM and SIGINT also shut down gracefully, as ``kafkalite serve`` does. Logs go to
stderr, which the parent sends to a file.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import sys
from pathlib import Path

from kafkalite.config import BrokerConfig
from kafkalite.runtime import Runtime

log = logging.getLogger("kafkalite.testing.child")


def say(line: str) -> None:
    sys.stdout.write(line.replace("\n", " ") + "\n")
    sys.stdout.flush()


async def _commands(broker: Runtime, stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    try:
        while line := await reader.readline():
            command = line.decode(errors="replace").strip()
            if command == "pause":
                await broker.pause()
                say("paused")
            elif command == "resume":
                try:
                    host, port = await broker.resume()
                except OSError as exc:
                    say(f"error cannot listen again: {exc}")
                else:
                    say(f"resumed {host} {port}")
            elif command == "stop":
                break
            else:
                say(f"error unknown command {command!r}")
    finally:
        stop.set()


async def serve(config: BrokerConfig) -> int:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    broker = Runtime(config)
    try:
        host, port = await broker.start()
    except OSError as exc:
        await broker.stop()
        say(f"error cannot start: {exc}")
        return 1
    url = f" {broker.http_url}" if broker.http_url is not None else ""
    listeners = broker.listener_bootstrap_servers().items()
    say("listeners " + " ".join(f"{name}={servers}" for name, servers in listeners))
    say(f"listening {host} {port} {broker.bootstrap_servers}{url}")
    commands = asyncio.create_task(_commands(broker, stop))
    await stop.wait()
    commands.cancel()
    await broker.stop()
    log.info("stopped cleanly")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    logging.basicConfig(
        level=os.environ.get("KAFKALITE_LOG_LEVEL", "INFO").upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        spec = json.loads(args[0])
        config = BrokerConfig(
            host=spec["host"],
            port=int(spec["port"]),
            data_dir=Path(spec["data_dir"]),
            brokers=int(spec.get("brokers", 1)),
            http_port=spec.get("http_port"),
        ).with_properties(spec.get("properties", {}))
    except (IndexError, KeyError, ValueError) as exc:  # ConfigError is a ValueError
        say(f"error bad arguments: {exc}")
        return 2
    from kafkalite.event_loop import run

    return run(serve(config))


if __name__ == "__main__":
    sys.exit(main())
