"""Stock clients over TLS, mTLS, SASL_PLAINTEXT and SASL_SSL (PLAIN, SCRAM-SHA-256/512,
OAUTHBEARER with unsecured tokens).

Two kafkalite processes, as a secured Kafka would be configured: one with an SSL listener
that accepts any client (and SASL_PLAINTEXT and SASL_SSL listeners), one whose SSL listener
requires a client certificate (mTLS). Certificates come from ``kafkalite certs``. Each client
(kafka-python, aiokafka, confluent-kafka, and KafkaJS through ``js/security.js``) produces a
record and reads it back; with a wrong password each fails with its authentication error,
and the broker logs one line per refused connection, no traceback.
"""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import compat_helpers as h
import pytest

from kafkalite.security.oauthbearer import unsecured_token

pytestmark = pytest.mark.compat

USER, PASSWORD = "alice", "alice-secret"
CASES = [
    ("SSL", None),
    ("MTLS", None),
    ("SASL_PLAINTEXT", "PLAIN"),
    ("SASL_PLAINTEXT", "SCRAM-SHA-256"),
    ("SASL_PLAINTEXT", "SCRAM-SHA-512"),
    ("SASL_SSL", "PLAIN"),
    ("SASL_SSL", "SCRAM-SHA-256"),
    ("SASL_SSL", "SCRAM-SHA-512"),
    ("SASL_SSL", "OAUTHBEARER"),
]


@dataclass
class Secured:
    certs: Path
    open_broker: h.KafkaliteBroker
    mtls_broker: h.KafkaliteBroker
    ports: dict[str, int]

    def bootstrap(self, listener: str) -> str:
        return f"127.0.0.1:{self.ports[listener]}"

    def file(self, name: str) -> str:
        return str(self.certs / name)


@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Secured]:
    if h.external_bootstrap():
        pytest.skip("KAFKALITE_BOOTSTRAP is set: the security tests start their own brokers")
    root = tmp_path_factory.mktemp("kafkalite-security")
    certs = root / "certs"
    subprocess.run(
        [sys.executable, "-m", "kafkalite", "certs", str(certs)], check=True,
        env=h.broker_env(), capture_output=True,
    )
    ports = {name: h.free_port() for name in ("SSL", "SASL_PLAINTEXT", "SASL_SSL", "MTLS")}
    ssl_options = {
        "ssl.keystore.type": "PEM",
        "ssl.keystore.location": str(certs / "server.pem"),
        "ssl.truststore.location": str(certs / "ca.crt"),
    }
    open_broker = h.KafkaliteBroker(data_dir=root / "open", options={
        "listeners": ",".join(
            f"{name}://127.0.0.1:{port}" for name, port in [
                ("PLAINTEXT", 0), ("SSL", ports["SSL"]),
                ("SASL_PLAINTEXT", ports["SASL_PLAINTEXT"]), ("SASL_SSL", ports["SASL_SSL"]),
            ]
        ).replace("PLAINTEXT://127.0.0.1:0", "PLAINTEXT://127.0.0.1:{port}", 1),
        "kafkalite.users": f"{USER}:{PASSWORD}",
        "sasl.enabled.mechanisms": "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER",
        **ssl_options,
    })
    mtls_broker = h.KafkaliteBroker(data_dir=root / "mtls", options={
        "listeners": f"PLAINTEXT://127.0.0.1:{{port}},SSL://127.0.0.1:{ports['MTLS']}",
        "ssl.client.auth": "required",
        **ssl_options,
    })
    for b in (open_broker, mtls_broker):  # the PLAINTEXT listener is the readiness probe's
        b.options["listeners"] = b.options["listeners"].format(port=b.port)
    open_broker.start()
    try:
        mtls_broker.start()
        try:
            yield Secured(certs, open_broker, mtls_broker, ports)
        finally:
            mtls_broker.stop()
    finally:
        open_broker.stop()


def listener_of(case: str) -> str:
    return "SSL" if case == "MTLS" else case


# --------------------------------------------------------------------------- client configs


def kafka_python_config(s: Secured, case: str, mechanism: str | None, password: str) -> dict[str, Any]:
    config: dict[str, Any] = {
        "bootstrap_servers": s.bootstrap(case), "security_protocol": listener_of(case),
    }
    if "SSL" in listener_of(case):
        config["ssl_cafile"] = s.file("ca.crt")
    if case == "MTLS":
        config.update(ssl_certfile=s.file("client.crt"), ssl_keyfile=s.file("client.key"))
    if mechanism == "OAUTHBEARER":
        from kafka.net.sasl.oauth import AbstractTokenProvider

        class Tokens(AbstractTokenProvider):  # type: ignore[misc]
            def token(self) -> str:
                return unsecured_token(USER)

        config.update(sasl_mechanism=mechanism, sasl_oauth_token_provider=Tokens())
    elif mechanism:
        config.update(
            sasl_mechanism=mechanism, sasl_plain_username=USER, sasl_plain_password=password
        )
    return config


def confluent_config(s: Secured, case: str, mechanism: str | None, password: str) -> dict[str, Any]:
    config: dict[str, Any] = {
        "bootstrap.servers": s.bootstrap(case), "security.protocol": listener_of(case),
    }
    if "SSL" in listener_of(case):
        config["ssl.ca.location"] = s.file("ca.crt")
    if case == "MTLS":
        config.update({
            "ssl.certificate.location": s.file("client.crt"),
            "ssl.key.location": s.file("client.key"),
        })
    if mechanism == "OAUTHBEARER":  # librdkafka writes the unsecured token itself
        config.update({
            "sasl.mechanism": mechanism, "enable.sasl.oauthbearer.unsecure.jwt": True,
            "sasl.oauthbearer.config": f"principal={USER}",
        })
    elif mechanism:
        config.update({"sasl.mechanism": mechanism, "sasl.username": USER, "sasl.password": password})
    return config


def aiokafka_config(s: Secured, case: str, mechanism: str | None, password: str) -> dict[str, Any]:
    from aiokafka.helpers import create_ssl_context

    config: dict[str, Any] = {
        "bootstrap_servers": s.bootstrap(case), "security_protocol": listener_of(case),
    }
    if "SSL" in listener_of(case):
        certificate = (
            {"certfile": s.file("client.crt"), "keyfile": s.file("client.key")}
            if case == "MTLS" else {}
        )
        config["ssl_context"] = create_ssl_context(cafile=s.file("ca.crt"), **certificate)
    if mechanism == "OAUTHBEARER":
        from aiokafka.abc import AbstractTokenProvider

        class Tokens(AbstractTokenProvider):  # type: ignore[misc]
            async def token(self) -> str:
                return unsecured_token(USER)

        config.update(sasl_mechanism=mechanism, sasl_oauth_token_provider=Tokens())
    elif mechanism:
        config.update(
            sasl_mechanism=mechanism, sasl_plain_username=USER, sasl_plain_password=password
        )
    return config


# --------------------------------------------------------------------------- round trips


def kafka_python_round_trip(config: dict[str, Any], topic: str, value: bytes) -> list[bytes]:
    from kafka import KafkaConsumer, KafkaProducer, TopicPartition

    producer = KafkaProducer(**config)
    try:
        producer.send(topic, value, partition=0).get(timeout=20)
    finally:
        producer.close()
    consumer = KafkaConsumer(**config, consumer_timeout_ms=10_000)
    try:
        consumer.assign([TopicPartition(topic, 0)])
        consumer.seek_to_beginning()
        return [next(consumer).value]
    finally:
        consumer.close()


def confluent_round_trip(config: dict[str, Any], topic: str, value: bytes) -> list[bytes]:
    from confluent_kafka import Consumer, Producer, TopicPartition

    producer = Producer(config)
    producer.produce(topic, value, partition=0)
    assert producer.flush(20) == 0
    consumer = Consumer({**config, "group.id": "security", "enable.auto.commit": False})
    try:
        consumer.assign([TopicPartition(topic, 0, 0)])
        message = consumer.poll(20)
        assert message is not None and message.error() is None, message and message.error()
        return [message.value()]
    finally:
        consumer.close()


def aiokafka_round_trip(config: dict[str, Any], topic: str, value: bytes) -> list[bytes]:
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

    async def run() -> list[bytes]:
        producer = AIOKafkaProducer(**config)
        await producer.start()
        try:
            await producer.send_and_wait(topic, value, partition=0)
        finally:
            await producer.stop()
        consumer = AIOKafkaConsumer(**config, auto_offset_reset="earliest")
        await consumer.start()
        try:
            consumer.assign([TopicPartition(topic, 0)])
            message = await asyncio.wait_for(consumer.getone(), 20)
            return [message.value]
        finally:
            await consumer.stop()

    return asyncio.run(run())


JS_DIR = Path(__file__).with_name("js")
NODE = shutil.which("node")


def kafkajs_config(s: Secured, case: str, mechanism: str | None, password: str) -> dict[str, Any]:
    config: dict[str, Any] = {"bootstrap": s.bootstrap(case), "ssl": None, "sasl": None}
    if "SSL" in listener_of(case):
        config["ssl"] = {"ca": s.file("ca.crt")}
    if case == "MTLS":
        config["ssl"].update(cert=s.file("client.crt"), key=s.file("client.key"))
    if mechanism == "OAUTHBEARER":
        config["sasl"] = {"mechanism": "oauthbearer", "token": unsecured_token(USER)}
    elif mechanism:
        config["sasl"] = {"mechanism": mechanism.lower(), "username": USER, "password": password}
    return config


def run_kafkajs(config: dict[str, Any], timeout_s: float = 30) -> list[dict[str, Any]]:
    if NODE is None or not (JS_DIR / "node_modules" / "kafkajs").is_dir():
        pytest.skip("KafkaJS needs node and `npm ci --prefix tests/compat/js`")
    proc = subprocess.run(
        [NODE, str(JS_DIR / "security.js")],
        input=json.dumps({**config, "timeoutMs": int(timeout_s * 1000)}).encode(),
        cwd=str(JS_DIR), capture_output=True, timeout=timeout_s + 20,
    )
    return [json.loads(line) for line in proc.stdout.decode().splitlines() if line.strip()]


def kafkajs_round_trip(config: dict[str, Any], topic: str, value: bytes) -> list[bytes]:
    events = run_kafkajs({**config, "topic": topic, "value": value.decode()})
    assert events and events[-1] == {"type": "done"}, events
    return [e["value"].encode() for e in events if e["type"] == "consumed"]


def kafkajs_refused(config: dict[str, Any], caplog: pytest.LogCaptureFixture) -> str:
    events = run_kafkajs({**config, "topic": "refused", "value": "x"})
    error = events[-1]
    assert error["type"] == "error", events
    assert error["error"]["name"] == "KafkaJSSASLAuthenticationError", error
    return str(error["error"]["message"])


Client = tuple[Callable[..., dict[str, Any]], Callable[[dict[str, Any], str, bytes], list[bytes]]]
CLIENTS: dict[str, Client] = {
    "kafka-python": (kafka_python_config, kafka_python_round_trip),
    "aiokafka": (aiokafka_config, aiokafka_round_trip),
    "confluent-kafka": (confluent_config, confluent_round_trip),
    "kafkajs": (kafkajs_config, kafkajs_round_trip),
}


@pytest.mark.parametrize("client", sorted(CLIENTS))
@pytest.mark.parametrize(("case", "mechanism"), CASES, ids=[f"{c}-{m or 'tls'}" for c, m in CASES])
def test_produce_and_consume(secured: Secured, client: str, case: str, mechanism: str | None) -> None:
    make_config, round_trip = CLIENTS[client]
    config = make_config(secured, case, mechanism, PASSWORD)
    topic = f"security-{uuid.uuid4().hex[:8]}"
    value = f"{client} {case} {mechanism}".encode()
    assert round_trip(config, topic, value) == [value]


# --------------------------------------------------------------------------- wrong password


def refused_lines(b: h.KafkaliteBroker) -> list[str]:
    return [line for line in b.log_path.read_text().splitlines() if "authentication failed" in line]


def kafka_python_refused(config: dict[str, Any], caplog: pytest.LogCaptureFixture) -> str:
    from kafka import KafkaAdminClient
    from kafka.errors import KafkaTimeoutError

    # kafka-python retries its bootstrap and ends with a timeout; the authentication error
    # with the broker's message is what it logs for each refused connection.
    with caplog.at_level(logging.WARNING, logger="kafka"), pytest.raises(KafkaTimeoutError):
        KafkaAdminClient(**config, bootstrap_timeout_ms=2000)
    return caplog.text


def aiokafka_refused(config: dict[str, Any], caplog: pytest.LogCaptureFixture) -> str:
    from aiokafka import AIOKafkaProducer
    from aiokafka.errors import KafkaConnectionError

    async def run() -> None:
        producer = AIOKafkaProducer(**config)
        try:
            await producer.start()
        finally:
            await producer.stop()

    with caplog.at_level(logging.ERROR, logger="aiokafka"), pytest.raises(KafkaConnectionError):
        asyncio.run(run())
    return caplog.text


def confluent_refused(config: dict[str, Any], caplog: pytest.LogCaptureFixture) -> str:
    from confluent_kafka import KafkaError, KafkaException
    from confluent_kafka.admin import AdminClient

    # librdkafka reports the failure to error_cb (served by poll) and keeps retrying.
    errors: list[KafkaError] = []
    admin = AdminClient({**config, "error_cb": errors.append, "reconnect.backoff.ms": 1000})
    with pytest.raises(KafkaException):
        admin.list_topics(timeout=2)
    admin.poll(0)
    auth = [e for e in errors if e.code() == KafkaError._AUTHENTICATION]
    assert auth, errors
    del admin
    return str(auth[0].str())


@pytest.mark.parametrize("client", sorted(CLIENTS))
@pytest.mark.parametrize("mechanism", ["PLAIN", "SCRAM-SHA-256"])
def test_a_wrong_password_is_an_authentication_error(
    secured: Secured, client: str, mechanism: str, caplog: pytest.LogCaptureFixture
) -> None:
    make_config, _ = CLIENTS[client]
    config = make_config(secured, "SASL_PLAINTEXT", mechanism, "wrong")
    before = len(refused_lines(secured.open_broker))
    refuse = {
        "kafka-python": kafka_python_refused,
        "aiokafka": aiokafka_refused,
        "confluent-kafka": confluent_refused,
        "kafkajs": kafkajs_refused,
    }[client]
    seen = refuse(config, caplog)
    expected = (
        "Invalid username or password" if mechanism == "PLAIN"
        else f"invalid credentials with SASL mechanism {mechanism}"
    )
    assert expected in seen
    log_text = secured.open_broker.log_path.read_text()
    assert len(refused_lines(secured.open_broker)) > before
    assert "Traceback" not in log_text
