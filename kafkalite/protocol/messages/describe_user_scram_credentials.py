"""Describes the SCRAM credentials of users: their mechanisms and iteration counts.

Generated from protocol/messages/describe_user_scram_credentials.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class UserName(Message):
    """The users to describe, or null/empty for every user."""

    __slots__ = ('name',)

    name: str
    """The user name."""

    def __init__(self, *, name: str = "") -> None:
        self.name = name


class DescribeUserScramCredentialsRequest(Message):
    __slots__ = ('users',)

    users: list[UserName] | None
    """The users to describe, or null/empty for every user. (nullable v0+)"""

    def __init__(self, *, users: list[UserName] | None = None) -> None:
        self.users = users


class CredentialInfo(Message):
    """The user's SCRAM credentials."""

    __slots__ = ('mechanism', 'iterations',)

    mechanism: int
    """1 SCRAM-SHA-256, 2 SCRAM-SHA-512."""

    iterations: int
    """The credential's iteration count."""

    def __init__(self, *, mechanism: int = 0, iterations: int = 0) -> None:
        self.mechanism = mechanism
        self.iterations = iterations


class DescribeUserScramCredentialsResult(Message):
    """One result per user."""

    __slots__ = ('user', 'error_code', 'error_message', 'credential_infos',)

    user: str
    """The user name."""

    error_code: int
    """The user-level error code."""

    error_message: str | None
    """The user-level error message, or null. (nullable v0+)"""

    credential_infos: list[CredentialInfo]
    """The user's SCRAM credentials."""

    def __init__(self, *, user: str = "", error_code: int = 0, error_message: str | None = None, credential_infos: list[CredentialInfo] = UNSET) -> None:
        self.user = user
        self.error_code = error_code
        self.error_message = error_message
        self.credential_infos = list() if credential_infos is UNSET else credential_infos


class DescribeUserScramCredentialsResponse(Message):
    __slots__ = ('throttle_time_ms', 'error_code', 'error_message', 'results',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    error_code: int
    """The request-level error code."""

    error_message: str | None
    """The request-level error message, or null. (nullable v0+)"""

    results: list[DescribeUserScramCredentialsResult]
    """One result per user."""

    def __init__(self, *, throttle_time_ms: int = 0, error_code: int = 0, error_message: str | None = None, results: list[DescribeUserScramCredentialsResult] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.error_code = error_code
        self.error_message = error_message
        self.results = list() if results is UNSET else results


_USER_NAME = StructSpec(
    UserName,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
    ),
)


_DESCRIBE_USER_SCRAM_CREDENTIALS_REQUEST = MessageSpec(
    DescribeUserScramCredentialsRequest,
    (
        FieldSpec('users', 'array', V(0, 32767), nullable=V(0, 32767), struct=_USER_NAME),
    ),
    name='DescribeUserScramCredentialsRequest',
    api_key=50,
    valid=V(0, 0),
    flexible=V(0, 32767),
)


_CREDENTIAL_INFO = StructSpec(
    CredentialInfo,
    (
        FieldSpec('mechanism', 'int8', V(0, 32767), default=0),
        FieldSpec('iterations', 'int32', V(0, 32767), default=0),
    ),
)


_DESCRIBE_USER_SCRAM_CREDENTIALS_RESULT = StructSpec(
    DescribeUserScramCredentialsResult,
    (
        FieldSpec('user', 'string', V(0, 32767), default=""),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(0, 32767)),
        FieldSpec('credential_infos', 'array', V(0, 32767), struct=_CREDENTIAL_INFO),
    ),
)


_DESCRIBE_USER_SCRAM_CREDENTIALS_RESPONSE = MessageSpec(
    DescribeUserScramCredentialsResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(0, 32767)),
        FieldSpec('results', 'array', V(0, 32767), struct=_DESCRIBE_USER_SCRAM_CREDENTIALS_RESULT),
    ),
    name='DescribeUserScramCredentialsResponse',
    api_key=50,
    valid=V(0, 0),
    flexible=V(0, 32767),
)


DESCRIBE_USER_SCRAM_CREDENTIALS_REQUEST_SPEC: MessageSpec = _DESCRIBE_USER_SCRAM_CREDENTIALS_REQUEST
DESCRIBE_USER_SCRAM_CREDENTIALS_RESPONSE_SPEC: MessageSpec = _DESCRIBE_USER_SCRAM_CREDENTIALS_RESPONSE
