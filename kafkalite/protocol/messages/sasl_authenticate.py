"""Carries one round of SASL authentication tokens.

Generated from protocol/messages/sasl_authenticate.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class SaslAuthenticateRequest(Message):
    __slots__ = ('auth_bytes',)

    auth_bytes: bytes
    """The client's token, as the mechanism defines it."""

    def __init__(self, *, auth_bytes: bytes = b"") -> None:
        self.auth_bytes = auth_bytes


class SaslAuthenticateResponse(Message):
    __slots__ = ('error_code', 'error_message', 'auth_bytes', 'session_lifetime_ms',)

    error_code: int
    """The error code, 0 on success."""

    error_message: str | None
    """A message describing the error, or null. (nullable v0+)"""

    auth_bytes: bytes
    """The broker's token, as the mechanism defines it."""

    session_lifetime_ms: int
    """Milliseconds until the client must re-authenticate on this connection, 0 for no limit (KIP-368). (v1+)"""

    def __init__(self, *, error_code: int = 0, error_message: str | None = None, auth_bytes: bytes = b"", session_lifetime_ms: int = 0) -> None:
        self.error_code = error_code
        self.error_message = error_message
        self.auth_bytes = auth_bytes
        self.session_lifetime_ms = session_lifetime_ms


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
