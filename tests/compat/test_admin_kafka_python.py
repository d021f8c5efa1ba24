"""The admin APIs through kafka-python 3.x's KafkaAdminClient.

CreateTopics (configs, errors, validate_only), Metadata-based describe_topics (partitions,
replicas, topic ids), DescribeConfigs of a topic and of the broker, AlterConfigs and
IncrementalAlterConfigs, CreatePartitions, DeleteRecords, ListOffsets, DeleteTopics and
recreating a topic, and that all of it survives a broker restart. The expectations shared
with the other clients are in admin_helpers.py.

kafka-python's ``alter_configs(..., incremental=False)`` (legacy AlterConfigs) first reads
the topic's current overrides and sends them along, so that the broker's replace semantics
keep them; ``reset_configs(..., incremental=False)`` sends the overrides *without* the named
keys, which the broker must then drop. Alter results come back as ``'OK'`` or the error's
text (``[Error 40] InvalidConfigurationError: ...``). A consumer with
``auto_offset_reset='none'`` that fetches below the log start raises OffsetOutOfRangeError.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import compat_admin_helpers as ah
import compat_helpers as h
import kafka.errors as Errors
import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import AlterConfigOp, ConfigResource, KafkaAdminClient, OffsetSpec

pytestmark = pytest.mark.compat


# --------------------------------------------------------------------------- client glue


@pytest.fixture
def admin(broker) -> Iterator[KafkaAdminClient]:
    client = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
    try:
        yield client
    finally:
        client.close()


def create(
    admin: KafkaAdminClient,
    topic: str,
    partitions: int = 3,
    rf: int = 1,
    configs: dict[str, str] | None = None,
    validate_only: bool = False,
) -> dict:
    """The topic's entry of the CreateTopics answer (errors are not raised)."""
    spec = {"num_partitions": partitions, "replication_factor": rf, "configs": configs or {}}
    result = admin.create_topics({topic: spec}, validate_only=validate_only, raise_errors=False)
    [entry] = result["topics"]
    assert entry["name"] == topic
    return entry


def describe_topic(admin: KafkaAdminClient, topic: str) -> dict:
    [desc] = admin.describe_topics([topic])
    return desc


def node_id(admin: KafkaAdminClient) -> int:
    [node] = admin.describe_cluster()["brokers"]
    return node["broker_id"]


def check_layout(admin: KafkaAdminClient, topic: str, partitions: int) -> None:
    desc = describe_topic(admin, topic)
    assert desc["error_code"] == 0, desc
    node = node_id(admin)
    layout = sorted(
        (p["partition_index"], p["error_code"], p["leader_id"], p["replica_nodes"], p["isr_nodes"])
        for p in desc["partitions"]
    )
    assert layout == [(p, 0, node, [node], [node]) for p in range(partitions)]


def configs_of(admin: KafkaAdminClient, kind: str, name: str) -> dict[str, ah.Cfg]:
    described = admin.describe_configs([ConfigResource(kind, name)], config_filter="all")
    return {
        n: ah.Cfg(c["value"], c["config_source"], c["read_only"], c["is_sensitive"])
        for n, c in described[kind.lower()][name].items()
    }


def topic_configs(admin: KafkaAdminClient, topic: str) -> dict[str, ah.Cfg]:
    return configs_of(admin, "TOPIC", topic)


def alter_code(result: dict, topic: str) -> int:
    """0 for 'OK', else the Kafka error code in the client's error text."""
    text = result["topic"][topic]
    if text == "OK":
        return 0
    match = re.match(r"\[Error (-?\d+)\]", text)
    assert match, text
    return int(match.group(1))


def delete_records(
    admin: KafkaAdminClient, topic: str, partition: int, offset: int
) -> tuple[int, int | None]:
    tp = TopicPartition(topic, partition)
    try:
        result = admin.delete_records({tp: offset})
    except Errors.BrokerResponseError as exc:
        return exc.errno, None
    assert result[tp]["error_code"] == 0
    return 0, result[tp]["low_watermark"]


def offsets(admin: KafkaAdminClient, topic: str, partitions: int) -> dict[int, tuple[int, int]]:
    """ListOffsets earliest and latest per partition."""
    tps = [TopicPartition(topic, p) for p in range(partitions)]
    low = admin.list_partition_offsets({tp: OffsetSpec.EARLIEST for tp in tps})
    high = admin.list_partition_offsets({tp: OffsetSpec.LATEST for tp in tps})
    return {tp.partition: (low[tp].offset, high[tp].offset) for tp in tps}


def produce(
    bootstrap: str, topic: str, partition: int, values: list[bytes]
) -> list[tuple[int, int | None]]:
    """Each value (keyed), one at a time: (error code, offset) per value."""
    producer = KafkaProducer(bootstrap_servers=bootstrap)
    out: list[tuple[int, int | None]] = []
    try:
        for i, value in enumerate(values):
            try:
                md = producer.send(topic, value=value, key=b"key-%d" % i, partition=partition).get(
                    30
                )
            except Errors.BrokerResponseError as exc:
                out.append((exc.errno, None))
            else:
                out.append((0, md.offset))
    finally:
        producer.close(timeout=10)
    return out


def consume(
    bootstrap: str,
    topic: str,
    partition: int,
    start: int,
    reset: str,
    limit: int,
    timeout: float = 15.0,
) -> list[tuple[int, bytes | None]]:
    """Assign one partition, seek to ``start``; (offset, value) of up to ``limit`` records."""
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap, auto_offset_reset=reset, enable_auto_commit=False
    )
    tp = TopicPartition(topic, partition)
    got: list[tuple[int, bytes | None]] = []
    try:
        consumer.assign([tp])
        consumer.seek(tp, start)
        for left in h.deadline_loop(timeout):
            for records in consumer.poll(timeout_ms=int(min(left, 0.5) * 1000) + 1).values():
                got += [(r.offset, r.value) for r in records]
            if len(got) >= limit:
                break
    finally:
        consumer.close()
    return got


# --------------------------------------------------------------------------- tests


@pytest.mark.timeout(60)
def test_create_topic_with_configs_and_describe(broker, admin) -> None:
    ah.require_apis(broker, ah.API_CREATE_TOPICS, ah.API_DESCRIBE_CONFIGS)
    topic = h.unique_topic("adm-kp")
    entry = create(admin, topic, 3, 1, ah.CREATE_CONFIGS)
    assert entry["error_code"] == 0, entry
    # CreateTopics v5+ answers with the topic's layout and every config (KIP-525), v7 its id
    assert (entry["num_partitions"], entry["replication_factor"]) == (3, 1)
    created = {
        n: ah.Cfg(c["value"], c["config_source"], c["read_only"], c["is_sensitive"])
        for n, c in entry["configs"].items()
    }
    ah.check_topic_configs(broker, created, ah.CREATE_CONFIGS)

    check_layout(admin, topic, 3)
    desc = describe_topic(admin, topic)
    assert desc["name"] == topic and desc["is_internal"] is False
    assert desc["topic_id"] is not None and str(desc["topic_id"]) == str(entry["topic_id"])

    described = topic_configs(admin, topic)
    ah.check_topic_configs(broker, described, ah.CREATE_CONFIGS)
    assert described == created
    # the client's default filter ('modified') leaves just the overrides
    modified = admin.describe_configs([ConfigResource("TOPIC", topic)])["topic"][topic]
    assert {n: c["value"] for n, c in modified.items()} == ah.CREATE_CONFIGS

    ah.check_broker_configs(broker, configs_of(admin, "BROKER", str(node_id(admin))))


@pytest.mark.timeout(60)
def test_create_topic_errors_and_validate_only(broker, admin) -> None:
    ah.require_apis(broker, ah.API_CREATE_TOPICS)
    existing = h.unique_topic("adm-kp")
    assert create(admin, existing)["error_code"] == 0
    bad = ah.bad_topics(existing)
    ah.check_codes(
        {
            b.label: create(admin, b.name, b.partitions, b.replication_factor, b.configs)[
                "error_code"
            ]
            for b in bad
        },
        bad,
    )
    ah.check_codes(
        {
            b.label: create(
                admin, b.name, b.partitions, b.replication_factor, b.configs, validate_only=True
            )["error_code"]
            for b in bad
        },
        bad,
    )
    # the client raises the matching exception when asked to
    with pytest.raises(Errors.TopicAlreadyExistsError):
        admin.create_topics({existing: {"num_partitions": 3, "replication_factor": 1}})

    checked = h.unique_topic("adm-kp-validate")
    entry = create(admin, checked, 2, 1, {"retention.ms": "1000"}, validate_only=True)
    assert (entry["error_code"], entry["num_partitions"], entry["replication_factor"]) == (0, 2, 1)
    listed = set(admin.list_topics())
    assert existing in listed
    assert not listed & ({checked} | {b.name for b in bad if b.label != "exists"})
    check_layout(admin, existing, 3)


@pytest.mark.timeout(60)
def test_alter_configs_legacy_then_incremental(broker, admin) -> None:
    ah.require_apis(
        broker,
        ah.API_CREATE_TOPICS,
        ah.API_DESCRIBE_CONFIGS,
        ah.API_ALTER_CONFIGS,
        ah.API_INCREMENTAL_ALTER_CONFIGS,
    )
    topic = h.unique_topic("adm-kp-alter")
    assert create(admin, topic, 3, 1, ah.CREATE_CONFIGS)["error_code"] == 0

    def legacy(configs: dict[str, str], **kw: object) -> int:
        return alter_code(
            admin.alter_configs([ConfigResource("TOPIC", topic, configs)], incremental=False, **kw),
            topic,
        )

    def incremental(configs: dict[str, object], **kw: object) -> int:
        return alter_code(
            admin.alter_configs([ConfigResource("TOPIC", topic, configs)], incremental=True, **kw),
            topic,
        )

    # legacy AlterConfigs: the client re-sends the other overrides, so they stay
    assert legacy({"max.message.bytes": ah.SMALL_LIMIT, "retention.ms": "7200000"}) == 0
    want = {
        "cleanup.policy": "compact",
        "max.message.bytes": ah.SMALL_LIMIT,
        "retention.ms": "7200000",
    }
    ah.check_topic_configs(broker, topic_configs(admin, topic), want)
    # legacy reset: the client sends the overrides without cleanup.policy; the broker replaces
    result = admin.reset_configs(
        [ConfigResource("TOPIC", topic, ["cleanup.policy"])], incremental=False
    )
    assert alter_code(result, topic) == 0
    want = {"max.message.bytes": ah.SMALL_LIMIT, "retention.ms": "7200000"}
    ah.check_topic_configs(broker, topic_configs(admin, topic), want)

    # the lowered limit acts at once
    assert produce(broker.bootstrap, topic, 0, [ah.SMALL_RECORD, ah.LARGE_RECORD]) == [
        (0, 0),
        (ah.MESSAGE_TOO_LARGE, None),
    ]

    assert (
        incremental(
            {
                "retention.ms": (AlterConfigOp.SET, "1800000"),
                "cleanup.policy": (AlterConfigOp.APPEND, "compact"),
                "max.message.bytes": (AlterConfigOp.DELETE, None),
            }
        )
        == 0
    )
    want = {"retention.ms": "1800000", "cleanup.policy": "delete,compact"}
    ah.check_topic_configs(broker, topic_configs(admin, topic), want)
    assert produce(broker.bootstrap, topic, 0, [ah.LARGE_RECORD]) == [(0, 1)]

    assert incremental({"cleanup.policy": (AlterConfigOp.SUBTRACT, "delete")}) == 0
    want = {"retention.ms": "1800000", "cleanup.policy": "compact"}
    ah.check_topic_configs(broker, topic_configs(admin, topic), want)

    # refused alterations change nothing
    assert incremental({"retention.ms": (AlterConfigOp.APPEND, "1")}) == ah.INVALID_CONFIG
    assert incremental({"retention.ms": "soon"}) == ah.INVALID_CONFIG
    assert incremental({"no.such.config": "1"}, raise_on_unknown=False) == ah.INVALID_CONFIG
    assert legacy({"no.such.config": "1"}, raise_on_unknown=False) == ah.INVALID_CONFIG
    with pytest.raises(ValueError, match="Unrecognized configs"):  # the client's own check
        incremental({"no.such.config": "1"})
    missing = h.unique_topic("adm-kp-none")
    result = admin.alter_configs(
        [ConfigResource("TOPIC", missing, {"retention.ms": "1"})],
        incremental=True,
        raise_on_unknown=False,
    )
    assert alter_code(result, missing) == ah.UNKNOWN_TOPIC_OR_PARTITION
    assert incremental({"retention.ms": "1"}, validate_only=True) == 0
    assert ah.overridden(topic_configs(admin, topic)) == want

    # a compact-only topic refuses DeleteRecords
    assert delete_records(admin, topic, 0, 1) == (ah.POLICY_VIOLATION, None)


@pytest.mark.timeout(60)
def test_create_partitions_then_produce_consume(broker, admin) -> None:
    ah.require_apis(broker, ah.API_CREATE_TOPICS, ah.API_CREATE_PARTITIONS)
    topic = h.unique_topic("adm-kp-parts")
    assert create(admin, topic)["error_code"] == 0

    def grow(count: int, validate_only: bool = False) -> int:
        response = admin.create_partitions(
            {topic: count}, validate_only=validate_only, raise_errors=False
        )
        [result] = response.results
        return result.error_code

    assert grow(5, validate_only=True) == 0
    check_layout(admin, topic, 3)
    assert grow(5) == 0
    check_layout(admin, topic, 5)
    assert grow(4) == ah.INVALID_PARTITIONS
    assert grow(5) == ah.INVALID_PARTITIONS
    with pytest.raises(Errors.InvalidPartitionsError):
        admin.create_partitions({topic: 2})
    check_layout(admin, topic, 5)

    values = [b"p4-%d" % i for i in range(5)]
    assert produce(broker.bootstrap, topic, 4, values) == [(0, i) for i in range(5)]
    assert consume(broker.bootstrap, topic, 4, 0, "earliest", 5) == list(enumerate(values))
    assert offsets(admin, topic, 5) == {0: (0, 0), 1: (0, 0), 2: (0, 0), 3: (0, 0), 4: (0, 5)}
    assert ah.kcat_partitions(broker.bootstrap, topic) == [0, 1, 2, 3, 4]


@pytest.mark.timeout(60)
def test_delete_records_moves_low_watermark(broker, admin) -> None:
    ah.require_apis(broker, ah.API_CREATE_TOPICS, ah.API_DELETE_RECORDS)
    topic = h.unique_topic("adm-kp-records")
    assert create(admin, topic)["error_code"] == 0
    values = [b"v%d" % i for i in range(10)]
    produce(broker.bootstrap, topic, 0, values)
    produce(broker.bootstrap, topic, 1, values[:3])

    assert delete_records(admin, topic, 0, 6) == (0, 6)
    assert delete_records(admin, topic, 0, 2) == (0, 6)
    assert delete_records(admin, topic, 0, 11) == (ah.OFFSET_OUT_OF_RANGE, None)
    assert delete_records(admin, topic, 1, -1) == (0, 3)
    assert offsets(admin, topic, 3) == {0: (6, 10), 1: (3, 3), 2: (0, 0)}

    # below the log start with auto_offset_reset='none': the client raises
    with pytest.raises(Errors.OffsetOutOfRangeError) as info:
        consume(broker.bootstrap, topic, 0, 0, "none", 1)
    assert info.value.args[0] == {TopicPartition(topic, 0): 0}
    assert consume(broker.bootstrap, topic, 0, 0, "earliest", 4) == [
        (i, values[i]) for i in range(6, 10)
    ]


@pytest.mark.timeout(60)
def test_delete_then_recreate_topic(broker, admin) -> None:
    ah.require_apis(broker, ah.API_CREATE_TOPICS, ah.API_DELETE_TOPICS)
    topic = h.unique_topic("adm-kp-recreate")
    assert create(admin, topic, 3, 1, {"retention.ms": "3600000"})["error_code"] == 0
    produce(broker.bootstrap, topic, 0, [b"old-%d" % i for i in range(5)])
    old_id = str(describe_topic(admin, topic)["topic_id"])

    [deleted] = admin.delete_topics([topic])["topics"]
    assert (deleted["name"], deleted["error_code"], str(deleted["topic_id"])) == (topic, 0, old_id)
    assert topic not in admin.list_topics()
    # Metadata from the admin client does not auto-create
    assert describe_topic(admin, topic)["error_code"] == ah.UNKNOWN_TOPIC_OR_PARTITION
    [again] = admin.delete_topics([topic], raise_errors=False)["topics"]
    assert again["error_code"] == ah.UNKNOWN_TOPIC_OR_PARTITION

    entry = create(admin, topic, 2, 1)
    assert entry["error_code"] == 0
    new_id = str(describe_topic(admin, topic)["topic_id"])
    assert new_id == str(entry["topic_id"]) and new_id != old_id
    check_layout(admin, topic, 2)
    ah.check_topic_configs(broker, topic_configs(admin, topic), {})
    assert offsets(admin, topic, 2) == {0: (0, 0), 1: (0, 0)}
    assert produce(broker.bootstrap, topic, 0, [b"new"]) == [(0, 0)]
    assert offsets(admin, topic, 2) == {0: (0, 1), 1: (0, 0)}
    assert consume(broker.bootstrap, topic, 0, 0, "earliest", 1) == [(0, b"new")]


@pytest.mark.timeout(120)
def test_restart_keeps_admin_changes(restartable_broker) -> None:
    b = restartable_broker
    topic = h.unique_topic("adm-kp-restart")
    created = {"retention.ms": "3600000", "max.message.bytes": "2000000"}
    values = [b"r%d" % i for i in range(10)]
    admin = KafkaAdminClient(bootstrap_servers=b.bootstrap)
    try:
        assert create(admin, topic, 3, 1, created)["error_code"] == 0
        result = admin.alter_configs(
            [ConfigResource("TOPIC", topic, {"cleanup.policy": (AlterConfigOp.APPEND, "compact")})],
            incremental=True,
        )
        assert alter_code(result, topic) == 0
        admin.create_partitions({topic: 5})
        produce(b.bootstrap, topic, 4, values)
        produce(b.bootstrap, topic, 0, values[:2])
        assert delete_records(admin, topic, 4, 7) == (0, 7)
        topic_id = str(describe_topic(admin, topic)["topic_id"])
    finally:
        admin.close()
    want = {**created, "cleanup.policy": "delete,compact"}

    b.restart()

    admin = KafkaAdminClient(bootstrap_servers=b.bootstrap)
    try:
        ah.check_topic_configs(b, topic_configs(admin, topic), want)
        check_layout(admin, topic, 5)
        assert str(describe_topic(admin, topic)["topic_id"]) == topic_id
        assert offsets(admin, topic, 5) == {0: (0, 2), 1: (0, 0), 2: (0, 0), 3: (0, 0), 4: (7, 10)}
    finally:
        admin.close()
    assert consume(b.bootstrap, topic, 4, 0, "earliest", 3) == [
        (i, values[i]) for i in range(7, 10)
    ]
    assert produce(b.bootstrap, topic, 4, [b"after"]) == [(0, 10)]
    assert ah.kcat_partitions(b.bootstrap, topic) == [0, 1, 2, 3, 4]


@pytest.mark.timeout(120)
def test_dynamic_broker_config_acts_and_survives_restart(restartable_broker) -> None:
    """IncrementalAlterConfigs on the broker: the topic default moves at once, is reported
    as DYNAMIC_BROKER_CONFIG and stays after a restart; a static config is refused."""
    b = restartable_broker
    topic = h.unique_topic("adm-kp-dyn")
    admin = KafkaAdminClient(bootstrap_servers=b.bootstrap)
    try:
        node = str(node_id(admin))
        assert create(admin, topic, 1, 1)["error_code"] == 0

        def broker_alter(configs: dict[str, object]) -> str:
            result = admin.alter_configs(
                [ConfigResource("BROKER", node, configs)], incremental=True, raise_on_unknown=False
            )
            return result["broker"][node]

        assert broker_alter({"log.retention.ms": (AlterConfigOp.SET, "7200000")}) == "OK"
        # kafka-python checks names against the broker's non-read-only configs first
        with pytest.raises(ValueError, match="num.partitions"):
            admin.alter_configs(
                [ConfigResource("BROKER", node, {"num.partitions": "4"})], incremental=True
            )
        refused = broker_alter({"num.partitions": (AlterConfigOp.SET, "4")})
        assert refused.startswith(f"[Error {ah.INVALID_REQUEST}]"), refused
        assert topic_configs(admin, topic)["retention.ms"] == ah.Cfg(
            "7200000", "DYNAMIC_BROKER_CONFIG", False, False
        )
    finally:
        admin.close()

    b.restart()

    admin = KafkaAdminClient(bootstrap_servers=b.bootstrap)
    try:
        on_broker = configs_of(admin, "BROKER", node)
        assert on_broker["log.retention.ms"] == ah.Cfg(
            "7200000", "DYNAMIC_BROKER_CONFIG", False, False
        )
        assert on_broker["num.partitions"].read_only
        assert topic_configs(admin, topic)["retention.ms"].value == "7200000"
        result = admin.alter_configs(
            [ConfigResource("BROKER", node, {"log.retention.ms": (AlterConfigOp.DELETE, None)})],
            incremental=True,
        )
        assert result["broker"][node] == "OK"
        assert topic_configs(admin, topic)["retention.ms"].source != "DYNAMIC_BROKER_CONFIG"
    finally:
        admin.close()
