"""DescribeCluster (api key 60), served v0-v2.

The cluster id, the controller (the lowest online node id) and every online node at its
advertised address. ``cluster_authorized_operations`` is set
when asked for (no authorizer: every cluster operation, as Metadata reports them; with ACLs,
those the principal may perform, 0 without DESCRIBE on the cluster), else Integer.MIN_VALUE.

Version notes: v0 flexible from the start (KIP-700); v1 endpoint_type (KIP-919): 1 (brokers)
is served; 2 (controllers) is MISMATCHED_ENDPOINT_TYPE, as from a broker listener, and any
other value UNSUPPORTED_ENDPOINT_TYPE (INVALID_REQUEST in v0, which cannot carry either);
v2 include_fenced_brokers (KIP-1073): a stopped node (``--brokers``, control
``stop_broker``) is what Kafka calls fenced, listed with ``is_fenced`` when asked for.
A node whose registration UnregisterBroker removed is not listed at all.
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.handlers.metadata import UNSET_OPERATIONS, cluster_operations
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.describe_cluster import (
    DescribeClusterBroker,
    DescribeClusterRequest,
    DescribeClusterResponse,
)

BROKERS, CONTROLLERS = 1, 2


async def handle(ctx: RequestContext, request: DescribeClusterRequest) -> DescribeClusterResponse:
    broker = ctx.cluster
    version = ctx.version
    if request.endpoint_type not in (BROKERS, CONTROLLERS):
        return DescribeClusterResponse(
            error_code=ErrorCode.UNSUPPORTED_ENDPOINT_TYPE
            if version >= 1
            else ErrorCode.INVALID_REQUEST,
            error_message=f"Unsupported endpoint type {request.endpoint_type}",
        )
    if request.endpoint_type == CONTROLLERS:
        return DescribeClusterResponse(
            error_code=ErrorCode.MISMATCHED_ENDPOINT_TYPE
            if version >= 1
            else ErrorCode.INVALID_REQUEST,
            error_message="The request was sent to an endpoint of type BROKER, but we wanted an "
            "endpoint of type CONTROLLER",
        )
    return DescribeClusterResponse(
        endpoint_type=BROKERS,
        cluster_id=broker.cluster_id,
        controller_id=broker.controller_id,
        brokers=[
            DescribeClusterBroker(
                broker_id=node.id, host=host, port=port, rack=node.rack, is_fenced=not node.online,
            )
            for node in sorted(broker.nodes.values(), key=lambda n: n.id)
            if node.registered
            and (node.online or (version >= 2 and request.include_fenced_brokers))
            for host, port in [ctx.address(node)]
        ],
        cluster_authorized_operations=(
            cluster_operations(ctx)
            if request.include_cluster_authorized_operations
            else UNSET_OPERATIONS
        ),
    )
