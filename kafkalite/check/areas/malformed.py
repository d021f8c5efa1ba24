"""Error answers to malformed requests: an error or a closed connection, never a hang, and
the broker keeps serving other connections."""

from __future__ import annotations

import os
import struct

from kafkalite.check.areas._wire import frame, header_v1, header_v2, read_frame, send_and_observe
from kafkalite.check.context import CheckContext
from kafkalite.check.registry import Failed, check, expect
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.metadata import MetadataRequest


def _still_serving(ctx: CheckContext) -> None:
    try:
        conn = ctx.new_connection()
        ctx.call(
            conn, ApiKey.METADATA, MetadataRequest(topics=[]), conn.version_for(ApiKey.METADATA)
        )
    except Exception as exc:
        raise Failed(f"the broker stopped serving after the malformed request: {exc}") from None


def _error_or_close(ctx: CheckContext, data: bytes, what: str) -> str:
    sock = ctx.raw_socket()
    answer = send_and_observe(sock, data)
    _still_serving(ctx)
    if answer is None:
        return "connection closed"
    if len(answer) >= 6:
        (code,) = struct.unpack_from(">h", answer, 4)
        return f"answered (first int16 after the header: {code})"
    raise Failed(f"{what}: a {len(answer)}-byte answer is neither an error nor a close")


@check(
    "malformed",
    "A request whose body is cut short (Metadata v1 with half an array) gets a closed connection "
    "or an error, and the broker keeps serving.",
    "Kafka SocketServer / RequestContext.parseRequest (InvalidRequestException closes)",
)
def truncated_body(ctx: CheckContext) -> str:
    data = frame(header_v1(ApiKey.METADATA, 1, 3) + struct.pack(">i", 5) + b"\x00")
    return _error_or_close(ctx, data, "truncated Metadata")


@check(
    "malformed",
    "A request for an API key the broker does not know (9999) gets a closed connection, and the "
    "broker keeps serving.",
    "Kafka SocketServer (InvalidRequestException: unknown API key)",
)
def unknown_api_key(ctx: CheckContext) -> str:
    return _error_or_close(ctx, frame(header_v1(9999, 0, 4)), "API key 9999")


@check(
    "malformed",
    "A request at a version the broker does not serve (Metadata v999) gets UNSUPPORTED_VERSION or "
    "a closed connection.",
    "Kafka RequestContext (UnsupportedVersionException)",
)
def unsupported_version(ctx: CheckContext) -> str:
    return _error_or_close(
        ctx, frame(header_v2(ApiKey.METADATA, 999, 5) + b"\x01\x00\x00"), "Metadata v999"
    )


@check(
    "malformed",
    "A frame size above socket.request.max.bytes (here 1 GiB, never sent) closes the connection "
    "at once.",
    "Kafka NetworkReceive (InvalidReceiveException); socket.request.max.bytes",
)
def oversized_frame(ctx: CheckContext) -> None:
    sock = ctx.raw_socket()
    answer = send_and_observe(sock, struct.pack(">i", 1 << 30) + header_v1(ApiKey.METADATA, 1, 6))
    _still_serving(ctx)
    expect(answer is None, "the broker answered a 1 GiB frame header instead of closing")


@check(
    "malformed",
    "A negative frame size closes the connection.",
    "Kafka NetworkReceive (InvalidReceiveException: invalid receive size)",
)
def negative_frame_size(ctx: CheckContext) -> None:
    sock = ctx.raw_socket()
    answer = send_and_observe(sock, struct.pack(">i", -5) + b"\x00" * 8)
    _still_serving(ctx)
    expect(answer is None, "the broker answered a frame of negative size")


@check(
    "malformed",
    "64 random bytes as a request get a closed connection or an error, and the broker keeps "
    "serving.",
    "Kafka SocketServer (request parsing failures close the connection)",
)
def garbage_frame(ctx: CheckContext) -> str:
    body = struct.pack(">hhi", ApiKey.PRODUCE, 9, 8) + os.urandom(56)
    return _error_or_close(ctx, frame(body), "random bytes")


@check(
    "malformed",
    "Pipelined requests on one connection are answered in order, each with its correlation id.",
    "Kafka protocol guide ('the server guarantees that on a single TCP connection, requests will "
    "be processed in the order they are sent')",
)
def pipelined_order(ctx: CheckContext) -> None:
    sock = ctx.raw_socket()
    frames = b"".join(frame(header_v1(ApiKey.API_VERSIONS, 0, cid)) for cid in (101, 102, 103))
    sock.sendall(frames)
    sock.settimeout(ctx.settings.timeout_s)
    seen = []
    for _ in range(3):
        answer = read_frame(sock)
        if answer is None:
            raise Failed(f"connection closed after {len(seen)} of 3 answers")
        seen.append(struct.unpack_from(">i", answer)[0])
    expect(seen == [101, 102, 103], f"correlation ids answered {seen}, expected [101, 102, 103]")
