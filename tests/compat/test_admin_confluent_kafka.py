"""The admin APIs through confluent-kafka's (librdkafka's) AdminClient.

CreateTopics (configs, errors, validate_only), DescribeTopics (partitions, replicas, topic
ids), DescribeConfigs of a topic and of the broker, AlterConfigs (the legacy call, which
replaces a topic's overrides) and IncrementalAlterConfigs (SET, DELETE, APPEND, SUBTRACT),
CreatePartitions, DeleteRecords, DeleteTopics and recreating a topic, and that all of it
survives a broker restart. Each change is checked by its effect on a producer or consumer
too. The expectations shared with the other clients are in admin_helpers.py.

librdkafka reports a broker's refusal of a produce request in the delivery report (code 10,
"Broker: Message size too large"); a consumer with ``auto.offset.reset=error`` that fetches
below the log start gets an error message with code ``_AUTO_OFFSET_RESET``.
"""

from __future__ import annotations

import uuid
import warnings
from concurrent.futures import Future

import compat_admin_helpers as ah
import compat_helpers as h
import confluent_kafka as ck
import pytest
from confluent_kafka import TopicCollection, TopicPartition
from confluent_kafka.admin import (
    AdminClient,
    AlterConfigOpType,
    ConfigEntry,
    ConfigResource,
    ConfigSource,
    NewPartitions,
    NewTopic,
    OffsetSpec,
    ResourceType,
)

pytestmark = pytest.mark.compat

TIMEOUT_S = 10.0


# --------------------------------------------------------------------------- client glue


def new_admin(broker) -> AdminClient:
    return AdminClient({"bootstrap.servers": broker.bootstrap})


def code_of(future: Future) -> int:
    """0 when the admin future succeeded, else the Kafka error code it failed with."""
    try:
        future.result(timeout=30)
    except ck.KafkaException as exc:
        return exc.args[0].code()
    return 0


def create(
    admin: AdminClient,
    topic: str,
    partitions: int = 3,
    rf: int = 1,
    configs: dict[str, str] | None = None,
    validate_only: bool = False,
) -> int:
    futures = admin.create_topics(
        [NewTopic(topic, num_partitions=partitions, replication_factor=rf, config=configs or {})],
        validate_only=validate_only,
        operation_timeout=TIMEOUT_S,
        request_timeout=TIMEOUT_S,
    )
    return code_of(futures[topic])


def describe_topic(admin: AdminClient, topic: str):  # type: ignore[no-untyped-def]
    return admin.describe_topics(TopicCollection([topic]), request_timeout=TIMEOUT_S)[topic].result(
        30
    )


def node_id(admin: AdminClient) -> int:
    [node] = admin.describe_cluster(request_timeout=TIMEOUT_S).result(30).nodes
    return node.id


def check_layout(admin: AdminClient, topic: str, partitions: int) -> None:
    """DescribeTopics: ``partitions`` partitions, each with this one broker as replica,
    in-sync replica and leader (replication factor 1)."""
    desc = describe_topic(admin, topic)
    node = node_id(admin)
    layout = [
        (p.id, p.leader.id, [r.id for r in p.replicas], [r.id for r in p.isr])
        for p in desc.partitions
    ]
    assert layout == [(p, node, [node], [node]) for p in range(partitions)]


def configs_of(admin: AdminClient, resource_type: ResourceType, name: str) -> dict[str, ah.Cfg]:
    resource = ConfigResource(resource_type, name)
    entries = admin.describe_configs([resource], request_timeout=TIMEOUT_S)[resource].result(30)
    return {
        n: ah.Cfg(e.value, ConfigSource(e.source).name, e.is_read_only, e.is_sensitive)
        for n, e in entries.items()
    }


def topic_configs(admin: AdminClient, topic: str) -> dict[str, ah.Cfg]:
    return configs_of(admin, ResourceType.TOPIC, topic)


def alter_legacy(admin: AdminClient, topic: str, configs: dict[str, str]) -> int:
    resource = ConfigResource(ResourceType.TOPIC, topic, set_config=configs)
    with (
        warnings.catch_warnings()
    ):  # the legacy call is deprecated in favour of the incremental one
        warnings.simplefilter("ignore", DeprecationWarning)
        futures = admin.alter_configs([resource], request_timeout=TIMEOUT_S)
    return code_of(futures[resource])


def alter_incremental(
    admin: AdminClient,
    topic: str,
    *ops: tuple[str, AlterConfigOpType, str | None],
    validate_only: bool = False,
) -> int:
    resource = ConfigResource(
        ResourceType.TOPIC,
        topic,
        incremental_configs=[
            ConfigEntry(name, value, incremental_operation=op) for name, op, value in ops
        ],
    )
    futures = admin.incremental_alter_configs(
        [resource], validate_only=validate_only, request_timeout=TIMEOUT_S
    )
    return code_of(futures[resource])


def delete_records(
    admin: AdminClient, topic: str, partition: int, offset: int
) -> tuple[int, int | None]:
    """(error code, low watermark) of DeleteRecords for one partition."""
    tp = TopicPartition(topic, partition, offset)
    future = admin.delete_records([tp], request_timeout=TIMEOUT_S, operation_timeout=TIMEOUT_S)[tp]
    code = code_of(future)
    return code, (future.result().low_watermark if code == 0 else None)


def offsets(admin: AdminClient, topic: str, partitions: int) -> dict[int, tuple[int, int]]:
    """ListOffsets earliest and latest per partition."""
    out: dict[int, list[int]] = {p: [] for p in range(partitions)}
    for spec in (OffsetSpec.earliest(), OffsetSpec.latest()):
        request = {TopicPartition(topic, p): spec for p in range(partitions)}
        for tp, future in admin.list_offsets(request, request_timeout=TIMEOUT_S).items():
            out[tp.partition].append(future.result(30).offset)
    return {p: (lo, hi) for p, (lo, hi) in out.items()}


def produce(
    bootstrap: str, topic: str, partition: int, values: list[bytes]
) -> list[tuple[int, int | None, str]]:
    """Each value (keyed: compacted topics need keys), one at a time; per value its delivery
    report's (error code, offset, error text)."""
    producer = ck.Producer({"bootstrap.servers": bootstrap})
    reports: list[tuple[int, int | None, str]] = []

    def on_delivery(err, msg) -> None:  # type: ignore[no-untyped-def]
        if err is None:
            reports.append((0, msg.offset(), ""))
        else:
            reports.append((err.code(), None, err.str()))

    for i, value in enumerate(values):
        producer.produce(
            topic, value=value, key=b"key-%d" % i, partition=partition, on_delivery=on_delivery
        )
        assert producer.flush(30) == 0, "record still undelivered after flush()"
    assert len(reports) == len(values)
    return reports


def consume(
    bootstrap: str,
    topic: str,
    partition: int,
    start: int,
    reset: str,
    limit: int,
    timeout: float = 15.0,
) -> list[tuple[int, int, bytes | None]]:
    """Assign one partition at ``start``; up to ``limit`` messages as (error code or 0, offset,
    value) until the first error or ``timeout``."""
    consumer = ck.Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"compat-{uuid.uuid4().hex}",
            "auto.offset.reset": reset,
            "enable.auto.commit": False,
        }
    )
    got: list[tuple[int, int, bytes | None]] = []
    try:
        consumer.assign([TopicPartition(topic, partition, start)])
        for left in h.deadline_loop(timeout):
            msg = consumer.poll(min(left, 0.5))
            if msg is None:
                continue
            if msg.error() is not None:
                got.append((msg.error().code(), msg.offset(), None))
                break
            got.append((0, msg.offset(), msg.value()))
            if len(got) >= limit:
                break
    finally:
        consumer.close()
    return got


# --------------------------------------------------------------------------- tests


@pytest.mark.timeout(60)
def test_create_topic_with_configs_and_describe(broker) -> None:
    ah.require_apis(broker, ah.API_CREATE_TOPICS, ah.API_DESCRIBE_CONFIGS)
    admin = new_admin(broker)
    topic = h.unique_topic("adm-ck")
    assert create(admin, topic, 3, 1, ah.CREATE_CONFIGS) == 0
    check_layout(admin, topic, 3)
    desc = describe_topic(admin, topic)
    assert desc.name == topic and not desc.is_internal and desc.topic_id is not None

    configs = topic_configs(admin, topic)
    ah.check_topic_configs(broker, configs, ah.CREATE_CONFIGS)
    # librdkafka's own flag: an entry is a default when its source is DEFAULT_CONFIG
    resource = ConfigResource(ResourceType.TOPIC, topic)
    entries = admin.describe_configs([resource])[resource].result(30)
    assert not entries["retention.ms"].is_default and entries["segment.ms"].is_default
    # the synonyms list the override first, then the broker config it replaces
    synonyms = list(entries["retention.ms"].synonyms.values())
    assert [(s.name, s.value, ConfigSource(s.source).name) for s in synonyms][0] == (
        "retention.ms",
        "3600000",
        ah.DYNAMIC_TOPIC_CONFIG,
    )

    ah.check_broker_configs(broker, configs_of(admin, ResourceType.BROKER, str(node_id(admin))))


@pytest.mark.timeout(60)
def test_create_topic_errors_and_validate_only(broker) -> None:
    ah.require_apis(broker, ah.API_CREATE_TOPICS)
    admin = new_admin(broker)
    existing = h.unique_topic("adm-ck")
    assert create(admin, existing, 3, 1) == 0
    bad = ah.bad_topics(existing)
    ah.check_codes(
        {
            b.label: create(admin, b.name, b.partitions, b.replication_factor, b.configs)
            for b in bad
        },
        bad,
    )
    # validate_only runs the same checks ...
    ah.check_codes(
        {
            b.label: create(
                admin, b.name, b.partitions, b.replication_factor, b.configs, validate_only=True
            )
            for b in bad
        },
        bad,
    )
    # ... and a valid topic passes them without being created
    checked = h.unique_topic("adm-ck-validate")
    assert create(admin, checked, 2, 1, {"retention.ms": "1000"}, validate_only=True) == 0
    listed = set(admin.list_topics(timeout=TIMEOUT_S).topics)
    assert existing in listed
    assert not listed & ({checked} | {b.name for b in bad if b.label != "exists"})
    # the refused request left the existing topic as it was
    check_layout(admin, existing, 3)

    # a topic that does not exist: DescribeConfigs and CreatePartitions say so
    missing = h.unique_topic("adm-ck-none")
    resource = ConfigResource(ResourceType.TOPIC, missing)
    assert code_of(admin.describe_configs([resource])[resource]) == ah.UNKNOWN_TOPIC_OR_PARTITION
    assert (
        code_of(admin.create_partitions([NewPartitions(missing, 5)])[missing])
        == ah.UNKNOWN_TOPIC_OR_PARTITION
    )
    assert missing not in admin.list_topics(timeout=TIMEOUT_S).topics


@pytest.mark.timeout(60)
def test_alter_configs_legacy_then_incremental(broker) -> None:
    ah.require_apis(
        broker,
        ah.API_CREATE_TOPICS,
        ah.API_DESCRIBE_CONFIGS,
        ah.API_ALTER_CONFIGS,
        ah.API_INCREMENTAL_ALTER_CONFIGS,
    )
    admin = new_admin(broker)
    topic = h.unique_topic("adm-ck-alter")
    assert create(admin, topic, 3, 1, ah.CREATE_CONFIGS) == 0

    # legacy AlterConfigs replaces the whole override set: cleanup.policy goes back to default
    assert (
        alter_legacy(admin, topic, {"max.message.bytes": ah.SMALL_LIMIT, "retention.ms": "7200000"})
        == 0
    )
    want = {"max.message.bytes": ah.SMALL_LIMIT, "retention.ms": "7200000"}
    ah.check_topic_configs(broker, topic_configs(admin, topic), want)

    # the lowered limit acts at once: the broker refuses the larger record
    small, large = produce(broker.bootstrap, topic, 0, [ah.SMALL_RECORD, ah.LARGE_RECORD])
    assert small == (0, 0, "")
    assert large[:2] == (ah.MESSAGE_TOO_LARGE, None) and large[2].startswith("Broker:"), large

    # incremental: SET, APPEND to the default list, DELETE an override
    assert (
        alter_incremental(
            admin,
            topic,
            ("retention.ms", AlterConfigOpType.SET, "1800000"),
            ("cleanup.policy", AlterConfigOpType.APPEND, "compact"),
            ("max.message.bytes", AlterConfigOpType.DELETE, None),
        )
        == 0
    )
    want = {"retention.ms": "1800000", "cleanup.policy": "delete,compact"}
    ah.check_topic_configs(broker, topic_configs(admin, topic), want)
    assert produce(broker.bootstrap, topic, 0, [ah.LARGE_RECORD]) == [(0, 1, "")]

    assert (
        alter_incremental(admin, topic, ("cleanup.policy", AlterConfigOpType.SUBTRACT, "delete"))
        == 0
    )
    want = {"retention.ms": "1800000", "cleanup.policy": "compact"}
    ah.check_topic_configs(broker, topic_configs(admin, topic), want)

    # refused alterations change nothing
    assert (
        alter_incremental(admin, topic, ("retention.ms", AlterConfigOpType.APPEND, "1"))
        == ah.INVALID_CONFIG
    )
    assert (
        alter_incremental(admin, topic, ("no.such.config", AlterConfigOpType.SET, "1"))
        == ah.INVALID_CONFIG
    )
    assert (
        alter_incremental(admin, topic, ("retention.ms", AlterConfigOpType.SET, "soon"))
        == ah.INVALID_CONFIG
    )
    assert alter_legacy(admin, topic, {"no.such.config": "1"}) == ah.INVALID_CONFIG
    assert (
        alter_legacy(admin, h.unique_topic("adm-ck-none"), {"retention.ms": "1"})
        == ah.UNKNOWN_TOPIC_OR_PARTITION
    )
    # validate_only checks and changes nothing
    assert (
        alter_incremental(
            admin, topic, ("retention.ms", AlterConfigOpType.SET, "1"), validate_only=True
        )
        == 0
    )
    assert ah.overridden(topic_configs(admin, topic)) == want

    # a compact-only topic refuses DeleteRecords
    assert delete_records(admin, topic, 0, 1) == (ah.POLICY_VIOLATION, None)


@pytest.mark.timeout(60)
def test_create_partitions_then_produce_consume(broker) -> None:
    ah.require_apis(broker, ah.API_CREATE_TOPICS, ah.API_CREATE_PARTITIONS)
    admin = new_admin(broker)
    topic = h.unique_topic("adm-ck-parts")
    assert create(admin, topic, 3, 1) == 0

    def grow(count: int, validate_only: bool = False) -> int:
        futures = admin.create_partitions(
            [NewPartitions(topic, count)],
            validate_only=validate_only,
            request_timeout=TIMEOUT_S,
            operation_timeout=TIMEOUT_S,
        )
        return code_of(futures[topic])

    assert grow(5, validate_only=True) == 0
    check_layout(admin, topic, 3)
    assert grow(5) == 0
    check_layout(admin, topic, 5)
    assert grow(4) == ah.INVALID_PARTITIONS  # shrinking
    assert grow(5) == ah.INVALID_PARTITIONS  # no increase
    check_layout(admin, topic, 5)

    values = [b"p4-%d" % i for i in range(5)]
    assert produce(broker.bootstrap, topic, 4, values) == [(0, i, "") for i in range(5)]
    got = consume(broker.bootstrap, topic, 4, ck.OFFSET_BEGINNING, "earliest", len(values))
    assert got == [(0, i, v) for i, v in enumerate(values)]
    assert offsets(admin, topic, 5) == {0: (0, 0), 1: (0, 0), 2: (0, 0), 3: (0, 0), 4: (0, 5)}
    assert ah.kcat_partitions(broker.bootstrap, topic) == [0, 1, 2, 3, 4]


@pytest.mark.timeout(60)
def test_delete_records_moves_low_watermark(broker) -> None:
    ah.require_apis(broker, ah.API_CREATE_TOPICS, ah.API_DELETE_RECORDS)
    admin = new_admin(broker)
    topic = h.unique_topic("adm-ck-records")
    assert create(admin, topic, 3, 1) == 0
    values = [b"v%d" % i for i in range(10)]
    produce(broker.bootstrap, topic, 0, values)
    produce(broker.bootstrap, topic, 1, values[:3])

    assert delete_records(admin, topic, 0, 6) == (0, 6)
    assert delete_records(admin, topic, 0, 2) == (0, 6)  # below the start: nothing changes
    assert delete_records(admin, topic, 0, 11) == (ah.OFFSET_OUT_OF_RANGE, None)  # past the end
    assert delete_records(admin, topic, 1, ck.OFFSET_END) == (0, 3)  # -1: up to the high watermark
    assert offsets(admin, topic, 3) == {0: (6, 10), 1: (3, 3), 2: (0, 0)}

    # below the log start: auto.offset.reset=error surfaces the broker's OFFSET_OUT_OF_RANGE
    [(code, _offset, _value)] = consume(broker.bootstrap, topic, 0, 0, "error", 1)
    assert code == ck.KafkaError._AUTO_OFFSET_RESET
    # earliest resets to the new log start
    got = consume(broker.bootstrap, topic, 0, 0, "earliest", 4)
    assert got == [(0, i, values[i]) for i in range(6, 10)]


@pytest.mark.timeout(60)
def test_delete_then_recreate_topic(broker) -> None:
    ah.require_apis(broker, ah.API_CREATE_TOPICS, ah.API_DELETE_TOPICS)
    admin = new_admin(broker)
    topic = h.unique_topic("adm-ck-recreate")
    assert create(admin, topic, 3, 1, {"retention.ms": "3600000"}) == 0
    produce(broker.bootstrap, topic, 0, [b"old-%d" % i for i in range(5)])
    old_id = str(describe_topic(admin, topic).topic_id)  # Uuid objects do not compare by value

    def delete() -> int:
        return code_of(
            admin.delete_topics([topic], operation_timeout=TIMEOUT_S, request_timeout=TIMEOUT_S)[
                topic
            ]
        )

    assert delete() == 0
    assert topic not in admin.list_topics(timeout=TIMEOUT_S).topics
    assert delete() == ah.UNKNOWN_TOPIC_OR_PARTITION

    assert create(admin, topic, 2, 1) == 0
    new = describe_topic(admin, topic)
    assert new.topic_id is not None and str(new.topic_id) != old_id
    check_layout(admin, topic, 2)
    ah.check_topic_configs(broker, topic_configs(admin, topic), {})
    assert offsets(admin, topic, 2) == {0: (0, 0), 1: (0, 0)}
    assert produce(broker.bootstrap, topic, 0, [b"new"]) == [(0, 0, "")]
    assert offsets(admin, topic, 2) == {0: (0, 1), 1: (0, 0)}
    assert consume(broker.bootstrap, topic, 0, ck.OFFSET_BEGINNING, "earliest", 1) == [
        (0, 0, b"new")
    ]


@pytest.mark.timeout(120)
def test_restart_keeps_admin_changes(restartable_broker) -> None:
    b = restartable_broker
    admin = new_admin(b)
    topic = h.unique_topic("adm-ck-restart")
    created = {"retention.ms": "3600000", "max.message.bytes": "2000000"}
    assert create(admin, topic, 3, 1, created) == 0
    assert (
        alter_incremental(admin, topic, ("cleanup.policy", AlterConfigOpType.APPEND, "compact"))
        == 0
    )
    assert code_of(admin.create_partitions([NewPartitions(topic, 5)])[topic]) == 0
    values = [b"r%d" % i for i in range(10)]
    produce(b.bootstrap, topic, 4, values)
    produce(b.bootstrap, topic, 0, values[:2])
    assert delete_records(admin, topic, 4, 7) == (0, 7)
    topic_id = str(describe_topic(admin, topic).topic_id)
    want = {**created, "cleanup.policy": "delete,compact"}
    del admin

    b.restart()

    admin = new_admin(b)
    ah.check_topic_configs(b, topic_configs(admin, topic), want)
    check_layout(admin, topic, 5)
    assert str(describe_topic(admin, topic).topic_id) == topic_id
    assert offsets(admin, topic, 5) == {0: (0, 2), 1: (0, 0), 2: (0, 0), 3: (0, 0), 4: (7, 10)}
    got = consume(b.bootstrap, topic, 4, 0, "earliest", 3)
    assert got == [(0, i, values[i]) for i in range(7, 10)]
    assert produce(b.bootstrap, topic, 4, [b"after"]) == [(0, 10, "")]
    assert ah.kcat_partitions(b.bootstrap, topic) == [0, 1, 2, 3, 4]


def alter_broker(admin: AdminClient, name: str, *ops: tuple[str, AlterConfigOpType, str | None]) -> int:
    resource = ConfigResource(
        ResourceType.BROKER,
        name,
        incremental_configs=[
            ConfigEntry(key, value, incremental_operation=op) for key, op, value in ops
        ],
    )
    futures = admin.incremental_alter_configs([resource], request_timeout=TIMEOUT_S)
    return code_of(futures[resource])


@pytest.mark.timeout(120)
def test_dynamic_broker_config_acts_and_survives_restart(restartable_broker) -> None:
    """IncrementalAlterConfigs on the broker (librdkafka names a BROKER resource by node id
    only, so the cluster default is left to the unit tests): sources and synonyms as Kafka
    reports them, kept across a restart; a static config is refused."""
    b = restartable_broker
    admin = new_admin(b)
    node = str(node_id(admin))
    topic = h.unique_topic("adm-ck-dyn")
    assert create(admin, topic, 1, 1) == 0
    assert alter_broker(admin, node, ("log.retention.ms", AlterConfigOpType.SET, "7200000")) == 0
    assert alter_broker(admin, node, ("num.partitions", AlterConfigOpType.SET, "4")) == (
        ah.INVALID_REQUEST
    )
    del admin

    b.restart()

    admin = new_admin(b)
    resource = ConfigResource(ResourceType.TOPIC, topic)
    entries = admin.describe_configs([resource])[resource].result(30)
    retention = entries["retention.ms"]
    assert (retention.value, ConfigSource(retention.source).name) == (
        "7200000", "DYNAMIC_BROKER_CONFIG"
    )
    # confluent-kafka keys synonyms by name, so same-named levels collapse to the last one
    assert list(retention.synonyms) == ["log.retention.ms"]
    isr = entries["min.insync.replicas"]
    assert ConfigSource(isr.source).name == "DYNAMIC_DEFAULT_BROKER_CONFIG"
    on_broker = configs_of(admin, ResourceType.BROKER, node)
    assert on_broker["log.retention.ms"] == ah.Cfg("7200000", "DYNAMIC_BROKER_CONFIG", False, False)
    assert on_broker["num.partitions"].read_only
    assert alter_broker(admin, node, ("log.retention.ms", AlterConfigOpType.DELETE, None)) == 0
    assert topic_configs(admin, topic)["retention.ms"] == ah.Cfg(
        "604800000", "DEFAULT_CONFIG", False, False
    )
