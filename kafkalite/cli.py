"""``kafkalite`` command line.

    kafkalite serve [--host H] [--port P] [--brokers N] [--data-dir D] [--advertised-listeners HOST:PORT] [--http-port P [--http-host H]] [-o key=value ...]
    kafkalite topics list|describe|create|delete|alter [--bootstrap-server HOST:PORT] ...
    kafkalite produce TOPIC [--key-separator SEP] [--partition P] ...  < lines
    kafkalite consume TOPIC [--from-beginning] [--group G] [--max-messages N] [--format FMT] ...
    kafkalite groups list|describe|reset-offsets|delete [--bootstrap-server HOST:PORT] ...
    kafkalite certs DIR [--host NAME ...]   # a throwaway CA, server and client certificates
    kafkalite check --bootstrap-server HOST:PORT [--only AREA,...] [--json F] [--junit F] ...

The client commands live in ``kafkalite.tools`` and talk to a running broker over the wire.

``-o`` takes any Kafka property kafkalite supports (see ``kafkalite.config``). SIGINT and
SIGTERM shut down gracefully: requests in flight finish, logs are flushed and a
clean-shutdown marker is written; a second SIGINT exits at once.

``--http-port P`` (alias ``--control-port``) starts the one HTTP server on 127.0.0.1:P
(``--http-host`` for another address; 0 picks a free port; the URL is printed at start):
the control API and ``/metrics``. It is off unless asked, and aiohttp is imported only then.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from pathlib import Path

from kafkalite import __version__
from kafkalite.config import BrokerConfig, ConfigError

log = logging.getLogger("kafkalite")


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

BROKER_COMMANDS = frozenset({"serve", "certs"})
"""Subcommands that need neither the client nor the tools: ``kafkalite serve`` starts
without importing them (``kafkalite.tools`` pulls in the whole client and every message
schema it speaks)."""


class UsageError(ValueError):
    """A bad ``serve`` option: one line naming it and what it accepts, then exit 2."""


def _property(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise UsageError(f"-o expects key=value, got {text!r}")
    return key.strip(), value.strip()


def _integer(option: str, text: str, low: int, high: int | None = None) -> int:
    accepted = f"an integer from {low} to {high}" if high is not None else f"at least {low}"
    try:
        value = int(text)
    except ValueError:
        raise UsageError(f"{option} expects an integer ({accepted}), got {text!r}") from None
    if value < low or (high is not None and value > high):
        raise UsageError(f"{option} must be {accepted}, got {value}")
    return value


def _serve_config(args: argparse.Namespace) -> tuple[BrokerConfig, str]:
    """The broker config and log level of ``serve``, every value checked before anything
    is created; raises ``UsageError`` or ``ConfigError``."""
    level = str(args.log_level).upper()
    if level not in LOG_LEVELS:
        raise UsageError(f"--log-level must be one of {', '.join(LOG_LEVELS)}, got {args.log_level!r}")
    port = _integer("--port", args.port, 0, 65535)
    brokers = _integer("--brokers", args.brokers, 1)
    if port and port + brokers - 1 > 65535:
        raise UsageError(f"--port {port} with --brokers {brokers} goes past port 65535")
    http_port = None if args.http_port is None else _integer(
        "--http-port/--control-port", args.http_port, 0, 65535
    )
    if args.http_host is not None and http_port is None:
        raise UsageError("--http-host needs --http-port")
    properties = dict(_property(text) for text in args.overrides)
    if args.advertised_listeners:
        properties["advertised.listeners"] = args.advertised_listeners
    config = BrokerConfig(
        host=args.host, port=port, data_dir=args.data_dir, brokers=brokers, http_port=http_port,
        http_host=args.http_host or "127.0.0.1",
    ).with_properties(properties)
    return config, level


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The ``kafkalite`` parser; ``command``, the first word of the command line, names
    the subcommand about to run: when it is one of ``BROKER_COMMANDS`` the client tools
    are left out (and unimported), otherwise every subcommand is there, as for ``--help``."""
    parser = argparse.ArgumentParser(
        prog="kafkalite", description="A Kafka broker you can pip install."
    )
    parser.add_argument("--version", action="version", version=f"kafkalite {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the broker")
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    serve.add_argument(
        "--port",
        default="9092",
        help="port to listen on (default 9092; 0 picks a free one)",
    )
    serve.add_argument(
        "--data-dir",
        type=Path,
        default=Path("kafkalite-data"),
        help="log directory (default ./kafkalite-data)",
    )
    serve.add_argument(
        "--brokers",
        default="1",
        metavar="N",
        help="run N brokers (ids node.id .. node.id+N-1) on consecutive ports from --port, "
        "or free ports with --port 0 (default 1)",
    )
    serve.add_argument(
        "--advertised-listeners", metavar="HOST:PORT", help="address clients are told to use"
    )
    serve.add_argument(
        "--http-port",
        "--control-port",
        dest="http_port",
        default=None,
        metavar="P",
        help="serve HTTP (control API, /metrics) on 127.0.0.1:P (0 picks a free port; "
        "default: off; --control-port is an alias)",
    )
    serve.add_argument(
        "--http-host",
        default=None,
        metavar="H",
        help="address of the HTTP server (default 127.0.0.1; it can stop brokers and fail "
        "requests, so expose it with care)",
    )
    serve.add_argument(
        "-o",
        "--override",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a Kafka broker property, e.g. -o num.partitions=3 (repeatable)",
    )
    serve.add_argument(
        "--log-level",
        default=os.environ.get("KAFKALITE_LOG_LEVEL", "INFO"),
        help="logging level (default INFO; DEBUG logs every request)",
    )
    certs = commands.add_parser(
        "certs", help="write a throwaway CA, server and client certificates (PEM) for tests"
    )
    certs.add_argument("directory", type=Path, metavar="DIR")
    certs.add_argument(
        "--host",
        dest="hosts",
        action="append",
        default=[],
        help="another name or address for the server certificate (repeatable; localhost, "
        "127.0.0.1 and ::1 are always in it)",
    )
    if command not in BROKER_COMMANDS:
        from kafkalite.check.cli import add_parser as register_check
        from kafkalite.tools import register as register_tools

        register_tools(commands)
        register_check(commands)
    return parser


def write_certs(directory: Path, hosts: list[str]) -> int:
    from kafkalite.security.certs import write_certificates

    try:
        written = write_certificates(directory, hosts)
    except RuntimeError as exc:
        print(f"kafkalite: {exc}", file=sys.stderr)
        return 1
    print(f"wrote ca.crt, server.pem, client.pem (and .crt/.key) to {directory}")
    print("broker properties:")
    for key, value in written.broker_properties().items():
        print(f"  -o {key}={value}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(argv[0] if argv else None).parse_args(argv)
    if args.command == "certs":
        return write_certs(args.directory, args.hosts)
    if args.command != "serve":
        return int(args.tool(args))
    try:
        config, level = _serve_config(args)
    except (UsageError, ConfigError) as exc:
        print(f"kafkalite: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    from kafkalite.event_loop import run

    return run(serve(config))


async def serve(config: BrokerConfig) -> int:
    from kafkalite.runtime import Runtime
    from kafkalite.server.limits import raise_open_files_limit

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    interrupts = 0

    def on_signal(signum: int) -> None:
        nonlocal interrupts
        interrupts += 1
        if interrupts > 1 and signum == signal.SIGINT:
            log.warning("second interrupt: exiting now")
            os._exit(130)
        log.info("received %s, shutting down", signal.Signals(signum).name)
        stop.set()

    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, on_signal, signum)
    raise_open_files_limit()
    broker = Runtime(config)
    try:
        host, port = await broker.start()
    except OSError as exc:
        log.error("cannot start: %s", exc)
        return 1
    nodes = broker.cluster.nodes.values()
    listening = ", ".join(
        f"{endpoint.listener}://{endpoint.host}:{endpoint.port}"
        if len(node.endpoints) > 1
        else f"{endpoint.host}:{endpoint.port}"
        for node in nodes
        for endpoint in node.endpoints
    )
    print(
        f"kafkalite {__version__} serving on {listening} (bootstrap {broker.bootstrap_servers}, "
        f"data {Path(config.data_dir).resolve()})",
        flush=True,
    )
    if broker.http_url is not None:
        print(
            f"kafkalite control API at {broker.http_url} (paths: {broker.http_url}/control), "
            f"metrics at {broker.http_url}/metrics",
            flush=True,
        )
    await stop.wait()
    await broker.stop()
    log.info("stopped cleanly")
    return 0
