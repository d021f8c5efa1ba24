"""DescribeShareGroupOffsets (api key 90), served v0-v1: each share group's start offset
(SPSO) on its partitions (KIP-932); v1 adds the lag (KIP-1226): the records from the SPSO
to the high watermark not yet delivered to completion (acknowledged or archived).

``topics`` null lists every partition the group has state for. A partition without state
answers start offset -1 (and lag -1). An unknown group, or one of another type, is
GROUP_ID_NOT_FOUND for the group; DESCRIBE on the group and on each topic is checked as
Kafka checks it.
"""

from __future__ import annotations

from kafkalite.groups.share_partition import SharePartition
from kafkalite.handlers.context import RequestContext
from kafkalite.handlers.topic_ids import TopicIds
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.describe_share_group_offsets import (
    DescribeShareGroupOffsetsRequest,
    DescribeShareGroupOffsetsResponse,
    DescribeShareGroupOffsetsResponseGroup,
    DescribeShareGroupOffsetsResponsePartition,
    DescribeShareGroupOffsetsResponseTopic,
)
from kafkalite.security.acls import AclOperation


async def handle(
    ctx: RequestContext, request: DescribeShareGroupOffsetsRequest
) -> DescribeShareGroupOffsetsResponse:
    response = DescribeShareGroupOffsetsResponse()
    coordinator = ctx.cluster.groups
    ids = TopicIds(ctx.cluster)
    for wanted in request.groups:
        group_id = wanted.group_id
        answer = DescribeShareGroupOffsetsResponseGroup(group_id=group_id)
        response.groups.append(answer)
        if not ctx.allows_group(AclOperation.DESCRIBE, group_id):
            answer.error_code = ErrorCode.GROUP_AUTHORIZATION_FAILED
            continue
        if not ctx.coordinates(group_id):
            answer.error_code = ErrorCode.NOT_COORDINATOR
            continue
        error = coordinator.share_group_error(group_id)
        group = coordinator.share.get(group_id)
        if error or group is None:
            answer.error_code = error or ErrorCode.GROUP_ID_NOT_FOUND
            answer.error_message = f"Group {group_id} is not a share group." if error == ErrorCode.GROUP_ID_NOT_FOUND else None
            continue
        if wanted.topics is None:
            by_topic: dict[str, list[int]] = {}
            for topic_id, partition in sorted(group.partitions, key=lambda k: (str(k[0]), k[1])):
                name = ids.name(topic_id)
                if name is not None:
                    by_topic.setdefault(name, []).append(partition)
            asked = sorted(by_topic.items())
        else:
            asked = [(t.topic_name, list(t.partitions)) for t in wanted.topics]
        for name, partitions in asked:
            topic_id = ids.id(name)
            topic = DescribeShareGroupOffsetsResponseTopic(topic_name=name, topic_id=topic_id)
            answer.topics.append(topic)
            allowed = ctx.allows_topic(AclOperation.DESCRIBE, name)
            for number in partitions:
                entry = DescribeShareGroupOffsetsResponsePartition(
                    partition_index=number, start_offset=-1, leader_epoch=-1, lag=-1
                )
                topic.partitions.append(entry)
                if not allowed:
                    entry.error_code = ErrorCode.TOPIC_AUTHORIZATION_FAILED
                    continue
                log = ctx.cluster.partition(name, number)
                if log is None:
                    entry.error_code = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
                    continue
                share_partition = group.partitions.get((topic_id, number))
                if share_partition is None or not share_partition.initialized:
                    continue
                entry.start_offset = share_partition.start_offset
                entry.leader_epoch = ctx.leader_epoch(name, number)
                entry.lag = _lag(share_partition, log.high_watermark)
    return response


def _lag(share_partition: SharePartition, high_watermark: int) -> int:
    done = sum(
        b.last_offset - b.first_offset + 1 for b in share_partition.state_batches()
        if b.delivery_state in (2, 4)
    )
    return max(high_watermark - share_partition.start_offset - done, 0)


