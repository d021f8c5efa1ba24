"""ACLs and Kafka's ``StandardAuthorizer`` decision rules, without I/O.

An ACL (``AclBinding``) says that a principal from a host may (ALLOW) or may not (DENY)
perform an operation on the resources a pattern names: a LITERAL pattern names one
resource, or every resource of its type when the name is ``*``; a PREFIXED pattern names
every resource whose name starts with it. ``Authorizer.authorize`` decides as Kafka's
``StandardAuthorizerData.authorize`` does:

1. a principal listed in ``super.users`` may do anything;
2. a matching DENY wins over any ALLOW;
3. an ALLOW of READ, WRITE, DELETE or ALTER also allows DESCRIBE, and an ALLOW of
   ALTER_CONFIGS also allows DESCRIBE_CONFIGS (implied operations); ALL matches every
   operation, and the principal ``User:*`` and the host ``*`` match everyone;
4. when no ACL at all names the resource, ``allow.everyone.if.no.acl.found`` decides
   (false by default: denied).

Filters (``AclFilter``) select ACLs for DescribeAcls and DeleteAcls with Kafka's
``ResourcePatternFilter``/``AccessControlEntryFilter`` rules, ANY and MATCH included.
The codes are Kafka's (``ResourceType``, ``PatternType``, ``AclOperation``,
``AclPermissionType``); they are on the wire, in the authorized-operations bit fields of
KIP-430, and in the persisted form (``to_json``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

__all__ = [
    "CLUSTER_NAME",
    "STANDARD_AUTHORIZER_NAME",
    "AclBinding",
    "AclFilter",
    "AclOperation",
    "AclPermission",
    "Authorizer",
    "PatternType",
    "ResourceType",
    "parse_super_users",
    "validate_binding",
]

STANDARD_AUTHORIZER_NAME = "org.apache.kafka.metadata.authorizer.StandardAuthorizer"
CLUSTER_NAME = "kafka-cluster"
WILDCARD = "*"
WILDCARD_PRINCIPAL_TYPE_NAME = ":*"


class ResourceType(IntEnum):
    UNKNOWN = 0
    ANY = 1
    TOPIC = 2
    GROUP = 3
    CLUSTER = 4
    TRANSACTIONAL_ID = 5
    DELEGATION_TOKEN = 6
    USER = 7


class PatternType(IntEnum):
    UNKNOWN = 0
    ANY = 1
    MATCH = 2
    LITERAL = 3
    PREFIXED = 4


class AclOperation(IntEnum):
    UNKNOWN = 0
    ANY = 1
    ALL = 2
    READ = 3
    WRITE = 4
    CREATE = 5
    DELETE = 6
    ALTER = 7
    DESCRIBE = 8
    CLUSTER_ACTION = 9
    DESCRIBE_CONFIGS = 10
    ALTER_CONFIGS = 11
    IDEMPOTENT_WRITE = 12
    CREATE_TOKENS = 13
    DESCRIBE_TOKENS = 14
    TWO_PHASE_COMMIT = 15


class AclPermission(IntEnum):
    UNKNOWN = 0
    ANY = 1
    DENY = 2
    ALLOW = 3


Op = AclOperation
IMPLIED_BY: dict[AclOperation, frozenset[AclOperation]] = {
    Op.DESCRIBE: frozenset({Op.DESCRIBE, Op.READ, Op.WRITE, Op.DELETE, Op.ALTER}),
    Op.DESCRIBE_CONFIGS: frozenset({Op.DESCRIBE_CONFIGS, Op.ALTER_CONFIGS}),
}
"""The ALLOW operations that grant an operation besides itself and ALL (Kafka's
``StandardAuthorizerData.IMPLIES_DESCRIBE`` / ``IMPLIES_DESCRIBE_CONFIGS``)."""

SUPPORTED_OPERATIONS: dict[ResourceType, tuple[AclOperation, ...]] = {
    ResourceType.TOPIC: (
        Op.READ, Op.WRITE, Op.CREATE, Op.DESCRIBE, Op.DELETE, Op.ALTER,
        Op.DESCRIBE_CONFIGS, Op.ALTER_CONFIGS,
    ),
    ResourceType.GROUP: (Op.READ, Op.DESCRIBE, Op.DELETE, Op.DESCRIBE_CONFIGS, Op.ALTER_CONFIGS),
    ResourceType.CLUSTER: (
        Op.CREATE, Op.CLUSTER_ACTION, Op.DESCRIBE_CONFIGS, Op.ALTER_CONFIGS,
        Op.IDEMPOTENT_WRITE, Op.ALTER, Op.DESCRIBE,
    ),
    ResourceType.TRANSACTIONAL_ID: (Op.DESCRIBE, Op.WRITE, Op.TWO_PHASE_COMMIT),
    ResourceType.DELEGATION_TOKEN: (Op.DESCRIBE,),
    ResourceType.USER: (Op.CREATE_TOKENS, Op.DESCRIBE_TOKENS),
}
"""The operations KIP-430's bit fields report per resource type (Kafka's
``AclEntry.supportedOperations``)."""


def operations_bits(operations: Iterable[AclOperation]) -> int:
    return sum(1 << op for op in set(operations))


@dataclass(frozen=True, slots=True)
class AclBinding:
    resource_type: ResourceType
    name: str
    pattern_type: PatternType
    principal: str
    host: str
    operation: AclOperation
    permission: AclPermission

    def covers(self, resource_type: ResourceType, name: str) -> bool:
        """Whether the pattern names resource ``name`` of ``resource_type``."""
        if self.resource_type != resource_type:
            return False
        if self.pattern_type == PatternType.PREFIXED:
            return name.startswith(self.name)
        return self.name == name or self.name == WILDCARD

    def to_json(self) -> list[Any]:
        return [
            int(self.resource_type), self.name, int(self.pattern_type), self.principal,
            self.host, int(self.operation), int(self.permission),
        ]

    @classmethod
    def from_json(cls, data: list[Any]) -> AclBinding:
        rtype, name, pattern, principal, host, op, permission = data
        return cls(
            ResourceType(rtype), str(name), PatternType(pattern), str(principal), str(host),
            AclOperation(op), AclPermission(permission),
        )


@dataclass(frozen=True, slots=True)
class AclFilter:
    """None in a string field matches anything; ANY in an enum field matches anything."""

    resource_type: ResourceType = ResourceType.ANY
    name: str | None = None
    pattern_type: PatternType = PatternType.ANY
    principal: str | None = None
    host: str | None = None
    operation: AclOperation = AclOperation.ANY
    permission: AclPermission = AclPermission.ANY

    def is_unknown(self) -> bool:
        return 0 in (self.resource_type, self.pattern_type, self.operation, self.permission)

    def matches(self, acl: AclBinding) -> bool:
        return self._matches_pattern(acl) and (
            (self.principal is None or self.principal == acl.principal)
            and (self.host is None or self.host == acl.host)
            and self.operation in (AclOperation.ANY, acl.operation)
            and self.permission in (AclPermission.ANY, acl.permission)
        )

    def _matches_pattern(self, acl: AclBinding) -> bool:
        # Kafka's ResourcePatternFilter.matches
        if self.resource_type not in (ResourceType.ANY, acl.resource_type):
            return False
        if self.pattern_type not in (PatternType.ANY, PatternType.MATCH, acl.pattern_type):
            return False
        if self.name is None:
            return True
        if self.pattern_type in (PatternType.ANY, acl.pattern_type):
            return self.name == acl.name
        if acl.pattern_type == PatternType.LITERAL:
            return self.name == acl.name or acl.name == WILDCARD
        return self.name.startswith(acl.name)


def validate_binding(acl: AclBinding) -> str | None:
    """Why Kafka refuses to create ``acl`` (INVALID_REQUEST), or None
    (``AclControlManager.validateNewAcl`` and ``AclApis.handleCreateAcls``)."""
    if acl.resource_type in (ResourceType.UNKNOWN, ResourceType.ANY):
        return f"Invalid resourceType {acl.resource_type.name}"
    if acl.pattern_type not in (PatternType.LITERAL, PatternType.PREFIXED):
        return f"Invalid patternType {acl.pattern_type.name}"
    if acl.operation in (AclOperation.UNKNOWN, AclOperation.ANY):
        return f"Invalid operation {acl.operation.name}"
    if acl.permission not in (AclPermission.DENY, AclPermission.ALLOW):
        return f"Invalid permissionType {acl.permission.name}"
    if acl.resource_type == ResourceType.CLUSTER and acl.name != CLUSTER_NAME:
        return f"The only valid name for the CLUSTER resource is {CLUSTER_NAME}"
    if not acl.name:
        return "Invalid empty resource name"
    if ":" not in acl.principal:
        return (
            f"Could not parse principal from `{acl.principal}` (no colon is present separating "
            "the principal type from the principal name)"
        )
    return None


def parse_super_users(text: str) -> tuple[str, ...]:
    """``super.users``: principals separated by semicolons (``User:admin;User:ops``)."""
    return tuple(name.strip() for name in text.split(";") if name.strip())


class Authorizer:
    """The ACLs of a cluster and the decisions they make."""

    def __init__(self, super_users: Iterable[str] = (), allow_if_no_acl: bool = False) -> None:
        self.super_users = frozenset(super_users)
        self.allow_if_no_acl = allow_if_no_acl
        self._acls: dict[AclBinding, None] = {}  # insertion-ordered set

    def __iter__(self) -> Iterator[AclBinding]:
        return iter(self._acls)

    def __len__(self) -> int:
        return len(self._acls)

    # -- changes --------------------------------------------------------------------------

    def add(self, acl: AclBinding) -> None:
        self._acls[acl] = None

    def delete(self, acl_filter: AclFilter) -> list[AclBinding]:
        removed = [acl for acl in self._acls if acl_filter.matches(acl)]
        for acl in removed:
            del self._acls[acl]
        return removed

    def describe(self, acl_filter: AclFilter) -> list[AclBinding]:
        return [acl for acl in self._acls if acl_filter.matches(acl)]

    # -- decisions ------------------------------------------------------------------------

    def is_super_user(self, principal: str) -> bool:
        return principal in self.super_users

    def authorize(
        self, principal: str, host: str, operation: AclOperation, resource_type: ResourceType,
        name: str,
    ) -> bool:
        if principal in self.super_users:
            return True
        found = False
        allowed = False
        for acl in self._acls:
            if not acl.covers(resource_type, name):
                continue
            found = True
            if not (_principal_matches(acl.principal, principal) and acl.host in (WILDCARD, host)):
                continue
            if acl.permission == AclPermission.DENY:
                if acl.operation in (AclOperation.ALL, operation):
                    return False
            elif acl.operation == AclOperation.ALL or acl.operation in IMPLIED_BY.get(
                operation, (operation,)
            ):
                allowed = True
        if not found:
            return self.allow_if_no_acl
        return allowed

    def authorize_any(
        self, principal: str, host: str, operation: AclOperation, resource_type: ResourceType
    ) -> bool:
        """Whether ``principal`` may perform ``operation`` on at least one resource of
        ``resource_type`` (Kafka's ``authorizeByResourceType``, as InitProducerId asks it
        for an idempotent producer: WRITE on any topic): some ALLOW names a resource that
        no DENY of this principal covers."""
        if principal in self.super_users:
            return True
        mine = [
            acl for acl in self._acls
            if acl.resource_type == resource_type
            and _principal_matches(acl.principal, principal) and acl.host in (WILDCARD, host)
        ]
        denies = [
            acl for acl in mine
            if acl.permission == AclPermission.DENY and acl.operation in (AclOperation.ALL, operation)
        ]
        if any(acl.name == WILDCARD and acl.pattern_type == PatternType.LITERAL for acl in denies):
            return False
        for acl in mine:
            if acl.permission != AclPermission.ALLOW or acl.operation not in (
                AclOperation.ALL, operation
            ):
                continue
            if not any(
                deny.covers(resource_type, acl.name)
                and (deny.pattern_type == PatternType.PREFIXED or acl.pattern_type == PatternType.LITERAL)
                for deny in denies
            ):
                return True
        if self.allow_if_no_acl:
            return not any(acl.resource_type == resource_type for acl in self._acls)
        return False

    def authorized_operations(
        self, principal: str, host: str, resource_type: ResourceType, name: str
    ) -> int:
        """KIP-430's bit field: bit ``op`` set for each supported operation allowed."""
        return operations_bits(
            op for op in SUPPORTED_OPERATIONS.get(resource_type, ())
            if self.authorize(principal, host, op, resource_type, name)
        )

    # -- persistence ----------------------------------------------------------------------

    def to_json(self) -> list[list[Any]]:
        return [acl.to_json() for acl in self._acls]

    def load_json(self, data: Iterable[list[Any]]) -> None:
        for item in data:
            self.add(AclBinding.from_json(item))


def _principal_matches(acl_principal: str, principal: str) -> bool:
    if acl_principal == principal:
        return True
    # ``User:*`` matches every principal of type User (Kafka's wildcard principal).
    return acl_principal.endswith(WILDCARD_PRINCIPAL_TYPE_NAME) and principal.startswith(
        acl_principal[:-1]
    ) and ":" in principal
