"""Sent by a transaction coordinator to partition leaders: write commit or abort markers that
end a producer's transaction on the listed partitions. Kafka 4.0 removed v0 (KIP-896); v2
adds the transaction version of each marker (KIP-1228).

Generated from protocol/messages/write_txn_markers.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class WritableTxnMarkerTopic(Message):
    """The partitions to write the marker to, by topic."""

    __slots__ = ('name', 'partition_indexes',)

    name: str
    """The topic name."""

    partition_indexes: list[int]
    """The partition indexes."""

    def __init__(self, *, name: str = "", partition_indexes: list[int] = UNSET) -> None:
        self.name = name
        self.partition_indexes = list() if partition_indexes is UNSET else partition_indexes


class WritableTxnMarker(Message):
    """The markers to write."""

    __slots__ = ('producer_id', 'producer_epoch', 'transaction_result', 'topics', 'coordinator_epoch', 'transaction_version',)

    producer_id: int
    """The producer id whose transaction ends."""

    producer_epoch: int
    """The epoch of that producer id."""

    transaction_result: bool
    """True for a commit marker, false for an abort marker."""

    topics: list[WritableTxnMarkerTopic]
    """The partitions to write the marker to, by topic."""

    coordinator_epoch: int
    """The epoch of the transaction state partition the coordinator leads."""

    transaction_version: int
    """The transaction version the marker belongs to: 0 or 1 for the original protocol, 2 for KIP-890's (v2+, KIP-1228). (v2+)"""

    def __init__(self, *, producer_id: int = 0, producer_epoch: int = 0, transaction_result: bool = False, topics: list[WritableTxnMarkerTopic] = UNSET, coordinator_epoch: int = 0, transaction_version: int = 0) -> None:
        self.producer_id = producer_id
        self.producer_epoch = producer_epoch
        self.transaction_result = transaction_result
        self.topics = list() if topics is UNSET else topics
        self.coordinator_epoch = coordinator_epoch
        self.transaction_version = transaction_version


class WriteTxnMarkersRequest(Message):
    __slots__ = ('markers',)

    markers: list[WritableTxnMarker]
    """The markers to write."""

    def __init__(self, *, markers: list[WritableTxnMarker] = UNSET) -> None:
        self.markers = list() if markers is UNSET else markers


class WritableTxnMarkerPartitionResult(Message):
    """The results, by partition."""

    __slots__ = ('partition_index', 'error_code',)

    partition_index: int
    """The partition index."""

    error_code: int
    """The error code, 0 on success."""

    def __init__(self, *, partition_index: int = 0, error_code: int = 0) -> None:
        self.partition_index = partition_index
        self.error_code = error_code


class WritableTxnMarkerTopicResult(Message):
    """The results, by topic."""

    __slots__ = ('name', 'partitions',)

    name: str
    """The topic name."""

    partitions: list[WritableTxnMarkerPartitionResult]
    """The results, by partition."""

    def __init__(self, *, name: str = "", partitions: list[WritableTxnMarkerPartitionResult] = UNSET) -> None:
        self.name = name
        self.partitions = list() if partitions is UNSET else partitions


class WritableTxnMarkerResult(Message):
    """The results, by producer."""

    __slots__ = ('producer_id', 'topics',)

    producer_id: int
    """The producer id."""

    topics: list[WritableTxnMarkerTopicResult]
    """The results, by topic."""

    def __init__(self, *, producer_id: int = 0, topics: list[WritableTxnMarkerTopicResult] = UNSET) -> None:
        self.producer_id = producer_id
        self.topics = list() if topics is UNSET else topics


class WriteTxnMarkersResponse(Message):
    __slots__ = ('markers',)

    markers: list[WritableTxnMarkerResult]
    """The results, by producer."""

    def __init__(self, *, markers: list[WritableTxnMarkerResult] = UNSET) -> None:
        self.markers = list() if markers is UNSET else markers


_WRITABLE_TXN_MARKER_TOPIC = StructSpec(
    WritableTxnMarkerTopic,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('partition_indexes', 'array', V(0, 32767), of='int32'),
    ),
)


_WRITABLE_TXN_MARKER = StructSpec(
    WritableTxnMarker,
    (
        FieldSpec('producer_id', 'int64', V(0, 32767), default=0),
        FieldSpec('producer_epoch', 'int16', V(0, 32767), default=0),
        FieldSpec('transaction_result', 'bool', V(0, 32767), default=False),
        FieldSpec('topics', 'array', V(0, 32767), struct=_WRITABLE_TXN_MARKER_TOPIC),
        FieldSpec('coordinator_epoch', 'int32', V(0, 32767), default=0),
        FieldSpec('transaction_version', 'int8', V(2, 32767), default=0, ignorable=True),
    ),
)


_WRITE_TXN_MARKERS_REQUEST = MessageSpec(
    WriteTxnMarkersRequest,
    (
        FieldSpec('markers', 'array', V(0, 32767), struct=_WRITABLE_TXN_MARKER),
    ),
    name='WriteTxnMarkersRequest',
    api_key=27,
    valid=V(1, 2),
    flexible=V(1, 32767),
)


_WRITABLE_TXN_MARKER_PARTITION_RESULT = StructSpec(
    WritableTxnMarkerPartitionResult,
    (
        FieldSpec('partition_index', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
    ),
)


_WRITABLE_TXN_MARKER_TOPIC_RESULT = StructSpec(
    WritableTxnMarkerTopicResult,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('partitions', 'array', V(0, 32767), struct=_WRITABLE_TXN_MARKER_PARTITION_RESULT),
    ),
)


_WRITABLE_TXN_MARKER_RESULT = StructSpec(
    WritableTxnMarkerResult,
    (
        FieldSpec('producer_id', 'int64', V(0, 32767), default=0),
        FieldSpec('topics', 'array', V(0, 32767), struct=_WRITABLE_TXN_MARKER_TOPIC_RESULT),
    ),
)


_WRITE_TXN_MARKERS_RESPONSE = MessageSpec(
    WriteTxnMarkersResponse,
    (
        FieldSpec('markers', 'array', V(0, 32767), struct=_WRITABLE_TXN_MARKER_RESULT),
    ),
    name='WriteTxnMarkersResponse',
    api_key=27,
    valid=V(1, 2),
    flexible=V(1, 32767),
)


WRITE_TXN_MARKERS_REQUEST_SPEC: MessageSpec = _WRITE_TXN_MARKERS_REQUEST
WRITE_TXN_MARKERS_RESPONSE_SPEC: MessageSpec = _WRITE_TXN_MARKERS_RESPONSE
