"""The StandardAuthorizer rules: patterns, DENY over ALLOW, implied operations, wildcards,
super users, allow.everyone.if.no.acl.found, filters, and the KIP-430 bit fields."""

from __future__ import annotations

import pytest

from kafkalite.security.acls import (
    AclBinding,
    AclFilter,
    Authorizer,
    parse_super_users,
    validate_binding,
)
from kafkalite.security.acls import AclOperation as Op
from kafkalite.security.acls import AclPermission as Perm
from kafkalite.security.acls import PatternType as Pat
from kafkalite.security.acls import ResourceType as Res

ALICE, BOB = "User:alice", "User:bob"
HOST = "127.0.0.1"


def acl(
    res: Res, name: str, op: Op, perm: Perm = Perm.ALLOW, principal: str = ALICE,
    pattern: Pat = Pat.LITERAL, host: str = "*",
) -> AclBinding:
    return AclBinding(res, name, pattern, principal, host, op, perm)


def authorizer(*acls: AclBinding, **kwargs: object) -> Authorizer:
    auth = Authorizer(**kwargs)  # type: ignore[arg-type]
    for binding in acls:
        auth.add(binding)
    return auth


def test_no_acl_denies_unless_allow_everyone() -> None:
    assert not authorizer().authorize(ALICE, HOST, Op.READ, Res.TOPIC, "t")
    assert authorizer(allow_if_no_acl=True).authorize(ALICE, HOST, Op.READ, Res.TOPIC, "t")


def test_allow_everyone_applies_only_to_resources_no_acl_names() -> None:
    auth = authorizer(acl(Res.TOPIC, "t", Op.READ, principal=BOB), allow_if_no_acl=True)
    assert not auth.authorize(ALICE, HOST, Op.READ, Res.TOPIC, "t")  # t has an ACL (bob's)
    assert auth.authorize(ALICE, HOST, Op.READ, Res.TOPIC, "other")


def test_literal_prefixed_and_wildcard_patterns() -> None:
    auth = authorizer(
        acl(Res.TOPIC, "orders", Op.READ),
        acl(Res.TOPIC, "pay-", Op.WRITE, pattern=Pat.PREFIXED),
        acl(Res.GROUP, "*", Op.READ),
    )
    assert auth.authorize(ALICE, HOST, Op.READ, Res.TOPIC, "orders")
    assert not auth.authorize(ALICE, HOST, Op.READ, Res.TOPIC, "orders2")
    assert auth.authorize(ALICE, HOST, Op.WRITE, Res.TOPIC, "pay-eu")
    assert not auth.authorize(ALICE, HOST, Op.WRITE, Res.TOPIC, "pa")
    assert auth.authorize(ALICE, HOST, Op.READ, Res.GROUP, "any-group")
    assert not auth.authorize(ALICE, HOST, Op.READ, Res.TRANSACTIONAL_ID, "orders")
    assert not auth.authorize(BOB, HOST, Op.READ, Res.TOPIC, "orders")


def test_deny_wins_over_allow_whatever_the_order() -> None:
    for order in (1, -1):
        rules = [
            acl(Res.TOPIC, "*", Op.ALL),
            acl(Res.TOPIC, "secret", Op.READ, Perm.DENY, pattern=Pat.PREFIXED),
        ][::order]
        auth = authorizer(*rules)
        assert not auth.authorize(ALICE, HOST, Op.READ, Res.TOPIC, "secret-1")
        assert auth.authorize(ALICE, HOST, Op.WRITE, Res.TOPIC, "secret-1")
        assert auth.authorize(ALICE, HOST, Op.READ, Res.TOPIC, "public")


def test_deny_all_denies_every_operation() -> None:
    auth = authorizer(acl(Res.TOPIC, "t", Op.READ), acl(Res.TOPIC, "t", Op.ALL, Perm.DENY))
    assert not auth.authorize(ALICE, HOST, Op.READ, Res.TOPIC, "t")
    assert not auth.authorize(ALICE, HOST, Op.DESCRIBE, Res.TOPIC, "t")


@pytest.mark.parametrize("granted", [Op.READ, Op.WRITE, Op.DELETE, Op.ALTER])
def test_read_write_delete_alter_imply_describe(granted: Op) -> None:
    auth = authorizer(acl(Res.TOPIC, "t", granted))
    assert auth.authorize(ALICE, HOST, Op.DESCRIBE, Res.TOPIC, "t")
    assert not auth.authorize(ALICE, HOST, Op.DESCRIBE_CONFIGS, Res.TOPIC, "t")


def test_alter_configs_implies_describe_configs_and_deny_is_not_implied() -> None:
    auth = authorizer(acl(Res.TOPIC, "t", Op.ALTER_CONFIGS))
    assert auth.authorize(ALICE, HOST, Op.DESCRIBE_CONFIGS, Res.TOPIC, "t")
    assert not auth.authorize(ALICE, HOST, Op.ALTER, Res.TOPIC, "t")
    # A DENY of READ does not deny DESCRIBE (implication applies to ALLOW only).
    auth = authorizer(acl(Res.TOPIC, "t", Op.DESCRIBE), acl(Res.TOPIC, "t", Op.READ, Perm.DENY))
    assert auth.authorize(ALICE, HOST, Op.DESCRIBE, Res.TOPIC, "t")
    assert not auth.authorize(ALICE, HOST, Op.READ, Res.TOPIC, "t")


def test_wildcard_principal_and_hosts() -> None:
    auth = authorizer(
        acl(Res.TOPIC, "t", Op.READ, principal="User:*"),
        acl(Res.TOPIC, "t", Op.WRITE, host="10.0.0.1"),
    )
    assert auth.authorize(BOB, HOST, Op.READ, Res.TOPIC, "t")
    assert not auth.authorize(ALICE, HOST, Op.WRITE, Res.TOPIC, "t")
    assert auth.authorize(ALICE, "10.0.0.1", Op.WRITE, Res.TOPIC, "t")


def test_super_users_bypass_even_deny() -> None:
    auth = authorizer(
        acl(Res.TOPIC, "t", Op.ALL, Perm.DENY, principal="User:*"),
        super_users=parse_super_users("User:admin; User:ops"),
    )
    assert auth.authorize("User:admin", HOST, Op.WRITE, Res.TOPIC, "t")
    assert auth.authorize("User:ops", HOST, Op.ALTER, Res.CLUSTER, "kafka-cluster")
    assert not auth.authorize(ALICE, HOST, Op.WRITE, Res.TOPIC, "t")


def test_authorize_any_for_idempotent_producers() -> None:
    assert not authorizer().authorize_any(ALICE, HOST, Op.WRITE, Res.TOPIC)
    assert authorizer(acl(Res.TOPIC, "t", Op.WRITE)).authorize_any(ALICE, HOST, Op.WRITE, Res.TOPIC)
    denied = authorizer(
        acl(Res.TOPIC, "t", Op.WRITE), acl(Res.TOPIC, "*", Op.WRITE, Perm.DENY)
    )
    assert not denied.authorize_any(ALICE, HOST, Op.WRITE, Res.TOPIC)
    covered = authorizer(
        acl(Res.TOPIC, "tx", Op.WRITE), acl(Res.TOPIC, "t", Op.WRITE, Perm.DENY, pattern=Pat.PREFIXED)
    )
    assert not covered.authorize_any(ALICE, HOST, Op.WRITE, Res.TOPIC)


def test_authorized_operations_bit_fields() -> None:
    auth = authorizer(acl(Res.TOPIC, "t", Op.READ), acl(Res.GROUP, "g", Op.ALL))
    topic_bits = auth.authorized_operations(ALICE, HOST, Res.TOPIC, "t")
    assert topic_bits == (1 << Op.READ) | (1 << Op.DESCRIBE)
    group_bits = auth.authorized_operations(ALICE, HOST, Res.GROUP, "g")
    assert group_bits == sum(
        1 << op for op in (Op.READ, Op.DESCRIBE, Op.DELETE, Op.DESCRIBE_CONFIGS, Op.ALTER_CONFIGS)
    )
    assert auth.authorized_operations(ALICE, HOST, Res.CLUSTER, "kafka-cluster") == 0


def test_filters_any_match_literal_prefixed() -> None:
    literal = acl(Res.TOPIC, "orders", Op.READ)
    prefixed = acl(Res.TOPIC, "ord", Op.READ, pattern=Pat.PREFIXED)
    wildcard = acl(Res.TOPIC, "*", Op.READ)
    other = acl(Res.GROUP, "orders", Op.READ, principal=BOB)
    auth = authorizer(literal, prefixed, wildcard, other)
    assert auth.describe(AclFilter()) == [literal, prefixed, wildcard, other]
    # ANY with a name: the exact name under any pattern type
    assert auth.describe(AclFilter(name="orders")) == [literal, other]
    # MATCH: every ACL that applies to the resource
    assert auth.describe(AclFilter(Res.TOPIC, "orders", Pat.MATCH)) == [literal, prefixed, wildcard]
    assert auth.describe(AclFilter(Res.TOPIC, "ord", Pat.PREFIXED)) == [prefixed]
    assert auth.describe(AclFilter(principal=BOB)) == [other]
    assert auth.describe(AclFilter(operation=Op.WRITE)) == []
    assert AclFilter(pattern_type=Pat.UNKNOWN).is_unknown()
    removed = auth.delete(AclFilter(Res.TOPIC, pattern_type=Pat.LITERAL))
    assert removed == [literal, wildcard]
    assert list(auth) == [prefixed, other]


def test_persisted_form_round_trips() -> None:
    auth = authorizer(acl(Res.TOPIC, "p-", Op.WRITE, Perm.DENY, pattern=Pat.PREFIXED, host="h"))
    again = Authorizer()
    again.load_json(auth.to_json())
    assert list(again) == list(auth)


@pytest.mark.parametrize(
    ("binding", "message"),
    [
        (acl(Res.ANY, "t", Op.READ), "Invalid resourceType ANY"),
        (acl(Res.TOPIC, "t", Op.READ, pattern=Pat.MATCH), "Invalid patternType MATCH"),
        (acl(Res.TOPIC, "t", Op.ANY), "Invalid operation ANY"),
        (acl(Res.TOPIC, "t", Op.READ, Perm.ANY), "Invalid permissionType ANY"),
        (acl(Res.CLUSTER, "c", Op.ALTER), "The only valid name for the CLUSTER resource is kafka-cluster"),
        (acl(Res.TOPIC, "", Op.READ), "Invalid empty resource name"),
        (acl(Res.TOPIC, "t", Op.READ, principal="alice"), "Could not parse principal"),
    ],
)
def test_invalid_bindings_are_refused(binding: AclBinding, message: str) -> None:
    problem = validate_binding(binding)
    assert problem is not None and problem.startswith(message)


def test_valid_binding_passes() -> None:
    assert validate_binding(acl(Res.CLUSTER, "kafka-cluster", Op.ALTER)) is None
