"""Describes the ACLs matching a filter.

Generated from protocol/messages/describe_acls.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class DescribeAclsRequest(Message):
    __slots__ = ('resource_type_filter', 'resource_name_filter', 'pattern_type_filter', 'principal_filter', 'host_filter', 'operation', 'permission_type',)

    resource_type_filter: int
    """The resource type (1 ANY, 2 TOPIC, 3 GROUP, 4 CLUSTER, 5 TRANSACTIONAL_ID, 6 DELEGATION_TOKEN, 7 USER)."""

    resource_name_filter: str | None
    """The resource name, or null to match any resource name. (nullable v1+)"""

    pattern_type_filter: int
    """The pattern type to match (1 ANY, 2 MATCH, 3 LITERAL, 4 PREFIXED)."""

    principal_filter: str | None
    """The principal to match, or null to match any principal. (nullable v1+)"""

    host_filter: str | None
    """The host to match, or null to match any host. (nullable v1+)"""

    operation: int
    """The operation to match."""

    permission_type: int
    """The permission type to match."""

    def __init__(self, *, resource_type_filter: int = 0, resource_name_filter: str | None = None, pattern_type_filter: int = 3, principal_filter: str | None = None, host_filter: str | None = None, operation: int = 0, permission_type: int = 0) -> None:
        self.resource_type_filter = resource_type_filter
        self.resource_name_filter = resource_name_filter
        self.pattern_type_filter = pattern_type_filter
        self.principal_filter = principal_filter
        self.host_filter = host_filter
        self.operation = operation
        self.permission_type = permission_type


class AclDescription(Message):
    """The ACLs."""

    __slots__ = ('principal', 'host', 'operation', 'permission_type',)

    principal: str
    """The ACL principal."""

    host: str
    """The ACL host."""

    operation: int
    """The ACL operation."""

    permission_type: int
    """The ACL permission type."""

    def __init__(self, *, principal: str = "", host: str = "", operation: int = 0, permission_type: int = 0) -> None:
        self.principal = principal
        self.host = host
        self.operation = operation
        self.permission_type = permission_type


class DescribeAclsResource(Message):
    """Each resource referenced by a matching ACL."""

    __slots__ = ('resource_type', 'resource_name', 'pattern_type', 'acls',)

    resource_type: int
    """The resource type."""

    resource_name: str
    """The resource name."""

    pattern_type: int
    """The resource pattern type."""

    acls: list[AclDescription]
    """The ACLs."""

    def __init__(self, *, resource_type: int = 0, resource_name: str = "", pattern_type: int = 3, acls: list[AclDescription] = UNSET) -> None:
        self.resource_type = resource_type
        self.resource_name = resource_name
        self.pattern_type = pattern_type
        self.acls = list() if acls is UNSET else acls


class DescribeAclsResponse(Message):
    __slots__ = ('throttle_time_ms', 'error_code', 'error_message', 'resources',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    error_code: int
    """The error code, 0 on success."""

    error_message: str | None
    """The error message, or null. (nullable v1+)"""

    resources: list[DescribeAclsResource]
    """Each resource referenced by a matching ACL."""

    def __init__(self, *, throttle_time_ms: int = 0, error_code: int = 0, error_message: str | None = None, resources: list[DescribeAclsResource] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.error_code = error_code
        self.error_message = error_message
        self.resources = list() if resources is UNSET else resources


_DESCRIBE_ACLS_REQUEST = MessageSpec(
    DescribeAclsRequest,
    (
        FieldSpec('resource_type_filter', 'int8', V(0, 32767), default=0),
        FieldSpec('resource_name_filter', 'string', V(0, 32767), nullable=V(1, 32767)),
        FieldSpec('pattern_type_filter', 'int8', V(0, 32767), default=3),
        FieldSpec('principal_filter', 'string', V(0, 32767), nullable=V(1, 32767)),
        FieldSpec('host_filter', 'string', V(0, 32767), nullable=V(1, 32767)),
        FieldSpec('operation', 'int8', V(0, 32767), default=0),
        FieldSpec('permission_type', 'int8', V(0, 32767), default=0),
    ),
    name='DescribeAclsRequest',
    api_key=29,
    valid=V(1, 3),
    flexible=V(2, 32767),
)


_ACL_DESCRIPTION = StructSpec(
    AclDescription,
    (
        FieldSpec('principal', 'string', V(0, 32767), default=""),
        FieldSpec('host', 'string', V(0, 32767), default=""),
        FieldSpec('operation', 'int8', V(0, 32767), default=0),
        FieldSpec('permission_type', 'int8', V(0, 32767), default=0),
    ),
)


_DESCRIBE_ACLS_RESOURCE = StructSpec(
    DescribeAclsResource,
    (
        FieldSpec('resource_type', 'int8', V(0, 32767), default=0),
        FieldSpec('resource_name', 'string', V(0, 32767), default=""),
        FieldSpec('pattern_type', 'int8', V(0, 32767), default=3),
        FieldSpec('acls', 'array', V(0, 32767), struct=_ACL_DESCRIPTION),
    ),
)


_DESCRIBE_ACLS_RESPONSE = MessageSpec(
    DescribeAclsResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(1, 32767)),
        FieldSpec('resources', 'array', V(0, 32767), struct=_DESCRIBE_ACLS_RESOURCE),
    ),
    name='DescribeAclsResponse',
    api_key=29,
    valid=V(1, 3),
    flexible=V(2, 32767),
)


DESCRIBE_ACLS_REQUEST_SPEC: MessageSpec = _DESCRIBE_ACLS_REQUEST
DESCRIBE_ACLS_RESPONSE_SPEC: MessageSpec = _DESCRIBE_ACLS_RESPONSE
