"""DescribeDelegationToken (api key 41), served v1-3 (KIP-48; v3 adds the requester).

Null owners describe every token, an empty list none. A token is listed when it belongs to
(is owned, asked for or renewable by) one of the owners asked about, and the principal owns,
asked for or may renew it, or may DESCRIBE it (DELEGATION_TOKEN resource, by id), or may
DESCRIBE_TOKENS of its owner (USER resource), as ``DelegationTokenManager.filterToken``
decides. Expired tokens are gone.
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.handlers.delegation_token_support import refusal, sweep
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.describe_delegation_token import (
    DescribedDelegationToken,
    DescribedDelegationTokenRenewer,
    DescribeDelegationTokenRequest,
    DescribeDelegationTokenResponse,
)
from kafkalite.security.acls import AclOperation, ResourceType
from kafkalite.security.tokens import DelegationToken, split_principal


def _described(token: DelegationToken) -> DescribedDelegationToken:
    owner_type, owner_name = split_principal(token.owner)
    requester_type, requester_name = split_principal(token.requester)
    return DescribedDelegationToken(
        principal_type=owner_type, principal_name=owner_name,
        token_requester_principal_type=requester_type,
        token_requester_principal_name=requester_name,
        issue_timestamp=token.issue_ms, expiry_timestamp=token.expiry_ms,
        max_timestamp=token.max_ms, token_id=token.token_id, hmac=token.hmac,
        renewers=[
            DescribedDelegationTokenRenewer(principal_type=kind, principal_name=name)
            for kind, name in map(split_principal, token.renewers)
        ],
    )


async def handle(
    ctx: RequestContext, request: DescribeDelegationTokenRequest
) -> DescribeDelegationTokenResponse:
    error = refusal(ctx)
    if error:
        return DescribeDelegationTokenResponse(error_code=error)
    owners = (
        None if request.owners is None
        else [f"{o.principal_type}:{o.principal_name}" for o in request.owners]
    )
    if owners == []:
        return DescribeDelegationTokenResponse(error_code=ErrorCode.NONE)
    sweep(ctx)

    def eligible(token: DelegationToken) -> bool:
        if owners is not None and not any(token.owner_or_renewer(o) for o in owners):
            return False
        return (
            token.owner_or_renewer(ctx.principal)
            or ctx.allows(AclOperation.DESCRIBE, ResourceType.DELEGATION_TOKEN, token.token_id)
            or ctx.allows(AclOperation.DESCRIBE_TOKENS, ResourceType.USER, token.owner)
        )

    return DescribeDelegationTokenResponse(
        error_code=ErrorCode.NONE,
        tokens=[_described(t) for t in ctx.cluster.tokens.tokens.values() if eligible(t)],
    )
