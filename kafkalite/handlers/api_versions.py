"""ApiVersions (api key 18), served v0-v4.

The ranges come from the ``HANDLERS`` table, so what we advertise is what we serve.
A request at a version we don't know is answered in v0 with UNSUPPORTED_VERSION and the
full list, so the client can retry with a version we share (KIP-511); the connection
stays open. ApiVersions responses always use response header v0 (see protocol.headers).

v3+ also carries the supported and finalized feature levels (KIP-584; see
``kafkalite.cluster.features``); the tagged fields are dropped in older versions. While
``share.version`` is finalized at 0 the share group APIs (KIP-932) are not listed.

From v3 the request names the client software (KIP-511). Like Kafka's
``ApiVersionsRequest.isValid``, both the name and the version must match
``[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?`` (so the empty string is refused); otherwise the
answer is INVALID_REQUEST alone, without API ranges or features, and the connection stays open.

With ``kafkalite.emulate.version=X.Y`` the API ranges and feature levels are those of Kafka
X.Y (``kafkalite.protocol.releases``), and requests above them get UNSUPPORTED_VERSION.
"""

from __future__ import annotations

import re

from kafkalite.cluster.features import SUPPORTED
from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.api_versions import (
    ApiVersion,
    ApiVersionsRequest,
    ApiVersionsResponse,
    FinalizedFeature,
    SupportedFeature,
)
from kafkalite.protocol.releases import feature_levels

SHARE_APIS = frozenset({76, 77, 78, 79, 90, 91, 92})
"""ShareGroupHeartbeat through ShareAcknowledge and the share group offset APIs (KIP-932)."""

# Kafka's ApiVersionsRequest.SOFTWARE_NAME_VERSION_PATTERN, matched in full.
_SOFTWARE = re.compile(r"[a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?")


def valid_software(name: str, version: str) -> bool:
    """Whether a v3+ client software name and version pass Kafka's KIP-511 check."""
    return bool(_SOFTWARE.fullmatch(name)) and bool(_SOFTWARE.fullmatch(version))


async def handle(ctx: RequestContext, request: ApiVersionsRequest) -> ApiVersionsResponse:
    from kafkalite.handlers import advertised  # the table imports this module

    if (
        not ctx.request.version_unsupported
        and ctx.version >= 3
        and not valid_software(request.client_software_name, request.client_software_version)
    ):
        return ApiVersionsResponse(error_code=ErrorCode.INVALID_REQUEST)
    release = ctx.config.emulate_version
    # Kafka advertises the share group APIs only while share.version is finalized >= 1.
    hidden = SHARE_APIS if ctx.cluster.features.finalized.get("share.version", 0) < 1 else ()
    api_keys = [
        ApiVersion(api_key=key, min_version=low, max_version=high)
        for key, (low, high) in sorted(advertised(release).items())
        if key not in hidden
    ]
    supported = feature_levels(SUPPORTED, release)
    error = ErrorCode.UNSUPPORTED_VERSION if ctx.request.version_unsupported else ErrorCode.NONE
    features = ctx.cluster.features
    return ApiVersionsResponse(
        error_code=error,
        api_keys=api_keys,
        supported_features=[
            SupportedFeature(name=name, min_version=low, max_version=high)
            for name, (low, high) in sorted(supported.items())
        ],
        finalized_features_epoch=features.epoch,
        finalized_features=[
            FinalizedFeature(name=name, max_version_level=level, min_version_level=level)
            for name, level in sorted(
                (name, min(level, supported[name][1]))
                for name, level in features.finalized.items()
                if name in supported
            )
            if level > 0
        ],
    )
