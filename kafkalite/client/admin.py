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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum

from kafkalite.client.client import KafkaClient
from kafkalite.client.errors import raise_for_code
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
    "ConfigEntry",
    "ConfigOperation",
    "ConfigResult",
    "ConfigSource",
    "NewTopic",
    "ResourceType",
    "TopicResult",
    "create_partitions",
    "create_topics",
    "delete_topics",
    "describe_configs",
    "incremental_alter_configs",
]


class ResourceType(IntEnum):
    TOPIC = 2
    GROUP = 3
    BROKER = 4


class ConfigOperation(IntEnum):
    SET = 0
    DELETE = 1
    APPEND = 2
    SUBTRACT = 3


class ConfigSource(IntEnum):
    UNKNOWN = 0
    DYNAMIC_TOPIC_CONFIG = 1
    DYNAMIC_BROKER_CONFIG = 2
    DYNAMIC_DEFAULT_BROKER_CONFIG = 3
    STATIC_BROKER_CONFIG = 4
    DEFAULT_CONFIG = 5
    DYNAMIC_BROKER_LOGGER_CONFIG = 6
    CLIENT_METRICS_CONFIG = 7
    GROUP_CONFIG = 8


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
    connection = client.controller()
    version = connection.version_for(ApiKey.CREATE_TOPICS)
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
    response = client.call(
        connection, ApiKey.CREATE_TOPICS, request, version, client.timeout + timeout_ms / 1000
    )
    return [TopicResult(t.name, t.error_code, t.error_message) for t in response.topics]


def delete_topics(
    client: KafkaClient, names: Sequence[str], *, timeout_ms: int = 30_000
) -> list[TopicResult]:
    connection = client.controller()
    version = connection.version_for(ApiKey.DELETE_TOPICS)
    if version >= 6:
        request = DeleteTopicsRequest(
            topics=[DeleteTopicState(name=n) for n in names], timeout_ms=timeout_ms
        )
    else:
        request = DeleteTopicsRequest(topic_names=list(names), timeout_ms=timeout_ms)
    response = client.call(
        connection, ApiKey.DELETE_TOPICS, request, version, client.timeout + timeout_ms / 1000
    )
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
    connection = client.controller()
    version = connection.version_for(ApiKey.CREATE_PARTITIONS)
    request = CreatePartitionsRequest(
        topics=[CreatePartitionsTopic(name=name, count=count) for name, count in counts.items()],
        timeout_ms=timeout_ms,
        validate_only=validate_only,
    )
    response = client.call(
        connection, ApiKey.CREATE_PARTITIONS, request, version, client.timeout + timeout_ms / 1000
    )
    return [TopicResult(r.name, r.error_code, r.error_message) for r in response.results]


def describe_configs(
    client: KafkaClient,
    resource_type: ResourceType,
    names: Sequence[str],
    keys: Sequence[str] | None = None,
) -> dict[str, ConfigResult]:
    connection = client.controller()
    version = connection.version_for(ApiKey.DESCRIBE_CONFIGS, minimum=1)
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
    response = client.call(connection, ApiKey.DESCRIBE_CONFIGS, request, version)
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
    operations: Sequence[tuple[str, ConfigOperation, str | None]],
    *,
    validate_only: bool = False,
) -> ConfigResult:
    """Apply ``(config, operation, value)`` changes to one resource."""
    connection = client.controller()
    version = connection.version_for(ApiKey.INCREMENTAL_ALTER_CONFIGS)
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
    response = client.call(connection, ApiKey.INCREMENTAL_ALTER_CONFIGS, request, version)
    for result in response.responses:
        if result.resource_name == name:
            return ConfigResult(name, result.error_code, result.error_message)
    return ConfigResult(name, response.responses[0].error_code if response.responses else 0)
