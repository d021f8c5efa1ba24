"""Listeners over real sockets: one port per listener per node, each answering with its own
addresses; TLS and mTLS; the SASL exchange as clients drive it (v1 framed, v0 bare)."""

from __future__ import annotations

import logging
import socket
import ssl
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kafkalite.config import BrokerConfig, ConfigError, ListenerAddress
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.find_coordinator import FindCoordinatorRequest
from kafkalite.protocol.messages.metadata import MetadataRequest
from kafkalite.protocol.messages.sasl_authenticate import SaslAuthenticateRequest
from kafkalite.protocol.messages.sasl_handshake import SaslHandshakeRequest
from kafkalite.security.principal import certificate_subject
from kafkalite.testing import KafkaliteServer
from tests.unit.server.kafka_wire import read_response, recv_exact, request_frame

pytest.importorskip("cryptography")


@pytest.fixture(scope="module")
def server() -> Iterator[KafkaliteServer]:
    with KafkaliteServer(
        {"offsets.topic.num.partitions": "1"}, tls=True, users={"alice": "secret"}, brokers=2
    ) as running:
        yield running


def address(server: KafkaliteServer, listener: str, node: int = 0) -> tuple[str, int]:
    host, _, port = server.bootstrap_servers_for(listener).split(",")[node].rpartition(":")
    return host, int(port)


def connect(server: KafkaliteServer, listener: str, certificate: bool = False) -> socket.socket:
    sock = socket.create_connection(address(server, listener), timeout=10)
    if "SSL" not in listener:
        return sock
    assert server.certificates is not None
    context = ssl.create_default_context(cafile=str(server.certificates.ca))
    if certificate:
        context.load_cert_chain(str(server.certificates.client_keystore))
    return context.wrap_socket(sock, server_hostname="localhost")


def ask(sock: socket.socket, api_key: ApiKey, version: int, body: Any) -> Any:
    sock.sendall(request_frame(api_key, version, body))
    return read_response(sock, api_key, version)[1]


def closed(sock: socket.socket) -> bool:
    try:
        return sock.recv(1) == b""
    except (ConnectionError, ssl.SSLError):
        return True


def authenticate(sock: socket.socket, mechanism: str, token: bytes) -> Any:
    handshake = ask(sock, ApiKey.SASL_HANDSHAKE, 1, SaslHandshakeRequest(mechanism=mechanism))
    assert handshake.error_code == 0
    return ask(sock, ApiKey.SASL_AUTHENTICATE, 2, SaslAuthenticateRequest(auth_bytes=token))


def test_each_node_binds_one_port_per_listener(server: KafkaliteServer) -> None:
    names = ["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]
    ports = {address(server, name, node)[1] for name in names for node in (0, 1)}
    assert len(ports) == 8
    assert server.bootstrap_servers == server.bootstrap_servers_for("PLAINTEXT")


@pytest.mark.parametrize("listener", ["PLAINTEXT", "SSL"])
def test_metadata_and_find_coordinator_answer_with_the_listeners_addresses(
    server: KafkaliteServer, listener: str
) -> None:
    with connect(server, listener) as sock:
        metadata = ask(sock, ApiKey.METADATA, 12, MetadataRequest(topics=[]))
        brokers = {(b.host, b.port) for b in metadata.brokers}
        assert brokers == {address(server, listener, 0), address(server, listener, 1)}
        found = ask(sock, ApiKey.FIND_COORDINATOR, 2, FindCoordinatorRequest(key="g"))
        assert found.error_code == 0 and (found.host, found.port) in brokers


def test_sasl_plain_then_requests_are_served(server: KafkaliteServer) -> None:
    with connect(server, "SASL_SSL") as sock:
        answer = authenticate(sock, "PLAIN", b"\0alice\0secret")
        assert answer.error_code == 0
        metadata = ask(sock, ApiKey.METADATA, 12, MetadataRequest(topics=[]))
        assert {b.port for b in metadata.brokers} == {
            address(server, "SASL_SSL", n)[1] for n in (0, 1)
        }
        again = ask(sock, ApiKey.SASL_HANDSHAKE, 1, SaslHandshakeRequest(mechanism="PLAIN"))
        assert again.error_code == ErrorCode.ILLEGAL_SASL_STATE


def test_a_wrong_password_is_answered_then_the_connection_closes(server: KafkaliteServer) -> None:
    with connect(server, "SASL_PLAINTEXT") as sock:
        answer = authenticate(sock, "PLAIN", b"\0alice\0nope")
        assert answer.error_code == ErrorCode.SASL_AUTHENTICATION_FAILED
        assert answer.error_message == "Authentication failed: Invalid username or password"
        assert closed(sock)


def test_requests_before_authentication_close_the_connection(server: KafkaliteServer) -> None:
    with connect(server, "SASL_PLAINTEXT") as sock:
        sock.sendall(request_frame(ApiKey.METADATA, 12, MetadataRequest(topics=[])))
        assert closed(sock)


def test_an_unknown_mechanism_is_answered_with_the_enabled_ones(server: KafkaliteServer) -> None:
    with connect(server, "SASL_PLAINTEXT") as sock:
        answer = ask(sock, ApiKey.SASL_HANDSHAKE, 1, SaslHandshakeRequest(mechanism="GSSAPI"))
        assert answer.error_code == ErrorCode.UNSUPPORTED_SASL_MECHANISM
        assert answer.mechanisms == ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]
        assert closed(sock)


def test_a_v0_handshake_exchanges_bare_tokens(server: KafkaliteServer) -> None:
    with connect(server, "SASL_PLAINTEXT") as sock:
        handshake = ask(sock, ApiKey.SASL_HANDSHAKE, 0, SaslHandshakeRequest(mechanism="PLAIN"))
        assert handshake.error_code == 0
        token = b"\0alice\0secret"
        sock.sendall(struct.pack(">i", len(token)) + token)
        assert recv_exact(sock, 4) == b"\0\0\0\0"  # PLAIN answers with an empty token
        metadata = ask(sock, ApiKey.METADATA, 12, MetadataRequest(topics=[]))
        assert len(metadata.brokers) == 2


def test_sasl_handshake_on_a_listener_without_sasl_is_an_illegal_state(
    server: KafkaliteServer,
) -> None:
    with connect(server, "PLAINTEXT") as sock:
        answer = ask(sock, ApiKey.SASL_HANDSHAKE, 1, SaslHandshakeRequest(mechanism="PLAIN"))
        assert answer.error_code == ErrorCode.ILLEGAL_SASL_STATE


def test_required_client_certificates(tmp_path: Path) -> None:
    properties = {"listeners": "SSL://127.0.0.1:0", "ssl.client.auth": "required"}
    with KafkaliteServer(properties, tls=True) as mtls:
        with connect(mtls, "SSL", certificate=True) as sock:
            assert ask(sock, ApiKey.METADATA, 12, MetadataRequest(topics=[])).brokers
        # TLS 1.3 reports the refusal on the first read
        with pytest.raises((ssl.SSLError, ConnectionError)), connect(mtls, "SSL") as sock:
            ask(sock, ApiKey.METADATA, 12, MetadataRequest(topics=[]))


def test_the_principal_is_the_certificate_subject_in_rfc_2253_order() -> None:
    subject = ((("organizationName", "kafkalite"),), (("commonName", "a,b"),))
    assert certificate_subject({"subject": subject}) == "CN=a\\,b,O=kafkalite"


def test_listener_properties_parse_as_kafka_writes_them() -> None:
    config = BrokerConfig().with_properties(
        {
            "listeners": "INTERNAL://127.0.0.1:0,external://0.0.0.0:9094",
            "advertised.listeners": "INTERNAL://127.0.0.1:0,EXTERNAL://kafka.example:19094",
            "listener.security.protocol.map": "INTERNAL:PLAINTEXT,EXTERNAL:SASL_SSL",
            "inter.broker.listener.name": "INTERNAL",
        }
    )
    assert config.listener_addresses()[1] == ListenerAddress("EXTERNAL", "0.0.0.0", 9094)
    assert config.security_protocol("EXTERNAL") == "SASL_SSL"
    assert config.advertised_address("EXTERNAL") == ("kafka.example", 19094)
    rows = {name: value for name, value, _ in config.describe()}
    assert rows["advertised.listeners"] == (
        "INTERNAL://127.0.0.1:0,EXTERNAL://kafka.example:19094"
    )
    with pytest.raises(ConfigError, match="not in listener.security.protocol.map"):
        BrokerConfig().with_properties({"listeners": "OTHER://127.0.0.1:0"})
    with pytest.raises(ConfigError):
        BrokerConfig().with_properties({"listeners": "127.0.0.1:9092"})  # a name is required


def test_the_shorthand_is_one_plaintext_listener() -> None:
    config = BrokerConfig(host="127.0.0.1", port=9092).with_properties(
        {"advertised.listeners": "broker:19092"}
    )
    assert config.listener_addresses() == (ListenerAddress("PLAINTEXT", "127.0.0.1", 9092),)
    assert config.advertised_address("PLAINTEXT") == ("broker", 19092)


JAAS = (
    'org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" '
    'password="admin-secret" user_admin="admin-secret" user_bob="b\\"ob";'
)


def test_jaas_users_and_per_listener_mechanisms() -> None:
    properties = {
        "listeners": "PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0",
        "listener.name.sasl_plaintext.plain.sasl.jaas.config": JAAS,
        "listener.name.sasl_plaintext.sasl.enabled.mechanisms": "PLAIN",
    }
    with KafkaliteServer(properties) as jaas:
        with connect(jaas, "SASL_PLAINTEXT") as sock:
            assert authenticate(sock, "PLAIN", b'\0bob\0b"ob').error_code == 0
        with connect(jaas, "SASL_PLAINTEXT") as sock:
            scram = SaslHandshakeRequest(mechanism="SCRAM-SHA-256")
            answer = ask(sock, ApiKey.SASL_HANDSHAKE, 1, scram)
            assert answer.error_code == ErrorCode.UNSUPPORTED_SASL_MECHANISM
            assert answer.mechanisms == ["PLAIN"]


def test_client_auth_applies_to_ssl_listeners_unless_a_listener_says_otherwise() -> None:
    config = BrokerConfig().with_properties(
        {
            "listeners": "SSL://127.0.0.1:0,SASL_SSL://127.0.0.1:0,INTERNAL://127.0.0.1:0",
            "listener.security.protocol.map": "SSL:SSL,SASL_SSL:SASL_SSL,INTERNAL:SASL_SSL",
            "ssl.client.auth": "required",
            "listener.name.internal.ssl.client.auth": "requested",
        }
    )
    assert config.ssl_client_auth_for("SSL") == "required"
    assert config.ssl_client_auth_for("SASL_SSL") == "none"  # KIP-684
    assert config.ssl_client_auth_for("INTERNAL") == "requested"
    with pytest.raises(ConfigError):
        BrokerConfig().with_properties({"listener.name.x.ssl.client.auth": "always"})
    with pytest.raises(ConfigError):
        BrokerConfig().with_properties({"listener.name.x.plain.sasl.jaas.config": "user_a=1"})


def test_process_mode_reports_every_listener_and_restarts_on_the_same_ports() -> None:
    with KafkaliteServer(users={"alice": "secret"}, mode="process") as child:
        before = child.bootstrap_servers_for("SASL_PLAINTEXT")
        child.restart()
        assert child.bootstrap_servers_for("SASL_PLAINTEXT") == before
        with connect(child, "SASL_PLAINTEXT") as sock:
            assert authenticate(sock, "SCRAM-SHA-512", b"n,,n=alice,r=abc").error_code == 0


def test_a_listener_on_every_address_without_authentication_is_warned_about(
    caplog: pytest.LogCaptureFixture,
) -> None:
    properties = {"listeners": "PLAINTEXT://127.0.0.1:0,OPEN://0.0.0.0:0,SASL_PLAINTEXT://0.0.0.0:0",
                  "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,OPEN:PLAINTEXT,"
                  "SASL_PLAINTEXT:SASL_PLAINTEXT"}
    with caplog.at_level(logging.WARNING, logger="kafkalite.server.listener"), KafkaliteServer(
        properties, users={"alice": "secret"}
    ):
        pass
    warned = [r.getMessage() for r in caplog.records if "without authentication" in r.getMessage()]
    assert len(warned) == 1 and "listener OPEN binds 0.0.0.0" in warned[0]
