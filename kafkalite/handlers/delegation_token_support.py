"""What the four delegation-token handlers share (``KafkaApis.allowTokenRequests``)."""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.security.tokens import now_ms

ERROR_TIMESTAMP = -1
"""Kafka's ``DelegationTokenManager.ErrorTimestamp``."""


def refusal(ctx: RequestContext) -> ErrorCode:
    """DELEGATION_TOKEN_REQUEST_NOT_ALLOWED on a connection that logged in with a token, a
    PLAINTEXT one, or one-way SSL (no client certificate); then DELEGATION_TOKEN_AUTH_DISABLED
    without ``delegation.token.secret.key``; else NONE."""
    if (
        ctx.token_authenticated
        or ctx.security_protocol == "PLAINTEXT"
        or (ctx.security_protocol == "SSL" and ctx.principal == "User:ANONYMOUS")
    ):
        return ErrorCode.DELEGATION_TOKEN_REQUEST_NOT_ALLOWED
    if not ctx.config.delegation_token_secret_key:
        return ErrorCode.DELEGATION_TOKEN_AUTH_DISABLED
    return ErrorCode.NONE


def sweep(ctx: RequestContext) -> int:
    """Drop expired tokens (persisting the change) and return the time now, in ms."""
    now = now_ms()
    if ctx.cluster.tokens.sweep(now):
        ctx.cluster.save_leadership()
    return now
