"""Per-topic log configuration: Kafka's topic config names snake_cased, Kafka's defaults.

``LogConfig`` field ``a_b_c`` is topic config ``a.b.c`` (``segment_bytes`` is
``segment.bytes``); every field name maps that way. The broker builds one default
``LogConfig`` from its ``log.*`` properties; a topic's effective config is
``default.with_overrides(topic_overrides)``, where the overrides are the strings a client sent
in CreateTopics/AlterConfigs. ``with_overrides`` validates names, types and ranges as Kafka's
``LogConfig.validate`` does and raises ``InvalidConfigError`` (INVALID_CONFIG, 40).

What kafkalite acts on: segment.bytes, segment.ms, segment.index.bytes,
index.interval.bytes, flush.messages, flush.ms, max.message.bytes (checked by the produce
handler), message.timestamp.type and the message.timestamp.*.max.ms bounds; cleanup.policy,
retention.ms, retention.bytes and file.delete.delay.ms (``retention``); delete.retention.ms,
min.cleanable.dirty.ratio, min.compaction.lag.ms and max.compaction.lag.ms (``cleaner``).
The remaining names are stored and described but not enforced; ``compression.type`` other
than ``producer`` is stored but batches are never recompressed on append.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kafkalite.storage.errors import InvalidConfigError

__all__ = ["LONG_MAX", "PASSTHROUGH_TOPIC_CONFIGS", "TOPIC_CONFIG_NAMES", "LogConfig"]

LONG_MAX = 2**63 - 1
INT_MAX = 2**31 - 1

_TIMESTAMP_TYPES = ("CreateTime", "LogAppendTime")
_COMPRESSION_TYPES = ("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer")
_CLEANUP_POLICIES = ("delete", "compact")


def _int(default: int, lo: int, hi: int = LONG_MAX) -> Any:
    return field(default=default, metadata={"min": lo, "max": hi})


@dataclass(frozen=True, kw_only=True)
class LogConfig:
    """Effective configuration of one topic's logs (immutable; replace it to change it)."""

    cleanup_policy: str = "delete"  # cleanup.policy: comma list of delete, compact
    compression_type: str = "producer"  # compression.type
    delete_retention_ms: int = _int(86_400_000, 0)  # delete.retention.ms
    file_delete_delay_ms: int = _int(60_000, 0)  # file.delete.delay.ms
    flush_messages: int = _int(LONG_MAX, 1)  # flush.messages: 1 = fsync before acks=-1
    flush_ms: int = _int(LONG_MAX, 0)  # flush.ms
    index_interval_bytes: int = _int(4096, 0, INT_MAX)  # index.interval.bytes
    max_compaction_lag_ms: int = _int(LONG_MAX, 1)  # max.compaction.lag.ms
    max_message_bytes: int = _int(1_048_588, 0, INT_MAX)  # max.message.bytes
    # message.timestamp.after.max.ms: one hour since KIP-1030 (Kafka 4.0,
    # ServerLogConfigs.LOG_MESSAGE_TIMESTAMP_AFTER_MAX_MS_DEFAULT); before: unbounded.
    message_timestamp_after_max_ms: int = _int(3_600_000, 0)
    message_timestamp_before_max_ms: int = _int(LONG_MAX, 0)
    message_timestamp_type: str = "CreateTime"  # message.timestamp.type
    min_cleanable_dirty_ratio: float = field(default=0.5, metadata={"min": 0.0, "max": 1.0})
    min_compaction_lag_ms: int = _int(0, 0)  # min.compaction.lag.ms
    min_insync_replicas: int = _int(1, 1, INT_MAX)  # min.insync.replicas
    preallocate: bool = False  # preallocate
    retention_bytes: int = _int(-1, -(2**63))  # retention.bytes
    retention_ms: int = _int(604_800_000, -1)  # retention.ms
    # segment.bytes: Kafka 3.x's topic-level floor (LegacyRecord.RECORD_OVERHEAD_V0); the
    # position in an offset-index entry is an int32, hence the ceiling.
    segment_bytes: int = _int(1 << 30, 14, INT_MAX)
    segment_index_bytes: int = _int(10 << 20, 4, INT_MAX)  # segment.index.bytes
    segment_jitter_ms: int = _int(0, 0)  # segment.jitter.ms
    segment_ms: int = _int(604_800_000, 1)  # segment.ms
    unclean_leader_election_enable: bool = False  # unclean.leader.election.enable

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            _check_value(kafka_name(f.name), getattr(self, f.name), f.metadata)

    def with_overrides(self, overrides: Mapping[str, str]) -> LogConfig:
        """A copy with Kafka-named string overrides applied; unknown names or bad values
        raise ``InvalidConfigError``. Passthrough names are accepted and ignored here."""
        changes: dict[str, Any] = {}
        for name, text in overrides.items():
            attr = name.replace(".", "_")
            if attr in _FIELDS:
                changes[attr] = _parse(name, text, _FIELDS[attr])
            elif name not in PASSTHROUGH_TOPIC_CONFIGS:
                raise InvalidConfigError(f"unknown topic config {name!r}")
        return dataclasses.replace(self, **changes)

    def to_properties(self) -> dict[str, str]:
        """Every topic config as Kafka renders it (DescribeConfigs), passthroughs included."""
        props = {kafka_name(f.name): _render(getattr(self, f.name)) for f in _FIELDS.values()}
        props.update(PASSTHROUGH_TOPIC_CONFIGS)
        return dict(sorted(props.items()))

    @property
    def log_append_time(self) -> bool:
        return self.message_timestamp_type == "LogAppendTime"

    @property
    def compact(self) -> bool:
        """``compact`` is in cleanup.policy: the cleaner compacts the log (Kafka's
        ``LogConfig.compact``)."""
        return "compact" in _policies(self.cleanup_policy)

    @property
    def delete(self) -> bool:
        """``delete`` is in cleanup.policy: retention deletes old segments."""
        return "delete" in _policies(self.cleanup_policy)


def kafka_name(attr: str) -> str:
    return attr.replace("_", ".")


def _policies(value: str) -> list[str]:
    return [policy.strip() for policy in value.split(",")]


# Topic configs Kafka accepts that kafkalite stores but has no behaviour for (tiered
# storage, replication throttles, compression levels), with Kafka's defaults.
PASSTHROUGH_TOPIC_CONFIGS: dict[str, str] = {
    "compression.gzip.level": "-1",
    "compression.lz4.level": "9",
    "compression.zstd.level": "3",
    "follower.replication.throttled.replicas": "",
    "leader.replication.throttled.replicas": "",
    "local.retention.bytes": "-2",
    "local.retention.ms": "-2",
    "remote.log.copy.disable": "false",
    "remote.log.delete.on.disable": "false",
    "remote.storage.enable": "false",
}

_FIELDS: dict[str, dataclasses.Field[Any]] = {
    f.name: f for f in dataclasses.fields(LogConfig)
}

TOPIC_CONFIG_NAMES: frozenset[str] = frozenset(
    [kafka_name(name) for name in _FIELDS] + list(PASSTHROUGH_TOPIC_CONFIGS)
)


def _parse(name: str, text: str, f: dataclasses.Field[Any]) -> Any:
    default = f.default
    value: Any
    try:
        if isinstance(default, bool):
            lowered = text.strip().lower()
            if lowered not in ("true", "false"):
                raise ValueError(text)
            value = lowered == "true"
        elif isinstance(default, int):
            value = int(text.strip())
        elif isinstance(default, float):
            value = float(text.strip())
        else:
            value = text.strip()
    except ValueError as exc:
        raise InvalidConfigError(f"invalid value {text!r} for {name}") from exc
    _check_value(name, value, f.metadata)
    return value


def _check_value(name: str, value: Any, metadata: Mapping[str, Any]) -> None:
    lo = metadata.get("min")
    hi = metadata.get("max")
    if lo is not None and value < lo:
        raise InvalidConfigError(f"{name} must be at least {lo}, got {value}")
    if hi is not None and value > hi:
        raise InvalidConfigError(f"{name} must be at most {hi}, got {value}")
    if name == "message.timestamp.type" and value not in _TIMESTAMP_TYPES:
        raise InvalidConfigError(f"{name} must be one of {_TIMESTAMP_TYPES}, got {value!r}")
    if name == "compression.type" and value not in _COMPRESSION_TYPES:
        raise InvalidConfigError(f"{name} must be one of {_COMPRESSION_TYPES}, got {value!r}")
    if name == "cleanup.policy":
        policies = [p.strip() for p in str(value).split(",") if p.strip()]
        if any(p not in _CLEANUP_POLICIES for p in policies):
            raise InvalidConfigError(f"{name} must list {_CLEANUP_POLICIES}, got {value!r}")


def _render(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
