"""The topic configs kafkalite knows, and their validation.

``TOPIC_CONFIGS`` lists every topic config Kafka 4 defines (bar the removed
``message.format.version``) with its type, its broker synonym (the first of Kafka's
``ServerTopicConfigSynonyms``) and a line of documentation saying what kafkalite does with it.
The storage layer (``storage.config``) owns the values and their checks; this table adds what
only the admin APIs need.

``validate_overrides`` checks a topic's override set: Kafka's names (an unknown one is
``Unknown topic config name: x``), the value checks of ``LogConfig``, and type checks for the
names kafkalite stores without acting on them (tiered storage, replication throttles,
compression levels). ``remote.storage.enable=true`` is refused, as by a Kafka broker without
tiered storage. Every failure is INVALID_CONFIG (40).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from kafkalite.protocol.constants import ConfigType
from kafkalite.protocol.errors import ErrorCode, KafkaError
from kafkalite.storage.config import PASSTHROUGH_TOPIC_CONFIGS, LogConfig
from kafkalite.storage.errors import InvalidConfigError

__all__ = [
    "BROKER_PROPERTIES_FEEDING_TOPICS",
    "LIST_CONFIGS",
    "TOPIC_CONFIGS",
    "TopicConfigSpec",
    "validate_overrides",
]


@dataclass(frozen=True, slots=True)
class TopicConfigSpec:
    config_type: ConfigType
    synonym: str | None
    """Kafka's broker config supplying the default (``ServerTopicConfigSynonyms``)."""
    doc: str


_T = ConfigType


def _spec(config_type: ConfigType, synonym: str | None, doc: str) -> TopicConfigSpec:
    return TopicConfigSpec(config_type, synonym, doc)


# fmt: off
TOPIC_CONFIGS: dict[str, TopicConfigSpec] = {
    "cleanup.policy": _spec(_T.LIST, "log.cleanup.policy",
        "delete: retention drops old segments; compact: the cleaner keeps each key's last record."),
    "compression.gzip.level": _spec(_T.INT, "compression.gzip.level",
        "Gzip level when the broker compresses (it never does)."),
    "compression.lz4.level": _spec(_T.INT, "compression.lz4.level",
        "LZ4 level when the broker compresses (it never does)."),
    "compression.type": _spec(_T.STRING, "compression.type",
        "Codec of stored batches; only 'producer' (keep as sent) is acted on."),
    "compression.zstd.level": _spec(_T.INT, "compression.zstd.level",
        "ZSTD level when the broker compresses (it never does)."),
    "delete.retention.ms": _spec(_T.LONG, "log.cleaner.delete.retention.ms",
        "How long compaction keeps tombstones."),
    "file.delete.delay.ms": _spec(_T.LONG, "log.segment.delete.delay.ms",
        "Delay before a deleted segment's files are unlinked."),
    "flush.messages": _spec(_T.LONG, "log.flush.interval.messages",
        "fsync after this many messages; 1 makes acks=all wait for the fsync."),
    "flush.ms": _spec(_T.LONG, "log.flush.interval.ms",
        "fsync when this long has passed since the last one."),
    "follower.replication.throttled.replicas": _spec(_T.LIST, None,
        "Throttled follower replicas (stored; one replica)."),
    "index.interval.bytes": _spec(_T.INT, "log.index.interval.bytes",
        "Bytes between offset-index entries."),
    "leader.replication.throttled.replicas": _spec(_T.LIST, None,
        "Throttled leader replicas (stored; one replica)."),
    "local.retention.bytes": _spec(_T.LONG, "log.local.retention.bytes",
        "Tiered storage: local bytes kept (stored)."),
    "local.retention.ms": _spec(_T.LONG, "log.local.retention.ms",
        "Tiered storage: local time kept (stored)."),
    "max.compaction.lag.ms": _spec(_T.LONG, "log.cleaner.max.compaction.lag.ms",
        "Longest a record may stay uncompacted."),
    "max.message.bytes": _spec(_T.INT, "message.max.bytes",
        "Largest record batch a producer may send."),
    "message.timestamp.after.max.ms": _spec(_T.LONG, "log.message.timestamp.after.max.ms",
        "How far in the future a CreateTime timestamp may be."),
    "message.timestamp.before.max.ms": _spec(_T.LONG, "log.message.timestamp.before.max.ms",
        "How far in the past a CreateTime timestamp may be."),
    "message.timestamp.type": _spec(_T.STRING, "log.message.timestamp.type",
        "CreateTime (the producer's) or LogAppendTime (the broker's)."),
    "min.cleanable.dirty.ratio": _spec(_T.DOUBLE, "log.cleaner.min.cleanable.ratio",
        "Share of dirty bytes at which the cleaner compacts a log."),
    "min.compaction.lag.ms": _spec(_T.LONG, "log.cleaner.min.compaction.lag.ms",
        "Shortest time a record stays uncompacted."),
    "min.insync.replicas": _spec(_T.INT, "min.insync.replicas",
        "Replicas acks=all needs (one replica is always in sync)."),
    "preallocate": _spec(_T.BOOLEAN, "log.preallocate",
        "Preallocate segment files (stored)."),
    "remote.log.copy.disable": _spec(_T.BOOLEAN, None,
        "Tiered storage: stop copying to remote (stored)."),
    "remote.log.delete.on.disable": _spec(_T.BOOLEAN, None,
        "Tiered storage: delete remote data when disabled (stored)."),
    "remote.storage.enable": _spec(_T.BOOLEAN, None,
        "Tiered storage; not available here, so only false."),
    "retention.bytes": _spec(_T.LONG, "log.retention.bytes",
        "Size above which a partition's oldest segments go (-1: none)."),
    "retention.ms": _spec(_T.LONG, "log.retention.ms",
        "Age after which a segment goes (-1: never)."),
    "segment.bytes": _spec(_T.INT, "log.segment.bytes",
        "Roll a segment at this size (from the next roll)."),
    "segment.index.bytes": _spec(_T.INT, "log.index.size.max.bytes",
        "Size of a segment's offset and time indexes."),
    "segment.jitter.ms": _spec(_T.LONG, "log.roll.jitter.ms",
        "Random jitter subtracted from segment.ms (stored)."),
    "segment.ms": _spec(_T.LONG, "log.roll.ms",
        "Roll a segment after this age."),
    "unclean.leader.election.enable": _spec(_T.BOOLEAN, "unclean.leader.election.enable",
        "Elect out-of-sync leaders (one replica: moot)."),
}
# fmt: on

# The broker properties ``Broker.default_log_config`` turns into topic defaults.
BROKER_PROPERTIES_FEEDING_TOPICS: frozenset[str] = frozenset(
    {
        "log.cleanup.policy",
        "log.flush.interval.messages",
        "log.index.interval.bytes",
        "log.index.size.max.bytes",
        "log.message.timestamp.type",
        "log.retention.bytes",
        "log.retention.ms",
        "log.roll.ms",
        "log.segment.bytes",
        "message.max.bytes",
        "min.insync.replicas",
    }
)

LIST_CONFIGS = frozenset(
    name for name, spec in TOPIC_CONFIGS.items() if spec.config_type is _T.LIST
)
_THROTTLED = re.compile(r"\*|\d+:\d+(,\d+:\d+)*")
_INT_RANGES: dict[str, tuple[int, int]] = {
    "compression.gzip.level": (-1, 9),
    "compression.lz4.level": (1, 17),
    "compression.zstd.level": (-131072, 22),
    "local.retention.bytes": (-2, 2**63 - 1),
    "local.retention.ms": (-2, 2**63 - 1),
}


# --- validation ------------------------------------------------------------------------------


def validate_overrides(default: LogConfig, overrides: Mapping[str, str]) -> LogConfig:
    """The effective config of a topic with ``overrides``; INVALID_CONFIG if they are invalid."""
    for name, value in overrides.items():
        if name not in TOPIC_CONFIGS:
            raise KafkaError(f"Unknown topic config name: {name}", ErrorCode.INVALID_CONFIG)
        if name in PASSTHROUGH_TOPIC_CONFIGS:
            _check_passthrough(name, value)
    try:
        return default.with_overrides(overrides)
    except InvalidConfigError as exc:
        raise KafkaError(str(exc), ErrorCode.INVALID_CONFIG) from None


def _check_passthrough(name: str, value: str) -> None:
    config_type = TOPIC_CONFIGS[name].config_type
    text = value.strip()
    if config_type is _T.BOOLEAN:
        if text.lower() not in ("true", "false"):
            raise _invalid_value(name, value, "Expected value to be either true or false")
        if name == "remote.storage.enable" and text.lower() == "true":
            raise KafkaError(
                "Tiered Storage functionality is disabled in the broker. "
                "Topic cannot be configured with remote log storage.",
                ErrorCode.INVALID_CONFIG,
            )
    elif config_type is _T.LIST:
        if text and not _THROTTLED.fullmatch(text.replace(" ", "")):
            raise _invalid_value(
                name,
                value,
                "must be the literal '*' or a list of replicas "
                "in the following format: [partitionId]:[brokerId],...",
            )
    elif name in _INT_RANGES:
        try:
            number = int(text)
        except ValueError:
            raise _invalid_value(name, value, f"Not a number of type {config_type.name}") from None
        low, high = _INT_RANGES[name]
        if not low <= number <= high or (name == "compression.gzip.level" and number == 0):
            raise _invalid_value(name, value, f"Value must be in [{low}, {high}]")


def _invalid_value(name: str, value: str, why: str) -> KafkaError:
    return KafkaError(
        f"Invalid value {value} for configuration {name}: {why}", ErrorCode.INVALID_CONFIG
    )
