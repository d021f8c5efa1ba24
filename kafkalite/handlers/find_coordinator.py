"""FindCoordinator (api key 10), served v0-v6.

Key type 0 (a group id) and 1 (a transactional id) name the leader of the internal-topic
partition the key hashes to (``__consumer_offsets`` / ``__transaction_state``), as Kafka
places coordinators, at its advertised address; while that partition has no leader the
answer is COORDINATOR_NOT_AVAILABLE, which clients retry. Any other key type is
INVALID_REQUEST (Kafka's ``CoordinatorType.forId``). Failures carry Kafka's "no node":
node id -1, host "", port -1.

Version notes: v1 key_type, throttle_time_ms and error_message; v3 flexible; v4 looks up
several keys at once (``coordinator_keys``, KIP-699), one result per key with its own error.
``error_message`` is null on success and the error's text otherwise. v5 (KIP-890) and v6
(KIP-932) change no field: v6 allows key type 2 (a share group), which is INVALID_REQUEST
here, as on a Kafka broker with share groups disabled.
"""

from __future__ import annotations

from kafkalite.cluster import GROUP_KEY, TRANSACTION_KEY
from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.error_codes import MESSAGES
from kafkalite.protocol.messages.find_coordinator import (
    Coordinator,
    FindCoordinatorRequest,
    FindCoordinatorResponse,
)
from kafkalite.security.acls import AclOperation

BATCHED_VERSION = 4
NO_NODE = (-1, "", -1)


async def handle(ctx: RequestContext, request: FindCoordinatorRequest) -> FindCoordinatorResponse:
    version = ctx.version
    if version >= BATCHED_VERSION:
        coordinators = []
        for key in request.coordinator_keys:
            error, (node_id, host, port) = _locate(ctx, request.key_type, key)
            coordinators.append(Coordinator(
                key=key, node_id=node_id, host=host, port=port, error_code=error, error_message=_message(error)))
        return FindCoordinatorResponse(coordinators=coordinators)
    error, (node_id, host, port) = _locate(ctx, request.key_type, request.key)
    return FindCoordinatorResponse(
        error_code=error,
        error_message=_message(error) if version >= 1 else None,
        node_id=node_id,
        host=host,
        port=port,
    )


def _locate(
    ctx: RequestContext, key_type: int, key: str
) -> tuple[ErrorCode, tuple[int, str, int]]:
    if key_type not in (GROUP_KEY, TRANSACTION_KEY):
        return ErrorCode.INVALID_REQUEST, NO_NODE
    # KafkaApis.getCoordinator: DESCRIBE on the group or the transactional id.
    if key_type == GROUP_KEY and not ctx.allows_group(AclOperation.DESCRIBE, key):
        return ErrorCode.GROUP_AUTHORIZATION_FAILED, NO_NODE
    if key_type == TRANSACTION_KEY and not ctx.allows_transactional_id(AclOperation.DESCRIBE, key):
        return ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, NO_NODE
    node = ctx.cluster.coordinator(key_type, key)
    if node is None:
        return ErrorCode.COORDINATOR_NOT_AVAILABLE, NO_NODE
    return ErrorCode.NONE, (node.id, *ctx.address(node))


def _message(error: ErrorCode) -> str | None:
    return None if error == ErrorCode.NONE else MESSAGES.get(error, error.name)
