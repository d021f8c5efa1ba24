"""The admin versions Kafka 4 removed (KIP-896) and kafkalite still serves, as Kafka 3.x did,
when it emulates a 3.x release or none (``kafkalite.emulate.version=none``): CreateTopics
v0-1, DeleteTopics v0, DescribeConfigs v0 and DescribeLogDirs v0, over real sockets. By
default kafkalite advertises Kafka 4.2's ranges, which leave them out.

Most tests speak through our codec (``kafka_wire.call``). The ``raw`` tests at the end send
request frames assembled byte by byte from the protocol guide's layouts
(https://kafka.apache.org/protocol) and read the response bytes the same way, so a layout
mistake in our schemas cannot hide behind a codec that agrees with itself.
"""

from __future__ import annotations

import socket
import struct
from pathlib import Path
from collections.abc import Iterator
from typing import Any

import pytest

from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.api_versions import ApiVersionsRequest
from kafkalite.protocol.messages.create_topics import (
    CreatableTopic,
    CreatableTopicConfig,
    CreateTopicsRequest,
)
from kafkalite.protocol.messages.delete_topics import DeleteTopicsRequest
from kafkalite.protocol.messages.describe_log_dirs import (
    DescribableLogDirTopic,
    DescribeLogDirsRequest,
)
from tests.conftest import BrokerThread
from tests.unit.handlers.admin_wire import (
    BROKER,
    config_map,
    create_topic,
    describe_topic_configs,
    metadata,
    produce,
    running_broker,
)
from tests.unit.server.kafka_wire import call, recv_exact

DEFAULT_CONFIG = 5


def create(address: Any, *topics: CreatableTopic, version: int, validate_only: bool = False):
    request = CreateTopicsRequest(topics=list(topics), validate_only=validate_only)
    return call(address, ApiKey.CREATE_TOPICS, version, request).topics


def topic(name: str, partitions: int = 1, **configs: str | None) -> CreatableTopic:
    return CreatableTopic(
        name=name,
        num_partitions=partitions,
        replication_factor=1,
        configs=[
            CreatableTopicConfig(name=k.replace("_", "."), value=v) for k, v in configs.items()
        ],
    )


def partition_count(address: Any, name: str) -> int:
    found = metadata(address, name).topics[0]
    return -1 if found.error_code else len(found.partitions)


@pytest.fixture
def broker_thread(tmp_path: Path) -> Iterator[BrokerThread]:
    """A broker that serves every version it can: no Kafka release's ranges cap it."""
    with running_broker(
        tmp_path / "data",
        **{"num.partitions": "1", "offsets.topic.num.partitions": "1",
           "kafkalite.emulate.version": "none"},
    ) as running:
        yield running


def advertised_ranges(address: Any) -> dict[int, tuple[int, int]]:
    response = call(address, ApiKey.API_VERSIONS, 0, ApiVersionsRequest())
    return {k.api_key: (k.min_version, k.max_version) for k in response.api_keys}


def test_advertised_ranges(broker_thread) -> None:
    ranges = advertised_ranges(broker_thread.address)
    assert ranges[ApiKey.CREATE_TOPICS] == (0, 7)
    assert ranges[ApiKey.DELETE_TOPICS] == (0, 6)
    assert ranges[ApiKey.DESCRIBE_CONFIGS] == (0, 4)
    assert ranges[ApiKey.DESCRIBE_LOG_DIRS] == (0, 4)


def test_removed_versions_are_refused_by_default(tmp_path: Path) -> None:
    with running_broker(tmp_path / "data") as running:
        ranges = advertised_ranges(running.address)
        assert ranges[ApiKey.CREATE_TOPICS] == (2, 7)
        assert ranges[ApiKey.DELETE_TOPICS] == (1, 6)
        assert ranges[ApiKey.DESCRIBE_CONFIGS] == (1, 4)
        assert ranges[ApiKey.DESCRIBE_LOG_DIRS] == (1, 4)
        # Kafka cannot parse a version it does not serve and closes the connection.
        with pytest.raises(ConnectionError):
            create(running.address, topic("refused"), version=1)
        assert partition_count(running.address, "refused") == -1


# --- CreateTopics v0-1 -------------------------------------------------------------------------


@pytest.mark.parametrize("version", [0, 1])
def test_create_topics(broker_thread, version: int) -> None:
    address = broker_thread.address
    name = f"old-v{version}"
    [result] = create(address, topic(name, 3, segment_bytes="1048576"), version=version)
    assert (result.name, result.error_code) == (name, 0)
    # Neither version carries error_message (v0), throttle time, topic id or configs: they
    # read back as their defaults.
    assert result.error_message is None
    assert (result.num_partitions, result.replication_factor, result.configs) == (-1, -1, None)
    assert partition_count(address, name) == 3
    configs = config_map(describe_topic_configs(address, name))
    assert configs["segment.bytes"].value == "1048576"


def test_create_topics_v0_errors_have_codes_only(broker_thread) -> None:
    address = broker_thread.address
    assert create(address, topic("taken"), version=0)[0].error_code == 0
    results = create(
        address,
        topic("taken"),
        topic("bad name!"),
        topic("twice"),
        topic("twice"),
        topic("nulled", retention_ms=None),
        version=0,
    )
    assert [(r.name, r.error_code, r.error_message) for r in results] == [
        ("taken", ErrorCode.TOPIC_ALREADY_EXISTS, None),
        ("bad name!", ErrorCode.INVALID_TOPIC_EXCEPTION, None),
        ("twice", ErrorCode.INVALID_REQUEST, None),
        ("nulled", ErrorCode.INVALID_CONFIG, None),
    ]
    assert partition_count(address, "twice") == -1


def test_create_topics_v1_validate_only_and_error_messages(broker_thread) -> None:
    address = broker_thread.address
    [checked] = create(address, topic("dry", 2), version=1, validate_only=True)
    assert (checked.name, checked.error_code, checked.error_message) == ("dry", 0, None)
    assert partition_count(address, "dry") == -1
    [bad] = create(address, topic("dry", 0), version=1, validate_only=True)
    assert bad.error_code == ErrorCode.INVALID_PARTITIONS
    assert create(address, topic("dry", 2), version=1)[0].error_code == 0
    assert partition_count(address, "dry") == 2
    [again] = create(address, topic("dry"), version=1)
    assert (again.error_code, again.error_message) == (
        ErrorCode.TOPIC_ALREADY_EXISTS,
        "Topic 'dry' already exists.",
    )
    [nulled] = create(address, topic("nulled", retention_ms=None), version=1)
    assert (nulled.error_code, nulled.error_message) == (
        ErrorCode.INVALID_CONFIG,
        "Null value not supported for topic configs: retention.ms",
    )


# --- DeleteTopics v0 ---------------------------------------------------------------------------


def test_delete_topics_v0(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "doomed", 2)
    create_topic(address, "kept")
    request = DeleteTopicsRequest(topic_names=["doomed", "ghost"], timeout_ms=5000)
    responses = call(address, ApiKey.DELETE_TOPICS, 0, request).responses
    assert sorted((r.name, r.error_code) for r in responses) == [
        ("doomed", 0),
        ("ghost", ErrorCode.UNKNOWN_TOPIC_OR_PARTITION),
    ]
    assert partition_count(address, "doomed") == -1
    assert partition_count(address, "kept") == 1


def test_delete_topics_v0_when_deletion_is_disabled(tmp_path: Path) -> None:
    with running_broker(tmp_path / "d", **{"delete.topic.enable": "false", "kafkalite.emulate.version": "none"}) as running:
        create_topic(running.address, "stays")
        request = DeleteTopicsRequest(topic_names=["stays"])
        [result] = call(running.address, ApiKey.DELETE_TOPICS, 0, request).responses
        # TOPIC_DELETION_DISABLED arrived in v3; older versions get INVALID_REQUEST.
        assert (result.name, result.error_code) == ("stays", ErrorCode.INVALID_REQUEST)
        assert partition_count(running.address, "stays") == 1


# --- DescribeConfigs v0 ------------------------------------------------------------------------


def test_describe_configs_v0_topic(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "described", configs={"segment.bytes": "1048576"})
    old = config_map(describe_topic_configs(address, "described", version=0))
    new = config_map(describe_topic_configs(address, "described", version=1))
    assert old.keys() == new.keys() and len(old) > 20
    for name, entry in old.items():
        # v0 has no sources or synonyms: is_default says whether the source is DEFAULT_CONFIG.
        assert entry.is_default == (new[name].config_source == DEFAULT_CONFIG), name
        assert (entry.config_source, entry.synonyms) == (-1, [])
        assert (entry.value, entry.read_only, entry.is_sensitive) == (
            new[name].value,
            new[name].read_only,
            new[name].is_sensitive,
        )
    assert (old["segment.bytes"].value, old["segment.bytes"].is_default) == ("1048576", False)
    assert (old["retention.ms"].value, old["retention.ms"].is_default) == ("604800000", True)
    assert all(not entry.is_default for entry in new.values())  # v1+ never carries it

    keyed = describe_topic_configs(address, "described", version=0, keys=["retention.ms"])
    assert [(c.name, c.is_default) for c in keyed.configs] == [("retention.ms", True)]
    missing = describe_topic_configs(address, "ghost", version=0)
    assert (missing.error_code, missing.configs) == (ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, [])
    assert missing == describe_topic_configs(address, "ghost", version=1)


def test_describe_configs_v0_broker(broker_thread) -> None:
    address = broker_thread.address
    old = config_map(describe_topic_configs(address, "1", version=0, resource_type=BROKER))
    new = config_map(describe_topic_configs(address, "1", version=1, resource_type=BROKER))
    assert old.keys() == new.keys()
    assert old["num.partitions"].is_default is False  # given at start: STATIC_BROKER_CONFIG
    assert any(entry.is_default for entry in old.values())
    assert all(
        entry.is_default == (new[name].config_source == DEFAULT_CONFIG)
        for name, entry in old.items()
    )


# --- DescribeLogDirs v0 ------------------------------------------------------------------------


def test_describe_log_dirs_v0_matches_v1(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "sized", 2)
    assert produce(address, "sized", [b"z" * 1000]).error_code == 0
    every = DescribeLogDirsRequest(topics=None)
    [old] = call(address, ApiKey.DESCRIBE_LOG_DIRS, 0, every).results
    [new] = call(address, ApiKey.DESCRIBE_LOG_DIRS, 1, every).results
    assert old == new
    assert (old.error_code, old.log_dir) == (0, str(broker_thread.config.data_dir.resolve()))
    sizes = {
        (t.name, p.partition_index): p.partition_size for t in old.topics for p in t.partitions
    }
    assert sizes[("sized", 0)] > 1000 and sizes[("sized", 1)] == 0
    assert (old.total_bytes, old.usable_bytes) == (-1, -1)
    only = DescribeLogDirsRequest(
        topics=[
            DescribableLogDirTopic(topic="sized", partitions=[1, 7]),
            DescribableLogDirTopic(topic="ghost", partitions=[0]),
        ]
    )
    [result] = call(address, ApiKey.DESCRIBE_LOG_DIRS, 0, only).results
    assert [(t.name, [p.partition_index for p in t.partitions]) for t in result.topics] == [
        ("sized", [1])
    ]


# --- raw frames, from the protocol guide's layouts --------------------------------------------


def string(text: str) -> bytes:
    data = text.encode()
    return struct.pack(">h", len(data)) + data


def array(items: list[bytes]) -> bytes:
    return struct.pack(">i", len(items)) + b"".join(items)


def exchange(address: Any, api_key: int, version: int, body: bytes) -> Reader:
    """Send a request with header v1 (key, version, correlation id, client id) and return a
    reader past the response header v0 (correlation id)."""
    frame = struct.pack(">hhi", api_key, version, 77) + string("raw") + body
    with socket.create_connection(address, timeout=10) as sock:
        sock.sendall(struct.pack(">i", len(frame)) + frame)
        (size,) = struct.unpack(">i", recv_exact(sock, 4))
        reader = Reader(recv_exact(sock, size))
    assert reader.int32() == 77
    return reader


class Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, fmt: str) -> Any:
        (value,) = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += struct.calcsize(fmt)
        return value

    def int8(self) -> int:
        return int(self.take(">b"))

    def int16(self) -> int:
        return int(self.take(">h"))

    def int32(self) -> int:
        return int(self.take(">i"))

    def int64(self) -> int:
        return int(self.take(">q"))

    def bool(self) -> bool:
        return self.int8() != 0

    def string(self) -> str | None:
        size = self.int16()
        if size < 0:
            return None
        text = self.data[self.pos : self.pos + size].decode()
        self.pos += size
        return text

    def array(self, element: Any) -> list[Any]:
        return [element() for _ in range(self.int32())]

    def done(self) -> bool:
        return self.pos == len(self.data)


def test_raw_create_topics_v0_and_v1(broker_thread) -> None:
    address = broker_thread.address
    # CreateTopics Request (v0) => [topics] timeout_ms
    #   topics => name num_partitions replication_factor [assignments] [configs]
    #     configs => name value(NULLABLE_STRING)
    entry = (
        string("raw-old")
        + struct.pack(">ih", 2, 1)
        + array([])
        + array([string("retention.ms") + string("3600000")])
    )
    reader = exchange(address, 19, 0, array([entry]) + struct.pack(">i", 5000))
    # CreateTopics Response (v0) => [topics]; topics => name error_code
    assert reader.array(lambda: (reader.string(), reader.int16())) == [("raw-old", 0)]
    assert reader.done()
    assert partition_count(address, "raw-old") == 2
    # v1 adds validate_only to the request and error_message to each result.
    again = string("raw-old") + struct.pack(">ih", 2, 1) + array([]) + array([])
    reader = exchange(address, 19, 1, array([again]) + struct.pack(">ib", 5000, 0))
    assert reader.array(lambda: (reader.string(), reader.int16(), reader.string())) == [
        ("raw-old", ErrorCode.TOPIC_ALREADY_EXISTS, "Topic 'raw-old' already exists.")
    ]
    assert reader.done()


def test_raw_delete_topics_v0(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "raw-doomed")
    # DeleteTopics Request (v0) => [topic_names] timeout_ms
    reader = exchange(address, 20, 0, array([string("raw-doomed")]) + struct.pack(">i", 5000))
    # DeleteTopics Response (v0) => [responses]; responses => name error_code
    assert reader.array(lambda: (reader.string(), reader.int16())) == [("raw-doomed", 0)]
    assert reader.done()
    assert partition_count(address, "raw-doomed") == -1


def test_raw_describe_configs_v0(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "raw-described", configs={"retention.ms": "3600000"})
    # DescribeConfigs Request (v0) => [resources]
    #   resources => resource_type resource_name [configuration_keys](nullable)
    keys = array([string("retention.ms"), string("segment.ms")])
    body = array([struct.pack(">b", 2) + string("raw-described") + keys])
    reader = exchange(address, 32, 0, body)
    # DescribeConfigs Response (v0) => throttle_time_ms [results]
    #   results => error_code error_message resource_type resource_name [configs]
    #     configs => name value read_only is_default is_sensitive
    assert reader.int32() == 0

    def config() -> tuple[Any, ...]:
        return (reader.string(), reader.string(), reader.bool(), reader.bool(), reader.bool())

    def result() -> tuple[Any, ...]:
        return (
            reader.int16(),
            reader.string(),
            reader.int8(),
            reader.string(),
            reader.array(config),
        )

    assert reader.array(result) == [
        (
            0,
            None,
            2,
            "raw-described",
            [
                ("retention.ms", "3600000", False, False, False),
                ("segment.ms", "604800000", False, True, False),
            ],
        )
    ]
    assert reader.done()


def test_raw_describe_log_dirs_v0(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "raw-dirs", 2)
    # DescribeLogDirs Request (v0) => [topics](nullable); topics => topic [partitions]
    body = array([string("raw-dirs") + array([struct.pack(">i", 1)])])
    reader = exchange(address, 35, 0, body)
    # DescribeLogDirs Response (v0) => throttle_time_ms [results]
    #   results => error_code log_dir [topics]; topics => name [partitions]
    #     partitions => partition_index partition_size offset_lag is_future_key
    assert reader.int32() == 0

    def partition() -> tuple[Any, ...]:
        return (reader.int32(), reader.int64(), reader.int64(), reader.bool())

    def dir_topic() -> tuple[Any, ...]:
        return (reader.string(), reader.array(partition))

    def result() -> tuple[Any, ...]:
        return (reader.int16(), reader.string(), reader.array(dir_topic))

    data_dir = str(broker_thread.config.data_dir.resolve())
    assert reader.array(result) == [(0, data_dir, [("raw-dirs", [(1, 0, 0, False)])])]
    assert reader.done()
    # A null topic list (-1) asks for every partition.
    reader = exchange(address, 35, 0, struct.pack(">i", -1))
    assert reader.int32() == 0
    [(code, _, topics)] = reader.array(result)
    assert code == 0 and ("raw-dirs", [(0, 0, 0, False), (1, 0, 0, False)]) in topics
    assert reader.done()
