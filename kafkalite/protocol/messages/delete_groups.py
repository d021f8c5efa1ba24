"""Deletes empty groups and their committed offsets.

Generated from protocol/messages/delete_groups.json by kafkalite.protocol.codegen: do not edit.
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
class DeleteGroupsRequest:
    groups_names: list[str] = field(default_factory=list)
    """The ids of the groups to delete."""


@dataclass(slots=True, kw_only=True)
class DeletableGroupResult:
    """One result per requested group."""

    group_id: str = ""
    """The group id."""
    error_code: int = 0
    """The error code, 0 if the group was deleted."""


@dataclass(slots=True, kw_only=True)
class DeleteGroupsResponse:
    throttle_time_ms: int = 0
    """How long the request was throttled, in milliseconds."""
    results: list[DeletableGroupResult] = field(default_factory=list)
    """One result per requested group."""


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
