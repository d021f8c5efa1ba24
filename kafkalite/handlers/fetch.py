"""Fetch (api key 1), served v4-v12.

Long polling: the request is answered as soon as ``min_bytes`` are available, an error is
found, the broker shuts down, or ``max_wait_ms`` passes; appends wake it (never a busy
loop). Record bytes go from the segment file to the socket with sendfile: the response
holds ``FileSlice`` objects, taken from one segment per partition and cut at batch
boundaries. KIP-74: the first batch of the first partition with data is returned whole
even when it exceeds ``max_bytes`` or ``partition_max_bytes``.

Transactions: every answer carries the last stable offset (the first offset of the
oldest open transaction, else the high watermark, which with one replica is the log end).
read_committed (librdkafka's and KafkaJS's default) reads up to the last stable offset and
gets the aborted transactions overlapping the batches returned, from the ``.txnindex``
(``PartitionLog.aborted_transactions`` up to the offset after the last batch; an empty
list when there are none), so the client drops their records; read_uncommitted reads up to
the high watermark and gets a null list. Control batches (markers) are returned as they
are; clients skip them. A long poll wakes when the high watermark or the last stable
offset moves, so a read_committed consumer wakes on the marker that ends a transaction.

Fetch sessions (KIP-227, v7+): we never create one. Answering ``session_id`` 0 tells the
client to keep sending full fetch requests, which every client supports.

A request naming more than ``SLICE`` partitions is read in slices of that many, letting
the event loop serve other connections in between. A file slice is only valid until the loop
runs again, so before each such turn the record bytes gathered so far are read into memory
(at most the request's ``max_bytes``, and only for requests this large).

Not served: v13+ (topic ids instead of names), follower fetches (replica_id >= 0).
"""

from __future__ import annotations

import asyncio
import os
import time

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.fetch import (
    FetchAbortedTransaction,
    FetchLeaderIdAndEpoch,
    FetchPartitionResponse,
    FetchRequest,
    FetchResponse,
    FetchTopicResponse,
)
from kafkalite.storage.errors import StorageError

READ_COMMITTED = 1
SLICE = 1000
"""Partitions read between two turns of the event loop."""
CURRENT_LEADER_VERSION = 12


async def handle(ctx: RequestContext, request: FetchRequest) -> FetchResponse:
    deadline = time.monotonic() + max(request.max_wait_ms, 0) / 1000
    wanted = [(t.topic, p.partition) for t in request.topics for p in t.partitions]
    while True:
        response, size, errors = await _read(ctx, request)
        remaining = deadline - time.monotonic()
        if (
            size >= request.min_bytes
            or errors
            or remaining <= 0
            or ctx.closing.is_set()
            or not wanted
        ):
            return response
        # The slices in `response` are only valid until the loop runs again: drop them and
        # read afresh after the wait.
        await ctx.waiters.wait(wanted, remaining, ctx.closing)


def _materialize(parts: list[FetchPartitionResponse]) -> None:
    """Replace the file slices of ``parts`` by their bytes (see the module docstring)."""
    for part in parts:
        chunk = part.records
        if isinstance(chunk, FileSlice):
            data = os.pread(chunk.fd, chunk.length, chunk.position)
            if len(data) != chunk.length:
                raise StorageError(f"a segment ended {chunk.length - len(data)} bytes short")
            part.records = data
    parts.clear()


async def _read(ctx: RequestContext, request: FetchRequest) -> tuple[FetchResponse, int, bool]:
    cluster = ctx.cluster
    read_committed = request.isolation_level == READ_COMMITTED
    response = FetchResponse()
    budget = request.max_bytes if request.max_bytes > 0 else 0x7FFFFFFF
    total = 0
    errors = False
    served = 0
    with_slices: list[FetchPartitionResponse] = []
    for topic in request.topics:
        topic_response = FetchTopicResponse(topic=topic.topic)
        response.responses.append(topic_response)
        for wanted in topic.partitions:
            served += 1
            if served % SLICE == 0:
                _materialize(with_slices)
                await asyncio.sleep(0)
            part = FetchPartitionResponse(
                partition_index=wanted.partition,
                high_watermark=-1,
                last_stable_offset=-1,
                log_start_offset=-1,
                aborted_transactions=[] if read_committed else None,
                records=b"",
            )
            topic_response.partitions.append(part)
            log = cluster.partition(topic.topic, wanted.partition)
            if log is None:
                part.error_code = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
                errors = True
                continue
            leader_error = ctx.leader_error(
                topic.topic, wanted.partition, wanted.current_leader_epoch
            )
            if leader_error != ErrorCode.NONE:
                part.error_code = leader_error
                if ctx.version >= CURRENT_LEADER_VERSION:  # KIP-951: where to go instead
                    state = cluster.partition_state(topic.topic, wanted.partition)
                    part.current_leader = FetchLeaderIdAndEpoch(
                        leader_id=state.leader, leader_epoch=state.leader_epoch
                    )
                errors = True
                continue
            part.high_watermark = log.high_watermark
            part.last_stable_offset = log.last_stable_offset
            part.log_start_offset = log.log_start_offset
            limit = min(wanted.partition_max_bytes, budget - total)
            try:
                chunk = log.read(
                    wanted.fetch_offset,
                    max(limit, 0),
                    max_offset=log.last_stable_offset if read_committed else log.high_watermark,
                    min_one_batch=total == 0,
                )
            except StorageError as exc:
                # Kafka answers an unreadable partition with unknown (-1) offsets
                # (ReplicaManager.readFromLocalLog -> createLogReadResult(e)).
                part.error_code = ErrorCode(exc.error_code)
                part.high_watermark = part.last_stable_offset = part.log_start_offset = -1
                errors = True
                continue
            if chunk is not None:
                part.records = chunk
                with_slices.append(part)
                total += chunk.length
                if read_committed:
                    part.aborted_transactions = [
                        FetchAbortedTransaction(producer_id=producer_id, first_offset=first_offset)
                        for producer_id, first_offset in log.aborted_transactions(
                            wanted.fetch_offset, log.offset_after(chunk)
                        )
                    ]
    return response, total, errors
