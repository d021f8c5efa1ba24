"""SaslHandshake (api key 17), served v0-v1.

On a SASL listener the connection's authenticator answers it before any other request
(``kafkalite.server``); this handler sees only what Kafka's ``KafkaApis`` sees: a handshake
on a listener without SASL, or after authentication (re-authentication, KIP-368, is not
offered). Both get ILLEGAL_SASL_STATE, as Kafka answers them.

v0: bare SASL tokens follow the handshake; v1: SaslAuthenticate requests carry them.
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.sasl_handshake import SaslHandshakeRequest, SaslHandshakeResponse


async def handle(ctx: RequestContext, request: SaslHandshakeRequest) -> SaslHandshakeResponse:
    return SaslHandshakeResponse(error_code=ErrorCode.ILLEGAL_SASL_STATE, mechanisms=[])
