"""DeleteShareGroupOffsets (api key 92), served v0: deletes the share state of a share
group on topics (KIP-932): tombstones in ``__share_group_state``; the group then starts on
them again as ``share.auto.offset.reset`` says.

The group must have no members (NON_EMPTY_GROUP); an unknown group, or one of another type,
is GROUP_ID_NOT_FOUND. A topic that does not exist is UNKNOWN_TOPIC_OR_PARTITION. DELETE on
the group and READ on each topic are checked as Kafka checks them.
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.handlers.topic_ids import TopicIds
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.delete_share_group_offsets import (
    DeleteShareGroupOffsetsRequest,
    DeleteShareGroupOffsetsResponse,
    DeleteShareGroupOffsetsResponseTopic,
)
from kafkalite.security.acls import AclOperation


async def handle(
    ctx: RequestContext, request: DeleteShareGroupOffsetsRequest
) -> DeleteShareGroupOffsetsResponse:
    group_id = request.group_id
    coordinator = ctx.cluster.groups
    if not ctx.allows_group(AclOperation.DELETE, group_id):
        return DeleteShareGroupOffsetsResponse(error_code=ErrorCode.GROUP_AUTHORIZATION_FAILED)
    if not ctx.coordinates(group_id):
        return DeleteShareGroupOffsetsResponse(error_code=ErrorCode.NOT_COORDINATOR)
    error = coordinator.share_group_error(group_id)
    group = coordinator.share.get(group_id)
    if error or group is None:
        return DeleteShareGroupOffsetsResponse(
            error_code=error or ErrorCode.GROUP_ID_NOT_FOUND,
            error_message=f"Group {group_id} is not a share group.",
        )
    if group.members:
        return DeleteShareGroupOffsetsResponse(
            error_code=ErrorCode.NON_EMPTY_GROUP,
            error_message=f"Share group {group_id} has members; its offsets cannot be deleted.",
        )
    ids = TopicIds(ctx.cluster)
    response = DeleteShareGroupOffsetsResponse()
    for topic in request.topics:
        name = topic.topic_name
        topic_id = ids.id(name)
        entry = DeleteShareGroupOffsetsResponseTopic(topic_name=name, topic_id=topic_id)
        response.responses.append(entry)
        if not ctx.allows_topic(AclOperation.READ, name):
            entry.error_code = ErrorCode.TOPIC_AUTHORIZATION_FAILED
        elif ctx.cluster.logs.get_topic(name) is None:
            entry.error_code = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
        else:
            keys = [key for key in group.partitions if key[0] == topic_id]
            entry.error_code = coordinator.delete_share_state(group_id, keys)
    return response
