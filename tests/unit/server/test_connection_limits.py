"""Connection limits over real sockets, with the limits lowered: idle connections and
stalled requests are closed, connections past max.connections(.per.ip) are closed at accept,
and queued.max.request.bytes holds a connection unread until others give memory back."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.api_versions import ApiVersionsRequest
from kafkalite.protocol.messages.metadata import MetadataRequest, MetadataRequestTopic
from tests.unit.handlers.admin_wire import running_broker
from tests.unit.server.kafka_wire import api_versions_request, read_response, request_frame

Address = tuple[str, int]


def api_versions(sock: socket.socket, correlation_id: int = 1) -> int:
    sock.sendall(request_frame(ApiKey.API_VERSIONS, 3, api_versions_request(), correlation_id))
    _, response = read_response(sock, ApiKey.API_VERSIONS, 3)
    return int(response.error_code)


def closed_within(sock: socket.socket, seconds: float) -> bool:
    """True if the broker closes ``sock`` within ``seconds`` (reads nothing else)."""
    sock.settimeout(seconds)
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def test_idle_connection_is_closed(tmp_path: Path) -> None:
    with running_broker(tmp_path, **{"connections.max.idle.ms": "200"}) as broker:
        with socket.create_connection(broker.address) as quiet:
            assert closed_within(quiet, 5)
        with socket.create_connection(broker.address) as chatty:
            for n in range(6):  # requests keep it alive past the idle time
                assert api_versions(chatty, n) == 0
                time.sleep(0.1)
            assert closed_within(chatty, 5)


def test_idle_limit_can_be_switched_off(tmp_path: Path) -> None:
    properties = {"connections.max.idle.ms": "-1", "kafkalite.request.read.timeout.ms": "100"}
    with running_broker(tmp_path, **properties) as broker, socket.create_connection(
        broker.address
    ) as quiet:
        assert not closed_within(quiet, 0.6)
        assert api_versions(quiet) == 0


def test_request_trickling_in_is_closed_at_the_read_timeout(tmp_path: Path) -> None:
    properties = {"kafkalite.request.read.timeout.ms": "300"}
    with running_broker(tmp_path, **properties) as broker:
        frame = request_frame(ApiKey.API_VERSIONS, 3, api_versions_request())
        with socket.create_connection(broker.address) as slow:
            started = time.monotonic()
            closed = False
            for byte in frame[:-1]:  # one byte every 50 ms: never idle, never complete
                try:
                    slow.sendall(bytes([byte]))
                except OSError:
                    closed = True
                    break
                if closed_within(slow, 0.05):
                    closed = True
                    break
            assert closed and time.monotonic() - started < 3
        with socket.create_connection(broker.address) as prompt:
            assert api_versions(prompt) == 0  # a whole request is still served


def test_max_connections_per_ip(tmp_path: Path) -> None:
    with running_broker(tmp_path, **{"max.connections.per.ip": "2"}) as broker:
        first = socket.create_connection(broker.address)
        second = socket.create_connection(broker.address)
        try:
            assert api_versions(first) == 0 and api_versions(second) == 0
            with socket.create_connection(broker.address) as third:
                assert closed_within(third, 5)
            assert api_versions(first) == 0
            second.close()
            time.sleep(0.2)
            with socket.create_connection(broker.address) as again:
                assert api_versions(again) == 0
        finally:
            first.close()
            second.close()


def test_max_connections(tmp_path: Path) -> None:
    with running_broker(tmp_path, **{"max.connections": "1"}) as broker, socket.create_connection(
        broker.address
    ) as first:
        assert api_versions(first) == 0
        with socket.create_connection(broker.address) as second:
            assert closed_within(second, 5)
        assert api_versions(first) == 0


def metadata_frame(correlation_id: int, padding: int) -> bytes:
    names = [f"t{'x' * 40}{n}" for n in range(padding)]
    request = MetadataRequest(
        topics=[MetadataRequestTopic(name=name) for name in names],
        allow_auto_topic_creation=False,
    )
    return request_frame(ApiKey.METADATA, 4, request, correlation_id)


@pytest.mark.parametrize("limit", ["2000"])
def test_queued_max_request_bytes_holds_a_connection_unread(tmp_path: Path, limit: str) -> None:
    with running_broker(tmp_path, **{"queued.max.request.bytes": limit}) as broker:
        big = metadata_frame(1, 30)  # about 1.4 KB each: two do not fit in 2000 bytes
        other = metadata_frame(2, 30)
        assert 1000 < len(big) < 2000 and 1000 < len(other) < 2000
        memory = broker.broker.request_memory
        with socket.create_connection(broker.address) as first, socket.create_connection(
            broker.address
        ) as second:
            first.sendall(big[:100])
            deadline = time.monotonic() + 5
            while broker.call(lambda: memory.reserved) != len(big):
                assert time.monotonic() < deadline
                time.sleep(0.01)
            second.sendall(other[:100])  # its frame does not fit beside the first's
            deadline = time.monotonic() + 5
            while broker.call(lambda: memory.waiting) != 1:
                assert time.monotonic() < deadline
                time.sleep(0.01)
            second.sendall(other[100:])  # held unread while the first holds the memory
            assert not closed_within(second, 0.3)  # no answer yet, and not closed either
            first.sendall(big[100:])
            first.settimeout(5)
            second.settimeout(5)
            assert read_response(first, ApiKey.METADATA, 4)[0] == 1
            assert read_response(second, ApiKey.METADATA, 4)[0] == 2
        assert broker.call(lambda: memory.reserved) == 0


def test_request_with_too_many_tagged_fields_closes_its_connection_only(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    plain = request_frame(ApiKey.METADATA, 12, MetadataRequest(topics=[]))
    assert plain.endswith(b"\x00")  # the empty top-level tagged section
    count = 1_000_000  # uvarint c0 84 3d
    payload = plain[4:-1] + bytes.fromhex("c0843d") + b"\x7f\x00" * count
    with running_broker(tmp_path) as broker, socket.create_connection(broker.address) as other:
        with socket.create_connection(broker.address) as hostile:
            hostile.sendall(len(payload).to_bytes(4, "big") + payload)
            assert closed_within(hostile, 5)
        assert api_versions(other) == 0
    assert any("tagged fields" in record.getMessage() for record in caplog.records)
