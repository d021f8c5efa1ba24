"""Renews a delegation token named by its HMAC.

Generated from protocol/messages/renew_delegation_token.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class RenewDelegationTokenRequest(Message):
    __slots__ = ('hmac', 'renew_period_ms',)

    hmac: bytes
    """The token's HMAC."""

    renew_period_ms: int
    """How long to extend the token by, in milliseconds."""

    def __init__(self, *, hmac: bytes = b"", renew_period_ms: int = 0) -> None:
        self.hmac = hmac
        self.renew_period_ms = renew_period_ms


class RenewDelegationTokenResponse(Message):
    __slots__ = ('error_code', 'expiry_timestamp_ms', 'throttle_time_ms',)

    error_code: int
    """The error code, 0 on success."""

    expiry_timestamp_ms: int
    """When the token now expires."""

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    def __init__(self, *, error_code: int = 0, expiry_timestamp_ms: int = 0, throttle_time_ms: int = 0) -> None:
        self.error_code = error_code
        self.expiry_timestamp_ms = expiry_timestamp_ms
        self.throttle_time_ms = throttle_time_ms


_RENEW_DELEGATION_TOKEN_REQUEST = MessageSpec(
    RenewDelegationTokenRequest,
    (
        FieldSpec('hmac', 'bytes', V(0, 32767), default=b""),
        FieldSpec('renew_period_ms', 'int64', V(0, 32767), default=0),
    ),
    name='RenewDelegationTokenRequest',
    api_key=39,
    valid=V(1, 2),
    flexible=V(2, 32767),
)


_RENEW_DELEGATION_TOKEN_RESPONSE = MessageSpec(
    RenewDelegationTokenResponse,
    (
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('expiry_timestamp_ms', 'int64', V(0, 32767), default=0),
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
    ),
    name='RenewDelegationTokenResponse',
    api_key=39,
    valid=V(1, 2),
    flexible=V(2, 32767),
)


RENEW_DELEGATION_TOKEN_REQUEST_SPEC: MessageSpec = _RENEW_DELEGATION_TOKEN_REQUEST
RENEW_DELEGATION_TOKEN_RESPONSE_SPEC: MessageSpec = _RENEW_DELEGATION_TOKEN_RESPONSE
