"""Stores a group's consumed offsets with its coordinator.

Generated from protocol/messages/offset_commit.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


@dataclass(slots=True, kw_only=True)
class OffsetCommitRequestPartition:
    """The offsets to commit, by partition."""

    partition_index: int = 0
    """The partition index."""
    committed_offset: int = 0
    """The offset to store: the next offset to consume."""
    committed_leader_epoch: int = -1
    """The leader epoch of the last consumed record, -1 if unknown (KIP-320). (v6+)"""
    committed_metadata: str | None = None
    """Free-form metadata stored with the offset. (nullable v2+)"""


@dataclass(slots=True, kw_only=True)
class OffsetCommitRequestTopic:
    """The offsets to commit, by topic."""

    name: str = ""
    """The topic name."""
    partitions: list[OffsetCommitRequestPartition] = field(default_factory=list)
    """The offsets to commit, by partition."""


@dataclass(slots=True, kw_only=True)
class OffsetCommitRequest:
    group_id: str = ""
    """The group committing."""
    generation_id_or_member_epoch: int = -1
    """The group generation (classic protocol) or the member epoch (consumer protocol); -1 for a commit from outside the group."""
    member_id: str = ""
    """The committing member's id, or empty for a commit from outside the group."""
    group_instance_id: str | None = None
    """The static member id, or null. (v7+, nullable v7+)"""
    retention_time_ms: int = -1
    """How long to keep the offsets in milliseconds, -1 for the broker default. Dropped in v5 (KIP-211). (v2-4)"""
    topics: list[OffsetCommitRequestTopic] = field(default_factory=list)
    """The offsets to commit, by topic."""


@dataclass(slots=True, kw_only=True)
class OffsetCommitResponsePartition:
    """The results, by partition."""

    partition_index: int = 0
    """The partition index."""
    error_code: int = 0
    """The error code, 0 on success."""


@dataclass(slots=True, kw_only=True)
class OffsetCommitResponseTopic:
    """The results, by topic."""

    name: str = ""
    """The topic name."""
    partitions: list[OffsetCommitResponsePartition] = field(default_factory=list)
    """The results, by partition."""


@dataclass(slots=True, kw_only=True)
class OffsetCommitResponse:
    throttle_time_ms: int = 0
    """How long the request was throttled, in milliseconds. (v3+)"""
    topics: list[OffsetCommitResponseTopic] = field(default_factory=list)
    """The results, by topic."""


_OFFSET_COMMIT_REQUEST_PARTITION = StructSpec(
    OffsetCommitRequestPartition,
    (
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
        FieldSpec('committed_offset', 'int64', V(0, 32767), default=0),
        FieldSpec('committed_leader_epoch', 'int32', V(6, 32767), default=-1, ignorable=True),
        FieldSpec('committed_metadata', 'string', V(0, 32767), nullable=V(2, 32767)),
    ),
)


_OFFSET_COMMIT_REQUEST_TOPIC = StructSpec(
    OffsetCommitRequestTopic,
    (
        FieldSpec('name', 'string', V(0, 32767), default="", ignorable=True),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_OFFSET_COMMIT_REQUEST_PARTITION),
    ),
)


_OFFSET_COMMIT_REQUEST = MessageSpec(
    OffsetCommitRequest,
    (
        FieldSpec('group_id', 'string', V(0, 32767), default=""),
        FieldSpec('generation_id_or_member_epoch', 'int32', V(0, 32767), default=-1, ignorable=True),
        FieldSpec('member_id', 'string', V(0, 32767), default="", ignorable=True),
        FieldSpec('group_instance_id', 'string', V(7, 32767), nullable=V(7, 32767)),
        FieldSpec('retention_time_ms', 'int64', V(2, 4), default=-1, ignorable=True),
        FieldSpec('topics', 'array', V(0, 32767), struct=_OFFSET_COMMIT_REQUEST_TOPIC),
    ),
    name='OffsetCommitRequest',
    api_key=8,
    valid=V(2, 9),
    flexible=V(8, 32767),
)


_OFFSET_COMMIT_RESPONSE_PARTITION = StructSpec(
    OffsetCommitResponsePartition,
    (
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
    ),
)


_OFFSET_COMMIT_RESPONSE_TOPIC = StructSpec(
    OffsetCommitResponseTopic,
    (
        FieldSpec('name', 'string', V(0, 32767), default="", ignorable=True),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_OFFSET_COMMIT_RESPONSE_PARTITION),
    ),
)


_OFFSET_COMMIT_RESPONSE = MessageSpec(
    OffsetCommitResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(3, 32767), default=0, ignorable=True),
        FieldSpec('topics', 'array', V(0, 32767), struct=_OFFSET_COMMIT_RESPONSE_TOPIC),
    ),
    name='OffsetCommitResponse',
    api_key=8,
    valid=V(2, 9),
    flexible=V(8, 32767),
)


OFFSET_COMMIT_REQUEST_SPEC: MessageSpec = _OFFSET_COMMIT_REQUEST
OFFSET_COMMIT_RESPONSE_SPEC: MessageSpec = _OFFSET_COMMIT_RESPONSE
