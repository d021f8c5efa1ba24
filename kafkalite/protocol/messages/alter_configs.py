"""Replaces the whole dynamic config of topics or brokers; configs not listed revert to their
defaults.

Generated from protocol/messages/alter_configs.json by kafkalite.protocol.codegen: do not edit.
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
class AlterableConfig:
    """The configs to set."""

    name: str = ""
    """The config name."""
    value: str | None = None
    """The value to set. (nullable v0+)"""


@dataclass(slots=True, kw_only=True)
class AlterConfigsResource:
    """The new config of each resource."""

    resource_type: int = 0
    """The resource type."""
    resource_name: str = ""
    """The resource name."""
    configs: list[AlterableConfig] = field(default_factory=list)
    """The configs to set."""


@dataclass(slots=True, kw_only=True)
class AlterConfigsRequest:
    resources: list[AlterConfigsResource] = field(default_factory=list)
    """The new config of each resource."""
    validate_only: bool = False
    """If true, only check the request."""


@dataclass(slots=True, kw_only=True)
class AlterConfigsResourceResponse:
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
class AlterConfigsResponse:
    throttle_time_ms: int = 0
    """How long the request was throttled, in milliseconds."""
    responses: list[AlterConfigsResourceResponse] = field(default_factory=list)
    """One result per requested resource."""


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
