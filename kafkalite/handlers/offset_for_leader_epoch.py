"""OffsetForLeaderEpoch (api key 23), served v2-v4 (Kafka 4 dropped v0-v1, KIP-896).

A consumer that has read records under one leader epoch asks, after the leader changes, where
that epoch ends on the new leader (KIP-320): an end offset below its position means the log
was truncated under it. kafka-python 3.x and librdkafka validate their positions this way
after every change of leader epoch; without the API kafka-python keeps the partition waiting
for a validation that never succeeds and stops fetching it.

kafkalite's nodes share one log, and an election never truncates it, so no epoch's records
are ever cut back: the answer for a known epoch is that epoch (or the current one, when asked
about a later one) and the log end offset, which no position can be past. Per partition, as
Kafka's ``Partition.lastOffsetForLeaderEpoch``: UNKNOWN_TOPIC_OR_PARTITION, then the leader
checks (FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH for ``current_leader_epoch``,
NOT_LEADER_OR_FOLLOWER), each with epoch -1 and end offset -1.

Version notes: v3 replica_id; v4 flexible.
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.offset_for_leader_epoch import (
    EpochEndOffset,
    OffsetForLeaderEpochRequest,
    OffsetForLeaderEpochResponse,
    OffsetForLeaderTopicResult,
)
from kafkalite.security.acls import AclOperation


async def handle(
    ctx: RequestContext, request: OffsetForLeaderEpochRequest
) -> OffsetForLeaderEpochResponse:
    response = OffsetForLeaderEpochResponse()
    for topic in request.topics:
        result = OffsetForLeaderTopicResult(topic=topic.topic)
        response.topics.append(result)
        # KafkaApis.handleOffsetForLeaderEpochRequest: CLUSTER_ACTION, else DESCRIBE on the topic.
        allowed = ctx.allows_cluster(AclOperation.CLUSTER_ACTION) or ctx.allows_topic(
            AclOperation.DESCRIBE, topic.topic
        )
        for wanted in topic.partitions:
            part = EpochEndOffset(partition=wanted.partition, leader_epoch=-1, end_offset=-1)
            result.partitions.append(part)
            if not allowed:
                part.error_code = ErrorCode.TOPIC_AUTHORIZATION_FAILED
                continue
            log = ctx.cluster.partition(topic.topic, wanted.partition)
            if log is None:
                part.error_code = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
                continue
            error = ctx.leader_error(topic.topic, wanted.partition, wanted.current_leader_epoch)
            if error != ErrorCode.NONE:
                part.error_code = error
                continue
            epoch = ctx.leader_epoch(topic.topic, wanted.partition)
            part.leader_epoch = min(wanted.leader_epoch, epoch)
            part.end_offset = log.log_end_offset
    return response
