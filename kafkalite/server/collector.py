"""Hold Python's full garbage collections while a large request is served.

A request of hundreds of thousands of entries (a Produce naming 400,000 partitions) becomes
millions of live objects while it is decoded, handled and answered in slices. Each time the
objects surviving young collections grow by a quarter, CPython runs a full collection that
walks every live object at once: with such a request in flight that is up to a second during
which no other connection is served, although it frees nothing (the objects are in use).

``hold_full_collections`` raises the third collection threshold while at least one large
request is in flight and puts it back after the last one; young collections go on as usual,
and the objects of the request are freed by reference counting when it is answered.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Generator, Iterator

__all__ = ["hold_full_collections", "take_apart"]

_NEVER = 1 << 30
_held = 0
_saved: tuple[int, int, int] | None = None


@contextlib.contextmanager
def hold_full_collections() -> Iterator[None]:
    global _held, _saved
    if _held == 0:
        _saved = gc.get_threshold()
        gc.set_threshold(_saved[0], _saved[1], _NEVER)
    _held += 1
    try:
        yield
    finally:
        _held -= 1
        if _held == 0 and _saved is not None:
            current = gc.get_threshold()
            if current[2] == _NEVER:  # nobody changed it meanwhile
                gc.set_threshold(current[0], current[1], _saved[2])
            _saved = None


_BIG = 64
"""Lists longer than this are taken apart in slices by ``take_apart``."""


def take_apart(message: object, step: int = 250) -> Generator[None, None, None]:
    """Empty the long lists of a large decoded request or built response, ``step``
    elements per step. Dropping the last reference to a message of 400,000 entries frees
    millions of objects in one go, which takes as long as a full collection; emptying it in
    slices spreads that out. The message is unusable afterwards."""
    for name in getattr(message, "__slots__", ()):
        value = getattr(message, name, None)
        if not isinstance(value, list) or len(value) <= _BIG:
            if isinstance(value, list):
                for item in value:
                    yield from take_apart(item, step)
            continue
        while value:
            tail = value[-step:]
            for item in tail:
                yield from take_apart(item, step)
            del value[-step:]
            del tail
            yield
