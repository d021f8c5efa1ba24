"""Moves partitions to new replica sets, or cancels a move in progress.

Generated from protocol/messages/alter_partition_reassignments.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class ReassignablePartition(Message):
    """The partitions to reassign."""

    __slots__ = ('partition_index', 'replicas',)

    partition_index: int
    """The partition index."""

    replicas: list[int] | None
    """The target replicas, or null to cancel a reassignment in progress. (nullable v0+)"""

    def __init__(self, *, partition_index: int = 0, replicas: list[int] | None = None) -> None:
        self.partition_index = partition_index
        self.replicas = replicas


class ReassignableTopic(Message):
    """The topics to reassign."""

    __slots__ = ('name', 'partitions',)

    name: str
    """The topic name."""

    partitions: list[ReassignablePartition]
    """The partitions to reassign."""

    def __init__(self, *, name: str = "", partitions: list[ReassignablePartition] = UNSET) -> None:
        self.name = name
        self.partitions = list() if partitions is UNSET else partitions


class AlterPartitionReassignmentsRequest(Message):
    __slots__ = ('timeout_ms', 'allow_replication_factor_change', 'topics',)

    timeout_ms: int
    """How long to wait for the change, in milliseconds."""

    allow_replication_factor_change: bool
    """Whether a reassignment may change the replication factor (KIP-860). (v1+)"""

    topics: list[ReassignableTopic]
    """The topics to reassign."""

    def __init__(self, *, timeout_ms: int = 60000, allow_replication_factor_change: bool = True, topics: list[ReassignableTopic] = UNSET) -> None:
        self.timeout_ms = timeout_ms
        self.allow_replication_factor_change = allow_replication_factor_change
        self.topics = list() if topics is UNSET else topics


class ReassignablePartitionResponse(Message):
    """The result of each partition."""

    __slots__ = ('partition_index', 'error_code', 'error_message',)

    partition_index: int
    """The partition index."""

    error_code: int
    """The error code, 0 on success."""

    error_message: str | None
    """A message describing the error, or null. (nullable v0+)"""

    def __init__(self, *, partition_index: int = 0, error_code: int = 0, error_message: str | None = None) -> None:
        self.partition_index = partition_index
        self.error_code = error_code
        self.error_message = error_message


class ReassignableTopicResponse(Message):
    """The result of each topic."""

    __slots__ = ('name', 'partitions',)

    name: str
    """The topic name."""

    partitions: list[ReassignablePartitionResponse]
    """The result of each partition."""

    def __init__(self, *, name: str = "", partitions: list[ReassignablePartitionResponse] = UNSET) -> None:
        self.name = name
        self.partitions = list() if partitions is UNSET else partitions


class AlterPartitionReassignmentsResponse(Message):
    __slots__ = ('throttle_time_ms', 'allow_replication_factor_change', 'error_code', 'error_message', 'responses',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    allow_replication_factor_change: bool
    """The request's allow_replication_factor_change, echoed. (v1+)"""

    error_code: int
    """The top-level error code, 0 on success."""

    error_message: str | None
    """A message describing the error, or null. (nullable v0+)"""

    responses: list[ReassignableTopicResponse]
    """The result of each topic."""

    def __init__(self, *, throttle_time_ms: int = 0, allow_replication_factor_change: bool = True, error_code: int = 0, error_message: str | None = None, responses: list[ReassignableTopicResponse] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.allow_replication_factor_change = allow_replication_factor_change
        self.error_code = error_code
        self.error_message = error_message
        self.responses = list() if responses is UNSET else responses


_REASSIGNABLE_PARTITION = StructSpec(
    ReassignablePartition,
    (
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
        FieldSpec('replicas', 'array', V(0, 32767), nullable=V(0, 32767), of='int32'),
    ),
)


_REASSIGNABLE_TOPIC = StructSpec(
    ReassignableTopic,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_REASSIGNABLE_PARTITION),
    ),
)


_ALTER_PARTITION_REASSIGNMENTS_REQUEST = MessageSpec(
    AlterPartitionReassignmentsRequest,
    (
        FieldSpec('timeout_ms', 'int32', V(0, 32767), default=60000),
        FieldSpec('allow_replication_factor_change', 'bool', V(1, 32767), default=True),
        FieldSpec('topics', 'array', V(0, 32767), struct=_REASSIGNABLE_TOPIC),
    ),
    name='AlterPartitionReassignmentsRequest',
    api_key=45,
    valid=V(0, 1),
    flexible=V(0, 32767),
)


_REASSIGNABLE_PARTITION_RESPONSE = StructSpec(
    ReassignablePartitionResponse,
    (
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(0, 32767)),
    ),
)


_REASSIGNABLE_TOPIC_RESPONSE = StructSpec(
    ReassignableTopicResponse,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_REASSIGNABLE_PARTITION_RESPONSE),
    ),
)


_ALTER_PARTITION_REASSIGNMENTS_RESPONSE = MessageSpec(
    AlterPartitionReassignmentsResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('allow_replication_factor_change', 'bool', V(1, 32767), default=True, ignorable=True),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(0, 32767)),
        FieldSpec('responses', 'array', V(0, 32767), struct=_REASSIGNABLE_TOPIC_RESPONSE),
    ),
    name='AlterPartitionReassignmentsResponse',
    api_key=45,
    valid=V(0, 1),
    flexible=V(0, 32767),
)


ALTER_PARTITION_REASSIGNMENTS_REQUEST_SPEC: MessageSpec = _ALTER_PARTITION_REASSIGNMENTS_REQUEST
ALTER_PARTITION_REASSIGNMENTS_RESPONSE_SPEC: MessageSpec = _ALTER_PARTITION_REASSIGNMENTS_RESPONSE
