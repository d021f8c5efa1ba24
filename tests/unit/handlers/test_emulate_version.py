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
from tests.unit.server.kafka_wire import api_versions_request, call, read_response, request_frame

# KRaft-only and telemetry APIs a ZooKeeper-mode broker did not advertise, added to kafka-python's
# recorded tables with the release that introduced them (see kafkalite.protocol.releases).
KRAFT_AND_TELEMETRY = {55: "3.3", 71: "3.7", 72: "3.7", 74: "3.7", 75: "3.8", 80: "3.9", 81: "3.9"}
INTER_BROKER = {4, 5, 6, 7, 52, 53, 54, 56, 58, 59, 62, 63, 67, 70, 73}

# What kafkalite serves with no emulation.
SERVED_TABLE = {
    0: (0, 13), 1: (4, 18), 2: (1, 11), 3: (0, 13), 8: (2, 10), 9: (1, 10), 10: (0, 6),
    11: (0, 9), 12: (0, 4), 13: (0, 5), 14: (0, 5), 15: (0, 6), 16: (0, 5), 17: (0, 1), 18: (0, 4),
    19: (0, 7), 20: (0, 6), 21: (0, 2), 22: (0, 5), 23: (2, 4), 24: (0, 5), 25: (0, 4),
    26: (0, 5), 28: (0, 5), 29: (1, 3), 30: (1, 3), 31: (1, 3), 32: (0, 4), 33: (0, 2),
    34: (1, 2), 35: (0, 4), 36: (0, 2), 37: (0, 3), 38: (1, 3), 39: (1, 2), 40: (1, 2), 41: (1, 3),
    42: (0, 2), 43: (0, 2), 44: (0, 1), 45: (0, 1), 46: (0, 0), 47: (0, 0), 48: (0, 1),
    49: (0, 1), 50: (0, 0), 51: (0, 0), 55: (0, 2),
    57: (0, 2), 60: (0, 2), 61: (0, 0), 64: (0, 0), 65: (0, 0), 66: (0, 2), 68: (0, 1), 69: (0, 1),
    71: (0, 0), 72: (0, 0), 74: (0, 1), 75: (0, 0), 76: (1, 1), 77: (1, 1), 78: (1, 2), 79: (1, 2),
    80: (0, 1), 81: (0, 0), 90: (0, 1), 91: (0, 0), 92: (0, 0),
}


# Apache Kafka 4.2's client-facing ranges, written from the protocol guide's version
# histories and the KIPs that added each version: KIP-896 raised the minimums in 4.0 (Produce
# keeps v0 advertised, KAFKA-18659); KIP-516 topic ids reached Produce v13 and Fetch v13-v18
# (with KIP-903 v15, KIP-951 v16, KIP-853 v17, KIP-1166 v18); KIP-848 topic ids OffsetCommit
# v10 and OffsetFetch v10; KIP-1023 ListOffsets v11; KIP-1102 Metadata v13; KIP-932
# FindCoordinator v6.
KAFKA_4_2 = {
    0: (0, 13), 1: (4, 18), 2: (1, 11), 3: (0, 13), 8: (2, 10), 9: (1, 10), 10: (0, 6),
    11: (0, 9), 12: (0, 4), 13: (0, 5), 14: (0, 5), 15: (0, 6), 16: (0, 5), 17: (0, 1),
    18: (0, 4), 19: (2, 7), 20: (1, 6), 21: (0, 2), 22: (0, 5), 23: (2, 4), 24: (0, 5),
    25: (0, 4), 26: (0, 5), 27: (1, 2), 28: (0, 5), 29: (1, 3), 30: (1, 3), 31: (1, 3),
    32: (1, 4), 33: (0, 2), 34: (1, 2), 35: (1, 4), 36: (0, 2), 37: (0, 3), 38: (1, 3),
    39: (1, 2), 40: (1, 2), 41: (1, 3), 42: (0, 2), 43: (0, 2), 44: (0, 1), 45: (0, 1),
    46: (0, 0), 47: (0, 0), 48: (0, 1), 49: (0, 1), 50: (0, 0), 51: (0, 0), 55: (0, 2),
    57: (0, 2), 60: (0, 2), 61: (0, 0), 64: (0, 0), 65: (0, 0), 66: (0, 2), 68: (0, 1),
    69: (0, 1), 71: (0, 0), 72: (0, 0), 74: (0, 1), 75: (0, 0), 76: (1, 1), 77: (1, 1),
    78: (1, 2), 79: (1, 2), 80: (0, 1), 81: (0, 0), 83: (0, 0), 84: (0, 0), 85: (0, 1),
    86: (0, 0), 87: (0, 1), 88: (0, 0), 89: (0, 0), 90: (0, 1), 91: (0, 0), 92: (0, 0),
}
# The same APIs as Kafka 3.9 (ZooKeeper mode, plus its KRaft-only client APIs) advertised them.
KAFKA_3_9 = {
    0: (0, 11), 1: (0, 17), 2: (0, 9), 3: (0, 12), 8: (0, 9), 9: (0, 9), 10: (0, 6),
    15: (0, 5), 16: (0, 5), 19: (0, 7), 22: (0, 5), 32: (0, 4), 55: (0, 2), 60: (0, 1),
    75: (0, 0),
}
# ... and Kafka 2.8.
KAFKA_2_8 = {
    0: (0, 9), 1: (0, 12), 2: (0, 6), 3: (0, 11), 8: (0, 8), 9: (0, 7), 10: (0, 3),
    15: (0, 5), 16: (0, 4), 19: (0, 7), 22: (0, 4), 32: (0, 4), 60: (0, 0),
}


def test_release_table_is_kafka_4_2() -> None:
    assert RELEASES["4.2"] == KAFKA_4_2
    for release, pinned in (("3.9", KAFKA_3_9), ("2.8", KAFKA_2_8)):
        assert {k: RELEASES[release][k] for k in pinned} == pinned, release
    assert 75 not in RELEASES["2.8"] and 55 not in RELEASES["2.8"]


def test_every_served_api_reaches_kafka_4_2s_newest_version() -> None:
    for key, (_, high) in SERVED.items():
        assert high == KAFKA_4_2[key][1], ApiKey(key).name
    assert advertised("4.2") == {
        key: (max(low, KAFKA_4_2[key][0]), high) for key, (low, high) in SERVED.items()
    }
    emulated_3_9 = advertised("3.9")
    for key, span in KAFKA_3_9.items():
        assert emulated_3_9[ApiKey(key)] == (max(SERVED[ApiKey(key)][0], span[0]), span[1])
    emulated_2_8 = advertised("2.8")
    for key, span in KAFKA_2_8.items():
        assert emulated_2_8[ApiKey(key)] == (max(SERVED[ApiKey(key)][0], span[0]), span[1])
    assert ApiKey.DESCRIBE_TOPIC_PARTITIONS not in emulated_2_8


def api_versions(address: tuple[str, int]) -> dict[int, tuple[int, int]]:
    answer = call(address, ApiKey.API_VERSIONS, 3, api_versions_request())
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
        answer = call(broker.address, ApiKey.API_VERSIONS, 3, api_versions_request())
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
