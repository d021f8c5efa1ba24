"""OffsetCommit (api key 8), served v2-v10.

Stores a group's committed offsets. A commit from a member needs the group's current
generation and member id; a commit with generation -1 and no member id comes from outside
any group (a "simple" consumer or an admin) and is taken while the group has no members.
Partitions of a topic that does not exist, or past its partition count, answer
UNKNOWN_TOPIC_OR_PARTITION and never reach the coordinator (Kafka's ``KafkaApis``); the
rest get the coordinator's code, e.g. ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID,
REBALANCE_IN_PROGRESS or OFFSET_METADATA_TOO_LARGE. An empty group id is accepted, as
Kafka does for backwards compatibility.

Version notes: v2-v4 retention_time_ms, ignored; v3 throttle_time_ms; v5 drops retention
(KIP-211); v6 committed_leader_epoch (KIP-320); v7 group_instance_id (KIP-345); v8
flexible; v9 an unknown group with a generation answers GROUP_ID_NOT_FOUND instead of
ILLEGAL_GENERATION (KIP-848); v10 names topics by id (KIP-848, KIP-516): an id no topic has
is UNKNOWN_TOPIC_ID.

Not implemented: offsets.retention.minutes (offsets never expire).
"""

from __future__ import annotations

from kafkalite.groups import CommitEntry, TopicPartition
from kafkalite.handlers.context import RequestContext
from kafkalite.handlers.topic_ids import TopicIds
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.offset_commit import (
    OffsetCommitRequest,
    OffsetCommitResponse,
    OffsetCommitResponsePartition,
    OffsetCommitResponseTopic,
)
from kafkalite.security.acls import AclOperation

TOPIC_ID_VERSION = 10


async def handle(ctx: RequestContext, request: OffsetCommitRequest) -> OffsetCommitResponse:
    version = ctx.version
    broker = ctx.cluster
    entries: list[CommitEntry] = []
    unknown: set[TopicPartition] = set()
    refused: dict[TopicPartition, int] = {}
    ids = TopicIds(broker) if version >= TOPIC_ID_VERSION else None
    names = [topic.name if ids is None else ids.name(topic.topic_id) for topic in request.topics]
    # KafkaApis.handleOffsetCommitRequest: READ on the group refuses the whole request,
    # READ on a topic refuses its partitions.
    group_allowed = ctx.allows_group(AclOperation.READ, request.group_id)
    for topic, name in zip(request.topics, names, strict=True):
        if name is None:
            continue  # UNKNOWN_TOPIC_ID
        topic_allowed = group_allowed and ctx.allows_topic(AclOperation.READ, name)
        for part in topic.partitions:
            if not topic_allowed:
                refused[TopicPartition(name, part.partition_index)] = (
                    ErrorCode.TOPIC_AUTHORIZATION_FAILED
                    if group_allowed
                    else ErrorCode.GROUP_AUTHORIZATION_FAILED
                )
                continue
            if broker.partition(name, part.partition_index) is None:
                unknown.add(TopicPartition(name, part.partition_index))
                continue
            entries.append(CommitEntry(
                name,
                part.partition_index,
                part.committed_offset,
                part.committed_leader_epoch if version >= 6 else -1,
                # Kafka stores a null metadata as "" (OffsetAndMetadata.fromRequest), so
                # OffsetFetch answers "" for it.
                part.committed_metadata or "",
            ))
    results: dict[TopicPartition, int] = {}
    if entries and not ctx.coordinates(request.group_id):
        results = {TopicPartition(e.topic, e.partition): ErrorCode.NOT_COORDINATOR for e in entries}
    elif entries:
        results = broker.groups.commit_offsets(
            request.group_id,
            request.generation_id_or_member_epoch,
            request.member_id,
            request.group_instance_id if version >= 7 else None,
            entries,
            report_group_id_not_found=version >= 9,
        )
    response = OffsetCommitResponse()
    for topic, name in zip(request.topics, names, strict=True):
        topic_response = OffsetCommitResponseTopic(name=topic.name, topic_id=topic.topic_id)
        response.topics.append(topic_response)
        for part in topic.partitions:
            tp = TopicPartition(name or "", part.partition_index)
            error: int
            if name is None:
                error = ErrorCode.UNKNOWN_TOPIC_ID
            elif tp in refused:
                error = refused[tp]
            elif tp in unknown:
                error = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
            else:
                error = results[tp]
            topic_response.partitions.append(
                OffsetCommitResponsePartition(partition_index=part.partition_index, error_code=error))
    return response
