"""KIP-368 re-authentication over real sockets, with ``connections.max.reauth.ms``: the
session lifetime SaslAuthenticate reports, re-authenticating on the same connection (same
mechanism and principal only), and a connection closed at its first request after its
session ended."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest

from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.metadata import MetadataRequest
from kafkalite.protocol.messages.sasl_authenticate import SaslAuthenticateRequest
from kafkalite.protocol.messages.sasl_handshake import SaslHandshakeRequest
from kafkalite.testing import KafkaliteServer
from tests.unit.server.kafka_wire import read_response, request_frame

REAUTH_MS = 600


@pytest.fixture(scope="module")
def server() -> Iterator[KafkaliteServer]:
    with KafkaliteServer(
        {"connections.max.reauth.ms": REAUTH_MS, "connection.failed.authentication.delay.ms": 0},
        users={"alice": "secret", "bob": "pw"},
    ) as running:
        yield running


def connect(server: KafkaliteServer) -> socket.socket:
    host, _, port = server.bootstrap_servers_for("SASL_PLAINTEXT").rpartition(":")
    return socket.create_connection((host, int(port)), timeout=10)


def ask(sock: socket.socket, api_key: ApiKey, version: int, body: Any) -> Any:
    sock.sendall(request_frame(api_key, version, body))
    return read_response(sock, api_key, version)[1]


def authenticate(sock: socket.socket, token: bytes, mechanism: str = "PLAIN") -> Any:
    handshake = ask(sock, ApiKey.SASL_HANDSHAKE, 1, SaslHandshakeRequest(mechanism=mechanism))
    assert handshake.error_code == 0
    return ask(sock, ApiKey.SASL_AUTHENTICATE, 2, SaslAuthenticateRequest(auth_bytes=token))


def closed(sock: socket.socket) -> bool:
    try:
        return sock.recv(1) == b""
    except ConnectionError:
        return True


def test_the_session_lifetime_is_reported_and_re_authentication_keeps_the_connection(
    server: KafkaliteServer,
) -> None:
    with connect(server) as sock:
        first = authenticate(sock, b"\0alice\0secret")
        assert (first.error_code, first.session_lifetime_ms) == (0, REAUTH_MS)
        again = authenticate(sock, b"\0alice\0secret")
        assert (again.error_code, again.session_lifetime_ms) == (0, REAUTH_MS)
        assert ask(sock, ApiKey.METADATA, 12, MetadataRequest(topics=[])).brokers


def test_re_authenticating_as_another_principal_closes_the_connection(server: KafkaliteServer) -> None:
    with connect(server) as sock:
        assert authenticate(sock, b"\0alice\0secret").error_code == 0
        other = authenticate(sock, b"\0bob\0pw")
        assert other.error_code == ErrorCode.SASL_AUTHENTICATION_FAILED
        assert other.error_message == (
            "Cannot change principals during re-authentication from User:alice: User:bob"
        )
        assert closed(sock)


def test_re_authenticating_with_another_mechanism_closes_the_connection(
    server: KafkaliteServer,
) -> None:
    with connect(server) as sock:
        assert authenticate(sock, b"\0alice\0secret").error_code == 0
        handshake = ask(sock, ApiKey.SASL_HANDSHAKE, 1, SaslHandshakeRequest(mechanism="SCRAM-SHA-256"))
        assert handshake.error_code == ErrorCode.UNSUPPORTED_SASL_MECHANISM
        assert closed(sock)


def test_a_request_after_the_session_ended_closes_the_connection(server: KafkaliteServer) -> None:
    with connect(server) as sock:
        assert authenticate(sock, b"\0alice\0secret").error_code == 0
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            sock.sendall(request_frame(ApiKey.METADATA, 12, MetadataRequest(topics=[])))
            try:
                read_response(sock, ApiKey.METADATA, 12)
            except ConnectionError:
                break  # closed: the session ended without re-authentication
            time.sleep(0.1)
        else:
            pytest.fail("the connection outlived its SASL session")
