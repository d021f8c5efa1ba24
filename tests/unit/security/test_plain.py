"""SASL/PLAIN (RFC 4616) and the messages Kafka's PlainSaslServer answers with."""

from __future__ import annotations

import pytest

from kafkalite.security.sasl import PlainServer, SaslUsers, failure_message
from kafkalite.security.sasl_errors import SaslAuthenticationError, SaslError

USERS = {"alice": "secret", "bob": "p:w"}


def test_the_right_password_authenticates() -> None:
    server = PlainServer(USERS)
    assert server.evaluate(b"\0alice\0secret") == b""
    assert server.complete and server.username == "alice"


def test_an_authorization_id_equal_to_the_user_is_accepted() -> None:
    server = PlainServer(USERS)
    server.evaluate(b"bob\0bob\0p:w")
    assert server.complete


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (b"\0alice\0wrong", "Authentication failed: Invalid username or password"),
        (b"\0nobody\0secret", "Authentication failed: Invalid username or password"),
        (b"\0\0secret", "Authentication failed: username not specified"),
        (b"\0alice\0", "Authentication failed: password not specified"),
        (b"admin\0alice\0secret", "different from username"),
        (b"alice-secret", "expected 3 tokens"),
    ],
)
def test_failures_carry_kafkas_messages(token: bytes, message: str) -> None:
    server = PlainServer(USERS)
    with pytest.raises(SaslAuthenticationError, match=message):
        server.evaluate(token)
    assert not server.complete


def test_the_client_sees_plain_messages_and_a_generic_one_for_other_failures() -> None:
    shown = SaslAuthenticationError("Authentication failed: Invalid username or password")
    assert failure_message(shown, "PLAIN") == str(shown)
    hidden = SaslError("Invalid client credentials")
    assert failure_message(hidden, "SCRAM-SHA-256") == (
        "Authentication failed during authentication due to invalid credentials with SASL "
        "mechanism SCRAM-SHA-256"
    )


def test_users_serve_every_mechanism() -> None:
    users = SaslUsers(USERS)
    assert users.server("PLAIN").mechanism == "PLAIN"
    for mechanism in ("SCRAM-SHA-256", "SCRAM-SHA-512"):
        assert users.server(mechanism).mechanism == mechanism
        assert set(users.scram[mechanism]) == {"alice", "bob"}
    with pytest.raises(ValueError):
        users.server("GSSAPI")
