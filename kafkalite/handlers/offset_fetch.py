"""OffsetFetch (api key 9), served v1-v10.

Reads a group's committed offsets. A partition with no committed offset, or of a group
that does not exist, answers offset -1, leader epoch -1, metadata "" and no error, as
Kafka does. An empty group id is accepted (Kafka keeps it for backwards compatibility).

Version notes:
- v1 names its partitions; a null topic list does not exist yet. There is no group-level
  error code, so a group-level error goes on every requested partition
  (Kafka's ``OffsetFetchResponse`` for versions before 2).
- v2 a null topic list means every partition the group has offsets for; top-level
  error_code.
- v3 throttle_time_ms; v5 committed_leader_epoch (KIP-320); v6 flexible.
- v7 require_stable (KIP-447): a partition whose offset a transaction committed with
  TxnOffsetCommit, and which is still open, answers UNSTABLE_OFFSET_COMMIT (the client
  retries) instead of the last stable offset.
- v8 several groups per request, each with its own error code (KIP-709).
- v9 member_id and member_epoch, which only consumer-protocol groups (KIP-848) check;
  classic groups ignore them.
- v10 names topics by id (KIP-848, KIP-516): an id no topic has answers UNKNOWN_TOPIC_ID on
  its partitions; with a null topic list, offsets of topics deleted since are left out.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from kafkalite.groups import FetchedOffset, TopicPartition
from kafkalite.groups.api import OffsetFetchResult
from kafkalite.handlers.context import RequestContext
from kafkalite.handlers.topic_ids import TopicIds
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.offset_fetch import (
    OffsetFetchRequest,
    OffsetFetchResponse,
    OffsetFetchResponseGroup,
    OffsetFetchResponseGroupPartition,
    OffsetFetchResponseGroupTopic,
    OffsetFetchResponsePartition,
    OffsetFetchResponseTopic,
)
from kafkalite.security.acls import AclOperation

GROUPS_VERSION = 8
TOPIC_ID_VERSION = 10
_ZERO = uuid.UUID(int=0)


async def handle(ctx: RequestContext, request: OffsetFetchRequest) -> OffsetFetchResponse:
    version = ctx.version
    if version >= GROUPS_VERSION:
        response = OffsetFetchResponse()
        ids = TopicIds(ctx.cluster) if version >= TOPIC_ID_VERSION else None
        for group in request.groups:
            unknown_ids: list[tuple[uuid.UUID, list[int]]] = []
            if ids is not None and group.topics is not None:
                for t in group.topics:
                    name = ids.name(t.topic_id)
                    if name is None:
                        unknown_ids.append((t.topic_id, t.partition_indexes))
                    t.name = name or ""
            wanted = None if group.topics is None else _partitions(
                (t.name, t.partition_indexes) for t in group.topics if t.name)
            result = _fetch(
                ctx, group.group_id, wanted, request.require_stable,
                member_id=group.member_id if version >= 9 else None,
                member_epoch=group.member_epoch if version >= 9 else -1,
            )
            group_response = OffsetFetchResponseGroup(group_id=group.group_id, error_code=result.error_code)
            names = () if group.topics is None else [t.name for t in group.topics if t.name]
            for name, group_offsets in _by_topic(result.offsets, names):
                topic_id = ids.id(name) if ids is not None else None
                if topic_id is not None and topic_id.int == 0:
                    continue  # deleted since: it has no id to name it by
                group_response.topics.append(OffsetFetchResponseGroupTopic(
                    name=name, topic_id=topic_id or _ZERO, partitions=[
                    OffsetFetchResponseGroupPartition(
                        partition_index=o.partition,
                        committed_offset=o.offset,
                        committed_leader_epoch=o.leader_epoch,
                        metadata=o.metadata,
                        error_code=o.error_code,
                    )
                    for o in group_offsets
                ]))
            for topic_id, indexes in unknown_ids:
                group_response.topics.append(OffsetFetchResponseGroupTopic(
                    topic_id=topic_id, partitions=[
                        OffsetFetchResponseGroupPartition(
                            partition_index=index, committed_offset=-1, metadata="",
                            error_code=ErrorCode.UNKNOWN_TOPIC_ID)
                        for index in indexes
                    ]))
            response.groups.append(group_response)
        return response

    wanted = None if request.topics is None else _partitions(
        (t.name, t.partition_indexes) for t in request.topics)
    result = _fetch(ctx, request.group_id, wanted, request.require_stable)
    error = result.error_code
    offsets: Iterable[FetchedOffset] = result.offsets
    if error != ErrorCode.NONE and version < 2:
        # No top-level error code before v2: every requested partition carries it.
        offsets = [FetchedOffset(tp.topic, tp.partition, error_code=error) for tp in wanted or ()]
    response = OffsetFetchResponse(error_code=error if version >= 2 else 0)
    names = () if request.topics is None else [t.name for t in request.topics]
    for name, topic_offsets in _by_topic(offsets, names):
        response.topics.append(OffsetFetchResponseTopic(name=name, partitions=[
            OffsetFetchResponsePartition(
                partition_index=o.partition,
                committed_offset=o.offset,
                committed_leader_epoch=o.leader_epoch if version >= 5 else -1,
                metadata=o.metadata,
                error_code=o.error_code,
            )
            for o in topic_offsets
        ]))
    return response


def _fetch(
    ctx: RequestContext, group_id: str, wanted: list[TopicPartition] | None, require_stable: bool,
    *, member_id: str | None = None, member_epoch: int = -1,
) -> OffsetFetchResult:
    """KafkaApis.handleOffsetFetchRequest: DESCRIBE on the group, else
    GROUP_AUTHORIZATION_FAILED; a topic without DESCRIBE is hidden from an all-topics fetch
    and answered TOPIC_AUTHORIZATION_FAILED (offset -1) when asked for by name."""
    if not ctx.allows_group(AclOperation.DESCRIBE, group_id):
        return OffsetFetchResult(ErrorCode.GROUP_AUTHORIZATION_FAILED)
    result = (
        ctx.cluster.groups.fetch_offsets(
            group_id, wanted, require_stable=require_stable,
            member_id=member_id, member_epoch=member_epoch,
        )
        if ctx.coordinates(group_id)
        else OffsetFetchResult(ErrorCode.NOT_COORDINATOR)
    )
    if not ctx.authorizing or result.error_code != ErrorCode.NONE:
        return result
    allowed: dict[str, bool] = {}
    offsets: list[FetchedOffset] = []
    for offset in result.offsets:
        if offset.topic not in allowed:
            allowed[offset.topic] = ctx.allows_topic(AclOperation.DESCRIBE, offset.topic)
        if allowed[offset.topic]:
            offsets.append(offset)
        elif wanted is not None:
            offsets.append(FetchedOffset(
                offset.topic, offset.partition, error_code=ErrorCode.TOPIC_AUTHORIZATION_FAILED
            ))
    return OffsetFetchResult(result.error_code, tuple(offsets))


def _partitions(topics: Iterable[tuple[str, list[int]]]) -> list[TopicPartition]:
    return [TopicPartition(name, index) for name, indexes in topics for index in indexes]


def _by_topic(
    offsets: Iterable[FetchedOffset], requested: Iterable[str]
) -> list[tuple[str, list[FetchedOffset]]]:
    """Group offsets by topic: the requested topics in request order (even those asked
    with no partitions), then any others in the order they first appear."""
    grouped: dict[str, list[FetchedOffset]] = {name: [] for name in requested}
    for offset in offsets:
        grouped.setdefault(offset.topic, []).append(offset)
    return list(grouped.items())
