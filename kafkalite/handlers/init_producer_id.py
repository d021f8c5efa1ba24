"""InitProducerId (api key 22), served v0-v5.

Without a transactional id: an idempotent producer gets a new producer id with epoch 0.
Ids are never reused (see ``kafkalite.producer_ids``). From v3 (KIP-360) the request may
carry the producer's current id and epoch: they must come together or not at all
(INVALID_REQUEST otherwise, as ``KafkaApis.handleInitProducerIdRequest`` checks); without a
transactional id Kafka's transaction coordinator then "blindly accepts the request" and
hands out a new id with epoch 0, and so do we.

With a transactional id the transaction coordinator answers
(``TransactionCoordinator.init_producer_id``): only on the node leading the id's
``__transaction_state`` partition (NOT_COORDINATOR elsewhere); the id keeps its producer id
and gets its epoch bumped, fencing older instances; an open transaction is aborted first
and the client is told CONCURRENT_TRANSACTIONS, which it retries. A transaction timeout
above ``transaction.max.timeout.ms`` is INVALID_TRANSACTION_TIMEOUT.

An error answer carries producer id and epoch -1 (``InitProducerIdRequest.getErrorResponse``).

Version notes: v2 flexible; v3 producer id and epoch (KIP-360); v4 PRODUCER_FENCED, which
older versions get as INVALID_PRODUCER_EPOCH (KIP-588); v5 TRANSACTION_ABORTABLE (KIP-890),
never sent here. The layout never changes, and no version turns on transactions v2:
clients only do so when ApiVersions finalizes the ``transaction.version`` feature, which
kafkalite does not advertise.
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.init_producer_id import (
    InitProducerIdRequest,
    InitProducerIdResponse,
)
from kafkalite.security.acls import AclOperation, ResourceType
from kafkalite.transactions import error_for_version

NO_PRODUCER_ID = -1
NO_PRODUCER_EPOCH = -1


async def handle(ctx: RequestContext, request: InitProducerIdRequest) -> InitProducerIdResponse:
    # KafkaApis.handleInitProducerIdRequest: WRITE on the transactional id; an idempotent
    # producer needs IDEMPOTENT_WRITE on the cluster or WRITE on some topic (KIP-679).
    if request.transactional_id is not None:
        if not ctx.allows_transactional_id(AclOperation.WRITE, request.transactional_id):
            return _error(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED)
    elif not (
        ctx.allows_cluster(AclOperation.IDEMPOTENT_WRITE)
        or ctx.allows_any(AclOperation.WRITE, ResourceType.TOPIC)
    ):
        return _error(ErrorCode.CLUSTER_AUTHORIZATION_FAILED)
    if (request.producer_id == NO_PRODUCER_ID) != (request.producer_epoch == NO_PRODUCER_EPOCH):
        return _error(ErrorCode.INVALID_REQUEST)
    if request.transactional_id is not None:
        return _transactional(ctx, request, request.transactional_id)
    allocator = ctx.cluster.producer_ids
    assert allocator is not None, "the broker has started"
    return InitProducerIdResponse(producer_id=allocator.next_id(), producer_epoch=0)


def _transactional(
    ctx: RequestContext, request: InitProducerIdRequest, transactional_id: str
) -> InitProducerIdResponse:
    coordinator = ctx.cluster.transactions
    assert coordinator is not None, "the broker has started"
    if transactional_id and not ctx.coordinates_transaction(transactional_id):
        return _error(ErrorCode.NOT_COORDINATOR)
    result = coordinator.init_producer_id(
        transactional_id,
        request.transaction_timeout_ms,
        request.producer_id,
        request.producer_epoch,
    )
    if result.error_code != ErrorCode.NONE:
        return _error(error_for_version(result.error_code, "InitProducerId", ctx.version))
    return InitProducerIdResponse(producer_id=result.producer_id, producer_epoch=result.producer_epoch)


def _error(code: ErrorCode) -> InitProducerIdResponse:
    return InitProducerIdResponse(error_code=code, producer_id=NO_PRODUCER_ID, producer_epoch=NO_PRODUCER_EPOCH)
