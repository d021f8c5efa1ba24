"""CreateDelegationToken (api key 38), served v1-3 (KIP-48; v3 names an owner, KIP-373).

Refused on a connection that may not ask for tokens (see ``delegation_token_support``);
creating a token for another owner needs CREATE_TOKENS on that owner (USER resource), else
DELEGATION_TOKEN_AUTHORIZATION_FAILED; a renewer that is not a ``User`` is
INVALID_PRINCIPAL_TYPE. The token expires after ``delegation.token.expiry.time.ms`` unless
renewed, and at the latest after ``delegation.token.max.lifetime.ms`` (or the request's
shorter ``max_lifetime_ms``).
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.handlers.delegation_token_support import refusal, sweep
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.create_delegation_token import (
    CreateDelegationTokenRequest,
    CreateDelegationTokenResponse,
)
from kafkalite.security.acls import AclOperation, ResourceType
from kafkalite.security.tokens import split_principal


async def handle(
    ctx: RequestContext, request: CreateDelegationTokenRequest
) -> CreateDelegationTokenResponse:
    requester = ctx.principal
    owner = requester
    if request.owner_principal_name:
        owner = f"{request.owner_principal_type or ''}:{request.owner_principal_name}"
    owner_type, owner_name = split_principal(owner)
    requester_type, requester_name = split_principal(requester)

    def answer(error: ErrorCode) -> CreateDelegationTokenResponse:
        return CreateDelegationTokenResponse(
            error_code=error, principal_type=owner_type, principal_name=owner_name,
            token_requester_principal_type=requester_type,
            token_requester_principal_name=requester_name,
        )

    error = refusal(ctx)
    if error == ErrorCode.DELEGATION_TOKEN_REQUEST_NOT_ALLOWED:
        return answer(error)
    if owner != requester and not ctx.allows(AclOperation.CREATE_TOKENS, ResourceType.USER, owner):
        return answer(ErrorCode.DELEGATION_TOKEN_AUTHORIZATION_FAILED)
    if any(r.principal_type != "User" for r in request.renewers):
        return answer(ErrorCode.INVALID_PRINCIPAL_TYPE)
    if error:
        return answer(error)
    config = ctx.config
    max_lifetime = config.delegation_token_max_lifetime_ms
    if request.max_lifetime_ms > 0:
        max_lifetime = min(max_lifetime, request.max_lifetime_ms)
    now = sweep(ctx)
    token = ctx.cluster.tokens.create(
        config.delegation_token_secret_key, owner, requester,
        [f"{r.principal_type}:{r.principal_name}" for r in request.renewers],
        max_lifetime, config.delegation_token_expiry_time_ms, now,
    )
    ctx.cluster.save_leadership()
    response = answer(ErrorCode.NONE)
    response.issue_timestamp_ms = token.issue_ms
    response.expiry_timestamp_ms = token.expiry_ms
    response.max_timestamp_ms = token.max_ms
    response.token_id = token.token_id
    response.hmac = token.hmac
    return response
