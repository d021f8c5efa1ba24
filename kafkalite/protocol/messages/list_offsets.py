"""Find an offset by timestamp: -1 asks for the log end offset (latest), -2 for the log start
offset (earliest), and a real timestamp for the first offset whose record timestamp is at or
after it. Version 0, with its array of old-style offsets, is not served (KIP-896).

Generated from protocol/messages/list_offsets.json by kafkalite.protocol.codegen: do not edit.
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
class ListOffsetsPartition:
    """The partitions of the topic asked about."""

    partition_index: int = 0
    """The partition number."""
    current_leader_epoch: int = -1
    """The leader epoch the client knows, or -1 (KIP-320). (v4+)"""
    timestamp: int = 0
    """The timestamp to look up, or -1 (latest), -2 (earliest), -3 (max timestamp, v7+, KIP-734)."""


@dataclass(slots=True, kw_only=True)
class ListOffsetsTopic:
    """The topics asked about."""

    name: str = ""
    """The topic name."""
    partitions: list[ListOffsetsPartition] = field(default_factory=list)
    """The partitions of the topic asked about."""


@dataclass(slots=True, kw_only=True)
class ListOffsetsRequest:
    replica_id: int = 0
    """The id of the broker asking, or -1 for a client."""
    isolation_level: int = 0
    """0 read_uncommitted: offsets up to the high watermark; 1 read_committed: up to the last stable offset. (v2+)"""
    topics: list[ListOffsetsTopic] = field(default_factory=list)
    """The topics asked about."""


@dataclass(slots=True, kw_only=True)
class ListOffsetsPartitionResponse:
    """One entry per partition of the request."""

    partition_index: int = 0
    """The partition number."""
    error_code: int = 0
    """The partition's error code, 0 if none."""
    timestamp: int = -1
    """The timestamp of the record at the returned offset, or -1."""
    offset: int = -1
    """The offset found, or -1."""
    leader_epoch: int = -1
    """The leader epoch of the record at the returned offset, or -1. (v4+)"""


@dataclass(slots=True, kw_only=True)
class ListOffsetsTopicResponse:
    """One entry per topic of the request."""

    name: str = ""
    """The topic name."""
    partitions: list[ListOffsetsPartitionResponse] = field(default_factory=list)
    """One entry per partition of the request."""


@dataclass(slots=True, kw_only=True)
class ListOffsetsResponse:
    throttle_time_ms: int = 0
    """How long the request was throttled, in milliseconds. (v2+)"""
    topics: list[ListOffsetsTopicResponse] = field(default_factory=list)
    """One entry per topic of the request."""


_LIST_OFFSETS_PARTITION = StructSpec(
    ListOffsetsPartition,
    (
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
        FieldSpec('current_leader_epoch', 'int32', V(4, 32767), default=-1, ignorable=True),
        FieldSpec('timestamp', 'int64', V(0, 32767), default=0),
    ),
)


_LIST_OFFSETS_TOPIC = StructSpec(
    ListOffsetsTopic,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_LIST_OFFSETS_PARTITION),
    ),
)


_LIST_OFFSETS_REQUEST = MessageSpec(
    ListOffsetsRequest,
    (
        FieldSpec('replica_id', 'int32', V(0, 32767), default=0),
        FieldSpec('isolation_level', 'int8', V(2, 32767), default=0),
        FieldSpec('topics', 'array', V(0, 32767), struct=_LIST_OFFSETS_TOPIC),
    ),
    name='ListOffsetsRequest',
    api_key=2,
    valid=V(1, 8),
    flexible=V(6, 32767),
)


_LIST_OFFSETS_PARTITION_RESPONSE = StructSpec(
    ListOffsetsPartitionResponse,
    (
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('timestamp', 'int64', V(0, 32767), default=-1),
        FieldSpec('offset', 'int64', V(0, 32767), default=-1),
        FieldSpec('leader_epoch', 'int32', V(4, 32767), default=-1),
    ),
)


_LIST_OFFSETS_TOPIC_RESPONSE = StructSpec(
    ListOffsetsTopicResponse,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_LIST_OFFSETS_PARTITION_RESPONSE),
    ),
)


_LIST_OFFSETS_RESPONSE = MessageSpec(
    ListOffsetsResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(2, 32767), default=0, ignorable=True),
        FieldSpec('topics', 'array', V(0, 32767), struct=_LIST_OFFSETS_TOPIC_RESPONSE),
    ),
    name='ListOffsetsResponse',
    api_key=2,
    valid=V(1, 8),
    flexible=V(6, 32767),
)


LIST_OFFSETS_REQUEST_SPEC: MessageSpec = _LIST_OFFSETS_REQUEST
LIST_OFFSETS_RESPONSE_SPEC: MessageSpec = _LIST_OFFSETS_RESPONSE
