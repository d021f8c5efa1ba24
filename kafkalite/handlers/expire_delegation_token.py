"""ExpireDelegationToken (api key 40), served v1-2 (KIP-48).

The token is named by its HMAC (DELEGATION_TOKEN_NOT_FOUND, then
DELEGATION_TOKEN_OWNER_MISMATCH for a principal neither its owner nor a renewer). A negative
period removes it at once; otherwise an expired token is DELEGATION_TOKEN_EXPIRED and a live
one now expires after the period (never past its max).
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.handlers.delegation_token_support import ERROR_TIMESTAMP, refusal, sweep
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.expire_delegation_token import (
    ExpireDelegationTokenRequest,
    ExpireDelegationTokenResponse,
)


async def handle(
    ctx: RequestContext, request: ExpireDelegationTokenRequest
) -> ExpireDelegationTokenResponse:
    error = refusal(ctx)
    if error:
        return ExpireDelegationTokenResponse(error_code=error, expiry_timestamp_ms=ERROR_TIMESTAMP)
    now = sweep(ctx)
    tokens = ctx.cluster.tokens
    token = tokens.by_hmac(bytes(request.hmac))
    if token is None:
        error = ErrorCode.DELEGATION_TOKEN_NOT_FOUND
    elif not token.may_renew(ctx.principal):
        error = ErrorCode.DELEGATION_TOKEN_OWNER_MISMATCH
    elif request.expiry_time_period_ms >= 0 and token.expired(now):
        error = ErrorCode.DELEGATION_TOKEN_EXPIRED
    if error or token is None:
        return ExpireDelegationTokenResponse(error_code=error, expiry_timestamp_ms=ERROR_TIMESTAMP)
    if request.expiry_time_period_ms < 0:
        del tokens.tokens[token.token_id]
        expiry = now
    else:
        expiry = token.expiry_ms = min(token.max_ms, now + request.expiry_time_period_ms)
    ctx.cluster.save_leadership()
    return ExpireDelegationTokenResponse(error_code=ErrorCode.NONE, expiry_timestamp_ms=expiry)
