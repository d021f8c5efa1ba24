"""ApiVersions negotiation against a scripted broker on a real socket."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from kafkalite.client.connection import BrokerConnection
from kafkalite.client.errors import ConnectionFailed, UnsupportedApiError
from kafkalite.protocol.codec import encode_bytes
from kafkalite.protocol.headers import decode_request_header, response_header_version
from kafkalite.protocol.messages import RESPONSES, ApiKey
from kafkalite.protocol.messages.api_versions import ApiVersion, ApiVersionsResponse
from kafkalite.protocol.messages.headers import RESPONSE_HEADER_SPEC, ResponseHeader
from kafkalite.protocol.messages.metadata import MetadataRequest, MetadataResponse

Answer = Callable[
    [int, int, memoryview], tuple[int, Any] | None
]  # (key, version, body) -> (version, response)


class ScriptedBroker:
    """Accepts one connection and answers each request with ``answer``; records requests."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.requests: list[tuple[int, int]] = []
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        self._server.settimeout(10)
        try:
            conn, _ = self._server.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(10)
            while True:
                head = self._recv(conn, 4)
                if head is None:
                    return
                frame = self._recv(conn, struct.unpack(">i", head)[0])
                if frame is None:
                    return
                header, pos = decode_request_header(memoryview(frame))
                key, version = header.request_api_key, header.request_api_version
                self.requests.append((key, version))
                answer = self.answer(key, version, memoryview(frame)[pos:])
                if answer is None:
                    return
                answer_version, body = answer
                payload = encode_bytes(
                    RESPONSE_HEADER_SPEC,
                    ResponseHeader(correlation_id=header.correlation_id),
                    response_header_version(key, answer_version),
                ) + encode_bytes(RESPONSES[ApiKey(key)], body, answer_version)
                conn.sendall(struct.pack(">i", len(payload)) + payload)

    @staticmethod
    def _recv(conn: socket.socket, n: int) -> bytes | None:
        data = b""
        while len(data) < n:
            chunk = conn.recv(n - len(data))
            if not chunk:
                return None
            data += chunk
        return data

    def close(self) -> None:
        self._server.close()
        self._thread.join(timeout=10)


@pytest.fixture
def scripted() -> Iterator[Callable[[Answer], ScriptedBroker]]:
    brokers: list[ScriptedBroker] = []

    def start(answer: Answer) -> ScriptedBroker:
        brokers.append(ScriptedBroker(answer))
        return brokers[-1]

    yield start
    for broker in brokers:
        broker.close()


KEYS = [
    ApiVersion(api_key=18, min_version=0, max_version=3),
    ApiVersion(api_key=3, min_version=0, max_version=7),
]


def old_broker(key: int, version: int, body: memoryview) -> tuple[int, Any] | None:
    """Knows ApiVersions v0-3 and Metadata v0-7, like a Kafka 2.x broker."""
    if key == ApiKey.API_VERSIONS:
        if version > 3:  # KIP-511: answer in v0 with our range
            return 0, ApiVersionsResponse(error_code=35, api_keys=KEYS)
        return version, ApiVersionsResponse(api_keys=KEYS)
    if key == ApiKey.METADATA:
        return version, MetadataResponse(cluster_id="old")
    return None


def test_falls_back_to_the_broker_api_versions_range(scripted) -> None:  # type: ignore[no-untyped-def]
    broker = scripted(old_broker)
    with BrokerConnection("127.0.0.1", broker.port, timeout=10) as conn:
        assert conn.versions == {18: (0, 3), 3: (0, 7)}
        assert conn.version_for(ApiKey.METADATA) == 7  # min(ours 12, theirs 7)
        assert conn.version_for(ApiKey.METADATA, maximum=4) == 4
        response = conn.call(ApiKey.METADATA, MetadataRequest(topics=None))
        assert response.cluster_id == "old"
        with pytest.raises(UnsupportedApiError, match="does not serve Produce"):
            conn.version_for(ApiKey.PRODUCE)
        with pytest.raises(UnsupportedApiError, match="no common version of Metadata"):
            conn.version_for(ApiKey.METADATA, minimum=8)
        assert not conn.supports(ApiKey.FETCH)
    assert broker.requests == [(18, 4), (18, 3), (3, 7)]


def test_current_broker_is_asked_once(scripted) -> None:  # type: ignore[no-untyped-def]
    broker = scripted(lambda key, version, body: (version, ApiVersionsResponse(api_keys=KEYS)))
    with BrokerConnection("127.0.0.1", broker.port, timeout=10) as conn:
        assert conn.versions[3] == (0, 7)
    assert broker.requests == [(18, 4)]


def test_a_broker_that_hangs_up_is_a_connection_failure(scripted) -> None:  # type: ignore[no-untyped-def]
    broker = scripted(lambda key, version, body: None)
    with pytest.raises(ConnectionFailed, match="closed the connection"):
        BrokerConnection("127.0.0.1", broker.port, timeout=10)


def test_refused_negotiation_is_reported(scripted) -> None:  # type: ignore[no-untyped-def]
    broker = scripted(
        lambda key, version, body: (0, ApiVersionsResponse(error_code=35, api_keys=[]))
    )
    with pytest.raises(UnsupportedApiError, match="negotiation"):
        BrokerConnection("127.0.0.1", broker.port, timeout=10)
