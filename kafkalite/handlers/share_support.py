"""What ShareFetch and ShareAcknowledge (KIP-932) share: share-session epochs,
acknowledgements, and acquiring records from a partition log for a member.

Share sessions (Kafka's ``ShareSessionCache``), one per (group, member): epoch 0 opens one
(a member's earlier session goes, and the records it held are released); -1 closes it
after its acknowledgements (and releases what the member still holds); any other epoch must
be the session's next one: no session is SHARE_SESSION_NOT_FOUND, another epoch
INVALID_SHARE_SESSION_EPOCH.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from kafkalite.groups.share_group import ShareGroupManager, ShareSession
from kafkalite.groups.share_partition import AcquiredRange, FetchedBatch
from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.records import BATCH_HEADER_SIZE, CorruptRecordError, read_header
from kafkalite.storage.errors import StorageError

INITIAL_EPOCH = 0
FINAL_EPOCH = -1
EARLIEST, LATEST = "earliest", "latest"

PartitionKey = tuple[uuid.UUID, int]


@dataclass(slots=True)
class AckBatch:
    first_offset: int
    last_offset: int
    acknowledge_types: list[int]


@dataclass(slots=True)
class SessionOutcome:
    error: ErrorCode = ErrorCode.NONE
    message: str | None = None
    session: ShareSession | None = None


def session_for(
    share: ShareGroupManager, group_id: str, member_id: str, epoch: int, *, fetch: bool
) -> SessionOutcome:
    """The share session a request with ``epoch`` continues or opens (ShareAcknowledge,
    ``fetch=False``, cannot open one)."""
    if epoch == INITIAL_EPOCH:
        if not fetch:
            return SessionOutcome(ErrorCode.INVALID_SHARE_SESSION_EPOCH,
                                  "A share session cannot be opened by ShareAcknowledge.")
        return SessionOutcome(session=share.open_session(group_id, member_id))
    session = share.session(group_id, member_id)
    if session is None:
        return SessionOutcome(ErrorCode.SHARE_SESSION_NOT_FOUND,
                              f"Share session for member {member_id} of group {group_id} not found.")
    if epoch == FINAL_EPOCH:
        return SessionOutcome(session=session)
    if epoch != session.epoch:
        return SessionOutcome(ErrorCode.INVALID_SHARE_SESSION_EPOCH,
                              f"The share session epoch is {epoch}, expected {session.epoch}.")
    session.epoch += 1
    return SessionOutcome(session=session)


def acknowledge(
    ctx: RequestContext, group_id: str, member_id: str, key: PartitionKey, batches: Iterable[AckBatch]
) -> tuple[ErrorCode, str | None]:
    """Apply one partition's acknowledgement batches; the first error stops them (the
    batches before it stay applied, as Kafka applies them in order)."""
    share = ctx.cluster.groups.share
    group = share.get(group_id)
    share_partition = group.partitions.get(key) if group is not None else None
    batches = list(batches)
    if share_partition is None:
        return ErrorCode.INVALID_RECORD_STATE, "No records were acquired from this partition."
    available = False
    error, message = ErrorCode.NONE, None
    for batch in batches:
        code, released = share_partition.acknowledge(
            member_id, batch.first_offset, batch.last_offset, batch.acknowledge_types
        )
        available |= released
        if code != ErrorCode.NONE:
            error = ErrorCode(code)
            message = (
                "The record state is invalid. The acknowledgement of delivery could not be completed."
                if error == ErrorCode.INVALID_RECORD_STATE else "Invalid acknowledgement batch."
            )
            break
    share.changed(group_id, key[0], key[1], available=available)
    return error, message


@dataclass(slots=True)
class Acquired:
    records: bytes = b""
    ranges: list[AcquiredRange] = field(default_factory=list)
    count: int = 0


def acquire(
    ctx: RequestContext, group_id: str, member_id: str, name: str, key: PartitionKey,
    max_records: int, max_bytes: int, *, record_limit: bool,
) -> Acquired:
    """Acquire records of ``name``-``partition`` for the member: the available ones first,
    then new ones; returns the batches holding them and the acquired ranges. Raises
    ``StorageError`` when the log cannot be read."""
    share = ctx.cluster.groups.share
    log = ctx.cluster.partition(name, key[1])
    if log is None:
        return Acquired()
    share_partition = share.partition(group_id, key[0], key[1])
    if not share_partition.initialized:
        reset = share.auto_offset_reset(group_id)
        share_partition.initialize(log.log_start_offset if reset == EARLIEST else log.high_watermark)
        share.changed(group_id, key[0], key[1])
    if share_partition.move_start(log.log_start_offset):
        share.changed(group_id, key[0], key[1])
    offset = share_partition.next_fetch_offset()
    if offset is None or offset >= log.high_watermark:
        return Acquired()
    chunk = log.read(offset, max(max_bytes, 1), max_offset=log.high_watermark, min_one_batch=True)
    if chunk is None:
        return Acquired()
    data = _read(chunk)
    spans: list[tuple[int, int, FetchedBatch]] = []
    pos = 0
    while pos + BATCH_HEADER_SIZE <= len(data):
        try:
            header = read_header(data, pos)
        except CorruptRecordError:
            break
        spans.append((pos, pos + header.size, FetchedBatch(header.base_offset, header.last_offset, header.is_control)))
        pos += header.size
    ranges = share_partition.acquire(
        member_id, [batch for _, _, batch in spans], max_records, record_limit=record_limit
    )
    if not ranges:
        return Acquired()
    share.acquired(group_id, key[0], key[1])
    first, last = ranges[0].first_offset, ranges[-1].last_offset
    kept = [(start, end) for start, end, batch in spans
            if batch.last_offset >= first and batch.first_offset <= last]
    return Acquired(
        records=data[kept[0][0]:kept[-1][1]],
        ranges=ranges,
        count=sum(r.last_offset - r.first_offset + 1 for r in ranges),
    )


def _read(chunk: FileSlice) -> bytes:
    data = os.pread(chunk.fd, chunk.length, chunk.position)
    if len(data) != chunk.length:
        raise StorageError(f"a segment ended {chunk.length - len(data)} bytes short")
    return data
