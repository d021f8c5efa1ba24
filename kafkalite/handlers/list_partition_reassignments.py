"""ListPartitionReassignments (api key 46), served v0.

Reassignments complete as soon as AlterPartitionReassignments answers, so none is ever in
progress: the answer lists no topics, for every topic or for the ones named (Kafka leaves out
named topics and partitions it does not know, so they add no error either).
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.messages.list_partition_reassignments import (
    ListPartitionReassignmentsRequest,
    ListPartitionReassignmentsResponse,
)


async def handle(
    ctx: RequestContext, request: ListPartitionReassignmentsRequest
) -> ListPartitionReassignmentsResponse:
    return ListPartitionReassignmentsResponse(topics=[])
