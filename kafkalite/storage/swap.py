"""Swapping cleaned segments into a log, and finishing a swap a crash cut short.

``swap_in`` (on the event loop, for one cleaned group; Kafka's ``LocalLog.replaceSegments``
with its ``.cleaned`` -> ``.swap`` -> final renames):
  a. ``<base>.log.cleaned`` -> ``<base>.log.swap``: the commit point;
  b. the old segments' files -> ``*.deleted`` (they stay open);
  c. the new indexes -> ``<base>.index``/``.timeindex``/``.txnindex`` (the last only when
     the cleaned segment kept an aborted transaction), ``<base>.log.swap`` -> ``<base>.log``;
  d. the new ``Segment`` replaces the old ones in the ``PartitionLog``.
The cleaned files were fsynced by the worker before a; the caller then closes the old
segments and has the directory fsynced. As Kafka's does, the protocol relies on renames
within one directory reaching the disk in the order issued (journaled file systems keep
it).

After a crash, ``finish_interrupted_swaps`` (the loader calls it before deleting temporary
files) leaves exactly one version of the data: with no ``<base>.log.swap`` the clean had
not committed, the loader deletes the ``.cleaned`` files and the old segments are whole;
with one, every ``.log`` whose base lies in [base, the swap's next offset) is an old segment
and is deleted with its indexes, the swap becomes ``<base>.log``, and its indexes are
rebuilt by the loader (they are deleted here, whichever version they were; the loader
rebuilds the ``.txnindex`` of every segment from a swapped-in one on, by replaying producer
state). Old files already renamed ``*.deleted`` are deleted by the loader.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

from kafkalite.protocol.records import CorruptRecordError
from kafkalite.storage.checkpoint import fsync_directory
from kafkalite.storage.compactor import CleanedGroup
from kafkalite.storage.log import PartitionLog
from kafkalite.storage.retention import SEGMENT_SUFFIXES, rename_for_deletion
from kafkalite.storage.segment import Segment, iter_batch_headers, segment_path

__all__ = ["SWAP_SUFFIX", "finish_interrupted_swaps", "swap_in"]

log = logging.getLogger(__name__)

SWAP_SUFFIX = ".swap"


def swap_in(
    partition_log: PartitionLog, old: Sequence[Segment], group: CleanedGroup, now_ms: int
) -> list[Path]:
    """Steps a to d of the module docs; returns the old files' ``*.deleted`` paths."""
    directory = partition_log.directory
    base = group.base_offset
    swap = segment_path(directory, base, ".log" + SWAP_SUFFIX)
    os.replace(group.files[".log"], swap)  # a. the commit point
    renamed = rename_for_deletion(directory, old)  # b.
    for suffix in (".index", ".timeindex", ".txnindex"):  # c.
        if suffix in group.files:
            os.replace(group.files[suffix], segment_path(directory, base, suffix))
    os.replace(swap, segment_path(directory, base, ".log"))
    new = Segment(
        directory, base, partition_log.config.segment_index_bytes, partition_log.segments[-1].files
    )
    new.next_offset = group.next_offset  # what ``Segment.load`` would find, known already
    new.max_timestamp = group.max_timestamp
    new.offset_of_max_timestamp = group.offset_of_max_timestamp
    new.first_batch_timestamp = group.first_batch_timestamp
    new.bytes_since_last_index_entry = group.bytes_since_last_index_entry
    new.created_ms = now_ms
    partition_log.replace_segments(old, new)  # d.
    return renamed


def _offset_name(name: str) -> int | None:
    stem = name[:20]
    return int(stem) if len(name) > 20 and stem.isdigit() and name[20] == "." else None


def _swap_end(path: Path) -> int:
    """The next offset after the last whole batch of a ``.log.swap`` file."""
    base = _offset_name(path.name)
    end = base if base is not None else 0
    fd = os.open(path, os.O_RDONLY)
    try:
        for _, header in iter_batch_headers(fd, 0, os.fstat(fd).st_size):
            end = header.next_offset
    except CorruptRecordError:
        pass  # the loader's recovery cuts the bad tail
    finally:
        os.close(fd)
    return end


def finish_interrupted_swaps(directory: Path) -> list[int]:
    """Complete every swap a crash interrupted after its commit point (module docs); the
    loader calls it before deleting temporary files. Returns the base offsets swapped in."""
    done: list[int] = []
    for swap in sorted(directory.glob("*.log" + SWAP_SUFFIX)):
        base = _offset_name(swap.name)
        if base is None or swap.name != f"{base:020d}.log{SWAP_SUFFIX}":
            continue
        end = _swap_end(swap)
        for path in directory.glob("*.log"):
            old = _offset_name(path.name)
            if old is not None and base <= old < end:
                for suffix in SEGMENT_SUFFIXES:
                    segment_path(directory, old, suffix).unlink(missing_ok=True)
        for suffix in (".index", ".timeindex", ".txnindex"):  # new or old: the loader rebuilds
            segment_path(directory, base, suffix).unlink(missing_ok=True)
        os.replace(swap, segment_path(directory, base, ".log"))
        log.warning(
            "%s: completed the swap of a cleaned segment [%d, %d) cut short by a crash",
            directory.name,
            base,
            end,
        )
        done.append(base)
    if done:
        fsync_directory(directory)
    return done
