"""A tiny blocking Kafka client for tests: frames requests with our codec over a raw socket."""

from __future__ import annotations

import socket
import struct
from typing import Any

from kafkalite.protocol.codec import decode, encode_bytes
from kafkalite.protocol.headers import request_header_version, response_header_version
from kafkalite.protocol.messages import REQUESTS, RESPONSES, ApiKey
from kafkalite.protocol.messages.api_versions import ApiVersionsRequest
from kafkalite.protocol.messages.headers import (
    REQUEST_HEADER_SPEC,
    RESPONSE_HEADER_SPEC,
    RequestHeader,
)


def api_versions_request() -> ApiVersionsRequest:
    """An ApiVersions request naming its client software, as v3+ requires (KIP-511)."""
    return ApiVersionsRequest(client_software_name="kafkalite-tests", client_software_version="1.0")


def request_frame(
    api_key: ApiKey,
    version: int,
    body: Any,
    correlation_id: int = 1,
    client_id: str | None = "test",
) -> bytes:
    header = RequestHeader(
        request_api_key=api_key,
        request_api_version=version,
        correlation_id=correlation_id,
        client_id=client_id,
    )
    payload = encode_bytes(REQUEST_HEADER_SPEC, header, request_header_version(api_key, version))
    payload += encode_bytes(REQUESTS[api_key], body, version)
    return struct.pack(">i", len(payload)) + payload


def recv_exact(sock: socket.socket, n: int) -> bytes:
    data = bytearray()
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError(f"connection closed after {len(data)} of {n} bytes")
        data += chunk
    return bytes(data)


def read_response(sock: socket.socket, api_key: ApiKey, version: int) -> tuple[int, Any]:
    (size,) = struct.unpack(">i", recv_exact(sock, 4))
    frame = recv_exact(sock, size)
    header, pos = decode(RESPONSE_HEADER_SPEC, response_header_version(api_key, version), frame)
    body, end = decode(RESPONSES[api_key], version, frame, pos)
    assert end == len(frame), (
        f"{len(frame) - end} trailing bytes in {api_key.name} v{version} response"
    )
    return header.correlation_id, body


def call(
    address: tuple[str, int], api_key: ApiKey, version: int, body: Any, timeout: float = 10.0
) -> Any:
    with socket.create_connection(address, timeout=timeout) as sock:
        sock.sendall(request_frame(api_key, version, body))
        correlation_id, response = read_response(sock, api_key, version)
        assert correlation_id == 1
        return response
