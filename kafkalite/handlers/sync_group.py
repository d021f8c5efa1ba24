"""SyncGroup (api key 14), served v0-v5.

Ends a rebalance: the leader sends every member's assignment and each member gets its
own. A follower's request waits for the leader's (``GroupCoordinator.sync_group``); while
the broker shuts down a parked request answers NOT_COORDINATOR.

Version notes: v1 throttle_time_ms; v3 group_instance_id (KIP-345); v4 flexible; v5
protocol_type and protocol_name in request and response (KIP-559): the request must carry
both, else INCONSISTENT_GROUP_PROTOCOL as in Kafka's ``KafkaApis``, and they must match the
group's.
"""

from __future__ import annotations

from kafkalite.groups import SyncRequest, SyncResult
from kafkalite.handlers.context import RequestContext
from kafkalite.handlers.group_support import unless_closing
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.sync_group import SyncGroupRequest, SyncGroupResponse
from kafkalite.security.acls import AclOperation

PROTOCOL_FIELDS_VERSION = 5


async def handle(ctx: RequestContext, request: SyncGroupRequest) -> SyncGroupResponse:
    version = ctx.version
    if not ctx.allows_group(AclOperation.READ, request.group_id):
        return SyncGroupResponse(error_code=ErrorCode.GROUP_AUTHORIZATION_FAILED)
    if not ctx.coordinates(request.group_id):
        return SyncGroupResponse(error_code=ErrorCode.NOT_COORDINATOR)
    with_protocol = version >= PROTOCOL_FIELDS_VERSION
    if with_protocol and (request.protocol_type is None or request.protocol_name is None):
        return SyncGroupResponse(error_code=ErrorCode.INCONSISTENT_GROUP_PROTOCOL)
    sync = SyncRequest(
        group_id=request.group_id,
        generation_id=request.generation_id,
        member_id=request.member_id,
        group_instance_id=request.group_instance_id if version >= 3 else None,
        protocol_type=request.protocol_type if with_protocol else None,
        protocol_name=request.protocol_name if with_protocol else None,
        assignments={a.member_id: bytes(a.assignment) for a in request.assignments},
    )
    result = await unless_closing(ctx, ctx.cluster.groups.sync_group(sync))
    if result is None:
        result = SyncResult(error_code=ErrorCode.NOT_COORDINATOR)
    response = SyncGroupResponse(error_code=result.error_code, assignment=result.assignment)
    if with_protocol:
        response.protocol_type = result.protocol_type
        response.protocol_name = result.protocol_name
    return response
