"""Answers the end offset of a leader epoch, so a consumer can check its position after a
change of leader (KIP-320).

Generated from protocol/messages/offset_for_leader_epoch.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class OffsetForLeaderPartition(Message):
    """The partitions to look up."""

    __slots__ = ('partition', 'current_leader_epoch', 'leader_epoch',)

    partition: int
    """The partition index."""

    current_leader_epoch: int
    """The leader epoch the client knows, to fence stale leaders; -1 to skip the check."""

    leader_epoch: int
    """The epoch whose end offset is wanted."""

    def __init__(self, *, partition: int = 0, current_leader_epoch: int = -1, leader_epoch: int = 0) -> None:
        self.partition = partition
        self.current_leader_epoch = current_leader_epoch
        self.leader_epoch = leader_epoch


class OffsetForLeaderTopic(Message):
    """The partitions to look up, by topic."""

    __slots__ = ('topic', 'partitions',)

    topic: str
    """The topic name."""

    partitions: list[OffsetForLeaderPartition]
    """The partitions to look up."""

    def __init__(self, *, topic: str = "", partitions: list[OffsetForLeaderPartition] = UNSET) -> None:
        self.topic = topic
        self.partitions = list() if partitions is UNSET else partitions


class OffsetForLeaderEpochRequest(Message):
    __slots__ = ('replica_id', 'topics',)

    replica_id: int
    """The broker id of a follower, or -1 (debug) / -2 (consumer) for a client. (v3+)"""

    topics: list[OffsetForLeaderTopic]
    """The partitions to look up, by topic."""

    def __init__(self, *, replica_id: int = -2, topics: list[OffsetForLeaderTopic] = UNSET) -> None:
        self.replica_id = replica_id
        self.topics = list() if topics is UNSET else topics


class EpochEndOffset(Message):
    """The results, by partition."""

    __slots__ = ('error_code', 'partition', 'leader_epoch', 'end_offset',)

    error_code: int
    """The error code, 0 on success."""

    partition: int
    """The partition index."""

    leader_epoch: int
    """The largest epoch not above the one asked for, or -1."""

    end_offset: int
    """The offset after that epoch's last record, or -1."""

    def __init__(self, *, error_code: int = 0, partition: int = 0, leader_epoch: int = -1, end_offset: int = -1) -> None:
        self.error_code = error_code
        self.partition = partition
        self.leader_epoch = leader_epoch
        self.end_offset = end_offset


class OffsetForLeaderTopicResult(Message):
    """The results, by topic."""

    __slots__ = ('topic', 'partitions',)

    topic: str
    """The topic name."""

    partitions: list[EpochEndOffset]
    """The results, by partition."""

    def __init__(self, *, topic: str = "", partitions: list[EpochEndOffset] = UNSET) -> None:
        self.topic = topic
        self.partitions = list() if partitions is UNSET else partitions


class OffsetForLeaderEpochResponse(Message):
    __slots__ = ('throttle_time_ms', 'topics',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    topics: list[OffsetForLeaderTopicResult]
    """The results, by topic."""

    def __init__(self, *, throttle_time_ms: int = 0, topics: list[OffsetForLeaderTopicResult] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.topics = list() if topics is UNSET else topics


_OFFSET_FOR_LEADER_PARTITION = StructSpec(
    OffsetForLeaderPartition,
    (
        FieldSpec('partition', 'int32', V(0, 32767), default=0),
        FieldSpec('current_leader_epoch', 'int32', V(0, 32767), default=-1),
        FieldSpec('leader_epoch', 'int32', V(0, 32767), default=0),
    ),
)


_OFFSET_FOR_LEADER_TOPIC = StructSpec(
    OffsetForLeaderTopic,
    (
        FieldSpec('topic', 'string', V(0, 32767), default=""),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_OFFSET_FOR_LEADER_PARTITION),
    ),
)


_OFFSET_FOR_LEADER_EPOCH_REQUEST = MessageSpec(
    OffsetForLeaderEpochRequest,
    (
        FieldSpec('replica_id', 'int32', V(3, 32767), default=-2, ignorable=True),
        FieldSpec('topics', 'array', V(0, 32767), struct=_OFFSET_FOR_LEADER_TOPIC),
    ),
    name='OffsetForLeaderEpochRequest',
    api_key=23,
    valid=V(2, 4),
    flexible=V(4, 32767),
)


_EPOCH_END_OFFSET = StructSpec(
    EpochEndOffset,
    (
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('partition', 'int32', V(0, 32767), default=0),
        FieldSpec('leader_epoch', 'int32', V(0, 32767), default=-1),
        FieldSpec('end_offset', 'int64', V(0, 32767), default=-1),
    ),
)


_OFFSET_FOR_LEADER_TOPIC_RESULT = StructSpec(
    OffsetForLeaderTopicResult,
    (
        FieldSpec('topic', 'string', V(0, 32767), default=""),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_EPOCH_END_OFFSET),
    ),
)


_OFFSET_FOR_LEADER_EPOCH_RESPONSE = MessageSpec(
    OffsetForLeaderEpochResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('topics', 'array', V(0, 32767), struct=_OFFSET_FOR_LEADER_TOPIC_RESULT),
    ),
    name='OffsetForLeaderEpochResponse',
    api_key=23,
    valid=V(2, 4),
    flexible=V(4, 32767),
)


OFFSET_FOR_LEADER_EPOCH_REQUEST_SPEC: MessageSpec = _OFFSET_FOR_LEADER_EPOCH_REQUEST
OFFSET_FOR_LEADER_EPOCH_RESPONSE_SPEC: MessageSpec = _OFFSET_FOR_LEADER_EPOCH_RESPONSE
