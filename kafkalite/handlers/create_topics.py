"""CreateTopics (api key 19), served v0-v7.

Each topic is checked on its own (``topics.lifecycle``), then the valid ones are created
as one batch, in steps that let other connections be served (``create_topics_in_steps``): INVALID_TOPIC_EXCEPTION,
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
    CreatableTopicConfigResult,
    CreatableTopicResult,
    CreateTopicsRequest,
    CreateTopicsResponse,
)
from kafkalite.security.acls import AclOperation
from kafkalite.storage.steps import run_sliced
from kafkalite.topics.configs import topic_entries
from kafkalite.topics.lifecycle import TopicPlan, create_topics_in_steps, plan_topic
from kafkalite.topics.model import DUPLICATE_TOPIC_NAME, error_message, first_of_each_name


async def handle(ctx: RequestContext, request: CreateTopicsRequest) -> CreateTopicsResponse:
    broker = ctx.cluster
    outcomes: list[CreatableTopicResult | TopicPlan] = []
    for topic, duplicate in first_of_each_name(request.topics, lambda topic: topic.name):
        if duplicate:
            outcomes.append(
                CreatableTopicResult(
                    name=topic.name,
                    error_code=ErrorCode.INVALID_REQUEST,
                    error_message=DUPLICATE_TOPIC_NAME,
                    configs=[],
                )
            )
            continue
        if not (
            ctx.allows_cluster(AclOperation.CREATE) or ctx.allows_topic(AclOperation.CREATE, topic.name)
        ):
            # KafkaApis.handleCreateTopicsRequest: CREATE on the cluster or on the topic.
            outcomes.append(
                CreatableTopicResult(
                    name=topic.name,
                    error_code=ErrorCode.TOPIC_AUTHORIZATION_FAILED,
                    error_message="Authorization failed.",
                    configs=[],
                )
            )
            continue
        try:
            outcomes.append(
                plan_topic(
                    broker,
                    topic.name,
                    topic.num_partitions,
                    topic.replication_factor,
                    [(a.partition_index, a.broker_ids) for a in topic.assignments],
                    [(c.name, c.value) for c in topic.configs],
                )
            )
        except KafkaError as exc:
            outcomes.append(_failed(topic.name, exc))
    plans = [outcome for outcome in outcomes if isinstance(outcome, TopicPlan)]
    errors: dict[int, KafkaError | None] = {}
    if plans and not request.validate_only:
        created = await run_sliced(create_topics_in_steps(broker, plans))
        errors = {id(plan): error for plan, error in zip(plans, created, strict=True)}
    response = CreateTopicsResponse()
    for outcome in outcomes:
        if isinstance(outcome, CreatableTopicResult):
            response.topics.append(outcome)
            continue
        error = errors.get(id(outcome))
        response.topics.append(
            _failed(outcome.name, error) if error is not None else _created(ctx, outcome)
        )
    for result in response.topics:
        result.topic_config_error_code = _config_error(ctx, result.name)
        if result.topic_config_error_code:
            result.configs = []
    return response


def _config_error(ctx: RequestContext, topic: str) -> int:
    """The created topic's configs are shown only with DESCRIBE_CONFIGS on it."""
    if ctx.allows_topic(AclOperation.DESCRIBE_CONFIGS, topic):
        return ErrorCode.NONE
    return ErrorCode.TOPIC_AUTHORIZATION_FAILED


def _failed(name: str, exc: KafkaError) -> CreatableTopicResult:
    return CreatableTopicResult(
        name=name, error_code=exc.code, error_message=error_message(exc), configs=[]
    )


def _created(ctx: RequestContext, plan: TopicPlan) -> CreatableTopicResult:
    return CreatableTopicResult(
        name=plan.name,
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
            for entry in topic_entries(ctx.cluster, plan.overrides)
        ],
    )
