"""JoinGroup (api key 11), served v0-v9.

A member joins a classic group, or rejoins in a rebalance. The answer waits until the
group's join phase ends (``GroupCoordinator.join_group``); the leader's answer lists every
member with its metadata. While the broker shuts down, a parked join answers
NOT_COORDINATOR, which sends the client looking for the coordinator again.

Version notes (Kafka's ``JoinGroupRequest``/``JoinGroupResponse``):
- v0 has no rebalance timeout: the session timeout stands in for it.
- v2 throttle_time_ms.
- v4 a new dynamic member first gets MEMBER_ID_REQUIRED with its member id and must join
  again with it (KIP-394); older versions are admitted at once.
- v5 group_instance_id, static membership (KIP-345).
- v6 flexible.
- v7 protocol_type in the response, and protocol_name becomes nullable: null when no
  protocol is chosen, where older versions get "" (KIP-559).
- v8 reason, logged (KIP-800).
- v9 skip_assignment: a returning static leader learns the members but must not assign
  (KIP-814).

Error codes are the coordinator's, e.g. INVALID_GROUP_ID for an empty group id and
INVALID_SESSION_TIMEOUT outside group.min/max.session.timeout.ms.
"""

from __future__ import annotations

from kafkalite.groups import JoinRequest, JoinResult, Protocol
from kafkalite.handlers.context import RequestContext
from kafkalite.handlers.group_support import client_host, unless_closing
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.join_group import (
    JoinGroupRequest,
    JoinGroupResponse,
    JoinGroupResponseMember,
)
from kafkalite.security.acls import AclOperation


async def handle(ctx: RequestContext, request: JoinGroupRequest) -> JoinGroupResponse:
    version = ctx.version
    if not ctx.allows_group(AclOperation.READ, request.group_id):
        return _response(
            JoinResult(error_code=ErrorCode.GROUP_AUTHORIZATION_FAILED, member_id=request.member_id),
            version,
        )
    if not ctx.coordinates(request.group_id):
        return _response(
            JoinResult(error_code=ErrorCode.NOT_COORDINATOR, member_id=request.member_id), version
        )
    join = JoinRequest(
        group_id=request.group_id,
        member_id=request.member_id,
        group_instance_id=request.group_instance_id if version >= 5 else None,
        protocol_type=request.protocol_type,
        protocols=[Protocol(p.name, bytes(p.metadata)) for p in request.protocols],
        session_timeout_ms=request.session_timeout_ms,
        rebalance_timeout_ms=request.rebalance_timeout_ms if version >= 1 else request.session_timeout_ms,
        client_id=ctx.request.client_id or "",
        client_host=client_host(ctx),
        reason=request.reason if version >= 8 else None,
        require_known_member_id=version >= 4,
        supports_skip_assignment=version >= 9,
    )
    result = await unless_closing(ctx, ctx.cluster.groups.join_group(join))
    if result is None:
        result = JoinResult(error_code=ErrorCode.NOT_COORDINATOR, member_id=request.member_id)
    return _response(result, version)


def _response(result: JoinResult, version: int) -> JoinGroupResponse:
    response = JoinGroupResponse(
        error_code=result.error_code,
        generation_id=result.generation_id,
        leader=result.leader,
        member_id=result.member_id,
        members=[
            JoinGroupResponseMember(
                member_id=member.member_id,
                group_instance_id=member.group_instance_id if version >= 5 else None,
                metadata=member.metadata,
            )
            for member in result.members
        ],
    )
    if version >= 7:
        response.protocol_type = result.protocol_type
        response.protocol_name = result.protocol_name or None
    else:
        response.protocol_name = result.protocol_name or ""
    if version >= 9:
        response.skip_assignment = result.skip_assignment
    return response
