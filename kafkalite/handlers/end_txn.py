"""EndTxn (api key 26), served v0-v5.

Commits or aborts the producer's transaction (Kafka's ``KafkaApis.handleEndTxnRequest``):
the coordinator logs PrepareCommit/PrepareAbort, writes the COMMIT or ABORT markers into
every partition of the transaction (all local, so before answering), then logs
CompleteCommit/CompleteAbort. Only the node leading the transactional id's
``__transaction_state`` partition answers (NOT_COORDINATOR elsewhere). A retried EndTxn of
a transaction already ended the same way succeeds; one still writing its markers gets
CONCURRENT_TRANSACTIONS; ending a transaction that is not open is INVALID_TXN_STATE.

Version notes: v2 PRODUCER_FENCED, which v0-v1 get as INVALID_PRODUCER_EPOCH (KIP-588);
v3 flexible; v5 answers the producer id and epoch to use next. Transactions are version 1
(the ``transaction.version`` feature is not advertised, so no client expects KIP-890's
epoch bump at every EndTxn): a v5 answer carries the producer's current id and epoch.
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.end_txn import EndTxnRequest, EndTxnResponse
from kafkalite.security.acls import AclOperation
from kafkalite.transactions import error_for_version

PRODUCER_ID_VERSION = 5


async def handle(ctx: RequestContext, request: EndTxnRequest) -> EndTxnResponse:
    if not ctx.allows_transactional_id(AclOperation.WRITE, request.transactional_id):
        return EndTxnResponse(error_code=ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED)
    if not ctx.coordinates_transaction(request.transactional_id):
        return EndTxnResponse(error_code=ErrorCode.NOT_COORDINATOR)
    coordinator = ctx.cluster.transactions
    assert coordinator is not None, "the broker has started"
    result = coordinator.end_txn(
        request.transactional_id, request.producer_id, request.producer_epoch, request.committed
    )
    response = EndTxnResponse(error_code=error_for_version(result.error_code, "EndTxn", ctx.version))
    if ctx.version >= PRODUCER_ID_VERSION:
        response.producer_id = result.producer_id
        response.producer_epoch = result.producer_epoch
    return response
