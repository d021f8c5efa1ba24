"""The handler table: one entry per Kafka API, the single source of what we advertise.

Each handler is ``async def handle(ctx, request) -> response | None`` (None only for an
acks=0 Produce). ApiVersions is built from this table, so the ranges we advertise are
exactly the ranges we serve; a unit test checks each range lies inside its schema.
``kafkalite.emulate.version`` cuts them to a Kafka release's (``advertised``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from kafkalite.handlers import (
    add_offsets_to_txn,
    add_partitions_to_txn,
    add_raft_voter,
    alter_client_quotas,
    alter_configs,
    alter_partition_reassignments,
    alter_replica_log_dirs,
    alter_user_scram_credentials,
    api_versions,
    consumer_group_describe,
    consumer_group_heartbeat,
    create_acls,
    create_delegation_token,
    create_partitions,
    create_topics,
    delete_acls,
    delete_groups,
    delete_records,
    delete_topics,
    describe_acls,
    describe_client_quotas,
    describe_cluster,
    describe_configs,
    describe_delegation_token,
    describe_groups,
    describe_log_dirs,
    describe_producers,
    describe_quorum,
    describe_topic_partitions,
    describe_transactions,
    describe_user_scram_credentials,
    elect_leaders,
    end_txn,
    expire_delegation_token,
    fetch,
    find_coordinator,
    get_telemetry_subscriptions,
    heartbeat,
    incremental_alter_configs,
    init_producer_id,
    join_group,
    leave_group,
    list_config_resources,
    list_groups,
    list_offsets,
    list_partition_reassignments,
    list_transactions,
    metadata,
    offset_commit,
    offset_delete,
    offset_fetch,
    offset_for_leader_epoch,
    produce,
    push_telemetry,
    remove_raft_voter,
    renew_delegation_token,
    sasl_authenticate,
    sasl_handshake,
    sync_group,
    txn_offset_commit,
    unregister_broker,
    update_features,
)
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.releases import cap

__all__ = ["HANDLERS", "SERVED", "Handler", "advertised"]


@dataclass(frozen=True, slots=True)
class Handler:
    fn: Callable[[Any, Any], Awaitable[Any]]
    min_version: int
    max_version: int

    def versions(self) -> range:
        return range(self.min_version, self.max_version + 1)


HANDLERS: Final[Mapping[ApiKey, Handler]] = {
    ApiKey.PRODUCE: Handler(produce.handle, 0, 13),
    ApiKey.FETCH: Handler(fetch.handle, 4, 18),
    ApiKey.LIST_OFFSETS: Handler(list_offsets.handle, 1, 11),
    ApiKey.METADATA: Handler(metadata.handle, 0, 13),
    ApiKey.API_VERSIONS: Handler(api_versions.handle, 0, 4),
    # Security: answered by the connection's authenticator while a client authenticates.
    ApiKey.SASL_HANDSHAKE: Handler(sasl_handshake.handle, 0, 1),
    ApiKey.SASL_AUTHENTICATE: Handler(sasl_authenticate.handle, 0, 2),
    ApiKey.INIT_PRODUCER_ID: Handler(init_producer_id.handle, 0, 5),
    # Transactions: Kafka 4.2's ranges; transactions v2 (KIP-890 part 2) is off because the
    # transaction.version feature is not advertised, whatever these ranges say.
    ApiKey.ADD_PARTITIONS_TO_TXN: Handler(add_partitions_to_txn.handle, 0, 5),
    ApiKey.ADD_OFFSETS_TO_TXN: Handler(add_offsets_to_txn.handle, 0, 4),
    ApiKey.END_TXN: Handler(end_txn.handle, 0, 5),
    ApiKey.TXN_OFFSET_COMMIT: Handler(txn_offset_commit.handle, 0, 5),
    ApiKey.DESCRIBE_PRODUCERS: Handler(describe_producers.handle, 0, 0),
    ApiKey.DESCRIBE_TRANSACTIONS: Handler(describe_transactions.handle, 0, 0),
    ApiKey.LIST_TRANSACTIONS: Handler(list_transactions.handle, 0, 2),
    # Consumer groups
    ApiKey.FIND_COORDINATOR: Handler(find_coordinator.handle, 0, 6),
    ApiKey.JOIN_GROUP: Handler(join_group.handle, 0, 9),
    ApiKey.SYNC_GROUP: Handler(sync_group.handle, 0, 5),
    ApiKey.HEARTBEAT: Handler(heartbeat.handle, 0, 4),
    ApiKey.LEAVE_GROUP: Handler(leave_group.handle, 0, 5),
    ApiKey.OFFSET_COMMIT: Handler(offset_commit.handle, 2, 10),
    ApiKey.OFFSET_FETCH: Handler(offset_fetch.handle, 1, 10),
    ApiKey.DESCRIBE_GROUPS: Handler(describe_groups.handle, 0, 6),
    ApiKey.LIST_GROUPS: Handler(list_groups.handle, 0, 5),
    ApiKey.DELETE_GROUPS: Handler(delete_groups.handle, 0, 2),
    ApiKey.OFFSET_DELETE: Handler(offset_delete.handle, 0, 0),
    ApiKey.OFFSET_FOR_LEADER_EPOCH: Handler(offset_for_leader_epoch.handle, 2, 4),
    # Consumer groups of the KIP-848 protocol
    ApiKey.CONSUMER_GROUP_HEARTBEAT: Handler(consumer_group_heartbeat.handle, 0, 1),
    ApiKey.CONSUMER_GROUP_DESCRIBE: Handler(consumer_group_describe.handle, 0, 1),
    # Admin
    ApiKey.CREATE_TOPICS: Handler(create_topics.handle, 0, 7),
    ApiKey.DELETE_TOPICS: Handler(delete_topics.handle, 0, 6),
    ApiKey.CREATE_PARTITIONS: Handler(create_partitions.handle, 0, 3),
    ApiKey.DESCRIBE_CONFIGS: Handler(describe_configs.handle, 0, 4),
    ApiKey.ALTER_CONFIGS: Handler(alter_configs.handle, 0, 2),
    ApiKey.INCREMENTAL_ALTER_CONFIGS: Handler(incremental_alter_configs.handle, 0, 1),
    ApiKey.DELETE_RECORDS: Handler(delete_records.handle, 0, 2),
    ApiKey.DESCRIBE_CLUSTER: Handler(describe_cluster.handle, 0, 2),
    ApiKey.DESCRIBE_LOG_DIRS: Handler(describe_log_dirs.handle, 0, 4),
    ApiKey.ALTER_REPLICA_LOG_DIRS: Handler(alter_replica_log_dirs.handle, 1, 2),
    ApiKey.DESCRIBE_TOPIC_PARTITIONS: Handler(describe_topic_partitions.handle, 0, 0),
    ApiKey.LIST_CONFIG_RESOURCES: Handler(list_config_resources.handle, 0, 1),
    # Leadership and reassignment
    ApiKey.ELECT_LEADERS: Handler(elect_leaders.handle, 0, 2),
    ApiKey.ALTER_PARTITION_REASSIGNMENTS: Handler(alter_partition_reassignments.handle, 0, 1),
    ApiKey.LIST_PARTITION_REASSIGNMENTS: Handler(list_partition_reassignments.handle, 0, 0),
    # ACLs: Kafka's StandardAuthorizer when authorizer.class.name names it
    ApiKey.DESCRIBE_ACLS: Handler(describe_acls.handle, 1, 3),
    ApiKey.CREATE_ACLS: Handler(create_acls.handle, 1, 3),
    ApiKey.DELETE_ACLS: Handler(delete_acls.handle, 1, 3),
    ApiKey.DESCRIBE_CLIENT_QUOTAS: Handler(describe_client_quotas.handle, 0, 1),
    ApiKey.ALTER_CLIENT_QUOTAS: Handler(alter_client_quotas.handle, 0, 1),
    ApiKey.DESCRIBE_USER_SCRAM_CREDENTIALS: Handler(describe_user_scram_credentials.handle, 0, 0),
    ApiKey.ALTER_USER_SCRAM_CREDENTIALS: Handler(alter_user_scram_credentials.handle, 0, 0),
    ApiKey.CREATE_DELEGATION_TOKEN: Handler(create_delegation_token.handle, 1, 3),
    ApiKey.RENEW_DELEGATION_TOKEN: Handler(renew_delegation_token.handle, 1, 2),
    ApiKey.EXPIRE_DELEGATION_TOKEN: Handler(expire_delegation_token.handle, 1, 2),
    ApiKey.DESCRIBE_DELEGATION_TOKEN: Handler(describe_delegation_token.handle, 1, 3),
    # Cluster metadata: a single-voter quorum and its feature levels
    ApiKey.DESCRIBE_QUORUM: Handler(describe_quorum.handle, 0, 2),
    ApiKey.UPDATE_FEATURES: Handler(update_features.handle, 0, 2),
    ApiKey.ADD_RAFT_VOTER: Handler(add_raft_voter.handle, 0, 1),
    ApiKey.REMOVE_RAFT_VOTER: Handler(remove_raft_voter.handle, 0, 0),
    ApiKey.UNREGISTER_BROKER: Handler(unregister_broker.handle, 0, 0),
    # Client telemetry (KIP-714)
    ApiKey.GET_TELEMETRY_SUBSCRIPTIONS: Handler(get_telemetry_subscriptions.handle, 0, 0),
    ApiKey.PUSH_TELEMETRY: Handler(push_telemetry.handle, 0, 0),
}

SERVED: Final[Mapping[ApiKey, tuple[int, int]]] = {
    key: (handler.min_version, handler.max_version) for key, handler in HANDLERS.items()
}


def advertised(release: str | None) -> dict[ApiKey, tuple[int, int]]:
    """The ranges ApiVersions advertises and requests are checked against: ``SERVED``, cut
    to a Kafka release's when ``kafkalite.emulate.version`` names one."""
    return cap(SERVED, release)
