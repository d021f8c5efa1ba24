"""The admin APIs through aiokafka 0.14's AIOKafkaAdminClient.

CreateTopics (configs, errors, validate_only), Metadata-based describe_topics (partitions,
replicas), DescribeConfigs of a topic and of the broker, legacy AlterConfigs (which replaces
a topic's overrides), CreatePartitions, DeleteRecords, DeleteTopics and recreating a topic,
and that all of it survives a broker restart. The expectations shared with the other clients
are in admin_helpers.py. Each test drives its coroutines with ``asyncio.run``.

What aiokafka 0.14's admin client lacks, and is skipped: IncrementalAlterConfigs, and topic
ids (its Metadata requests stop at v5, its CreateTopics at v3). Its describe_topics sends
Metadata with auto-creation allowed, so it is never used on a deleted topic here. Offsets
come from a consumer's beginning_offsets/end_offsets (the admin client has no ListOffsets);
a consumer with ``auto_offset_reset='none'`` that fetches below the log start raises
OffsetOutOfRangeError.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import aiokafka.errors as Errors
import compat_admin_helpers as ah
import compat_helpers as h
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewPartitions, NewTopic, RecordsToDelete
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

pytestmark = pytest.mark.compat


# --------------------------------------------------------------------------- client glue


def with_admin(broker: Any, body: Callable[[AIOKafkaAdminClient], Awaitable[None]]) -> None:
    """Run ``body(admin)`` on a started admin client, closing it afterwards."""

    async def run() -> None:
        admin = AIOKafkaAdminClient(bootstrap_servers=broker.bootstrap)
        try:
            await admin.start()
            await asyncio.wait_for(body(admin), timeout=90)
        finally:
            await admin.close()

    asyncio.run(run())


async def create(
    admin: AIOKafkaAdminClient,
    topic: str,
    partitions: int = 3,
    rf: int = 1,
    configs: dict[str, str] | None = None,
    validate_only: bool = False,
) -> int:
    """CreateTopics for one topic: its error code."""
    response = await admin.create_topics(
        [NewTopic(topic, partitions, rf, topic_configs=configs or {})], validate_only=validate_only
    )
    [(name, code, *_rest)] = response.topic_errors
    assert name == topic
    return code


async def node_id(admin: AIOKafkaAdminClient) -> int:
    [node] = (await admin.describe_cluster())["brokers"]
    return node["node_id"]


async def check_layout(admin: AIOKafkaAdminClient, topic: str, partitions: int) -> None:
    [desc] = await admin.describe_topics([topic])
    assert (desc["topic"], desc["error_code"], desc["is_internal"]) == (topic, 0, False)
    node = await node_id(admin)
    layout = sorted(
        (p["partition"], p["error_code"], p["leader"], p["replicas"], p["isr"])
        for p in desc["partitions"]
    )
    assert layout == [(p, 0, node, [node], [node]) for p in range(partitions)]


async def configs_of(
    admin: AIOKafkaAdminClient, kind: ConfigResourceType, name: str
) -> dict[str, ah.Cfg]:
    [response] = await admin.describe_configs([ConfigResource(kind, name)])
    [resource] = response.to_object()["resources"]
    assert (resource["error_code"], resource["resource_name"]) == (0, name), resource
    return {
        c["config_names"]: ah.Cfg(
            c["config_value"],
            ah.SOURCE_NAMES[c["config_source"]],
            c["read_only"],
            c["is_sensitive"],
        )
        for c in resource["config_entries"]
    }


async def topic_configs(admin: AIOKafkaAdminClient, topic: str) -> dict[str, ah.Cfg]:
    return await configs_of(admin, ConfigResourceType.TOPIC, topic)


async def alter_legacy(admin: AIOKafkaAdminClient, topic: str, configs: dict[str, str]) -> int:
    """AlterConfigs of one TOPIC resource: its error code."""
    responses = await admin.alter_configs(
        [ConfigResource(ConfigResourceType.TOPIC, topic, configs)]
    )
    codes = [(code, name) for r in responses for code, _msg, _type, name in r.resources]
    [(code, name)] = codes
    assert name == topic
    return code


async def delete_records(
    admin: AIOKafkaAdminClient, topic: str, partition: int, offset: int
) -> tuple[int, int | None]:
    tp = TopicPartition(topic, partition)
    try:
        result = await admin.delete_records({tp: RecordsToDelete(offset)})
    except Errors.BrokerResponseError as exc:
        return exc.errno, None
    return 0, result[tp]


async def grow(
    admin: AIOKafkaAdminClient, topic: str, count: int, validate_only: bool = False
) -> int:
    try:
        await admin.create_partitions({topic: NewPartitions(count)}, validate_only=validate_only)
    except Errors.BrokerResponseError as exc:
        return exc.errno
    return 0


async def offsets(bootstrap: str, topic: str, partitions: int) -> dict[int, tuple[int, int]]:
    """ListOffsets earliest and latest per partition, through a consumer."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    try:
        await consumer.start()
        tps = [TopicPartition(topic, p) for p in range(partitions)]
        low = await consumer.beginning_offsets(tps)
        high = await consumer.end_offsets(tps)
        return {tp.partition: (low[tp], high[tp]) for tp in tps}
    finally:
        await consumer.stop()


async def produce(
    bootstrap: str, topic: str, partition: int, values: list[bytes]
) -> list[tuple[int, int | None]]:
    """Each value (keyed), one at a time: (error code, offset) per value."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    out: list[tuple[int, int | None]] = []
    try:
        await producer.start()
        for i, value in enumerate(values):
            try:
                md = await producer.send_and_wait(
                    topic, value=value, key=b"key-%d" % i, partition=partition
                )
            except Errors.BrokerResponseError as exc:
                out.append((exc.errno, None))
            else:
                out.append((0, md.offset))
    finally:
        await producer.stop()
    return out


async def consume(
    bootstrap: str,
    topic: str,
    partition: int,
    start: int,
    reset: str,
    limit: int,
    timeout: float = 15.0,
) -> list[tuple[int, bytes | None]]:
    """Assign one partition, seek to ``start``; (offset, value) of up to ``limit`` records."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, auto_offset_reset=reset, enable_auto_commit=False
    )
    tp = TopicPartition(topic, partition)
    got: list[tuple[int, bytes | None]] = []
    try:
        await consumer.start()
        consumer.assign([tp])
        consumer.seek(tp, start)
        for left in h.deadline_loop(timeout):
            batch = await consumer.getmany(timeout_ms=int(min(left, 0.5) * 1000) + 1)
            for records in batch.values():
                got += [(r.offset, r.value) for r in records]
            if len(got) >= limit:
                break
    finally:
        await consumer.stop()
    return got


# --------------------------------------------------------------------------- tests


@pytest.mark.timeout(60)
def test_create_topic_with_configs_and_describe(broker) -> None:
    ah.require_apis(broker, ah.API_CREATE_TOPICS, ah.API_DESCRIBE_CONFIGS)

    async def body(admin: AIOKafkaAdminClient) -> None:
        topic = h.unique_topic("adm-aio")
        assert await create(admin, topic, 3, 1, ah.CREATE_CONFIGS) == 0
        await check_layout(admin, topic, 3)
        ah.check_topic_configs(broker, await topic_configs(admin, topic), ah.CREATE_CONFIGS)
        broker_configs = await configs_of(
            admin, ConfigResourceType.BROKER, str(await node_id(admin))
        )
        ah.check_broker_configs(broker, broker_configs)

    with_admin(broker, body)


@pytest.mark.timeout(60)
def test_create_topic_errors_and_validate_only(broker) -> None:
    ah.require_apis(broker, ah.API_CREATE_TOPICS)

    async def body(admin: AIOKafkaAdminClient) -> None:
        existing = h.unique_topic("adm-aio")
        assert await create(admin, existing) == 0
        bad = ah.bad_topics(existing)
        ah.check_codes(
            {
                b.label: await create(admin, b.name, b.partitions, b.replication_factor, b.configs)
                for b in bad
            },
            bad,
        )
        ah.check_codes(
            {
                b.label: await create(
                    admin, b.name, b.partitions, b.replication_factor, b.configs, validate_only=True
                )
                for b in bad
            },
            bad,
        )
        checked = h.unique_topic("adm-aio-validate")
        assert await create(admin, checked, 2, 1, {"retention.ms": "1000"}, validate_only=True) == 0
        listed = set(await admin.list_topics())
        assert existing in listed
        assert not listed & ({checked} | {b.name for b in bad if b.label != "exists"})
        await check_layout(admin, existing, 3)

    with_admin(broker, body)


@pytest.mark.timeout(60)
def test_alter_configs_legacy_replaces_overrides(broker) -> None:
    ah.require_apis(broker, ah.API_CREATE_TOPICS, ah.API_DESCRIBE_CONFIGS, ah.API_ALTER_CONFIGS)

    async def body(admin: AIOKafkaAdminClient) -> None:
        topic = h.unique_topic("adm-aio-alter")
        assert await create(admin, topic, 3, 1, ah.CREATE_CONFIGS) == 0

        # the given set becomes the whole override set: cleanup.policy goes back to default
        assert (
            await alter_legacy(
                admin, topic, {"max.message.bytes": ah.SMALL_LIMIT, "retention.ms": "7200000"}
            )
            == 0
        )
        want = {"max.message.bytes": ah.SMALL_LIMIT, "retention.ms": "7200000"}
        ah.check_topic_configs(broker, await topic_configs(admin, topic), want)
        assert await produce(broker.bootstrap, topic, 0, [ah.SMALL_RECORD, ah.LARGE_RECORD]) == [
            (0, 0),
            (ah.MESSAGE_TOO_LARGE, None),
        ]

        assert await alter_legacy(admin, topic, {"cleanup.policy": "compact"}) == 0
        want = {"cleanup.policy": "compact"}
        ah.check_topic_configs(broker, await topic_configs(admin, topic), want)
        # max.message.bytes is back to its default: the large record is taken
        assert await produce(broker.bootstrap, topic, 0, [ah.LARGE_RECORD]) == [(0, 1)]

        # refused alterations change nothing
        assert await alter_legacy(admin, topic, {"no.such.config": "1"}) == ah.INVALID_CONFIG
        assert await alter_legacy(admin, topic, {"retention.ms": "soon"}) == ah.INVALID_CONFIG
        missing = h.unique_topic("adm-aio-none")
        assert (
            await alter_legacy(admin, missing, {"retention.ms": "1"})
            == ah.UNKNOWN_TOPIC_OR_PARTITION
        )
        assert ah.overridden(await topic_configs(admin, topic)) == want

        # a compact-only topic refuses DeleteRecords
        assert await delete_records(admin, topic, 0, 1) == (ah.POLICY_VIOLATION, None)

    with_admin(broker, body)


@pytest.mark.skipif(
    not hasattr(AIOKafkaAdminClient, "incremental_alter_configs"),
    reason="aiokafka 0.14's AIOKafkaAdminClient has no IncrementalAlterConfigs call "
    "(only the legacy alter_configs)",
)
def test_incremental_alter_configs() -> None:
    pytest.fail("this aiokafka has incremental_alter_configs: cover it as the other clients do")


@pytest.mark.skip(
    reason="aiokafka 0.14 exposes no topic ids (Metadata up to v5, CreateTopics up to v3); "
    "test_delete_then_recreate_topic checks the rest"
)
def test_recreated_topic_gets_new_topic_id() -> None:
    raise AssertionError("unreachable")


@pytest.mark.timeout(60)
def test_create_partitions_then_produce_consume(broker) -> None:
    ah.require_apis(broker, ah.API_CREATE_TOPICS, ah.API_CREATE_PARTITIONS)

    async def body(admin: AIOKafkaAdminClient) -> None:
        topic = h.unique_topic("adm-aio-parts")
        assert await create(admin, topic) == 0
        assert await grow(admin, topic, 5, validate_only=True) == 0
        await check_layout(admin, topic, 3)
        assert await grow(admin, topic, 5) == 0
        await check_layout(admin, topic, 5)
        assert await grow(admin, topic, 4) == ah.INVALID_PARTITIONS
        assert await grow(admin, topic, 5) == ah.INVALID_PARTITIONS
        await check_layout(admin, topic, 5)

        values = [b"p4-%d" % i for i in range(5)]
        assert await produce(broker.bootstrap, topic, 4, values) == [(0, i) for i in range(5)]
        assert await consume(broker.bootstrap, topic, 4, 0, "earliest", 5) == list(
            enumerate(values)
        )
        assert await offsets(broker.bootstrap, topic, 5) == {
            0: (0, 0),
            1: (0, 0),
            2: (0, 0),
            3: (0, 0),
            4: (0, 5),
        }
        assert ah.kcat_partitions(broker.bootstrap, topic) == [0, 1, 2, 3, 4]

    with_admin(broker, body)


@pytest.mark.timeout(60)
def test_delete_records_moves_low_watermark(broker) -> None:
    ah.require_apis(broker, ah.API_CREATE_TOPICS, ah.API_DELETE_RECORDS)

    async def body(admin: AIOKafkaAdminClient) -> None:
        topic = h.unique_topic("adm-aio-records")
        assert await create(admin, topic) == 0
        values = [b"v%d" % i for i in range(10)]
        await produce(broker.bootstrap, topic, 0, values)
        await produce(broker.bootstrap, topic, 1, values[:3])

        assert await delete_records(admin, topic, 0, 6) == (0, 6)
        assert await delete_records(admin, topic, 0, 2) == (0, 6)
        assert await delete_records(admin, topic, 0, 11) == (ah.OFFSET_OUT_OF_RANGE, None)
        assert await delete_records(admin, topic, 1, -1) == (0, 3)
        assert await offsets(broker.bootstrap, topic, 3) == {0: (6, 10), 1: (3, 3), 2: (0, 0)}

        with pytest.raises(Errors.OffsetOutOfRangeError) as info:
            await consume(broker.bootstrap, topic, 0, 0, "none", 1)
        assert info.value.args[0] == {TopicPartition(topic, 0): 0}
        got = await consume(broker.bootstrap, topic, 0, 0, "earliest", 4)
        assert got == [(i, values[i]) for i in range(6, 10)]

    with_admin(broker, body)


@pytest.mark.timeout(60)
def test_delete_then_recreate_topic(broker) -> None:
    ah.require_apis(broker, ah.API_CREATE_TOPICS, ah.API_DELETE_TOPICS)

    async def body(admin: AIOKafkaAdminClient) -> None:
        topic = h.unique_topic("adm-aio-recreate")
        assert await create(admin, topic, 3, 1, {"retention.ms": "3600000"}) == 0
        await produce(broker.bootstrap, topic, 0, [b"old-%d" % i for i in range(5)])

        response = await admin.delete_topics([topic])
        assert [tuple(t)[:2] for t in response.topic_error_codes] == [(topic, 0)]
        assert topic not in await admin.list_topics()
        response = await admin.delete_topics([topic])
        assert [tuple(t)[:2] for t in response.topic_error_codes] == [
            (topic, ah.UNKNOWN_TOPIC_OR_PARTITION)
        ]

        assert await create(admin, topic, 2, 1) == 0
        await check_layout(admin, topic, 2)
        ah.check_topic_configs(broker, await topic_configs(admin, topic), {})
        assert await offsets(broker.bootstrap, topic, 2) == {0: (0, 0), 1: (0, 0)}
        assert await produce(broker.bootstrap, topic, 0, [b"new"]) == [(0, 0)]
        assert await offsets(broker.bootstrap, topic, 2) == {0: (0, 1), 1: (0, 0)}
        assert await consume(broker.bootstrap, topic, 0, 0, "earliest", 1) == [(0, b"new")]

    with_admin(broker, body)


@pytest.mark.timeout(120)
def test_restart_keeps_admin_changes(restartable_broker) -> None:
    b = restartable_broker
    topic = h.unique_topic("adm-aio-restart")
    created = {"retention.ms": "3600000", "max.message.bytes": "2000000"}
    want = {**created, "cleanup.policy": "delete,compact"}
    values = [b"r%d" % i for i in range(10)]

    async def before(admin: AIOKafkaAdminClient) -> None:
        assert await create(admin, topic, 3, 1, created) == 0
        assert await alter_legacy(admin, topic, want) == 0
        assert await grow(admin, topic, 5) == 0
        await produce(b.bootstrap, topic, 4, values)
        await produce(b.bootstrap, topic, 0, values[:2])
        assert await delete_records(admin, topic, 4, 7) == (0, 7)

    async def after(admin: AIOKafkaAdminClient) -> None:
        ah.check_topic_configs(b, await topic_configs(admin, topic), want)
        await check_layout(admin, topic, 5)
        assert await offsets(b.bootstrap, topic, 5) == {
            0: (0, 2),
            1: (0, 0),
            2: (0, 0),
            3: (0, 0),
            4: (7, 10),
        }
        assert await consume(b.bootstrap, topic, 4, 0, "earliest", 3) == [
            (i, values[i]) for i in range(7, 10)
        ]
        assert await produce(b.bootstrap, topic, 4, [b"after"]) == [(0, 10)]

    with_admin(b, before)
    b.restart()
    with_admin(b, after)
    assert ah.kcat_partitions(b.bootstrap, topic) == [0, 1, 2, 3, 4]
