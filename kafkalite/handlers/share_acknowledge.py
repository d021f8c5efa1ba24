"""ShareAcknowledge (api key 79), served v1-v2: acknowledges records a share group member
acquired (KIP-932), without fetching: 1 accept, 2 release (redelivered to any member, or
archived past ``group.share.delivery.count.limit``), 3 reject, 0 gap; v2 adds 4 renew
(KIP-1222), which extends the record's lock.

The request continues the member's share session (epoch 0 is INVALID_SHARE_SESSION_EPOCH: a
session is opened by ShareFetch) or, with epoch -1, closes it after the acknowledgements,
releasing the records the member still holds. A record not acquired by this member is
INVALID_RECORD_STATE for its partition. READ on the group (top level) and on each topic
(TOPIC_AUTHORIZATION_FAILED) are checked as Kafka checks them.

Version notes: v2 ``acquisition_lock_timeout_ms`` in the answer and ``is_renew_ack``.
"""

from __future__ import annotations

import uuid

from kafkalite.handlers.context import RequestContext
from kafkalite.handlers.share_support import FINAL_EPOCH, AckBatch, acknowledge, session_for
from kafkalite.handlers.topic_ids import TopicIds
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.share_acknowledge import (
    ShareAcknowledgePartitionData,
    ShareAcknowledgeRequest,
    ShareAcknowledgeResponse,
    ShareAcknowledgeTopicResponse,
)
from kafkalite.security.acls import AclOperation

RENEW = 4


async def handle(ctx: RequestContext, request: ShareAcknowledgeRequest) -> ShareAcknowledgeResponse:
    share = ctx.cluster.groups.share
    group_id, member_id = request.group_id or "", request.member_id or ""
    lock_ms = share.lock_duration_ms(group_id)
    if not group_id or not member_id:
        return ShareAcknowledgeResponse(error_code=ErrorCode.INVALID_REQUEST,
                                        error_message="GroupId and MemberId must be set.")
    if not ctx.allows_group(AclOperation.READ, group_id):
        return ShareAcknowledgeResponse(error_code=ErrorCode.GROUP_AUTHORIZATION_FAILED)
    renewing = any(
        RENEW in batch.acknowledge_types
        for topic in request.topics for partition in topic.partitions
        for batch in partition.acknowledgement_batches
    )
    if renewing and ctx.version < 2:
        return ShareAcknowledgeResponse(error_code=ErrorCode.INVALID_REQUEST,
                                        error_message="Renew acknowledgements need ShareAcknowledge v2.")
    outcome = session_for(share, group_id, member_id, request.share_session_epoch, fetch=False)
    if outcome.session is None:
        return ShareAcknowledgeResponse(error_code=outcome.error, error_message=outcome.message)
    ids = TopicIds(ctx.cluster)
    response = ShareAcknowledgeResponse(acquisition_lock_timeout_ms=lock_ms)
    topics: dict[uuid.UUID, ShareAcknowledgeTopicResponse] = {}
    for topic in request.topics:
        name = ids.name(topic.topic_id)
        answer = topics.get(topic.topic_id)
        if answer is None:
            answer = topics[topic.topic_id] = ShareAcknowledgeTopicResponse(topic_id=topic.topic_id)
            response.responses.append(answer)
        for partition in topic.partitions:
            entry = ShareAcknowledgePartitionData(partition_index=partition.partition_index)
            answer.partitions.append(entry)
            if name is None:
                entry.error_code = ErrorCode.UNKNOWN_TOPIC_ID
            elif not ctx.allows_topic(AclOperation.READ, name):
                entry.error_code = ErrorCode.TOPIC_AUTHORIZATION_FAILED
            else:
                entry.error_code, entry.error_message = acknowledge(
                    ctx, group_id, member_id, (topic.topic_id, partition.partition_index),
                    [AckBatch(b.first_offset, b.last_offset, list(b.acknowledge_types))
                     for b in partition.acknowledgement_batches],
                )
    if request.share_session_epoch == FINAL_EPOCH:
        share.close_session(group_id, member_id)
    return response
