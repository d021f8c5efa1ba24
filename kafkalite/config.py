"""Broker configuration, named after Kafka's own properties.

``BrokerConfig`` holds every setting kafkalite understands; ``-o key=value`` on the command
line accepts the Kafka property name (``num.partitions=3``, ``log.segment.bytes=1048576``).
``describe()`` reports each one with its value and whether it was set or defaulted, which
DescribeConfigs serves for broker resources.

Where kafkalite's default differs from Kafka's, the reason is noted:
- ``group.initial.rebalance.delay.ms`` is 300 (Kafka: 3000): consumers started together still
  join one generation (Kafka's delayed initial join, extended while members arrive), and a
  new group forms in under a second instead of six (``benchmarks/group_formation.py``);
- ``log.flush.interval.ms`` is 1000 (Kafka: unset, so the OS decides): a background fsync
  every second bounds what a machine crash can lose, at no cost to producers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kafkalite.listener_config import (
    DEFAULT_PROTOCOL_MAP,
    LISTENER_PARSERS,
    LISTENER_SETTING,
    ListenerAddress,
    SslSettings,
    format_protocol_map,
    parse_client_auth,
    parse_listeners,
    parse_mapping_rules,
    parse_mechanisms,
    parse_named_listeners,
    parse_pem_type,
    parse_protocol_map,
    parse_users,
    split_names,
)
from kafkalite.protocol.releases import parse_release
from kafkalite.security.acls import STANDARD_AUTHORIZER_NAME, parse_super_users
from kafkalite.security.jaas import jaas_users

__all__ = [
    "BROKER_PROPERTIES",
    "BrokerConfig",
    "ConfigError",
    "ListenerAddress",
    "Property",
    "SslSettings",
    "parse_listeners",
]

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


def _assignors(text: str) -> tuple[str, ...]:
    # Kafka also takes class names; the two built-in assignors go by their short names.
    names = tuple(
        name.strip().rsplit(".", 1)[-1].removesuffix("Assignor").lower()
        for name in text.split(",") if name.strip()
    )
    unknown = [name for name in names if name not in ("uniform", "range")]
    if not names or unknown:
        raise ValueError(f"expected uniform and/or range, got {text!r}")
    return names


AUTHORIZERS = (STANDARD_AUTHORIZER_NAME, "kafka.security.authorizer.AclAuthorizer")


def _authorizer(text: str) -> str:
    """Kafka's StandardAuthorizer (or the ZooKeeper-era AclAuthorizer, which decides alike),
    or empty for none."""
    text = text.strip()
    if text and text not in AUTHORIZERS:
        raise ValueError(f"kafkalite offers {STANDARD_AUTHORIZER_NAME} only")
    return text


def _release(text: str) -> str | None:
    """A Kafka release to emulate, or ``none`` for every version kafkalite serves."""
    if text.strip().lower() == "none":
        return None
    return parse_release(text)


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
    """Everything a broker is configured with; ``with_properties`` sets it from Kafka's
    property names (``BROKER_PROPERTIES``)."""

    host: str = "127.0.0.1"
    port: int = 9092
    data_dir: Path = Path("kafkalite-data")
    listeners: tuple[ListenerAddress, ...] = ()
    """``listeners``; empty: one PLAINTEXT listener on ``host:port`` (the shorthand)."""
    advertised_listeners: tuple[ListenerAddress, ...] = ()
    """``advertised.listeners``: what clients are told, per listener name (default: the
    bound address). A bare ``host:port`` names the first listener."""
    listener_security_protocol_map: Mapping[str, str] = field(
        default_factory=lambda: dict(DEFAULT_PROTOCOL_MAP)
    )
    inter_broker_listener_name: str | None = None
    """Accepted for configs written for Kafka; nodes share storage and never connect."""
    ssl: SslSettings = field(default_factory=lambda: SslSettings())
    sasl_enabled_mechanisms: tuple[str, ...] = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")
    """Kafka's default is GSSAPI alone, which kafkalite does not offer."""
    users: Mapping[str, str] = field(default_factory=dict)
    """``kafkalite.users``: SASL users and passwords (PLAIN and SCRAM)."""
    connection_failed_authentication_delay_ms: int = 100
    connections_max_reauth_ms: int = 0
    """KIP-368: an authenticated SASL session lasts this long (0: for ever); the client must
    re-authenticate before, or its connection is closed at its next request."""
    authorizer_class_name: str = ""
    """``authorizer.class.name``: ACLs are enforced when it names Kafka's StandardAuthorizer."""
    super_users: tuple[str, ...] = ()
    """``super.users``: principals every ACL check allows."""
    allow_everyone_if_no_acl_found: bool = False
    delegation_token_secret_key: str = ""
    """``delegation.token.secret.key``: keys the tokens' HMACs; unset, tokens are disabled."""
    delegation_token_max_lifetime_ms: int = 7 * 24 * 3600 * 1000
    delegation_token_expiry_time_ms: int = 24 * 3600 * 1000
    listener_settings: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """``listener.name.<listener>.<setting>`` by listener name (upper case): the
    per-listener ``sasl.enabled.mechanisms`` and ``ssl.client.auth``; the users of any
    ``listener.name.<listener>.<mechanism>.sasl.jaas.config`` join ``users``."""
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
    group_initial_rebalance_delay_ms: int = 300
    group_min_session_timeout_ms: int = 6000
    group_max_session_timeout_ms: int = 1800000
    group_consumer_heartbeat_interval_ms: int = 5000
    group_consumer_session_timeout_ms: int = 45000
    group_consumer_assignors: tuple[str, ...] = ("uniform", "range")
    group_consumer_max_size: int = INT_MAX
    group_consumer_migration_policy: str = "bidirectional"
    group_share_heartbeat_interval_ms: int = 5000
    group_share_session_timeout_ms: int = 45000
    group_share_max_size: int = 200
    group_share_delivery_count_limit: int = 5
    group_share_record_lock_duration_ms: int = 30000
    group_share_partition_max_record_locks: int = 2000
    share_coordinator_state_topic_num_partitions: int = 50
    offsets_topic_num_partitions: int = 50
    offsets_retention_minutes: int = 10080
    offsets_retention_check_interval_ms: int = 600_000
    offsets_topic_replication_factor: int = 3
    transaction_state_log_num_partitions: int = 50
    transaction_state_log_replication_factor: int = 3
    transaction_max_timeout_ms: int = 900_000
    transaction_abort_timed_out_transaction_cleanup_interval_ms: int = 10_000
    transactional_id_expiration_ms: int = 604_800_000
    max_incremental_fetch_session_cache_slots: int = 1000
    min_incremental_fetch_session_eviction_ms: int = 120_000
    flush_thread_cpu: int | None = -1
    """CPU the flush thread pins itself to; -1 picks the last allowed CPU, None disables."""
    shutdown_timeout_ms: int = 30000
    emulate_version: str | None = "4.2"
    """The Kafka release (2.8-4.2) whose ApiVersions ranges cap ours; None: no cap, so the
    versions KIP-896 removed in Kafka 4.0 are served too."""
    telemetry_metrics: tuple[str, ...] = ()
    """Metric name prefixes clients are asked to push (KIP-714); ("",) for all."""
    telemetry_push_interval_ms: int = 300_000
    """A Kafka release (2.8-4.2) whose ApiVersions ranges cap ours; None: no cap."""
    http_port: int | None = None
    """Port of the HTTP server (control API, ``/metrics``); None: no HTTP server, 0: a free
    port. Not a Kafka property: ``kafkalite serve --http-port`` (alias ``--control-port``)."""
    http_host: str = "127.0.0.1"
    """Address the HTTP server binds: loopback unless asked (``--http-host``)."""
    slow_request_ms: int = 1000
    """``kafkalite.slow.request.ms``: a request answered later than this is logged at INFO."""
    log_open_files_max: int = 0
    """``kafkalite.log.open.files.max``: segment ``.log`` descriptors kept open at most (the
    least recently used is closed and reopened on its next use); 0: half the soft limit on
    open files at start."""
    overrides: Mapping[str, str] = field(default_factory=dict)
    """The properties given explicitly, by Kafka name, as given."""

    def listener_addresses(self) -> tuple[ListenerAddress, ...]:
        """Every listener, in order: ``listeners``, else PLAINTEXT on ``host:port``."""
        return self.listeners or (ListenerAddress("PLAINTEXT", self.host, self.port),)

    def security_protocol(self, listener: str) -> str:
        """The security protocol of ``listener`` (``listener.security.protocol.map``)."""
        protocol = self.listener_security_protocol_map.get(listener.upper())
        if protocol is None:
            raise ConfigError(
                f"listener {listener} is not in listener.security.protocol.map "
                f"({format_protocol_map(self.listener_security_protocol_map)})"
            )
        return protocol

    def sasl_mechanisms_for(self, listener: str) -> tuple[str, ...]:
        """``listener.name.<listener>.sasl.enabled.mechanisms``, else the broker's."""
        own = self.listener_settings.get(listener, {}).get("sasl.enabled.mechanisms")
        return split_names(own) if own is not None else self.sasl_enabled_mechanisms

    def ssl_client_auth_for(self, listener: str) -> str:
        """``listener.name.<listener>.ssl.client.auth``, else ``ssl.client.auth`` on an SSL
        listener and ``none`` on a SASL_SSL one (Kafka ignores the unprefixed setting
        there, KIP-684)."""
        own = self.listener_settings.get(listener, {}).get("ssl.client.auth")
        if own is not None:
            return own
        return self.ssl.client_auth if self.security_protocol(listener) == "SSL" else "none"

    def advertised_address(self, listener: str) -> tuple[str, int] | None:
        """``(host, port)`` advertised for ``listener`` when ``advertised.listeners`` names it."""
        for index, address in enumerate(self.advertised_listeners):
            if address.name == listener or (index == 0 and address.name == ""):
                return address.host, address.port
        return None

    def with_properties(self, properties: Mapping[str, str]) -> BrokerConfig:
        """A copy with Kafka-named ``properties`` applied; raises ``ConfigError``."""
        changes: dict[str, Any] = {}
        listener_settings = {k: dict(v) for k, v in self.listener_settings.items()}
        jaas: dict[str, str] = {}
        for name, text in properties.items():
            prefixed = LISTENER_SETTING.match(name)
            if prefixed is not None:
                listener, setting = prefixed.group(1).upper(), prefixed.group(2)
                try:
                    if setting.endswith(".sasl.jaas.config"):
                        jaas.update(jaas_users(text))
                    else:
                        parsed = LISTENER_PARSERS[setting](text)
                        listener_settings.setdefault(listener, {})[setting] = (
                            ",".join(parsed) if isinstance(parsed, tuple) else parsed
                        )
                except ValueError as exc:
                    raise ConfigError(f"invalid value for {name}: {exc}") from None
                continue
            prop = BROKER_PROPERTIES.get(name)
            if prop is None:
                raise ConfigError(
                    f"unknown broker config {name!r}; known: {', '.join(sorted(BROKER_PROPERTIES))}"
                )
            try:
                changes[prop.attr] = prop.parse(text)
            except ValueError as exc:
                raise ConfigError(f"invalid value {text!r} for {name}: {exc}") from None
        ssl_changes = {k[4:]: changes.pop(k) for k in list(changes) if k.startswith("ssl.")}
        if ssl_changes:
            changes["ssl"] = dataclasses.replace(self.ssl, **ssl_changes)
        if jaas:
            changes["users"] = {**changes.get("users", self.users), **jaas}
        merged = {**self.overrides, **properties}
        config = dataclasses.replace(
            self, **changes, listener_settings=listener_settings, overrides=merged
        )
        for address in config.listener_addresses():
            config.security_protocol(address.name)  # every listener needs a protocol
        return config

    def describe(self) -> list[tuple[str, str, bool]]:
        """``(kafka name, value, is_default)`` for every property."""
        rows = []
        for name, prop in sorted(BROKER_PROPERTIES.items()):
            value: Any = (
                getattr(self.ssl, prop.attr[4:])
                if prop.attr.startswith("ssl.")
                else getattr(self, prop.attr)
            )
            if prop.attr == "listeners":
                value = ",".join(str(address) for address in self.listener_addresses())
            elif prop.attr == "advertised_listeners":
                value = ",".join(
                    str(ListenerAddress(address.name, *advertised))
                    for address in self.listener_addresses()
                    for advertised in [
                        self.advertised_address(address.name) or (address.host, address.port)
                    ]
                )
            elif prop.attr == "listener_security_protocol_map":
                value = format_protocol_map(value)
            elif prop.attr == "sasl_enabled_mechanisms":
                value = ",".join(value)
            elif prop.attr == "super_users":
                value = ";".join(value)
            elif prop.attr == "users":
                value = ",".join(sorted(value))  # names only: passwords stay out of reports
            if isinstance(value, tuple):
                value = "*" if value == ("",) else ",".join(value)
            text = (
                ""
                if value is None
                else str(value).lower()
                if isinstance(value, bool)
                else str(value)
            )
            rows.append((name, text, name not in self.overrides))
        return rows


def _metric_prefixes(text: str) -> tuple[str, ...]:
    """``"*"`` -> ``("",)`` (every metric, as KIP-714 writes it); else the listed prefixes."""
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    return ("",) if "*" in names else names


def _props(*rows: tuple[str, str, Callable[[str], Any], str]) -> dict[str, Property]:
    return {name: Property(name, attr, parse, doc) for name, attr, parse, doc in rows}


BROKER_PROPERTIES: dict[str, Property] = _props(
    (
        "listeners",
        "listeners",
        parse_named_listeners,
        "NAME://host:port,... to bind on each node (port 0: a free one); default "
        "PLAINTEXT on --host/--port.",
    ),
    (
        "advertised.listeners",
        "advertised_listeners",
        parse_listeners,
        "Addresses given to clients in Metadata, per listener name.",
    ),
    (
        "listener.security.protocol.map",
        "listener_security_protocol_map",
        parse_protocol_map,
        "Listener name to PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.",
    ),
    (
        "inter.broker.listener.name",
        "inter_broker_listener_name",
        str,
        "Accepted; nodes share storage and never connect to each other.",
    ),
    ("ssl.keystore.type", "ssl.keystore_type", parse_pem_type, "PEM (the only type read)."),
    (
        "ssl.keystore.location",
        "ssl.keystore_location",
        str,
        "PEM file with the server's private key and certificate chain.",
    ),
    (
        "ssl.keystore.certificate.chain",
        "ssl.keystore_certificate_chain",
        str,
        "The server's certificate chain, inline PEM.",
    ),
    ("ssl.keystore.key", "ssl.keystore_key", str, "The server's private key, inline PEM."),
    ("ssl.key.password", "ssl.key_password", str, "Password of an encrypted private key."),
    ("ssl.truststore.type", "ssl.truststore_type", parse_pem_type, "PEM (the only type read)."),
    (
        "ssl.truststore.location",
        "ssl.truststore_location",
        str,
        "PEM file of the CA certificates client certificates are checked against.",
    ),
    (
        "ssl.truststore.certificates",
        "ssl.truststore_certificates",
        str,
        "The trusted CA certificates, inline PEM.",
    ),
    (
        "ssl.client.auth",
        "ssl.client_auth",
        parse_client_auth,
        "none, requested or required: whether clients present a certificate (mTLS).",
    ),
    (
        "ssl.principal.mapping.rules",
        "ssl.principal_mapping_rules",
        parse_mapping_rules,
        "RULE:pattern/replacement/[LU],...,DEFAULT: certificate subject to principal name.",
    ),
    (
        "sasl.enabled.mechanisms",
        "sasl_enabled_mechanisms",
        parse_mechanisms,
        "SASL mechanisms offered: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER (unsecured tokens).",
    ),
    (
        "connection.failed.authentication.delay.ms",
        "connection_failed_authentication_delay_ms",
        int,
        "Delay before a connection that failed to authenticate is closed.",
    ),
    (
        "connections.max.reauth.ms",
        "connections_max_reauth_ms",
        _int(0),
        "SASL session lifetime (KIP-368): re-authenticate within it or be disconnected; 0: none.",
    ),
    (
        "delegation.token.secret.key",
        "delegation_token_secret_key",
        str,
        "Secret keying delegation tokens' HMACs (KIP-48); unset: delegation tokens are disabled.",
    ),
    (
        "delegation.token.max.lifetime.ms",
        "delegation_token_max_lifetime_ms",
        _int(1),
        "A delegation token's maximum lifetime; renewals never extend it past this.",
    ),
    (
        "delegation.token.expiry.time.ms",
        "delegation_token_expiry_time_ms",
        _int(1),
        "How long a delegation token lives unless renewed, and a renewal's default period.",
    ),
    (
        "kafkalite.users",
        "users",
        parse_users,
        "SASL users, user:password,... (PLAIN and SCRAM).",
    ),
    (
        "authorizer.class.name",
        "authorizer_class_name",
        _authorizer,
        f"{STANDARD_AUTHORIZER_NAME} turns ACLs on; empty: nothing is checked.",
    ),
    (
        "super.users",
        "super_users",
        parse_super_users,
        "Principals ACLs never refuse, separated by semicolons (User:admin;User:ops).",
    ),
    (
        "allow.everyone.if.no.acl.found",
        "allow_everyone_if_no_acl_found",
        _bool,
        "Allow an operation on a resource no ACL names (default: deny).",
    ),
    ("node.id", "node_id", _int(0), "This broker's id."),
    ("log.dirs", "data_dir", Path, "The data directory (one; --data-dir)."),
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
        "group.consumer.heartbeat.interval.ms",
        "group_consumer_heartbeat_interval_ms",
        _int(1),
        "How often consumer group (KIP-848) members heartbeat.",
    ),
    (
        "group.consumer.session.timeout.ms",
        "group_consumer_session_timeout_ms",
        _int(1),
        "A consumer group member that does not heartbeat this long is removed.",
    ),
    (
        "group.consumer.assignors",
        "group_consumer_assignors",
        _assignors,
        "Server-side assignors of consumer groups, the default first: uniform, range.",
    ),
    (
        "group.consumer.max.size",
        "group_consumer_max_size",
        _int(1),
        "Most members of a consumer group.",
    ),
    (
        "group.consumer.migration.policy",
        "group_consumer_migration_policy",
        lambda text: _one_of("disabled", "upgrade", "downgrade", "bidirectional")(text.lower()),
        "Whether a classic group may become a consumer group (upgrade) and back (downgrade) on line.",
    ),
    (
        "group.share.heartbeat.interval.ms",
        "group_share_heartbeat_interval_ms",
        _int(1),
        "How often share group (KIP-932) members heartbeat.",
    ),
    (
        "group.share.session.timeout.ms",
        "group_share_session_timeout_ms",
        _int(1),
        "A share group member that does not heartbeat this long is removed.",
    ),
    (
        "group.share.max.size",
        "group_share_max_size",
        _int(1),
        "Most members of a share group.",
    ),
    (
        "group.share.delivery.count.limit",
        "group_share_delivery_count_limit",
        _int(2),
        "Deliveries of a record to share consumers before it is archived instead of redelivered.",
    ),
    (
        "group.share.record.lock.duration.ms",
        "group_share_record_lock_duration_ms",
        _int(1),
        "How long a share consumer holds the records it acquired before they are redelivered.",
    ),
    (
        "group.share.partition.max.record.locks",
        "group_share_partition_max_record_locks",
        _int(1),
        "Most records in flight (acquired or awaiting redelivery) per share partition.",
    ),
    (
        "share.coordinator.state.topic.num.partitions",
        "share_coordinator_state_topic_num_partitions",
        _int(1),
        "Partitions of __share_group_state, created on first use.",
    ),
    (
        "offsets.topic.num.partitions",
        "offsets_topic_num_partitions",
        _int(1),
        "Partitions of __consumer_offsets, created on first use.",
    ),
    (
        "offsets.retention.minutes",
        "offsets_retention_minutes",
        _int(1),
        "Committed offsets of a group with no members expire after this long.",
    ),
    (
        "offsets.retention.check.interval.ms",
        "offsets_retention_check_interval_ms",
        _int(1),
        "How often expired committed offsets are looked for.",
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
        "max.incremental.fetch.session.cache.slots",
        "max_incremental_fetch_session_cache_slots",
        _int(0),
        "Incremental fetch sessions each broker keeps (KIP-227); 0 disables them.",
    ),
    (
        "min.incremental.fetch.session.eviction.ms",
        "min_incremental_fetch_session_eviction_ms",
        _int(0),
        "A fetch session unused this long is evicted first when the cache is full.",
    ),
    (
        "kafkalite.flush.thread.cpu",
        "flush_thread_cpu",
        _cpu,
        "CPU for the flush thread: auto, none or a number.",
    ),
    (
        "kafkalite.emulate.version",
        "emulate_version",
        _release,
        "Advertise only what this Kafka release (2.8-4.2) serves, e.g. 3.9; none adds the "
        "versions Kafka 4 removed (KIP-896).",
    ),
    (
        "kafkalite.telemetry.metrics",
        "telemetry_metrics",
        _metric_prefixes,
        "Client metrics to ask for (KIP-714): name prefixes, comma-separated; * for all.",
    ),
    (
        "kafkalite.telemetry.push.interval.ms",
        "telemetry_push_interval_ms",
        int,
        "How often clients are asked to push their metrics.",
    ),
    (
        "kafkalite.slow.request.ms",
        "slow_request_ms",
        _int(0),
        "Log a request that takes longer than this at INFO, with its summary; 0: every request.",
    ),
    (
        "kafkalite.log.open.files.max",
        "log_open_files_max",
        _int(0),
        "Segment files kept open at most (least recently used closed first); 0: half the "
        "soft limit on open files.",
    ),
    (
        "kafkalite.shutdown.timeout.ms",
        "shutdown_timeout_ms",
        _int(0),
        "How long shutdown waits for requests in flight.",
    ),
)
