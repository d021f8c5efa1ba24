"""KIP-848 consumer groups (ConsumerGroupHeartbeat, ConsumerGroupDescribe), checked only where
the broker advertises them.

A member is driven request by request: it joins with member epoch 0 (from v1 with a member id
it made up itself, KIP-1082), heartbeats with its current epoch and the partitions it owns, and
leaves with epoch -1. The coordinator assigns partitions by topic id; the checks map names to
ids through Metadata.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from kafkalite.check.context import CheckContext
from kafkalite.check.registry import Failed, check, expect, expect_code
from kafkalite.client.connection import BrokerConnection
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.consumer_group_describe import ConsumerGroupDescribeRequest
from kafkalite.protocol.messages.consumer_group_heartbeat import (
    ConsumerGroupHeartbeatRequest,
    HeartbeatTopicPartitions,
)
from kafkalite.protocol.messages.metadata import MetadataRequest, MetadataRequestTopic
from kafkalite.protocol.messages.offset_commit import (
    OffsetCommitRequest,
    OffsetCommitRequestPartition,
    OffsetCommitRequestTopic,
)

_LEAVE = -1
_LEAVE_STATIC = -2  # a static member leaving for a while: it keeps its partitions


class ConsumerMember:
    """One KIP-848 member on a connection of its own to the group coordinator."""

    def __init__(
        self, ctx: CheckContext, group: str, topics: list[str], instance_id: str | None = None
    ) -> None:
        self.ctx = ctx
        self.instance_id = instance_id
        self.group = group
        self.topics = topics
        shared = ctx.coordinator(group)
        self.conn: BrokerConnection = ctx.new_connection(shared.host, shared.port)
        self.version = ctx.require(ApiKey.CONSUMER_GROUP_HEARTBEAT, connection=self.conn)
        self.member_id = str(uuid.uuid4()) if self.version >= 1 else ""
        self.epoch = 0
        self.owned: dict[uuid.UUID, list[int]] = {}

    def heartbeat(self, *, epoch: int | None = None, member_id: str | None = None) -> Any:
        """One heartbeat: a join carries the whole subscription, later ones what it owns."""
        epoch = self.epoch if epoch is None else epoch
        joining = epoch == 0
        request = ConsumerGroupHeartbeatRequest(
            group_id=self.group,
            member_id=self.member_id if member_id is None else member_id,
            member_epoch=epoch,
            instance_id=self.instance_id,
            rebalance_timeout_ms=10_000 if joining else -1,
            subscribed_topic_names=self.topics if joining else None,
            topic_partitions=(
                [HeartbeatTopicPartitions(topic_id=t, partitions=p) for t, p in self.owned.items()]
                if epoch >= 0
                else None
            ),
        )
        response = self.ctx.call(self.conn, ApiKey.CONSUMER_GROUP_HEARTBEAT, request, self.version)
        if member_id is None and response.error_code == ErrorCode.NONE:
            self.member_id = response.member_id or self.member_id
            self.epoch = response.member_epoch
            if response.assignment is not None:
                self.owned = {
                    t.topic_id: sorted(t.partitions) for t in response.assignment.topic_partitions
                }
        return response

    def join(self) -> Any:
        response = self.heartbeat(epoch=0)
        expect_code(
            response.error_code, ErrorCode.NONE, f"ConsumerGroupHeartbeat join {self.group}"
        )
        return response

    def until_assigned(self, partitions: int, wait_s: float = 10.0) -> None:
        """Heartbeat (at the interval the coordinator asked for) until ``partitions`` are owned."""
        deadline = time.monotonic() + wait_s
        while sum(len(p) for p in self.owned.values()) != partitions:
            if time.monotonic() >= deadline:
                raise Failed(
                    f"member owns {self.owned} after {wait_s:.0f} s of heartbeats, "
                    f"expected {partitions} partitions"
                )
            time.sleep(0.1)
            response = self.heartbeat()
            expect_code(response.error_code, ErrorCode.NONE, "ConsumerGroupHeartbeat")


def _any_topic(ctx: CheckContext) -> tuple[str, int]:
    """A new topic and its partition count (one, unless the broker can only auto-create)."""
    topic = ctx.create_topic()
    return topic, len(ctx.client.topic(topic).partitions)


def _topic_id(ctx: CheckContext, topic: str) -> uuid.UUID:
    conn = ctx.connection()
    version = ctx.require(ApiKey.METADATA, minimum=10, connection=conn)
    response = ctx.call(
        conn,
        ApiKey.METADATA,
        MetadataRequest(topics=[MetadataRequestTopic(name=topic)], allow_auto_topic_creation=False),
        version,
    )
    topic_id: uuid.UUID = response.topics[0].topic_id
    return topic_id


def _describe(ctx: CheckContext, member: ConsumerMember, group: str) -> Any:
    version = ctx.require(ApiKey.CONSUMER_GROUP_DESCRIBE, connection=member.conn)
    response = ctx.call(
        member.conn,
        ApiKey.CONSUMER_GROUP_DESCRIBE,
        ConsumerGroupDescribeRequest(group_ids=[group]),
        version,
    )
    return response.groups[0]


@check(
    "new_groups",
    "A KIP-848 member joins with ConsumerGroupHeartbeat (member epoch 0): it gets an epoch >= 1, "
    "a heartbeat interval and, alone in the group, every partition of its topic; a heartbeat "
    "at that epoch keeps it; leaving (epoch -1) answers epoch -1.",
    "KIP-848; KIP-1082 (v1: client-side member ids); Kafka GroupMetadataManager.consumerGroupHeartbeat",
)
def consumer_group_heartbeat(ctx: CheckContext) -> None:
    ctx.require(ApiKey.CONSUMER_GROUP_HEARTBEAT)
    topic = ctx.create_topic(partitions=2)
    member = ConsumerMember(ctx, ctx.group_name(), [topic])
    response = member.join()
    expect(member.member_id, "no member id after the join")
    expect(response.member_epoch >= 1, f"member epoch {response.member_epoch} after a join")
    expect(
        response.heartbeat_interval_ms > 0,
        f"heartbeat_interval_ms {response.heartbeat_interval_ms}",
    )
    member.until_assigned(2)
    topic_id = _topic_id(ctx, topic)
    expect(
        member.owned == {topic_id: [0, 1]},
        f"sole member assigned {member.owned}, expected {topic_id}: [0, 1]",
    )
    epoch = member.epoch
    again = member.heartbeat()
    expect_code(again.error_code, ErrorCode.NONE, "heartbeat at the current epoch")
    expect(
        again.member_epoch == epoch,
        f"epoch moved {epoch} -> {again.member_epoch} in a stable group",
    )
    left = member.heartbeat(epoch=_LEAVE)
    expect_code(left.error_code, ErrorCode.NONE, "leave (member epoch -1)")
    expect(left.member_epoch == _LEAVE, f"leave answered epoch {left.member_epoch}, expected -1")


@check(
    "new_groups",
    "ConsumerGroupHeartbeat with an epoch ahead of the member's answers FENCED_MEMBER_EPOCH; "
    "from a member id the group does not know, UNKNOWN_MEMBER_ID.",
    "KIP-848; Kafka GroupMetadataManager.throwIfMemberEpochIsInvalid",
)
def consumer_group_member_epochs(ctx: CheckContext) -> None:
    ctx.require(ApiKey.CONSUMER_GROUP_HEARTBEAT)
    topic, partitions = _any_topic(ctx)
    member = ConsumerMember(ctx, ctx.group_name(), [topic])
    member.join()
    member.until_assigned(partitions)
    ahead = member.heartbeat(epoch=member.epoch + 5, member_id=member.member_id)
    expect_code(
        ahead.error_code, ErrorCode.FENCED_MEMBER_EPOCH, f"heartbeat at epoch {member.epoch + 5}"
    )
    stranger = member.heartbeat(epoch=member.epoch, member_id=str(uuid.uuid4()))
    expect_code(
        stranger.error_code, ErrorCode.UNKNOWN_MEMBER_ID, "heartbeat from an unknown member id"
    )
    member.heartbeat(epoch=_LEAVE)


@check(
    "new_groups",
    "A second member joining bumps the group epoch; the first member is asked to give up a "
    "partition (its epoch unchanged until it does), then moves to the new epoch, and the second "
    "member gets the freed partition: one partition each, no partition owned twice.",
    "KIP-848 (incremental reconciliation); Kafka CurrentAssignmentBuilder",
)
def consumer_group_rebalance(ctx: CheckContext) -> None:
    ctx.require(ApiKey.CONSUMER_GROUP_HEARTBEAT)
    topic = ctx.create_topic(partitions=2)
    group = ctx.group_name()
    first = ConsumerMember(ctx, group, [topic])
    first.join()
    first.until_assigned(2)
    before = first.epoch
    second = ConsumerMember(ctx, group, [topic])
    joined = second.join()
    expect(
        joined.member_epoch > before,
        f"second member joined at epoch {joined.member_epoch}, not past the group's {before}",
    )
    expect(
        not any(second.owned.values()),
        f"second member got {second.owned} while the first still owned both partitions",
    )
    first.until_assigned(1)
    expect(
        first.epoch == before,
        f"first member moved to epoch {first.epoch} before giving up a partition",
    )
    acked = first.heartbeat()  # now owning one partition: moves to the new epoch
    expect_code(acked.error_code, ErrorCode.NONE, "heartbeat after revoking")
    second.until_assigned(1)
    expect(
        first.epoch == second.epoch == joined.member_epoch,
        f"epochs after the rebalance: first {first.epoch}, second {second.epoch}, "
        f"group {joined.member_epoch}",
    )
    owned_first = {(t, p) for t, parts in first.owned.items() for p in parts}
    owned_second = {(t, p) for t, parts in second.owned.items() for p in parts}
    expect(
        len(owned_first) == len(owned_second) == 1 and not owned_first & owned_second,
        f"first owns {sorted(owned_first)}, second {sorted(owned_second)}",
    )
    for member in (first, second):
        member.heartbeat(epoch=_LEAVE)


@check(
    "new_groups",
    "Static membership (KIP-848): a second member with an instance id in use answers "
    "UNRELEASED_INSTANCE_ID; once the first leaves with epoch -2, a new member with that "
    "instance id takes over its epoch and partitions without a rebalance, and the old member "
    "id is unknown.",
    "KIP-848 (static membership); KIP-345; Kafka GroupMetadataManager.consumerGroupHeartbeat",
)
def consumer_group_static_member(ctx: CheckContext) -> None:
    ctx.require(ApiKey.CONSUMER_GROUP_HEARTBEAT)
    topic, partitions = _any_topic(ctx)
    group = ctx.group_name()
    instance = ctx.unique("instance")
    first = ConsumerMember(ctx, group, [topic], instance_id=instance)
    first.join()
    first.until_assigned(partitions)
    twin = ConsumerMember(ctx, group, [topic], instance_id=instance)
    refused = twin.heartbeat(epoch=0)
    expect_code(
        refused.error_code,
        ErrorCode.UNRELEASED_INSTANCE_ID,
        "join with an instance id another active member has",
    )
    epoch, owned = first.epoch, dict(first.owned)
    left = first.heartbeat(epoch=_LEAVE_STATIC)
    expect_code(left.error_code, ErrorCode.NONE, "static leave (member epoch -2)")
    expect(
        left.member_epoch == _LEAVE_STATIC,
        f"static leave answered epoch {left.member_epoch}, expected -2",
    )
    replacement = ConsumerMember(ctx, group, [topic], instance_id=instance)
    replacement.join()
    replacement.until_assigned(partitions)
    expect(
        replacement.epoch == epoch and replacement.owned == owned,
        f"the replacement got epoch {replacement.epoch} and {replacement.owned}; the member it "
        f"replaced had epoch {epoch} and {owned}",
    )
    old = first.heartbeat(epoch=epoch, member_id=first.member_id)
    expect_code(
        old.error_code, ErrorCode.UNKNOWN_MEMBER_ID, "heartbeat from the replaced member id"
    )
    replacement.heartbeat(epoch=_LEAVE)


@check(
    "new_groups",
    "OffsetCommit (v9+) by a KIP-848 member at its current epoch succeeds; at an older epoch "
    "it answers STALE_MEMBER_EPOCH and from an unknown member UNKNOWN_MEMBER_ID.",
    "KIP-848; Kafka ConsumerGroup.validateOffsetCommit",
)
def consumer_group_commit_epochs(ctx: CheckContext) -> None:
    ctx.require(ApiKey.CONSUMER_GROUP_HEARTBEAT)
    topic, partitions = _any_topic(ctx)
    group = ctx.group_name()
    member = ConsumerMember(ctx, group, [topic])
    version = ctx.require(ApiKey.OFFSET_COMMIT, minimum=9, connection=member.conn)
    member.join()
    member.until_assigned(partitions)

    def commit(epoch: int, member_id: str) -> int:
        request = OffsetCommitRequest(
            group_id=group,
            generation_id_or_member_epoch=epoch,
            member_id=member_id,
            topics=[
                OffsetCommitRequestTopic(
                    name=topic,
                    partitions=[
                        OffsetCommitRequestPartition(partition_index=0, committed_offset=5)
                    ],
                )
            ],
        )
        response = ctx.call(member.conn, ApiKey.OFFSET_COMMIT, request, version)
        code: int = response.topics[0].partitions[0].error_code
        return code

    expect_code(
        commit(member.epoch, member.member_id), ErrorCode.NONE, "OffsetCommit at the member's epoch"
    )
    expect_code(
        commit(member.epoch - 1, member.member_id),
        ErrorCode.STALE_MEMBER_EPOCH,
        f"OffsetCommit at epoch {member.epoch - 1} (member at {member.epoch})",
    )
    expect_code(
        commit(member.epoch, str(uuid.uuid4())),
        ErrorCode.UNKNOWN_MEMBER_ID,
        "OffsetCommit from an unknown member id",
    )
    member.heartbeat(epoch=_LEAVE)


@check(
    "new_groups",
    "ConsumerGroupDescribe describes a KIP-848 group: Stable, its epochs, the assignor, and "
    "the member with its epoch and assignment; an unknown group answers GROUP_ID_NOT_FOUND.",
    "KIP-848; Kafka GroupMetadataManager.consumerGroupDescribe",
)
def consumer_group_describe(ctx: CheckContext) -> None:
    ctx.require(ApiKey.CONSUMER_GROUP_HEARTBEAT)
    ctx.require(ApiKey.CONSUMER_GROUP_DESCRIBE)
    topic = ctx.create_topic(partitions=2)
    group = ctx.group_name()
    member = ConsumerMember(ctx, group, [topic])
    member.join()
    member.until_assigned(2)
    described = _describe(ctx, member, group)
    expect_code(described.error_code, ErrorCode.NONE, f"ConsumerGroupDescribe {group}")
    expect(
        described.group_state == "Stable",
        f"group state {described.group_state!r}, expected 'Stable'",
    )
    expect(
        described.group_epoch >= 1 and described.assignment_epoch == described.group_epoch,
        f"group epoch {described.group_epoch}, assignment epoch {described.assignment_epoch}",
    )
    expect(described.assignor_name, "no assignor name")
    members = {m.member_id: m for m in described.members}
    expect(
        member.member_id in members, f"member {member.member_id} not described ({sorted(members)})"
    )
    seen = members[member.member_id]
    expect(
        seen.member_epoch == member.epoch,
        f"described epoch {seen.member_epoch}, member at {member.epoch}",
    )
    assigned = {(t.topic_name, p) for t in seen.assignment.topic_partitions for p in t.partitions}
    expect(
        assigned == {(topic, 0), (topic, 1)},
        f"described assignment {sorted(assigned)}, expected both partitions of {topic}",
    )
    unknown = _describe(ctx, member, ctx.unique("g"))
    expect_code(
        unknown.error_code,
        ErrorCode.GROUP_ID_NOT_FOUND,
        "ConsumerGroupDescribe of an unknown group",
    )
    member.heartbeat(epoch=_LEAVE)
