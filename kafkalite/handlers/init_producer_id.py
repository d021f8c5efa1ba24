"""InitProducerId (api key 22), served v0-v4.

Gives an idempotent producer a new producer id with epoch 0. Ids are never reused (see
``kafkalite.producer_ids``). From v3 (KIP-360) the request may carry the producer's
current id and epoch: they must come together or not at all (INVALID_REQUEST otherwise,
as ``KafkaApis.handleInitProducerIdRequest`` checks); without a transactional id Kafka's
transaction coordinator then "blindly accepts the request" and hands out a new id with
epoch 0, and so do we. An error answer carries producer id and epoch -1
(``InitProducerIdRequest.getErrorResponse``).

Not implemented: transactional ids (the transaction coordinator). A request with one gets
TRANSACTIONAL_ID_AUTHORIZATION_FAILED, so the client fails fast with a clear error.
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.init_producer_id import (
    InitProducerIdRequest,
    InitProducerIdResponse,
)

NO_PRODUCER_ID = -1
NO_PRODUCER_EPOCH = -1


async def handle(ctx: RequestContext, request: InitProducerIdRequest) -> InitProducerIdResponse:
    if (request.producer_id == NO_PRODUCER_ID) != (request.producer_epoch == NO_PRODUCER_EPOCH):
        return _error(ErrorCode.INVALID_REQUEST)
    if request.transactional_id is not None:
        return _error(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED)
    allocator = ctx.cluster.producer_ids
    assert allocator is not None, "the broker has started"
    return InitProducerIdResponse(producer_id=allocator.next_id(), producer_epoch=0)


def _error(code: ErrorCode) -> InitProducerIdResponse:
    return InitProducerIdResponse(error_code=code, producer_id=NO_PRODUCER_ID, producer_epoch=NO_PRODUCER_EPOCH)
