"""The consumer-group handlers over real sockets: FindCoordinator through OffsetDelete.

Every served version of each API is exercised at least once. JoinGroup and SyncGroup
park until the group can answer, so requests that must wait run in a worker thread and
are collected with bounded timeouts.
"""

from __future__ import annotations

import socket
import struct
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

import pytest

from kafkalite.handlers.describe_groups import GROUP_OPERATIONS
from kafkalite.protocol.consumer_protocol import subscribed_topics
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.delete_groups import DeleteGroupsRequest
from kafkalite.protocol.messages.find_coordinator import FindCoordinatorRequest
from kafkalite.protocol.messages.heartbeat import HeartbeatRequest
from kafkalite.protocol.messages.leave_group import LeaveGroupRequest, MemberIdentity
from kafkalite.protocol.messages.list_groups import ListGroupsRequest
from kafkalite.protocol.messages.offset_delete import (
    OffsetDeleteRequest,
    OffsetDeleteRequestPartition,
    OffsetDeleteRequestTopic,
)
from kafkalite.protocol.messages.offset_fetch import (
    OffsetFetchRequest,
    OffsetFetchRequestGroup,
    OffsetFetchRequestGroupTopic,
)
from kafkalite.protocol.messages.sync_group import SyncGroupRequest
from tests.unit.handlers.group_wire import (
    E,
    commit,
    create_topic,
    describe,
    fetch,
    heartbeat,
    join,
    join_request,
    leave,
    stable_member,
    subscription,
    sync,
    wait_for,
)
from tests.unit.server.kafka_wire import call, read_response, request_frame

INT32_MIN = -(2**31)


# --- FindCoordinator ----------------------------------------------------------------


@pytest.mark.parametrize("version", range(0, 4))
def test_find_coordinator_single_key(broker_thread, version: int) -> None:
    address = broker_thread.address
    node_id = broker_thread.broker.cluster.node_id
    response = call(address, ApiKey.FIND_COORDINATOR, version, FindCoordinatorRequest(key="g"))
    assert (response.error_code, response.node_id, response.host, response.port) == (E.NONE, node_id, *address)
    assert response.error_message is None
    if version >= 1:
        txn = call(address, ApiKey.FIND_COORDINATOR, version, FindCoordinatorRequest(key="tx", key_type=1))
        assert (txn.error_code, txn.node_id, txn.host, txn.port) == (E.NONE, node_id, *address)
        bad = call(address, ApiKey.FIND_COORDINATOR, version, FindCoordinatorRequest(key="x", key_type=9))
        assert bad.error_code == E.INVALID_REQUEST


def test_find_coordinator_v4_batches_keys(broker_thread) -> None:
    address = broker_thread.address
    node_id = broker_thread.broker.cluster.node_id
    groups = call(address, ApiKey.FIND_COORDINATOR, 4, FindCoordinatorRequest(coordinator_keys=["a", "b", ""]))
    assert [(c.key, c.error_code, c.node_id, c.host, c.port, c.error_message) for c in groups.coordinators] == [
        (key, E.NONE, node_id, *address, None) for key in ("a", "b", "")
    ]
    txns = call(address, ApiKey.FIND_COORDINATOR, 4, FindCoordinatorRequest(key_type=1, coordinator_keys=["t1", "t2"]))
    assert [(c.key, c.error_code, c.node_id, c.port, c.error_message) for c in txns.coordinators] == [
        ("t1", E.NONE, node_id, address[1], None), ("t2", E.NONE, node_id, address[1], None)]


# --- one member, join to leave, every version -----------------------------------------


@pytest.mark.parametrize("step", range(10), ids=lambda i: f"join-v{i}")
def test_single_member_cycle(broker_thread, step: int) -> None:
    join_v, sync_v, heartbeat_v, leave_v = step, step % 6, step % 5, (step + 3) % 6
    commit_v, fetch_v = 2 + step % 8, 1 + step % 9
    address = broker_thread.address
    create_topic(address, "t")
    group = f"cycle-{step}"

    joined = join(address, join_v, group)
    member = joined.member_id
    assert joined.error_code == E.NONE
    assert (joined.generation_id, joined.leader) == (1, member)
    assert member.startswith("test-")  # client id + "-" + uuid
    assert [(m.member_id, m.metadata) for m in joined.members] == [(member, subscription(["t"]))]
    assert joined.protocol_name == "range"
    assert joined.protocol_type == ("consumer" if join_v >= 7 else None)
    assert joined.skip_assignment is False

    # CompletingRebalance: heartbeats are fine, commits must wait for the assignment.
    assert heartbeat(address, heartbeat_v, group, 1, member) == E.NONE
    assert commit(address, commit_v, group, 1, member, {("t", 0): 1}) == {("t", 0): E.REBALANCE_IN_PROGRESS}

    synced = sync(address, sync_v, group, 1, member, {member: b"my-assignment"})
    assert (synced.error_code, synced.assignment) == (E.NONE, b"my-assignment")
    if sync_v >= 5:
        assert (synced.protocol_type, synced.protocol_name) == ("consumer", "range")
    else:
        assert (synced.protocol_type, synced.protocol_name) == (None, None)

    assert heartbeat(address, heartbeat_v, group, 1, member) == E.NONE
    assert commit(address, commit_v, group, 1, member, {("t", 0): 42}) == {("t", 0): E.NONE}
    error, offsets = fetch(address, fetch_v, group, [("t", 0)])
    epoch = 7 if commit_v >= 6 and fetch_v >= 5 else -1
    assert (error, offsets) == (E.NONE, {("t", 0): (42, epoch, "meta", E.NONE)})

    [described] = describe(address, sync_v, group)
    assert (described.error_code, described.group_state, described.protocol_type, described.protocol_data) == (
        E.NONE, "Stable", "consumer", "range")
    assert [(m.member_id, m.client_id, m.client_host, m.member_assignment) for m in described.members] == [
        (member, "test", "/127.0.0.1", b"my-assignment")]

    assert leave(address, leave_v, group, member) == E.NONE
    assert describe(address, 0, group)[0].group_state == "Empty"
    assert heartbeat(address, heartbeat_v, group, 1, member) == E.UNKNOWN_MEMBER_ID
    # The offsets outlive the membership.
    assert fetch(address, fetch_v, group, None if fetch_v >= 2 else [("t", 0)])[1][("t", 0)][0] == 42


def test_member_id_required_from_v4_only(broker_thread) -> None:
    address = broker_thread.address
    for version in range(4, 10):
        first = call(address, ApiKey.JOIN_GROUP, version, join_request(version, f"kip394-{version}"))
        assert first.error_code == E.MEMBER_ID_REQUIRED
        assert first.member_id.startswith("test-") and first.generation_id == -1
        second = call(address, ApiKey.JOIN_GROUP, version, join_request(version, f"kip394-{version}", first.member_id))
        assert (second.error_code, second.member_id, second.generation_id) == (E.NONE, first.member_id, 1)
    for version in range(0, 4):
        direct = call(address, ApiKey.JOIN_GROUP, version, join_request(version, f"old-{version}"))
        assert (direct.error_code, direct.generation_id) == (E.NONE, 1)
    # A static member (v5+) is admitted at once.
    static = call(address, ApiKey.JOIN_GROUP, 5, join_request(5, "static", instance_id="host-1"))
    assert static.error_code == E.NONE
    assert [(m.member_id, m.group_instance_id) for m in static.members] == [(static.member_id, "host-1")]


def test_join_errors(broker_thread) -> None:
    address = broker_thread.address
    assert join(address, 5, "").error_code == E.INVALID_GROUP_ID
    assert join(address, 5, "g", session_ms=100).error_code == E.INVALID_SESSION_TIMEOUT
    assert join(address, 5, "g", member_id="stranger").error_code == E.UNKNOWN_MEMBER_ID
    # v7+ answers a null protocol name when none was chosen; older versions "".
    failed = join(address, 7, "", member_id="m")
    assert (failed.protocol_type, failed.protocol_name) == (None, None)
    assert join(address, 6, "", member_id="m").protocol_name == ""


# --- two members ------------------------------------------------------------------------


def test_two_members_rebalance(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "t")
    leader = stable_member(address, "pair")
    a = leader.member_id
    with ThreadPoolExecutor(max_workers=2) as pool:
        second = pool.submit(join, address, 5, "pair")  # parks until the leader rejoins
        wait_for(lambda: heartbeat(address, 3, "pair", 1, a) == E.REBALANCE_IN_PROGRESS, "the rebalance")
        # PreparingRebalance: SyncGroup of the old generation is told to rejoin.
        assert sync(address, 3, "pair", 1, a).error_code == E.REBALANCE_IN_PROGRESS
        # Commits of the current generation are still taken (Kafka's validateOffsetCommit).
        assert commit(address, 8, "pair", 1, a, {("t", 0): 5}) == {("t", 0): E.NONE}
        rejoined = join(address, 5, "pair", member_id=a)
        b_joined = second.result(timeout=10)
    b = b_joined.member_id
    assert rejoined.error_code == b_joined.error_code == E.NONE
    assert rejoined.generation_id == b_joined.generation_id == 2
    assert rejoined.leader == b_joined.leader == a
    assert sorted(m.member_id for m in rejoined.members) == sorted([a, b])
    assert b_joined.members == []  # only the leader learns the members

    assert heartbeat(address, 2, "pair", 1, a) == E.ILLEGAL_GENERATION
    assert commit(address, 5, "pair", 1, a, {("t", 0): 6}) == {("t", 0): E.ILLEGAL_GENERATION}
    assert heartbeat(address, 2, "pair", 2, "nobody") == E.UNKNOWN_MEMBER_ID
    assert commit(address, 5, "pair", 2, "nobody", {("t", 0): 6}) == {("t", 0): E.UNKNOWN_MEMBER_ID}
    assert sync(address, 1, "pair", 1, b).error_code == E.ILLEGAL_GENERATION

    with ThreadPoolExecutor(max_workers=1) as pool:
        follower = pool.submit(sync, address, 4, "pair", 2, b)
        with pytest.raises(FutureTimeout):
            follower.result(timeout=0.2)  # waits for the leader's assignment
        led = sync(address, 4, "pair", 2, a, {a: b"for-a", b: b"for-b"})
        assert (led.error_code, led.assignment) == (E.NONE, b"for-a")
        assert (follower.result(timeout=10).error_code, follower.result().assignment) == (E.NONE, b"for-b")

    assert leave(address, 1, "pair", b) == E.NONE
    assert heartbeat(address, 1, "pair", 2, a) == E.REBALANCE_IN_PROGRESS
    assert describe(address, 1, "pair")[0].group_state == "PreparingRebalance"


def test_parked_join_answers_not_coordinator_at_shutdown(tmp_path: Path) -> None:
    from tests.conftest import BrokerThread

    running = BrokerThread(tmp_path / "data", **{"num.partitions": "1"}).start()
    stopped = False
    try:
        address = running.address
        a = stable_member(address, "closing").member_id
        with ThreadPoolExecutor(max_workers=1) as pool:
            parked = pool.submit(join, address, 5, "closing")
            wait_for(lambda: heartbeat(address, 3, "closing", 1, a) == E.REBALANCE_IN_PROGRESS, "the rebalance")
            started = time.monotonic()
            running.stop()
            stopped = True
            assert parked.result(timeout=10).error_code == E.NOT_COORDINATOR
            assert time.monotonic() - started < 10
    finally:
        if not stopped:
            running.stop()


# --- validation ---------------------------------------------------------------------------


def test_empty_group_id(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "t")
    assert sync(address, 3, "", 1, "m").error_code == E.INVALID_GROUP_ID
    assert heartbeat(address, 0, "", 1, "m") == E.INVALID_GROUP_ID
    assert leave(address, 0, "", "m") == E.INVALID_GROUP_ID
    response = call(address, ApiKey.LEAVE_GROUP, 3, LeaveGroupRequest(group_id="", members=[MemberIdentity(member_id="m")]))
    assert (response.error_code, response.members) == (E.INVALID_GROUP_ID, [])
    deleted = call(address, ApiKey.OFFSET_DELETE, 0, OffsetDeleteRequest(group_id=""))
    assert deleted.error_code == E.INVALID_GROUP_ID
    # Offsets of the empty group id are kept, as Kafka does for backwards compatibility.
    assert commit(address, 2, "", -1, "", {("t", 0): 3}) == {("t", 0): E.NONE}
    assert fetch(address, 1, "", [("t", 0)])[1][("t", 0)][0] == 3


def test_sync_v5_checks_protocol_fields(broker_thread) -> None:
    address = broker_thread.address
    joined = join(address, 7, "proto")
    member = joined.member_id
    missing = call(address, ApiKey.SYNC_GROUP, 5, SyncGroupRequest(group_id="proto", generation_id=1, member_id=member))
    assert missing.error_code == E.INCONSISTENT_GROUP_PROTOCOL
    assert sync(address, 5, "proto", 1, member, protocol_name="roundrobin").error_code == E.INCONSISTENT_GROUP_PROTOCOL
    assert sync(address, 5, "proto", 1, member, {member: b"x"}).assignment == b"x"


def test_leave_group_batched_members(broker_thread) -> None:
    address = broker_thread.address
    a = stable_member(address, "batch").member_id
    static = join(address, 5, "batch-static", instance_id="inst-1")
    request = LeaveGroupRequest(group_id="batch", members=[
        MemberIdentity(member_id=a), MemberIdentity(member_id="ghost", reason="why not")])
    response = call(address, ApiKey.LEAVE_GROUP, 5, request)
    assert response.error_code == E.NONE
    assert [(m.member_id, m.group_instance_id, m.error_code) for m in response.members] == [
        (a, None, E.NONE), ("ghost", None, E.UNKNOWN_MEMBER_ID)]
    # An admin removes a static member by its instance id alone (KIP-345).
    by_instance = call(address, ApiKey.LEAVE_GROUP, 4, LeaveGroupRequest(
        group_id="batch-static", members=[MemberIdentity(group_instance_id="inst-1")]))
    assert [(m.member_id, m.group_instance_id, m.error_code) for m in by_instance.members] == [
        ("", "inst-1", E.NONE)]
    assert describe(address, 4, "batch-static")[0].members == []
    assert static.error_code == E.NONE
    # v0-v2: one member, whose error is the top-level error.
    assert leave(address, 2, "batch", "ghost") == E.UNKNOWN_MEMBER_ID
    assert leave(address, 0, "no-such-group", "ghost") == E.UNKNOWN_MEMBER_ID


# --- offsets ------------------------------------------------------------------------------


def test_offset_commit_unknown_topics_and_generations(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "t")
    results = commit(address, 8, "simple", -1, "", {("t", 0): 10, ("t", 1): 11, ("nope", 0): 12})
    assert results == {("t", 0): E.NONE, ("t", 1): E.UNKNOWN_TOPIC_OR_PARTITION,
                       ("nope", 0): E.UNKNOWN_TOPIC_OR_PARTITION}
    only_unknown = commit(address, 3, "never-created", -1, "", {("nope", 0): 1})
    assert only_unknown == {("nope", 0): E.UNKNOWN_TOPIC_OR_PARTITION}
    assert describe(address, 0, "never-created")[0].group_state == "Dead"
    # A generation for a group that does not exist: v9 says so (KIP-848).
    assert commit(address, 8, "ghost", 3, "m", {("t", 0): 1}) == {("t", 0): E.ILLEGAL_GENERATION}
    assert commit(address, 9, "ghost", 3, "m", {("t", 0): 1}) == {("t", 0): E.GROUP_ID_NOT_FOUND}
    # Metadata past offset.metadata.max.bytes (4096) is refused per partition.
    too_big = commit(address, 7, "simple", -1, "", {("t", 0): 13}, metadata="x" * 5000)
    assert too_big == {("t", 0): E.OFFSET_METADATA_TOO_LARGE}
    # A null metadata is stored as "".
    assert commit(address, 6, "simple", -1, "", {("t", 0): 14}, metadata=None) == {("t", 0): E.NONE}
    assert fetch(address, 6, "simple", [("t", 0)])[1] == {("t", 0): (14, 7, "", E.NONE)}


def test_offset_fetch_all_partitions_and_several_groups(broker_thread) -> None:
    address = broker_thread.address
    for topic in ("a", "b"):
        create_topic(address, topic)
    assert commit(address, 8, "g1", -1, "", {("a", 0): 1, ("b", 0): 2}) == {("a", 0): 0, ("b", 0): 0}
    assert commit(address, 8, "g2", -1, "", {("b", 0): 3}) == {("b", 0): 0}
    for version in range(2, 10):
        error, offsets = fetch(address, version, "g1", None)
        assert error == E.NONE
        assert {tp: o[0] for tp, o in offsets.items()} == {("a", 0): 1, ("b", 0): 2}
    # Unknown partitions and groups answer -1 with no error.
    assert fetch(address, 1, "g1", [("zzz", 4)])[1] == {("zzz", 4): (-1, -1, "", E.NONE)}
    assert fetch(address, 8, "unknown", None) == (E.NONE, {})
    request = OffsetFetchRequest(require_stable=True, groups=[
        OffsetFetchRequestGroup(group_id="g1", topics=[OffsetFetchRequestGroupTopic(name="a", partition_indexes=[0])]),
        OffsetFetchRequestGroup(group_id="g2", member_id="someone", member_epoch=5, topics=None),
        OffsetFetchRequestGroup(group_id="nobody", topics=[
            OffsetFetchRequestGroupTopic(name="b", partition_indexes=[0, 1])]),
    ])
    response = call(address, ApiKey.OFFSET_FETCH, 9, request)
    summary = [(g.group_id, g.error_code, [(t.name, [(p.partition_index, p.committed_offset) for p in t.partitions])
                                           for t in g.topics]) for g in response.groups]
    assert summary == [
        ("g1", 0, [("a", [(0, 1)])]),
        ("g2", 0, [("b", [(0, 3)])]),
        ("nobody", 0, [("b", [(0, -1), (1, -1)])]),
    ]
    stable = call(address, ApiKey.OFFSET_FETCH, 7, OffsetFetchRequest(group_id="g2", topics=None, require_stable=True))
    assert [(t.name, [p.committed_offset for p in t.partitions]) for t in stable.topics] == [("b", [3])]


def test_offset_fetch_v1_rejects_a_null_topic_list(broker_thread) -> None:
    # v1 has no nullable topic list: a null array is a malformed request.
    payload = struct.pack(">hhih", ApiKey.OFFSET_FETCH, 1, 1, 4) + b"test"
    payload += struct.pack(">h", 2) + b"g1" + struct.pack(">i", -1)
    with socket.create_connection(broker_thread.address, timeout=10) as sock:
        sock.sendall(struct.pack(">i", len(payload)) + payload)
        assert sock.recv(1) == b""


def test_offset_delete(broker_thread) -> None:
    address = broker_thread.address
    for topic in ("sub", "other"):
        create_topic(address, topic)
    member = stable_member(address, "od", topics=["sub"]).member_id
    assert commit(address, 8, "od", 1, member, {("sub", 0): 5, ("other", 0): 6}) == {
        ("sub", 0): E.NONE, ("other", 0): E.NONE}
    request = OffsetDeleteRequest(group_id="od", topics=[
        OffsetDeleteRequestTopic(name="sub", partitions=[OffsetDeleteRequestPartition(partition_index=0)]),
        OffsetDeleteRequestTopic(name="other", partitions=[OffsetDeleteRequestPartition(partition_index=0),
                                                           OffsetDeleteRequestPartition(partition_index=3)]),
        OffsetDeleteRequestTopic(name="missing", partitions=[OffsetDeleteRequestPartition(partition_index=0)]),
    ])
    response = call(address, ApiKey.OFFSET_DELETE, 0, request)
    assert response.error_code == E.NONE
    assert [(t.name, [(p.partition_index, p.error_code) for p in t.partitions]) for t in response.topics] == [
        ("sub", [(0, E.GROUP_SUBSCRIBED_TO_TOPIC)]),
        ("other", [(0, E.NONE), (3, E.UNKNOWN_TOPIC_OR_PARTITION)]),
        ("missing", [(0, E.UNKNOWN_TOPIC_OR_PARTITION)]),
    ]
    _, offsets = fetch(address, 8, "od", None)
    assert {tp: o[0] for tp, o in offsets.items()} == {("sub", 0): 5}
    unknown = call(address, ApiKey.OFFSET_DELETE, 0, OffsetDeleteRequest(group_id="nope", topics=request.topics))
    assert (unknown.error_code, unknown.topics) == (E.GROUP_ID_NOT_FOUND, [])


def test_deleted_topic_takes_its_offsets_along(broker_thread) -> None:
    address = broker_thread.address
    for topic in ("keep", "drop"):
        create_topic(address, topic)
    assert commit(address, 8, "both", -1, "", {("keep", 0): 1, ("drop", 0): 2}) == {
        ("keep", 0): E.NONE, ("drop", 0): E.NONE}
    assert commit(address, 8, "drop-only", -1, "", {("drop", 0): 3}) == {("drop", 0): E.NONE}
    broker_thread.call(broker_thread.broker.cluster.groups.on_topic_deleted, "drop")
    assert fetch(address, 8, "both", None)[1] == {("keep", 0): (1, 7, "meta", E.NONE)}
    assert fetch(address, 3, "drop-only", [("drop", 0)])[1] == {("drop", 0): (-1, -1, "", E.NONE)}
    # An Empty group left without offsets is gone.
    listed = call(address, ApiKey.LIST_GROUPS, 0, ListGroupsRequest())
    assert [g.group_id for g in listed.groups] == ["both"]


# --- administration -----------------------------------------------------------------------


def test_list_groups_with_state_filter(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "t")
    stable_member(address, "g-stable")
    assert join(address, 5, "g-completing").error_code == E.NONE
    assert commit(address, 8, "g-empty", -1, "", {("t", 0): 1}) == {("t", 0): E.NONE}
    for version in range(0, 4):
        listed = call(address, ApiKey.LIST_GROUPS, version, ListGroupsRequest())
        assert (listed.error_code, [(g.group_id, g.protocol_type, g.group_state) for g in listed.groups]) == (
            E.NONE, [("g-completing", "consumer", ""), ("g-empty", "", ""), ("g-stable", "consumer", "")])

    def listed_v4(*states: str) -> list[tuple[str, str]]:
        response = call(address, ApiKey.LIST_GROUPS, 4, ListGroupsRequest(states_filter=list(states)))
        return [(g.group_id, g.group_state) for g in response.groups]

    assert listed_v4() == [("g-completing", "CompletingRebalance"), ("g-empty", "Empty"), ("g-stable", "Stable")]
    assert listed_v4("Stable") == [("g-stable", "Stable")]
    assert listed_v4("empty", "STABLE") == [("g-empty", "Empty"), ("g-stable", "Stable")]
    assert listed_v4("Dead") == []

    def listed_v5(*types: str, states: tuple[str, ...] = ()) -> list[tuple[str, str]]:
        response = call(address, ApiKey.LIST_GROUPS, 5,
                        ListGroupsRequest(states_filter=list(states), types_filter=list(types)))
        return [(g.group_id, g.group_type) for g in response.groups]

    every = [("g-completing", "classic"), ("g-empty", "classic"), ("g-stable", "classic")]
    assert listed_v5() == every
    assert listed_v5("Classic", "consumer") == every
    assert listed_v5("consumer") == [] and listed_v5("share", "streams") == []
    assert listed_v5("classic", states=("Stable",)) == [("g-stable", "classic")]


@pytest.mark.parametrize("version", range(0, 7))
def test_describe_groups(broker_thread, version: int) -> None:
    address = broker_thread.address
    static = stable_member(address, "described", instance_id="inst-9")
    described, missing = describe(address, version, "described", "missing", operations=True)
    assert (described.error_code, described.group_id, described.group_state, described.protocol_type,
            described.protocol_data) == (E.NONE, "described", "Stable", "consumer", "range")
    [member] = described.members
    assert (member.member_id, member.client_id, member.client_host) == (static.member_id, "test", "/127.0.0.1")
    assert (member.member_metadata, member.member_assignment) == (subscription(["t"]), b"assigned")
    assert member.group_instance_id == ("inst-9" if version >= 4 else None)
    # Before v6 an unknown group is Dead with no error code; v6 says GROUP_ID_NOT_FOUND.
    if version >= 6:
        assert (missing.error_code, missing.error_message, missing.group_state) == (
            E.GROUP_ID_NOT_FOUND, "Group missing not found.", "Dead"
        )
        assert described.error_message is None
    else:
        assert (missing.error_code, missing.group_state, missing.members) == (E.NONE, "Dead", [])
    assert described.authorized_operations == (GROUP_OPERATIONS if version >= 3 else INT32_MIN)
    assert missing.authorized_operations == INT32_MIN
    if version >= 3:
        [plain] = describe(address, version, "described")
        assert plain.authorized_operations == INT32_MIN


@pytest.mark.parametrize("version", range(0, 3))
def test_delete_groups(broker_thread, version: int) -> None:
    address = broker_thread.address
    create_topic(address, "t")
    stable_member(address, "busy")
    assert commit(address, 8, "idle", -1, "", {("t", 0): 4}) == {("t", 0): E.NONE}
    request = DeleteGroupsRequest(groups_names=["busy", "idle", "ghost", "idle"])
    response = call(address, ApiKey.DELETE_GROUPS, version, request)
    assert [(r.group_id, r.error_code) for r in response.results] == [
        ("busy", E.NON_EMPTY_GROUP), ("idle", E.NONE), ("ghost", E.GROUP_ID_NOT_FOUND)]
    assert fetch(address, 8, "idle", None) == (E.NONE, {})
    assert describe(address, 0, "idle")[0].group_state == "Dead"
    assert describe(address, 0, "busy")[0].group_state == "Stable"


# --- the consumer protocol parser the coordinator uses -------------------------------------


@pytest.mark.parametrize("version", range(0, 4))
def test_subscribed_topics_parses_every_subscription_version(version: int) -> None:
    assert subscribed_topics(subscription(["a", "b"], version)) == {"a", "b"}


def test_subscribed_topics_reads_newer_versions_and_refuses_garbage() -> None:
    newer = struct.pack(">h", 9) + subscription(["x"], 3)[2:] + b"future fields"
    assert subscribed_topics(newer) == {"x"}
    assert subscribed_topics(b"") is None
    assert subscribed_topics(b"\x00") is None
    assert subscribed_topics(b"\xff\xff\x00\x00\x00\x00") is None
    assert subscribed_topics(b"\x00\x00\x00\x00\x00\x05ab") is None  # truncated array


def test_pipelined_heartbeats_keep_order(broker_thread) -> None:
    address = broker_thread.address
    member = stable_member(address, "pipe").member_id
    frames = b"".join(
        request_frame(ApiKey.HEARTBEAT, v % 5, HeartbeatRequest(group_id="pipe", generation_id=1, member_id=member),
                      correlation_id=v)
        for v in range(10))
    with socket.create_connection(address, timeout=10) as sock:
        sock.sendall(frames)
        answers = [read_response(sock, ApiKey.HEARTBEAT, v % 5) for v in range(10)]
    assert [(c, r.error_code) for c, r in answers] == [(v, E.NONE) for v in range(10)]
