"""OffsetDelete (api key 47), served v0 (KIP-496).

Deletes a group's committed offsets of some partitions. The group must exist
(GROUP_ID_NOT_FOUND), and a non-empty group must use the consumer protocol
(NON_EMPTY_GROUP); partitions of topics its members subscribe to answer
GROUP_SUBSCRIBED_TO_TOPIC. Partitions of unknown topics answer UNKNOWN_TOPIC_OR_PARTITION
and never reach the coordinator. A group-level error is answered alone, without
partitions, as Kafka's ``OffsetDeleteResponse.Builder.merge`` does. An empty group id is
INVALID_GROUP_ID.
"""

from __future__ import annotations

from kafkalite.groups import TopicPartition
from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.offset_delete import (
    OffsetDeleteRequest,
    OffsetDeleteResponse,
    OffsetDeleteResponsePartition,
    OffsetDeleteResponseTopic,
)
from kafkalite.security.acls import AclOperation


async def handle(ctx: RequestContext, request: OffsetDeleteRequest) -> OffsetDeleteResponse:
    broker = ctx.cluster
    # KafkaApis.handleOffsetDeleteRequest: DELETE on the group, READ on each topic.
    if not ctx.allows_group(AclOperation.DELETE, request.group_id):
        return OffsetDeleteResponse(error_code=ErrorCode.GROUP_AUTHORIZATION_FAILED)
    if not ctx.coordinates(request.group_id):
        return OffsetDeleteResponse(error_code=ErrorCode.NOT_COORDINATOR)
    known: list[TopicPartition] = []
    refused = {t.name for t in request.topics if not ctx.allows_topic(AclOperation.READ, t.name)}
    for topic in request.topics:
        for part in topic.partitions:
            if topic.name in refused:
                continue
            if broker.partition(topic.name, part.partition_index) is not None:
                known.append(TopicPartition(topic.name, part.partition_index))
    result = broker.groups.delete_offsets(request.group_id, known)
    if result.error_code != ErrorCode.NONE:
        return OffsetDeleteResponse(error_code=result.error_code)
    response = OffsetDeleteResponse()
    for topic in request.topics:
        topic_response = OffsetDeleteResponseTopic(name=topic.name)
        response.topics.append(topic_response)
        for part in topic.partitions:
            error = ErrorCode.TOPIC_AUTHORIZATION_FAILED if topic.name in refused else result.partitions.get(
                TopicPartition(topic.name, part.partition_index), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
            topic_response.partitions.append(
                OffsetDeleteResponsePartition(partition_index=part.partition_index, error_code=error))
    return response
