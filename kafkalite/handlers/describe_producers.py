"""DescribeProducers (api key 61), served v0.

The producers with state on each requested partition (KIP-664), from the partition's
producer state: id, epoch, last sequence and timestamp, the coordinator epoch of its last
marker and the first offset of its open transaction (-1 if none), which is how a hanging
transaction is found. The partition's leader answers: elsewhere NOT_LEADER_OR_FOLLOWER; a
partition that does not exist is UNKNOWN_TOPIC_OR_PARTITION.
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.describe_producers import (
    DescribeProducersPartitionResponse,
    DescribeProducersRequest,
    DescribeProducersResponse,
    DescribeProducersTopicResponse,
    ProducerState,
)
from kafkalite.security.acls import AclOperation


async def handle(ctx: RequestContext, request: DescribeProducersRequest) -> DescribeProducersResponse:
    response = DescribeProducersResponse()
    for topic in request.topics:
        topic_response = DescribeProducersTopicResponse(name=topic.name)
        response.topics.append(topic_response)
        allowed = ctx.allows_topic(AclOperation.READ, topic.name)  # KafkaApis: READ
        for index in topic.partition_indexes:
            part = DescribeProducersPartitionResponse(partition_index=index)
            topic_response.partitions.append(part)
            if not allowed:
                part.error_code = ErrorCode.TOPIC_AUTHORIZATION_FAILED
                continue
            partition_log = ctx.cluster.partition(topic.name, index)
            if partition_log is None:
                part.error_code = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
                continue
            error = ctx.leader_error(topic.name, index)
            if error != ErrorCode.NONE:
                part.error_code = error
                continue
            part.active_producers = [
                ProducerState(
                    producer_id=entry.producer_id,
                    producer_epoch=entry.producer_epoch,
                    last_sequence=entry.last_seq,
                    last_timestamp=entry.last_timestamp,
                    coordinator_epoch=entry.coordinator_epoch,
                    current_txn_start_offset=entry.current_txn_first_offset,
                )
                for entry in partition_log.producer_state.producers.values()
            ]
    return response
