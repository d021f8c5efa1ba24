"""Fetch (api key 1), served v4-v18.

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

Fetch sessions (KIP-227, v7+; ``kafkalite.cluster.fetch_sessions``): epoch 0 opens a
session (session id 0 in the request) or replaces one, and the answer names the new id;
epoch -1 closes it and fetches without one; a positive epoch is an incremental fetch: the
request lists only changed partitions and ``forgotten_topics_data``, and the answer only
the partitions with records, an error, or moved offsets. An unknown session id is
FETCH_SESSION_ID_NOT_FOUND, a wrong epoch INVALID_FETCH_SESSION_EPOCH, mixing topic names
and ids in one session FETCH_SESSION_TOPIC_ID_ERROR; each is a top-level error and the
client starts over with a full fetch.

Topic ids (v13+, KIP-516) replace names in the request and the answer; an id no topic has
is UNKNOWN_TOPIC_ID. A partition refused with NOT_LEADER_OR_FOLLOWER or
FENCED_LEADER_EPOCH names its current leader (v12+) and, from v16, the response carries
that leader's endpoint (KIP-951).

A request naming more than ``SLICE`` partitions is read in slices of that many, letting
the event loop serve other connections in between. A file slice is only valid until the loop
runs again, so before each such turn the record bytes gathered so far are read into memory
(at most the request's ``max_bytes``, and only for requests this large); so are they when
they hold half the segment files the broker may keep open (``open_files``), and when the
answer has so many partitions that its encoding reaches them after a turn of the loop.

Not served: follower fetches (a replica id >= 0 is read as a consumer's fetch).
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
import weakref
from dataclasses import dataclass

from kafkalite.cluster import Cluster
from kafkalite.cluster.fetch_sessions import (
    FINAL_EPOCH,
    INITIAL_EPOCH,
    INVALID_SESSION_ID,
    CachedPartition,
    FetchSession,
    FetchSessionCache,
    PartitionKey,
    next_epoch,
)
from kafkalite.handlers.context import RequestContext
from kafkalite.handlers.topic_ids import TopicIds
from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.codec import STEP
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.fetch import (
    FetchAbortedTransaction,
    FetchLeaderIdAndEpoch,
    FetchNodeEndpoint,
    FetchPartitionResponse,
    FetchRequest,
    FetchResponse,
    FetchTopicResponse,
)
from kafkalite.security.acls import AclOperation
from kafkalite.storage.errors import StorageError

READ_COMMITTED = 1
SLICE = 1000
"""Partitions read between two turns of the event loop."""
_SLICES_IN_FIRST_STEP = STEP // 4
"""The answer is encoded in steps of ``codec.STEP`` array elements and a file slice is held
(duplicated) only once encoded: an answer with more partitions than this carries bytes."""
CURRENT_LEADER_VERSION = 12
SESSION_VERSION = 7
TOPIC_ID_VERSION = 13
NODE_ENDPOINTS_VERSION = 16
_MOVED = (ErrorCode.NOT_LEADER_OR_FOLLOWER, ErrorCode.FENCED_LEADER_EPOCH)

_caches: weakref.WeakKeyDictionary[Cluster, dict[int, FetchSessionCache]] = (
    weakref.WeakKeyDictionary()
)


def session_cache(ctx: RequestContext) -> FetchSessionCache:
    """This node's fetch sessions (each broker of a cluster has its own, as in Kafka)."""
    caches = _caches.setdefault(ctx.cluster, {})
    cache = caches.get(ctx.node_id)
    if cache is None:
        config = ctx.config
        cache = caches[ctx.node_id] = FetchSessionCache(
            config.max_incremental_fetch_session_cache_slots,
            config.min_incremental_fetch_session_eviction_ms,
        )
    return cache


@dataclass(slots=True)
class _Wanted:
    key: PartitionKey
    name: str | None  # None: the topic id is unknown
    topic_id: uuid.UUID
    partition: int
    cached: CachedPartition


async def handle(ctx: RequestContext, request: FetchRequest) -> FetchResponse:
    ids = TopicIds(ctx.cluster)
    by_id = ctx.version >= TOPIC_ID_VERSION
    requested = await _requested(request, ids, by_id)
    session: FetchSession | None = None
    new_session = False
    if ctx.version >= SESSION_VERSION:
        cache = session_cache(ctx)
        epoch = request.session_epoch
        if epoch in (INITIAL_EPOCH, FINAL_EPOCH):
            if request.session_id != INVALID_SESSION_ID:
                cache.remove(request.session_id)
            new_session = epoch == INITIAL_EPOCH
        else:
            session = cache.get(request.session_id)
            error = ErrorCode.NONE
            if session is None:
                error = ErrorCode.FETCH_SESSION_ID_NOT_FOUND
            elif session.epoch != epoch:
                error = ErrorCode.INVALID_FETCH_SESSION_EPOCH
            elif session.uses_topic_ids != by_id:
                error = ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR
            if error != ErrorCode.NONE:
                return FetchResponse(error_code=error, session_id=INVALID_SESSION_ID)
            assert session is not None
            session.update(
                ((w.key, w.cached) for w in requested), _forgotten(request, by_id)
            )
            session.epoch = next_epoch(epoch)
            cache.touch(session)
            requested = [_from_session(key, cached, ids)
                         for key, cached in session.partitions.items()]

    # KafkaApis.handleFetchRequest: READ on each topic (TOPIC_AUTHORIZATION_FAILED).
    refused = await _refused(ctx, requested)
    deadline = time.monotonic() + max(request.max_wait_ms, 0) / 1000
    watched: list[tuple[str, int]] | None = None
    while True:
        parts, size, errors = await _read(ctx, request, requested, refused)
        remaining = deadline - time.monotonic()
        if size >= request.min_bytes or errors or remaining <= 0 or ctx.closing.is_set():
            break
        if watched is None:  # only a fetch that waits needs them
            watched = [
                (w.name, w.partition)
                for w in requested
                if w.name is not None and w.name not in refused
            ]
        if not watched:
            break
        # The slices in `parts` are only valid until the loop runs again: drop them and
        # read afresh after the wait.
        await ctx.waiters.wait(watched, remaining, ctx.closing)

    response = FetchResponse()
    if session is not None:
        response.session_id = session.id
        parts = [(w, part) for w, part in parts if _changed(w.cached, part)]
        for w, part in parts:
            if part.records:
                session.rotate(w.key)
    elif new_session:
        for w, part in parts:
            _changed(w.cached, part)
        created = session_cache(ctx).create({w.key: w.cached for w in requested}, by_id)
        if created is not None:
            response.session_id = created.id
    await _group(response, parts)
    if ctx.version >= NODE_ENDPOINTS_VERSION:
        _name_new_leaders(ctx, response)
    if len(requested) > SLICE:
        await _let_go(parts)  # type: ignore[arg-type]
        await _let_go(requested)  # type: ignore[arg-type]
    return _throttled(ctx, response, size)


def _throttled(ctx: RequestContext, response: FetchResponse, size: int) -> FetchResponse:
    """consumer_byte_rate: a fetch that takes the client over its quota is answered empty,
    with the throttle time, and its bytes do not count (Kafka's
    ``FetchContext.getThrottledResponse`` and ``unrecordQuotaSensor``)."""
    throttle_ms = ctx.throttle("consumer_byte_rate", size)
    if throttle_ms <= 0:
        return response
    ctx.throttle("consumer_byte_rate", -size)
    return FetchResponse(throttle_time_ms=throttle_ms, session_id=response.session_id)


def _from_session(key: PartitionKey, cached: CachedPartition, ids: TopicIds) -> _Wanted:
    topic = key[0]
    if isinstance(topic, uuid.UUID):
        return _Wanted(key, ids.name(topic), topic, key[1], cached)
    return _Wanted(key, topic, ids.id(topic), key[1], cached)


async def _refused(ctx: RequestContext, requested: list[_Wanted]) -> set[str]:
    """The topics named in ``requested`` that the principal may not READ, each asked once."""
    names: set[str | None] = set()
    for start in range(0, len(requested), 10 * SLICE):
        if start:
            await asyncio.sleep(0)
        names.update([w.name for w in requested[start : start + 10 * SLICE]])
    return {
        name for name in names
        if name is not None and not ctx.allows_topic(AclOperation.READ, name)
    }


async def _let_go(items: list[object]) -> None:
    """Empty a long list ``SLICE`` entries per turn of the event loop: freeing hundreds of
    thousands of objects at once (when the handler returns) is itself a stall."""
    while len(items) > SLICE:
        del items[-SLICE:]
        await asyncio.sleep(0)


async def _requested(request: FetchRequest, ids: TopicIds, by_id: bool) -> list[_Wanted]:
    """The partitions ``request`` names, built ``SLICE`` per turn of the event loop."""
    wanted: list[_Wanted] = []
    for topic in request.topics:
        name: str | None
        key_topic: str | uuid.UUID
        if by_id:
            name, topic_id, key_topic = ids.name(topic.topic_id), topic.topic_id, topic.topic_id
        else:
            name, topic_id, key_topic = topic.topic, ids.id(topic.topic), topic.topic
        for p in topic.partitions:
            wanted.append(_Wanted(
                (key_topic, p.partition), name, topic_id, p.partition,
                CachedPartition(p.fetch_offset, p.partition_max_bytes, p.current_leader_epoch),
            ))
            if len(wanted) % SLICE == 0:
                await asyncio.sleep(0)
    return wanted


def _forgotten(request: FetchRequest, by_id: bool) -> list[PartitionKey]:
    return [
        (topic.topic_id if by_id else topic.topic, partition)
        for topic in request.forgotten_topics_data
        for partition in topic.partitions
    ]


def _changed(cached: CachedPartition, part: FetchPartitionResponse) -> bool:
    """Whether an incremental answer must carry ``part`` (Kafka's
    ``CachedPartition.maybeUpdateResponseData``); remembers what the fetcher is told."""
    must = bool(part.records) or part.error_code != ErrorCode.NONE
    if (cached.high_watermark, cached.last_stable_offset, cached.log_start_offset) != (
        part.high_watermark, part.last_stable_offset, part.log_start_offset
    ):
        must = True
        cached.high_watermark = part.high_watermark
        cached.last_stable_offset = part.last_stable_offset
        cached.log_start_offset = part.log_start_offset
    return must


async def _group(
    response: FetchResponse, parts: list[tuple[_Wanted, FetchPartitionResponse]]
) -> None:
    """The partitions' answers under their topics, ``SLICE`` per turn of the event loop."""
    topics: dict[PartitionKey | str | uuid.UUID, FetchTopicResponse] = {}
    for served, (w, part) in enumerate(parts, 1):
        if served % SLICE == 0:
            await asyncio.sleep(0)
        topic = topics.get(w.key[0])
        if topic is None:
            topic = topics[w.key[0]] = FetchTopicResponse(
                topic=w.name or "", topic_id=w.topic_id
            )
            response.responses.append(topic)
        topic.partitions.append(part)


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


async def _read(
    ctx: RequestContext, request: FetchRequest, requested: list[_Wanted], refused: set[str]
) -> tuple[list[tuple[_Wanted, FetchPartitionResponse]], int, bool]:
    cluster = ctx.cluster
    read_committed = request.isolation_level == READ_COMMITTED
    parts = []
    budget = request.max_bytes if request.max_bytes > 0 else 0x7FFFFFFF
    total = 0
    errors = False
    with_slices: list[FetchPartitionResponse] = []
    open_files = cluster.logs.open_files
    for served, w in enumerate(requested, 1):
        if served % SLICE == 0:
            _materialize(with_slices)
            await asyncio.sleep(0)
        wanted = w.cached
        part = FetchPartitionResponse(
            partition_index=w.partition,
            high_watermark=-1,
            last_stable_offset=-1,
            log_start_offset=-1,
            aborted_transactions=[] if read_committed else None,
            records=b"",
        )
        parts.append((w, part))
        if w.name is None:
            part.error_code = ErrorCode.UNKNOWN_TOPIC_ID
            errors = True
            continue
        if w.name in refused:
            part.error_code = ErrorCode.TOPIC_AUTHORIZATION_FAILED
            errors = True
            continue
        log = cluster.partition(w.name, w.partition)
        if log is None:
            part.error_code = (
                ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
                if ctx.version < TOPIC_ID_VERSION or cluster.logs.get_topic(w.name) is not None
                else ErrorCode.UNKNOWN_TOPIC_ID
            )
            errors = True
            continue
        leader_error = ctx.leader_error(w.name, w.partition, wanted.current_leader_epoch)
        if leader_error != ErrorCode.NONE:
            part.error_code = leader_error
            if ctx.version >= CURRENT_LEADER_VERSION:  # KIP-951: where to go instead
                state = cluster.partition_state(w.name, w.partition)
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
            if open_files.crowded:  # more slices held open than segment files may be
                _materialize(with_slices)
                open_files.unpin()
    if len(parts) > _SLICES_IN_FIRST_STEP:
        _materialize(with_slices)  # the encoder may reach them only after the loop ran
    return parts, total, errors


def _name_new_leaders(ctx: RequestContext, response: FetchResponse) -> None:
    """KIP-951: the endpoints of the leaders named in ``current_leader``."""
    leaders = {
        part.current_leader.leader_id
        for topic in response.responses
        for part in topic.partitions
        if part.error_code in _MOVED and part.current_leader.leader_id >= 0
    }
    for node_id in sorted(leaders):
        node = ctx.cluster.nodes.get(node_id)
        if node is not None and node.online:
            host, port = ctx.address(node)
            response.node_endpoints.append(
                FetchNodeEndpoint(node_id=node.id, host=host, port=port, rack=node.rack)
            )
