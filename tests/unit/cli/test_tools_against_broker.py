"""The client and the three tools against an in-process broker on 127.0.0.1.

Tools run in-process through ``kafkalite.cli.main`` with stdin/stdout swapped for byte
buffers; every consume is bounded by ``--max-messages`` or ``--timeout-ms``.
"""

from __future__ import annotations

import io
import sys

import pytest

from kafkalite.cli import main
from kafkalite.client import admin
from kafkalite.client.client import EARLIEST, LATEST, KafkaClient, TopicPartition
from kafkalite.client.group import GroupMember
from kafkalite.client.partitioner import partition_for_key
from kafkalite.client.records import decode_records
from kafkalite.handlers import advertised
from kafkalite.protocol.messages import REQUESTS


class Cli:
    def __init__(self, monkeypatch: pytest.MonkeyPatch, address: tuple[str, int]) -> None:
        self.monkeypatch = monkeypatch
        self.bootstrap = f"{address[0]}:{address[1]}"

    def __call__(self, *argv: str, stdin: bytes = b"") -> tuple[int, bytes, str]:
        out, err = io.BytesIO(), io.StringIO()
        stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
        self.monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        self.monkeypatch.setattr(sys, "stdout", stdout)
        self.monkeypatch.setattr(sys, "stderr", err)
        command, *rest = argv
        if command in ("topics", "groups"):  # options come after the action
            rest = [rest[0], "--bootstrap-server", self.bootstrap, *rest[1:]]
        else:
            rest = ["--bootstrap-server", self.bootstrap, *rest]
        code = main([command, *rest])
        stdout.flush()
        return code, out.getvalue(), err.getvalue()


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, broker_thread) -> Cli:  # type: ignore[no-untyped-def]
    return Cli(monkeypatch, broker_thread.address)


@pytest.fixture
def client(broker_thread):  # type: ignore[no-untyped-def]
    with KafkaClient(f"127.0.0.1:{broker_thread.address[1]}", timeout=10) as c:
        yield c


def all_records(
    client: KafkaClient, topic: str
) -> dict[int, list[tuple[int, bytes | None, bytes | None, tuple]]]:  # type: ignore[type-arg]
    info = client.topic(topic)
    out = {}
    for p in info.partitions:
        tp = TopicPartition(topic, p.partition)
        part = client.fetch({tp: 0}, max_wait_ms=0)[tp]
        out[p.partition] = [
            (r.offset, r.key, r.value, r.headers) for r in decode_records(part.records).records
        ]
    return out


def test_negotiates_the_highest_common_version(client: KafkaClient) -> None:
    connection = client.any_connection()
    assert connection.versions == {int(k): v for k, v in advertised("4.2").items()}
    for key, (_low, high) in advertised("4.2").items():
        assert connection.version_for(key) == min(high, REQUESTS[key].valid.high)


def test_topics_lifecycle(cli: Cli) -> None:
    assert cli("topics", "create", "--topic", "orders", "--partitions", "3", "--config", "retention.ms=123456") == (
        0, b"Created topic orders.\n", "",
    )  # fmt: skip
    code, out, err = cli("topics", "create", "--topic", "orders", "--partitions", "3")
    assert (code, out) == (1, b"")
    assert err.startswith("kafkalite topics: TOPIC_ALREADY_EXISTS (topic orders)")
    assert cli("topics", "create", "--topic", "orders", "--if-not-exists")[0] == 0
    assert cli("topics", "create", "--topic", "other")[0] == 0  # broker default: num.partitions=1
    assert cli("topics", "list")[1] == b"orders\nother\n"

    code, out, _ = cli("topics", "describe", "--topic", "orders")
    lines = out.decode().splitlines()
    assert code == 0 and len(lines) == 4
    head = lines[0].split("\t")
    assert (
        head[0] == "Topic: orders"
        and head[1].startswith("TopicId: ")
        and len(head[1]) == len("TopicId: ") + 22
    )
    assert head[2:] == ["PartitionCount: 3", "ReplicationFactor: 1", "Configs: retention.ms=123456"]
    assert lines[1:] == [
        f"\tTopic: orders\tPartition: {p}\tLeader: 1\tReplicas: 1\tIsr: 1"
        "\tLogStartOffset: 0\tHighWatermark: 0\tSize: 0"
        for p in range(3)
    ]

    code, out, _ = cli("topics", "alter", "--topic", "orders", "--partitions", "5", "--add-config",
                       "cleanup.policy=[compact,delete],segment.ms=600000", "--delete-config", "retention.ms")  # fmt: skip
    assert (code, out) == (
        0,
        b"Topic orders now has 5 partitions.\nCompleted updating config for topic orders.\n",
    )
    head = cli("topics", "describe", "--topic", "orders")[1].decode().splitlines()[0].split("\t")
    assert head[2:] == [
        "PartitionCount: 5",
        "ReplicationFactor: 1",
        "Configs: cleanup.policy=compact,delete,segment.ms=600000",
    ]

    code, _, err = cli("topics", "alter", "--topic", "orders", "--partitions", "2")
    assert code == 1 and "INVALID_PARTITIONS (topic orders)" in err
    code, _, err = cli("topics", "alter", "--topic", "orders")
    assert code == 1 and "alter needs --partitions, --add-config or --delete-config" in err

    assert cli("topics", "delete", "--topic", "orders") == (0, b"Deleted topic orders.\n", "")
    code, _, err = cli("topics", "delete", "--topic", "orders")
    assert code == 1 and "UNKNOWN_TOPIC_OR_PARTITION (topic orders)" in err
    assert cli("topics", "delete", "--topic", "orders", "--if-exists")[0] == 0
    code, out, err = cli("topics", "describe", "--topic", "orders")
    assert (code, out) == (1, b"") and "UNKNOWN_TOPIC_OR_PARTITION (topic orders)" in err
    assert cli("topics", "list")[1] == b"other\n"


def test_keyed_lines_land_on_their_murmur2_partition(cli: Cli, client: KafkaClient) -> None:
    assert cli("topics", "create", "--topic", "keyed", "--partitions", "4")[0] == 0
    keys = [b"user-%d" % i for i in range(40)]
    stdin = b"".join(k + b":v" + k[5:] + b"\n" for k in keys)
    assert cli("produce", "keyed", "--key-separator", ":", "--batch-size", "7", stdin=stdin)[
        :2
    ] == (0, b"")
    stored = all_records(client, "keyed")
    for partition, records in stored.items():
        assert [k for _, k, _, _ in records] == [
            k for k in keys if partition_for_key(k, 4) == partition
        ]
        assert [o for o, _, _, _ in records] == list(range(len(records)))
    assert sum(len(r) for r in stored.values()) == 40


def test_keyless_lines_go_round_robin(cli: Cli, client: KafkaClient) -> None:
    assert cli("topics", "create", "--topic", "rr", "--partitions", "3")[0] == 0
    assert cli("produce", "rr", stdin=b"a\nb\nc\nd\ne\nf\ng")[0] == 0  # last line unterminated
    assert {p: [v for _, _, v, _ in r] for p, r in all_records(client, "rr").items()} == {
        0: [b"a", b"d", b"g"], 1: [b"b", b"e"], 2: [b"c", b"f"],
    }  # fmt: skip


@pytest.mark.parametrize("codec", ["none", "gzip", "snappy", "lz4", "zstd"])
def test_produce_then_consume_every_codec(cli: Cli, codec: str) -> None:
    lines = [b"line %d \xe2\x9c\x93" % i for i in range(25)] + [b"", b"tab\there"]
    code, out, err = cli(
        "produce", "c", "--compression-codec", codec, stdin=b"\n".join(lines) + b"\n"
    )
    assert (code, out, err) == (0, b"", "")
    code, out, err = cli("consume", "c", "--from-beginning", "--max-messages", str(len(lines)))
    assert (code, out) == (0, b"\n".join(lines) + b"\n")
    assert err == f"Processed a total of {len(lines)} messages\n"


def test_headers_keys_nulls_and_formats(cli: Cli) -> None:
    stdin = b"h1:v1,h2:v2\tk1:one\n\tk2:two\nh:NULL\tNULL:NULL\n"
    args = [
        "--parse-headers",
        "--key-separator",
        ":",
        "--null-marker",
        "NULL",
        "-H",
        "app=cli",
        "--partition",
        "0",
    ]
    assert cli("produce", "h", *args, stdin=stdin)[0] == 0
    code, out, _ = cli(
        "consume",
        "h",
        "--from-beginning",
        "--max-messages",
        "3",
        "--format",
        "%t|%p|%o|%k|%K|%s|%S|%h\\n",
    )
    assert code == 0
    assert out.splitlines() == [
        b"h|0|0|k1|2|one|3|app=cli,h1=v1,h2=v2",
        b"h|0|1|k2|2|two|3|app=cli",
        b"h|0|2||-1||-1|app=cli,h=NULL",
    ]
    code, out, _ = cli("consume", "h", "--offset", "1", "--timeout-ms", "300",
                       "--property", "print.key=true", "--property", "print.offset=true", "--property", "print.headers=true")  # fmt: skip
    assert out == b"Offset:1\tapp:cli\tk2\ttwo\nOffset:2\tapp:cli,h:null\tnull\tnull\n"


def test_consume_start_positions(cli: Cli, client: KafkaClient) -> None:
    assert (
        cli("produce", "pos", stdin=b"".join(b"%d\n" % i for i in range(10)))[0] == 0
    )  # auto-created, 1 partition
    assert cli("consume", "pos", "--offset", "7", "--timeout-ms", "300")[1] == b"7\n8\n9\n"
    assert cli("consume", "pos", "--offset", "-2", "--timeout-ms", "300")[1] == b"8\n9\n"
    assert cli("consume", "pos", "--offset", "-50", "--max-messages", "2")[1] == b"0\n1\n"
    assert (
        cli("consume", "pos", "--offset", "earliest", "--partition", "0", "--max-messages", "1")[1]
        == b"0\n"
    )
    assert cli("consume", "pos", "--timeout-ms", "300")[1] == b""  # the end by default
    assert (
        cli("consume", "pos", "--offset", "500", "--timeout-ms", "300")[1] == b""
    )  # reset to latest
    code, _, err = cli("consume", "pos", "--partition", "3", "--timeout-ms", "100")
    assert code == 1 and "has partitions 0-0, not 3" in err
    offsets = (
        client.list_offsets("pos", {0: EARLIEST})[0].offset,
        client.list_offsets("pos", {0: LATEST})[0].offset,
    )
    assert offsets == (0, 10)


def test_group_consumers_commit_and_resume(cli: Cli, client: KafkaClient) -> None:
    assert cli("topics", "create", "--topic", "g", "--partitions", "3")[0] == 0
    assert cli("produce", "g", stdin=b"".join(b"r%d\n" % i for i in range(9)))[0] == 0
    first = cli(
        "consume",
        "g",
        "--group",
        "readers",
        "--from-beginning",
        "--max-messages",
        "4",
        "--format",
        "%p:%s\\n",
    )
    assert first[0] == 0 and len(first[1].splitlines()) == 4
    rest = cli(
        "consume",
        "g",
        "--group",
        "readers",
        "--from-beginning",
        "--timeout-ms",
        "1000",
        "--format",
        "%p:%s\\n",
    )
    assert rest[0] == 0
    assert sorted(first[1].splitlines() + rest[1].splitlines()) == sorted(
        b"%d:r%d" % (i % 3, i) for i in range(9)
    )
    member = GroupMember(client, "readers", ["g"])
    assert member.committed([TopicPartition("g", p) for p in range(3)]) == {
        TopicPartition("g", p): 3 for p in range(3)
    }
    code, _, err = cli("consume", "g", "--group", "readers", "--partition", "0")
    assert code == 1 and "drop --partition" in err


def test_group_member_range_assignment(client: KafkaClient) -> None:
    client.topic("ga", allow_auto_create=True, wait_s=5)
    member = GroupMember(client, "solo", ["ga"])
    assert member.join() == [TopicPartition("ga", 0)]
    assert member.generation_id >= 1 and member.member_id
    assert member.heartbeat() is True
    member.commit({TopicPartition("ga", 0): 0})
    assert member.committed([TopicPartition("ga", 0)]) == {TopicPartition("ga", 0): 0}
    member.leave()
    assert member.member_id == ""


def test_produce_reports_refused_batches(cli: Cli) -> None:
    assert (
        cli(
            "topics",
            "create",
            "--topic",
            "small",
            "--partitions",
            "1",
            "--config",
            "max.message.bytes=200",
        )[0]
        == 0
    )
    code, _, err = cli(
        "produce", "small", "--batch-size", "1", stdin=b"short\n" + b"x" * 1000 + b"\nshort again\n"
    )
    assert code == 1
    assert err.startswith("kafkalite produce: MESSAGE_TOO_LARGE (small-0)")
    assert err.endswith("; 1 record not written\n") and err.count("\n") == 1
    assert (
        cli("consume", "small", "--from-beginning", "--timeout-ms", "300")[1]
        == b"short\nshort again\n"
    )
    code, _, err = cli("produce", "small", "--partition", "1", stdin=b"x\n")
    assert code == 1 and "topic small has partitions 0-0, not 1" in err
    code, _, err = cli("produce", "small", "--key-separator", ":", stdin=b"k:v\nnokey\n")
    assert code == 1 and "no key separator b':' found on line 2" in err


def test_acks_zero_and_one(cli: Cli, client: KafkaClient) -> None:
    assert cli("produce", "acks", "--acks", "0", stdin=b"a\nb\n")[0] == 0
    assert cli("produce", "acks", "--acks", "1", stdin=b"c\n")[0] == 0
    assert [v for _, _, v, _ in all_records(client, "acks")[0]] == [b"a", b"b", b"c"]


def test_admin_results_keep_error_codes(client: KafkaClient) -> None:
    (created,) = admin.create_topics(
        client, [admin.NewTopic("adm", 2, 1, {"retention.ms": "1000"})]
    )
    assert (created.name, created.error_code) == ("adm", 0)
    (again,) = admin.create_topics(client, [admin.NewTopic("adm", 2, 1)])
    assert again.error_code == 36  # TOPIC_ALREADY_EXISTS
    configs = admin.describe_configs(client, admin.ResourceType.TOPIC, ["adm"], ["retention.ms"])
    assert [(e.name, e.value, e.source) for e in configs["adm"].entries] == [
        ("retention.ms", "1000", 1)
    ]
    result = admin.incremental_alter_configs(
        client,
        admin.ResourceType.TOPIC,
        "adm",
        [("retention.ms", admin.AlterOp.DELETE, None)],
    )
    assert result.error_code == 0
    (grown,) = admin.create_partitions(client, {"adm": 4})
    assert grown.error_code == 0 and len(client.topic("adm").partitions) == 4
    (deleted,) = admin.delete_topics(client, ["adm"])
    assert deleted.error_code == 0
