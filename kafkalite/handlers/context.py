"""What a handler gets besides its request body: narrow services, no socket.

- ``node``: the node the request arrived at (its id, advertised address);
- ``cluster``: the domain state (topics, logs, groups, producer ids, leadership);
- ``waiters``: where long polls wait for a partition to change;
- ``closing``: set when this node's listener closes; long polls answer with what they have;
- ``listener``: the listener the request came in on: nodes are advertised at its addresses
  (``address``), as Kafka answers Metadata with the request's listener;
- ``principal``: who sent it (``User:ANONYMOUS`` unless TLS or SASL said otherwise).

ACL checks go through ``allows`` (and its ``allows_topic``/``_group``/``_cluster``/
``_transactional_id`` shorthands): always true unless ``authorizer.class.name`` is set, in
which case the cluster's ``Authorizer`` decides for this principal and peer host.

A handler is testable with a context built by hand (``RequestContext.for_test``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from kafkalite.cluster.cluster import GROUP_KEY, TRANSACTION_KEY
from kafkalite.protocol.connection import Request
from kafkalite.protocol.errors import ErrorCode
from kafkalite.security.acls import CLUSTER_NAME, AclOperation, ResourceType

if TYPE_CHECKING:
    from kafkalite.cluster import Cluster, Node
    from kafkalite.config import BrokerConfig


class PartitionWaits(Protocol):
    async def wait(
        self, partitions: Iterable[tuple[str, int]], timeout: float, closing: asyncio.Event
    ) -> None: ...


@dataclass(slots=True)
class RequestContext:
    node: Node
    cluster: Cluster
    request: Request
    waiters: PartitionWaits
    peer: str = "test"
    closing: asyncio.Event = field(default_factory=asyncio.Event)
    listener: str = "PLAINTEXT"
    principal: str = "User:ANONYMOUS"
    security_protocol: str = "PLAINTEXT"
    """The listener's security protocol (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL)."""
    token_authenticated: bool = False
    """The connection logged in with a delegation token (SCRAM ``tokenauth``)."""
    close_connection: bool = False
    """Set by a handler that wants the connection closed after its (possibly absent) answer."""
    throttle_ms: int = 0
    """Set by a handler whose client went over a quota: the connection reads nothing more
    from the client for this long after the answer (Kafka 2.0+ mutes the channel, KIP-219)."""

    @property
    def version(self) -> int:
        return self.request.api_version

    @property
    def node_id(self) -> int:
        return self.node.id

    @property
    def config(self) -> BrokerConfig:
        return self.cluster.config

    def address(self, node: Node) -> tuple[str, int]:
        """Where clients of this request's listener reach ``node``."""
        return node.advertised_for(self.listener)

    def leads(self, topic: str, partition: int) -> bool:
        """Whether this node leads ``topic``-``partition`` (else NOT_LEADER_OR_FOLLOWER)."""
        return self.cluster.leader_of(topic, partition) == self.node.id

    def leader_error(self, topic: str, partition: int, current_leader_epoch: int = -1) -> ErrorCode:
        """Kafka's ``Partition.getLocalLog`` checks for a request that must reach the leader:
        a client epoch older than ours is FENCED_LEADER_EPOCH, a newer one
        UNKNOWN_LEADER_EPOCH (its metadata is ahead of us), then a node that does not lead
        the partition is NOT_LEADER_OR_FOLLOWER. -1 means the client sent no epoch."""
        state = self.cluster.partition_state(topic, partition)
        if current_leader_epoch >= 0 and self.node.id in state.replicas:
            if current_leader_epoch < state.leader_epoch:
                return ErrorCode.FENCED_LEADER_EPOCH
            if current_leader_epoch > state.leader_epoch:
                return ErrorCode.UNKNOWN_LEADER_EPOCH
        if state.leader != self.node.id:
            return ErrorCode.NOT_LEADER_OR_FOLLOWER
        return ErrorCode.NONE

    def coordinates(self, group_id: str) -> bool:
        """Whether this node coordinates ``group_id`` (else NOT_COORDINATOR): the leader of
        the ``__consumer_offsets`` partition the group id hashes to."""
        return self.cluster.is_coordinator(self.node.id, GROUP_KEY, group_id)

    def coordinates_transaction(self, transactional_id: str) -> bool:
        return self.cluster.is_coordinator(self.node.id, TRANSACTION_KEY, transactional_id)

    # -- authorization ------------------------------------------------------------------------

    @property
    def host(self) -> str:
        """The peer's address without its port, as ACL hosts name it."""
        return self.peer.rsplit(":", 1)[0] if ":" in self.peer else self.peer

    @property
    def authorizing(self) -> bool:
        return self.cluster.authorizer is not None

    def allows(self, operation: AclOperation, resource_type: ResourceType, name: str) -> bool:
        authorizer = self.cluster.authorizer
        return authorizer is None or authorizer.authorize(
            self.principal, self.host, operation, resource_type, name
        )

    def allows_topic(self, operation: AclOperation, topic: str) -> bool:
        return self.allows(operation, ResourceType.TOPIC, topic)

    def allows_group(self, operation: AclOperation, group_id: str) -> bool:
        return self.allows(operation, ResourceType.GROUP, group_id)

    def allows_cluster(self, operation: AclOperation) -> bool:
        return self.allows(operation, ResourceType.CLUSTER, CLUSTER_NAME)

    def allows_transactional_id(self, operation: AclOperation, transactional_id: str) -> bool:
        return self.allows(operation, ResourceType.TRANSACTIONAL_ID, transactional_id)

    def allows_any(self, operation: AclOperation, resource_type: ResourceType) -> bool:
        """Whether some resource of ``resource_type`` allows ``operation`` (Kafka's
        ``authorizeByResourceType``)."""
        authorizer = self.cluster.authorizer
        return authorizer is None or authorizer.authorize_any(
            self.principal, self.host, operation, resource_type
        )

    def authorized_operations(self, resource_type: ResourceType, name: str, everything: int) -> int:
        """KIP-430's bit field for this principal; ``everything`` when nothing is checked."""
        authorizer = self.cluster.authorizer
        if authorizer is None:
            return everything
        return authorizer.authorized_operations(self.principal, self.host, resource_type, name)

    # -- quotas ------------------------------------------------------------------------------

    def throttle(self, key: str, nbytes: int) -> int:
        """Record ``nbytes`` against this client's ``key`` byte-rate quota
        (``producer_byte_rate``, ``consumer_byte_rate``) and return the throttle time in ms
        (0 without a quota), which also mutes the connection that long. Negative ``nbytes``
        takes back bytes recorded but not sent."""
        if not self.cluster.quotas.quotas or nbytes == 0:
            return 0
        user = self.principal.partition(":")[2] or self.principal
        header = self.request.header
        client_id = (header.client_id if header is not None else None) or ""
        quota = self.cluster.quotas.quota(key, user, client_id)
        if quota is None or nbytes == 0:
            return 0
        throttle_ms = self.cluster.byte_rates.record(
            key, user, client_id, nbytes, quota, time.monotonic()
        )
        if nbytes < 0:
            return 0
        self.throttle_ms = max(self.throttle_ms, throttle_ms)
        return throttle_ms

    def leader_epoch(self, topic: str, partition: int) -> int:
        return self.cluster.partition_state(topic, partition).leader_epoch
