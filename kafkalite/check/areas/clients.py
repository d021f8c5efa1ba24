"""End to end with real client libraries, where installed: kafka-python, aiokafka and
confluent-kafka (librdkafka). Each library is imported only by its own check; a missing one
is a skip with the reason. Security settings come from ``--command-config``."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from kafkalite.check.areas.transactions import fetch_committed
from kafkalite.check.context import CheckContext
from kafkalite.check.registry import Skip, check, expect

_N = 10


def _import(module: str, package: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise Skip(f"{package} is not installed ({exc})") from None


def kafka_python_config(ctx: CheckContext) -> dict[str, Any]:
    """kafka-python / aiokafka keyword arguments for the run's bootstrap and security."""
    props = ctx.settings.properties
    security = ctx.settings.security
    config: dict[str, Any] = {"bootstrap_servers": ctx.settings.bootstrap.split(",")}
    if security is not None and security.protocol != "PLAINTEXT":
        config["security_protocol"] = security.protocol
        if security.uses_sasl:
            config.update(
                sasl_mechanism=security.mechanism,
                sasl_plain_username=security.username,
                sasl_plain_password=security.password,
            )
        ca = props.get("ssl.ca.location") or props.get("ssl.truststore.location")
        if ca:
            config["ssl_cafile"] = ca
        if not security.server_hostname_check:
            config["ssl_check_hostname"] = False
    return config


def _aiokafka_config(ctx: CheckContext) -> dict[str, Any]:
    config = kafka_python_config(ctx)
    if "ssl_cafile" in config or config.get("security_protocol", "").endswith("SSL"):
        from aiokafka.helpers import create_ssl_context

        context = create_ssl_context(cafile=config.pop("ssl_cafile", None))
        if config.pop("ssl_check_hostname", True) is False:
            context.check_hostname = False
        config["ssl_context"] = context
    config.pop("ssl_check_hostname", None)
    return config


def _confluent_config(ctx: CheckContext, **extra: Any) -> dict[str, Any]:
    props = ctx.settings.properties
    # log_level 3: librdkafka's errors only, not its informational lines on the terminal
    config: dict[str, Any] = {"bootstrap.servers": ctx.settings.bootstrap, "log_level": 3}
    security = ctx.settings.security
    if security is not None and security.protocol != "PLAINTEXT":
        config["security.protocol"] = security.protocol
        if security.uses_sasl:
            config.update(
                {
                    "sasl.mechanism": security.mechanism,
                    "sasl.username": security.username,
                    "sasl.password": security.password,
                }
            )
        ca = props.get("ssl.ca.location") or props.get("ssl.truststore.location")
        if ca:
            config["ssl.ca.location"] = ca
        if not security.server_hostname_check:
            config["ssl.endpoint.identification.algorithm"] = "none"
    config.update(extra)
    return config


def _values(n: int = _N, tag: str = "v") -> list[bytes]:
    return [f"{tag}-{i}".encode() for i in range(n)]


@check(
    "clients",
    "kafka-python produces with acks=all and gzip, and a consumer assigned to the "
    "partition reads every record back in order.",
    "kafka-python KafkaProducer / KafkaConsumer",
    timeout_s=30,
)
def kafka_python_roundtrip(ctx: CheckContext) -> None:
    kafka = _import("kafka", "kafka-python")
    topic = ctx.create_topic()
    producer = kafka.KafkaProducer(acks="all", compression_type="gzip", **kafka_python_config(ctx))
    try:
        for value in _values():
            producer.send(topic, key=b"k", value=value, partition=0)
        producer.flush(timeout=15)
    finally:
        producer.close(timeout=5)
    consumer = kafka.KafkaConsumer(
        **kafka_python_config(ctx), enable_auto_commit=False, consumer_timeout_ms=10_000
    )
    try:
        tp = kafka.TopicPartition(topic, 0)
        consumer.assign([tp])
        consumer.seek_to_beginning(tp)
        got = []
        deadline = time.monotonic() + 15
        while len(got) < _N and time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=500).values():
                got.extend(r.value for r in records)
    finally:
        consumer.close()
    expect(got == _values(), f"read {len(got)} records: {got[:3]}...")


@check(
    "clients",
    "A kafka-python consumer in a group (subscribe, earliest reset) gets every record "
    "and its commit is visible through OffsetFetch.",
    "kafka-python KafkaConsumer (group management)",
    timeout_s=40,
)
def kafka_python_group(ctx: CheckContext) -> None:
    kafka = _import("kafka", "kafka-python")
    topic = ctx.create_topic()
    group = ctx.group_name()
    ctx.produce_ok(topic, ctx.batch(_N))
    consumer = kafka.KafkaConsumer(
        **kafka_python_config(ctx),
        group_id=group,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        session_timeout_ms=10_000,
        heartbeat_interval_ms=1000,
    )
    try:
        consumer.subscribe([topic])
        got = 0
        deadline = time.monotonic() + 25
        while got < _N and time.monotonic() < deadline:
            got += sum(len(r) for r in consumer.poll(timeout_ms=500).values())
        expect(got == _N, f"the group consumer read {got} of {_N} records")
        consumer.commit()
    finally:
        consumer.close()
    expect(fetch_committed(ctx, group, topic) == _N, f"committed offset is not {_N}")


@check(
    "clients",
    "aiokafka produces zstd-compressed (idempotent) records and a consumer reads them "
    "back in order.",
    "aiokafka AIOKafkaProducer / AIOKafkaConsumer",
    timeout_s=30,
)
def aiokafka_roundtrip(ctx: CheckContext) -> None:
    aiokafka = _import("aiokafka", "aiokafka")
    topic = ctx.create_topic()

    async def run() -> list[bytes]:
        producer = aiokafka.AIOKafkaProducer(
            enable_idempotence=True,
            compression_type="zstd",
            request_timeout_ms=10_000,
            **_aiokafka_config(ctx),
        )
        await producer.start()
        try:
            for value in _values():
                await producer.send(topic, value, key=b"k", partition=0)
            await producer.flush()
        finally:
            await producer.stop()
        consumer = aiokafka.AIOKafkaConsumer(
            enable_auto_commit=False, auto_offset_reset="earliest", **_aiokafka_config(ctx)
        )
        await consumer.start()
        try:
            tp = aiokafka.TopicPartition(topic, 0)
            consumer.assign([tp])
            await consumer.seek_to_beginning(tp)
            got: list[bytes] = []
            deadline = time.monotonic() + 15
            while len(got) < _N and time.monotonic() < deadline:
                batches = await consumer.getmany(timeout_ms=500)
                for records in batches.values():
                    got.extend(r.value for r in records)
            return got
        finally:
            await consumer.stop()

    got = asyncio.run(asyncio.wait_for(run(), 25))
    expect(got == _values(), f"read {len(got)} records: {got[:3]}...")


@check(
    "clients",
    "confluent-kafka (librdkafka) produces idempotently with lz4 and a group consumer "
    "reads every record.",
    "librdkafka rd_kafka_produce / rd_kafka_consumer_poll",
    timeout_s=40,
)
def confluent_kafka_roundtrip(ctx: CheckContext) -> None:
    ck = _import("confluent_kafka", "confluent-kafka")
    topic = ctx.create_topic()
    errors: list[str] = []
    producer = ck.Producer(
        _confluent_config(
            ctx,
            **{"enable.idempotence": True, "compression.type": "lz4", "message.timeout.ms": 15_000},
        )
    )
    for value in _values():
        producer.produce(
            topic,
            value=value,
            key=b"k",
            partition=0,
            on_delivery=lambda err, msg: errors.append(str(err)) if err else None,
        )
    remaining = producer.flush(20)
    expect(remaining == 0 and not errors, f"{remaining} undelivered, errors {errors[:2]}")
    got = _consume_confluent(ctx, ck, topic, ctx.group_name(), _N)
    expect(got == _values(), f"read {len(got)} records: {got[:3]}...")


def _consume_confluent(
    ctx: CheckContext,
    ck: Any,
    topic: str,
    group: str,
    wanted: int,
    isolation: str = "read_committed",
    wait_s: float = 20.0,
) -> list[bytes]:
    consumer = ck.Consumer(
        _confluent_config(
            ctx,
            **{
                "group.id": group,
                "auto.offset.reset": "earliest",
                "enable.auto.commit": False,
                "isolation.level": isolation,
            },
        )
    )
    got: list[bytes] = []
    try:
        consumer.subscribe([topic])
        deadline = time.monotonic() + wait_s
        while len(got) < wanted and time.monotonic() < deadline:
            msg = consumer.poll(0.5)
            if msg is None or msg.error():
                continue
            got.append(msg.value())
    finally:
        consumer.close()
    return got


@check(
    "clients",
    "A confluent-kafka transactional producer's committed transaction is read by a "
    "read_committed consumer, and its aborted one is not.",
    "librdkafka transactions (KIP-98); Kafka read_committed isolation",
    timeout_s=50,
)
def confluent_kafka_transactions(ctx: CheckContext) -> None:
    ck = _import("confluent_kafka", "confluent-kafka")
    topic = ctx.create_topic()
    producer = ck.Producer(
        _confluent_config(
            ctx, **{"transactional.id": ctx.unique("txn"), "transaction.timeout.ms": 30_000}
        )
    )
    producer.init_transactions(15)
    producer.begin_transaction()
    for value in _values(3, "aborted"):
        producer.produce(topic, value=value, partition=0)
    producer.abort_transaction(15)
    producer.begin_transaction()
    for value in _values(3, "committed"):
        producer.produce(topic, value=value, partition=0)
    producer.commit_transaction(15)
    got = _consume_confluent(ctx, ck, topic, ctx.group_name(), 3, wait_s=15)
    expect(got == _values(3, "committed"), f"read_committed consumer read {got}")
