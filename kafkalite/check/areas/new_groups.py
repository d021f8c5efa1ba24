"""KIP-932 share groups: checked only where advertised (KIP-848 consumer groups: consumer_groups.py)."""

from __future__ import annotations

from kafkalite.check.context import CheckContext
from kafkalite.check.registry import Skip, check

_SHARE_GROUP_HEARTBEAT = 76
_SHARE_FETCH = 78


def _advertised_only(ctx: CheckContext, api: int, name: str) -> None:
    served = ctx.connection().versions.get(api)
    if served is None:
        raise Skip(
            f"{name} is not advertised: the broker has no such groups (Kafka before 4.0, or disabled)"
        )
    raise Skip(
        f"{name} v{served[0]}-v{served[1]} advertised; this suite has no scenario for it yet"
    )


@check(
    "new_groups",
    "ShareGroupHeartbeat and ShareFetch (KIP-932 share groups) are served: a member joins "
    "and is assigned the topic, ShareFetch acquires new records with delivery count 1, "
    "ShareAcknowledge accepts, releases and rejects them, only the released one comes back "
    "(delivery count 2), and wrong share-session epochs get Kafka's errors.",
    "KIP-932; Kafka SharePartitionManager, ShareSessionCache",
)
def share_groups(ctx: CheckContext) -> None:
    from kafkalite.check.areas.share_scenario import share_group_round_trip

    connection = ctx.connection()
    if connection.versions.get(_SHARE_GROUP_HEARTBEAT) is None or connection.versions.get(_SHARE_FETCH) is None:
        _advertised_only(ctx, _SHARE_GROUP_HEARTBEAT, "ShareGroupHeartbeat")
    share_group_round_trip(ctx)
