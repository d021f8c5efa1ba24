"""DescribeConfigs, AlterConfigs and IncrementalAlterConfigs over real sockets."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import pytest

from kafkalite.cluster.cluster import default_log_config
from kafkalite.config import BROKER_PROPERTIES, BrokerConfig
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.alter_configs import (
    AlterableConfig,
    AlterConfigsRequest,
    AlterConfigsResource,
)
from kafkalite.protocol.messages.describe_configs import (
    DescribeConfigsRequest,
    DescribeConfigsResource,
)
from kafkalite.protocol.messages.incremental_alter_configs import (
    IncrementalAlterableConfig,
    IncrementalAlterConfigsRequest,
    IncrementalAlterConfigsResource,
)
from kafkalite.storage.config import TOPIC_CONFIG_NAMES
from kafkalite.topics.catalog import BROKER_PROPERTIES_FEEDING_TOPICS, TOPIC_CONFIGS
from tests.unit.batches import record_batch
from tests.unit.handlers.admin_wire import (
    BROKER,
    BROKER_LOGGER,
    TOPIC,
    config_map,
    create_topic,
    describe_topic_configs,
    produce,
    running_broker,
)
from tests.unit.server.kafka_wire import call

SET, DELETE, APPEND, SUBTRACT = 0, 1, 2, 3
DYNAMIC_TOPIC, STATIC_BROKER, DEFAULT, LOGGER = 1, 4, 5, 6


def alter(
    address,
    name: str,
    configs: dict[str, str | None],
    *,
    version: int = 2,
    resource_type: int = TOPIC,
    validate_only: bool = False,
):
    request = AlterConfigsRequest(
        validate_only=validate_only,
        resources=[
            AlterConfigsResource(
                resource_type=resource_type,
                resource_name=name,
                configs=[AlterableConfig(name=k, value=v) for k, v in configs.items()],
            )
        ],
    )
    [result] = call(address, ApiKey.ALTER_CONFIGS, version, request).responses
    assert (result.resource_type, result.resource_name) == (resource_type, name)
    return result.error_code, result.error_message


def incremental(
    address,
    name: str,
    *ops: tuple[str, int, str | None],
    version: int = 1,
    resource_type: int = TOPIC,
    validate_only: bool = False,
):
    request = IncrementalAlterConfigsRequest(
        validate_only=validate_only,
        resources=[
            IncrementalAlterConfigsResource(
                resource_type=resource_type,
                resource_name=name,
                configs=[
                    IncrementalAlterableConfig(name=n, config_operation=op, value=v)
                    for n, op, v in ops
                ],
            )
        ],
    )
    [result] = call(address, ApiKey.INCREMENTAL_ALTER_CONFIGS, version, request).responses
    return result.error_code, result.error_message


def values(address, topic: str) -> dict[str, tuple[str | None, int]]:
    result = describe_topic_configs(address, topic)
    assert result.error_code == 0
    return {name: (entry.value, entry.config_source) for name, entry in config_map(result).items()}


# --- DescribeConfigs -------------------------------------------------------------------------


@pytest.mark.parametrize("version", range(1, 5))
def test_describe_topic_configs_every_version(tmp_path: Path, version: int) -> None:
    with running_broker(tmp_path / "d", **{"log.retention.ms": "1000"}) as running:
        address = running.address
        create_topic(address, "described", 1, {"segment.bytes": "1048576"})
        request = DescribeConfigsRequest(
            resources=[DescribeConfigsResource(resource_type=TOPIC, resource_name="described")],
            include_synonyms=True,
            include_documentation=version >= 3,
        )
        [result] = call(address, ApiKey.DESCRIBE_CONFIGS, version, request).results
        assert (result.error_code, result.resource_type, result.resource_name) == (
            0,
            TOPIC,
            "described",
        )
        configs = config_map(result)
        assert set(configs) == TOPIC_CONFIG_NAMES
        segment = configs["segment.bytes"]
        assert (segment.value, segment.config_source, segment.read_only, segment.is_sensitive) == (
            "1048576",
            DYNAMIC_TOPIC,
            False,
            False,
        )
        assert [(s.name, s.value, s.source) for s in segment.synonyms] == [
            ("segment.bytes", "1048576", DYNAMIC_TOPIC),
            ("log.segment.bytes", "1073741824", DEFAULT),
        ]
        retention = configs["retention.ms"]
        assert (retention.value, retention.config_source) == ("1000", STATIC_BROKER)
        assert [(s.name, s.value, s.source) for s in retention.synonyms] == [
            ("log.retention.ms", "1000", STATIC_BROKER),
            ("log.retention.ms", "604800000", DEFAULT),
        ]
        cleaner = configs["delete.retention.ms"]
        assert (cleaner.config_source, [(s.name, s.source) for s in cleaner.synonyms]) == (
            DEFAULT,
            [("log.cleaner.delete.retention.ms", DEFAULT)],
        )
        assert configs["flush.ms"].synonyms == []  # kafkalite's log.flush.interval.ms differs
        assert configs["remote.storage.enable"].synonyms == []
        if version >= 3:
            assert segment.config_type == 3 and retention.config_type == 5  # INT, LONG
            assert configs["cleanup.policy"].config_type == 7  # LIST
            assert configs["preallocate"].config_type == 1  # BOOLEAN
            assert configs["min.cleanable.dirty.ratio"].config_type == 6  # DOUBLE
            assert "segment" in segment.documentation
        else:
            assert segment.config_type == 0 and segment.documentation is None


def test_describe_configs_keys_without_synonyms_and_errors(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "keyed")
    result = describe_topic_configs(address, "keyed", keys=["retention.ms", "unheard.of"])
    assert [(c.name, c.synonyms) for c in result.configs] == [("retention.ms", [])]
    assert len(describe_topic_configs(address, "keyed", keys=[]).configs) == len(TOPIC_CONFIG_NAMES)
    missing = describe_topic_configs(address, "missing")
    assert (missing.error_code, missing.configs) == (ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, [])
    assert (
        describe_topic_configs(address, "bad/name").error_code == ErrorCode.INVALID_TOPIC_EXCEPTION
    )
    metrics = describe_topic_configs(address, "m", resource_type=16)
    assert (metrics.error_code, metrics.error_message) == (
        ErrorCode.INVALID_REQUEST,
        "Unsupported resource type: CLIENT_METRICS",
    )
    group = describe_topic_configs(address, "g", resource_type=32)
    assert group.error_code == 0
    assert [(c.name, c.value) for c in group.configs] == [
        ("share.auto.offset.reset", "latest"), ("share.record.lock.duration.ms", "30000")
    ]


def test_describe_broker_configs(tmp_path: Path) -> None:
    with running_broker(
        tmp_path / "d", **{"num.partitions": "3", "log.segment.bytes": "2097152"}
    ) as running:
        address = running.address
        result = describe_topic_configs(address, "1", resource_type=BROKER, synonyms=True)
        assert result.error_code == 0
        configs = config_map(result)
        assert set(configs) == set(BROKER_PROPERTIES)
        partitions = configs["num.partitions"]
        assert (partitions.value, partitions.config_source, partitions.read_only) == (
            "3",
            STATIC_BROKER,
            True,
        )
        assert [(s.value, s.source) for s in partitions.synonyms] == [
            ("3", STATIC_BROKER),
            ("1", DEFAULT),
        ]
        auto = configs["auto.create.topics.enable"]
        assert (auto.value, auto.config_source, auto.config_type) == ("true", DEFAULT, 1)
        types = {name: configs[name].config_type for name in configs}
        assert types["log.retention.ms"] == types["log.flush.interval.messages"] == 5  # LONG
        assert types["message.max.bytes"] == types["group.min.session.timeout.ms"] == 3  # INT
        assert types["log.cleanup.policy"] == 7 and types["log.message.timestamp.type"] == 2
        host, port = address
        assert configs["advertised.listeners"].value == f"PLAINTEXT://{host}:{port}"
        # the cluster-level min.insync.replicas a new Kafka 4.1+ cluster has (KIP-966)
        cluster = describe_topic_configs(address, "", resource_type=BROKER).configs
        assert [(c.name, c.value, c.config_source, c.read_only) for c in cluster] == [
            ("min.insync.replicas", "1", 3, False)
        ]
        for name in ("2", "one"):
            assert (
                describe_topic_configs(address, name, resource_type=BROKER).error_code
                == ErrorCode.INVALID_REQUEST
            )
        # the static broker value reaches new topics, and says where it came from
        created = create_topic(address, "inherits")
        segment = config_map(created)["segment.bytes"]
        assert (segment.value, segment.config_source) == ("2097152", STATIC_BROKER)


def test_broker_logger_levels(broker_thread) -> None:
    address = broker_thread.address
    logger = logging.getLogger("kafkalite.topics")
    saved = logger.level
    try:
        result = describe_topic_configs(address, "1", resource_type=BROKER_LOGGER)
        configs = config_map(result)
        assert "root" in configs and "kafkalite.topics" in configs
        assert configs["kafkalite.topics"].config_source == LOGGER
        assert incremental(
            address, "1", ("kafkalite.topics", SET, "ERROR"), resource_type=BROKER_LOGGER
        ) == (0, None)
        assert logger.level == logging.ERROR
        assert (
            config_map(describe_topic_configs(address, "1", resource_type=BROKER_LOGGER))[
                "kafkalite.topics"
            ].value
            == "ERROR"
        )
        assert incremental(
            address, "1", ("kafkalite.topics", DELETE, None), resource_type=BROKER_LOGGER
        ) == (0, None)
        assert logger.level == logging.NOTSET
        for op, value, code in [
            (SET, "LOUD", ErrorCode.INVALID_CONFIG),
            (APPEND, "x", ErrorCode.INVALID_REQUEST),
        ]:
            assert (
                incremental(
                    address, "1", ("kafkalite.topics", op, value), resource_type=BROKER_LOGGER
                )[0]
                == code
            )
        assert (
            incremental(address, "1", ("no.such", SET, "INFO"), resource_type=BROKER_LOGGER)[0]
            == ErrorCode.INVALID_CONFIG
        )
        assert (
            incremental(address, "1", ("root", DELETE, None), resource_type=BROKER_LOGGER)[0]
            == ErrorCode.INVALID_REQUEST
        )
        assert (
            describe_topic_configs(address, "", resource_type=BROKER_LOGGER).error_code
            == ErrorCode.INVALID_REQUEST
        )
        assert (
            alter(address, "1", {"root": "INFO"}, resource_type=BROKER_LOGGER)[0]
            == ErrorCode.INVALID_REQUEST
        )
    finally:
        logger.setLevel(saved)


# --- AlterConfigs ----------------------------------------------------------------------------


@pytest.mark.parametrize("version", range(0, 3))
def test_alter_configs_replaces_every_override(broker_thread, version: int) -> None:
    address = broker_thread.address
    name = f"replaced-v{version}"
    create_topic(address, name, 1, {"segment.bytes": "1048576"})
    assert alter(
        address, name, {"retention.ms": "1000", "cleanup.policy": "compact"}, version=version
    ) == (0, None)
    now = values(address, name)
    assert now["retention.ms"] == ("1000", DYNAMIC_TOPIC)
    assert now["cleanup.policy"] == ("compact", DYNAMIC_TOPIC)
    assert now["segment.bytes"] == ("1073741824", DEFAULT)  # left out: back to the default
    assert alter(address, name, {}, version=version) == (0, None)
    assert values(address, name)["retention.ms"] == ("604800000", DEFAULT)


def test_alter_configs_errors_and_validate_only(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "strict")
    assert alter(address, "strict", {"retention.ms": "5"}, validate_only=True) == (0, None)
    assert values(address, "strict")["retention.ms"] == ("604800000", DEFAULT)
    assert alter(address, "strict", {"segment.bytes": "big"})[0] == ErrorCode.INVALID_CONFIG
    assert alter(address, "strict", {"nonsense": "1"}) == (
        ErrorCode.INVALID_CONFIG,
        "Unknown topic config name: nonsense",
    )
    assert alter(address, "strict", {"retention.ms": None}) == (
        ErrorCode.INVALID_REQUEST,
        "Null value not supported for : retention.ms",
    )
    assert alter(address, "absent", {"retention.ms": "1"}) == (
        ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        "The topic 'absent' does not exist.",
    )
    assert alter(address, "", {"retention.ms": "1"}) == (
        ErrorCode.INVALID_REQUEST,
        "Default topic resources are not allowed.",
    )
    assert alter(address, "no good", {})[0] == ErrorCode.INVALID_TOPIC_EXCEPTION
    assert alter(address, "1", {"num.partitions": "5"}, resource_type=BROKER) == (
        ErrorCode.INVALID_REQUEST,
        "Cannot update these configs dynamically: Set(num.partitions)",
    )
    assert alter(address, "1", {}, resource_type=BROKER) == (0, None)
    assert alter(address, "7", {}, resource_type=BROKER)[0] == ErrorCode.INVALID_REQUEST
    twice = AlterConfigsResource(
        resource_type=TOPIC,
        resource_name="strict",
        configs=[AlterableConfig(name="retention.ms", value="9")],
    )
    response = call(address, ApiKey.ALTER_CONFIGS, 2, AlterConfigsRequest(resources=[twice, twice]))
    assert [(r.error_code, r.error_message) for r in response.responses] == [
        (ErrorCode.INVALID_REQUEST, "Each resource must appear at most once.")
    ] * 2
    dup_keys = AlterConfigsResource(
        resource_type=TOPIC,
        resource_name="strict",
        configs=[
            AlterableConfig(name="retention.ms", value="9"),
            AlterableConfig(name="retention.ms", value="8"),
        ],
    )
    [result] = call(
        address, ApiKey.ALTER_CONFIGS, 2, AlterConfigsRequest(resources=[dup_keys])
    ).responses
    assert (result.error_code, result.error_message) == (
        ErrorCode.INVALID_REQUEST,
        "Error due to duplicate config keys",
    )
    assert values(address, "strict")["retention.ms"] == ("604800000", DEFAULT)


# --- IncrementalAlterConfigs ---------------------------------------------------------------


@pytest.mark.parametrize("version", [0, 1])
def test_incremental_alter_configs_every_op(broker_thread, version: int) -> None:
    address = broker_thread.address
    name = f"stepwise-v{version}"
    create_topic(address, name, 1, {"retention.ms": "1000"})
    assert incremental(
        address,
        name,
        ("segment.bytes", SET, "2097152"),
        ("retention.ms", DELETE, None),
        ("cleanup.policy", APPEND, "compact"),
        version=version,
    ) == (0, None)
    now = values(address, name)
    assert now["segment.bytes"] == ("2097152", DYNAMIC_TOPIC)
    assert now["retention.ms"] == ("604800000", DEFAULT)
    assert now["cleanup.policy"] == ("delete,compact", DYNAMIC_TOPIC)
    assert incremental(address, name, ("cleanup.policy", SUBTRACT, "delete"), version=version) == (
        0,
        None,
    )
    assert values(address, name)["cleanup.policy"] == ("compact", DYNAMIC_TOPIC)
    assert incremental(address, name, ("cleanup.policy", APPEND, "compact"), version=version) == (
        0,
        None,
    )
    assert values(address, name)["cleanup.policy"] == ("compact", DYNAMIC_TOPIC)
    assert incremental(
        address, name, ("leader.replication.throttled.replicas", APPEND, "0:1"), version=version
    ) == (0, None)
    assert values(address, name)["leader.replication.throttled.replicas"] == ("0:1", DYNAMIC_TOPIC)


def test_incremental_alter_configs_errors(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "careful")
    assert incremental(address, "careful", ("segment.bytes", APPEND, "1")) == (
        ErrorCode.INVALID_CONFIG,
        "Can't APPEND to key segment.bytes because its type is not LIST.",
    )
    assert (
        incremental(address, "careful", ("retention.ms", SET, None))[0] == ErrorCode.INVALID_REQUEST
    )
    assert incremental(address, "careful", ("retention.ms", 9, "1"))[0] == ErrorCode.INVALID_REQUEST
    assert (
        incremental(address, "careful", ("cleanup.policy", APPEND, "shred"))[0]
        == ErrorCode.INVALID_CONFIG
    )
    assert incremental(
        address, "careful", ("retention.ms", SET, "1"), ("retention.ms", DELETE, None)
    )[0] == (ErrorCode.INVALID_REQUEST)
    assert (
        incremental(address, "gone", ("retention.ms", SET, "1"))[0]
        == ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
    )
    assert incremental(address, "1", ("log.segment.bytes", SET, "1"), resource_type=BROKER)[0] == (
        ErrorCode.INVALID_REQUEST
    )
    assert incremental(address, "careful", ("retention.ms", SET, "1"), validate_only=True) == (
        0,
        None,
    )
    assert values(address, "careful")["retention.ms"] == ("604800000", DEFAULT)


# --- effects and persistence -----------------------------------------------------------------


def test_altered_configs_take_effect_at_once(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "live")
    assert produce(address, "live", [b"v" * 500]).error_code == 0
    assert incremental(address, "live", ("max.message.bytes", SET, "200")) == (0, None)
    assert produce(address, "live", [b"v" * 500]).error_code == ErrorCode.MESSAGE_TOO_LARGE
    assert incremental(
        address,
        "live",
        ("message.timestamp.type", SET, "LogAppendTime"),
        ("max.message.bytes", DELETE, None),
    ) == (0, None)
    assert produce(address, "live", [b"t"]).log_append_time_ms > 0
    directory = broker_thread.config.data_dir / "live-0"
    segments = len(list(directory.glob("*.log")))
    assert incremental(address, "live", ("segment.bytes", SET, "100")) == (0, None)
    produce(address, "live", [b"s" * 50])
    produce(address, "live", [b"s" * 50])
    assert len(list(directory.glob("*.log"))) == segments + 2
    assert incremental(address, "live", ("flush.messages", SET, "1")) == (0, None)
    log = broker_thread.call(lambda: broker_thread.broker.cluster.partition("live", 0))
    assert log.config.flush_messages == 1
    assert produce(address, "live", [b"durable"]).error_code == 0
    assert log.recovery_point == log.log_end_offset


def test_topic_configs_survive_restart(tmp_path: Path) -> None:
    data = tmp_path / "d"
    with running_broker(data) as running:
        create_topic(running.address, "kept", 2, {"retention.ms": "1234"})
        assert incremental(
            running.address,
            "kept",
            ("cleanup.policy", SET, "compact"),
            ("segment.bytes", SET, "4096"),
        ) == (0, None)
    with running_broker(data) as running:
        now = values(running.address, "kept")
        assert now["retention.ms"] == ("1234", DYNAMIC_TOPIC)
        assert now["cleanup.policy"] == ("compact", DYNAMIC_TOPIC)
        assert now["segment.bytes"] == ("4096", DYNAMIC_TOPIC)
        log = running.call(lambda: running.broker.cluster.partition("kept", 1))
        assert log.config.segment_bytes == 4096


# --- tables stay in step with the code they describe -----------------------------------------


def test_topic_config_table_covers_storage_names() -> None:
    assert set(TOPIC_CONFIGS) == TOPIC_CONFIG_NAMES


@pytest.mark.parametrize("name", sorted(BROKER_PROPERTIES_FEEDING_TOPICS))
def test_broker_properties_feeding_topics_really_do(tmp_path: Path, name: str) -> None:
    base = BrokerConfig(data_dir=tmp_path)
    changed = {"log.cleanup.policy": "compact", "log.message.timestamp.type": "LogAppendTime"}.get(
        name, "12345"
    )
    altered = base.with_properties({name: changed})
    assert dataclasses.asdict(default_log_config(base)) != dataclasses.asdict(
        default_log_config(altered)
    )


def test_produce_helper_batches_are_valid() -> None:
    assert len(record_batch([(None, b"x")])) > 61
