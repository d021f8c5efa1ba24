"""Creates a delegation token for the requester or a named owner.

Generated from protocol/messages/create_delegation_token.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class CreatableRenewers(Message):
    """Who may renew the token."""

    __slots__ = ('principal_type', 'principal_name',)

    principal_type: str
    """The renewer's principal type."""

    principal_name: str
    """The renewer's principal name."""

    def __init__(self, *, principal_type: str = "", principal_name: str = "") -> None:
        self.principal_type = principal_type
        self.principal_name = principal_name


class CreateDelegationTokenRequest(Message):
    __slots__ = ('owner_principal_type', 'owner_principal_name', 'renewers', 'max_lifetime_ms',)

    owner_principal_type: str | None
    """The owner's principal type, or null for the requester. (v3+, nullable v3+)"""

    owner_principal_name: str | None
    """The owner's principal name, or null for the requester. (v3+, nullable v3+)"""

    renewers: list[CreatableRenewers]
    """Who may renew the token."""

    max_lifetime_ms: int
    """The token's maximum lifetime, or -1 for the broker's default."""

    def __init__(self, *, owner_principal_type: str | None = None, owner_principal_name: str | None = None, renewers: list[CreatableRenewers] = UNSET, max_lifetime_ms: int = 0) -> None:
        self.owner_principal_type = owner_principal_type
        self.owner_principal_name = owner_principal_name
        self.renewers = list() if renewers is UNSET else renewers
        self.max_lifetime_ms = max_lifetime_ms


class CreateDelegationTokenResponse(Message):
    __slots__ = ('error_code', 'principal_type', 'principal_name', 'token_requester_principal_type', 'token_requester_principal_name', 'issue_timestamp_ms', 'expiry_timestamp_ms', 'max_timestamp_ms', 'token_id', 'hmac', 'throttle_time_ms',)

    error_code: int
    """The error code, 0 on success."""

    principal_type: str
    """The owner's principal type."""

    principal_name: str
    """The owner's principal name."""

    token_requester_principal_type: str
    """The requester's principal type. (v3+)"""

    token_requester_principal_name: str
    """The requester's principal name. (v3+)"""

    issue_timestamp_ms: int
    """When the token was issued."""

    expiry_timestamp_ms: int
    """When the token expires unless renewed."""

    max_timestamp_ms: int
    """When the token expires at the latest."""

    token_id: str
    """The token id."""

    hmac: bytes
    """The token's HMAC."""

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    def __init__(self, *, error_code: int = 0, principal_type: str = "", principal_name: str = "", token_requester_principal_type: str = "", token_requester_principal_name: str = "", issue_timestamp_ms: int = 0, expiry_timestamp_ms: int = 0, max_timestamp_ms: int = 0, token_id: str = "", hmac: bytes = b"", throttle_time_ms: int = 0) -> None:
        self.error_code = error_code
        self.principal_type = principal_type
        self.principal_name = principal_name
        self.token_requester_principal_type = token_requester_principal_type
        self.token_requester_principal_name = token_requester_principal_name
        self.issue_timestamp_ms = issue_timestamp_ms
        self.expiry_timestamp_ms = expiry_timestamp_ms
        self.max_timestamp_ms = max_timestamp_ms
        self.token_id = token_id
        self.hmac = hmac
        self.throttle_time_ms = throttle_time_ms


_CREATABLE_RENEWERS = StructSpec(
    CreatableRenewers,
    (
        FieldSpec('principal_type', 'string', V(0, 32767), default=""),
        FieldSpec('principal_name', 'string', V(0, 32767), default=""),
    ),
)


_CREATE_DELEGATION_TOKEN_REQUEST = MessageSpec(
    CreateDelegationTokenRequest,
    (
        FieldSpec('owner_principal_type', 'string', V(3, 32767), nullable=V(3, 32767)),
        FieldSpec('owner_principal_name', 'string', V(3, 32767), nullable=V(3, 32767)),
        FieldSpec('renewers', 'array', V(0, 32767), struct=_CREATABLE_RENEWERS),
        FieldSpec('max_lifetime_ms', 'int64', V(0, 32767), default=0),
    ),
    name='CreateDelegationTokenRequest',
    api_key=38,
    valid=V(1, 3),
    flexible=V(2, 32767),
)


_CREATE_DELEGATION_TOKEN_RESPONSE = MessageSpec(
    CreateDelegationTokenResponse,
    (
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('principal_type', 'string', V(0, 32767), default=""),
        FieldSpec('principal_name', 'string', V(0, 32767), default=""),
        FieldSpec('token_requester_principal_type', 'string', V(3, 32767), default=""),
        FieldSpec('token_requester_principal_name', 'string', V(3, 32767), default=""),
        FieldSpec('issue_timestamp_ms', 'int64', V(0, 32767), default=0),
        FieldSpec('expiry_timestamp_ms', 'int64', V(0, 32767), default=0),
        FieldSpec('max_timestamp_ms', 'int64', V(0, 32767), default=0),
        FieldSpec('token_id', 'string', V(0, 32767), default=""),
        FieldSpec('hmac', 'bytes', V(0, 32767), default=b""),
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
    ),
    name='CreateDelegationTokenResponse',
    api_key=38,
    valid=V(1, 3),
    flexible=V(2, 32767),
)


CREATE_DELEGATION_TOKEN_REQUEST_SPEC: MessageSpec = _CREATE_DELEGATION_TOKEN_REQUEST
CREATE_DELEGATION_TOKEN_RESPONSE_SPEC: MessageSpec = _CREATE_DELEGATION_TOKEN_RESPONSE
