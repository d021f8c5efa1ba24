"""Metadata: brokers, leaders, topic ids, auto-creation and internal topics."""

from __future__ import annotations

import time
import uuid

from kafkalite.check.context import CheckContext
from kafkalite.check.registry import Failed, Skip, check, expect, expect_code
from kafkalite.client.admin import ResourceType, describe_configs
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.metadata import MetadataRequest, MetadataRequestTopic

_ZERO = uuid.UUID(int=0)


def _metadata(ctx: CheckContext, names: list[str] | None, *, auto: bool, minimum: int = 4):
    conn = ctx.connection()
    version = ctx.require(ApiKey.METADATA, minimum=minimum, connection=conn)
    request = MetadataRequest(
        topics=None if names is None else [MetadataRequestTopic(name=n) for n in names],
        allow_auto_topic_creation=auto,
    )
    return ctx.call(conn, ApiKey.METADATA, request, version)


def _auto_create_enabled(ctx: CheckContext) -> bool | None:
    try:
        info = ctx.client.metadata([])
        node = str(info.controller_id if info.controller_id >= 0 else next(iter(info.brokers)))
        result = describe_configs(
            ctx.client, ResourceType.BROKER, [node], ["auto.create.topics.enable"]
        )
        for entry in result[node].entries:
            if entry.name == "auto.create.topics.enable":
                return (entry.value or "").lower() == "true"
    except Exception:
        return None
    return None


@check(
    "metadata",
    "Metadata v4+ with allow_auto_topic_creation=true creates an unknown topic when the broker "
    "has auto.create.topics.enable=true (Kafka's default).",
    "KIP-204; Kafka KafkaApis.handleTopicMetadataRequest / AutoTopicCreationManager",
)
def auto_creation(ctx: CheckContext) -> None:
    if _auto_create_enabled(ctx) is False:
        raise Skip("the broker has auto.create.topics.enable=false")
    name = ctx.unique()
    ctx.adopt_topic(name)
    deadline = time.monotonic() + 10
    code = -1
    while time.monotonic() < deadline:
        response = _metadata(ctx, [name], auto=True)
        topic = response.topics[0]
        code = topic.error_code
        if (
            code == ErrorCode.NONE
            and topic.partitions
            and all(p.leader_id >= 0 for p in topic.partitions)
        ):
            return
        expect_code(
            code, (ErrorCode.NONE, ErrorCode.LEADER_NOT_AVAILABLE), f"Metadata auto-create {name}"
        )
        time.sleep(0.1)
    expect_code(code, ErrorCode.NONE, f"topic {name} never got a leader")


@check(
    "metadata",
    "Metadata v4+ with allow_auto_topic_creation=false answers UNKNOWN_TOPIC_OR_PARTITION for an "
    "unknown topic and does not create it.",
    "KIP-204; Kafka KafkaApis.handleTopicMetadataRequest",
)
def no_auto_creation_when_disallowed(ctx: CheckContext) -> None:
    name = ctx.unique()
    ctx.adopt_topic(name)
    for _ in range(2):
        response = _metadata(ctx, [name], auto=False)
        expect_code(
            response.topics[0].error_code, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, f"Metadata {name}"
        )


@check(
    "metadata",
    "A topic has a non-zero topic id (Metadata v10+), the same on every request.",
    "KIP-516; Kafka MetadataResponse topic_id",
)
def topic_ids(ctx: CheckContext) -> None:
    ctx.require(ApiKey.METADATA, minimum=10)
    name = ctx.create_topic()
    first = _metadata(ctx, [name], auto=False, minimum=10).topics[0]
    second = _metadata(ctx, [name], auto=False, minimum=10).topics[0]
    expect(first.topic_id != _ZERO, f"topic {name} has the zero topic id")
    expect(
        first.topic_id == second.topic_id,
        f"topic id changed: {first.topic_id} then {second.topic_id}",
    )


@check(
    "metadata",
    "__consumer_offsets, once a group coordinator exists, is listed with is_internal=true; a "
    "user topic with is_internal=false.",
    "Kafka Topic.INTERNAL_TOPICS; MetadataResponse is_internal (v1+)",
)
def internal_topics(ctx: CheckContext) -> None:
    name = ctx.create_topic()
    from kafkalite.check.areas.groups import commit_offset

    commit_offset(ctx, ctx.group_name(), name, 1)  # Kafka creates __consumer_offsets by now
    response = _metadata(ctx, None, auto=False, minimum=1)
    topics = {t.name: t for t in response.topics}
    expect(name in topics, f"{name} missing from an all-topics Metadata")
    expect(not topics[name].is_internal, f"user topic {name} reported internal")
    offsets = topics.get("__consumer_offsets")
    if offsets is None:
        raise Failed(
            "__consumer_offsets is not listed in an all-topics Metadata after a group committed"
        )
    expect(offsets.is_internal, "__consumer_offsets is listed with is_internal=false")


@check(
    "metadata",
    "Metadata for an illegal topic name ('bad name!') answers INVALID_TOPIC_EXCEPTION, even with "
    "auto-creation allowed.",
    "Kafka Topic.validate; KafkaApis.handleTopicMetadataRequest",
)
def invalid_topic_name(ctx: CheckContext) -> None:
    response = _metadata(ctx, ["bad name!"], auto=True)
    expect_code(
        response.topics[0].error_code, ErrorCode.INVALID_TOPIC_EXCEPTION, "Metadata 'bad name!'"
    )


@check(
    "metadata",
    "The cluster view is consistent: a cluster id (v2+), a controller among the brokers, every "
    "partition's leader and replicas among the brokers, leader epochs >= 0 (v7+).",
    "Kafka MetadataResponse; KIP-78 (cluster id); KIP-320 (leader epoch)",
)
def cluster_view(ctx: CheckContext) -> None:
    name = ctx.create_topic(partitions=3)
    response = _metadata(ctx, [name], auto=False, minimum=7)
    brokers = {b.node_id for b in response.brokers}
    expect(brokers, "no brokers in Metadata")
    expect(response.cluster_id, "no cluster id")
    expect(
        response.controller_id in brokers,
        f"controller {response.controller_id} not among brokers {sorted(brokers)}",
    )
    partitions = response.topics[0].partitions
    expect(
        sorted(p.partition_index for p in partitions) == [0, 1, 2],
        f"partitions {[p.partition_index for p in partitions]}",
    )
    for p in partitions:
        expect(
            p.leader_id in brokers,
            f"partition {p.partition_index} leader {p.leader_id} not a broker",
        )
        expect(
            set(p.replica_nodes) <= brokers and p.leader_id in p.replica_nodes,
            f"partition {p.partition_index} replicas {p.replica_nodes}",
        )
        expect(p.leader_epoch >= 0, f"partition {p.partition_index} leader epoch {p.leader_epoch}")
