"""Build RecordBatch v2 bytes and open partition logs for the storage tests."""

from __future__ import annotations

import uuid
from pathlib import Path

from kafkalite.protocol.compression import GZIP, NONE
from kafkalite.protocol.record_codec import Record, encode_batch
from kafkalite.protocol.records import BatchHeader, validate_batches
from kafkalite.storage.config import LogConfig
from kafkalite.storage.flusher import Flusher
from kafkalite.storage.loader import create_partition_log, load_partition_log
from kafkalite.storage.log import AppendResult, PartitionLog

TOPIC_ID = uuid.UUID("6ba7b810-9dad-11d1-80b4-00c04fd430c8")
NOW_MS = 1_700_000_000_000


def make_batch(
    count: int = 1,
    *,
    timestamps: list[int] | None = None,
    base_timestamp: int | None = None,
    value_size: int = 8,
    producer_id: int = -1,
    producer_epoch: int = -1,
    base_sequence: int = -1,
    attributes: int = 0,
    gzip_records: bool = False,
    base_offset: int = 0,
    codec: int | None = None,
) -> bytearray:
    """A v2 batch of ``count`` keyless records; record i gets ``timestamps[i]`` (default
    ``NOW_MS + i``) and a value of ``value_size`` bytes. ``attributes`` are written as given
    (codec bits there do not compress the records; ``gzip_records`` and ``codec`` do)."""
    if timestamps is None:
        timestamps = [NOW_MS + i for i in range(count)]
    records = [
        Record(base_offset + i, timestamps[i], None, bytes([65 + i % 26]) * value_size)
        for i in range(count)
    ]
    return bytearray(encode_batch(
        records, base_offset=base_offset, base_timestamp=base_timestamp,
        max_timestamp=max(timestamps), compression=codec if codec is not None else GZIP if gzip_records else NONE,
        attributes=attributes,
        producer_id=producer_id, producer_epoch=producer_epoch, base_sequence=base_sequence,
    ))


def append(log: PartitionLog, batch: bytearray, now_ms: int = NOW_MS) -> AppendResult:
    headers: list[BatchHeader] = validate_batches(batch)
    return log.append(batch, headers, now_ms=now_ms)


def new_log(directory: Path, config: LogConfig | None = None, flusher: Flusher | None = None,
            topic: str = "t", partition: int = 0) -> PartitionLog:
    return create_partition_log(
        directory / f"{topic}-{partition}", topic=topic, partition=partition, topic_id=TOPIC_ID,
        config=config or LogConfig(), flusher=flusher or Flusher(), now_ms=NOW_MS,
    )


def reopen(log: PartitionLog, *, clean: bool, config: LogConfig | None = None,
           recovery_point: int | None = 0) -> PartitionLog:
    return load_partition_log(
        log.directory, topic=log.topic, partition=log.partition, topic_id=log.topic_id,
        config=config or log.config, flusher=Flusher(), now_ms=NOW_MS,
        log_start_offset=None, recovery_point=recovery_point, clean_shutdown=clean,
    )


def read_all(log: PartitionLog, start: int = 0) -> bytes:
    """Every byte from ``start`` to the end, fetched segment by segment."""
    import os

    out = bytearray()
    offset = start
    for _ in range(100_000):
        chunk = log.read(offset, 1 << 20)
        if chunk is None:
            break
        data = os.pread(chunk.fd, chunk.length, chunk.position)
        headers = validate_batches(data, from_client=False)
        out += data
        offset = headers[-1].next_offset
    return bytes(out)


def abandon(log: PartitionLog) -> None:
    """Drop a log as a crash would: unmap and close its files, trimming nothing."""
    import os

    for segment in log.segments:
        closing = (segment.offset_index.close(), segment.time_index.close(),
                   segment.txn_index.close())
        for fd in closing:
            if fd >= 0:
                os.close(fd)
        segment.files.forget(segment)
        segment.release()
        segment.closed = True
