"""Removes a voter from the KRaft metadata quorum (dynamic quorums, KIP-853).

Generated from protocol/messages/remove_raft_voter.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class RemoveRaftVoterRequest(Message):
    __slots__ = ('cluster_id', 'voter_id', 'voter_directory_id',)

    cluster_id: str | None
    """The cluster id the sender expects, or null. (nullable v0+)"""

    voter_id: int
    """The replica id of the voter to remove."""

    voter_directory_id: uuid.UUID
    """The log directory id of the voter to remove."""

    def __init__(self, *, cluster_id: str | None = None, voter_id: int = 0, voter_directory_id: uuid.UUID = ZERO_UUID) -> None:
        self.cluster_id = cluster_id
        self.voter_id = voter_id
        self.voter_directory_id = voter_directory_id


class RemoveRaftVoterResponse(Message):
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


_REMOVE_RAFT_VOTER_REQUEST = MessageSpec(
    RemoveRaftVoterRequest,
    (
        FieldSpec('cluster_id', 'string', V(0, 32767), nullable=V(0, 32767)),
        FieldSpec('voter_id', 'int32', V(0, 32767), default=0),
        FieldSpec('voter_directory_id', 'uuid', V(0, 32767), default=ZERO_UUID),
    ),
    name='RemoveRaftVoterRequest',
    api_key=81,
    valid=V(0, 0),
    flexible=V(0, 32767),
)


_REMOVE_RAFT_VOTER_RESPONSE = MessageSpec(
    RemoveRaftVoterResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(0, 32767), ignorable=True),
    ),
    name='RemoveRaftVoterResponse',
    api_key=81,
    valid=V(0, 0),
    flexible=V(0, 32767),
)


REMOVE_RAFT_VOTER_REQUEST_SPEC: MessageSpec = _REMOVE_RAFT_VOTER_REQUEST
REMOVE_RAFT_VOTER_RESPONSE_SPEC: MessageSpec = _REMOVE_RAFT_VOTER_RESPONSE
