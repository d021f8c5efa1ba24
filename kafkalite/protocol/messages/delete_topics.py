"""Deletes topics, by name or, from version 6, by topic id. Version 0, removed in Kafka 4
(KIP-896), is served as Kafka 3.x served it.

Generated from protocol/messages/delete_topics.json by kafkalite.protocol.codegen: do not edit.
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
class DeleteTopicState:
    """The topics to delete, each by name or by id."""

    name: str | None = None
    """The topic name, or null to name the topic by id. (v6+, nullable v6+)"""
    topic_id: uuid.UUID = ZERO_UUID
    """The topic id, or all zeros to name the topic by name. (v6+)"""


@dataclass(slots=True, kw_only=True)
class DeleteTopicsRequest:
    topics: list[DeleteTopicState] = field(default_factory=list)
    """The topics to delete, each by name or by id. (v6+)"""
    topic_names: list[str] = field(default_factory=list)
    """The names of the topics to delete. (v0-5)"""
    timeout_ms: int = 0
    """How long to wait for the deletions to finish, in milliseconds."""


@dataclass(slots=True, kw_only=True)
class DeletableTopicResult:
    """One result per requested topic."""

    name: str | None = ""
    """The topic name; null (v6+) when the topic was named by an unknown id. (nullable v6+)"""
    topic_id: uuid.UUID = ZERO_UUID
    """The topic id. (v6+)"""
    error_code: int = 0
    """The error code, 0 if the topic was deleted."""
    error_message: str | None = None
    """A message describing the error, or null. (v5+, nullable v5+)"""


@dataclass(slots=True, kw_only=True)
class DeleteTopicsResponse:
    throttle_time_ms: int = 0
    """How long the request was throttled, in milliseconds. (v1+)"""
    responses: list[DeletableTopicResult] = field(default_factory=list)
    """One result per requested topic."""


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
