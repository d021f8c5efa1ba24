"""A member of a classic consumer group (protocol type "consumer", the range assignor).

``join()`` runs the whole rebalance: FindCoordinator, JoinGroup (repeated once with the
member id the coordinator hands out, KIP-394's MEMBER_ID_REQUIRED), the leader's
assignment, SyncGroup. ``heartbeat()`` reports whether the member must rejoin;
``committed()`` and ``commit()`` are OffsetFetch and OffsetCommit; ``leave()`` is
LeaveGroup. The caller drives the timing: it calls ``heartbeat`` at least every
``heartbeat_interval_ms`` while it fetches.

Range assignor (Java ``RangeAssignor``): per topic, the members subscribed to it sorted by
member id; member i of m gets ``n // m`` partitions, plus one if ``i < n % m``, in order.

The subscription and assignment blobs are written in version 0 of the consumer protocol,
which every consumer reads; later versions are read by decoding the fields we know.
"""

from __future__ import annotations

import struct
import time
from collections.abc import Mapping, Sequence

from kafkalite.client.client import KafkaClient, TopicPartition
from kafkalite.client.connection import BrokerConnection
from kafkalite.client.errors import KafkaResponseError, raise_for_code
from kafkalite.protocol.codec import decode, encode_bytes
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.consumer_protocol import (
    CONSUMER_PROTOCOL_ASSIGNMENT_SPEC,
    CONSUMER_PROTOCOL_SUBSCRIPTION_SPEC,
    AssignedTopicPartitions,
    ConsumerProtocolAssignment,
    ConsumerProtocolSubscription,
)
from kafkalite.protocol.messages.find_coordinator import FindCoordinatorRequest
from kafkalite.protocol.messages.heartbeat import HeartbeatRequest
from kafkalite.protocol.messages.join_group import (
    JoinGroupRequest,
    JoinGroupRequestProtocol,
    JoinGroupResponse,
)
from kafkalite.protocol.messages.leave_group import LeaveGroupRequest, MemberIdentity
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

__all__ = ["GroupMember", "decode_assignment", "decode_subscription", "range_assign"]

PROTOCOL_TYPE = "consumer"
ASSIGNOR = "range"
_VERSION = struct.Struct(">h")
_BLOB_VERSION = 0
_MAX_KNOWN_BLOB_VERSION = 3
_REJOIN = frozenset(
    {ErrorCode.REBALANCE_IN_PROGRESS, ErrorCode.ILLEGAL_GENERATION, ErrorCode.UNKNOWN_MEMBER_ID}
)
_FIND_AGAIN = frozenset(
    {
        ErrorCode.COORDINATOR_NOT_AVAILABLE,
        ErrorCode.NOT_COORDINATOR,
        ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
    }
)


def encode_subscription(topics: Sequence[str]) -> bytes:
    body = ConsumerProtocolSubscription(topics=sorted(topics))
    return _VERSION.pack(_BLOB_VERSION) + encode_bytes(
        CONSUMER_PROTOCOL_SUBSCRIPTION_SPEC, body, _BLOB_VERSION
    )


def decode_subscription(blob: bytes) -> list[str]:
    (version,) = _VERSION.unpack_from(blob, 0)
    subscription, _ = decode(
        CONSUMER_PROTOCOL_SUBSCRIPTION_SPEC, min(version, _MAX_KNOWN_BLOB_VERSION), blob, 2
    )
    return list(subscription.topics)


def encode_assignment(partitions: Mapping[str, Sequence[int]]) -> bytes:
    body = ConsumerProtocolAssignment(
        assigned_partitions=[
            AssignedTopicPartitions(topic=t, partitions=list(ps))
            for t, ps in sorted(partitions.items())
        ]
    )
    return _VERSION.pack(_BLOB_VERSION) + encode_bytes(
        CONSUMER_PROTOCOL_ASSIGNMENT_SPEC, body, _BLOB_VERSION
    )


def decode_assignment(blob: bytes) -> list[TopicPartition]:
    if len(blob) < 2:  # an empty assignment may come as no bytes at all
        return []
    (version,) = _VERSION.unpack_from(blob, 0)
    assignment, _ = decode(
        CONSUMER_PROTOCOL_ASSIGNMENT_SPEC, min(version, _MAX_KNOWN_BLOB_VERSION), blob, 2
    )
    return sorted(
        TopicPartition(a.topic, p) for a in assignment.assigned_partitions for p in a.partitions
    )


def range_assign(
    subscriptions: Mapping[str, Sequence[str]], partition_counts: Mapping[str, int]
) -> dict[str, dict[str, list[int]]]:
    """``{member: {topic: [partitions]}}`` for ``{member: topics}`` (Java's RangeAssignor)."""
    result: dict[str, dict[str, list[int]]] = {member: {} for member in subscriptions}
    topics = sorted({t for ts in subscriptions.values() for t in ts})
    for topic in topics:
        count = partition_counts.get(topic, 0)
        members = sorted(m for m, ts in subscriptions.items() if topic in ts)
        if not members or count <= 0:
            continue
        per_member, extra = divmod(count, len(members))
        for i, member in enumerate(members):
            start = per_member * i + min(i, extra)
            length = per_member + (1 if i < extra else 0)
            if length:
                result[member][topic] = list(range(start, start + length))
    return result


class GroupMember:
    def __init__(
        self,
        client: KafkaClient,
        group_id: str,
        topics: Sequence[str],
        *,
        session_timeout_ms: int = 10_000,
        rebalance_timeout_ms: int = 60_000,
        heartbeat_interval_ms: int = 3_000,
    ) -> None:
        self.client = client
        self.group_id = group_id
        self.topics = list(topics)
        self.session_timeout_ms = session_timeout_ms
        self.rebalance_timeout_ms = rebalance_timeout_ms
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.member_id = ""
        self.generation_id = -1
        self.assignment: list[TopicPartition] = []
        self._coordinator: BrokerConnection | None = None
        self._last_heartbeat = 0.0

    # --- coordinator ------------------------------------------------------------------

    def coordinator(self, wait_s: float = 30.0) -> BrokerConnection:
        if self._coordinator is not None:
            return self._coordinator
        deadline = time.monotonic() + wait_s
        while True:
            connection = self.client.any_connection()
            version = connection.version_for(ApiKey.FIND_COORDINATOR)
            if version >= 4:
                response = self.client.call(
                    connection,
                    ApiKey.FIND_COORDINATOR,
                    FindCoordinatorRequest(key_type=0, coordinator_keys=[self.group_id]),
                    version,
                )
                entry = response.coordinators[0]
                code, message, host, port = (
                    entry.error_code,
                    entry.error_message,
                    entry.host,
                    entry.port,
                )
            else:
                response = self.client.call(
                    connection,
                    ApiKey.FIND_COORDINATOR,
                    FindCoordinatorRequest(key=self.group_id),
                    version,
                )
                code, message, host, port = (
                    response.error_code,
                    response.error_message,
                    response.host,
                    response.port,
                )
            if code == ErrorCode.NONE:
                self._coordinator = self.client.connect(host, port)
                return self._coordinator
            if code not in _FIND_AGAIN or time.monotonic() >= deadline:
                raise KafkaResponseError(code, message, f"group {self.group_id}")
            time.sleep(0.2)

    # --- rebalance --------------------------------------------------------------------

    def join(self) -> list[TopicPartition]:
        """Join (or rejoin) the group; returns this member's partitions."""
        for _ in range(20):
            connection = self.coordinator()
            response = self._join_group(connection)
            code = response.error_code
            if code == ErrorCode.MEMBER_ID_REQUIRED:
                self.member_id = response.member_id
                continue
            if code == ErrorCode.UNKNOWN_MEMBER_ID:
                self.member_id = ""
                continue
            if code in _FIND_AGAIN:
                self._coordinator = None
                time.sleep(0.2)
                continue
            raise_for_code(code, None, f"JoinGroup {self.group_id}")
            self.member_id = response.member_id
            self.generation_id = response.generation_id
            assignments = {}
            if response.leader == response.member_id and not response.skip_assignment:
                assignments = self._assign(response)
            code, blob = self._sync_group(connection, assignments)
            if code in _REJOIN or code in _FIND_AGAIN:
                if code in _FIND_AGAIN:
                    self._coordinator = None
                if code == ErrorCode.UNKNOWN_MEMBER_ID:
                    self.member_id = ""
                continue
            raise_for_code(code, None, f"SyncGroup {self.group_id}")
            self.assignment = decode_assignment(blob)
            self._last_heartbeat = time.monotonic()
            return self.assignment
        raise KafkaResponseError(
            ErrorCode.REBALANCE_IN_PROGRESS, "the group did not settle", f"group {self.group_id}"
        )

    def _join_group(self, connection: BrokerConnection) -> JoinGroupResponse:
        version = connection.version_for(ApiKey.JOIN_GROUP)
        request = JoinGroupRequest(
            group_id=self.group_id,
            session_timeout_ms=self.session_timeout_ms,
            member_id=self.member_id,
            protocol_type=PROTOCOL_TYPE,
            protocols=[
                JoinGroupRequestProtocol(name=ASSIGNOR, metadata=encode_subscription(self.topics))
            ],
        )
        if version >= 1:
            request.rebalance_timeout_ms = self.rebalance_timeout_ms
        timeout = self.client.timeout + self.rebalance_timeout_ms / 1000
        response: JoinGroupResponse = self.client.call(
            connection, ApiKey.JOIN_GROUP, request, version, timeout
        )
        return response

    def _assign(self, response: JoinGroupResponse) -> dict[str, bytes]:
        subscriptions = {m.member_id: decode_subscription(m.metadata) for m in response.members}
        topics = sorted({t for ts in subscriptions.values() for t in ts})
        cluster = self.client.metadata(topics)
        counts = {
            name: len(info.partitions)
            for name, info in cluster.topics.items()
            if info.error_code == 0
        }
        plan = range_assign(subscriptions, counts)
        return {member: encode_assignment(partitions) for member, partitions in plan.items()}

    def _sync_group(
        self, connection: BrokerConnection, assignments: Mapping[str, bytes]
    ) -> tuple[int, bytes]:
        version = connection.version_for(ApiKey.SYNC_GROUP)
        request = SyncGroupRequest(
            group_id=self.group_id,
            generation_id=self.generation_id,
            member_id=self.member_id,
            assignments=[
                SyncGroupRequestAssignment(member_id=m, assignment=a)
                for m, a in sorted(assignments.items())
            ],
        )
        if version >= 5:
            request.protocol_type = PROTOCOL_TYPE
            request.protocol_name = ASSIGNOR
        timeout = self.client.timeout + self.rebalance_timeout_ms / 1000
        response = self.client.call(connection, ApiKey.SYNC_GROUP, request, version, timeout)
        return response.error_code, bytes(response.assignment)

    def heartbeat_due(self) -> bool:
        return time.monotonic() - self._last_heartbeat >= self.heartbeat_interval_ms / 1000

    def heartbeat(self) -> bool:
        """Send a heartbeat; False when the member must rejoin (a rebalance started)."""
        connection = self.coordinator()
        version = connection.version_for(ApiKey.HEARTBEAT)
        request = HeartbeatRequest(
            group_id=self.group_id, generation_id=self.generation_id, member_id=self.member_id
        )
        response = self.client.call(connection, ApiKey.HEARTBEAT, request, version)
        self._last_heartbeat = time.monotonic()
        code = response.error_code
        if code in _REJOIN:
            if code != ErrorCode.REBALANCE_IN_PROGRESS:
                self.generation_id = -1  # our commits would be refused: forget the generation
            if code == ErrorCode.UNKNOWN_MEMBER_ID:
                self.member_id = ""
            return False
        if code in _FIND_AGAIN:
            self._coordinator = None
            return False
        raise_for_code(code, None, f"Heartbeat {self.group_id}")
        return True

    def leave(self) -> None:
        if not self.member_id:
            return
        connection = self.coordinator()
        version = connection.version_for(ApiKey.LEAVE_GROUP)
        if version >= 3:
            request = LeaveGroupRequest(
                group_id=self.group_id, members=[MemberIdentity(member_id=self.member_id)]
            )
        else:
            request = LeaveGroupRequest(group_id=self.group_id, member_id=self.member_id)
        self.client.call(connection, ApiKey.LEAVE_GROUP, request, version)
        self.member_id = ""
        self.generation_id = -1

    # --- offsets ----------------------------------------------------------------------

    def committed(self, partitions: Sequence[TopicPartition]) -> dict[TopicPartition, int]:
        """Committed offsets (-1 where the group has none)."""
        connection = self.coordinator()
        version = connection.version_for(ApiKey.OFFSET_FETCH, minimum=1, maximum=9)  # v10: topic ids
        by_topic: dict[str, list[int]] = {}
        for tp in partitions:
            by_topic.setdefault(tp.topic, []).append(tp.partition)
        if version >= 8:
            request = OffsetFetchRequest(
                groups=[
                    OffsetFetchRequestGroup(
                        group_id=self.group_id,
                        topics=[
                            OffsetFetchRequestGroupTopic(name=t, partition_indexes=ps)
                            for t, ps in by_topic.items()
                        ],
                    )
                ]
            )
        else:
            request = OffsetFetchRequest(
                group_id=self.group_id,
                topics=[
                    OffsetFetchRequestTopic(name=t, partition_indexes=ps)
                    for t, ps in by_topic.items()
                ],
            )
        response = self.client.call(connection, ApiKey.OFFSET_FETCH, request, version)
        result: dict[TopicPartition, int] = {}
        if version >= 8:
            group = response.groups[0]
            raise_for_code(group.error_code, None, f"OffsetFetch {self.group_id}")
            topics = group.topics
        else:
            raise_for_code(response.error_code, None, f"OffsetFetch {self.group_id}")
            topics = response.topics
        for topic in topics:
            for part in topic.partitions:
                raise_for_code(
                    part.error_code, None, f"OffsetFetch {topic.name}-{part.partition_index}"
                )
                result[TopicPartition(topic.name, part.partition_index)] = part.committed_offset
        return result

    def commit(self, offsets: Mapping[TopicPartition, int]) -> None:
        """Commit ``{partition: next offset to read}`` for the current generation."""
        if not offsets:
            return
        connection = self.coordinator()
        version = connection.version_for(ApiKey.OFFSET_COMMIT, minimum=2, maximum=9)  # v10: topic ids
        by_topic: dict[str, list[OffsetCommitRequestPartition]] = {}
        for tp, offset in sorted(offsets.items()):
            by_topic.setdefault(tp.topic, []).append(
                OffsetCommitRequestPartition(partition_index=tp.partition, committed_offset=offset)
            )
        request = OffsetCommitRequest(
            group_id=self.group_id,
            generation_id_or_member_epoch=self.generation_id,
            member_id=self.member_id,
            topics=[OffsetCommitRequestTopic(name=t, partitions=ps) for t, ps in by_topic.items()],
        )
        response = self.client.call(connection, ApiKey.OFFSET_COMMIT, request, version)
        for topic in response.topics:
            for part in topic.partitions:
                raise_for_code(
                    part.error_code, None, f"OffsetCommit {topic.name}-{part.partition_index}"
                )
