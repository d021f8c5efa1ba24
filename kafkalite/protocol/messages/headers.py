"""Request and response headers. Request header v2 and response header v1 are used exactly when
the API version is flexible, except that ApiVersions responses always use response header v0
(KIP-511).

Generated from protocol/messages/_headers.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class RequestHeader(Message):
    __slots__ = ('request_api_key', 'request_api_version', 'correlation_id', 'client_id',)

    request_api_key: int
    """The API key of the request."""

    request_api_version: int
    """The API version of the request."""

    correlation_id: int
    """Echoed in the response."""

    client_id: str | None
    """The client's id. A nullable int16-length string even in header v2. (nullable v1+)"""

    def __init__(self, *, request_api_key: int = 0, request_api_version: int = 0, correlation_id: int = 0, client_id: str | None = None) -> None:
        self.request_api_key = request_api_key
        self.request_api_version = request_api_version
        self.correlation_id = correlation_id
        self.client_id = client_id


class ResponseHeader(Message):
    __slots__ = ('correlation_id',)

    correlation_id: int
    """The correlation id of the request answered."""

    def __init__(self, *, correlation_id: int = 0) -> None:
        self.correlation_id = correlation_id


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
