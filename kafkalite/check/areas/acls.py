"""ACL writes: CreateAcls, DescribeAcls and DeleteAcls round trip (KIP-140 and, for pattern
types, KIP-290), checked only where the broker advertises them and has an authorizer.

Not destructive: the one ACL created allows a principal no client uses to read a topic no
one else names (``kafkalite-check-...``), so it changes what no other client can do, and it
is deleted before the check ends (or at its end, whatever the result).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import Any

from kafkalite.check.context import CheckContext
from kafkalite.check.registry import Skip, check, expect, expect_code
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.create_acls import AclCreation, CreateAclsRequest
from kafkalite.protocol.messages.delete_acls import DeleteAclsFilter, DeleteAclsRequest
from kafkalite.protocol.messages.describe_acls import DescribeAclsRequest

# Kafka's wire values (org.apache.kafka.common.resource.ResourceType, PatternType,
# acl.AclOperation, acl.AclPermissionType).
_TOPIC, _LITERAL, _READ, _ALLOW, _ANY = 2, 3, 3, 3, 1
#: Answers meaning "this broker takes no ACL writes from us": no authorizer, or the checking
#: principal may not alter ACLs.
_REFUSALS = {
    ErrorCode.SECURITY_DISABLED: "the broker has no authorizer (SECURITY_DISABLED)",
    ErrorCode.CLUSTER_AUTHORIZATION_FAILED: (
        "the checking principal may not alter ACLs (CLUSTER_AUTHORIZATION_FAILED); "
        "run with a super user's --command-config"
    ),
}


def _filter(kind: type, resource: str, principal: str) -> Any:
    return kind(
        resource_type_filter=_TOPIC,
        resource_name_filter=resource,
        pattern_type_filter=_LITERAL,
        principal_filter=principal,
        host_filter="*",
        operation=_ANY,
        permission_type=_ANY,
    )


@check(
    "admin",
    "An ACL created with CreateAcls (allow a made-up principal to read a made-up topic) is "
    "listed by DescribeAcls with its principal, host, operation and permission; DeleteAcls "
    "with a filter answers it as the matching ACL, and DescribeAcls then lists nothing. "
    "Skipped where the broker has no authorizer (SECURITY_DISABLED).",
    "KIP-140; KIP-290; Kafka AclControlManager / AclApis",
)
def acl_round_trip(ctx: CheckContext) -> None:
    conn = ctx.client.controller()
    create_version = ctx.require(ApiKey.CREATE_ACLS, minimum=1, connection=conn)
    describe_version = ctx.require(ApiKey.DESCRIBE_ACLS, minimum=1, connection=conn)
    delete_version = ctx.require(ApiKey.DELETE_ACLS, minimum=1, connection=conn)
    resource, principal = ctx.unique("acl-topic"), f"User:{ctx.unique('principal')}"
    creation = AclCreation(
        resource_type=_TOPIC,
        resource_name=resource,
        resource_pattern_type=_LITERAL,
        principal=principal,
        host="*",
        operation=_READ,
        permission_type=_ALLOW,
    )
    created = ctx.call(
        conn, ApiKey.CREATE_ACLS, CreateAclsRequest(creations=[creation]), create_version
    ).results[0]
    if created.error_code in _REFUSALS:
        raise Skip(_REFUSALS[ErrorCode(created.error_code)])
    expect_code(created.error_code, ErrorCode.NONE, f"CreateAcls {principal} READ {resource}")

    wanted = [(principal, "*", _READ, _ALLOW)]

    def describe(settled: Callable[[list[tuple[str, str, int, int]]], bool]) -> list[Any]:
        """The ACLs listed for the resource. A change reaches a broker's authorizer through
        the metadata log a moment after the controller answers, so ask again (up to 5 s)
        until ``settled``."""
        deadline = time.monotonic() + 5
        while True:
            response = ctx.call(
                conn,
                ApiKey.DESCRIBE_ACLS,
                _filter(DescribeAclsRequest, resource, principal),
                describe_version,
            )
            expect_code(response.error_code, ErrorCode.NONE, f"DescribeAcls {resource}")
            listed = [
                (acl.principal, acl.host, acl.operation, acl.permission_type)
                for res in response.resources
                if (res.resource_type, res.resource_name, res.pattern_type)
                == (_TOPIC, resource, _LITERAL)
                for acl in res.acls
            ]
            if settled(listed) or time.monotonic() >= deadline:
                return listed
            time.sleep(0.1)

    deleted = False
    try:
        listed = describe(lambda acls: acls == wanted)
        expect(
            listed == wanted,
            f"DescribeAcls listed {listed}, expected [({principal!r}, '*', READ=3, ALLOW=3)]",
        )
        response = ctx.call(
            conn,
            ApiKey.DELETE_ACLS,
            DeleteAclsRequest(filters=[_filter(DeleteAclsFilter, resource, principal)]),
            delete_version,
        )
        result = response.filter_results[0]
        expect_code(result.error_code, ErrorCode.NONE, "DeleteAcls")
        deleted = True
        matching = [
            (m.resource_name, m.principal, m.operation, m.permission_type, m.error_code)
            for m in result.matching_acls
        ]
        expect(
            matching == [(resource, principal, _READ, _ALLOW, ErrorCode.NONE)],
            f"DeleteAcls answered matching ACLs {matching}, expected the one created",
        )
        left = describe(lambda acls: not acls)
        expect(not left, f"DescribeAcls still lists {left} after DeleteAcls")
    finally:
        if not deleted:
            with contextlib.suppress(Exception):
                ctx.call(
                    conn,
                    ApiKey.DELETE_ACLS,
                    DeleteAclsRequest(filters=[_filter(DeleteAclsFilter, resource, principal)]),
                    delete_version,
                )
