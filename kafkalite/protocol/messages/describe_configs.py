"""Describes the configs of topics and brokers, optionally with their synonyms and
documentation. Version 0 (is_default instead of config sources and synonyms), removed in
Kafka 4 (KIP-896), is served as Kafka 3.x served it.

Generated from protocol/messages/describe_configs.json by kafkalite.protocol.codegen: do not edit.
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
class DescribeConfigsResource:
    """The resources to describe."""

    resource_type: int = 0
    """The resource type: 2 topic, 4 broker, 8 broker logger."""
    resource_name: str = ""
    """The topic name or broker id."""
    configuration_keys: list[str] | None = None
    """The config names to describe, or null for all of them. (nullable v0+)"""


@dataclass(slots=True, kw_only=True)
class DescribeConfigsRequest:
    resources: list[DescribeConfigsResource] = field(default_factory=list)
    """The resources to describe."""
    include_synonyms: bool = False
    """Whether to list the synonyms of each config (KIP-226). (v1+)"""
    include_documentation: bool = False
    """Whether to return each config's documentation (KIP-569). (v3+)"""


@dataclass(slots=True, kw_only=True)
class DescribeConfigsSynonym:
    """The config's synonyms in precedence order, when requested."""

    name: str = ""
    """The synonym's name."""
    value: str | None = None
    """The synonym's value. (nullable v1+)"""
    source: int = 0
    """Where the synonym's value comes from."""


@dataclass(slots=True, kw_only=True)
class DescribeConfigsResourceResult:
    """The described configs."""

    name: str = ""
    """The config name."""
    value: str | None = None
    """The config value, or null if sensitive or unset. (nullable v0+)"""
    read_only: bool = False
    """True if the config cannot be changed."""
    config_source: int = -1
    """Where the value comes from: 1 dynamic topic, 2 dynamic broker, 3 dynamic default broker, 4 static broker, 5 default, 6 dynamic broker logger. (v1+)"""
    is_default: bool = False
    """True if the config is not set, so its value is the default (config source DEFAULT_CONFIG). (v0)"""
    is_sensitive: bool = False
    """True if the value is sensitive and withheld."""
    synonyms: list[DescribeConfigsSynonym] = field(default_factory=list)
    """The config's synonyms in precedence order, when requested. (v1+)"""
    config_type: int = 0
    """The value's data type: 1 boolean, 2 string, 3 int, 4 short, 5 long, 6 double, 7 list, 8 class, 9 password; 0 unknown. (v3+)"""
    documentation: str | None = None
    """The config's documentation, or null. (v3+, nullable v3+)"""


@dataclass(slots=True, kw_only=True)
class DescribeConfigsResult:
    """One result per requested resource."""

    error_code: int = 0
    """The error code, 0 on success."""
    error_message: str | None = None
    """A message describing the error, or null. (nullable v0+)"""
    resource_type: int = 0
    """The resource type."""
    resource_name: str = ""
    """The resource name."""
    configs: list[DescribeConfigsResourceResult] = field(default_factory=list)
    """The described configs."""


@dataclass(slots=True, kw_only=True)
class DescribeConfigsResponse:
    throttle_time_ms: int = 0
    """How long the request was throttled, in milliseconds."""
    results: list[DescribeConfigsResult] = field(default_factory=list)
    """One result per requested resource."""


_DESCRIBE_CONFIGS_RESOURCE = StructSpec(
    DescribeConfigsResource,
    (
        FieldSpec('resource_type', 'int8', V(0, 32767), default=0),
        FieldSpec('resource_name', 'string', V(0, 32767), default=""),
        FieldSpec('configuration_keys', 'array', V(0, 32767), nullable=V(0, 32767), of='string'),
    ),
)


_DESCRIBE_CONFIGS_REQUEST = MessageSpec(
    DescribeConfigsRequest,
    (
        FieldSpec('resources', 'array', V(0, 32767), struct=_DESCRIBE_CONFIGS_RESOURCE),
        FieldSpec('include_synonyms', 'bool', V(1, 32767), default=False),
        FieldSpec('include_documentation', 'bool', V(3, 32767), default=False),
    ),
    name='DescribeConfigsRequest',
    api_key=32,
    valid=V(0, 4),
    flexible=V(4, 32767),
)


_DESCRIBE_CONFIGS_SYNONYM = StructSpec(
    DescribeConfigsSynonym,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('value', 'string', V(0, 32767), nullable=V(1, 32767)),
        FieldSpec('source', 'int8', V(0, 32767), default=0),
    ),
)


_DESCRIBE_CONFIGS_RESOURCE_RESULT = StructSpec(
    DescribeConfigsResourceResult,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('value', 'string', V(0, 32767), nullable=V(0, 32767)),
        FieldSpec('read_only', 'bool', V(0, 32767), default=False),
        FieldSpec('config_source', 'int8', V(1, 32767), default=-1, ignorable=True),
        FieldSpec('is_default', 'bool', V(0, 0), default=False),
        FieldSpec('is_sensitive', 'bool', V(0, 32767), default=False),
        FieldSpec('synonyms', 'array', V(1, 32767), ignorable=True, struct=_DESCRIBE_CONFIGS_SYNONYM),
        FieldSpec('config_type', 'int8', V(3, 32767), default=0, ignorable=True),
        FieldSpec('documentation', 'string', V(3, 32767), nullable=V(3, 32767), ignorable=True),
    ),
)


_DESCRIBE_CONFIGS_RESULT = StructSpec(
    DescribeConfigsResult,
    (
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(0, 32767)),
        FieldSpec('resource_type', 'int8', V(0, 32767), default=0),
        FieldSpec('resource_name', 'string', V(0, 32767), default=""),
        FieldSpec('configs', 'array', V(0, 32767), struct=_DESCRIBE_CONFIGS_RESOURCE_RESULT),
    ),
)


_DESCRIBE_CONFIGS_RESPONSE = MessageSpec(
    DescribeConfigsResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('results', 'array', V(0, 32767), struct=_DESCRIBE_CONFIGS_RESULT),
    ),
    name='DescribeConfigsResponse',
    api_key=32,
    valid=V(0, 4),
    flexible=V(4, 32767),
)


DESCRIBE_CONFIGS_REQUEST_SPEC: MessageSpec = _DESCRIBE_CONFIGS_REQUEST
DESCRIBE_CONFIGS_RESPONSE_SPEC: MessageSpec = _DESCRIBE_CONFIGS_RESPONSE
