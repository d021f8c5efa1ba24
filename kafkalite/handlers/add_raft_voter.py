"""AddRaftVoter (api key 80), served v0-v1.

kafkalite answers as a Kafka cluster with a single-voter static quorum does (see
``describe_quorum``): ``kraft.version`` is not finalized (level 0), so the quorum cannot be
reconfigured and the request gets UNSUPPORTED_VERSION with Kafka's message, after the
cluster id check (INCONSISTENT_CLUSTER_ID for another cluster's id).

Version notes: v0 flexible; v1 ``ack_when_committed`` (KIP-1186).
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.add_raft_voter import AddRaftVoterRequest, AddRaftVoterResponse
from kafkalite.protocol.messages.error_codes import MESSAGES
from kafkalite.security.acls import AclOperation


async def handle(ctx: RequestContext, request: AddRaftVoterRequest) -> AddRaftVoterResponse:
    error, message = static_quorum_answer(ctx, request.cluster_id, "adding")
    return AddRaftVoterResponse(error_code=error, error_message=message)


def static_quorum_answer(
    ctx: RequestContext, cluster_id: str | None, change: str
) -> tuple[ErrorCode, str]:
    """What Kafka's raft client answers a voter change on a quorum with kraft.version 0;
    without ALTER on the cluster, CLUSTER_AUTHORIZATION_FAILED first (KafkaApis)."""
    if not ctx.allows_cluster(AclOperation.ALTER):
        return ErrorCode.CLUSTER_AUTHORIZATION_FAILED, ""
    if cluster_id is not None and cluster_id != ctx.cluster.cluster_id:
        return ErrorCode.INCONSISTENT_CLUSTER_ID, MESSAGES[ErrorCode.INCONSISTENT_CLUSTER_ID]
    return (
        ErrorCode.UNSUPPORTED_VERSION,
        f"Cluster doesn't support {change} voter because the kraft.version feature is 0",
    )
