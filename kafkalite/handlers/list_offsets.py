"""ListOffsets (api key 2), served v1-v11.

Timestamps: -2 earliest (log start offset), -1 latest (high watermark; the last stable
offset under read_committed: the first offset of the oldest open transaction), -3 the record with the largest
timestamp (KIP-734, v7+), -4 earliest local (KIP-405, v8+): the log start offset, since
there is no tiered storage; -5 latest tiered (KIP-1005, v9+) and -6 earliest pending upload
(KIP-1023, v11+) answer offset -1, as Kafka does for a topic without remote storage. Any other value finds the first offset whose timestamp is at
least that value, through the time index; none gives offset -1 and timestamp -1.

Version notes: v2 isolation_level; v4 current_leader_epoch and leader_epoch; v6 flexible;
v10 timeout_ms for remote reads (KIP-1075), unused with no remote storage.

A failure while answering one partition is logged and answered on that partition alone
(the error's own code, else UNKNOWN_SERVER_ERROR), as Kafka's ``ReplicaManager.fetchOffset``
does; the other partitions of the request keep their answers.
"""

from __future__ import annotations

import logging

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.list_offsets import (
    ListOffsetsPartition,
    ListOffsetsPartitionResponse,
    ListOffsetsRequest,
    ListOffsetsResponse,
    ListOffsetsTopicResponse,
)
from kafkalite.security.acls import AclOperation

EARLIEST, LATEST, MAX_TIMESTAMP, EARLIEST_LOCAL = -2, -1, -3, -4
LATEST_TIERED, EARLIEST_PENDING_UPLOAD = -5, -6

log = logging.getLogger(__name__)


async def handle(ctx: RequestContext, request: ListOffsetsRequest) -> ListOffsetsResponse:
    response = ListOffsetsResponse()
    for topic in request.topics:
        topic_response = ListOffsetsTopicResponse(name=topic.name)
        response.topics.append(topic_response)
        allowed = ctx.allows_topic(AclOperation.DESCRIBE, topic.name)
        for wanted in topic.partitions:
            part = ListOffsetsPartitionResponse(partition_index=wanted.partition_index)
            topic_response.partitions.append(part)
            if not allowed:  # KafkaApis.handleListOffsetRequest: DESCRIBE on the topic
                part.error_code = ErrorCode.TOPIC_AUTHORIZATION_FAILED
                part.offset = part.timestamp = part.leader_epoch = -1
                continue
            try:
                _answer(ctx, request, topic.name, wanted, part)
            except Exception as exc:
                # As ReplicaManager.fetchOffset: log, answer this partition with the error's
                # code (UNKNOWN_SERVER_ERROR when it has none), go on with the others.
                log.error(
                    "ListOffsets for %s-%d failed", topic.name, wanted.partition_index,
                    exc_info=True,
                )
                part.error_code = getattr(exc, "error_code", ErrorCode.UNKNOWN_SERVER_ERROR)
                part.offset = part.timestamp = -1
                part.leader_epoch = -1
    return response


def _answer(
    ctx: RequestContext,
    request: ListOffsetsRequest,
    topic: str,
    wanted: ListOffsetsPartition,
    part: ListOffsetsPartitionResponse,
) -> None:
    broker = ctx.cluster
    version = ctx.version
    partition_log = broker.partition(topic, wanted.partition_index)
    if partition_log is None:
        part.error_code = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
        return
    leader_error = ctx.leader_error(topic, wanted.partition_index, wanted.current_leader_epoch)
    if leader_error != ErrorCode.NONE:
        part.error_code = leader_error
        return
    ts = wanted.timestamp
    if ts == EARLIEST or (ts == EARLIEST_LOCAL and version >= 8):
        part.offset = partition_log.log_start_offset
    elif ts == LATEST:
        part.offset = (
            partition_log.last_stable_offset if request.isolation_level == 1 else partition_log.high_watermark
        )
    elif ts == MAX_TIMESTAMP and version >= 7:
        part.offset, part.timestamp = partition_log.max_timestamp_entry()
    elif (ts == LATEST_TIERED and version >= 9) or (ts == EARLIEST_PENDING_UPLOAD and version >= 11):
        part.offset = part.timestamp = -1  # nothing is tiered
    elif ts < 0:
        part.error_code = ErrorCode.UNSUPPORTED_VERSION
    else:
        found = partition_log.offset_for_timestamp(ts)
        if found is not None:
            part.offset, part.timestamp = found
    if version >= 4 and part.offset >= 0 and part.error_code == ErrorCode.NONE:
        part.leader_epoch = ctx.leader_epoch(topic, wanted.partition_index)
