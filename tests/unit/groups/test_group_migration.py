"""Online migration between the classic and the consumer group protocols (KIP-848):
a classic group with members becomes a consumer group when a member of the consumer
protocol joins, its classic members stay and are assigned by the server-side assignor
through JoinGroup/SyncGroup/Heartbeat, and the group turns classic again when the last
member of the consumer protocol leaves. Time moves only through the ManualTimer."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import pytest

from kafkalite.groups import (
    CommitEntry,
    GroupConfig,
    GroupCoordinator,
    GroupState,
    JoinRequest,
    JoinResult,
    LeaveMember,
    ManualTimer,
    Protocol,
    SyncRequest,
    SyncResult,
    TopicPartition,
)
from kafkalite.groups.assignors import TopicMetadata
from kafkalite.groups.consumer_group import ConsumerGroup
from kafkalite.groups.consumer_group_records import (
    MEMBER_METADATA,
    ClassicMemberMetadataValue,
    ConsumerGroupKey,
    MemberMetadataValue,
    decode_consumer_value,
    encode_consumer_value,
)
from kafkalite.groups.consumer_manager import ConsumerHeartbeat, HeartbeatResult
from kafkalite.groups.migration import decode_assignment, encode_assignment
from kafkalite.protocol.codec import encode_bytes
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.consumer_protocol import (
    CONSUMER_PROTOCOL_ASSIGNMENT_SPEC,
    CONSUMER_PROTOCOL_SUBSCRIPTION_SPEC,
    AssignedTopicPartitions,
    ConsumerProtocolAssignment,
    ConsumerProtocolSubscription,
    OwnedTopicPartitions,
)
from kafkalite.storage.manager import LogManager

from .conftest import Harness, new_coordinator

FOO = uuid.UUID(int=11)
TOPICS = {"foo": TopicMetadata(FOO, "foo", 4)}
ALL = frozenset(range(4))
SESSION_MS = 10_000
REBALANCE_MS = 30_000


def subscription(owned: frozenset[int] | None = None, version: int = 1, topics: tuple[str, ...] = ("foo",)) -> bytes:
    body = ConsumerProtocolSubscription(
        topics=list(topics),
        owned_partitions=[OwnedTopicPartitions(topic="foo", partitions=sorted(owned))] if owned else [],
    )
    return version.to_bytes(2, "big") + encode_bytes(CONSUMER_PROTOCOL_SUBSCRIPTION_SPEC, body, version)


def protocols(owned: frozenset[int] | None = None) -> tuple[Protocol, ...]:
    return (Protocol("range", subscription(owned)), Protocol("roundrobin", subscription(owned)))


def parts(blob: bytes) -> frozenset[int]:
    return decode_assignment(blob).get("foo", frozenset())


def make(logs: LogManager, timer: ManualTimer, policy: str = "bidirectional") -> GroupCoordinator:
    coordinator = new_coordinator(
        logs, timer=timer, topics=lambda: dict(TOPICS),
        config=GroupConfig(group_consumer_migration_policy=policy),
    )
    coordinator.start()
    return coordinator


@pytest.fixture
def coordinator(logs: LogManager, timer: ManualTimer) -> Iterator[GroupCoordinator]:
    coordinator = make(logs, timer)
    yield coordinator
    coordinator.close()


def form_classic_group(coordinator: GroupCoordinator, timer: ManualTimer) -> tuple[list[str], int]:
    """Two classic members of "consumer" protocol type; the leader gives the first
    partitions 0-1 and the second 2-3. Returns (member ids, generation)."""
    harness = Harness(timer=timer, manager=coordinator.groups)
    joins = [harness.join_new(protocols=protocols(), client_id=f"c{i}") for i in range(2)]
    timer.advance(0)
    results = [box[0] for _, box in joins]
    generation, leader = results[0].generation_id, results[0].leader
    members = [member_id for member_id, _ in joins]
    plan = {members[0]: encode_assignment({"foo": frozenset({0, 1})}, 1),
            members[1]: encode_assignment({"foo": frozenset({2, 3})}, 1)}
    for m in members:
        box = harness.sync(m, generation, plan if m == leader else None)
        assert box and box[0].error_code == 0
    assert harness.state() is GroupState.STABLE
    return members, generation


def consumer_join(coordinator: GroupCoordinator, member_id: str = "new") -> HeartbeatResult:
    return coordinator.consumer_group_heartbeat(ConsumerHeartbeat(
        group_id="g", member_id=member_id, member_epoch=0, rebalance_timeout_ms=REBALANCE_MS,
        subscribed_topic_names=["foo"], owned={},
    ))


def consumer_heartbeat(
    coordinator: GroupCoordinator, member_id: str, epoch: int, owned: frozenset[int]
) -> HeartbeatResult:
    return coordinator.consumer_group_heartbeat(ConsumerHeartbeat(
        group_id="g", member_id=member_id, member_epoch=epoch, owned={FOO: sorted(owned)},
    ))


def classic_join(
    coordinator: GroupCoordinator, member_id: str = "", owned: frozenset[int] | None = None,
    *, instance: str | None = None, offered: tuple[Protocol, ...] | None = None,
) -> JoinResult:
    """A JoinGroup that a consumer group answers at once."""
    request = JoinRequest(
        group_id="g", member_id=member_id, group_instance_id=instance, protocol_type="consumer",
        protocols=protocols(owned) if offered is None else offered, session_timeout_ms=SESSION_MS, rebalance_timeout_ms=REBALANCE_MS,
        client_id="classic", client_host="/127.0.0.1",
    )
    return asyncio.run(coordinator.join_group(request))


def classic_sync(coordinator: GroupCoordinator, member_id: str, generation: int) -> SyncResult:
    request = SyncRequest(
        group_id="g", generation_id=generation, member_id=member_id,
        protocol_type="consumer", protocol_name="range",
    )
    return asyncio.run(coordinator.sync_group(request))


def classic_rejoin(coordinator: GroupCoordinator, member_id: str, owned: frozenset[int]) -> tuple[int, frozenset[int]]:
    """JoinGroup then SyncGroup: (generation, partitions)."""
    joined = classic_join(coordinator, member_id, owned)
    assert joined.error_code == 0, joined
    assert joined.leader == "" and joined.members == () and joined.protocol_name == "range"
    synced = classic_sync(coordinator, member_id, joined.generation_id)
    assert synced.error_code == 0, synced
    return joined.generation_id, parts(synced.assignment)


def test_upgrade_keeps_the_classic_members_and_hands_partitions_over(
    coordinator: GroupCoordinator, timer: ManualTimer
) -> None:
    (a, b), generation = form_classic_group(coordinator, timer)
    joined = consumer_join(coordinator)
    assert joined.error_code == 0
    group = coordinator.consumer.get("g")
    assert group is not None and coordinator.groups.get("g") is None
    assert group.members[a].member_epoch == generation and group.members[a].assigned == {FOO: frozenset({0, 1})}
    assert group.members[a].classic is not None and group.members[a].classic.session_timeout_ms == SESSION_MS
    # The new member waits: every partition is still held by a classic member.
    assert joined.assignment == {}
    assert coordinator.offsets.group_metadata("g") is None  # the classic record is tombstoned
    stored = coordinator.offsets.consumer_group_records("g")[ConsumerGroupKey(MEMBER_METADATA, "g", a)]
    assert isinstance(stored, MemberMetadataValue) and stored.classic_member_metadata is not None

    # The classic members learn of the rebalance on their heartbeat and rejoin; an eager
    # member rejoins owning nothing and gets its share of the new target.
    assert coordinator.heartbeat("g", a, None, generation) == ErrorCode.REBALANCE_IN_PROGRESS
    assert coordinator.heartbeat("g", a, None, generation + 5) == ErrorCode.ILLEGAL_GENERATION
    gen_a, parts_a = classic_rejoin(coordinator, a, frozenset())
    gen_b, parts_b = classic_rejoin(coordinator, b, frozenset())
    assert gen_a == gen_b == group.group_epoch > generation
    assert coordinator.heartbeat("g", a, None, gen_a) == 0
    step = consumer_heartbeat(coordinator, "new", joined.member_epoch, frozenset())
    assert step.error_code == 0 and step.assignment is not None
    parts_new = step.assignment.get(FOO, frozenset())
    assert parts_a | parts_b | parts_new == ALL
    assert len(parts_a) + len(parts_b) + len(parts_new) == 4 and min(map(len, (parts_a, parts_b, parts_new))) >= 1
    assert coordinator.consumer.get("g").state.value == "Stable"  # type: ignore[union-attr]


def test_cooperative_classic_member_revokes_before_the_partitions_move(
    coordinator: GroupCoordinator, timer: ManualTimer
) -> None:
    (a, b), generation = form_classic_group(coordinator, timer)
    joined = consumer_join(coordinator)
    # A cooperative member rejoins listing what it owns: it must give up some first.
    first = classic_join(coordinator, a, frozenset({0, 1}))
    group = coordinator.consumer.get("g")
    assert group is not None
    member = group.members[a]
    assert member.pending_revocation or group.target[a].get(FOO) == {0, 1}
    if member.pending_revocation:
        assert first.generation_id == generation  # the epoch waits for the revocation
        kept = parts(classic_sync(coordinator, a, generation).assignment)
        assert kept < {0, 1}
        assert coordinator.heartbeat("g", a, None, generation) == ErrorCode.REBALANCE_IN_PROGRESS
        # Revoked partitions are not handed to the new member yet.
        step = consumer_heartbeat(coordinator, "new", joined.member_epoch, frozenset())
        assert not (step.assignment or {}).get(FOO, frozenset()) & {0, 1}
        again = classic_join(coordinator, a, kept)
        assert again.generation_id == group.group_epoch
    classic_rejoin(coordinator, b, frozenset({2, 3}))
    classic_rejoin(coordinator, b, parts(classic_sync(coordinator, b, group.members[b].member_epoch).assignment))
    owners: dict[int, str] = {}
    for member_id, m in group.members.items():
        for p in m.assigned.get(FOO, ()):
            assert p not in owners, "two owners"
            owners[p] = member_id


@pytest.mark.parametrize("policy,upgrades", [("bidirectional", True), ("upgrade", True), ("downgrade", False), ("disabled", False)])
def test_the_policy_decides_the_upgrade(logs: LogManager, timer: ManualTimer, policy: str, upgrades: bool) -> None:
    coordinator = make(logs, timer, policy)
    try:
        form_classic_group(coordinator, timer)
        answer = consumer_join(coordinator)
        assert (answer.error_code == 0) is upgrades
        if not upgrades:
            assert answer.error_code == ErrorCode.GROUP_ID_NOT_FOUND
            assert coordinator.groups.get("g") is not None
    finally:
        coordinator.close()


@pytest.mark.parametrize("policy,downgrades", [("bidirectional", True), ("downgrade", True), ("upgrade", False), ("disabled", False)])
def test_the_last_consumer_member_leaving_downgrades(
    logs: LogManager, timer: ManualTimer, policy: str, downgrades: bool
) -> None:
    coordinator = make(logs, timer, policy)
    try:
        consumer_join(coordinator)
        # A classic member joins the consumer group that has a member.
        first = classic_join(coordinator)
        assert first.error_code == ErrorCode.MEMBER_ID_REQUIRED and first.member_id
        joined = classic_join(coordinator, first.member_id)
        assert joined.error_code == 0 and joined.protocol_type == "consumer"
        group = coordinator.consumer.get("g")
        assert group is not None
        epoch = group.group_epoch
        left = coordinator.consumer_group_heartbeat(ConsumerHeartbeat(group_id="g", member_id="new", member_epoch=-1))
        assert left.error_code == 0
        if not downgrades:
            assert coordinator.consumer.get("g") is not None and coordinator.groups.get("g") is None
            return
        classic = coordinator.groups.get("g")
        assert classic is not None and coordinator.consumer.get("g") is None
        assert classic.state is GroupState.PREPARING_REBALANCE and classic.generation_id == epoch
        assert list(classic.members) == [first.member_id] and classic.protocol_name == "range"
        stored = coordinator.offsets.group_metadata("g")
        assert stored is not None and stored.generation == epoch
        assert coordinator.offsets.consumer_group_records("g") == {}
        # The member rejoins the classic group and leads its next generation.
        harness = Harness(timer=timer, manager=coordinator.groups)
        assert harness.heartbeat(first.member_id, joined.generation_id) in (
            ErrorCode.REBALANCE_IN_PROGRESS, ErrorCode.ILLEGAL_GENERATION
        )
        box = harness.join(first.member_id, protocols=protocols())
        assert box and box[0].error_code == 0 and box[0].leader == first.member_id
        assert box[0].generation_id == epoch + 1
        # A member of the consumer protocol may come back if the policy upgrades too.
        again = consumer_join(coordinator, "again").error_code
        assert again == (0 if policy == "bidirectional" else ErrorCode.GROUP_ID_NOT_FOUND)
    finally:
        coordinator.close()


def test_classic_timeouts_fence_the_member(coordinator: GroupCoordinator, timer: ManualTimer) -> None:
    (a, b), generation = form_classic_group(coordinator, timer)
    consumer_join(coordinator)
    group = coordinator.consumer.get("g")
    assert group is not None
    # a rejoins at once; b is told to rejoin and never does: its rebalance timeout fences it.
    assert coordinator.heartbeat("g", b, None, generation) == ErrorCode.REBALANCE_IN_PROGRESS
    gen_a, _ = classic_rejoin(coordinator, a, frozenset())
    for _ in range(REBALANCE_MS // SESSION_MS):
        timer.advance(SESSION_MS - 1)
        coordinator.heartbeat("g", a, None, gen_a)
        coordinator.consumer_group_heartbeat(ConsumerHeartbeat(group_id="g", member_id="new", member_epoch=group.members["new"].member_epoch))
    timer.advance(REBALANCE_MS - 3 * (SESSION_MS - 1))
    assert b not in group.members
    assert a in group.members
    # a's own session (its classic session timeout) ends it once it stops heartbeating.
    timer.advance(SESSION_MS + 1)
    assert a not in group.members


def test_commits_and_leave_of_classic_members(coordinator: GroupCoordinator, timer: ManualTimer) -> None:
    (a, b), generation = form_classic_group(coordinator, timer)
    consumer_join(coordinator)
    commit = lambda member, gen: coordinator.commit_offsets(  # noqa: E731
        "g", gen, member, None, [CommitEntry("foo", 0, 7)])[TopicPartition("foo", 0)]
    assert commit(a, generation) == 0
    assert commit(a, generation + 1) == ErrorCode.ILLEGAL_GENERATION
    assert commit("stranger", generation) == ErrorCode.UNKNOWN_MEMBER_ID
    group = coordinator.consumer.get("g")
    assert group is not None
    epoch = group.group_epoch
    result = coordinator.leave_group("g", [LeaveMember(a), LeaveMember("ghost")])
    assert [r.error_code for r in result.members] == [0, ErrorCode.UNKNOWN_MEMBER_ID]
    assert a not in group.members and group.group_epoch == epoch + 1
    # The session timeout is checked as for any JoinGroup.
    too_short = JoinRequest(
        group_id="g", protocol_type="consumer", protocols=protocols(), session_timeout_ms=1,
        rebalance_timeout_ms=REBALANCE_MS,
    )
    assert asyncio.run(coordinator.join_group(too_short)).error_code == ErrorCode.INVALID_SESSION_TIMEOUT
    # A static classic member that comes back with a new member id replaces its predecessor.
    first = classic_join(coordinator, instance="i-1")
    assert first.error_code == 0
    second = classic_join(coordinator, instance="i-1")
    assert second.error_code == 0 and second.member_id != first.member_id
    assert first.member_id not in group.members and group.static_member("i-1").member_id == second.member_id  # type: ignore[union-attr]
    assert coordinator.heartbeat("g", first.member_id, "i-1", first.generation_id) == ErrorCode.FENCED_INSTANCE_ID
    # A LeaveGroup (an admin's) that removes the last member of the consumer protocol
    # leaves classic members alone: the group turns classic and rebalances.
    result = coordinator.leave_group("g", [LeaveMember("new")])
    assert [r.error_code for r in result.members] == [0]
    classic = coordinator.groups.get("g")
    assert classic is not None and coordinator.consumer.get("g") is None
    assert set(classic.members) == {b, second.member_id} and classic.state is GroupState.PREPARING_REBALANCE


def test_no_upgrade_while_a_custom_assignor_is_in_use(coordinator: GroupCoordinator, timer: ManualTimer) -> None:
    harness = Harness(timer=timer, manager=coordinator.groups)
    member_id, box = harness.join_new(protocols=protocols())
    timer.advance(0)
    generation = box[0].generation_id
    with_user_data = ConsumerProtocolAssignment(
        assigned_partitions=[AssignedTopicPartitions(topic="foo", partitions=[0, 1, 2, 3])], user_data=b"custom"
    )
    blob = (0).to_bytes(2, "big") + encode_bytes(CONSUMER_PROTOCOL_ASSIGNMENT_SPEC, with_user_data, 0)
    assert harness.sync(member_id, generation, {member_id: blob})[0].error_code == 0
    assert consumer_join(coordinator).error_code == ErrorCode.GROUP_ID_NOT_FOUND
    assert coordinator.groups.get("g") is not None and coordinator.consumer.get("g") is None


def test_a_restart_keeps_a_mixed_group(logs: LogManager, timer: ManualTimer) -> None:
    first = make(logs, timer)
    (a, b), _ = form_classic_group(first, timer)
    consumer_join(first)
    before = first.consumer.get("g")
    assert before is not None
    members = dict(before.members)
    first.close()
    second = make(logs, ManualTimer())
    try:
        after = second.consumer.get("g")
        assert after is not None and second.groups.get("g") is None
        assert after.members == members
        assert after.members[a].classic == members[a].classic and after.members["new"].classic is None
        assert second.heartbeat("g", a, None, members[a].member_epoch) == ErrorCode.REBALANCE_IN_PROGRESS
    finally:
        second.close()


def test_classic_member_metadata_golden_bytes() -> None:
    value = MemberMetadataValue(
        client_id="c", client_host="h", subscribed_topic_names=("t",), rebalance_timeout_ms=5,
        classic_member_metadata=ClassicMemberMetadataValue(6, (("range", b"\x00\x01"),)),
    )
    tag = (
        b"\x01" + (6).to_bytes(4, "big")  # present; sessionTimeoutMs
        + b"\x02" + b"\x06range" + b"\x03\x00\x01" + b"\x00"  # one protocol: name, metadata, no tags
        + b"\x00"  # the struct's tagged fields
    )
    expected = (
        b"\x00\x00"  # version 0
        + b"\x00\x00"  # instanceId, rackId: null
        + b"\x02c\x02h"  # clientId, clientHost
        + b"\x02\x02t"  # subscribedTopicNames
        + b"\x00"  # subscribedTopicRegex: null
        + (5).to_bytes(4, "big")
        + b"\x00"  # serverAssignor: null
        + b"\x01\x00" + bytes([len(tag)]) + tag  # one tagged field: tag 0
    )
    encoded = encode_consumer_value(value)
    assert encoded == expected
    assert decode_consumer_value(ConsumerGroupKey(MEMBER_METADATA, "g", "m"), encoded) == value
    plain = MemberMetadataValue(client_id="c", client_host="h")
    assert encode_consumer_value(plain).endswith(b"\x00\x00")  # no tagged fields
    assert decode_consumer_value(ConsumerGroupKey(MEMBER_METADATA, "g", "m"), encode_consumer_value(plain)) == plain


@pytest.mark.parametrize("policy,downgrades", [("bidirectional", True), ("upgrade", False)])
def test_a_classic_static_member_replacing_the_last_consumer_member_downgrades(
    logs: LogManager, timer: ManualTimer, policy: str, downgrades: bool
) -> None:
    coordinator = make(logs, timer, policy)
    try:
        static = coordinator.consumer_group_heartbeat(ConsumerHeartbeat(
            group_id="g", member_id="modern", member_epoch=0, instance_id="i-1",
            rebalance_timeout_ms=REBALANCE_MS, subscribed_topic_names=["foo"], owned={},
        ))
        assert static.error_code == 0
        first = classic_join(coordinator)
        other = classic_join(coordinator, first.member_id)
        assert other.error_code == 0
        group = coordinator.consumer.get("g")
        assert group is not None
        held = dict(group.target["modern"])
        # The static instance restarts with the classic protocol.
        replacing = classic_join(coordinator, instance="i-1")
        assert replacing.error_code == 0 and replacing.member_id != "modern"
        if not downgrades:
            assert coordinator.consumer.get("g") is group and "modern" not in group.members
            return
        classic = coordinator.groups.get("g")
        assert classic is not None and coordinator.consumer.get("g") is None
        assert classic.state is GroupState.STABLE and classic.generation_id == replacing.generation_id
        assert set(classic.members) == {first.member_id, replacing.member_id}
        box = Harness(timer=timer, manager=coordinator.groups).sync(
            replacing.member_id, replacing.generation_id, instance="i-1")
        assert box and box[0].error_code == 0
        assert parts(box[0].assignment) == held.get(FOO, frozenset())
    finally:
        coordinator.close()


def mixed_group_with_a_static_consumer_member(coordinator: GroupCoordinator) -> tuple[str, ConsumerGroup]:
    """A consumer member with instance id i-1 and a dynamic classic member, both on foo."""
    static = coordinator.consumer_group_heartbeat(ConsumerHeartbeat(
        group_id="g", member_id="modern", member_epoch=0, instance_id="i-1",
        rebalance_timeout_ms=REBALANCE_MS, subscribed_topic_names=["foo"], owned={},
    ))
    assert static.error_code == 0
    first = classic_join(coordinator)
    assert classic_join(coordinator, first.member_id).error_code == 0
    group = coordinator.consumer.get("g")
    assert group is not None
    return first.member_id, group


def test_a_replacing_static_member_with_another_subscription_downgrades_into_a_rebalance(
    coordinator: GroupCoordinator, timer: ManualTimer
) -> None:
    # KAFKA-19546 (Kafka 4.0.2, 4.1.1, 4.2): the downgrade starts a rebalance, at the group
    # epoch from before the join, and the joining member is answered at epoch 0.
    first, group = mixed_group_with_a_static_consumer_member(coordinator)
    epoch = group.group_epoch
    wider = subscription(topics=("bar", "foo"))
    replacing = classic_join(coordinator, instance="i-1", offered=(Protocol("range", wider),))
    assert (replacing.error_code, replacing.generation_id, replacing.protocol_name) == (0, 0, "range")
    classic = coordinator.groups.get("g")
    assert classic is not None and coordinator.consumer.get("g") is None
    assert classic.state is GroupState.PREPARING_REBALANCE and classic.generation_id == epoch
    assert set(classic.members) == {first, replacing.member_id}
    assert classic.members[replacing.member_id].metadata("range") == wider
    harness = Harness(timer=timer, manager=coordinator.groups)
    assert harness.heartbeat(first, epoch) == ErrorCode.REBALANCE_IN_PROGRESS
    # Both members rejoin; the rebalance completes at the next generation with the new
    # subscription in the leader's member list.
    rejoined = harness.join(replacing.member_id, instance="i-1", protocols=(Protocol("range", wider),))
    assert rejoined == []
    other = harness.join(first, protocols=protocols())
    assert len(rejoined) == 1 and len(other) == 1
    assert rejoined[0].generation_id == other[0].generation_id == epoch + 1
    leader = next(r for r in (rejoined[0], other[0]) if r.members)
    assert dict((m.member_id, m.metadata) for m in leader.members)[replacing.member_id] == wider


def test_a_malformed_subscription_in_a_mixed_group_is_an_unknown_server_error(
    coordinator: GroupCoordinator,
) -> None:
    # Kafka's deserializeSubscription throws IllegalStateException: UNKNOWN_SERVER_ERROR,
    # and the group is left as it was, for a new member as for a replacing static one.
    first, group = mixed_group_with_a_static_consumer_member(coordinator)
    epoch, members = group.group_epoch, dict(group.members)
    for blob in (b"", b"\x00", b"\xff\xff", b"\x00\x01\x00\x00\x00\x05fo"):
        for instance in (None, "i-1"):
            answer = classic_join(coordinator, "" if instance else "known-id", instance=instance,
                                  offered=(Protocol("range", blob),))
            assert answer.error_code == ErrorCode.UNKNOWN_SERVER_ERROR, (blob, instance)
    assert coordinator.consumer.get("g") is group
    assert group.group_epoch == epoch and group.members == members


def test_upgrade_answers_requests_parked_in_a_rebalance(coordinator: GroupCoordinator, timer: ManualTimer) -> None:
    (a, b), generation = form_classic_group(coordinator, timer)
    harness = Harness(timer=timer, manager=coordinator.groups)
    parked = harness.join(a, protocols=protocols())  # a rejoins: the group waits for b
    assert parked == [] and harness.state() is GroupState.PREPARING_REBALANCE
    assert consumer_join(coordinator).error_code == 0
    assert [r.error_code for r in parked] == [ErrorCode.REBALANCE_IN_PROGRESS]
    group = coordinator.consumer.get("g")
    assert group is not None and set(group.members) == {a, b, "new"}
    # Both classic members keep what the last generation gave them until they rejoin.
    assert group.members[b].assigned == {FOO: frozenset({2, 3})} and group.members[b].member_epoch == generation
