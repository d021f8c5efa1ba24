"""Moves replicas between the log directories of a broker.

Generated from protocol/messages/alter_replica_log_dirs.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class AlterReplicaLogDirTopic(Message):
    """The topics."""

    __slots__ = ('name', 'partitions',)

    name: str
    """The topic name."""

    partitions: list[int]
    """The partition indexes."""

    def __init__(self, *, name: str = "", partitions: list[int] = UNSET) -> None:
        self.name = name
        self.partitions = list() if partitions is UNSET else partitions


class AlterReplicaLogDir(Message):
    """The target directories and the replicas to move there."""

    __slots__ = ('path', 'topics',)

    path: str
    """The absolute path of the log directory."""

    topics: list[AlterReplicaLogDirTopic]
    """The topics."""

    def __init__(self, *, path: str = "", topics: list[AlterReplicaLogDirTopic] = UNSET) -> None:
        self.path = path
        self.topics = list() if topics is UNSET else topics


class AlterReplicaLogDirsRequest(Message):
    __slots__ = ('dirs',)

    dirs: list[AlterReplicaLogDir]
    """The target directories and the replicas to move there."""

    def __init__(self, *, dirs: list[AlterReplicaLogDir] = UNSET) -> None:
        self.dirs = list() if dirs is UNSET else dirs


class AlterReplicaLogDirPartitionResult(Message):
    """The result of each partition."""

    __slots__ = ('partition_index', 'error_code',)

    partition_index: int
    """The partition index."""

    error_code: int
    """The error code, 0 on success."""

    def __init__(self, *, partition_index: int = 0, error_code: int = 0) -> None:
        self.partition_index = partition_index
        self.error_code = error_code


class AlterReplicaLogDirTopicResult(Message):
    """The result of each topic."""

    __slots__ = ('topic_name', 'partitions',)

    topic_name: str
    """The topic name."""

    partitions: list[AlterReplicaLogDirPartitionResult]
    """The result of each partition."""

    def __init__(self, *, topic_name: str = "", partitions: list[AlterReplicaLogDirPartitionResult] = UNSET) -> None:
        self.topic_name = topic_name
        self.partitions = list() if partitions is UNSET else partitions


class AlterReplicaLogDirsResponse(Message):
    __slots__ = ('throttle_time_ms', 'results',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    results: list[AlterReplicaLogDirTopicResult]
    """The result of each topic."""

    def __init__(self, *, throttle_time_ms: int = 0, results: list[AlterReplicaLogDirTopicResult] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.results = list() if results is UNSET else results


_ALTER_REPLICA_LOG_DIR_TOPIC = StructSpec(
    AlterReplicaLogDirTopic,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('partitions', 'array', V(0, 32767), of='int32'),
    ),
)


_ALTER_REPLICA_LOG_DIR = StructSpec(
    AlterReplicaLogDir,
    (
        FieldSpec('path', 'string', V(0, 32767), default=""),
        FieldSpec('topics', 'array', V(0, 32767), struct=_ALTER_REPLICA_LOG_DIR_TOPIC),
    ),
)


_ALTER_REPLICA_LOG_DIRS_REQUEST = MessageSpec(
    AlterReplicaLogDirsRequest,
    (
        FieldSpec('dirs', 'array', V(0, 32767), struct=_ALTER_REPLICA_LOG_DIR),
    ),
    name='AlterReplicaLogDirsRequest',
    api_key=34,
    valid=V(1, 2),
    flexible=V(2, 32767),
)


_ALTER_REPLICA_LOG_DIR_PARTITION_RESULT = StructSpec(
    AlterReplicaLogDirPartitionResult,
    (
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
    ),
)


_ALTER_REPLICA_LOG_DIR_TOPIC_RESULT = StructSpec(
    AlterReplicaLogDirTopicResult,
    (
        FieldSpec('topic_name', 'string', V(0, 32767), default=""),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_ALTER_REPLICA_LOG_DIR_PARTITION_RESULT),
    ),
)


_ALTER_REPLICA_LOG_DIRS_RESPONSE = MessageSpec(
    AlterReplicaLogDirsResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('results', 'array', V(0, 32767), struct=_ALTER_REPLICA_LOG_DIR_TOPIC_RESULT),
    ),
    name='AlterReplicaLogDirsResponse',
    api_key=34,
    valid=V(1, 2),
    flexible=V(2, 32767),
)


ALTER_REPLICA_LOG_DIRS_REQUEST_SPEC: MessageSpec = _ALTER_REPLICA_LOG_DIRS_REQUEST
ALTER_REPLICA_LOG_DIRS_RESPONSE_SPEC: MessageSpec = _ALTER_REPLICA_LOG_DIRS_RESPONSE
