"""The command-line tools (``kafkalite topics|produce|consume``) against the broker process.

Each tool runs as its own ``python -m kafkalite`` process and talks to the session broker
over the wire; outputs are compared byte for byte. confluent-kafka is the independent
party: it reads what ``kafkalite produce`` wrote (keys, values, headers, partitions) and
writes what ``kafkalite consume`` must print; kafka-python's murmur2 says where keys go.
"""

from __future__ import annotations

import base64
import subprocess
import sys
import time
import uuid

import compat_helpers as h
import confluent_kafka as ck
import pytest
from confluent_kafka.admin import AdminClient
from kafka.partitioner.default import murmur2

pytestmark = pytest.mark.compat

RUN_TIMEOUT_S = 60
API_DESCRIBE_CONFIGS, API_JOIN_GROUP = 32, 11


def kafkalite(
    broker, *argv: str, stdin: bytes = b"", check: bool = True
) -> subprocess.CompletedProcess[bytes]:  # type: ignore[no-untyped-def]
    command, *rest = argv
    if command == "topics":
        rest = [rest[0], "--bootstrap-server", broker.bootstrap, *rest[1:]]
    else:
        rest = ["--bootstrap-server", broker.bootstrap, *rest]
    proc = subprocess.run(
        [sys.executable, "-m", "kafkalite", command, *rest],
        input=stdin, capture_output=True, timeout=RUN_TIMEOUT_S, env=h.broker_env(), check=False,
    )  # fmt: skip
    if check:
        assert proc.returncode == 0, (
            f"kafkalite {' '.join(argv)} exited {proc.returncode}: {proc.stderr.decode()}"
        )
    return proc


def partition_of(key: bytes, partitions: int = h.PARTITIONS) -> int:
    return (murmur2(key) & 0x7FFFFFFF) % partitions


def confluent_read(
    broker, topic: str, count: int, partitions: int = h.PARTITIONS
) -> list[ck.Message]:  # type: ignore[no-untyped-def]
    consumer = ck.Consumer(
        {
            "bootstrap.servers": broker.bootstrap,
            "group.id": f"cli-check-{uuid.uuid4().hex[:8]}",
            "enable.auto.commit": False,
        }
    )
    consumer.assign([ck.TopicPartition(topic, p, ck.OFFSET_BEGINNING) for p in range(partitions)])
    messages: list[ck.Message] = []
    try:
        for _ in h.deadline_loop(30):
            msg = consumer.poll(0.5)
            if msg is None:
                continue
            assert msg.error() is None, msg.error()
            messages.append(msg)
            if len(messages) >= count:
                break
    finally:
        consumer.close()
    assert len(messages) == count, f"confluent-kafka read {len(messages)} of {count} records"
    return sorted(messages, key=lambda m: (m.partition(), m.offset()))


def confluent_produce(
    broker,
    topic: str,
    records: list[tuple[int, bytes | None, bytes | None, list, int]],
    **config: object,
) -> None:  # type: ignore[no-untyped-def,type-arg]
    producer = ck.Producer({"bootstrap.servers": broker.bootstrap, **config})
    errors: list[str] = []
    for partition, key, value, headers, timestamp in records:
        producer.produce(
            topic, key=key, value=value, headers=headers, partition=partition, timestamp=timestamp,
            on_delivery=lambda err, msg: errors.append(str(err)) if err else None,
        )  # fmt: skip
    assert producer.flush(30) == 0
    assert errors == []


@pytest.mark.timeout(120)
def test_topics_commands(broker) -> None:  # type: ignore[no-untyped-def]
    if not broker.supports(h.API_CREATE_TOPICS):
        pytest.skip("the broker does not serve CreateTopics")
    topic = h.unique_topic("cli-topics")
    created = kafkalite(broker, "topics", "create", "--topic", topic, "--partitions", "2", "--replication-factor", "1",
                        "--config", "retention.ms=3600000")  # fmt: skip
    assert created.stdout == f"Created topic {topic}.\n".encode()
    again = kafkalite(
        broker, "topics", "create", "--topic", topic, "--partitions", "2", check=False
    )
    assert again.returncode == 1
    assert again.stderr.decode().startswith(
        f"kafkalite topics: TOPIC_ALREADY_EXISTS (topic {topic})"
    )
    assert topic in kafkalite(broker, "topics", "list").stdout.decode().splitlines()

    admin = AdminClient({"bootstrap.servers": broker.bootstrap})
    description = admin.describe_topics(ck.TopicCollection([topic]))[topic].result(timeout=30)
    # librdkafka prints ids in standard base64; kafka-topics.sh (Java's Uuid.toString) and we
    # use the URL-safe alphabet, so compare the bits
    bits = description.topic_id
    mask = (1 << 64) - 1
    raw = ((bits.get_most_significant_bits() & mask) << 64) | (
        bits.get_least_significant_bits() & mask
    )
    topic_id = base64.urlsafe_b64encode(raw.to_bytes(16, "big")).decode().rstrip("=")
    configs = "retention.ms=3600000" if broker.supports(API_DESCRIBE_CONFIGS) else ""
    empty = "\tLogStartOffset: 0\tHighWatermark: 0\tSize: 0"  # a new topic's partitions
    described = kafkalite(broker, "topics", "describe", "--topic", topic).stdout.decode()
    assert described == (
        f"Topic: {topic}\tTopicId: {topic_id}\tPartitionCount: 2\tReplicationFactor: 1\tConfigs: {configs}\n"
        f"\tTopic: {topic}\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1{empty}\n"
        f"\tTopic: {topic}\tPartition: 1\tLeader: 1\tReplicas: 1\tIsr: 1{empty}\n"
    ).replace("Leader: 1", f"Leader: {description.partitions[0].leader.id}").replace(
        "Replicas: 1\tIsr: 1",
        f"Replicas: {description.partitions[0].leader.id}\tIsr: {description.partitions[0].leader.id}",
    )

    altered = kafkalite(broker, "topics", "alter", "--topic", topic, "--partitions", "4",
                        "--add-config", "cleanup.policy=[compact,delete]", "--delete-config", "retention.ms")  # fmt: skip
    assert (
        altered.stdout
        == f"Topic {topic} now has 4 partitions.\nCompleted updating config for topic {topic}.\n".encode()
    )
    metadata = admin.list_topics(topic, timeout=30).topics[topic]
    assert sorted(metadata.partitions) == [0, 1, 2, 3]
    head = kafkalite(broker, "topics", "describe", "--topic", topic).stdout.decode().splitlines()[0]
    assert head.endswith(
        "PartitionCount: 4\tReplicationFactor: 1\tConfigs: cleanup.policy=compact,delete"
    )

    assert (
        kafkalite(broker, "topics", "delete", "--topic", topic).stdout
        == f"Deleted topic {topic}.\n".encode()
    )
    gone = kafkalite(broker, "topics", "describe", "--topic", topic, check=False)
    assert gone.returncode == 1 and b"UNKNOWN_TOPIC_OR_PARTITION" in gone.stderr


@pytest.mark.timeout(120)
def test_produce_then_consume_exact_output(broker) -> None:  # type: ignore[no-untyped-def]
    topic = h.unique_topic("cli-lines")
    lines = [b"line-%d %s" % (i, b"payload " * (i % 4)) for i in range(30)] + [
        "\U0001f4e6 utf-8".encode()
    ]
    kafkalite(broker, "produce", topic, stdin=b"\n".join(lines) + b"\n")
    # keyless lines go round-robin: line i to partition i % 3 at offset i // 3
    expected = sorted((i % 3, i // 3, line) for i, line in enumerate(lines))
    out = kafkalite(broker, "consume", topic, "--from-beginning", "--max-messages", str(len(lines)),
                    "--format", "%p|%o|%s\\n")  # fmt: skip
    assert sorted(out.stdout.splitlines()) == sorted(b"%d|%d|%s" % e for e in expected)
    assert out.stderr == b"Processed a total of %d messages\n" % len(lines)
    single = kafkalite(broker, "consume", topic, "--partition", "1", "--from-beginning", "--max-messages", "100",
                       "--timeout-ms", "1500")  # fmt: skip
    assert single.stdout == b"".join(line + b"\n" for i, line in enumerate(lines) if i % 3 == 1)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("codec", h.CODECS)
def test_confluent_reads_what_the_cli_wrote(broker, codec: str) -> None:  # type: ignore[no-untyped-def]
    topic = h.unique_topic("cli-to-ck")
    keys = [b"key-%d" % i for i in range(60)]
    stdin = b"".join(b"n:%d,kind:test\t%s|value %d\n" % (i, k, i) for i, k in enumerate(keys))
    kafkalite(broker, "produce", topic, "--parse-headers", "--key-separator", "|", "--compression-codec", codec,
              "--header", "origin=cli", stdin=stdin)  # fmt: skip
    messages = confluent_read(broker, topic, len(keys))
    seen = {}
    for msg in messages:
        i = int(msg.value().split()[1])
        assert msg.key() == keys[i]
        assert msg.partition() == partition_of(keys[i]), (
            f"{keys[i]!r} on partition {msg.partition()}"
        )
        assert msg.headers() == [("origin", b"cli"), ("n", b"%d" % i), ("kind", b"test")]
        assert msg.timestamp()[0] == ck.TIMESTAMP_CREATE_TIME
        seen[i] = (msg.partition(), msg.offset())
    assert sorted(seen) == list(range(len(keys)))
    for p in range(h.PARTITIONS):  # per partition, input order and contiguous offsets
        in_order = [seen[i] for i in range(len(keys)) if seen[i][0] == p]
        assert [o for _, o in in_order] == list(range(len(in_order)))


@pytest.mark.timeout(120)
@pytest.mark.parametrize("codec", h.CODECS)
def test_cli_reads_what_confluent_wrote(broker, codec: str) -> None:  # type: ignore[no-untyped-def]
    topic = h.unique_topic("ck-to-cli")
    records = []
    for i in range(30):
        key = None if i % 5 == 0 else b"k%d" % i
        value = None if i % 7 == 3 else b"value %d" % i
        headers = [("h", b"%d" % i), ("empty", b"")] if i % 2 else []
        records.append((i % h.PARTITIONS, key, value, headers, h.BASE_TS + i))
    confluent_produce(broker, topic, records, **{"compression.type": codec, "linger.ms": 50})
    out = kafkalite(broker, "consume", topic, "--from-beginning", "--max-messages", str(len(records)),
                    "--format", "%p|%k|%s|%h|%T\\n", "--null-literal", "<null>")  # fmt: skip
    expected = []
    for partition, key, value, headers, ts in records:
        shown_headers = b",".join(name.encode() + b"=" + v for name, v in headers)
        expected.append(
            b"%d|%s|%s|%s|%d" % (partition, key or b"<null>", value or b"<null>", shown_headers, ts)
        )
    got = out.stdout.splitlines()
    assert sorted(got) == sorted(expected)
    for p in range(h.PARTITIONS):  # each partition prints in produce order
        assert [g for g in got if g.startswith(b"%d|" % p)] == [
            e for e in expected if e.startswith(b"%d|" % p)
        ]


@pytest.mark.timeout(120)
def test_keys_land_where_java_partitioners_put_them(broker) -> None:  # type: ignore[no-untyped-def]
    keys = [b"customer-%d" % i for i in range(50)] + [b"", b"\xff\xfe", b"a"]
    ours, theirs = h.unique_topic("cli-murmur"), h.unique_topic("ck-murmur")
    kafkalite(
        broker,
        "produce",
        ours,
        "--key-separator",
        "\\t",
        stdin=b"".join(k + b"\tv\n" for k in keys),
    )
    confluent_produce(
        broker, theirs, [(-1, k, b"v", [], h.BASE_TS) for k in keys], partitioner="murmur2_random"
    )
    placed = {m.key(): m.partition() for m in confluent_read(broker, ours, len(keys))}
    reference = {m.key(): m.partition() for m in confluent_read(broker, theirs, len(keys))}
    assert placed == reference == {k: partition_of(k) for k in keys}


@pytest.mark.timeout(180)
def test_group_members_split_partitions_and_commit(broker) -> None:  # type: ignore[no-untyped-def]
    if not broker.supports(API_JOIN_GROUP):
        pytest.skip("the broker does not serve consumer groups")
    topic, group = h.unique_topic("cli-group"), f"cli-group-{uuid.uuid4().hex[:8]}"
    kafkalite(broker, "produce", topic, stdin=b"warm-up\n", check=True)  # creates the topic
    offsets = {p: 1 if p == 0 else 0 for p in range(h.PARTITIONS)}
    command = [sys.executable, "-m", "kafkalite", "consume", topic, "--bootstrap-server", broker.bootstrap,
               "--group", group, "--from-beginning", "--timeout-ms", "15000", "--format", "%p %o %s\\n"]  # fmt: skip
    members = [
        subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=h.broker_env()
        )
    ]
    admin = AdminClient({"bootstrap.servers": broker.bootstrap})
    try:
        time.sleep(1.0)
        members.append(
            subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=h.broker_env()
            )
        )
        for _ in h.deadline_loop(30):  # both members joined and the group is stable
            state = admin.describe_consumer_groups([group])[group].result(timeout=10)
            if len(state.members) == 2 and str(state.state).endswith("STABLE"):
                break
            time.sleep(0.2)
        else:
            pytest.fail("the two consumers never formed a stable group")
        lines = b"".join(b"m%d\n" % i for i in range(30))
        kafkalite(broker, "produce", topic, stdin=lines)
        outputs = [m.communicate(timeout=60)[0] for m in members]
    finally:
        for m in members:
            if m.poll() is None:
                m.kill()
                m.wait(timeout=10)
    assert [m.returncode for m in members] == [0, 0]
    printed = [line.split() for out in outputs for line in out.splitlines()]
    assert sorted(v for _, _, v in printed) == sorted(
        [b"warm-up"] + [b"m%d" % i for i in range(30)]
    )
    # The first member read the warm-up record while it owned every partition; once both are
    # in the group, the range assignor gives one member two partitions and the other one,
    # and each record produced after that is read by the owner of its partition only.
    after_join = [
        {int(p) for p, _, v in (line.split() for line in out.splitlines()) if v != b"warm-up"}
        for out in outputs
    ]
    assert not (after_join[0] & after_join[1]), (
        f"both members read partitions {after_join[0] & after_join[1]}"
    )
    assert sorted(map(len, after_join)) == [1, 2]
    for partition, offset, _ in printed:
        offsets[int(partition)] = max(offsets[int(partition)], int(offset) + 1)
    consumer = ck.Consumer({"bootstrap.servers": broker.bootstrap, "group.id": group})
    try:
        committed = consumer.committed(
            [ck.TopicPartition(topic, p) for p in range(h.PARTITIONS)], timeout=30
        )
    finally:
        consumer.close()
    assert {tp.partition: tp.offset for tp in committed} == offsets
