"""DescribeAcls (api key 29), served v1-v3, Kafka 4.2's range (KIP-896 removed v0; every client
that manages ACLs speaks v1).

Needs DESCRIBE on the cluster (CLUSTER_AUTHORIZATION_FAILED otherwise). Without an
authorizer (``authorizer.class.name`` unset) the answer is SECURITY_DISABLED, as Kafka's.
The ACLs matching the filter are grouped by resource pattern. A filter with an UNKNOWN
element is INVALID_REQUEST.

Version notes: v1 pattern types (KIP-290); v2 flexible.
"""

from __future__ import annotations

from kafkalite.handlers.acl_support import acl_api_refusal, wire_filter
from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.describe_acls import (
    AclDescription,
    DescribeAclsRequest,
    DescribeAclsResource,
    DescribeAclsResponse,
)
from kafkalite.security.acls import AclOperation


async def handle(ctx: RequestContext, request: DescribeAclsRequest) -> DescribeAclsResponse:
    refusal = acl_api_refusal(ctx, AclOperation.DESCRIBE)
    if refusal is not None:
        return DescribeAclsResponse(error_code=refusal[0], error_message=refusal[1])
    authorizer = ctx.cluster.authorizer
    assert authorizer is not None
    acl_filter = wire_filter(
        request.resource_type_filter, request.resource_name_filter, request.pattern_type_filter,
        request.principal_filter, request.host_filter, request.operation, request.permission_type,
    )
    if acl_filter.is_unknown():
        return DescribeAclsResponse(
            error_code=ErrorCode.INVALID_REQUEST, error_message="Filter contain UNKNOWN elements"
        )
    resources: dict[tuple[int, str, int], DescribeAclsResource] = {}
    for acl in authorizer.describe(acl_filter):
        key = (int(acl.resource_type), acl.name, int(acl.pattern_type))
        resource = resources.get(key)
        if resource is None:
            resource = resources[key] = DescribeAclsResource(
                resource_type=key[0], resource_name=key[1], pattern_type=key[2]
            )
        resource.acls.append(
            AclDescription(
                principal=acl.principal, host=acl.host, operation=int(acl.operation),
                permission_type=int(acl.permission),
            )
        )
    return DescribeAclsResponse(resources=list(resources.values()))
