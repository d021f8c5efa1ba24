"""Lists the resources that have configs: client metrics, groups, topics, brokers (KIP-1142).

Generated from protocol/messages/list_config_resources.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class ListConfigResourcesRequest(Message):
    __slots__ = ('resource_types',)

    resource_types: list[int]
    """The resource types to list; empty for all. v0 lists client metrics resources only. (v1+)"""

    def __init__(self, *, resource_types: list[int] = UNSET) -> None:
        self.resource_types = list() if resource_types is UNSET else resource_types


class ConfigResource(Message):
    """The resources."""

    __slots__ = ('resource_name', 'resource_type',)

    resource_name: str
    """The resource name."""

    resource_type: int
    """The resource type: 2 topic, 4 broker, 8 broker logger, 16 client metrics, 32 group. (v1+)"""

    def __init__(self, *, resource_name: str = "", resource_type: int = 16) -> None:
        self.resource_name = resource_name
        self.resource_type = resource_type


class ListConfigResourcesResponse(Message):
    __slots__ = ('throttle_time_ms', 'error_code', 'config_resources',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    error_code: int
    """The error code, 0 on success."""

    config_resources: list[ConfigResource]
    """The resources."""

    def __init__(self, *, throttle_time_ms: int = 0, error_code: int = 0, config_resources: list[ConfigResource] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.error_code = error_code
        self.config_resources = list() if config_resources is UNSET else config_resources


_LIST_CONFIG_RESOURCES_REQUEST = MessageSpec(
    ListConfigResourcesRequest,
    (
        FieldSpec('resource_types', 'array', V(1, 32767), of='int8'),
    ),
    name='ListConfigResourcesRequest',
    api_key=74,
    valid=V(0, 1),
    flexible=V(0, 32767),
)


_CONFIG_RESOURCE = StructSpec(
    ConfigResource,
    (
        FieldSpec('resource_name', 'string', V(0, 32767), default=""),
        FieldSpec('resource_type', 'int8', V(1, 32767), default=16, ignorable=True),
    ),
)


_LIST_CONFIG_RESOURCES_RESPONSE = MessageSpec(
    ListConfigResourcesResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('config_resources', 'array', V(0, 32767), struct=_CONFIG_RESOURCE),
    ),
    name='ListConfigResourcesResponse',
    api_key=74,
    valid=V(0, 1),
    flexible=V(0, 32767),
)


LIST_CONFIG_RESOURCES_REQUEST_SPEC: MessageSpec = _LIST_CONFIG_RESOURCES_REQUEST
LIST_CONFIG_RESOURCES_RESPONSE_SPEC: MessageSpec = _LIST_CONFIG_RESOURCES_RESPONSE
