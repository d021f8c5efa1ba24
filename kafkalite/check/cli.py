"""The ``kafkalite check`` subcommand (option names as Kafka's console tools)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

__all__ = ["add_parser", "run"]


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "check",
        help="run the Kafka conformance checks against a broker",
        description="Check, scenario by scenario, where a broker behaves like Apache Kafka.",
    )
    parser.add_argument("--bootstrap-server", metavar="HOST:PORT", help="broker to check")
    parser.add_argument(
        "--command-config",
        type=Path,
        metavar="FILE",
        help="client properties: security.protocol, sasl.mechanism, sasl.jaas.config, "
        "ssl.truststore.location (PEM)...",
    )
    parser.add_argument(
        "--only",
        metavar="AREA,...",
        default="",
        help="areas or check names to run (comma-separated)",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the results as JSON")
    parser.add_argument("--junit", type=Path, metavar="FILE", help="write the results as JUnit XML")
    parser.add_argument(
        "--allow-destructive",
        action="store_true",
        help="also run checks that delete records or change broker configs",
    )
    parser.add_argument(
        "--timeout", type=float, default=10.0, metavar="S", help="per-request timeout (default 10)"
    )
    parser.add_argument("--list", action="store_true", help="list the checks and exit")
    parser.set_defaults(tool=run)


def run(args: argparse.Namespace) -> int:
    from kafkalite.check.context import Settings
    from kafkalite.check.report import Progress, summary_line, to_json, to_junit
    from kafkalite.check.runner import FAILED, run_checks, select
    from kafkalite.client.security import (
        ConnectionSecurity,
        UnsupportedSecurity,
        from_properties,
        parse_properties,
    )

    try:
        checks = select(args.only.split(",") if args.only else None)
    except ValueError as exc:
        print(f"kafkalite check: {exc}", file=sys.stderr)
        return 2
    if args.list:
        for c in checks:
            flag = " [destructive]" if c.destructive else ""
            print(f"{c.name}{flag}\n    verifies: {c.verifies}\n    source: {c.source}")
        return 0
    if not args.bootstrap_server:
        print("kafkalite check: --bootstrap-server is required", file=sys.stderr)
        return 2
    properties: dict[str, str] = {}
    security: ConnectionSecurity | None = None
    if args.command_config is not None:
        try:
            properties = parse_properties(args.command_config.read_text())
            security = from_properties(properties)
        except (OSError, UnsupportedSecurity) as exc:
            print(f"kafkalite check: {exc}", file=sys.stderr)
            return 2
    settings = Settings(
        bootstrap=args.bootstrap_server,
        security=security,
        properties=properties,
        allow_destructive=args.allow_destructive,
        timeout_s=args.timeout,
    )
    progress = Progress(sys.stdout)
    print(f"kafkalite check: {len(checks)} checks against {args.bootstrap_server}")
    progress.header(len(checks))
    started = time.monotonic()
    results = run_checks(checks, settings, progress)
    elapsed = time.monotonic() - started
    print(summary_line(results, elapsed))
    if args.json is not None:
        meta = {"bootstrap_server": args.bootstrap_server, "seconds": round(elapsed, 2)}
        args.json.write_text(to_json(results, meta) + "\n")
    if args.junit is not None:
        args.junit.write_text(to_junit(results, elapsed))
    return 1 if any(r.result == FAILED for r in results) or not results else 0
