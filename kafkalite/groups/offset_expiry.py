"""Which committed offsets have expired (``offsets.retention.minutes``, KIP-211).

Kafka's group coordinator looks for expired offsets every
``offsets.retention.check.interval.ms`` (10 minutes) and writes a tombstone to
``__consumer_offsets`` for each; a group left Empty with no offsets is then deleted too
(its metadata tombstoned). An offset has expired when ``now - base >= retention``, where the
base is (``ClassicGroup.offsetExpirationCondition``):
- a group with no protocol type (offsets committed with no group membership: "simple" or
  standalone commits): the offset's commit timestamp;
- an Empty group with a protocol type: the time the group became Empty, or the commit
  timestamp when that is not known;
- a Stable consumer group: only offsets of topics no member subscribes to any more, from
  their commit timestamp (KIP-496);
- any other group (rebalancing, or Stable with a protocol that is not ``consumer``): none.
Offsets still pending in an open transaction never expire.

This module decides; ``GroupCoordinator.expire_offsets`` acts.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

from .api import CONSUMER_PROTOCOL_TYPE, CommittedOffset, TopicPartition
from .state import GroupState

__all__ = ["expired_offsets"]


def expired_offsets(
    offsets: Mapping[TopicPartition, CommittedOffset],
    *,
    state: GroupState,
    protocol_type: str | None,
    subscribed: Collection[str] | None,
    empty_since_ms: int | None,
    now_ms: int,
    retention_ms: int,
    is_pending: Callable[[TopicPartition], bool] = lambda tp: False,
) -> list[TopicPartition]:
    """The partitions of ``offsets`` whose committed offset has expired, sorted."""
    if not protocol_type:
        if state is not GroupState.EMPTY:
            return []
        candidates, base = offsets, None
    elif state is GroupState.EMPTY:
        candidates, base = offsets, empty_since_ms
    elif (
        state is GroupState.STABLE
        and protocol_type == CONSUMER_PROTOCOL_TYPE
        and subscribed is not None
    ):
        candidates = {tp: c for tp, c in offsets.items() if tp.topic not in subscribed}
        base = None
    else:
        return []
    expired = []
    for tp, committed in candidates.items():
        since = base if base is not None else committed.commit_timestamp_ms
        if now_ms - since >= retention_ms and not is_pending(tp):
            expired.append(tp)
    return sorted(expired)
