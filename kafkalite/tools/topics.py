"""``kafkalite topics``: list, describe, create, delete and alter topics (kafka-topics.sh).

    kafkalite topics list     [--exclude-internal]
    kafkalite topics describe [--topic T ...] [--exclude-internal]
    kafkalite topics create   --topic T [--partitions N] [--replication-factor R]
                              [--config K=V ...] [--if-not-exists]
    kafkalite topics delete   --topic T [...] [--if-exists]
    kafkalite topics alter    --topic T [--partitions N] [--add-config K=V[,K=V]]
                              [--delete-config K[,K]]

Every action takes ``--bootstrap-server HOST:PORT`` (default localhost:9092). ``describe``
prints kafka-topics.sh's layout, each partition line followed by its ``LogStartOffset``,
``HighWatermark`` (ListOffsets) and ``Size`` in bytes (DescribeLogDirs); its ``Configs`` are the topic's own settings
(DescribeConfigs entries whose source is DYNAMIC_TOPIC_CONFIG). ``--add-config`` takes
kafka-configs.sh's comma list, with ``[a,b]`` for a value that holds commas; ``--config``
(create) takes one ``K=V`` per flag. Partitions grow with CreatePartitions, configs change
with IncrementalAlterConfigs (SET and DELETE). Kafka errors print their name
(``TOPIC_ALREADY_EXISTS``) and exit with 1.
"""

from __future__ import annotations

import argparse
import base64
import sys
import uuid
from typing import Any

from kafkalite.client import admin
from kafkalite.client.admin import NewTopic
from kafkalite.client.client import EARLIEST, LATEST, KafkaClient
from kafkalite.client.errors import KafkaResponseError, UnsupportedApiError, error_name
from kafkalite.client.group_admin import log_dir_sizes
from kafkalite.protocol.constants import AlterOp, ConfigSource, ResourceType
from kafkalite.protocol.errors import ErrorCode
from kafkalite.tools.common import (
    ToolError,
    common_options,
    connect,
    property_pair,
    report,
    run_tool,
)

__all__ = ["add_parser", "parse_config_list", "topic_id_text"]


def add_parser(commands: Any) -> None:
    parent = common_options()
    topics = commands.add_parser(
        "topics",
        help="list, describe, create, delete and alter topics",
        description="Manage topics on a running broker (like kafka-topics.sh).",
    )
    actions = topics.add_subparsers(dest="action", required=True, metavar="ACTION")

    listing = actions.add_parser("list", parents=[parent], help="print topic names, one per line")
    listing.add_argument(
        "--exclude-internal", action="store_true", help="leave out internal topics"
    )
    listing.set_defaults(run=_list)

    describe = actions.add_parser(
        "describe", parents=[parent], help="partitions, leaders, replicas, configs"
    )
    describe.add_argument(
        "--topic",
        action="append",
        default=[],
        metavar="T",
        help="topic to describe (repeatable; default all)",
    )
    describe.add_argument(
        "--exclude-internal", action="store_true", help="leave out internal topics"
    )
    describe.set_defaults(run=_describe)

    create = actions.add_parser("create", parents=[parent], help="create a topic (CreateTopics)")
    create.add_argument("--topic", required=True, metavar="T")
    create.add_argument(
        "--partitions",
        type=int,
        default=-1,
        metavar="N",
        help="partition count (default: the broker's num.partitions)",
    )
    create.add_argument(
        "--replication-factor",
        type=int,
        default=-1,
        metavar="R",
        help="replicas per partition (default: the broker's)",
    )
    create.add_argument(
        "--config",
        action="append",
        type=property_pair,
        default=[],
        metavar="K=V",
        help="topic config (repeatable)",
    )
    create.add_argument(
        "--if-not-exists", action="store_true", help="succeed if the topic already exists"
    )
    create.set_defaults(run=_create)

    delete = actions.add_parser("delete", parents=[parent], help="delete topics (DeleteTopics)")
    delete.add_argument(
        "--topic", action="append", required=True, metavar="T", help="topic to delete (repeatable)"
    )
    delete.add_argument(
        "--if-exists", action="store_true", help="succeed if a topic does not exist"
    )
    delete.set_defaults(run=_delete)

    alter = actions.add_parser("alter", parents=[parent], help="add partitions or change configs")
    alter.add_argument("--topic", required=True, metavar="T")
    alter.add_argument(
        "--partitions", type=int, metavar="N", help="new total partition count (CreatePartitions)"
    )
    alter.add_argument(
        "--add-config",
        action="append",
        default=[],
        metavar="K=V[,K=V]",
        help="set configs (repeatable)",
    )
    alter.add_argument(
        "--delete-config",
        action="append",
        default=[],
        metavar="K[,K]",
        help="remove config overrides (repeatable)",
    )
    alter.set_defaults(run=_alter)

    topics.set_defaults(tool=lambda args: run_tool("topics", args.run, args))


def topic_id_text(topic_id: uuid.UUID) -> str:
    """Kafka's ``Uuid.toString``: URL-safe base64 without padding."""
    return base64.urlsafe_b64encode(topic_id.bytes).decode().rstrip("=")


def parse_config_list(text: str) -> list[tuple[str, str]]:
    """kafka-configs.sh's ``k1=v1,k2=[a,b]`` list into pairs."""
    pairs: list[tuple[str, str]] = []
    for item in _split_outside_brackets(text):
        if not item.strip():
            continue
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ToolError(f"expected key=value in --add-config, got {item!r}")
        value = value.strip()
        if value.startswith("[") and value.endswith("]"):
            value = value[1:-1]
        pairs.append((key.strip(), value))
    return pairs


def _split_outside_brackets(text: str) -> list[str]:
    items: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char == "[":
            depth += 1
        elif char == "]":
            depth = max(depth - 1, 0)
        if char == "," and depth == 0:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return items


def _list(args: argparse.Namespace) -> int:
    with connect(args) as client:
        cluster = client.metadata(None)
    for name, info in sorted(cluster.topics.items()):
        if not (args.exclude_internal and info.is_internal):
            print(name)
    return 0


def _describe(args: argparse.Namespace) -> int:
    with connect(args) as client:
        cluster = client.metadata(args.topic or None)
        topics = [
            t
            for _, t in sorted(cluster.topics.items())
            if not (args.exclude_internal and t.is_internal)
        ]
        failed = [t for t in topics if t.error_code != ErrorCode.NONE]
        for topic in failed:
            report("topics", f"{error_name(topic.error_code)} (topic {topic.name})")
        topics = [t for t in topics if t.error_code == ErrorCode.NONE]
        configs = _topic_configs(client, [t.name for t in topics])
        offsets = _partition_offsets(client, topics)
    out = sys.stdout
    for topic in topics:
        replication = len(topic.partitions[0].replicas) if topic.partitions else 0
        out.write(
            f"Topic: {topic.name}\tTopicId: {topic_id_text(topic.topic_id)}\tPartitionCount: {len(topic.partitions)}"
            f"\tReplicationFactor: {replication}\tConfigs: {configs.get(topic.name, '')}\n"
        )
        for p in topic.partitions:
            out.write(
                f"\tTopic: {topic.name}\tPartition: {p.partition}\tLeader: {_leader(p.leader)}"
                f"\tReplicas: {_ids(p.replicas)}\tIsr: {_ids(p.isr)}"
                + (f"\tOffline: {_ids(p.offline_replicas)}" if p.offline_replicas else "")
                + offsets.get((topic.name, p.partition), "")
                + "\n"
            )
    return 1 if failed else 0


def _partition_offsets(client: KafkaClient, topics: list[Any]) -> dict[tuple[str, int], str]:
    """``\tLogStartOffset: N\tHighWatermark: N\tSize: N`` per partition (ListOffsets
    EARLIEST and LATEST, DescribeLogDirs); a value the broker does not give is left out."""
    wanted = {t.name: [p.partition for p in t.partitions] for t in topics if t.partitions}
    starts: dict[tuple[str, int], int] = {}
    ends: dict[tuple[str, int], int] = {}
    for name, numbers in wanted.items():
        for spec, into in ((EARLIEST, starts), (LATEST, ends)):
            for number, answer in client.list_offsets(name, dict.fromkeys(numbers, spec)).items():
                if answer.error_code == ErrorCode.NONE:
                    into[(name, number)] = answer.offset
    try:
        sizes = {(tp.topic, tp.partition): size for tp, size in log_dir_sizes(client, wanted).items()}
    except (UnsupportedApiError, KafkaResponseError):
        sizes = {}
    shown: dict[tuple[str, int], str] = {}
    for name, numbers in wanted.items():
        for number in numbers:
            key = (name, number)
            text = "".join(
                f"\t{label}: {values[key]}"
                for label, values in (("LogStartOffset", starts), ("HighWatermark", ends),
                                      ("Size", sizes))
                if key in values
            )
            shown[key] = text
    return shown


def _topic_configs(client: KafkaClient, names: list[str]) -> dict[str, str]:
    if not names:
        return {}
    try:
        results = admin.describe_configs(client, ResourceType.TOPIC, names)
    except UnsupportedApiError as exc:
        report("topics", f"configs not shown: {exc}")
        return {}
    shown = {}
    for name, result in results.items():
        result.raise_for_error()
        shown[name] = ",".join(
            f"{e.name}={e.value if e.value is not None else 'null'}"
            for e in result.entries
            if e.source == ConfigSource.DYNAMIC_TOPIC_CONFIG
        )
    return shown


def _leader(node_id: int) -> str:
    return "none" if node_id < 0 else str(node_id)


def _ids(ids: tuple[int, ...]) -> str:
    return ",".join(str(i) for i in ids)


def _create(args: argparse.Namespace) -> int:
    topic = NewTopic(args.topic, args.partitions, args.replication_factor, dict(args.config))
    with connect(args) as client:
        (result,) = admin.create_topics(client, [topic], timeout_ms=args.request_timeout_ms)
    if result.error_code == ErrorCode.TOPIC_ALREADY_EXISTS and args.if_not_exists:
        return 0
    result.raise_for_error()
    print(f"Created topic {args.topic}.")
    return 0


def _delete(args: argparse.Namespace) -> int:
    with connect(args) as client:
        results = admin.delete_topics(client, args.topic, timeout_ms=args.request_timeout_ms)
    status = 0
    missing = (ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.UNKNOWN_TOPIC_ID)
    for result in results:
        if result.error_code in missing and args.if_exists:
            continue
        if result.error_code != ErrorCode.NONE:
            report(
                "topics",
                KafkaResponseError(
                    result.error_code, result.error_message, f"topic {result.name}"
                ).describe(),
            )
            status = 1
        else:
            print(f"Deleted topic {result.name}.")
    return status


def _alter(args: argparse.Namespace) -> int:
    sets = [pair for text in args.add_config for pair in parse_config_list(text)]
    deletes = [key.strip() for text in args.delete_config for key in text.split(",") if key.strip()]
    if args.partitions is None and not sets and not deletes:
        raise ToolError("alter needs --partitions, --add-config or --delete-config")
    with connect(args) as client:
        if args.partitions is not None:
            (result,) = admin.create_partitions(
                client, {args.topic: args.partitions}, timeout_ms=args.request_timeout_ms
            )
            result.raise_for_error()
            print(f"Topic {args.topic} now has {args.partitions} partitions.")
        if sets or deletes:
            operations: list[tuple[str, AlterOp, str | None]] = [
                (key, AlterOp.SET, value) for key, value in sets
            ]
            operations += [(key, AlterOp.DELETE, None) for key in deletes]
            config_result = admin.incremental_alter_configs(
                client, ResourceType.TOPIC, args.topic, operations
            )
            config_result.raise_for_error()
            print(f"Completed updating config for topic {args.topic}.")
    return 0
