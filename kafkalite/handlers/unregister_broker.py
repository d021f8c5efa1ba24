"""UnregisterBroker (api key 64), served v0.

Removes a broker's registration, as Kafka's controller does (``Admin.unregisterBroker``,
``kafka-cluster.sh unregister``): ALTER on the cluster is required
(CLUSTER_AUTHORIZATION_FAILED), a node id that is not a registered broker answers
BROKER_ID_NOT_REGISTERED. Otherwise the node leaves every ISR, the partitions it led elect
another in-sync replica (or go offline), and it is no longer listed by Metadata or
DescribeCluster, fenced or not. A stopped node (``--brokers N``, control ``stop_broker``)
is registered until then, as a fenced Kafka broker is. A live node stays unregistered
until it is started again: a Kafka broker whose registration was removed gets
STALE_BROKER_EPOCH on every heartbeat and registers anew only when it restarts.
Kafka's answer carries an error code only, never a message.
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.unregister_broker import (
    UnregisterBrokerRequest,
    UnregisterBrokerResponse,
)
from kafkalite.security.acls import AclOperation


async def handle(ctx: RequestContext, request: UnregisterBrokerRequest) -> UnregisterBrokerResponse:
    if not ctx.allows_cluster(AclOperation.ALTER):
        return UnregisterBrokerResponse(error_code=ErrorCode.CLUSTER_AUTHORIZATION_FAILED)
    if not ctx.cluster.unregister_node(request.broker_id):
        return UnregisterBrokerResponse(error_code=ErrorCode.BROKER_ID_NOT_REGISTERED)
    return UnregisterBrokerResponse()
