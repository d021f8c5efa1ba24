"""Advances partitions' log start offsets, making the records before them unreadable.

Generated from protocol/messages/delete_records.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class DeleteRecordsPartition(Message):
    """The partitions to trim."""

    __slots__ = ('partition_index', 'offset',)

    partition_index: int
    """The partition index."""

    offset: int
    """The new log start offset; -1 means the high watermark."""

    def __init__(self, *, partition_index: int = 0, offset: int = 0) -> None:
        self.partition_index = partition_index
        self.offset = offset


class DeleteRecordsTopic(Message):
    """The partitions to trim, by topic."""

    __slots__ = ('name', 'partitions',)

    name: str
    """The topic name."""

    partitions: list[DeleteRecordsPartition]
    """The partitions to trim."""

    def __init__(self, *, name: str = "", partitions: list[DeleteRecordsPartition] = UNSET) -> None:
        self.name = name
        self.partitions = list() if partitions is UNSET else partitions


class DeleteRecordsRequest(Message):
    __slots__ = ('topics', 'timeout_ms',)

    topics: list[DeleteRecordsTopic]
    """The partitions to trim, by topic."""

    timeout_ms: int
    """How long to wait for the deletion, in milliseconds."""

    def __init__(self, *, topics: list[DeleteRecordsTopic] = UNSET, timeout_ms: int = 0) -> None:
        self.topics = list() if topics is UNSET else topics
        self.timeout_ms = timeout_ms


class DeleteRecordsPartitionResult(Message):
    """The results, by partition."""

    __slots__ = ('partition_index', 'low_watermark', 'error_code',)

    partition_index: int
    """The partition index."""

    low_watermark: int
    """The partition's new log start offset."""

    error_code: int
    """The error code, 0 on success."""

    def __init__(self, *, partition_index: int = 0, low_watermark: int = 0, error_code: int = 0) -> None:
        self.partition_index = partition_index
        self.low_watermark = low_watermark
        self.error_code = error_code


class DeleteRecordsTopicResult(Message):
    """The results, by topic."""

    __slots__ = ('name', 'partitions',)

    name: str
    """The topic name."""

    partitions: list[DeleteRecordsPartitionResult]
    """The results, by partition."""

    def __init__(self, *, name: str = "", partitions: list[DeleteRecordsPartitionResult] = UNSET) -> None:
        self.name = name
        self.partitions = list() if partitions is UNSET else partitions


class DeleteRecordsResponse(Message):
    __slots__ = ('throttle_time_ms', 'topics',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    topics: list[DeleteRecordsTopicResult]
    """The results, by topic."""

    def __init__(self, *, throttle_time_ms: int = 0, topics: list[DeleteRecordsTopicResult] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.topics = list() if topics is UNSET else topics


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
