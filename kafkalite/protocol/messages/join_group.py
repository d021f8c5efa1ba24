"""A member joins a classic consumer group, or rejoins during a rebalance; the coordinator
answers once the group's membership settles.

Generated from protocol/messages/join_group.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class JoinGroupRequestProtocol(Message):
    """The assignment protocols the member supports, most preferred first."""

    __slots__ = ('name', 'metadata',)

    name: str
    """The protocol name, e.g. an assignor name."""

    metadata: bytes
    """The member's protocol-specific metadata (a subscription for consumers)."""

    def __init__(self, *, name: str = "", metadata: bytes = b"") -> None:
        self.name = name
        self.metadata = metadata


class JoinGroupRequest(Message):
    __slots__ = ('group_id', 'session_timeout_ms', 'rebalance_timeout_ms', 'member_id', 'group_instance_id', 'protocol_type', 'protocols', 'reason',)

    group_id: str
    """The group to join."""

    session_timeout_ms: int
    """The member is removed if no heartbeat arrives within this many milliseconds."""

    rebalance_timeout_ms: int
    """How long the coordinator waits for members to rejoin during a rebalance, in milliseconds. Before v1 the session timeout is used. (v1+)"""

    member_id: str
    """The member id given by the coordinator, or empty on the first join."""

    group_instance_id: str | None
    """The static member id configured by the user, or null for a dynamic member (KIP-345). (v5+, nullable v5+)"""

    protocol_type: str
    """The kind of group, e.g. "consumer"."""

    protocols: list[JoinGroupRequestProtocol]
    """The assignment protocols the member supports, most preferred first."""

    reason: str | None
    """Why the member is joining, for the broker's log (KIP-800). (v8+, nullable v8+)"""

    def __init__(self, *, group_id: str = "", session_timeout_ms: int = 0, rebalance_timeout_ms: int = -1, member_id: str = "", group_instance_id: str | None = None, protocol_type: str = "", protocols: list[JoinGroupRequestProtocol] = UNSET, reason: str | None = None) -> None:
        self.group_id = group_id
        self.session_timeout_ms = session_timeout_ms
        self.rebalance_timeout_ms = rebalance_timeout_ms
        self.member_id = member_id
        self.group_instance_id = group_instance_id
        self.protocol_type = protocol_type
        self.protocols = list() if protocols is UNSET else protocols
        self.reason = reason


class JoinGroupResponseMember(Message):
    """Every member with its metadata; filled in only for the leader."""

    __slots__ = ('member_id', 'group_instance_id', 'metadata',)

    member_id: str
    """The member's id."""

    group_instance_id: str | None
    """The member's static instance id, or null. (v5+, nullable v5+)"""

    metadata: bytes
    """The member's metadata for the chosen protocol."""

    def __init__(self, *, member_id: str = "", group_instance_id: str | None = None, metadata: bytes = b"") -> None:
        self.member_id = member_id
        self.group_instance_id = group_instance_id
        self.metadata = metadata


class JoinGroupResponse(Message):
    __slots__ = ('throttle_time_ms', 'error_code', 'generation_id', 'protocol_type', 'protocol_name', 'leader', 'skip_assignment', 'member_id', 'members',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds. (v2+)"""

    error_code: int
    """The error code, 0 on success."""

    generation_id: int
    """The group's generation, -1 if unknown."""

    protocol_type: str | None
    """The group's protocol type (KIP-559). (v7+, nullable v7+)"""

    protocol_name: str | None
    """The assignment protocol the coordinator chose. (nullable v7+)"""

    leader: str
    """The member id of the group leader."""

    skip_assignment: bool
    """True when the leader must not run the assignment itself. (v9+)"""

    member_id: str
    """The member id the coordinator gave this member."""

    members: list[JoinGroupResponseMember]
    """Every member with its metadata; filled in only for the leader."""

    def __init__(self, *, throttle_time_ms: int = 0, error_code: int = 0, generation_id: int = -1, protocol_type: str | None = None, protocol_name: str | None = "", leader: str = "", skip_assignment: bool = False, member_id: str = "", members: list[JoinGroupResponseMember] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.error_code = error_code
        self.generation_id = generation_id
        self.protocol_type = protocol_type
        self.protocol_name = protocol_name
        self.leader = leader
        self.skip_assignment = skip_assignment
        self.member_id = member_id
        self.members = list() if members is UNSET else members


_JOIN_GROUP_REQUEST_PROTOCOL = StructSpec(
    JoinGroupRequestProtocol,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('metadata', 'bytes', V(0, 32767), default=b""),
    ),
)


_JOIN_GROUP_REQUEST = MessageSpec(
    JoinGroupRequest,
    (
        FieldSpec('group_id', 'string', V(0, 32767), default=""),
        FieldSpec('session_timeout_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('rebalance_timeout_ms', 'int32', V(1, 32767), default=-1, ignorable=True),
        FieldSpec('member_id', 'string', V(0, 32767), default=""),
        FieldSpec('group_instance_id', 'string', V(5, 32767), nullable=V(5, 32767)),
        FieldSpec('protocol_type', 'string', V(0, 32767), default=""),
        FieldSpec('protocols', 'array', V(0, 32767), struct=_JOIN_GROUP_REQUEST_PROTOCOL),
        FieldSpec('reason', 'string', V(8, 32767), nullable=V(8, 32767), ignorable=True),
    ),
    name='JoinGroupRequest',
    api_key=11,
    valid=V(0, 9),
    flexible=V(6, 32767),
)


_JOIN_GROUP_RESPONSE_MEMBER = StructSpec(
    JoinGroupResponseMember,
    (
        FieldSpec('member_id', 'string', V(0, 32767), default=""),
        FieldSpec('group_instance_id', 'string', V(5, 32767), nullable=V(5, 32767), ignorable=True),
        FieldSpec('metadata', 'bytes', V(0, 32767), default=b""),
    ),
)


_JOIN_GROUP_RESPONSE = MessageSpec(
    JoinGroupResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(2, 32767), default=0, ignorable=True),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('generation_id', 'int32', V(0, 32767), default=-1),
        FieldSpec('protocol_type', 'string', V(7, 32767), nullable=V(7, 32767), ignorable=True),
        FieldSpec('protocol_name', 'string', V(0, 32767), nullable=V(7, 32767), default=""),
        FieldSpec('leader', 'string', V(0, 32767), default=""),
        FieldSpec('skip_assignment', 'bool', V(9, 32767), default=False),
        FieldSpec('member_id', 'string', V(0, 32767), default=""),
        FieldSpec('members', 'array', V(0, 32767), struct=_JOIN_GROUP_RESPONSE_MEMBER),
    ),
    name='JoinGroupResponse',
    api_key=11,
    valid=V(0, 9),
    flexible=V(6, 32767),
)


JOIN_GROUP_REQUEST_SPEC: MessageSpec = _JOIN_GROUP_REQUEST
JOIN_GROUP_RESPONSE_SPEC: MessageSpec = _JOIN_GROUP_RESPONSE
