"""ApiVersions (api key 18), served v0-v4.

The ranges come from the ``HANDLERS`` table, so what we advertise is what we serve.
A request at a version we don't know is answered in v0 with UNSUPPORTED_VERSION and the
full list, so the client can retry with a version we share (KIP-511); the connection
stays open. ApiVersions responses always use response header v0 (see protocol.headers).
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.api_versions import (
    ApiVersion,
    ApiVersionsRequest,
    ApiVersionsResponse,
)


async def handle(ctx: RequestContext, request: ApiVersionsRequest) -> ApiVersionsResponse:
    from kafkalite.handlers import SERVED  # the table imports this module

    api_keys = [
        ApiVersion(api_key=key, min_version=low, max_version=high)
        for key, (low, high) in sorted(SERVED.items())
    ]
    error = ErrorCode.UNSUPPORTED_VERSION if ctx.request.version_unsupported else ErrorCode.NONE
    return ApiVersionsResponse(error_code=error, api_keys=api_keys)
