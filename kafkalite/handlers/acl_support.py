"""ACL helpers shared by handlers: wire values to ACL domain values (DescribeAcls,
CreateAcls, DeleteAcls: a code Kafka does not know becomes UNKNOWN, which the filters and
``validate_binding`` refuse as Kafka does), and the config-resource checks of
DescribeConfigs, AlterConfigs and IncrementalAlterConfigs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import IntEnum
from typing import TypeVar

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.error_codes import MESSAGES
from kafkalite.security.acls import (
    AclFilter,
    AclOperation,
    AclPermission,
    PatternType,
    ResourceType,
)

E = TypeVar("E", bound=IntEnum)
T = TypeVar("T")

NO_AUTHORIZER = "No Authorizer is configured on the broker"


def acl_api_refusal(ctx: RequestContext, operation: AclOperation) -> tuple[ErrorCode, str] | None:
    """Why an ACL API is refused, or None: ``operation`` on the cluster (DESCRIBE for
    DescribeAcls, ALTER for CreateAcls and DeleteAcls), then an authorizer to ask."""
    if not ctx.allows_cluster(operation):
        return (
            ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
            MESSAGES.get(ErrorCode.CLUSTER_AUTHORIZATION_FAILED, ""),
        )
    if ctx.cluster.authorizer is None:
        # KafkaApis words it differently for DescribeAcls and for the two that change ACLs
        message = NO_AUTHORIZER if operation == AclOperation.DESCRIBE else "No Authorizer is configured."
        return ErrorCode.SECURITY_DISABLED, message
    return None


def code(enum: type[E], value: int) -> E:
    try:
        return enum(value)
    except ValueError:
        return enum(0)


def wire_filter(
    resource_type: int, name: str | None, pattern_type: int, principal: str | None,
    host: str | None, operation: int, permission: int,
) -> AclFilter:
    return AclFilter(
        resource_type=code(ResourceType, resource_type),
        name=name,
        pattern_type=code(PatternType, pattern_type),
        principal=principal,
        host=host,
        operation=code(AclOperation, operation),
        permission=code(AclPermission, permission),
    )


CONFIG_TOPIC, CONFIG_BROKER, CONFIG_BROKER_LOGGER, CONFIG_CLIENT_METRICS, CONFIG_GROUP = 2, 4, 8, 16, 32


def config_refusal(ctx: RequestContext, resource_type: int, name: str, operation: AclOperation) -> int:
    """The error Kafka answers a config resource the principal may not DESCRIBE_CONFIGS or
    ALTER_CONFIGS (``operation``), else NONE: a topic's and a group's are checked on them,
    the broker-wide ones (BROKER, BROKER_LOGGER, CLIENT_METRICS) on the cluster."""
    if resource_type == CONFIG_TOPIC:
        allowed = ctx.allows_topic(operation, name)
        refusal = ErrorCode.TOPIC_AUTHORIZATION_FAILED
    elif resource_type == CONFIG_GROUP:
        allowed = ctx.allows_group(operation, name)
        refusal = ErrorCode.GROUP_AUTHORIZATION_FAILED
    elif resource_type in (CONFIG_BROKER, CONFIG_BROKER_LOGGER, CONFIG_CLIENT_METRICS):
        allowed = ctx.allows_cluster(operation)
        refusal = ErrorCode.CLUSTER_AUTHORIZATION_FAILED
    else:
        return ErrorCode.NONE  # an unknown type: the handler answers it as Kafka does
    return ErrorCode.NONE if allowed else refusal


def alter_authorized(
    ctx: RequestContext,
    resources: Sequence[tuple[int, str, T]],
    alter: Callable[[list[tuple[int, str, T]]], list[tuple[int, str | None]]],
) -> list[tuple[int, str | None]]:
    """``alter`` the resources the principal may ALTER_CONFIGS; the others get the
    authorization error with its standard message. Outcomes stay in request order."""
    refusals = [
        config_refusal(ctx, rtype, name, AclOperation.ALTER_CONFIGS) for rtype, name, _ in resources
    ]
    allowed = [r for r, refusal in zip(resources, refusals, strict=True) if not refusal]
    outcomes = iter(alter(allowed) if allowed else [])
    return [
        (refusal, MESSAGES.get(ErrorCode(refusal))) if refusal else next(outcomes)
        for refusal in refusals
    ]
