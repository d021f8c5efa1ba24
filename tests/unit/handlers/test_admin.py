"""Admin APIs over real sockets: CreateTopics, DeleteTopics, CreatePartitions, DeleteRecords,
DescribeCluster, DescribeLogDirs (configs: test_admin_configs.py)."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from pathlib import Path

import pytest

from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.create_partitions import (
    CreatePartitionsAssignment,
    CreatePartitionsRequest,
    CreatePartitionsTopic,
)
from kafkalite.protocol.messages.create_topics import (
    CreatableReplicaAssignment,
    CreatableTopic,
    CreatableTopicConfig,
    CreateTopicsRequest,
)
from kafkalite.protocol.messages.delete_records import (
    DeleteRecordsPartition,
    DeleteRecordsRequest,
    DeleteRecordsTopic,
)
from kafkalite.protocol.messages.delete_topics import DeleteTopicsRequest, DeleteTopicState
from kafkalite.protocol.messages.describe_cluster import DescribeClusterRequest
from kafkalite.protocol.messages.describe_log_dirs import (
    DescribableLogDirTopic,
    DescribeLogDirsRequest,
)
from kafkalite.protocol.messages.fetch import FetchPartition, FetchRequest, FetchTopic
from kafkalite.protocol.messages.offset_commit import (
    OffsetCommitRequest,
    OffsetCommitRequestPartition,
    OffsetCommitRequestTopic,
)
from kafkalite.protocol.messages.offset_fetch import OffsetFetchRequest, OffsetFetchRequestTopic
from kafkalite.protocol.records import read_header
from tests.unit.handlers.admin_wire import (
    EARLIEST,
    LATEST,
    config_map,
    create_topic,
    fetch,
    list_offset,
    metadata,
    produce,
    running_broker,
)
from tests.unit.server.kafka_wire import call, read_response, request_frame

ZERO = uuid.UUID(int=0)


def create(address, *topics: CreatableTopic, version: int = 7, validate_only: bool = False):
    request = CreateTopicsRequest(topics=list(topics), validate_only=validate_only)
    return call(address, ApiKey.CREATE_TOPICS, version, request).topics


def delete(address, *names: str, version: int = 6, ids: tuple[uuid.UUID, ...] = ()):
    if version >= 6:
        request = DeleteTopicsRequest(
            topics=[DeleteTopicState(name=n) for n in names]
            + [DeleteTopicState(name=None, topic_id=i) for i in ids]
        )
    else:
        request = DeleteTopicsRequest(topic_names=list(names))
    return call(address, ApiKey.DELETE_TOPICS, version, request).responses


def live_partition_dirs(running, topic: str) -> list[str]:
    """The topic's partition directories not (yet) renamed ``*-delete``: those are removed on
    the flusher thread, a moment later."""
    return [
        path.name
        for path in running.config.data_dir.glob(f"{topic}-*")
        if not path.name.endswith("-delete")
    ]


def partition_count(address, name: str) -> int:
    topic = metadata(address, name).topics[0]
    return -1 if topic.error_code else len(topic.partitions)


# --- CreateTopics ----------------------------------------------------------------------------


@pytest.mark.parametrize("version", range(2, 8))
def test_create_topics_every_version(broker_thread, version: int) -> None:
    address = broker_thread.address
    name = f"created-v{version}"
    result = create_topic(address, name, 3, {"segment.bytes": "1048576"}, version=version)
    assert (result.name, result.error_code, result.error_message) == (name, 0, None)
    assert partition_count(address, name) == 3
    topic_id = metadata(address, name).topics[0].topic_id
    if version >= 5:
        assert (result.num_partitions, result.replication_factor) == (3, 1)
        configs = config_map(result)
        assert configs["segment.bytes"].value == "1048576"
        assert configs["segment.bytes"].config_source == 1  # DYNAMIC_TOPIC_CONFIG
        assert configs["retention.ms"].value == "604800000"
        assert configs["retention.ms"].config_source == 5  # DEFAULT_CONFIG
        assert not configs["retention.ms"].read_only and not configs["retention.ms"].is_sensitive
    else:
        assert result.configs is None and result.num_partitions == -1
    assert result.topic_id == (topic_id if version >= 7 else ZERO)
    assert topic_id != ZERO


def test_create_topics_defaults_and_validate_only(tmp_path: Path) -> None:
    with running_broker(tmp_path / "d", **{"num.partitions": "4"}) as running:
        address = running.address
        [result] = create(
            address, CreatableTopic(name="dflt", num_partitions=-1, replication_factor=-1)
        )
        assert (result.error_code, result.num_partitions, result.replication_factor) == (0, 4, 1)
        assert partition_count(address, "dflt") == 4
        [checked] = create(
            address,
            CreatableTopic(name="dry", num_partitions=2, replication_factor=1),
            validate_only=True,
        )
        assert (checked.error_code, checked.num_partitions) == (0, 2)
        assert checked.topic_id != ZERO and len(checked.configs) > 20
        assert partition_count(address, "dry") == -1
        [bad] = create(
            address,
            CreatableTopic(name="dry", num_partitions=0, replication_factor=1),
            validate_only=True,
        )
        assert bad.error_code == ErrorCode.INVALID_PARTITIONS


def test_create_topics_errors(broker_thread) -> None:
    address = broker_thread.address
    assert create_topic(address, "taken").error_code == 0
    assert create_topic(address, "a_b").error_code == 0

    def code_and_message(topic: CreatableTopic) -> tuple[int, str | None]:
        [result] = create(address, topic)
        assert result.configs == [] and result.num_partitions == -1
        return result.error_code, result.error_message

    def topic(name: str = "new", partitions: int = 1, rf: int = 1, **kw) -> CreatableTopic:
        return CreatableTopic(name=name, num_partitions=partitions, replication_factor=rf, **kw)

    assert code_and_message(topic("bad name!"))[0] == ErrorCode.INVALID_TOPIC_EXCEPTION
    assert code_and_message(topic("x" * 250))[0] == ErrorCode.INVALID_TOPIC_EXCEPTION
    assert code_and_message(topic("taken")) == (
        ErrorCode.TOPIC_ALREADY_EXISTS,
        "Topic 'taken' already exists.",
    )
    assert code_and_message(topic("a.b")) == (
        ErrorCode.INVALID_TOPIC_EXCEPTION,
        "Topic 'a.b' collides with existing topic: a_b",
    )
    assert code_and_message(topic(partitions=0))[0] == ErrorCode.INVALID_PARTITIONS
    assert code_and_message(topic(partitions=-2))[0] == ErrorCode.INVALID_PARTITIONS
    assert code_and_message(topic(rf=0))[0] == ErrorCode.INVALID_REPLICATION_FACTOR
    assert code_and_message(topic(rf=3)) == (
        ErrorCode.INVALID_REPLICATION_FACTOR,
        "Unable to replicate the partition 3 time(s): The target replication factor of 3 cannot "
        "be reached because only 1 broker(s) are registered.",
    )
    assert code_and_message(topic(partitions=10_001))[0] == ErrorCode.POLICY_VIOLATION

    def with_configs(**configs: str | None) -> tuple[int, str | None]:
        items = [
            CreatableTopicConfig(name=k.replace("_", "."), value=v) for k, v in configs.items()
        ]
        return code_and_message(topic(configs=items))

    assert with_configs(no_such_config="1") == (
        ErrorCode.INVALID_CONFIG,
        "Unknown topic config name: no.such.config",
    )
    assert with_configs(segment_bytes="lots")[0] == ErrorCode.INVALID_CONFIG
    assert with_configs(segment_bytes="1")[0] == ErrorCode.INVALID_CONFIG
    assert with_configs(cleanup_policy="shred")[0] == ErrorCode.INVALID_CONFIG
    assert with_configs(remote_storage_enable="true")[0] == ErrorCode.INVALID_CONFIG
    assert with_configs(compression_zstd_level="99")[0] == ErrorCode.INVALID_CONFIG
    assert with_configs(retention_ms=None) == (
        ErrorCode.INVALID_CONFIG,
        "Null value not supported for topic configs: retention.ms",
    )
    assert partition_count(address, "new") == -1


def test_create_topics_manual_assignments(broker_thread) -> None:
    address = broker_thread.address

    def assigned(
        *lists: tuple[int, list[int]], partitions: int = -1, rf: int = -1, name: str = "manual"
    ):
        assignments = [
            CreatableReplicaAssignment(partition_index=p, broker_ids=b) for p, b in lists
        ]
        [result] = create(
            address,
            CreatableTopic(
                name=name, num_partitions=partitions, replication_factor=rf, assignments=assignments
            ),
        )
        return result.error_code, result.error_message

    assert assigned((0, [1]), partitions=1)[0] == ErrorCode.INVALID_REQUEST
    assert assigned((0, [1]), rf=1)[0] == ErrorCode.INVALID_REQUEST
    assert assigned((0, [7])) == (
        ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        "The manual partition assignment includes broker 7, but no such broker is registered.",
    )
    assert assigned((0, [1, 1]))[0] == ErrorCode.INVALID_REPLICA_ASSIGNMENT
    assert assigned((0, []))[0] == ErrorCode.INVALID_REPLICA_ASSIGNMENT
    assert assigned((0, [1]), (0, [1]))[0] == ErrorCode.INVALID_REPLICA_ASSIGNMENT
    assert assigned((0, [1]), (2, [1])) == (
        ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        "partitions should be a consecutive 0-based integer sequence",
    )
    assert assigned((1, [1]), (0, [1]), (2, [1])) == (0, None)
    assert partition_count(address, "manual") == 3


def test_create_topics_duplicate_name_in_one_request(broker_thread) -> None:
    address = broker_thread.address
    twice = CreatableTopic(name="twice", num_partitions=1, replication_factor=1)
    once = CreatableTopic(name="once", num_partitions=1, replication_factor=1)
    results = create(address, twice, once, twice)
    assert [(r.name, r.error_code, r.error_message) for r in results] == [
        ("twice", ErrorCode.INVALID_REQUEST, "Duplicate topic name."),
        ("once", 0, None),
    ]
    assert partition_count(address, "twice") == -1 and partition_count(address, "once") == 1


# --- DeleteTopics ----------------------------------------------------------------------------


@pytest.mark.parametrize("version", range(1, 7))
def test_delete_topics_every_version(broker_thread, version: int) -> None:
    address = broker_thread.address
    name = f"doomed-v{version}"
    created = create_topic(address, name, 2)
    assert produce(address, name, [b"a", b"b"]).error_code == 0
    [result] = delete(address, name, version=version)
    assert (result.name, result.error_code) == (name, 0)
    assert result.topic_id == (created.topic_id if version >= 6 else ZERO)
    assert metadata(address, name).topics[0].error_code == ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
    assert live_partition_dirs(broker_thread, name) == []
    [missing] = delete(address, name, version=version)
    assert missing.error_code == ErrorCode.UNKNOWN_TOPIC_OR_PARTITION


def test_delete_topics_by_id_and_request_errors(broker_thread) -> None:
    address = broker_thread.address
    by_id = create_topic(address, "by-id").topic_id
    [result] = delete(address, ids=(by_id,))
    assert (result.name, result.topic_id, result.error_code) == ("by-id", by_id, 0)
    assert partition_count(address, "by-id") == -1

    unknown = uuid.uuid4()
    [result] = delete(address, ids=(unknown,))
    assert (result.name, result.topic_id, result.error_code) == (
        None,
        unknown,
        ErrorCode.UNKNOWN_TOPIC_ID,
    )

    both_id = create_topic(address, "both").topic_id
    request = DeleteTopicsRequest(
        topics=[
            DeleteTopicState(name=None, topic_id=ZERO),
            DeleteTopicState(name="both", topic_id=both_id),
            DeleteTopicState(name="dup"),
            DeleteTopicState(name="dup"),
            DeleteTopicState(name=None, topic_id=unknown),
            DeleteTopicState(name=None, topic_id=unknown),
        ]
    )
    results = call(address, ApiKey.DELETE_TOPICS, 6, request).responses
    assert sorted((r.error_code, r.error_message) for r in results) == sorted(
        [
            (ErrorCode.INVALID_REQUEST, "Neither topic name nor id were specified."),
            (ErrorCode.INVALID_REQUEST, "You may not specify both topic name and topic id."),
            (ErrorCode.INVALID_REQUEST, "Duplicate topic name."),
            (ErrorCode.INVALID_REQUEST, "Duplicate topic id."),
        ]
    )
    results = delete(address, "both", ids=(both_id,))
    assert [r.error_code for r in results] == [ErrorCode.INVALID_REQUEST] * 2
    assert partition_count(address, "both") == 1


@pytest.mark.parametrize(
    ("version", "code"), [(2, ErrorCode.INVALID_REQUEST), (3, ErrorCode.TOPIC_DELETION_DISABLED)]
)
def test_delete_topics_disabled(tmp_path: Path, version: int, code: int) -> None:
    with running_broker(tmp_path / "d", **{"delete.topic.enable": "false"}) as running:
        create_topic(running.address, "kept")
        [result] = delete(running.address, "kept", version=version)
        assert (result.name, result.error_code) == ("kept", code)
        assert partition_count(running.address, "kept") == 1


def test_recreated_topic_has_new_id_starts_at_zero_and_no_committed_offsets(broker_thread) -> None:
    address = broker_thread.address
    first = create_topic(address, "again").topic_id
    assert produce(address, "again", [b"1", b"2", b"3"]).error_code == 0
    commit = OffsetCommitRequest(
        group_id="g",
        generation_id_or_member_epoch=-1,
        topics=[
            OffsetCommitRequestTopic(
                name="again",
                partitions=[OffsetCommitRequestPartition(partition_index=0, committed_offset=3)],
            )
        ],
    )
    assert call(address, ApiKey.OFFSET_COMMIT, 8, commit).topics[0].partitions[0].error_code == 0
    fetch_offsets = OffsetFetchRequest(
        group_id="g", topics=[OffsetFetchRequestTopic(name="again", partition_indexes=[0])]
    )
    assert (
        call(address, ApiKey.OFFSET_FETCH, 7, fetch_offsets)
        .topics[0]
        .partitions[0]
        .committed_offset
        == 3
    )

    assert delete(address, "again")[0].error_code == 0
    assert (
        call(address, ApiKey.OFFSET_FETCH, 7, fetch_offsets)
        .topics[0]
        .partitions[0]
        .committed_offset
        == -1
    )
    second = create_topic(address, "again").topic_id
    assert second not in (first, ZERO)
    assert list_offset(address, "again", 0, LATEST) == (0, 0)
    assert produce(address, "again", [b"x"]).base_offset == 0


def test_restart_after_delete_and_recreate_keeps_the_new_topic(tmp_path: Path) -> None:
    data = tmp_path / "d"
    with running_broker(data) as running:
        create_topic(running.address, "phoenix")
        produce(running.address, "phoenix", [b"old"] * 5)
        assert delete(running.address, "phoenix")[0].error_code == 0
        new_id = create_topic(running.address, "phoenix").topic_id
        produce(running.address, "phoenix", [b"new"])
    with running_broker(data) as running:
        assert metadata(running.address, "phoenix").topics[0].topic_id == new_id
        assert list_offset(running.address, "phoenix", 0, EARLIEST) == (0, 0)
        assert list_offset(running.address, "phoenix", 0, LATEST) == (0, 1)


def test_delete_wakes_a_long_poll_with_unknown_topic(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "polled")
    outcome: list[object] = []

    def long_poll() -> None:
        started = time.monotonic()
        part = fetch(address, "polled", 0, 0, max_wait_ms=20_000, timeout=30)
        outcome.append((part.error_code, time.monotonic() - started))

    poller = threading.Thread(target=long_poll)
    poller.start()
    time.sleep(0.3)  # let the fetch reach its wait
    assert delete(address, "polled")[0].error_code == 0
    poller.join(timeout=15)
    assert not poller.is_alive()
    [(code, elapsed)] = outcome
    assert code == ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
    assert elapsed < 10


def test_delete_while_a_large_fetch_is_being_sent(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "streamed")
    values = [
        bytes([i]) * (512 << 10) for i in range(1, 33)
    ]  # 16 MiB: more than the socket buffers
    for value in values:
        assert produce(address, "streamed", [value]).error_code == 0
    request = FetchRequest(
        max_wait_ms=0,
        min_bytes=1,
        max_bytes=64 << 20,
        topics=[
            FetchTopic(
                topic="streamed",
                partitions=[
                    FetchPartition(partition=0, fetch_offset=0, partition_max_bytes=64 << 20)
                ],
            )
        ],
    )
    with socket.create_connection(address, timeout=10) as sock:
        sock.sendall(request_frame(ApiKey.FETCH, 11, request))
        time.sleep(0.3)  # the broker is now blocked on the full socket, mid-sendfile
        queued = len(sock.recv(64 << 20, socket.MSG_PEEK | socket.MSG_DONTWAIT))
        assert queued < 16 << 20, "the whole response was sent before the delete"
        assert delete(address, "streamed")[0].error_code == 0
        assert live_partition_dirs(broker_thread, "streamed") == []
        _, response = read_response(sock, ApiKey.FETCH, 11)
    part = response.responses[0].partitions[0]
    assert part.error_code == 0
    records = bytes(part.records)
    position, found = 0, []
    while position < len(records):
        header = read_header(records, position)
        found.append(header.base_offset)
        position += header.size
    assert found == list(range(32))
    for i, value in enumerate(values):
        assert value in records, f"record {i} damaged"


# --- CreatePartitions ------------------------------------------------------------------------


@pytest.mark.parametrize("version", range(0, 4))
def test_create_partitions_every_version(broker_thread, version: int) -> None:
    address = broker_thread.address
    name = f"grow-v{version}"
    create_topic(address, name, 1)
    request = CreatePartitionsRequest(
        topics=[CreatePartitionsTopic(name=name, count=3, assignments=None)]
    )
    [result] = call(address, ApiKey.CREATE_PARTITIONS, version, request).results
    assert (result.name, result.error_code, result.error_message) == (name, 0, None)
    assert partition_count(address, name) == 3
    assert produce(address, name, [b"p2"], partition=2).error_code == 0
    assert list_offset(address, name, 2, LATEST) == (0, 1)


def test_create_partitions_errors_and_validate_only(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "fixed", 2)

    def grow(name: str, count: int, assignments=None, validate_only=False, extra=()):
        request = CreatePartitionsRequest(
            validate_only=validate_only,
            topics=[CreatePartitionsTopic(name=name, count=count, assignments=assignments), *extra],
        )
        return [
            (r.name, r.error_code, r.error_message)
            for r in call(address, ApiKey.CREATE_PARTITIONS, 3, request).results
        ]

    assert grow("fixed", 2) == [
        ("fixed", ErrorCode.INVALID_PARTITIONS, "Topic already has 2 partition(s).")
    ]
    assert grow("fixed", 1) == [
        (
            "fixed",
            ErrorCode.INVALID_PARTITIONS,
            "The topic fixed currently has 2 partition(s); 1 would not be an increase.",
        )
    ]
    assert grow("absent", 3) == [("absent", ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, None)]
    one = [CreatePartitionsAssignment(broker_ids=[1])]
    assert grow("fixed", 4, one) == [
        (
            "fixed",
            ErrorCode.INVALID_REPLICA_ASSIGNMENT,
            "Attempted to add 2 additional partition(s), but only 1 assignment(s) were specified.",
        )
    ]
    assert (
        grow("fixed", 3, [CreatePartitionsAssignment(broker_ids=[5])])[0][1]
        == ErrorCode.INVALID_REPLICA_ASSIGNMENT
    )
    assert grow("fixed", 5, validate_only=True) == [("fixed", 0, None)]
    assert partition_count(address, "fixed") == 2
    again = CreatePartitionsTopic(name="fixed", count=6)
    assert grow("fixed", 5, extra=[again]) == [
        ("fixed", ErrorCode.INVALID_REQUEST, "Duplicate topic name.")
    ]
    assert grow("fixed", 3, one) == [("fixed", 0, None)]
    assert partition_count(address, "fixed") == 3


# --- DeleteRecords ---------------------------------------------------------------------------


def delete_records(address, topic: str, offset: int, partition: int = 0, version: int = 2):
    request = DeleteRecordsRequest(
        timeout_ms=1000,
        topics=[
            DeleteRecordsTopic(
                name=topic,
                partitions=[DeleteRecordsPartition(partition_index=partition, offset=offset)],
            )
        ],
    )
    part = call(address, ApiKey.DELETE_RECORDS, version, request).topics[0].partitions[0]
    return part.error_code, part.low_watermark


@pytest.mark.parametrize("version", range(0, 3))
def test_delete_records_every_version(broker_thread, version: int) -> None:
    address = broker_thread.address
    name = f"trim-v{version}"
    create_topic(address, name, 1, {"segment.bytes": "200"})  # a segment per batch
    for i in range(10):
        assert produce(address, name, [b"%03d" % i + b"x" * 100]).base_offset == i
    directory = broker_thread.config.data_dir / f"{name}-0"
    assert len(list(directory.glob("*.log"))) == 10

    assert delete_records(address, name, 5, version=version) == (0, 5)
    assert list_offset(address, name, 0, EARLIEST) == (0, 5)
    assert fetch(address, name, 0, 4).error_code == ErrorCode.OFFSET_OUT_OF_RANGE
    part = fetch(address, name, 0, 5)
    assert (
        part.error_code,
        part.log_start_offset,
        read_header(bytes(part.records)).base_offset,
    ) == (0, 5, 5)
    assert sorted(p.name for p in directory.glob("*.log"))[0] == f"{5:020d}.log"
    assert len(list(directory.glob("*.log.deleted"))) == 5  # unlinked after file.delete.delay.ms
    assert delete_records(address, name, 3, version=version) == (0, 5)  # below the start: no-op
    assert delete_records(address, name, -1, version=version) == (0, 10)
    assert len(list(directory.glob("*.log"))) == 1
    assert list_offset(address, name, 0, EARLIEST) == (0, 10)
    assert produce(address, name, [b"after"]).base_offset == 10


def test_delete_records_errors(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "short")
    produce(address, "short", [b"a", b"b"])
    assert delete_records(address, "short", 3) == (ErrorCode.OFFSET_OUT_OF_RANGE, -1)
    assert delete_records(address, "short", -5) == (ErrorCode.OFFSET_OUT_OF_RANGE, -1)
    assert delete_records(address, "short", 1, partition=4) == (
        ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        -1,
    )
    assert delete_records(address, "nothing", 0) == (ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, -1)
    create_topic(address, "compacted", 1, {"cleanup.policy": "compact"})
    assert delete_records(address, "compacted", 0) == (ErrorCode.POLICY_VIOLATION, -1)
    assert list_offset(address, "short", 0, EARLIEST) == (0, 0)


def test_delete_records_survives_restart(tmp_path: Path) -> None:
    data = tmp_path / "d"
    with running_broker(data) as running:
        create_topic(running.address, "durable", 1, {"segment.bytes": "200"})
        for _ in range(6):
            produce(running.address, "durable", [b"y" * 120])
        assert delete_records(running.address, "durable", 4) == (0, 4)
        # the checkpoint is already written, before any shutdown
        text = (data / "log-start-offset-checkpoint").read_text().split("\n")
        assert "durable 0 4" in text
    with running_broker(data) as running:
        assert list_offset(running.address, "durable", 0, EARLIEST) == (0, 4)
        assert list_offset(running.address, "durable", 0, LATEST) == (0, 6)


def test_delete_records_wakes_a_long_poll_below_the_new_start(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "moving")
    produce(address, "moving", [b"1", b"2"])
    outcome: list[int] = []
    poller = threading.Thread(
        target=lambda: outcome.append(
            fetch(address, "moving", 0, 2, max_wait_ms=20_000, timeout=30).error_code
        )
    )
    poller.start()
    time.sleep(0.3)
    assert delete_records(address, "moving", 2) == (0, 2)  # the poll's offset stays valid
    produce(address, "moving", [b"3"])
    poller.join(timeout=15)
    assert outcome == [0]


# --- DescribeCluster, DescribeLogDirs ---------------------------------------------------------


@pytest.mark.parametrize("version", [0, 1, 2])
def test_describe_cluster(broker_thread, version: int) -> None:
    address = broker_thread.address
    response = call(
        address,
        ApiKey.DESCRIBE_CLUSTER,
        version,
        DescribeClusterRequest(include_cluster_authorized_operations=True),
    )
    meta = metadata(address)
    assert (response.error_code, response.cluster_id, response.controller_id) == (
        0,
        meta.cluster_id,
        1,
    )
    assert [(b.broker_id, b.host, b.port, b.rack) for b in response.brokers] == [
        (1, *address, None)
    ]
    assert response.cluster_authorized_operations == 8096  # bits 5, 7-12
    assert response.endpoint_type == 1
    plain = call(address, ApiKey.DESCRIBE_CLUSTER, version, DescribeClusterRequest())
    assert plain.cluster_authorized_operations == -(1 << 31)


def test_describe_cluster_endpoint_types(broker_thread) -> None:
    address = broker_thread.address
    response = call(address, ApiKey.DESCRIBE_CLUSTER, 1, DescribeClusterRequest(endpoint_type=2))
    assert (response.error_code, response.brokers) == (ErrorCode.MISMATCHED_ENDPOINT_TYPE, [])
    response = call(address, ApiKey.DESCRIBE_CLUSTER, 1, DescribeClusterRequest(endpoint_type=3))
    assert (response.error_code, response.error_message) == (
        ErrorCode.UNSUPPORTED_ENDPOINT_TYPE,
        "Unsupported endpoint type 3",
    )


@pytest.mark.parametrize("version", range(1, 5))
def test_describe_log_dirs(broker_thread, version: int) -> None:
    address = broker_thread.address
    create_topic(address, "sized", 2)
    sizes = [produce(address, "sized", [b"z" * 1000]) for _ in range(3)]
    assert all(s.error_code == 0 for s in sizes)
    [result] = call(
        address, ApiKey.DESCRIBE_LOG_DIRS, version, DescribeLogDirsRequest(topics=None)
    ).results
    assert result.error_code == 0
    assert result.log_dir == str(broker_thread.config.data_dir.resolve())
    partitions = {(t.name, p.partition_index): p for t in result.topics for p in t.partitions}
    on_disk = (broker_thread.config.data_dir / "sized-0" / f"{0:020d}.log").stat().st_size
    assert partitions[("sized", 0)].partition_size == on_disk > 3000
    assert partitions[("sized", 1)].partition_size == 0
    assert all(p.offset_lag == 0 and not p.is_future_key for p in partitions.values())
    if version >= 4:
        assert result.total_bytes >= result.usable_bytes > 0
    else:
        assert result.total_bytes == -1
    only = DescribeLogDirsRequest(
        topics=[
            DescribableLogDirTopic(topic="sized", partitions=[1, 9]),
            DescribableLogDirTopic(topic="ghost", partitions=[0]),
        ]
    )
    [result] = call(address, ApiKey.DESCRIBE_LOG_DIRS, version, only).results
    assert [(t.name, [p.partition_index for p in t.partitions]) for t in result.topics] == [
        ("sized", [1])
    ]


def test_admin_ranges_cover_every_version_clients_send() -> None:
    from kafkalite.handlers import SERVED

    assert {
        key: SERVED[key]
        for key in (
            ApiKey.CREATE_TOPICS,
            ApiKey.DELETE_TOPICS,
            ApiKey.CREATE_PARTITIONS,
            ApiKey.DESCRIBE_CONFIGS,
            ApiKey.ALTER_CONFIGS,
            ApiKey.INCREMENTAL_ALTER_CONFIGS,
            ApiKey.DELETE_RECORDS,
            ApiKey.DESCRIBE_CLUSTER,
            ApiKey.DESCRIBE_LOG_DIRS,
        )
    } == {
        ApiKey.CREATE_TOPICS: (0, 7),
        ApiKey.DELETE_TOPICS: (0, 6),
        ApiKey.CREATE_PARTITIONS: (0, 3),
        ApiKey.DESCRIBE_CONFIGS: (0, 4),
        ApiKey.ALTER_CONFIGS: (0, 2),
        ApiKey.INCREMENTAL_ALTER_CONFIGS: (0, 1),
        ApiKey.DELETE_RECORDS: (0, 2),
        ApiKey.DESCRIBE_CLUSTER: (0, 2),
        ApiKey.DESCRIBE_LOG_DIRS: (0, 4),
    }
