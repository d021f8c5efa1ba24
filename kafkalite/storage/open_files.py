"""A bounded cache of the ``.log`` descriptors of one broker's segments (least recently
used first out).

A segment opens its ``.log`` when it is first read or written (``Segment.fd``) and
registers here; once more than ``capacity`` are open, the least recently used one is
closed, to be opened again on its next use. Its indexes hold no descriptor at all
(``index``, ``mapping``), and the flusher thread fsyncs by path with a descriptor of its own
(``flush_state``), so closing a ``.log`` here never races an fsync. Together that keeps a
broker with tens of thousands of partitions under a soft ``RLIMIT_NOFILE`` of a thousand,
where keeping three descriptors per partition open stopped at a few hundred.

``capacity`` is ``kafkalite.log.open.files.max``; by default (0) half the soft limit on
open files at start, leaving the rest to connections and the flusher (``auto_capacity``).
``None`` means unbounded.

Owned by the event loop (or by the thread loading the data directory before the loop
serves). A descriptor handed out in a ``FileSlice`` must stay valid until the loop runs
again (the server duplicates it then), so a segment that gave out a slice is pinned until
the next turn of the loop and never closed in between: while one turn holds more slices
than ``capacity``, the cache is briefly larger. A reader gathering many slices in one turn
(a Fetch of thousands of partitions) reads them into memory once the cache is ``crowded``
and then calls ``unpin``.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from typing import Protocol

__all__ = ["DEFAULT_MIN_CAPACITY", "OpenFiles", "auto_capacity"]

log = logging.getLogger(__name__)

DEFAULT_MIN_CAPACITY = 32


class Holder(Protocol):
    """What the cache closes: a segment (``release`` closes its ``.log`` descriptor)."""

    def release(self) -> None: ...


def auto_capacity() -> int | None:
    """Half the soft limit on open files (at least ``DEFAULT_MIN_CAPACITY``); ``None``
    (unbounded) where there is no such limit."""
    try:
        import resource
    except ImportError:  # not a POSIX system
        return None
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return None
    return max(DEFAULT_MIN_CAPACITY, soft // 2)


class OpenFiles:
    """Open ``.log`` descriptors, least recently used first."""

    def __init__(self, capacity: int | None = None) -> None:
        self.capacity = capacity
        self._open: OrderedDict[Holder, None] = OrderedDict()
        self._pinned: set[Holder] = set()
        self._unpin_scheduled = False
        self.opens = 0  # descriptors opened so far (metrics, tests)
        self.closes = 0  # of which closed to stay within capacity

    def __len__(self) -> int:
        return len(self._open)

    def opened(self, holder: Holder) -> None:
        """``holder`` just opened its descriptor: count it, close others beyond capacity."""
        self.opens += 1
        self._open[holder] = None
        if self.capacity is not None and len(self._open) > self.capacity:
            self._shrink(keep=holder)

    def used(self, holder: Holder) -> None:
        """``holder``'s open descriptor was used: it becomes the most recently used."""
        try:  # noqa: SIM105 - every read and write passes here: no contextlib.suppress
            self._open.move_to_end(holder)
        except KeyError:  # opened outside the cache (never registered): nothing to track
            pass

    def forget(self, holder: Holder) -> None:
        """``holder`` closed its descriptor itself (segment closed or deleted)."""
        self._open.pop(holder, None)
        self._pinned.discard(holder)

    def pin(self, holder: Holder) -> None:
        """Keep ``holder`` open until the event loop runs again (see the module docs).
        Without a running loop there is nothing to wait for: the caller is done with the
        descriptor before it calls in here again."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._pinned.add(holder)
        if not self._unpin_scheduled:
            self._unpin_scheduled = True
            loop.call_soon(self._unpin)

    @property
    def crowded(self) -> bool:
        """Whether the slices given out this turn hold half the capacity or more: a reader
        gathering many slices should read them into memory now and call ``unpin``."""
        return self.capacity is not None and 2 * len(self._pinned) >= self.capacity

    def unpin(self) -> None:
        """Every slice given out so far was read (or dropped): nothing needs pinning."""
        self._pinned.clear()
        if self.capacity is not None and len(self._open) > self.capacity:
            self._shrink(keep=None)

    def _unpin(self) -> None:
        self._unpin_scheduled = False
        self._pinned.clear()
        if self.capacity is not None and len(self._open) > self.capacity:
            self._shrink(keep=None)

    def _shrink(self, keep: Holder | None) -> None:
        assert self.capacity is not None
        excess = len(self._open) - self.capacity
        victims: list[Holder] = []
        for holder in self._open:
            if excess <= len(victims):
                break
            if holder is not keep and holder not in self._pinned:
                victims.append(holder)
        for holder in victims:
            del self._open[holder]
            self.closes += 1
            try:
                holder.release()
            except OSError:  # close(2) failing leaves nothing to retry
                log.exception("closing a cached descriptor failed")
