"""ShareStateStore: the durable state of share partitions (KIP-932) in
``__share_group_state``, as Kafka's share coordinator keeps it.

Each share partition (group, topic id, partition) has one key; every change of its state
(SPSO, acknowledged, archived, released records and their delivery counts) appends a
ShareSnapshot record (share_state_records.py), so the topic's compaction keeps the latest
one. The partition a key goes to is Kafka's: ``abs(hash("group:topicId:partition")) % N``
with the topic id in Kafka's base64 form (``SharePartitionKey.asCoordinatorKey``). The
topic is created on first write with ``share.coordinator.state.topic.num.partitions``
partitions, compacted.

``open()`` replays the topic: the last snapshot of each key, with any later ShareUpdate
records applied over it; a tombstone forgets the key. Records that cannot be read are
logged and skipped.
"""

from __future__ import annotations

import base64
import logging
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from kafkalite.internal_topics import (
    INTERNAL_TOPIC_CONFIGS,
    SHARE_GROUP_STATE_TOPIC,
    append_records,
    partition_for,
    scan,
)
from kafkalite.storage.errors import StorageError

from .errors import OffsetStoreError
from .share_partition import RecordState, SharePartition, StateBatch
from .share_state_records import (
    SHARE_SNAPSHOT,
    ShareStateError,
    ShareStateKey,
    ShareStateValue,
    decode_share_key,
    decode_share_value,
    encode_share_key,
    encode_share_value,
)

if TYPE_CHECKING:
    from kafkalite.storage.log import PartitionLog
    from kafkalite.storage.manager import LogManager

__all__ = ["ShareStateStore", "StateKey", "coordinator_key"]

log = logging.getLogger(__name__)

StateKey = tuple[str, uuid.UUID, int]
DEFAULT_NUM_PARTITIONS = 50  # share.coordinator.state.topic.num.partitions


def _wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


def coordinator_key(group_id: str, topic_id: uuid.UUID, partition: int) -> str:
    """Kafka's ``SharePartitionKey.asCoordinatorKey``: the topic id as Kafka prints a Uuid
    (URL-safe base64 without padding)."""
    printed = base64.urlsafe_b64encode(topic_id.bytes).decode().rstrip("=")
    return f"{group_id}:{printed}:{partition}"


class ShareStateStore:
    def __init__(
        self, logs: LogManager, *, num_partitions: int = DEFAULT_NUM_PARTITIONS,
        clock_ms: Callable[[], int] = _wall_clock_ms,
    ) -> None:
        self._logs = logs
        self._num_partitions = num_partitions
        self._clock_ms = clock_ms
        self._epochs: dict[StateKey, tuple[int, int]] = {}  # snapshot epoch, create time

    def open(self) -> dict[StateKey, ShareStateValue]:
        """The state of every share partition the topic holds."""
        info = self._logs.get_topic(SHARE_GROUP_STATE_TOPIC)
        states: dict[StateKey, ShareStateValue] = {}
        if info is None:
            return states
        for partition_log in info.partitions:
            for batch in scan(partition_log):
                if batch.header.is_control:
                    continue
                for record in batch.records:
                    if record.key is None:
                        continue
                    try:
                        key = decode_share_key(bytes(record.key))
                        state_key = (key.group_id, key.topic_id, key.partition)
                        if record.value is None:
                            states.pop(state_key, None)
                            continue
                        value = decode_share_value(key.record_type, bytes(record.value))
                    except ShareStateError as exc:
                        log.warning("%s-%d: skipping a record: %s", SHARE_GROUP_STATE_TOPIC,
                                    partition_log.partition, exc)
                        continue
                    if key.record_type == SHARE_SNAPSHOT:
                        states[state_key] = value
                    elif state_key in states:
                        states[state_key] = _apply_update(states[state_key], value)
        for state_key, value in states.items():
            self._epochs[state_key] = (value.snapshot_epoch, value.create_timestamp)
        return states

    def write(self, group_id: str, topic_id: uuid.UUID, partition: int, share_partition: SharePartition) -> None:
        """Append a snapshot of ``share_partition``; ``OffsetStoreError`` if it cannot be."""
        state_key = (group_id, topic_id, partition)
        now = self._clock_ms()
        epoch, created = self._epochs.get(state_key, (-1, now))
        batches = tuple(share_partition.state_batches())
        complete = sum(
            b.last_offset - b.first_offset + 1 for b in batches
            if b.delivery_state in (RecordState.ACKNOWLEDGED, RecordState.ARCHIVED)
        )
        value = ShareStateValue(
            snapshot_epoch=epoch + 1, state_epoch=share_partition.state_epoch, leader_epoch=0,
            start_offset=share_partition.start_offset, batches=batches,
            create_timestamp=created, write_timestamp=now, delivery_complete_count=complete,
        )
        key = ShareStateKey(SHARE_SNAPSHOT, group_id, topic_id, partition)
        self._append(state_key, encode_share_key(key), encode_share_value(SHARE_SNAPSHOT, value))
        self._epochs[state_key] = (epoch + 1, created)

    def delete(self, group_id: str, topic_id: uuid.UUID, partition: int) -> None:
        """A tombstone: the share partition's state is gone (DeleteShareGroupState)."""
        state_key = (group_id, topic_id, partition)
        key = ShareStateKey(SHARE_SNAPSHOT, group_id, topic_id, partition)
        self._append(state_key, encode_share_key(key), None)
        self._epochs.pop(state_key, None)

    def _append(self, state_key: StateKey, key: bytes, value: bytes | None) -> None:
        partition_log = self._partition_log(coordinator_key(*state_key))
        try:
            append_records(partition_log, [(key, value)], now_ms=self._clock_ms())
        except (StorageError, OSError) as exc:
            raise OffsetStoreError(
                f"cannot append to {SHARE_GROUP_STATE_TOPIC}-{partition_log.partition}: {exc}"
            ) from exc

    def _partition_log(self, coordinator: str) -> PartitionLog:
        info = self._logs.get_topic(SHARE_GROUP_STATE_TOPIC)
        if info is None:
            try:
                info = self._logs.create_topic(
                    SHARE_GROUP_STATE_TOPIC, self._num_partitions, configs=dict(INTERNAL_TOPIC_CONFIGS)
                )
            except (StorageError, OSError) as exc:
                raise OffsetStoreError(f"cannot create {SHARE_GROUP_STATE_TOPIC}: {exc}") from exc
            log.info("created %s with %d partitions", SHARE_GROUP_STATE_TOPIC, self._num_partitions)
        return info.partitions[partition_for(coordinator, len(info.partitions))]


def _apply_update(snapshot: ShareStateValue, update: ShareStateValue) -> ShareStateValue:
    """A ShareUpdate over the snapshot before it: a new start offset (-1: unchanged), and its
    batches replacing the states of the offsets they name."""
    start = update.start_offset if update.start_offset >= 0 else snapshot.start_offset
    states: dict[int, tuple[int, int]] = {}
    for batch in (*snapshot.batches, *update.batches):
        for offset in range(max(batch.first_offset, start), batch.last_offset + 1):
            states[offset] = (batch.delivery_state, batch.delivery_count)
    merged: list[StateBatch] = []
    for offset in sorted(states):
        state, count = states[offset]
        last = merged[-1] if merged else None
        if last is not None and last.last_offset == offset - 1 and (last.delivery_state, last.delivery_count) == (state, count):
            merged[-1] = StateBatch(last.first_offset, offset, state, count)
        else:
            merged.append(StateBatch(offset, offset, state, count))
    return ShareStateValue(
        snapshot_epoch=snapshot.snapshot_epoch, state_epoch=snapshot.state_epoch,
        leader_epoch=update.leader_epoch, start_offset=start, batches=tuple(merged),
        create_timestamp=snapshot.create_timestamp, write_timestamp=snapshot.write_timestamp,
    )
