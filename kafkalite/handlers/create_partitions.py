"""CreatePartitions (api key 37), served v0-v3.

Raises a topic's partition count (``topics.lifecycle.add_partitions``): UNKNOWN_TOPIC_OR_PARTITION,
INVALID_PARTITIONS for the same or a smaller count, INVALID_REPLICA_ASSIGNMENT when the
assignments do not cover exactly the new partitions or name another broker than this one.
A topic named twice gets one INVALID_REQUEST "Duplicate topic name." and is left alone.
``validate_only`` checks and changes nothing. New partitions are empty logs that Metadata
lists at once, so producers and consumers pick them up at their next metadata refresh.
The change is done when the response is sent, so ``timeout_ms`` is ignored.

Version notes: v1 same as v0 (throttling semantics); v2 flexible; v3 quota-related only.
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode, KafkaError
from kafkalite.protocol.messages.create_partitions import (
    CreatePartitionsRequest,
    CreatePartitionsResponse,
    CreatePartitionsTopicResult,
)
from kafkalite.security.acls import AclOperation
from kafkalite.topics.lifecycle import add_partitions
from kafkalite.topics.model import DUPLICATE_TOPIC_NAME, error_message, first_of_each_name


async def handle(ctx: RequestContext, request: CreatePartitionsRequest) -> CreatePartitionsResponse:
    response = CreatePartitionsResponse()
    for topic, duplicate in first_of_each_name(request.topics, lambda topic: topic.name):
        result = CreatePartitionsTopicResult(name=topic.name)
        if duplicate:
            result.error_code = ErrorCode.INVALID_REQUEST
            result.error_message = DUPLICATE_TOPIC_NAME
        elif not ctx.allows_topic(AclOperation.ALTER, topic.name):
            result.error_code = ErrorCode.TOPIC_AUTHORIZATION_FAILED
            result.error_message = "The topic authorization is failed."
        else:
            assignments = (
                None
                if topic.assignments is None
                else [assignment.broker_ids for assignment in topic.assignments]
            )
            try:
                add_partitions(
                    ctx.cluster,
                    topic.name,
                    topic.count,
                    assignments,
                    validate_only=request.validate_only,
                )
            except KafkaError as exc:
                result.error_code = exc.code
                result.error_message = error_message(exc)
        response.results.append(result)
    return response
