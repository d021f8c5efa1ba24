"""Nodes and partition leadership: who leads each partition, at which epoch, with which
replicas in sync. The part of Kafka's controller a single-process cluster needs.

Data is kept once, in the cluster's shared storage; what is emulated is the metadata
clients see and follow: each partition has replicas on several nodes, one leader, a leader
epoch that grows with every change of leader, and an in-sync replica set (ISR).

Placement (Kafka's rack-unaware ``replicaPlacement``, made deterministic so tests can rely
on it): partition ``p`` of a topic starts at node index ``(start + p) % N``, where ``start``
comes from the topic name's hash, and takes the next ``replication_factor`` nodes in id
order. The first replica is the *preferred* leader.

Elections, as Kafka's controller does them:
- a node stops: it leaves every ISR; each partition it led elects the first replica that is
  still in sync and online, its epoch bumps; a partition with no such replica is offline
  (leader -1: clients get LEADER_NOT_AVAILABLE until a replica comes back);
- a node starts: it rejoins the ISR of its partitions (the data is shared, so it is caught
  up at once); offline partitions elect it; others keep their leader until
  ``move_leader`` or a preferred election moves it back;
- ``move_leader`` makes any replica the leader (Kafka's reassignment + election); the node
  joins the ISR if it was out;
- ``elect_preferred``/``elect_unclean`` answer ElectLeaders as Kafka's controller does, and
  ``reassign`` completes a partition reassignment at once.

State is plain data; ``cluster.Cluster`` persists it and calls these methods.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from kafkalite.internal_topics import java_string_hash
from kafkalite.protocol.errors import ErrorCode

__all__ = ["NO_LEADER", "Endpoint", "Leadership", "Node", "PartitionState", "place_replicas"]

log = logging.getLogger(__name__)

NO_LEADER = -1


@dataclass(slots=True)
class Endpoint:
    """One listener of a node: where it binds and the address clients are told."""

    listener: str
    """The listener name (``PLAINTEXT``, ``SASL_SSL``, ...)."""
    security_protocol: str
    host: str
    port: int
    advertised_host: str
    advertised_port: int


@dataclass(slots=True)
class Node:
    """One broker of the cluster: its id, its listeners, and whether it is up.

    ``host``, ``port`` and ``advertised_*`` are those of the first listener; a request is
    answered with the addresses of the listener it came in on (``advertised_for``)."""

    id: int
    endpoints: list[Endpoint]
    rack: str | None = None
    online: bool = True
    registered: bool = True
    """False once UnregisterBroker removed the node's registration: it is listed nowhere
    and leads nothing until it starts again (a restart registers a broker anew)."""

    @property
    def host(self) -> str:
        return self.endpoints[0].host

    @property
    def port(self) -> int:
        return self.endpoints[0].port

    @property
    def advertised_host(self) -> str:
        return self.endpoints[0].advertised_host

    @property
    def advertised_port(self) -> int:
        return self.endpoints[0].advertised_port

    def advertised_for(self, listener: str) -> tuple[str, int]:
        """The advertised ``(host, port)`` of ``listener`` (of the first listener when the
        node has none of that name)."""
        for endpoint in self.endpoints:
            if endpoint.listener == listener:
                return endpoint.advertised_host, endpoint.advertised_port
        return self.advertised_host, self.advertised_port


@dataclass(slots=True)
class PartitionState:
    replicas: list[int]
    isr: list[int]
    leader: int
    leader_epoch: int = 0
    partition_epoch: int = 0
    """Bumped on every change of leader or ISR (KRaft's partition epoch)."""

    def to_json(self) -> dict[str, object]:
        return {
            "replicas": self.replicas, "isr": self.isr, "leader": self.leader,
            "leader_epoch": self.leader_epoch, "partition_epoch": self.partition_epoch,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> PartitionState:
        return cls(
            replicas=[int(n) for n in data["replicas"]],  # type: ignore[attr-defined]
            isr=[int(n) for n in data["isr"]],  # type: ignore[attr-defined]
            leader=int(data["leader"]),  # type: ignore[call-overload]
            leader_epoch=int(data.get("leader_epoch", 0)),  # type: ignore[call-overload]
            partition_epoch=int(data.get("partition_epoch", 0)),  # type: ignore[call-overload]
        )


@lru_cache(maxsize=1024)
def _topic_hash(topic: str) -> int:
    """Once per topic, not once per partition: placing 10,000 partitions of one topic
    hashed its name 10,000 times (half a second on the event loop)."""
    return java_string_hash(topic) & 0x7FFFFFFF


def place_replicas(topic: str, partition: int, node_ids: Sequence[int], replication_factor: int) -> list[int]:
    """The replicas of ``topic``-``partition`` on ``node_ids`` (sorted), preferred first."""
    ids = sorted(node_ids)
    count = len(ids)
    start = _topic_hash(topic) % count
    first = (start + partition) % count
    return [ids[(first + i) % count] for i in range(min(replication_factor, count))]


@dataclass(slots=True)
class Leadership:
    """Every partition's leadership, keyed by ``(topic, partition)``."""

    nodes: dict[int, Node]
    partitions: dict[tuple[str, int], PartitionState] = field(default_factory=dict)

    def online_ids(self) -> list[int]:
        return sorted(node_id for node_id in self.nodes if self._is_online(node_id))

    # -- placement ----------------------------------------------------------------------------

    def assign(
        self, topic: str, partition: int, replication_factor: int,
        replicas: Sequence[int] | None = None,
    ) -> PartitionState:
        """Place a new partition (on ``replicas`` if given) and elect its preferred leader."""
        chosen = list(replicas) if replicas else place_replicas(
            topic, partition, list(self.nodes), replication_factor
        )
        isr = [n for n in chosen if self._is_online(n)]
        state = PartitionState(replicas=chosen, isr=isr, leader=isr[0] if isr else NO_LEADER)
        self.partitions[(topic, partition)] = state
        return state

    def state(self, topic: str, partition: int, replication_factor: int = 1) -> PartitionState:
        """The partition's state, placing it first if it has none yet (a partition created
        before this node set, or an internal-topic partition asked about before it exists)."""
        state = self.partitions.get((topic, partition))
        if state is None or not any(n in self.nodes for n in state.replicas):
            if state is not None:
                log.info(
                    "%s-%d: none of its replicas %s is a node of this cluster; placing it again",
                    topic, partition, state.replicas,
                )
            state = self.assign(topic, partition, replication_factor)
        return state

    def forget_topic(self, topic: str) -> None:
        for key in [key for key in self.partitions if key[0] == topic]:
            del self.partitions[key]

    def leader_node(self, topic: str, partition: int, replication_factor: int = 1) -> Node | None:
        leader = self.state(topic, partition, replication_factor).leader
        return self.nodes.get(leader) if leader != NO_LEADER else None

    # -- elections ----------------------------------------------------------------------------

    def stop_node(self, node_id: int) -> list[tuple[str, int]]:
        """Take ``node_id`` offline; returns the partitions whose leader changed."""
        self.nodes[node_id].online = False
        return self._leave_isrs(node_id)

    def unregister_node(self, node_id: int) -> list[tuple[str, int]]:
        """Kafka's controller unregistering a broker: it leaves every ISR, the partitions it
        led elect another in-sync replica, and it is no longer a registered broker. A live
        node stays unregistered until it starts again, as a Kafka broker whose heartbeats
        now fail with STALE_BROKER_EPOCH does until it restarts. Returns the partitions
        whose leader changed."""
        self.nodes[node_id].registered = False
        return self._leave_isrs(node_id)

    def _leave_isrs(self, node_id: int) -> list[tuple[str, int]]:
        moved = []
        for key, state in self.partitions.items():
            if node_id not in state.isr:
                continue
            state.isr = [n for n in state.isr if n != node_id]
            state.partition_epoch += 1
            if state.leader == node_id:
                candidates = [n for n in state.isr if self._is_online(n)]
                self._elect(key, state, candidates[0] if candidates else NO_LEADER)
                moved.append(key)
        return moved

    def start_node(self, node_id: int) -> list[tuple[str, int]]:
        """Bring ``node_id`` back: it rejoins its ISRs and leads its offline partitions."""
        self.nodes[node_id].online = True
        self.nodes[node_id].registered = True
        moved = []
        for key, state in self.partitions.items():
            if node_id not in state.replicas:
                continue
            if node_id not in state.isr:
                state.isr = [n for n in state.replicas if n in state.isr or n == node_id]
                state.partition_epoch += 1
            if state.leader == NO_LEADER:
                self._elect(key, state, node_id)
                moved.append(key)
        return moved

    def move_leader(self, topic: str, partition: int, node_id: int) -> PartitionState:
        """Make ``node_id`` the leader; raises ``ValueError`` for an unknown or offline node."""
        node = self.nodes.get(node_id)
        if node is None:
            raise ValueError(f"no node {node_id} in this cluster (nodes: {sorted(self.nodes)})")
        if not node.online:
            raise ValueError(f"node {node_id} is stopped: start it before moving leaders to it")
        key = (topic, partition)
        state = self.state(topic, partition)
        if node_id not in state.replicas:
            state.replicas.append(node_id)
        if node_id not in state.isr:
            state.isr.append(node_id)
        if state.leader != node_id:
            self._elect(key, state, node_id)
        return state

    def elect_preferred(self, topic: str, partition: int) -> ErrorCode:
        """Kafka's preferred election: the first replica leads if it is online and in sync."""
        key = (topic, partition)
        state = self.partitions[key]
        preferred = state.replicas[0] if state.replicas else NO_LEADER
        if state.leader == preferred:
            return ErrorCode.ELECTION_NOT_NEEDED
        if not self._is_online(preferred) or preferred not in state.isr:
            return ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE
        self._elect(key, state, preferred)
        return ErrorCode.NONE

    def elect_unclean(self, topic: str, partition: int) -> ErrorCode:
        """Kafka's unclean election: a partition without a leader elects its first online
        replica, in sync or not, which becomes the whole ISR. A led partition needs none."""
        key = (topic, partition)
        state = self.partitions[key]
        if state.leader != NO_LEADER:
            return ErrorCode.ELECTION_NOT_NEEDED
        online = [n for n in state.replicas if self._is_online(n)]
        if not online:
            return ErrorCode.ELIGIBLE_LEADERS_NOT_AVAILABLE
        state.isr = [online[0]]
        self._elect(key, state, online[0])
        return ErrorCode.NONE

    def reassign(self, topic: str, partition: int, replicas: Sequence[int]) -> PartitionState:
        """Move the partition to ``replicas`` at once (the data is shared, so new replicas
        are caught up): the ISR becomes the online target replicas; the leader stays if it is
        one of them, else the first online target replica leads (epoch bump)."""
        key = (topic, partition)
        state = self.partitions[key]
        state.replicas = list(replicas)
        state.isr = [n for n in state.replicas if self._is_online(n)]
        state.partition_epoch += 1
        if state.leader not in state.isr:
            self._elect(key, state, state.isr[0] if state.isr else NO_LEADER)
        return state

    def _elect(self, key: tuple[str, int], state: PartitionState, leader: int) -> None:
        previous = state.leader
        state.leader = leader
        state.leader_epoch += 1
        state.partition_epoch += 1
        log.info(
            "%s-%d: leader %s -> %s, leader epoch %d",
            key[0], key[1], _name(previous), _name(leader), state.leader_epoch,
        )

    def _is_online(self, node_id: int) -> bool:
        node = self.nodes.get(node_id)
        return node is not None and node.online and node.registered

    def led_by(self, node_id: int) -> Iterable[tuple[str, int]]:
        return (key for key, state in self.partitions.items() if state.leader == node_id)


def _name(node_id: int) -> str:
    return "none" if node_id == NO_LEADER else str(node_id)
