"""AddOffsetsToTxn (api key 25), served v0-v4.

Adds the group's ``__consumer_offsets`` partition to the producer's transaction, so the
offsets it then sends with TxnOffsetCommit commit or abort with the transaction (Kafka's
``KafkaApis.handleAddOffsetsToTxnRequest``). Only the node leading the transactional id's
``__transaction_state`` partition answers (NOT_COORDINATOR elsewhere).

Version notes: v2 PRODUCER_FENCED, which v0-v1 get as INVALID_PRODUCER_EPOCH (KIP-588);
v3 flexible; v4 TRANSACTION_ABORTABLE (KIP-890), never sent here.
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.add_offsets_to_txn import (
    AddOffsetsToTxnRequest,
    AddOffsetsToTxnResponse,
)
from kafkalite.security.acls import AclOperation
from kafkalite.transactions import error_for_version


async def handle(ctx: RequestContext, request: AddOffsetsToTxnRequest) -> AddOffsetsToTxnResponse:
    # KafkaApis.handleAddOffsetsToTxnRequest: WRITE on the transactional id, READ on the group.
    if not ctx.allows_transactional_id(AclOperation.WRITE, request.transactional_id):
        return AddOffsetsToTxnResponse(error_code=ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED)
    if not ctx.allows_group(AclOperation.READ, request.group_id):
        return AddOffsetsToTxnResponse(error_code=ErrorCode.GROUP_AUTHORIZATION_FAILED)
    if not ctx.coordinates_transaction(request.transactional_id):
        return AddOffsetsToTxnResponse(error_code=ErrorCode.NOT_COORDINATOR)
    coordinator = ctx.cluster.transactions
    assert coordinator is not None, "the broker has started"
    error = coordinator.add_offsets(
        request.transactional_id, request.producer_id, request.producer_epoch, request.group_id
    )
    return AddOffsetsToTxnResponse(error_code=error_for_version(error, "AddOffsetsToTxn", ctx.version))
