"""Dynamic broker configs over real sockets: sources, checks, effect and persistence."""

from __future__ import annotations

from pathlib import Path

from kafkalite.protocol.errors import ErrorCode
from tests.unit.handlers.admin_wire import (
    BROKER,
    config_map,
    create_topic,
    describe_topic_configs,
    running_broker,
)
from tests.unit.handlers.test_admin_configs import alter, incremental

SET, DELETE, APPEND, SUBTRACT = 0, 1, 2, 3
DYNAMIC_BROKER, DYNAMIC_DEFAULT, STATIC_BROKER, DEFAULT = 2, 3, 4, 5
WEEK_MS = "604800000"


def chain(entry) -> list[tuple[str, str | None, int]]:
    return [(s.name, s.value, s.source) for s in entry.synonyms]


def broker_entry(address, name: str, key: str):
    result = describe_topic_configs(address, name, resource_type=BROKER, synonyms=True, keys=[key])
    assert result.error_code == 0, result.error_message
    return config_map(result)[key]


def topic_entry(address, topic: str, key: str):
    result = describe_topic_configs(address, topic, synonyms=True, keys=[key])
    assert result.error_code == 0, result.error_message
    return config_map(result)[key]


def test_dynamic_levels_sources_effect_and_restart(tmp_path: Path) -> None:
    data = tmp_path / "d"
    with running_broker(data, **{"log.retention.ms": "1000"}) as running:
        address = running.address
        assert create_topic(address, "inherits").error_code == 0
        # started-with values are static; what Kafka cannot change at run time is read-only
        for key in ("listeners", "node.id", "log.dirs"):
            assert broker_entry(address, "1", key).config_source == STATIC_BROKER, key
        assert broker_entry(address, "1", "log.dirs").value == str(data)
        assert broker_entry(address, "1", "num.partitions").read_only is True
        assert broker_entry(address, "1", "log.retention.ms").read_only is False
        # KIP-966: a cluster-level min.insync.replicas reaches every topic
        isr = topic_entry(address, "inherits", "min.insync.replicas")
        assert (isr.value, isr.config_source) == ("1", DYNAMIC_DEFAULT)
        assert chain(isr) == [
            ("min.insync.replicas", "1", DYNAMIC_DEFAULT),
            ("min.insync.replicas", "1", DEFAULT),
        ]

        assert incremental(
            address, "", ("log.retention.ms", SET, "5000"), resource_type=BROKER
        ) == (0, None)
        retention = topic_entry(address, "inherits", "retention.ms")
        assert (retention.value, retention.config_source) == ("5000", DYNAMIC_DEFAULT)
        assert incremental(
            address, "1", ("log.retention.ms", SET, "7000"), resource_type=BROKER
        ) == (0, None)
        retention = topic_entry(address, "inherits", "retention.ms")
        assert (retention.value, retention.config_source) == ("7000", DYNAMIC_BROKER)
        assert chain(retention) == [
            ("log.retention.ms", "7000", DYNAMIC_BROKER),
            ("log.retention.ms", "5000", DYNAMIC_DEFAULT),
            ("log.retention.ms", "1000", STATIC_BROKER),
            ("log.retention.ms", WEEK_MS, DEFAULT),
        ]
        on_broker = broker_entry(address, "1", "log.retention.ms")
        assert (on_broker.value, on_broker.config_source) == ("7000", DYNAMIC_BROKER)
        assert chain(on_broker) == chain(retention)
        partition = running.call(lambda: running.broker.cluster.partition("inherits", 0))
        assert partition.config.retention_ms == 7000
        # new topics take the dynamic default too
        created = config_map(create_topic(address, "later"))["retention.ms"]
        assert (created.value, created.config_source) == ("7000", DYNAMIC_BROKER)

        # APPEND starts from the value in force; validate_only changes nothing
        assert incremental(
            address, "", ("log.cleanup.policy", APPEND, "compact"), resource_type=BROKER
        ) == (0, None)
        assert topic_entry(address, "inherits", "cleanup.policy").value == "delete,compact"
        assert incremental(
            address, "", ("log.segment.bytes", SET, "2097152"),
            resource_type=BROKER, validate_only=True,
        ) == (0, None)
        assert topic_entry(address, "inherits", "segment.bytes").value == "1073741824"
        cluster = describe_topic_configs(address, "", resource_type=BROKER)
        assert {c.name: (c.value, c.config_source) for c in cluster.configs} == {
            "log.cleanup.policy": ("delete,compact", DYNAMIC_DEFAULT),
            "log.retention.ms": ("5000", DYNAMIC_DEFAULT),
            "min.insync.replicas": ("1", DYNAMIC_DEFAULT),
        }
        # max.connections acts on the node it is set for
        assert incremental(
            address, "1", ("max.connections", SET, "50"), resource_type=BROKER
        ) == (0, None)
        assert running.call(lambda: running.broker.cluster.broker_config(1).max_connections) == 50

    with running_broker(data, **{"log.retention.ms": "1000"}) as running:
        address = running.address
        retention = topic_entry(address, "inherits", "retention.ms")
        assert (retention.value, retention.config_source) == ("7000", DYNAMIC_BROKER)
        partition = running.call(lambda: running.broker.cluster.partition("inherits", 0))
        assert partition.config.retention_ms == 7000
        # DELETE falls back to the cluster level; legacy AlterConfigs replaces a whole level
        assert incremental(
            address, "1", ("log.retention.ms", DELETE, None), resource_type=BROKER
        ) == (0, None)
        assert topic_entry(address, "inherits", "retention.ms").value == "5000"
        assert alter(address, "", {"log.retention.ms": "9000"}, resource_type=BROKER) == (0, None)
        cluster = describe_topic_configs(address, "", resource_type=BROKER)
        assert [(c.name, c.value) for c in cluster.configs] == [("log.retention.ms", "9000")]
        assert topic_entry(address, "inherits", "cleanup.policy").value == "delete"
        assert running.call(lambda: running.broker.cluster.partition("inherits", 0)).config.retention_ms == 9000


def test_refused_alterations(broker_thread) -> None:
    address = broker_thread.address

    def refused(name: str, *ops) -> tuple[int, str | None]:
        return incremental(address, name, *ops, resource_type=BROKER)

    assert refused("1", ("num.partitions", SET, "4"), ("log.retention.ms", SET, "1")) == (
        ErrorCode.INVALID_REQUEST,
        "Cannot update these configs dynamically: Set(num.partitions)",
    )
    assert refused("", ("ssl.keystore.location", SET, "/k.pem")) == (
        ErrorCode.INVALID_REQUEST,
        "These security configs can be dynamically updated only per-listener using the "
        "listener prefix: Set(ssl.keystore.location)",
    )
    code, message = refused("1", ("listeners", SET, "PLAINTEXT://127.0.0.1:1"))
    assert code == ErrorCode.INVALID_REQUEST and "Set(listeners)" in (message or "")
    assert refused("1", ("log.retention.ms", SET, "soon")) == (
        ErrorCode.INVALID_REQUEST,
        "Invalid value soon for configuration log.retention.ms: expected an integer, got 'soon'",
    )
    code, message = refused("1", ("log.retention.ms", APPEND, "5"))
    assert code == ErrorCode.INVALID_REQUEST
    assert refused("9", ("log.retention.ms", SET, "5"))[0] == ErrorCode.INVALID_REQUEST
    # nothing was stored by any of these
    cluster = describe_topic_configs(address, "", resource_type=BROKER)
    assert [c.name for c in cluster.configs] == ["min.insync.replicas"]
    assert broker_entry(address, "1", "log.retention.ms").config_source == DEFAULT


def test_min_insync_replicas_under_elr(tmp_path: Path) -> None:
    with running_broker(tmp_path / "d") as running:
        address = running.address
        # without ELR a node may have its own value
        assert incremental(
            address, "1", ("min.insync.replicas", SET, "1"), resource_type=BROKER
        ) == (0, None)
        assert incremental(
            address, "1", ("min.insync.replicas", DELETE, None), resource_type=BROKER
        ) == (0, None)
        running.call(
            lambda: running.broker.cluster.features.apply({"eligible.leader.replicas.version": 1})
        )
        assert incremental(
            address, "1", ("min.insync.replicas", SET, "1"), resource_type=BROKER
        ) == (
            ErrorCode.INVALID_CONFIG,
            "Broker-level min.insync.replicas cannot be altered while ELR is enabled.",
        )
        assert incremental(
            address, "", ("min.insync.replicas", DELETE, None), resource_type=BROKER
        ) == (
            ErrorCode.INVALID_CONFIG,
            "Cluster-level min.insync.replicas cannot be removed while ELR is enabled.",
        )
        assert incremental(
            address, "", ("min.insync.replicas", SET, "1"), resource_type=BROKER
        ) == (0, None)
