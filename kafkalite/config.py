"""Broker configuration, named after Kafka's own properties.

``BrokerConfig`` holds every setting kafkalite understands; ``-o key=value`` on the command
line accepts the Kafka property name (``num.partitions=3``, ``log.segment.bytes=1048576``).
``describe()`` reports each one with its value and whether it was set or defaulted, which
DescribeConfigs serves for broker resources.

Where kafkalite's default differs from Kafka's, the reason is noted:
- ``group.initial.rebalance.delay.ms`` is 0 (Kafka: 3000): tests want groups to form at once;
- ``log.flush.interval.ms`` is 1000 (Kafka: unset, so the OS decides): a background fsync
  every second bounds what a machine crash can lose, at no cost to producers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["BROKER_PROPERTIES", "BrokerConfig", "ConfigError", "Property"]

LONG_MAX = (1 << 63) - 1
INT_MAX = (1 << 31) - 1


class ConfigError(ValueError):
    """A property name we don't know, or a value that does not parse or validate."""


def _bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered not in ("true", "false"):
        raise ValueError(f"expected true or false, got {text!r}")
    return lowered == "true"


def _int(minimum: int | None = None) -> Callable[[str], int]:
    """An integer parser with Kafka's ``atLeast(minimum)`` validator."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise ValueError(f"expected an integer, got {text!r}") from None
        if minimum is not None and value < minimum:
            raise ValueError(f"must be at least {minimum}, got {value}")
        return value

    return parse


def _one_of(*choices: str) -> Callable[[str], str]:
    """Kafka's ``ValidString.in``: one of ``choices``, exactly as spelled."""

    def parse(text: str) -> str:
        if text.strip() not in choices:
            raise ValueError(f"expected one of {', '.join(choices)}, got {text!r}")
        return text.strip()

    return parse


def _list_of(*choices: str) -> Callable[[str], str]:
    """Kafka's ``ValidList.in``: a non-empty comma-separated list drawn from ``choices``."""

    def parse(text: str) -> str:
        items = [item.strip() for item in text.split(",")]
        if not text.strip() or any(item not in choices for item in items):
            raise ValueError(
                f"expected a comma-separated list of {', '.join(choices)}, got {text!r}"
            )
        return ",".join(items)

    return parse


def _cpu(text: str) -> int | None:
    lowered = text.strip().lower()
    if lowered in ("none", "-1", ""):
        return None
    if lowered == "auto":
        return -1
    return int(lowered)


@dataclass(frozen=True, slots=True)
class Property:
    """A Kafka property name bound to a ``BrokerConfig`` attribute."""

    name: str
    attr: str
    parse: Callable[[str], Any]
    doc: str
    read_only: bool = True


@dataclass(frozen=True, kw_only=True)
class BrokerConfig:
    host: str = "127.0.0.1"
    port: int = 9092
    data_dir: Path = Path("kafkalite-data")
    advertised_host: str | None = None
    advertised_port: int | None = None
    node_id: int = 1
    brokers: int = 1
    """Nodes in this cluster: ids ``node_id`` .. ``node_id + brokers - 1``, one port each."""
    num_partitions: int = 1
    default_replication_factor: int = 1
    auto_create_topics_enable: bool = True
    delete_topic_enable: bool = True
    log_segment_bytes: int = 1 << 30
    log_index_interval_bytes: int = 4096
    log_index_size_max_bytes: int = 10 << 20
    log_flush_interval_messages: int = LONG_MAX
    log_flush_interval_ms: int = 1000
    log_message_timestamp_type: str = "CreateTime"
    message_max_bytes: int = 1048588
    log_retention_ms: int = 7 * 24 * 3600 * 1000
    log_retention_bytes: int = -1
    log_cleanup_policy: str = "delete"
    log_roll_ms: int = 7 * 24 * 3600 * 1000
    log_retention_check_interval_ms: int = 300_000
    log_cleaner_enable: bool = True
    log_cleaner_backoff_ms: int = 15_000
    min_insync_replicas: int = 1
    socket_request_max_bytes: int = 100 << 20
    connections_max_idle_ms: int = 600_000
    max_connections: int = INT_MAX
    max_connections_per_ip: int = INT_MAX
    queued_max_request_bytes: int = -1
    request_read_timeout_ms: int = 60_000
    group_initial_rebalance_delay_ms: int = 0
    group_min_session_timeout_ms: int = 6000
    group_max_session_timeout_ms: int = 1800000
    offsets_topic_num_partitions: int = 50
    offsets_topic_replication_factor: int = 3
    transaction_state_log_num_partitions: int = 50
    transaction_state_log_replication_factor: int = 3
    transaction_max_timeout_ms: int = 900_000
    transaction_abort_timed_out_transaction_cleanup_interval_ms: int = 10_000
    transactional_id_expiration_ms: int = 604_800_000
    flush_thread_cpu: int | None = -1
    """CPU the flush thread pins itself to; -1 picks the last allowed CPU, None disables."""
    shutdown_timeout_ms: int = 30000
    http_port: int | None = None
    """Port of the HTTP server (control API) on 127.0.0.1; None: no HTTP server, 0: a free
    port. Not a Kafka property: ``kafkalite serve --control-port``."""
    overrides: Mapping[str, str] = field(default_factory=dict)
    """The properties given explicitly, by Kafka name, as given."""

    @property
    def advertised(self) -> tuple[str, int]:
        return (self.advertised_host or self.host, self.advertised_port or self.port)

    def with_properties(self, properties: Mapping[str, str]) -> BrokerConfig:
        """A copy with Kafka-named ``properties`` applied; raises ``ConfigError``."""
        changes: dict[str, Any] = {}
        for name, text in properties.items():
            prop = BROKER_PROPERTIES.get(name)
            if prop is None:
                raise ConfigError(
                    f"unknown broker config {name!r}; known: {', '.join(sorted(BROKER_PROPERTIES))}"
                )
            try:
                changes[prop.attr] = prop.parse(text)
            except ValueError as exc:
                raise ConfigError(f"invalid value {text!r} for {name}: {exc}") from None
        if "advertised_listeners" in changes:
            host, port = changes.pop("advertised_listeners")
            changes["advertised_host"], changes["advertised_port"] = host, port
        merged = {**self.overrides, **properties}
        return dataclasses.replace(self, **changes, overrides=merged)

    def describe(self) -> list[tuple[str, str, bool]]:
        """``(kafka name, value, is_default)`` for every property."""
        rows = []
        for name, prop in sorted(BROKER_PROPERTIES.items()):
            if prop.attr == "advertised_listeners":
                host, port = self.advertised
                value: Any = f"PLAINTEXT://{host}:{port}"
            else:
                value = getattr(self, prop.attr)
            text = (
                ""
                if value is None
                else str(value).lower()
                if isinstance(value, bool)
                else str(value)
            )
            rows.append((name, text, name not in self.overrides))
        return rows


def parse_listener(text: str) -> tuple[str, int]:
    """``PLAINTEXT://host:port`` or ``host:port`` -> ``(host, port)``."""
    address = text.split(",")[0].strip()
    if "://" in address:
        address = address.split("://", 1)[1]
    host, sep, port = address.rpartition(":")
    if not sep or not port.isdigit():
        raise ValueError(f"expected host:port, got {text!r}")
    return host.strip("[]"), int(port)


def _props(*rows: tuple[str, str, Callable[[str], Any], str]) -> dict[str, Property]:
    return {name: Property(name, attr, parse, doc) for name, attr, parse, doc in rows}


BROKER_PROPERTIES: dict[str, Property] = _props(
    (
        "advertised.listeners",
        "advertised_listeners",
        parse_listener,
        "Address given to clients in Metadata.",
    ),
    ("node.id", "node_id", _int(0), "This broker's id."),
    ("broker.id", "node_id", _int(0), "Alias of node.id."),
    ("num.partitions", "num_partitions", _int(1), "Partitions of an auto-created topic."),
    (
        "default.replication.factor",
        "default_replication_factor",
        _int(1),
        "Replicas of a new topic (at most the number of brokers; data is kept once).",
    ),
    (
        "auto.create.topics.enable",
        "auto_create_topics_enable",
        _bool,
        "Create unknown topics on Metadata/Produce.",
    ),
    ("delete.topic.enable", "delete_topic_enable", _bool, "Allow DeleteTopics."),
    ("log.segment.bytes", "log_segment_bytes", _int(14), "Roll a segment at this size."),
    (
        "log.index.interval.bytes",
        "log_index_interval_bytes",
        _int(0),
        "Bytes between offset-index entries.",
    ),
    ("log.index.size.max.bytes", "log_index_size_max_bytes", _int(4), "Maximum size of an index file."),
    (
        "log.flush.interval.messages",
        "log_flush_interval_messages",
        _int(1),
        "fsync after this many messages.",
    ),
    ("log.flush.interval.ms", "log_flush_interval_ms", _int(0), "Background fsync interval."),
    (
        "log.message.timestamp.type",
        "log_message_timestamp_type",
        _one_of("CreateTime", "LogAppendTime"),
        "CreateTime or LogAppendTime.",
    ),
    ("message.max.bytes", "message_max_bytes", _int(0), "Largest record batch accepted."),
    ("log.retention.ms", "log_retention_ms", _int(-1), "Delete segments older than this."),
    (
        "log.retention.bytes",
        "log_retention_bytes",
        _int(),
        "Delete segments beyond this size (-1: no limit).",
    ),
    ("log.cleanup.policy", "log_cleanup_policy", _list_of("compact", "delete"), "delete, compact or both."),
    ("log.roll.ms", "log_roll_ms", _int(1), "Roll a segment after this age."),
    (
        "log.retention.check.interval.ms",
        "log_retention_check_interval_ms",
        _int(1),
        "How often old segments are looked for and deleted.",
    ),
    (
        "log.cleaner.enable",
        "log_cleaner_enable",
        _bool,
        "Compact topics with cleanup.policy=compact.",
    ),
    (
        "log.cleaner.backoff.ms",
        "log_cleaner_backoff_ms",
        _int(0),
        "How long the cleaner sleeps when no log needs cleaning.",
    ),
    ("min.insync.replicas", "min_insync_replicas", _int(1), "Accepted; one replica is always in sync."),
    (
        "socket.request.max.bytes",
        "socket_request_max_bytes",
        _int(1),
        "Largest request frame accepted.",
    ),
    (
        "connections.max.idle.ms",
        "connections_max_idle_ms",
        _int(-1),
        "Close a connection idle (no request in progress) this long; -1: never.",
    ),
    (
        "max.connections",
        "max_connections",
        _int(0),
        "Connections a node keeps open; one more is closed at accept.",
    ),
    (
        "max.connections.per.ip",
        "max_connections_per_ip",
        _int(0),
        "Connections a node keeps open from one address; one more is closed at accept.",
    ),
    (
        "queued.max.request.bytes",
        "queued_max_request_bytes",
        _int(-1),
        "Bytes of requests being read, across all connections; -1: no limit.",
    ),
    (
        "kafkalite.request.read.timeout.ms",
        "request_read_timeout_ms",
        _int(1),
        "Close a connection whose request has not fully arrived this long after it began.",
    ),
    (
        "group.initial.rebalance.delay.ms",
        "group_initial_rebalance_delay_ms",
        _int(0),
        "Delay of a new group's first rebalance.",
    ),
    (
        "group.min.session.timeout.ms",
        "group_min_session_timeout_ms",
        _int(0),
        "Smallest session timeout allowed.",
    ),
    (
        "group.max.session.timeout.ms",
        "group_max_session_timeout_ms",
        _int(0),
        "Largest session timeout allowed.",
    ),
    (
        "offsets.topic.num.partitions",
        "offsets_topic_num_partitions",
        _int(1),
        "Partitions of __consumer_offsets, created on first use.",
    ),
    (
        "offsets.topic.replication.factor",
        "offsets_topic_replication_factor",
        _int(1),
        "Replicas of each __consumer_offsets partition (at most the number of brokers).",
    ),
    (
        "transaction.state.log.num.partitions",
        "transaction_state_log_num_partitions",
        _int(1),
        "Partitions of __transaction_state, created on first use.",
    ),
    (
        "transaction.state.log.replication.factor",
        "transaction_state_log_replication_factor",
        _int(1),
        "Replicas of each __transaction_state partition (at most the number of brokers).",
    ),
    (
        "transaction.max.timeout.ms",
        "transaction_max_timeout_ms",
        _int(1),
        "Largest transaction.timeout.ms a producer may ask for.",
    ),
    (
        "transaction.abort.timed.out.transaction.cleanup.interval.ms",
        "transaction_abort_timed_out_transaction_cleanup_interval_ms",
        _int(1),
        "How often transactions open past their timeout are looked for and aborted.",
    ),
    (
        "transactional.id.expiration.ms",
        "transactional_id_expiration_ms",
        _int(1),
        "Forget a transactional id idle for this long.",
    ),
    (
        "kafkalite.flush.thread.cpu",
        "flush_thread_cpu",
        _cpu,
        "CPU for the flush thread: auto, none or a number.",
    ),
    (
        "kafkalite.shutdown.timeout.ms",
        "shutdown_timeout_ms",
        _int(0),
        "How long shutdown waits for requests in flight.",
    ),
)
