"""ElectLeaders (api key 43), served v0-v2.

Elections over the cluster's leadership (``cluster.leadership``), as Kafka's controller runs
them:
- preferred (type 0, and every v0 request): the first replica leads if it is online and in
  sync; ELECTION_NOT_NEEDED when it already leads, PREFERRED_LEADER_NOT_AVAILABLE when it
  cannot;
- unclean (type 1, KIP-460): a partition without a leader elects its first online replica,
  in sync or not, which becomes the ISR; ELECTION_NOT_NEEDED when the partition has a
  leader, ELIGIBLE_LEADERS_NOT_AVAILABLE when no replica is online.
A successful election bumps the leader epoch, as every change of leader does.

Unknown topics and partitions get UNKNOWN_TOPIC_OR_PARTITION; an unknown election type
INVALID_REQUEST for each partition. A null partition list elects for every partition and,
as Kafka, leaves out the partitions whose election was not needed. Elections are done when
the response is sent, so ``timeout_ms`` is ignored.

Version notes: v1 election type and top-level error code (KIP-460); v2 flexible.
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.elect_leaders import (
    ElectLeadersPartitionResult,
    ElectLeadersRequest,
    ElectLeadersResponse,
    ElectLeadersTopicResult,
)
from kafkalite.protocol.messages.error_codes import MESSAGES
from kafkalite.security.acls import AclOperation

PREFERRED, UNCLEAN = 0, 1


async def handle(ctx: RequestContext, request: ElectLeadersRequest) -> ElectLeadersResponse:
    cluster = ctx.cluster
    election_type = request.election_type if ctx.version >= 1 else PREFERRED
    if not ctx.allows_cluster(AclOperation.ALTER):
        return ElectLeadersResponse(
            error_code=ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
            replica_election_results=[
                ElectLeadersTopicResult(topic=t.topic, partition_result=[
                    ElectLeadersPartitionResult(
                        partition_id=p, error_code=ErrorCode.CLUSTER_AUTHORIZATION_FAILED
                    )
                    for p in t.partitions
                ])
                for t in request.topic_partitions or ()
            ],
        )
    topics = cluster.topics()
    response = ElectLeadersResponse()
    every_partition = request.topic_partitions is None
    if request.topic_partitions is None:
        wanted = [(name, list(range(len(info.partitions)))) for name, info in sorted(topics.items())]
    else:
        wanted = [(t.topic, list(t.partitions)) for t in request.topic_partitions]
    for name, partitions in wanted:
        result = ElectLeadersTopicResult(topic=name)
        info = topics.get(name)
        for number in partitions:
            if election_type not in (PREFERRED, UNCLEAN):
                code = ErrorCode.INVALID_REQUEST
            elif info is None or not 0 <= number < len(info.partitions):
                code = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
            else:
                code = cluster.elect_leader(name, number, unclean=election_type == UNCLEAN)
            if every_partition and code == ErrorCode.ELECTION_NOT_NEEDED:
                continue
            result.partition_result.append(
                ElectLeadersPartitionResult(
                    partition_id=number,
                    error_code=code,
                    error_message=None if code == ErrorCode.NONE else MESSAGES.get(code),
                )
            )
        if result.partition_result or not every_partition:
            response.replica_election_results.append(result)
    return response
