"""``KafkaClient``: a small blocking Kafka client over ``BrokerConnection``s.

It holds one connection per broker address, learns the cluster from Metadata and sends
each partition's request to its leader: Produce, Fetch and ListOffsets are grouped per
leader, one request per leader, sent one after the other. Admin calls (``admin.py``) go
to the controller, group calls (``group.py``) to the group coordinator.

Bodies are built for the negotiated version where the schema changed shape; the
versionless dataclasses keep their defaults everywhere else.

Not implemented: fetch sessions (KIP-227; every fetch is a full one), retries of failed
produce requests (a CLI reports them instead). TLS and SASL (PLAIN, SCRAM) come with
``security`` (``kafkalite.client.security``).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kafkalite.client.connection import BrokerConnection, parse_address
from kafkalite.client.errors import ClientError, ConnectionFailed, KafkaResponseError
from kafkalite.client.security import ConnectionSecurity
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.fetch import (
    FetchPartition,
    FetchPartitionResponse,
    FetchRequest,
    FetchResponse,
    FetchTopic,
)
from kafkalite.protocol.messages.list_offsets import (
    ListOffsetsPartition,
    ListOffsetsPartitionResponse,
    ListOffsetsRequest,
    ListOffsetsTopic,
)
from kafkalite.protocol.messages.metadata import (
    MetadataRequest,
    MetadataRequestTopic,
    MetadataResponse,
)
from kafkalite.protocol.messages.produce import (
    ProducePartitionData,
    ProducePartitionResponse,
    ProduceRequest,
    ProduceTopicData,
)

__all__ = [
    "EARLIEST",
    "LATEST",
    "BrokerInfo",
    "ClusterInfo",
    "KafkaClient",
    "PartitionInfo",
    "TopicInfo",
    "TopicPartition",
]

LATEST, EARLIEST = -1, -2  # ListOffsets special timestamps
_MIN_PRODUCE_VERSION = 3  # RecordBatch v2 (magic 2)
# The last versions naming topics by name: later ones name them by id (KIP-516).
_NAMED_PRODUCE_VERSION = 12
_NAMED_FETCH_VERSION = 12
_MIN_FETCH_VERSION = 4  # KIP-74 size semantics and last_stable_offset


@dataclass(frozen=True, slots=True, order=True)
class TopicPartition:
    topic: str
    partition: int

    def __str__(self) -> str:
        return f"{self.topic}-{self.partition}"


@dataclass(frozen=True, slots=True)
class BrokerInfo:
    node_id: int
    host: str
    port: int
    rack: str | None = None


@dataclass(frozen=True, slots=True)
class PartitionInfo:
    partition: int
    leader: int
    leader_epoch: int
    replicas: tuple[int, ...]
    isr: tuple[int, ...]
    offline_replicas: tuple[int, ...]
    error_code: int = 0


@dataclass(frozen=True, slots=True)
class TopicInfo:
    name: str
    topic_id: uuid.UUID
    is_internal: bool
    partitions: tuple[PartitionInfo, ...]
    error_code: int = 0

    def leader_of(self, partition: int) -> int:
        for info in self.partitions:
            if info.partition == partition:
                return info.leader
        raise KafkaResponseError(
            ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, context=f"{self.name}-{partition}"
        )


@dataclass(frozen=True, slots=True)
class ClusterInfo:
    cluster_id: str | None
    controller_id: int
    brokers: Mapping[int, BrokerInfo]
    topics: Mapping[str, TopicInfo]


class KafkaClient:
    """Connections to a cluster reached through ``bootstrap`` (``host:port[,host:port...]``)."""

    def __init__(
        self,
        bootstrap: str,
        *,
        client_id: str = "kafkalite-cli",
        timeout: float = 30.0,
        security: ConnectionSecurity | None = None,
    ) -> None:
        self.client_id = client_id
        self.security = security
        self.timeout = timeout
        self._bootstrap = [parse_address(part) for part in bootstrap.split(",") if part.strip()]
        if not self._bootstrap:
            raise ValueError("no bootstrap server given")
        self._connections: dict[tuple[str, int], BrokerConnection] = {}
        self._brokers: dict[int, BrokerInfo] = {}
        self._topics: dict[str, TopicInfo] = {}
        self._controller_id = -1

    def close(self) -> None:
        for connection in self._connections.values():
            connection.close()
        self._connections.clear()

    def __enter__(self) -> KafkaClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- connections ------------------------------------------------------------------

    def any_connection(self) -> BrokerConnection:
        """An open connection, to a bootstrap server if none is open yet."""
        for connection in self._connections.values():
            return connection
        failures = []
        for host, port in self._bootstrap:
            try:
                return self.connect(host, port)
            except ConnectionFailed as exc:
                failures.append(str(exc))
        raise ConnectionFailed("; ".join(failures))

    def connect(self, host: str, port: int) -> BrokerConnection:
        connection = self._connections.get((host, port))
        if connection is None:
            connection = BrokerConnection(
                host, port, client_id=self.client_id, timeout=self.timeout, security=self.security
            )
            self._connections[(host, port)] = connection
        return connection

    def connection_to(self, node_id: int) -> BrokerConnection:
        broker = self._brokers.get(node_id)
        if broker is None:
            self.metadata([])
            broker = self._brokers.get(node_id)
            if broker is None:
                raise ClientError(f"broker {node_id} is not in the cluster metadata")
        return self.connect(broker.host, broker.port)

    def controller(self) -> BrokerConnection:
        if self._controller_id < 0:
            self.metadata([])
        if self._controller_id < 0:
            return self.any_connection()
        return self.connection_to(self._controller_id)

    def call(
        self,
        connection: BrokerConnection,
        api_key: ApiKey,
        body: Any,
        version: int,
        timeout: float | None = None,
    ) -> Any:
        """``connection.call``, forgetting the connection when it breaks."""
        try:
            return connection.call(api_key, body, version, timeout=timeout)
        except ConnectionFailed:
            connection.close()
            self._connections.pop((connection.host, connection.port), None)
            raise

    # --- metadata ---------------------------------------------------------------------

    def metadata(
        self, topics: Sequence[str] | None, *, allow_auto_create: bool = False
    ) -> ClusterInfo:
        """Metadata for ``topics`` (None: every topic); refreshes the cached leaders."""
        connection = self.any_connection()
        version = connection.version_for(ApiKey.METADATA, minimum=1)
        request = MetadataRequest(
            topics=None if topics is None else [MetadataRequestTopic(name=name) for name in topics],
            allow_auto_topic_creation=allow_auto_create if version >= 4 else True,
        )
        response: MetadataResponse = self.call(connection, ApiKey.METADATA, request, version)
        brokers = {
            b.node_id: BrokerInfo(b.node_id, b.host, b.port, b.rack) for b in response.brokers
        }
        found: dict[str, TopicInfo] = {}
        for topic in response.topics:
            partitions = tuple(
                sorted(
                    (
                        PartitionInfo(
                            partition=p.partition_index,
                            leader=p.leader_id,
                            leader_epoch=p.leader_epoch,
                            replicas=tuple(p.replica_nodes),
                            isr=tuple(p.isr_nodes),
                            offline_replicas=tuple(p.offline_replicas),
                            error_code=p.error_code,
                        )
                        for p in topic.partitions
                    ),
                    key=lambda info: info.partition,
                )
            )
            info = TopicInfo(
                topic.name or "", topic.topic_id, topic.is_internal, partitions, topic.error_code
            )
            found[info.name] = info
            if info.error_code == ErrorCode.NONE:
                self._topics[info.name] = info
            else:
                self._topics.pop(info.name, None)
        self._brokers = brokers
        self._controller_id = response.controller_id
        return ClusterInfo(response.cluster_id, response.controller_id, brokers, found)

    def topic(
        self, name: str, *, allow_auto_create: bool = False, wait_s: float = 0.0
    ) -> TopicInfo:
        """The topic's partitions and leaders; waits up to ``wait_s`` for a topic that is
        still being created (LEADER_NOT_AVAILABLE, or partitions without a leader)."""
        deadline = time.monotonic() + wait_s
        delay = 0.05
        while True:
            info = self.metadata([name], allow_auto_create=allow_auto_create).topics.get(name)
            code = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION if info is None else info.error_code
            if info is not None and code == ErrorCode.NONE:
                if info.partitions and all(p.leader >= 0 for p in info.partitions):
                    return info
                code = ErrorCode.LEADER_NOT_AVAILABLE
            if (
                code not in (ErrorCode.LEADER_NOT_AVAILABLE, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
                or time.monotonic() >= deadline
            ):
                raise KafkaResponseError(code, context=f"topic {name}")
            time.sleep(delay)
            delay = min(delay * 2, 0.5)

    def _by_leader(self, topic: str, partitions: Iterable[int]) -> dict[int, list[int]]:
        info = self._topics.get(topic) or self.topic(topic)
        groups: dict[int, list[int]] = {}
        for partition in partitions:
            groups.setdefault(info.leader_of(partition), []).append(partition)
        return groups

    # --- produce, list offsets, fetch -------------------------------------------------

    def produce(
        self, topic: str, batches: Mapping[int, bytes], *, acks: int = -1, timeout_ms: int = 30_000
    ) -> dict[int, ProducePartitionResponse]:
        """Send one batch per partition; returns each partition's answer (acks=0: none)."""
        results: dict[int, ProducePartitionResponse] = {}
        for leader, partitions in self._by_leader(topic, batches).items():
            connection = self.connection_to(leader)
            version = connection.version_for(
                ApiKey.PRODUCE, minimum=_MIN_PRODUCE_VERSION, maximum=_NAMED_PRODUCE_VERSION
            )
            request = ProduceRequest(
                acks=acks,
                timeout_ms=timeout_ms,
                topic_data=[
                    ProduceTopicData(
                        name=topic,
                        partition_data=[
                            ProducePartitionData(index=p, records=batches[p]) for p in partitions
                        ],
                    )
                ],
            )
            if acks == 0:
                connection.send(ApiKey.PRODUCE, request, version)
                results.update(
                    {p: ProducePartitionResponse(index=p, base_offset=-1) for p in partitions}
                )
                continue
            response = self.call(
                connection, ApiKey.PRODUCE, request, version, self.timeout + timeout_ms / 1000
            )
            for topic_response in response.responses:
                for part in topic_response.partition_responses:
                    results[part.index] = part
        return results

    def list_offsets(
        self, topic: str, timestamps: Mapping[int, int], *, isolation_level: int = 0
    ) -> dict[int, ListOffsetsPartitionResponse]:
        """Offsets for ``{partition: timestamp}`` (LATEST -1, EARLIEST -2, or a time in ms)."""
        results: dict[int, ListOffsetsPartitionResponse] = {}
        for leader, partitions in self._by_leader(topic, timestamps).items():
            connection = self.connection_to(leader)
            version = connection.version_for(ApiKey.LIST_OFFSETS, minimum=1)
            request = ListOffsetsRequest(
                replica_id=-1,
                isolation_level=isolation_level,
                topics=[
                    ListOffsetsTopic(
                        name=topic,
                        partitions=[
                            ListOffsetsPartition(partition_index=p, timestamp=timestamps[p])
                            for p in partitions
                        ],
                    )
                ],
            )
            response = self.call(connection, ApiKey.LIST_OFFSETS, request, version)
            for topic_response in response.topics:
                for part in topic_response.partitions:
                    results[part.partition_index] = part
        return results

    def fetch(
        self,
        positions: Mapping[TopicPartition, int],
        *,
        max_wait_ms: int = 500,
        min_bytes: int = 1,
        max_bytes: int = 50 << 20,
        partition_max_bytes: int = 1 << 20,
        isolation_level: int = 0,
    ) -> dict[TopicPartition, FetchPartitionResponse]:
        """One full fetch (no session) per leader from ``{partition: offset}``."""
        by_leader: dict[int, list[TopicPartition]] = {}
        for tp in positions:
            info = self._topics.get(tp.topic) or self.topic(tp.topic)
            by_leader.setdefault(info.leader_of(tp.partition), []).append(tp)
        results: dict[TopicPartition, FetchPartitionResponse] = {}
        for leader, wanted in by_leader.items():
            connection = self.connection_to(leader)
            version = connection.version_for(
                ApiKey.FETCH, minimum=_MIN_FETCH_VERSION, maximum=_NAMED_FETCH_VERSION
            )
            topics: dict[str, FetchTopic] = {}
            for tp in wanted:
                topics.setdefault(tp.topic, FetchTopic(topic=tp.topic)).partitions.append(
                    FetchPartition(
                        partition=tp.partition,
                        fetch_offset=positions[tp],
                        partition_max_bytes=partition_max_bytes,
                    )
                )
            request = FetchRequest(
                replica_id=-1,
                max_wait_ms=max_wait_ms,
                min_bytes=min_bytes,
                max_bytes=max_bytes,
                isolation_level=isolation_level,
                session_id=0,
                session_epoch=-1,
                topics=list(topics.values()),
            )
            response: FetchResponse = self.call(
                connection, ApiKey.FETCH, request, version, self.timeout + max_wait_ms / 1000
            )
            if response.error_code != ErrorCode.NONE:
                raise KafkaResponseError(response.error_code, context="fetch")
            for topic_response in response.responses:
                for part in topic_response.partitions:
                    results[TopicPartition(topic_response.topic, part.partition_index)] = part
        return results
