"""DescribeQuorum (api key 55), served v0-v2.

kafkalite has no KRaft quorum; it answers as a cluster with a single voter does. The voter
is the controller DescribeCluster names (the lowest online node), the other online nodes are
observers, as brokers are. The metadata log's high watermark is a number that grows with
every leadership change (the sum of the partitions' epochs), every replica is caught up to
it and was last heard from now. v2 ``nodes`` lists the voter at its advertised address
under listener name CONTROLLER; each replica's directory id is a stable id derived from the
cluster id and node id.

Only ``__cluster_metadata`` partition 0 exists: any other topic or partition gets
UNKNOWN_TOPIC_OR_PARTITION on each partition asked for, as Kafka's raft client answers.

Version notes: v0 flexible; v1 last fetch and last caught-up timestamps (KIP-836); v2
replica directory ids, error messages and voter endpoints (KIP-853).
"""

from __future__ import annotations

import time
import uuid

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.describe_quorum import (
    DescribeQuorumListener,
    DescribeQuorumNode,
    DescribeQuorumPartitionResponse,
    DescribeQuorumRequest,
    DescribeQuorumResponse,
    DescribeQuorumTopicResponse,
    ReplicaState,
)
from kafkalite.protocol.messages.error_codes import MESSAGES
from kafkalite.security.acls import AclOperation

METADATA_TOPIC = "__cluster_metadata"
LISTENER = "CONTROLLER"
ZERO = uuid.UUID(int=0)


async def handle(ctx: RequestContext, request: DescribeQuorumRequest) -> DescribeQuorumResponse:
    cluster = ctx.cluster
    if not ctx.allows_cluster(AclOperation.DESCRIBE):
        return DescribeQuorumResponse(
            error_code=ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
            error_message=MESSAGES.get(ErrorCode.CLUSTER_AUTHORIZATION_FAILED),
        )
    asked = [(t.topic_name, p.partition_index) for t in request.topics for p in t.partitions]
    if asked != [(METADATA_TOPIC, 0)]:
        code = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
        return DescribeQuorumResponse(topics=[
            DescribeQuorumTopicResponse(topic_name=t.topic_name, partitions=[
                DescribeQuorumPartitionResponse(
                    partition_index=p.partition_index, error_code=code,
                    error_message=MESSAGES.get(code),
                )
                for p in t.partitions
            ])
            for t in request.topics
        ])
    voter = cluster.controller_id
    offset = sum(state.partition_epoch + 1 for state in cluster.leadership.partitions.values())
    now_ms = int(time.time() * 1000)

    v2 = ctx.version >= 2

    def replica(node_id: int) -> ReplicaState:
        return ReplicaState(
            replica_id=node_id,
            replica_directory_id=(
                uuid.uuid5(uuid.NAMESPACE_URL, f"{cluster.cluster_id}/{node_id}") if v2 else ZERO
            ),
            log_end_offset=offset,
            last_fetch_timestamp=now_ms,
            last_caught_up_timestamp=now_ms,
        )

    node = cluster.nodes[voter]
    return DescribeQuorumResponse(
        topics=[DescribeQuorumTopicResponse(topic_name=METADATA_TOPIC, partitions=[
            DescribeQuorumPartitionResponse(
                partition_index=0,
                leader_id=voter,
                leader_epoch=1,
                high_watermark=offset,
                current_voters=[replica(voter)],
                observers=[replica(n.id) for n in cluster.online_nodes() if n.id != voter],
            )
        ])],
        nodes=[DescribeQuorumNode(node_id=voter, listeners=[
            DescribeQuorumListener(
                name=LISTENER, host=node.advertised_host, port=node.advertised_port
            )
        ])] if v2 else [],
    )
