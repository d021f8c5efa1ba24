"""Acknowledges records a share group member acquired (KIP-932), without fetching more.

Generated from protocol/messages/share_acknowledge.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class ShareAcknowledgementBatch(Message):
    """Ranges of records acknowledged."""

    __slots__ = ('first_offset', 'last_offset', 'acknowledge_types',)

    first_offset: int
    """The first offset of the range."""

    last_offset: int
    """The last offset of the range (inclusive)."""

    acknowledge_types: list[int]
    """One type for the whole range, or one per offset: 0 gap, 1 accept, 2 release, 3 reject, 4 renew (v2)."""

    def __init__(self, *, first_offset: int = 0, last_offset: int = 0, acknowledge_types: list[int] = UNSET) -> None:
        self.first_offset = first_offset
        self.last_offset = last_offset
        self.acknowledge_types = list() if acknowledge_types is UNSET else acknowledge_types


class ShareAcknowledgePartition(Message):
    """The partitions."""

    __slots__ = ('partition_index', 'acknowledgement_batches',)

    partition_index: int
    """The partition."""

    acknowledgement_batches: list[ShareAcknowledgementBatch]
    """Ranges of records acknowledged."""

    def __init__(self, *, partition_index: int = 0, acknowledgement_batches: list[ShareAcknowledgementBatch] = UNSET) -> None:
        self.partition_index = partition_index
        self.acknowledgement_batches = list() if acknowledgement_batches is UNSET else acknowledgement_batches


class ShareAcknowledgeTopic(Message):
    """The records acknowledged, by topic."""

    __slots__ = ('topic_id', 'partitions',)

    topic_id: uuid.UUID
    """The topic id."""

    partitions: list[ShareAcknowledgePartition]
    """The partitions."""

    def __init__(self, *, topic_id: uuid.UUID = ZERO_UUID, partitions: list[ShareAcknowledgePartition] = UNSET) -> None:
        self.topic_id = topic_id
        self.partitions = list() if partitions is UNSET else partitions


class ShareAcknowledgeRequest(Message):
    __slots__ = ('group_id', 'member_id', 'share_session_epoch', 'is_renew_ack', 'topics',)

    group_id: str | None
    """The share group. (nullable v1+)"""

    member_id: str | None
    """The member id. (nullable v1+)"""

    share_session_epoch: int
    """The share session epoch: -1 closes the session, otherwise one more than the last."""

    is_renew_ack: bool
    """Whether the acknowledgements include renewals (type 4). (v2+)"""

    topics: list[ShareAcknowledgeTopic]
    """The records acknowledged, by topic."""

    def __init__(self, *, group_id: str | None = None, member_id: str | None = None, share_session_epoch: int = 0, is_renew_ack: bool = False, topics: list[ShareAcknowledgeTopic] = UNSET) -> None:
        self.group_id = group_id
        self.member_id = member_id
        self.share_session_epoch = share_session_epoch
        self.is_renew_ack = is_renew_ack
        self.topics = list() if topics is UNSET else topics


class ShareAcknowledgeLeaderIdAndEpoch(Message):
    """The partition's current leader."""

    __slots__ = ('leader_id', 'leader_epoch',)

    leader_id: int
    """The leader's id, or -1."""

    leader_epoch: int
    """The leader epoch."""

    def __init__(self, *, leader_id: int = 0, leader_epoch: int = 0) -> None:
        self.leader_id = leader_id
        self.leader_epoch = leader_epoch


class ShareAcknowledgePartitionData(Message):
    """The partitions."""

    __slots__ = ('partition_index', 'error_code', 'error_message', 'current_leader',)

    partition_index: int
    """The partition."""

    error_code: int
    """The error code, 0 on success."""

    error_message: str | None
    """A message describing the error, or null. (nullable v1+)"""

    current_leader: ShareAcknowledgeLeaderIdAndEpoch
    """The partition's current leader."""

    def __init__(self, *, partition_index: int = 0, error_code: int = 0, error_message: str | None = None, current_leader: ShareAcknowledgeLeaderIdAndEpoch = UNSET) -> None:
        self.partition_index = partition_index
        self.error_code = error_code
        self.error_message = error_message
        self.current_leader = ShareAcknowledgeLeaderIdAndEpoch() if current_leader is UNSET else current_leader


class ShareAcknowledgeTopicResponse(Message):
    """The topics."""

    __slots__ = ('topic_id', 'partitions',)

    topic_id: uuid.UUID
    """The topic id."""

    partitions: list[ShareAcknowledgePartitionData]
    """The partitions."""

    def __init__(self, *, topic_id: uuid.UUID = ZERO_UUID, partitions: list[ShareAcknowledgePartitionData] = UNSET) -> None:
        self.topic_id = topic_id
        self.partitions = list() if partitions is UNSET else partitions


class ShareAcknowledgeNodeEndpoint(Message):
    """The endpoints of the leaders named in partitions answered NOT_LEADER_OR_FOLLOWER."""

    __slots__ = ('node_id', 'host', 'port', 'rack',)

    node_id: int
    """The node id."""

    host: str
    """The node's host."""

    port: int
    """The node's port."""

    rack: str | None
    """The node's rack, or null. (nullable v1+)"""

    def __init__(self, *, node_id: int = 0, host: str = "", port: int = 0, rack: str | None = None) -> None:
        self.node_id = node_id
        self.host = host
        self.port = port
        self.rack = rack


class ShareAcknowledgeResponse(Message):
    __slots__ = ('throttle_time_ms', 'error_code', 'error_message', 'acquisition_lock_timeout_ms', 'responses', 'node_endpoints',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    error_code: int
    """The top-level error code, 0 on success."""

    error_message: str | None
    """A message describing the error, or null. (nullable v1+)"""

    acquisition_lock_timeout_ms: int
    """How long acquired records stay locked, in milliseconds. (v2+)"""

    responses: list[ShareAcknowledgeTopicResponse]
    """The topics."""

    node_endpoints: list[ShareAcknowledgeNodeEndpoint]
    """The endpoints of the leaders named in partitions answered NOT_LEADER_OR_FOLLOWER."""

    def __init__(self, *, throttle_time_ms: int = 0, error_code: int = 0, error_message: str | None = None, acquisition_lock_timeout_ms: int = 0, responses: list[ShareAcknowledgeTopicResponse] = UNSET, node_endpoints: list[ShareAcknowledgeNodeEndpoint] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.error_code = error_code
        self.error_message = error_message
        self.acquisition_lock_timeout_ms = acquisition_lock_timeout_ms
        self.responses = list() if responses is UNSET else responses
        self.node_endpoints = list() if node_endpoints is UNSET else node_endpoints


_SHARE_ACKNOWLEDGEMENT_BATCH = StructSpec(
    ShareAcknowledgementBatch,
    (
        FieldSpec('first_offset', 'int64', V(0, 32767), default=0),
        FieldSpec('last_offset', 'int64', V(0, 32767), default=0),
        FieldSpec('acknowledge_types', 'array', V(0, 32767), of='int8'),
    ),
)


_SHARE_ACKNOWLEDGE_PARTITION = StructSpec(
    ShareAcknowledgePartition,
    (
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
        FieldSpec('acknowledgement_batches', 'array', V(0, 32767), struct=_SHARE_ACKNOWLEDGEMENT_BATCH),
    ),
)


_SHARE_ACKNOWLEDGE_TOPIC = StructSpec(
    ShareAcknowledgeTopic,
    (
        FieldSpec('topic_id', 'uuid', V(0, 32767), default=ZERO_UUID),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_SHARE_ACKNOWLEDGE_PARTITION),
    ),
)


_SHARE_ACKNOWLEDGE_REQUEST = MessageSpec(
    ShareAcknowledgeRequest,
    (
        FieldSpec('group_id', 'string', V(0, 32767), nullable=V(1, 32767)),
        FieldSpec('member_id', 'string', V(0, 32767), nullable=V(1, 32767)),
        FieldSpec('share_session_epoch', 'int32', V(0, 32767), default=0),
        FieldSpec('is_renew_ack', 'bool', V(2, 32767), default=False),
        FieldSpec('topics', 'array', V(0, 32767), struct=_SHARE_ACKNOWLEDGE_TOPIC),
    ),
    name='ShareAcknowledgeRequest',
    api_key=79,
    valid=V(1, 2),
    flexible=V(1, 32767),
)


_SHARE_ACKNOWLEDGE_LEADER_ID_AND_EPOCH = StructSpec(
    ShareAcknowledgeLeaderIdAndEpoch,
    (
        FieldSpec('leader_id', 'int32', V(0, 32767), default=0),
        FieldSpec('leader_epoch', 'int32', V(0, 32767), default=0),
    ),
)


_SHARE_ACKNOWLEDGE_PARTITION_DATA = StructSpec(
    ShareAcknowledgePartitionData,
    (
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(1, 32767)),
        FieldSpec('current_leader', 'struct', V(0, 32767), struct=_SHARE_ACKNOWLEDGE_LEADER_ID_AND_EPOCH),
    ),
)


_SHARE_ACKNOWLEDGE_TOPIC_RESPONSE = StructSpec(
    ShareAcknowledgeTopicResponse,
    (
        FieldSpec('topic_id', 'uuid', V(0, 32767), default=ZERO_UUID),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_SHARE_ACKNOWLEDGE_PARTITION_DATA),
    ),
)


_SHARE_ACKNOWLEDGE_NODE_ENDPOINT = StructSpec(
    ShareAcknowledgeNodeEndpoint,
    (
        FieldSpec('node_id', 'int32', V(0, 32767), default=0),
        FieldSpec('host', 'string', V(0, 32767), default=""),
        FieldSpec('port', 'int32', V(0, 32767), default=0),
        FieldSpec('rack', 'string', V(0, 32767), nullable=V(1, 32767)),
    ),
)


_SHARE_ACKNOWLEDGE_RESPONSE = MessageSpec(
    ShareAcknowledgeResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(1, 32767)),
        FieldSpec('acquisition_lock_timeout_ms', 'int32', V(2, 32767), default=0, ignorable=True),
        FieldSpec('responses', 'array', V(0, 32767), struct=_SHARE_ACKNOWLEDGE_TOPIC_RESPONSE),
        FieldSpec('node_endpoints', 'array', V(0, 32767), struct=_SHARE_ACKNOWLEDGE_NODE_ENDPOINT),
    ),
    name='ShareAcknowledgeResponse',
    api_key=79,
    valid=V(1, 2),
    flexible=V(1, 32767),
)


SHARE_ACKNOWLEDGE_REQUEST_SPEC: MessageSpec = _SHARE_ACKNOWLEDGE_REQUEST
SHARE_ACKNOWLEDGE_RESPONSE_SPEC: MessageSpec = _SHARE_ACKNOWLEDGE_RESPONSE
