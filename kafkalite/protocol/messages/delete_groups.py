"""Deletes empty groups and their committed offsets.

Generated from protocol/messages/delete_groups.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class DeleteGroupsRequest(Message):
    __slots__ = ('groups_names',)

    groups_names: list[str]
    """The ids of the groups to delete."""

    def __init__(self, *, groups_names: list[str] = UNSET) -> None:
        self.groups_names = list() if groups_names is UNSET else groups_names


class DeletableGroupResult(Message):
    """One result per requested group."""

    __slots__ = ('group_id', 'error_code',)

    group_id: str
    """The group id."""

    error_code: int
    """The error code, 0 if the group was deleted."""

    def __init__(self, *, group_id: str = "", error_code: int = 0) -> None:
        self.group_id = group_id
        self.error_code = error_code


class DeleteGroupsResponse(Message):
    __slots__ = ('throttle_time_ms', 'results',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    results: list[DeletableGroupResult]
    """One result per requested group."""

    def __init__(self, *, throttle_time_ms: int = 0, results: list[DeletableGroupResult] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.results = list() if results is UNSET else results


_DELETE_GROUPS_REQUEST = MessageSpec(
    DeleteGroupsRequest,
    (
        FieldSpec('groups_names', 'array', V(0, 32767), of='string'),
    ),
    name='DeleteGroupsRequest',
    api_key=42,
    valid=V(0, 2),
    flexible=V(2, 32767),
)


_DELETABLE_GROUP_RESULT = StructSpec(
    DeletableGroupResult,
    (
        FieldSpec('group_id', 'string', V(0, 32767), default=""),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
    ),
)


_DELETE_GROUPS_RESPONSE = MessageSpec(
    DeleteGroupsResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('results', 'array', V(0, 32767), struct=_DELETABLE_GROUP_RESULT),
    ),
    name='DeleteGroupsResponse',
    api_key=42,
    valid=V(0, 2),
    flexible=V(2, 32767),
)


DELETE_GROUPS_REQUEST_SPEC: MessageSpec = _DELETE_GROUPS_REQUEST
DELETE_GROUPS_RESPONSE_SPEC: MessageSpec = _DELETE_GROUPS_RESPONSE
