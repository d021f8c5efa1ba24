"""Producer ids that are never handed out twice, even across restarts.

Like Kafka's ``ProducerIdManager``, ids are reserved in blocks: before the first id of a
block is given out, the end of the block is written durably to
``<data-dir>/kafkalite-producer-ids`` (temp file, fsync, rename, directory fsync). After a
crash the next block starts past the recorded end, so an id is never reused, at the cost
of skipping the unused rest of a block.

If the file is missing or unreadable (lost, or damaged by hand), numbering starts above
``floor``: the largest producer id found in any partition's producer state, so ids that
logs still remember are not handed out again.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

__all__ = ["ProducerIdAllocator"]

log = logging.getLogger(__name__)

BLOCK_SIZE = 1000
FILE_NAME = "kafkalite-producer-ids"


class ProducerIdAllocator:
    def __init__(self, data_dir: Path, *, floor: int = 0) -> None:
        self._path = data_dir / FILE_NAME
        recorded = 0
        try:
            text = self._path.read_text().strip()
            recorded = int(text.splitlines()[-1].split("=")[1])
        except FileNotFoundError:
            pass
        except (IndexError, ValueError, OSError) as exc:
            log.warning(
                "%s is unreadable (%s); producer ids start above %d", self._path, exc, floor
            )
        self._next = self._block_end = max(recorded, floor)

    def next_id(self) -> int:
        if self._next >= self._block_end:
            self._reserve(self._next + BLOCK_SIZE)
        producer_id = self._next
        self._next += 1
        return producer_id

    def _reserve(self, end: int) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._path.with_suffix(".tmp")
        with open(tmp, "w") as f:
            f.write(f"version=0\nblock_end={end}\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self._path)
        fd = os.open(self._path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        self._block_end = end
