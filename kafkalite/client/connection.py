"""One blocking connection to one broker, with API version negotiation.

On connect the client sends ApiVersions at the highest version our schemas know. A broker
that does not know that version answers in v0 with UNSUPPORTED_VERSION and its own range
for ApiVersions (KIP-511), and the request is repeated at the broker's highest version.
Every later call uses the highest version both sides serve for its API (``version_for``),
unless the caller asks for a specific one; callers that build version-dependent bodies ask
``version_for`` first and pass the result to ``call``.

Framing uses the protocol layer: request header v2 at flexible versions (v1 otherwise), the
response header version from ``response_header_version`` (v0 for ApiVersions). Calls are
strictly one at a time; ``send`` is for requests that get no response (Produce acks=0).
``security`` (``kafkalite.client.security``) adds TLS and SASL.
"""

from __future__ import annotations

import contextlib
import socket
import struct
from typing import Any

from kafkalite import __version__
from kafkalite.client.errors import ClientError, ConnectionFailed, UnsupportedApiError
from kafkalite.client.security import ConnectionSecurity
from kafkalite.protocol.codec import decode, encode_bytes
from kafkalite.protocol.errors import ErrorCode, ProtocolError
from kafkalite.protocol.headers import request_header_version, response_header_version
from kafkalite.protocol.messages import REQUESTS, RESPONSES, ApiKey
from kafkalite.protocol.messages.api_versions import ApiVersionsRequest, ApiVersionsResponse
from kafkalite.protocol.messages.headers import (
    REQUEST_HEADER_SPEC,
    RESPONSE_HEADER_SPEC,
    RequestHeader,
)

__all__ = ["BrokerConnection", "parse_address"]

_SIZE = struct.Struct(">i")
_ERROR_CODE = struct.Struct(">h")
#: A response frame larger than this is treated as a broken stream (Kafka clients cap
#: receives the same way; the broker's own fetch cap is far below).
MAX_RESPONSE_SIZE = 1 << 30
DEFAULT_PORT = 9092


def parse_address(text: str, default_port: int = DEFAULT_PORT) -> tuple[str, int]:
    """``host:port``, ``host`` or ``[v6addr]:port`` to ``(host, port)``."""
    text = text.strip()
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else ""
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
    else:
        host, port_text = text, ""
    if not host:
        raise ValueError(f"no host in {text!r}")
    try:
        port = int(port_text) if port_text else default_port
    except ValueError:
        raise ValueError(f"bad port in {text!r}") from None
    if not 0 < port < 65536:
        raise ValueError(f"bad port in {text!r}")
    return host, port


class BrokerConnection:
    """A negotiated connection; ``versions`` maps each API the broker serves to its range."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        client_id: str = "kafkalite-cli",
        timeout: float = 30.0,
        security: ConnectionSecurity | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.client_id = client_id
        self.timeout = timeout
        self.versions: dict[int, tuple[int, int]] = {}
        self._correlation_id = 0
        try:
            self._sock = socket.create_connection((host, port), timeout=timeout)
        except OSError as exc:
            raise ConnectionFailed(
                f"cannot connect to {host}:{port}: {exc.strerror or exc}"
            ) from exc
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            if security is not None:
                self._sock = security.wrap(self._sock, host)  # type: ignore[assignment]
            self._negotiate()
            if security is not None:
                security.authenticate(self)
        except BaseException:
            self.close()
            raise

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._sock.close()

    def __enter__(self) -> BrokerConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- versions -------------------------------------------------------------------

    def supports(self, api_key: ApiKey) -> bool:
        try:
            self.version_for(api_key)
        except UnsupportedApiError:
            return False
        return True

    def version_for(self, api_key: ApiKey, minimum: int = 0, maximum: int = 0x7FFF) -> int:
        """The highest version of ``api_key`` in our schema, the broker's range and
        ``[minimum, maximum]``; ``UnsupportedApiError`` when there is none."""
        served = self.versions.get(int(api_key))
        if served is None:
            raise UnsupportedApiError(
                f"the broker at {self.address} does not serve {_api_name(api_key)}"
            )
        known = REQUESTS[api_key].valid
        low = max(known.low, served[0], minimum)
        high = min(known.high, served[1], maximum)
        if low > high:
            raise UnsupportedApiError(
                f"no common version of {_api_name(api_key)}: the broker at {self.address} serves "
                f"v{served[0]}-v{served[1]}, this client v{max(known.low, minimum)}-v{min(known.high, maximum)}"
            )
        return high

    # --- calls ----------------------------------------------------------------------

    def call(
        self,
        api_key: ApiKey,
        body: Any,
        version: int | None = None,
        *,
        timeout: float | None = None,
    ) -> Any:
        """Send one request and return the decoded response body."""
        if version is None:
            version = self.version_for(api_key)
        correlation_id = self._send(api_key, body, version)
        frame = self._receive(timeout)
        return self._decode_response(api_key, version, correlation_id, frame)

    def send(self, api_key: ApiKey, body: Any, version: int | None = None) -> None:
        """Send a request the broker will not answer (Produce with acks=0)."""
        if version is None:
            version = self.version_for(api_key)
        self._send(api_key, body, version)

    def _send(self, api_key: ApiKey, body: Any, version: int) -> int:
        self._correlation_id = (self._correlation_id + 1) & 0x7FFFFFFF
        header = RequestHeader(
            request_api_key=api_key,
            request_api_version=version,
            correlation_id=self._correlation_id,
            client_id=self.client_id,
        )
        payload = encode_bytes(
            REQUEST_HEADER_SPEC, header, request_header_version(api_key, version)
        )
        payload += encode_bytes(REQUESTS[api_key], body, version)
        try:
            self._sock.settimeout(self.timeout)
            self._sock.sendall(_SIZE.pack(len(payload)) + payload)
        except OSError as exc:
            raise ConnectionFailed(
                f"sending {_api_name(api_key)} to {self.address} failed: {exc}"
            ) from exc
        return self._correlation_id

    def _receive(self, timeout: float | None) -> memoryview:
        try:
            self._sock.settimeout(self.timeout if timeout is None else timeout)
            (size,) = _SIZE.unpack(self._recv_exact(4))
            if not 4 <= size <= MAX_RESPONSE_SIZE:
                raise ConnectionFailed(f"implausible response size {size} from {self.address}")
            return memoryview(self._recv_exact(size))
        except TimeoutError as exc:
            raise ConnectionFailed(f"no response from {self.address} in time") from exc
        except OSError as exc:
            raise ConnectionFailed(f"reading from {self.address} failed: {exc}") from exc

    def _recv_exact(self, n: int) -> bytearray:
        buf = bytearray(n)
        view = memoryview(buf)
        got = 0
        while got < n:
            count = self._sock.recv_into(view[got:], n - got)
            if count == 0:
                raise ConnectionFailed(f"{self.address} closed the connection")
            got += count
        return buf

    def _decode_response(
        self, api_key: ApiKey, version: int, correlation_id: int, frame: memoryview
    ) -> Any:
        try:
            header, pos = decode(
                RESPONSE_HEADER_SPEC, response_header_version(api_key, version), frame
            )
            if header.correlation_id != correlation_id:
                raise ConnectionFailed(
                    f"{self.address} answered correlation id {header.correlation_id}, expected {correlation_id}"
                )
            body, _ = decode(RESPONSES[api_key], version, frame, pos)
        except ProtocolError as exc:
            raise ClientError(
                f"cannot read the {_api_name(api_key)} v{version} response: {exc}"
            ) from exc
        return body

    def _negotiate(self) -> None:
        known = REQUESTS[ApiKey.API_VERSIONS].valid
        version = known.high
        for _ in range(3):
            request = ApiVersionsRequest(
                client_software_name="kafkalite", client_software_version=__version__
            )
            correlation_id = self._send(ApiKey.API_VERSIONS, request, version)
            frame = self._receive(None)
            # The error code comes first in every version; an UNSUPPORTED_VERSION answer is
            # written in v0 whatever version we asked for (KIP-511).
            (error_code,) = _ERROR_CODE.unpack_from(frame, 4)
            if error_code == ErrorCode.UNSUPPORTED_VERSION:
                try:
                    response = self._decode_response(ApiKey.API_VERSIONS, 0, correlation_id, frame)
                except ClientError:
                    # A broker that writes this answer in another version than v0 (librdkafka's
                    # mock cluster): ask again in v0, which every broker answers in v0.
                    if version == 0:
                        raise
                    version = 0
                    continue
                self._record_versions(response)
                served = self.versions.get(int(ApiKey.API_VERSIONS))
                if served is None or not known.low <= served[1] < version:
                    break
                version = served[1]
                continue
            response = self._decode_response(ApiKey.API_VERSIONS, version, correlation_id, frame)
            if response.error_code != ErrorCode.NONE:
                break
            self._record_versions(response)
            return
        raise UnsupportedApiError(f"ApiVersions negotiation with {self.address} failed")

    def _record_versions(self, response: ApiVersionsResponse) -> None:
        self.versions = {
            entry.api_key: (entry.min_version, entry.max_version) for entry in response.api_keys
        }


def _api_name(api_key: ApiKey) -> str:
    return "".join(part.capitalize() for part in ApiKey(api_key).name.split("_"))
