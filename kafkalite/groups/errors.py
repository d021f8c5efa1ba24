"""The group coordinator's error codes (the generated wire ``ErrorCode``) and the offset
store's errors."""

from __future__ import annotations

from kafkalite.protocol.errors import ErrorCode

__all__ = ["EntryTooLargeError", "GroupErrorCode", "OffsetStoreError"]


GroupErrorCode = ErrorCode
"""The coordinator's codes are the generated wire ``ErrorCode``: one vocabulary everywhere."""


class OffsetStoreError(Exception):
    """Offsets or group metadata could not be stored; nothing in memory changed. The
    storage error behind it, if any, is its ``__cause__``."""


class EntryTooLargeError(OffsetStoreError):
    """The records of one commit exceed the topic's max.message.bytes (Kafka answers
    INVALID_COMMIT_OFFSET_SIZE)."""
