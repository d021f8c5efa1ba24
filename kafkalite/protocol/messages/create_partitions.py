"""Raises the partition count of existing topics.

Generated from protocol/messages/create_partitions.json by kafkalite.protocol.codegen: do not edit.
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
class CreatePartitionsAssignment:
    """The replicas of each new partition, or null for automatic placement."""

    broker_ids: list[int] = field(default_factory=list)
    """The brokers holding the new partition's replicas."""


@dataclass(slots=True, kw_only=True)
class CreatePartitionsTopic:
    """The topics to grow."""

    name: str = ""
    """The topic name."""
    count: int = 0
    """The new total partition count."""
    assignments: list[CreatePartitionsAssignment] | None = None
    """The replicas of each new partition, or null for automatic placement. (nullable v0+)"""


@dataclass(slots=True, kw_only=True)
class CreatePartitionsRequest:
    topics: list[CreatePartitionsTopic] = field(default_factory=list)
    """The topics to grow."""
    timeout_ms: int = 0
    """How long to wait for the partitions to be created, in milliseconds."""
    validate_only: bool = False
    """If true, only check that the partitions could be created."""


@dataclass(slots=True, kw_only=True)
class CreatePartitionsTopicResult:
    """One result per requested topic."""

    name: str = ""
    """The topic name."""
    error_code: int = 0
    """The error code, 0 on success."""
    error_message: str | None = None
    """A message describing the error, or null. (nullable v0+)"""


@dataclass(slots=True, kw_only=True)
class CreatePartitionsResponse:
    throttle_time_ms: int = 0
    """How long the request was throttled, in milliseconds."""
    results: list[CreatePartitionsTopicResult] = field(default_factory=list)
    """One result per requested topic."""


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
