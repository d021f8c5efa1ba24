"""Which APIs and versions the broker serves. Clients send it first on every connection.

Generated from protocol/messages/api_versions.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class ApiVersionsRequest(Message):
    __slots__ = ('client_software_name', 'client_software_version',)

    client_software_name: str
    """The name of the client library (KIP-511). (v3+)"""

    client_software_version: str
    """The version of the client library (KIP-511). (v3+)"""

    def __init__(self, *, client_software_name: str = "", client_software_version: str = "") -> None:
        self.client_software_name = client_software_name
        self.client_software_version = client_software_version


class ApiVersion(Message):
    """Every API the broker serves, with its version range."""

    __slots__ = ('api_key', 'min_version', 'max_version',)

    api_key: int
    """The API key."""

    min_version: int
    """The lowest version served."""

    max_version: int
    """The highest version served."""

    def __init__(self, *, api_key: int = 0, min_version: int = 0, max_version: int = 0) -> None:
        self.api_key = api_key
        self.min_version = min_version
        self.max_version = max_version


class SupportedFeature(Message):
    """Features the broker supports (KIP-584)."""

    __slots__ = ('name', 'min_version', 'max_version',)

    name: str
    """The feature name."""

    min_version: int
    """The lowest supported level."""

    max_version: int
    """The highest supported level."""

    def __init__(self, *, name: str = "", min_version: int = 0, max_version: int = 0) -> None:
        self.name = name
        self.min_version = min_version
        self.max_version = max_version


class FinalizedFeature(Message):
    """Cluster-wide finalized features."""

    __slots__ = ('name', 'max_version_level', 'min_version_level',)

    name: str
    """The feature name."""

    max_version_level: int
    """The finalized highest level."""

    min_version_level: int
    """The finalized lowest level."""

    def __init__(self, *, name: str = "", max_version_level: int = 0, min_version_level: int = 0) -> None:
        self.name = name
        self.max_version_level = max_version_level
        self.min_version_level = min_version_level


class ApiVersionsResponse(Message):
    __slots__ = ('error_code', 'api_keys', 'throttle_time_ms', 'supported_features', 'finalized_features_epoch', 'finalized_features', 'zk_migration_ready',)

    error_code: int
    """The top-level error code."""

    api_keys: list[ApiVersion]
    """Every API the broker serves, with its version range."""

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds. (v1+)"""

    supported_features: list[SupportedFeature]
    """Features the broker supports (KIP-584). (v3+, tag 0)"""

    finalized_features_epoch: int
    """Epoch of the finalized features, -1 if unknown. (v3+, tag 1)"""

    finalized_features: list[FinalizedFeature]
    """Cluster-wide finalized features. (v3+, tag 2)"""

    zk_migration_ready: bool
    """Set by a KRaft controller ready for ZooKeeper migration; always false here. (v3+, tag 3)"""

    def __init__(self, *, error_code: int = 0, api_keys: list[ApiVersion] = UNSET, throttle_time_ms: int = 0, supported_features: list[SupportedFeature] = UNSET, finalized_features_epoch: int = -1, finalized_features: list[FinalizedFeature] = UNSET, zk_migration_ready: bool = False) -> None:
        self.error_code = error_code
        self.api_keys = list() if api_keys is UNSET else api_keys
        self.throttle_time_ms = throttle_time_ms
        self.supported_features = list() if supported_features is UNSET else supported_features
        self.finalized_features_epoch = finalized_features_epoch
        self.finalized_features = list() if finalized_features is UNSET else finalized_features
        self.zk_migration_ready = zk_migration_ready


_API_VERSIONS_REQUEST = MessageSpec(
    ApiVersionsRequest,
    (
        FieldSpec('client_software_name', 'string', V(3, 32767), default="", ignorable=True),
        FieldSpec('client_software_version', 'string', V(3, 32767), default="", ignorable=True),
    ),
    name='ApiVersionsRequest',
    api_key=18,
    valid=V(0, 4),
    flexible=V(3, 32767),
)


_API_VERSION = StructSpec(
    ApiVersion,
    (
        FieldSpec('api_key', 'int16', V(0, 32767), default=0),
        FieldSpec('min_version', 'int16', V(0, 32767), default=0),
        FieldSpec('max_version', 'int16', V(0, 32767), default=0),
    ),
)


_SUPPORTED_FEATURE = StructSpec(
    SupportedFeature,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('min_version', 'int16', V(0, 32767), default=0),
        FieldSpec('max_version', 'int16', V(0, 32767), default=0),
    ),
)


_FINALIZED_FEATURE = StructSpec(
    FinalizedFeature,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('max_version_level', 'int16', V(0, 32767), default=0),
        FieldSpec('min_version_level', 'int16', V(0, 32767), default=0),
    ),
)


_API_VERSIONS_RESPONSE = MessageSpec(
    ApiVersionsResponse,
    (
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('api_keys', 'array', V(0, 32767), struct=_API_VERSION),
        FieldSpec('throttle_time_ms', 'int32', V(1, 32767), default=0, ignorable=True),
        FieldSpec('supported_features', 'array', V(3, 32767), tag=0, ignorable=True, struct=_SUPPORTED_FEATURE),
        FieldSpec('finalized_features_epoch', 'int64', V(3, 32767), default=-1, tag=1, ignorable=True),
        FieldSpec('finalized_features', 'array', V(3, 32767), tag=2, ignorable=True, struct=_FINALIZED_FEATURE),
        FieldSpec('zk_migration_ready', 'bool', V(3, 32767), default=False, tag=3, ignorable=True),
    ),
    name='ApiVersionsResponse',
    api_key=18,
    valid=V(0, 4),
    flexible=V(3, 32767),
)


API_VERSIONS_REQUEST_SPEC: MessageSpec = _API_VERSIONS_REQUEST
API_VERSIONS_RESPONSE_SPEC: MessageSpec = _API_VERSIONS_RESPONSE
