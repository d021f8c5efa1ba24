"""DescribeTopicPartitions (api key 75), served v0.

Topics and their partitions as Metadata reports them (leader, epoch, replicas, ISR, offline
replicas), a page at a time (KIP-966). Topics are answered in name order: every topic when
the list is empty, else the named ones (an unknown name gets UNKNOWN_TOPIC_OR_PARTITION and
no partitions; topics are never auto-created here). A page holds at most
``min(response_partition_limit, 2000)`` partitions; ``next_cursor`` names the first
partition left out, or is null after the last page. A request cursor starts the page at its
topic and partition; it must name one of the listed topics (INVALID_REQUEST otherwise), and
a negative partition index is INVALID_REQUEST too. With ACLs on, topics need DESCRIBE (all
topics: the others are left out; named: TOPIC_AUTHORIZATION_FAILED) and
``topic_authorized_operations`` is the principal's; without, it is always
set (no authorizer: every topic operation).

Not implemented: eligible leader replicas (ELR is not enabled), so ``eligible_leader_replicas``
and ``last_known_elr`` are empty lists.
"""

from __future__ import annotations

from kafkalite.cluster.leadership import NO_LEADER
from kafkalite.handlers.context import RequestContext
from kafkalite.handlers.metadata import TOPIC_OPERATIONS, ZERO_UUID
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.describe_topic_partitions import (
    DescribeTopicPartitionsCursor,
    DescribeTopicPartitionsRequest,
    DescribeTopicPartitionsResponse,
    DescribeTopicPartitionsResponsePartition,
    DescribeTopicPartitionsResponseTopic,
)
from kafkalite.security.acls import AclOperation, ResourceType

MAX_PARTITIONS = 2000  # max.request.partition.size.limit


async def handle(
    ctx: RequestContext, request: DescribeTopicPartitionsRequest
) -> DescribeTopicPartitionsResponse:
    cluster = ctx.cluster
    topics = cluster.topics()
    every_topic = not request.topics
    names = sorted(topics) if every_topic else sorted({t.name for t in request.topics})
    if every_topic:  # KafkaApis: all topics are those the principal may describe
        names = [name for name in names if ctx.allows_topic(AclOperation.DESCRIBE, name)]
    cursor = request.cursor
    if cursor is not None:
        if cursor.partition_index < 0 or (not every_topic and cursor.topic_name not in names):
            # Kafka's getErrorResponse: the error on every named topic.
            return DescribeTopicPartitionsResponse(topics=[
                DescribeTopicPartitionsResponseTopic(
                    error_code=ErrorCode.INVALID_REQUEST, name=t.name, topic_id=ZERO_UUID
                )
                for t in request.topics
            ])
        names = [name for name in names if name >= cursor.topic_name]
    remaining = max(0, min(request.response_partition_limit, MAX_PARTITIONS))
    response = DescribeTopicPartitionsResponse()
    for position, name in enumerate(names):
        info = topics.get(name)
        if not ctx.allows_topic(AclOperation.DESCRIBE, name):
            # Refused without saying whether the topic exists.
            response.topics.append(DescribeTopicPartitionsResponseTopic(
                error_code=ErrorCode.TOPIC_AUTHORIZATION_FAILED, name=name, topic_id=ZERO_UUID,
            ))
            continue
        if info is None:
            response.topics.append(DescribeTopicPartitionsResponseTopic(
                error_code=ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name=name, topic_id=ZERO_UUID,
                topic_authorized_operations=TOPIC_OPERATIONS,
            ))
            continue
        if remaining == 0:
            response.next_cursor = DescribeTopicPartitionsCursor(topic_name=name, partition_index=0)
            break
        start = cursor.partition_index if cursor is not None and name == cursor.topic_name else 0
        count = len(info.partitions)
        end = min(count, start + remaining)
        topic = DescribeTopicPartitionsResponseTopic(
            name=name, topic_id=info.topic_id, is_internal=cluster.is_internal(name),
            topic_authorized_operations=ctx.authorized_operations(
                ResourceType.TOPIC, name, TOPIC_OPERATIONS
            ),
        )
        for number in range(start, end):
            state = cluster.partition_state(name, number)
            topic.partitions.append(DescribeTopicPartitionsResponsePartition(
                error_code=(
                    ErrorCode.LEADER_NOT_AVAILABLE if state.leader == NO_LEADER else ErrorCode.NONE
                ),
                partition_index=number,
                leader_id=state.leader,
                leader_epoch=state.leader_epoch,
                replica_nodes=list(state.replicas),
                isr_nodes=list(state.isr),
                eligible_leader_replicas=[],
                last_known_elr=[],
                offline_replicas=[
                    n for n in state.replicas
                    if n not in cluster.nodes
                    or not cluster.nodes[n].online
                    or not cluster.nodes[n].registered
                ],
            ))
        response.topics.append(topic)
        remaining -= max(0, end - start)
        if end < count:
            response.next_cursor = DescribeTopicPartitionsCursor(topic_name=name, partition_index=end)
            break
        if remaining == 0 and any(n in topics for n in names[position + 1:]):
            following = next(n for n in names[position + 1:] if n in topics)
            response.next_cursor = DescribeTopicPartitionsCursor(topic_name=following, partition_index=0)
            break
    return response
