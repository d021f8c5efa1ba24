"""Lists the partition reassignments in progress.

Generated from protocol/messages/list_partition_reassignments.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class ListPartitionReassignmentsTopic(Message):
    """The partitions to list, or null for every reassignment."""

    __slots__ = ('name', 'partition_indexes',)

    name: str
    """The topic name."""

    partition_indexes: list[int]
    """The partition indexes."""

    def __init__(self, *, name: str = "", partition_indexes: list[int] = UNSET) -> None:
        self.name = name
        self.partition_indexes = list() if partition_indexes is UNSET else partition_indexes


class ListPartitionReassignmentsRequest(Message):
    __slots__ = ('timeout_ms', 'topics',)

    timeout_ms: int
    """How long to wait for the answer, in milliseconds."""

    topics: list[ListPartitionReassignmentsTopic] | None
    """The partitions to list, or null for every reassignment. (nullable v0+)"""

    def __init__(self, *, timeout_ms: int = 60000, topics: list[ListPartitionReassignmentsTopic] | None = None) -> None:
        self.timeout_ms = timeout_ms
        self.topics = topics


class OngoingPartitionReassignment(Message):
    """The partitions being reassigned."""

    __slots__ = ('partition_index', 'replicas', 'adding_replicas', 'removing_replicas',)

    partition_index: int
    """The partition index."""

    replicas: list[int]
    """The current replicas."""

    adding_replicas: list[int]
    """The replicas being added."""

    removing_replicas: list[int]
    """The replicas being removed."""

    def __init__(self, *, partition_index: int = 0, replicas: list[int] = UNSET, adding_replicas: list[int] = UNSET, removing_replicas: list[int] = UNSET) -> None:
        self.partition_index = partition_index
        self.replicas = list() if replicas is UNSET else replicas
        self.adding_replicas = list() if adding_replicas is UNSET else adding_replicas
        self.removing_replicas = list() if removing_replicas is UNSET else removing_replicas


class OngoingTopicReassignment(Message):
    """The reassignments in progress, by topic."""

    __slots__ = ('name', 'partitions',)

    name: str
    """The topic name."""

    partitions: list[OngoingPartitionReassignment]
    """The partitions being reassigned."""

    def __init__(self, *, name: str = "", partitions: list[OngoingPartitionReassignment] = UNSET) -> None:
        self.name = name
        self.partitions = list() if partitions is UNSET else partitions


class ListPartitionReassignmentsResponse(Message):
    __slots__ = ('throttle_time_ms', 'error_code', 'error_message', 'topics',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    error_code: int
    """The top-level error code, 0 on success."""

    error_message: str | None
    """A message describing the error, or null. (nullable v0+)"""

    topics: list[OngoingTopicReassignment]
    """The reassignments in progress, by topic."""

    def __init__(self, *, throttle_time_ms: int = 0, error_code: int = 0, error_message: str | None = None, topics: list[OngoingTopicReassignment] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.error_code = error_code
        self.error_message = error_message
        self.topics = list() if topics is UNSET else topics


_LIST_PARTITION_REASSIGNMENTS_TOPIC = StructSpec(
    ListPartitionReassignmentsTopic,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('partition_indexes', 'array', V(0, 32767), of='int32'),
    ),
)


_LIST_PARTITION_REASSIGNMENTS_REQUEST = MessageSpec(
    ListPartitionReassignmentsRequest,
    (
        FieldSpec('timeout_ms', 'int32', V(0, 32767), default=60000),
        FieldSpec('topics', 'array', V(0, 32767), nullable=V(0, 32767), struct=_LIST_PARTITION_REASSIGNMENTS_TOPIC),
    ),
    name='ListPartitionReassignmentsRequest',
    api_key=46,
    valid=V(0, 0),
    flexible=V(0, 32767),
)


_ONGOING_PARTITION_REASSIGNMENT = StructSpec(
    OngoingPartitionReassignment,
    (
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
        FieldSpec('replicas', 'array', V(0, 32767), of='int32'),
        FieldSpec('adding_replicas', 'array', V(0, 32767), of='int32'),
        FieldSpec('removing_replicas', 'array', V(0, 32767), of='int32'),
    ),
)


_ONGOING_TOPIC_REASSIGNMENT = StructSpec(
    OngoingTopicReassignment,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_ONGOING_PARTITION_REASSIGNMENT),
    ),
)


_LIST_PARTITION_REASSIGNMENTS_RESPONSE = MessageSpec(
    ListPartitionReassignmentsResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(0, 32767)),
        FieldSpec('topics', 'array', V(0, 32767), struct=_ONGOING_TOPIC_REASSIGNMENT),
    ),
    name='ListPartitionReassignmentsResponse',
    api_key=46,
    valid=V(0, 0),
    flexible=V(0, 32767),
)


LIST_PARTITION_REASSIGNMENTS_REQUEST_SPEC: MessageSpec = _LIST_PARTITION_REASSIGNMENTS_REQUEST
LIST_PARTITION_REASSIGNMENTS_RESPONSE_SPEC: MessageSpec = _LIST_PARTITION_REASSIGNMENTS_RESPONSE
