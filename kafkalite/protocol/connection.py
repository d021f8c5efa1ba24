"""``ServerConnection``: the broker side of one Kafka connection, without I/O.

Feed it bytes with ``receive_data``; ``next_event`` returns a ``Request``, ``NEED_DATA`` or
raises ``MalformedRequest`` (after which the connection is in an error state and must be
closed, as Kafka closes it). ``send_response`` returns the size-prefixed response frame as
chunks (``bytes`` and ``FileSlice``). The I/O shell in ``kafkalite.server`` moves the bytes.

Limits are part of the codec (h11's ``max_incomplete_event_size``): a frame whose size
prefix exceeds ``max_request_size`` (``socket.request.max.bytes``) is refused before any of
it is buffered, so a hostile length costs nothing.

What Kafka does, and we do (``RequestContext.parseRequest``, ``SocketServer``):
- an unknown API key, an unparseable header or body: close the connection;
- ApiVersions at a version we don't serve: answered, in v0, with UNSUPPORTED_VERSION and our
  API list (KIP-511), so the client can retry with a version we know;
- any other API at a version we don't serve: close the connection.

The SASL gate (``sasl=True``, a SASL_PLAINTEXT or SASL_SSL listener), as Kafka's
``SaslServerAuthenticator`` keeps it:
- until a SaslHandshake, only ApiVersions and SaslHandshake are read; any other request
  closes the connection (``SaslStateError``, "Unexpected Kafka request of type ... during
  SASL handshake");
- after a v0 SaslHandshake (``sasl_handshake(0)``) the client sends bare tokens, each
  size-prefixed with no Kafka header: ``next_event`` returns them as ``SaslToken`` and
  ``send_sasl_token`` frames the answers;
- after a v1 SaslHandshake only SaslAuthenticate is read until ``sasl_complete()``;
- then every API is served (``sasl_reauthenticate()`` after a SaslHandshake v1+ goes back to
  SaslAuthenticate only, for KIP-368 re-authentication); a SaslHandshake or SaslAuthenticate
  reaches its handler
  (which answers ILLEGAL_SASL_STATE: re-authentication, KIP-368, is not offered).
While authenticating, frames are capped at 512 KiB (Kafka's
``sasl.server.max.receive.size``), before the client is anyone.
"""

from __future__ import annotations

import enum
import struct
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass
from typing import Any

from kafkalite.protocol.codec import (
    Chunk,
    chunks_size,
    decode,
    decode_in_steps,
    encode,
    encode_in_steps,
)
from kafkalite.protocol.errors import MalformedRequest, SaslStateError
from kafkalite.protocol.fast import FAST_DECODERS, FAST_ENCODERS
from kafkalite.protocol.headers import RequestHeader, decode_request_header, encode_response_header
from kafkalite.protocol.messages import REQUESTS, RESPONSES, ApiKey
from kafkalite.protocol.messages.headers import REQUEST_HEADER_SPEC

__all__ = [
    "NEED_DATA",
    "Decoding",
    "NeedData",
    "Request",
    "SaslState",
    "SaslToken",
    "ServerConnection",
]

_SIZE = struct.Struct(">i")
_MIN_HEADER = 8  # api key, api version, correlation id
SASL_MAX_RECEIVE_SIZE = 524288  # sasl.server.max.receive.size


class SaslState(enum.Enum):
    HANDSHAKE = "handshake"
    """Before SaslHandshake: ApiVersions and SaslHandshake only."""
    TOKENS = "tokens"
    """After a v0 SaslHandshake: bare size-prefixed tokens."""
    AUTHENTICATE = "authenticate"
    """After a v1 SaslHandshake: SaslAuthenticate only."""
    COMPLETE = "complete"
    """Authenticated (or no SASL on this listener)."""


_ALLOWED = {
    SaslState.HANDSHAKE: (
        frozenset({ApiKey.API_VERSIONS, ApiKey.SASL_HANDSHAKE}), "during SASL handshake"
    ),
    SaslState.AUTHENTICATE: (frozenset({ApiKey.SASL_AUTHENTICATE}), "during SASL authentication"),
}


@dataclass(frozen=True, slots=True)
class SaslToken:
    """A bare SASL token (after a v0 SaslHandshake)."""

    data: bytes


@dataclass(frozen=True, slots=True)
class Decoding:
    """A large request, decoded in slices: drive ``steps`` (a generator) to its end, and
    its return value is the ``Request``. Between two steps the caller may do other work."""

    steps: Generator[None, None, Request]


class NeedData(enum.Enum):
    NEED_DATA = "NEED_DATA"


NEED_DATA = NeedData.NEED_DATA


@dataclass(slots=True)
class Request:
    """One decoded request.

    ``body`` is the request dataclass; ``version_unsupported`` is set for an ApiVersions
    request at a version we don't serve, whose body was not parsed (KIP-511).
    """

    api_key: ApiKey
    api_version: int
    header: RequestHeader
    body: Any
    size: int
    version_unsupported: bool = False

    @property
    def correlation_id(self) -> int:
        return self.header.correlation_id

    @property
    def client_id(self) -> str | None:
        return self.header.client_id


class ServerConnection:
    """Frames, decodes and encodes for one client connection; see the module docstring."""

    def __init__(
        self,
        served: Mapping[ApiKey, tuple[int, int]],
        *,
        max_request_size: int = 100 << 20,
        sasl: bool = False,
        sliced_request_size: int | None = None,
    ) -> None:
        self._served = served
        self._sliced_request_size = sliced_request_size
        self._max_request_size = max_request_size
        self.sasl_state = SaslState.HANDSHAKE if sasl else SaslState.COMPLETE
        self._buffer = bytearray()
        self._pos = 0
        self._broken: MalformedRequest | None = None

    @property
    def buffered(self) -> int:
        return len(self._buffer) - self._pos

    @property
    def next_frame_size(self) -> int | None:
        """Bytes of the next frame, size prefix included, once its prefix has arrived."""
        if len(self._buffer) - self._pos < 4:
            return None
        return 4 + int(_SIZE.unpack_from(self._buffer, self._pos)[0])

    def receive_data(self, data: bytes | bytearray | memoryview) -> None:
        if self._pos and self._pos == len(self._buffer):
            self._buffer.clear()
            self._pos = 0
        self._buffer += data

    def sasl_handshake(self, version: int) -> None:
        """A SaslHandshake was accepted: bare tokens follow (v0) or SaslAuthenticate (v1)."""
        if self.sasl_state is not SaslState.HANDSHAKE:
            raise SaslStateError(f"SaslHandshake in state {self.sasl_state.value}")
        self.sasl_state = SaslState.TOKENS if version == 0 else SaslState.AUTHENTICATE

    def sasl_complete(self) -> None:
        self.sasl_state = SaslState.COMPLETE

    def sasl_reauthenticate(self) -> None:
        """A SaslHandshake v1+ on an authenticated connection (KIP-368): SaslAuthenticate
        only, until ``sasl_complete()`` again."""
        if self.sasl_state is not SaslState.COMPLETE:
            raise SaslStateError(f"re-authentication in state {self.sasl_state.value}")
        self.sasl_state = SaslState.AUTHENTICATE

    def send_sasl_token(self, token: bytes) -> bytes:
        """A bare SASL token to the client, size-prefixed (the v0 exchange)."""
        return _SIZE.pack(len(token)) + token

    def next_event(self) -> Request | SaslToken | Decoding | NeedData:
        if self._broken is not None:
            raise self._broken
        try:
            return self._next_event()
        except MalformedRequest as exc:
            self._broken = exc
            raise

    def _next_event(self) -> Request | SaslToken | Decoding | NeedData:
        available = len(self._buffer) - self._pos
        if available < 4:
            return NEED_DATA
        (size,) = _SIZE.unpack_from(self._buffer, self._pos)
        tokens = self.sasl_state is SaslState.TOKENS
        if size < (0 if tokens else _MIN_HEADER):
            raise MalformedRequest(f"frame size {size} is too small")
        if self.sasl_state is not SaslState.COMPLETE and size > SASL_MAX_RECEIVE_SIZE:
            raise MalformedRequest(
                f"frame size {size} exceeds sasl.server.max.receive.size={SASL_MAX_RECEIVE_SIZE}"
                " during authentication"
            )
        if size > self._max_request_size:
            raise MalformedRequest(
                f"frame size {size} exceeds socket.request.max.bytes={self._max_request_size}"
            )
        if available < 4 + size:
            return NEED_DATA
        start = self._pos + 4
        # Slicing a bytearray already copies: the frame is the one writable copy of the request,
        # and the records in it are patched in place on append (no second copy).
        frame = self._buffer[start : start + size]
        self._pos = start + size
        if self._pos > 1 << 20 and self._pos * 2 > len(self._buffer):
            del self._buffer[: self._pos]
            self._pos = 0
        if tokens:
            return SaslToken(bytes(frame))
        steps = self._parse(memoryview(frame), size)
        if self._sliced_request_size is not None and size > self._sliced_request_size:
            return Decoding(self._guard(steps))
        try:
            while True:
                next(steps)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]

    def _guard(self, steps: Generator[None, None, Request]) -> Generator[None, None, Request]:
        try:
            return (yield from steps)
        except MalformedRequest as exc:
            self._broken = exc
            raise

    def _parse(self, frame: memoryview, size: int) -> Generator[None, None, Request]:
        api_key_raw, api_version = struct.unpack_from(">hh", frame, 0)
        try:
            api_key = ApiKey(api_key_raw)
        except ValueError:
            raise MalformedRequest(f"unknown api key {api_key_raw}") from None
        allowed = _ALLOWED.get(self.sasl_state)
        if allowed is not None and api_key not in allowed[0]:
            raise SaslStateError(f"Unexpected Kafka request of type {api_key.name} {allowed[1]}.")
        low, high = self._served.get(api_key, (1, 0))
        if api_key == ApiKey.API_VERSIONS and not low <= api_version <= high:
            # KIP-511: don't parse the body; answer v0 with our list.
            try:  # header v1 reads the same fields as v2 up to the tagged section
                header, _ = decode(REQUEST_HEADER_SPEC, 1, frame)
            except MalformedRequest:
                header = RequestHeader(
                    request_api_key=api_key_raw,
                    request_api_version=api_version,
                    correlation_id=struct.unpack_from(">i", frame, 4)[0],
                )
            return Request(api_key, api_version, header, REQUESTS[api_key].cls(), size, True)
        if not low <= api_version <= high:
            raise MalformedRequest(f"{api_key.name} v{api_version} is not served (v{low}-{high})")
        header, pos = decode_request_header(frame)
        if self._sliced_request_size is not None and size > self._sliced_request_size:
            body, _ = yield from decode_in_steps(REQUESTS[api_key], api_version, frame, pos)
        else:
            fast = FAST_DECODERS.get(api_key)
            body = None if fast is None else fast(frame, pos, api_version)
            if body is None:
                body, _ = decode(REQUESTS[api_key], api_version, frame, pos)
        return Request(api_key, api_version, header, body, size)

    def send_response(self, request: Request, response: Any) -> list[Chunk]:
        """The response frame for ``request``: size prefix, header, then the body chunks."""
        version = 0 if request.version_unsupported else request.api_version
        header = encode_response_header(request.api_key, version, request.correlation_id)
        body = _fast_body(request.api_key, response, version)
        if body is None:
            body = encode(RESPONSES[request.api_key], response, version)
        size = len(header) + chunks_size(body)
        first = body[0]
        if isinstance(first, bytes):
            return [_SIZE.pack(size) + header + first, *body[1:]]
        return [_SIZE.pack(size) + header, *body]

    def send_response_in_steps(
        self, request: Request, response: Any, hold: Callable[[Any], Any]
    ) -> Generator[None, None, list[Any]]:
        """``send_response`` in slices (``codec.encode_in_steps``): each ``FileSlice``
        encoded before a step is replaced by ``hold(slice)``, which must keep its bytes
        readable (and has a ``length``)."""
        version = 0 if request.version_unsupported else request.api_version
        header = encode_response_header(request.api_key, version, request.correlation_id)
        body = _fast_body(request.api_key, response, version)
        if body is None:
            body = yield from encode_in_steps(
                RESPONSES[request.api_key], response, version, hold=hold
            )
        size = len(header) + sum(len(c) if isinstance(c, bytes) else c.length for c in body)
        first = body[0]
        if isinstance(first, bytes):
            return [_SIZE.pack(size) + header + first, *body[1:]]
        return [_SIZE.pack(size) + header, *body]


def _fast_body(api_key: ApiKey, response: Any, version: int) -> list[Chunk] | None:
    """The body from a fast encoder (``protocol.fast``), None where the codec must write it."""
    fast = FAST_ENCODERS.get(api_key)
    return None if fast is None else fast(response, version)
