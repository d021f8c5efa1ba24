"""Deletes the share state of an empty share group on topics (KIP-932): the group starts over
on them, as share.auto.offset.reset says.

Generated from protocol/messages/delete_share_group_offsets.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class DeleteShareGroupOffsetsRequestTopic(Message):
    """The topics."""

    __slots__ = ('topic_name',)

    topic_name: str
    """The topic."""

    def __init__(self, *, topic_name: str = "") -> None:
        self.topic_name = topic_name


class DeleteShareGroupOffsetsRequest(Message):
    __slots__ = ('group_id', 'topics',)

    group_id: str
    """The group."""

    topics: list[DeleteShareGroupOffsetsRequestTopic]
    """The topics."""

    def __init__(self, *, group_id: str = "", topics: list[DeleteShareGroupOffsetsRequestTopic] = UNSET) -> None:
        self.group_id = group_id
        self.topics = list() if topics is UNSET else topics


class DeleteShareGroupOffsetsResponseTopic(Message):
    """The topics."""

    __slots__ = ('topic_name', 'topic_id', 'error_code', 'error_message',)

    topic_name: str
    """The topic."""

    topic_id: uuid.UUID
    """The topic id."""

    error_code: int
    """The topic-level error code, 0 on success."""

    error_message: str | None
    """The topic-level error message, or null. (nullable v0+)"""

    def __init__(self, *, topic_name: str = "", topic_id: uuid.UUID = ZERO_UUID, error_code: int = 0, error_message: str | None = None) -> None:
        self.topic_name = topic_name
        self.topic_id = topic_id
        self.error_code = error_code
        self.error_message = error_message


class DeleteShareGroupOffsetsResponse(Message):
    __slots__ = ('throttle_time_ms', 'error_code', 'error_message', 'responses',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    error_code: int
    """The top-level error code, 0 on success."""

    error_message: str | None
    """The top-level error message, or null. (nullable v0+)"""

    responses: list[DeleteShareGroupOffsetsResponseTopic]
    """The topics."""

    def __init__(self, *, throttle_time_ms: int = 0, error_code: int = 0, error_message: str | None = None, responses: list[DeleteShareGroupOffsetsResponseTopic] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.error_code = error_code
        self.error_message = error_message
        self.responses = list() if responses is UNSET else responses


_DELETE_SHARE_GROUP_OFFSETS_REQUEST_TOPIC = StructSpec(
    DeleteShareGroupOffsetsRequestTopic,
    (
        FieldSpec('topic_name', 'string', V(0, 32767), default=""),
    ),
)


_DELETE_SHARE_GROUP_OFFSETS_REQUEST = MessageSpec(
    DeleteShareGroupOffsetsRequest,
    (
        FieldSpec('group_id', 'string', V(0, 32767), default=""),
        FieldSpec('topics', 'array', V(0, 32767), struct=_DELETE_SHARE_GROUP_OFFSETS_REQUEST_TOPIC),
    ),
    name='DeleteShareGroupOffsetsRequest',
    api_key=92,
    valid=V(0, 0),
    flexible=V(0, 32767),
)


_DELETE_SHARE_GROUP_OFFSETS_RESPONSE_TOPIC = StructSpec(
    DeleteShareGroupOffsetsResponseTopic,
    (
        FieldSpec('topic_name', 'string', V(0, 32767), default=""),
        FieldSpec('topic_id', 'uuid', V(0, 32767), default=ZERO_UUID),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(0, 32767)),
    ),
)


_DELETE_SHARE_GROUP_OFFSETS_RESPONSE = MessageSpec(
    DeleteShareGroupOffsetsResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(0, 32767)),
        FieldSpec('responses', 'array', V(0, 32767), struct=_DELETE_SHARE_GROUP_OFFSETS_RESPONSE_TOPIC),
    ),
    name='DeleteShareGroupOffsetsResponse',
    api_key=92,
    valid=V(0, 0),
    flexible=V(0, 32767),
)


DELETE_SHARE_GROUP_OFFSETS_REQUEST_SPEC: MessageSpec = _DELETE_SHARE_GROUP_OFFSETS_REQUEST
DELETE_SHARE_GROUP_OFFSETS_RESPONSE_SPEC: MessageSpec = _DELETE_SHARE_GROUP_OFFSETS_RESPONSE
