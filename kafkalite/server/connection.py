"""One client connection: read bytes, decode requests one at a time, answer in order.

Each connection serves one request at a time, as Kafka does (kfake's ``mute``): read,
handle, write, then read the next. Pipelined requests wait in the socket buffer, which is
natural backpressure. An acks=0 Produce gets no response at all.

Failures: a malformed frame closes the connection with a log line. An exception inside a
handler is logged with its request and closes that connection; the broker stays up.

On a SASL listener the connection authenticates first (``ServerConnection``'s gate): its
``Authenticator`` answers SaslHandshake and SaslAuthenticate (or the bare tokens after a v0
handshake); a failure is answered as Kafka answers it, logged in one line, and closes the
connection. The principal (``User:<name>``, or the TLS client certificate's subject, else
``User:ANONYMOUS``) goes into every request's context. With ``connections.max.reauth.ms``
(KIP-368) SaslAuthenticate v1+ tells the client its session lifetime; a SaslHandshake v1+
on an authenticated connection re-authenticates it (same mechanism, same principal, else
the connection closes), and a request after the session's end closes the connection.

Limits (checked by the listener's sweep, ``expire``): a connection with no request in
progress and nothing buffered for ``connections.max.idle.ms`` is closed, as Kafka's
``Selector`` closes idle channels; one whose request has not fully arrived
``kafkalite.request.read.timeout.ms`` after its first byte is closed too (a stalled or
trickling sender). With ``queued.max.request.bytes`` a frame's bytes are reserved once its
size prefix is read (``kafkalite.server.memory``); waiting for them is not a timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time
from collections.abc import Generator
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from kafkalite.faults import run_with_faults
from kafkalite.handlers import HANDLERS, advertised
from kafkalite.handlers.context import RequestContext
from kafkalite.handlers.topic_ids import fill_topic_names
from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.connection import (
    NEED_DATA,
    Decoding,
    Request,
    SaslState,
    SaslToken,
    ServerConnection,
)
from kafkalite.protocol.errors import ErrorCode, MalformedRequest
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.sasl_handshake import SaslHandshakeResponse
from kafkalite.security.authenticator import Authenticator
from kafkalite.security.principal import ANONYMOUS, certificate_subject
from kafkalite.security.sasl import SaslAuthenticationError, SaslError
from kafkalite.server.collector import hold_full_collections, take_apart
from kafkalite.server.requests import request_summary, slow_threshold_ms
from kafkalite.server.sendfile import (
    OwnedSlice,
    close_slices,
    dup_slices,
    inline_small_slices,
    write_chunks,
)

if TYPE_CHECKING:
    from kafkalite.cluster import Endpoint
    from kafkalite.server.listener import Listener

log = logging.getLogger(__name__)
request_log = logging.getLogger("kafkalite.request")

_READ_SIZE = 256 * 1024
SLICED_REQUEST_BYTES = 64 * 1024
"""Requests larger than this are decoded in slices, letting other connections be served in
between (``protocol.connection.Decoding``); every response is encoded in slices."""
_T = TypeVar("_T")


async def run_in_steps(steps: Generator[None, None, _T]) -> _T:
    """Drive a generator of steps to its end, letting the event loop run after each."""
    try:
        while True:
            next(steps)
            await asyncio.sleep(0)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


class ClientConnection:
    def __init__(
        self,
        listener: Listener,
        endpoint: Endpoint,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> None:
        self.listener = listener
        self.endpoint = endpoint
        self.runtime = listener.runtime
        self.node = listener.node
        self.reader = reader
        self.writer = writer
        self.closing = listener.closing
        peer = writer.get_extra_info("peername")
        self.peer = f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else str(peer)
        sasl = endpoint.security_protocol in ("SASL_PLAINTEXT", "SASL_SSL")
        self.protocol = ServerConnection(
            advertised(self.runtime.config.emulate_version),
            max_request_size=self.runtime.config.socket_request_max_bytes,
            sasl=sasl,
            sliced_request_size=SLICED_REQUEST_BYTES,
        )
        self.authenticator = (
            Authenticator(
                self.runtime.sasl_users(),
                self.runtime.config.sasl_mechanisms_for(endpoint.listener),
            )
            if sasl
            else None
        )
        self.busy = False
        self.principal = ANONYMOUS
        self.token_authenticated = False
        """Whether the SASL login used a delegation token (SCRAM ``tokenauth``)."""
        self.session_expires: float | None = None
        """When the SASL session ends (KIP-368), on the loop's clock; None: never."""
        self._reauth_from: str | None = None
        """The principal being re-authenticated, during a re-authentication."""
        self.refused: str | None = None
        """Why the connection is closed before its first request (a certificate subject no
        ``ssl.principal.mapping.rules`` rule maps)."""
        certificate = writer.get_extra_info("peercert")
        if certificate:  # mTLS: the principal is the certificate's subject, mapped
            try:
                self.principal = "User:" + listener.runtime.principal_mapper().name(
                    certificate_subject(certificate)
                )
            except ValueError as exc:
                self.refused = str(exc)
        self.memory = self.runtime.request_memory
        self._loop = asyncio.get_running_loop()
        self.last_active = self._loop.time()
        self.frame_started: float | None = None
        """When the first bytes of a request not yet complete were read."""
        self._reserved = 0
        self._waiting_for_memory = False
        self.stats = self.runtime.stats
        self.read_at = self.last_active
        """When bytes last arrived: a request decoded from them was complete by then."""
        self.client_id: str | None = None
        self.client_software: str | None = None
        """``name/version`` from ApiVersions v3+ (KIP-511)."""
        self.requests = 0

    def expire(self, now: float, idle_s: float | None, read_timeout_s: float) -> None:
        """Close the connection if it has been idle, or its request has been arriving, too
        long (see the module docstring)."""
        if self.busy or self._waiting_for_memory:
            return
        if self.frame_started is not None:
            if now - self.frame_started > read_timeout_s:
                log.warning(
                    "closing connection from %s: its request was not complete %.0f ms after "
                    "its first byte (kafkalite.request.read.timeout.ms)",
                    self.peer, read_timeout_s * 1000,
                )
                self.writer.transport.abort()
        elif idle_s is not None and now - self.last_active > idle_s:
            log.info(
                "closing connection from %s: idle for more than %.0f ms "
                "(connections.max.idle.ms)", self.peer, idle_s * 1000,
            )
            self.writer.transport.close()

    async def run(self) -> None:
        sock = self.writer.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        listener = self.endpoint.listener
        self.stats.connection_opened(listener)
        log.debug("connection from %s opened on %s (node %d)", self.peer, listener, self.node.id)
        try:
            if self.refused is not None:
                log.warning("closing connection from %s: %s", self.peer, self.refused)
                return
            await self._serve()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        except MalformedRequest as exc:
            log.warning("closing connection from %s: %s", self.peer, exc)
        finally:
            self.stats.connection_closed(listener)
            if log.isEnabledFor(logging.DEBUG):
                log.debug(
                    "connection from %s closed on %s (node %d): client id %r, software %s, "
                    "%d request(s)", self.peer, listener, self.node.id, self.client_id,
                    self.client_software or "unknown", self.requests,
                )
            self._release()
            self.writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await self.writer.wait_closed()

    async def _serve(self) -> None:
        while not self.closing.is_set():
            event = self.protocol.next_event()
            if event is NEED_DATA:
                if self.frame_started is None and self.protocol.buffered:
                    self.frame_started = self._loop.time()
                if self.memory is not None and not self._reserved:
                    size = self.protocol.next_frame_size
                    if size is not None:
                        await self._reserve(size)
                data = await self._read()
                if not data:
                    return
                self.last_active = self.read_at = self._loop.time()
                self.protocol.receive_data(data)
                continue
            with contextlib.ExitStack() as large:
                if isinstance(event, Decoding):
                    large.enter_context(hold_full_collections())
                    self.busy = True  # being worked on: not idle, not a slow sender
                    try:
                        event = await run_in_steps(event.steps)
                    finally:
                        self.busy = False
                assert isinstance(event, Request | SaslToken)
                if not await self._serve_one(event):
                    return

    async def _serve_one(self, event: Request | SaslToken) -> bool:
        """Serve one request; False closes the connection."""
        self._release()
        self.frame_started = self._loop.time() if self.protocol.buffered else None
        self.busy = True
        try:
            if isinstance(event, SaslToken):
                carry_on = await self._sasl_token(event)
            elif self.protocol.sasl_state is not SaslState.COMPLETE and event.api_key in (
                ApiKey.SASL_HANDSHAKE, ApiKey.SASL_AUTHENTICATE
            ):
                carry_on = await self._sasl_request(event)
            elif self._reauthenticates(event):
                carry_on = await self._start_reauthentication(event)
            elif self._session_expired(event):
                carry_on = False
            else:
                carry_on = await self._handle(event)
            return carry_on
        finally:
            self.busy = False

    # -- SASL -------------------------------------------------------------------------------

    async def _sasl_request(self, request: Request) -> bool:
        """SaslHandshake or SaslAuthenticate while authenticating; False closes."""
        auth = self.authenticator
        assert auth is not None
        if request.api_key == ApiKey.SASL_HANDSHAKE:
            handshake = auth.handshake(request.body.mechanism)
            await self._respond(request, handshake)
            if handshake.error_code:
                log.warning(
                    "closing connection from %s on %s: SASL mechanism %r is not enabled (%s)",
                    self.peer, self.endpoint.listener, request.body.mechanism,
                    ",".join(auth.mechanisms),
                )
                return False
            self.protocol.sasl_handshake(request.api_version)
            return True
        try:
            response = auth.authenticate_response(request.body.auth_bytes)
        except SaslError as exc:
            self._log_failure(exc)  # logged before the client can see the failure
            await self._respond(request, auth.failure_response(exc))
            await self._delay_close()
            return False
        if auth.complete and self._reauth_from is not None:
            previous = self._reauth_from
            if auth.principal != previous:
                error = SaslAuthenticationError(
                    f"Cannot change principals during re-authentication from {previous}: "
                    f"{auth.principal}"
                )
                await self._respond(request, auth.failure_response(error))
                self._log_failure(error)
                await self._delay_close()
                return False
        if auth.complete and request.api_version >= 1:
            response.session_lifetime_ms = self.runtime.config.connections_max_reauth_ms
        await self._respond(request, response)
        self._check_authenticated()
        return True

    # -- re-authentication (KIP-368) ---------------------------------------------------------

    def _reauthenticates(self, request: Request) -> bool:
        """A SaslHandshake v1+ on an authenticated SASL connection with
        ``connections.max.reauth.ms`` set: the client re-authenticates."""
        return (
            self.authenticator is not None
            and self.runtime.config.connections_max_reauth_ms > 0
            and request.api_key == ApiKey.SASL_HANDSHAKE
            and request.api_version >= 1
        )

    async def _start_reauthentication(self, request: Request) -> bool:
        previous = self.authenticator
        assert previous is not None
        if request.body.mechanism != previous.mechanism:
            # Kafka refuses a change of mechanism during re-authentication.
            await self._respond(request, SaslHandshakeResponse(
                error_code=ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms=[previous.mechanism]
            ))
            log.warning(
                "closing connection from %s: re-authentication with %s, not %s",
                self.peer, request.body.mechanism, previous.mechanism,
            )
            return False
        self.authenticator = Authenticator(self.runtime.sasl_users(), previous.mechanisms)
        self._reauth_from = self.principal
        await self._respond(request, self.authenticator.handshake(request.body.mechanism))
        self.protocol.sasl_reauthenticate()
        return True

    def _session_expired(self, request: Request) -> bool:
        """KIP-368: a request after the session's end (``connections.max.reauth.ms`` after
        authentication) that is not a re-authentication closes the connection, as Kafka's
        ``KafkaChannel.serverAuthenticationSessionExpired`` does."""
        if self.session_expires is None or self._loop.time() < self.session_expires:
            return False
        log.info(
            "closing connection from %s (%s): its SASL session expired "
            "(connections.max.reauth.ms) and it did not re-authenticate before %s",
            self.peer, self.principal, request.api_key.name,
        )
        return True

    async def _sasl_token(self, token: SaslToken) -> bool:
        """A bare token after a v0 handshake; a failure just closes (there is no error
        frame in the v0 exchange)."""
        assert self.authenticator is not None
        try:
            answer = self.authenticator.authenticate(token.data)
        except SaslError as exc:
            self._log_failure(exc)
            await self._delay_close()
            return False
        self.writer.write(self.protocol.send_sasl_token(answer))
        await self.writer.drain()
        self._check_authenticated()
        return True

    def _check_authenticated(self) -> None:
        auth = self.authenticator
        assert auth is not None
        if auth.complete:
            self.protocol.sasl_complete()
            self.principal = auth.principal
            self.token_authenticated = auth.token_authenticated
            self._reauth_from = None
            reauth_ms = self.runtime.config.connections_max_reauth_ms
            self.session_expires = self._loop.time() + reauth_ms / 1000 if reauth_ms > 0 else None
            log.debug(
                "%s authenticated as %s with %s on %s",
                self.peer, self.principal, auth.mechanism, self.endpoint.listener,
            )

    async def _delay_close(self) -> None:
        """Kafka closes a connection that failed to authenticate only after
        ``connection.failed.authentication.delay.ms``: clients read the failure first, and
        a client retrying in a loop is slowed down. Shutdown cuts the wait short."""
        delay = self.runtime.config.connection_failed_authentication_delay_ms / 1000
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.closing.wait(), delay)

    def _log_failure(self, error: SaslError) -> None:
        auth = self.authenticator
        assert auth is not None
        log.warning(
            "authentication failed for %s on %s (%s, user %r): %s; closing the connection",
            self.peer, self.endpoint.listener, auth.mechanism, auth.username, error.log_text(),
        )

    async def _respond(self, request: Request, response: object) -> None:
        await write_chunks(self.writer, dup_slices(self.protocol.send_response(request, response)))

    async def _encode(self, request: Request, response: object) -> list[Any]:
        """The response's chunks, encoded in slices; a file slice encoded before the loop
        runs again is held on a duplicate descriptor at once (see ``sendfile``)."""
        held: list[bytes | OwnedSlice] = []

        def hold(file_slice: FileSlice) -> OwnedSlice:
            owned = dup_slices([file_slice])[0]
            assert isinstance(owned, OwnedSlice)
            held.append(owned)
            return owned

        try:
            return await run_in_steps(self.protocol.send_response_in_steps(request, response, hold))
        except BaseException:
            close_slices(held)
            raise

    async def _read(self) -> bytes:
        return await self.reader.read(_READ_SIZE)

    async def _reserve(self, size: int) -> None:
        assert self.memory is not None
        self._waiting_for_memory = True
        try:
            await self.memory.reserve(size)
        finally:
            self._waiting_for_memory = False
        self._reserved = size
        self.frame_started = self._loop.time()  # the wait was ours, not the sender's

    def _release(self) -> None:
        if self._reserved and self.memory is not None:
            self.memory.release(self._reserved)
        self._reserved = 0

    def close_if_idle(self) -> None:
        """Called at shutdown: an idle connection closes now, a busy one after its answer."""
        if not self.busy:
            self.writer.transport.close()

    async def _hold(self) -> None:
        lifted = self.listener.black_hole_lifted
        while self.node.id in self.runtime.black_holes and not self.closing.is_set():
            await lifted.wait()
            lifted = self.listener.black_hole_lifted

    async def _handle(self, request: Request) -> bool:
        handler = HANDLERS[request.api_key]
        ctx = RequestContext(
            node=self.node,
            cluster=self.runtime.cluster,
            request=request,
            waiters=self.runtime.partition_waiters,
            peer=self.peer,
            closing=self.closing,
            listener=self.endpoint.listener,
            principal=self.principal,
            security_protocol=self.endpoint.security_protocol,
            token_authenticated=self.token_authenticated,
        )
        fill_topic_names(ctx.cluster, request.api_key, request.api_version, request.body)
        started = time.perf_counter()
        queue_ms = max(0.0, (self._loop.time() - self.read_at) * 1000)
        self.requests += 1
        if self.client_id is None:
            self.client_id = request.client_id
        if request.api_key == ApiKey.API_VERSIONS and request.api_version >= 3:
            self._note_software(request.body)
        if self.node.id in self.runtime.black_holes:
            # A black-holed node reads requests and never answers them, until lifted.
            await self._hold()
            if self.closing.is_set():
                return False
        try:
            outcome = await run_with_faults(
                self.runtime.faults,
                node_id=self.node.id,
                api_key=request.api_key,
                version=request.api_version,
                client_id=request.client_id,
                body=request.body,
                call=partial(handler.fn, ctx),
                journal=self.runtime.journal,
                correlation_id=request.correlation_id,
                sliced=request.size > SLICED_REQUEST_BYTES,
            )
            response = outcome.response
            if outcome.close:
                log.info(
                    "closing connection from %s instead of answering %s v%d corr=%d (fault %s)",
                    self.peer, request.api_key.name, request.api_version,
                    request.correlation_id, outcome.fault_id,
                )
                return False
            chunks = (
                []
                if response is None
                else dup_slices(inline_small_slices(await self._encode(request, response)))
            )
        except Exception:
            log.exception(
                "error handling %s v%d corr=%d client=%s peer=%s; closing the connection",
                request.api_key.name,
                request.api_version,
                request.correlation_id,
                request.client_id,
                self.peer,
            )
            return False
        finally:
            self.runtime.conditions.check()
        if chunks:
            await write_chunks(self.writer, chunks)
        if request.size > SLICED_REQUEST_BYTES:  # free its objects a slice at a time
            await run_in_steps(take_apart(response))
            await run_in_steps(take_apart(request.body))
        self.last_active = self._loop.time()
        if ctx.close_connection:
            log.info(
                "closing connection from %s after %s v%d corr=%d, as Kafka does",
                self.peer, request.api_key.name, request.api_version, request.correlation_id,
            )
            return False
        elapsed_ms = (time.perf_counter() - started) * 1000
        try:
            self.stats.record_request(
                request.api_key, request.api_version, elapsed_ms, queue_ms, request.body,
                response,
            )
        except Exception:  # counting must never cost a client its answer
            log.exception("counting %s v%d failed", request.api_key.name, request.api_version)
        if elapsed_ms > slow_threshold_ms(self.runtime.config.slow_request_ms, request):
            self.stats.slow_requests += 1
            request_log.info(
                "slow request: %s v%d corr=%d client=%s peer=%s node=%d %s took %.1f ms "
                "(kafkalite.slow.request.ms=%d)",
                request.api_key.name, request.api_version, request.correlation_id,
                request.client_id, self.peer, self.node.id, request_summary(request),
                elapsed_ms, self.runtime.config.slow_request_ms,
            )
        elif request_log.isEnabledFor(logging.DEBUG):
            request_log.debug(
                "%s v%d corr=%d client=%s peer=%s %.2fms",
                request.api_key.name,
                request.api_version,
                request.correlation_id,
                request.client_id,
                self.peer,
                elapsed_ms,
            )
        if ctx.throttle_ms > 0:
            # KIP-219: the answer carries throttle_time_ms and the channel is muted that
            # long; shutdown cuts the wait short.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.closing.wait(), ctx.throttle_ms / 1000)
        return True

    def _note_software(self, body: object) -> None:
        name = getattr(body, "client_software_name", "") or ""
        version = getattr(body, "client_software_version", "") or ""
        if name or version:
            self.client_software = f"{name}/{version}"
            log.debug(
                "connection from %s on %s (node %d) is client id %r, software %s",
                self.peer, self.endpoint.listener, self.node.id, self.client_id,
                self.client_software,
            )

