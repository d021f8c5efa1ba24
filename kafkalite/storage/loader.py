"""Create or load one partition directory (Kafka's ``LogLoader`` in miniature).

Loading, in order:
1. complete a compaction swap that a crash interrupted after its commit point
   (``swap.finish_interrupted_swaps``), then delete leftovers of interrupted operations
   (``*.deleted``, ``*.cleaned``, ``*.swap``, ``*.tmp``) and index files whose ``.log`` is
   gone;
2. open every ``<20-digit base>.log``. After a clean shutdown every segment is trusted
   (indexes sanity-checked and rebuilt if needed). Otherwise every segment from the one
   holding the recovery point onwards is recovered: bounds, magic, CRC and offset order are
   checked batch by batch, the file is cut at the first bad byte, the indexes are rebuilt;
   a cut removes every later segment (``LogLoader.recoverLog``). Recovered files are fsynced,
   so the recovery point becomes the log end offset. Missing index files, and indexes that
   fail the sanity checks (every entry strictly growing, within the file, the last entry
   pointing at its batch), are rebuilt from the batch headers on either path;
3. the log start offset is the checkpointed one, at least the first segment's base and at most
   the log end offset;
4. producer state: the newest valid ``<offset>.snapshot`` not past the log end offset, then a
   header-only replay of the batches after it (so the state survives crashes as well);
   snapshots past the log end offset (the log was cut below them) are deleted. Control
   batches are read whole (one small record) to tell commits from aborts;
5. ``.txnindex`` files cannot be rebuilt from their own segment (an aborted transaction may
   begin in an earlier one), so they are rebuilt by that replay, as Kafka's
   ``LogSegment.recover`` does through its producer state: every segment from the first
   one that needs it (recovered, its ``.txnindex`` failing its sanity check, or just swapped
   in by a finished compaction) to the end gets its index emptied, the replay starts from a
   snapshot at or below that segment, and each abort marker met in those segments appends
   its entry. Open transactions therefore come back from the snapshot after a clean
   shutdown and from the replay after a crash. Cost: only two snapshots are kept (at the
   last rolls), so when the checkpointed recovery point lags further behind, the replay
   starts at the log start (Kafka keeps every snapshot above its recovery point).

One log line per partition says what was found: segments scanned, bytes truncated, later
segments deleted, indexes rebuilt, snapshots deleted, and how long it took (INFO after an
unclean shutdown, WARNING when anything was cut or deleted, DEBUG for a clean load).
"""

from __future__ import annotations

import bisect
import logging
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from kafkalite.protocol.records import CorruptRecordError
from kafkalite.storage.checkpoint import fsync_directory, write_partition_metadata
from kafkalite.storage.config import LogConfig
from kafkalite.storage.flusher import Flusher
from kafkalite.storage.log import PartitionLog
from kafkalite.storage.open_files import OpenFiles
from kafkalite.storage.producer_state import CorruptSnapshotError, ProducerStateManager
from kafkalite.storage.segment import SEGMENT_FILE_SUFFIXES, Segment, iter_batch_headers
from kafkalite.storage.swap import finish_interrupted_swaps
from kafkalite.storage.txn_index import AbortedTxn
from kafkalite.storage.txn_marker import read_marker

__all__ = ["create_partition_log", "load_partition_log"]

log = logging.getLogger(__name__)

_TEMPORARY_SUFFIXES = (".deleted", ".cleaned", ".swap", ".tmp")
_INDEX_SUFFIXES = SEGMENT_FILE_SUFFIXES[1:]


def create_partition_log(
    directory: Path, *, topic: str, partition: int, topic_id: uuid.UUID, config: LogConfig,
    flusher: Flusher, now_ms: int, durable: bool = True, files: OpenFiles | None = None,
) -> PartitionLog:
    """A new, empty partition: its directory, ``partition.metadata`` and first segment.
    With ``durable=False`` nothing is fsynced: the caller syncs a whole batch at once
    (``checkpoint.sync_created``)."""
    try:
        directory.mkdir(parents=True)
        fresh = True
    except FileExistsError:
        fresh = False
    write_partition_metadata(directory, topic_id, durable=durable)
    segment = Segment.create(
        directory, 0, config.segment_index_bytes, now_ms=now_ms, files=files, fresh=fresh
    )
    if durable:  # the new segment holds no descriptor: nothing to close on failure
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
        if path.suffix in _INDEX_SUFFIXES and _offset_name(path.stem) not in bases:
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
    clean_shutdown: bool, files: OpenFiles | None = None,
) -> PartitionLog:
    started = time.perf_counter()
    swapped_in = finish_interrupted_swaps(directory)
    bases = _clean_directory(directory)
    if not bases:
        bases = [max(log_start_offset or 0, 0)]
        empty = Segment.create(directory, bases[0], config.segment_index_bytes, now_ms=now_ms)
        _close_now(empty.close(), sync=False)
    files = files if files is not None else OpenFiles()
    segments = [Segment(directory, base, config.segment_index_bytes, files) for base in bases]
    recover_from = len(segments)
    if not clean_shutdown:
        recover_from = max(bisect.bisect_right(bases, recovery_point or 0) - 1, 0)
    kept: list[Segment] = []
    report = _Report()
    for position, segment in enumerate(segments):
        if position < recover_from:
            if segment.load(now_ms=now_ms, index_interval_bytes=config.index_interval_bytes):
                report.rebuilt += 1
            kept.append(segment)
            continue
        size_before = segment.size
        truncated = segment.recover(config.index_interval_bytes)
        report.scanned += 1
        report.scanned_bytes += size_before
        report.rebuilt += 1
        kept.append(segment)
        if truncated:
            report.truncated += truncated
            report.cut_at = (segment.log_path.name, segment.size, segment.next_offset)
            for later in segments[position + 1 :]:
                log.warning("deleting %s after the corruption before it", later.log_path)
                report.dropped += 1
                report.dropped_bytes += later.size
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
    txn_rebuild_from = _txn_index_rebuild_from(kept, kept[min(recover_from, len(kept) - 1)],
                                               recovered, swapped_in)
    producer_state, report.snapshots_deleted = _load_producer_state(
        directory, kept, start, end, txn_rebuild_from
    )
    if txn_rebuild_from is not None:
        report.txn_indexes_rebuilt = _finish_txn_indexes(directory, kept, txn_rebuild_from)
    report.log(f"{topic}-{partition}", recovered=recovered, end=end,
               recover_from=kept[min(recover_from, len(kept) - 1)].base_offset,
               elapsed_ms=(time.perf_counter() - started) * 1000)
    return PartitionLog(
        topic=topic, partition=partition, topic_id=topic_id, directory=directory, config=config,
        flusher=flusher, segments=kept, log_start_offset=start, recovery_point=recovery_point,
        producer_state=producer_state,
    )


@dataclass(slots=True)
class _Report:
    """What loading one partition found and did, for the log line that says so."""

    scanned: int = 0  # segments validated batch by batch (CRC included)
    scanned_bytes: int = 0
    truncated: int = 0  # invalid bytes cut from the end of the first bad segment
    cut_at: tuple[str, int, int] | None = None  # (file, size after the cut, next offset)
    dropped: int = 0  # whole segments deleted after the cut
    dropped_bytes: int = 0
    rebuilt: int = 0  # segments whose .index and .timeindex were rebuilt
    snapshots_deleted: int = 0  # producer snapshots past the recovered log end
    txn_indexes_rebuilt: int = 0  # segments whose .txnindex was rebuilt by the replay

    def log(self, name: str, *, recovered: bool, end: int, recover_from: int,
            elapsed_ms: float) -> None:
        damaged = bool(self.truncated or self.dropped or self.snapshots_deleted)
        if not (recovered or damaged or self.rebuilt or self.txn_indexes_rebuilt):
            log.debug("loaded %s in %.1f ms: log end offset %d", name, elapsed_ms, end)
            return
        parts = []
        if self.scanned:
            parts.append(f"scanned {self.scanned} segment(s), {self.scanned_bytes} bytes, "
                         f"from offset {recover_from}")
        if self.cut_at is not None:
            file, size, next_offset = self.cut_at
            parts.append(f"truncated {self.truncated} invalid bytes ({file} now ends at byte "
                         f"{size}, offset {next_offset})")
        if self.dropped:
            parts.append(f"deleted {self.dropped} later segment(s), {self.dropped_bytes} bytes")
        if self.rebuilt:
            parts.append(f"rebuilt the indexes of {self.rebuilt} segment(s)")
        if self.txn_indexes_rebuilt and not recovered:
            parts.append(f"rebuilt the .txnindex of {self.txn_indexes_rebuilt} segment(s)")
        if self.snapshots_deleted:
            parts.append(f"deleted {self.snapshots_deleted} producer snapshot(s) past the end")
        if recovered and not damaged:
            parts.append("no damage")
        level = logging.WARNING if damaged else logging.INFO
        log.log(level, "%s %s in %.1f ms: %s; log end offset %d",
                "recovered" if recovered else "loaded", name, elapsed_ms, "; ".join(parts), end)


def _txn_index_rebuild_from(
    segments: list[Segment], first_recovered: Segment, recovered: bool, swapped_in: list[int]
) -> int | None:
    """Base offset of the first segment whose ``.txnindex`` must be rebuilt, or ``None``."""
    candidates = [base for base in swapped_in if any(s.base_offset == base for s in segments)]
    if recovered:
        candidates.append(first_recovered.base_offset)
    for segment in segments:
        if segment.txn_index.problem is not None:
            log.warning("rebuilding %s: %s", segment.txn_index.path, segment.txn_index.problem)
            candidates.append(segment.base_offset)
            break
    return min(candidates) if candidates else None


def _finish_txn_indexes(directory: Path, segments: list[Segment], rebuilt_from: int) -> int:
    """Make the rebuilt ``.txnindex`` files durable; returns how many segments were
    rebuilt. Their descriptors are closed: an append to the active one opens it again."""
    count = 0
    for segment in segments:
        if segment.base_offset >= rebuilt_from:
            count += 1
        fd = segment.txn_index.close()
        if fd >= 0:
            _close_now([fd], sync=True)
    fsync_directory(directory)
    return count


def _load_producer_state(
    directory: Path, segments: list[Segment], log_start_offset: int, log_end_offset: int,
    txn_rebuild_from: int | None = None,
) -> tuple[ProducerStateManager, int]:
    """The producer state at ``log_end_offset`` and how many snapshots were deleted. A
    snapshot past the end (the log was cut below it) would count truncated batches as
    duplicates, so it goes, as in Kafka's ``ProducerStateManager.truncateAndReload``. With
    ``txn_rebuild_from``, the ``.txnindex`` of every segment based there or later is
    rebuilt by the replay, which then starts from a snapshot not above that offset."""
    state = ProducerStateManager()
    state.map_end_offset = log_start_offset
    snapshots: list[tuple[int, Path]] = []
    deleted = 0
    for path in directory.glob("*.snapshot"):
        offset = _offset_name(path.stem)
        if offset is None:
            continue
        if offset > log_end_offset:
            log.info("deleting %s: past the log end offset %d", path, log_end_offset)
            path.unlink(missing_ok=True)
            deleted += 1
        else:
            snapshots.append((offset, path))
    for offset, path in sorted(snapshots, reverse=True):
        if offset < segments[0].base_offset:
            break
        if txn_rebuild_from is not None and offset > txn_rebuild_from:
            continue  # valid, but the replay must cover the indexes being rebuilt
        try:
            state.load_snapshot(path.read_bytes(), offset)
            break
        except (CorruptSnapshotError, OSError) as exc:
            log.warning("ignoring producer snapshot %s: %s", path, exc)
            path.unlink(missing_ok=True)
    if txn_rebuild_from is not None:
        for segment in segments:
            if segment.base_offset >= txn_rebuild_from:
                segment.txn_index.reset()
    start = state.map_end_offset
    for segment in segments:
        if segment.next_offset <= start:
            continue
        found = segment.translate_offset(start)
        if found is None:
            continue
        rebuild = txn_rebuild_from is not None and segment.base_offset >= txn_rebuild_from
        try:
            for position, header in iter_batch_headers(segment.fd, found[0], segment.size):
                if header.last_offset < start:
                    continue
                if not header.is_control:
                    state.update((header,))
                    continue
                marker = read_marker(os.pread(segment.fd, header.size, position), header)
                if marker is None or header.producer_id < 0:
                    state.update((header,))  # not a marker: only the end offset moves
                    continue
                completed = state.end_txn(
                    header.producer_id, header.producer_epoch,
                    marker_offset=header.base_offset, commit=marker.commit,
                    coordinator_epoch=marker.coordinator_epoch, timestamp=header.max_timestamp,
                )
                if rebuild and completed is not None and completed.is_aborted:
                    segment.txn_index.append(AbortedTxn(
                        completed.producer_id, completed.first_offset,
                        completed.last_offset, completed.last_stable_offset,
                    ))
        except CorruptRecordError:  # pragma: no cover - segments were validated above
            log.exception("producer state replay stopped in %s", segment.log_path)
    return state, deleted
