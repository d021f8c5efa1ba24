"""Changes single configs of topics or brokers: set, delete, or append to / subtract from a
list value.

Generated from protocol/messages/incremental_alter_configs.json by kafkalite.protocol.codegen: do not edit.
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
class IncrementalAlterableConfig:
    """The changes."""

    name: str = ""
    """The config name."""
    config_operation: int = 0
    """The operation: 0 set, 1 delete, 2 append, 3 subtract."""
    value: str | None = None
    """The operand. (nullable v0+)"""


@dataclass(slots=True, kw_only=True)
class IncrementalAlterConfigsResource:
    """The changes for each resource."""

    resource_type: int = 0
    """The resource type."""
    resource_name: str = ""
    """The resource name."""
    configs: list[IncrementalAlterableConfig] = field(default_factory=list)
    """The changes."""


@dataclass(slots=True, kw_only=True)
class IncrementalAlterConfigsRequest:
    resources: list[IncrementalAlterConfigsResource] = field(default_factory=list)
    """The changes for each resource."""
    validate_only: bool = False
    """If true, only check the request."""


@dataclass(slots=True, kw_only=True)
class IncrementalAlterConfigsResourceResponse:
    """One result per requested resource."""

    error_code: int = 0
    """The error code, 0 on success."""
    error_message: str | None = None
    """A message describing the error, or null. (nullable v0+)"""
    resource_type: int = 0
    """The resource type."""
    resource_name: str = ""
    """The resource name."""


@dataclass(slots=True, kw_only=True)
class IncrementalAlterConfigsResponse:
    throttle_time_ms: int = 0
    """How long the request was throttled, in milliseconds."""
    responses: list[IncrementalAlterConfigsResourceResponse] = field(default_factory=list)
    """One result per requested resource."""


_INCREMENTAL_ALTERABLE_CONFIG = StructSpec(
    IncrementalAlterableConfig,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('config_operation', 'int8', V(0, 32767), default=0),
        FieldSpec('value', 'string', V(0, 32767), nullable=V(0, 32767)),
    ),
)


_INCREMENTAL_ALTER_CONFIGS_RESOURCE = StructSpec(
    IncrementalAlterConfigsResource,
    (
        FieldSpec('resource_type', 'int8', V(0, 32767), default=0),
        FieldSpec('resource_name', 'string', V(0, 32767), default=""),
        FieldSpec('configs', 'array', V(0, 32767), struct=_INCREMENTAL_ALTERABLE_CONFIG),
    ),
)


_INCREMENTAL_ALTER_CONFIGS_REQUEST = MessageSpec(
    IncrementalAlterConfigsRequest,
    (
        FieldSpec('resources', 'array', V(0, 32767), struct=_INCREMENTAL_ALTER_CONFIGS_RESOURCE),
        FieldSpec('validate_only', 'bool', V(0, 32767), default=False),
    ),
    name='IncrementalAlterConfigsRequest',
    api_key=44,
    valid=V(0, 1),
    flexible=V(1, 32767),
)


_INCREMENTAL_ALTER_CONFIGS_RESOURCE_RESPONSE = StructSpec(
    IncrementalAlterConfigsResourceResponse,
    (
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(0, 32767)),
        FieldSpec('resource_type', 'int8', V(0, 32767), default=0),
        FieldSpec('resource_name', 'string', V(0, 32767), default=""),
    ),
)


_INCREMENTAL_ALTER_CONFIGS_RESPONSE = MessageSpec(
    IncrementalAlterConfigsResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('responses', 'array', V(0, 32767), struct=_INCREMENTAL_ALTER_CONFIGS_RESOURCE_RESPONSE),
    ),
    name='IncrementalAlterConfigsResponse',
    api_key=44,
    valid=V(0, 1),
    flexible=V(1, 32767),
)


INCREMENTAL_ALTER_CONFIGS_REQUEST_SPEC: MessageSpec = _INCREMENTAL_ALTER_CONFIGS_REQUEST
INCREMENTAL_ALTER_CONFIGS_RESPONSE_SPEC: MessageSpec = _INCREMENTAL_ALTER_CONFIGS_RESPONSE
