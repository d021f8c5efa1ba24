"""What the console shows and changes, read from and written to the ``Cluster``'s domain
objects (topics, partition logs, groups, the schema registry), as the handlers use them.

Every read is bounded so that a page never holds the event loop for long: a message page
reads at most ``MAX_PAGE`` records and scans at most ``MAX_SCAN`` records (at most
``MAX_SCAN_BYTES`` of batches) when it searches; the page says where a scan stopped so the
next one can go on from there. Data-directory sizes come from the partition logs' segment
sizes, not from walking the disk.
"""

from __future__ import annotations

import os
import struct
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kafkalite.groups.api import CommitEntry, TopicPartition
from kafkalite.protocol.compression import CODEC_NAMES
from kafkalite.protocol.errors import ErrorCode, KafkaError
from kafkalite.protocol.record_codec import Record, encode_batch, read_records
from kafkalite.protocol.records import BatchHeader, read_header, validate_batches
from kafkalite.storage.errors import OffsetOutOfRangeError

if TYPE_CHECKING:
    from kafkalite.cluster import Cluster
    from kafkalite.storage.log import PartitionLog

__all__ = [
    "MAX_PAGE",
    "MAX_SCAN",
    "Message",
    "Page",
    "browse",
    "decode_assignment",
    "group_lag",
    "produce",
    "reset_offsets",
    "tail",
]

MAX_PAGE = 200
MAX_SCAN = 20_000
MAX_SCAN_BYTES = 32 << 20
_READ_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Message:
    partition: int
    offset: int
    timestamp: int
    timestamp_type: str
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[bytes, bytes | None], ...]
    compression: str
    producer_id: int
    producer_epoch: int
    transactional: bool


@dataclass(slots=True)
class Page:
    messages: list[Message] = field(default_factory=list)
    scanned: int = 0
    next_offsets: dict[int, int] = field(default_factory=dict)
    """Per partition, the offset after the last record read: where to go on."""
    truncated: bool = False
    """The scan stopped at its bound before the end of a partition."""


def _batches(partition_log: PartitionLog, start: int, end: int) -> Iterator[tuple[BatchHeader, bytes]]:
    offset = max(start, partition_log.log_start_offset)
    while offset < end:
        try:
            chunk = partition_log.read(offset, _READ_CHUNK, max_offset=end)
        except OffsetOutOfRangeError:
            return
        if chunk is None:
            return
        data = os.pread(chunk.fd, chunk.length, chunk.position)
        pos = 0
        while pos + 61 <= len(data):
            header = read_header(data, pos)
            if pos + header.size > len(data):
                break
            yield header, data[pos : pos + header.size]
            pos += header.size
            offset = header.next_offset
        if pos == 0:
            return


def _messages(
    partition_log: PartitionLog, start: int, end: int
) -> Iterator[tuple[Message, int]]:
    """Messages from ``start`` to ``end`` (control batches skipped), each with the bytes of
    the batch it came from (counted once, on its first record)."""
    for header, batch in _batches(partition_log, start, end):
        if header.is_control:
            continue
        codec = CODEC_NAMES.get(header.compression, str(header.compression))
        timestamp_type = "LogAppendTime" if header.timestamp_type else "CreateTime"
        size = len(batch)
        for record in read_records(batch, header):
            if record.offset < start or record.offset >= end:
                continue
            timestamp = header.max_timestamp if header.timestamp_type else record.timestamp
            yield (
                Message(
                    partition_log.partition, record.offset, timestamp, timestamp_type,
                    record.key, record.value, tuple(record.headers), codec,
                    header.producer_id, header.producer_epoch, header.is_transactional,
                ),
                size,
            )
            size = 0


def _matches(message: Message, needle: bytes) -> bool:
    if message.key is not None and needle in message.key:
        return True
    if message.value is not None and needle in message.value:
        return True
    return any(
        needle in key or (value is not None and needle in value)
        for key, value in message.headers
    )


def browse(
    cluster: Cluster,
    topic: str,
    *,
    partitions: Sequence[int] | None = None,
    seek: str = "newest",
    offset: int | None = None,
    timestamp_ms: int | None = None,
    search: str = "",
    limit: int = 50,
) -> Page:
    """At most ``limit`` (<= ``MAX_PAGE``) messages of ``topic``: from ``offset``, from the
    first record at or after ``timestamp_ms``, from the start (``oldest``) or the last
    ``limit`` of each partition (``newest``); with ``search``, only records whose key, value
    or a header contains it, scanning at most ``MAX_SCAN`` records."""
    info = cluster.logs.get_topic(topic)
    if info is None:
        raise KafkaError(f"The topic '{topic}' does not exist.", ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
    limit = max(1, min(limit, MAX_PAGE))
    chosen = [
        p for p in info.partitions if partitions is None or p.partition in partitions
    ]
    needle = search.encode() if search else b""
    page = Page()
    scanned_bytes = 0
    for partition_log in chosen:
        end = partition_log.high_watermark
        start_of_log = partition_log.log_start_offset
        if seek == "offset" and offset is not None:
            start = max(offset, start_of_log)
        elif seek == "timestamp" and timestamp_ms is not None:
            found = partition_log.offset_for_timestamp(timestamp_ms)
            start = found[0] if found is not None else end
        elif seek == "oldest" or needle:
            start = start_of_log
        else:  # newest
            start = max(start_of_log, end - limit)
        taken = 0
        position = start
        for message, size in _messages(partition_log, start, end):
            if page.scanned >= MAX_SCAN or scanned_bytes >= MAX_SCAN_BYTES:
                page.truncated = True
                break
            page.scanned += 1
            scanned_bytes += size
            position = message.offset + 1
            if needle and not _matches(message, needle):
                continue
            page.messages.append(message)
            taken += 1
            if taken >= limit:
                break
        page.next_offsets[partition_log.partition] = position
    if seek == "newest" and not needle:
        page.messages.sort(key=lambda m: (m.timestamp, m.partition, m.offset), reverse=True)
        del page.messages[limit:]
    else:
        page.messages.sort(key=lambda m: (m.timestamp, m.partition, m.offset))
        del page.messages[limit:]
    return page


def tail(cluster: Cluster, topic: str, after: dict[int, int] | None) -> tuple[list[Message], dict[int, int]]:
    """Messages appended since ``after`` (partition -> next offset; None: from now), at most
    ``MAX_PAGE``, and the positions to ask from next."""
    info = cluster.logs.get_topic(topic)
    if info is None:
        raise KafkaError(f"The topic '{topic}' does not exist.", ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
    positions: dict[int, int] = {}
    found: list[Message] = []
    for partition_log in info.partitions:
        end = partition_log.high_watermark
        number = partition_log.partition
        start = end if after is None or number not in after else after[number]
        start = max(start, partition_log.log_start_offset)
        positions[number] = start
        for message, _ in _messages(partition_log, start, end):
            if len(found) >= MAX_PAGE:
                break
            found.append(message)
            positions[number] = message.offset + 1
    found.sort(key=lambda m: (m.timestamp, m.partition, m.offset))
    return found, positions


def produce(
    cluster: Cluster,
    topic: str,
    partition: int | None,
    key: bytes | None,
    value: bytes | None,
    headers: Sequence[tuple[bytes, bytes | None]] = (),
) -> tuple[int, int]:
    """Append one record as a producer with acks=all would (no producer id); returns
    ``(partition, offset)``. No partition: the key's murmur2 partition, as Kafka's default
    partitioner picks it, or partition 0 for a null key."""
    info = cluster.logs.get_topic(topic)
    if info is None:
        raise KafkaError(f"The topic '{topic}' does not exist.", ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
    count = len(info.partitions)
    if partition is None:
        partition = (_murmur2(key) & 0x7FFFFFFF) % count if key is not None else 0
    if not 0 <= partition < count:
        raise KafkaError(
            f"partition {partition} of {topic} does not exist", ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
        )
    partition_log = info.partitions[partition]
    now_ms = time.time_ns() // 1_000_000
    batch = bytearray(
        encode_batch([Record(0, now_ms, key, value, tuple(headers))])
    )
    if len(batch) > partition_log.config.max_message_bytes:
        raise KafkaError(
            f"The record is {len(batch)} bytes, over max.message.bytes", ErrorCode.MESSAGE_TOO_LARGE
        )
    result = partition_log.append(batch, validate_batches(batch, from_client=False), now_ms=now_ms)
    return partition, result.base_offset


def _murmur2(data: bytes) -> int:
    """Kafka's ``Utils.murmur2`` (the default partitioner's hash), as a signed 32-bit int."""
    length = len(data)
    seed, m, r = 0x9747B28C, 0x5BD1E995, 24
    h = (seed ^ length) & 0xFFFFFFFF
    for i in range(length // 4):
        k = struct.unpack_from("<I", data, i * 4)[0]
        k = (k * m) & 0xFFFFFFFF
        k ^= k >> r
        k = (k * m) & 0xFFFFFFFF
        h = (h * m) & 0xFFFFFFFF
        h ^= k
    tail_start = length & ~3
    rest = length % 4
    if rest == 3:
        h ^= data[tail_start + 2] << 16
    if rest >= 2:
        h ^= data[tail_start + 1] << 8
    if rest >= 1:
        h ^= data[tail_start]
        h = (h * m) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * m) & 0xFFFFFFFF
    h ^= h >> 15
    return h - (1 << 32) if h & 0x80000000 else h


# -- groups -------------------------------------------------------------------------------


def decode_assignment(data: bytes) -> list[tuple[str, list[int]]]:
    """The topic partitions of a ``ConsumerProtocolAssignment`` (any version); [] when the
    bytes are not one (another protocol type)."""
    try:
        pos = 2
        (count,) = struct.unpack_from(">i", data, pos)
        pos += 4
        topics: list[tuple[str, list[int]]] = []
        for _ in range(max(count, 0)):
            (length,) = struct.unpack_from(">h", data, pos)
            pos += 2
            name = data[pos : pos + length].decode()
            pos += length
            (n,) = struct.unpack_from(">i", data, pos)
            pos += 4
            partitions = list(struct.unpack_from(f">{max(n, 0)}i", data, pos))
            pos += 4 * max(n, 0)
            topics.append((name, partitions))
        return topics
    except (struct.error, UnicodeDecodeError):
        return []


@dataclass(frozen=True, slots=True)
class GroupMemberView:
    member_id: str
    instance_id: str | None
    client_id: str
    client_host: str
    assignment: list[tuple[str, list[int]]]


@dataclass(frozen=True, slots=True)
class GroupView:
    """A group of any type as the console shows it: classic groups from their
    description (assignments decoded once Stable), KIP-848 consumer groups from their
    members' current assignments, share groups (KIP-932) from their members' assignments."""

    state: str
    protocol_type: str
    protocol: str
    members: list[GroupMemberView]


def group_view(cluster: Cluster, group_id: str) -> GroupView:
    consumer = cluster.groups.consumer.get(group_id)
    if consumer is not None:
        members = [
            GroupMemberView(
                member.member_id, member.instance_id, member.client_id, member.client_host,
                sorted(
                    (consumer.topic_name(topic_id) or str(topic_id), sorted(partitions))
                    for topic_id, partitions in member.assigned.items()
                ),
            )
            for member in sorted(consumer.members.values(), key=lambda m: m.member_id)
        ]
        return GroupView(consumer.state.value, "consumer", consumer.assignor_name or "", members)
    share = cluster.groups.share.get(group_id)
    if share is not None:  # KIP-932: members and the partitions they may fetch from
        return GroupView(share.state.value, "share", "simple", [
            GroupMemberView(
                member.member_id, None, member.client_id, member.client_host,
                sorted(
                    (share.topic_name(topic_id) or str(topic_id), sorted(partitions))
                    for topic_id, partitions in member.assigned.items()
                ),
            )
            for member in sorted(share.members.values(), key=lambda m: m.member_id)
        ])
    description = cluster.groups.describe_group(group_id)
    members = [
        GroupMemberView(
            member.member_id, member.group_instance_id, member.client_id, member.client_host,
            decode_assignment(member.member_assignment)
            if description.protocol_type == "consumer" else [],
        )
        for member in description.members
    ]
    return GroupView(
        description.group_state, description.protocol_type, description.protocol_data, members
    )


@dataclass(frozen=True, slots=True)
class Lag:
    topic: str
    partition: int
    committed: int
    log_start: int
    log_end: int
    lag: int | None
    member: str


def group_lag(cluster: Cluster, group_id: str, assigned: dict[TopicPartition, str]) -> list[Lag]:
    """Committed offset, log end and lag of every partition the group committed or has
    assigned (lag: log end minus committed; None where nothing is committed)."""
    fetched = cluster.groups.fetch_offsets(group_id)
    committed = {TopicPartition(o.topic, o.partition): o.offset for o in fetched.offsets}
    rows = []
    for tp in sorted(set(committed) | set(assigned)):
        partition_log = cluster.partition(tp.topic, tp.partition)
        end = partition_log.high_watermark if partition_log is not None else -1
        start = partition_log.log_start_offset if partition_log is not None else -1
        offset = committed.get(tp, -1)
        lag = max(end - offset, 0) if offset >= 0 and end >= 0 else None
        rows.append(Lag(tp.topic, tp.partition, offset, start, end, lag, assigned.get(tp, "")))
    return rows


def reset_offsets(
    cluster: Cluster,
    group_id: str,
    topic: str,
    to: str,
    value: int | None = None,
) -> dict[int, int]:
    """Kafka's ``kafka-consumer-groups --reset-offsets --execute`` for every partition of
    ``topic``: ``earliest``, ``latest``, ``timestamp`` (ms) or ``offset`` (clamped to the
    log). Only for a group with no members, as Kafka requires. Returns the new offsets."""
    state = group_view(cluster, group_id).state
    if state not in ("Empty", "Dead"):
        raise KafkaError(
            f"Assignments can only be reset if the group '{group_id}' is inactive, but the "
            f"current state is {state}.",
            ErrorCode.NON_EMPTY_GROUP,
        )
    info = cluster.logs.get_topic(topic)
    if info is None:
        raise KafkaError(f"The topic '{topic}' does not exist.", ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
    targets: dict[int, int] = {}
    for partition_log in info.partitions:
        start, end = partition_log.log_start_offset, partition_log.high_watermark
        if to == "earliest":
            target = start
        elif to == "latest":
            target = end
        elif to == "timestamp" and value is not None:
            found = partition_log.offset_for_timestamp(value)
            target = found[0] if found is not None else end
        elif to == "offset" and value is not None:
            target = min(max(value, start), end)
        else:
            raise ValueError(f"reset to {to!r} needs a value" if to in ("timestamp", "offset") else f"unknown reset {to!r}")
        targets[partition_log.partition] = target
    entries = [CommitEntry(topic, p, o) for p, o in sorted(targets.items())]
    results = cluster.groups.commit_offsets(group_id, -1, "", None, entries)
    errors = {code for code in results.values() if code}
    if errors:
        code = ErrorCode(next(iter(errors)))
        raise KafkaError(f"resetting offsets failed: {code.name}", code)
    return targets
