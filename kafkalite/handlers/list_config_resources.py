"""ListConfigResources (api key 74), served v0-v1.

The resources that have configs (KIP-1142): topics (type 2, every topic, internal ones
included), brokers (4, every node id), groups (32, every group this node coordinates). v0
and type 16 list client metrics resources (KIP-714): none exist, since client metrics
subscriptions cannot be configured here. An empty type list means every type; any other
type (BROKER_LOGGER, unknown) is UNSUPPORTED_VERSION, as Kafka answers it.

Version notes: v0 was ListClientMetricsResources (client metrics only); v1 resource_types and
each resource's type.
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.constants import ResourceType
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.list_config_resources import (
    ConfigResource,
    ListConfigResourcesRequest,
    ListConfigResourcesResponse,
)
from kafkalite.security.acls import AclOperation

LISTED = (ResourceType.CLIENT_METRICS, ResourceType.TOPIC, ResourceType.GROUP, ResourceType.BROKER)


async def handle(
    ctx: RequestContext, request: ListConfigResourcesRequest
) -> ListConfigResourcesResponse:
    if not ctx.allows_cluster(AclOperation.DESCRIBE_CONFIGS):
        return ListConfigResourcesResponse(error_code=ErrorCode.CLUSTER_AUTHORIZATION_FAILED)
    if ctx.version == 0:
        types: list[int] = [ResourceType.CLIENT_METRICS]
    else:
        types = list(request.resource_types) or list(LISTED)
    if any(t not in LISTED for t in types):
        return ListConfigResourcesResponse(error_code=ErrorCode.UNSUPPORTED_VERSION)
    cluster = ctx.cluster
    resources: list[ConfigResource] = []
    for resource_type in LISTED:
        if resource_type not in types:
            continue
        if resource_type == ResourceType.TOPIC:
            names = sorted(cluster.topics())
        elif resource_type == ResourceType.BROKER:
            names = [str(node_id) for node_id in sorted(cluster.nodes)]
        elif resource_type == ResourceType.GROUP:
            names = sorted(
                listing.group_id for listing in cluster.groups.list_groups(None)
                if ctx.coordinates(listing.group_id)
            )
        else:
            names = []
        resources.extend(ConfigResource(resource_name=n, resource_type=resource_type) for n in names)
    return ListConfigResourcesResponse(config_resources=resources)
