"""ListOffsets (api key 2), served v1-v8.

Timestamps: -2 earliest (log start offset), -1 latest (high watermark; the last stable
offset under read_committed: the first offset of the oldest open transaction), -3 the record with the largest
timestamp (KIP-734, v7+), -4 earliest local (KIP-405, v8+): the log start offset, since
there is no tiered storage. Any other value finds the first offset whose timestamp is at
least that value, through the time index; none gives offset -1 and timestamp -1.

Version notes: v2 isolation_level; v4 current_leader_epoch and leader_epoch; v6 flexible.
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.list_offsets import (
    ListOffsetsPartitionResponse,
    ListOffsetsRequest,
    ListOffsetsResponse,
    ListOffsetsTopicResponse,
)

EARLIEST, LATEST, MAX_TIMESTAMP, EARLIEST_LOCAL = -2, -1, -3, -4


async def handle(ctx: RequestContext, request: ListOffsetsRequest) -> ListOffsetsResponse:
    broker = ctx.cluster
    version = ctx.version
    response = ListOffsetsResponse()
    for topic in request.topics:
        topic_response = ListOffsetsTopicResponse(name=topic.name)
        response.topics.append(topic_response)
        for wanted in topic.partitions:
            part = ListOffsetsPartitionResponse(partition_index=wanted.partition_index)
            topic_response.partitions.append(part)
            log = broker.partition(topic.name, wanted.partition_index)
            if log is None:
                part.error_code = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
                continue
            leader_error = ctx.leader_error(
                topic.name, wanted.partition_index, wanted.current_leader_epoch
            )
            if leader_error != ErrorCode.NONE:
                part.error_code = leader_error
                continue
            ts = wanted.timestamp
            if ts == EARLIEST or (ts == EARLIEST_LOCAL and version >= 8):
                part.offset = log.log_start_offset
            elif ts == LATEST:
                part.offset = (
                    log.last_stable_offset if request.isolation_level == 1 else log.high_watermark
                )
            elif ts == MAX_TIMESTAMP and version >= 7:
                part.offset, part.timestamp = log.max_timestamp_entry()
            elif ts < 0:
                part.error_code = ErrorCode.UNSUPPORTED_VERSION
            else:
                found = log.offset_for_timestamp(ts)
                if found is not None:
                    part.offset, part.timestamp = found
            if version >= 4 and part.offset >= 0 and part.error_code == ErrorCode.NONE:
                part.leader_epoch = ctx.leader_epoch(topic.name, wanted.partition_index)
    return response
