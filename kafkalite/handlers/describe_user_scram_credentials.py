"""DescribeUserScramCredentials (api key 50), served v0 (KIP-554).

The users' SCRAM mechanisms and iteration counts, never the credentials: those set with
AlterUserScramCredentials and those of ``kafkalite.users`` (both mechanisms, 4096
iterations). Null or empty ``users`` describes every user. Needs DESCRIBE on the cluster
(CLUSTER_AUTHORIZATION_FAILED for the request). A user named twice is DUPLICATE_RESOURCE, an
unknown one RESOURCE_NOT_FOUND, with Kafka's messages (``ScramImage.describe``).
"""

from __future__ import annotations

from collections import Counter

from kafkalite.handlers.context import RequestContext
from kafkalite.handlers.scram_support import credential_infos, known_users
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.describe_user_scram_credentials import (
    DescribeUserScramCredentialsRequest,
    DescribeUserScramCredentialsResponse,
    DescribeUserScramCredentialsResult,
)
from kafkalite.protocol.messages.error_codes import MESSAGES
from kafkalite.security.acls import AclOperation


async def handle(
    ctx: RequestContext, request: DescribeUserScramCredentialsRequest
) -> DescribeUserScramCredentialsResponse:
    if not ctx.allows_cluster(AclOperation.DESCRIBE):
        return DescribeUserScramCredentialsResponse(
            error_code=ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
            error_message=MESSAGES.get(ErrorCode.CLUSTER_AUTHORIZATION_FAILED),
        )
    users = known_users(ctx)
    response = DescribeUserScramCredentialsResponse()
    if not request.users:
        response.results = [
            DescribeUserScramCredentialsResult(user=user, credential_infos=credential_infos(creds))
            for user, creds in sorted(users.items())
        ]
        return response
    counts = Counter(u.name for u in request.users)
    for name in dict.fromkeys(u.name for u in request.users):
        result = DescribeUserScramCredentialsResult(user=name)
        if counts[name] > 1:
            result.error_code = ErrorCode.DUPLICATE_RESOURCE
            result.error_message = (
                f"Cannot describe SCRAM credentials for the same user twice in a single request: {name}"
            )
        elif name not in users:
            result.error_code = ErrorCode.RESOURCE_NOT_FOUND
            result.error_message = f"Attempt to describe a user credential that does not exist: {name}"
        else:
            result.credential_infos = credential_infos(users[name])
        response.results.append(result)
    return response
