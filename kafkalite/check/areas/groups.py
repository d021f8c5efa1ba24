"""Classic consumer groups: JoinGroup / SyncGroup / Heartbeat / LeaveGroup and offsets."""

from __future__ import annotations

import threading
import time
from typing import Any

from kafkalite.check.areas.transactions import fetch_committed
from kafkalite.check.context import CheckContext
from kafkalite.check.registry import check, expect, expect_code
from kafkalite.client.group import encode_assignment, encode_subscription
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.describe_groups import DescribeGroupsRequest
from kafkalite.protocol.messages.heartbeat import HeartbeatRequest
from kafkalite.protocol.messages.join_group import JoinGroupRequest, JoinGroupRequestProtocol
from kafkalite.protocol.messages.leave_group import LeaveGroupRequest, MemberIdentity
from kafkalite.protocol.messages.list_groups import ListGroupsRequest
from kafkalite.protocol.messages.offset_commit import (
    OffsetCommitRequest,
    OffsetCommitRequestPartition,
    OffsetCommitRequestTopic,
)
from kafkalite.protocol.messages.sync_group import SyncGroupRequest, SyncGroupRequestAssignment


class Member:
    """One classic-protocol member on a connection of its own to the group coordinator."""

    def __init__(
        self,
        ctx: CheckContext,
        group: str,
        topics: list[str],
        *,
        protocols: tuple[str, ...] = ("range",),
        protocol_type: str = "consumer",
        instance_id: str | None = None,
        session_timeout_ms: int = 10_000,
        rebalance_timeout_ms: int = 10_000,
    ) -> None:
        self.ctx = ctx
        self.group = group
        self.topics = topics
        self.protocols = protocols
        self.protocol_type = protocol_type
        self.instance_id = instance_id
        self.session_timeout_ms = session_timeout_ms
        self.rebalance_timeout_ms = rebalance_timeout_ms
        shared = ctx.coordinator(group)
        self.conn = ctx.new_connection(shared.host, shared.port)
        self.member_id = ""
        self.generation = -1
        self.join_response: Any = None

    def version(self, api: ApiKey, minimum: int = 0) -> int:
        return self.ctx.require(api, minimum=minimum, connection=self.conn)

    def join_once(self) -> Any:
        version = self.version(ApiKey.JOIN_GROUP, minimum=1)
        request = JoinGroupRequest(
            group_id=self.group,
            session_timeout_ms=self.session_timeout_ms,
            rebalance_timeout_ms=self.rebalance_timeout_ms,
            member_id=self.member_id,
            group_instance_id=self.instance_id,
            protocol_type=self.protocol_type,
            protocols=[
                JoinGroupRequestProtocol(name=p, metadata=encode_subscription(self.topics))
                for p in self.protocols
            ],
        )
        response = self.ctx.call(
            self.conn,
            ApiKey.JOIN_GROUP,
            request,
            version,
            timeout=self.ctx.settings.timeout_s + self.rebalance_timeout_ms / 1000,
        )
        self.join_response = response
        if response.member_id:
            self.member_id = response.member_id
        if response.error_code == ErrorCode.NONE:
            self.generation = response.generation_id
        return response

    def join(self) -> Any:
        response = self.join_once()
        if response.error_code == ErrorCode.MEMBER_ID_REQUIRED:
            response = self.join_once()
        expect_code(response.error_code, ErrorCode.NONE, f"JoinGroup {self.group}")
        return response

    def sync(
        self, assignments: dict[str, bytes] | None = None, *, generation: int | None = None
    ) -> Any:
        version = self.version(ApiKey.SYNC_GROUP)
        request = SyncGroupRequest(
            group_id=self.group,
            generation_id=self.generation if generation is None else generation,
            member_id=self.member_id,
            group_instance_id=self.instance_id,
            protocol_type=self.protocol_type,
            protocol_name=self.join_response.protocol_name if self.join_response else None,
            assignments=[
                SyncGroupRequestAssignment(member_id=m, assignment=a)
                for m, a in (assignments or {}).items()
            ],
        )
        return self.ctx.call(
            self.conn,
            ApiKey.SYNC_GROUP,
            request,
            version,
            timeout=self.ctx.settings.timeout_s + self.rebalance_timeout_ms / 1000,
        )

    def join_and_sync(self) -> bytes:
        response = self.join()
        assignments = {}
        if response.leader == self.member_id:
            assignments = {
                m.member_id: encode_assignment({t: [0] for t in self.topics})
                if i == 0
                else encode_assignment({})
                for i, m in enumerate(response.members)
            }
        result = self.sync(assignments)
        expect_code(result.error_code, ErrorCode.NONE, f"SyncGroup {self.group}")
        return bytes(result.assignment or b"")

    def heartbeat(self, member_id: str | None = None, generation: int | None = None) -> int:
        version = self.version(ApiKey.HEARTBEAT)
        request = HeartbeatRequest(
            group_id=self.group,
            generation_id=self.generation if generation is None else generation,
            member_id=self.member_id if member_id is None else member_id,
            group_instance_id=self.instance_id,
        )
        return self.ctx.call(self.conn, ApiKey.HEARTBEAT, request, version).error_code

    def leave(self) -> int:
        version = self.version(ApiKey.LEAVE_GROUP)
        if version >= 3:
            request = LeaveGroupRequest(
                group_id=self.group,
                members=[
                    MemberIdentity(member_id=self.member_id, group_instance_id=self.instance_id)
                ],
            )
            response = self.ctx.call(self.conn, ApiKey.LEAVE_GROUP, request, version)
            return response.error_code or (
                response.members[0].error_code if response.members else 0
            )
        request = LeaveGroupRequest(group_id=self.group, member_id=self.member_id)
        return self.ctx.call(self.conn, ApiKey.LEAVE_GROUP, request, version).error_code


def describe(ctx: CheckContext, group: str) -> Any:
    conn = ctx.coordinator(group)
    version = ctx.require(ApiKey.DESCRIBE_GROUPS, connection=conn)
    response = ctx.call(
        conn, ApiKey.DESCRIBE_GROUPS, DescribeGroupsRequest(groups=[group]), version
    )
    return response.groups[0]


@check(
    "groups",
    "JoinGroup v4+ without a member id answers MEMBER_ID_REQUIRED with the member id "
    "to use, and the join with that id succeeds.",
    "KIP-394; Kafka GroupCoordinator.handleJoinGroup",
)
def member_id_required(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    member = Member(ctx, ctx.group_name(), [topic])
    member.version(ApiKey.JOIN_GROUP, minimum=4)
    first = member.join_once()
    expect_code(
        first.error_code,
        ErrorCode.MEMBER_ID_REQUIRED,
        "first JoinGroup v4+ with an empty member id",
    )
    expect(first.member_id, "MEMBER_ID_REQUIRED came without a member id")
    second = member.join_once()
    expect_code(second.error_code, ErrorCode.NONE, "JoinGroup with the given member id")
    expect(
        second.member_id == first.member_id,
        f"member id changed {first.member_id} -> {second.member_id}",
    )


@check(
    "groups",
    "A single member joins (leader of generation 1+), syncs its own assignment back, "
    "heartbeats without error and leaves; the group is then Empty.",
    "Kafka protocol guide, group membership API; GroupCoordinator (classic protocol)",
)
def join_sync_heartbeat_leave(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    group = ctx.group_name()
    member = Member(ctx, group, [topic])
    response = member.join()
    expect(
        response.leader == member.member_id, f"sole member is not the leader ({response.leader})"
    )
    expect(response.generation_id >= 1, f"generation {response.generation_id}")
    expect(len(response.members) == 1, f"leader got {len(response.members)} members")
    result = member.sync({member.member_id: encode_assignment({topic: [0]})})
    expect_code(result.error_code, ErrorCode.NONE, "SyncGroup")
    expect(
        bytes(result.assignment) == encode_assignment({topic: [0]}),
        "SyncGroup returned a different assignment",
    )
    expect(describe(ctx, group).group_state == "Stable", "group not Stable after SyncGroup")
    expect_code(member.heartbeat(), ErrorCode.NONE, "Heartbeat")
    expect_code(member.leave(), ErrorCode.NONE, "LeaveGroup")
    state = describe(ctx, group).group_state
    expect(state == "Empty", f"group state {state} after the only member left, expected Empty")


@check(
    "groups",
    "Heartbeat from an unknown member id answers UNKNOWN_MEMBER_ID.",
    "Kafka GroupCoordinator.handleHeartbeat",
)
def heartbeat_unknown_member(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    member = Member(ctx, ctx.group_name(), [topic])
    member.join_and_sync()
    expect_code(
        member.heartbeat(member_id="not-a-member"),
        ErrorCode.UNKNOWN_MEMBER_ID,
        "Heartbeat as 'not-a-member'",
    )


@check(
    "groups",
    "SyncGroup or Heartbeat with a stale generation answers ILLEGAL_GENERATION.",
    "Kafka GroupCoordinator.handleSyncGroup / handleHeartbeat",
)
def illegal_generation(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    member = Member(ctx, ctx.group_name(), [topic])
    member.join_and_sync()
    expect_code(
        member.heartbeat(generation=member.generation + 5),
        ErrorCode.ILLEGAL_GENERATION,
        "Heartbeat with generation +5",
    )


@check(
    "groups",
    "A JoinGroup with a session timeout below group.min.session.timeout.ms answers "
    "INVALID_SESSION_TIMEOUT.",
    "Kafka GroupCoordinator.handleJoinGroup",
)
def invalid_session_timeout(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    member = Member(ctx, ctx.group_name(), [topic], session_timeout_ms=1)
    expect_code(
        member.join_once().error_code,
        ErrorCode.INVALID_SESSION_TIMEOUT,
        "JoinGroup with a 1 ms session",
    )


@check(
    "groups",
    "A member whose protocol type or protocols share nothing with the group's is "
    "rejected with INCONSISTENT_GROUP_PROTOCOL.",
    "Kafka GroupCoordinator.handleJoinGroup",
)
def inconsistent_protocol(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    group = ctx.group_name()
    Member(ctx, group, [topic]).join_and_sync()
    other = Member(ctx, group, [topic], protocols=("roundrobin-only",))
    code = other.join_once().error_code
    if code == ErrorCode.MEMBER_ID_REQUIRED:
        code = other.join_once().error_code
    expect_code(code, ErrorCode.INCONSISTENT_GROUP_PROTOCOL, "JoinGroup with no protocol in common")


@check(
    "groups",
    "The coordinator picks a protocol every member supports: members offering "
    "[cooperative-sticky, range] and [range] get 'range'; all offering cooperative-sticky first "
    "get it.",
    "KIP-429; Kafka ClassicGroup.selectProtocol",
)
def protocol_selection(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    group = ctx.group_name()
    first = Member(
        ctx, group, [topic], protocols=("cooperative-sticky", "range"), rebalance_timeout_ms=5000
    )
    first.join_and_sync()
    expect(
        first.join_response.protocol_name == "cooperative-sticky",
        f"single member offering cooperative-sticky first got {first.join_response.protocol_name}",
    )
    second = Member(ctx, group, [topic], protocols=("range",), rebalance_timeout_ms=5000)
    results: dict[str, Any] = {}

    def join_second() -> None:
        try:
            results["second"] = second.join()
        except BaseException as exc:
            results["error"] = exc

    thread = threading.Thread(target=join_second, daemon=True)
    thread.start()
    deadline = time.monotonic() + 8
    while time.monotonic() < deadline and first.heartbeat() == ErrorCode.NONE:
        time.sleep(0.1)
    first_join = first.join()
    thread.join(10)
    if "error" in results:
        raise results["error"]
    expect("second" in results, "the second member's JoinGroup never returned")
    for label, response in (("first", first_join), ("second", results["second"])):
        expect(
            response.protocol_name == "range",
            f"{label} member got protocol {response.protocol_name}, expected range",
        )
    expect(
        first_join.generation_id == results["second"].generation_id,
        "members got different generations",
    )


@check(
    "groups",
    "A second member joining makes the first member's Heartbeat answer "
    "REBALANCE_IN_PROGRESS; after both rejoin the generation has grown and both are listed.",
    "Kafka GroupCoordinator (PreparingRebalance); protocol guide, group membership",
)
def rebalance_on_join(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    group = ctx.group_name()
    first = Member(ctx, group, [topic], rebalance_timeout_ms=5000)
    first.join_and_sync()
    generation = first.generation
    second = Member(ctx, group, [topic], rebalance_timeout_ms=5000)
    results: dict[str, Any] = {}

    def join_second() -> None:
        try:
            results["second"] = second.join()
        except BaseException as exc:
            results["error"] = exc

    thread = threading.Thread(target=join_second, daemon=True)
    thread.start()
    code = ErrorCode.NONE
    deadline = time.monotonic() + 8
    while time.monotonic() < deadline:
        code = first.heartbeat()
        if code != ErrorCode.NONE:
            break
        time.sleep(0.1)
    expect_code(
        code,
        ErrorCode.REBALANCE_IN_PROGRESS,
        "first member's Heartbeat after a second member joined",
    )
    rejoined = first.join()
    thread.join(10)
    if "error" in results:
        raise results["error"]
    expect("second" in results, "the second member's JoinGroup never returned")
    expect(
        rejoined.generation_id > generation,
        f"generation {rejoined.generation_id} after rebalance, was {generation}",
    )
    leader = rejoined if rejoined.leader == first.member_id else results["second"]
    expect(len(leader.members) == 2, f"the leader got {len(leader.members)} members, expected 2")


@check(
    "groups",
    "Static membership (v5+): a member rejoining with the same group.instance.id "
    "takes the old member's place without a rebalance, and the old member id is fenced "
    "(FENCED_INSTANCE_ID).",
    "KIP-345; Kafka GroupCoordinator (static members)",
)
def static_membership(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    group = ctx.group_name()
    instance = ctx.unique("instance")
    first = Member(ctx, group, [topic], instance_id=instance)
    first.version(ApiKey.JOIN_GROUP, minimum=5)
    response = first.join_once()
    expect_code(
        response.error_code,
        ErrorCode.NONE,
        "static member's first JoinGroup (no MEMBER_ID_REQUIRED for static members)",
    )
    first.sync({first.member_id: encode_assignment({topic: [0]})})
    old_id, generation = first.member_id, first.generation
    replacement = Member(ctx, group, [topic], instance_id=instance)
    rejoin = replacement.join()
    expect(rejoin.member_id != old_id, "the replacement kept the old member id")
    expect(
        rejoin.generation_id == generation,
        f"generation {generation} -> {rejoin.generation_id}: a static rejoin rebalanced",
    )
    code = first.heartbeat(member_id=old_id)
    expect_code(code, ErrorCode.FENCED_INSTANCE_ID, "Heartbeat with the replaced member id")


@check(
    "groups",
    "OffsetCommit outside any generation (a standalone consumer: generation -1, empty "
    "member id) stores the offset and metadata; OffsetFetch returns them.",
    "Kafka GroupCoordinator.handleCommitOffsets (simple consumer groups)",
)
def standalone_offset_commit(ctx: CheckContext) -> None:
    topic = ctx.create_topic(partitions=2)
    group = ctx.group_name()
    commit_offset(ctx, group, topic, 42)
    expect(fetch_committed(ctx, group, topic) == 42, "OffsetFetch did not return 42")
    expect(
        fetch_committed(ctx, group, topic, 1) == -1, "an uncommitted partition did not answer -1"
    )


def commit_offset(ctx: CheckContext, group: str, topic: str, offset: int) -> None:
    conn = ctx.coordinator(group)
    version = ctx.require(ApiKey.OFFSET_COMMIT, minimum=2, connection=conn)
    request = OffsetCommitRequest(
        group_id=group,
        generation_id_or_member_epoch=-1,
        member_id="",
        topics=[
            OffsetCommitRequestTopic(
                name=topic,
                partitions=[
                    OffsetCommitRequestPartition(
                        partition_index=0, committed_offset=offset, committed_metadata="m"
                    )
                ],
            )
        ],
    )
    response = ctx.call(conn, ApiKey.OFFSET_COMMIT, request, version)
    expect_code(response.topics[0].partitions[0].error_code, ErrorCode.NONE, "OffsetCommit")


@check(
    "groups",
    "OffsetCommit from a member with a wrong generation answers ILLEGAL_GENERATION; "
    "from an unknown member UNKNOWN_MEMBER_ID.",
    "Kafka GroupCoordinator.handleCommitOffsets",
)
def commit_fenced_generation(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    group = ctx.group_name()
    member = Member(ctx, group, [topic])
    member.join_and_sync()
    version = ctx.require(ApiKey.OFFSET_COMMIT, minimum=2, connection=member.conn)

    def commit(generation: int, member_id: str) -> int:
        request = OffsetCommitRequest(
            group_id=group,
            generation_id_or_member_epoch=generation,
            member_id=member_id,
            topics=[
                OffsetCommitRequestTopic(
                    name=topic,
                    partitions=[
                        OffsetCommitRequestPartition(partition_index=0, committed_offset=1)
                    ],
                )
            ],
        )
        return (
            ctx.call(member.conn, ApiKey.OFFSET_COMMIT, request, version)
            .topics[0]
            .partitions[0]
            .error_code
        )

    expect_code(
        commit(member.generation, member.member_id), ErrorCode.NONE, "OffsetCommit by the member"
    )
    expect_code(
        commit(member.generation + 3, member.member_id),
        ErrorCode.ILLEGAL_GENERATION,
        "OffsetCommit, generation +3",
    )
    expect_code(
        commit(member.generation, "not-a-member"),
        ErrorCode.UNKNOWN_MEMBER_ID,
        "OffsetCommit by 'not-a-member'",
    )


@check(
    "groups",
    "ListGroups lists a group with members, with its protocol type; DescribeGroups "
    "describes an unknown group as Dead with no members.",
    "Kafka GroupCoordinator.handleListGroups / handleDescribeGroup",
)
def list_and_describe(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    group = ctx.group_name()
    Member(ctx, group, [topic]).join_and_sync()
    conn = ctx.coordinator(group)
    version = ctx.require(ApiKey.LIST_GROUPS, connection=conn)
    response = ctx.call(conn, ApiKey.LIST_GROUPS, ListGroupsRequest(), version)
    expect_code(response.error_code, ErrorCode.NONE, "ListGroups")
    listed = {g.group_id: g.protocol_type for g in response.groups}
    expect(
        listed.get(group) == "consumer",
        f"group listed as {listed.get(group)!r}, expected protocol type 'consumer'",
    )
    unknown = describe(ctx, ctx.unique("g"))
    expect_code(
        unknown.error_code,
        (ErrorCode.NONE, ErrorCode.GROUP_ID_NOT_FOUND),
        "DescribeGroups of an unknown group",
    )
    if unknown.error_code == ErrorCode.NONE:
        expect(
            unknown.group_state == "Dead" and not unknown.members,
            f"unknown group described as {unknown.group_state} with {len(unknown.members)} members",
        )
