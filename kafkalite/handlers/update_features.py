"""UpdateFeatures (api key 57), served v0-v2.

Changes the cluster's finalized feature levels (``cluster.features``; ApiVersions v3+ reports
them). The request is applied whole or not at all, as Kafka's controller does: the first
invalid update fails it. INVALID_UPDATE_VERSION for an unknown feature, a level outside the
supported range (see ``kafkalite.cluster.features``: transaction.version stops at 1), a
downgrade sent as an upgrade, or any metadata.version downgrade; INVALID_REQUEST for a
feature named twice or an unknown upgrade type. A level of 0 or below removes a feature.
``validate_only`` (v1+) checks and changes nothing. ``timeout_ms`` is ignored.

Where the error goes: v0-1 the top-level error is NONE when all went well, and every
feature gets a result with the request's error; v2 answers at the top level only.

Version notes: v0 ``allow_downgrade`` (a true value is read as a safe downgrade); v1
``upgrade_type`` and ``validate_only`` (KIP-778); v2 no per-feature results.
"""

from __future__ import annotations

from kafkalite.cluster.features import SAFE_DOWNGRADE, UPGRADE, FeatureUpdateError
from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.error_codes import MESSAGES
from kafkalite.protocol.messages.update_features import (
    UpdatableFeatureResult,
    UpdateFeaturesRequest,
    UpdateFeaturesResponse,
)
from kafkalite.security.acls import AclOperation


async def handle(ctx: RequestContext, request: UpdateFeaturesRequest) -> UpdateFeaturesResponse:
    features = ctx.cluster.features
    if not ctx.allows_cluster(AclOperation.ALTER):
        return UpdateFeaturesResponse(
            error_code=ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
            error_message=MESSAGES.get(ErrorCode.CLUSTER_AUTHORIZATION_FAILED),
        )
    code, message = ErrorCode.NONE, None
    levels: dict[str, int] = {}
    try:
        for update in request.feature_updates:
            if update.feature in levels:
                raise FeatureUpdateError(
                    f"Feature {update.feature} appears more than once in the request.",
                    ErrorCode.INVALID_REQUEST,
                )
            if ctx.version == 0:
                upgrade_type = SAFE_DOWNGRADE if update.allow_downgrade else UPGRADE
            else:
                upgrade_type = update.upgrade_type
            features.check(update.feature, update.max_version_level, upgrade_type)
            levels[update.feature] = update.max_version_level
    except FeatureUpdateError as exc:
        code, message = exc.code, str(exc)
    if code == ErrorCode.NONE and levels and not (ctx.version >= 1 and request.validate_only):
        features.apply(levels)
        ctx.cluster.save_leadership()
    if ctx.version >= 2:
        return UpdateFeaturesResponse(error_code=code, error_message=message)
    return UpdateFeaturesResponse(results=[
        UpdatableFeatureResult(feature=u.feature, error_code=code, error_message=message)
        for u in request.feature_updates
    ])
