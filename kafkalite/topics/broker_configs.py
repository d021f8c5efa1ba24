"""The BROKER and BROKER_LOGGER config resources.

BROKER (4), named by this broker's node id: every property of ``config.BROKER_PROPERTIES``
with its value, STATIC_BROKER_CONFIG when given at start (``-o name=value``), DEFAULT_CONFIG
otherwise, and synonyms [static value, default] as Kafka's ``ConfigHelper`` lists them. The
empty name means the cluster-wide dynamic defaults, of which there are none. Every broker
config is read-only: kafkalite reads its configuration once at start, so AlterConfigs and
IncrementalAlterConfigs of a BROKER resource answer INVALID_REQUEST "Cannot update these
configs dynamically", the answer Kafka gives for its own static configs (an empty alteration
succeeds, changing nothing).

BROKER_LOGGER (8), named by the node id: the level of the root logger and of every
``kafkalite`` logger (Kafka's ``LoggingController.loggers``), in log4j names. Levels can be
changed with IncrementalAlterConfigs, not persisted, as in Kafka (KIP-412): SET a level
(TRACE is DEBUG here), DELETE a logger's own level so it inherits again (not the root's);
APPEND and SUBTRACT are INVALID_REQUEST, as is legacy AlterConfigs.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from kafkalite.config import BROKER_PROPERTIES, BrokerConfig
from kafkalite.protocol.constants import AlterOp, ConfigSource, ConfigType
from kafkalite.protocol.errors import ErrorCode, KafkaError
from kafkalite.topics.configs import Alteration
from kafkalite.topics.model import ConfigEntry, Synonym, invalid_request

if TYPE_CHECKING:
    from kafkalite.cluster import Cluster as Broker

__all__ = ["alter_broker", "alter_loggers", "describe_broker", "describe_loggers"]

ROOT_LOGGER = "root"
_LOGGER_PREFIX = "kafkalite"
# Kafka's LONG broker configs among ours: durations but the group ones (INT), and these two.
_LONG_PROPERTIES = frozenset({"log.flush.interval.messages", "log.retention.bytes"})
_LIST_PROPERTIES = frozenset({
    "log.cleanup.policy", "listeners", "advertised.listeners", "listener.security.protocol.map",
    "sasl.enabled.mechanisms",
})
# No default of their own: the listen address.
_DERIVED_DEFAULTS = frozenset({"listeners", "advertised.listeners"})
# Kafka's PASSWORD configs: described with no value and is_sensitive set.
_SENSITIVE = frozenset({"ssl.key.password", "ssl.keystore.key", "kafkalite.users"})
_KAFKA_LEVELS = {
    "TRACE": logging.DEBUG,
    "DEBUG": logging.DEBUG,
    "INFO": logging.INFO,
    "WARN": logging.WARNING,
    "ERROR": logging.ERROR,
    "FATAL": logging.CRITICAL,
}


def _check_node_name(broker: Broker, name: str, *, empty_ok: bool) -> None:
    if not name:
        if empty_ok:
            return
        raise invalid_request("Broker id must not be empty")
    try:
        node_id = int(name)
    except ValueError:
        raise invalid_request(f"Broker id must be an integer, but it is: {name}") from None
    if node_id not in broker.nodes:
        expected = f"{broker.node_id} or empty string" if empty_ok else str(broker.node_id)
        raise invalid_request(f"Unexpected broker id, expected {expected}, but received {name}")


# --- BROKER ----------------------------------------------------------------------------------


def describe_broker(
    broker: Broker, name: str, keys: Sequence[str] | None, *, synonyms: bool, documentation: bool
) -> list[ConfigEntry]:
    _check_node_name(broker, name, empty_ok=True)
    if not name:
        return []
    defaults = _default_values()
    entries = []
    for prop_name, value, is_default in broker.config.describe():
        if keys and prop_name not in keys:
            continue
        chain = [] if is_default else [Synonym(prop_name, value, ConfigSource.STATIC_BROKER_CONFIG)]
        if prop_name not in _DERIVED_DEFAULTS:
            chain.append(Synonym(prop_name, defaults[prop_name], ConfigSource.DEFAULT_CONFIG))
        sensitive = prop_name in _SENSITIVE
        if sensitive:
            chain = [dataclasses.replace(synonym, value=None) for synonym in chain]
        entries.append(
            ConfigEntry(
                name=prop_name,
                value=None if sensitive else value,
                source=chain[0].source if chain else ConfigSource.DEFAULT_CONFIG,
                config_type=_config_type(prop_name),
                read_only=True,
                sensitive=sensitive,
                synonyms=tuple(chain) if synonyms else (),
                documentation=BROKER_PROPERTIES[prop_name].doc if documentation else None,
            )
        )
    return entries


def _config_type(name: str) -> ConfigType:
    if name in _SENSITIVE:
        return ConfigType.PASSWORD
    if name in _LIST_PROPERTIES:
        return ConfigType.LIST
    default = getattr(_default_config(), BROKER_PROPERTIES[name].attr, None)
    if isinstance(default, bool):
        return ConfigType.BOOLEAN
    if isinstance(default, int):
        long = name in _LONG_PROPERTIES or (name.endswith(".ms") and not name.startswith("group."))
        return ConfigType.LONG if long else ConfigType.INT
    return ConfigType.STRING


@functools.cache
def _default_config() -> BrokerConfig:
    return BrokerConfig()


@functools.cache
def _default_values() -> dict[str, str]:
    return {name: value for name, value, _ in _default_config().describe()}


def alter_broker(broker: Broker, name: str, alterations: Sequence[Alteration]) -> None:
    _check_node_name(broker, name, empty_ok=True)
    if alterations:
        names = ", ".join(sorted(alteration.name for alteration in alterations))
        raise invalid_request(f"Cannot update these configs dynamically: {names}")


# --- BROKER_LOGGER ---------------------------------------------------------------------------


def _loggers() -> dict[str, logging.Logger]:
    found = {ROOT_LOGGER: logging.getLogger()}
    for logger_name, logger in sorted(logging.Logger.manager.loggerDict.items()):
        if isinstance(logger, logging.Logger) and (
            logger_name == _LOGGER_PREFIX or logger_name.startswith(_LOGGER_PREFIX + ".")
        ):
            found[logger_name] = logger
    return found


def _kafka_level(level: int) -> str:
    if level >= logging.CRITICAL:
        return "FATAL"
    if level >= logging.ERROR:
        return "ERROR"
    if level >= logging.WARNING:
        return "WARN"
    return "INFO" if level >= logging.INFO else "DEBUG"


def describe_loggers(broker: Broker, name: str, keys: Sequence[str] | None) -> list[ConfigEntry]:
    _check_node_name(broker, name, empty_ok=False)
    return [
        ConfigEntry(
            name=logger_name,
            value=_kafka_level(logger.getEffectiveLevel()),
            source=ConfigSource.DYNAMIC_BROKER_LOGGER_CONFIG,
        )
        for logger_name, logger in _loggers().items()
        if not keys or logger_name in keys
    ]


def alter_loggers(
    broker: Broker, name: str, alterations: Sequence[Alteration], *, validate_only: bool
) -> None:
    """Kafka's ``RuntimeLoggerManager``: check every change, then apply them all."""
    _check_node_name(broker, name, empty_ok=False)
    loggers = _loggers()
    changes: list[tuple[logging.Logger, int]] = []
    for alteration in alterations:
        logger = loggers.get(alteration.name)
        if alteration.op in (AlterOp.APPEND, AlterOp.SUBTRACT):
            raise invalid_request(
                f"{AlterOp(alteration.op).name} operation is not allowed for "
                "the BROKER_LOGGER resource"
            )
        if alteration.op not in (AlterOp.SET, AlterOp.DELETE):
            raise invalid_request(f"Unknown operation type {alteration.op}")
        if logger is None:
            raise KafkaError(f"Logger {alteration.name} does not exist!", ErrorCode.INVALID_CONFIG)
        if alteration.op == AlterOp.DELETE:
            if alteration.name == ROOT_LOGGER:
                raise invalid_request(
                    f"Removing the log level of the {ROOT_LOGGER} logger is not allowed"
                )
            changes.append((logger, logging.NOTSET))
            continue
        level = _KAFKA_LEVELS.get((alteration.value or "").upper())
        if level is None:
            raise KafkaError(
                f"Cannot set the log level of {alteration.name} to {alteration.value} as it is "
                f"not a supported log level. Valid log levels are "
                f"{', '.join(sorted(_KAFKA_LEVELS))}",
                ErrorCode.INVALID_CONFIG,
            )
        changes.append((logger, level))
    if validate_only:
        return
    for logger, level in changes:
        logger.setLevel(level)
