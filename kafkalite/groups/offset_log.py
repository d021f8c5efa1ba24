"""The format of the offsets log kafkalite kept before `__consumer_offsets`: read only,
to migrate it (offsets.py). Nothing writes it any more.

Layout: `<data-dir>/__consumer_offsets/offsets.log`; `offsets.log.compacting` was a
compaction in progress.

Entry framing, big-endian (kfake `persist.go` style):

    length   uint32   bytes that follow: crc + version + payload
    crc      uint32   CRC-32C (Castagnoli) of version + payload
    version  uint8    payload format, 0
    payload           kind uint8, then that kind's fields

Payload v0 kinds; strings are int32 length + UTF-8, length -1 for null:

    0 OFFSET            group, topic, partition i32, offset i64, leader_epoch i32,
                        commit_timestamp_ms i64, metadata
    1 OFFSET_TOMBSTONE  group, topic, partition i32
    2 GROUP             group, protocol_type (nullable), generation_id i32
    3 GROUP_TOMBSTONE   group: forgets the group and all its offsets

`decode_log` reads entries until the first one that is short, has an impossible
length, a CRC mismatch or an undecodable payload, and reports where the valid prefix
ends. An entry with a valid CRC but an unknown version was written by a newer
kafkalite: `UnsupportedFormatError`, so nobody truncates it away.

`legacy_state` replays decoded entries into the state they describe: a GROUP_TOMBSTONE
forgot the group and all its offsets.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import TypeAlias

from kafkalite.protocol.crc import crc32c

from .api import CommittedOffset, TopicPartition
from .errors import OffsetStoreError

__all__ = [
    "FORMAT_VERSION",
    "LEGACY_DIRECTORY",
    "LEGACY_LOG",
    "MAX_ENTRY_BYTES",
    "Entry",
    "GroupEntry",
    "GroupRecord",
    "GroupTombstone",
    "OffsetEntry",
    "OffsetTombstone",
    "UnsupportedFormatError",
    "decode_log",
    "legacy_state",
]

LEGACY_DIRECTORY = "__consumer_offsets"
LEGACY_LOG = "offsets.log"
FORMAT_VERSION = 0
MAX_ENTRY_BYTES = 1 << 20


class UnsupportedFormatError(OffsetStoreError):
    """A whole, checksummed entry in a format version this kafkalite cannot read."""


@dataclass(frozen=True, slots=True)
class GroupRecord:
    protocol_type: str | None
    generation_id: int


@dataclass(frozen=True, slots=True)
class OffsetEntry:
    group_id: str
    partition: TopicPartition
    committed: CommittedOffset


@dataclass(frozen=True, slots=True)
class OffsetTombstone:
    group_id: str
    partition: TopicPartition


@dataclass(frozen=True, slots=True)
class GroupEntry:
    group_id: str
    record: GroupRecord


@dataclass(frozen=True, slots=True)
class GroupTombstone:
    group_id: str


Entry: TypeAlias = OffsetEntry | OffsetTombstone | GroupEntry | GroupTombstone

_PREFIX = struct.Struct(">II")  # length, crc
_I32 = struct.Struct(">i")
_OFFSET_FIELDS = struct.Struct(">iqiq")  # partition, offset, leader_epoch, timestamp

_OFFSET, _OFFSET_TOMBSTONE, _GROUP, _GROUP_TOMBSTONE = range(4)


class _Corrupt(Exception):
    pass


class _Reader:
    def __init__(self, data: memoryview) -> None:
        self._data = data
        self._pos = 0

    def take(self, size: int) -> memoryview:
        if size < 0 or self._pos + size > len(self._data):
            raise _Corrupt("field runs past the entry")
        chunk = self._data[self._pos : self._pos + size]
        self._pos += size
        return chunk

    def unpack(self, fmt: struct.Struct) -> tuple[int, ...]:
        return fmt.unpack(self.take(fmt.size))

    def string(self) -> str | None:
        (size,) = self.unpack(_I32)
        if size == -1:
            return None
        try:
            return str(self.take(size), "utf-8")
        except UnicodeDecodeError as exc:
            raise _Corrupt("bad UTF-8") from exc

    def required_string(self) -> str:
        value = self.string()
        if value is None:
            raise _Corrupt("null where a string is required")
        return value

    def done(self) -> None:
        if self._pos != len(self._data):
            raise _Corrupt("trailing bytes")


def _decode_payload(payload: memoryview) -> Entry:
    reader = _Reader(payload)
    (kind,) = reader.take(1)
    group_id = reader.required_string()
    entry: Entry
    if kind == _OFFSET:
        topic = reader.required_string()
        partition, offset, leader_epoch, timestamp = reader.unpack(_OFFSET_FIELDS)
        metadata = reader.string() or ""
        entry = OffsetEntry(
            group_id,
            TopicPartition(topic, partition),
            CommittedOffset(offset, leader_epoch, metadata, timestamp),
        )
    elif kind == _OFFSET_TOMBSTONE:
        topic = reader.required_string()
        (partition,) = reader.unpack(_I32)
        entry = OffsetTombstone(group_id, TopicPartition(topic, partition))
    elif kind == _GROUP:
        protocol_type = reader.string()
        (generation_id,) = reader.unpack(_I32)
        entry = GroupEntry(group_id, GroupRecord(protocol_type, generation_id))
    elif kind == _GROUP_TOMBSTONE:
        entry = GroupTombstone(group_id)
    else:
        raise _Corrupt(f"unknown entry kind {kind}")
    reader.done()
    return entry


def decode_log(data: bytes) -> tuple[list[Entry], int, str | None]:
    """Decode whole entries from the start; returns (entries, valid length, why it stopped)."""
    view = memoryview(data)
    entries: list[Entry] = []
    pos = 0
    while pos < len(data):
        if len(data) - pos < _PREFIX.size:
            return entries, pos, "short entry header"
        length, crc = _PREFIX.unpack_from(data, pos)
        if length < 5 or length > MAX_ENTRY_BYTES:
            return entries, pos, f"impossible entry length {length}"
        end = pos + 4 + length
        if end > len(data):
            return entries, pos, "short entry"
        body = view[pos + _PREFIX.size : end]
        if crc32c(body) != crc:
            return entries, pos, "CRC mismatch"
        if body[0] != FORMAT_VERSION:
            raise UnsupportedFormatError(
                f"entry at byte {pos} has format version {body[0]}, newer than this kafkalite"
            )
        try:
            entries.append(_decode_payload(body[1:]))
        except _Corrupt as exc:
            return entries, pos, f"undecodable entry ({exc})"
        pos = end
    return entries, pos, None


def legacy_state(
    entries: list[Entry],
) -> tuple[dict[str, dict[TopicPartition, CommittedOffset]], dict[str, GroupRecord]]:
    """The offsets and group records that `entries`, replayed in order, leave behind."""
    offsets: dict[str, dict[TopicPartition, CommittedOffset]] = {}
    groups: dict[str, GroupRecord] = {}
    for entry in entries:
        if isinstance(entry, OffsetEntry):
            offsets.setdefault(entry.group_id, {})[entry.partition] = entry.committed
        elif isinstance(entry, OffsetTombstone):
            offsets.get(entry.group_id, {}).pop(entry.partition, None)
        elif isinstance(entry, GroupEntry):
            groups[entry.group_id] = entry.record
        else:
            offsets.pop(entry.group_id, None)
            groups.pop(entry.group_id, None)
    return {group: stored for group, stored in offsets.items() if stored}, groups
