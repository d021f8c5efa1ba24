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


async def handle(ctx: RequestContext, request: DeleteGroupsRequest) -> DeleteGroupsResponse:
    group_ids = list(dict.fromkeys(request.groups_names))
    ours = [group_id for group_id in group_ids if ctx.coordinates(group_id)]
    results = dict.fromkeys(group_ids, int(ErrorCode.NOT_COORDINATOR))
    results.update(ctx.cluster.groups.delete_groups(ours) if ours else {})
    return DeleteGroupsResponse(results=[
        DeletableGroupResult(group_id=group_id, error_code=results[group_id]) for group_id in group_ids
    ])
