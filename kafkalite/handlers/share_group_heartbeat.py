"""ShareGroupHeartbeat (api key 76), served v1: share group membership (KIP-932).

One request joins (member epoch 0), heartbeats and leaves (-1) a share group and carries
the member's assignment, by topic id, when it changes (always on a join); see
``kafkalite.groups.share_group``. The consumer generates its member id: an empty one is
INVALID_REQUEST. A group id held by a classic or consumer group answers
GROUP_ID_NOT_FOUND.

Version notes: v0 was Kafka 4.0's early access and is not served (nor by Kafka 4.1+).
"""

from __future__ import annotations

from kafkalite.groups.share_group import ShareHeartbeat
from kafkalite.handlers.context import RequestContext
from kafkalite.handlers.group_support import client_host
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.share_group_heartbeat import (
    ShareGroupHeartbeatRequest,
    ShareGroupHeartbeatResponse,
    ShareHeartbeatAssignment,
    ShareHeartbeatTopicPartitions,
)
from kafkalite.security.acls import AclOperation


async def handle(
    ctx: RequestContext, request: ShareGroupHeartbeatRequest
) -> ShareGroupHeartbeatResponse:
    # KafkaApis.handleShareGroupHeartbeat: READ on the group, then DESCRIBE on every
    # subscribed topic.
    if not ctx.allows_group(AclOperation.READ, request.group_id):
        return ShareGroupHeartbeatResponse(error_code=ErrorCode.GROUP_AUTHORIZATION_FAILED)
    refused = sorted(
        name for name in request.subscribed_topic_names or ()
        if not ctx.allows_topic(AclOperation.DESCRIBE, name)
    )
    if refused:
        return ShareGroupHeartbeatResponse(
            error_code=ErrorCode.TOPIC_AUTHORIZATION_FAILED,
            error_message=f"The following topics are not authorized: {', '.join(refused)}.",
        )
    if not ctx.coordinates(request.group_id):
        return ShareGroupHeartbeatResponse(error_code=ErrorCode.NOT_COORDINATOR)
    result = ctx.cluster.groups.share_group_heartbeat(ShareHeartbeat(
        group_id=request.group_id,
        member_id=request.member_id,
        member_epoch=request.member_epoch,
        rack_id=request.rack_id,
        subscribed_topic_names=request.subscribed_topic_names,
        client_id=ctx.request.client_id or "",
        client_host=client_host(ctx),
    ))
    if result.error_code:
        return ShareGroupHeartbeatResponse(
            error_code=result.error_code, error_message=result.error_message
        )
    assignment = None
    if result.assignment is not None:
        assignment = ShareHeartbeatAssignment(topic_partitions=[
            ShareHeartbeatTopicPartitions(topic_id=topic_id, partitions=sorted(partitions))
            for topic_id, partitions in sorted(result.assignment.items(), key=lambda item: str(item[0]))
        ])
    return ShareGroupHeartbeatResponse(
        member_id=result.member_id,
        member_epoch=result.member_epoch,
        heartbeat_interval_ms=result.heartbeat_interval_ms,
        assignment=assignment,
    )
