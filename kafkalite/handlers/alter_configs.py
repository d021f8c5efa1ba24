"""AlterConfigs (api key 33), served v0-v2.

The legacy, replace-everything API: a TOPIC resource's overrides become exactly the configs
given (those left out return to their defaults), checked whole first (INVALID_CONFIG for an
unknown name or a bad value, UNKNOWN_TOPIC_OR_PARTITION, INVALID_TOPIC_EXCEPTION). Overrides
are stored durably and act at once (``topics.configs``). A resource given twice gets
INVALID_REQUEST "Each resource must appear at most once." on both entries; a config named
twice or with a null value is INVALID_REQUEST, as Kafka's ``ConfigAdminManager.preprocess``.

BROKER resources (a node id, or the empty name for the cluster default): the given configs
replace that level's dynamic broker configs, checked as Kafka checks them (INVALID_REQUEST
"Cannot update these configs dynamically" for a static one; ``topics.broker_configs``). BROKER_LOGGER and other types: INVALID_REQUEST, as in Kafka.
``validate_only`` checks everything and changes nothing.

Version notes: v1 same as v0; v2 flexible.
"""

from __future__ import annotations

from kafkalite.handlers.acl_support import alter_authorized
from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.messages.alter_configs import (
    AlterConfigsRequest,
    AlterConfigsResourceResponse,
    AlterConfigsResponse,
)
from kafkalite.topics.configs import Alteration
from kafkalite.topics.resources import alter_resources


async def handle(ctx: RequestContext, request: AlterConfigsRequest) -> AlterConfigsResponse:
    outcomes = alter_authorized(
        ctx,
        [
            (
                resource.resource_type,
                resource.resource_name,
                [Alteration(config.name, config.value) for config in resource.configs],
            )
            for resource in request.resources
        ],
        lambda allowed: alter_resources(
            ctx.cluster, allowed, incremental=False, validate_only=request.validate_only
        ),
    )
    return AlterConfigsResponse(
        responses=[
            AlterConfigsResourceResponse(
                error_code=code,
                error_message=message,
                resource_type=resource.resource_type,
                resource_name=resource.resource_name,
            )
            for resource, (code, message) in zip(request.resources, outcomes, strict=True)
        ]
    )
