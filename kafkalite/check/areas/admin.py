"""Admin APIs: topics, partitions, configs and their sources, records, cluster, ACLs."""

from __future__ import annotations

import time

from kafkalite.check.context import CheckContext
from kafkalite.check.registry import Failed, Skip, check, expect, expect_code
from kafkalite.client.admin import (
    AlterOp,
    NewTopic,
    ResourceType,
    create_partitions,
    create_topics,
    delete_topics,
    describe_configs,
    incremental_alter_configs,
)
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.delete_records import (
    DeleteRecordsPartition,
    DeleteRecordsRequest,
    DeleteRecordsTopic,
)
from kafkalite.protocol.messages.describe_cluster import DescribeClusterRequest

EARLIEST = -2
# DescribeConfigs config_source values (Kafka ConfigSource)
DYNAMIC_TOPIC_CONFIG, DYNAMIC_BROKER_CONFIG, DYNAMIC_DEFAULT_BROKER_CONFIG = 1, 2, 3
STATIC_BROKER_CONFIG, DEFAULT_CONFIG = 4, 5
_BROKER_SOURCES = (
    DYNAMIC_BROKER_CONFIG,
    DYNAMIC_DEFAULT_BROKER_CONFIG,
    STATIC_BROKER_CONFIG,
    DEFAULT_CONFIG,
)


def _topic_exists(ctx: CheckContext, name: str) -> bool:
    return name in {
        n for n, t in ctx.client.metadata([name]).topics.items() if t.error_code == ErrorCode.NONE
    }


@check(
    "admin",
    "CreateTopics creates a topic with the asked partition count; DeleteTopics removes "
    "it and Metadata then answers UNKNOWN_TOPIC_OR_PARTITION.",
    "KIP-4; Kafka ControllerApis.createTopics / deleteTopics",
)
def create_and_delete_topic(ctx: CheckContext) -> None:
    name = ctx.create_topic(partitions=3)
    info = ctx.client.topic(name)
    expect(len(info.partitions) == 3, f"{len(info.partitions)} partitions, expected 3")
    results = delete_topics(ctx.client, [name], timeout_ms=10_000)
    expect_code(results[0].error_code, ErrorCode.NONE, "DeleteTopics")
    ctx.forget_topic(name)
    deadline = time.monotonic() + 10
    while _topic_exists(ctx, name):
        if time.monotonic() >= deadline:
            raise Failed(f"{name} still in Metadata 10 s after DeleteTopics")
        time.sleep(0.1)


@check(
    "admin",
    "CreateTopics for an existing name answers TOPIC_ALREADY_EXISTS.",
    "Kafka ReplicationControlManager.createTopics",
)
def create_existing_topic(ctx: CheckContext) -> None:
    name = ctx.create_topic()
    result = create_topics(ctx.client, [NewTopic(name, 1)])[0]
    expect_code(result.error_code, ErrorCode.TOPIC_ALREADY_EXISTS, f"CreateTopics {name} again")


@check(
    "admin",
    "CreateTopics with 0 partitions answers INVALID_PARTITIONS; with an illegal name "
    "INVALID_TOPIC_EXCEPTION; with an unknown config INVALID_CONFIG. Nothing is created.",
    "Kafka ReplicationControlManager.createTopics; Topic.validate",
)
def create_invalid_topics(ctx: CheckContext) -> None:
    zero, bad_config = ctx.unique(), ctx.unique()
    for name in (zero, bad_config):
        ctx.adopt_topic(name)
    results = {
        r.name: r.error_code
        for r in create_topics(
            ctx.client,
            [
                NewTopic(zero, 0),
                NewTopic("bad name!", 1),
                NewTopic(bad_config, 1, configs={"no.such.config": "1"}),
            ],
        )
    }
    expect_code(results.get(zero, -1), ErrorCode.INVALID_PARTITIONS, "0 partitions")
    expect_code(results.get("bad name!", -1), ErrorCode.INVALID_TOPIC_EXCEPTION, "name 'bad name!'")
    expect_code(results.get(bad_config, -1), ErrorCode.INVALID_CONFIG, "config no.such.config")
    expect(
        not _topic_exists(ctx, zero) and not _topic_exists(ctx, bad_config),
        "a rejected topic was created",
    )


@check(
    "admin",
    "CreateTopics with validate_only answers success without creating the topic.",
    "KIP-108; Kafka CreateTopicsRequest validate_only",
)
def create_validate_only(ctx: CheckContext) -> None:
    name = ctx.unique()
    ctx.adopt_topic(name)
    result = create_topics(ctx.client, [NewTopic(name, 2)], validate_only=True)[0]
    expect_code(result.error_code, ErrorCode.NONE, "validate-only CreateTopics")
    expect(not _topic_exists(ctx, name), "a validate-only CreateTopics created the topic")


@check(
    "admin",
    "CreatePartitions grows a topic (1 -> 3); asking for fewer partitions answers "
    "INVALID_PARTITIONS.",
    "KIP-195; Kafka ReplicationControlManager.createPartitions",
)
def create_partitions_grow(ctx: CheckContext) -> None:
    name = ctx.create_topic()
    expect_code(
        create_partitions(ctx.client, {name: 3})[0].error_code,
        ErrorCode.NONE,
        "CreatePartitions to 3",
    )
    deadline = time.monotonic() + 10
    while len(ctx.client.topic(name).partitions) != 3:
        if time.monotonic() >= deadline:
            raise Failed("the topic did not reach 3 partitions")
        time.sleep(0.1)
    expect_code(
        create_partitions(ctx.client, {name: 2})[0].error_code,
        ErrorCode.INVALID_PARTITIONS,
        "CreatePartitions to 2",
    )


@check(
    "admin",
    "DescribeConfigs of a topic reports an override with source DYNAMIC_TOPIC_CONFIG "
    "and an untouched config with a broker or default source.",
    "KIP-226 (config sources); Kafka DescribeConfigsResponse config_source",
)
def topic_config_sources(ctx: CheckContext) -> None:
    name = ctx.create_topic(configs={"retention.ms": "123456789"})
    entries = {
        e.name: e for e in describe_configs(ctx.client, ResourceType.TOPIC, [name])[name].entries
    }
    retention = entries.get("retention.ms")
    expect(retention is not None, "retention.ms not described")
    expect(retention.value == "123456789", f"retention.ms = {retention.value}")
    expect(
        retention.source == DYNAMIC_TOPIC_CONFIG,
        f"retention.ms source {retention.source}, expected 1 (DYNAMIC_TOPIC_CONFIG)",
    )
    segment = entries.get("segment.bytes")
    expect(segment is not None, "segment.bytes not described")
    expect(
        segment.source in _BROKER_SOURCES,
        f"segment.bytes source {segment.source}, expected a broker/default source",
    )


@check(
    "admin",
    "IncrementalAlterConfigs SET changes a topic config and DELETE returns it to the "
    "default (source no longer DYNAMIC_TOPIC_CONFIG).",
    "KIP-339; Kafka ConfigurationControlManager",
)
def incremental_alter_topic(ctx: CheckContext) -> None:
    name = ctx.create_topic()
    result = incremental_alter_configs(
        ctx.client, ResourceType.TOPIC, name, [("retention.ms", AlterOp.SET, "7777777")]
    )
    expect_code(result.error_code, ErrorCode.NONE, "IncrementalAlterConfigs SET")
    entry = _entry(ctx, name, "retention.ms")
    expect(
        entry.value == "7777777" and entry.source == DYNAMIC_TOPIC_CONFIG,
        f"after SET: {entry.value} source {entry.source}",
    )
    result = incremental_alter_configs(
        ctx.client, ResourceType.TOPIC, name, [("retention.ms", AlterOp.DELETE, None)]
    )
    expect_code(result.error_code, ErrorCode.NONE, "IncrementalAlterConfigs DELETE")
    entry = _entry(ctx, name, "retention.ms")
    expect(
        entry.source != DYNAMIC_TOPIC_CONFIG and entry.value != "7777777",
        f"after DELETE: {entry.value} source {entry.source}",
    )


def _entry(ctx: CheckContext, topic: str, key: str):
    for entry in describe_configs(ctx.client, ResourceType.TOPIC, [topic], [key])[topic].entries:
        if entry.name == key:
            return entry
    raise Failed(f"{key} not described for {topic}")


@check(
    "admin",
    "IncrementalAlterConfigs with an unknown topic config answers INVALID_CONFIG; "
    "an invalid value (retention.ms=abc) INVALID_CONFIG too.",
    "Kafka ConfigurationControlManager / LogConfig.validate",
)
def alter_invalid_config(ctx: CheckContext) -> None:
    name = ctx.create_topic()
    result = incremental_alter_configs(
        ctx.client, ResourceType.TOPIC, name, [("no.such.config", AlterOp.SET, "1")]
    )
    expect_code(result.error_code, ErrorCode.INVALID_CONFIG, "SET no.such.config")
    result = incremental_alter_configs(
        ctx.client, ResourceType.TOPIC, name, [("retention.ms", AlterOp.SET, "abc")]
    )
    expect_code(result.error_code, ErrorCode.INVALID_CONFIG, "SET retention.ms=abc")


@check(
    "admin",
    "DescribeConfigs of a broker lists its configs (message.max.bytes among them) "
    "with sources, and sensitive values hidden.",
    "Kafka ConfigHelper.describeConfigs (BROKER)",
)
def broker_configs(ctx: CheckContext) -> None:
    info = ctx.client.metadata([])
    node = str(
        info.controller_id if info.controller_id in info.brokers else next(iter(info.brokers))
    )
    result = describe_configs(ctx.client, ResourceType.BROKER, [node])[node]
    expect_code(result.error_code, ErrorCode.NONE, f"DescribeConfigs broker {node}")
    entries = {e.name: e for e in result.entries}
    expect(
        "message.max.bytes" in entries,
        f"message.max.bytes missing ({len(entries)} configs described)",
    )
    expect(
        entries["message.max.bytes"].source in _BROKER_SOURCES,
        f"message.max.bytes source {entries['message.max.bytes'].source}",
    )
    leaked = [e.name for e in entries.values() if e.is_sensitive and e.value is not None]
    expect(not leaked, f"sensitive configs with values: {leaked}")


@check(
    "admin",
    "DeleteRecords moves the log start offset: ListOffsets EARLIEST answers it, and a "
    "Fetch below it answers OFFSET_OUT_OF_RANGE.",
    "KIP-107; Kafka ReplicaManager.deleteRecords",
    destructive=True,
)
def delete_records(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    ctx.produce_ok(topic, ctx.batch(3))
    ctx.produce_ok(topic, ctx.batch(3))
    conn = ctx.leader(topic)
    version = ctx.require(ApiKey.DELETE_RECORDS, connection=conn)
    response = ctx.call(
        conn,
        ApiKey.DELETE_RECORDS,
        DeleteRecordsRequest(
            timeout_ms=5000,
            topics=[
                DeleteRecordsTopic(
                    name=topic, partitions=[DeleteRecordsPartition(partition_index=0, offset=3)]
                )
            ],
        ),
        version,
    )
    part = response.topics[0].partitions[0]
    expect_code(part.error_code, ErrorCode.NONE, "DeleteRecords to 3")
    expect(part.low_watermark == 3, f"low_watermark {part.low_watermark}, expected 3")
    expect(ctx.offset_of(topic, EARLIEST) == 3, "EARLIEST is not 3 after DeleteRecords")
    expect_code(
        ctx.fetch(topic, 0).error_code,
        ErrorCode.OFFSET_OUT_OF_RANGE,
        "Fetch at 0 below the log start",
    )


@check(
    "admin",
    "A cluster-wide dynamic broker config (log.retention.ms) can be set and removed "
    "with IncrementalAlterConfigs; DescribeConfigs reports source DYNAMIC_DEFAULT_BROKER_CONFIG "
    "while it is set.",
    "KIP-226; Kafka DynamicBrokerConfig",
    destructive=True,
)
def dynamic_broker_config(ctx: CheckContext) -> None:
    info = ctx.client.metadata([])
    node = str(next(iter(info.brokers)))
    before = {
        e.name: e
        for e in describe_configs(ctx.client, ResourceType.BROKER, [node], ["log.retention.ms"])[
            node
        ].entries
    }
    if (
        "log.retention.ms" in before
        and before["log.retention.ms"].source == DYNAMIC_DEFAULT_BROKER_CONFIG
    ):
        raise Skip("log.retention.ms already has a cluster-wide dynamic value; not touching it")
    result = incremental_alter_configs(
        ctx.client, ResourceType.BROKER, "", [("log.retention.ms", AlterOp.SET, "604800001")]
    )
    try:
        expect_code(result.error_code, ErrorCode.NONE, "SET log.retention.ms cluster-wide")
        deadline = time.monotonic() + 5
        while True:
            entries = {
                e.name: e
                for e in describe_configs(
                    ctx.client, ResourceType.BROKER, [node], ["log.retention.ms"]
                )[node].entries
            }
            entry = entries.get("log.retention.ms")
            if entry is not None and entry.value == "604800001" or time.monotonic() >= deadline:
                break
            time.sleep(0.1)
        expect(
            entry is not None and entry.value == "604800001",
            f"log.retention.ms = {entry and entry.value}",
        )
        expect(
            entry.source == DYNAMIC_DEFAULT_BROKER_CONFIG,
            f"source {entry.source}, expected 3 (DYNAMIC_DEFAULT_BROKER_CONFIG)",
        )
    finally:
        incremental_alter_configs(
            ctx.client, ResourceType.BROKER, "", [("log.retention.ms", AlterOp.DELETE, None)]
        )


@check(
    "admin",
    "DeleteTopics for an unknown topic answers UNKNOWN_TOPIC_OR_PARTITION.",
    "Kafka ReplicationControlManager.deleteTopics",
)
def delete_unknown_topic(ctx: CheckContext) -> None:
    name = ctx.unique()
    result = delete_topics(ctx.client, [name], timeout_ms=5000)[0]
    expect_code(
        result.error_code,
        (ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.UNKNOWN_TOPIC_ID),
        f"DeleteTopics {name}",
    )


@check(
    "admin",
    "DescribeCluster answers the cluster id and controller Metadata reports, and the same brokers.",
    "KIP-700; Kafka DescribeClusterResponse",
)
def describe_cluster(ctx: CheckContext) -> None:
    conn = ctx.connection()
    version = ctx.require(ApiKey.DESCRIBE_CLUSTER, connection=conn)
    response = ctx.call(conn, ApiKey.DESCRIBE_CLUSTER, DescribeClusterRequest(), version)
    expect_code(response.error_code, ErrorCode.NONE, "DescribeCluster")
    info = ctx.client.metadata([])
    expect(
        response.cluster_id == info.cluster_id,
        f"cluster id {response.cluster_id} vs Metadata {info.cluster_id}",
    )
    expect(
        {b.broker_id for b in response.brokers} == set(info.brokers),
        f"brokers {sorted(b.broker_id for b in response.brokers)} vs Metadata {sorted(info.brokers)}",
    )


@check(
    "admin",
    "DescribeAcls answers: the ACL list, or SECURITY_DISABLED when no authorizer is "
    "configured (driven through kafka-python).",
    "KIP-140; Kafka AclApis.handleDescribeAcls",
)
def describe_acls(ctx: CheckContext) -> str:
    if 29 not in ctx.connection().versions:
        raise Skip("DescribeAcls is not advertised")
    from kafkalite.check.areas.clients import kafka_python_config

    try:
        from kafka.admin import (
            ACLFilter,
            ACLOperation,
            ACLPermissionType,
            ACLResourcePatternType,
            KafkaAdminClient,
            ResourcePatternFilter,
        )
        from kafka.admin import ResourceType as KResourceType
    except ImportError as exc:
        raise Skip(f"kafka-python is not installed ({exc})") from None
    from kafka.errors import ClusterAuthorizationFailedError, SecurityDisabledError

    admin = KafkaAdminClient(**kafka_python_config(ctx), request_timeout_ms=10_000)
    try:
        acl_filter = ACLFilter(
            principal=None,
            host="*",
            operation=ACLOperation.ANY,
            permission_type=ACLPermissionType.ANY,
            resource_pattern=ResourcePatternFilter(
                KResourceType.ANY, None, ACLResourcePatternType.ANY
            ),
        )
        try:
            acls, error = admin.describe_acls(acl_filter)
        except SecurityDisabledError:
            return "SECURITY_DISABLED (no authorizer)"
        except ClusterAuthorizationFailedError:
            raise Skip(
                "the checking principal may not describe ACLs (CLUSTER_AUTHORIZATION_FAILED); "
                "run with a super user's --command-config"
            ) from None
        return f"{len(acls)} ACLs ({error.__name__ if hasattr(error, '__name__') else error})"
    finally:
        admin.close()
