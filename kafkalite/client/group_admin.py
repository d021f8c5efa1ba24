"""Consumer groups seen from outside, as Kafka's Admin client sees them: list, describe,
committed offsets, offsets committed on a group's behalf, delete. Used by ``kafkalite
groups``; plain request/response calls, no group membership.

- ``list_groups``: ListGroups on every broker, merged (each broker lists the groups it
  coordinates);
- ``describe_group``: DescribeGroups at the group's coordinator (FindCoordinator);
- ``committed_offsets``: OffsetFetch of every partition the group has committed;
- ``commit_offsets``: OffsetCommit with generation -1 and no member id, which Kafka accepts
  only while the group has no members (Admin ``alterConsumerGroupOffsets``);
- ``delete_groups``: DeleteGroups at each group's coordinator;
- ``log_dir_sizes``: DescribeLogDirs, bytes per partition.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from kafkalite.client.client import KafkaClient, TopicPartition
from kafkalite.client.errors import raise_for_code
from kafkalite.client.group import GroupMember, decode_assignment
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.delete_groups import DeleteGroupsRequest
from kafkalite.protocol.messages.describe_groups import DescribedGroup, DescribeGroupsRequest
from kafkalite.protocol.messages.describe_log_dirs import (
    DescribableLogDirTopic,
    DescribeLogDirsRequest,
)
from kafkalite.protocol.messages.list_groups import ListGroupsRequest
from kafkalite.protocol.messages.offset_fetch import (
    OffsetFetchRequest,
    OffsetFetchRequestGroup,
)

__all__ = [
    "GroupListing",
    "MemberInfo",
    "commit_offsets",
    "committed_offsets",
    "delete_groups",
    "describe_group",
    "list_groups",
    "log_dir_sizes",
]


@dataclass(frozen=True, slots=True)
class GroupListing:
    group_id: str
    protocol_type: str
    state: str


@dataclass(frozen=True, slots=True)
class MemberInfo:
    member_id: str
    client_id: str
    host: str
    assignment: tuple[TopicPartition, ...]


@dataclass(frozen=True, slots=True)
class GroupInfo:
    group_id: str
    state: str
    protocol_type: str
    protocol: str
    members: tuple[MemberInfo, ...]
    coordinator: tuple[int, str, int]
    """(node id, host, port) of the group's coordinator."""


def list_groups(client: KafkaClient, states: Sequence[str] = ()) -> list[GroupListing]:
    cluster = client.metadata([])
    found: dict[str, GroupListing] = {}
    for broker in sorted(cluster.brokers.values(), key=lambda b: b.node_id):
        connection = client.connect(broker.host, broker.port)
        version = connection.version_for(ApiKey.LIST_GROUPS)
        request = ListGroupsRequest(states_filter=list(states) if version >= 4 else [])
        response = client.call(connection, ApiKey.LIST_GROUPS, request, version)
        raise_for_code(response.error_code, None, f"ListGroups at broker {broker.node_id}")
        for group in response.groups:
            listing = GroupListing(group.group_id, group.protocol_type, group.group_state)
            found.setdefault(group.group_id, listing)
    listed = sorted(found.values(), key=lambda g: g.group_id)
    if states:  # brokers below ListGroups v4 cannot filter
        wanted = {state.lower() for state in states}
        listed = [g for g in listed if not g.state or g.state.lower() in wanted]
    return listed


def _coordinator(client: KafkaClient, group_id: str) -> GroupMember:
    member = GroupMember(client, group_id, [])
    member.coordinator()
    return member


def describe_group(client: KafkaClient, group_id: str) -> GroupInfo:
    member = _coordinator(client, group_id)
    connection = member.coordinator()
    version = connection.version_for(ApiKey.DESCRIBE_GROUPS)
    response = client.call(
        connection, ApiKey.DESCRIBE_GROUPS, DescribeGroupsRequest(groups=[group_id]), version
    )
    group: DescribedGroup = response.groups[0]
    if group.error_code not in (ErrorCode.NONE, ErrorCode.GROUP_ID_NOT_FOUND):
        raise_for_code(group.error_code, group.error_message, f"group {group_id}")
    members = []
    for described in group.members:
        assignment: tuple[TopicPartition, ...] = ()
        if group.protocol_type == "consumer" and described.member_assignment:
            assignment = tuple(sorted(decode_assignment(bytes(described.member_assignment))))
        members.append(
            MemberInfo(described.member_id, described.client_id, described.client_host, assignment)
        )
    state = "Dead" if group.error_code == ErrorCode.GROUP_ID_NOT_FOUND else group.group_state
    node = _node_of(client, connection.host, connection.port)
    return GroupInfo(
        group_id, state, group.protocol_type, group.protocol_data, tuple(members),
        (node, connection.host, connection.port),
    )


def _node_of(client: KafkaClient, host: str, port: int) -> int:
    for broker in client.metadata([]).brokers.values():
        if (broker.host, broker.port) == (host, port):
            return broker.node_id
    return -1


def committed_offsets(client: KafkaClient, group_id: str) -> dict[TopicPartition, int]:
    """Every committed offset of ``group_id`` (OffsetFetch with no topic list: all)."""
    member = _coordinator(client, group_id)
    connection = member.coordinator()
    version = connection.version_for(ApiKey.OFFSET_FETCH, minimum=2, maximum=9)  # v10: topic ids
    if version >= 8:
        request = OffsetFetchRequest(groups=[OffsetFetchRequestGroup(group_id=group_id, topics=None)])
    else:
        request = OffsetFetchRequest(group_id=group_id, topics=None)
    response = client.call(connection, ApiKey.OFFSET_FETCH, request, version)
    if version >= 8:
        entry = response.groups[0]
        raise_for_code(entry.error_code, None, f"OffsetFetch {group_id}")
        topics = entry.topics
    else:
        raise_for_code(response.error_code, None, f"OffsetFetch {group_id}")
        topics = response.topics
    result: dict[TopicPartition, int] = {}
    for topic in topics:
        for part in topic.partitions:
            if part.error_code == ErrorCode.NONE and part.committed_offset >= 0:
                result[TopicPartition(topic.name, part.partition_index)] = part.committed_offset
    return result


def commit_offsets(client: KafkaClient, group_id: str, offsets: Mapping[TopicPartition, int]) -> None:
    """Commit ``offsets`` for a group with no members (generation -1, no member id)."""
    _coordinator(client, group_id).commit(offsets)


def delete_groups(client: KafkaClient, group_ids: Iterable[str]) -> dict[str, int]:
    """DeleteGroups, each at its coordinator: error code by group."""
    results: dict[str, int] = {}
    for group_id in group_ids:
        connection = _coordinator(client, group_id).coordinator()
        version = connection.version_for(ApiKey.DELETE_GROUPS)
        response = client.call(
            connection, ApiKey.DELETE_GROUPS, DeleteGroupsRequest(groups_names=[group_id]), version
        )
        for result in response.results:
            results[result.group_id] = result.error_code
    return results


def log_dir_sizes(
    client: KafkaClient, partitions: Mapping[str, Sequence[int]]
) -> dict[TopicPartition, int]:
    """Bytes of each partition's log (DescribeLogDirs at each broker; the largest answer
    wins, as every replica holds the same log)."""
    sizes: dict[TopicPartition, int] = {}
    topics = [DescribableLogDirTopic(topic=t, partitions=list(ps)) for t, ps in partitions.items()]
    if not topics:
        return sizes
    for broker in client.metadata([]).brokers.values():
        connection = client.connect(broker.host, broker.port)
        if not connection.supports(ApiKey.DESCRIBE_LOG_DIRS):
            continue
        version = connection.version_for(ApiKey.DESCRIBE_LOG_DIRS)
        response = client.call(
            connection, ApiKey.DESCRIBE_LOG_DIRS, DescribeLogDirsRequest(topics=topics), version
        )
        for result in response.results:
            if result.error_code != ErrorCode.NONE:
                continue
            for topic in result.topics:
                for part in topic.partitions:
                    tp = TopicPartition(topic.name, part.partition_index)
                    sizes[tp] = max(sizes.get(tp, 0), part.partition_size)
    return sizes
