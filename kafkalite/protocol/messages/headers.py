"""Request and response headers. Request header v2 and response header v1 are used exactly when
the API version is flexible, except that ApiVersions responses always use response header v0
(KIP-511).

Generated from protocol/messages/_headers.json by kafkalite.protocol.codegen: do not edit.
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
class RequestHeader:
    request_api_key: int = 0
    """The API key of the request."""
    request_api_version: int = 0
    """The API version of the request."""
    correlation_id: int = 0
    """Echoed in the response."""
    client_id: str | None = None
    """The client's id. A nullable int16-length string even in header v2. (nullable v1+)"""


@dataclass(slots=True, kw_only=True)
class ResponseHeader:
    correlation_id: int = 0
    """The correlation id of the request answered."""


_REQUEST_HEADER = MessageSpec(
    RequestHeader,
    (
        FieldSpec('request_api_key', 'int16', V(0, 32767), default=0),
        FieldSpec('request_api_version', 'int16', V(0, 32767), default=0),
        FieldSpec('correlation_id', 'int32', V(0, 32767), default=0),
        FieldSpec('client_id', 'string', V(0, 32767), nullable=V(1, 32767), legacy=True),
    ),
    name='RequestHeader',
    api_key=-1,
    valid=V(1, 2),
    flexible=V(2, 32767),
)


_RESPONSE_HEADER = MessageSpec(
    ResponseHeader,
    (
        FieldSpec('correlation_id', 'int32', V(0, 32767), default=0),
    ),
    name='ResponseHeader',
    api_key=-1,
    valid=V(0, 1),
    flexible=V(1, 32767),
)


REQUEST_HEADER_SPEC: MessageSpec = _REQUEST_HEADER
RESPONSE_HEADER_SPEC: MessageSpec = _RESPONSE_HEADER
