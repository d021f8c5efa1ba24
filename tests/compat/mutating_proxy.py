"""A TCP proxy in front of a broker that misbehaves on purpose, one ``Mutation`` at a time.

The broker advertises the proxy's address (``advertised.listeners``), so every connection a
check or a client library opens, bootstrap, leader or coordinator, goes through it. Requests
pass through untouched, byte for byte as they arrive (an oversized or negative frame size
included); the proxy only reads each frame's header to remember which API and version a
correlation id asked for. Responses are read whole; the ones of the API the current mutation
names are decoded with kafkalite's codec, changed and re-encoded, or replaced by a closed
connection. Everything else is forwarded unchanged.

Mutations (built by the functions below, each naming the word a check's failure reason must
carry to be useful):

- ``errors(api, code)``: every ``error_code`` of the response becomes ``code``;
- ``recode(api, old, new)``: every ``error_code`` that is ``old`` becomes ``new`` (the broker
  answers ``new`` where Kafka answers ``old``);
- ``change(api, field, fn)``: every field of that name, at any depth, becomes ``fn(value)``
  (``nth(n, fn)`` changes only the n-th value seen);
- ``close(api)``: the connection is closed instead of answering;
- ``raw(api, fn)``: the whole response frame (header included) becomes ``fn(frame)``;
- ``answer_bad_frames()``: a frame whose size is negative or above 100 MiB is answered with
  an 8-byte frame instead of the broker's closed connection;
- ``crash_on(api)``: a request of that API key "crashes" the broker: every connection is
  closed and new ones are closed as soon as they are accepted.
"""

from __future__ import annotations

import contextlib
import itertools
import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kafkalite.protocol.codec import decode, encode_bytes
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.headers import response_header_version
from kafkalite.protocol.messages import RESPONSES, ApiKey
from kafkalite.protocol.messages.headers import RESPONSE_HEADER_SPEC
from kafkalite.protocol.spec import StructSpec

__all__ = [
    "Mutation",
    "MutatingProxy",
    "answer_bad_frames",
    "change",
    "close",
    "crash_on",
    "errors",
    "nth",
    "recode",
    "raw",
]

_SIZE = struct.Struct(">i")
_HEADER = struct.Struct(">hhi")  # api key, api version, correlation id: every header starts so
_MAX_FRAME = 100 << 20


@dataclass(frozen=True, slots=True)
class Mutation:
    word: str
    """What the failure reason of the check must contain."""
    api: int | None = None
    rewrite: Callable[[StructSpec, Any], None] | None = None
    """Changes a decoded response body in place, given its schema."""
    close: bool = False
    raw: Callable[[bytes], bytes] | None = None
    bad_frames: bool = False
    crash_api: int | None = None


def _walk(spec: StructSpec, obj: Any, name: str, fn: Callable[[Any], Any]) -> int:
    """Apply ``fn`` to every field called ``name`` under ``obj``; the number changed."""
    changed = 0
    for field in spec.fields:
        value = getattr(obj, field.name, None)
        if field.name == name:
            setattr(obj, field.name, fn(value))
            changed += 1
        elif field.struct is not None and value is not None:
            items = value if isinstance(value, list) else [value]
            for item in items:
                changed += _walk(field.struct, item, name, fn)
    return changed


def errors(api: int, code: int, word: str | None = None) -> Mutation:
    def rewrite(spec: StructSpec, body: Any) -> None:
        _walk(spec, body, "error_code", lambda _: code)

    return Mutation(word or ErrorCode(code).name, api, rewrite)


def recode(api: int, old: int, new: int, word: str | None = None) -> Mutation:
    def rewrite(spec: StructSpec, body: Any) -> None:
        _walk(spec, body, "error_code", lambda code: new if code == old else code)

    return Mutation(word or ErrorCode(old).name, api, rewrite)


def nth(n: int, fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``fn`` applied to the ``n``-th value seen only (from 1); the others pass unchanged."""
    seen = itertools.count(1)
    return lambda value: fn(value) if next(seen) == n else value


def change(api: int, field: str, fn: Callable[[Any], Any], word: str) -> Mutation:
    def rewrite(spec: StructSpec, body: Any) -> None:
        _walk(spec, body, field, fn)

    return Mutation(word, api, rewrite)


def close(api: int, word: str = "closed") -> Mutation:
    return Mutation(word, api, close=True)


def raw(api: int, fn: Callable[[bytes], bytes], word: str) -> Mutation:
    return Mutation(word, api, raw=fn)


def answer_bad_frames(word: str = "answered") -> Mutation:
    return Mutation(word, bad_frames=True)


def crash_on(api: int, word: str = "stopped serving") -> Mutation:
    return Mutation(word, crash_api=api)


class MutatingProxy:
    """Listens on 127.0.0.1 (a free port); ``target`` is the broker's address, set before
    the first connection. ``mutation`` may change between checks; ``reset()`` clears it and
    brings a crashed proxy back."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self.target: tuple[str, int] | None = None
        self.mutation: Mutation | None = None
        self._down = False
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._closed = False
        threading.Thread(target=self._accept, name="proxy-accept", daemon=True).start()

    def reset(self, mutation: Mutation | None = None) -> None:
        self._drop_all()
        self._down = False
        self.mutation = mutation

    def close(self) -> None:
        self._closed = True
        with contextlib.suppress(OSError):
            self._listener.close()
        self._drop_all()

    # --- plumbing ----------------------------------------------------------------------

    def _drop_all(self) -> None:
        with self._lock:
            sockets, self._sockets = list(self._sockets), set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()

    def _crash(self) -> None:
        self._down = True
        self._drop_all()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self._down or self.target is None:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=10)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets |= {client, upstream}
            pending: dict[int, tuple[int, int]] = {}
            for target, args in (
                (self._requests, (client, upstream, pending)),
                (self._responses, (upstream, client, pending)),
            ):
                threading.Thread(target=target, args=args, daemon=True).start()

    def _forget(self, *sockets: socket.socket) -> None:
        with self._lock:
            self._sockets -= set(sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()

    def _requests(
        self, client: socket.socket, upstream: socket.socket, pending: dict[int, tuple[int, int]]
    ) -> None:
        """Client to broker: forward every byte as it comes, reading frame headers on the way."""
        buf = b""
        skip = 0  # bytes of the current frame's body still to pass by
        tracking = True
        try:
            while True:
                data = client.recv(65536)
                if not data:
                    break
                if tracking:
                    buf += data
                    while tracking:
                        if skip:
                            taken = min(skip, len(buf))
                            buf, skip = buf[taken:], skip - taken
                            if skip:
                                break
                        if len(buf) < 4:
                            break
                        (size,) = _SIZE.unpack_from(buf)
                        mutation = self.mutation
                        if size < 0 or size > _MAX_FRAME:
                            tracking = False
                            if mutation is not None and mutation.bad_frames:
                                client.sendall(_SIZE.pack(4) + b"\x00\x00\x00\x00")
                            break
                        if len(buf) < 4 + min(size, _HEADER.size):
                            break
                        if size >= _HEADER.size:
                            api, version, correlation = _HEADER.unpack_from(buf, 4)
                            pending[correlation] = (api, version)
                            if mutation is not None and mutation.crash_api == api:
                                # Down before the broker sees it: a client that reconnects
                                # as soon as its connection closes must find it down.
                                self._down = True
                                upstream.sendall(data)
                                self._crash()
                                return
                        buf, skip = buf[4:], size
                upstream.sendall(data)
        except OSError:
            pass
        self._forget(client, upstream)

    def _responses(
        self, upstream: socket.socket, client: socket.socket, pending: dict[int, tuple[int, int]]
    ) -> None:
        """Broker to client: whole frames, the mutation's API rewritten."""
        try:
            while True:
                head = _read_exact(upstream, 4)
                if head is None:
                    break
                frame = _read_exact(upstream, _SIZE.unpack(head)[0])
                if frame is None:
                    break
                (correlation,) = _SIZE.unpack_from(frame)
                api, version = pending.pop(correlation, (-1, -1))
                mutation = self.mutation
                if mutation is not None and mutation.api == api:
                    if mutation.close:
                        break
                    frame = _mutate(mutation, api, version, frame)
                client.sendall(_SIZE.pack(len(frame)) + frame)
        except OSError:
            pass
        self._forget(client, upstream)


def _mutate(mutation: Mutation, api: int, version: int, frame: bytes) -> bytes:
    if mutation.raw is not None:
        return mutation.raw(frame)
    assert mutation.rewrite is not None
    spec = RESPONSES[ApiKey(api)]
    header_version = response_header_version(api, version)
    try:
        header, pos = decode(RESPONSE_HEADER_SPEC, header_version, frame)
        body, _ = decode(spec, version, frame, pos)
    except Exception:  # e.g. ApiVersions answered in v0 to a version it does not know
        return frame
    mutation.rewrite(spec, body)
    return encode_bytes(RESPONSE_HEADER_SPEC, header, header_version) + encode_bytes(
        spec, body, version
    )


def _read_exact(sock: socket.socket, n: int) -> bytes | None:
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return bytes(buf)
