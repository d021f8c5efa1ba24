"""Admin calls: create, delete and grow topics; describe and change their configs.

Each call goes to the controller named by Metadata (any broker forwards admin requests in
KRaft mode, so this is only the shortest path). Results keep per-topic error codes as
data; the caller decides which are fatal (``TopicResult.raise_for_error``).

Versions: CreateTopics v2+ (``num_partitions``/``replication_factor`` -1 means the broker
default from v4, KIP-464), DeleteTopics v1+ (v6 names topics in ``topics``, earlier
versions in ``topic_names``), CreatePartitions v0+, DescribeConfigs v1+ (config sources),
IncrementalAlterConfigs v0+ (KIP-339).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kafkalite.client.client import KafkaClient
from kafkalite.client.errors import raise_for_code
from kafkalite.protocol.constants import AlterOp, ResourceType
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.create_partitions import (
    CreatePartitionsRequest,
    CreatePartitionsTopic,
)
from kafkalite.protocol.messages.create_topics import (
    CreatableTopic,
    CreatableTopicConfig,
    CreateTopicsRequest,
)
from kafkalite.protocol.messages.delete_topics import DeleteTopicsRequest, DeleteTopicState
from kafkalite.protocol.messages.describe_configs import (
    DescribeConfigsRequest,
    DescribeConfigsResource,
)
from kafkalite.protocol.messages.incremental_alter_configs import (
    IncrementalAlterableConfig,
    IncrementalAlterConfigsRequest,
    IncrementalAlterConfigsResource,
)

__all__ = [
    "AlterOp",
    "ConfigEntry",
    "ConfigResult",
    "NewTopic",
    "ResourceType",
    "TopicResult",
    "create_partitions",
    "create_topics",
    "delete_topics",
    "describe_configs",
    "incremental_alter_configs",
]


@dataclass(frozen=True, slots=True)
class NewTopic:
    name: str
    num_partitions: int = -1
    replication_factor: int = -1
    configs: Mapping[str, str | None] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TopicResult:
    name: str
    error_code: int = 0
    error_message: str | None = None

    def raise_for_error(self) -> None:
        raise_for_code(self.error_code, self.error_message, f"topic {self.name}")


@dataclass(frozen=True, slots=True)
class ConfigEntry:
    name: str
    value: str | None
    source: int = -1
    read_only: bool = False
    is_sensitive: bool = False


@dataclass(frozen=True, slots=True)
class ConfigResult:
    resource_name: str
    error_code: int = 0
    error_message: str | None = None
    entries: tuple[ConfigEntry, ...] = ()

    def raise_for_error(self) -> None:
        raise_for_code(self.error_code, self.error_message, self.resource_name)


def create_topics(
    client: KafkaClient,
    topics: Sequence[NewTopic],
    *,
    timeout_ms: int = 30_000,
    validate_only: bool = False,
) -> list[TopicResult]:
    request = CreateTopicsRequest(
        topics=[
            CreatableTopic(
                name=topic.name,
                num_partitions=topic.num_partitions,
                replication_factor=topic.replication_factor,
                configs=[CreatableTopicConfig(name=k, value=v) for k, v in topic.configs.items()],
            )
            for topic in topics
        ],
        timeout_ms=timeout_ms,
        validate_only=validate_only,
    )
    response = _call_controller(
        client, ApiKey.CREATE_TOPICS, lambda version: request, timeout_ms=timeout_ms
    )
    return [TopicResult(t.name, t.error_code, t.error_message) for t in response.topics]


def delete_topics(
    client: KafkaClient, names: Sequence[str], *, timeout_ms: int = 30_000
) -> list[TopicResult]:
    def request(version: int) -> DeleteTopicsRequest:
        if version >= 6:
            return DeleteTopicsRequest(
                topics=[DeleteTopicState(name=n) for n in names], timeout_ms=timeout_ms
            )
        return DeleteTopicsRequest(topic_names=list(names), timeout_ms=timeout_ms)

    response = _call_controller(client, ApiKey.DELETE_TOPICS, request, timeout_ms=timeout_ms)
    return [
        TopicResult(r.name or str(r.topic_id), r.error_code, r.error_message)
        for r in response.responses
    ]


def create_partitions(
    client: KafkaClient,
    counts: Mapping[str, int],
    *,
    timeout_ms: int = 30_000,
    validate_only: bool = False,
) -> list[TopicResult]:
    """Grow each topic to ``counts[topic]`` partitions in total."""
    request = CreatePartitionsRequest(
        topics=[CreatePartitionsTopic(name=name, count=count) for name, count in counts.items()],
        timeout_ms=timeout_ms,
        validate_only=validate_only,
    )
    response = _call_controller(
        client, ApiKey.CREATE_PARTITIONS, lambda version: request, timeout_ms=timeout_ms
    )
    return [TopicResult(r.name, r.error_code, r.error_message) for r in response.results]


def describe_configs(
    client: KafkaClient,
    resource_type: ResourceType,
    names: Sequence[str],
    keys: Sequence[str] | None = None,
) -> dict[str, ConfigResult]:
    request = DescribeConfigsRequest(
        resources=[
            DescribeConfigsResource(
                resource_type=resource_type,
                resource_name=name,
                configuration_keys=None if keys is None else list(keys),
            )
            for name in names
        ]
    )
    response = _call_controller(client, ApiKey.DESCRIBE_CONFIGS, lambda version: request, minimum=1)
    results: dict[str, ConfigResult] = {}
    for result in response.results:
        entries = tuple(
            sorted(
                (
                    ConfigEntry(c.name, c.value, c.config_source, c.read_only, c.is_sensitive)
                    for c in result.configs
                ),
                key=lambda entry: entry.name,
            )
        )
        results[result.resource_name] = ConfigResult(
            result.resource_name, result.error_code, result.error_message, entries
        )
    return results


def incremental_alter_configs(
    client: KafkaClient,
    resource_type: ResourceType,
    name: str,
    operations: Sequence[tuple[str, AlterOp, str | None]],
    *,
    validate_only: bool = False,
) -> ConfigResult:
    """Apply ``(config, operation, value)`` changes to one resource."""
    request = IncrementalAlterConfigsRequest(
        resources=[
            IncrementalAlterConfigsResource(
                resource_type=resource_type,
                resource_name=name,
                configs=[
                    IncrementalAlterableConfig(name=key, config_operation=op, value=value)
                    for key, op, value in operations
                ],
            )
        ],
        validate_only=validate_only,
    )
    response = _call_controller(client, ApiKey.INCREMENTAL_ALTER_CONFIGS, lambda version: request)
    for result in response.responses:
        if result.resource_name == name:
            return ConfigResult(name, result.error_code, result.error_message)
    return ConfigResult(name, response.responses[0].error_code if response.responses else 0)


def _call_controller(
    client: KafkaClient,
    api_key: ApiKey,
    request: Callable[[int], Any],
    *,
    minimum: int = 0,
    timeout_ms: int | None = None,
) -> Any:
    """Send ``request(version)`` to the controller at the highest version both sides know
    (at least ``minimum``). A request that lets the broker wait ``timeout_ms`` gets that
    much more than the client's own timeout."""
    connection = client.controller()
    version = connection.version_for(api_key, minimum=minimum)
    timeout = None if timeout_ms is None else client.timeout + timeout_ms / 1000
    return client.call(connection, api_key, request(version), version, timeout)
