"""Sets the start offsets (SPSO) of an empty share group on partitions (KIP-932).

Generated from protocol/messages/alter_share_group_offsets.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class AlterShareGroupOffsetsRequestPartition(Message):
    """The partitions."""

    __slots__ = ('partition_index', 'start_offset',)

    partition_index: int
    """The partition."""

    start_offset: int
    """The new start offset."""

    def __init__(self, *, partition_index: int = 0, start_offset: int = 0) -> None:
        self.partition_index = partition_index
        self.start_offset = start_offset


class AlterShareGroupOffsetsRequestTopic(Message):
    """The topics."""

    __slots__ = ('topic_name', 'partitions',)

    topic_name: str
    """The topic."""

    partitions: list[AlterShareGroupOffsetsRequestPartition]
    """The partitions."""

    def __init__(self, *, topic_name: str = "", partitions: list[AlterShareGroupOffsetsRequestPartition] = UNSET) -> None:
        self.topic_name = topic_name
        self.partitions = list() if partitions is UNSET else partitions


class AlterShareGroupOffsetsRequest(Message):
    __slots__ = ('group_id', 'topics',)

    group_id: str
    """The group."""

    topics: list[AlterShareGroupOffsetsRequestTopic]
    """The topics."""

    def __init__(self, *, group_id: str = "", topics: list[AlterShareGroupOffsetsRequestTopic] = UNSET) -> None:
        self.group_id = group_id
        self.topics = list() if topics is UNSET else topics


class AlterShareGroupOffsetsResponsePartition(Message):
    """The partitions."""

    __slots__ = ('partition_index', 'error_code', 'error_message',)

    partition_index: int
    """The partition."""

    error_code: int
    """The error code, 0 on success."""

    error_message: str | None
    """The error message, or null. (nullable v0+)"""

    def __init__(self, *, partition_index: int = 0, error_code: int = 0, error_message: str | None = None) -> None:
        self.partition_index = partition_index
        self.error_code = error_code
        self.error_message = error_message


class AlterShareGroupOffsetsResponseTopic(Message):
    """The topics."""

    __slots__ = ('topic_name', 'topic_id', 'partitions',)

    topic_name: str
    """The topic."""

    topic_id: uuid.UUID
    """The topic id."""

    partitions: list[AlterShareGroupOffsetsResponsePartition]
    """The partitions."""

    def __init__(self, *, topic_name: str = "", topic_id: uuid.UUID = ZERO_UUID, partitions: list[AlterShareGroupOffsetsResponsePartition] = UNSET) -> None:
        self.topic_name = topic_name
        self.topic_id = topic_id
        self.partitions = list() if partitions is UNSET else partitions


class AlterShareGroupOffsetsResponse(Message):
    __slots__ = ('throttle_time_ms', 'error_code', 'error_message', 'responses',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    error_code: int
    """The top-level error code, 0 on success."""

    error_message: str | None
    """The top-level error message, or null. (nullable v0+)"""

    responses: list[AlterShareGroupOffsetsResponseTopic]
    """The topics."""

    def __init__(self, *, throttle_time_ms: int = 0, error_code: int = 0, error_message: str | None = None, responses: list[AlterShareGroupOffsetsResponseTopic] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.error_code = error_code
        self.error_message = error_message
        self.responses = list() if responses is UNSET else responses


_ALTER_SHARE_GROUP_OFFSETS_REQUEST_PARTITION = StructSpec(
    AlterShareGroupOffsetsRequestPartition,
    (
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
        FieldSpec('start_offset', 'int64', V(0, 32767), default=0),
    ),
)


_ALTER_SHARE_GROUP_OFFSETS_REQUEST_TOPIC = StructSpec(
    AlterShareGroupOffsetsRequestTopic,
    (
        FieldSpec('topic_name', 'string', V(0, 32767), default=""),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_ALTER_SHARE_GROUP_OFFSETS_REQUEST_PARTITION),
    ),
)


_ALTER_SHARE_GROUP_OFFSETS_REQUEST = MessageSpec(
    AlterShareGroupOffsetsRequest,
    (
        FieldSpec('group_id', 'string', V(0, 32767), default=""),
        FieldSpec('topics', 'array', V(0, 32767), struct=_ALTER_SHARE_GROUP_OFFSETS_REQUEST_TOPIC),
    ),
    name='AlterShareGroupOffsetsRequest',
    api_key=91,
    valid=V(0, 0),
    flexible=V(0, 32767),
)


_ALTER_SHARE_GROUP_OFFSETS_RESPONSE_PARTITION = StructSpec(
    AlterShareGroupOffsetsResponsePartition,
    (
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(0, 32767)),
    ),
)


_ALTER_SHARE_GROUP_OFFSETS_RESPONSE_TOPIC = StructSpec(
    AlterShareGroupOffsetsResponseTopic,
    (
        FieldSpec('topic_name', 'string', V(0, 32767), default=""),
        FieldSpec('topic_id', 'uuid', V(0, 32767), default=ZERO_UUID),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_ALTER_SHARE_GROUP_OFFSETS_RESPONSE_PARTITION),
    ),
)


_ALTER_SHARE_GROUP_OFFSETS_RESPONSE = MessageSpec(
    AlterShareGroupOffsetsResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(0, 32767)),
        FieldSpec('responses', 'array', V(0, 32767), struct=_ALTER_SHARE_GROUP_OFFSETS_RESPONSE_TOPIC),
    ),
    name='AlterShareGroupOffsetsResponse',
    api_key=91,
    valid=V(0, 0),
    flexible=V(0, 32767),
)


ALTER_SHARE_GROUP_OFFSETS_REQUEST_SPEC: MessageSpec = _ALTER_SHARE_GROUP_OFFSETS_REQUEST
ALTER_SHARE_GROUP_OFFSETS_RESPONSE_SPEC: MessageSpec = _ALTER_SHARE_GROUP_OFFSETS_RESPONSE
