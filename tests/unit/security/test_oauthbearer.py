"""SASL/OAUTHBEARER with Kafka's unsecured validator: unsigned tokens, the JSON error
challenge and the client's acknowledgement, then Kafka's failure."""

from __future__ import annotations

import base64
import json

import pytest

from kafkalite.security.oauthbearer import OAuthBearerServer, unsecured_token
from kafkalite.security.sasl_errors import SaslAuthenticationError, SaslError

NOW = 1_800_000_000.0


def first_message(token: str, authzid: str = "", extensions: str = "") -> bytes:
    return f"n,{'a=' + authzid if authzid else ''},\x01auth=Bearer {token}\x01{extensions}\x01".encode()


def token_with(header: dict[str, object], claims: dict[str, object]) -> str:
    def part(obj: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    return f"{part(header)}.{part(claims)}."


def server() -> OAuthBearerServer:
    return OAuthBearerServer(clock=lambda: NOW)


def test_an_unsecured_token_names_the_principal() -> None:
    oauth = server()
    token = token_with({"alg": "none"}, {"sub": "alice", "iat": NOW - 1, "exp": NOW + 60})
    assert oauth.evaluate(first_message(token, extensions="traceId=123\x01")) == b""
    assert oauth.complete and oauth.username == "alice"


def test_the_helper_makes_tokens_clients_would_send() -> None:
    oauth = OAuthBearerServer()
    oauth.evaluate(first_message(unsecured_token("bob")))
    assert oauth.username == "bob"


@pytest.mark.parametrize(
    ("header", "claims"),
    [
        ({"alg": "none"}, {"sub": "alice", "exp": NOW - 1}),  # expired
        ({"alg": "none"}, {"exp": NOW + 60}),  # no subject
        ({"alg": "none"}, {"sub": "alice"}),  # no expiry
        ({"alg": "HS256"}, {"sub": "alice", "exp": NOW + 60}),  # signed tokens are not read
        ({"alg": "none"}, {"sub": "alice", "exp": NOW + 60, "iat": NOW + 120}),
    ],
)
def test_an_invalid_token_gets_the_json_challenge_then_fails(
    header: dict[str, object], claims: dict[str, object]
) -> None:
    oauth = server()
    challenge = oauth.evaluate(first_message(token_with(header, claims)))
    assert challenge == b'{"status":"invalid_token"}'
    assert not oauth.complete
    with pytest.raises(SaslAuthenticationError) as failure:
        oauth.evaluate(b"\x01")
    assert str(failure.value) == '{"status":"invalid_token"}'
    assert failure.value.detail  # the reason goes to the broker's log


def test_a_malformed_first_message_fails_without_detail() -> None:
    with pytest.raises(SaslError, match="Invalid OAUTHBEARER client first message"):
        server().evaluate(b"n,,auth=Bearer abc")


def test_an_authorization_id_must_be_the_subject() -> None:
    token = token_with({"alg": "none"}, {"sub": "alice", "exp": NOW + 60})
    with pytest.raises(SaslAuthenticationError, match="different from the token's principal"):
        server().evaluate(first_message(token, authzid="admin"))
