"""DeleteAcls (api key 31), served v1-v3, Kafka 4.2's range (KIP-896 removed v0; every client
that manages ACLs speaks v1).

Needs ALTER on the cluster (every filter CLUSTER_AUTHORIZATION_FAILED otherwise); without
an authorizer every filter is SECURITY_DISABLED. Each filter deletes the ACLs it matches
(Kafka's ANY/MATCH filter rules) and lists them; a filter with an UNKNOWN element is
INVALID_REQUEST. The deletions are persisted before the answer.

Version notes: v1 pattern types (KIP-290); v2 flexible.
"""

from __future__ import annotations

from kafkalite.handlers.acl_support import acl_api_refusal, wire_filter
from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.delete_acls import (
    DeleteAclsFilterResult,
    DeleteAclsMatchingAcl,
    DeleteAclsRequest,
    DeleteAclsResponse,
)
from kafkalite.security.acls import AclOperation


async def handle(ctx: RequestContext, request: DeleteAclsRequest) -> DeleteAclsResponse:
    authorizer = ctx.cluster.authorizer
    refusal = acl_api_refusal(ctx, AclOperation.ALTER)
    if refusal is not None:
        return DeleteAclsResponse(
            filter_results=[
                DeleteAclsFilterResult(error_code=refusal[0], error_message=refusal[1])
                for _ in request.filters
            ]
        )
    assert authorizer is not None
    response = DeleteAclsResponse()
    changed = False
    for wanted in request.filters:
        acl_filter = wire_filter(
            wanted.resource_type_filter, wanted.resource_name_filter, wanted.pattern_type_filter,
            wanted.principal_filter, wanted.host_filter, wanted.operation, wanted.permission_type,
        )
        if acl_filter.is_unknown():
            response.filter_results.append(
                DeleteAclsFilterResult(
                    error_code=ErrorCode.INVALID_REQUEST,
                    error_message="Filters contain UNKNOWN elements",
                )
            )
            continue
        removed = authorizer.delete(acl_filter)
        changed = changed or bool(removed)
        response.filter_results.append(
            DeleteAclsFilterResult(
                matching_acls=[
                    DeleteAclsMatchingAcl(
                        resource_type=int(acl.resource_type), resource_name=acl.name,
                        pattern_type=int(acl.pattern_type), principal=acl.principal,
                        host=acl.host, operation=int(acl.operation),
                        permission_type=int(acl.permission),
                    )
                    for acl in removed
                ]
            )
        )
    if changed:
        ctx.cluster.save_leadership()
    return response
