"""InitProducerId (api key 22), served v0-v4.

Gives an idempotent producer its producer id and epoch 0. From v3 (KIP-360) a producer
may pass its current id and epoch to have the epoch bumped, keeping its id; at the epoch
limit it gets a fresh id instead. Ids are never reused (see ``kafkalite.producer_ids``).

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

MAX_EPOCH = 0x7FFF - 1


async def handle(ctx: RequestContext, request: InitProducerIdRequest) -> InitProducerIdResponse:
    if request.transactional_id is not None:
        return InitProducerIdResponse(error_code=ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED)
    allocator = ctx.broker.producer_ids
    assert allocator is not None, "the broker has started"
    if request.producer_id >= 0 and 0 <= request.producer_epoch < MAX_EPOCH:
        return InitProducerIdResponse(
            producer_id=request.producer_id, producer_epoch=request.producer_epoch + 1
        )
    return InitProducerIdResponse(producer_id=allocator.next_id(), producer_epoch=0)
