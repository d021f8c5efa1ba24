"""CreateTopics (api key 19), served v0-v7.

Each topic is checked and created on its own (``topics.lifecycle``): INVALID_TOPIC_EXCEPTION,
TOPIC_ALREADY_EXISTS, INVALID_CONFIG, INVALID_PARTITIONS (0 or below -1),
INVALID_REPLICATION_FACTOR (anything but 1 or -1: there is one broker), INVALID_REQUEST /
INVALID_REPLICA_ASSIGNMENT for manual assignments (they may name this broker only). A name
given twice in one request gets one INVALID_REQUEST "Duplicate topic name." and is not
created. ``validate_only`` runs every check and creates nothing.

The topics exist when the response is sent, so ``timeout_ms`` is not needed and ignored.

Version notes: v0 has no ``validate_only`` and a result is its name and error code; v1
``validate_only`` and the result's error_message; v2 throttle_time_ms (v0-v1 were removed in
Kafka 4, KIP-896, and are served as Kafka 3.x served them); v4 (KIP-464) -1 partition count
and replication factor mean the broker defaults; v5 flexible, and a created topic's result carries its partition count, replication
factor and every config with value, source and flags (KIP-525); v6 quota-related only
(THROTTLING_QUOTA_EXCEEDED, never sent: no quotas); v7 the new topic's id (KIP-516; with
``validate_only`` an id that is not kept, as Kafka does).
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode, KafkaError
from kafkalite.protocol.messages.create_topics import (
    CreatableTopic,
    CreatableTopicConfigResult,
    CreatableTopicResult,
    CreateTopicsRequest,
    CreateTopicsResponse,
)
from kafkalite.security.acls import AclOperation
from kafkalite.topics.configs import topic_entries
from kafkalite.topics.lifecycle import create_topic, plan_topic
from kafkalite.topics.model import DUPLICATE_TOPIC_NAME, error_message, first_of_each_name


async def handle(ctx: RequestContext, request: CreateTopicsRequest) -> CreateTopicsResponse:
    response = CreateTopicsResponse()
    for topic, duplicate in first_of_each_name(request.topics, lambda topic: topic.name):
        if duplicate:
            response.topics.append(
                CreatableTopicResult(
                    name=topic.name,
                    error_code=ErrorCode.INVALID_REQUEST,
                    error_message=DUPLICATE_TOPIC_NAME,
                    configs=[],
                )
            )
        elif not (
            ctx.allows_cluster(AclOperation.CREATE) or ctx.allows_topic(AclOperation.CREATE, topic.name)
        ):
            # KafkaApis.handleCreateTopicsRequest: CREATE on the cluster or on the topic.
            response.topics.append(
                CreatableTopicResult(
                    name=topic.name,
                    error_code=ErrorCode.TOPIC_AUTHORIZATION_FAILED,
                    error_message="Authorization failed.",
                    topic_config_error_code=_config_error(ctx, topic.name),
                    configs=[],
                )
            )
        else:
            result = _create(ctx, topic, request.validate_only)
            result.topic_config_error_code = _config_error(ctx, topic.name)
            if result.topic_config_error_code:
                result.configs = []
            response.topics.append(result)
    return response


def _config_error(ctx: RequestContext, topic: str) -> int:
    """The created topic's configs are shown only with DESCRIBE_CONFIGS on it."""
    if ctx.allows_topic(AclOperation.DESCRIBE_CONFIGS, topic):
        return ErrorCode.NONE
    return ErrorCode.TOPIC_AUTHORIZATION_FAILED


def _create(
    ctx: RequestContext, topic: CreatableTopic, validate_only: bool
) -> CreatableTopicResult:
    broker = ctx.cluster
    try:
        plan = plan_topic(
            broker,
            topic.name,
            topic.num_partitions,
            topic.replication_factor,
            [(a.partition_index, a.broker_ids) for a in topic.assignments],
            [(c.name, c.value) for c in topic.configs],
        )
        if not validate_only:
            create_topic(broker, plan)
    except KafkaError as exc:
        return CreatableTopicResult(
            name=topic.name, error_code=exc.code, error_message=error_message(exc), configs=[]
        )
    return CreatableTopicResult(
        name=topic.name,
        topic_id=plan.topic_id,
        num_partitions=plan.num_partitions,
        replication_factor=plan.replication_factor,
        configs=[
            CreatableTopicConfigResult(
                name=entry.name,
                value=entry.value,
                read_only=entry.read_only,
                config_source=entry.source,
                is_sensitive=entry.sensitive,
            )
            for entry in topic_entries(broker, plan.overrides)
        ],
    )
