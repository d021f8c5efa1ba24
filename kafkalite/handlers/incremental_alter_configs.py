"""IncrementalAlterConfigs (api key 44), served v0-v1.

Per config: SET (0) a value, DELETE (1) the override, APPEND (2) or SUBTRACT (3) items of a
LIST config (``cleanup.policy``, the replication throttles; INVALID_CONFIG for others),
starting from the topic-level default when the topic has no override (KIP-339). The
resulting override set is checked whole, then stored durably and acts at once
(``topics.configs``). A resource given twice gets INVALID_REQUEST "Each resource must appear
at most once." on both entries; a config named twice, or a null value outside DELETE, is
INVALID_REQUEST.

BROKER resources (a node id, or the empty name for the cluster default): the operations act
on that level's dynamic broker configs, stored and live at once (``topics.broker_configs``). BROKER_LOGGER (8): SET or DELETE logger levels, not persisted
(KIP-412; ``topics.broker_configs``). ``validate_only`` checks everything and changes nothing.

Version notes: v1 flexible.
"""

from __future__ import annotations

from kafkalite.handlers.acl_support import alter_authorized
from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.messages.incremental_alter_configs import (
    IncrementalAlterConfigsRequest,
    IncrementalAlterConfigsResourceResponse,
    IncrementalAlterConfigsResponse,
)
from kafkalite.topics.configs import Alteration
from kafkalite.topics.resources import alter_resources


async def handle(
    ctx: RequestContext, request: IncrementalAlterConfigsRequest
) -> IncrementalAlterConfigsResponse:
    outcomes = alter_authorized(
        ctx,
        [
            (
                resource.resource_type,
                resource.resource_name,
                [
                    Alteration(config.name, config.value, config.config_operation)
                    for config in resource.configs
                ],
            )
            for resource in request.resources
        ],
        lambda allowed: alter_resources(
            ctx.cluster, allowed, incremental=True, validate_only=request.validate_only
        ),
    )
    return IncrementalAlterConfigsResponse(
        responses=[
            IncrementalAlterConfigsResourceResponse(
                error_code=code,
                error_message=message,
                resource_type=resource.resource_type,
                resource_name=resource.resource_name,
            )
            for resource, (code, message) in zip(request.resources, outcomes, strict=True)
        ]
    )
