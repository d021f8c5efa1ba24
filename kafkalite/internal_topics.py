"""Kafka's internal topics: their names, how keys map onto their partitions, and how the
broker writes and replays its own key/value records in them.

``__consumer_offsets`` holds group metadata and committed offsets, ``__transaction_state``
the transaction coordinator's state, ``__share_group_state`` the share groups' delivery
state (KIP-932), each in Kafka's own key/value record formats, so any
Kafka client or tool can read them. They are ordinary compacted partitions: recovery,
compaction and retention treat them like any other.

A coordinator for key K is the leader of partition ``abs(K.hashCode()) % partitions`` of its
topic, ``hashCode`` being Java's ``String.hashCode`` (Kafka's
``GroupCoordinator.partitionFor`` and ``TransactionStateManager.partitionFor``), so a
client that computes it, as some tools do, lands where Kafka would put it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kafkalite.protocol.record_codec import Record, encode_batch, read_records
from kafkalite.protocol.records import BatchHeader, read_header, validate_batches

if TYPE_CHECKING:
    from kafkalite.storage.log import AppendResult, PartitionLog

__all__ = [
    "INTERNAL_TOPICS",
    "OFFSETS_TOPIC",
    "SHARE_GROUP_STATE_TOPIC",
    "TRANSACTION_STATE_TOPIC",
    "LoggedBatch",
    "append_records",
    "java_string_hash",
    "partition_for",
    "scan",
]

OFFSETS_TOPIC = "__consumer_offsets"
TRANSACTION_STATE_TOPIC = "__transaction_state"
SHARE_GROUP_STATE_TOPIC = "__share_group_state"
INTERNAL_TOPICS = frozenset({OFFSETS_TOPIC, TRANSACTION_STATE_TOPIC, SHARE_GROUP_STATE_TOPIC})

# Kafka's defaults for both internal topics (offsets.topic.* and transaction.state.log.*):
# compacted, and segments of 100 MiB rather than 1 GiB so the cleaner gets to them.
INTERNAL_TOPIC_CONFIGS = {"cleanup.policy": "compact", "segment.bytes": str(100 * 1024 * 1024)}


def java_string_hash(text: str) -> int:
    """Java's ``String.hashCode``: ``s[0]*31^(n-1) + ... + s[n-1]`` over UTF-16 code units,
    as a signed 32-bit integer."""
    h = 0
    data = text.encode("utf-16-be")
    for i in range(0, len(data), 2):
        h = (31 * h + ((data[i] << 8) | data[i + 1])) & 0xFFFFFFFF
    return h - (1 << 32) if h >= 1 << 31 else h


def partition_for(key: str, partitions: int) -> int:
    """The internal-topic partition whose leader coordinates ``key``. Kafka's
    ``Utils.abs`` maps ``Integer.MIN_VALUE`` to 0, not to its (unrepresentable) negation."""
    h = java_string_hash(key)
    return (0 if h == -(1 << 31) else abs(h)) % partitions


def append_records(
    partition_log: PartitionLog,
    records: Sequence[tuple[bytes, bytes | None]],
    *,
    now_ms: int,
    producer_id: int = -1,
    producer_epoch: int = -1,
    base_sequence: int = -1,
    transactional: bool = False,
) -> AppendResult:
    """Append ``(key, value)`` records (``None`` value: a tombstone) as one uncompressed
    batch written by the broker itself; with ``transactional`` the batch belongs to the
    producer's open transaction, as TxnOffsetCommit's offsets do."""
    batch = bytearray(
        encode_batch(
            [
                Record(offset=i, timestamp=now_ms, key=key, value=value)
                for i, (key, value) in enumerate(records)
            ],
            attributes=0x10 if transactional else 0,
            producer_id=producer_id,
            producer_epoch=producer_epoch,
            base_sequence=base_sequence,
        )
    )
    headers = validate_batches(batch, from_client=False)
    return partition_log.append(batch, headers, now_ms=now_ms)


@dataclass(frozen=True, slots=True)
class LoggedBatch:
    """One batch of an internal partition, with its records decoded."""

    header: BatchHeader
    records: list[Record]


def scan(partition_log: PartitionLog, start_offset: int | None = None) -> Iterator[LoggedBatch]:
    """Every batch of ``partition_log`` from ``start_offset`` (the log start by default) to
    the log end, in offset order; used to replay a coordinator's state at start-up."""
    offset = partition_log.log_start_offset if start_offset is None else start_offset
    end = partition_log.log_end_offset
    while offset < end:
        chunk = partition_log.read(offset, 1 << 20, max_offset=end)
        if chunk is None:
            return
        data = os.pread(chunk.fd, chunk.length, chunk.position)
        pos = 0
        while pos < len(data):
            header = read_header(data, pos)
            yield LoggedBatch(header, read_records(memoryview(data)[pos : pos + header.size], header))
            pos += header.size
            offset = header.next_offset
