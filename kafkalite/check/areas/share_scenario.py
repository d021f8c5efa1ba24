"""The share group scenario of ``new_groups.share_groups`` (KIP-932), against any broker
that advertises ShareGroupHeartbeat and ShareFetch: a member joins, fetches, acknowledges.

The group starts where Kafka's default ``share.auto.offset.reset=latest`` puts it, so the
records are produced after a first ShareFetch has started the share partition.
"""

from __future__ import annotations

import base64
import time
import uuid
from typing import Any

from kafkalite.check.context import CheckContext
from kafkalite.check.registry import expect, expect_code
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.share_acknowledge import (
    ShareAcknowledgementBatch,
    ShareAcknowledgePartition,
    ShareAcknowledgeRequest,
    ShareAcknowledgeTopic,
)
from kafkalite.protocol.messages.share_fetch import (
    ShareFetchPartition,
    ShareFetchRequest,
    ShareFetchTopic,
)
from kafkalite.protocol.messages.share_group_heartbeat import ShareGroupHeartbeatRequest

ACCEPT, RELEASE, REJECT = 1, 2, 3


def _member_id() -> str:
    return base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")


def share_group_round_trip(ctx: CheckContext) -> None:
    topic = ctx.create_topic(1)
    topic_id = ctx.client.topic(topic, wait_s=10.0).topic_id
    group = ctx.group_name()
    coordinator = ctx.coordinator(group)
    heartbeat_version = ctx.require(ApiKey.SHARE_GROUP_HEARTBEAT, minimum=1, connection=coordinator)
    member = _member_id()
    joined = ctx.call(coordinator, ApiKey.SHARE_GROUP_HEARTBEAT, ShareGroupHeartbeatRequest(
        group_id=group, member_id=member, member_epoch=0, subscribed_topic_names=[topic]),
        heartbeat_version)
    expect_code(joined.error_code, ErrorCode.NONE, "ShareGroupHeartbeat join")
    expect(joined.member_epoch > 0, f"a joined member has a positive epoch, got {joined.member_epoch}")
    epoch = joined.member_epoch
    deadline = time.monotonic() + 10
    assigned = joined.assignment
    while assigned is None or not any(t.topic_id == topic_id for t in assigned.topic_partitions):
        expect(time.monotonic() < deadline, "the member was not assigned the topic within 10 s")
        time.sleep(0.2)
        beat = ctx.call(coordinator, ApiKey.SHARE_GROUP_HEARTBEAT, ShareGroupHeartbeatRequest(
            group_id=group, member_id=member, member_epoch=epoch), heartbeat_version)
        expect_code(beat.error_code, ErrorCode.NONE, "ShareGroupHeartbeat")
        epoch = beat.member_epoch
        assigned = beat.assignment or assigned

    leader = ctx.leader(topic)
    fetch_version = ctx.require(ApiKey.SHARE_FETCH, minimum=1, connection=leader)
    session = [0]

    def share_fetch(wait_ms: int, *, epoch: int | None = None, member_id: str = member) -> Any:
        request = ShareFetchRequest(
            group_id=group, member_id=member_id,
            share_session_epoch=session[0] if epoch is None else epoch,
            max_wait_ms=wait_ms, min_bytes=1, max_bytes=1 << 20, max_records=100, batch_size=100,
            topics=[ShareFetchTopic(topic_id=topic_id, partitions=[ShareFetchPartition(partition_index=0)])]
            if (session[0] if epoch is None else epoch) == 0 else [],
        )
        response = ctx.call(leader, ApiKey.SHARE_FETCH, request, fetch_version,
                            timeout=ctx.settings.timeout_s + wait_ms / 1000)
        if epoch is None and response.error_code == ErrorCode.NONE:
            session[0] += 1
        return response

    def acquired(response: Any) -> list[tuple[int, int, int]]:
        return [(r.first_offset, r.last_offset, r.delivery_count)
                for t in response.responses for p in t.partitions for r in p.acquired_records]

    opened = share_fetch(0)
    expect_code(opened.error_code, ErrorCode.NONE, "ShareFetch opening a share session")
    start = ctx.produce_ok(topic, ctx.batch(3))
    got: list[tuple[int, int, int]] = []
    for _ in range(20):
        fetched = share_fetch(500)
        expect_code(fetched.error_code, ErrorCode.NONE, "ShareFetch")
        got += acquired(fetched)
        if got:
            break
    expect(got == [(start, start + 2, 1)],
           f"ShareFetch acquires the 3 new records once, delivery count 1; got {got}")

    ack_version = ctx.require(ApiKey.SHARE_ACKNOWLEDGE, minimum=1, connection=leader)
    acked = ctx.call(leader, ApiKey.SHARE_ACKNOWLEDGE, ShareAcknowledgeRequest(
        group_id=group, member_id=member, share_session_epoch=session[0],
        topics=[ShareAcknowledgeTopic(topic_id=topic_id, partitions=[ShareAcknowledgePartition(
            partition_index=0, acknowledgement_batches=[ShareAcknowledgementBatch(
                first_offset=start, last_offset=start + 2, acknowledge_types=[ACCEPT, RELEASE, REJECT])],
        )])]), ack_version)
    expect_code(acked.error_code, ErrorCode.NONE, "ShareAcknowledge")
    session[0] += 1
    partition_errors = [p.error_code for t in acked.responses for p in t.partitions]
    expect(partition_errors == [ErrorCode.NONE], f"ShareAcknowledge partition errors: {partition_errors}")

    again = share_fetch(500)
    expect_code(again.error_code, ErrorCode.NONE, "ShareFetch after the acknowledgement")
    expect(acquired(again) == [(start + 1, start + 1, 2)],
           f"only the released record comes back, delivery count 2; got {acquired(again)}")

    wrong = share_fetch(0, epoch=session[0] + 5)
    expect_code(wrong.error_code, ErrorCode.INVALID_SHARE_SESSION_EPOCH, "ShareFetch with a wrong epoch")
    missing = share_fetch(0, epoch=1, member_id=_member_id())
    expect_code(missing.error_code, ErrorCode.SHARE_SESSION_NOT_FOUND, "ShareFetch without a session")

    closed = ctx.call(leader, ApiKey.SHARE_ACKNOWLEDGE, ShareAcknowledgeRequest(
        group_id=group, member_id=member, share_session_epoch=-1), ack_version)
    expect_code(closed.error_code, ErrorCode.NONE, "ShareAcknowledge closing the share session")
    left = ctx.call(coordinator, ApiKey.SHARE_GROUP_HEARTBEAT, ShareGroupHeartbeatRequest(
        group_id=group, member_id=member, member_epoch=-1), heartbeat_version)
    expect_code(left.error_code, ErrorCode.NONE, "ShareGroupHeartbeat leave")
