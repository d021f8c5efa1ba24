"""Picks the SASL mechanism for the connection. From version 1 the SASL tokens then travel in
SaslAuthenticate requests.

Generated from protocol/messages/sasl_handshake.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class SaslHandshakeRequest(Message):
    __slots__ = ('mechanism',)

    mechanism: str
    """The mechanism the client wants, e.g. "PLAIN"."""

    def __init__(self, *, mechanism: str = "") -> None:
        self.mechanism = mechanism


class SaslHandshakeResponse(Message):
    __slots__ = ('error_code', 'mechanisms',)

    error_code: int
    """The error code, 0 on success."""

    mechanisms: list[str]
    """The mechanisms the broker has enabled."""

    def __init__(self, *, error_code: int = 0, mechanisms: list[str] = UNSET) -> None:
        self.error_code = error_code
        self.mechanisms = list() if mechanisms is UNSET else mechanisms


_SASL_HANDSHAKE_REQUEST = MessageSpec(
    SaslHandshakeRequest,
    (
        FieldSpec('mechanism', 'string', V(0, 32767), default=""),
    ),
    name='SaslHandshakeRequest',
    api_key=17,
    valid=V(0, 1),
    flexible=V(1, 0),
)


_SASL_HANDSHAKE_RESPONSE = MessageSpec(
    SaslHandshakeResponse,
    (
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('mechanisms', 'array', V(0, 32767), of='string'),
    ),
    name='SaslHandshakeResponse',
    api_key=17,
    valid=V(0, 1),
    flexible=V(1, 0),
)


SASL_HANDSHAKE_REQUEST_SPEC: MessageSpec = _SASL_HANDSHAKE_REQUEST
SASL_HANDSHAKE_RESPONSE_SPEC: MessageSpec = _SASL_HANDSHAKE_RESPONSE
