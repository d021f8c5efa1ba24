"""Raw frames for the checks that need bytes no schema would write."""

from __future__ import annotations

import contextlib
import struct
from typing import Any

from kafkalite.check.registry import Failed

_SIZE = struct.Struct(">i")


def frame(payload: bytes) -> bytes:
    return _SIZE.pack(len(payload)) + payload


def header_v1(
    api_key: int, version: int, correlation_id: int, client_id: str = "kafkalite-check"
) -> bytes:
    name = client_id.encode()
    return struct.pack(">hhih", api_key, version, correlation_id, len(name)) + name


def header_v2(
    api_key: int, version: int, correlation_id: int, client_id: str = "kafkalite-check"
) -> bytes:
    return header_v1(api_key, version, correlation_id, client_id) + b"\x00"  # no tagged fields


def read_frame(sock: Any) -> bytes | None:
    """One response frame, or None when the broker closed the connection (or reset it)."""
    try:
        head = _recv_exact(sock, 4)
        if head is None:
            return None
        (size,) = _SIZE.unpack(head)
        if size < 4 or size > 64 << 20:
            raise Failed(f"implausible response size {size}")
        return _recv_exact(sock, size)
    except (ConnectionResetError, BrokenPipeError):
        return None


def _recv_exact(sock: Any, n: int) -> bytes | None:
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return bytes(buf)


def send_and_observe(sock: Any, data: bytes, wait_s: float = 5.0) -> bytes | None:
    """Send ``data``; the broker's first frame back, or None if it closed the connection.
    Fails if it neither answers nor closes within ``wait_s``."""
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        sock.sendall(data)
    sock.settimeout(wait_s)
    try:
        return read_frame(sock)
    except TimeoutError:
        raise Failed(
            f"the broker neither answered nor closed the connection in {wait_s:.0f} s"
        ) from None
