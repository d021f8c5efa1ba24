"""Creates, replaces and deletes users' SCRAM credentials.

Generated from protocol/messages/alter_user_scram_credentials.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

import uuid

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.message import UNSET, Message
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V

Records = bytes | bytearray | memoryview | FileSlice | None
ZERO_UUID = uuid.UUID(int=0)


class ScramCredentialDeletion(Message):
    """The credentials to delete."""

    __slots__ = ('name', 'mechanism',)

    name: str
    """The user name."""

    mechanism: int
    """1 SCRAM-SHA-256, 2 SCRAM-SHA-512."""

    def __init__(self, *, name: str = "", mechanism: int = 0) -> None:
        self.name = name
        self.mechanism = mechanism


class ScramCredentialUpsertion(Message):
    """The credentials to create or replace."""

    __slots__ = ('name', 'mechanism', 'iterations', 'salt', 'salted_password',)

    name: str
    """The user name."""

    mechanism: int
    """1 SCRAM-SHA-256, 2 SCRAM-SHA-512."""

    iterations: int
    """The iteration count."""

    salt: bytes
    """The salt the client chose."""

    salted_password: bytes
    """The salted password: Hi(password, salt, iterations)."""

    def __init__(self, *, name: str = "", mechanism: int = 0, iterations: int = 0, salt: bytes = b"", salted_password: bytes = b"") -> None:
        self.name = name
        self.mechanism = mechanism
        self.iterations = iterations
        self.salt = salt
        self.salted_password = salted_password


class AlterUserScramCredentialsRequest(Message):
    __slots__ = ('deletions', 'upsertions',)

    deletions: list[ScramCredentialDeletion]
    """The credentials to delete."""

    upsertions: list[ScramCredentialUpsertion]
    """The credentials to create or replace."""

    def __init__(self, *, deletions: list[ScramCredentialDeletion] = UNSET, upsertions: list[ScramCredentialUpsertion] = UNSET) -> None:
        self.deletions = list() if deletions is UNSET else deletions
        self.upsertions = list() if upsertions is UNSET else upsertions


class AlterUserScramCredentialsResult(Message):
    """One result per user the request names."""

    __slots__ = ('user', 'error_code', 'error_message',)

    user: str
    """The user name."""

    error_code: int
    """The error code, 0 on success."""

    error_message: str | None
    """The error message, or null. (nullable v0+)"""

    def __init__(self, *, user: str = "", error_code: int = 0, error_message: str | None = None) -> None:
        self.user = user
        self.error_code = error_code
        self.error_message = error_message


class AlterUserScramCredentialsResponse(Message):
    __slots__ = ('throttle_time_ms', 'results',)

    throttle_time_ms: int
    """How long the request was throttled, in milliseconds."""

    results: list[AlterUserScramCredentialsResult]
    """One result per user the request names."""

    def __init__(self, *, throttle_time_ms: int = 0, results: list[AlterUserScramCredentialsResult] = UNSET) -> None:
        self.throttle_time_ms = throttle_time_ms
        self.results = list() if results is UNSET else results


_SCRAM_CREDENTIAL_DELETION = StructSpec(
    ScramCredentialDeletion,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('mechanism', 'int8', V(0, 32767), default=0),
    ),
)


_SCRAM_CREDENTIAL_UPSERTION = StructSpec(
    ScramCredentialUpsertion,
    (
        FieldSpec('name', 'string', V(0, 32767), default=""),
        FieldSpec('mechanism', 'int8', V(0, 32767), default=0),
        FieldSpec('iterations', 'int32', V(0, 32767), default=0),
        FieldSpec('salt', 'bytes', V(0, 32767), default=b""),
        FieldSpec('salted_password', 'bytes', V(0, 32767), default=b""),
    ),
)


_ALTER_USER_SCRAM_CREDENTIALS_REQUEST = MessageSpec(
    AlterUserScramCredentialsRequest,
    (
        FieldSpec('deletions', 'array', V(0, 32767), struct=_SCRAM_CREDENTIAL_DELETION),
        FieldSpec('upsertions', 'array', V(0, 32767), struct=_SCRAM_CREDENTIAL_UPSERTION),
    ),
    name='AlterUserScramCredentialsRequest',
    api_key=51,
    valid=V(0, 0),
    flexible=V(0, 32767),
)


_ALTER_USER_SCRAM_CREDENTIALS_RESULT = StructSpec(
    AlterUserScramCredentialsResult,
    (
        FieldSpec('user', 'string', V(0, 32767), default=""),
        FieldSpec('error_code', 'int16', V(0, 32767), default=0),
        FieldSpec('error_message', 'string', V(0, 32767), nullable=V(0, 32767)),
    ),
)


_ALTER_USER_SCRAM_CREDENTIALS_RESPONSE = MessageSpec(
    AlterUserScramCredentialsResponse,
    (
        FieldSpec('throttle_time_ms', 'int32', V(0, 32767), default=0),
        FieldSpec('results', 'array', V(0, 32767), struct=_ALTER_USER_SCRAM_CREDENTIALS_RESULT),
    ),
    name='AlterUserScramCredentialsResponse',
    api_key=51,
    valid=V(0, 0),
    flexible=V(0, 32767),
)


ALTER_USER_SCRAM_CREDENTIALS_REQUEST_SPEC: MessageSpec = _ALTER_USER_SCRAM_CREDENTIALS_REQUEST
ALTER_USER_SCRAM_CREDENTIALS_RESPONSE_SPEC: MessageSpec = _ALTER_USER_SCRAM_CREDENTIALS_RESPONSE
