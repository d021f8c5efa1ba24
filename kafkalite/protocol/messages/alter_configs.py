"""Replaces the whole dynamic config of topics or brokers; configs not listed revert to their
defaults.

Generated from protocol/messages/alter_configs.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class AlterableConfig(Message):
    """The configs to set."""

    __slots__ = ('name', 'value',)

    name: str
    """The config name."""

    value: str | None
    """The value to set. (nullable v0+)"""

    def __init__(self, *, name: str = "", value: str | None = None) -> None:
        self.name = name
        self.value = value


class AlterConfigsResource(Message):
    """The new config of each resource."""

    __slots__ = ('resource_type', 'resource_name', 'configs',)

    resource_type: int
    """The resource type."""

    resource_name: str
    """The resource name."""

    configs: list[AlterableConfig]
    """The configs to set."""

    def __init__(self, *, resource_type: int = 0, resource_name: str = "", configs: list[AlterableConfig] = UNSET) -> None:
        self.resource_type = resource_type
        self.resource_name = resource_name
        self.configs = list() if configs is UNSET else configs


class AlterConfigsRequest(Message):
    __slots__ = ('resources', 'validate_only',)

    resources: list[AlterConfigsResource]
    """The new config of each resource."""

    validate_only: bool
    """If true, only check the request."""

    def __init__(self, *, resources: list[AlterConfigsResource] = UNSET, validate_only: bool = False) -> None:
        self.resources = list() if resources is UNSET else resources
        self.validate_only = validate_only


class AlterConfigsResourceResponse(Message):
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


class AlterConfigsResponse(Message):
    __slots__ = ('throttle_time_ms', 'responses',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    responses: list[AlterConfigsResourceResponse]
    """One result per requested resource."""

    def __init__(self, *, throttle_time_ms: int = 0, responses: list[AlterConfigsResourceResponse] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.responses = list() if responses is UNSET else responses


_ALTERABLE_CONFIG = StructSpec(
    AlterableConfig,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('value', 'string', V(0, 32767), nullable=V(0, 32767)),
    ),
)


_ALTER_CONFIGS_RESOURCE = StructSpec(
    AlterConfigsResource,
    (
        FieldSpec('resource_type', 'int8', V(0, 32767), default=0),
        FieldSpec('resource_name', 'string', V(0, 32767), default=""),
        FieldSpec('configs', 'array', V(0, 32767), struct=_ALTERABLE_CONFIG),
    ),
)


_ALTER_CONFIGS_REQUEST = MessageSpec(
    AlterConfigsRequest,
    (
        FieldSpec('resources', 'array', V(0, 32767), struct=_ALTER_CONFIGS_RESOURCE),
        FieldSpec('validate_only', 'bool', V(0, 32767), default=False),
    ),
    name='AlterConfigsRequest',
    api_key=33,
    valid=V(0, 2),
    flexible=V(2, 32767),
)


_ALTER_CONFIGS_RESOURCE_RESPONSE = StructSpec(
    AlterConfigsResourceResponse,
    (
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(0, 32767)),
        FieldSpec('resource_type', 'int8', V(0, 32767), default=0),
        FieldSpec('resource_name', 'string', V(0, 32767), default=""),
    ),
)


_ALTER_CONFIGS_RESPONSE = MessageSpec(
    AlterConfigsResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('responses', 'array', V(0, 32767), struct=_ALTER_CONFIGS_RESOURCE_RESPONSE),
    ),
    name='AlterConfigsResponse',
    api_key=33,
    valid=V(0, 2),
    flexible=V(2, 32767),
)


ALTER_CONFIGS_REQUEST_SPEC: MessageSpec = _ALTER_CONFIGS_REQUEST
ALTER_CONFIGS_RESPONSE_SPEC: MessageSpec = _ALTER_CONFIGS_RESPONSE
