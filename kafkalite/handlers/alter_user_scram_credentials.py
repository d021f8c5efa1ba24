"""AlterUserScramCredentials (api key 51), served v0 (KIP-554).

Upsertions carry what a client derived itself (salt, iterations, ``Hi(password, salt,
iterations)``); the broker keeps Kafka's stored and server keys, persists them and accepts
logins with them at once, on every connection that starts SCRAM afterwards. Needs ALTER on
the cluster (every user CLUSTER_AUTHORIZATION_FAILED). Checked as Kafka's
``ScramControlManager`` checks them, with its messages: an unknown mechanism is
UNSUPPORTED_SASL_MECHANISM, fewer than 4096 or more than 16384 iterations and an empty user
name UNACCEPTABLE_CREDENTIAL, a user and mechanism named twice DUPLICATE_RESOURCE, deleting
a credential that was never set RESOURCE_NOT_FOUND. One result per user; a user with any
refused alteration gets that error and none of its alterations is applied.
"""

from __future__ import annotations

from collections import Counter

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.alter_user_scram_credentials import (
    AlterUserScramCredentialsRequest,
    AlterUserScramCredentialsResponse,
    AlterUserScramCredentialsResult,
)
from kafkalite.protocol.messages.error_codes import MESSAGES
from kafkalite.security.acls import AclOperation
from kafkalite.security.scram import (
    MAX_ITERATIONS,
    MECHANISM_CODES,
    MIN_ITERATIONS,
    credential_from_salted,
)


async def handle(
    ctx: RequestContext, request: AlterUserScramCredentialsRequest
) -> AlterUserScramCredentialsResponse:
    names = list(dict.fromkeys(
        [d.name for d in request.deletions] + [u.name for u in request.upsertions]
    ))
    if not ctx.allows_cluster(AclOperation.ALTER):
        code = ErrorCode.CLUSTER_AUTHORIZATION_FAILED
        return AlterUserScramCredentialsResponse(results=[
            AlterUserScramCredentialsResult(user=n, error_code=code, error_message=MESSAGES.get(code))
            for n in names
        ])
    store = ctx.cluster.scram
    errors: dict[str, tuple[ErrorCode, str]] = {}
    twice = Counter(
        [(d.name, d.mechanism) for d in request.deletions]
        + [(u.name, u.mechanism) for u in request.upsertions]
    )

    def refuse(user: str, code: ErrorCode, message: str) -> None:
        errors.setdefault(user, (code, message))

    for (user, _), count in twice.items():
        if count > 1:
            refuse(user, ErrorCode.DUPLICATE_RESOURCE,
                   "A user credential cannot be altered twice in the same request")
    for deletion in request.deletions:
        mechanism = MECHANISM_CODES.get(deletion.mechanism)
        if not deletion.name:
            refuse(deletion.name, ErrorCode.UNACCEPTABLE_CREDENTIAL, "Username must not be empty")
        elif mechanism is None:
            refuse(deletion.name, ErrorCode.UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism")
        elif store.get(mechanism, deletion.name) is None:
            refuse(deletion.name, ErrorCode.RESOURCE_NOT_FOUND,
                   "Attempt to delete a user credential that does not exist")
    for upsertion in request.upsertions:
        mechanism = MECHANISM_CODES.get(upsertion.mechanism)
        if not upsertion.name:
            refuse(upsertion.name, ErrorCode.UNACCEPTABLE_CREDENTIAL, "Username must not be empty")
        elif mechanism is None:
            refuse(upsertion.name, ErrorCode.UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism")
        elif upsertion.iterations < MIN_ITERATIONS:
            refuse(upsertion.name, ErrorCode.UNACCEPTABLE_CREDENTIAL, "Too few iterations")
        elif upsertion.iterations > MAX_ITERATIONS:
            refuse(upsertion.name, ErrorCode.UNACCEPTABLE_CREDENTIAL, "Too many iterations")
    changed = False
    for deletion in request.deletions:
        if deletion.name not in errors:
            del store.credentials[MECHANISM_CODES[deletion.mechanism]][deletion.name]
            changed = True
    for upsertion in request.upsertions:
        if upsertion.name not in errors:
            mechanism = MECHANISM_CODES[upsertion.mechanism]
            store.credentials[mechanism][upsertion.name] = credential_from_salted(
                mechanism, bytes(upsertion.salt), bytes(upsertion.salted_password),
                upsertion.iterations,
            )
            changed = True
    if changed:
        ctx.cluster.save_leadership()
    return AlterUserScramCredentialsResponse(results=[
        AlterUserScramCredentialsResult(
            user=name,
            error_code=errors[name][0] if name in errors else ErrorCode.NONE,
            error_message=errors[name][1] if name in errors else None,
        )
        for name in names
    ])
