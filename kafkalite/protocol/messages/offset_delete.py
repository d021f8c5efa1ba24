"""Deletes a group's committed offsets for partitions the group no longer consumes.

Generated from protocol/messages/offset_delete.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class OffsetDeleteRequestPartition(Message):
    """The offsets to delete, by partition."""

    __slots__ = ('partition_index',)

    partition_index: int
    """The partition index."""

    def __init__(self, *, partition_index: int = 0) -> None:
        self.partition_index = partition_index


class OffsetDeleteRequestTopic(Message):
    """The offsets to delete, by topic."""

    __slots__ = ('name', 'partitions',)

    name: str
    """The topic name."""

    partitions: list[OffsetDeleteRequestPartition]
    """The offsets to delete, by partition."""

    def __init__(self, *, name: str = "", partitions: list[OffsetDeleteRequestPartition] = UNSET) -> None:
        self.name = name
        self.partitions = list() if partitions is UNSET else partitions


class OffsetDeleteRequest(Message):
    __slots__ = ('group_id', 'topics',)

    group_id: str
    """The group."""

    topics: list[OffsetDeleteRequestTopic]
    """The offsets to delete, by topic."""

    def __init__(self, *, group_id: str = "", topics: list[OffsetDeleteRequestTopic] = UNSET) -> None:
        self.group_id = group_id
        self.topics = list() if topics is UNSET else topics


class OffsetDeleteResponsePartition(Message):
    """The results, by partition."""

    __slots__ = ('partition_index', 'error_code',)

    partition_index: int
    """The partition index."""

    error_code: int
    """The error code, 0 on success."""

    def __init__(self, *, partition_index: int = 0, error_code: int = 0) -> None:
        self.partition_index = partition_index
        self.error_code = error_code


class OffsetDeleteResponseTopic(Message):
    """The results, by topic."""

    __slots__ = ('name', 'partitions',)

    name: str
    """The topic name."""

    partitions: list[OffsetDeleteResponsePartition]
    """The results, by partition."""

    def __init__(self, *, name: str = "", partitions: list[OffsetDeleteResponsePartition] = UNSET) -> None:
        self.name = name
        self.partitions = list() if partitions is UNSET else partitions


class OffsetDeleteResponse(Message):
    __slots__ = ('error_code', 'throttle_time_ms', 'topics',)

    error_code: int
    """The group-level error code, 0 on success."""

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    topics: list[OffsetDeleteResponseTopic]
    """The results, by topic."""

    def __init__(self, *, error_code: int = 0, throttle_time_ms: int = 0, topics: list[OffsetDeleteResponseTopic] = UNSET) -> None:
        self.error_code = error_code
        self.throttle_time_ms = throttle_time_ms
        self.topics = list() if topics is UNSET else topics


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
