"""Create or load one partition directory (Kafka's ``LogLoader`` in miniature).

Loading, in order:
1. delete leftovers of interrupted operations (``*.deleted``, ``*.cleaned``, ``*.swap``,
   ``*.tmp``) and index files whose ``.log`` is gone;
2. open every ``<20-digit base>.log``. After a clean shutdown every segment is trusted
   (indexes sanity-checked and rebuilt if needed). Otherwise every segment from the one
   holding the recovery point onwards is recovered: bounds, magic, CRC and offset order are
   checked batch by batch, the file is cut at the first bad byte, the indexes are rebuilt;
   a cut removes every later segment (``LogLoader.recoverLog``). Recovered files are fsynced,
   so the recovery point becomes the log end offset;
3. the log start offset is the checkpointed one, at least the first segment's base and at most
   the log end offset;
4. producer state: the newest valid ``<offset>.snapshot`` not past the log end offset, then a
   header-only replay of the batches after it (so the state survives crashes as well);
   snapshots past the log end offset (the log was cut below them) are deleted.
"""

from __future__ import annotations

import bisect
import logging
import os
import uuid
from pathlib import Path

from kafkalite.protocol.records import CorruptRecordError
from kafkalite.storage.checkpoint import fsync_directory, write_partition_metadata
from kafkalite.storage.config import LogConfig
from kafkalite.storage.flusher import Flusher
from kafkalite.storage.log import PartitionLog
from kafkalite.storage.producer_state import CorruptSnapshotError, ProducerStateManager
from kafkalite.storage.segment import Segment, iter_batch_headers

__all__ = ["create_partition_log", "load_partition_log"]

log = logging.getLogger(__name__)

_TEMPORARY_SUFFIXES = (".deleted", ".cleaned", ".swap", ".tmp")
_SEGMENT_SUFFIXES = (".log", ".index", ".timeindex")


def create_partition_log(
    directory: Path, *, topic: str, partition: int, topic_id: uuid.UUID, config: LogConfig,
    flusher: Flusher, now_ms: int,
) -> PartitionLog:
    """A new, empty partition: its directory, ``partition.metadata`` and first segment."""
    directory.mkdir(parents=True, exist_ok=True)
    write_partition_metadata(directory, topic_id)
    segment = Segment.create(directory, 0, config.segment_index_bytes, now_ms=now_ms)
    fsync_directory(directory)
    fsync_directory(directory.parent)
    return PartitionLog(
        topic=topic, partition=partition, topic_id=topic_id, directory=directory, config=config,
        flusher=flusher, segments=[segment], log_start_offset=0, recovery_point=0,
        producer_state=ProducerStateManager(),
    )


def _offset_name(stem: str) -> int | None:
    return int(stem) if len(stem) == 20 and stem.isdigit() else None


def _clean_directory(directory: Path) -> list[int]:
    """Delete leftovers; return the base offsets of the ``.log`` files, sorted."""
    bases: set[int] = set()
    for path in directory.iterdir():
        if path.name.endswith(_TEMPORARY_SUFFIXES):
            log.info("deleting leftover %s", path)
            path.unlink(missing_ok=True)
        elif path.suffix == ".log" and (base := _offset_name(path.stem)) is not None:
            bases.add(base)
    for path in directory.iterdir():
        if path.suffix in (".index", ".timeindex") and _offset_name(path.stem) not in bases:
            path.unlink(missing_ok=True)
    return sorted(bases)


def _close_now(fds: list[int], *, sync: bool) -> None:
    try:
        if sync:
            for fd in fds:
                os.fsync(fd)
    finally:
        for fd in fds:
            os.close(fd)


def load_partition_log(
    directory: Path, *, topic: str, partition: int, topic_id: uuid.UUID, config: LogConfig,
    flusher: Flusher, now_ms: int, log_start_offset: int | None, recovery_point: int | None,
    clean_shutdown: bool,
) -> PartitionLog:
    bases = _clean_directory(directory)
    if not bases:
        bases = [max(log_start_offset or 0, 0)]
        empty = Segment.create(directory, bases[0], config.segment_index_bytes, now_ms=now_ms)
        _close_now(empty.close(), sync=False)
    segments = [Segment(directory, base, config.segment_index_bytes) for base in bases]
    recover_from = len(segments)
    if not clean_shutdown:
        recover_from = max(bisect.bisect_right(bases, recovery_point or 0) - 1, 0)
    kept: list[Segment] = []
    for position, segment in enumerate(segments):
        if position < recover_from:
            segment.load(now_ms=now_ms, index_interval_bytes=config.index_interval_bytes)
            kept.append(segment)
            continue
        truncated = segment.recover(config.index_interval_bytes)
        kept.append(segment)
        if truncated:
            for later in segments[position + 1 :]:
                log.warning("deleting %s after the corruption before it", later.log_path)
                _close_now(later.close(), sync=False)
                later.delete_files()
            break
    for segment in kept[:-1]:
        if segment.offset_index.is_active:  # indexes rebuilt: trim them and make them durable
            _close_now(segment.seal(), sync=True)
    active = kept[-1]
    active.make_active()
    recovered = not clean_shutdown
    if recovered:
        for segment in kept[recover_from:]:
            os.fsync(segment.fd)
        fsync_directory(directory)
    end = active.next_offset
    start = min(max(log_start_offset or 0, kept[0].base_offset), end)
    if recovered or recovery_point is None:
        recovery_point = end
    producer_state = _load_producer_state(directory, kept, start, end)
    return PartitionLog(
        topic=topic, partition=partition, topic_id=topic_id, directory=directory, config=config,
        flusher=flusher, segments=kept, log_start_offset=start, recovery_point=recovery_point,
        producer_state=producer_state,
    )


def _load_producer_state(
    directory: Path, segments: list[Segment], log_start_offset: int, log_end_offset: int
) -> ProducerStateManager:
    state = ProducerStateManager()
    state.map_end_offset = log_start_offset
    snapshots: list[tuple[int, Path]] = []
    for path in directory.glob("*.snapshot"):
        offset = _offset_name(path.stem)
        if offset is None:
            continue
        if offset > log_end_offset:
            log.info("deleting %s: past the log end offset %d", path, log_end_offset)
            path.unlink(missing_ok=True)
        else:
            snapshots.append((offset, path))
    for offset, path in sorted(snapshots, reverse=True):
        if offset < segments[0].base_offset:
            break
        try:
            state.load_snapshot(path.read_bytes(), offset)
            break
        except (CorruptSnapshotError, OSError) as exc:
            log.warning("ignoring producer snapshot %s: %s", path, exc)
            path.unlink(missing_ok=True)
    start = state.map_end_offset
    for segment in segments:
        if segment.next_offset <= start:
            continue
        found = segment.translate_offset(start)
        if found is None:
            continue
        try:
            for _, header in iter_batch_headers(segment.fd, found[0], segment.size):
                if header.last_offset >= start:
                    state.update((header,))
        except CorruptRecordError:  # pragma: no cover - segments were validated above
            log.exception("producer state replay stopped in %s", segment.log_path)
    return state
