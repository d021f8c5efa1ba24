"""Creates topics, with a partition count and replication factor or an explicit replica
assignment, and optional topic configs. Versions 0-1, removed in Kafka 4 (KIP-896), are
served as Kafka 3.x served them.

Generated from protocol/messages/create_topics.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


@dataclass(slots=True, kw_only=True)
class CreatableReplicaAssignment:
    """An explicit replica assignment per partition, or empty for automatic placement."""

    partition_index: int = 0
    """The partition index."""
    broker_ids: list[int] = field(default_factory=list)
    """The brokers holding the partition's replicas."""


@dataclass(slots=True, kw_only=True)
class CreatableTopicConfig:
    """Topic configs to set instead of the broker defaults."""

    name: str = ""
    """The config name."""
    value: str | None = None
    """The config value. (nullable v0+)"""


@dataclass(slots=True, kw_only=True)
class CreatableTopic:
    """The topics to create."""

    name: str = ""
    """The topic name."""
    num_partitions: int = 0
    """The partition count, or -1 for the broker default or when assignments are given."""
    replication_factor: int = 0
    """The replication factor, or -1 for the broker default or when assignments are given."""
    assignments: list[CreatableReplicaAssignment] = field(default_factory=list)
    """An explicit replica assignment per partition, or empty for automatic placement."""
    configs: list[CreatableTopicConfig] = field(default_factory=list)
    """Topic configs to set instead of the broker defaults."""


@dataclass(slots=True, kw_only=True)
class CreateTopicsRequest:
    topics: list[CreatableTopic] = field(default_factory=list)
    """The topics to create."""
    timeout_ms: int = 60000
    """How long to wait for the topics to be created, in milliseconds."""
    validate_only: bool = False
    """If true, only check that the topics could be created. (v1+)"""


@dataclass(slots=True, kw_only=True)
class CreatableTopicConfigResult:
    """The topic's resulting configs, or null (KIP-525)."""

    name: str = ""
    """The config name. (v5+)"""
    value: str | None = None
    """The config value. (v5+, nullable v5+)"""
    read_only: bool = False
    """True if the config cannot be changed. (v5+)"""
    config_source: int = -1
    """Where the value comes from, as in DescribeConfigs. (v5+)"""
    is_sensitive: bool = False
    """True if the value is sensitive and withheld. (v5+)"""


@dataclass(slots=True, kw_only=True)
class CreatableTopicResult:
    """One result per requested topic."""

    name: str = ""
    """The topic name."""
    topic_id: uuid.UUID = ZERO_UUID
    """The new topic's id (KIP-516). (v7+)"""
    error_code: int = 0
    """The error code, 0 on success."""
    error_message: str | None = None
    """A message describing the error, or null. (v1+, nullable v1+)"""
    topic_config_error_code: int = 0
    """Why the topic's configs are missing from the response, if they are. (v5+, tag 0)"""
    num_partitions: int = -1
    """The topic's partition count, -1 if unknown (KIP-525). (v5+)"""
    replication_factor: int = -1
    """The topic's replication factor, -1 if unknown (KIP-525). (v5+)"""
    configs: list[CreatableTopicConfigResult] | None = None
    """The topic's resulting configs, or null (KIP-525). (v5+, nullable v5+)"""


@dataclass(slots=True, kw_only=True)
class CreateTopicsResponse:
    throttle_time_ms: int = 0
    """How long the request was throttled, in milliseconds. (v2+)"""
    topics: list[CreatableTopicResult] = field(default_factory=list)
    """One result per requested topic."""


_CREATABLE_REPLICA_ASSIGNMENT = StructSpec(
    CreatableReplicaAssignment,
    (
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
        FieldSpec('broker_ids', 'array', V(0, 32767), of='int32'),
    ),
)


_CREATABLE_TOPIC_CONFIG = StructSpec(
    CreatableTopicConfig,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('value', 'string', V(0, 32767), nullable=V(0, 32767)),
    ),
)


_CREATABLE_TOPIC = StructSpec(
    CreatableTopic,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('num_partitions', 'int32', V(0, 32767), default=0),
        FieldSpec('replication_factor', 'int16', V(0, 32767), default=0),
        FieldSpec('assignments', 'array', V(0, 32767), struct=_CREATABLE_REPLICA_ASSIGNMENT),
        FieldSpec('configs', 'array', V(0, 32767), struct=_CREATABLE_TOPIC_CONFIG),
    ),
)


_CREATE_TOPICS_REQUEST = MessageSpec(
    CreateTopicsRequest,
    (
        FieldSpec('topics', 'array', V(0, 32767), struct=_CREATABLE_TOPIC),
        FieldSpec('timeout_ms', 'int32', V(0, 32767), default=60000),
        FieldSpec('validate_only', 'bool', V(1, 32767), default=False),
    ),
    name='CreateTopicsRequest',
    api_key=19,
    valid=V(0, 7),
    flexible=V(5, 32767),
)


_CREATABLE_TOPIC_CONFIG_RESULT = StructSpec(
    CreatableTopicConfigResult,
    (
        FieldSpec('name', 'string', V(5, 32767), default=""),
        FieldSpec('value', 'string', V(5, 32767), nullable=V(5, 32767)),
        FieldSpec('read_only', 'bool', V(5, 32767), default=False),
        FieldSpec('config_source', 'int8', V(5, 32767), default=-1, ignorable=True),
        FieldSpec('is_sensitive', 'bool', V(5, 32767), default=False),
    ),
)


_CREATABLE_TOPIC_RESULT = StructSpec(
    CreatableTopicResult,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('topic_id', 'uuid', V(7, 32767), default=ZERO_UUID, ignorable=True),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(1, 32767), nullable=V(1, 32767), ignorable=True),
        FieldSpec('topic_config_error_code', 'int16', V(5, 32767), default=0, tag=0, ignorable=True),
        FieldSpec('num_partitions', 'int32', V(5, 32767), default=-1, ignorable=True),
        FieldSpec('replication_factor', 'int16', V(5, 32767), default=-1, ignorable=True),
        FieldSpec('configs', 'array', V(5, 32767), nullable=V(5, 32767), ignorable=True, struct=_CREATABLE_TOPIC_CONFIG_RESULT),
    ),
)


_CREATE_TOPICS_RESPONSE = MessageSpec(
    CreateTopicsResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(2, 32767), default=0, ignorable=True),
        FieldSpec('topics', 'array', V(0, 32767), struct=_CREATABLE_TOPIC_RESULT),
    ),
    name='CreateTopicsResponse',
    api_key=19,
    valid=V(0, 7),
    flexible=V(5, 32767),
)


CREATE_TOPICS_REQUEST_SPEC: MessageSpec = _CREATE_TOPICS_REQUEST
CREATE_TOPICS_RESPONSE_SPEC: MessageSpec = _CREATE_TOPICS_RESPONSE
