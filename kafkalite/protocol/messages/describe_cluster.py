"""Describes the cluster: its id, controller and brokers.

Generated from protocol/messages/describe_cluster.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class DescribeClusterRequest(Message):
    __slots__ = ('include_cluster_authorized_operations', 'endpoint_type', 'include_fenced_brokers',)

    include_cluster_authorized_operations: bool
    """Whether to return the operations the caller may perform on the cluster."""

    endpoint_type: int
    """Which endpoints to describe: 1 brokers, 2 controllers (KIP-919). (v1+)"""

    include_fenced_brokers: bool
    """Whether to include fenced brokers (KIP-1073). (v2+)"""

    def __init__(self, *, include_cluster_authorized_operations: bool = False, endpoint_type: int = 1, include_fenced_brokers: bool = False) -> None:
        self.include_cluster_authorized_operations = include_cluster_authorized_operations
        self.endpoint_type = endpoint_type
        self.include_fenced_brokers = include_fenced_brokers


class DescribeClusterBroker(Message):
    """The brokers."""

    __slots__ = ('broker_id', 'host', 'port', 'rack', 'is_fenced',)

    broker_id: int
    """The broker id."""

    host: str
    """The broker's host name."""

    port: int
    """The broker's port."""

    rack: str | None
    """The broker's rack, or null. (nullable v0+)"""

    is_fenced: bool
    """Whether the broker is fenced (KIP-1073). (v2+)"""

    def __init__(self, *, broker_id: int = 0, host: str = "", port: int = 0, rack: str | None = None, is_fenced: bool = False) -> None:
        self.broker_id = broker_id
        self.host = host
        self.port = port
        self.rack = rack
        self.is_fenced = is_fenced


class DescribeClusterResponse(Message):
    __slots__ = ('throttle_time_ms', 'error_code', 'error_message', 'endpoint_type', 'cluster_id', 'controller_id', 'brokers', 'cluster_authorized_operations',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    error_code: int
    """The error code, 0 on success."""

    error_message: str | None
    """A message describing the error, or null. (nullable v0+)"""

    endpoint_type: int
    """Which endpoints were described: 1 brokers, 2 controllers. (v1+)"""

    cluster_id: str
    """The cluster id."""

    controller_id: int
    """The controller's id, -1 if unknown."""

    brokers: list[DescribeClusterBroker]
    """The brokers."""

    cluster_authorized_operations: int
    """A bit field of the operations the caller may perform on the cluster; INT32_MIN when not requested."""

    def __init__(self, *, throttle_time_ms: int = 0, error_code: int = 0, error_message: str | None = None, endpoint_type: int = 1, cluster_id: str = "", controller_id: int = -1, brokers: list[DescribeClusterBroker] = UNSET, cluster_authorized_operations: int = -2147483648) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.error_code = error_code
        self.error_message = error_message
        self.endpoint_type = endpoint_type
        self.cluster_id = cluster_id
        self.controller_id = controller_id
        self.brokers = list() if brokers is UNSET else brokers
        self.cluster_authorized_operations = cluster_authorized_operations


_DESCRIBE_CLUSTER_REQUEST = MessageSpec(
    DescribeClusterRequest,
    (
        FieldSpec('include_cluster_authorized_operations', 'bool', V(0, 32767), default=False),
        FieldSpec('endpoint_type', 'int8', V(1, 32767), default=1),
        FieldSpec('include_fenced_brokers', 'bool', V(2, 32767), default=False),
    ),
    name='DescribeClusterRequest',
    api_key=60,
    valid=V(0, 2),
    flexible=V(0, 32767),
)


_DESCRIBE_CLUSTER_BROKER = StructSpec(
    DescribeClusterBroker,
    (
        FieldSpec('broker_id', 'int32', V(0, 32767), default=0),
        FieldSpec('host', 'string', V(0, 32767), default=""),
        FieldSpec('port', 'int32', V(0, 32767), default=0),
        FieldSpec('rack', 'string', V(0, 32767), nullable=V(0, 32767)),
        FieldSpec('is_fenced', 'bool', V(2, 32767), default=False),
    ),
)


_DESCRIBE_CLUSTER_RESPONSE = MessageSpec(
    DescribeClusterResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(0, 32767)),
        FieldSpec('endpoint_type', 'int8', V(1, 32767), default=1),
        FieldSpec('cluster_id', 'string', V(0, 32767), default=""),
        FieldSpec('controller_id', 'int32', V(0, 32767), default=-1),
        FieldSpec('brokers', 'array', V(0, 32767), struct=_DESCRIBE_CLUSTER_BROKER),
        FieldSpec('cluster_authorized_operations', 'int32', V(0, 32767), default=-2147483648),
    ),
    name='DescribeClusterResponse',
    api_key=60,
    valid=V(0, 2),
    flexible=V(0, 32767),
)


DESCRIBE_CLUSTER_REQUEST_SPEC: MessageSpec = _DESCRIBE_CLUSTER_REQUEST
DESCRIBE_CLUSTER_RESPONSE_SPEC: MessageSpec = _DESCRIBE_CLUSTER_RESPONSE
