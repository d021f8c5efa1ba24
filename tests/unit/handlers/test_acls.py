"""ACL handlers and enforcement, called directly: CreateAcls/DescribeAcls/DeleteAcls,
SECURITY_DISABLED without an authorizer, Metadata filtering and auto-creation, Produce,
FindCoordinator and JoinGroup refusals, bit fields, and ACLs surviving a restart."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kafkalite.cluster import Cluster
from kafkalite.config import BrokerConfig
from kafkalite.handlers import (
    create_acls,
    delete_acls,
    describe_acls,
    describe_cluster,
    find_coordinator,
    join_group,
    metadata,
    produce,
)
from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.connection import Request
from kafkalite.protocol.errors import ErrorCode as E
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.create_acls import AclCreation, CreateAclsRequest
from kafkalite.protocol.messages.delete_acls import DeleteAclsFilter, DeleteAclsRequest
from kafkalite.protocol.messages.describe_acls import DescribeAclsRequest
from kafkalite.protocol.messages.describe_cluster import DescribeClusterRequest
from kafkalite.protocol.messages.find_coordinator import FindCoordinatorRequest
from kafkalite.protocol.messages.headers import RequestHeader
from kafkalite.protocol.messages.join_group import JoinGroupRequest, JoinGroupRequestProtocol
from kafkalite.protocol.messages.metadata import MetadataRequest, MetadataRequestTopic
from kafkalite.protocol.messages.produce import (
    ProducePartitionData,
    ProduceRequest,
    ProduceTopicData,
)
from kafkalite.security.acls import STANDARD_AUTHORIZER_NAME
from kafkalite.security.acls import AclOperation as Op
from kafkalite.security.acls import PatternType as Pat
from kafkalite.security.acls import ResourceType as Res
from tests.unit.batches import record_batch

ADMIN, ALICE = "User:admin", "User:alice"
ALLOW, DENY = 3, 2


class NoWaits:
    async def wait(self, partitions: Iterable[tuple[str, int]], timeout: float, closing: asyncio.Event) -> None:
        return None


def config(tmp_path: Path, **changes: Any) -> BrokerConfig:
    return BrokerConfig(data_dir=tmp_path, port=0, auto_create_topics_enable=True).with_properties(
        {"authorizer.class.name": STANDARD_AUTHORIZER_NAME, "super.users": ADMIN, **changes}
    )


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    opened = Cluster(config(tmp_path))
    opened.open()
    try:
        yield opened
    finally:
        opened.close()


def run(cluster: Cluster, principal: str, api: ApiKey, version: int, handler: Any, body: Any) -> Any:
    header = RequestHeader(request_api_key=api, request_api_version=version, client_id="c")
    ctx = RequestContext(
        node=cluster.nodes[1], cluster=cluster, request=Request(api, version, header, body, 0),
        waiters=NoWaits(), peer="127.0.0.1:5555", principal=principal,
    )
    return asyncio.run(handler.handle(ctx, body))


def grant(cluster: Cluster, res: Res, name: str, op: Op, permission: int = ALLOW,
          pattern: Pat = Pat.LITERAL, principal: str = ALICE) -> Any:
    return run(cluster, ADMIN, ApiKey.CREATE_ACLS, 3, create_acls, CreateAclsRequest(creations=[
        AclCreation(resource_type=res, resource_name=name, resource_pattern_type=pattern,
                    principal=principal, host="*", operation=op, permission_type=permission)
    ]))


def test_acl_apis_need_cluster_permissions_and_validate(cluster: Cluster) -> None:
    refused = grant(cluster, Res.TOPIC, "t", Op.READ, principal=ALICE)
    assert [r.error_code for r in refused.results] == [E.NONE]  # admin is a super user
    as_alice = run(cluster, ALICE, ApiKey.CREATE_ACLS, 3, create_acls, CreateAclsRequest(creations=[
        AclCreation(resource_type=Res.TOPIC, resource_name="x", principal=ALICE, host="*",
                    operation=Op.ALL, permission_type=ALLOW)
    ]))
    assert [r.error_code for r in as_alice.results] == [E.CLUSTER_AUTHORIZATION_FAILED]
    described = run(cluster, ALICE, ApiKey.DESCRIBE_ACLS, 3, describe_acls, DescribeAclsRequest(
        resource_type_filter=Res.ANY, pattern_type_filter=Pat.ANY, operation=Op.ANY, permission_type=1))
    assert described.error_code == E.CLUSTER_AUTHORIZATION_FAILED
    bad = grant(cluster, Res.CLUSTER, "c", Op.ALTER)
    assert bad.results[0].error_code == E.INVALID_REQUEST
    assert bad.results[0].error_message == "The only valid name for the CLUSTER resource is kafka-cluster"


def test_describe_and_delete_with_filters(cluster: Cluster) -> None:
    grant(cluster, Res.TOPIC, "orders", Op.READ)
    grant(cluster, Res.TOPIC, "ord", Op.WRITE, pattern=Pat.PREFIXED)
    grant(cluster, Res.GROUP, "g", Op.READ, permission=DENY)
    match = run(cluster, ADMIN, ApiKey.DESCRIBE_ACLS, 3, describe_acls, DescribeAclsRequest(
        resource_type_filter=Res.TOPIC, resource_name_filter="orders", pattern_type_filter=Pat.MATCH,
        operation=Op.ANY, permission_type=1))
    assert match.error_code == E.NONE
    assert [(r.resource_name, r.pattern_type, [(a.principal, a.operation) for a in r.acls])
            for r in match.resources] == [("orders", Pat.LITERAL, [(ALICE, Op.READ)]),
                                          ("ord", Pat.PREFIXED, [(ALICE, Op.WRITE)])]
    deleted = run(cluster, ADMIN, ApiKey.DELETE_ACLS, 3, delete_acls, DeleteAclsRequest(filters=[
        DeleteAclsFilter(resource_type_filter=Res.ANY, pattern_type_filter=Pat.ANY,
                         operation=Op.ANY, permission_type=DENY),
        DeleteAclsFilter(resource_type_filter=Res.TOPIC, pattern_type_filter=0,
                         operation=Op.ANY, permission_type=1),
    ]))
    first, second = deleted.filter_results
    assert [(a.resource_type, a.resource_name, a.permission_type) for a in first.matching_acls] == [
        (Res.GROUP, "g", DENY)]
    assert second.error_code == E.INVALID_REQUEST
    assert len(cluster.authorizer or ()) == 2


def test_acls_survive_a_restart(tmp_path: Path) -> None:
    first = Cluster(config(tmp_path))
    first.open()
    try:
        grant(first, Res.TOPIC, "t", Op.READ)
    finally:
        first.close()
    # Kept even while no authorizer is configured, then enforced again.
    plain = Cluster(BrokerConfig(data_dir=tmp_path, port=0))
    plain.open()
    plain.close()
    again = Cluster(config(tmp_path))
    again.open()
    try:
        assert again.authorizer is not None
        assert again.authorizer.authorize(ALICE, "h", Op.READ, Res.TOPIC, "t")
    finally:
        again.close()


def test_without_authorizer_acl_apis_are_security_disabled(tmp_path: Path) -> None:
    plain = Cluster(BrokerConfig(data_dir=tmp_path, port=0))
    plain.open()
    try:
        answer = run(plain, ALICE, ApiKey.DESCRIBE_ACLS, 3, describe_acls, DescribeAclsRequest(
            resource_type_filter=Res.ANY, pattern_type_filter=Pat.ANY, operation=Op.ANY, permission_type=1))
        assert answer.error_code == E.SECURITY_DISABLED
        created = grant(plain, Res.TOPIC, "t", Op.READ)
        assert created.results[0].error_code == E.SECURITY_DISABLED
    finally:
        plain.close()


def test_metadata_hides_topics_and_auto_creation_needs_create(cluster: Cluster) -> None:
    cluster.logs.create_topic("visible", 1)
    cluster.logs.create_topic("hidden", 1)
    cluster.place_topic("visible", 1, 1, None)
    cluster.place_topic("hidden", 1, 1, None)
    grant(cluster, Res.TOPIC, "visible", Op.WRITE)
    everything = run(cluster, ALICE, ApiKey.METADATA, 12, metadata, MetadataRequest(
        topics=None, include_topic_authorized_operations=True))
    assert [t.name for t in everything.topics] == ["visible"]
    assert everything.topics[0].topic_authorized_operations == (1 << Op.WRITE) | (1 << Op.DESCRIBE)
    named = run(cluster, ALICE, ApiKey.METADATA, 12, metadata, MetadataRequest(topics=[
        MetadataRequestTopic(name="hidden"), MetadataRequestTopic(name="new-one")],
        allow_auto_topic_creation=True))
    assert [(t.name, t.error_code) for t in named.topics] == [
        ("hidden", E.TOPIC_AUTHORIZATION_FAILED), ("new-one", E.TOPIC_AUTHORIZATION_FAILED)]
    grant(cluster, Res.TOPIC, "new-", Op.DESCRIBE, pattern=Pat.PREFIXED)
    still = run(cluster, ALICE, ApiKey.METADATA, 12, metadata, MetadataRequest(
        topics=[MetadataRequestTopic(name="new-one")], allow_auto_topic_creation=True))
    assert [(t.name, t.error_code) for t in still.topics] == [("new-one", E.TOPIC_AUTHORIZATION_FAILED)]
    assert cluster.logs.get_topic("new-one") is None
    grant(cluster, Res.TOPIC, "new-", Op.CREATE, pattern=Pat.PREFIXED)
    created = run(cluster, ALICE, ApiKey.METADATA, 12, metadata, MetadataRequest(
        topics=[MetadataRequestTopic(name="new-one")], allow_auto_topic_creation=True))
    assert [(t.name, t.error_code) for t in created.topics] == [("new-one", E.NONE)]


def test_produce_find_coordinator_and_join_are_refused_then_allowed(cluster: Cluster) -> None:
    cluster.logs.create_topic("t", 1)
    cluster.place_topic("t", 1, 1, None)

    def produce_once() -> int:
        answer = run(cluster, ALICE, ApiKey.PRODUCE, 9, produce, ProduceRequest(acks=1, topic_data=[
            ProduceTopicData(name="t", partition_data=[
                ProducePartitionData(index=0, records=record_batch([(None, b"v")]))])]))
        return int(answer.responses[0].partition_responses[0].error_code)

    assert produce_once() == E.TOPIC_AUTHORIZATION_FAILED
    grant(cluster, Res.TOPIC, "t", Op.WRITE)
    assert produce_once() == E.NONE
    found = run(cluster, ALICE, ApiKey.FIND_COORDINATOR, 4, find_coordinator,
                FindCoordinatorRequest(key_type=0, coordinator_keys=["g"]))
    assert found.coordinators[0].error_code == E.GROUP_AUTHORIZATION_FAILED
    joined = run(cluster, ALICE, ApiKey.JOIN_GROUP, 9, join_group, JoinGroupRequest(
        group_id="g", session_timeout_ms=10000, rebalance_timeout_ms=10000, member_id="",
        protocol_type="consumer", protocols=[JoinGroupRequestProtocol(name="range", metadata=b"")]))
    assert joined.error_code == E.GROUP_AUTHORIZATION_FAILED


def test_cluster_bit_field_needs_describe(cluster: Cluster) -> None:
    def ops(principal: str) -> int:
        return int(run(cluster, principal, ApiKey.DESCRIBE_CLUSTER, 2, describe_cluster,
                       DescribeClusterRequest(include_cluster_authorized_operations=True)
                       ).cluster_authorized_operations)

    assert ops(ALICE) == 0
    grant(cluster, Res.CLUSTER, "kafka-cluster", Op.ALTER)
    assert ops(ALICE) == (1 << Op.ALTER) | (1 << Op.DESCRIBE)
    assert ops(ADMIN) == sum(1 << op for op in (5, 7, 8, 9, 10, 11, 12))


def test_consumer_group_protocol_and_voter_changes_are_refused_then_allowed(cluster: Cluster) -> None:
    from kafkalite.handlers import add_raft_voter, consumer_group_describe, consumer_group_heartbeat
    from kafkalite.protocol.messages.add_raft_voter import AddRaftVoterRequest
    from kafkalite.protocol.messages.consumer_group_describe import ConsumerGroupDescribeRequest
    from kafkalite.protocol.messages.consumer_group_heartbeat import ConsumerGroupHeartbeatRequest

    cluster.logs.create_topic("t", 1)
    cluster.place_topic("t", 1, 1, None)

    def heartbeat() -> Any:
        return run(cluster, ALICE, ApiKey.CONSUMER_GROUP_HEARTBEAT, 1, consumer_group_heartbeat,
                   ConsumerGroupHeartbeatRequest(
                       group_id="g", member_id="m1", member_epoch=0, rebalance_timeout_ms=10000,
                       subscribed_topic_names=["t"], topic_partitions=[]))

    def describe() -> Any:
        return run(cluster, ALICE, ApiKey.CONSUMER_GROUP_DESCRIBE, 1, consumer_group_describe,
                   ConsumerGroupDescribeRequest(group_ids=["g"], include_authorized_operations=True))

    assert heartbeat().error_code == E.GROUP_AUTHORIZATION_FAILED
    assert describe().groups[0].error_code == E.GROUP_AUTHORIZATION_FAILED
    grant(cluster, Res.GROUP, "g", Op.READ)
    refused = heartbeat()
    assert refused.error_code == E.TOPIC_AUTHORIZATION_FAILED and "t" in refused.error_message
    grant(cluster, Res.TOPIC, "t", Op.DESCRIBE)
    joined = heartbeat()
    assert joined.error_code == E.NONE and joined.member_epoch >= 1
    group = describe().groups[0]  # READ on the group implies DESCRIBE
    assert group.error_code == E.NONE and [m.member_id for m in group.members] == ["m1"]
    assert group.authorized_operations == (1 << Op.READ) | (1 << Op.DESCRIBE)

    def add_voter(principal: str) -> int:
        return int(run(cluster, principal, ApiKey.ADD_RAFT_VOTER, 0, add_raft_voter,
                       AddRaftVoterRequest(voter_id=2)).error_code)

    assert add_voter(ALICE) == E.CLUSTER_AUTHORIZATION_FAILED
    assert add_voter(ADMIN) == E.UNSUPPORTED_VERSION  # a static single-voter quorum
