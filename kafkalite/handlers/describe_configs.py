"""DescribeConfigs (api key 32), served v0-v4.

Resources: TOPIC (2) gives every topic config with its effective value and source
(DYNAMIC_TOPIC_CONFIG for an override, STATIC_BROKER_CONFIG or DEFAULT_CONFIG through its
broker synonym); BROKER (4), named by the node id, every broker property (DYNAMIC_BROKER_CONFIG,
DYNAMIC_DEFAULT_BROKER_CONFIG, STATIC_BROKER_CONFIG or DEFAULT_CONFIG; read-only unless Kafka
can change it at run time), and the empty name the cluster-wide dynamic defaults; BROKER_LOGGER (8) the logger levels
(DYNAMIC_BROKER_LOGGER_CONFIG). Anything else is INVALID_REQUEST for that resource. Errors are
per resource: UNKNOWN_TOPIC_OR_PARTITION, INVALID_TOPIC_EXCEPTION, INVALID_REQUEST (a broker
id that is not ours). A null or empty ``configuration_keys`` means every config. See
``topics.configs`` and ``topics.broker_configs``.

Version notes: v0 has no ``include_synonyms`` and gives each config ``is_default`` (true when
its source is DEFAULT_CONFIG) instead of its source and synonyms (removed in Kafka 4, KIP-896;
served as Kafka 3.x served it); v1 synonyms (``include_synonyms``) and config_source replace
is_default (KIP-226); v2 same as v1; v3 ``include_documentation`` and config_type (KIP-569); v4 flexible.
"""

from __future__ import annotations

from kafkalite.handlers.acl_support import config_refusal
from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.constants import ConfigSource
from kafkalite.protocol.errors import KafkaError
from kafkalite.protocol.messages.describe_configs import (
    DescribeConfigsRequest,
    DescribeConfigsResourceResult,
    DescribeConfigsResponse,
    DescribeConfigsResult,
    DescribeConfigsSynonym,
)
from kafkalite.security.acls import AclOperation
from kafkalite.topics.model import error_message
from kafkalite.topics.resources import describe_resource


async def handle(ctx: RequestContext, request: DescribeConfigsRequest) -> DescribeConfigsResponse:
    documentation = request.include_documentation and ctx.version >= 3
    response = DescribeConfigsResponse()
    for resource in request.resources:
        result = DescribeConfigsResult(
            resource_type=resource.resource_type, resource_name=resource.resource_name
        )
        response.results.append(result)
        refusal = config_refusal(
            ctx, resource.resource_type, resource.resource_name, AclOperation.DESCRIBE_CONFIGS
        )
        if refusal:
            result.error_code = refusal
            continue
        try:
            entries = describe_resource(
                ctx.cluster,
                resource.resource_type,
                resource.resource_name,
                resource.configuration_keys,
                synonyms=request.include_synonyms,
                documentation=documentation,
            )
        except KafkaError as exc:
            result.error_code = exc.code
            result.error_message = error_message(exc)
            continue
        result.configs = [
            DescribeConfigsResourceResult(
                name=entry.name,
                value=entry.value,
                read_only=entry.read_only,
                config_source=entry.source,
                is_default=ctx.version == 0 and entry.source == ConfigSource.DEFAULT_CONFIG,
                is_sensitive=entry.sensitive,
                synonyms=[
                    DescribeConfigsSynonym(name=s.name, value=s.value, source=s.source)
                    for s in entry.synonyms
                ],
                config_type=entry.config_type,
                documentation=entry.documentation,
            )
            for entry in entries
        ]
    return response
