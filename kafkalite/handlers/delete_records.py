"""DeleteRecords (api key 21), served v0-v2.

Moves each partition's log start offset up to the given offset (-1: the high watermark), as
Kafka's ``Partition.deleteRecordsOnLeader`` (``topics.lifecycle.delete_records``): the new
start is checkpointed before the answer, whole segments below it are deleted, ListOffsets
earliest returns it and fetching below it is OFFSET_OUT_OF_RANGE. An offset at or below the
current start changes nothing. Errors per partition, with low_watermark -1:
UNKNOWN_TOPIC_OR_PARTITION, OFFSET_OUT_OF_RANGE (past the high watermark, or negative other
than -1), POLICY_VIOLATION (a topic whose cleanup.policy lacks delete). low_watermark is the
new log start offset; with one replica nothing needs waiting for, so ``timeout_ms`` is ignored.

Version notes: v1 same as v0; v2 flexible.
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode, KafkaError
from kafkalite.protocol.messages.delete_records import (
    DeleteRecordsPartitionResult,
    DeleteRecordsRequest,
    DeleteRecordsResponse,
    DeleteRecordsTopicResult,
)
from kafkalite.security.acls import AclOperation
from kafkalite.topics.lifecycle import delete_records

INVALID_LOW_WATERMARK = -1


async def handle(ctx: RequestContext, request: DeleteRecordsRequest) -> DeleteRecordsResponse:
    response = DeleteRecordsResponse()
    for topic in request.topics:
        topic_result = DeleteRecordsTopicResult(name=topic.name)
        response.topics.append(topic_result)
        allowed = ctx.allows_topic(AclOperation.DELETE, topic.name)
        for wanted in topic.partitions:
            part = DeleteRecordsPartitionResult(partition_index=wanted.partition_index)
            topic_result.partitions.append(part)
            if not allowed:
                part.error_code = ErrorCode.TOPIC_AUTHORIZATION_FAILED
                part.low_watermark = INVALID_LOW_WATERMARK
                continue
            try:
                part.low_watermark = delete_records(
                    ctx.cluster, topic.name, wanted.partition_index, wanted.offset
                )
            except KafkaError as exc:
                part.error_code = exc.code
                part.low_watermark = INVALID_LOW_WATERMARK
    return response
