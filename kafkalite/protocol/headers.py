"""Request and response headers, and which version of each a message uses.

Request header v2 iff the API version is flexible, else v1; response header v1 iff
flexible, else v0 (Kafka's ``ApiMessageTypeGenerator.generateHeaderVersion``). Two quirks:
- ApiVersions responses always use response header v0, even at flexible versions, so a
  client that sent a version we don't know can still read our answer (KIP-511);
- in request header v2, ``client_id`` stays a nullable int16-length string; only the
  tagged-field block that follows it is new (the schema marks it ``legacy``).
"""

from __future__ import annotations

from kafkalite.protocol.codec import decode, encode_bytes
from kafkalite.protocol.messages import REQUESTS, ApiKey
from kafkalite.protocol.messages.headers import (
    REQUEST_HEADER_SPEC,
    RESPONSE_HEADER_SPEC,
    RequestHeader,
    ResponseHeader,
)
from kafkalite.protocol.primitives import FIXED

__all__ = ["RequestHeader", "ResponseHeader", "decode_request_header", "encode_response_header"]

_read_int16 = FIXED["int16"][0]


def request_header_version(api_key: int, api_version: int) -> int:
    spec = REQUESTS.get(ApiKey(api_key)) if api_key in ApiKey._value2member_map_ else None
    return 2 if spec is not None and api_version in spec.flexible else 1


def response_header_version(api_key: int, api_version: int) -> int:
    if api_key == ApiKey.API_VERSIONS:
        return 0
    return request_header_version(api_key, api_version) - 1


def decode_request_header(frame: memoryview) -> tuple[RequestHeader, int]:
    """Decode the header at the start of a request frame; returns it and the body offset."""
    api_key, _ = _read_int16(frame, 0)
    api_version, _ = _read_int16(frame, 2)
    header: RequestHeader
    header, pos = decode(REQUEST_HEADER_SPEC, request_header_version(api_key, api_version), frame)
    return header, pos


def encode_response_header(api_key: int, api_version: int, correlation_id: int) -> bytes:
    version = response_header_version(api_key, api_version)
    return encode_bytes(
        RESPONSE_HEADER_SPEC, ResponseHeader(correlation_id=correlation_id), version
    )
