"""Pieces every command-line tool shares: connection options and the client they make, the
topic argument, error reporting, escapes.

Exit codes: 0 success, 1 a Kafka error or a failed call (the Kafka error name is printed,
e.g. ``TOPIC_ALREADY_EXISTS``), 2 bad usage (argparse's own code).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from kafkalite.client.client import KafkaClient
from kafkalite.client.errors import ClientError

__all__ = [
    "DEFAULT_BOOTSTRAP",
    "ToolError",
    "add_topic_arguments",
    "common_options",
    "connect",
    "property_pair",
    "report",
    "run_tool",
    "topic_of",
    "unescape",
]

DEFAULT_BOOTSTRAP = "localhost:9092"
Tool = Callable[[argparse.Namespace], int]


class ToolError(Exception):
    """A problem with what the user asked for, found after parsing (exit code 1)."""


def common_options() -> argparse.ArgumentParser:
    """A parent parser with the connection options, for each leaf command."""
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("connection")
    group.add_argument(
        "--bootstrap-server",
        "-b",
        "--broker-list",
        dest="bootstrap_server",
        metavar="HOST:PORT[,...]",
        default=os.environ.get("KAFKALITE_BOOTSTRAP", DEFAULT_BOOTSTRAP),
        help=f"broker(s) to connect to (default $KAFKALITE_BOOTSTRAP or {DEFAULT_BOOTSTRAP})",
    )
    group.add_argument(
        "--request-timeout-ms",
        type=int,
        default=30_000,
        metavar="MS",
        help="how long to wait for each broker answer (default 30000)",
    )
    group.add_argument("--client-id", default="kafkalite-cli", help="client id sent to the broker")
    return parent


def connect(args: argparse.Namespace) -> KafkaClient:
    """A client for the connection options of ``common_options``."""
    return KafkaClient(
        args.bootstrap_server, client_id=args.client_id, timeout=args.request_timeout_ms / 1000
    )


def add_topic_arguments(parser: argparse.ArgumentParser, *, help: str) -> None:
    """The topic as a positional ``TOPIC`` or as ``--topic TOPIC`` (Kafka's tools)."""
    parser.add_argument("topic_name", nargs="?", metavar="TOPIC", help=help)
    parser.add_argument(
        "--topic", dest="topic_option", metavar="TOPIC", help="same as the positional TOPIC"
    )


def topic_of(args: argparse.Namespace, command: str) -> str:
    """The topic given by ``add_topic_arguments``' options; exactly one topic is needed."""
    topic: str | None = args.topic_name or args.topic_option
    if args.topic_name and args.topic_option and args.topic_name != args.topic_option:
        raise ToolError(f"two topics given: {args.topic_name!r} and {args.topic_option!r}")
    if not topic:
        raise ToolError(f"no topic given (kafkalite {command} TOPIC)")
    return topic


def property_pair(text: str) -> tuple[str, str]:
    """``key=value`` (split at the first ``=``) for argparse ``type=``."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"expected key=value, got {text!r}")
    return key.strip(), value


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\"}


def unescape(text: str) -> str:
    r"""Interpret ``\n``, ``\t``, ``\r``, ``\0`` and ``\\`` (kcat does the same in ``-f``)."""
    out = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in _ESCAPES:
            out.append(_ESCAPES[text[i + 1]])
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out)


def report(command: str, message: str) -> None:
    print(f"kafkalite {command}: {message}", file=sys.stderr, flush=True)


def run_tool(command: str, tool: Tool, args: argparse.Namespace) -> int:
    """Run ``tool`` and turn client errors into a message and exit code 1."""
    try:
        return tool(args)
    except (ClientError, ToolError) as exc:
        report(command, str(exc))
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader of our output went away (``| head``): stop quietly, and keep Python
        # from complaining again when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
