"""Carries one round of SASL authentication tokens.

Generated from protocol/messages/sasl_authenticate.json by kafkalite.protocol.codegen: do not edit.
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
class SaslAuthenticateRequest:
    auth_bytes: bytes = b""
    """The client's token, as the mechanism defines it."""


@dataclass(slots=True, kw_only=True)
class SaslAuthenticateResponse:
    error_code: int = 0
    """The error code, 0 on success."""
    error_message: str | None = None
    """A message describing the error, or null. (nullable v0+)"""
    auth_bytes: bytes = b""
    """The broker's token, as the mechanism defines it."""
    session_lifetime_ms: int = 0
    """Milliseconds until the client must re-authenticate on this connection, 0 for no limit (KIP-368). (v1+)"""


_SASL_AUTHENTICATE_REQUEST = MessageSpec(
    SaslAuthenticateRequest,
    (
        FieldSpec('auth_bytes', 'bytes', V(0, 32767), default=b""),
    ),
    name='SaslAuthenticateRequest',
    api_key=36,
    valid=V(0, 2),
    flexible=V(2, 32767),
)


_SASL_AUTHENTICATE_RESPONSE = MessageSpec(
    SaslAuthenticateResponse,
    (
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(0, 32767)),
        FieldSpec('auth_bytes', 'bytes', V(0, 32767), default=b""),
        FieldSpec('session_lifetime_ms', 'int64', V(1, 32767), default=0, ignorable=True),
    ),
    name='SaslAuthenticateResponse',
    api_key=36,
    valid=V(0, 2),
    flexible=V(2, 32767),
)


SASL_AUTHENTICATE_REQUEST_SPEC: MessageSpec = _SASL_AUTHENTICATE_REQUEST
SASL_AUTHENTICATE_RESPONSE_SPEC: MessageSpec = _SASL_AUTHENTICATE_RESPONSE
