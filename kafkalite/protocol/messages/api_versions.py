"""Which APIs and versions the broker serves. Clients send it first on every connection.

Generated from protocol/messages/api_versions.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


@dataclass(slots=True, kw_only=True)
class ApiVersionsRequest:
    client_software_name: str = ""
    """The name of the client library (KIP-511). (v3+)"""
    client_software_version: str = ""
    """The version of the client library (KIP-511). (v3+)"""


@dataclass(slots=True, kw_only=True)
class ApiVersion:
    """Every API the broker serves, with its version range."""

    api_key: int = 0
    """The API key."""
    min_version: int = 0
    """The lowest version served."""
    max_version: int = 0
    """The highest version served."""


@dataclass(slots=True, kw_only=True)
class SupportedFeature:
    """Features the broker supports (KIP-584)."""

    name: str = ""
    """The feature name."""
    min_version: int = 0
    """The lowest supported level."""
    max_version: int = 0
    """The highest supported level."""


@dataclass(slots=True, kw_only=True)
class FinalizedFeature:
    """Cluster-wide finalized features."""

    name: str = ""
    """The feature name."""
    max_version_level: int = 0
    """The finalized highest level."""
    min_version_level: int = 0
    """The finalized lowest level."""


@dataclass(slots=True, kw_only=True)
class ApiVersionsResponse:
    error_code: int = 0
    """The top-level error code."""
    api_keys: list[ApiVersion] = field(default_factory=list)
    """Every API the broker serves, with its version range."""
    throttle_time_ms: int = 0
    """How long the request was throttled, in milliseconds. (v1+)"""
    supported_features: list[SupportedFeature] = field(default_factory=list)
    """Features the broker supports (KIP-584). (v3+, tag 0)"""
    finalized_features_epoch: int = -1
    """Epoch of the finalized features, -1 if unknown. (v3+, tag 1)"""
    finalized_features: list[FinalizedFeature] = field(default_factory=list)
    """Cluster-wide finalized features. (v3+, tag 2)"""
    zk_migration_ready: bool = False
    """Set by a KRaft controller ready for ZooKeeper migration; always false here. (v3+, tag 3)"""


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
