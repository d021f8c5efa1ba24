"""Deletes topics, by name or, from version 6, by topic id. Version 0, removed in Kafka 4
(KIP-896), is served as Kafka 3.x served it.

Generated from protocol/messages/delete_topics.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class DeleteTopicState(Message):
    """The topics to delete, each by name or by id."""

    __slots__ = ('name', 'topic_id',)

    name: str | None
    """The topic name, or null to name the topic by id. (v6+, nullable v6+)"""

    topic_id: uuid.UUID
    """The topic id, or all zeros to name the topic by name. (v6+)"""

    def __init__(self, *, name: str | None = None, topic_id: uuid.UUID = ZERO_UUID) -> None:
        self.name = name
        self.topic_id = topic_id


class DeleteTopicsRequest(Message):
    __slots__ = ('topics', 'topic_names', 'timeout_ms',)

    topics: list[DeleteTopicState]
    """The topics to delete, each by name or by id. (v6+)"""

    topic_names: list[str]
    """The names of the topics to delete. (v0-5)"""

    timeout_ms: int
    """How long to wait for the deletions to finish, in milliseconds."""

    def __init__(self, *, topics: list[DeleteTopicState] = UNSET, topic_names: list[str] = UNSET, timeout_ms: int = 0) -> None:
        self.topics = list() if topics is UNSET else topics
        self.topic_names = list() if topic_names is UNSET else topic_names
        self.timeout_ms = timeout_ms


class DeletableTopicResult(Message):
    """One result per requested topic."""

    __slots__ = ('name', 'topic_id', 'error_code', 'error_message',)

    name: str | None
    """The topic name; null (v6+) when the topic was named by an unknown id. (nullable v6+)"""

    topic_id: uuid.UUID
    """The topic id. (v6+)"""

    error_code: int
    """The error code, 0 if the topic was deleted."""

    error_message: str | None
    """A message describing the error, or null. (v5+, nullable v5+)"""

    def __init__(self, *, name: str | None = "", topic_id: uuid.UUID = ZERO_UUID, error_code: int = 0, error_message: str | None = None) -> None:
        self.name = name
        self.topic_id = topic_id
        self.error_code = error_code
        self.error_message = error_message


class DeleteTopicsResponse(Message):
    __slots__ = ('throttle_time_ms', 'responses',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds. (v1+)"""

    responses: list[DeletableTopicResult]
    """One result per requested topic."""

    def __init__(self, *, throttle_time_ms: int = 0, responses: list[DeletableTopicResult] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.responses = list() if responses is UNSET else responses


_DELETE_TOPIC_STATE = StructSpec(
    DeleteTopicState,
    (
        FieldSpec('name', 'string', V(6, 32767), nullable=V(6, 32767)),
        FieldSpec('topic_id', 'uuid', V(6, 32767), default=ZERO_UUID),
    ),
)


_DELETE_TOPICS_REQUEST = MessageSpec(
    DeleteTopicsRequest,
    (
        FieldSpec('topics', 'array', V(6, 32767), struct=_DELETE_TOPIC_STATE),
        FieldSpec('topic_names', 'array', V(0, 5), ignorable=True, of='string'),
        FieldSpec('timeout_ms', 'int32', V(0, 32767), default=0),
    ),
    name='DeleteTopicsRequest',
    api_key=20,
    valid=V(0, 6),
    flexible=V(4, 32767),
)


_DELETABLE_TOPIC_RESULT = StructSpec(
    DeletableTopicResult,
    (
        FieldSpec('name', 'string', V(0, 32767), nullable=V(6, 32767), default=""),
        FieldSpec('topic_id', 'uuid', V(6, 32767), default=ZERO_UUID, ignorable=True),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(5, 32767), nullable=V(5, 32767), ignorable=True),
    ),
)


_DELETE_TOPICS_RESPONSE = MessageSpec(
    DeleteTopicsResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(1, 32767), default=0, ignorable=True),
        FieldSpec('responses', 'array', V(0, 32767), struct=_DELETABLE_TOPIC_RESULT),
    ),
    name='DeleteTopicsResponse',
    api_key=20,
    valid=V(0, 6),
    flexible=V(4, 32767),
)


DELETE_TOPICS_REQUEST_SPEC: MessageSpec = _DELETE_TOPICS_REQUEST
DELETE_TOPICS_RESPONSE_SPEC: MessageSpec = _DELETE_TOPICS_RESPONSE
