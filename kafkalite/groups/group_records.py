"""Kafka's key and value records of ``__consumer_offsets`` for classic groups.

Layouts from the group coordinator's schemas (``group-coordinator/src/main/resources/
common/message/*.json``), framed as ``CoordinatorRecordSerde`` frames them: a key is an
int16 *record type* (the key schema's version) and the key's fields; a value is an int16
value version and the value's fields; a null value is a tombstone.

    type 0, 1  OffsetCommitKey     group string, topic string, partition int32
               OffsetCommitValue   v0-v4: offset int64, leaderEpoch int32 (v3+),
                                   metadata string, commitTimestamp int64,
                                   expireTimestamp int64 (v1 only)
    type 2     GroupMetadataKey    group string
               GroupMetadataValue  v0-v4: protocolType string, generation int32,
                                   protocol string?, leader string?,
                                   currentStateTimestamp int64 (v2+), members array of
                                   memberId string, groupInstanceId string? (v3+),
                                   clientId string, clientHost string,
                                   rebalanceTimeout int32 (v1+), sessionTimeout int32,
                                   subscription bytes, assignment bytes
    type 3+    consumer and share group records (KIP-848, KIP-932): not decoded here

Keys are never flexible. Values v0-v3 use the classic forms (string: int16 length +
UTF-8, -1 for null; bytes: int32 length; array: int32 count); v4 is flexible (lengths and
counts as unsigned varint + 1, 0 for null, and tagged fields after every struct; unknown
tags are skipped). Fields a version lacks are all ignorable: encoding drops them.

Written as Kafka 2.3+ writes them (``GroupCoordinatorRecordHelpers`` with
``MetadataVersion.offsetCommitValueVersion``/``groupMetadataValueVersion``): offset
commits with key type 1 and value v3, groups with key type 2 and value v3. Every version
is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, TypeAlias

from kafkalite.protocol.errors import MalformedRequest
from kafkalite.protocol.primitives import (
    FIXED,
    read_length,
    read_uvarint,
    take,
    write_length,
    write_uvarint,
)

__all__ = [
    "GROUP_METADATA_KEY_TYPE",
    "GROUP_METADATA_VALUE_VERSION",
    "OFFSET_COMMIT_KEY_TYPE",
    "OFFSET_COMMIT_VALUE_VERSION",
    "GroupMetadataKey",
    "GroupMetadataValue",
    "GroupRecordError",
    "MemberMetadata",
    "OffsetCommitKey",
    "OffsetCommitValue",
    "RecordKey",
    "RecordValue",
    "UnknownRecordTypeError",
    "decode_key",
    "decode_value",
    "encode_key",
    "encode_value",
]

OFFSET_COMMIT_KEY_TYPE: Final = 1  # 0 was written before Kafka 0.10; both read alike
GROUP_METADATA_KEY_TYPE: Final = 2
OFFSET_COMMIT_VALUE_VERSION: Final = 3  # the highest non-flexible version
GROUP_METADATA_VALUE_VERSION: Final = 3
_MAX_VALUE_VERSION: Final = 4
_MAX_STRING_BYTES: Final = 0x7FFF  # Kafka's strings have int16 lengths in every version
_FIRST_FLEXIBLE: Final = 4


class GroupRecordError(ValueError):
    """A key or value that does not decode as its schema says."""


class UnknownRecordTypeError(GroupRecordError):
    """A key of a record type this broker does not keep (consumer or share groups)."""


@dataclass(frozen=True, slots=True)
class OffsetCommitKey:
    group: str
    topic: str
    partition: int


@dataclass(frozen=True, slots=True)
class GroupMetadataKey:
    group: str


@dataclass(frozen=True, slots=True, kw_only=True)
class OffsetCommitValue:
    offset: int
    leader_epoch: int = -1  # v3+
    metadata: str = ""
    commit_timestamp: int = -1
    expire_timestamp: int = -1  # v1 only


@dataclass(frozen=True, slots=True, kw_only=True)
class MemberMetadata:
    member_id: str
    group_instance_id: str | None = None  # v3+
    client_id: str = ""
    client_host: str = ""
    rebalance_timeout: int = -1  # v1+
    session_timeout: int = 0
    subscription: bytes = b""
    assignment: bytes = b""


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupMetadataValue:
    protocol_type: str = ""
    generation: int = 0
    protocol: str | None = None
    leader: str | None = None
    current_state_timestamp: int = -1  # v2+
    members: tuple[MemberMetadata, ...] = ()


RecordKey: TypeAlias = OffsetCommitKey | GroupMetadataKey
RecordValue: TypeAlias = OffsetCommitValue | GroupMetadataValue

_R16, _W16, _ = FIXED["int16"]
_R32, _W32, _ = FIXED["int32"]
_R64, _W64, _ = FIXED["int64"]


# -- writing ---------------------------------------------------------------------------


class _Writer:
    def __init__(self, version: int, *, flexible: bool) -> None:
        self.out = bytearray()
        self.flexible = flexible
        _W16(self.out, version)

    def int32(self, value: int) -> None:
        _W32(self.out, value)

    def int64(self, value: int) -> None:
        _W64(self.out, value)

    def string(self, value: str | None) -> None:
        if value is None:
            write_length(self.out, -1, self.flexible, wide=False)
            return
        data = value.encode()
        if len(data) > _MAX_STRING_BYTES:
            raise ValueError(f"a string of {len(data)} bytes exceeds {_MAX_STRING_BYTES}")
        write_length(self.out, len(data), self.flexible, wide=False)
        self.out += data

    def bytes(self, value: bytes) -> None:
        write_length(self.out, len(value), self.flexible, wide=True)
        self.out += value

    def count(self, value: int) -> None:
        write_length(self.out, value, self.flexible, wide=True)

    def end_struct(self) -> None:
        if self.flexible:
            write_uvarint(self.out, 0)  # no tagged fields


def encode_key(key: RecordKey) -> bytes:
    if isinstance(key, OffsetCommitKey):
        writer = _Writer(OFFSET_COMMIT_KEY_TYPE, flexible=False)
        writer.string(key.group)
        writer.string(key.topic)
        writer.int32(key.partition)
    else:
        writer = _Writer(GROUP_METADATA_KEY_TYPE, flexible=False)
        writer.string(key.group)
    return bytes(writer.out)


def encode_value(value: RecordValue, version: int | None = None) -> bytes:
    """``value`` at ``version`` (Kafka's choice by default); ``ValueError`` for a string
    longer than 32767 bytes."""
    if isinstance(value, OffsetCommitValue):
        version = OFFSET_COMMIT_VALUE_VERSION if version is None else version
        _check_version(version)
        writer = _Writer(version, flexible=version >= _FIRST_FLEXIBLE)
        writer.int64(value.offset)
        if version >= 3:
            writer.int32(value.leader_epoch)
        writer.string(value.metadata)
        writer.int64(value.commit_timestamp)
        if version == 1:
            writer.int64(value.expire_timestamp)
        writer.end_struct()
        return bytes(writer.out)
    version = GROUP_METADATA_VALUE_VERSION if version is None else version
    _check_version(version)
    writer = _Writer(version, flexible=version >= _FIRST_FLEXIBLE)
    writer.string(value.protocol_type)
    writer.int32(value.generation)
    writer.string(value.protocol)
    writer.string(value.leader)
    if version >= 2:
        writer.int64(value.current_state_timestamp)
    writer.count(len(value.members))
    for member in value.members:
        writer.string(member.member_id)
        if version >= 3:
            writer.string(member.group_instance_id)
        writer.string(member.client_id)
        writer.string(member.client_host)
        if version >= 1:
            writer.int32(member.rebalance_timeout)
        writer.int32(member.session_timeout)
        writer.bytes(member.subscription)
        writer.bytes(member.assignment)
        writer.end_struct()
    writer.end_struct()
    return bytes(writer.out)


def _check_version(version: int) -> None:
    if not 0 <= version <= _MAX_VALUE_VERSION:
        raise ValueError(f"no value version {version}; versions are 0-{_MAX_VALUE_VERSION}")


# -- reading ---------------------------------------------------------------------------


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.buf = memoryview(data)
        self.pos = 0
        self.flexible = False

    def int16(self) -> int:
        value, self.pos = _R16(self.buf, self.pos)
        return int(value)

    def int32(self) -> int:
        value, self.pos = _R32(self.buf, self.pos)
        return int(value)

    def int64(self) -> int:
        value, self.pos = _R64(self.buf, self.pos)
        return int(value)

    def nullable_string(self) -> str | None:
        length, self.pos = read_length(self.buf, self.pos, self.flexible, wide=False)
        if length < 0:
            return None
        data, self.pos = take(self.buf, self.pos, length)
        try:
            return str(data, "utf-8")
        except UnicodeDecodeError as exc:
            raise GroupRecordError(f"bad UTF-8 at byte {self.pos - length}") from exc

    def string(self) -> str:
        value = self.nullable_string()
        if value is None:
            raise GroupRecordError("null where the schema has a string")
        return value

    def bytes(self) -> bytes:
        length, self.pos = read_length(self.buf, self.pos, self.flexible, wide=True)
        if length < 0:
            raise GroupRecordError("null where the schema has bytes")
        data, self.pos = take(self.buf, self.pos, length)
        return bytes(data)

    def count(self) -> int:
        length, self.pos = read_length(self.buf, self.pos, self.flexible, wide=True)
        if length < 0:
            raise GroupRecordError("null where the schema has an array")
        if length > len(self.buf) - self.pos:  # each element takes at least one byte
            raise GroupRecordError(f"array of {length} elements in {len(self.buf)} bytes")
        return length

    def end_struct(self) -> None:
        if not self.flexible:
            return
        tags, self.pos = read_uvarint(self.buf, self.pos)
        for _ in range(tags):
            _, self.pos = read_uvarint(self.buf, self.pos)
            size, self.pos = read_uvarint(self.buf, self.pos)
            _, self.pos = take(self.buf, self.pos, size)

    def done(self) -> None:
        if self.pos != len(self.buf):
            raise GroupRecordError(f"{len(self.buf) - self.pos} bytes after the last field")


def decode_key(data: bytes) -> RecordKey:
    """The key of a ``__consumer_offsets`` record; ``UnknownRecordTypeError`` for the
    record types of other group kinds."""
    reader = _Reader(data)
    try:
        record_type = reader.int16()
        key: RecordKey
        if record_type in (0, 1):
            key = OffsetCommitKey(reader.string(), reader.string(), reader.int32())
        elif record_type == GROUP_METADATA_KEY_TYPE:
            key = GroupMetadataKey(reader.string())
        else:
            raise UnknownRecordTypeError(f"record type {record_type}")
        reader.done()
    except MalformedRequest as exc:
        raise GroupRecordError(str(exc)) from exc
    return key


def decode_value(key: RecordKey, data: bytes) -> RecordValue:
    """The (non-null) value belonging to ``key``, at whatever version it was written."""
    reader = _Reader(data)
    try:
        version = reader.int16()
        if not 0 <= version <= _MAX_VALUE_VERSION:
            raise GroupRecordError(f"unknown value version {version}")
        reader.flexible = version >= _FIRST_FLEXIBLE
        value = (
            _read_offset_commit(reader, version)
            if isinstance(key, OffsetCommitKey)
            else _read_group_metadata(reader, version)
        )
        reader.done()
    except MalformedRequest as exc:
        raise GroupRecordError(str(exc)) from exc
    return value


def _read_offset_commit(reader: _Reader, version: int) -> OffsetCommitValue:
    offset = reader.int64()
    leader_epoch = reader.int32() if version >= 3 else -1
    metadata = reader.string()
    commit_timestamp = reader.int64()
    expire_timestamp = reader.int64() if version == 1 else -1
    reader.end_struct()
    return OffsetCommitValue(
        offset=offset,
        leader_epoch=leader_epoch,
        metadata=metadata,
        commit_timestamp=commit_timestamp,
        expire_timestamp=expire_timestamp,
    )


def _read_group_metadata(reader: _Reader, version: int) -> GroupMetadataValue:
    protocol_type = reader.string()
    generation = reader.int32()
    protocol = reader.nullable_string()
    leader = reader.nullable_string()
    current_state_timestamp = reader.int64() if version >= 2 else -1
    members = []
    for _ in range(reader.count()):
        member_id = reader.string()
        group_instance_id = reader.nullable_string() if version >= 3 else None
        client_id = reader.string()
        client_host = reader.string()
        rebalance_timeout = reader.int32() if version >= 1 else -1
        session_timeout = reader.int32()
        subscription = reader.bytes()
        assignment = reader.bytes()
        reader.end_struct()
        members.append(
            MemberMetadata(
                member_id=member_id,
                group_instance_id=group_instance_id,
                client_id=client_id,
                client_host=client_host,
                rebalance_timeout=rebalance_timeout,
                session_timeout=session_timeout,
                subscription=subscription,
                assignment=assignment,
            )
        )
    reader.end_struct()
    return GroupMetadataValue(
        protocol_type=protocol_type,
        generation=generation,
        protocol=protocol,
        leader=leader,
        current_state_timestamp=current_state_timestamp,
        members=tuple(members),
    )
