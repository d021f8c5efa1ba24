"""DeleteTopics (api key 20), served v0-v6.

Topics are named (v0-v5 ``topic_names``; v6 ``topics`` entries with a name) or, from v6,
given by topic id. The request is read as Kafka's ``ControllerApis.deleteTopics`` reads it,
with its INVALID_REQUEST answers: neither name nor id, both, a name or an id given twice, a
name that resolves to an id also given. An unknown name is UNKNOWN_TOPIC_OR_PARTITION, an
unknown id UNKNOWN_TOPIC_ID. With ``delete.topic.enable=false`` every topic gets
TOPIC_DELETION_DISABLED (INVALID_REQUEST below v3, which predates that code).

Deleting (``topics.lifecycle.delete_topic``) removes the partition directories and the
topic's committed offsets, and wakes fetches waiting on its partitions; it is done when the
response is sent, so ``timeout_ms`` is ignored.

Version notes: v0 has no throttle_time_ms (removed in Kafka 4, KIP-896; served as Kafka 3.x
served it); v1 throttle_time_ms; v4 flexible; v5 error_message; v6 topic ids (KIP-516), name
nullable.
"""

from __future__ import annotations

import uuid
from collections import Counter

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode, KafkaError
from kafkalite.protocol.messages.delete_topics import (
    DeletableTopicResult,
    DeleteTopicsRequest,
    DeleteTopicsResponse,
)
from kafkalite.security.acls import AclOperation
from kafkalite.topics.lifecycle import delete_topic
from kafkalite.topics.model import error_message

ZERO_UUID = uuid.UUID(int=0)


async def handle(ctx: RequestContext, request: DeleteTopicsRequest) -> DeleteTopicsResponse:
    broker = ctx.cluster
    version = ctx.version
    wanted: list[tuple[str | None, uuid.UUID]] = (
        [(topic.name, topic.topic_id) for topic in request.topics]
        if version >= 6
        else [(name, ZERO_UUID) for name in request.topic_names]
    )
    response = DeleteTopicsResponse()

    def answer(
        name: str | None, topic_id: uuid.UUID, code: ErrorCode, message: str | None = None
    ) -> None:
        response.responses.append(
            DeletableTopicResult(
                name=name, topic_id=topic_id, error_code=code, error_message=message
            )
        )

    if not broker.config.delete_topic_enable:
        code = ErrorCode.TOPIC_DELETION_DISABLED if version >= 3 else ErrorCode.INVALID_REQUEST
        for name, topic_id in wanted:
            answer(name, topic_id, code, "Topic deletion is disabled.")
        return response

    names: list[str] = []
    ids: list[uuid.UUID] = []
    for name, topic_id in wanted:
        if name is None and topic_id == ZERO_UUID:
            answer(
                None,
                ZERO_UUID,
                ErrorCode.INVALID_REQUEST,
                "Neither topic name nor id were specified.",
            )
        elif name is not None and topic_id != ZERO_UUID:
            answer(
                name,
                topic_id,
                ErrorCode.INVALID_REQUEST,
                "You may not specify both topic name and topic id.",
            )
        elif name is not None:
            names.append(name)
        else:
            ids.append(topic_id)
    name_counts, id_counts = Counter(names), Counter(ids)
    for name in name_counts:
        if name_counts[name] > 1:
            answer(name, ZERO_UUID, ErrorCode.INVALID_REQUEST, "Duplicate topic name.")
    for topic_id in id_counts:
        if id_counts[topic_id] > 1:
            answer(None, topic_id, ErrorCode.INVALID_REQUEST, "Duplicate topic id.")

    to_delete: dict[uuid.UUID, str] = {}
    for topic_id in (i for i in id_counts if id_counts[i] == 1):
        info = broker.logs.topic_by_id(topic_id)
        if info is None:
            answer(None, topic_id, ErrorCode.UNKNOWN_TOPIC_ID)
        elif not ctx.allows_topic(AclOperation.DESCRIBE, info.name):
            answer(None, topic_id, ErrorCode.TOPIC_AUTHORIZATION_FAILED)  # the name stays hidden
        elif not ctx.allows_topic(AclOperation.DELETE, info.name):
            answer(info.name, topic_id, ErrorCode.TOPIC_AUTHORIZATION_FAILED)
        else:
            to_delete[topic_id] = info.name
    for name in (n for n in name_counts if name_counts[n] == 1):
        info = broker.logs.get_topic(name)
        if not ctx.allows_topic(AclOperation.DELETE, name):
            answer(name, ZERO_UUID, ErrorCode.TOPIC_AUTHORIZATION_FAILED)
        elif info is None:
            answer(name, ZERO_UUID, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
        elif info.topic_id in to_delete or id_counts[info.topic_id] > 1:
            # Named and given by id too: Kafka acts on neither.
            message = "The provided topic name maps to an ID that was already supplied."
            answer(name, info.topic_id, ErrorCode.INVALID_REQUEST, message)
            if to_delete.pop(info.topic_id, None) is not None:
                answer(None, info.topic_id, ErrorCode.INVALID_REQUEST, message)
        else:
            to_delete[info.topic_id] = name
    for topic_id, name in to_delete.items():
        try:
            info = delete_topic(broker, name)
        except KafkaError as exc:
            answer(name, topic_id, exc.code, error_message(exc))
        else:
            answer(name, info.topic_id, ErrorCode.NONE)
    return response
