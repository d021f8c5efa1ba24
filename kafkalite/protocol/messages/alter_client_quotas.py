"""Sets and removes client quotas.

Generated from protocol/messages/alter_client_quotas.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class EntityData(Message):
    """The entity's components."""

    __slots__ = ('entity_type', 'entity_name',)

    entity_type: str
    """user, client-id or ip."""

    entity_name: str | None
    """The entity name, or null for the default entity. (nullable v0+)"""

    def __init__(self, *, entity_type: str = "", entity_name: str | None = None) -> None:
        self.entity_type = entity_type
        self.entity_name = entity_name


class OpData(Message):
    """The changes."""

    __slots__ = ('key', 'value', 'remove',)

    key: str
    """The quota configuration key."""

    value: float
    """The value to set."""

    remove: bool
    """Whether to remove the key instead."""

    def __init__(self, *, key: str = "", value: float = 0.0, remove: bool = False) -> None:
        self.key = key
        self.value = value
        self.remove = remove


class EntryData(Message):
    """The quota entities to alter."""

    __slots__ = ('entity', 'ops',)

    entity: list[EntityData]
    """The entity's components."""

    ops: list[OpData]
    """The changes."""

    def __init__(self, *, entity: list[EntityData] = UNSET, ops: list[OpData] = UNSET) -> None:
        self.entity = list() if entity is UNSET else entity
        self.ops = list() if ops is UNSET else ops


class AlterClientQuotasRequest(Message):
    __slots__ = ('entries', 'validate_only',)

    entries: list[EntryData]
    """The quota entities to alter."""

    validate_only: bool
    """Whether to check the request only."""

    def __init__(self, *, entries: list[EntryData] = UNSET, validate_only: bool = False) -> None:
        self.entries = list() if entries is UNSET else entries
        self.validate_only = validate_only


class EntityResult(Message):
    """The entity."""

    __slots__ = ('entity_type', 'entity_name',)

    entity_type: str
    """The entity type."""

    entity_name: str | None
    """The entity name, or null for the default entity. (nullable v0+)"""

    def __init__(self, *, entity_type: str = "", entity_name: str | None = None) -> None:
        self.entity_type = entity_type
        self.entity_name = entity_name


class EntryResult(Message):
    """One result per entry."""

    __slots__ = ('error_code', 'error_message', 'entity',)

    error_code: int
    """The error code, 0 on success."""

    error_message: str | None
    """The error message, or null. (nullable v0+)"""

    entity: list[EntityResult]
    """The entity."""

    def __init__(self, *, error_code: int = 0, error_message: str | None = None, entity: list[EntityResult] = UNSET) -> None:
        self.error_code = error_code
        self.error_message = error_message
        self.entity = list() if entity is UNSET else entity


class AlterClientQuotasResponse(Message):
    __slots__ = ('throttle_time_ms', 'entries',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    entries: list[EntryResult]
    """One result per entry."""

    def __init__(self, *, throttle_time_ms: int = 0, entries: list[EntryResult] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.entries = list() if entries is UNSET else entries


_ENTITY_DATA = StructSpec(
    EntityData,
    (
        FieldSpec('entity_type', 'string', V(0, 32767), default=""),
        FieldSpec('entity_name', 'string', V(0, 32767), nullable=V(0, 32767)),
    ),
)


_OP_DATA = StructSpec(
    OpData,
    (
        FieldSpec('key', 'string', V(0, 32767), default=""),
        FieldSpec('value', 'float64', V(0, 32767), default=0.0),
        FieldSpec('remove', 'bool', V(0, 32767), default=False),
    ),
)


_ENTRY_DATA = StructSpec(
    EntryData,
    (
        FieldSpec('entity', 'array', V(0, 32767), struct=_ENTITY_DATA),
        FieldSpec('ops', 'array', V(0, 32767), struct=_OP_DATA),
    ),
)


_ALTER_CLIENT_QUOTAS_REQUEST = MessageSpec(
    AlterClientQuotasRequest,
    (
        FieldSpec('entries', 'array', V(0, 32767), struct=_ENTRY_DATA),
        FieldSpec('validate_only', 'bool', V(0, 32767), default=False),
    ),
    name='AlterClientQuotasRequest',
    api_key=49,
    valid=V(0, 1),
    flexible=V(1, 32767),
)


_ENTITY_RESULT = StructSpec(
    EntityResult,
    (
        FieldSpec('entity_type', 'string', V(0, 32767), default=""),
        FieldSpec('entity_name', 'string', V(0, 32767), nullable=V(0, 32767)),
    ),
)


_ENTRY_RESULT = StructSpec(
    EntryResult,
    (
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(0, 32767)),
        FieldSpec('entity', 'array', V(0, 32767), struct=_ENTITY_RESULT),
    ),
)


_ALTER_CLIENT_QUOTAS_RESPONSE = MessageSpec(
    AlterClientQuotasResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('entries', 'array', V(0, 32767), struct=_ENTRY_RESULT),
    ),
    name='AlterClientQuotasResponse',
    api_key=49,
    valid=V(0, 1),
    flexible=V(1, 32767),
)


ALTER_CLIENT_QUOTAS_REQUEST_SPEC: MessageSpec = _ALTER_CLIENT_QUOTAS_REQUEST
ALTER_CLIENT_QUOTAS_RESPONSE_SPEC: MessageSpec = _ALTER_CLIENT_QUOTAS_RESPONSE
