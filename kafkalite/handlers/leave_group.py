"""LeaveGroup (api key 13), served v0-v5.

Removes members from a classic group, which then rebalances without them.

Version notes: v0-v2 carry one member id, and its result is the top-level error code (as
Kafka's ``LeaveGroupResponse`` folds it for those versions); v1 throttle_time_ms; v3
several members at once, each by member id or, for an admin removing static members, by
group instance id alone (KIP-345), with one error code per member; v4 flexible; v5
reason per member, logged (KIP-800).
"""

from __future__ import annotations

from kafkalite.groups import LeaveMember
from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.leave_group import (
    LeaveGroupRequest,
    LeaveGroupResponse,
    MemberResponse,
)
from kafkalite.security.acls import AclOperation

BATCHED_VERSION = 3


async def handle(ctx: RequestContext, request: LeaveGroupRequest) -> LeaveGroupResponse:
    version = ctx.version
    if not ctx.allows_group(AclOperation.READ, request.group_id):
        return LeaveGroupResponse(error_code=ErrorCode.GROUP_AUTHORIZATION_FAILED)
    if not ctx.coordinates(request.group_id):
        return LeaveGroupResponse(error_code=ErrorCode.NOT_COORDINATOR)
    if version < BATCHED_VERSION:
        members = [LeaveMember(request.member_id)]
    else:
        members = [
            LeaveMember(m.member_id, m.group_instance_id, m.reason if version >= 5 else None)
            for m in request.members
        ]
    result = ctx.cluster.groups.leave_group(request.group_id, members)
    if version < BATCHED_VERSION:
        error = result.error_code
        if error == ErrorCode.NONE and result.members:
            error = result.members[0].error_code
        return LeaveGroupResponse(error_code=error)
    return LeaveGroupResponse(
        error_code=result.error_code,
        members=[
            MemberResponse(member_id=m.member_id, group_instance_id=m.group_instance_id, error_code=m.error_code)
            for m in result.members
        ],
    )
