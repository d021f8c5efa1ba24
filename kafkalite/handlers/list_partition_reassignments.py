"""ListPartitionReassignments (api key 46), served v0.

Reassignments complete as soon as AlterPartitionReassignments answers, so none is ever in
progress: the answer lists no topics, for every topic or for the ones named (Kafka leaves out
named topics and partitions it does not know, so they add no error either).
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.error_codes import MESSAGES
from kafkalite.protocol.messages.list_partition_reassignments import (
    ListPartitionReassignmentsRequest,
    ListPartitionReassignmentsResponse,
)
from kafkalite.security.acls import AclOperation


async def handle(
    ctx: RequestContext, request: ListPartitionReassignmentsRequest
) -> ListPartitionReassignmentsResponse:
    if not ctx.allows_cluster(AclOperation.DESCRIBE):
        return ListPartitionReassignmentsResponse(
            error_code=ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
            error_message=MESSAGES.get(ErrorCode.CLUSTER_AUTHORIZATION_FAILED),
        )
    return ListPartitionReassignmentsResponse(topics=[])
