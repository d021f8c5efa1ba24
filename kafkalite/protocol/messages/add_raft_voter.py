"""Adds a voter to the KRaft metadata quorum (dynamic quorums, KIP-853).

Generated from protocol/messages/add_raft_voter.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class AddRaftVoterListener(Message):
    """The endpoints the other voters reach the new voter at."""

    __slots__ = ('name', 'host', 'port',)

    name: str
    """The listener name."""

    host: str
    """The host name."""

    port: int
    """The port."""

    def __init__(self, *, name: str = "", host: str = "", port: int = 0) -> None:
        self.name = name
        self.host = host
        self.port = port


class AddRaftVoterRequest(Message):
    __slots__ = ('cluster_id', 'timeout_ms', 'voter_id', 'voter_directory_id', 'listeners', 'ack_when_committed',)

    cluster_id: str | None
    """The cluster id the sender expects, or null. (nullable v0+)"""

    timeout_ms: int
    """How long to wait for the change, in milliseconds."""

    voter_id: int
    """The replica id of the voter to add."""

    voter_directory_id: uuid.UUID
    """The log directory id of the voter to add."""

    listeners: list[AddRaftVoterListener]
    """The endpoints the other voters reach the new voter at."""

    ack_when_committed: bool
    """Answer once the new voter set is committed (true) or once the leader wrote it (false). (v1+)"""

    def __init__(self, *, cluster_id: str | None = None, timeout_ms: int = 0, voter_id: int = 0, voter_directory_id: uuid.UUID = ZERO_UUID, listeners: list[AddRaftVoterListener] = UNSET, ack_when_committed: bool = True) -> None:
        self.cluster_id = cluster_id
        self.timeout_ms = timeout_ms
        self.voter_id = voter_id
        self.voter_directory_id = voter_directory_id
        self.listeners = list() if listeners is UNSET else listeners
        self.ack_when_committed = ack_when_committed


class AddRaftVoterResponse(Message):
    __slots__ = ('throttle_time_ms', 'error_code', 'error_message',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    error_code: int
    """The error code, 0 on success."""

    error_message: str | None
    """A message describing the error, or null. (nullable v0+)"""

    def __init__(self, *, throttle_time_ms: int = 0, error_code: int = 0, error_message: str | None = None) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.error_code = error_code
        self.error_message = error_message


_ADD_RAFT_VOTER_LISTENER = StructSpec(
    AddRaftVoterListener,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('host', 'string', V(0, 32767), default=""),
        FieldSpec('port', 'uint16', V(0, 32767), default=0),
    ),
)


_ADD_RAFT_VOTER_REQUEST = MessageSpec(
    AddRaftVoterRequest,
    (
        FieldSpec('cluster_id', 'string', V(0, 32767), nullable=V(0, 32767)),
        FieldSpec('timeout_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('voter_id', 'int32', V(0, 32767), default=0),
        FieldSpec('voter_directory_id', 'uuid', V(0, 32767), default=ZERO_UUID),
        FieldSpec('listeners', 'array', V(0, 32767), struct=_ADD_RAFT_VOTER_LISTENER),
        FieldSpec('ack_when_committed', 'bool', V(1, 32767), default=True),
    ),
    name='AddRaftVoterRequest',
    api_key=80,
    valid=V(0, 1),
    flexible=V(0, 32767),
)


_ADD_RAFT_VOTER_RESPONSE = MessageSpec(
    AddRaftVoterResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(0, 32767), ignorable=True),
    ),
    name='AddRaftVoterResponse',
    api_key=80,
    valid=V(0, 1),
    flexible=V(0, 32767),
)


ADD_RAFT_VOTER_REQUEST_SPEC: MessageSpec = _ADD_RAFT_VOTER_REQUEST
ADD_RAFT_VOTER_RESPONSE_SPEC: MessageSpec = _ADD_RAFT_VOTER_RESPONSE
