"""ApiVersions pinned: the table kafkalite serves (Kafka 4.2's ranges or below), and the table
``kafkalite.emulate.version`` advertises for each release from 2.8 to 4.2."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from kafkalite.config import BrokerConfig, ConfigError
from kafkalite.handlers import SERVED, advertised
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.api_versions import ApiVersionsRequest
from kafkalite.protocol.messages.describe_cluster import DescribeClusterRequest
from kafkalite.protocol.releases import RELEASES
from tests.unit.handlers.admin_wire import running_broker
from tests.unit.server.kafka_wire import call, read_response, request_frame

# KRaft-only and telemetry APIs a ZooKeeper-mode broker did not advertise, added to kafka-python's
# recorded tables with the release that introduced them (see kafkalite.protocol.releases).
KRAFT_AND_TELEMETRY = {55: "3.3", 71: "3.7", 72: "3.7", 74: "3.7", 75: "3.8", 80: "3.9", 81: "3.9"}
INTER_BROKER = {4, 5, 6, 7, 52, 53, 54, 56, 58, 59, 62, 63, 67, 70, 73}

# What kafkalite serves with no emulation.
SERVED_TABLE = {
    0: (0, 11), 1: (4, 12), 2: (1, 8), 3: (0, 12), 8: (2, 9), 9: (1, 9), 10: (0, 4),
    11: (0, 9), 12: (0, 4), 13: (0, 5), 14: (0, 5), 15: (0, 6), 16: (0, 5), 17: (0, 1), 18: (0, 4),
    19: (0, 7), 20: (0, 6), 21: (0, 2), 22: (0, 5), 23: (2, 4), 24: (0, 5), 25: (0, 4),
    26: (0, 5), 28: (0, 5), 29: (1, 3), 30: (1, 3), 31: (1, 3), 32: (0, 4), 33: (0, 2),
    34: (1, 2), 35: (0, 4), 36: (0, 2), 37: (0, 3),
    42: (0, 2), 43: (0, 2), 44: (0, 1), 45: (0, 1), 46: (0, 0), 47: (0, 0), 48: (0, 1),
    49: (0, 1), 50: (0, 0), 51: (0, 0), 55: (0, 2),
    57: (0, 2), 60: (0, 2), 61: (0, 0), 65: (0, 0), 66: (0, 2), 71: (0, 0), 72: (0, 0),
    74: (0, 1), 75: (0, 0),
}


def api_versions(address: tuple[str, int]) -> dict[int, tuple[int, int]]:
    answer = call(address, ApiKey.API_VERSIONS, 3, ApiVersionsRequest())
    assert answer.error_code == 0
    return {k.api_key: (k.min_version, k.max_version) for k in answer.api_keys}


def test_served_table_is_pinned_and_inside_kafka_4_2() -> None:
    assert {int(k): v for k, v in SERVED.items()} == SERVED_TABLE
    # Maxima at or below Kafka 4.2's; minima may be lower: versions KIP-896 removed are kept
    # for older clients (aiokafka, KafkaJS) unless a release is emulated.
    kafka_4_2 = RELEASES["4.2"]
    for key, (low, high) in SERVED_TABLE.items():
        assert low <= high <= kafka_4_2[key][1], ApiKey(key).name
    assert advertised("4.2") == {
        key: (max(low, kafka_4_2[key][0]), high) for key, (low, high) in SERVED.items()
    }


def test_release_table_agrees_with_kafka_pythons_recorded_brokers() -> None:
    data = pytest.importorskip("kafka.protocol.broker_version_data")
    for release, ranges in RELEASES.items():
        recorded = {
            key: span
            for key, span in data.BROKER_API_VERSIONS[tuple(int(p) for p in release.split("."))].items()
            if key not in INTER_BROKER
        }
        if release < "4.0":  # ZooKeeper-mode recordings lack the KRaft-only APIs
            ours = {k: v for k, v in ranges.items() if k not in KRAFT_AND_TELEMETRY}
        else:  # KRaft recordings lack only telemetry (advertised with a metrics plugin)
            ours = {k: v for k, v in ranges.items() if k not in (71, 72)}
        assert ours == recorded, release
        for key, since in KRAFT_AND_TELEMETRY.items():
            assert (key in ranges) == (float(release) >= float(since)), (release, key)


@pytest.mark.parametrize("release", list(RELEASES))
def test_emulated_release_advertises_its_ranges(tmp_path: Path, release: str) -> None:
    theirs = RELEASES[release]
    expected = {}
    for key, (low, high) in SERVED_TABLE.items():
        if key in theirs:
            low, high = max(low, theirs[key][0]), min(high, theirs[key][1])
            if low <= high:
                expected[key] = (low, high)
    with running_broker(tmp_path / "data", **{"kafkalite.emulate.version": release}) as broker:
        assert api_versions(broker.address) == expected
        answer = call(broker.address, ApiKey.API_VERSIONS, 3, ApiVersionsRequest())
        features = {f.name: (f.min_version, f.max_version) for f in answer.supported_features}
        finalized = {f.name: f.max_version_level for f in answer.finalized_features}
        if release < "3.3":
            assert "metadata.version" not in features and finalized == {}
        else:
            assert finalized["metadata.version"] == features["metadata.version"][1]
        assert ("transaction.version" in features) == release.startswith("4.")


def test_pinned_examples() -> None:
    assert advertised("2.8")[ApiKey.FETCH] == (4, 12)
    assert ApiKey.DESCRIBE_TOPIC_PARTITIONS not in advertised("3.7")
    assert advertised("3.9")[ApiKey.UPDATE_FEATURES] == (0, 1)
    assert advertised("4.0")[ApiKey.ALTER_PARTITION_REASSIGNMENTS] == (0, 0)
    assert advertised("4.1")[ApiKey.LIST_TRANSACTIONS] == (0, 2)
    assert advertised("4.0")[ApiKey.CREATE_TOPICS] == (2, 7)  # KIP-896


def test_a_version_above_the_emulated_release_is_unsupported(tmp_path: Path) -> None:
    with running_broker(tmp_path / "data", **{"kafkalite.emulate.version": "3.6"}) as broker:
        assert api_versions(broker.address)[ApiKey.DESCRIBE_CLUSTER] == (0, 0)
        with socket.create_connection(broker.address, timeout=10) as sock:
            sock.sendall(request_frame(ApiKey.DESCRIBE_CLUSTER, 1, DescribeClusterRequest()))
            try:
                _, answer = read_response(sock, ApiKey.DESCRIBE_CLUSTER, 1)
            except ConnectionError:
                return  # closed, as Kafka does for a version it cannot parse
            assert answer.error_code != 0


def test_unknown_release_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        BrokerConfig().with_properties({"kafkalite.emulate.version": "2.7"})
    assert BrokerConfig().with_properties({"kafkalite.emulate.version": "3.9.1"}).emulate_version == "3.9"
