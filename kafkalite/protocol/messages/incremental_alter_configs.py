"""Changes single configs of topics or brokers: set, delete, or append to / subtract from a
list value.

Generated from protocol/messages/incremental_alter_configs.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class IncrementalAlterableConfig(Message):
    """The changes."""

    __slots__ = ('name', 'config_operation', 'value',)

    name: str
    """The config name."""

    config_operation: int
    """The operation: 0 set, 1 delete, 2 append, 3 subtract."""

    value: str | None
    """The operand. (nullable v0+)"""

    def __init__(self, *, name: str = "", config_operation: int = 0, value: str | None = None) -> None:
        self.name = name
        self.config_operation = config_operation
        self.value = value


class IncrementalAlterConfigsResource(Message):
    """The changes for each resource."""

    __slots__ = ('resource_type', 'resource_name', 'configs',)

    resource_type: int
    """The resource type."""

    resource_name: str
    """The resource name."""

    configs: list[IncrementalAlterableConfig]
    """The changes."""

    def __init__(self, *, resource_type: int = 0, resource_name: str = "", configs: list[IncrementalAlterableConfig] = UNSET) -> None:
        self.resource_type = resource_type
        self.resource_name = resource_name
        self.configs = list() if configs is UNSET else configs


class IncrementalAlterConfigsRequest(Message):
    __slots__ = ('resources', 'validate_only',)

    resources: list[IncrementalAlterConfigsResource]
    """The changes for each resource."""

    validate_only: bool
    """If true, only check the request."""

    def __init__(self, *, resources: list[IncrementalAlterConfigsResource] = UNSET, validate_only: bool = False) -> None:
        self.resources = list() if resources is UNSET else resources
        self.validate_only = validate_only


class IncrementalAlterConfigsResourceResponse(Message):
    """One result per requested resource."""

    __slots__ = ('error_code', 'error_message', 'resource_type', 'resource_name',)

    error_code: int
    """The error code, 0 on success."""

    error_message: str | None
    """A message describing the error, or null. (nullable v0+)"""

    resource_type: int
    """The resource type."""

    resource_name: str
    """The resource name."""

    def __init__(self, *, error_code: int = 0, error_message: str | None = None, resource_type: int = 0, resource_name: str = "") -> None:
        self.error_code = error_code
        self.error_message = error_message
        self.resource_type = resource_type
        self.resource_name = resource_name


class IncrementalAlterConfigsResponse(Message):
    __slots__ = ('throttle_time_ms', 'responses',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    responses: list[IncrementalAlterConfigsResourceResponse]
    """One result per requested resource."""

    def __init__(self, *, throttle_time_ms: int = 0, responses: list[IncrementalAlterConfigsResourceResponse] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.responses = list() if responses is UNSET else responses


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
