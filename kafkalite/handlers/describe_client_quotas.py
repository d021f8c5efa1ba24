"""DescribeClientQuotas (api key 48), served v0-v1 (KIP-546).

The quota entities matching the filter, with their values, as Kafka's
``ClientQuotaImage.describe`` matches them (``kafkalite.security.quotas``). A filter Kafka
refuses (a type named twice, ip with user or client-id, an unknown type or match type) is
INVALID_REQUEST with its message and null entries. Needs DESCRIBE_CONFIGS on the cluster
(CLUSTER_AUTHORIZATION_FAILED).

Version notes: v1 flexible.
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.describe_client_quotas import (
    DescribeClientQuotasRequest,
    DescribeClientQuotasResponse,
    EntityData,
    EntryData,
    ValueData,
)
from kafkalite.protocol.messages.error_codes import MESSAGES
from kafkalite.security.acls import AclOperation
from kafkalite.security.quotas import QuotaError


async def handle(
    ctx: RequestContext, request: DescribeClientQuotasRequest
) -> DescribeClientQuotasResponse:
    if not ctx.allows_cluster(AclOperation.DESCRIBE_CONFIGS):
        code = ErrorCode.CLUSTER_AUTHORIZATION_FAILED
        return DescribeClientQuotasResponse(error_code=code, error_message=MESSAGES.get(code))
    try:
        found = ctx.cluster.quotas.describe(
            [(c.entity_type, c.match_type, c.match) for c in request.components], request.strict
        )
    except QuotaError as exc:
        return DescribeClientQuotasResponse(error_code=ErrorCode.INVALID_REQUEST, error_message=str(exc))
    return DescribeClientQuotasResponse(entries=[
        EntryData(
            entity=[EntityData(entity_type=t, entity_name=n) for t, n in entity],
            values=[ValueData(key=k, value=v) for k, v in sorted(values.items())],
        )
        for entity, values in found
    ])
