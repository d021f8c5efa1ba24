"""The handler table: one entry per Kafka API, the single source of what we advertise.

Each handler is ``async def handle(ctx, request) -> response | None`` (None only for an
acks=0 Produce). ApiVersions is built from this table, so the ranges we advertise are
exactly the ranges we serve; a unit test checks each range lies inside its schema.
``kafkalite.emulate.version`` cuts them to a Kafka release's (``advertised``).

A new API is one line, ``ApiKey.X: Handler("module_name", min_version, max_version)``:
the module is imported on the first request of that API, not at start.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from importlib import import_module
from typing import Any, Final

from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.releases import cap

__all__ = ["HANDLERS", "SERVED", "Handler", "advertised"]


class Handler:
    """One API: its handler and the versions served. ``target`` is the handler's module
    under ``kafkalite.handlers``, imported on the first request of the API (so a broker
    starts without importing the ~60 handlers and what they import), or the function."""

    __slots__ = ("_target", "_fn", "min_version", "max_version")

    def __init__(
        self, target: str | Callable[[Any, Any], Awaitable[Any]], min_version: int, max_version: int
    ) -> None:
        self._target = target
        self._fn = None if isinstance(target, str) else target
        self.min_version = min_version
        self.max_version = max_version

    @property
    def fn(self) -> Callable[[Any, Any], Awaitable[Any]]:
        fn = self._fn
        if fn is None:
            fn = self._fn = import_module(f"{__name__}.{self._target}").handle
        return fn

    def versions(self) -> range:
        return range(self.min_version, self.max_version + 1)

    def __repr__(self) -> str:
        return f"Handler({self._target!r}, {self.min_version}, {self.max_version})"


HANDLERS: Final[Mapping[ApiKey, Handler]] = {
    ApiKey.PRODUCE: Handler("produce", 0, 13),
    ApiKey.FETCH: Handler("fetch", 4, 18),
    ApiKey.LIST_OFFSETS: Handler("list_offsets", 1, 11),
    ApiKey.METADATA: Handler("metadata", 0, 13),
    ApiKey.API_VERSIONS: Handler("api_versions", 0, 4),
    # Security: answered by the connection's authenticator while a client authenticates.
    ApiKey.SASL_HANDSHAKE: Handler("sasl_handshake", 0, 1),
    ApiKey.SASL_AUTHENTICATE: Handler("sasl_authenticate", 0, 2),
    ApiKey.INIT_PRODUCER_ID: Handler("init_producer_id", 0, 5),
    # Transactions: Kafka 4.2's ranges; transactions v2 (KIP-890 part 2) is off because the
    # transaction.version feature is not advertised, whatever these ranges say.
    ApiKey.ADD_PARTITIONS_TO_TXN: Handler("add_partitions_to_txn", 0, 5),
    ApiKey.ADD_OFFSETS_TO_TXN: Handler("add_offsets_to_txn", 0, 4),
    ApiKey.END_TXN: Handler("end_txn", 0, 5),
    ApiKey.TXN_OFFSET_COMMIT: Handler("txn_offset_commit", 0, 5),
    ApiKey.DESCRIBE_PRODUCERS: Handler("describe_producers", 0, 0),
    ApiKey.DESCRIBE_TRANSACTIONS: Handler("describe_transactions", 0, 0),
    ApiKey.LIST_TRANSACTIONS: Handler("list_transactions", 0, 2),
    # Consumer groups
    ApiKey.FIND_COORDINATOR: Handler("find_coordinator", 0, 6),
    ApiKey.JOIN_GROUP: Handler("join_group", 0, 9),
    ApiKey.SYNC_GROUP: Handler("sync_group", 0, 5),
    ApiKey.HEARTBEAT: Handler("heartbeat", 0, 4),
    ApiKey.LEAVE_GROUP: Handler("leave_group", 0, 5),
    ApiKey.OFFSET_COMMIT: Handler("offset_commit", 2, 10),
    ApiKey.OFFSET_FETCH: Handler("offset_fetch", 1, 10),
    ApiKey.DESCRIBE_GROUPS: Handler("describe_groups", 0, 6),
    ApiKey.LIST_GROUPS: Handler("list_groups", 0, 5),
    ApiKey.DELETE_GROUPS: Handler("delete_groups", 0, 2),
    ApiKey.OFFSET_DELETE: Handler("offset_delete", 0, 0),
    ApiKey.OFFSET_FOR_LEADER_EPOCH: Handler("offset_for_leader_epoch", 2, 4),
    # Consumer groups of the KIP-848 protocol
    ApiKey.CONSUMER_GROUP_HEARTBEAT: Handler("consumer_group_heartbeat", 0, 1),
    ApiKey.CONSUMER_GROUP_DESCRIBE: Handler("consumer_group_describe", 0, 1),
    # Share groups (KIP-932)
    ApiKey.SHARE_GROUP_HEARTBEAT: Handler("share_group_heartbeat", 1, 1),
    ApiKey.SHARE_GROUP_DESCRIBE: Handler("share_group_describe", 1, 1),
    ApiKey.SHARE_FETCH: Handler("share_fetch", 1, 2),
    ApiKey.SHARE_ACKNOWLEDGE: Handler("share_acknowledge", 1, 2),
    ApiKey.DESCRIBE_SHARE_GROUP_OFFSETS: Handler("describe_share_group_offsets", 0, 1),
    ApiKey.ALTER_SHARE_GROUP_OFFSETS: Handler("alter_share_group_offsets", 0, 0),
    ApiKey.DELETE_SHARE_GROUP_OFFSETS: Handler("delete_share_group_offsets", 0, 0),
    # Admin
    ApiKey.CREATE_TOPICS: Handler("create_topics", 0, 7),
    ApiKey.DELETE_TOPICS: Handler("delete_topics", 0, 6),
    ApiKey.CREATE_PARTITIONS: Handler("create_partitions", 0, 3),
    ApiKey.DESCRIBE_CONFIGS: Handler("describe_configs", 0, 4),
    ApiKey.ALTER_CONFIGS: Handler("alter_configs", 0, 2),
    ApiKey.INCREMENTAL_ALTER_CONFIGS: Handler("incremental_alter_configs", 0, 1),
    ApiKey.DELETE_RECORDS: Handler("delete_records", 0, 2),
    ApiKey.DESCRIBE_CLUSTER: Handler("describe_cluster", 0, 2),
    ApiKey.DESCRIBE_LOG_DIRS: Handler("describe_log_dirs", 0, 4),
    ApiKey.ALTER_REPLICA_LOG_DIRS: Handler("alter_replica_log_dirs", 1, 2),
    ApiKey.DESCRIBE_TOPIC_PARTITIONS: Handler("describe_topic_partitions", 0, 0),
    ApiKey.LIST_CONFIG_RESOURCES: Handler("list_config_resources", 0, 1),
    # Leadership and reassignment
    ApiKey.ELECT_LEADERS: Handler("elect_leaders", 0, 2),
    ApiKey.ALTER_PARTITION_REASSIGNMENTS: Handler("alter_partition_reassignments", 0, 1),
    ApiKey.LIST_PARTITION_REASSIGNMENTS: Handler("list_partition_reassignments", 0, 0),
    # ACLs: Kafka's StandardAuthorizer when authorizer.class.name names it
    ApiKey.DESCRIBE_ACLS: Handler("describe_acls", 1, 3),
    ApiKey.CREATE_ACLS: Handler("create_acls", 1, 3),
    ApiKey.DELETE_ACLS: Handler("delete_acls", 1, 3),
    ApiKey.DESCRIBE_CLIENT_QUOTAS: Handler("describe_client_quotas", 0, 1),
    ApiKey.ALTER_CLIENT_QUOTAS: Handler("alter_client_quotas", 0, 1),
    ApiKey.DESCRIBE_USER_SCRAM_CREDENTIALS: Handler("describe_user_scram_credentials", 0, 0),
    ApiKey.ALTER_USER_SCRAM_CREDENTIALS: Handler("alter_user_scram_credentials", 0, 0),
    ApiKey.CREATE_DELEGATION_TOKEN: Handler("create_delegation_token", 1, 3),
    ApiKey.RENEW_DELEGATION_TOKEN: Handler("renew_delegation_token", 1, 2),
    ApiKey.EXPIRE_DELEGATION_TOKEN: Handler("expire_delegation_token", 1, 2),
    ApiKey.DESCRIBE_DELEGATION_TOKEN: Handler("describe_delegation_token", 1, 3),
    # Cluster metadata: a single-voter quorum and its feature levels
    ApiKey.DESCRIBE_QUORUM: Handler("describe_quorum", 0, 2),
    ApiKey.UPDATE_FEATURES: Handler("update_features", 0, 2),
    ApiKey.ADD_RAFT_VOTER: Handler("add_raft_voter", 0, 1),
    ApiKey.REMOVE_RAFT_VOTER: Handler("remove_raft_voter", 0, 0),
    ApiKey.UNREGISTER_BROKER: Handler("unregister_broker", 0, 0),
    # Client telemetry (KIP-714)
    ApiKey.GET_TELEMETRY_SUBSCRIPTIONS: Handler("get_telemetry_subscriptions", 0, 0),
    ApiKey.PUSH_TELEMETRY: Handler("push_telemetry", 0, 0),
}

SERVED: Final[Mapping[ApiKey, tuple[int, int]]] = {
    key: (handler.min_version, handler.max_version) for key, handler in HANDLERS.items()
}


def advertised(release: str | None) -> dict[ApiKey, tuple[int, int]]:
    """The ranges ApiVersions advertises and requests are checked against: ``SERVED``, cut
    to a Kafka release's when ``kafkalite.emulate.version`` names one."""
    return cap(SERVED, release)
