"""Describes the client quotas whose entities match a filter.

Generated from protocol/messages/describe_client_quotas.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class ComponentData(Message):
    """Each component of the filter."""

    __slots__ = ('entity_type', 'match_type', 'match',)

    entity_type: str
    """user, client-id or ip."""

    match_type: int
    """0 exact (the name in match), 1 the default entity, 2 any entity of the type."""

    match: str | None
    """The name to match exactly, or null. (nullable v0+)"""

    def __init__(self, *, entity_type: str = "", match_type: int = 0, match: str | None = None) -> None:
        self.entity_type = entity_type
        self.match_type = match_type
        self.match = match


class DescribeClientQuotasRequest(Message):
    __slots__ = ('components', 'strict',)

    components: list[ComponentData]
    """Each component of the filter."""

    strict: bool
    """Whether matching entities may have no component besides the filter's."""

    def __init__(self, *, components: list[ComponentData] = UNSET, strict: bool = False) -> None:
        self.components = list() if components is UNSET else components
        self.strict = strict


class EntityData(Message):
    """The entity's components."""

    __slots__ = ('entity_type', 'entity_name',)

    entity_type: str
    """The entity type."""

    entity_name: str | None
    """The entity name, or null for the default entity. (nullable v0+)"""

    def __init__(self, *, entity_type: str = "", entity_name: str | None = None) -> None:
        self.entity_type = entity_type
        self.entity_name = entity_name


class ValueData(Message):
    """The quota values."""

    __slots__ = ('key', 'value',)

    key: str
    """The quota configuration key."""

    value: float
    """The quota value."""

    def __init__(self, *, key: str = "", value: float = 0.0) -> None:
        self.key = key
        self.value = value


class EntryData(Message):
    """The matching quota entities, or null on error."""

    __slots__ = ('entity', 'values',)

    entity: list[EntityData]
    """The entity's components."""

    values: list[ValueData]
    """The quota values."""

    def __init__(self, *, entity: list[EntityData] = UNSET, values: list[ValueData] = UNSET) -> None:
        self.entity = list() if entity is UNSET else entity
        self.values = list() if values is UNSET else values


class DescribeClientQuotasResponse(Message):
    __slots__ = ('throttle_time_ms', 'error_code', 'error_message', 'entries',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    error_code: int
    """The error code, 0 on success."""

    error_message: str | None
    """The error message, or null. (nullable v0+)"""

    entries: list[EntryData] | None
    """The matching quota entities, or null on error. (nullable v0+)"""

    def __init__(self, *, throttle_time_ms: int = 0, error_code: int = 0, error_message: str | None = None, entries: list[EntryData] | None = None) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.error_code = error_code
        self.error_message = error_message
        self.entries = entries


_COMPONENT_DATA = StructSpec(
    ComponentData,
    (
        FieldSpec('entity_type', 'string', V(0, 32767), default=""),
        FieldSpec('match_type', 'int8', V(0, 32767), default=0),
        FieldSpec('match', 'string', V(0, 32767), nullable=V(0, 32767)),
    ),
)


_DESCRIBE_CLIENT_QUOTAS_REQUEST = MessageSpec(
    DescribeClientQuotasRequest,
    (
        FieldSpec('components', 'array', V(0, 32767), struct=_COMPONENT_DATA),
        FieldSpec('strict', 'bool', V(0, 32767), default=False),
    ),
    name='DescribeClientQuotasRequest',
    api_key=48,
    valid=V(0, 1),
    flexible=V(1, 32767),
)


_ENTITY_DATA = StructSpec(
    EntityData,
    (
        FieldSpec('entity_type', 'string', V(0, 32767), default=""),
        FieldSpec('entity_name', 'string', V(0, 32767), nullable=V(0, 32767)),
    ),
)


_VALUE_DATA = StructSpec(
    ValueData,
    (
        FieldSpec('key', 'string', V(0, 32767), default=""),
        FieldSpec('value', 'float64', V(0, 32767), default=0.0),
    ),
)


_ENTRY_DATA = StructSpec(
    EntryData,
    (
        FieldSpec('entity', 'array', V(0, 32767), struct=_ENTITY_DATA),
        FieldSpec('values', 'array', V(0, 32767), struct=_VALUE_DATA),
    ),
)


_DESCRIBE_CLIENT_QUOTAS_RESPONSE = MessageSpec(
    DescribeClientQuotasResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(0, 32767)),
        FieldSpec('entries', 'array', V(0, 32767), nullable=V(0, 32767), struct=_ENTRY_DATA),
    ),
    name='DescribeClientQuotasResponse',
    api_key=48,
    valid=V(0, 1),
    flexible=V(1, 32767),
)


DESCRIBE_CLIENT_QUOTAS_REQUEST_SPEC: MessageSpec = _DESCRIBE_CLIENT_QUOTAS_REQUEST
DESCRIBE_CLIENT_QUOTAS_RESPONSE_SPEC: MessageSpec = _DESCRIBE_CLIENT_QUOTAS_RESPONSE
