"""RemoveRaftVoter (api key 81), served v0.

Answered as a single-voter static quorum does, like AddRaftVoter (``add_raft_voter``):
INCONSISTENT_CLUSTER_ID for another cluster's id, else UNSUPPORTED_VERSION because
``kraft.version`` is 0.
"""

from __future__ import annotations

from kafkalite.handlers.add_raft_voter import static_quorum_answer
from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.messages.remove_raft_voter import (
    RemoveRaftVoterRequest,
    RemoveRaftVoterResponse,
)


async def handle(ctx: RequestContext, request: RemoveRaftVoterRequest) -> RemoveRaftVoterResponse:
    error, message = static_quorum_answer(ctx, request.cluster_id, "removing")
    return RemoveRaftVoterResponse(error_code=error, error_message=message)
