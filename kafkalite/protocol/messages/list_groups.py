"""Lists the groups a coordinator manages, optionally only those in given states.

Generated from protocol/messages/list_groups.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class ListGroupsRequest(Message):
    __slots__ = ('states_filter', 'types_filter',)

    states_filter: list[str]
    """The group states to list; empty for all groups (KIP-518). (v4+)"""

    types_filter: list[str]
    """The group types to list; empty for all groups (KIP-848). (v5+)"""

    def __init__(self, *, states_filter: list[str] = UNSET, types_filter: list[str] = UNSET) -> None:
        self.states_filter = list() if states_filter is UNSET else states_filter
        self.types_filter = list() if types_filter is UNSET else types_filter


class ListedGroup(Message):
    """The groups."""

    __slots__ = ('group_id', 'protocol_type', 'group_state', 'group_type',)

    group_id: str
    """The group id."""

    protocol_type: str
    """The group's protocol type."""

    group_state: str
    """The group's state. (v4+)"""

    group_type: str
    """The group's type: classic, consumer, share or streams. (v5+)"""

    def __init__(self, *, group_id: str = "", protocol_type: str = "", group_state: str = "", group_type: str = "") -> None:
        self.group_id = group_id
        self.protocol_type = protocol_type
        self.group_state = group_state
        self.group_type = group_type


class ListGroupsResponse(Message):
    __slots__ = ('throttle_time_ms', 'error_code', 'groups',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds. (v1+)"""

    error_code: int
    """The error code, 0 on success."""

    groups: list[ListedGroup]
    """The groups."""

    def __init__(self, *, throttle_time_ms: int = 0, error_code: int = 0, groups: list[ListedGroup] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.error_code = error_code
        self.groups = list() if groups is UNSET else groups


_LIST_GROUPS_REQUEST = MessageSpec(
    ListGroupsRequest,
    (
        FieldSpec('states_filter', 'array', V(4, 32767), of='string'),
        FieldSpec('types_filter', 'array', V(5, 32767), of='string'),
    ),
    name='ListGroupsRequest',
    api_key=16,
    valid=V(0, 5),
    flexible=V(3, 32767),
)


_LISTED_GROUP = StructSpec(
    ListedGroup,
    (
        FieldSpec('group_id', 'string', V(0, 32767), default=""),
        FieldSpec('protocol_type', 'string', V(0, 32767), default=""),
        FieldSpec('group_state', 'string', V(4, 32767), default="", ignorable=True),
        FieldSpec('group_type', 'string', V(5, 32767), default="", ignorable=True),
    ),
)


_LIST_GROUPS_RESPONSE = MessageSpec(
    ListGroupsResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(1, 32767), default=0, ignorable=True),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('groups', 'array', V(0, 32767), struct=_LISTED_GROUP),
    ),
    name='ListGroupsResponse',
    api_key=16,
    valid=V(0, 5),
    flexible=V(3, 32767),
)


LIST_GROUPS_REQUEST_SPEC: MessageSpec = _LIST_GROUPS_REQUEST
LIST_GROUPS_RESPONSE_SPEC: MessageSpec = _LIST_GROUPS_RESPONSE
