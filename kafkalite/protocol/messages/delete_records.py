"""Advances partitions' log start offsets, making the records before them unreadable.

Generated from protocol/messages/delete_records.json by kafkalite.protocol.codegen: do not edit.
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
class DeleteRecordsPartition:
    """The partitions to trim."""

    partition_index: int = 0
    """The partition index."""
    offset: int = 0
    """The new log start offset; -1 means the high watermark."""


@dataclass(slots=True, kw_only=True)
class DeleteRecordsTopic:
    """The partitions to trim, by topic."""

    name: str = ""
    """The topic name."""
    partitions: list[DeleteRecordsPartition] = field(default_factory=list)
    """The partitions to trim."""


@dataclass(slots=True, kw_only=True)
class DeleteRecordsRequest:
    topics: list[DeleteRecordsTopic] = field(default_factory=list)
    """The partitions to trim, by topic."""
    timeout_ms: int = 0
    """How long to wait for the deletion, in milliseconds."""


@dataclass(slots=True, kw_only=True)
class DeleteRecordsPartitionResult:
    """The results, by partition."""

    partition_index: int = 0
    """The partition index."""
    low_watermark: int = 0
    """The partition's new log start offset."""
    error_code: int = 0
    """The error code, 0 on success."""


@dataclass(slots=True, kw_only=True)
class DeleteRecordsTopicResult:
    """The results, by topic."""

    name: str = ""
    """The topic name."""
    partitions: list[DeleteRecordsPartitionResult] = field(default_factory=list)
    """The results, by partition."""


@dataclass(slots=True, kw_only=True)
class DeleteRecordsResponse:
    throttle_time_ms: int = 0
    """How long the request was throttled, in milliseconds."""
    topics: list[DeleteRecordsTopicResult] = field(default_factory=list)
    """The results, by topic."""


_DELETE_RECORDS_PARTITION = StructSpec(
    DeleteRecordsPartition,
    (
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
        FieldSpec('offset', 'int64', V(0, 32767), default=0),
    ),
)


_DELETE_RECORDS_TOPIC = StructSpec(
    DeleteRecordsTopic,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_DELETE_RECORDS_PARTITION),
    ),
)


_DELETE_RECORDS_REQUEST = MessageSpec(
    DeleteRecordsRequest,
    (
        FieldSpec('topics', 'array', V(0, 32767), struct=_DELETE_RECORDS_TOPIC),
        FieldSpec('timeout_ms', 'int32', V(0, 32767), default=0),
    ),
    name='DeleteRecordsRequest',
    api_key=21,
    valid=V(0, 2),
    flexible=V(2, 32767),
)


_DELETE_RECORDS_PARTITION_RESULT = StructSpec(
    DeleteRecordsPartitionResult,
    (
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
        FieldSpec('low_watermark', 'int64', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
    ),
)


_DELETE_RECORDS_TOPIC_RESULT = StructSpec(
    DeleteRecordsTopicResult,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_DELETE_RECORDS_PARTITION_RESULT),
    ),
)


_DELETE_RECORDS_RESPONSE = MessageSpec(
    DeleteRecordsResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('topics', 'array', V(0, 32767), struct=_DELETE_RECORDS_TOPIC_RESULT),
    ),
    name='DeleteRecordsResponse',
    api_key=21,
    valid=V(0, 2),
    flexible=V(2, 32767),
)


DELETE_RECORDS_REQUEST_SPEC: MessageSpec = _DELETE_RECORDS_REQUEST
DELETE_RECORDS_RESPONSE_SPEC: MessageSpec = _DELETE_RECORDS_RESPONSE
