"""ListGroups (api key 16), served v0-v5.

Lists every group this broker coordinates: classic groups with their protocol type
("consumer", or "" for a group that only ever had offsets committed), consumer groups
of the KIP-848 protocol (protocol type "consumer", type "consumer") and share groups
(KIP-932: protocol type "share", type "share").

Version notes: v1 throttle_time_ms; v3 flexible; v4 states_filter (KIP-518,
case-insensitive, empty for all) and each group's state in the answer; v5 types_filter
(KIP-848, case-insensitive, empty for all) and each group's type, "classic", "consumer" or
"share" (streams groups are not served).
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.messages.list_groups import (
    ListedGroup,
    ListGroupsRequest,
    ListGroupsResponse,
)
from kafkalite.security.acls import AclOperation

STATES_VERSION = 4
TYPES_VERSION = 5


async def handle(ctx: RequestContext, request: ListGroupsRequest) -> ListGroupsResponse:
    with_states = ctx.version >= STATES_VERSION
    with_types = ctx.version >= TYPES_VERSION
    listings = ctx.cluster.groups.list_groups(
        request.states_filter if with_states else None,
        request.types_filter if with_types else None,
    )
    # KafkaApis.handleListGroupsRequest: DESCRIBE on the cluster lists every group, else
    # only the groups the principal may DESCRIBE.
    everything = ctx.allows_cluster(AclOperation.DESCRIBE)
    return ListGroupsResponse(groups=[
        ListedGroup(
            group_id=listing.group_id,
            protocol_type=listing.protocol_type,
            group_state=listing.group_state if with_states else "",
            group_type=listing.group_type if with_types else "",
        )
        for listing in listings
        if ctx.coordinates(listing.group_id)
        and (everything or ctx.allows_group(AclOperation.DESCRIBE, listing.group_id))
    ])
