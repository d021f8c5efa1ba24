"""Inputs and results of the group coordinator API, independent of the wire codec.

Handlers translate wire messages into these and back. Version differences are the
handlers' business and reach the coordinator only as explicit flags:

- JoinGroup v0 has no rebalance timeout: pass `rebalance_timeout_ms=session_timeout_ms`.
- JoinGroup v4+ sets `require_known_member_id` (KIP-394), v9+ `supports_skip_assignment`
  (KIP-814); v5+ may carry `group_instance_id` (KIP-345), v8+ `reason` (KIP-800).
- LeaveGroup v0-2 carry one member: pass a one-element list and, as Kafka's
  `LeaveGroupResponse` does for those versions, report that member's error as the
  top-level error.
- OffsetCommit v9+ sets `report_group_id_not_found`.
- DescribeGroups before v6 (KIP-1043) answers an unknown group with error 0 and state
  Dead; the coordinator returns GROUP_ID_NOT_FOUND and state Dead, so old versions drop
  the code.

Error codes are plain ints (values of `GroupErrorCode`). Assignment and protocol
metadata bytes are opaque: the coordinator stores and relays them, never parses them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

__all__ = [
    "CONSUMER_PROTOCOL_TYPE",
    "UNKNOWN_MEMBER_ID",
    "CommitEntry",
    "CommittedOffset",
    "FetchedOffset",
    "GroupConfig",
    "GroupDescription",
    "GroupListing",
    "JoinMember",
    "JoinRequest",
    "JoinResult",
    "LeaveMember",
    "LeaveMemberResult",
    "LeaveResult",
    "MemberDescription",
    "OffsetDeleteResult",
    "OffsetFetchResult",
    "Protocol",
    "SubscribedTopics",
    "SyncRequest",
    "SyncResult",
    "TopicPartition",
]

UNKNOWN_MEMBER_ID = ""  # JoinGroupRequest.UNKNOWN_MEMBER_ID
CONSUMER_PROTOCOL_TYPE = "consumer"  # ConsumerProtocol.PROTOCOL_TYPE

# Parses one member's protocol metadata (a ConsumerProtocolSubscription) into its topic
# names; None or ValueError means "cannot tell". Provided by the wire layer.
SubscribedTopics = Callable[[bytes], "set[str] | None"]


class TopicPartition(NamedTuple):
    topic: str
    partition: int


@dataclass(frozen=True, kw_only=True, slots=True)
class GroupConfig:
    """Coordinator settings, named after Kafka's broker properties."""

    group_min_session_timeout_ms: int = 6_000  # group.min.session.timeout.ms
    group_max_session_timeout_ms: int = 1_800_000  # group.max.session.timeout.ms
    # group.initial.rebalance.delay.ms: Kafka's default is 3000 and the broker's 300
    # (kafkalite.config); a coordinator built alone, as in tests, answers at once.
    group_initial_rebalance_delay_ms: int = 0
    group_max_size: int = 2**31 - 1  # group.max.size
    offset_metadata_max_bytes: int = 4096  # offset.metadata.max.bytes
    # Kafka's NewMemberJoinTimeoutMs: a new member's parked JoinGroup is dropped after
    # this long, because muted sockets hide disconnects during a rebalance.
    new_member_join_timeout_ms: int = 300_000
    # Consumer groups (KIP-848).
    group_consumer_heartbeat_interval_ms: int = 5_000  # group.consumer.heartbeat.interval.ms
    group_consumer_session_timeout_ms: int = 45_000  # group.consumer.session.timeout.ms
    group_consumer_assignors: tuple[str, ...] = ("uniform", "range")  # group.consumer.assignors
    group_consumer_max_size: int = 2**31 - 1  # group.consumer.max.size
    group_consumer_migration_policy: str = "bidirectional"  # group.consumer.migration.policy
    # Share groups (KIP-932).
    group_share_heartbeat_interval_ms: int = 5_000  # group.share.heartbeat.interval.ms
    group_share_session_timeout_ms: int = 45_000  # group.share.session.timeout.ms
    group_share_max_size: int = 200  # group.share.max.size
    group_share_delivery_count_limit: int = 5  # group.share.delivery.count.limit
    group_share_record_lock_duration_ms: int = 30_000  # group.share.record.lock.duration.ms
    group_share_partition_max_record_locks: int = 2_000  # group.share.partition.max.record.locks
    offsets_retention_ms: int = 7 * 24 * 3600 * 1000  # offsets.retention.minutes (7 days)
    offsets_retention_check_interval_ms: int = 600_000  # offsets.retention.check.interval.ms


@dataclass(frozen=True, slots=True)
class Protocol:
    """One (name, metadata) pair a member supports, in its order of preference."""

    name: str
    metadata: bytes


@dataclass(frozen=True, kw_only=True, slots=True)
class JoinRequest:
    group_id: str
    member_id: str = UNKNOWN_MEMBER_ID
    group_instance_id: str | None = None
    protocol_type: str
    protocols: Sequence[Protocol]
    session_timeout_ms: int
    rebalance_timeout_ms: int
    client_id: str = ""
    client_host: str = ""
    reason: str | None = None
    require_known_member_id: bool = True
    supports_skip_assignment: bool = True


@dataclass(frozen=True, slots=True)
class JoinMember:
    member_id: str
    group_instance_id: str | None
    metadata: bytes


@dataclass(frozen=True, kw_only=True, slots=True)
class JoinResult:
    error_code: int
    member_id: str
    generation_id: int = -1
    protocol_type: str | None = None
    protocol_name: str | None = None
    leader: str = ""
    skip_assignment: bool = False
    members: tuple[JoinMember, ...] = ()  # only the leader's answer lists them


@dataclass(frozen=True, kw_only=True, slots=True)
class SyncRequest:
    group_id: str
    generation_id: int
    member_id: str
    group_instance_id: str | None = None
    protocol_type: str | None = None  # v5+
    protocol_name: str | None = None  # v5+
    assignments: Mapping[str, bytes] = field(default_factory=dict)  # leader only


@dataclass(frozen=True, kw_only=True, slots=True)
class SyncResult:
    error_code: int
    assignment: bytes = b""
    protocol_type: str | None = None
    protocol_name: str | None = None


@dataclass(frozen=True, slots=True)
class LeaveMember:
    member_id: str
    group_instance_id: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class LeaveMemberResult:
    member_id: str
    group_instance_id: str | None
    error_code: int


@dataclass(frozen=True, slots=True)
class LeaveResult:
    error_code: int
    members: tuple[LeaveMemberResult, ...] = ()


@dataclass(frozen=True, slots=True)
class CommitEntry:
    topic: str
    partition: int
    offset: int
    leader_epoch: int = -1
    metadata: str | None = ""


@dataclass(frozen=True, slots=True)
class CommittedOffset:
    offset: int
    leader_epoch: int
    metadata: str
    commit_timestamp_ms: int


@dataclass(frozen=True, slots=True)
class FetchedOffset:
    topic: str
    partition: int
    offset: int = -1
    leader_epoch: int = -1
    metadata: str = ""
    error_code: int = 0


@dataclass(frozen=True, slots=True)
class OffsetFetchResult:
    error_code: int
    offsets: tuple[FetchedOffset, ...] = ()


@dataclass(frozen=True, slots=True)
class OffsetDeleteResult:
    error_code: int
    partitions: Mapping[TopicPartition, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class GroupListing:
    group_id: str
    protocol_type: str
    group_state: str
    group_type: str = "classic"


@dataclass(frozen=True, slots=True)
class MemberDescription:
    member_id: str
    group_instance_id: str | None
    client_id: str
    client_host: str
    member_metadata: bytes  # empty unless the group is Stable
    member_assignment: bytes  # empty unless the group is Stable


@dataclass(frozen=True, slots=True)
class GroupDescription:
    error_code: int
    group_id: str
    group_state: str
    protocol_type: str
    protocol_data: str  # the selected protocol's name, when Stable
    members: tuple[MemberDescription, ...] = ()
