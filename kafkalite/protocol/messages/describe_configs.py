"""Describes the configs of topics and brokers, optionally with their synonyms and
documentation. Version 0 (is_default instead of config sources and synonyms), removed in
Kafka 4 (KIP-896), is served as Kafka 3.x served it.

Generated from protocol/messages/describe_configs.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class DescribeConfigsResource(Message):
    """The resources to describe."""

    __slots__ = ('resource_type', 'resource_name', 'configuration_keys',)

    resource_type: int
    """The resource type: 2 topic, 4 broker, 8 broker logger."""

    resource_name: str
    """The topic name or broker id."""

    configuration_keys: list[str] | None
    """The config names to describe, or null for all of them. (nullable v0+)"""

    def __init__(self, *, resource_type: int = 0, resource_name: str = "", configuration_keys: list[str] | None = None) -> None:
        self.resource_type = resource_type
        self.resource_name = resource_name
        self.configuration_keys = configuration_keys


class DescribeConfigsRequest(Message):
    __slots__ = ('resources', 'include_synonyms', 'include_documentation',)

    resources: list[DescribeConfigsResource]
    """The resources to describe."""

    include_synonyms: bool
    """Whether to list the synonyms of each config (KIP-226). (v1+)"""

    include_documentation: bool
    """Whether to return each config's documentation (KIP-569). (v3+)"""

    def __init__(self, *, resources: list[DescribeConfigsResource] = UNSET, include_synonyms: bool = False, include_documentation: bool = False) -> None:
        self.resources = list() if resources is UNSET else resources
        self.include_synonyms = include_synonyms
        self.include_documentation = include_documentation


class DescribeConfigsSynonym(Message):
    """The config's synonyms in precedence order, when requested."""

    __slots__ = ('name', 'value', 'source',)

    name: str
    """The synonym's name."""

    value: str | None
    """The synonym's value. (nullable v1+)"""

    source: int
    """Where the synonym's value comes from."""

    def __init__(self, *, name: str = "", value: str | None = None, source: int = 0) -> None:
        self.name = name
        self.value = value
        self.source = source


class DescribeConfigsResourceResult(Message):
    """The described configs."""

    __slots__ = ('name', 'value', 'read_only', 'config_source', 'is_default', 'is_sensitive', 'synonyms', 'config_type', 'documentation',)

    name: str
    """The config name."""

    value: str | None
    """The config value, or null if sensitive or unset. (nullable v0+)"""

    read_only: bool
    """True if the config cannot be changed."""

    config_source: int
    """Where the value comes from: 1 dynamic topic, 2 dynamic broker, 3 dynamic default broker, 4 static broker, 5 default, 6 dynamic broker logger. (v1+)"""

    is_default: bool
    """True if the config is not set, so its value is the default (config source DEFAULT_CONFIG). (v0)"""

    is_sensitive: bool
    """True if the value is sensitive and withheld."""

    synonyms: list[DescribeConfigsSynonym]
    """The config's synonyms in precedence order, when requested. (v1+)"""

    config_type: int
    """The value's data type: 1 boolean, 2 string, 3 int, 4 short, 5 long, 6 double, 7 list, 8 class, 9 password; 0 unknown. (v3+)"""

    documentation: str | None
    """The config's documentation, or null. (v3+, nullable v3+)"""

    def __init__(self, *, name: str = "", value: str | None = None, read_only: bool = False, config_source: int = -1, is_default: bool = False, is_sensitive: bool = False, synonyms: list[DescribeConfigsSynonym] = UNSET, config_type: int = 0, documentation: str | None = None) -> None:
        self.name = name
        self.value = value
        self.read_only = read_only
        self.config_source = config_source
        self.is_default = is_default
        self.is_sensitive = is_sensitive
        self.synonyms = list() if synonyms is UNSET else synonyms
        self.config_type = config_type
        self.documentation = documentation


class DescribeConfigsResult(Message):
    """One result per requested resource."""

    __slots__ = ('error_code', 'error_message', 'resource_type', 'resource_name', 'configs',)

    error_code: int
    """The error code, 0 on success."""

    error_message: str | None
    """A message describing the error, or null. (nullable v0+)"""

    resource_type: int
    """The resource type."""

    resource_name: str
    """The resource name."""

    configs: list[DescribeConfigsResourceResult]
    """The described configs."""

    def __init__(self, *, error_code: int = 0, error_message: str | None = None, resource_type: int = 0, resource_name: str = "", configs: list[DescribeConfigsResourceResult] = UNSET) -> None:
        self.error_code = error_code
        self.error_message = error_message
        self.resource_type = resource_type
        self.resource_name = resource_name
        self.configs = list() if configs is UNSET else configs


class DescribeConfigsResponse(Message):
    __slots__ = ('throttle_time_ms', 'results',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    results: list[DescribeConfigsResult]
    """One result per requested resource."""

    def __init__(self, *, throttle_time_ms: int = 0, results: list[DescribeConfigsResult] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.results = list() if results is UNSET else results


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
