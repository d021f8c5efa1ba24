"""Elects the preferred leader, or any live replica (unclean), for partitions.

Generated from protocol/messages/elect_leaders.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class ElectLeadersTopic(Message):
    """The partitions to elect leaders for, or null for every partition."""

    __slots__ = ('topic', 'partitions',)

    topic: str
    """The topic name."""

    partitions: list[int]
    """The partition indexes."""

    def __init__(self, *, topic: str = "", partitions: list[int] = UNSET) -> None:
        self.topic = topic
        self.partitions = list() if partitions is UNSET else partitions


class ElectLeadersRequest(Message):
    __slots__ = ('election_type', 'topic_partitions', 'timeout_ms',)

    election_type: int
    """0 preferred, 1 unclean (KIP-460); v0 is always preferred. (v1+)"""

    topic_partitions: list[ElectLeadersTopic] | None
    """The partitions to elect leaders for, or null for every partition. (nullable v0+)"""

    timeout_ms: int
    """How long to wait for the elections, in milliseconds."""

    def __init__(self, *, election_type: int = 0, topic_partitions: list[ElectLeadersTopic] | None = None, timeout_ms: int = 60000) -> None:
        self.election_type = election_type
        self.topic_partitions = topic_partitions
        self.timeout_ms = timeout_ms


class ElectLeadersPartitionResult(Message):
    """The result of each partition."""

    __slots__ = ('partition_id', 'error_code', 'error_message',)

    partition_id: int
    """The partition index."""

    error_code: int
    """The error code, 0 on success."""

    error_message: str | None
    """A message describing the error, or null. (nullable v0+)"""

    def __init__(self, *, partition_id: int = 0, error_code: int = 0, error_message: str | None = None) -> None:
        self.partition_id = partition_id
        self.error_code = error_code
        self.error_message = error_message


class ElectLeadersTopicResult(Message):
    """The result of each topic."""

    __slots__ = ('topic', 'partition_result',)

    topic: str
    """The topic name."""

    partition_result: list[ElectLeadersPartitionResult]
    """The result of each partition."""

    def __init__(self, *, topic: str = "", partition_result: list[ElectLeadersPartitionResult] = UNSET) -> None:
        self.topic = topic
        self.partition_result = list() if partition_result is UNSET else partition_result


class ElectLeadersResponse(Message):
    __slots__ = ('throttle_time_ms', 'error_code', 'replica_election_results',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    error_code: int
    """The top-level error code, 0 on success. (v1+)"""

    replica_election_results: list[ElectLeadersTopicResult]
    """The result of each topic."""

    def __init__(self, *, throttle_time_ms: int = 0, error_code: int = 0, replica_election_results: list[ElectLeadersTopicResult] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.error_code = error_code
        self.replica_election_results = list() if replica_election_results is UNSET else replica_election_results


_ELECT_LEADERS_TOPIC = StructSpec(
    ElectLeadersTopic,
    (
        FieldSpec('topic', 'string', V(0, 32767), default=""),
        FieldSpec('partitions', 'array', V(0, 32767), of='int32'),
    ),
)


_ELECT_LEADERS_REQUEST = MessageSpec(
    ElectLeadersRequest,
    (
        FieldSpec('election_type', 'int8', V(1, 32767), default=0),
        FieldSpec('topic_partitions', 'array', V(0, 32767), nullable=V(0, 32767), struct=_ELECT_LEADERS_TOPIC),
        FieldSpec('timeout_ms', 'int32', V(0, 32767), default=60000),
    ),
    name='ElectLeadersRequest',
    api_key=43,
    valid=V(0, 2),
    flexible=V(2, 32767),
)


_ELECT_LEADERS_PARTITION_RESULT = StructSpec(
    ElectLeadersPartitionResult,
    (
        FieldSpec('partition_id', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(0, 32767)),
    ),
)


_ELECT_LEADERS_TOPIC_RESULT = StructSpec(
    ElectLeadersTopicResult,
    (
        FieldSpec('topic', 'string', V(0, 32767), default=""),
        FieldSpec('partition_result', 'array', V(0, 32767), struct=_ELECT_LEADERS_PARTITION_RESULT),
    ),
)


_ELECT_LEADERS_RESPONSE = MessageSpec(
    ElectLeadersResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(1, 32767), default=0),
        FieldSpec('replica_election_results', 'array', V(0, 32767), struct=_ELECT_LEADERS_TOPIC_RESULT),
    ),
    name='ElectLeadersResponse',
    api_key=43,
    valid=V(0, 2),
    flexible=V(2, 32767),
)


ELECT_LEADERS_REQUEST_SPEC: MessageSpec = _ELECT_LEADERS_REQUEST
ELECT_LEADERS_RESPONSE_SPEC: MessageSpec = _ELECT_LEADERS_RESPONSE
