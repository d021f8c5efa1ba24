"""``kafkalite groups``: list, describe, reset offsets of and delete consumer groups, with the
options and output of Kafka's kafka-consumer-groups.sh.

    kafkalite groups list            [--state [STATE ...]]
    kafkalite groups describe GROUP  [--members | --state | --offsets]   (or --group G, --all-groups)
    kafkalite groups reset-offsets   --group G (--topic T[:P,P] ... | --all-topics)
                                     (--to-earliest | --to-latest | --to-current |
                                      --to-offset N | --to-datetime YYYY-MM-DDTHH:mm:SS.sss |
                                      --shift-by N) [--dry-run | --execute]
    kafkalite groups delete          --group G [--group G ...]

``describe`` prints GROUP, TOPIC, PARTITION, CURRENT-OFFSET, LOG-END-OFFSET, LAG,
CONSUMER-ID, HOST, CLIENT-ID: one row per partition the group has committed or a member is
assigned, ``-`` where there is no value. The log end offset is ListOffsets LATEST
(read_uncommitted), as Kafka's tool asks for it. ``reset-offsets`` prints the plan (GROUP,
TOPIC, PARTITION, NEW-OFFSET) and commits it only with ``--execute``, and only while the group
has no members, as Kafka requires; target offsets are clamped to the partition's log start
and end. ``--to-datetime`` without a zone is local time, as in Kafka.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from kafkalite.client.client import EARLIEST, LATEST, KafkaClient, TopicPartition
from kafkalite.client.errors import error_name
from kafkalite.client.group_admin import (
    GroupInfo,
    commit_offsets,
    committed_offsets,
    delete_groups,
    describe_group,
    list_groups,
)
from kafkalite.protocol.errors import ErrorCode
from kafkalite.tools.common import ToolError, common_options, connect, run_tool

__all__ = ["add_parser", "format_table", "parse_datetime"]

_INACTIVE = ("Empty", "Dead")


def add_parser(commands: Any) -> None:
    parent = common_options()
    groups = commands.add_parser(
        "groups",
        help="list, describe, reset offsets of and delete consumer groups",
        description="Consumer groups on a running broker (like kafka-consumer-groups.sh).",
    )
    actions = groups.add_subparsers(dest="action", required=True, metavar="ACTION")

    listing = actions.add_parser("list", parents=[parent], help="group ids, one per line")
    listing.add_argument(
        "--state", nargs="*", default=None, metavar="STATE",
        help="show each group's state too; with states, only groups in them",
    )
    listing.set_defaults(run=_list)

    describe = actions.add_parser(
        "describe", parents=[parent], help="offsets, log end offsets and lag per partition"
    )
    describe.add_argument("group_name", nargs="?", metavar="GROUP")
    describe.add_argument("--group", action="append", default=[], metavar="G")
    describe.add_argument("--all-groups", action="store_true", help="describe every group")
    view = describe.add_mutually_exclusive_group()
    view.add_argument("--members", action="store_true", help="members and their partitions")
    view.add_argument("--state", action="store_true", help="coordinator, strategy, state")
    view.add_argument("--offsets", action="store_true", help="offsets and lag (the default)")
    describe.add_argument(
        "--verbose", action="store_true", help="with --members: the assigned partitions"
    )
    describe.set_defaults(run=_describe)

    reset = actions.add_parser(
        "reset-offsets", parents=[parent], help="move a group's committed offsets"
    )
    reset.add_argument("--group", required=True, metavar="G")
    scope = reset.add_mutually_exclusive_group(required=True)
    scope.add_argument(
        "--topic", action="append", metavar="T[:P,...]",
        help="topic, optionally with partitions (repeatable)",
    )
    scope.add_argument("--all-topics", action="store_true", help="every topic the group committed")
    target = reset.add_mutually_exclusive_group(required=True)
    target.add_argument("--to-earliest", action="store_true")
    target.add_argument("--to-latest", action="store_true")
    target.add_argument("--to-current", action="store_true")
    target.add_argument("--to-offset", type=int, metavar="N")
    target.add_argument("--to-datetime", metavar="YYYY-MM-DDTHH:mm:SS.sss")
    target.add_argument("--shift-by", type=int, metavar="N")
    mode = reset.add_mutually_exclusive_group()
    mode.add_argument("--dry-run", action="store_true", help="print the plan only (default)")
    mode.add_argument("--execute", action="store_true", help="commit the new offsets")
    reset.set_defaults(run=_reset)

    delete = actions.add_parser("delete", parents=[parent], help="delete groups (DeleteGroups)")
    delete.add_argument("group_name", nargs="?", metavar="GROUP")
    delete.add_argument("--group", action="append", default=[], metavar="G")
    delete.set_defaults(run=_delete)

    groups.set_defaults(tool=lambda args: run_tool("groups", args.run, args))


# -- output --------------------------------------------------------------------------------


def format_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Left-aligned columns, each as wide as its widest cell (at least 15 but the last)."""
    cells = [list(header), *[[str(cell) for cell in row] for row in rows]]
    widths = [max(15, *(len(row[i]) for row in cells)) for i in range(len(header))]
    lines = []
    for row in cells:
        padded = [cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])]
        lines.append(" ".join([*padded, row[-1]]).rstrip())
    return "\n".join(lines)


def _dash(value: int | None) -> object:
    return "-" if value is None else value


# -- list ----------------------------------------------------------------------------------


def _list(args: argparse.Namespace) -> int:
    with connect(args) as client:
        listed = list_groups(client, args.state or ())
    if args.state is None:
        for group in listed:
            print(group.group_id)
    else:
        print(format_table(("GROUP", "STATE"), [(g.group_id, g.state) for g in listed]))
    return 0


# -- describe ------------------------------------------------------------------------------


def _group_names(args: argparse.Namespace) -> list[str]:
    names = ([args.group_name] if args.group_name else []) + list(args.group)
    if not names:
        raise ToolError("no group given (GROUP or --group G)")
    return list(dict.fromkeys(names))


def _describe(args: argparse.Namespace) -> int:
    status = 0
    with connect(args) as client:
        names = (
            [g.group_id for g in list_groups(client)] if args.all_groups else _group_names(args)
        )
        for group_id in names:
            info = describe_group(client, group_id)
            if info.state == "Dead":
                print(f"\nError: Consumer group '{group_id}' does not exist.", file=sys.stderr)
                status = 1
                continue
            if args.state:
                _print_state(info)
            elif args.members:
                _print_members(info, args.verbose)
            else:
                _print_offsets(client, info)
    return status


def _print_state(info: GroupInfo) -> None:
    node, host, port = info.coordinator
    print()
    print(
        format_table(
            ("GROUP", "COORDINATOR (ID)", "ASSIGNMENT-STRATEGY", "STATE", "#MEMBERS"),
            [(info.group_id, f"{host}:{port} ({node})", info.protocol or "", info.state,
              len(info.members))],
        )
    )


def _print_members(info: GroupInfo, verbose: bool) -> None:
    print()
    if not info.members:
        print(f"Consumer group '{info.group_id}' has no active members.")
        return
    header = ["GROUP", "CONSUMER-ID", "HOST", "CLIENT-ID", "#PARTITIONS"]
    if verbose:
        header.append("ASSIGNMENT")
    rows = []
    for member in info.members:
        row: list[object] = [
            info.group_id, member.member_id, member.host, member.client_id, len(member.assignment)
        ]
        if verbose:
            row.append(_assignment_text(member.assignment) or "-")
        rows.append(row)
    print(format_table(header, rows))


def _assignment_text(partitions: Sequence[TopicPartition]) -> str:
    by_topic: dict[str, list[int]] = {}
    for tp in partitions:
        by_topic.setdefault(tp.topic, []).append(tp.partition)
    return ",".join(f"{t}({','.join(map(str, ps))})" for t, ps in sorted(by_topic.items()))


def _end_offsets(client: KafkaClient, partitions: Sequence[TopicPartition], spec: int) -> dict[
    TopicPartition, int
]:
    by_topic: dict[str, list[int]] = {}
    for tp in partitions:
        by_topic.setdefault(tp.topic, []).append(tp.partition)
    result: dict[TopicPartition, int] = {}
    for topic, numbers in sorted(by_topic.items()):
        answers = client.list_offsets(topic, dict.fromkeys(numbers, spec))
        for number, answer in answers.items():
            if answer.error_code == ErrorCode.NONE:
                result[TopicPartition(topic, number)] = answer.offset
    return result


def _print_offsets(client: KafkaClient, info: GroupInfo) -> None:
    committed = committed_offsets(client, info.group_id)
    owners = {tp: member for member in info.members for tp in member.assignment}
    partitions = sorted(set(committed) | set(owners))
    ends = _end_offsets(client, partitions, LATEST)
    print()
    if not info.members:
        print(f"Consumer group '{info.group_id}' has no active members.\n")
    rows: list[list[object]] = []
    for tp in partitions:
        current, end = committed.get(tp), ends.get(tp)
        lag = end - current if current is not None and end is not None else None
        owner = owners.get(tp)
        rows.append([
            info.group_id, tp.topic, tp.partition, _dash(current), _dash(end), _dash(lag),
            owner.member_id if owner else "-", owner.host if owner else "-",
            owner.client_id if owner else "-",
        ])
    for member in info.members:  # members with nothing assigned still get a row
        if not member.assignment:
            rows.append([info.group_id, "-", "-", "-", "-", "-", member.member_id, member.host,
                         member.client_id])
    print(format_table(
        ("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID",
         "HOST", "CLIENT-ID"),
        rows,
    ))


# -- reset-offsets -------------------------------------------------------------------------


def parse_datetime(text: str) -> int:
    """Kafka's ``--to-datetime`` (``YYYY-MM-DDTHH:mm:SS.sss``, optional zone) in epoch ms;
    without a zone the time is local."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ToolError(
            f"--to-datetime expects YYYY-MM-DDTHH:mm:SS.sss (optionally a zone), got {text!r}"
        ) from None
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return int(moment.timestamp() * 1000)


def _reset_scope(client: KafkaClient, args: argparse.Namespace, committed: dict[
    TopicPartition, int
]) -> list[TopicPartition]:
    if args.all_topics:
        return sorted(committed)
    partitions: list[TopicPartition] = []
    for spec in args.topic:
        topic, _, numbers = spec.partition(":")
        if numbers:
            try:
                partitions += [TopicPartition(topic, int(n)) for n in numbers.split(",") if n]
            except ValueError:
                raise ToolError(f"--topic expects TOPIC or TOPIC:P,P..., got {spec!r}") from None
            continue
        info = client.metadata([topic]).topics.get(topic)
        if info is None or info.error_code != ErrorCode.NONE:
            code = info.error_code if info else ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
            raise ToolError(f"{error_name(code)} (topic {topic})")
        partitions += [TopicPartition(topic, p.partition) for p in info.partitions]
    return sorted(set(partitions))


def _reset(args: argparse.Namespace) -> int:
    with connect(args) as client:
        info = describe_group(client, args.group)
        if args.execute and info.state not in _INACTIVE:
            raise ToolError(
                f"Assignments can only be reset if the group '{args.group}' is inactive, but the "
                f"current state is {info.state}."
            )
        committed = committed_offsets(client, args.group)
        partitions = _reset_scope(client, args, committed)
        earliest = _end_offsets(client, partitions, EARLIEST)
        latest = _end_offsets(client, partitions, LATEST)
        targets: dict[TopicPartition, int] = {}
        if args.to_datetime is not None:
            at = _end_offsets(client, partitions, parse_datetime(args.to_datetime))
        for tp in partitions:
            low, high = earliest.get(tp), latest.get(tp)
            if low is None or high is None:
                raise ToolError(f"no offsets for {tp} (does the partition exist?)")
            if args.to_earliest:
                wanted = low
            elif args.to_latest:
                wanted = high
            elif args.to_current:
                wanted = committed.get(tp, high)
            elif args.to_offset is not None:
                wanted = args.to_offset
            elif args.shift_by is not None:
                wanted = committed.get(tp, high) + args.shift_by
            else:  # --to-datetime: the first offset at or after it, else the log end
                found = at.get(tp, -1)
                wanted = found if found >= 0 else high
            targets[tp] = min(max(wanted, low), high)
        if args.execute and targets:
            commit_offsets(client, args.group, targets)
    print()
    print(format_table(
        ("GROUP", "TOPIC", "PARTITION", "NEW-OFFSET"),
        [(args.group, tp.topic, tp.partition, offset) for tp, offset in sorted(targets.items())],
    ))
    if not args.execute and not args.dry_run:
        print(
            "\nWARN: No action will be performed as the --execute option is missing. "
            "Add --dry-run to say so, or --execute to commit the new offsets.",
            file=sys.stderr,
        )
    return 0


# -- delete --------------------------------------------------------------------------------


def _delete(args: argparse.Namespace) -> int:
    names = _group_names(args)
    with connect(args) as client:
        results = delete_groups(client, names)
    failed = {g: code for g, code in results.items() if code != ErrorCode.NONE}
    deleted = [g for g in names if results.get(g) == ErrorCode.NONE]
    if deleted:
        quoted = ", ".join(f"'{g}'" for g in deleted)
        print(f"Deletion of requested consumer groups ({quoted}) was successful.")
    if failed:
        print("Deletion of some consumer groups failed:", file=sys.stderr)
        for group, code in failed.items():
            print(f"* Group '{group}' could not be deleted due to: {error_name(code)}",
                  file=sys.stderr)
        return 1
    return 0
