"""Request and response headers, and which version of each a message uses.

Request header v2 iff the API version is flexible, else v1; response header v1 iff
flexible, else v0 (Kafka's ``ApiMessageTypeGenerator.generateHeaderVersion``). Two quirks:
- ApiVersions responses always use response header v0, even at flexible versions, so a
  client that sent a version we don't know can still read our answer (KIP-511);
- in request header v2, ``client_id`` stays a nullable int16-length string; only the
  tagged-field block that follows it is new (the schema marks it ``legacy``).
"""

from __future__ import annotations

import struct

from kafkalite.protocol.codec import decode
from kafkalite.protocol.messages import REQUESTS, ApiKey
from kafkalite.protocol.messages.headers import (
    REQUEST_HEADER_SPEC,
    RequestHeader,
    ResponseHeader,
)
from kafkalite.protocol.primitives import FIXED

__all__ = ["RequestHeader", "ResponseHeader", "decode_request_header", "encode_response_header"]

_read_int16 = FIXED["int16"][0]
_PLAIN = struct.Struct(">hhih")  # api key, api version, correlation id, client id length
_INT32 = struct.Struct(">i")
_header_versions: dict[tuple[int, int], int] = {}
_MAX_CACHED = 4096
"""Bound on remembered (api key, version) pairs: clients may send any pair."""


def request_header_version(api_key: int, api_version: int) -> int:
    version = _header_versions.get((api_key, api_version))
    if version is None:
        spec = REQUESTS.get(ApiKey(api_key)) if api_key in ApiKey._value2member_map_ else None
        version = 2 if spec is not None and api_version in spec.flexible else 1
        if len(_header_versions) < _MAX_CACHED:
            _header_versions[(api_key, api_version)] = version
    return version


def response_header_version(api_key: int, api_version: int) -> int:
    if api_key == ApiKey.API_VERSIONS:
        return 0
    return request_header_version(api_key, api_version) - 1


def decode_request_header(frame: memoryview) -> tuple[RequestHeader, int]:
    """Decode the header at the start of a request frame; returns it and the body offset."""
    api_key, _ = _read_int16(frame, 0)
    api_version, _ = _read_int16(frame, 2)
    version = request_header_version(api_key, api_version)
    fast = _decode_plain_header(frame, version)
    if fast is not None:
        return fast
    header: RequestHeader
    header, pos = decode(REQUEST_HEADER_SPEC, version, frame)
    return header, pos


def _decode_plain_header(frame: memoryview, version: int) -> tuple[RequestHeader, int] | None:
    """``decode_request_header`` for the usual header (no tagged fields, a valid client id)
    with a single ``struct`` read; None for anything else, which the codec then decodes
    (and refuses as it does)."""
    if len(frame) < _PLAIN.size:
        return None
    api_key, api_version, correlation_id, size = _PLAIN.unpack_from(frame, 0)
    pos = _PLAIN.size
    client_id: str | None = None
    if size >= 0:
        end = pos + size
        if end > len(frame):
            return None
        try:
            client_id = str(frame[pos:end], "utf-8")
        except UnicodeDecodeError:
            return None
        pos = end
    elif size != -1:
        return None
    if version == 2:
        if pos >= len(frame) or frame[pos] != 0:
            return None
        pos += 1
    header = RequestHeader(
        request_api_key=api_key,
        request_api_version=api_version,
        correlation_id=correlation_id,
        client_id=client_id,
    )
    return header, pos


def encode_response_header(api_key: int, api_version: int, correlation_id: int) -> bytes:
    # v0: the correlation id; v1 adds an empty tagged-field section.
    if response_header_version(api_key, api_version) == 0:
        return _INT32.pack(correlation_id)
    return _INT32.pack(correlation_id) + b"\x00"
