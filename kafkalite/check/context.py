"""What a check gets: connections, unique names, request helpers and clean-up.

Every request a check sends through ``call`` (or its client) is remembered (the last few,
with their responses), so a failure can be reported with what was asked and answered. Groups
named with ``group_name`` are deleted when the check ends, whatever its result; topics made
with ``create_topic`` when the run ends (``delete_leftover_topics``), all in one request. Names start with ``kafkalite-check-`` and carry the run's id, so two runs against
one cluster never meet.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kafkalite.check.registry import Failed, Skip
from kafkalite.client import KafkaClient
from kafkalite.client.connection import BrokerConnection, parse_address
from kafkalite.client.errors import KafkaResponseError, UnsupportedApiError, error_name
from kafkalite.client.records import ProducerRecord, encode_batch
from kafkalite.client.security import ConnectionSecurity
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.create_topics import (
    CreatableTopic,
    CreatableTopicConfig,
    CreateTopicsRequest,
)
from kafkalite.protocol.messages.delete_groups import DeleteGroupsRequest
from kafkalite.protocol.messages.fetch import (
    FetchPartition,
    FetchPartitionResponse,
    FetchRequest,
    FetchResponse,
    FetchTopic,
)
from kafkalite.protocol.messages.find_coordinator import FindCoordinatorRequest
from kafkalite.protocol.messages.init_producer_id import (
    InitProducerIdRequest,
    InitProducerIdResponse,
)
from kafkalite.protocol.messages.list_offsets import (
    ListOffsetsPartition,
    ListOffsetsPartitionResponse,
    ListOffsetsRequest,
    ListOffsetsTopic,
)
from kafkalite.protocol.messages.produce import (
    ProducePartitionData,
    ProducePartitionResponse,
    ProduceRequest,
    ProduceTopicData,
)

__all__ = ["CheckContext", "Settings", "Exchange"]

_TRAIL = 8
_ERROR_CODE = re.compile(r"(error_code=)(-?\d+)")
_SUMMARY_CHARS = 400
_COORDINATOR_RETRY = frozenset(
    {
        ErrorCode.COORDINATOR_NOT_AVAILABLE,
        ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
        ErrorCode.NOT_COORDINATOR,
    }
)


@dataclass(frozen=True, slots=True)
class Settings:
    bootstrap: str
    security: ConnectionSecurity | None = None
    properties: Mapping[str, str] = field(default_factory=dict)
    allow_destructive: bool = False
    timeout_s: float = 10.0
    run_id: str = field(default_factory=lambda: secrets.token_hex(3))
    #: Topics the checks created, deleted together at the end of the run (one DeleteTopics
    #: instead of one per check); see ``delete_leftover_topics``.
    leftover_topics: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Exchange:
    """One request and its answer (or the error that stopped it)."""

    api: str
    version: int
    request: Any
    response: Any = None
    error: str | None = None

    def summary(self) -> dict[str, str]:
        out = {"request": f"{self.api} v{self.version} {_short(self.request)}"}
        if self.error is not None:
            out["response"] = self.error
        else:
            out["response"] = _short(self.response)
        return out


def _short(value: Any) -> str:
    text = _ERROR_CODE.sub(
        lambda m: f"{m.group(1)}{m.group(2)} {error_name(int(m.group(2)))}", repr(value)
    )
    return text if len(text) <= _SUMMARY_CHARS else text[: _SUMMARY_CHARS - 3] + "..."


def api_name(api_key: int) -> str:
    try:
        return "".join(part.capitalize() for part in ApiKey(api_key).name.split("_"))
    except ValueError:
        return f"api {api_key}"

#: The last version of each API whose requests name topics; from the next one they carry
#: topic ids (Produce v13, Fetch v13, OffsetCommit/OffsetFetch v10: KIP-516, KIP-848).
LAST_NAMED_VERSION = {
    ApiKey.PRODUCE: 12, ApiKey.FETCH: 12, ApiKey.OFFSET_COMMIT: 9, ApiKey.OFFSET_FETCH: 9,
}


class CheckContext:
    def __init__(self, settings: Settings, check_name: str) -> None:
        self.settings = settings
        self.trail: list[Exchange] = []
        self._names = itertools.count(1)
        self._slug = check_name.replace(".", "-").replace("_", "-")
        self._clients: list[KafkaClient] = []
        self._connections: list[BrokerConnection] = []
        self._topics: list[str] = []
        self._groups: list[str] = []
        self._client: KafkaClient | None = None

    # --- names and clean-up -----------------------------------------------------------

    def unique(self, kind: str = "t") -> str:
        return f"kafkalite-check-{self._slug}-{self.settings.run_id}-{kind}{next(self._names)}"

    def group_name(self) -> str:
        name = self.unique("g")
        self._groups.append(name)
        return name

    def close(self) -> None:
        with contextlib.suppress(Exception):
            if self._groups:
                self._delete_groups(self._groups)
        self.settings.leftover_topics.extend(self._topics)
        for client in self._clients:
            client.close()
        for connection in self._connections:
            connection.close()

    def _delete_groups(self, groups: Sequence[str]) -> None:
        for group in groups:
            with contextlib.suppress(Exception):
                connection = self.coordinator(group, wait_s=2.0)
                self.call(
                    connection, ApiKey.DELETE_GROUPS, DeleteGroupsRequest(groups_names=[group])
                )

    # --- connections ------------------------------------------------------------------

    def new_client(self, client_id: str = "kafkalite-check") -> KafkaClient:
        client = _RecordingClient(
            self,
            self.settings.bootstrap,
            client_id=client_id,
            timeout=self.settings.timeout_s,
            security=self.settings.security,
        )
        self._clients.append(client)
        return client

    @property
    def client(self) -> KafkaClient:
        if self._client is None:
            self._client = self.new_client()
        return self._client

    def connection(self) -> BrokerConnection:
        """A negotiated connection to a bootstrap broker, shared within the check."""
        return self.client.any_connection()

    def new_connection(self, host: str | None = None, port: int | None = None) -> BrokerConnection:
        if host is None or port is None:
            host, port = parse_address(self.settings.bootstrap.split(",")[0])
        connection = BrokerConnection(
            host,
            port,
            client_id="kafkalite-check",
            timeout=self.settings.timeout_s,
            security=self.settings.security,
        )
        self._connections.append(connection)
        return connection

    def raw_socket(self) -> Any:
        """A plain (or TLS) socket to a bootstrap broker, not negotiated nor authenticated."""
        import socket

        host, port = parse_address(self.settings.bootstrap.split(",")[0])
        sock = socket.create_connection((host, port), timeout=self.settings.timeout_s)
        security = self.settings.security
        if security is not None:
            sock = security.wrap(sock, host)  # type: ignore[assignment]
        self._connections.append(_SocketCloser(sock))  # type: ignore[arg-type]
        return sock

    def require(
        self, api_key: ApiKey, minimum: int = 0, connection: BrokerConnection | None = None,
        maximum: int | None = None,
    ) -> int:
        """The version to use for ``api_key`` (at least ``minimum``); skips the check when
        the broker does not advertise one. The scenarios name topics, so APIs whose newer
        versions take topic ids instead (KIP-516) stop at their last version with names
        unless ``maximum`` says otherwise."""
        connection = connection or self.connection()
        if maximum is None:
            maximum = LAST_NAMED_VERSION.get(api_key, 0x7FFF)
        try:
            return connection.version_for(api_key, minimum=minimum, maximum=maximum)
        except UnsupportedApiError as exc:
            raise Skip(f"not advertised: {exc}") from None

    def call(
        self,
        connection: BrokerConnection,
        api_key: ApiKey,
        body: Any,
        version: int | None = None,
        *,
        timeout: float | None = None,
    ) -> Any:
        if version is None:
            version = connection.version_for(
                api_key, maximum=LAST_NAMED_VERSION.get(api_key, 0x7FFF)
            )
        exchange = Exchange(api_name(api_key), version, body)
        self.trail.append(exchange)
        del self.trail[:-_TRAIL]
        try:
            exchange.response = connection.call(api_key, body, version, timeout=timeout)
        except Exception as exc:
            exchange.error = f"{type(exc).__name__}: {exc}"
            raise
        return exchange.response

    # --- topics -----------------------------------------------------------------------

    def create_topic(
        self,
        partitions: int = 1,
        configs: Mapping[str, str] | None = None,
        *,
        name: str | None = None,
    ) -> str:
        name = name or self.unique()
        connection = self.client.controller()
        if not connection.supports(ApiKey.CREATE_TOPICS):
            return self._auto_create_topic(name, partitions, configs)
        version = self.require(ApiKey.CREATE_TOPICS, connection=connection)
        request = CreateTopicsRequest(
            topics=[
                CreatableTopic(
                    name=name,
                    num_partitions=partitions,
                    replication_factor=-1 if version >= 4 else 1,
                    configs=[
                        CreatableTopicConfig(name=k, value=v) for k, v in (configs or {}).items()
                    ],
                )
            ],
            timeout_ms=10_000,
        )
        response = self.call(connection, ApiKey.CREATE_TOPICS, request, version)
        self._topics.append(name)
        code = response.topics[0].error_code
        if code != ErrorCode.NONE:
            raise Failed(
                f"CreateTopics {name}: {error_name(code)} {response.topics[0].error_message or ''}".strip()
            )
        self.client.topic(name, wait_s=10.0)
        return name

    def _auto_create_topic(
        self, name: str, partitions: int, configs: Mapping[str, str] | None
    ) -> str:
        """For brokers without CreateTopics: create by Metadata auto-creation, when the check
        needs no topic configs and the broker's default partition count suits it."""
        if configs:
            raise Skip(
                f"CreateTopics is not advertised and the check needs topic configs {dict(configs)}"
            )
        self._topics.append(name)
        try:
            info = self.client.topic(name, allow_auto_create=True, wait_s=10.0)
        except KafkaResponseError as exc:
            raise Skip(f"CreateTopics is not advertised and auto-creation failed: {exc}") from None
        if partitions > 1 and len(info.partitions) != partitions:
            raise Skip(
                f"CreateTopics is not advertised; an auto-created topic has {len(info.partitions)} "
                f"partitions, the check needs {partitions}"
            )
        return name

    def forget_topic(self, name: str) -> None:
        with contextlib.suppress(ValueError):
            self._topics.remove(name)

    def adopt_topic(self, name: str) -> None:
        self._topics.append(name)

    def leader(self, topic: str, partition: int = 0) -> BrokerConnection:
        info = self.client.topic(topic, wait_s=5.0)
        return self.client.connection_to(info.leader_of(partition))

    # --- produce, fetch, list offsets -------------------------------------------------

    def batch(self, count: int = 1, *, value: bytes = b"v", **options: Any) -> bytes:
        return encode_batch(
            [ProducerRecord(f"k{i}".encode(), value + str(i).encode()) for i in range(count)],
            **options,
        )

    def produce(
        self,
        topic: str,
        records: bytes,
        *,
        partition: int = 0,
        acks: int = -1,
        version: int | None = None,
        transactional_id: str | None = None,
        timeout_ms: int = 5_000,
    ) -> ProducePartitionResponse:
        connection = self.leader(topic, partition)
        if version is None:
            version = self.require(ApiKey.PRODUCE, minimum=3, connection=connection)
        request = ProduceRequest(
            transactional_id=transactional_id,
            acks=acks,
            timeout_ms=timeout_ms,
            topic_data=[
                ProduceTopicData(
                    name=topic,
                    partition_data=[ProducePartitionData(index=partition, records=records)],
                )
            ],
        )
        if acks == 0:
            self.trail.append(Exchange("Produce", version, request, "(acks=0: no response)"))
            connection.send(ApiKey.PRODUCE, request, version)
            return ProducePartitionResponse(index=partition, base_offset=-1)
        response = self.call(connection, ApiKey.PRODUCE, request, version)
        return response.responses[0].partition_responses[0]

    def produce_ok(self, topic: str, records: bytes, **options: Any) -> int:
        result = self.produce(topic, records, **options)
        if result.error_code != ErrorCode.NONE:
            raise Failed(
                f"Produce to {topic}: {error_name(result.error_code)} {result.error_message or ''}".strip()
            )
        return result.base_offset

    def fetch(
        self,
        topic: str,
        offset: int,
        *,
        partition: int = 0,
        max_wait_ms: int = 100,
        min_bytes: int = 1,
        max_bytes: int = 50 << 20,
        partition_max_bytes: int = 1 << 20,
        isolation_level: int = 0,
        version: int | None = None,
        session_id: int = 0,
        session_epoch: int = -1,
        connection: BrokerConnection | None = None,
    ) -> FetchPartitionResponse:
        connection = connection or self.leader(topic, partition)
        if version is None:
            version = self.require(ApiKey.FETCH, minimum=4, connection=connection)
        ftopic = FetchTopic(topic=topic)  # the schema stops at v12: topics by name
        ftopic.partitions.append(
            FetchPartition(
                partition=partition, fetch_offset=offset, partition_max_bytes=partition_max_bytes
            )
        )
        request = FetchRequest(
            replica_id=-1,
            max_wait_ms=max_wait_ms,
            min_bytes=min_bytes,
            max_bytes=max_bytes,
            isolation_level=isolation_level,
            session_id=session_id,
            session_epoch=session_epoch,
            topics=[ftopic],
        )
        response: FetchResponse = self.call(
            connection,
            ApiKey.FETCH,
            request,
            version,
            timeout=self.settings.timeout_s + max_wait_ms / 1000,
        )
        if response.error_code != ErrorCode.NONE:
            raise Failed(f"Fetch: top-level error {error_name(response.error_code)}")
        for topic_response in response.responses:
            for part in topic_response.partitions:
                return part
        raise Failed("Fetch response names no partition")

    def list_offset(
        self,
        topic: str,
        timestamp: int,
        *,
        partition: int = 0,
        isolation_level: int = 0,
        minimum: int = 1,
    ) -> ListOffsetsPartitionResponse:
        connection = self.leader(topic, partition)
        version = self.require(ApiKey.LIST_OFFSETS, minimum=minimum, connection=connection)
        request = ListOffsetsRequest(
            replica_id=-1,
            isolation_level=isolation_level,
            topics=[
                ListOffsetsTopic(
                    name=topic,
                    partitions=[
                        ListOffsetsPartition(partition_index=partition, timestamp=timestamp)
                    ],
                )
            ],
        )
        response = self.call(connection, ApiKey.LIST_OFFSETS, request, version)
        return response.topics[0].partitions[0]

    def offset_of(self, topic: str, timestamp: int, **options: Any) -> int:
        result = self.list_offset(topic, timestamp, **options)
        if result.error_code != ErrorCode.NONE:
            raise Failed(f"ListOffsets {timestamp}: {error_name(result.error_code)}")
        return result.offset

    # --- producer ids and coordinators ------------------------------------------------

    def init_producer_id(
        self,
        transactional_id: str | None = None,
        *,
        timeout_ms: int = 60_000,
        producer_id: int = -1,
        producer_epoch: int = -1,
        connection: BrokerConnection | None = None,
    ) -> InitProducerIdResponse:
        if connection is None:
            connection = (
                self.coordinator(transactional_id, key_type=1)
                if transactional_id is not None
                else self.connection()
            )
        version = self.require(ApiKey.INIT_PRODUCER_ID, connection=connection)
        request = InitProducerIdRequest(
            transactional_id=transactional_id,
            transaction_timeout_ms=timeout_ms,
            producer_id=producer_id,
            producer_epoch=producer_epoch,
        )
        deadline = time.monotonic() + 10
        while True:
            response = self.call(connection, ApiKey.INIT_PRODUCER_ID, request, version)
            if (
                response.error_code in _COORDINATOR_RETRY | {ErrorCode.CONCURRENT_TRANSACTIONS}
                and time.monotonic() < deadline
            ):
                time.sleep(0.1)
                continue
            return response

    def producer_id(self, transactional_id: str | None = None, **options: Any) -> tuple[int, int]:
        response = self.init_producer_id(transactional_id, **options)
        if response.error_code != ErrorCode.NONE:
            raise Failed(f"InitProducerId: {error_name(response.error_code)}")
        return response.producer_id, response.producer_epoch

    def coordinator(self, key: str, *, key_type: int = 0, wait_s: float = 10.0) -> BrokerConnection:
        connection = self.connection()
        version = self.require(ApiKey.FIND_COORDINATOR, connection=connection)
        deadline = time.monotonic() + wait_s
        while True:
            if version >= 4:
                response = self.call(
                    connection,
                    ApiKey.FIND_COORDINATOR,
                    FindCoordinatorRequest(key_type=key_type, coordinator_keys=[key]),
                    version,
                )
                entry = response.coordinators[0]
                code, host, port = entry.error_code, entry.host, entry.port
            else:
                response = self.call(
                    connection,
                    ApiKey.FIND_COORDINATOR,
                    FindCoordinatorRequest(key=key, key_type=key_type),
                    version,
                )
                code, host, port = response.error_code, response.host, response.port
            if code == ErrorCode.NONE:
                return self.client.connect(host, port)
            if code not in _COORDINATOR_RETRY or time.monotonic() >= deadline:
                raise KafkaResponseError(code, context=f"FindCoordinator {key}")
            time.sleep(0.1)


def delete_leftover_topics(settings: Settings, batch: int = 100) -> list[str]:
    """Delete the run's topics; returns the names that could not be deleted."""
    from kafkalite.client.admin import delete_topics

    names = list(dict.fromkeys(settings.leftover_topics))
    settings.leftover_topics.clear()
    if not names:
        return []
    left: list[str] = []
    try:
        with KafkaClient(
            settings.bootstrap,
            client_id="kafkalite-check",
            timeout=settings.timeout_s,
            security=settings.security,
        ) as client:
            for start in range(0, len(names), batch):
                chunk = names[start : start + batch]
                results = delete_topics(client, chunk, timeout_ms=10_000)
                left += [
                    r.name
                    for r in results
                    if r.error_code
                    not in (
                        ErrorCode.NONE,
                        ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
                        ErrorCode.UNKNOWN_TOPIC_ID,
                    )
                ]
    except Exception:
        return names
    return left


class _RecordingClient(KafkaClient):
    """A ``KafkaClient`` whose calls (Metadata, the admin helpers...) join the check's trail."""

    def __init__(self, context: CheckContext, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._context = context

    def call(
        self,
        connection: BrokerConnection,
        api_key: ApiKey,
        body: Any,
        version: int,
        timeout: float | None = None,
    ) -> Any:
        exchange = Exchange(api_name(api_key), version, body)
        trail = self._context.trail
        trail.append(exchange)
        del trail[:-_TRAIL]
        try:
            exchange.response = super().call(connection, api_key, body, version, timeout)
        except Exception as exc:
            exchange.error = f"{type(exc).__name__}: {exc}"
            raise
        return exchange.response


class _SocketCloser:
    def __init__(self, sock: Any) -> None:
        self._sock = sock

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._sock.close()
