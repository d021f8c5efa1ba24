"""The BROKER and BROKER_LOGGER config resources.

BROKER (4), named by a node id: every property of ``config.BROKER_PROPERTIES`` with its value
and source, the first of Kafka's precedence (``DynamicBrokerConfig``): DYNAMIC_BROKER_CONFIG
(set at run time for this node), DYNAMIC_DEFAULT_BROKER_CONFIG (set at run time for the
cluster), STATIC_BROKER_CONFIG (what kafkalite was started with: ``-o name=value``, and always
the listeners, node id and log directory), DEFAULT_CONFIG; synonyms list that chain as
Kafka's ``ConfigHelper`` does. ``read_only`` is false exactly for the configs Kafka can change
at run time. The empty name is the cluster-wide default resource: the dynamic defaults set.

AlterConfigs (the resource's dynamic set replaced) and IncrementalAlterConfigs (SET, DELETE,
APPEND, SUBTRACT) of a BROKER resource change the dynamic configs, checked as Kafka's
``DynamicBrokerConfig.validateConfigs`` checks them, every failure INVALID_REQUEST:
- a config Kafka cannot change at run time: "Cannot update these configs dynamically: Set(..)";
- an SSL key or trust store config without a listener prefix: "These security configs can be
  dynamically updated only per-listener using the listener prefix: Set(..)";
- a value that does not parse: "Invalid value v for configuration name: why".
Kafka's dynamic configs kafkalite applies: the log defaults topics inherit (``log.retention.ms``,
``log.retention.bytes``, ``log.segment.bytes``, ``log.roll.ms``, ``log.cleanup.policy``,
``log.index.interval.bytes``, ``log.index.size.max.bytes``, ``log.flush.interval.messages``,
``log.message.timestamp.type``, ``message.max.bytes``, ``min.insync.replicas``),
``log.cleaner.backoff.ms``, ``max.connections`` and ``max.connections.per.ip``. The other
dynamic ones (listeners, SSL and SASL settings, ``log.flush.interval.ms``, thread counts) are
refused with INVALID_REQUEST saying they are set at start. With ELR finalized
(``eligible.leader.replicas.version``), a node's own ``min.insync.replicas`` and removing the
cluster-level one are INVALID_CONFIG, as KIP-966 has the controller answer. Changes are
stored (``cluster.dynamic_configs``) and act at once.

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
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from kafkalite.cluster.cluster import default_log_config
from kafkalite.cluster.dynamic_configs import CLUSTER_MIN_ISR, apply_dynamic
from kafkalite.config import BROKER_PROPERTIES, BrokerConfig
from kafkalite.protocol.constants import AlterOp, ConfigSource, ConfigType
from kafkalite.protocol.errors import ErrorCode, KafkaError
from kafkalite.storage.errors import InvalidConfigError
from kafkalite.topics.configs import Alteration
from kafkalite.topics.model import ConfigEntry, Synonym, invalid_request

if TYPE_CHECKING:
    from kafkalite.cluster import Cluster as Broker

__all__ = [
    "APPLIED_DYNAMIC",
    "KAFKA_DYNAMIC","alter_broker", "alter_loggers", "describe_broker", "describe_loggers"]

log = logging.getLogger(__name__)

ROOT_LOGGER = "root"
_LOGGER_PREFIX = "kafkalite"
# Kafka's LONG broker configs among ours: durations but the group ones (INT), and these two.
_LONG_PROPERTIES = frozenset({"log.flush.interval.messages", "log.retention.bytes"})
_LIST_PROPERTIES = frozenset({
    "log.cleanup.policy", "listeners", "advertised.listeners", "listener.security.protocol.map",
    "sasl.enabled.mechanisms",
})
# No default of their own: the listen address.
_DERIVED_DEFAULTS = frozenset({"listeners", "advertised.listeners", "log.dirs"})
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

# Kafka 4.2's ``DynamicBrokerConfig.AllDynamicConfigs`` (less the metric reporter, remote
# storage and client quota plug-ins): the broker configs it can change at run time.
_SSL_STORES = frozenset({
    "ssl.keystore.type", "ssl.keystore.location", "ssl.keystore.password", "ssl.key.password",
    "ssl.truststore.type", "ssl.truststore.location", "ssl.truststore.password",
    "ssl.keystore.certificate.chain", "ssl.keystore.key", "ssl.truststore.certificates",
})
KAFKA_DYNAMIC: frozenset[str] = _SSL_STORES | frozenset({
    # DynamicLogConfig: the broker synonyms of topic configs
    "log.segment.bytes", "log.roll.ms", "log.roll.jitter.ms", "log.index.size.max.bytes",
    "log.flush.interval.messages", "log.flush.interval.ms", "log.retention.bytes",
    "log.retention.ms", "message.max.bytes", "log.index.interval.bytes",
    "log.cleaner.delete.retention.ms", "log.cleaner.min.compaction.lag.ms",
    "log.cleaner.max.compaction.lag.ms", "log.segment.delete.delay.ms",
    "log.cleaner.min.cleanable.ratio", "log.cleanup.policy", "unclean.leader.election.enable",
    "min.insync.replicas", "compression.type", "compression.gzip.level",
    "compression.lz4.level", "compression.zstd.level", "log.preallocate",
    "log.message.timestamp.type", "log.message.timestamp.before.max.ms",
    "log.message.timestamp.after.max.ms", "log.local.retention.ms", "log.local.retention.bytes",
    # LogCleaner
    "log.cleaner.threads", "log.cleaner.dedupe.buffer.size",
    "log.cleaner.io.buffer.load.factor", "log.cleaner.io.buffer.size",
    "log.cleaner.io.max.bytes.per.second", "log.cleaner.backoff.ms",
    # DynamicThreadPool, SocketServer, ProducerStateManager
    "num.io.threads", "num.replica.fetchers", "num.recovery.threads.per.data.dir",
    "background.threads", "max.connections.per.ip", "max.connections.per.ip.overrides",
    "max.connections", "max.connection.creation.rate", "num.network.threads",
    "producer.id.expiration.ms", "transaction.partition.verification.enable",
    # DynamicListenerConfig
    "advertised.listeners", "listeners", "listener.security.protocol.map",
    "principal.builder.class", "ssl.protocol", "ssl.provider", "ssl.cipher.suites",
    "ssl.enabled.protocols", "ssl.keymanager.algorithm", "ssl.trustmanager.algorithm",
    "ssl.endpoint.identification.algorithm", "ssl.secure.random.implementation",
    "ssl.client.auth", "ssl.engine.factory.class", "sasl.mechanism.inter.broker.protocol",
    "sasl.jaas.config", "sasl.enabled.mechanisms", "sasl.kerberos.service.name",
    "sasl.kerberos.kinit.cmd", "sasl.kerberos.ticket.renew.window.factor",
    "sasl.kerberos.ticket.renew.jitter", "sasl.kerberos.min.time.before.relogin",
    "sasl.kerberos.principal.to.local.rules", "sasl.login.refresh.window.factor",
    "sasl.login.refresh.window.jitter", "sasl.login.refresh.min.period.seconds",
    "sasl.login.refresh.buffer.seconds",
})
# The dynamic configs kafkalite stores and acts on at once.
APPLIED_DYNAMIC: frozenset[str] = frozenset({
    "log.segment.bytes", "log.roll.ms", "log.index.size.max.bytes",
    "log.flush.interval.messages", "log.retention.bytes", "log.retention.ms",
    "message.max.bytes", "log.index.interval.bytes", "log.cleanup.policy",
    "min.insync.replicas", "log.message.timestamp.type", "log.cleaner.backoff.ms",
    "max.connections", "max.connections.per.ip",
})
# What kafkalite is always started with, given or not: STATIC_BROKER_CONFIG.
_ALWAYS_STATIC = frozenset({"listeners", "node.id", "broker.id", "log.dirs"})
_ELR_FEATURE = "eligible.leader.replicas.version"


def _scala_set(names: Iterable[str]) -> str:
    return f"Set({', '.join(sorted(names))})"


def describe_broker(
    broker: Broker, name: str, keys: Sequence[str] | None, *, synonyms: bool, documentation: bool
) -> list[ConfigEntry]:
    _check_node_name(broker, name, empty_ok=True)
    if not name:
        return _describe_cluster_defaults(broker, keys, synonyms=synonyms, documentation=documentation)
    node_dynamic = broker.dynamic_configs.level(int(name))
    cluster_dynamic = broker.dynamic_configs.level(None)
    defaults = _default_values()
    entries = []
    for prop_name, value, is_default in broker.config.describe():
        if keys and prop_name not in keys:
            continue
        chain = []
        if prop_name in node_dynamic:
            chain.append(
                Synonym(prop_name, node_dynamic[prop_name], ConfigSource.DYNAMIC_BROKER_CONFIG)
            )
        if prop_name in cluster_dynamic:
            chain.append(
                Synonym(
                    prop_name,
                    cluster_dynamic[prop_name],
                    ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG,
                )
            )
        if not is_default or prop_name in _ALWAYS_STATIC:
            chain.append(Synonym(prop_name, value, ConfigSource.STATIC_BROKER_CONFIG))
        if prop_name not in _DERIVED_DEFAULTS:
            chain.append(Synonym(prop_name, defaults[prop_name], ConfigSource.DEFAULT_CONFIG))
        sensitive = prop_name in _SENSITIVE
        if sensitive:
            chain = [dataclasses.replace(synonym, value=None) for synonym in chain]
        entries.append(
            ConfigEntry(
                name=prop_name,
                value=chain[0].value if chain else (None if sensitive else value),
                source=chain[0].source if chain else ConfigSource.DEFAULT_CONFIG,
                config_type=_config_type(prop_name),
                read_only=prop_name not in KAFKA_DYNAMIC,
                sensitive=sensitive,
                synonyms=tuple(chain) if synonyms else (),
                documentation=BROKER_PROPERTIES[prop_name].doc if documentation else None,
            )
        )
    return entries


def _describe_cluster_defaults(
    broker: Broker, keys: Sequence[str] | None, *, synonyms: bool, documentation: bool
) -> list[ConfigEntry]:
    """The default resource: only the cluster-wide dynamic values set (``ConfigHelper``)."""
    entries = []
    for prop_name, value in sorted(broker.dynamic_configs.level(None).items()):
        if (keys and prop_name not in keys) or prop_name not in BROKER_PROPERTIES:
            continue
        synonym = Synonym(prop_name, value, ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG)
        entries.append(
            ConfigEntry(
                name=prop_name,
                value=value,
                source=ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG,
                config_type=_config_type(prop_name),
                read_only=False,
                synonyms=(synonym,) if synonyms else (),
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


def alter_broker(
    broker: Broker,
    name: str,
    alterations: Sequence[Alteration],
    *,
    incremental: bool = False,
    validate_only: bool = False,
) -> None:
    """Change the dynamic configs of one BROKER resource (``check_alterations`` passed)."""
    _check_node_name(broker, name, empty_ok=True)
    node_id = int(name) if name else None
    current = broker.dynamic_configs.level(node_id)
    if incremental:
        wanted = _apply_operations(broker, node_id, current, alterations)
    else:
        wanted = {alteration.name: alteration.value or "" for alteration in alterations}
    _validate(broker, node_id, current, wanted)
    if validate_only or wanted == current:
        return
    broker.dynamic_configs.replace(node_id, wanted)
    broker.apply_dynamic_configs()
    log.info(
        "dynamic broker configs of %s are now %s",
        f"node {node_id}" if node_id is not None else "the cluster", wanted,
    )


def _apply_operations(
    broker: Broker, node_id: int | None, current: Mapping[str, str],
    alterations: Sequence[Alteration],
) -> dict[str, str]:
    """Kafka's ``prepareIncrementalConfigs``: APPEND and SUBTRACT start from the value in
    force and act on LIST configs only."""
    result = dict(current)
    in_force = {
        prop: value
        for prop, value, _ in broker.broker_config(
            broker.node_id if node_id is None else node_id
        ).describe()
    }
    for alteration in alterations:
        prop, value = alteration.name, alteration.value
        if alteration.op == AlterOp.SET:
            result[prop] = value or ""
        elif alteration.op == AlterOp.DELETE:
            result.pop(prop, None)
        elif alteration.op in (AlterOp.APPEND, AlterOp.SUBTRACT):
            if prop not in _LIST_PROPERTIES:
                raise invalid_request(
                    f"Config value append is not allowed for config key: {prop}"
                    if alteration.op == AlterOp.APPEND
                    else f"Config value subtract is not allowed for config key: {prop}"
                )
            base = result.get(prop, in_force.get(prop, ""))
            items = [item for item in base.split(",") if item]
            for item in (value or "").split(","):
                if alteration.op == AlterOp.APPEND and item not in items:
                    items.append(item)
                elif alteration.op == AlterOp.SUBTRACT and item in items:
                    items.remove(item)
            result[prop] = ",".join(items)
        else:
            raise invalid_request(f"Unknown operations type {alteration.op}")
    return result


def _validate(
    broker: Broker, node_id: int | None, current: Mapping[str, str], wanted: Mapping[str, str]
) -> None:
    """``DynamicBrokerConfig.validateConfigs`` on the resource's new dynamic set, then the
    checks the controller adds for ELR (KIP-966)."""
    names = set(wanted)
    static = {n for n in names if n not in KAFKA_DYNAMIC and _is_broker_config(n)}
    if static:
        raise invalid_request(f"Cannot update these configs dynamically: {_scala_set(static)}")
    stores = names & _SSL_STORES
    if stores:
        raise invalid_request(
            "These security configs can be dynamically updated only per-listener using the "
            f"listener prefix: {_scala_set(stores)}"
        )
    unknown = {n for n in names if not _is_broker_config(n) and n not in KAFKA_DYNAMIC}
    if unknown:
        raise invalid_request(f"Unknown broker configs: {_scala_set(unknown)}")
    unapplied = names - APPLIED_DYNAMIC
    if unapplied:
        raise invalid_request(
            "kafkalite takes these configs at start only (-o name=value): "
            f"{_scala_set(unapplied)}"
        )
    for prop, text in sorted(wanted.items()):
        try:
            BROKER_PROPERTIES[prop].parse(text)
        except ValueError as exc:
            raise invalid_request(
                f"Invalid value {text} for configuration {prop}: {exc}"
            ) from None
    if broker.features.finalized.get(_ELR_FEATURE, 0) >= 1:
        if node_id is not None and wanted.get(CLUSTER_MIN_ISR) != current.get(CLUSTER_MIN_ISR):
            raise KafkaError(
                "Broker-level min.insync.replicas cannot be altered while ELR is enabled.",
                ErrorCode.INVALID_CONFIG,
            )
        if node_id is None and CLUSTER_MIN_ISR in current and CLUSTER_MIN_ISR not in wanted:
            raise KafkaError(
                "Cluster-level min.insync.replicas cannot be removed while ELR is enabled.",
                ErrorCode.INVALID_CONFIG,
            )
    cluster_level = wanted if node_id is None else broker.dynamic_configs.level(None)
    node_level = (
        wanted if node_id == broker.node_id else broker.dynamic_configs.level(broker.node_id)
    )
    candidate = apply_dynamic(broker.config, {**cluster_level, **node_level})
    try:
        default_log_config(candidate)
    except InvalidConfigError as exc:
        raise invalid_request(str(exc)) from None


def _is_broker_config(prop: str) -> bool:
    return prop in BROKER_PROPERTIES or prop in _KAFKA_STATIC_NAMES


# Kafka broker configs kafkalite has no property for, which Kafka cannot change at run time
# either (so the answer is Kafka's "Cannot update these configs dynamically").
_KAFKA_STATIC_NAMES = frozenset({
    "log.dir", "process.roles", "controller.quorum.voters", "controller.listener.names",
    "log.retention.hours",
    "log.retention.minutes", "log.roll.hours", "auto.leader.rebalance.enable",
})


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
