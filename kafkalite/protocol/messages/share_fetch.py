"""Fetches records for a share group member (KIP-932): the broker acquires the records it
returns for that member, and the request may carry acknowledgements of records acquired
before.

Generated from protocol/messages/share_fetch.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class ShareFetchAcknowledgementBatch(Message):
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


class ShareFetchPartition(Message):
    """The partitions."""

    __slots__ = ('partition_index', 'acknowledgement_batches',)

    partition_index: int
    """The partition."""

    acknowledgement_batches: list[ShareFetchAcknowledgementBatch]
    """Ranges of records acknowledged."""

    def __init__(self, *, partition_index: int = 0, acknowledgement_batches: list[ShareFetchAcknowledgementBatch] = UNSET) -> None:
        self.partition_index = partition_index
        self.acknowledgement_batches = list() if acknowledgement_batches is UNSET else acknowledgement_batches


class ShareFetchTopic(Message):
    """The partitions to fetch from, with acknowledgements."""

    __slots__ = ('topic_id', 'partitions',)

    topic_id: uuid.UUID
    """The topic id."""

    partitions: list[ShareFetchPartition]
    """The partitions."""

    def __init__(self, *, topic_id: uuid.UUID = ZERO_UUID, partitions: list[ShareFetchPartition] = UNSET) -> None:
        self.topic_id = topic_id
        self.partitions = list() if partitions is UNSET else partitions


class ShareForgottenTopic(Message):
    """Partitions to remove from the share session."""

    __slots__ = ('topic_id', 'partitions',)

    topic_id: uuid.UUID
    """The topic id."""

    partitions: list[int]
    """The partitions to forget."""

    def __init__(self, *, topic_id: uuid.UUID = ZERO_UUID, partitions: list[int] = UNSET) -> None:
        self.topic_id = topic_id
        self.partitions = list() if partitions is UNSET else partitions


class ShareFetchRequest(Message):
    __slots__ = ('group_id', 'member_id', 'share_session_epoch', 'max_wait_ms', 'min_bytes', 'max_bytes', 'max_records', 'batch_size', 'share_acquire_mode', 'is_renew_ack', 'topics', 'forgotten_topics_data',)

    group_id: str | None
    """The share group. (nullable v1+)"""

    member_id: str | None
    """The member id. (nullable v1+)"""

    share_session_epoch: int
    """The share session epoch: 0 opens a session, -1 closes it, otherwise one more than the last."""

    max_wait_ms: int
    """How long to wait for records, in milliseconds."""

    min_bytes: int
    """The minimum bytes to accumulate in the answer."""

    max_bytes: int
    """The maximum bytes to return (KIP-74 may exceed it)."""

    max_records: int
    """The maximum number of records to acquire; batch boundaries may exceed it."""

    batch_size: int
    """The preferred number of records per acquired range."""

    share_acquire_mode: int
    """0 batch-optimized, 1 record-limit (never more than max_records). (v2+)"""

    is_renew_ack: bool
    """Whether the acknowledgements include renewals (type 4). (v2+)"""

    topics: list[ShareFetchTopic]
    """The partitions to fetch from, with acknowledgements."""

    forgotten_topics_data: list[ShareForgottenTopic]
    """Partitions to remove from the share session."""

    def __init__(self, *, group_id: str | None = None, member_id: str | None = None, share_session_epoch: int = 0, max_wait_ms: int = 0, min_bytes: int = 0, max_bytes: int = 2147483647, max_records: int = 0, batch_size: int = 0, share_acquire_mode: int = 0, is_renew_ack: bool = False, topics: list[ShareFetchTopic] = UNSET, forgotten_topics_data: list[ShareForgottenTopic] = UNSET) -> None:
        self.group_id = group_id
        self.member_id = member_id
        self.share_session_epoch = share_session_epoch
        self.max_wait_ms = max_wait_ms
        self.min_bytes = min_bytes
        self.max_bytes = max_bytes
        self.max_records = max_records
        self.batch_size = batch_size
        self.share_acquire_mode = share_acquire_mode
        self.is_renew_ack = is_renew_ack
        self.topics = list() if topics is UNSET else topics
        self.forgotten_topics_data = list() if forgotten_topics_data is UNSET else forgotten_topics_data


class ShareFetchLeaderIdAndEpoch(Message):
    """The partition's current leader."""

    __slots__ = ('leader_id', 'leader_epoch',)

    leader_id: int
    """The leader's id, or -1."""

    leader_epoch: int
    """The leader epoch."""

    def __init__(self, *, leader_id: int = 0, leader_epoch: int = 0) -> None:
        self.leader_id = leader_id
        self.leader_epoch = leader_epoch


class ShareAcquiredRecords(Message):
    """The records acquired for this member, by range."""

    __slots__ = ('first_offset', 'last_offset', 'delivery_count',)

    first_offset: int
    """The first offset of the range."""

    last_offset: int
    """The last offset of the range."""

    delivery_count: int
    """How many times these records have been delivered."""

    def __init__(self, *, first_offset: int = 0, last_offset: int = 0, delivery_count: int = 0) -> None:
        self.first_offset = first_offset
        self.last_offset = last_offset
        self.delivery_count = delivery_count


class ShareFetchPartitionData(Message):
    """The partitions."""

    __slots__ = ('partition_index', 'error_code', 'error_message', 'acknowledge_error_code', 'acknowledge_error_message', 'current_leader', 'records', 'acquired_records',)

    partition_index: int
    """The partition."""

    error_code: int
    """The fetch error code, 0 on success."""

    error_message: str | None
    """A message describing the fetch error, or null. (nullable v1+)"""

    acknowledge_error_code: int
    """The acknowledgement error code, 0 on success."""

    acknowledge_error_message: str | None
    """A message describing the acknowledgement error, or null. (nullable v1+)"""

    current_leader: ShareFetchLeaderIdAndEpoch
    """The partition's current leader."""

    records: Records
    """The record batches holding the acquired records."""

    acquired_records: list[ShareAcquiredRecords]
    """The records acquired for this member, by range."""

    def __init__(self, *, partition_index: int = 0, error_code: int = 0, error_message: str | None = None, acknowledge_error_code: int = 0, acknowledge_error_message: str | None = None, current_leader: ShareFetchLeaderIdAndEpoch = UNSET, records: Records = None, acquired_records: list[ShareAcquiredRecords] = UNSET) -> None:
        self.partition_index = partition_index
        self.error_code = error_code
        self.error_message = error_message
        self.acknowledge_error_code = acknowledge_error_code
        self.acknowledge_error_message = acknowledge_error_message
        self.current_leader = ShareFetchLeaderIdAndEpoch() if current_leader is UNSET else current_leader
        self.records = records
        self.acquired_records = list() if acquired_records is UNSET else acquired_records


class ShareFetchTopicResponse(Message):
    """The topics."""

    __slots__ = ('topic_id', 'partitions',)

    topic_id: uuid.UUID
    """The topic id."""

    partitions: list[ShareFetchPartitionData]
    """The partitions."""

    def __init__(self, *, topic_id: uuid.UUID = ZERO_UUID, partitions: list[ShareFetchPartitionData] = UNSET) -> None:
        self.topic_id = topic_id
        self.partitions = list() if partitions is UNSET else partitions


class ShareFetchNodeEndpoint(Message):
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


class ShareFetchResponse(Message):
    __slots__ = ('throttle_time_ms', 'error_code', 'error_message', 'acquisition_lock_timeout_ms', 'responses', 'node_endpoints',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    error_code: int
    """The top-level error code, 0 on success."""

    error_message: str | None
    """A message describing the error, or null. (nullable v1+)"""

    acquisition_lock_timeout_ms: int
    """How long acquired records stay locked, in milliseconds."""

    responses: list[ShareFetchTopicResponse]
    """The topics."""

    node_endpoints: list[ShareFetchNodeEndpoint]
    """The endpoints of the leaders named in partitions answered NOT_LEADER_OR_FOLLOWER."""

    def __init__(self, *, throttle_time_ms: int = 0, error_code: int = 0, error_message: str | None = None, acquisition_lock_timeout_ms: int = 0, responses: list[ShareFetchTopicResponse] = UNSET, node_endpoints: list[ShareFetchNodeEndpoint] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.error_code = error_code
        self.error_message = error_message
        self.acquisition_lock_timeout_ms = acquisition_lock_timeout_ms
        self.responses = list() if responses is UNSET else responses
        self.node_endpoints = list() if node_endpoints is UNSET else node_endpoints


_SHARE_FETCH_ACKNOWLEDGEMENT_BATCH = StructSpec(
    ShareFetchAcknowledgementBatch,
    (
        FieldSpec('first_offset', 'int64', V(0, 32767), default=0),
        FieldSpec('last_offset', 'int64', V(0, 32767), default=0),
        FieldSpec('acknowledge_types', 'array', V(0, 32767), of='int8'),
    ),
)


_SHARE_FETCH_PARTITION = StructSpec(
    ShareFetchPartition,
    (
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
        FieldSpec('acknowledgement_batches', 'array', V(0, 32767), struct=_SHARE_FETCH_ACKNOWLEDGEMENT_BATCH),
    ),
)


_SHARE_FETCH_TOPIC = StructSpec(
    ShareFetchTopic,
    (
        FieldSpec('topic_id', 'uuid', V(0, 32767), default=ZERO_UUID),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_SHARE_FETCH_PARTITION),
    ),
)


_SHARE_FORGOTTEN_TOPIC = StructSpec(
    ShareForgottenTopic,
    (
        FieldSpec('topic_id', 'uuid', V(0, 32767), default=ZERO_UUID),
        FieldSpec('partitions', 'array', V(0, 32767), of='int32'),
    ),
)


_SHARE_FETCH_REQUEST = MessageSpec(
    ShareFetchRequest,
    (
        FieldSpec('group_id', 'string', V(0, 32767), nullable=V(1, 32767)),
        FieldSpec('member_id', 'string', V(0, 32767), nullable=V(1, 32767)),
        FieldSpec('share_session_epoch', 'int32', V(0, 32767), default=0),
        FieldSpec('max_wait_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('min_bytes', 'int32', V(0, 32767), default=0),
        FieldSpec('max_bytes', 'int32', V(0, 32767), default=2147483647),
        FieldSpec('max_records', 'int32', V(0, 32767), default=0),
        FieldSpec('batch_size', 'int32', V(0, 32767), default=0),
        FieldSpec('share_acquire_mode', 'int8', V(2, 32767), default=0),
        FieldSpec('is_renew_ack', 'bool', V(2, 32767), default=False),
        FieldSpec('topics', 'array', V(0, 32767), struct=_SHARE_FETCH_TOPIC),
        FieldSpec('forgotten_topics_data', 'array', V(0, 32767), struct=_SHARE_FORGOTTEN_TOPIC),
    ),
    name='ShareFetchRequest',
    api_key=78,
    valid=V(1, 2),
    flexible=V(1, 32767),
)


_SHARE_FETCH_LEADER_ID_AND_EPOCH = StructSpec(
    ShareFetchLeaderIdAndEpoch,
    (
        FieldSpec('leader_id', 'int32', V(0, 32767), default=0),
        FieldSpec('leader_epoch', 'int32', V(0, 32767), default=0),
    ),
)


_SHARE_ACQUIRED_RECORDS = StructSpec(
    ShareAcquiredRecords,
    (
        FieldSpec('first_offset', 'int64', V(0, 32767), default=0),
        FieldSpec('last_offset', 'int64', V(0, 32767), default=0),
        FieldSpec('delivery_count', 'int16', V(0, 32767), default=0),
    ),
)


_SHARE_FETCH_PARTITION_DATA = StructSpec(
    ShareFetchPartitionData,
    (
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(1, 32767)),
        FieldSpec('acknowledge_error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('acknowledge_error_message', 'string', V(0, 32767), nullable=V(1, 32767)),
        FieldSpec('current_leader', 'struct', V(0, 32767), struct=_SHARE_FETCH_LEADER_ID_AND_EPOCH),
        FieldSpec('records', 'records', V(0, 32767)),
        FieldSpec('acquired_records', 'array', V(0, 32767), struct=_SHARE_ACQUIRED_RECORDS),
    ),
)


_SHARE_FETCH_TOPIC_RESPONSE = StructSpec(
    ShareFetchTopicResponse,
    (
        FieldSpec('topic_id', 'uuid', V(0, 32767), default=ZERO_UUID),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_SHARE_FETCH_PARTITION_DATA),
    ),
)


_SHARE_FETCH_NODE_ENDPOINT = StructSpec(
    ShareFetchNodeEndpoint,
    (
        FieldSpec('node_id', 'int32', V(0, 32767), default=0),
        FieldSpec('host', 'string', V(0, 32767), default=""),
        FieldSpec('port', 'int32', V(0, 32767), default=0),
        FieldSpec('rack', 'string', V(0, 32767), nullable=V(1, 32767)),
    ),
)


_SHARE_FETCH_RESPONSE = MessageSpec(
    ShareFetchResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(1, 32767)),
        FieldSpec('acquisition_lock_timeout_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('responses', 'array', V(0, 32767), struct=_SHARE_FETCH_TOPIC_RESPONSE),
        FieldSpec('node_endpoints', 'array', V(0, 32767), struct=_SHARE_FETCH_NODE_ENDPOINT),
    ),
    name='ShareFetchResponse',
    api_key=78,
    valid=V(1, 2),
    flexible=V(1, 32767),
)


SHARE_FETCH_REQUEST_SPEC: MessageSpec = _SHARE_FETCH_REQUEST
SHARE_FETCH_RESPONSE_SPEC: MessageSpec = _SHARE_FETCH_RESPONSE
