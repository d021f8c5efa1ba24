"""SCRAM-SHA-256/512 (RFC 5802, RFC 7677): the RFC's test vector, a client written from the
RFC, and each way an exchange fails."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from kafkalite.security.sasl_errors import SaslAuthenticationError, SaslError
from kafkalite.security.scram import MECHANISMS, ScramServer, scram_credential

# RFC 7677 section 3.
RFC_SALT = base64.b64decode("W22ZaJ0SNY7soEsUEjb6gQ==")
RFC_CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO"
RFC_SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"
RFC_PROOF = "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
RFC_SIGNATURE = "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="


def rfc_server() -> ScramServer:
    credential = scram_credential("SCRAM-SHA-256", "pencil", RFC_SALT, 4096)
    return ScramServer("SCRAM-SHA-256", {"user": credential}.get, nonce=RFC_SERVER_NONCE)


def test_rfc_7677_test_vector() -> None:
    server = rfc_server()
    first = server.evaluate(f"n,,n=user,r={RFC_CLIENT_NONCE}".encode())
    nonce = RFC_CLIENT_NONCE + RFC_SERVER_NONCE
    assert first == f"r={nonce},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096".encode()
    assert not server.complete
    final = server.evaluate(f"c=biws,r={nonce},p={RFC_PROOF}".encode())
    assert final == f"v={RFC_SIGNATURE}".encode()
    assert server.complete and server.username == "user"


def client_exchange(server: ScramServer, mechanism: str, user: str, password: str) -> bytes:
    """A SCRAM client following RFC 5802 section 3; returns the server-final message."""
    digest = MECHANISMS[mechanism]
    bare = f"n={user},r=clientnonce"
    server_first = server.evaluate(f"n,,{bare}".encode()).decode()
    fields = dict(item.split("=", 1) for item in server_first.split(","))
    salted = hashlib.pbkdf2_hmac(
        digest, password.encode(), base64.b64decode(fields["s"]), int(fields["i"])
    )
    client_key = hmac.new(salted, b"Client Key", digest).digest()
    stored_key = hashlib.new(digest, client_key).digest()
    without_proof = f"c=biws,r={fields['r']}"
    auth_message = f"{bare},{server_first},{without_proof}".encode()
    signature = hmac.new(stored_key, auth_message, digest).digest()
    proof = bytes(a ^ b for a, b in zip(client_key, signature, strict=True))
    final = server.evaluate(f"{without_proof},p={base64.b64encode(proof).decode()}".encode())
    server_key = hmac.new(salted, b"Server Key", digest).digest()
    expected = hmac.new(server_key, auth_message, digest).digest()
    assert final == b"v=" + base64.b64encode(expected)
    return final


@pytest.mark.parametrize("mechanism", sorted(MECHANISMS))
def test_a_client_with_the_right_password_authenticates(mechanism: str) -> None:
    credentials = {"alice": scram_credential(mechanism, "secret")}
    server = ScramServer(mechanism, credentials.get)
    client_exchange(server, mechanism, "alice", "secret")
    assert server.complete and server.username == "alice"


@pytest.mark.parametrize("mechanism", sorted(MECHANISMS))
def test_a_wrong_password_fails_without_saying_why(mechanism: str) -> None:
    credentials = {"alice": scram_credential(mechanism, "secret")}
    server = ScramServer(mechanism, credentials.get)
    with pytest.raises(SaslError) as failure:
        client_exchange(server, mechanism, "alice", "wrong")
    assert not isinstance(failure.value, SaslAuthenticationError)  # the client sees no detail
    assert not server.complete


def test_an_unknown_user_fails_at_the_first_message() -> None:
    server = ScramServer("SCRAM-SHA-256", {}.get)
    with pytest.raises(SaslError, match="Invalid user credentials"):
        server.evaluate(b"n,,n=mallory,r=abc")


def test_credentials_are_salted_and_iterated_as_kafka_stores_them() -> None:
    first = scram_credential("SCRAM-SHA-512", "secret")
    second = scram_credential("SCRAM-SHA-512", "secret")
    assert first.iterations == 4096 and len(first.salt) >= 16
    assert first.salt != second.salt and first.stored_key != second.stored_key
    assert len(first.stored_key) == len(first.server_key) == 64


@pytest.mark.parametrize(
    "message",
    [b"p=tls-unique,,n=user,r=abc", b"n,,r=abc", b"garbage", b"n,,n=user,r=abc,tokenauth=true"],
)
def test_bad_client_first_messages_are_refused(message: bytes) -> None:
    with pytest.raises(SaslError):
        rfc_server().evaluate(message)


def test_a_final_message_with_another_nonce_is_refused() -> None:
    server = rfc_server()
    server.evaluate(f"n,,n=user,r={RFC_CLIENT_NONCE}".encode())
    with pytest.raises(SaslError, match="nonce"):
        server.evaluate(f"c=biws,r={RFC_CLIENT_NONCE}other,p={RFC_PROOF}".encode())


def test_an_authorization_id_other_than_the_user_is_refused_with_kafkas_message() -> None:
    with pytest.raises(SaslAuthenticationError, match="different from username"):
        rfc_server().evaluate(f"n,a=admin,n=user,r={RFC_CLIENT_NONCE}".encode())


def test_escaped_usernames_are_decoded() -> None:
    credential = scram_credential("SCRAM-SHA-256", "pw")
    server = ScramServer("SCRAM-SHA-256", {"a,b=c": credential}.get)
    server.evaluate(b"n,,n=a=2Cb=3Dc,r=abc")
    assert server.username == "a,b=c"


def test_a_final_nonce_that_ends_with_the_servers_is_accepted_as_kafka_accepts_it() -> None:
    """librdkafka before 2.1 repeats its own nonce in front of the combined one; Kafka only
    checks that the final nonce ends with the server-first nonce, and so do we."""
    credential = scram_credential("SCRAM-SHA-256", "pw", salt=b"salt")
    server = ScramServer("SCRAM-SHA-256", {"alice": credential}.get, nonce="srv")
    bare = "n=alice,r=cli"
    first = server.evaluate(f"n,,{bare}".encode()).decode()
    assert first.startswith("r=clisrv,")
    salted = hashlib.pbkdf2_hmac("sha256", b"pw", b"salt", 4096)
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    without_proof = "c=biws,r=cliclisrv"
    auth_message = f"{bare},{first},{without_proof}".encode()
    signature = hmac.new(hashlib.sha256(client_key).digest(), auth_message, "sha256").digest()
    proof = bytes(a ^ b for a, b in zip(client_key, signature, strict=True))
    server.evaluate(f"{without_proof},p={base64.b64encode(proof).decode()}".encode())
    assert server.complete
