"""The blocking client's security settings: properties files as Kafka's console tools read
them, and the SCRAM client exchange against kafkalite's own SCRAM server."""

from __future__ import annotations

import pytest

from kafkalite.client.security import (
    ConnectionSecurity,
    UnsupportedSecurity,
    from_properties,
    parse_properties,
)
from kafkalite.security.scram import ScramServer, scram_credential


def test_properties_file_syntax() -> None:
    text = (
        "# a comment\n! another\n\nsecurity.protocol = SASL_PLAINTEXT\n"
        "sasl.mechanism:SCRAM-SHA-512\n"
        "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\\n"
        '    username="ali,ce" password="p=w\\"d";\n'
    )
    props = parse_properties(text)
    assert props["security.protocol"] == "SASL_PLAINTEXT"
    assert props["sasl.mechanism"] == "SCRAM-SHA-512"
    security = from_properties(props)
    assert (security.protocol, security.mechanism) == ("SASL_PLAINTEXT", "SCRAM-SHA-512")
    assert security.username == "ali,ce"
    assert security.ssl_context is None
    assert not security.token_auth
    token = from_properties({**props, "sasl.jaas.config": (
        'org.apache.kafka.common.security.scram.ScramLoginModule required '
        'username="token-id" password="bWFj" tokenauth="true";')})
    assert (token.username, token.password, token.token_auth) == ("token-id", "bWFj", True)


def test_plain_username_password_and_default_protocol() -> None:
    assert from_properties({}).protocol == "PLAINTEXT"
    security = from_properties(
        {
            "security.protocol": "sasl_plaintext",
            "sasl.mechanism": "PLAIN",
            "sasl.username": "bob",
            "sasl.password": "pw",
        }
    )
    assert (security.mechanism, security.username, security.password) == ("PLAIN", "bob", "pw")


@pytest.mark.parametrize(
    "props",
    [
        {"security.protocol": "SASL_PLAINTEXT"},  # GSSAPI is Kafka's default mechanism
        {"security.protocol": "SASL_SSL", "sasl.mechanism": "OAUTHBEARER"},
        {"security.protocol": "SSL", "ssl.truststore.type": "JKS"},
        {"security.protocol": "KERBEROS"},
    ],
)
def test_unsupported_settings_are_refused(props: dict[str, str]) -> None:
    with pytest.raises(UnsupportedSecurity):
        from_properties(props)


class _ScramBroker:
    """Stands in for a connection: hands each SaslAuthenticate token to a ScramServer."""

    def __init__(self, password: str) -> None:
        credential = scram_credential("SCRAM-SHA-256", password, iterations=4096)
        self.server = ScramServer(
            "SCRAM-SHA-256", lambda user: credential if user == "al=ice" else None
        )


@pytest.mark.parametrize(("password", "ok"), [("secret", True), ("wrong", False)])
def test_scram_exchange_against_the_server(
    monkeypatch: pytest.MonkeyPatch, password: str, ok: bool
) -> None:
    broker = _ScramBroker("secret")
    security = ConnectionSecurity(
        "SASL_PLAINTEXT", mechanism="SCRAM-SHA-256", username="al=ice", password=password
    )
    monkeypatch.setattr(
        ConnectionSecurity, "_exchange", lambda self, conn, token: broker.server.evaluate(token)
    )
    if ok:
        security._scram(None, "sha256")  # type: ignore[arg-type]
        assert broker.server.complete and broker.server.username == "al=ice"
    else:
        with pytest.raises(Exception) as raised:
            security._scram(None, "sha256")  # type: ignore[arg-type]
        assert not broker.server.complete
        assert not isinstance(raised.value, AssertionError)
