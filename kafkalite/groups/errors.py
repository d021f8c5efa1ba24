"""Wire error codes the group coordinator answers with, and the offset store's errors.

The coordinator is wire-agnostic, so it speaks in plain ints; this IntEnum names the
subset it uses. The values are Kafka's (`org.apache.kafka.common.protocol.Errors`), so
they compare equal to the generated protocol `ErrorCode` members and can be copied
into responses unchanged.
"""

from __future__ import annotations

from enum import IntEnum

__all__ = ["EntryTooLargeError", "GroupErrorCode", "OffsetStoreError"]


class GroupErrorCode(IntEnum):
    """Error codes of the classic group and offset APIs."""

    UNKNOWN_SERVER_ERROR = -1
    NONE = 0
    OFFSET_METADATA_TOO_LARGE = 12
    COORDINATOR_LOAD_IN_PROGRESS = 14
    COORDINATOR_NOT_AVAILABLE = 15
    NOT_COORDINATOR = 16
    ILLEGAL_GENERATION = 22
    INCONSISTENT_GROUP_PROTOCOL = 23
    INVALID_GROUP_ID = 24
    UNKNOWN_MEMBER_ID = 25
    INVALID_SESSION_TIMEOUT = 26
    REBALANCE_IN_PROGRESS = 27
    INVALID_COMMIT_OFFSET_SIZE = 28
    INVALID_PRODUCER_EPOCH = 47
    NON_EMPTY_GROUP = 68
    GROUP_ID_NOT_FOUND = 69
    MEMBER_ID_REQUIRED = 79
    GROUP_MAX_SIZE_REACHED = 81
    FENCED_INSTANCE_ID = 82
    GROUP_SUBSCRIBED_TO_TOPIC = 86
    UNSTABLE_OFFSET_COMMIT = 88


class OffsetStoreError(Exception):
    """Offsets or group metadata could not be stored; nothing in memory changed. The
    storage error behind it, if any, is its ``__cause__``."""


class EntryTooLargeError(OffsetStoreError):
    """The records of one commit exceed the topic's max.message.bytes (Kafka answers
    INVALID_COMMIT_OFFSET_SIZE)."""
