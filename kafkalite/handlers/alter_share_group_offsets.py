"""AlterShareGroupOffsets (api key 91), served v0: sets the start offset (SPSO) of a share
group on partitions (KIP-932), as ``kafka-share-groups --reset-offsets`` does; everything
in flight there is forgotten, and the state is written to ``__share_group_state``.

The group must have no members (NON_EMPTY_GROUP); a group id nobody uses becomes a share
group, one of another type is GROUP_ID_NOT_FOUND. A partition that does not exist is
UNKNOWN_TOPIC_OR_PARTITION, a negative offset INVALID_REQUEST. READ on the group and on each
topic is checked as Kafka checks it.
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.handlers.topic_ids import TopicIds
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.alter_share_group_offsets import (
    AlterShareGroupOffsetsRequest,
    AlterShareGroupOffsetsResponse,
    AlterShareGroupOffsetsResponsePartition,
    AlterShareGroupOffsetsResponseTopic,
)
from kafkalite.security.acls import AclOperation


async def handle(
    ctx: RequestContext, request: AlterShareGroupOffsetsRequest
) -> AlterShareGroupOffsetsResponse:
    group_id = request.group_id
    coordinator = ctx.cluster.groups
    if not ctx.allows_group(AclOperation.READ, group_id):
        return AlterShareGroupOffsetsResponse(error_code=ErrorCode.GROUP_AUTHORIZATION_FAILED)
    if not ctx.coordinates(group_id):
        return AlterShareGroupOffsetsResponse(error_code=ErrorCode.NOT_COORDINATOR)
    existing = coordinator.share.get(group_id)
    if existing is not None and existing.members:
        return AlterShareGroupOffsetsResponse(
            error_code=ErrorCode.NON_EMPTY_GROUP,
            error_message=f"Share group {group_id} has members; its offsets cannot be altered.",
        )
    error = coordinator.share_group_error(group_id, create=True)
    if error:
        return AlterShareGroupOffsetsResponse(error_code=error, error_message=f"Group {group_id} is not a share group.")
    ids = TopicIds(ctx.cluster)
    response = AlterShareGroupOffsetsResponse()
    for topic in request.topics:
        topic_id = ids.id(topic.topic_name)
        answer = AlterShareGroupOffsetsResponseTopic(topic_name=topic.topic_name, topic_id=topic_id)
        response.responses.append(answer)
        allowed = ctx.allows_topic(AclOperation.READ, topic.topic_name)
        for partition in topic.partitions:
            entry = AlterShareGroupOffsetsResponsePartition(partition_index=partition.partition_index)
            answer.partitions.append(entry)
            if not allowed:
                entry.error_code = ErrorCode.TOPIC_AUTHORIZATION_FAILED
            elif ctx.cluster.partition(topic.topic_name, partition.partition_index) is None:
                entry.error_code = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
            elif partition.start_offset < 0:
                entry.error_code = ErrorCode.INVALID_REQUEST
                entry.error_message = "The start offset must not be negative."
            else:
                share = coordinator.share
                share.partition(group_id, topic_id, partition.partition_index).reset(partition.start_offset)
                share.changed(group_id, topic_id, partition.partition_index, available=True)
    return response
