"""Topic configs as the admin APIs see them: description and alteration.

Description (DescribeConfigs, CreateTopics v5+), as Kafka's ``ConfigHelper.createTopicConfigEntry``:
every topic config with its effective value, ``read_only`` false, never sensitive, and a
source taken from its synonym chain: the topic's override (DYNAMIC_TOPIC_CONFIG), then the
broker synonym (``catalog.TOPIC_CONFIGS``) as set at run time for the first node
(DYNAMIC_BROKER_CONFIG) or the cluster (DYNAMIC_DEFAULT_BROKER_CONFIG; Kafka 4.1+ always has a
cluster-level ``min.insync.replicas``, KIP-966), as set at start with ``-o``
(STATIC_BROKER_CONFIG), then that synonym's default (DEFAULT_CONFIG). Broker properties
kafkalite has but does not feed into topic defaults (``log.flush.interval.ms`` paces the
background fsync here) are left out of the chain, so the topic and broker descriptions never
contradict each other.

Alteration: AlterConfigs replaces the topic's whole override set; IncrementalAlterConfigs
applies SET, DELETE, APPEND and SUBTRACT in turn, the last two only to LIST configs and
starting from the topic-level default when there is no override (Kafka's
``ConfigurationControlManager.incrementalAlterConfigResource``). Either way the new set is
validated whole (``catalog.validate_overrides``), then stored by
``LogManager.alter_topic_configs``: durable, and live at once for every partition
(``max.message.bytes``, ``message.timestamp.type`` and ``flush.messages`` from the next
append, ``segment.bytes`` from the next roll).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kafkalite.config import BROKER_PROPERTIES, BrokerConfig
from kafkalite.protocol.constants import AlterOp, ConfigSource, ConfigType
from kafkalite.protocol.errors import ErrorCode, KafkaError
from kafkalite.storage.config import PASSTHROUGH_TOPIC_CONFIGS, LogConfig
from kafkalite.storage.manager import TopicInfo, topic_name_error
from kafkalite.topics.catalog import (
    BROKER_PROPERTIES_FEEDING_TOPICS,
    LIST_CONFIGS,
    TOPIC_CONFIGS,
    TopicConfigSpec,
    validate_overrides,
)
from kafkalite.topics.model import ConfigEntry, Synonym, invalid_request

if TYPE_CHECKING:
    from kafkalite.cluster import Cluster as Broker

__all__ = [
    "Alteration",
    "alter_topic",
    "apply_alterations",
    "check_alterations",
    "check_topic_resource_name",
    "describe_topic",
    "require_topic",
    "topic_entries",
]


def check_topic_resource_name(name: str) -> None:
    """The name of a TOPIC resource to alter (``ControllerConfigurationValidator``)."""
    if not name:
        raise invalid_request("Default topic resources are not allowed.")
    error = topic_name_error(name)
    if error is not None:
        raise KafkaError(error, ErrorCode.INVALID_TOPIC_EXCEPTION)


def require_topic(broker: Broker, name: str) -> TopicInfo:
    info = broker.logs.get_topic(name)
    if info is None:
        raise KafkaError(
            f"The topic '{name}' does not exist.", ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
        )
    return info


# --- description -----------------------------------------------------------------------------


def describe_topic(
    broker: Broker, name: str, keys: Sequence[str] | None, *, synonyms: bool, documentation: bool
) -> list[ConfigEntry]:
    """DescribeConfigs of a TOPIC resource: ``keys`` null or empty means every config."""
    error = topic_name_error(name)
    if error is not None:
        raise KafkaError(error, ErrorCode.INVALID_TOPIC_EXCEPTION)
    info = broker.logs.get_topic(name)
    if info is None:
        raise KafkaError("", ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
    entries = topic_entries(
        broker,
        info.configs,
        info.partitions[0].config,
        synonyms=synonyms,
        documentation=documentation,
    )
    if keys:
        wanted = set(keys)
        entries = [entry for entry in entries if entry.name in wanted]
    return entries


def topic_entries(
    broker: Broker,
    overrides: Mapping[str, str],
    config: LogConfig | None = None,
    *,
    synonyms: bool = False,
    documentation: bool = False,
) -> list[ConfigEntry]:
    """Every config of a topic with ``overrides`` (already validated) and effective
    ``config`` (the live one of an existing topic; else derived), sorted by name."""
    if config is None:
        config = broker.logs.default_config.with_overrides(overrides)
    values = config.to_properties()
    values.update(
        (name, value) for name, value in overrides.items() if name in PASSTHROUGH_TOPIC_CONFIGS
    )
    entries = []
    for name, value in sorted(values.items()):
        spec = TOPIC_CONFIGS.get(name, TopicConfigSpec(ConfigType.UNKNOWN, None, ""))
        chain: list[Synonym] = []
        if name in overrides:
            chain.append(Synonym(name, value, ConfigSource.DYNAMIC_TOPIC_CONFIG))
        chain.extend(_broker_synonyms(broker, name, spec.synonym))
        entries.append(
            ConfigEntry(
                name=name,
                value=value,
                source=chain[0].source if chain else ConfigSource.DEFAULT_CONFIG,
                config_type=spec.config_type,
                synonyms=tuple(chain) if synonyms else (),
                documentation=spec.doc if documentation else None,
            )
        )
    return entries


def _broker_synonyms(broker: Broker, topic_config: str, synonym: str | None) -> list[Synonym]:
    if synonym is None:
        return []
    if synonym in BROKER_PROPERTIES_FEEDING_TOPICS:
        config = broker.config
        chain = []
        # The first node's dynamic value, then the cluster's (``DynamicBrokerConfig``).
        node_level = broker.dynamic_configs.level(broker.node_id)
        cluster_level = broker.dynamic_configs.level(None)
        if synonym in node_level:
            chain.append(
                Synonym(synonym, node_level[synonym], ConfigSource.DYNAMIC_BROKER_CONFIG)
            )
        if synonym in cluster_level:
            chain.append(
                Synonym(synonym, cluster_level[synonym], ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG)
            )
        if synonym in config.overrides:
            chain.append(
                Synonym(synonym, _broker_values(config)[synonym], ConfigSource.STATIC_BROKER_CONFIG)
            )
        chain.append(
            Synonym(synonym, _default_broker_values()[synonym], ConfigSource.DEFAULT_CONFIG)
        )
        return chain
    if synonym in BROKER_PROPERTIES:
        return []
    return [Synonym(synonym, _topic_defaults()[topic_config], ConfigSource.DEFAULT_CONFIG)]


def _broker_values(config: BrokerConfig) -> dict[str, str]:
    return {name: value for name, value, _ in config.describe()}


@functools.cache
def _default_broker_values() -> dict[str, str]:
    return _broker_values(BrokerConfig())


@functools.cache
def _topic_defaults() -> dict[str, str]:
    return LogConfig().to_properties()


# --- alteration ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Alteration:
    """One entry of an AlterConfigs (always SET) or IncrementalAlterConfigs resource."""

    name: str
    value: str | None
    op: int = AlterOp.SET


def check_alterations(alterations: Sequence[Alteration]) -> None:
    """Kafka's ``ConfigAdminManager.preprocess``: no name twice, no null but for DELETE."""
    names = [alteration.name for alteration in alterations]
    if len(set(names)) != len(names):
        raise invalid_request("Error due to duplicate config keys")
    nulls = [a.name for a in alterations if a.value is None and a.op != AlterOp.DELETE]
    if nulls:
        raise invalid_request("Null value not supported for : " + ", ".join(nulls))


def apply_alterations(
    current: Mapping[str, str], alterations: Sequence[Alteration]
) -> dict[str, str]:
    """The override set after ``alterations``, applied in order (values not yet validated)."""
    result = dict(current)
    for alteration in alterations:
        name, value = alteration.name, alteration.value
        if alteration.op == AlterOp.SET:
            assert value is not None
            result[name] = value
        elif alteration.op == AlterOp.DELETE:
            result.pop(name, None)
        elif alteration.op in (AlterOp.APPEND, AlterOp.SUBTRACT):
            op_name = AlterOp(alteration.op).name
            if name not in LIST_CONFIGS:
                raise KafkaError(
                    f"Can't {op_name} to key {name} because its type is not LIST.",
                    ErrorCode.INVALID_CONFIG,
                )
            assert value is not None
            base = result[name] if name in result else _topic_defaults().get(name, "")
            parts = [part for part in base.split(",") if part]
            for item in value.split(","):
                if alteration.op == AlterOp.APPEND and item not in parts:
                    parts.append(item)
                elif alteration.op == AlterOp.SUBTRACT and item in parts:
                    parts.remove(item)
            result[name] = ",".join(parts)
        else:
            raise invalid_request(f"Unknown operation type {alteration.op}")
    return result


def alter_topic(
    broker: Broker,
    name: str,
    alterations: Sequence[Alteration],
    *,
    incremental: bool,
    validate_only: bool,
) -> None:
    """AlterConfigs (``incremental`` false: the alterations become the whole override set) or
    IncrementalAlterConfigs of one TOPIC resource (``check_alterations`` already passed)."""
    check_topic_resource_name(name)
    info = broker.logs.get_topic(name)
    current = info.configs if info is not None and incremental else {}
    overrides = apply_alterations(current, alterations)
    validate_overrides(broker.logs.default_config, overrides)
    info = require_topic(broker, name)
    if validate_only or overrides == info.configs:
        return
    broker.logs.alter_topic_configs(name, overrides)
