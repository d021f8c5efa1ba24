"""ConsumerGroupHeartbeat (api key 68), served v0-v1: the consumer group protocol (KIP-848).

One request joins (member epoch 0), heartbeats, reconciles and leaves (-1; -2 for a static
member that will come back) a consumer group; see ``kafkalite.groups.consumer_manager``.
Assignments travel by topic id; subscriptions by topic name or RE2 pattern.

Version notes: v1 the consumer generates its member id (KIP-1082: an empty one is
INVALID_REQUEST) and SubscribedTopicRegex.
"""

from __future__ import annotations

import uuid

from kafkalite.groups.consumer_manager import ConsumerHeartbeat
from kafkalite.handlers.context import RequestContext
from kafkalite.handlers.group_support import client_host
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.consumer_group_heartbeat import (
    ConsumerGroupHeartbeatRequest,
    ConsumerGroupHeartbeatResponse,
    HeartbeatAssignment,
    HeartbeatTopicPartitions,
)
from kafkalite.security.acls import AclOperation


async def handle(
    ctx: RequestContext, request: ConsumerGroupHeartbeatRequest
) -> ConsumerGroupHeartbeatResponse:
    # KafkaApis.handleConsumerGroupHeartbeatRequest: READ on the group, then DESCRIBE on
    # every topic subscribed by name.
    if not ctx.allows_group(AclOperation.READ, request.group_id):
        return ConsumerGroupHeartbeatResponse(error_code=ErrorCode.GROUP_AUTHORIZATION_FAILED)
    refused = sorted(
        name for name in request.subscribed_topic_names or ()
        if not ctx.allows_topic(AclOperation.DESCRIBE, name)
    )
    if refused:
        return ConsumerGroupHeartbeatResponse(
            error_code=ErrorCode.TOPIC_AUTHORIZATION_FAILED,
            error_message=f"The following topics are not authorized: {', '.join(refused)}.",
        )
    if not ctx.coordinates(request.group_id):
        return ConsumerGroupHeartbeatResponse(error_code=ErrorCode.NOT_COORDINATOR)
    owned: dict[uuid.UUID, list[int]] | None = None
    if request.topic_partitions is not None:
        owned = {}
        for topic in request.topic_partitions:
            owned.setdefault(topic.topic_id, []).extend(topic.partitions)
    result = ctx.cluster.groups.consumer_group_heartbeat(ConsumerHeartbeat(
        group_id=request.group_id,
        member_id=request.member_id,
        member_epoch=request.member_epoch,
        instance_id=request.instance_id,
        rack_id=request.rack_id,
        rebalance_timeout_ms=request.rebalance_timeout_ms,
        subscribed_topic_names=request.subscribed_topic_names,
        subscribed_topic_regex=request.subscribed_topic_regex if ctx.version >= 1 else None,
        server_assignor=request.server_assignor,
        owned=owned,
        client_id=ctx.request.client_id or "",
        client_host=client_host(ctx),
        api_version=ctx.version,
    ))
    if result.error_code:
        return ConsumerGroupHeartbeatResponse(
            error_code=result.error_code, error_message=result.error_message
        )
    assignment = None
    if result.assignment is not None:
        assignment = HeartbeatAssignment(topic_partitions=[
            HeartbeatTopicPartitions(topic_id=topic_id, partitions=sorted(partitions))
            for topic_id, partitions in sorted(result.assignment.items(), key=lambda item: str(item[0]))
        ])
    return ConsumerGroupHeartbeatResponse(
        member_id=result.member_id,
        member_epoch=result.member_epoch,
        heartbeat_interval_ms=result.heartbeat_interval_ms,
        assignment=assignment,
    )
