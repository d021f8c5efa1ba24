"""Find an offset by timestamp: -1 asks for the log end offset (latest), -2 for the log start
offset (earliest), and a real timestamp for the first offset whose record timestamp is at or
after it. Version 0, with its array of old-style offsets, is not served (KIP-896).

Generated from protocol/messages/list_offsets.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class ListOffsetsPartition(Message):
    """The partitions of the topic asked about."""

    __slots__ = ('partition_index', 'current_leader_epoch', 'timestamp',)

    partition_index: int
    """The partition number."""

    current_leader_epoch: int
    """The leader epoch the client knows, or -1 (KIP-320). (v4+)"""

    timestamp: int
    """The timestamp to look up, or -1 (latest), -2 (earliest), -3 (max timestamp, v7+, KIP-734), -4 (earliest local, v8+, KIP-405), -5 (latest tiered, v9+, KIP-1005), -6 (earliest pending upload, v11+, KIP-1023)."""

    def __init__(self, *, partition_index: int = 0, current_leader_epoch: int = -1, timestamp: int = 0) -> None:
        self.partition_index = partition_index
        self.current_leader_epoch = current_leader_epoch
        self.timestamp = timestamp


class ListOffsetsTopic(Message):
    """The topics asked about."""

    __slots__ = ('name', 'partitions',)

    name: str
    """The topic name."""

    partitions: list[ListOffsetsPartition]
    """The partitions of the topic asked about."""

    def __init__(self, *, name: str = "", partitions: list[ListOffsetsPartition] = UNSET) -> None:
        self.name = name
        self.partitions = list() if partitions is UNSET else partitions


class ListOffsetsRequest(Message):
    __slots__ = ('replica_id', 'isolation_level', 'topics', 'timeout_ms',)

    replica_id: int
    """The id of the broker asking, or -1 for a client."""

    isolation_level: int
    """0 read_uncommitted: offsets up to the high watermark; 1 read_committed: up to the last stable offset. (v2+)"""

    topics: list[ListOffsetsTopic]
    """The topics asked about."""

    timeout_ms: int
    """How long to wait for offsets held in remote storage, in milliseconds (KIP-1075). (v10+)"""

    def __init__(self, *, replica_id: int = 0, isolation_level: int = 0, topics: list[ListOffsetsTopic] = UNSET, timeout_ms: int = 0) -> None:
        self.replica_id = replica_id
        self.isolation_level = isolation_level
        self.topics = list() if topics is UNSET else topics
        self.timeout_ms = timeout_ms


class ListOffsetsPartitionResponse(Message):
    """One entry per partition of the request."""

    __slots__ = ('partition_index', 'error_code', 'timestamp', 'offset', 'leader_epoch',)

    partition_index: int
    """The partition number."""

    error_code: int
    """The partition's error code, 0 if none."""

    timestamp: int
    """The timestamp of the record at the returned offset, or -1."""

    offset: int
    """The offset found, or -1."""

    leader_epoch: int
    """The leader epoch of the record at the returned offset, or -1. (v4+)"""

    def __init__(self, *, partition_index: int = 0, error_code: int = 0, timestamp: int = -1, offset: int = -1, leader_epoch: int = -1) -> None:
        self.partition_index = partition_index
        self.error_code = error_code
        self.timestamp = timestamp
        self.offset = offset
        self.leader_epoch = leader_epoch


class ListOffsetsTopicResponse(Message):
    """One entry per topic of the request."""

    __slots__ = ('name', 'partitions',)

    name: str
    """The topic name."""

    partitions: list[ListOffsetsPartitionResponse]
    """One entry per partition of the request."""

    def __init__(self, *, name: str = "", partitions: list[ListOffsetsPartitionResponse] = UNSET) -> None:
        self.name = name
        self.partitions = list() if partitions is UNSET else partitions


class ListOffsetsResponse(Message):
    __slots__ = ('throttle_time_ms', 'topics',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds. (v2+)"""

    topics: list[ListOffsetsTopicResponse]
    """One entry per topic of the request."""

    def __init__(self, *, throttle_time_ms: int = 0, topics: list[ListOffsetsTopicResponse] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.topics = list() if topics is UNSET else topics


_LIST_OFFSETS_PARTITION = StructSpec(
    ListOffsetsPartition,
    (
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
        FieldSpec('current_leader_epoch', 'int32', V(4, 32767), default=-1, ignorable=True),
        FieldSpec('timestamp', 'int64', V(0, 32767), default=0),
    ),
)


_LIST_OFFSETS_TOPIC = StructSpec(
    ListOffsetsTopic,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_LIST_OFFSETS_PARTITION),
    ),
)


_LIST_OFFSETS_REQUEST = MessageSpec(
    ListOffsetsRequest,
    (
        FieldSpec('replica_id', 'int32', V(0, 32767), default=0),
        FieldSpec('isolation_level', 'int8', V(2, 32767), default=0),
        FieldSpec('topics', 'array', V(0, 32767), struct=_LIST_OFFSETS_TOPIC),
        FieldSpec('timeout_ms', 'int32', V(10, 32767), default=0, ignorable=True),
    ),
    name='ListOffsetsRequest',
    api_key=2,
    valid=V(1, 11),
    flexible=V(6, 32767),
)


_LIST_OFFSETS_PARTITION_RESPONSE = StructSpec(
    ListOffsetsPartitionResponse,
    (
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('timestamp', 'int64', V(0, 32767), default=-1),
        FieldSpec('offset', 'int64', V(0, 32767), default=-1),
        FieldSpec('leader_epoch', 'int32', V(4, 32767), default=-1),
    ),
)


_LIST_OFFSETS_TOPIC_RESPONSE = StructSpec(
    ListOffsetsTopicResponse,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_LIST_OFFSETS_PARTITION_RESPONSE),
    ),
)


_LIST_OFFSETS_RESPONSE = MessageSpec(
    ListOffsetsResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(2, 32767), default=0, ignorable=True),
        FieldSpec('topics', 'array', V(0, 32767), struct=_LIST_OFFSETS_TOPIC_RESPONSE),
    ),
    name='ListOffsetsResponse',
    api_key=2,
    valid=V(1, 11),
    flexible=V(6, 32767),
)


LIST_OFFSETS_REQUEST_SPEC: MessageSpec = _LIST_OFFSETS_REQUEST
LIST_OFFSETS_RESPONSE_SPEC: MessageSpec = _LIST_OFFSETS_RESPONSE
