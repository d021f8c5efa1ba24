"""ListGroups (api key 16), served v0-v4.

Lists every classic group this broker coordinates, with its protocol type ("consumer",
or "" for a group that only ever had offsets committed).

Version notes: v1 throttle_time_ms; v3 flexible; v4 states_filter (KIP-518,
case-insensitive, empty for all) and each group's state in the answer.

Not implemented: v5 types_filter (KIP-848); every group here is "classic".
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.messages.list_groups import (
    ListedGroup,
    ListGroupsRequest,
    ListGroupsResponse,
)

STATES_VERSION = 4


async def handle(ctx: RequestContext, request: ListGroupsRequest) -> ListGroupsResponse:
    with_states = ctx.version >= STATES_VERSION
    listings = ctx.cluster.groups.list_groups(request.states_filter if with_states else None)
    return ListGroupsResponse(groups=[
        ListedGroup(
            group_id=listing.group_id,
            protocol_type=listing.protocol_type,
            group_state=listing.group_state if with_states else "",
        )
        for listing in listings
        if ctx.coordinates(listing.group_id)
    ])
