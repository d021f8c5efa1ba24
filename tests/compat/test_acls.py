"""ACLs as Kafka's StandardAuthorizer enforces them, seen by stock clients.

One kafkalite process, ``KafkaliteServer(users=..., super_users=["admin"])``: a
SASL_PLAINTEXT listener (users ``admin`` and ``alice``), ``authorizer.class.name`` set and
``super.users=User:admin``. ``alice`` starts with no ACL:

* confluent-kafka (the full matrix): produce, consume with a group, and admin calls
  (create_topics, describe_configs, create_acls) are refused with the client's
  authorization error; the admin adds ACLs and the same client instances, without
  reconnecting, go through. The super user needs no ACL. Metadata shows alice only the
  topics she may describe, and the KIP-430 authorized operations of DescribeCluster and
  DescribeTopics are hers. SCRAM users made with AlterUserScramCredentials log in at once.
  ACLs and SCRAM users survive a restart.
* kafka-python, aiokafka, KafkaJS and kcat (SCRAM): one cell each, a producer refused then
  let through after the admin's CreateAcls.
* client quotas: set and described over the wire, and a producer over its byte rate told
  its throttle time.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import compat_helpers as h
import pytest

from kafkalite.testing import KafkaliteServer

pytestmark = pytest.mark.compat

ADMIN, ALICE = ("admin", "admin-secret"), ("alice", "alice-secret")
JS_DIR = Path(__file__).with_name("js")
NODE = shutil.which("node")
T = TypeVar("T")


class Secured:
    def __init__(self, server: KafkaliteServer) -> None:
        self.server = server
        self.admins: dict[str, Any] = {}
        """One AdminClient per user, kept: a collected client fails its pending futures."""

    @property
    def bootstrap(self) -> str:
        return self.server.bootstrap_servers_for("SASL_PLAINTEXT")


@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Secured]:
    if h.external_bootstrap():
        pytest.skip("KAFKALITE_BOOTSTRAP is set: the ACL tests start their own broker")
    # The one-line form the README documents: users, and ACLs on with a super user.
    server = KafkaliteServer(
        {
            "sasl.enabled.mechanisms": "PLAIN,SCRAM-SHA-256",
            "offsets.topic.num.partitions": 1,
            "group.initial.rebalance.delay.ms": 0,
        },
        mode="process",
        data_dir=tmp_path_factory.mktemp("kafkalite-acls") / "data",
        users=dict([ADMIN, ALICE]),
        super_users=[ADMIN[0]],
    )
    server.start()
    secured = Secured(server)
    try:
        yield secured
    finally:
        secured.admins.clear()  # their threads stop before the broker does
        server.close()


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def eventually(attempt: Callable[[], T | None], what: str, timeout_s: float = 15) -> T:
    """Retry ``attempt`` (bounded in time) until it returns a value."""
    deadline = time.monotonic() + timeout_s
    while True:
        result = attempt()
        if result is not None:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)


# --------------------------------------------------------------------------- confluent-kafka


def ck_config(s: Secured, who: tuple[str, str], **extra: Any) -> dict[str, Any]:
    return {
        "bootstrap.servers": s.bootstrap,
        "security.protocol": "SASL_PLAINTEXT",
        "sasl.mechanism": "PLAIN",
        "sasl.username": who[0],
        "sasl.password": who[1],
        # librdkafka keeps a refused topic in error until its next metadata refresh.
        "topic.metadata.refresh.interval.ms": 500,
        **extra,
    }


def ck_admin(s: Secured, who: tuple[str, str] = ADMIN) -> Any:
    from confluent_kafka.admin import AdminClient

    if who[0] not in s.admins:
        s.admins[who[0]] = AdminClient(ck_config(s, who))
    return s.admins[who[0]]


def ck_create_topic(s: Secured, topic: str) -> None:
    from confluent_kafka.admin import NewTopic

    for future in ck_admin(s).create_topics([NewTopic(topic, 1, 1)]).values():
        future.result(15)


def ck_grant(s: Secured, resource: str, name: str, operation: str, *, prefixed: bool = False,
             principal: str = f"User:{ALICE[0]}") -> None:
    from confluent_kafka.admin import (
        AclBinding,
        AclOperation,
        AclPermissionType,
        ResourcePatternType,
        ResourceType,
    )

    binding = AclBinding(
        ResourceType[resource], name,
        ResourcePatternType.PREFIXED if prefixed else ResourcePatternType.LITERAL,
        principal, "*", AclOperation[operation], AclPermissionType.ALLOW,
    )
    for future in ck_admin(s).create_acls([binding]).values():
        future.result(15)


def ck_error(future: Any) -> str:
    from confluent_kafka import KafkaException

    with pytest.raises(KafkaException) as raised:
        future.result(15)
    return str(raised.value.args[0].name())


def test_confluent_produce_refused_then_allowed_without_reconnecting(secured: Secured) -> None:
    from confluent_kafka import KafkaException, Producer

    topic = unique("acl-produce")
    ck_create_topic(secured, topic)
    producer = Producer(ck_config(secured, ALICE, **{"message.timeout.ms": 10000}))
    reports: list[Any] = []
    producer.produce(topic, b"refused", on_delivery=lambda err, msg: reports.append(err))
    assert producer.flush(15) == 0
    assert [e.name() for e in reports] == ["TOPIC_AUTHORIZATION_FAILED"]

    ck_grant(secured, "TOPIC", topic, "WRITE")
    reports.clear()

    def produce() -> bool | None:
        try:
            producer.produce(topic, b"allowed", on_delivery=lambda err, msg: reports.append((err, msg.offset())))
        except KafkaException as exc:  # the topic is still in error until the refresh
            assert exc.args[0].name() == "TOPIC_AUTHORIZATION_FAILED"
            producer.poll(0.1)
            return None
        return True

    eventually(produce, "the producer to accept the record")
    assert producer.flush(15) == 0
    assert reports == [(None, 0)]


def test_confluent_group_consume_refused_then_allowed(secured: Secured) -> None:
    from confluent_kafka import Consumer, Producer

    topic, group = unique("acl-consume"), unique("acl-group")
    ck_create_topic(secured, topic)
    admin_producer = Producer(ck_config(secured, ADMIN))  # super user: no ACL needed
    admin_producer.produce(topic, b"record")
    assert admin_producer.flush(15) == 0
    consumer = Consumer(ck_config(secured, ALICE, **{
        "group.id": group, "auto.offset.reset": "earliest", "enable.auto.commit": False,
    }))
    try:
        consumer.subscribe([topic])

        def refused() -> str | None:
            message = consumer.poll(0.5)
            return None if message is None or message.error() is None else message.error().name()

        assert eventually(refused, "the group refusal") == "GROUP_AUTHORIZATION_FAILED"
        ck_grant(secured, "GROUP", group, "READ")
        ck_grant(secured, "TOPIC", topic, "READ")

        def consumed() -> bytes | None:
            message = consumer.poll(0.5)
            if message is None or message.error() is not None:
                return None
            return bytes(message.value())

        assert eventually(consumed, "the record", timeout_s=30) == b"record"
        consumer.commit(asynchronous=False)
    finally:
        consumer.close()


def test_confluent_admin_calls_refused_then_allowed(secured: Secured) -> None:
    from confluent_kafka.admin import (
        AclBinding,
        AclOperation,
        AclPermissionType,
        ConfigResource,
        NewTopic,
        ResourcePatternType,
        ResourceType,
    )

    alice = ck_admin(secured, ALICE)
    topic = unique("acl-admin")
    (created,) = alice.create_topics([NewTopic(topic, 1, 1)]).values()
    assert ck_error(created) == "TOPIC_AUTHORIZATION_FAILED"
    (described,) = alice.describe_configs([ConfigResource("TOPIC", topic)]).values()
    assert ck_error(described) == "TOPIC_AUTHORIZATION_FAILED"
    binding = AclBinding(ResourceType.TOPIC, topic, ResourcePatternType.LITERAL,
                         f"User:{ALICE[0]}", "*", AclOperation.ALL, AclPermissionType.ALLOW)
    (granted,) = alice.create_acls([binding]).values()
    assert ck_error(granted) == "CLUSTER_AUTHORIZATION_FAILED"

    ck_grant(secured, "TOPIC", "acl-admin-", "CREATE", prefixed=True)
    ck_grant(secured, "TOPIC", "acl-admin-", "DESCRIBE_CONFIGS", prefixed=True)
    (created,) = alice.create_topics([NewTopic(topic, 2, 1)]).values()
    created.result(15)
    (described,) = alice.describe_configs([ConfigResource("TOPIC", topic)]).values()
    assert described.result(15)["cleanup.policy"].value == "delete"
    # Metadata: alice sees the topics she may describe (DESCRIBE_CONFIGS does not imply
    # DESCRIBE), the super user every one.
    hidden = unique("acl-hidden")
    ck_create_topic(secured, hidden)
    ck_grant(secured, "TOPIC", topic, "DESCRIBE")
    visible = set(alice.list_topics(timeout=15).topics)
    assert topic in visible and hidden not in visible
    assert {topic, hidden} <= set(ck_admin(secured).list_topics(timeout=15).topics)


def test_confluent_authorized_operations(secured: Secured) -> None:
    from confluent_kafka import TopicCollection
    from confluent_kafka.admin import AclOperation

    alice = ck_admin(secured, ALICE)
    described = alice.describe_cluster(include_authorized_operations=True).result(15)
    assert not described.authorized_operations  # no bit set: librdkafka says None
    topic = unique("acl-ops")
    ck_create_topic(secured, topic)
    ck_grant(secured, "TOPIC", topic, "READ")
    (topic_future,) = alice.describe_topics(
        TopicCollection([topic]), include_authorized_operations=True
    ).values()
    assert set(topic_future.result(15).authorized_operations) == {
        AclOperation.READ, AclOperation.DESCRIBE,
    }
    everything = ck_admin(secured).describe_cluster(include_authorized_operations=True).result(15)
    assert AclOperation.ALTER in everything.authorized_operations


def test_confluent_super_user_needs_no_acl(secured: Secured) -> None:
    from confluent_kafka import Consumer, Producer

    topic = unique("acl-super")
    producer = Producer(ck_config(secured, ADMIN))
    producer.produce(topic, b"by-admin")  # auto-created: the super user may CREATE
    assert producer.flush(15) == 0
    consumer = Consumer(ck_config(secured, ADMIN, **{
        "group.id": unique("super-group"), "auto.offset.reset": "earliest",
    }))
    try:
        consumer.subscribe([topic])

        def consumed() -> bytes | None:
            message = consumer.poll(0.5)
            return None if message is None or message.error() else bytes(message.value())

        assert eventually(consumed, "the record", timeout_s=30) == b"by-admin"
    finally:
        consumer.close()


def scram_login_works(s: Secured, user: str, password: str, timeout_s: float = 10) -> bool:
    """A fresh SCRAM-SHA-256 client authenticates (its Metadata call needs no ACL)."""
    from confluent_kafka import KafkaException
    from confluent_kafka.admin import AdminClient

    client = AdminClient(ck_config(s, (user, password), **{"sasl.mechanism": "SCRAM-SHA-256"}))
    try:
        client.list_topics(timeout=timeout_s)
    except KafkaException:
        return False
    return True


def test_confluent_scram_users_managed_through_the_api(secured: Secured) -> None:
    from confluent_kafka.admin import (
        ScramCredentialInfo,
        ScramMechanism,
        UserScramCredentialDeletion,
        UserScramCredentialUpsertion,
    )

    admin = ck_admin(secured)
    upsert = UserScramCredentialUpsertion(
        "carol", ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192), b"carol-secret"
    )
    (altered,) = admin.alter_user_scram_credentials([upsert]).values()
    altered.result(15)
    assert scram_login_works(secured, "carol", "carol-secret")  # at once
    assert not scram_login_works(secured, "carol", "wrong", timeout_s=2)
    (described,) = admin.describe_user_scram_credentials(["carol"]).values()
    infos = described.result(15).scram_credential_infos
    assert [(i.mechanism, i.iterations) for i in infos] == [(ScramMechanism.SCRAM_SHA_256, 8192)]
    (refused,) = ck_admin(secured, ALICE).alter_user_scram_credentials(
        [UserScramCredentialDeletion("carol", ScramMechanism.SCRAM_SHA_256)]
    ).values()
    assert ck_error(refused) == "CLUSTER_AUTHORIZATION_FAILED"


def test_confluent_acls_and_scram_users_survive_a_restart(secured: Secured) -> None:
    from confluent_kafka import Producer
    from confluent_kafka.admin import (
        AclBindingFilter,
        AclOperation,
        AclPermissionType,
        ResourcePatternType,
        ResourceType,
        ScramCredentialInfo,
        ScramMechanism,
        UserScramCredentialUpsertion,
    )

    topic = unique("acl-restart")
    ck_create_topic(secured, topic)
    ck_grant(secured, "TOPIC", topic, "WRITE")
    upsert = UserScramCredentialUpsertion(
        "dave", ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), b"dave-secret"
    )
    for future in ck_admin(secured).alter_user_scram_credentials([upsert]).values():
        future.result(15)
    secured.server.restart()
    assert scram_login_works(secured, "dave", "dave-secret")
    acl_filter = AclBindingFilter(ResourceType.TOPIC, topic, ResourcePatternType.LITERAL, None,
                                  None, AclOperation.ANY, AclPermissionType.ANY)
    kept = ck_admin(secured).describe_acls(acl_filter).result(15)
    assert [(b.principal, b.operation) for b in kept] == [(f"User:{ALICE[0]}", AclOperation.WRITE)]
    producer = Producer(ck_config(secured, ALICE))
    reports: list[Any] = []
    producer.produce(topic, b"after-restart", on_delivery=lambda err, msg: reports.append(err))
    assert producer.flush(15) == 0
    assert reports == [None]


# --------------------------------------------------------------------------- other clients


def test_kafka_python_producer_refused_then_allowed(secured: Secured) -> None:
    from kafka import KafkaProducer
    from kafka.errors import TopicAuthorizationFailedError

    topic = unique("acl-kp")
    ck_create_topic(secured, topic)
    producer = KafkaProducer(
        bootstrap_servers=secured.bootstrap, security_protocol="SASL_PLAINTEXT",
        sasl_mechanism="PLAIN", sasl_plain_username=ALICE[0], sasl_plain_password=ALICE[1],
        max_block_ms=5000, metadata_max_age_ms=500,
    )
    try:
        with pytest.raises(TopicAuthorizationFailedError):
            producer.send(topic, b"refused").get(15)
        ck_grant(secured, "TOPIC", topic, "WRITE")

        def send() -> int | None:
            try:
                return int(producer.send(topic, b"allowed").get(15).offset)
            except TopicAuthorizationFailedError:
                return None

        assert eventually(send, "kafka-python's send") == 0
    finally:
        producer.close(timeout=5)


def test_aiokafka_producer_refused_then_allowed(secured: Secured) -> None:
    from aiokafka import AIOKafkaProducer
    from aiokafka.errors import TopicAuthorizationFailedError

    topic = unique("acl-aio")
    ck_create_topic(secured, topic)

    async def scenario() -> int:
        producer = AIOKafkaProducer(
            bootstrap_servers=secured.bootstrap, security_protocol="SASL_PLAINTEXT",
            sasl_mechanism="PLAIN", sasl_plain_username=ALICE[0], sasl_plain_password=ALICE[1],
            request_timeout_ms=5000, metadata_max_age_ms=500,
        )
        await producer.start()
        try:
            with pytest.raises(TopicAuthorizationFailedError):
                await producer.send_and_wait(topic, b"refused")
            await asyncio.to_thread(ck_grant, secured, "TOPIC", topic, "WRITE")
            deadline = time.monotonic() + 15
            while True:
                try:
                    return (await producer.send_and_wait(topic, b"allowed")).offset
                except TopicAuthorizationFailedError:
                    if time.monotonic() > deadline:
                        raise
                    await asyncio.sleep(0.2)
        finally:
            await producer.stop()

    assert asyncio.run(scenario()) == 0


def test_kafkajs_producer_refused_then_allowed(secured: Secured) -> None:
    if NODE is None or not (JS_DIR / "node_modules" / "kafkajs").is_dir():
        pytest.skip("KafkaJS needs node and `npm ci --prefix tests/compat/js`")
    topic = unique("acl-js")
    ck_create_topic(secured, topic)
    config = {
        "bootstrap": secured.bootstrap, "topic": topic, "timeoutMs": 30000,
        "user": {"username": ALICE[0], "password": ALICE[1]},
        "admin": {"username": ADMIN[0], "password": ADMIN[1]},
    }
    proc = subprocess.run(
        [NODE, str(JS_DIR / "acls.js")], input=json.dumps(config).encode(), cwd=str(JS_DIR),
        capture_output=True, timeout=60,
    )
    events = [json.loads(line) for line in proc.stdout.decode().splitlines() if line.strip()]
    assert proc.returncode == 0, (events, proc.stderr.decode()[-2000:])
    (refused,) = [e for e in events if e["type"] == "refused"]
    # KafkaJS reports a Metadata answer of TOPIC_AUTHORIZATION_FAILED in its own words.
    assert refused["error"]["name"] == "KafkaJSNonRetriableError", refused
    assert refused["error"]["message"] == (
        "Not authorized to access topics: [Topic authorization failed]"
    ), refused
    (produced,) = [e for e in events if e["type"] == "produced"]
    assert produced["baseOffset"] == "0"


# --------------------------------------------------------------------------- client quotas


def kp_admin(s: Secured) -> Any:
    from kafka import KafkaAdminClient

    return KafkaAdminClient(
        bootstrap_servers=s.bootstrap, security_protocol="SASL_PLAINTEXT", sasl_mechanism="PLAIN",
        sasl_plain_username=ADMIN[0], sasl_plain_password=ADMIN[1],
    )


def test_client_quotas_set_described_and_enforced(secured: Secured) -> None:
    """kafka-python sends AlterClientQuotas/DescribeClientQuotas (its admin client has the
    messages but no method); confluent-kafka's producer then reports the throttle time."""
    from confluent_kafka import Producer
    from kafka.protocol.admin.client_quotas import (
        AlterClientQuotasRequest,
        DescribeClientQuotasRequest,
    )

    admin = kp_admin(secured)
    client_id = unique("throttled")
    A = AlterClientQuotasRequest
    try:
        altered = admin._manager.run(admin._manager.send, A(entries=[
            A.EntryData(
                entity=[A.EntryData.EntityData(entity_type="user", entity_name=ALICE[0]),
                        A.EntryData.EntityData(entity_type="client-id", entity_name=client_id)],
                ops=[A.EntryData.OpData(key="producer_byte_rate", value=1024.0, remove=False)],
            ),
            A.EntryData(
                entity=[A.EntryData.EntityData(entity_type="user", entity_name=None)],
                ops=[A.EntryData.OpData(key="producer_byte_rate", value=1.5, remove=False)],
            ),
        ], validate_only=False))
        assert [(e.error_code, e.error_message) for e in altered.entries] == [
            (0, None), (42, "Configuration producer_byte_rate must be a Long value")]
        D = DescribeClientQuotasRequest
        described = admin._manager.run(admin._manager.send, D(components=[
            D.ComponentData(entity_type="client-id", match_type=0, match=client_id),
        ], strict=False))
        assert described.error_code == 0
        assert [
            (sorted((e.entity_type, e.entity_name) for e in entry.entity),
             [(v.key, v.value) for v in entry.values])
            for entry in described.entries
        ] == [([("client-id", client_id), ("user", ALICE[0])], [("producer_byte_rate", 1024.0)])]
    finally:
        admin.close()

    topic = unique("acl-quota")
    ck_create_topic(secured, topic)
    ck_grant(secured, "TOPIC", topic, "WRITE")
    throttles: list[int] = []
    producer = Producer(ck_config(secured, ALICE, **{
        "client.id": client_id, "linger.ms": 0,
        "throttle_cb": lambda event: throttles.append(int(event.throttle_time * 1000)),
    }))
    # 1024 B/s over the 10 s minimum window: 12 KiB in one go is 20% over, about 2 s.
    producer.produce(topic, b"x" * (12 * 1024))
    assert producer.flush(15) == 0
    producer.poll(0)
    assert throttles and 1000 <= max(throttles) <= 2500, throttles


def test_kcat_over_sasl_refused_then_allowed(secured: Secured) -> None:
    """kcat (librdkafka's command-line client) as alice over SASL/SCRAM: its produce is
    refused with the broker's authorization error, then goes through once granted."""
    kcat = h.kcat_command()
    if kcat is None:
        pytest.skip("kcat is not on PATH (apt-get install kcat) and KAFKALITE_KCAT is not set")
    topic = unique("acl-kcat")
    ck_create_topic(secured, topic)
    auth = [
        "-b", secured.bootstrap, "-X", "security.protocol=SASL_PLAINTEXT",
        "-X", "sasl.mechanism=SCRAM-SHA-256",
        "-X", f"sasl.username={ALICE[0]}", "-X", f"sasl.password={ALICE[1]}",
    ]

    def produce() -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [*kcat, *auth, "-P", "-t", topic, "-p", "0"], input=b"by-kcat\n",
            capture_output=True, timeout=60, check=False,
        )

    refused = produce()
    assert refused.returncode != 0
    assert b"Topic authorization failed" in refused.stderr, refused.stderr[-2000:]
    ck_grant(secured, "TOPIC", topic, "WRITE")
    ck_grant(secured, "TOPIC", topic, "READ")
    allowed = produce()
    assert allowed.returncode == 0, allowed.stderr[-2000:]
    consumed = subprocess.run(
        [*kcat, *auth, "-C", "-t", topic, "-p", "0", "-o", "beginning", "-e"],
        capture_output=True, timeout=60, check=False,
    )
    assert consumed.stdout == b"by-kcat\n", consumed.stderr[-2000:]


# --------------------------------------------------------------------------- re-authentication


def test_confluent_re_authenticates_within_connections_max_reauth_ms(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """librdkafka reads the session lifetime from SaslAuthenticate and re-authenticates
    before it ends (KIP-368), so a producer keeps its connection across several lifetimes;
    the broker closes no connection for an expired session."""
    from confluent_kafka import Producer

    if h.external_bootstrap():
        pytest.skip("KAFKALITE_BOOTSTRAP is set: this test starts its own broker")
    with KafkaliteServer(
        {"connections.max.reauth.ms": 1500, "sasl.enabled.mechanisms": "SCRAM-SHA-256"},
        mode="process", data_dir=tmp_path_factory.mktemp("kafkalite-reauth") / "data",
        users=dict([ALICE]),
    ) as server:
        producer = Producer({
            "bootstrap.servers": server.bootstrap_servers_for("SASL_PLAINTEXT"),
            "security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "SCRAM-SHA-256",
            "sasl.username": ALICE[0], "sasl.password": ALICE[1], "linger.ms": 0,
        })
        reports: list[Any] = []
        deadline = time.monotonic() + 4.5  # three session lifetimes
        sent = 0
        while time.monotonic() < deadline:
            producer.produce("reauth", b"%d" % sent, on_delivery=lambda err, msg: reports.append(err))
            sent += 1
            producer.flush(10)
            time.sleep(0.25)
        assert producer.flush(10) == 0
        assert reports == [None] * sent
        assert server.log_path is not None
        log_text = server.log_path.read_text()
        assert "its SASL session expired" not in log_text
