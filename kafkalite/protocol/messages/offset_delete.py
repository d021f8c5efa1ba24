"""Deletes a group's committed offsets for partitions the group no longer consumes.

Generated from protocol/messages/offset_delete.json by kafkalite.protocol.codegen: do not edit.
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
class OffsetDeleteRequestPartition:
    """The offsets to delete, by partition."""

    partition_index: int = 0
    """The partition index."""


@dataclass(slots=True, kw_only=True)
class OffsetDeleteRequestTopic:
    """The offsets to delete, by topic."""

    name: str = ""
    """The topic name."""
    partitions: list[OffsetDeleteRequestPartition] = field(default_factory=list)
    """The offsets to delete, by partition."""


@dataclass(slots=True, kw_only=True)
class OffsetDeleteRequest:
    group_id: str = ""
    """The group."""
    topics: list[OffsetDeleteRequestTopic] = field(default_factory=list)
    """The offsets to delete, by topic."""


@dataclass(slots=True, kw_only=True)
class OffsetDeleteResponsePartition:
    """The results, by partition."""

    partition_index: int = 0
    """The partition index."""
    error_code: int = 0
    """The error code, 0 on success."""


@dataclass(slots=True, kw_only=True)
class OffsetDeleteResponseTopic:
    """The results, by topic."""

    name: str = ""
    """The topic name."""
    partitions: list[OffsetDeleteResponsePartition] = field(default_factory=list)
    """The results, by partition."""


@dataclass(slots=True, kw_only=True)
class OffsetDeleteResponse:
    error_code: int = 0
    """The group-level error code, 0 on success."""
    throttle_time_ms: int = 0
    """How long the request was throttled, in milliseconds."""
    topics: list[OffsetDeleteResponseTopic] = field(default_factory=list)
    """The results, by topic."""


_OFFSET_DELETE_REQUEST_PARTITION = StructSpec(
    OffsetDeleteRequestPartition,
    (
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
    ),
)


_OFFSET_DELETE_REQUEST_TOPIC = StructSpec(
    OffsetDeleteRequestTopic,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_OFFSET_DELETE_REQUEST_PARTITION),
    ),
)


_OFFSET_DELETE_REQUEST = MessageSpec(
    OffsetDeleteRequest,
    (
        FieldSpec('group_id', 'string', V(0, 32767), default=""),
        FieldSpec('topics', 'array', V(0, 32767), struct=_OFFSET_DELETE_REQUEST_TOPIC),
    ),
    name='OffsetDeleteRequest',
    api_key=47,
    valid=V(0, 0),
    flexible=V(1, 0),
)


_OFFSET_DELETE_RESPONSE_PARTITION = StructSpec(
    OffsetDeleteResponsePartition,
    (
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
    ),
)


_OFFSET_DELETE_RESPONSE_TOPIC = StructSpec(
    OffsetDeleteResponseTopic,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_OFFSET_DELETE_RESPONSE_PARTITION),
    ),
)


_OFFSET_DELETE_RESPONSE = MessageSpec(
    OffsetDeleteResponse,
    (
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0, ignorable=True),
        FieldSpec('topics', 'array', V(0, 32767), struct=_OFFSET_DELETE_RESPONSE_TOPIC),
    ),
    name='OffsetDeleteResponse',
    api_key=47,
    valid=V(0, 0),
    flexible=V(1, 0),
)


OFFSET_DELETE_REQUEST_SPEC: MessageSpec = _OFFSET_DELETE_REQUEST
OFFSET_DELETE_RESPONSE_SPEC: MessageSpec = _OFFSET_DELETE_RESPONSE
