"""``kafkalite produce TOPIC``: send stdin lines as records (kafka-console-producer.sh).

One record per line; the line format is Kafka's (see ``kafkalite.tools.lines``):

    kafkalite produce T                          # value only
    kafkalite produce T --key-separator :        # key:value
    kafkalite produce T --parse-headers --key-separator :   # h1:v1,h2:v2<TAB>key:value
    kafkalite produce T --header app=cli         # the same header on every record

Partitioning: ``--partition P`` sends everything there; otherwise a keyed record goes to
``murmur2(key) & 0x7fffffff % partitions`` (Java's default partitioner) and keyless records
go round-robin. Lines are batched: a request goes out when ``--batch-size`` records or
``--max-request-size`` bytes are pending, when input pauses for ``--linger-ms``, and at end
of input; each carries one RecordBatch per partition, compressed with
``--compression-codec``. ``--acks`` is -1 (all) by default. A partition the broker refuses
is reported with its Kafka error name; the tool carries on and exits 1 at the end.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any, BinaryIO

from kafkalite.client.client import KafkaClient
from kafkalite.client.errors import KafkaResponseError
from kafkalite.client.partitioner import RoundRobin, partition_for_key
from kafkalite.client.records import Header, ProducerRecord, encode_batch
from kafkalite.protocol.compression import CODECS, codec_by_name
from kafkalite.tools.common import (
    ToolError,
    add_topic_arguments,
    common_options,
    connect,
    property_pair,
    report,
    run_tool,
    topic_of,
    unescape,
)
from kafkalite.tools.lines import LineError, LineFormat, LineReader

__all__ = ["add_parser", "line_format", "produce"]

_LINE_PROPERTIES = {
    "parse.key", "key.separator", "parse.headers", "headers.delimiter", "headers.separator",
    "headers.key.separator", "null.marker", "ignore.error",
}  # fmt: skip
_ACKS = {"all": -1, "-1": -1, "0": 0, "1": 1}
_EPILOG = """line format:  [HEADERS<TAB>][KEY<SEP>]VALUE
  value only by default; --key-separator SEP parses a key; --parse-headers parses a
  leading 'h1:v1,h2:v2' section ended by a TAB (delimiters: --property headers.*).
  Keyed records go to murmur2(key) % partitions, keyless ones round-robin.

examples:
  echo hello | kafkalite produce greetings
  printf 'k1:v1\\nk2:v2\\n' | kafkalite produce orders --key-separator :
  printf 'trace:42\\tk1:v1\\n' | kafkalite produce orders --parse-headers --key-separator :
"""


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "produce",
        parents=[common_options()],
        help="send lines from stdin to a topic",
        description="Read records from stdin, one per line, and produce them (like kafka-console-producer.sh).",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_topic_arguments(parser, help="topic to write to")
    parser.add_argument(
        "--partition", "-p", type=int, metavar="P", help="write every record to partition P"
    )
    parser.add_argument(
        "--key-separator",
        "-K",
        metavar="SEP",
        help="parse 'key<SEP>value' lines (sets parse.key=true)",
    )
    parser.add_argument(
        "--parse-headers",
        action="store_true",
        help="lines start with 'k:v,k:v<TAB>' headers (parse.headers=true)",
    )
    parser.add_argument(
        "--header",
        "-H",
        action="append",
        type=property_pair,
        default=[],
        metavar="K=V",
        help="add this header to every record (repeatable)",
    )
    parser.add_argument(
        "--null-marker",
        metavar="TEXT",
        help="a key, value or header value equal to TEXT is sent as null",
    )
    parser.add_argument(
        "--property",
        action="append",
        type=property_pair,
        default=[],
        metavar="K=V",
        help="line reader property: " + ", ".join(sorted(_LINE_PROPERTIES)),
    )
    parser.add_argument(
        "--acks",
        default="-1",
        choices=sorted(_ACKS),
        help="acknowledgements to wait for (default -1 = all)",
    )
    parser.add_argument(
        "--compression-codec",
        default="none",
        choices=list(CODECS),
        help="batch compression (default none)",
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=500,
        metavar="N",
        help="records per request at most (default 500)",
    )
    parser.add_argument(
        "--max-request-size",
        type=int,
        default=1 << 20,
        metavar="BYTES",
        help="send once this many record bytes are pending (default 1048576)",
    )
    parser.add_argument(
        "--linger-ms",
        type=int,
        default=5,
        metavar="MS",
        help="send what is pending once input pauses this long (default 5)",
    )
    parser.add_argument(
        "--timeout-ms",
        type=int,
        default=30_000,
        metavar="MS",
        help="produce request timeout (default 30000)",
    )
    parser.set_defaults(tool=lambda args: run_tool("produce", produce, args))


def line_format(args: argparse.Namespace) -> LineFormat:
    """The ``LineFormat`` for the flags and ``--property`` settings (flags win)."""
    props = dict(args.property)
    unknown = set(props) - _LINE_PROPERTIES
    if unknown:
        raise ToolError(
            f"unknown --property {', '.join(sorted(unknown))} (known: {', '.join(sorted(_LINE_PROPERTIES))})"
        )

    def flag(name: str) -> bool:
        value: str = props.get(name, "false").strip().lower()
        if value not in ("true", "false"):
            raise ToolError(f"--property {name} must be true or false, not {value!r}")
        return value == "true"

    def text(name: str, default: str) -> bytes:
        value = unescape(props.get(name, default)).encode()
        if not value:
            raise ToolError(f"--property {name} cannot be empty")
        return value

    key_separator = (
        text("key.separator", "\t")
        if args.key_separator is None
        else unescape(args.key_separator).encode()
    )
    if not key_separator:
        raise ToolError("--key-separator cannot be empty")
    null_marker = args.null_marker if args.null_marker is not None else props.get("null.marker")
    return LineFormat(
        parse_key=args.key_separator is not None or flag("parse.key"),
        key_separator=key_separator,
        parse_headers=args.parse_headers or flag("parse.headers"),
        headers_delimiter=text("headers.delimiter", "\t"),
        headers_separator=text("headers.separator", ","),
        headers_key_separator=text("headers.key.separator", ":"),
        null_marker=None if null_marker is None else null_marker.encode(),
        ignore_error=flag("ignore.error"),
    )


class _Sender:
    """Pending records, grouped into one batch per partition when sent."""

    def __init__(self, client: KafkaClient, topic: str, args: argparse.Namespace) -> None:
        self.client = client
        self.topic = topic
        self.acks = _ACKS[args.acks]
        self.compression = codec_by_name(args.compression_codec)
        self.timeout_ms = args.timeout_ms
        self.pending: dict[int, list[ProducerRecord]] = {}
        self.pending_count = 0
        self.pending_bytes = 0
        self.sent = 0
        self.failed = 0

    def add(self, partition: int, record: ProducerRecord) -> None:
        self.pending.setdefault(partition, []).append(record)
        self.pending_count += 1
        self.pending_bytes += (
            len(record.key or b"")
            + len(record.value or b"")
            + 16
            + sum(len(k) + len(v or b"") for k, v in record.headers)
        )

    def flush(self) -> None:
        if not self.pending:
            return
        now_ms = int(time.time() * 1000)
        batches = {
            p: encode_batch(records, compression=self.compression, now_ms=now_ms)
            for p, records in self.pending.items()
        }
        counts = {p: len(records) for p, records in self.pending.items()}
        self.pending, self.pending_count, self.pending_bytes = {}, 0, 0
        try:
            results = self.client.produce(
                self.topic, batches, acks=self.acks, timeout_ms=self.timeout_ms
            )
        except KafkaResponseError as exc:
            self._fail(sum(counts.values()), exc.describe())
            return
        for partition, count in sorted(counts.items()):
            result = results.get(partition)
            if result is None:
                self._fail(count, f"no answer for {self.topic}-{partition}")
            elif result.error_code != 0:
                error = KafkaResponseError(
                    result.error_code, result.error_message, f"{self.topic}-{partition}"
                )
                self._fail(count, error.describe())
            else:
                self.sent += count

    def _fail(self, count: int, reason: str) -> None:
        self.failed += count
        report("produce", f"{reason}; {count} record{'s' if count != 1 else ''} not written")


def produce(args: argparse.Namespace, stdin: BinaryIO | None = None) -> int:
    topic = topic_of(args, "produce")
    fmt = line_format(args)
    static_headers: tuple[Header, ...] = tuple((k, v.encode()) for k, v in args.header)
    if args.batch_size < 1:
        raise ToolError("--batch-size must be at least 1")
    with connect(args) as client:
        info = client.topic(topic, allow_auto_create=True, wait_s=args.request_timeout_ms / 1000)
        partitions = len(info.partitions)
        if args.partition is not None and not 0 <= args.partition < partitions:
            raise ToolError(
                f"topic {topic} has partitions 0-{partitions - 1}, not {args.partition}"
            )
        sender = _Sender(client, topic, args)
        round_robin = RoundRobin()
        reader = LineReader(stdin if stdin is not None else sys.stdin.buffer)
        linger = max(args.linger_ms, 0) / 1000
        line_number = 0
        while True:
            lines = reader.read_lines(linger if sender.pending else None)
            if not lines:
                sender.flush()
                if reader.eof:
                    break
                continue
            for line in lines:
                line_number += 1
                try:
                    key, value, headers = fmt.parse(line, line_number)
                except LineError as exc:
                    sender.flush()
                    raise ToolError(str(exc)) from None
                if args.partition is not None:
                    partition = args.partition
                elif key is not None:
                    partition = partition_for_key(key, partitions)
                else:
                    partition = round_robin.next(partitions)
                sender.add(partition, ProducerRecord(key, value, static_headers + headers))
                if (
                    sender.pending_count >= args.batch_size
                    or sender.pending_bytes >= args.max_request_size
                ):
                    sender.flush()
        sender.flush()
    return 1 if sender.failed else 0
