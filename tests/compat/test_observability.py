"""Seeing inside a broker process: ``/metrics`` after real clients produced and consumed,
``kafkalite groups`` against a real consumer group, and the broker's log lines.

One broker process for the module, with its HTTP server (``KafkaliteServer(http=True)``),
every request logged as slow (``kafkalite.slow.request.ms=0``) and DEBUG logging, so the
log lines can be asserted from its log file. confluent-kafka is the client throughout.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator

import compat_helpers as h
import confluent_kafka as ck
import pytest
from prometheus_client.parser import text_string_to_metric_families

from kafkalite.testing import KafkaliteServer

pytestmark = pytest.mark.compat

RUN_TIMEOUT_S = 60
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@pytest.fixture(scope="module")
def server() -> Iterator[KafkaliteServer]:
    if h.external_bootstrap():
        pytest.skip("needs its own broker process (HTTP server, log file)")
    previous = os.environ.get("KAFKALITE_LOG_LEVEL")
    os.environ["KAFKALITE_LOG_LEVEL"] = "DEBUG"  # the child process reads it at start
    try:
        broker = KafkaliteServer(
            {
                "num.partitions": 2,
                "offsets.topic.num.partitions": 1,
                "kafkalite.slow.request.ms": 0,
            },
            mode="process",
            http=True,
        ).start()
    finally:
        if previous is None:
            os.environ.pop("KAFKALITE_LOG_LEVEL", None)
        else:
            os.environ["KAFKALITE_LOG_LEVEL"] = previous
    try:
        yield broker
    finally:
        broker.close()


def scrape(server: KafkaliteServer) -> Samples:
    assert server.http_url is not None
    with urllib.request.urlopen(server.http_url + "/metrics", timeout=30) as answer:
        assert answer.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text = answer.read().decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def produce(server: KafkaliteServer, topic: str, per_partition: dict[int, int]) -> None:
    producer = ck.Producer({"bootstrap.servers": server.bootstrap_servers, "linger.ms": 0})
    for partition, count in per_partition.items():
        for i in range(count):
            producer.produce(topic, key=f"k{i}".encode(), value=b"v" * (10 + i), partition=partition)
    assert producer.flush(30) == 0


def consumer(server: KafkaliteServer, group: str, client_id: str) -> ck.Consumer:
    return ck.Consumer({
        "bootstrap.servers": server.bootstrap_servers, "group.id": group, "client.id": client_id,
        "enable.auto.commit": False, "auto.offset.reset": "earliest",
    })  # fmt: skip


def read(reader: ck.Consumer, count: int) -> list[ck.Message]:
    got: list[ck.Message] = []
    for _ in h.deadline_loop(30):
        msg = reader.poll(0.5)
        if msg is None:
            continue
        assert msg.error() is None, msg.error()
        got.append(msg)
        if len(got) >= count:
            break
    assert len(got) == count, f"read {len(got)} of {count} records"
    return got


def kafkalite(server: KafkaliteServer, *argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    command, action, *rest = argv
    proc = subprocess.run(
        [sys.executable, "-m", "kafkalite", command, action, "--bootstrap-server",
         server.bootstrap_servers, *rest],
        capture_output=True, text=True, timeout=RUN_TIMEOUT_S, env=h.broker_env(), check=False,
    )  # fmt: skip
    if check:
        assert proc.returncode == 0, f"kafkalite {' '.join(argv)}: {proc.stderr}"
    return proc


def table(text: str) -> list[dict[str, str]]:
    """Rows of a kafka-consumer-groups.sh table, by column name."""
    lines = [line for line in text.splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line.startswith("GROUP "))
    header = lines[start].split()
    return [dict(zip(header, line.split(), strict=True)) for line in lines[start + 1 :]]


def test_metrics_count_what_clients_produced_and_consumed(server: KafkaliteServer) -> None:
    topic, group = h.unique_topic("metrics"), f"metrics-{uuid.uuid4().hex[:6]}"
    produce(server, topic, {0: 12, 1: 8})
    reader = consumer(server, group, "metrics-reader")
    try:
        reader.subscribe([topic])
        read(reader, 20)
        reader.commit(
            offsets=[ck.TopicPartition(topic, 0, 5), ck.TopicPartition(topic, 1, 8)],
            asynchronous=False,
        )
    finally:
        reader.close()
    samples = scrape(server)
    by_topic = (("topic", topic),)
    assert samples[("kafka_server_brokertopicmetrics_messagesin_total", by_topic)] == 20
    sizes = [samples[("kafka_log_log_size", (("partition", str(p)), ("topic", topic)))] for p in (0, 1)]
    assert all(size > 0 for size in sizes)
    # every byte producers sent was appended, so the log holds exactly what came in
    assert samples[("kafka_server_brokertopicmetrics_bytesin_total", by_topic)] == sum(sizes)
    assert samples[("kafka_server_brokertopicmetrics_bytesout_total", by_topic)] >= sum(sizes)
    assert samples[("kafka_server_brokertopicmetrics_totalproducerequests_total", by_topic)] >= 1
    assert samples[("kafka_server_brokertopicmetrics_failedproducerequests_total", by_topic)] == 0
    for partition, end in ((0, 12), (1, 8)):
        labels = (("partition", str(partition)), ("topic", topic))
        assert samples[("kafka_log_log_logendoffset", labels)] == end
        assert samples[("kafka_log_log_logstartoffset", labels)] == 0
    for partition, committed, lag in ((0, 5, 7), (1, 8, 0)):
        labels = (("consumergroup", group), ("partition", str(partition)), ("topic", topic))
        assert samples[("kafka_consumergroup_current_offset", labels)] == committed
        assert samples[("kafka_consumergroup_lag", labels)] == lag
    requests = {
        dict(labels)["request"]: value
        for (name, labels), value in samples.items()
        if name == "kafka_network_requestmetrics_requests_total"
    }
    assert {"Produce", "Fetch", "FetchConsumer", "OffsetCommit", "JoinGroup"} <= set(requests)
    produce_ok = (("error", "NONE"), ("request", "Produce"))
    assert samples[("kafka_network_requestmetrics_errors_total", produce_ok)] >= 1
    fetch = (("request", "FetchConsumer"),)
    assert samples[("kafka_network_requestmetrics_totaltimems_count", fetch)] >= 1
    assert samples[("kafka_network_requestmetrics_requestqueuetimems_count", fetch)] >= 1
    listener = (("listener", "PLAINTEXT"),)
    assert samples[("kafka_server_socket_server_metrics_connection_creation_total", listener)] >= 2
    partitions = samples[("kafka_server_replicamanager_partitioncount", ())]
    assert partitions >= 3  # this topic's two and __consumer_offsets' one
    assert samples[("kafka_server_replicamanager_leadercount", ())] == partitions


def test_groups_cli_describes_resets_and_deletes_a_real_group(server: KafkaliteServer) -> None:
    topic, group = h.unique_topic("groups-cli"), f"cli-{uuid.uuid4().hex[:6]}"
    produce(server, topic, {0: 6, 1: 4})
    reader = consumer(server, group, "cli-reader")
    try:
        reader.subscribe([topic])
        read(reader, 10)
        reader.commit(
            offsets=[ck.TopicPartition(topic, 0, 2), ck.TopicPartition(topic, 1, 4)],
            asynchronous=False,
        )
        rows = table(kafkalite(server, "groups", "describe", group).stdout)
        assert [
            (r["TOPIC"], r["PARTITION"], r["CURRENT-OFFSET"], r["LOG-END-OFFSET"], r["LAG"])
            for r in rows
        ] == [(topic, "0", "2", "6", "4"), (topic, "1", "4", "4", "0")]
        member_id = reader.memberid()
        assert {(r["CONSUMER-ID"], r["HOST"], r["CLIENT-ID"]) for r in rows} == {
            (member_id, "/127.0.0.1", "cli-reader")
        }
        (state,) = table(kafkalite(server, "groups", "describe", group, "--state").stdout)
        assert (state["STATE"], state["#MEMBERS"]) == ("Stable", "1")
        refused = kafkalite(server, "groups", "reset-offsets", "--group", group, "--topic", topic,
                            "--to-earliest", "--execute", check=False)  # fmt: skip
        assert refused.returncode == 1 and "current state is Stable" in refused.stderr
    finally:
        reader.close()

    dry = kafkalite(server, "groups", "reset-offsets", "--group", group, "--topic", topic,
                    "--to-earliest", "--dry-run")  # fmt: skip
    assert [(r["PARTITION"], r["NEW-OFFSET"]) for r in table(dry.stdout)] == [("0", "0"), ("1", "0")]
    reset = kafkalite(server, "groups", "reset-offsets", "--group", group, "--topic", f"{topic}:0",
                      "--to-offset", "5", "--execute")  # fmt: skip
    assert [(r["TOPIC"], r["PARTITION"], r["NEW-OFFSET"]) for r in table(reset.stdout)] == [
        (topic, "0", "5")
    ]
    rows = table(kafkalite(server, "groups", "describe", group).stdout)
    assert [(r["PARTITION"], r["CURRENT-OFFSET"], r["LAG"], r["CONSUMER-ID"]) for r in rows] == [
        ("0", "5", "1", "-"), ("1", "4", "0", "-")
    ]

    again = consumer(server, group, "cli-reader-2")
    try:
        again.subscribe([topic])
        (first,) = read(again, 1)
        # the dry run moved nothing; the executed reset is where the group goes on
        assert (first.partition(), first.offset(), first.key()) == (0, 5, b"k5")
    finally:
        again.close()

    deleted = kafkalite(server, "groups", "delete", "--group", group)
    assert deleted.stdout == f"Deletion of requested consumer groups ('{group}') was successful.\n"
    assert group not in kafkalite(server, "groups", "list").stdout.splitlines()


def test_topics_describe_shows_offsets_and_size(server: KafkaliteServer) -> None:
    topic = h.unique_topic("describe-sizes")
    produce(server, topic, {0: 3, 1: 0})
    samples = scrape(server)
    size = int(samples[("kafka_log_log_size", (("partition", "0"), ("topic", topic)))])
    lines = kafkalite(server, "topics", "describe", "--topic", topic).stdout.splitlines()
    assert lines[1].endswith(f"\tLogStartOffset: 0\tHighWatermark: 3\tSize: {size}")
    assert lines[2].endswith("\tLogStartOffset: 0\tHighWatermark: 0\tSize: 0")


def test_broker_log_names_connections_and_slow_requests(server: KafkaliteServer) -> None:
    produce(server, h.unique_topic("logged"), {0: 1})
    kafkalite(server, "topics", "list")  # a client that connects, asks, and goes away
    closed = "closed on PLAINTEXT (node 1): client id 'kafkalite-cli', software kafkalite/"
    log = ""
    for _ in h.deadline_loop(20):  # the broker logs the close once it reads the EOF
        log = server.log_tail(100_000)
        if closed in log:
            break
        time.sleep(0.05)
    assert closed in log
    assert "opened on PLAINTEXT (node 1)" in log
    # librdkafka names itself in ApiVersions v3+ (KIP-511)
    assert "is client id 'rdkafka', software " in log
    assert "slow request: PRODUCE v" in log and "partitions=" in log
