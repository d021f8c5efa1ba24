"""AlterPartitionReassignments (api key 45), served v0-v1.

A reassignment completes at once: the data is shared by every node, so new replicas are
caught up the moment they are named. The partition's replicas become the target list, its
ISR the target replicas that are online, and the leader stays if it is one of them, else the
first online target replica leads (leader epoch bump). Metadata, DescribeTopicPartitions and
the fetch path follow at once; ListPartitionReassignments never shows one in progress.

Per partition, as Kafka's controller checks them: UNKNOWN_TOPIC_OR_PARTITION;
INVALID_REPLICA_ASSIGNMENT for an empty list, a duplicate replica or a node not in the
cluster; INVALID_REPLICATION_FACTOR when the list changes the replica count and
``allow_replication_factor_change`` is false (v1, KIP-860); a null list (cancel) gets
NO_REASSIGNMENT_IN_PROGRESS, since none is ever in progress. ``timeout_ms`` is ignored.

Version notes: v0 flexible from the start; v1 allow_replication_factor_change, echoed in the
response.
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.alter_partition_reassignments import (
    AlterPartitionReassignmentsRequest,
    AlterPartitionReassignmentsResponse,
    ReassignablePartitionResponse,
    ReassignableTopicResponse,
)
from kafkalite.protocol.messages.error_codes import MESSAGES
from kafkalite.security.acls import AclOperation


async def handle(
    ctx: RequestContext, request: AlterPartitionReassignmentsRequest
) -> AlterPartitionReassignmentsResponse:
    cluster = ctx.cluster
    topics = cluster.topics()
    allow_change = request.allow_replication_factor_change if ctx.version >= 1 else True
    response = AlterPartitionReassignmentsResponse(allow_replication_factor_change=allow_change)
    if not ctx.allows_cluster(AclOperation.ALTER):
        response.error_code = ErrorCode.CLUSTER_AUTHORIZATION_FAILED
        response.error_message = MESSAGES.get(ErrorCode.CLUSTER_AUTHORIZATION_FAILED)
        return response
    for topic in request.topics:
        result = ReassignableTopicResponse(name=topic.name)
        info = topics.get(topic.name)
        for partition in topic.partitions:
            code, message = ErrorCode.NONE, None
            if info is None or not 0 <= partition.partition_index < len(info.partitions):
                code = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
                message = "The partition does not exist."
            elif partition.replicas is None:
                code = ErrorCode.NO_REASSIGNMENT_IN_PROGRESS
                message = "No ongoing reassignment for the partition."
            else:
                replicas = list(partition.replicas)
                current = cluster.partition_state(topic.name, partition.partition_index)
                if not replicas:
                    code = ErrorCode.INVALID_REPLICA_ASSIGNMENT
                    message = "The manual partition assignment includes an empty replica list."
                elif len(set(replicas)) != len(replicas):
                    code = ErrorCode.INVALID_REPLICA_ASSIGNMENT
                    message = f"The manual partition assignment includes duplicate replicas {replicas}."
                elif unknown := sorted(set(replicas) - set(cluster.nodes)):
                    code = ErrorCode.INVALID_REPLICA_ASSIGNMENT
                    message = f"The manual partition assignment includes unknown brokers {unknown}."
                elif not allow_change and len(replicas) != len(current.replicas):
                    code = ErrorCode.INVALID_REPLICATION_FACTOR
                    message = (
                        "The replication factor is changed from "
                        f"{len(current.replicas)} to {len(replicas)}"
                    )
                else:
                    cluster.reassign(topic.name, partition.partition_index, replicas)
            result.partitions.append(
                ReassignablePartitionResponse(
                    partition_index=partition.partition_index, error_code=code,
                    error_message=message,
                )
            )
        response.responses.append(result)
    return response
