"""ShareFetch (api key 78), served v1-v2: records for a share group member (KIP-932).

The request first applies the acknowledgements it carries (per partition; an error is
the partition's ``acknowledge_error_code``), then acquires records for the member from
each partition of its share session (``share_support.acquire``): the records a fetch
returns are locked to the member for ``group.share.record.lock.duration.ms``
(``acquisition_lock_timeout_ms`` in the answer), and ``acquired_records`` names them with
their delivery counts; the batches around them are returned whole and the consumer keeps
only the acquired records. Long polling: with nothing to acquire the request waits up to
``max_wait_ms`` for an append or for records released by another member or an expired lock
(never a busy loop); the broker's shutdown answers at once.

Share sessions: epoch 0 opens one (acknowledgements are INVALID_REQUEST then), -1 closes it
after the acknowledgements and fetches nothing, other epochs continue it; see
``share_support``. Partitions named in the request join the session,
``forgotten_topics_data`` leaves it. A new session's answer lists every partition it
fetches; later answers only those with records, errors or acknowledgement results.

Errors: READ on the group (GROUP_AUTHORIZATION_FAILED, top level) and on each topic
(TOPIC_AUTHORIZATION_FAILED for its partitions); an unknown topic id is UNKNOWN_TOPIC_ID;
a partition led elsewhere NOT_LEADER_OR_FOLLOWER with its leader and endpoint.

Version notes: v2 ``share_acquire_mode`` 1 (record limit, KIP-1206) never acquires more
than ``max_records``; mode 0 acquires whole batches; acknowledge type 4 renews a lock
(KIP-1222).
"""

from __future__ import annotations

import time
import uuid

from kafkalite.handlers.context import RequestContext
from kafkalite.handlers.share_support import (
    FINAL_EPOCH,
    INITIAL_EPOCH,
    AckBatch,
    PartitionKey,
    acknowledge,
    acquire,
    session_for,
)
from kafkalite.handlers.topic_ids import TopicIds
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.share_fetch import (
    ShareAcquiredRecords,
    ShareFetchLeaderIdAndEpoch,
    ShareFetchNodeEndpoint,
    ShareFetchPartitionData,
    ShareFetchRequest,
    ShareFetchResponse,
    ShareFetchTopicResponse,
)
from kafkalite.security.acls import AclOperation
from kafkalite.storage.errors import StorageError

RECORD_LIMIT_MODE = 1
RENEW = 4


async def handle(ctx: RequestContext, request: ShareFetchRequest) -> ShareFetchResponse:
    share = ctx.cluster.groups.share
    group_id, member_id = request.group_id or "", request.member_id or ""
    lock_ms = share.lock_duration_ms(group_id)
    if not group_id or not member_id:
        return ShareFetchResponse(error_code=ErrorCode.INVALID_REQUEST,
                                  error_message="GroupId and MemberId must be set.")
    if not ctx.allows_group(AclOperation.READ, group_id):
        return ShareFetchResponse(error_code=ErrorCode.GROUP_AUTHORIZATION_FAILED)
    acks: dict[PartitionKey, list[AckBatch]] = {}
    requested: list[PartitionKey] = []
    for topic in request.topics:
        for partition in topic.partitions:
            key = (topic.topic_id, partition.partition_index)
            requested.append(key)
            batches = acks.setdefault(key, [])
            batches.extend(
                AckBatch(b.first_offset, b.last_offset, list(b.acknowledge_types))
                for b in partition.acknowledgement_batches
            )
    acks = {key: batches for key, batches in acks.items() if batches}
    epoch = request.share_session_epoch
    if epoch == INITIAL_EPOCH and acks:
        return ShareFetchResponse(error_code=ErrorCode.INVALID_REQUEST,
                                  error_message="Acknowledge data present in the initial share fetch.")
    renewing = any(RENEW in b.acknowledge_types for batches in acks.values() for b in batches)
    if renewing and ctx.version < 2:
        return ShareFetchResponse(error_code=ErrorCode.INVALID_REQUEST,
                                  error_message="Renew acknowledgements need ShareFetch v2.")
    outcome = session_for(share, group_id, member_id, epoch, fetch=True)
    if outcome.session is None:
        return ShareFetchResponse(error_code=outcome.error, error_message=outcome.message)
    session = outcome.session
    for key in requested:
        session.partitions[key] = None
    for forgotten in request.forgotten_topics_data:
        for number in forgotten.partitions:
            session.partitions.pop((forgotten.topic_id, number), None)

    ids = TopicIds(ctx.cluster)
    parts: dict[PartitionKey, ShareFetchPartitionData] = {}

    def part(key: PartitionKey) -> ShareFetchPartitionData:
        found = parts.get(key)
        if found is None:
            found = parts[key] = ShareFetchPartitionData(partition_index=key[1], records=b"")
        return found

    refused: set[uuid.UUID] = set()
    for key in session.partitions:
        name = ids.name(key[0])
        if name is not None and not ctx.allows_topic(AclOperation.READ, name):
            refused.add(key[0])
    for key, batches in acks.items():
        entry = part(key)
        if key[0] in refused:
            entry.acknowledge_error_code = ErrorCode.TOPIC_AUTHORIZATION_FAILED
        elif ids.name(key[0]) is None:
            entry.acknowledge_error_code = ErrorCode.UNKNOWN_TOPIC_ID
        else:
            code, message = acknowledge(ctx, group_id, member_id, key, batches)
            entry.acknowledge_error_code, entry.acknowledge_error_message = code, message

    if epoch == FINAL_EPOCH:
        share.close_session(group_id, member_id)
        return _response(ctx, parts, lock_ms)

    fetching = request.max_records > 0 and request.max_wait_ms >= 0
    deadline = time.monotonic() + max(request.max_wait_ms, 0) / 1000
    record_limit = ctx.version >= 2 and request.share_acquire_mode == RECORD_LIMIT_MODE
    watched = []
    while fetching:
        acquired = errors = 0
        budget = request.max_bytes if request.max_bytes > 0 else 0x7FFFFFFF
        for key in list(session.partitions):
            name = ids.name(key[0])
            if name is None or key[0] in refused:
                entry = part(key)
                entry.error_code = ErrorCode.UNKNOWN_TOPIC_ID if name is None else ErrorCode.TOPIC_AUTHORIZATION_FAILED
                errors += 1
                continue
            leader_error = ctx.leader_error(name, key[1])
            if leader_error != ErrorCode.NONE or ctx.cluster.partition(name, key[1]) is None:
                entry = part(key)
                entry.error_code = leader_error or ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
                state = ctx.cluster.partition_state(name, key[1])
                entry.current_leader = ShareFetchLeaderIdAndEpoch(
                    leader_id=state.leader, leader_epoch=state.leader_epoch
                )
                errors += 1
                continue
            if budget <= 0 or acquired >= request.max_records:
                continue
            if not share.is_member(group_id, member_id):
                continue  # a member removed meanwhile acquires nothing
            try:
                got = acquire(
                    ctx, group_id, member_id, name, key, request.max_records - acquired, budget,
                    record_limit=record_limit,
                )
            except StorageError as exc:
                entry = part(key)
                entry.error_code = ErrorCode(exc.error_code)
                errors += 1
                continue
            if got.count:
                entry = part(key)
                entry.records = got.records
                entry.acquired_records = [
                    ShareAcquiredRecords(first_offset=r.first_offset, last_offset=r.last_offset,
                                         delivery_count=r.delivery_count)
                    for r in got.ranges
                ]
                acquired += got.count
                budget -= len(got.records)
        watched = [(name, key[1]) for key in session.partitions
                   if (name := ids.name(key[0])) is not None and key[0] not in refused]
        remaining = deadline - time.monotonic()
        if acquired or errors or acks or remaining <= 0 or ctx.closing.is_set() or not watched:
            break
        await ctx.waiters.wait(watched, remaining, ctx.closing)
        if share.session(group_id, member_id) is not session:
            break  # the session was closed or replaced while this request waited

    if epoch == INITIAL_EPOCH:
        for key in session.partitions:
            part(key)
    return _response(ctx, parts, lock_ms)


def _response(
    ctx: RequestContext, parts: dict[PartitionKey, ShareFetchPartitionData], lock_ms: int
) -> ShareFetchResponse:
    response = ShareFetchResponse(acquisition_lock_timeout_ms=lock_ms)
    topics: dict[uuid.UUID, ShareFetchTopicResponse] = {}
    leaders: set[int] = set()
    for (topic_id, _), entry in parts.items():
        topic = topics.get(topic_id)
        if topic is None:
            topic = topics[topic_id] = ShareFetchTopicResponse(topic_id=topic_id)
            response.responses.append(topic)
        topic.partitions.append(entry)
        if entry.error_code == ErrorCode.NOT_LEADER_OR_FOLLOWER and entry.current_leader.leader_id >= 0:
            leaders.add(entry.current_leader.leader_id)
    for node_id in sorted(leaders):
        node = ctx.cluster.nodes.get(node_id)
        if node is not None and node.online:
            host, port = ctx.address(node)
            response.node_endpoints.append(
                ShareFetchNodeEndpoint(node_id=node.id, host=host, port=port, rack=node.rack)
            )
    return response
