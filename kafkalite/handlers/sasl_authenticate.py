"""SaslAuthenticate (api key 36), served v0-v2.

As SaslHandshake: the connection's authenticator answers it while a SASL listener's client
authenticates; what reaches this handler came on a listener without SASL or after
authentication, and gets ILLEGAL_SASL_STATE with Kafka's message.

v1: ``session_lifetime_ms`` (KIP-368: ``connections.max.reauth.ms``, set by the connection
when it authenticates; re-authentication goes through the connection too); v2: flexible.
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.sasl_authenticate import (
    SaslAuthenticateRequest,
    SaslAuthenticateResponse,
)


async def handle(ctx: RequestContext, request: SaslAuthenticateRequest) -> SaslAuthenticateResponse:
    return SaslAuthenticateResponse(
        error_code=ErrorCode.ILLEGAL_SASL_STATE,
        error_message="SaslAuthenticate request received after successful authentication",
    )
