"""``kafkalite consume TOPIC``: print records of a topic (kafka-console-consumer.sh, kcat -C).

Where to start: at the end by default (new records only), like Kafka's console consumer;
``--from-beginning`` or ``--offset earliest`` from the log start; ``--offset N`` at offset
N; ``--offset -N`` N records before the end of each partition (kcat's relative offsets).
``--partition P`` reads one partition, otherwise all of them. With ``--group G`` the tool
is a member of consumer group G instead (JoinGroup/SyncGroup, range assignor, heartbeats):
it starts at the group's committed offsets (the reset policy above where there are none),
commits every ``--auto-commit-interval-ms`` and on exit, and leaves the group.

When to stop: after ``--max-messages N`` records, after ``--timeout-ms`` without a new
record, or on Ctrl-C; "Processed a total of N messages" goes to stderr, as Kafka prints.

Output: see ``kafkalite.tools.formatting`` (``--format`` kcat tokens, default the value and
a newline; or Kafka's ``--property print.key=true`` style). Compressed batches are
decompressed (every codec); control batches are skipped; reads are read_uncommitted unless
``--isolation-level read_committed``.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any, BinaryIO

from kafkalite.client.client import EARLIEST, LATEST, KafkaClient, TopicPartition
from kafkalite.client.errors import KafkaResponseError, raise_for_code
from kafkalite.client.group import GroupMember
from kafkalite.client.records import ConsumerRecord, decode_records
from kafkalite.protocol.errors import ErrorCode
from kafkalite.tools.common import (
    ToolError,
    add_topic_arguments,
    common_options,
    connect,
    property_pair,
    run_tool,
    topic_of,
)
from kafkalite.tools.formatting import (
    DEFAULT_FORMAT,
    FormatError,
    Formatter,
    kafka_formatter,
    kcat_formatter,
)

__all__ = ["Consumer", "add_parser", "consume", "formatter_for", "parse_offset"]

_REFRESH_METADATA = frozenset(
    {ErrorCode.NOT_LEADER_OR_FOLLOWER, ErrorCode.LEADER_NOT_AVAILABLE, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
     ErrorCode.FENCED_LEADER_EPOCH, ErrorCode.UNKNOWN_LEADER_EPOCH, ErrorCode.KAFKA_STORAGE_ERROR}
)  # fmt: skip
_ISOLATION = {"read_uncommitted": 0, "read_committed": 1}
_MAX_WAIT_MS = 500
_EPILOG = """--format tokens (kcat): %t topic, %p partition, %o offset, %k key, %s value,
  %K / %S key / value length, %h headers (n=v,...), %T timestamp (ms), %% percent;
  escapes \\n \\t \\r \\\\. Nothing is appended: end with \\n for one record per line.

examples:
  kafkalite consume orders --from-beginning --max-messages 10
  kafkalite consume orders --from-beginning --timeout-ms 2000 -f '%p:%o %k=%s %h\\n'
  kafkalite consume orders --group billing --property print.key=true
"""


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "consume",
        parents=[common_options()],
        help="print records from a topic",
        description="Print records of a topic (like kafka-console-consumer.sh and kcat -C).",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_topic_arguments(parser, help="topic to read")
    parser.add_argument(
        "--from-beginning",
        action="store_true",
        help="start at the earliest offset (default: the end)",
    )
    parser.add_argument(
        "--offset",
        "-o",
        type=parse_offset,
        metavar="earliest|latest|N|-N",
        help="where to start in each partition (not with --group)",
    )
    parser.add_argument(
        "--partition", "-p", type=int, metavar="P", help="read only partition P (not with --group)"
    )
    parser.add_argument(
        "--group", "-G", metavar="G", help="consume as a member of consumer group G"
    )
    parser.add_argument("--max-messages", type=int, metavar="N", help="exit after N records")
    parser.add_argument(
        "--timeout-ms", type=int, metavar="MS", help="exit after MS without a new record"
    )
    parser.add_argument(
        "--format", "-f", metavar="FMT", help=r"kcat-style output format (default '%%s\n')"
    )
    parser.add_argument(
        "--null-literal",
        default="",
        metavar="TEXT",
        help="what --format prints for a null key or value (default nothing)",
    )
    parser.add_argument(
        "--property",
        action="append",
        type=property_pair,
        default=[],
        metavar="K=V",
        help="Kafka formatter property: print.key, print.timestamp, print.partition, print.offset, "
        "print.headers, print.value, key.separator, line.separator, null.literal, ...",
    )
    parser.add_argument("--isolation-level", default="read_uncommitted", choices=list(_ISOLATION))
    parser.add_argument(
        "--auto-commit-interval-ms",
        type=int,
        default=5000,
        metavar="MS",
        help="group commits (default 5000)",
    )
    parser.add_argument(
        "--session-timeout-ms",
        type=int,
        default=10_000,
        metavar="MS",
        help="group session timeout (default 10000)",
    )
    parser.add_argument("--fetch-max-bytes", type=int, default=50 << 20, metavar="BYTES")
    parser.add_argument("--max-partition-fetch-bytes", type=int, default=1 << 20, metavar="BYTES")
    parser.set_defaults(tool=lambda args: run_tool("consume", consume, args))


def parse_offset(text: str) -> str | int:
    value = text.strip().lower()
    if value in ("earliest", "beginning", "latest", "end"):
        return {"beginning": "earliest", "end": "latest"}.get(value, value)
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected earliest, latest or a number, got {text!r}"
        ) from None


def formatter_for(args: argparse.Namespace) -> Formatter:
    try:
        if args.property:
            if args.format is not None:
                raise ToolError("--format and --property print.* are two output styles: pick one")
            return kafka_formatter(dict(args.property))
        return kcat_formatter(
            args.format if args.format is not None else DEFAULT_FORMAT, args.null_literal.encode()
        )
    except FormatError as exc:
        raise ToolError(str(exc)) from None


class Consumer:
    """Positions per partition, fetched from in a loop; group membership optional."""

    def __init__(self, client: KafkaClient, topic: str, args: argparse.Namespace) -> None:
        self.client = client
        self.topic = topic
        self.args = args
        self.reset_to = EARLIEST if args.from_beginning or args.offset == "earliest" else LATEST
        self.positions: dict[TopicPartition, int] = {}
        self.member: GroupMember | None = None
        self._committed: dict[TopicPartition, int] = {}
        self._last_commit = time.monotonic()

    # --- assignment and start positions -----------------------------------------------

    def start(self) -> None:
        info = self.client.topic(self.topic, allow_auto_create=True, wait_s=self.client.timeout)
        if self.args.group:
            self.member = GroupMember(
                self.client,
                self.args.group,
                [self.topic],
                session_timeout_ms=self.args.session_timeout_ms,
            )
            self._rejoin()
            return
        partitions = [p.partition for p in info.partitions]
        if self.args.partition is not None:
            if self.args.partition not in partitions:
                raise ToolError(
                    f"topic {self.topic} has partitions 0-{len(partitions) - 1}, not {self.args.partition}"
                )
            partitions = [self.args.partition]
        self.positions = self._start_positions([TopicPartition(self.topic, p) for p in partitions])

    def _start_positions(self, partitions: list[TopicPartition]) -> dict[TopicPartition, int]:
        if not partitions:
            return {}
        offset = self.args.offset
        if isinstance(offset, int) and offset >= 0:
            return dict.fromkeys(partitions, offset)
        if isinstance(offset, int):  # -N: N before the end, not before the start
            ends = self._list(partitions, LATEST)
            starts = self._list(partitions, EARLIEST)
            return {tp: max(starts[tp], ends[tp] + offset) for tp in partitions}
        return self._list(partitions, self.reset_to)

    def _list(self, partitions: list[TopicPartition], timestamp: int) -> dict[TopicPartition, int]:
        answers = self.client.list_offsets(
            self.topic, dict.fromkeys((tp.partition for tp in partitions), timestamp)
        )
        result = {}
        for tp in partitions:
            answer = answers.get(tp.partition)
            if answer is None:
                raise ToolError(f"no ListOffsets answer for {tp}")
            raise_for_code(answer.error_code, None, f"ListOffsets {tp}")
            result[tp] = answer.offset
        return result

    def _rejoin(self) -> None:
        assert self.member is not None
        assigned = [tp for tp in self.member.join() if tp.topic == self.topic]
        committed = self.member.committed(assigned) if assigned else {}
        missing = [tp for tp in assigned if committed.get(tp, -1) < 0]
        positions = {tp: committed[tp] for tp in assigned if committed.get(tp, -1) >= 0}
        positions.update(self._list(missing, self.reset_to) if missing else {})
        self.positions = positions
        self._committed = dict(positions)

    # --- group upkeep -----------------------------------------------------------------

    def tend_group(self) -> None:
        """Heartbeat when due, commit on schedule, rejoin when the group rebalances."""
        if self.member is None:
            return
        if time.monotonic() - self._last_commit >= self.args.auto_commit_interval_ms / 1000:
            self.commit()
        if self.member.heartbeat_due() and not self.member.heartbeat():
            self.commit(quiet=True)
            self._rejoin()

    def commit(self, quiet: bool = False) -> None:
        self._last_commit = time.monotonic()
        if self.member is None or self.member.generation_id < 0:
            return
        changed = {tp: o for tp, o in self.positions.items() if self._committed.get(tp) != o}
        try:
            self.member.commit(changed)
        except KafkaResponseError:
            if not quiet:
                raise
            return
        self._committed.update(changed)

    def close(self) -> None:
        if self.member is not None:
            try:
                self.commit(quiet=True)
                self.member.leave()
            except KafkaResponseError:
                pass

    # --- fetching ---------------------------------------------------------------------

    def poll(self, max_wait_ms: int) -> list[ConsumerRecord]:
        """Records of one fetch round, in partition order, advancing the positions."""
        if not self.positions:
            time.sleep(max_wait_ms / 1000)
            return []
        responses = self.client.fetch(
            self.positions,
            max_wait_ms=max_wait_ms,
            max_bytes=self.args.fetch_max_bytes,
            partition_max_bytes=self.args.max_partition_fetch_bytes,
            isolation_level=_ISOLATION[self.args.isolation_level],
        )
        records: list[ConsumerRecord] = []
        for tp, part in sorted(responses.items()):
            if tp not in self.positions:
                continue
            code = part.error_code
            if code == ErrorCode.OFFSET_OUT_OF_RANGE:
                self.positions[tp] = self._list([tp], self.reset_to)[tp]
                continue
            if code in _REFRESH_METADATA:
                self.client.topic(self.topic, wait_s=self.client.timeout)
                continue
            raise_for_code(code, None, f"Fetch {tp}")
            fetched = decode_records(
                part.records, topic=tp.topic, partition=tp.partition, min_offset=self.positions[tp]
            )
            if fetched.records:
                # the caller moves the position record by record, as it prints them
                records.extend(fetched.records)
            elif fetched.next_offset is not None:  # only control or skipped records
                self.positions[tp] = max(self.positions[tp], fetched.next_offset)
        return records


def consume(args: argparse.Namespace, stdout: BinaryIO | None = None) -> int:
    topic = topic_of(args, "consume")
    if args.group and (args.partition is not None or isinstance(args.offset, int)):
        raise ToolError(
            "--group assigns partitions and starts at committed offsets: drop --partition/--offset N"
        )
    if args.max_messages is not None and args.max_messages <= 0:
        return 0
    render = formatter_for(args)
    out = stdout if stdout is not None else sys.stdout.buffer
    count = 0
    limit = args.max_messages
    idle_s = None if args.timeout_ms is None else max(args.timeout_ms, 0) / 1000
    with connect(args) as client:
        consumer = Consumer(client, topic, args)
        try:
            consumer.start()
            last_record = time.monotonic()
            while limit is None or count < limit:
                wait_ms = _MAX_WAIT_MS
                if idle_s is not None:
                    left = last_record + idle_s - time.monotonic()
                    if left <= 0:
                        break
                    wait_ms = max(0, min(wait_ms, int(left * 1000)))
                consumer.tend_group()
                records = consumer.poll(wait_ms)
                for record in records:
                    out.write(render(record))
                    count += 1
                    consumer.positions[TopicPartition(record.topic, record.partition)] = (
                        record.offset + 1
                    )
                    if limit is not None and count >= limit:
                        break
                if records:
                    out.flush()
                    last_record = time.monotonic()
        except KeyboardInterrupt:
            pass
        finally:
            out.flush()
            consumer.close()
            print(f"Processed a total of {count} messages", file=sys.stderr, flush=True)
    return 0
