"""Describes a broker's log directories and the size and lag of each partition in them. Version
0 (the same layout as version 1), removed in Kafka 4 (KIP-896), is served as Kafka 3.x
served it.

Generated from protocol/messages/describe_log_dirs.json by kafkalite.protocol.codegen: do not edit.
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
class DescribableLogDirTopic:
    """The partitions to describe, by topic, or null for all of them."""

    topic: str = ""
    """The topic name."""
    partitions: list[int] = field(default_factory=list)
    """The partition indexes."""


@dataclass(slots=True, kw_only=True)
class DescribeLogDirsRequest:
    topics: list[DescribableLogDirTopic] | None = None
    """The partitions to describe, by topic, or null for all of them. (nullable v0+)"""


@dataclass(slots=True, kw_only=True)
class DescribeLogDirsPartition:
    """The partitions."""

    partition_index: int = 0
    """The partition index."""
    partition_size: int = 0
    """The size of the partition's log segments in bytes."""
    offset_lag: int = 0
    """How far the log end offset trails the high watermark (or, for a future log, the current log)."""
    is_future_key: bool = False
    """True for a future log that will replace the current one."""


@dataclass(slots=True, kw_only=True)
class DescribeLogDirsTopic:
    """The partitions in the directory, by topic."""

    name: str = ""
    """The topic name."""
    partitions: list[DescribeLogDirsPartition] = field(default_factory=list)
    """The partitions."""


@dataclass(slots=True, kw_only=True)
class DescribeLogDirsResult:
    """One entry per log directory."""

    error_code: int = 0
    """The error code for the directory, 0 on success."""
    log_dir: str = ""
    """The directory's absolute path."""
    topics: list[DescribeLogDirsTopic] = field(default_factory=list)
    """The partitions in the directory, by topic."""
    total_bytes: int = -1
    """The size of the directory's volume in bytes, -1 if unknown (KIP-827). (v4+)"""
    usable_bytes: int = -1
    """The free space on the directory's volume in bytes, -1 if unknown (KIP-827). (v4+)"""


@dataclass(slots=True, kw_only=True)
class DescribeLogDirsResponse:
    throttle_time_ms: int = 0
    """How long the request was throttled, in milliseconds."""
    error_code: int = 0
    """The top-level error code, 0 on success (KIP-784). (v3+)"""
    results: list[DescribeLogDirsResult] = field(default_factory=list)
    """One entry per log directory."""


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
