"""Changes the cluster's finalized feature levels.

Generated from protocol/messages/update_features.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class FeatureUpdateKey(Message):
    """The features to change."""

    __slots__ = ('feature', 'max_version_level', 'allow_downgrade', 'upgrade_type',)

    feature: str
    """The feature name."""

    max_version_level: int
    """The new finalized level; below 1 removes the feature."""

    allow_downgrade: bool
    """Whether the level may go down (v0 only). (v0)"""

    upgrade_type: int
    """1 upgrade, 2 safe downgrade, 3 unsafe downgrade (KIP-778). (v1+)"""

    def __init__(self, *, feature: str = "", max_version_level: int = 0, allow_downgrade: bool = False, upgrade_type: int = 1) -> None:
        self.feature = feature
        self.max_version_level = max_version_level
        self.allow_downgrade = allow_downgrade
        self.upgrade_type = upgrade_type


class UpdateFeaturesRequest(Message):
    __slots__ = ('timeout_ms', 'feature_updates', 'validate_only',)

    timeout_ms: int
    """How long to wait for the change, in milliseconds."""

    feature_updates: list[FeatureUpdateKey]
    """The features to change."""

    validate_only: bool
    """Check the updates and change nothing. (v1+)"""

    def __init__(self, *, timeout_ms: int = 60000, feature_updates: list[FeatureUpdateKey] = UNSET, validate_only: bool = False) -> None:
        self.timeout_ms = timeout_ms
        self.feature_updates = list() if feature_updates is UNSET else feature_updates
        self.validate_only = validate_only


class UpdatableFeatureResult(Message):
    """The result of each feature (v0-1; v2 answers only at the top)."""

    __slots__ = ('feature', 'error_code', 'error_message',)

    feature: str
    """The feature name."""

    error_code: int
    """The error code, 0 on success."""

    error_message: str | None
    """A message describing the error, or null. (nullable v0+)"""

    def __init__(self, *, feature: str = "", error_code: int = 0, error_message: str | None = None) -> None:
        self.feature = feature
        self.error_code = error_code
        self.error_message = error_message


class UpdateFeaturesResponse(Message):
    __slots__ = ('throttle_time_ms', 'error_code', 'error_message', 'results',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    error_code: int
    """The top-level error code, 0 on success."""

    error_message: str | None
    """A message describing the error, or null. (nullable v0+)"""

    results: list[UpdatableFeatureResult]
    """The result of each feature (v0-1; v2 answers only at the top). (v0-1)"""

    def __init__(self, *, throttle_time_ms: int = 0, error_code: int = 0, error_message: str | None = None, results: list[UpdatableFeatureResult] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.error_code = error_code
        self.error_message = error_message
        self.results = list() if results is UNSET else results


_FEATURE_UPDATE_KEY = StructSpec(
    FeatureUpdateKey,
    (
        FieldSpec('feature', 'string', V(0, 32767), default=""),
        FieldSpec('max_version_level', 'int16', V(0, 32767), default=0),
        FieldSpec('allow_downgrade', 'bool', V(0, 0), default=False),
        FieldSpec('upgrade_type', 'int8', V(1, 32767), default=1),
    ),
)


_UPDATE_FEATURES_REQUEST = MessageSpec(
    UpdateFeaturesRequest,
    (
        FieldSpec('timeout_ms', 'int32', V(0, 32767), default=60000),
        FieldSpec('feature_updates', 'array', V(0, 32767), struct=_FEATURE_UPDATE_KEY),
        FieldSpec('validate_only', 'bool', V(1, 32767), default=False),
    ),
    name='UpdateFeaturesRequest',
    api_key=57,
    valid=V(0, 2),
    flexible=V(0, 32767),
)


_UPDATABLE_FEATURE_RESULT = StructSpec(
    UpdatableFeatureResult,
    (
        FieldSpec('feature', 'string', V(0, 32767), default=""),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(0, 32767)),
    ),
)


_UPDATE_FEATURES_RESPONSE = MessageSpec(
    UpdateFeaturesResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(0, 32767)),
        FieldSpec('results', 'array', V(0, 1), ignorable=True, struct=_UPDATABLE_FEATURE_RESULT),
    ),
    name='UpdateFeaturesResponse',
    api_key=57,
    valid=V(0, 2),
    flexible=V(0, 32767),
)


UPDATE_FEATURES_REQUEST_SPEC: MessageSpec = _UPDATE_FEATURES_REQUEST
UPDATE_FEATURES_RESPONSE_SPEC: MessageSpec = _UPDATE_FEATURES_RESPONSE
