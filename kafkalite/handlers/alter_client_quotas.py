"""AlterClientQuotas (api key 49), served v0-v1 (KIP-546).

Sets or removes quota values of user, client-id and ip entities (a null name is the type's
default entity), checked as Kafka's ``ClientQuotaControlManager`` checks them
(INVALID_REQUEST with its message: an empty or unknown entity, ip combined with user or
client-id, a key the entity type has no use for, a byte rate that is not a whole number, a
value not above 0). Each entry succeeds or fails alone; ``validate_only`` checks without
applying. Quotas are persisted, and ``producer_byte_rate``/``consumer_byte_rate`` apply to
Produce and Fetch at once. Needs ALTER_CONFIGS on the cluster (CLUSTER_AUTHORIZATION_FAILED).

Version notes: v1 flexible.
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.alter_client_quotas import (
    AlterClientQuotasRequest,
    AlterClientQuotasResponse,
    EntityResult,
    EntryResult,
)
from kafkalite.protocol.messages.error_codes import MESSAGES
from kafkalite.security.acls import AclOperation
from kafkalite.security.quotas import Op, QuotaError, entity_of


async def handle(ctx: RequestContext, request: AlterClientQuotasRequest) -> AlterClientQuotasResponse:
    allowed = ctx.allows_cluster(AclOperation.ALTER_CONFIGS)
    store = ctx.cluster.quotas
    response = AlterClientQuotasResponse()
    changed = False
    for entry in request.entries:
        result = EntryResult(entity=[
            EntityResult(entity_type=e.entity_type, entity_name=e.entity_name) for e in entry.entity
        ])
        response.entries.append(result)
        if not allowed:
            result.error_code = ErrorCode.CLUSTER_AUTHORIZATION_FAILED
            result.error_message = MESSAGES.get(ErrorCode.CLUSTER_AUTHORIZATION_FAILED)
            continue
        ops = [Op(op.key, op.value, op.remove) for op in entry.ops]
        try:
            entity = entity_of((e.entity_type, e.entity_name) for e in entry.entity)
            store.check(entity, ops)
        except QuotaError as exc:
            result.error_code = ErrorCode.INVALID_REQUEST
            result.error_message = str(exc)
            continue
        if not request.validate_only:
            store.alter(entity, ops)
            changed = True
    if changed:
        ctx.cluster.save_leadership()
    return response
