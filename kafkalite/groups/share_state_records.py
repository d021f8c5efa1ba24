"""Kafka's ``__share_group_state`` records (KIP-932): the durable state of each share
partition, written by the share coordinator.

Layouts from Kafka 4.2's share coordinator schemas (``share-coordinator/src/main/resources/
common/message/Share{Snapshot,Update}{Key,Value}.json``), framed as Kafka's
``CoordinatorRecordSerde`` frames them: the key is an int16 record type and the key's
fields (not flexible); the value an int16 version (0) and the value's fields, flexible
(compact lengths, tagged fields after every struct; unknown tags are skipped when read). A
null value is a tombstone: the share partition's state was deleted.

    type 0  ShareSnapshotKey     groupId string, topicId uuid, partition int32
            ShareSnapshotValue   snapshotEpoch int32, stateEpoch int32, leaderEpoch int32,
                                 startOffset int64, createTimestamp int64,
                                 writeTimestamp int64, stateBatches [firstOffset int64,
                                 lastOffset int64, deliveryState int8 (0 available,
                                 2 acknowledged, 4 archived), deliveryCount int16];
                                 tag 0 deliveryCompleteCount int32 (KIP-1226, default -1)
    type 1  ShareUpdateKey       as the snapshot key
            ShareUpdateValue     snapshotEpoch int32, leaderEpoch int32, startOffset int64,
                                 stateBatches [as above]; tag 0 deliveryCompleteCount

kafkalite writes a snapshot at every change (compaction keeps the last one per key) and
reads updates too, applying them on the snapshot before them, as Kafka's share coordinator
replays its log.
"""

from __future__ import annotations

import struct
import uuid
from dataclasses import dataclass, field

from kafkalite.protocol.errors import MalformedRequest
from kafkalite.protocol.primitives import read_uvarint, write_uvarint

from .share_partition import StateBatch

__all__ = [
    "SHARE_SNAPSHOT",
    "SHARE_UPDATE",
    "ShareStateError",
    "ShareStateKey",
    "ShareStateValue",
    "decode_share_key",
    "decode_share_value",
    "encode_share_key",
    "encode_share_value",
]

SHARE_SNAPSHOT, SHARE_UPDATE = 0, 1
_BATCH = struct.Struct(">qqbh")


class ShareStateError(ValueError):
    """A record of ``__share_group_state`` that cannot be read."""


@dataclass(frozen=True, slots=True)
class ShareStateKey:
    record_type: int
    group_id: str
    topic_id: uuid.UUID
    partition: int


@dataclass(frozen=True, slots=True)
class ShareStateValue:
    snapshot_epoch: int
    state_epoch: int  # -1 in an update: it has none
    leader_epoch: int
    start_offset: int
    batches: tuple[StateBatch, ...] = field(default=())
    create_timestamp: int = -1
    write_timestamp: int = -1
    delivery_complete_count: int = -1


def encode_share_key(key: ShareStateKey) -> bytes:
    group = key.group_id.encode()
    return (
        struct.pack(">hh", key.record_type, len(group)) + group
        + key.topic_id.bytes + struct.pack(">i", key.partition)
    )


def decode_share_key(data: bytes) -> ShareStateKey:
    try:
        record_type, length = struct.unpack_from(">hh", data, 0)
        if record_type not in (SHARE_SNAPSHOT, SHARE_UPDATE) or length < 0:
            raise ShareStateError(f"not a share state key (type {record_type})")
        end = 4 + length
        group = data[4:end].decode()
        topic_id = uuid.UUID(bytes=bytes(data[end:end + 16]))
        (partition,) = struct.unpack_from(">i", data, end + 16)
    except (struct.error, UnicodeDecodeError, ValueError) as exc:
        raise ShareStateError(f"bad share state key: {exc}") from None
    return ShareStateKey(record_type, group, topic_id, partition)


def encode_share_value(record_type: int, value: ShareStateValue) -> bytes:
    out = bytearray(struct.pack(">h", 0))  # value version 0
    if record_type == SHARE_SNAPSHOT:
        out += struct.pack(">iiiqqq", value.snapshot_epoch, value.state_epoch, value.leader_epoch,
                           value.start_offset, value.create_timestamp, value.write_timestamp)
    else:
        out += struct.pack(">iiq", value.snapshot_epoch, value.leader_epoch, value.start_offset)
    write_uvarint(out, len(value.batches) + 1)
    for batch in value.batches:
        out += _BATCH.pack(batch.first_offset, batch.last_offset, batch.delivery_state, batch.delivery_count)
        write_uvarint(out, 0)
    if value.delivery_complete_count != -1:
        write_uvarint(out, 1)
        write_uvarint(out, 0)  # tag 0
        write_uvarint(out, 4)
        out += struct.pack(">i", value.delivery_complete_count)
    else:
        write_uvarint(out, 0)
    return bytes(out)


def decode_share_value(record_type: int, data: bytes) -> ShareStateValue:
    buf = memoryview(data)
    try:
        (version,) = struct.unpack_from(">h", buf, 0)
        if version != 0:
            raise ShareStateError(f"share state value version {version} is unknown")
        pos = 2
        create = write = -1
        if record_type == SHARE_SNAPSHOT:
            snapshot_epoch, state_epoch, leader_epoch, start, create, write = struct.unpack_from(">iiiqqq", buf, pos)
            pos += 36
        else:
            snapshot_epoch, leader_epoch, start = struct.unpack_from(">iiq", buf, pos)
            state_epoch = -1
            pos += 16
        count, pos = read_uvarint(buf, pos)
        batches = []
        for _ in range(count - 1):
            first, last, state, delivered = _BATCH.unpack_from(buf, pos)
            pos = _skip_tags(buf, pos + _BATCH.size)
            batches.append(StateBatch(first, last, state, delivered))
        complete = -1
        tags, pos = read_uvarint(buf, pos)
        for _ in range(tags):
            tag, pos = read_uvarint(buf, pos)
            size, pos = read_uvarint(buf, pos)
            if tag == 0 and size == 4:
                (complete,) = struct.unpack_from(">i", buf, pos)
            pos += size
    except (struct.error, MalformedRequest, IndexError) as exc:
        raise ShareStateError(f"bad share state value: {exc}") from None
    return ShareStateValue(snapshot_epoch, state_epoch, leader_epoch, start, tuple(batches),
                           create, write, complete)


def _skip_tags(buf: memoryview, pos: int) -> int:
    tags, pos = read_uvarint(buf, pos)
    for _ in range(tags):
        _, pos = read_uvarint(buf, pos)
        size, pos = read_uvarint(buf, pos)
        pos += size
    return pos
