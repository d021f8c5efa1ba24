"""DescribeUserScramCredentials / AlterUserScramCredentials called directly: Kafka's
checks and messages, credentials usable for SCRAM logins at once, kept across a restart,
and the cluster permissions they need when ACLs are on."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kafkalite.cluster import Cluster
from kafkalite.config import BrokerConfig
from kafkalite.handlers import alter_user_scram_credentials, describe_user_scram_credentials
from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.connection import Request
from kafkalite.protocol.errors import ErrorCode as E
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.alter_user_scram_credentials import (
    AlterUserScramCredentialsRequest,
    ScramCredentialDeletion,
    ScramCredentialUpsertion,
)
from kafkalite.protocol.messages.describe_user_scram_credentials import (
    DescribeUserScramCredentialsRequest,
    UserName,
)
from kafkalite.protocol.messages.headers import RequestHeader
from kafkalite.security.acls import STANDARD_AUTHORIZER_NAME
from kafkalite.security.sasl import SaslError, SaslUsers

SHA256, SHA512 = 1, 2


class NoWaits:
    async def wait(self, partitions: Iterable[tuple[str, int]], timeout: float, closing: asyncio.Event) -> None:
        return None


def open_cluster(data_dir: Path, **properties: str) -> Cluster:
    cluster = Cluster(BrokerConfig(data_dir=data_dir, port=0).with_properties(
        {"kafkalite.users": "static:static-pw", **properties}
    ))
    cluster.open()
    return cluster


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    opened = open_cluster(tmp_path)
    try:
        yield opened
    finally:
        opened.close()


def run(cluster: Cluster, api: ApiKey, handler: Any, body: Any, principal: str = "User:admin") -> Any:
    header = RequestHeader(request_api_key=api, request_api_version=0, client_id="c")
    ctx = RequestContext(
        node=cluster.nodes[1], cluster=cluster, request=Request(api, 0, header, body, 0),
        waiters=NoWaits(), principal=principal,
    )
    return asyncio.run(handler.handle(ctx, body))


def upsertion(name: str, password: str, mechanism: int = SHA256, iterations: int = 4096,
              salt: bytes = b"some-salt") -> ScramCredentialUpsertion:
    digest = "sha256" if mechanism == SHA256 else "sha512"
    salted = hashlib.pbkdf2_hmac(digest, password.encode(), salt, iterations)
    return ScramCredentialUpsertion(name=name, mechanism=mechanism, iterations=iterations,
                                    salt=salt, salted_password=salted)


def alter(cluster: Cluster, *, upsertions: list[ScramCredentialUpsertion] | None = None,
          deletions: list[ScramCredentialDeletion] | None = None, principal: str = "User:admin"
          ) -> list[tuple[str, int, str | None]]:
    answer = run(cluster, ApiKey.ALTER_USER_SCRAM_CREDENTIALS, alter_user_scram_credentials,
                 AlterUserScramCredentialsRequest(upsertions=upsertions or [], deletions=deletions or []),
                 principal)
    return [(r.user, r.error_code, r.error_message) for r in answer.results]


def describe(cluster: Cluster, names: list[str] | None = None) -> Any:
    request = DescribeUserScramCredentialsRequest(
        users=None if names is None else [UserName(name=n) for n in names]
    )
    return run(cluster, ApiKey.DESCRIBE_USER_SCRAM_CREDENTIALS, describe_user_scram_credentials, request)


def login(cluster: Cluster, mechanism: str, user: str, password: str) -> bool:
    """A SCRAM exchange (RFC 5802) against the broker's users, as a connection runs it."""
    server = SaslUsers(cluster.config.users, cluster.scram).server(mechanism)
    digest = "sha256" if mechanism == "SCRAM-SHA-256" else "sha512"
    bare = f"n={user},r=nonce"
    try:
        first = server.evaluate(f"n,,{bare}".encode()).decode()
        fields = dict(item.split("=", 1) for item in first.split(","))
        salted = hashlib.pbkdf2_hmac(digest, password.encode(), base64.b64decode(fields["s"]),
                                     int(fields["i"]))
        client_key = hmac.new(salted, b"Client Key", digest).digest()
        without_proof = f"c=biws,r={fields['r']}"
        auth = f"{bare},{first},{without_proof}".encode()
        signature = hmac.new(hashlib.new(digest, client_key).digest(), auth, digest).digest()
        proof = bytes(a ^ b for a, b in zip(client_key, signature, strict=True))
        server.evaluate(f"{without_proof},p={base64.b64encode(proof).decode()}".encode())
    except SaslError:
        return False
    return server.complete


def test_upserted_credentials_log_in_at_once_and_survive_a_restart(tmp_path: Path) -> None:
    cluster = open_cluster(tmp_path)
    try:
        assert not login(cluster, "SCRAM-SHA-256", "bob", "bob-pw")
        assert alter(cluster, upsertions=[upsertion("bob", "bob-pw", iterations=8192)]) == [
            ("bob", E.NONE, None)]
        assert login(cluster, "SCRAM-SHA-256", "bob", "bob-pw")
        assert not login(cluster, "SCRAM-SHA-256", "bob", "wrong")
        assert not login(cluster, "SCRAM-SHA-512", "bob", "bob-pw")  # another mechanism
    finally:
        cluster.close()
    again = open_cluster(tmp_path)
    try:
        assert login(again, "SCRAM-SHA-256", "bob", "bob-pw")
        described = describe(again, ["bob"])
        assert [(r.user, r.error_code, [(c.mechanism, c.iterations) for c in r.credential_infos])
                for r in described.results] == [("bob", E.NONE, [(SHA256, 8192)])]
        assert alter(again, deletions=[ScramCredentialDeletion(name="bob", mechanism=SHA256)]) == [
            ("bob", E.NONE, None)]
        assert not login(again, "SCRAM-SHA-256", "bob", "bob-pw")
    finally:
        again.close()


def test_describe_lists_every_user_and_refuses_unknown_and_duplicates(cluster: Cluster) -> None:
    alter(cluster, upsertions=[upsertion("bob", "pw", mechanism=SHA512)])
    everyone = describe(cluster)
    assert [(r.user, [(c.mechanism, c.iterations) for c in r.credential_infos])
            for r in everyone.results] == [
        ("bob", [(SHA512, 4096)]), ("static", [(SHA256, 4096), (SHA512, 4096)])]
    named = describe(cluster, ["nobody", "bob", "bob"])
    assert [(r.user, r.error_code, r.error_message) for r in named.results] == [
        ("nobody", E.RESOURCE_NOT_FOUND,
         "Attempt to describe a user credential that does not exist: nobody"),
        ("bob", E.DUPLICATE_RESOURCE,
         "Cannot describe SCRAM credentials for the same user twice in a single request: bob"),
    ]


def test_alterations_are_checked_as_kafka_checks_them(cluster: Cluster) -> None:
    results = alter(cluster, upsertions=[
        upsertion("few", "pw", iterations=1000),
        upsertion("many", "pw", iterations=20000),
        ScramCredentialUpsertion(name="odd", mechanism=9, iterations=4096, salt=b"s", salted_password=b"p"),
        upsertion("", "pw"),
        upsertion("twice", "pw"), upsertion("twice", "pw2"),
    ], deletions=[ScramCredentialDeletion(name="ghost", mechanism=SHA256)])
    assert results == [
        ("ghost", E.RESOURCE_NOT_FOUND, "Attempt to delete a user credential that does not exist"),
        ("few", E.UNACCEPTABLE_CREDENTIAL, "Too few iterations"),
        ("many", E.UNACCEPTABLE_CREDENTIAL, "Too many iterations"),
        ("odd", E.UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism"),
        ("", E.UNACCEPTABLE_CREDENTIAL, "Username must not be empty"),
        ("twice", E.DUPLICATE_RESOURCE, "A user credential cannot be altered twice in the same request"),
    ]
    assert cluster.scram.users() == {}


def test_with_acls_they_need_cluster_permissions(tmp_path: Path) -> None:
    cluster = open_cluster(tmp_path, **{
        "authorizer.class.name": STANDARD_AUTHORIZER_NAME, "super.users": "User:admin",
    })
    try:
        assert alter(cluster, upsertions=[upsertion("bob", "pw")], principal="User:alice") == [
            ("bob", E.CLUSTER_AUTHORIZATION_FAILED, "The client is not authorized for this cluster operation.")]
        refused = run(cluster, ApiKey.DESCRIBE_USER_SCRAM_CREDENTIALS, describe_user_scram_credentials,
                      DescribeUserScramCredentialsRequest(users=None), "User:alice")
        assert refused.error_code == E.CLUSTER_AUTHORIZATION_FAILED and refused.results == []
        assert alter(cluster, upsertions=[upsertion("bob", "pw")]) == [("bob", E.NONE, None)]
    finally:
        cluster.close()
