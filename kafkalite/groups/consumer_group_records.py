"""Kafka's ``__consumer_offsets`` records of consumer groups (KIP-848), record types 3-8.

Layouts from the group coordinator's schemas (``group-coordinator/src/main/resources/
common/message/ConsumerGroup*.json``), framed as group_records.py frames the classic ones:
the key is an int16 record type and the key's fields (never flexible); the value is an
int16 version (0 for all of these) and the value's fields, flexible (compact lengths and
tagged fields after every struct; unknown tags are skipped when read). A null value is a
tombstone: the member, or the group, is gone.

    type 3  ConsumerGroupMetadataKey            group
            ConsumerGroupMetadataValue          epoch int32
    type 4  ConsumerGroupPartitionMetadataKey   group
            ConsumerGroupPartitionMetadataValue topics [topicId uuid, topicName string,
                                                numPartitions int32, partitionMetadata
                                                [partition int32, racks [string]]]
    type 5  ConsumerGroupMemberMetadataKey      group, memberId
            ConsumerGroupMemberMetadataValue    instanceId string?, rackId string?,
                                                clientId, clientHost, subscribedTopicNames
                                                [string], subscribedTopicRegex string?,
                                                rebalanceTimeoutMs int32, serverAssignor string?,
                                                tag 0: classicMemberMetadata? (sessionTimeoutMs
                                                int32, supportedProtocols [name string,
                                                metadata bytes]); a nullable struct, so its
                                                tagged bytes start with int8 1
    type 6  ConsumerGroupTargetAssignmentMetadataKey  group
            ConsumerGroupTargetAssignmentMetadataValue assignmentEpoch int32
    type 7  ConsumerGroupTargetAssignmentMemberKey    group, memberId
            ConsumerGroupTargetAssignmentMemberValue  topicPartitions [topicId uuid,
                                                      partitions [int32]]
    type 8  ConsumerGroupCurrentMemberAssignmentKey   group, memberId
            ConsumerGroupCurrentMemberAssignmentValue memberEpoch int32,
                                                previousMemberEpoch int32, state int8
                                                (0 stable, 1 unrevoked, 2 unreleased),
                                                assignedPartitions, partitionsPendingRevocation
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeAlias

from kafkalite.protocol.errors import MalformedRequest
from kafkalite.protocol.primitives import read_uvarint, take, write_uvarint

from .group_records import GroupRecordError, _Reader, _Writer

__all__ = [
    "ClassicMemberMetadataValue",
    "ConsumerGroupKey",
    "ConsumerGroupRecordValue",
    "CurrentAssignmentValue",
    "GroupEpochValue",
    "MemberMetadataValue",
    "PartitionMetadataValue",
    "TargetAssignmentEpochValue",
    "TargetAssignmentValue",
    "decode_consumer_key",
    "decode_consumer_value",
    "encode_consumer_key",
    "encode_consumer_value",
]

GROUP_METADATA, PARTITION_METADATA, MEMBER_METADATA = 3, 4, 5
TARGET_ASSIGNMENT_METADATA, TARGET_ASSIGNMENT_MEMBER, CURRENT_MEMBER_ASSIGNMENT = 6, 7, 8
RECORD_TYPES = range(GROUP_METADATA, CURRENT_MEMBER_ASSIGNMENT + 1)
_PER_MEMBER = (MEMBER_METADATA, TARGET_ASSIGNMENT_MEMBER, CURRENT_MEMBER_ASSIGNMENT)

Partitions: TypeAlias = Mapping[uuid.UUID, frozenset[int]]


@dataclass(frozen=True, slots=True)
class ConsumerGroupKey:
    record_type: int
    group: str
    member_id: str | None = None  # types 5, 7 and 8


@dataclass(frozen=True, slots=True)
class GroupEpochValue:
    epoch: int


@dataclass(frozen=True, slots=True)
class PartitionMetadataValue:
    topics: tuple[tuple[uuid.UUID, str, int], ...]  # (topic id, name, partitions)


@dataclass(frozen=True, slots=True)
class ClassicMemberMetadataValue:
    """Present for a member that uses the classic protocol (online migration)."""

    session_timeout_ms: int
    supported_protocols: tuple[tuple[str, bytes], ...]  # (name, metadata)


@dataclass(frozen=True, slots=True, kw_only=True)
class MemberMetadataValue:
    instance_id: str | None = None
    rack_id: str | None = None
    client_id: str = ""
    client_host: str = ""
    subscribed_topic_names: tuple[str, ...] = ()
    subscribed_topic_regex: str | None = None
    rebalance_timeout_ms: int = -1
    server_assignor: str | None = None
    classic_member_metadata: ClassicMemberMetadataValue | None = None


@dataclass(frozen=True, slots=True)
class TargetAssignmentEpochValue:
    assignment_epoch: int


@dataclass(frozen=True, slots=True)
class TargetAssignmentValue:
    partitions: Partitions


@dataclass(frozen=True, slots=True, kw_only=True)
class CurrentAssignmentValue:
    member_epoch: int
    previous_member_epoch: int
    state: int
    assigned: Partitions
    pending_revocation: Partitions


ConsumerGroupRecordValue: TypeAlias = (
    GroupEpochValue | PartitionMetadataValue | MemberMetadataValue | TargetAssignmentEpochValue
    | TargetAssignmentValue | CurrentAssignmentValue
)


# -- writing ---------------------------------------------------------------------------


def encode_consumer_key(key: ConsumerGroupKey) -> bytes:
    writer = _Writer(key.record_type, flexible=False)
    writer.string(key.group)
    if key.record_type in _PER_MEMBER:
        writer.string(key.member_id or "")
    return bytes(writer.out)


def _write_partitions(writer: _Writer, partitions: Partitions) -> None:
    items = sorted((tid, sorted(parts)) for tid, parts in partitions.items() if parts)
    writer.count(len(items))
    for topic_id, parts in items:
        writer.out += topic_id.bytes
        writer.count(len(parts))
        for p in parts:
            writer.int32(p)
        writer.end_struct()


def encode_consumer_value(value: ConsumerGroupRecordValue) -> bytes:
    writer = _Writer(0, flexible=True)
    if isinstance(value, GroupEpochValue):
        writer.int32(value.epoch)
    elif isinstance(value, TargetAssignmentEpochValue):
        writer.int32(value.assignment_epoch)
    elif isinstance(value, PartitionMetadataValue):
        writer.count(len(value.topics))
        for topic_id, name, partitions in value.topics:
            writer.out += topic_id.bytes
            writer.string(name)
            writer.int32(partitions)
            writer.count(0)  # partitionMetadata: racks are not tracked (unused since 4.0)
            writer.end_struct()
    elif isinstance(value, MemberMetadataValue):
        writer.string(value.instance_id)
        writer.string(value.rack_id)
        writer.string(value.client_id)
        writer.string(value.client_host)
        writer.count(len(value.subscribed_topic_names))
        for name in value.subscribed_topic_names:
            writer.string(name)
        writer.string(value.subscribed_topic_regex)
        writer.int32(value.rebalance_timeout_ms)
        writer.string(value.server_assignor)
        if value.classic_member_metadata is not None:
            _write_classic_tag(writer, value.classic_member_metadata)
            return bytes(writer.out)
    elif isinstance(value, TargetAssignmentValue):
        _write_partitions(writer, value.partitions)
    else:
        writer.int32(value.member_epoch)
        writer.int32(value.previous_member_epoch)
        writer.out += value.state.to_bytes(1, "big", signed=True)
        _write_partitions(writer, value.assigned)
        _write_partitions(writer, value.pending_revocation)
    writer.end_struct()
    return bytes(writer.out)


_CLASSIC_MEMBER_METADATA_TAG = 0


def _write_classic_tag(writer: _Writer, classic: ClassicMemberMetadataValue) -> None:
    """The value's tagged fields: one, ClassicMemberMetadata (tag 0)."""
    body = _Writer(0, flexible=True)
    del body.out[:]  # no version prefix inside a struct
    body.out += b"\x01"  # a nullable struct: present
    body.int32(classic.session_timeout_ms)
    body.count(len(classic.supported_protocols))
    for name, metadata in classic.supported_protocols:
        body.string(name)
        body.bytes(metadata)
        body.end_struct()
    body.end_struct()
    write_uvarint(writer.out, 1)
    write_uvarint(writer.out, _CLASSIC_MEMBER_METADATA_TAG)
    write_uvarint(writer.out, len(body.out))
    writer.out += body.out


def _read_member_tags(reader: _Reader) -> ClassicMemberMetadataValue | None:
    classic = None
    tags, reader.pos = read_uvarint(reader.buf, reader.pos)
    for _ in range(tags):
        tag, reader.pos = read_uvarint(reader.buf, reader.pos)
        size, reader.pos = read_uvarint(reader.buf, reader.pos)
        end = reader.pos + size
        if tag != _CLASSIC_MEMBER_METADATA_TAG:
            _, reader.pos = take(reader.buf, reader.pos, size)
            continue
        if _int8(reader) >= 0:
            session_timeout_ms = reader.int32()
            protocols = []
            for _ in range(reader.count()):
                name = reader.string()
                protocols.append((name, reader.bytes()))
                reader.end_struct()
            reader.end_struct()
            classic = ClassicMemberMetadataValue(session_timeout_ms, tuple(protocols))
        if reader.pos != end:
            raise GroupRecordError("ClassicMemberMetadata does not fill its tagged field")
    return classic


# -- reading ---------------------------------------------------------------------------


def _uuid(reader: _Reader) -> uuid.UUID:
    data, reader.pos = take(reader.buf, reader.pos, 16)
    return uuid.UUID(bytes=bytes(data))


def _int8(reader: _Reader) -> int:
    data, reader.pos = take(reader.buf, reader.pos, 1)
    return int.from_bytes(data, "big", signed=True)


def _read_partitions(reader: _Reader) -> dict[uuid.UUID, frozenset[int]]:
    partitions: dict[uuid.UUID, frozenset[int]] = {}
    for _ in range(reader.count()):
        topic_id = _uuid(reader)
        partitions[topic_id] = frozenset(reader.int32() for _ in range(reader.count()))
        reader.end_struct()
    return partitions


def decode_consumer_key(record_type: int, data: bytes) -> ConsumerGroupKey:
    """The key of a record of type 3-8 (its first two bytes are ``record_type``)."""
    reader = _Reader(data)
    try:
        reader.int16()
        group = reader.string()
        member_id = reader.string() if record_type in _PER_MEMBER else None
        reader.done()
    except MalformedRequest as exc:
        raise GroupRecordError(str(exc)) from exc
    return ConsumerGroupKey(record_type, group, member_id)


def decode_consumer_value(key: ConsumerGroupKey, data: bytes) -> ConsumerGroupRecordValue:
    reader = _Reader(data)
    reader.flexible = True
    try:
        version = reader.int16()
        if version != 0:
            raise GroupRecordError(f"unknown value version {version} of record type {key.record_type}")
        value: ConsumerGroupRecordValue
        kind = key.record_type
        if kind == GROUP_METADATA:
            value = GroupEpochValue(reader.int32())
        elif kind == TARGET_ASSIGNMENT_METADATA:
            value = TargetAssignmentEpochValue(reader.int32())
        elif kind == PARTITION_METADATA:
            topics = []
            for _ in range(reader.count()):
                topic_id, name, count = _uuid(reader), reader.string(), reader.int32()
                for _ in range(reader.count()):
                    reader.int32()
                    for _ in range(reader.count()):
                        reader.string()
                    reader.end_struct()
                reader.end_struct()
                topics.append((topic_id, name, count))
            value = PartitionMetadataValue(tuple(topics))
        elif kind == MEMBER_METADATA:
            instance_id, rack_id = reader.nullable_string(), reader.nullable_string()
            client_id, client_host = reader.string(), reader.string()
            names = tuple(reader.string() for _ in range(reader.count()))
            regex, rebalance_timeout_ms = reader.nullable_string(), reader.int32()
            server_assignor = reader.nullable_string()
            value = MemberMetadataValue(
                instance_id=instance_id, rack_id=rack_id, client_id=client_id,
                client_host=client_host, subscribed_topic_names=names,
                subscribed_topic_regex=regex, rebalance_timeout_ms=rebalance_timeout_ms,
                server_assignor=server_assignor, classic_member_metadata=_read_member_tags(reader),
            )
            reader.done()
            return value
        elif kind == TARGET_ASSIGNMENT_MEMBER:
            value = TargetAssignmentValue(_read_partitions(reader))
        else:
            value = CurrentAssignmentValue(
                member_epoch=reader.int32(), previous_member_epoch=reader.int32(),
                state=_int8(reader), assigned=_read_partitions(reader),
                pending_revocation=_read_partitions(reader),
            )
        reader.end_struct()
        reader.done()
    except MalformedRequest as exc:
        raise GroupRecordError(str(exc)) from exc
    return value
