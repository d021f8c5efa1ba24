"""Delegation tokens (KIP-48) called directly: create, renew, expire and describe with
Kafka's errors and ACL checks, HmacSHA512 over the token id, persistence across a restart,
expired tokens dropped, and SCRAM logins with ``tokenauth=true``."""

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
from kafkalite.handlers import (
    create_acls,
    create_delegation_token,
    describe_delegation_token,
    expire_delegation_token,
    renew_delegation_token,
)
from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.connection import Request
from kafkalite.protocol.errors import ErrorCode as E
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.create_acls import AclCreation, CreateAclsRequest
from kafkalite.protocol.messages.create_delegation_token import (
    CreatableRenewers,
    CreateDelegationTokenRequest,
)
from kafkalite.protocol.messages.describe_delegation_token import (
    DescribeDelegationTokenOwner,
    DescribeDelegationTokenRequest,
)
from kafkalite.protocol.messages.expire_delegation_token import ExpireDelegationTokenRequest
from kafkalite.protocol.messages.headers import RequestHeader
from kafkalite.protocol.messages.renew_delegation_token import RenewDelegationTokenRequest
from kafkalite.security.acls import STANDARD_AUTHORIZER_NAME
from kafkalite.security.acls import AclOperation as Op
from kafkalite.security.acls import ResourceType as Res
from kafkalite.security.sasl import SaslError, SaslUsers
from kafkalite.security.tokens import now_ms

ADMIN, ALICE, BOB, CAROL = "User:admin", "User:alice", "User:bob", "User:carol"
SECRET = "s3cret"
DAY = 24 * 3600 * 1000


class NoWaits:
    async def wait(self, partitions: Iterable[tuple[str, int]], timeout: float, closing: asyncio.Event) -> None:
        return None


def config(tmp_path: Path, **changes: str) -> BrokerConfig:
    return BrokerConfig(data_dir=tmp_path, port=0).with_properties({
        "authorizer.class.name": STANDARD_AUTHORIZER_NAME, "super.users": ADMIN,
        "delegation.token.secret.key": SECRET, **changes,
    })


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    opened = Cluster(config(tmp_path))
    opened.open()
    try:
        yield opened
    finally:
        opened.close()


def run(cluster: Cluster, principal: str, api: ApiKey, version: int, handler: Any, body: Any,
        protocol: str = "SASL_PLAINTEXT", token_authenticated: bool = False) -> Any:
    header = RequestHeader(request_api_key=api, request_api_version=version, client_id="c")
    ctx = RequestContext(
        node=cluster.nodes[1], cluster=cluster, request=Request(api, version, header, body, 0),
        waiters=NoWaits(), peer="127.0.0.1:5555", principal=principal,
        security_protocol=protocol, token_authenticated=token_authenticated,
    )
    return asyncio.run(handler.handle(ctx, body))


def create(cluster: Cluster, principal: str = ALICE, version: int = 3, **fields: Any) -> Any:
    return run(cluster, principal, ApiKey.CREATE_DELEGATION_TOKEN, version,
               create_delegation_token, CreateDelegationTokenRequest(**{"max_lifetime_ms": -1, **fields}))


def renew(cluster: Cluster, principal: str, mac: bytes, period: int = -1) -> Any:
    return run(cluster, principal, ApiKey.RENEW_DELEGATION_TOKEN, 2, renew_delegation_token,
               RenewDelegationTokenRequest(hmac=mac, renew_period_ms=period))


def expire(cluster: Cluster, principal: str, mac: bytes, period: int) -> Any:
    return run(cluster, principal, ApiKey.EXPIRE_DELEGATION_TOKEN, 2, expire_delegation_token,
               ExpireDelegationTokenRequest(hmac=mac, expiry_time_period_ms=period))


def describe(cluster: Cluster, principal: str, owners: list[str] | None = None) -> Any:
    request = DescribeDelegationTokenRequest(owners=None if owners is None else [
        DescribeDelegationTokenOwner(principal_type="User", principal_name=o) for o in owners])
    return run(cluster, principal, ApiKey.DESCRIBE_DELEGATION_TOKEN, 3,
               describe_delegation_token, request)


def test_create_gives_an_hmac_over_the_id_and_kafkas_timestamps(cluster: Cluster) -> None:
    before = now_ms()
    created = create(cluster, renewers=[CreatableRenewers(principal_type="User", principal_name="bob")])
    assert created.error_code == E.NONE
    assert (created.principal_type, created.principal_name) == ("User", "alice")
    assert (created.token_requester_principal_type, created.token_requester_principal_name) == (
        "User", "alice")
    assert created.hmac == hmac.new(SECRET.encode(), created.token_id.encode(), hashlib.sha512).digest()
    assert before <= created.issue_timestamp_ms <= now_ms()
    assert created.expiry_timestamp_ms == created.issue_timestamp_ms + DAY
    assert created.max_timestamp_ms == created.issue_timestamp_ms + 7 * DAY
    shorter = create(cluster, max_lifetime_ms=1000)
    assert shorter.max_timestamp_ms == shorter.expiry_timestamp_ms == shorter.issue_timestamp_ms + 1000
    described = describe(cluster, ALICE)
    assert [(t.token_id, t.hmac, [r.principal_name for r in t.renewers]) for t in described.tokens][0] == (
        created.token_id, created.hmac, ["bob"])


def test_refusals(cluster: Cluster, tmp_path: Path) -> None:
    for protocol in ("PLAINTEXT", "SSL"):
        refused = run(cluster, "User:ANONYMOUS", ApiKey.CREATE_DELEGATION_TOKEN, 3,
                      create_delegation_token, CreateDelegationTokenRequest(), protocol=protocol)
        assert refused.error_code == E.DELEGATION_TOKEN_REQUEST_NOT_ALLOWED
    by_token = run(cluster, ALICE, ApiKey.DESCRIBE_DELEGATION_TOKEN, 3, describe_delegation_token,
                   DescribeDelegationTokenRequest(owners=None), token_authenticated=True)
    assert by_token.error_code == E.DELEGATION_TOKEN_REQUEST_NOT_ALLOWED
    assert renew(cluster, ALICE, b"nope").error_code == E.DELEGATION_TOKEN_NOT_FOUND
    other_owner = create(cluster, owner_principal_type="User", owner_principal_name="carol")
    assert other_owner.error_code == E.DELEGATION_TOKEN_AUTHORIZATION_FAILED
    assert other_owner.principal_name == "carol"
    bad_renewer = create(cluster, renewers=[CreatableRenewers(principal_type="Group", principal_name="g")])
    assert bad_renewer.error_code == E.INVALID_PRINCIPAL_TYPE
    run(cluster, ADMIN, ApiKey.CREATE_ACLS, 3, create_acls, CreateAclsRequest(creations=[
        AclCreation(resource_type=Res.USER, resource_name=CAROL, resource_pattern_type=3,
                    principal=ALICE, host="*", operation=Op.CREATE_TOKENS, permission_type=3)]))
    for_carol = create(cluster, owner_principal_type="User", owner_principal_name="carol")
    assert for_carol.error_code == E.NONE and for_carol.principal_name == "carol"
    disabled = Cluster(BrokerConfig(data_dir=tmp_path / "off", port=0))
    disabled.open()
    try:
        assert create(disabled).error_code == E.DELEGATION_TOKEN_AUTH_DISABLED
        assert describe(disabled, ALICE).error_code == E.DELEGATION_TOKEN_AUTH_DISABLED
        assert renew(disabled, ALICE, b"x").error_code == E.DELEGATION_TOKEN_AUTH_DISABLED
    finally:
        disabled.close()


def test_renew_expire_and_owner_checks(cluster: Cluster) -> None:
    created = create(cluster, renewers=[CreatableRenewers(principal_type="User", principal_name="bob")])
    mac = created.hmac
    assert renew(cluster, CAROL, mac).error_code == E.DELEGATION_TOKEN_OWNER_MISMATCH
    assert expire(cluster, CAROL, mac, 0).error_code == E.DELEGATION_TOKEN_OWNER_MISMATCH
    renewed = renew(cluster, BOB, mac, 5000)
    assert renewed.error_code == E.NONE
    assert now_ms() <= renewed.expiry_timestamp_ms <= now_ms() + 5000
    assert cluster.tokens.tokens[created.token_id].expiry_ms == renewed.expiry_timestamp_ms
    shortened = expire(cluster, ALICE, mac, 0)
    assert shortened.error_code == E.NONE
    cluster.tokens.tokens[created.token_id].expiry_ms = now_ms() - 1
    assert expire(cluster, ALICE, mac, 10).error_code == E.DELEGATION_TOKEN_NOT_FOUND  # swept
    second = create(cluster)
    gone = expire(cluster, ALICE, second.hmac, -1)
    assert gone.error_code == E.NONE and second.token_id not in cluster.tokens.tokens
    assert renew(cluster, ALICE, second.hmac).error_code == E.DELEGATION_TOKEN_NOT_FOUND


def test_describe_filters_by_owner_and_acls(cluster: Cluster) -> None:
    alices = create(cluster, ALICE)
    bobs = create(cluster, BOB)
    assert [t.token_id for t in describe(cluster, ALICE).tokens] == [alices.token_id]
    assert {t.token_id for t in describe(cluster, ADMIN).tokens} == {alices.token_id, bobs.token_id}
    assert [t.token_id for t in describe(cluster, ADMIN, ["bob"]).tokens] == [bobs.token_id]
    assert describe(cluster, ADMIN, []).tokens == []
    run(cluster, ADMIN, ApiKey.CREATE_ACLS, 3, create_acls, CreateAclsRequest(creations=[
        AclCreation(resource_type=Res.DELEGATION_TOKEN, resource_name=bobs.token_id,
                    resource_pattern_type=3, principal=CAROL, host="*", operation=Op.DESCRIBE,
                    permission_type=3)]))
    assert [t.token_id for t in describe(cluster, CAROL).tokens] == [bobs.token_id]
    old = run(cluster, ADMIN, ApiKey.DESCRIBE_DELEGATION_TOKEN, 1, describe_delegation_token,
              DescribeDelegationTokenRequest(owners=None))
    assert len(old.tokens) == 2


def test_tokens_survive_a_restart(tmp_path: Path) -> None:
    first = Cluster(config(tmp_path))
    first.open()
    created = create(first)
    first.close()
    again = Cluster(config(tmp_path))
    again.open()
    try:
        token = again.tokens.tokens[created.token_id]
        assert (token.owner, token.hmac, token.expiry_ms) == (
            ALICE, created.hmac, created.expiry_timestamp_ms)
    finally:
        again.close()


@pytest.mark.parametrize("mechanism", ["SCRAM-SHA-256", "SCRAM-SHA-512"])
def test_scram_login_with_a_token(cluster: Cluster, mechanism: str) -> None:
    created = create(cluster)
    password = base64.b64encode(created.hmac).decode()
    users = SaslUsers({}, cluster.scram, tokens=lambda tid: cluster.tokens.live(tid, now_ms()))

    def login(user: str, secret: str, tokenauth: bool) -> Any:
        """An RFC 5802 client whose client-first carries Kafka's extension after the nonce."""
        server = users.server(mechanism)
        digest = "sha256" if mechanism == "SCRAM-SHA-256" else "sha512"
        bare = f"n={user},r=clientnonce" + (",tokenauth=true" if tokenauth else "")
        first = server.evaluate(f"n,,{bare}".encode()).decode()
        fields = dict(item.split("=", 1) for item in first.split(","))
        salted = hashlib.pbkdf2_hmac(
            digest, secret.encode(), base64.b64decode(fields["s"]), int(fields["i"]))
        client_key = hmac.new(salted, b"Client Key", digest).digest()
        without_proof = f"c=biws,r={fields['r']}"
        auth_message = f"{bare},{first},{without_proof}".encode()
        signature = hmac.new(hashlib.new(digest, client_key).digest(), auth_message, digest).digest()
        proof = bytes(a ^ b for a, b in zip(client_key, signature, strict=True))
        server.evaluate(f"{without_proof},p={base64.b64encode(proof).decode()}".encode())
        return server

    server = login(created.token_id, password, tokenauth=True)
    assert server.complete and server.principal == ALICE and server.token_authenticated
    with pytest.raises(SaslError):
        login(created.token_id, "wrong", tokenauth=True)
    with pytest.raises(SaslError):  # without the extension the token id is no user
        login(created.token_id, password, tokenauth=False)
    expire(cluster, ALICE, created.hmac, -1)
    with pytest.raises(SaslError):
        login(created.token_id, password, tokenauth=True)
