"""The SASL gate of ``ServerConnection``: what a SASL listener reads before, during and
after authentication, as Kafka's ``SaslServerAuthenticator`` decides it."""

from __future__ import annotations

import struct

import pytest

from kafkalite.handlers import SERVED
from kafkalite.protocol.connection import NEED_DATA, Request, SaslState, SaslToken, ServerConnection
from kafkalite.protocol.errors import MalformedRequest, SaslStateError
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.api_versions import ApiVersionsRequest
from kafkalite.protocol.messages.metadata import MetadataRequest
from kafkalite.protocol.messages.sasl_authenticate import SaslAuthenticateRequest
from kafkalite.protocol.messages.sasl_handshake import SaslHandshakeRequest
from tests.unit.server.kafka_wire import request_frame


def gate() -> ServerConnection:
    return ServerConnection(SERVED, sasl=True)


def feed(conn: ServerConnection, data: bytes) -> Request | SaslToken:
    conn.receive_data(data)
    event = conn.next_event()
    assert event is not NEED_DATA
    assert isinstance(event, Request | SaslToken)
    return event


def test_a_listener_without_sasl_serves_everything() -> None:
    conn = ServerConnection(SERVED)
    assert conn.sasl_state is SaslState.COMPLETE
    event = feed(conn, request_frame(ApiKey.METADATA, 12, MetadataRequest(topics=None)))
    assert isinstance(event, Request) and event.api_key == ApiKey.METADATA


def test_api_versions_and_the_handshake_are_read_before_authentication() -> None:
    conn = gate()
    assert feed(conn, request_frame(ApiKey.API_VERSIONS, 3, ApiVersionsRequest())).api_key == (
        ApiKey.API_VERSIONS
    )
    handshake = feed(
        conn, request_frame(ApiKey.SASL_HANDSHAKE, 1, SaslHandshakeRequest(mechanism="PLAIN"))
    )
    assert isinstance(handshake, Request) and handshake.body.mechanism == "PLAIN"


def test_any_other_request_before_authentication_breaks_the_connection() -> None:
    conn = gate()
    conn.receive_data(request_frame(ApiKey.METADATA, 12, MetadataRequest(topics=None)))
    with pytest.raises(SaslStateError, match="Unexpected Kafka request of type METADATA during"):
        conn.next_event()
    with pytest.raises(MalformedRequest):  # and it stays broken
        conn.next_event()


def test_after_a_v1_handshake_only_sasl_authenticate_is_read() -> None:
    conn = gate()
    conn.sasl_handshake(1)
    token = SaslAuthenticateRequest(auth_bytes=b"\0alice\0secret")
    event = feed(conn, request_frame(ApiKey.SASL_AUTHENTICATE, 2, token))
    assert isinstance(event, Request) and event.body.auth_bytes == b"\0alice\0secret"
    conn.receive_data(request_frame(ApiKey.API_VERSIONS, 3, ApiVersionsRequest()))
    with pytest.raises(SaslStateError, match="during SASL authentication"):
        conn.next_event()


def test_after_a_v0_handshake_frames_are_bare_tokens_and_answers_are_size_prefixed() -> None:
    conn = gate()
    conn.sasl_handshake(0)
    assert feed(conn, struct.pack(">i", 13) + b"\0alice\0secret") == SaslToken(b"\0alice\0secret")
    assert feed(conn, struct.pack(">i", 0)) == SaslToken(b"")  # an empty token is a token
    assert conn.send_sasl_token(b"v=abc") == b"\0\0\0\x05v=abc"


def test_once_complete_every_api_is_read() -> None:
    conn = gate()
    conn.sasl_handshake(0)
    feed(conn, struct.pack(">i", 3) + b"abc")
    conn.sasl_complete()
    event = feed(conn, request_frame(ApiKey.METADATA, 12, MetadataRequest(topics=None)))
    assert isinstance(event, Request) and event.api_key == ApiKey.METADATA


def test_frames_are_capped_while_authenticating() -> None:
    conn = gate()
    conn.receive_data(struct.pack(">i", 600_000))
    with pytest.raises(MalformedRequest, match="sasl.server.max.receive.size"):
        conn.next_event()


def test_a_second_handshake_is_a_state_error() -> None:
    conn = gate()
    conn.sasl_handshake(1)
    with pytest.raises(SaslStateError):
        conn.sasl_handshake(1)
