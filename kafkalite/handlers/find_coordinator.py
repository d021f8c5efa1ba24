"""FindCoordinator (api key 10), served v0-v4.

Key type 0 (a group id) names this broker, the one coordinator of every group, at its
advertised address. Key type 1 (a transactional id) answers COORDINATOR_NOT_AVAILABLE,
which clients retry, since there is no transaction coordinator yet. Any other key type is
INVALID_REQUEST (Kafka's ``CoordinatorType.forId``). Failures carry Kafka's "no node":
node id -1, host "", port -1.

Version notes: v1 key_type, throttle_time_ms and error_message; v3 flexible; v4 looks up
several keys at once (``coordinator_keys``, KIP-699), one result per key with its own error.
``error_message`` is null on success and the error's text otherwise.

Not implemented: the transaction coordinator; key type 2 (share groups, v6+, not served).
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.error_codes import MESSAGES
from kafkalite.protocol.messages.find_coordinator import (
    Coordinator,
    FindCoordinatorRequest,
    FindCoordinatorResponse,
)

GROUP_KEY, TRANSACTION_KEY = 0, 1
BATCHED_VERSION = 4
NO_NODE = (-1, "", -1)


async def handle(ctx: RequestContext, request: FindCoordinatorRequest) -> FindCoordinatorResponse:
    version = ctx.version
    if version >= BATCHED_VERSION:
        coordinators = []
        for key in request.coordinator_keys:
            error, (node_id, host, port) = _locate(ctx, request.key_type)
            coordinators.append(Coordinator(
                key=key, node_id=node_id, host=host, port=port, error_code=error, error_message=_message(error)))
        return FindCoordinatorResponse(coordinators=coordinators)
    error, (node_id, host, port) = _locate(ctx, request.key_type)
    return FindCoordinatorResponse(
        error_code=error,
        error_message=_message(error) if version >= 1 else None,
        node_id=node_id,
        host=host,
        port=port,
    )


def _locate(ctx: RequestContext, key_type: int) -> tuple[ErrorCode, tuple[int, str, int]]:
    if key_type == GROUP_KEY:
        host, port = ctx.broker.config.advertised
        return ErrorCode.NONE, (ctx.broker.node_id, host, port)
    if key_type == TRANSACTION_KEY:
        return ErrorCode.COORDINATOR_NOT_AVAILABLE, NO_NODE
    return ErrorCode.INVALID_REQUEST, NO_NODE


def _message(error: ErrorCode) -> str | None:
    return None if error == ErrorCode.NONE else MESSAGES.get(error, error.name)
