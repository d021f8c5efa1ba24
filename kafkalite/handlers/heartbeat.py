"""Heartbeat (api key 12), served v0-v4.

Keeps a member's session alive. REBALANCE_IN_PROGRESS tells it to rejoin; ILLEGAL_GENERATION
and UNKNOWN_MEMBER_ID that it fell out of the group; an empty group id is INVALID_GROUP_ID.

Version notes: v1 throttle_time_ms; v3 group_instance_id (KIP-345); v4 flexible.
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.heartbeat import HeartbeatRequest, HeartbeatResponse
from kafkalite.security.acls import AclOperation


async def handle(ctx: RequestContext, request: HeartbeatRequest) -> HeartbeatResponse:
    if not ctx.allows_group(AclOperation.READ, request.group_id):
        return HeartbeatResponse(error_code=ErrorCode.GROUP_AUTHORIZATION_FAILED)
    if not ctx.coordinates(request.group_id):
        return HeartbeatResponse(error_code=ErrorCode.NOT_COORDINATOR)
    instance_id = request.group_instance_id if ctx.version >= 3 else None
    error = ctx.cluster.groups.heartbeat(request.group_id, request.member_id, instance_id, request.generation_id)
    return HeartbeatResponse(error_code=error)
