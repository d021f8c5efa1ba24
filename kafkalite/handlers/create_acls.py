"""CreateAcls (api key 30), served v1-v3, Kafka 4.2's range (KIP-896 removed v0; every client
that manages ACLs speaks v1).

Needs ALTER on the cluster (every result CLUSTER_AUTHORIZATION_FAILED otherwise); without
an authorizer every result is SECURITY_DISABLED. Each creation is checked as Kafka's
``AclControlManager.validateNewAcl`` checks it (INVALID_REQUEST with Kafka's message: an
UNKNOWN or ANY element, a pattern other than LITERAL or PREFIXED, a CLUSTER resource not
named ``kafka-cluster``, an empty name, a principal without ``type:``). Valid ones are
stored and persisted before the answer; creating an existing ACL again succeeds.

Version notes: v1 resource_pattern_type (KIP-290); v2 flexible.
"""

from __future__ import annotations

from kafkalite.handlers.acl_support import acl_api_refusal, code
from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.create_acls import (
    AclCreationResult,
    CreateAclsRequest,
    CreateAclsResponse,
)
from kafkalite.security.acls import (
    AclBinding,
    AclOperation,
    AclPermission,
    PatternType,
    ResourceType,
    validate_binding,
)


async def handle(ctx: RequestContext, request: CreateAclsRequest) -> CreateAclsResponse:
    authorizer = ctx.cluster.authorizer
    refusal = acl_api_refusal(ctx, AclOperation.ALTER)
    if refusal is not None:
        return CreateAclsResponse(
            results=[
                AclCreationResult(error_code=refusal[0], error_message=refusal[1])
                for _ in request.creations
            ]
        )
    assert authorizer is not None
    response = CreateAclsResponse()
    changed = False
    for creation in request.creations:
        acl = AclBinding(
            resource_type=code(ResourceType, creation.resource_type),
            name=creation.resource_name,
            pattern_type=code(PatternType, creation.resource_pattern_type),
            principal=creation.principal,
            host=creation.host,
            operation=code(AclOperation, creation.operation),
            permission=code(AclPermission, creation.permission_type),
        )
        problem = validate_binding(acl)
        if problem is not None:
            response.results.append(
                AclCreationResult(error_code=ErrorCode.INVALID_REQUEST, error_message=problem)
            )
            continue
        authorizer.add(acl)
        changed = True
        response.results.append(AclCreationResult())
    if changed:
        ctx.cluster.save_leadership()
    return response
