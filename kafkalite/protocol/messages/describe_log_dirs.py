"""Describes a broker's log directories and the size and lag of each partition in them. Version
0 (the same layout as version 1), removed in Kafka 4 (KIP-896), is served as Kafka 3.x
served it.

Generated from protocol/messages/describe_log_dirs.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class DescribableLogDirTopic(Message):
    """The partitions to describe, by topic, or null for all of them."""

    __slots__ = ('topic', 'partitions',)

    topic: str
    """The topic name."""

    partitions: list[int]
    """The partition indexes."""

    def __init__(self, *, topic: str = "", partitions: list[int] = UNSET) -> None:
        self.topic = topic
        self.partitions = list() if partitions is UNSET else partitions


class DescribeLogDirsRequest(Message):
    __slots__ = ('topics',)

    topics: list[DescribableLogDirTopic] | None
    """The partitions to describe, by topic, or null for all of them. (nullable v0+)"""

    def __init__(self, *, topics: list[DescribableLogDirTopic] | None = None) -> None:
        self.topics = topics


class DescribeLogDirsPartition(Message):
    """The partitions."""

    __slots__ = ('partition_index', 'partition_size', 'offset_lag', 'is_future_key',)

    partition_index: int
    """The partition index."""

    partition_size: int
    """The size of the partition's log segments in bytes."""

    offset_lag: int
    """How far the log end offset trails the high watermark (or, for a future log, the current log)."""

    is_future_key: bool
    """True for a future log that will replace the current one."""

    def __init__(self, *, partition_index: int = 0, partition_size: int = 0, offset_lag: int = 0, is_future_key: bool = False) -> None:
        self.partition_index = partition_index
        self.partition_size = partition_size
        self.offset_lag = offset_lag
        self.is_future_key = is_future_key


class DescribeLogDirsTopic(Message):
    """The partitions in the directory, by topic."""

    __slots__ = ('name', 'partitions',)

    name: str
    """The topic name."""

    partitions: list[DescribeLogDirsPartition]
    """The partitions."""

    def __init__(self, *, name: str = "", partitions: list[DescribeLogDirsPartition] = UNSET) -> None:
        self.name = name
        self.partitions = list() if partitions is UNSET else partitions


class DescribeLogDirsResult(Message):
    """One entry per log directory."""

    __slots__ = ('error_code', 'log_dir', 'topics', 'total_bytes', 'usable_bytes',)

    error_code: int
    """The error code for the directory, 0 on success."""

    log_dir: str
    """The directory's absolute path."""

    topics: list[DescribeLogDirsTopic]
    """The partitions in the directory, by topic."""

    total_bytes: int
    """The size of the directory's volume in bytes, -1 if unknown (KIP-827). (v4+)"""

    usable_bytes: int
    """The free space on the directory's volume in bytes, -1 if unknown (KIP-827). (v4+)"""

    def __init__(self, *, error_code: int = 0, log_dir: str = "", topics: list[DescribeLogDirsTopic] = UNSET, total_bytes: int = -1, usable_bytes: int = -1) -> None:
        self.error_code = error_code
        self.log_dir = log_dir
        self.topics = list() if topics is UNSET else topics
        self.total_bytes = total_bytes
        self.usable_bytes = usable_bytes


class DescribeLogDirsResponse(Message):
    __slots__ = ('throttle_time_ms', 'error_code', 'results',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    error_code: int
    """The top-level error code, 0 on success (KIP-784). (v3+)"""

    results: list[DescribeLogDirsResult]
    """One entry per log directory."""

    def __init__(self, *, throttle_time_ms: int = 0, error_code: int = 0, results: list[DescribeLogDirsResult] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.error_code = error_code
        self.results = list() if results is UNSET else results


_DESCRIBABLE_LOG_DIR_TOPIC = StructSpec(
    DescribableLogDirTopic,
    (
        FieldSpec('topic', 'string', V(0, 32767), default=""),
        FieldSpec('partitions', 'array', V(0, 32767), of='int32'),
    ),
)


_DESCRIBE_LOG_DIRS_REQUEST = MessageSpec(
    DescribeLogDirsRequest,
    (
        FieldSpec('topics', 'array', V(0, 32767), nullable=V(0, 32767), struct=_DESCRIBABLE_LOG_DIR_TOPIC),
    ),
    name='DescribeLogDirsRequest',
    api_key=35,
    valid=V(0, 4),
    flexible=V(2, 32767),
)


_DESCRIBE_LOG_DIRS_PARTITION = StructSpec(
    DescribeLogDirsPartition,
    (
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
        FieldSpec('partition_size', 'int64', V(0, 32767), default=0),
        FieldSpec('offset_lag', 'int64', V(0, 32767), default=0),
        FieldSpec('is_future_key', 'bool', V(0, 32767), default=False),
    ),
)


_DESCRIBE_LOG_DIRS_TOPIC = StructSpec(
    DescribeLogDirsTopic,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_DESCRIBE_LOG_DIRS_PARTITION),
    ),
)


_DESCRIBE_LOG_DIRS_RESULT = StructSpec(
    DescribeLogDirsResult,
    (
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('log_dir', 'string', V(0, 32767), default=""),
        FieldSpec('topics', 'array', V(0, 32767), struct=_DESCRIBE_LOG_DIRS_TOPIC),
        FieldSpec('total_bytes', 'int64', V(4, 32767), default=-1, ignorable=True),
        FieldSpec('usable_bytes', 'int64', V(4, 32767), default=-1, ignorable=True),
    ),
)


_DESCRIBE_LOG_DIRS_RESPONSE = MessageSpec(
    DescribeLogDirsResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(3, 32767), default=0, ignorable=True),
        FieldSpec('results', 'array', V(0, 32767), struct=_DESCRIBE_LOG_DIRS_RESULT),
    ),
    name='DescribeLogDirsResponse',
    api_key=35,
    valid=V(0, 4),
    flexible=V(2, 32767),
)


DESCRIBE_LOG_DIRS_REQUEST_SPEC: MessageSpec = _DESCRIBE_LOG_DIRS_REQUEST
DESCRIBE_LOG_DIRS_RESPONSE_SPEC: MessageSpec = _DESCRIBE_LOG_DIRS_RESPONSE
