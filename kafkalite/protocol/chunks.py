"""What an encoded message is made of: byte runs and slices of open files."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FileSlice"]


@dataclass(frozen=True, slots=True)
class FileSlice:
    """Bytes of an open file, to be sent with sendfile without passing through Python.

    ``fd`` is owned by the storage layer and stays valid until the event loop next runs;
    the server ``os.dup``s it right after encoding, so a segment deleted meanwhile is still
    readable through the duplicate (POSIX unlink semantics).
    """

    fd: int
    position: int
    length: int
