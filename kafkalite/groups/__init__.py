"""Classic consumer groups and committed offsets (JoinGroup through OffsetDelete).

The wire-agnostic domain layer: handlers translate wire messages into the dataclasses
of `api.py`, call `GroupCoordinator`, and translate the results back.

- `coordinator.py`  GroupCoordinator: the asyncio edge, offsets and admin operations
- `manager.py`      GroupManager: JoinGroup/SyncGroup/Heartbeat/LeaveGroup, synchronous
- `rebalance.py`    Rebalancer: join and sync phases, sessions, timers
- `membership.py`   ClassicGroup/Member: membership bookkeeping
- `state.py`        the state table: legal transitions and per-state answers
- `offsets.py`      OffsetStore: offsets and group metadata in `__consumer_offsets`
- `group_records.py` Kafka's key/value records of that topic
- `offset_log.py`   the private log of older versions, read once to migrate it
- `timer.py`        keyed timers: LoopTimer for the broker, ManualTimer for tests
- `errors.py`       GroupErrorCode, OffsetStoreError
"""

from .api import (
    CONSUMER_PROTOCOL_TYPE,
    UNKNOWN_MEMBER_ID,
    CommitEntry,
    CommittedOffset,
    FetchedOffset,
    GroupConfig,
    GroupDescription,
    GroupListing,
    JoinMember,
    JoinRequest,
    JoinResult,
    LeaveMember,
    LeaveMemberResult,
    LeaveResult,
    MemberDescription,
    OffsetDeleteResult,
    OffsetFetchResult,
    Protocol,
    SubscribedTopics,
    SyncRequest,
    SyncResult,
    TopicPartition,
)
from .coordinator import GroupCoordinator
from .errors import GroupErrorCode, OffsetStoreError
from .manager import GroupManager
from .offsets import OffsetStore
from .state import GroupState
from .timer import LoopTimer, ManualTimer, Timer

__all__ = [
    "CONSUMER_PROTOCOL_TYPE",
    "UNKNOWN_MEMBER_ID",
    "CommitEntry",
    "CommittedOffset",
    "FetchedOffset",
    "GroupConfig",
    "GroupCoordinator",
    "GroupDescription",
    "GroupErrorCode",
    "GroupListing",
    "GroupManager",
    "GroupState",
    "JoinMember",
    "JoinRequest",
    "JoinResult",
    "LeaveMember",
    "LeaveMemberResult",
    "LeaveResult",
    "LoopTimer",
    "ManualTimer",
    "MemberDescription",
    "OffsetDeleteResult",
    "OffsetFetchResult",
    "OffsetStore",
    "OffsetStoreError",
    "Protocol",
    "SubscribedTopics",
    "SyncRequest",
    "SyncResult",
    "Timer",
    "TopicPartition",
]
