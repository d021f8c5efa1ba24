"""Describes the delegation tokens of some owners, or all.

Generated from protocol/messages/describe_delegation_token.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class DescribeDelegationTokenOwner(Message):
    """The owners whose tokens to describe, or null for every token."""

    __slots__ = ('principal_type', 'principal_name',)

    principal_type: str
    """The owner's principal type."""

    principal_name: str
    """The owner's principal name."""

    def __init__(self, *, principal_type: str = "", principal_name: str = "") -> None:
        self.principal_type = principal_type
        self.principal_name = principal_name


class DescribeDelegationTokenRequest(Message):
    __slots__ = ('owners',)

    owners: list[DescribeDelegationTokenOwner] | None
    """The owners whose tokens to describe, or null for every token. (nullable v1+)"""

    def __init__(self, *, owners: list[DescribeDelegationTokenOwner] | None = None) -> None:
        self.owners = owners


class DescribedDelegationTokenRenewer(Message):
    """Who may renew the token."""

    __slots__ = ('principal_type', 'principal_name',)

    principal_type: str
    """The renewer's principal type."""

    principal_name: str
    """The renewer's principal name."""

    def __init__(self, *, principal_type: str = "", principal_name: str = "") -> None:
        self.principal_type = principal_type
        self.principal_name = principal_name


class DescribedDelegationToken(Message):
    """The tokens."""

    __slots__ = ('principal_type', 'principal_name', 'token_requester_principal_type', 'token_requester_principal_name', 'issue_timestamp', 'expiry_timestamp', 'max_timestamp', 'token_id', 'hmac', 'renewers',)

    principal_type: str
    """The owner's principal type."""

    principal_name: str
    """The owner's principal name."""

    token_requester_principal_type: str
    """The requester's principal type. (v3+)"""

    token_requester_principal_name: str
    """The requester's principal name. (v3+)"""

    issue_timestamp: int
    """When the token was issued."""

    expiry_timestamp: int
    """When the token expires unless renewed."""

    max_timestamp: int
    """When the token expires at the latest."""

    token_id: str
    """The token id."""

    hmac: bytes
    """The token's HMAC."""

    renewers: list[DescribedDelegationTokenRenewer]
    """Who may renew the token."""

    def __init__(self, *, principal_type: str = "", principal_name: str = "", token_requester_principal_type: str = "", token_requester_principal_name: str = "", issue_timestamp: int = 0, expiry_timestamp: int = 0, max_timestamp: int = 0, token_id: str = "", hmac: bytes = b"", renewers: list[DescribedDelegationTokenRenewer] = UNSET) -> None:
        self.principal_type = principal_type
        self.principal_name = principal_name
        self.token_requester_principal_type = token_requester_principal_type
        self.token_requester_principal_name = token_requester_principal_name
        self.issue_timestamp = issue_timestamp
        self.expiry_timestamp = expiry_timestamp
        self.max_timestamp = max_timestamp
        self.token_id = token_id
        self.hmac = hmac
        self.renewers = list() if renewers is UNSET else renewers


class DescribeDelegationTokenResponse(Message):
    __slots__ = ('error_code', 'tokens', 'throttle_time_ms',)

    error_code: int
    """The error code, 0 on success."""

    tokens: list[DescribedDelegationToken]
    """The tokens."""

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    def __init__(self, *, error_code: int = 0, tokens: list[DescribedDelegationToken] = UNSET, throttle_time_ms: int = 0) -> None:
        self.error_code = error_code
        self.tokens = list() if tokens is UNSET else tokens
        self.throttle_time_ms = throttle_time_ms


_DESCRIBE_DELEGATION_TOKEN_OWNER = StructSpec(
    DescribeDelegationTokenOwner,
    (
        FieldSpec('principal_type', 'string', V(0, 32767), default=""),
        FieldSpec('principal_name', 'string', V(0, 32767), default=""),
    ),
)


_DESCRIBE_DELEGATION_TOKEN_REQUEST = MessageSpec(
    DescribeDelegationTokenRequest,
    (
        FieldSpec('owners', 'array', V(0, 32767), nullable=V(1, 32767), struct=_DESCRIBE_DELEGATION_TOKEN_OWNER),
    ),
    name='DescribeDelegationTokenRequest',
    api_key=41,
    valid=V(1, 3),
    flexible=V(2, 32767),
)


_DESCRIBED_DELEGATION_TOKEN_RENEWER = StructSpec(
    DescribedDelegationTokenRenewer,
    (
        FieldSpec('principal_type', 'string', V(0, 32767), default=""),
        FieldSpec('principal_name', 'string', V(0, 32767), default=""),
    ),
)


_DESCRIBED_DELEGATION_TOKEN = StructSpec(
    DescribedDelegationToken,
    (
        FieldSpec('principal_type', 'string', V(0, 32767), default=""),
        FieldSpec('principal_name', 'string', V(0, 32767), default=""),
        FieldSpec('token_requester_principal_type', 'string', V(3, 32767), default=""),
        FieldSpec('token_requester_principal_name', 'string', V(3, 32767), default=""),
        FieldSpec('issue_timestamp', 'int64', V(0, 32767), default=0),
        FieldSpec('expiry_timestamp', 'int64', V(0, 32767), default=0),
        FieldSpec('max_timestamp', 'int64', V(0, 32767), default=0),
        FieldSpec('token_id', 'string', V(0, 32767), default=""),
        FieldSpec('hmac', 'bytes', V(0, 32767), default=b""),
        FieldSpec('renewers', 'array', V(0, 32767), struct=_DESCRIBED_DELEGATION_TOKEN_RENEWER),
    ),
)


_DESCRIBE_DELEGATION_TOKEN_RESPONSE = MessageSpec(
    DescribeDelegationTokenResponse,
    (
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('tokens', 'array', V(0, 32767), struct=_DESCRIBED_DELEGATION_TOKEN),
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
    ),
    name='DescribeDelegationTokenResponse',
    api_key=41,
    valid=V(1, 3),
    flexible=V(2, 32767),
)


DESCRIBE_DELEGATION_TOKEN_REQUEST_SPEC: MessageSpec = _DESCRIBE_DELEGATION_TOKEN_REQUEST
DESCRIBE_DELEGATION_TOKEN_RESPONSE_SPEC: MessageSpec = _DESCRIBE_DELEGATION_TOKEN_RESPONSE
