"""Produce (api key 0), served v3-v13; v0-v2 are advertised but refused.

Kafka 4 removed Produce v0-v2 (KIP-896) yet still advertises v0, because older librdkafka
disables compressed produce when it does not see v0 (KAFKA-18659). We do the same: the
range starts at 0 and a v0-v2 request gets UNSUPPORTED_VERSION on every partition.

Per partition: exactly one record batch of magic 2 (v3+), CRC-32C checked, at most
``max.message.bytes``; ZSTD needs v7+ (UNSUPPORTED_COMPRESSION_TYPE below). Idempotent
batches are checked by the partition's producer state: a retried duplicate is answered
with its original offset and not appended again; a gap is OUT_OF_ORDER_SEQUENCE_NUMBER.
acks=0 gets no response at all; if a partition failed, the connection is closed instead. With ``flush.messages=1`` the answer waits for the fsync.
The records are walked once, without building an object per record
(``record_validator.check_records``, in slices between which other requests run): a batch whose records contradict its header (count,
offset deltas, lengths), names codec id 5-7, or exceeds the per-batch record and
decompressed-size limits is INVALID_RECORD or CORRUPT_MESSAGE and never stored. On a
compacted topic the same pass finds keyless records, which Kafka's
``LogValidator.validateKey`` refuses (INVALID_RECORD with one record error per keyless
record, v8+). On a CreateTime topic each record's timestamp (found in the same pass) must lie within
``message.timestamp.before.max.ms`` / ``after.max.ms`` of now (INVALID_TIMESTAMP), and the
batch's ``maxTimestamp`` is set to its records' largest, with a new CRC, when a client wrote
another one, as Kafka's ``LogValidator`` sets it: the time index and ListOffsets by
timestamp then never miss a record.

Transactional batches are written only while their partition is in the producer's ongoing
transaction, as the transaction coordinator answers (Kafka's transaction verification,
KIP-890 part 1): a partition never added with AddPartitionsToTxn is INVALID_TXN_STATE
(TRANSACTION_ABORTABLE from v11), a stale epoch INVALID_PRODUCER_EPOCH, a producer id that
is not the transactional id's INVALID_PRODUCER_ID_MAPPING. A request carrying
transactional batches but no transactional id is TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
as Kafka answers it. Control batches come only from the coordinator's markers: a
client's is INVALID_RECORD.

From v13 topics are named by id (KIP-516): an id no topic has is UNKNOWN_TOPIC_ID on each
of its partitions, and the answer names topics by id too. v12 is v11 for a producer using
transactions v2 (KIP-890 part 2), which the transaction.version feature level decides.

A request naming many partitions is served in slices of ``SLICE`` partitions, letting the
event loop serve other connections in between.

Appends wake long-polling fetches through the partition log's listener (the cluster
subscribes to every log), so nothing here notifies them.
"""

from __future__ import annotations

import asyncio
import dataclasses
import struct
import time
from concurrent.futures import Future
from typing import Any

from kafkalite.handlers.context import RequestContext
from kafkalite.handlers.topic_ids import TopicIds
from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.compression import ZSTD
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.produce import (
    ProduceLeaderIdAndEpoch,
    ProduceNodeEndpoint,
    ProducePartitionResponse,
    ProduceRecordError,
    ProduceRequest,
    ProduceResponse,
    ProduceTopicResponse,
)
from kafkalite.protocol.record_validator import check_records, record_timestamps
from kafkalite.protocol.records import (
    CRC_OFFSET,
    MAX_TIMESTAMP_OFFSET,
    BatchHeader,
    CorruptRecordError,
    InvalidRecordError,
    batch_crc,
    validate_batches,
)
from kafkalite.security.acls import AclOperation
from kafkalite.storage.errors import StorageError

_MIN_SERVED = 3
_CURRENT_LEADER_VERSION = 10  # KIP-951
_MOVED = (ErrorCode.NOT_LEADER_OR_FOLLOWER, ErrorCode.FENCED_LEADER_EPOCH)
_ABORTABLE_VERSION = 11  # Produce v11+ may answer TRANSACTION_ABORTABLE (KIP-890)
_TOPIC_ID_VERSION = 13  # KIP-516
SLICE = 1000
"""Partitions appended between two turns of the event loop."""


async def handle(ctx: RequestContext, request: ProduceRequest) -> ProduceResponse | None:
    version = ctx.version
    flushes: list[tuple[ProducePartitionResponse, Future[None]]] = []
    response = ProduceResponse()
    now_ms = int(time.time() * 1000)
    served = 0
    # KafkaApis.handleProduceRequest: WRITE on the transactional id (for every partition),
    # then WRITE on each topic, before anything else is looked at.
    txn_refused = request.transactional_id is not None and not ctx.allows_transactional_id(
        AclOperation.WRITE, request.transactional_id
    )
    ids = TopicIds(ctx.cluster) if version >= _TOPIC_ID_VERSION else None
    for topic in request.topic_data:
        # The response keeps the resolved name (not sent from v13) for the KIP-951 lookup.
        name = topic.name if ids is None else ids.name(topic.topic_id)
        topic_allowed = name is not None and ctx.allows_topic(AclOperation.WRITE, name)
        topic_response = ProduceTopicResponse(name=name or "", topic_id=topic.topic_id)
        response.responses.append(topic_response)
        for data in topic.partition_data:
            served += 1
            if served % SLICE == 0:
                await asyncio.sleep(0)
            part = ProducePartitionResponse(index=data.index, base_offset=-1)
            topic_response.partition_responses.append(part)
            if version < _MIN_SERVED:
                part.error_code = ErrorCode.UNSUPPORTED_VERSION
            elif name is None:
                part.error_code = ErrorCode.UNKNOWN_TOPIC_ID
            elif request.acks not in (0, 1, -1):
                part.error_code = ErrorCode.INVALID_REQUIRED_ACKS
            elif txn_refused:
                part.error_code = ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED
            elif not topic_allowed:
                part.error_code = ErrorCode.TOPIC_AUTHORIZATION_FAILED
            else:
                records = data.records
                assert not isinstance(records, FileSlice)
                flush = await _append(
                    ctx, name, data.index, records, part, now_ms, request.transactional_id
                )
                if flush is not None and request.acks != 0:
                    flushes.append((part, flush))
    if version >= _CURRENT_LEADER_VERSION:
        _name_new_leaders(ctx, response)
    # producer_byte_rate (KIP-13, KIP-219): the bytes appended count against the quota;
    # over it, the answer carries the throttle time and the connection is muted that long.
    # Without any quota the bytes are not even counted: no second pass over the partitions.
    if ctx.cluster.quotas.quotas:
        response.throttle_time_ms = ctx.throttle("producer_byte_rate", sum(
            _size(data.records)
            for topic, topic_response in zip(request.topic_data, response.responses, strict=True)
            for data, part in zip(topic.partition_data, topic_response.partition_responses, strict=True)
            if part.error_code == ErrorCode.NONE
        ))
    if request.acks == 0:
        # No answer can carry the error, so Kafka closes the connection instead: the client
        # then refreshes its metadata (KafkaApis.handleProduceRequest).
        ctx.close_connection = any(
            part.error_code != ErrorCode.NONE for topic in response.responses for part in topic.partition_responses
        )
        return None
    if flushes:
        results = await asyncio.gather(
            *(asyncio.wrap_future(f) for _, f in flushes), return_exceptions=True
        )
        for (part, _), result in zip(flushes, results, strict=True):
            if isinstance(result, BaseException):
                _fail_unflushed(part, result)
    return response


async def _append(
    ctx: RequestContext,
    topic: str,
    partition: int,
    records: bytes | bytearray | memoryview | None,
    part: ProducePartitionResponse,
    now_ms: int,
    transactional_id: str | None,
) -> Future[None] | None:
    broker = ctx.cluster
    log = broker.partition(topic, partition)
    if log is None:
        part.error_code = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
        return None
    if not ctx.leads(topic, partition):
        part.error_code = ErrorCode.NOT_LEADER_OR_FOLLOWER
        return None
    if not records:
        part.error_code = ErrorCode.INVALID_RECORD
        part.error_message = "a produce request must carry one record batch per partition"
        return None
    buf = records if isinstance(records, memoryview) else memoryview(bytearray(records))
    try:
        headers = validate_batches(buf)
    except CorruptRecordError as exc:
        part.error_code = ErrorCode.CORRUPT_MESSAGE
        part.error_message = str(exc)
        return None
    except InvalidRecordError as exc:
        part.error_code = ErrorCode.INVALID_RECORD
        part.error_message = str(exc)
        return None
    if len(headers) != 1:
        part.error_code = ErrorCode.INVALID_RECORD
        part.error_message = f"expected exactly one record batch, got {len(headers)}"
        return None
    header = headers[0]
    if header.size > log.config.max_message_bytes:
        part.error_code = ErrorCode.MESSAGE_TOO_LARGE
        part.error_message = (
            f"batch of {header.size} bytes exceeds max.message.bytes={log.config.max_message_bytes}"
        )
        return None
    if header.compression == ZSTD and ctx.version < 7:
        part.error_code = ErrorCode.UNSUPPORTED_COMPRESSION_TYPE
        return None
    if header.is_control:
        part.error_code = ErrorCode.INVALID_RECORD
        part.error_message = "control batches cannot be produced by clients"
        return None
    if header.is_transactional and transactional_id is None:
        # KafkaApis.handleProduceRequest: transactional records need an authorized
        # transactional id, and a request without one has none.
        part.error_code = ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED
        return None
    if header.is_transactional:
        transactions = broker.transactions
        assert transactions is not None, "the broker has started"
        error = transactions.verify(
            header.producer_id, header.producer_epoch, topic, partition,
            transactional_id=transactional_id, abortable=ctx.version >= _ABORTABLE_VERSION,
        )
        if error != ErrorCode.NONE:
            part.error_code = error
            return None
    keyless: list[int] | None = [] if log.config.compact else None
    # Record timestamps are read only where Kafka checks them: CreateTime records on a
    # CreateTime topic (on a LogAppendTime topic the broker's clock stamps them anyway).
    deltas: list[int] | None = (
        [] if header.timestamp_type == 0 and not log.config.log_append_time else None
    )
    try:
        for _ in check_records(buf, header, keyless=keyless, timestamps=deltas):
            await asyncio.sleep(0)  # a batch of many records: let other requests run
    except CorruptRecordError as exc:
        part.error_code = ErrorCode.CORRUPT_MESSAGE
        part.error_message = str(exc)
        return None
    except InvalidRecordError as exc:
        part.error_code = ErrorCode.INVALID_RECORD
        part.error_message = str(exc)
        return None
    if keyless:
        _refuse_keyless(keyless, f"{topic}-{partition}", part)
        return None
    if deltas and header.records_count:
        refusal = _record_timestamps(buf, headers, deltas, log.config, now_ms)
        if refusal is not None:
            part.error_code = ErrorCode.INVALID_TIMESTAMP
            part.error_message = refusal
            return None
    if broker.partition(topic, partition) is not log or not ctx.leads(topic, partition):
        part.error_code = ErrorCode.NOT_LEADER_OR_FOLLOWER  # moved or deleted meanwhile
        return None
    try:
        result = log.append(buf, headers, now_ms=now_ms)
    except StorageError as exc:
        part.error_code = ErrorCode(exc.error_code)
        part.error_message = str(exc) or None
        return None
    part.base_offset = result.base_offset
    part.log_append_time_ms = result.log_append_time
    part.log_start_offset = result.log_start_offset if ctx.version >= 5 else -1
    if result.duplicate:
        return None
    if log.config.flush_messages <= 1:
        return log.flush_future(result.last_offset + 1)
    return None


def _record_timestamps(
    buf: memoryview, headers: list[BatchHeader], deltas: list[int], config: Any, now_ms: int
) -> str | None:
    """Kafka's ``LogValidator`` on CreateTime records: each record's timestamp (-1: none)
    within ``message.timestamp.before.max.ms`` / ``after.max.ms`` of now, else the error
    message; and the batch's ``maxTimestamp`` the records' largest, rewritten with its CRC
    when the client wrote another one (Kafka sets it rather than refusing the batch)."""
    header = headers[0]
    low, high = record_timestamps(header, deltas)
    if high != -1 and high - now_ms > config.message_timestamp_after_max_ms:
        return (
            f"timestamp {high} is more than {config.message_timestamp_after_max_ms} ms in the "
            "future (message.timestamp.after.max.ms)"
        )
    if low != -1 and now_ms - low > config.message_timestamp_before_max_ms:
        return (
            f"timestamp {low} is more than {config.message_timestamp_before_max_ms} ms in the "
            "past (message.timestamp.before.max.ms)"
        )
    if header.max_timestamp != high:
        struct.pack_into(">q", buf, MAX_TIMESTAMP_OFFSET, high)
        crc = batch_crc(buf, 0, header.size)
        struct.pack_into(">I", buf, CRC_OFFSET, crc)
        headers[0] = dataclasses.replace(header, max_timestamp=high, crc=crc)
    return None


def _size(records: bytes | bytearray | memoryview | FileSlice | None) -> int:
    if records is None:
        return 0
    return records.length if isinstance(records, FileSlice) else len(records)


def _name_new_leaders(ctx: RequestContext, response: ProduceResponse) -> None:
    """KIP-951: a partition refused for leadership names its current leader, and the
    response carries that leader's endpoint, so the client need not refresh metadata."""
    leaders: set[int] = set()
    for topic in response.responses:
        for part in topic.partition_responses:
            if part.error_code in _MOVED:
                state = ctx.cluster.partition_state(topic.name, part.index)
                part.current_leader = ProduceLeaderIdAndEpoch(
                    leader_id=state.leader, leader_epoch=state.leader_epoch
                )
                leaders.add(state.leader)
    for node_id in sorted(leaders):
        node = ctx.cluster.nodes.get(node_id)
        if node is not None and node.online:
            host, port = ctx.address(node)
            response.node_endpoints.append(
                ProduceNodeEndpoint(node_id=node.id, host=host, port=port, rack=node.rack)
            )


def _fail_unflushed(part: ProducePartitionResponse, exc: BaseException) -> None:
    """The fsync this partition waited for failed: KAFKA_STORAGE_ERROR, never an ack. The
    other partitions of the request keep their own answers."""
    part.error_code = ErrorCode.KAFKA_STORAGE_ERROR
    part.base_offset = -1
    part.log_append_time_ms = -1
    part.error_message = str(exc) or "fsync failed"


def _refuse_keyless(
    keyless: list[int], topic_partition: str, part: ProducePartitionResponse
) -> None:
    """Refuse a batch with keyless records for a compacted topic, in Kafka's words."""
    message = (
        f"Compacted topic cannot accept message without key in topic partition {topic_partition}"
    )
    part.error_code = ErrorCode.INVALID_RECORD
    part.record_errors = [
        ProduceRecordError(batch_index=i, batch_index_error_message=message) for i in keyless
    ]
    shown = ", ".join(f"RecordError(batchIndex={i}, message='{message}')" for i in keyless[:3])
    part.error_message = (
        f"One or more records have been rejected due to {len(keyless)} record errors in total, "
        f"and only showing the first three errors at most: [{shown}]"
    )
