"""Delegation tokens over real sockets (KIP-48): a SCRAM user creates a token on a SASL
listener, a new connection logs in with SCRAM and ``tokenauth=true`` (token id as user name,
base64 HMAC as password) and produces as the token's owner under the owner's ACLs; a
token-authenticated connection may not ask for tokens; an expired token no longer logs in.

One kafkalite process with ACLs on and ``delegation.token.secret.key`` set, driven by
kafkalite's own client (the Python clients send no ``tokenauth`` extension)."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import compat_helpers as h
import pytest

from kafkalite.client.client import KafkaClient
from kafkalite.client.errors import KafkaResponseError
from kafkalite.client.records import ProducerRecord, encode_batch
from kafkalite.client.security import ConnectionSecurity
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.create_acls import AclCreation, CreateAclsRequest
from kafkalite.protocol.messages.create_delegation_token import CreateDelegationTokenRequest
from kafkalite.protocol.messages.create_topics import CreatableTopic, CreateTopicsRequest
from kafkalite.protocol.messages.describe_delegation_token import DescribeDelegationTokenRequest
from kafkalite.protocol.messages.expire_delegation_token import ExpireDelegationTokenRequest
from kafkalite.testing import KafkaliteServer

MECHANISM = "SCRAM-SHA-512"
TOPIC, OTHER = "token-topic", "not-alices"


def client(server: KafkaliteServer, user: str, password: str, token: bool = False) -> KafkaClient:
    security = ConnectionSecurity(
        "SASL_PLAINTEXT", mechanism=MECHANISM, username=user, password=password, token_auth=token
    )
    return KafkaClient(server.bootstrap_servers_for("SASL_PLAINTEXT"), security=security, timeout=10)


def call(kafka: KafkaClient, api: ApiKey, body: object) -> object:
    connection = kafka.any_connection()
    return kafka.call(connection, api, body, connection.version_for(api))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KafkaliteServer]:
    if h.external_bootstrap():
        pytest.skip("KAFKALITE_BOOTSTRAP is set: the token tests start their own broker")
    started = KafkaliteServer(
        {"delegation.token.secret.key": "token-secret", "sasl.enabled.mechanisms": MECHANISM},
        mode="process",
        data_dir=tmp_path_factory.mktemp("kafkalite-tokens") / "data",
        users={"admin": "admin-secret", "alice": "alice-secret"},
        super_users=["admin"],
    )
    started.start()
    try:
        with client(started, "admin", "admin-secret") as admin:
            created = call(admin, ApiKey.CREATE_TOPICS, CreateTopicsRequest(topics=[
                CreatableTopic(name=name, num_partitions=1, replication_factor=1)
                for name in (TOPIC, OTHER)
            ]))
            assert [t.error_code for t in created.topics] == [0, 0]  # type: ignore[attr-defined]
            acls = call(admin, ApiKey.CREATE_ACLS, CreateAclsRequest(creations=[
                AclCreation(resource_type=2, resource_name=TOPIC, resource_pattern_type=3,
                            principal="User:alice", host="*", operation=4, permission_type=3)
            ]))
            assert [r.error_code for r in acls.results] == [0]  # type: ignore[attr-defined]
        yield started
    finally:
        started.close()


def produce(kafka: KafkaClient, topic: str, value: bytes) -> int:
    batch = encode_batch([ProducerRecord(key=None, value=value)])
    return kafka.produce(topic, {0: batch})[0].error_code


def test_token_login_produces_as_the_owner(server: KafkaliteServer) -> None:
    with client(server, "alice", "alice-secret") as alice:
        created = call(alice, ApiKey.CREATE_DELEGATION_TOKEN,
                       CreateDelegationTokenRequest(max_lifetime_ms=-1))
        assert created.error_code == ErrorCode.NONE  # type: ignore[attr-defined]
        assert created.principal_name == "alice"  # type: ignore[attr-defined]
        token_id = created.token_id  # type: ignore[attr-defined]
        mac = bytes(created.hmac)  # type: ignore[attr-defined]
        described = call(alice, ApiKey.DESCRIBE_DELEGATION_TOKEN,
                         DescribeDelegationTokenRequest(owners=None))
        assert [t.token_id for t in described.tokens] == [token_id]  # type: ignore[attr-defined]
    password = base64.b64encode(mac).decode()
    with client(server, token_id, password, token=True) as by_token:
        assert produce(by_token, TOPIC, b"sent with a token") == ErrorCode.NONE
        # The principal is alice's, not a super user's: alice may not write elsewhere.
        with pytest.raises(KafkaResponseError) as hidden:
            produce(by_token, OTHER, b"x")
        assert hidden.value.code == ErrorCode.TOPIC_AUTHORIZATION_FAILED
        again = call(by_token, ApiKey.CREATE_DELEGATION_TOKEN, CreateDelegationTokenRequest())
        assert again.error_code == ErrorCode.DELEGATION_TOKEN_REQUEST_NOT_ALLOWED  # type: ignore[attr-defined]
    with client(server, "alice", "alice-secret") as alice:
        expired = call(alice, ApiKey.EXPIRE_DELEGATION_TOKEN,
                       ExpireDelegationTokenRequest(hmac=mac, expiry_time_period_ms=-1))
        assert expired.error_code == ErrorCode.NONE  # type: ignore[attr-defined]
    with client(server, token_id, password, token=True) as refused, pytest.raises(KafkaResponseError) as info:
        refused.any_connection()
    assert info.value.code == ErrorCode.SASL_AUTHENTICATION_FAILED
