"""What DescribeUserScramCredentials and AlterUserScramCredentials share."""

from __future__ import annotations

from collections.abc import Mapping

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.messages.describe_user_scram_credentials import CredentialInfo
from kafkalite.security.scram import MECHANISM_CODES, MIN_ITERATIONS

CODES = {name: code for code, name in MECHANISM_CODES.items()}


def known_users(ctx: RequestContext) -> dict[str, dict[str, int]]:
    """``{user: {mechanism: iterations}}``: ``kafkalite.users`` (every SCRAM mechanism, at
    4096 iterations) overlaid with the credentials set through the API."""
    users: dict[str, dict[str, int]] = {
        user: dict.fromkeys(CODES, MIN_ITERATIONS) for user in ctx.config.users
    }
    for user, credentials in ctx.cluster.scram.users().items():
        for mechanism, credential in credentials.items():
            users.setdefault(user, {})[mechanism] = credential.iterations
    return users


def credential_infos(credentials: Mapping[str, int]) -> list[CredentialInfo]:
    return [
        CredentialInfo(mechanism=CODES[mechanism], iterations=iterations)
        for mechanism, iterations in sorted(credentials.items(), key=lambda item: CODES[item[0]])
    ]
