"""DeleteGroups (api key 42), served v0-v2.

Deletes groups together with their committed offsets. Only an Empty group can go
(NON_EMPTY_GROUP otherwise); an unknown one answers GROUP_ID_NOT_FOUND. A group named twice
is answered once, as Kafka's ``KafkaApis`` does.

Version notes: v1 no change; v2 flexible.
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.delete_groups import (
    DeletableGroupResult,
    DeleteGroupsRequest,
    DeleteGroupsResponse,
)
from kafkalite.security.acls import AclOperation


async def handle(ctx: RequestContext, request: DeleteGroupsRequest) -> DeleteGroupsResponse:
    group_ids = list(dict.fromkeys(request.groups_names))
    # KafkaApis.handleDeleteGroupsRequest: DELETE on each group.
    refused = {g for g in group_ids if not ctx.allows_group(AclOperation.DELETE, g)}
    ours = [g for g in group_ids if g not in refused and ctx.coordinates(g)]
    results = dict.fromkeys(group_ids, int(ErrorCode.NOT_COORDINATOR))
    results.update(dict.fromkeys(refused, int(ErrorCode.GROUP_AUTHORIZATION_FAILED)))
    results.update(ctx.cluster.groups.delete_groups(ours) if ours else {})
    return DeleteGroupsResponse(results=[
        DeletableGroupResult(group_id=group_id, error_code=results[group_id]) for group_id in group_ids
    ])
