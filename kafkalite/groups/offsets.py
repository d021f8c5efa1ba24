"""Committed offsets on disk: one append-only log, compacted by rewriting it.

Layout: `<data-dir>/__consumer_offsets/offsets.log`, in the entry format of
`offset_log.py`. The directory name cannot be mistaken for a `<topic>-<partition>`
log directory (its suffix is not a number). `offsets.log.compacting` is a compaction
in progress; a leftover one is deleted at open.

GROUP entries keep a group's protocol type and generation across restarts, so
ListGroups and DescribeGroups still show it (Empty); members are not persisted,
clients rejoin.

Recovery: `open()` replays the valid prefix of the log and truncates the file where it
ends, so a torn last write is dropped and the entries before it never are.

Writes: each batch (one OffsetCommit, one deletion) is framed and handed to the kernel
with a single `os.write`; memory changes only after the write succeeded, and a failed
write is truncated away so later entries never follow a torn one. Durability: with
`fsync_on_write=False` (the default, like Kafka's) a write survives a process crash
but not a machine crash until `flush()`, `compact()` or `close()` fsyncs;
`fsync_on_write=True` fsyncs every batch before it is acknowledged.

Compaction: once the file reaches `compact_threshold_bytes` and twice its size after the
previous compaction, the live state is written to `offsets.log.compacting`, fsynced,
renamed over `offsets.log`, and the directory is fsynced. It runs on the caller's
thread; the live state of a broker's groups is small.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from .api import CommittedOffset, TopicPartition
from .offset_log import (
    Entry,
    GroupEntry,
    GroupRecord,
    GroupTombstone,
    OffsetEntry,
    OffsetStoreError,
    OffsetTombstone,
    decode_log,
    encode_entry,
)

__all__ = ["DIRECTORY_NAME", "LOG_NAME", "OffsetStore"]

log = logging.getLogger(__name__)

DIRECTORY_NAME = "__consumer_offsets"
LOG_NAME = "offsets.log"
_COMPACTING_SUFFIX = ".compacting"


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


# -- the store -----------------------------------------------------------------------


class OffsetStore:
    """Committed offsets by group, mirrored in memory and appended to `offsets.log`."""

    def __init__(
        self,
        directory: Path,
        *,
        fsync_on_write: bool = False,
        compact_threshold_bytes: int = 16 << 20,
    ) -> None:
        self.directory = Path(directory)
        self.path = self.directory / LOG_NAME
        self._fsync_on_write = fsync_on_write
        self._compact_threshold = compact_threshold_bytes
        self._offsets: dict[str, dict[TopicPartition, CommittedOffset]] = {}
        self._groups: dict[str, GroupRecord] = {}
        self._fd: int | None = None
        self._size = 0
        self._compacted_size = 0
        self._dirty = False

    # -- lifecycle -----------------------------------------------------------------

    def open(self) -> None:
        """Load the log, dropping a torn tail, and open it for appending."""
        self.directory.mkdir(parents=True, exist_ok=True)
        Path(str(self.path) + _COMPACTING_SUFFIX).unlink(missing_ok=True)
        created = not self.path.exists()
        data = b"" if created else self.path.read_bytes()
        entries, valid, problem = decode_log(data)
        for entry in entries:
            self._apply(entry)
        if problem is not None:
            log.warning(
                "%s: %s at byte %d, truncating %d bytes",
                self.path,
                problem,
                valid,
                len(data) - valid,
            )
            os.truncate(self.path, valid)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        if created:
            _fsync_directory(self.directory)
        self._size = valid
        self._compacted_size = 0

    def flush(self) -> None:
        """fsync what was written so far."""
        if self._fd is not None and self._dirty:
            os.fsync(self._fd)
            self._dirty = False

    def close(self) -> None:
        if self._fd is None:
            return
        try:
            self.flush()
        finally:
            os.close(self._fd)
            self._fd = None

    # -- reads ---------------------------------------------------------------------

    def committed(self, group_id: str) -> Mapping[TopicPartition, CommittedOffset]:
        return self._offsets.get(group_id, {})

    def get(self, group_id: str, partition: TopicPartition) -> CommittedOffset | None:
        return self._offsets.get(group_id, {}).get(partition)

    def has_offsets(self, group_id: str) -> bool:
        return bool(self._offsets.get(group_id))

    def group_record(self, group_id: str) -> GroupRecord | None:
        return self._groups.get(group_id)

    def group_ids(self) -> set[str]:
        """Every group with offsets or a group record."""
        return set(self._offsets) | set(self._groups)

    @property
    def size_bytes(self) -> int:
        return self._size

    # -- writes --------------------------------------------------------------------

    def commit(
        self, group_id: str, offsets: Iterable[tuple[TopicPartition, CommittedOffset]]
    ) -> None:
        self._append([OffsetEntry(group_id, tp, committed) for tp, committed in offsets])

    def delete_offsets(self, group_id: str, partitions: Iterable[TopicPartition]) -> None:
        stored = self._offsets.get(group_id, {})
        self._append([OffsetTombstone(group_id, tp) for tp in partitions if tp in stored])

    def put_group(self, group_id: str, protocol_type: str | None, generation_id: int) -> None:
        record = GroupRecord(protocol_type, generation_id)
        if self._groups.get(group_id) != record:
            self._append([GroupEntry(group_id, record)])

    def delete_group(self, group_id: str) -> None:
        if group_id in self._offsets or group_id in self._groups:
            self._append([GroupTombstone(group_id)])

    def delete_topic(self, topic: str) -> set[str]:
        """Drop every group's offsets of `topic`; returns the groups that had some."""
        tombstones = [
            OffsetTombstone(group_id, tp)
            for group_id, offsets in self._offsets.items()
            for tp in offsets
            if tp.topic == topic
        ]
        self._append(tombstones)
        return {tombstone.group_id for tombstone in tombstones}

    def compact(self) -> None:
        """Rewrite the log as the live state only (atomic rename, fsynced)."""
        fd = self._require_open()
        data = b"".join(encode_entry(entry) for entry in self._live_entries())
        temporary = Path(str(self.path) + _COMPACTING_SUFFIX)
        try:
            tmp_fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            try:
                _write_all(tmp_fd, data)
                os.fsync(tmp_fd)
            finally:
                os.close(tmp_fd)
            os.replace(temporary, self.path)
        except OSError:
            temporary.unlink(missing_ok=True)
            raise
        # From here on the old descriptor points at an unlinked file: swap it at once.
        self._fd = None
        os.close(fd)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
        log.info("%s: compacted %d bytes to %d", self.path, self._size, len(data))
        self._size = self._compacted_size = len(data)
        self._dirty = False
        _fsync_directory(self.directory)

    # -- internals -----------------------------------------------------------------

    def _require_open(self) -> int:
        if self._fd is None:
            raise OffsetStoreError(f"{self.path} is not open")
        return self._fd

    def _append(self, entries: Sequence[Entry]) -> None:
        if not entries:
            return
        data = b"".join(encode_entry(entry) for entry in entries)
        fd = self._require_open()
        try:
            _write_all(fd, data)
            if self._fsync_on_write:
                os.fsync(fd)
        except OSError as exc:
            try:
                os.ftruncate(fd, self._size)
            except OSError:
                os.close(fd)  # cannot undo a torn write: refuse all further writes
                self._fd = None
                log.exception("%s: cannot truncate a failed write, closing the store", self.path)
            raise OffsetStoreError(f"cannot write {self.path}: {exc}") from exc
        self._size += len(data)
        self._dirty = not self._fsync_on_write
        for entry in entries:
            self._apply(entry)
        if self._size >= max(self._compact_threshold, 2 * self._compacted_size):
            try:
                self.compact()
            except OSError:
                log.exception("%s: compaction failed, will retry on a later write", self.path)
                self._compacted_size = self._size

    def _apply(self, entry: Entry) -> None:
        if isinstance(entry, OffsetEntry):
            self._offsets.setdefault(entry.group_id, {})[entry.partition] = entry.committed
        elif isinstance(entry, OffsetTombstone):
            offsets = self._offsets.get(entry.group_id)
            if offsets is not None:
                offsets.pop(entry.partition, None)
                if not offsets:
                    del self._offsets[entry.group_id]
        elif isinstance(entry, GroupEntry):
            self._groups[entry.group_id] = entry.record
        else:
            self._offsets.pop(entry.group_id, None)
            self._groups.pop(entry.group_id, None)

    def _live_entries(self) -> Iterator[Entry]:
        for group_id in sorted(self.group_ids()):
            record = self._groups.get(group_id)
            if record is not None:
                yield GroupEntry(group_id, record)
            for tp, committed in sorted(self._offsets.get(group_id, {}).items()):
                yield OffsetEntry(group_id, tp, committed)
