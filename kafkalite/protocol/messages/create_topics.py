"""Creates topics, with a partition count and replication factor or an explicit replica
assignment, and optional topic configs. Versions 0-1, removed in Kafka 4 (KIP-896), are
served as Kafka 3.x served them.

Generated from protocol/messages/create_topics.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class CreatableReplicaAssignment(Message):
    """An explicit replica assignment per partition, or empty for automatic placement."""

    __slots__ = ('partition_index', 'broker_ids',)

    partition_index: int
    """The partition index."""

    broker_ids: list[int]
    """The brokers holding the partition's replicas."""

    def __init__(self, *, partition_index: int = 0, broker_ids: list[int] = UNSET) -> None:
        self.partition_index = partition_index
        self.broker_ids = list() if broker_ids is UNSET else broker_ids


class CreatableTopicConfig(Message):
    """Topic configs to set instead of the broker defaults."""

    __slots__ = ('name', 'value',)

    name: str
    """The config name."""

    value: str | None
    """The config value. (nullable v0+)"""

    def __init__(self, *, name: str = "", value: str | None = None) -> None:
        self.name = name
        self.value = value


class CreatableTopic(Message):
    """The topics to create."""

    __slots__ = ('name', 'num_partitions', 'replication_factor', 'assignments', 'configs',)

    name: str
    """The topic name."""

    num_partitions: int
    """The partition count, or -1 for the broker default or when assignments are given."""

    replication_factor: int
    """The replication factor, or -1 for the broker default or when assignments are given."""

    assignments: list[CreatableReplicaAssignment]
    """An explicit replica assignment per partition, or empty for automatic placement."""

    configs: list[CreatableTopicConfig]
    """Topic configs to set instead of the broker defaults."""

    def __init__(self, *, name: str = "", num_partitions: int = 0, replication_factor: int = 0, assignments: list[CreatableReplicaAssignment] = UNSET, configs: list[CreatableTopicConfig] = UNSET) -> None:
        self.name = name
        self.num_partitions = num_partitions
        self.replication_factor = replication_factor
        self.assignments = list() if assignments is UNSET else assignments
        self.configs = list() if configs is UNSET else configs


class CreateTopicsRequest(Message):
    __slots__ = ('topics', 'timeout_ms', 'validate_only',)

    topics: list[CreatableTopic]
    """The topics to create."""

    timeout_ms: int
    """How long to wait for the topics to be created, in milliseconds."""

    validate_only: bool
    """If true, only check that the topics could be created. (v1+)"""

    def __init__(self, *, topics: list[CreatableTopic] = UNSET, timeout_ms: int = 60000, validate_only: bool = False) -> None:
        self.topics = list() if topics is UNSET else topics
        self.timeout_ms = timeout_ms
        self.validate_only = validate_only


class CreatableTopicConfigResult(Message):
    """The topic's resulting configs, or null (KIP-525)."""

    __slots__ = ('name', 'value', 'read_only', 'config_source', 'is_sensitive',)

    name: str
    """The config name. (v5+)"""

    value: str | None
    """The config value. (v5+, nullable v5+)"""

    read_only: bool
    """True if the config cannot be changed. (v5+)"""

    config_source: int
    """Where the value comes from, as in DescribeConfigs. (v5+)"""

    is_sensitive: bool
    """True if the value is sensitive and withheld. (v5+)"""

    def __init__(self, *, name: str = "", value: str | None = None, read_only: bool = False, config_source: int = -1, is_sensitive: bool = False) -> None:
        self.name = name
        self.value = value
        self.read_only = read_only
        self.config_source = config_source
        self.is_sensitive = is_sensitive


class CreatableTopicResult(Message):
    """One result per requested topic."""

    __slots__ = ('name', 'topic_id', 'error_code', 'error_message', 'topic_config_error_code', 'num_partitions', 'replication_factor', 'configs',)

    name: str
    """The topic name."""

    topic_id: uuid.UUID
    """The new topic's id (KIP-516). (v7+)"""

    error_code: int
    """The error code, 0 on success."""

    error_message: str | None
    """A message describing the error, or null. (v1+, nullable v1+)"""

    topic_config_error_code: int
    """Why the topic's configs are missing from the response, if they are. (v5+, tag 0)"""

    num_partitions: int
    """The topic's partition count, -1 if unknown (KIP-525). (v5+)"""

    replication_factor: int
    """The topic's replication factor, -1 if unknown (KIP-525). (v5+)"""

    configs: list[CreatableTopicConfigResult] | None
    """The topic's resulting configs, or null (KIP-525). (v5+, nullable v5+)"""

    def __init__(self, *, name: str = "", topic_id: uuid.UUID = ZERO_UUID, error_code: int = 0, error_message: str | None = None, topic_config_error_code: int = 0, num_partitions: int = -1, replication_factor: int = -1, configs: list[CreatableTopicConfigResult] | None = None) -> None:
        self.name = name
        self.topic_id = topic_id
        self.error_code = error_code
        self.error_message = error_message
        self.topic_config_error_code = topic_config_error_code
        self.num_partitions = num_partitions
        self.replication_factor = replication_factor
        self.configs = configs


class CreateTopicsResponse(Message):
    __slots__ = ('throttle_time_ms', 'topics',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds. (v2+)"""

    topics: list[CreatableTopicResult]
    """One result per requested topic."""

    def __init__(self, *, throttle_time_ms: int = 0, topics: list[CreatableTopicResult] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.topics = list() if topics is UNSET else topics


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
