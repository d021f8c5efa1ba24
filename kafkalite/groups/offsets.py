"""Committed offsets and group metadata, kept in the `__consumer_offsets` topic.

The records are Kafka's (group_records.py), so any Kafka client or tool reads them. All
records of a group go to partition `partition_for(group_id, partitions)`, the partition
whose leader coordinates the group in Kafka, so they stay in order.

The topic is created on the first write (a commit, a group's generation, staged
transactional offsets), with `num_partitions` partitions (`offsets.topic.num.partitions`,
Kafka's default 50) and `INTERNAL_TOPIC_CONFIGS` (compacted); an existing topic keeps its
partition count. A broker nobody uses for groups never creates it.

`open()` replays every partition from its log start, then migrates the log of older
kafkalite versions (below). Memory mirrors the replayed state.

Writes: an operation appends one batch to each partition it touches (a page-cache write)
before memory changes, so the caller answers only after its records are in the log: an
acknowledged commit survives a killed process; after a machine crash, what survives is up
to the topic's flush policy, as for any topic. A failed append raises `OffsetStoreError`
and changes nothing.

Transactions (KIP-98, TxnOffsetCommit): `stage_txn_offsets` appends the offsets as a
transactional batch of the producer; they stay pending, invisible to reads, until the
transaction coordinator, having written its marker into the partition, calls
`complete_txn(producer_id, commit)`. A pending offset does not replace a plain commit of
the same partition appended after it: the later record wins (Kafka's
`OffsetMetadataManager.replayEndTransactionMarker`). Replay does the same with the
markers: a control batch (attributes bit 5) whose key is version int16 + type int16
(0 abort, 1 commit) ends its producer's pending offsets in that partition, and offsets
without a marker yet stay pending.

Migration: `<data-dir>/__consumer_offsets/offsets.log` (offset_log.py) is read once, its
state written into the topic and fsynced, then the file is renamed `offsets.log.migrated`
so it is never read again.

Consumer groups (KIP-848) keep their records (consumer_group_records.py) here too: the
latest value of each key is replayed and handed to the coordinator at start. Offset expiry
(`offsets.retention.minutes`) is decided in offset_expiry.py and written here as tombstones
(`delete_offsets`).

Not implemented: share group records (KIP-932) are skipped at replay.
"""

from __future__ import annotations

import logging
import os
import struct
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final, TypeAlias

from kafkalite.internal_topics import (
    INTERNAL_TOPIC_CONFIGS,
    OFFSETS_TOPIC,
    LoggedBatch,
    append_records,
    partition_for,
    scan,
)
from kafkalite.storage.checkpoint import fsync_directory
from kafkalite.storage.errors import StorageError

from .api import CommittedOffset, TopicPartition
from .consumer_group_records import (
    RECORD_TYPES as CONSUMER_RECORD_TYPES,
)
from .consumer_group_records import (
    ConsumerGroupKey,
    ConsumerGroupRecordValue,
    decode_consumer_key,
    decode_consumer_value,
    encode_consumer_key,
    encode_consumer_value,
)
from .errors import EntryTooLargeError, OffsetStoreError
from .group_records import (
    GroupMetadataKey,
    GroupMetadataValue,
    GroupRecordError,
    OffsetCommitKey,
    OffsetCommitValue,
    RecordKey,
    RecordValue,
    UnknownRecordTypeError,
    decode_key,
    decode_value,
    encode_key,
    encode_value,
)
from .offset_log import LEGACY_DIRECTORY, LEGACY_LOG, decode_log, legacy_state

if TYPE_CHECKING:
    from kafkalite.storage.log import PartitionLog
    from kafkalite.storage.manager import LogManager

__all__ = ["DEFAULT_NUM_PARTITIONS", "OffsetStore"]

log = logging.getLogger(__name__)

DEFAULT_NUM_PARTITIONS: Final = 50  # offsets.topic.num.partitions
_MARKER_KEY = struct.Struct(">hh")  # control record key: version, type
_ABORT, _COMMIT = 0, 1
# A record's framing beyond its key and value, at most: length, attributes, timestamp
# and offset deltas, key and value lengths, header count (record_codec.py).
_RECORD_OVERHEAD = 23
_BATCH_OVERHEAD = 61
_SEQUENCE_MOD = 1 << 31

Write: TypeAlias = (
    tuple[RecordKey, RecordValue | None] | tuple[ConsumerGroupKey, ConsumerGroupRecordValue | None]
)
# producer id -> group -> partition -> (offset of its record, the offset)
_Pending: TypeAlias = dict[int, dict[str, dict[TopicPartition, tuple[int, CommittedOffset]]]]


def _real_clock_ms() -> int:
    return time.time_ns() // 1_000_000


def _committed(value: OffsetCommitValue) -> CommittedOffset:
    return CommittedOffset(value.offset, value.leader_epoch, value.metadata, value.commit_timestamp)


def _offset_record(
    group_id: str, tp: TopicPartition, committed: CommittedOffset
) -> tuple[RecordKey, RecordValue | None]:
    return OffsetCommitKey(group_id, tp.topic, tp.partition), OffsetCommitValue(
        offset=committed.offset,
        leader_epoch=committed.leader_epoch,
        metadata=committed.metadata,
        commit_timestamp=committed.commit_timestamp_ms,
    )


class OffsetStore:
    """Offsets and group metadata by group, mirrored in memory, stored in the topic."""

    def __init__(
        self,
        logs: LogManager,
        *,
        num_partitions: int = DEFAULT_NUM_PARTITIONS,
        clock_ms: Callable[[], int] = _real_clock_ms,
    ) -> None:
        """`clock_ms` stamps the appended batches (not the commits: callers do that)."""
        if num_partitions < 1:
            raise ValueError(f"offsets.topic.num.partitions must be positive: {num_partitions}")
        self._logs = logs
        self._num_partitions = num_partitions
        self._clock_ms = clock_ms
        self._offsets: dict[str, dict[TopicPartition, CommittedOffset]] = {}
        self._record_offsets: dict[str, dict[TopicPartition, int]] = {}
        self._groups: dict[str, GroupMetadataValue] = {}
        self._consumer_groups: dict[str, dict[ConsumerGroupKey, ConsumerGroupRecordValue]] = {}
        self._pending: _Pending = {}

    # -- start-up ------------------------------------------------------------------

    def open(self) -> None:
        """Replay the topic, if it exists, then migrate the legacy log, if there is one."""
        info = self._logs.get_topic(OFFSETS_TOPIC)
        if info is not None:
            for partition_log in info.partitions:
                for batch in scan(partition_log):
                    self._replay(batch, partition_log.partition)
            log.info(
                "%s: %d groups loaded from %d partitions",
                OFFSETS_TOPIC,
                len(self.group_ids()),
                len(info.partitions),
            )
        self._migrate_legacy_log()

    def _replay(self, batch: LoggedBatch, partition: int) -> None:
        header = batch.header
        if header.is_control:
            marker_key = batch.records[0].key if batch.records else None
            if (
                header.producer_id >= 0
                and marker_key is not None
                and len(marker_key) >= _MARKER_KEY.size
            ):
                _, marker = _MARKER_KEY.unpack_from(marker_key)
                if marker in (_ABORT, _COMMIT):
                    self._end_txn(header.producer_id, marker == _COMMIT, partition)
            return
        for record in batch.records:
            if record.key is None:
                continue
            try:
                key = decode_key(record.key)
                value = None if record.value is None else decode_value(key, record.value)
            except UnknownRecordTypeError:
                self._replay_consumer_group_record(record.key, record.value, partition, record.offset)
                continue
            except GroupRecordError as exc:
                log.warning(
                    "%s-%d: skipping the record at offset %d: %s",
                    OFFSETS_TOPIC,
                    partition,
                    record.offset,
                    exc,
                )
                continue
            if header.is_transactional:
                self._stage(header.producer_id, key, value, record.offset)
            else:
                self._apply(key, value, record.offset)

    def _replay_consumer_group_record(
        self, key_data: bytes, value_data: bytes | None, partition: int, offset: int
    ) -> None:
        record_type = int.from_bytes(key_data[:2], "big", signed=True)
        if record_type not in CONSUMER_RECORD_TYPES:
            return  # a share or streams group's record
        try:
            key = decode_consumer_key(record_type, key_data)
            value = None if value_data is None else decode_consumer_value(key, value_data)
        except GroupRecordError as exc:
            log.warning("%s-%d: skipping the record at offset %d: %s", OFFSETS_TOPIC, partition, offset, exc)
            return
        self._apply(key, value, offset)

    def _migrate_legacy_log(self) -> None:
        directory = self._logs.data_dir / LEGACY_DIRECTORY
        path = directory / LEGACY_LOG
        if not path.exists():
            return
        Path(f"{path}.compacting").unlink(missing_ok=True)
        data = path.read_bytes()
        entries, valid, problem = decode_log(data)  # a newer format refuses to start
        if problem is not None:
            log.warning("%s: %s at byte %d, ignoring the rest", path, problem, valid)
        offsets, groups = legacy_state(entries)
        touched: dict[int, PartitionLog] = {}
        for group_id in sorted(set(offsets) | set(groups)):
            writes: list[Write] = []
            record = groups.get(group_id)
            if record is not None:
                value = GroupMetadataValue(
                    protocol_type=record.protocol_type or "", generation=record.generation_id
                )
                writes.append((GroupMetadataKey(group_id), value))
            stored = offsets.get(group_id, {})
            writes.extend(_offset_record(group_id, tp, stored[tp]) for tp in sorted(stored))
            partition_log = self._append(group_id, writes)
            touched[partition_log.partition] = partition_log
        try:
            for partition_log in touched.values():
                partition_log.flush_future(partition_log.log_end_offset).result()
        except StorageError as exc:
            raise OffsetStoreError(f"cannot make the migrated offsets durable: {exc}") from exc
        os.replace(path, path.with_name(f"{LEGACY_LOG}.migrated"))
        fsync_directory(directory)
        log.info(
            "%s: migrated %d groups into %s; the file is now %s.migrated",
            path,
            len(set(offsets) | set(groups)),
            OFFSETS_TOPIC,
            LEGACY_LOG,
        )

    # -- reads ---------------------------------------------------------------------

    def committed(self, group_id: str) -> Mapping[TopicPartition, CommittedOffset]:
        return self._offsets.get(group_id, {})

    def get(self, group_id: str, partition: TopicPartition) -> CommittedOffset | None:
        return self._offsets.get(group_id, {}).get(partition)

    def has_offsets(self, group_id: str) -> bool:
        return bool(self._offsets.get(group_id))

    def group_metadata(self, group_id: str) -> GroupMetadataValue | None:
        return self._groups.get(group_id)

    def group_ids(self) -> set[str]:
        """Every group with offsets or group metadata."""
        return set(self._offsets) | set(self._groups)

    def consumer_group_records(self, group_id: str) -> Mapping[ConsumerGroupKey, ConsumerGroupRecordValue]:
        """The latest record of each key of a consumer group (KIP-848)."""
        return self._consumer_groups.get(group_id, {})

    def consumer_group_ids(self) -> set[str]:
        return set(self._consumer_groups)

    def has_pending(self, group_id: str, topic: str, partition: int) -> bool:
        """Whether an open transaction staged an offset for this partition (OffsetFetch
        with require_stable answers UNSTABLE_OFFSET_COMMIT then)."""
        tp = TopicPartition(topic, partition)
        return any(tp in groups.get(group_id, {}) for groups in self._pending.values())

    def pending_groups(self) -> list[set[str]]:
        """For each producer with staged offsets, the groups it staged them for."""
        return [set(groups) for groups in self._pending.values()]

    # -- writes --------------------------------------------------------------------

    def commit(
        self, group_id: str, offsets: Iterable[tuple[TopicPartition, CommittedOffset]]
    ) -> None:
        self._write(group_id, [_offset_record(group_id, tp, c) for tp, c in offsets])

    def delete_offsets(self, group_id: str, partitions: Iterable[TopicPartition]) -> None:
        stored = self._offsets.get(group_id, {})
        self._write(group_id, [self._tombstone(group_id, tp) for tp in partitions if tp in stored])

    def put_group(self, group_id: str, metadata: GroupMetadataValue) -> None:
        self._write(group_id, [(GroupMetadataKey(group_id), metadata)])

    def delete_group_metadata(self, group_id: str) -> None:
        """A tombstone for a classic group's metadata alone (it became a consumer group)."""
        if group_id in self._groups:
            self._write(group_id, [(GroupMetadataKey(group_id), None)])

    def write_consumer_group(
        self, group_id: str, writes: Sequence[tuple[ConsumerGroupKey, ConsumerGroupRecordValue | None]]
    ) -> None:
        self._write(group_id, writes)

    def delete_consumer_group(self, group_id: str) -> None:
        """Tombstones for a consumer group's records (members first); offsets stay."""
        keys = sorted(self._consumer_groups.get(group_id, {}), key=lambda k: -k.record_type)
        self._write(group_id, [(key, None) for key in keys])

    def delete_group(self, group_id: str) -> None:
        """Tombstones for every offset of the group and for its metadata."""
        writes: list[Write] = [self._tombstone(group_id, tp) for tp in sorted(self._offsets.get(group_id, {}))]
        keys = sorted(self._consumer_groups.get(group_id, {}), key=lambda k: -k.record_type)
        writes.extend((key, None) for key in keys)
        writes.append((GroupMetadataKey(group_id), None))
        self._write(group_id, writes)

    def delete_topic(self, topic: str) -> set[str]:
        """Drop every group's offsets of `topic`; returns the groups that had some."""
        groups = set()
        for group_id, offsets in list(self._offsets.items()):
            doomed = [self._tombstone(group_id, tp) for tp in sorted(offsets) if tp.topic == topic]
            if doomed:
                self._write(group_id, doomed)
                groups.add(group_id)
        return groups

    # -- transactions --------------------------------------------------------------

    def stage_txn_offsets(
        self,
        group_id: str,
        producer_id: int,
        producer_epoch: int,
        offsets: Iterable[tuple[TopicPartition, CommittedOffset]],
    ) -> None:
        """Append offsets to the producer's open transaction; pending until
        `complete_txn`. A fenced epoch raises `OffsetStoreError` whose cause is the
        storage's `InvalidProducerEpochError`."""
        writes = [_offset_record(group_id, tp, c) for tp, c in offsets]
        if not writes:
            return
        partition_log = self._partition_log(group_id)
        entry = partition_log.producer_state.producers.get(producer_id)
        # Sequences only satisfy the log's idempotence checks: each transactional batch
        # continues the producer's sequence in this partition, a new epoch starts at 0.
        sequence = 0
        if entry is not None and entry.producer_epoch == producer_epoch:
            sequence = (entry.last_seq + 1) % _SEQUENCE_MOD
        base = self._append_to(
            partition_log,
            writes,
            producer_id=producer_id,
            producer_epoch=producer_epoch,
            base_sequence=sequence,
        )
        for i, (key, value) in enumerate(writes):
            self._stage(producer_id, key, value, base + i)

    def complete_txn(self, producer_id: int, commit: bool) -> None:
        """Apply (commit) or drop (abort) the producer's pending offsets in every group,
        once the marker is in the log."""
        self._end_txn(producer_id, commit, None)

    def _stage(
        self, producer_id: int, key: RecordKey, value: RecordValue | None, record_offset: int
    ) -> None:
        if isinstance(key, OffsetCommitKey) and isinstance(value, OffsetCommitValue):
            by_group = self._pending.setdefault(producer_id, {})
            tp = TopicPartition(key.topic, key.partition)
            by_group.setdefault(key.group, {})[tp] = (record_offset, _committed(value))

    def _end_txn(self, producer_id: int, commit: bool, partition: int | None) -> None:
        """End the producer's transaction in one partition of the topic (replay of a
        marker) or in all of them."""
        by_group = self._pending.get(producer_id)
        if by_group is None:
            return
        for group_id in list(by_group):
            if partition is not None and self._partition_number(group_id) != partition:
                continue
            staged = by_group.pop(group_id)
            if not commit:
                continue
            for tp, (record_offset, committed) in staged.items():
                if self._record_offsets.get(group_id, {}).get(tp, -1) < record_offset:
                    self._offsets.setdefault(group_id, {})[tp] = committed
                    self._record_offsets.setdefault(group_id, {})[tp] = record_offset
        if not by_group:
            del self._pending[producer_id]

    # -- internals -----------------------------------------------------------------

    @staticmethod
    def _tombstone(group_id: str, tp: TopicPartition) -> Write:
        return OffsetCommitKey(group_id, tp.topic, tp.partition), None

    def _partition_number(self, group_id: str) -> int:
        info = self._logs.get_topic(OFFSETS_TOPIC)
        partitions = len(info.partitions) if info is not None else self._num_partitions
        return partition_for(group_id, partitions)

    def _partition_log(self, group_id: str) -> PartitionLog:
        """The group's partition, creating the topic on first use."""
        info = self._logs.get_topic(OFFSETS_TOPIC)
        if info is None:
            try:
                info = self._logs.create_topic(
                    OFFSETS_TOPIC, self._num_partitions, configs=dict(INTERNAL_TOPIC_CONFIGS)
                )
            except (StorageError, OSError) as exc:
                raise OffsetStoreError(f"cannot create {OFFSETS_TOPIC}: {exc}") from exc
            log.info("created %s with %d partitions", OFFSETS_TOPIC, self._num_partitions)
        return info.partitions[partition_for(group_id, len(info.partitions))]

    def _write(self, group_id: str, writes: Sequence[Write]) -> None:
        if writes:
            self._append(group_id, writes)

    def _append(self, group_id: str, writes: Sequence[Write]) -> PartitionLog:
        partition_log = self._partition_log(group_id)
        base = self._append_to(partition_log, writes)
        for i, (key, value) in enumerate(writes):
            self._apply(key, value, base + i)
        return partition_log

    def _append_to(
        self,
        partition_log: PartitionLog,
        writes: Sequence[Write],
        *,
        producer_id: int = -1,
        producer_epoch: int = -1,
        base_sequence: int = -1,
    ) -> int:
        """Append `writes` as one batch; returns the offset of the first record."""
        try:
            records = [
                (encode_consumer_key(key), None if value is None else encode_consumer_value(value))  # type: ignore[arg-type]
                if isinstance(key, ConsumerGroupKey)
                else (encode_key(key), None if value is None else encode_value(value))  # type: ignore[arg-type]
                for key, value in writes
            ]
        except ValueError as exc:  # a string over Kafka's 32767 bytes
            raise EntryTooLargeError(str(exc)) from exc
        size = _BATCH_OVERHEAD + sum(
            _RECORD_OVERHEAD + len(key) + len(value or b"") for key, value in records
        )
        limit = partition_log.config.max_message_bytes
        if size > limit:
            raise EntryTooLargeError(f"{len(records)} records of about {size} bytes exceed {limit}")
        try:
            result = append_records(
                partition_log,
                records,
                now_ms=self._clock_ms(),
                producer_id=producer_id,
                producer_epoch=producer_epoch,
                base_sequence=base_sequence,
                transactional=producer_id >= 0,
            )
        except (StorageError, OSError) as exc:
            raise OffsetStoreError(
                f"cannot append to {OFFSETS_TOPIC}-{partition_log.partition}: {exc}"
            ) from exc
        return result.base_offset

    def _apply(
        self,
        key: RecordKey | ConsumerGroupKey,
        value: RecordValue | ConsumerGroupRecordValue | None,
        record_offset: int,
    ) -> None:
        if isinstance(key, ConsumerGroupKey):
            records = self._consumer_groups.setdefault(key.group, {})
            if value is None:
                records.pop(key, None)
                if not records:
                    del self._consumer_groups[key.group]
            else:
                records[key] = value  # type: ignore[assignment]
            return
        if isinstance(key, GroupMetadataKey):
            if isinstance(value, GroupMetadataValue):
                self._groups[key.group] = value
            else:
                self._groups.pop(key.group, None)
            return
        tp = TopicPartition(key.topic, key.partition)
        if isinstance(value, OffsetCommitValue):
            self._offsets.setdefault(key.group, {})[tp] = _committed(value)
            self._record_offsets.setdefault(key.group, {})[tp] = record_offset
            return
        for table in (self._offsets, self._record_offsets):
            stored = table.get(key.group)
            if stored is not None:
                stored.pop(tp, None)
                if not stored:
                    del table[key.group]
