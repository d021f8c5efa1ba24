"""Deletes the ACLs matching each filter.

Generated from protocol/messages/delete_acls.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class DeleteAclsFilter(Message):
    """The filters."""

    __slots__ = ('resource_type_filter', 'resource_name_filter', 'pattern_type_filter', 'principal_filter', 'host_filter', 'operation', 'permission_type',)

    resource_type_filter: int
    """The resource type."""

    resource_name_filter: str | None
    """The resource name, or null for any. (nullable v1+)"""

    pattern_type_filter: int
    """The pattern type."""

    principal_filter: str | None
    """The principal, or null for any. (nullable v1+)"""

    host_filter: str | None
    """The host, or null for any. (nullable v1+)"""

    operation: int
    """The operation."""

    permission_type: int
    """The permission type."""

    def __init__(self, *, resource_type_filter: int = 0, resource_name_filter: str | None = None, pattern_type_filter: int = 3, principal_filter: str | None = None, host_filter: str | None = None, operation: int = 0, permission_type: int = 0) -> None:
        self.resource_type_filter = resource_type_filter
        self.resource_name_filter = resource_name_filter
        self.pattern_type_filter = pattern_type_filter
        self.principal_filter = principal_filter
        self.host_filter = host_filter
        self.operation = operation
        self.permission_type = permission_type


class DeleteAclsRequest(Message):
    __slots__ = ('filters',)

    filters: list[DeleteAclsFilter]
    """The filters."""

    def __init__(self, *, filters: list[DeleteAclsFilter] = UNSET) -> None:
        self.filters = list() if filters is UNSET else filters


class DeleteAclsMatchingAcl(Message):
    """The ACLs the filter matched (and deleted)."""

    __slots__ = ('error_code', 'error_message', 'resource_type', 'resource_name', 'pattern_type', 'principal', 'host', 'operation', 'permission_type',)

    error_code: int
    """The deletion's error code."""

    error_message: str | None
    """The deletion's error message, or null. (nullable v1+)"""

    resource_type: int
    """The resource type."""

    resource_name: str
    """The resource name."""

    pattern_type: int
    """The pattern type."""

    principal: str
    """The principal."""

    host: str
    """The host."""

    operation: int
    """The operation."""

    permission_type: int
    """The permission type."""

    def __init__(self, *, error_code: int = 0, error_message: str | None = None, resource_type: int = 0, resource_name: str = "", pattern_type: int = 3, principal: str = "", host: str = "", operation: int = 0, permission_type: int = 0) -> None:
        self.error_code = error_code
        self.error_message = error_message
        self.resource_type = resource_type
        self.resource_name = resource_name
        self.pattern_type = pattern_type
        self.principal = principal
        self.host = host
        self.operation = operation
        self.permission_type = permission_type


class DeleteAclsFilterResult(Message):
    """One result per filter, in request order."""

    __slots__ = ('error_code', 'error_message', 'matching_acls',)

    error_code: int
    """The error code, 0 on success."""

    error_message: str | None
    """The error message, or null. (nullable v1+)"""

    matching_acls: list[DeleteAclsMatchingAcl]
    """The ACLs the filter matched (and deleted)."""

    def __init__(self, *, error_code: int = 0, error_message: str | None = None, matching_acls: list[DeleteAclsMatchingAcl] = UNSET) -> None:
        self.error_code = error_code
        self.error_message = error_message
        self.matching_acls = list() if matching_acls is UNSET else matching_acls


class DeleteAclsResponse(Message):
    __slots__ = ('throttle_time_ms', 'filter_results',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    filter_results: list[DeleteAclsFilterResult]
    """One result per filter, in request order."""

    def __init__(self, *, throttle_time_ms: int = 0, filter_results: list[DeleteAclsFilterResult] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.filter_results = list() if filter_results is UNSET else filter_results


_DELETE_ACLS_FILTER = StructSpec(
    DeleteAclsFilter,
    (
        FieldSpec('resource_type_filter', 'int8', V(0, 32767), default=0),
        FieldSpec('resource_name_filter', 'string', V(0, 32767), nullable=V(1, 32767)),
        FieldSpec('pattern_type_filter', 'int8', V(0, 32767), default=3),
        FieldSpec('principal_filter', 'string', V(0, 32767), nullable=V(1, 32767)),
        FieldSpec('host_filter', 'string', V(0, 32767), nullable=V(1, 32767)),
        FieldSpec('operation', 'int8', V(0, 32767), default=0),
        FieldSpec('permission_type', 'int8', V(0, 32767), default=0),
    ),
)


_DELETE_ACLS_REQUEST = MessageSpec(
    DeleteAclsRequest,
    (
        FieldSpec('filters', 'array', V(0, 32767), struct=_DELETE_ACLS_FILTER),
    ),
    name='DeleteAclsRequest',
    api_key=31,
    valid=V(1, 3),
    flexible=V(2, 32767),
)


_DELETE_ACLS_MATCHING_ACL = StructSpec(
    DeleteAclsMatchingAcl,
    (
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(1, 32767)),
        FieldSpec('resource_type', 'int8', V(0, 32767), default=0),
        FieldSpec('resource_name', 'string', V(0, 32767), default=""),
        FieldSpec('pattern_type', 'int8', V(0, 32767), default=3),
        FieldSpec('principal', 'string', V(0, 32767), default=""),
        FieldSpec('host', 'string', V(0, 32767), default=""),
        FieldSpec('operation', 'int8', V(0, 32767), default=0),
        FieldSpec('permission_type', 'int8', V(0, 32767), default=0),
    ),
)


_DELETE_ACLS_FILTER_RESULT = StructSpec(
    DeleteAclsFilterResult,
    (
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(1, 32767)),
        FieldSpec('matching_acls', 'array', V(0, 32767), struct=_DELETE_ACLS_MATCHING_ACL),
    ),
)


_DELETE_ACLS_RESPONSE = MessageSpec(
    DeleteAclsResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('filter_results', 'array', V(0, 32767), struct=_DELETE_ACLS_FILTER_RESULT),
    ),
    name='DeleteAclsResponse',
    api_key=31,
    valid=V(1, 3),
    flexible=V(2, 32767),
)


DELETE_ACLS_REQUEST_SPEC: MessageSpec = _DELETE_ACLS_REQUEST
DELETE_ACLS_RESPONSE_SPEC: MessageSpec = _DELETE_ACLS_RESPONSE
