"""Group API requests for tests: one blocking helper per API, over ``kafka_wire.call``.

Each helper builds the request for the version asked, setting version-gated fields only
where the version has them, and returns the answer in a shape tests can compare.
"""

from __future__ import annotations

import struct
import time
from collections.abc import Iterable, Mapping
from typing import Any

from kafkalite.protocol.codec import encode_bytes
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.consumer_protocol import (
    CONSUMER_PROTOCOL_SUBSCRIPTION_SPEC,
    ConsumerProtocolSubscription,
    OwnedTopicPartitions,
)
from kafkalite.protocol.messages.describe_groups import DescribeGroupsRequest
from kafkalite.protocol.messages.heartbeat import HeartbeatRequest
from kafkalite.protocol.messages.join_group import JoinGroupRequest, JoinGroupRequestProtocol
from kafkalite.protocol.messages.leave_group import LeaveGroupRequest, MemberIdentity
from kafkalite.protocol.messages.metadata import MetadataRequest, MetadataRequestTopic
from kafkalite.protocol.messages.offset_commit import (
    OffsetCommitRequest,
    OffsetCommitRequestPartition,
    OffsetCommitRequestTopic,
)
from kafkalite.protocol.messages.offset_fetch import (
    OffsetFetchRequest,
    OffsetFetchRequestGroup,
    OffsetFetchRequestGroupTopic,
    OffsetFetchRequestTopic,
)
from kafkalite.protocol.messages.sync_group import SyncGroupRequest, SyncGroupRequestAssignment
from tests.unit.server.kafka_wire import call

E = ErrorCode
SESSION_MS = 10_000
Address = tuple[str, int]
TP = tuple[str, int]



def subscription(topics: Iterable[str], version: int = 0) -> bytes:
    body = ConsumerProtocolSubscription(topics=list(topics))
    if version >= 1:
        body.owned_partitions = [OwnedTopicPartitions(topic="owned", partitions=[0])]
    if version >= 2:
        body.generation_id = 3
    if version >= 3:
        body.rack_id = "rack-a"
    return struct.pack(">h", version) + encode_bytes(CONSUMER_PROTOCOL_SUBSCRIPTION_SPEC, body, version)


def create_topic(address: Address, name: str) -> None:
    response = call(address, ApiKey.METADATA, 4, MetadataRequest(topics=[MetadataRequestTopic(name=name)]))
    assert response.topics[0].error_code == E.NONE


def join_request(version: int, group: str, member_id: str = "", *, instance_id: str | None = None,
                 topics: Iterable[str] = ("t",), session_ms: int = SESSION_MS) -> JoinGroupRequest:
    return JoinGroupRequest(
        group_id=group,
        session_timeout_ms=session_ms,
        rebalance_timeout_ms=SESSION_MS if version >= 1 else -1,
        member_id=member_id,
        group_instance_id=instance_id,
        protocol_type="consumer",
        protocols=[JoinGroupRequestProtocol(name="range", metadata=subscription(topics))],
        reason="test" if version >= 8 else None,
    )


def join(address: Address, version: int, group: str, member_id: str = "", **kwargs: Any) -> Any:
    """JoinGroup; a MEMBER_ID_REQUIRED answer (v4+) is followed by a join with that id."""
    response = call(address, ApiKey.JOIN_GROUP, version, join_request(version, group, member_id, **kwargs))
    if response.error_code == E.MEMBER_ID_REQUIRED:
        assert version >= 4 and member_id == ""
        response = call(address, ApiKey.JOIN_GROUP, version,
                        join_request(version, group, response.member_id, **kwargs))
    return response


def sync(address: Address, version: int, group: str, generation: int, member_id: str,
         assignments: Mapping[str, bytes] | None = None, *, protocol_name: str | None = "range",
         instance_id: str | None = None) -> Any:
    request = SyncGroupRequest(
        group_id=group,
        generation_id=generation,
        member_id=member_id,
        group_instance_id=instance_id,
        assignments=[SyncGroupRequestAssignment(member_id=m, assignment=a) for m, a in (assignments or {}).items()],
    )
    if version >= 5:
        request.protocol_type, request.protocol_name = "consumer", protocol_name
    return call(address, ApiKey.SYNC_GROUP, version, request)


def heartbeat(address: Address, version: int, group: str, generation: int, member_id: str) -> int:
    request = HeartbeatRequest(group_id=group, generation_id=generation, member_id=member_id)
    error: int = call(address, ApiKey.HEARTBEAT, version, request).error_code
    return error


def commit(address: Address, version: int, group: str, generation: int, member_id: str,
           offsets: Mapping[TP, int], *, metadata: str | None = "meta", epoch: int = 7) -> dict[TP, int]:
    topics: dict[str, OffsetCommitRequestTopic] = {}
    for (topic, partition), offset in offsets.items():
        topics.setdefault(topic, OffsetCommitRequestTopic(name=topic)).partitions.append(
            OffsetCommitRequestPartition(partition_index=partition, committed_offset=offset,
                                         committed_leader_epoch=epoch if version >= 6 else -1,
                                         committed_metadata=metadata))
    request = OffsetCommitRequest(group_id=group, generation_id_or_member_epoch=generation,
                                  member_id=member_id, topics=list(topics.values()))
    response = call(address, ApiKey.OFFSET_COMMIT, version, request)
    return {(t.name, p.partition_index): p.error_code for t in response.topics for p in t.partitions}


def fetch(address: Address, version: int, group: str,
          partitions: Iterable[TP] | None) -> tuple[int, dict[TP, tuple[int, int, str | None, int]]]:
    """OffsetFetch of one group: (group error, {tp: (offset, leader epoch, metadata, error)})."""
    by_topic: dict[str, list[int]] = {}
    for topic, partition in partitions or ():
        by_topic.setdefault(topic, []).append(partition)
    if version >= 8:
        topics = None if partitions is None else [
            OffsetFetchRequestGroupTopic(name=t, partition_indexes=p) for t, p in by_topic.items()]
        request = OffsetFetchRequest(groups=[OffsetFetchRequestGroup(group_id=group, topics=topics)])
        response = call(address, ApiKey.OFFSET_FETCH, version, request)
        assert [g.group_id for g in response.groups] == [group]
        error, topic_list = response.groups[0].error_code, response.groups[0].topics
    else:
        request = OffsetFetchRequest(group_id=group, topics=None if partitions is None else [
            OffsetFetchRequestTopic(name=t, partition_indexes=p) for t, p in by_topic.items()])
        response = call(address, ApiKey.OFFSET_FETCH, version, request)
        error, topic_list = response.error_code, response.topics
    return error, {
        (t.name, p.partition_index): (p.committed_offset, p.committed_leader_epoch, p.metadata, p.error_code)
        for t in topic_list for p in t.partitions
    }


def leave(address: Address, version: int, group: str, member_id: str) -> int:
    if version >= 3:
        request = LeaveGroupRequest(group_id=group, members=[
            MemberIdentity(member_id=member_id, reason="done" if version >= 5 else None)])
    else:
        request = LeaveGroupRequest(group_id=group, member_id=member_id)
    error: int = call(address, ApiKey.LEAVE_GROUP, version, request).error_code
    return error


def describe(address: Address, version: int, *groups: str, operations: bool = False) -> list[Any]:
    request = DescribeGroupsRequest(groups=list(groups), include_authorized_operations=operations and version >= 3)
    described: list[Any] = call(address, ApiKey.DESCRIBE_GROUPS, version, request).groups
    return described


def wait_for(predicate: Any, what: str, attempts: int = 200) -> None:
    for _ in range(attempts):
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def stable_member(address: Address, group: str, version: int = 5, **kwargs: Any) -> Any:
    """A one-member group, Stable after the leader's SyncGroup."""
    joined = join(address, version, group, **kwargs)
    assert joined.error_code == E.NONE
    synced = sync(address, min(version, 5), group, joined.generation_id, joined.member_id,
                  {joined.member_id: b"assigned"}, instance_id=kwargs.get("instance_id"))
    assert synced.error_code == E.NONE
    return joined
