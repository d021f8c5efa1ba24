"""Raises the partition count of existing topics.

Generated from protocol/messages/create_partitions.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class CreatePartitionsAssignment(Message):
    """The replicas of each new partition, or null for automatic placement."""

    __slots__ = ('broker_ids',)

    broker_ids: list[int]
    """The brokers holding the new partition's replicas."""

    def __init__(self, *, broker_ids: list[int] = UNSET) -> None:
        self.broker_ids = list() if broker_ids is UNSET else broker_ids


class CreatePartitionsTopic(Message):
    """The topics to grow."""

    __slots__ = ('name', 'count', 'assignments',)

    name: str
    """The topic name."""

    count: int
    """The new total partition count."""

    assignments: list[CreatePartitionsAssignment] | None
    """The replicas of each new partition, or null for automatic placement. (nullable v0+)"""

    def __init__(self, *, name: str = "", count: int = 0, assignments: list[CreatePartitionsAssignment] | None = None) -> None:
        self.name = name
        self.count = count
        self.assignments = assignments


class CreatePartitionsRequest(Message):
    __slots__ = ('topics', 'timeout_ms', 'validate_only',)

    topics: list[CreatePartitionsTopic]
    """The topics to grow."""

    timeout_ms: int
    """How long to wait for the partitions to be created, in milliseconds."""

    validate_only: bool
    """If true, only check that the partitions could be created."""

    def __init__(self, *, topics: list[CreatePartitionsTopic] = UNSET, timeout_ms: int = 0, validate_only: bool = False) -> None:
        self.topics = list() if topics is UNSET else topics
        self.timeout_ms = timeout_ms
        self.validate_only = validate_only


class CreatePartitionsTopicResult(Message):
    """One result per requested topic."""

    __slots__ = ('name', 'error_code', 'error_message',)

    name: str
    """The topic name."""

    error_code: int
    """The error code, 0 on success."""

    error_message: str | None
    """A message describing the error, or null. (nullable v0+)"""

    def __init__(self, *, name: str = "", error_code: int = 0, error_message: str | None = None) -> None:
        self.name = name
        self.error_code = error_code
        self.error_message = error_message


class CreatePartitionsResponse(Message):
    __slots__ = ('throttle_time_ms', 'results',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    results: list[CreatePartitionsTopicResult]
    """One result per requested topic."""

    def __init__(self, *, throttle_time_ms: int = 0, results: list[CreatePartitionsTopicResult] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.results = list() if results is UNSET else results


_CREATE_PARTITIONS_ASSIGNMENT = StructSpec(
    CreatePartitionsAssignment,
    (
        FieldSpec('broker_ids', 'array', V(0, 32767), of='int32'),
    ),
)


_CREATE_PARTITIONS_TOPIC = StructSpec(
    CreatePartitionsTopic,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('count', 'int32', V(0, 32767), default=0),
        FieldSpec('assignments', 'array', V(0, 32767), nullable=V(0, 32767), struct=_CREATE_PARTITIONS_ASSIGNMENT),
    ),
)


_CREATE_PARTITIONS_REQUEST = MessageSpec(
    CreatePartitionsRequest,
    (
        FieldSpec('topics', 'array', V(0, 32767), struct=_CREATE_PARTITIONS_TOPIC),
        FieldSpec('timeout_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('validate_only', 'bool', V(0, 32767), default=False),
    ),
    name='CreatePartitionsRequest',
    api_key=37,
    valid=V(0, 3),
    flexible=V(2, 32767),
)


_CREATE_PARTITIONS_TOPIC_RESULT = StructSpec(
    CreatePartitionsTopicResult,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(0, 32767)),
    ),
)


_CREATE_PARTITIONS_RESPONSE = MessageSpec(
    CreatePartitionsResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('results', 'array', V(0, 32767), struct=_CREATE_PARTITIONS_TOPIC_RESULT),
    ),
    name='CreatePartitionsResponse',
    api_key=37,
    valid=V(0, 3),
    flexible=V(2, 32767),
)


CREATE_PARTITIONS_REQUEST_SPEC: MessageSpec = _CREATE_PARTITIONS_REQUEST
CREATE_PARTITIONS_RESPONSE_SPEC: MessageSpec = _CREATE_PARTITIONS_RESPONSE
