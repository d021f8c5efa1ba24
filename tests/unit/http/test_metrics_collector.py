"""The counters of ``kafkalite.stats`` and the Prometheus text ``/metrics`` makes of them:
Kafka's JMX-exporter names, labels, values and histogram buckets."""

from __future__ import annotations

import struct
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from kafkalite.http.metrics import FAMILIES, PartitionRow, Snapshot, render
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.produce import (
    ProducePartitionData,
    ProducePartitionResponse,
    ProduceRequest,
    ProduceResponse,
    ProduceTopicData,
    ProduceTopicResponse,
)
from kafkalite.stats import BrokerStats, Histogram, count_errors, kafka_request_name
from kafkalite.testing import KafkaliteServer


def _batch(records: int, size: int = 100) -> bytes:
    """Bytes shaped like a RecordBatch v2 header with ``records`` as its record count."""
    data = bytearray(size)
    struct.pack_into(">i", data, 57, records)
    return bytes(data)


def _produce(parts: dict[tuple[str, int], bytes]) -> ProduceRequest:
    topics: dict[str, list[ProducePartitionData]] = {}
    for (topic, index), records in parts.items():
        topics.setdefault(topic, []).append(ProducePartitionData(index=index, records=records))
    return ProduceRequest(
        acks=-1,
        timeout_ms=1000,
        topic_data=[ProduceTopicData(name=t, partition_data=p) for t, p in topics.items()],
    )


def _produce_response(errors: dict[tuple[str, int], int]) -> ProduceResponse:
    topics: dict[str, list[ProducePartitionResponse]] = {}
    for (topic, index), code in errors.items():
        topics.setdefault(topic, []).append(ProducePartitionResponse(index=index, error_code=code))
    return ProduceResponse(
        responses=[ProduceTopicResponse(name=t, partition_responses=p) for t, p in topics.items()]
    )


def _samples(text: bytes) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text.decode())
        for sample in family.samples
    }


def test_histogram_buckets_by_upper_bound() -> None:
    hist = Histogram((1.0, 10.0))
    for value in (0.5, 1.0, 1.5, 10.0, 11.0):
        hist.observe(value)
    assert hist.counts == [2, 2, 1]  # (-inf, 1], (1, 10], (10, +inf)
    assert hist.count == 5
    assert hist.sum == pytest.approx(24.0)


def test_request_names_are_kafkas() -> None:
    assert kafka_request_name(ApiKey.PRODUCE) == "Produce"
    assert kafka_request_name(ApiKey.LIST_OFFSETS) == "ListOffsets"
    assert kafka_request_name(ApiKey.INIT_PRODUCER_ID) == "InitProducerId"


def test_count_errors_walks_nested_responses() -> None:
    response = _produce_response({("a", 0): 0, ("a", 1): 6, ("b", 0): 6})
    counts: dict[int, int] = {}
    count_errors(response, counts)
    assert counts == {0: 1, 6: 2}


def test_produce_counts_messages_and_bytes_of_appended_partitions_only() -> None:
    stats = BrokerStats()
    request = _produce({("a", 0): _batch(3, 120), ("a", 1): _batch(7, 200), ("b", 0): _batch(2)})
    response = _produce_response({("a", 0): 0, ("a", 1): 0, ("b", 0): 3})
    stats.record_request(ApiKey.PRODUCE, 9, 2.0, 0.1, request, response)
    a, b = stats.topics["a"], stats.topics["b"]
    assert (a.messages_in, a.bytes_in, a.produce_requests, a.failed_produce_requests) == (
        10, 320, 1, 0,
    )
    assert (b.messages_in, b.bytes_in, b.produce_requests, b.failed_produce_requests) == (
        0, 0, 1, 1,
    )
    assert stats.requests[ApiKey.PRODUCE].errors == {0: 2, 3: 1}


def test_acks_zero_produce_counts_its_records() -> None:
    stats = BrokerStats()
    stats.record_request(ApiKey.PRODUCE, 9, 1.0, 0.0, _produce({("a", 0): _batch(4)}), None)
    assert stats.topics["a"].messages_in == 4
    assert stats.requests[ApiKey.PRODUCE].errors == {}


def test_rendered_text_uses_kafka_exporter_names_and_values() -> None:
    stats = BrokerStats()
    request = _produce({("orders", 0): _batch(5, 150)})
    stats.record_request(ApiKey.PRODUCE, 9, 3.0, 0.2, request, _produce_response({("orders", 0): 0}))
    stats.record_request(ApiKey.PRODUCE, 9, 30.0, 0.2, request, _produce_response({("orders", 0): 6}))
    stats.connection_opened("PLAINTEXT")
    stats.connection_opened("PLAINTEXT")
    stats.connection_closed("PLAINTEXT")
    snap = Snapshot(
        requests=stats.requests,
        topics=stats.topics,
        connections=stats.connections,
        connections_created=stats.connections_created,
        connections_closed=stats.connections_closed,
        partitions=[PartitionRow("orders", 0, 150, 0, 5, 5, 1, True, False, False)],
        lag=[("readers", "orders", 0, 2, 3)],
        online_nodes=1,
    )
    samples = _samples(render(snap))
    topic = (("topic", "orders"),)
    assert samples[("kafka_server_brokertopicmetrics_messagesin_total", topic)] == 5
    assert samples[("kafka_server_brokertopicmetrics_bytesin_total", topic)] == 150
    assert samples[("kafka_server_brokertopicmetrics_failedproducerequests_total", topic)] == 1
    produce_v9 = (("request", "Produce"), ("version", "9"))
    assert samples[("kafka_network_requestmetrics_requests_total", produce_v9)] == 2
    produce = (("request", "Produce"),)
    assert samples[("kafka_network_requestmetrics_totaltimems_count", produce)] == 2
    assert samples[("kafka_network_requestmetrics_totaltimems_sum", produce)] == pytest.approx(33)
    le_5 = (("le", "5.0"), ("request", "Produce"))
    le_50 = (("le", "50.0"), ("request", "Produce"))
    assert samples[("kafka_network_requestmetrics_totaltimems_bucket", le_5)] == 1
    assert samples[("kafka_network_requestmetrics_totaltimems_bucket", le_50)] == 2
    error = (("error", "NOT_LEADER_OR_FOLLOWER"), ("request", "Produce"))
    assert samples[("kafka_network_requestmetrics_errors_total", error)] == 1
    part = (("partition", "0"), ("topic", "orders"))
    assert samples[("kafka_log_log_size", part)] == 150
    assert samples[("kafka_log_log_logendoffset", part)] == 5
    lag = (("consumergroup", "readers"), ("partition", "0"), ("topic", "orders"))
    assert samples[("kafka_consumergroup_lag", lag)] == 3
    assert samples[("kafka_consumergroup_current_offset", lag)] == 2
    listener = (("listener", "PLAINTEXT"),)
    assert samples[("kafka_server_socket_server_metrics_connection_count", listener)] == 1
    assert samples[("kafka_server_socket_server_metrics_connection_creation_total", listener)] == 2
    assert samples[("kafka_server_replicamanager_partitioncount", ())] == 1


def test_every_family_is_rendered_even_when_empty() -> None:
    text = render(Snapshot()).decode()
    for name, (kind, _) in FAMILIES.items():
        assert f"# TYPE {name} {kind}\n" in text, name


def test_a_test_broker_serves_metrics_with_http_true() -> None:
    with KafkaliteServer(http=True) as server:
        assert server.http_url is not None and server.http_url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(server.http_url + "/metrics", timeout=30) as answer:
            assert answer.status == 200
            text = answer.read()
    samples = _samples(text)
    assert samples[("kafka_server_replicamanager_partitioncount", ())] == 0
    assert samples[("kafka_server_kafkaserver_brokerstate", ())] == 3
    with KafkaliteServer() as quiet:
        assert quiet.http_url is None
