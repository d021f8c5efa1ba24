"""What a handler gets besides its request body: narrow services, no socket.

- ``node``: the node the request arrived at (its id, advertised address);
- ``cluster``: the domain state (topics, logs, groups, producer ids, leadership);
- ``waiters``: where long polls wait for a partition to change;
- ``closing``: set when this node's listener closes; long polls answer with what they have;
- ``listener``: the listener the request came in on: nodes are advertised at its addresses
  (``address``), as Kafka answers Metadata with the request's listener;
- ``principal``: who sent it (``User:ANONYMOUS`` unless TLS or SASL said otherwise).

A handler is testable with a context built by hand (``RequestContext.for_test``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from kafkalite.cluster.cluster import GROUP_KEY, TRANSACTION_KEY
from kafkalite.protocol.connection import Request
from kafkalite.protocol.errors import ErrorCode

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
    close_connection: bool = False
    """Set by a handler that wants the connection closed after its (possibly absent) answer."""

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

    def leader_epoch(self, topic: str, partition: int) -> int:
        return self.cluster.partition_state(topic, partition).leader_epoch
