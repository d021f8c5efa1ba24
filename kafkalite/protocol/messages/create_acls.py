"""Creates ACLs.

Generated from protocol/messages/create_acls.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class AclCreation(Message):
    """The ACLs to create."""

    __slots__ = ('resource_type', 'resource_name', 'resource_pattern_type', 'principal', 'host', 'operation', 'permission_type',)

    resource_type: int
    """The resource type."""

    resource_name: str
    """The resource name."""

    resource_pattern_type: int
    """The pattern type (3 LITERAL, 4 PREFIXED)."""

    principal: str
    """The principal, e.g. User:alice."""

    host: str
    """The host, * for any."""

    operation: int
    """The operation."""

    permission_type: int
    """The permission type (2 DENY, 3 ALLOW)."""

    def __init__(self, *, resource_type: int = 0, resource_name: str = "", resource_pattern_type: int = 3, principal: str = "", host: str = "", operation: int = 0, permission_type: int = 0) -> None:
        self.resource_type = resource_type
        self.resource_name = resource_name
        self.resource_pattern_type = resource_pattern_type
        self.principal = principal
        self.host = host
        self.operation = operation
        self.permission_type = permission_type


class CreateAclsRequest(Message):
    __slots__ = ('creations',)

    creations: list[AclCreation]
    """The ACLs to create."""

    def __init__(self, *, creations: list[AclCreation] = UNSET) -> None:
        self.creations = list() if creations is UNSET else creations


class AclCreationResult(Message):
    """One result per creation, in request order."""

    __slots__ = ('error_code', 'error_message',)

    error_code: int
    """The error code, 0 on success."""

    error_message: str | None
    """The error message, or null. (nullable v1+)"""

    def __init__(self, *, error_code: int = 0, error_message: str | None = None) -> None:
        self.error_code = error_code
        self.error_message = error_message


class CreateAclsResponse(Message):
    __slots__ = ('throttle_time_ms', 'results',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    results: list[AclCreationResult]
    """One result per creation, in request order."""

    def __init__(self, *, throttle_time_ms: int = 0, results: list[AclCreationResult] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.results = list() if results is UNSET else results


_ACL_CREATION = StructSpec(
    AclCreation,
    (
        FieldSpec('resource_type', 'int8', V(0, 32767), default=0),
        FieldSpec('resource_name', 'string', V(0, 32767), default=""),
        FieldSpec('resource_pattern_type', 'int8', V(0, 32767), default=3),
        FieldSpec('principal', 'string', V(0, 32767), default=""),
        FieldSpec('host', 'string', V(0, 32767), default=""),
        FieldSpec('operation', 'int8', V(0, 32767), default=0),
        FieldSpec('permission_type', 'int8', V(0, 32767), default=0),
    ),
)


_CREATE_ACLS_REQUEST = MessageSpec(
    CreateAclsRequest,
    (
        FieldSpec('creations', 'array', V(0, 32767), struct=_ACL_CREATION),
    ),
    name='CreateAclsRequest',
    api_key=30,
    valid=V(1, 3),
    flexible=V(2, 32767),
)


_ACL_CREATION_RESULT = StructSpec(
    AclCreationResult,
    (
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(1, 32767)),
    ),
)


_CREATE_ACLS_RESPONSE = MessageSpec(
    CreateAclsResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('results', 'array', V(0, 32767), struct=_ACL_CREATION_RESULT),
    ),
    name='CreateAclsResponse',
    api_key=30,
    valid=V(1, 3),
    flexible=V(2, 32767),
)


CREATE_ACLS_REQUEST_SPEC: MessageSpec = _CREATE_ACLS_REQUEST
CREATE_ACLS_RESPONSE_SPEC: MessageSpec = _CREATE_ACLS_RESPONSE
