"""RenewDelegationToken (api key 39), served v1-2 (KIP-48).

The token is named by its HMAC: unknown DELEGATION_TOKEN_NOT_FOUND, past its expiry or max
DELEGATION_TOKEN_EXPIRED, a principal that is neither its owner nor a renewer
DELEGATION_TOKEN_OWNER_MISMATCH. The new expiry is now plus the request's period (at most
``delegation.token.expiry.time.ms``, which is also the default), never past the max.
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.handlers.delegation_token_support import ERROR_TIMESTAMP, refusal, sweep
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.renew_delegation_token import (
    RenewDelegationTokenRequest,
    RenewDelegationTokenResponse,
)


async def handle(
    ctx: RequestContext, request: RenewDelegationTokenRequest
) -> RenewDelegationTokenResponse:
    error = refusal(ctx)
    if error:
        return RenewDelegationTokenResponse(error_code=error, expiry_timestamp_ms=ERROR_TIMESTAMP)
    now = sweep(ctx)
    token = ctx.cluster.tokens.by_hmac(bytes(request.hmac))
    if token is None:
        error = ErrorCode.DELEGATION_TOKEN_NOT_FOUND
    elif token.expired(now):
        error = ErrorCode.DELEGATION_TOKEN_EXPIRED
    elif not token.may_renew(ctx.principal):
        error = ErrorCode.DELEGATION_TOKEN_OWNER_MISMATCH
    if error or token is None:
        return RenewDelegationTokenResponse(error_code=error, expiry_timestamp_ms=ERROR_TIMESTAMP)
    period = ctx.config.delegation_token_expiry_time_ms
    if request.renew_period_ms > 0:
        period = min(period, request.renew_period_ms)
    token.expiry_ms = min(token.max_ms, now + period)
    ctx.cluster.save_leadership()
    return RenewDelegationTokenResponse(error_code=ErrorCode.NONE, expiry_timestamp_ms=token.expiry_ms)
