"""The share group handlers (KIP-932) called directly on a cluster, no socket: membership,
ShareFetch sessions and acknowledgements, ShareAcknowledge, the offset admin APIs,
DeleteGroups, group configs, and state that survives reopening the cluster."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kafkalite.cluster import Cluster
from kafkalite.config import BrokerConfig
from kafkalite.handlers import (
    alter_share_group_offsets,
    delete_groups,
    delete_share_group_offsets,
    describe_share_group_offsets,
    share_acknowledge,
    share_fetch,
    share_group_describe,
    share_group_heartbeat,
)
from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.connection import Request
from kafkalite.protocol.errors import ErrorCode as E
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.alter_share_group_offsets import (
    AlterShareGroupOffsetsRequest,
    AlterShareGroupOffsetsRequestPartition,
    AlterShareGroupOffsetsRequestTopic,
)
from kafkalite.protocol.messages.delete_groups import DeleteGroupsRequest
from kafkalite.protocol.messages.delete_share_group_offsets import (
    DeleteShareGroupOffsetsRequest,
    DeleteShareGroupOffsetsRequestTopic,
)
from kafkalite.protocol.messages.describe_share_group_offsets import (
    DescribeShareGroupOffsetsRequest,
    DescribeShareGroupOffsetsRequestGroup,
)
from kafkalite.protocol.messages.headers import RequestHeader
from kafkalite.protocol.messages.share_acknowledge import (
    ShareAcknowledgementBatch,
    ShareAcknowledgePartition,
    ShareAcknowledgeRequest,
    ShareAcknowledgeTopic,
)
from kafkalite.protocol.messages.share_fetch import (
    ShareFetchAcknowledgementBatch,
    ShareFetchPartition,
    ShareFetchRequest,
    ShareFetchTopic,
)
from kafkalite.protocol.messages.share_group_describe import ShareGroupDescribeRequest
from kafkalite.protocol.messages.share_group_heartbeat import ShareGroupHeartbeatRequest
from kafkalite.protocol.record_codec import read_records
from kafkalite.protocol.records import read_header, validate_batches
from tests.unit.batches import record_batch

GROUP = "sg"


class NoWaits:
    async def wait(self, partitions: Iterable[tuple[str, int]], timeout: float, closing: asyncio.Event) -> None:
        return None


def open_cluster(path: Path) -> Cluster:
    cluster = Cluster(BrokerConfig(data_dir=path, port=0, offsets_topic_num_partitions=1,
                                   share_coordinator_state_topic_num_partitions=1))
    cluster.open()
    return cluster


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    opened = open_cluster(tmp_path)
    try:
        yield opened
    finally:
        opened.close()


def run(cluster: Cluster, api: ApiKey, version: int, handler: Any, body: Any) -> Any:
    request = Request(api, version, RequestHeader(request_api_key=api, request_api_version=version,
                                                  client_id="unit"), body, 0)
    ctx = RequestContext(node=cluster.nodes[cluster.node_id], cluster=cluster, request=request,
                         waiters=NoWaits())
    return asyncio.run(handler.handle(ctx, body))


def topic_with_records(cluster: Cluster, name: str, count: int) -> uuid.UUID:
    if cluster.logs.get_topic(name) is None:
        cluster.logs.create_topic(name, 1)
        cluster.place_topic(name, 1, 1)
    log = cluster.partition(name, 0)
    assert log is not None
    batch = bytearray(record_batch([(None, b"v%d" % i) for i in range(count)], base_offset=log.log_end_offset))
    log.append(batch, validate_batches(batch, from_client=False), now_ms=1_700_000_000_000)
    info = cluster.logs.get_topic(name)
    assert info is not None
    return info.topic_id


def join(cluster: Cluster, member: str, topic: str) -> Any:
    return run(cluster, ApiKey.SHARE_GROUP_HEARTBEAT, 1, share_group_heartbeat, ShareGroupHeartbeatRequest(
        group_id=GROUP, member_id=member, member_epoch=0, subscribed_topic_names=[topic]))


def fetch(cluster: Cluster, member: str, epoch: int, topic_id: uuid.UUID,
          acks: list[tuple[int, int, list[int]]] | None = None, max_records: int = 500, version: int = 1) -> Any:
    return run(cluster, ApiKey.SHARE_FETCH, version, share_fetch, ShareFetchRequest(
        group_id=GROUP, member_id=member, share_session_epoch=epoch, max_wait_ms=0, min_bytes=1,
        max_records=max_records, batch_size=max_records,
        topics=[ShareFetchTopic(topic_id=topic_id, partitions=[ShareFetchPartition(
            partition_index=0,
            acknowledgement_batches=[ShareFetchAcknowledgementBatch(first_offset=f, last_offset=last,
                                                                    acknowledge_types=t)
                                     for f, last, t in acks or []])])]))


def acquired(response: Any) -> list[tuple[int, int, int]]:
    return [(r.first_offset, r.last_offset, r.delivery_count)
            for topic in response.responses for p in topic.partitions for r in p.acquired_records]


def values(response: Any) -> list[bytes | None]:
    out = []
    for topic in response.responses:
        for p in topic.partitions:
            data = bytes(p.records or b"")
            pos = 0
            while pos < len(data):
                header = read_header(data, pos)
                out += [r.value for r in read_records(memoryview(data)[pos:pos + header.size], header)]
                pos += header.size
    return out


def earliest(cluster: Cluster) -> None:
    cluster.groups.share.group_configs[GROUP] = {"share.auto.offset.reset": "earliest"}


def test_heartbeat_describe_and_fetch(cluster: Cluster) -> None:
    topic_id = topic_with_records(cluster, "t", 5)
    joined = join(cluster, "m1", "t")
    assert (joined.error_code, joined.member_epoch, joined.heartbeat_interval_ms) == (0, 1, 5000)
    assert [(a.topic_id, a.partitions) for a in joined.assignment.topic_partitions] == [(topic_id, [0])]
    described = run(cluster, ApiKey.SHARE_GROUP_DESCRIBE, 1, share_group_describe,
                     ShareGroupDescribeRequest(group_ids=[GROUP, "nope", ""]))
    group, missing, empty = described.groups
    assert (group.error_code, group.group_state, group.assignor_name) == (0, "Stable", "simple")
    assert [(m.member_id, m.client_id, m.assignment.topic_partitions[0].topic_name) for m in group.members] == [
        ("m1", "unit", "t")]
    assert (missing.error_code, empty.error_code) == (E.GROUP_ID_NOT_FOUND, E.INVALID_GROUP_ID)
    from kafkalite.console.data import group_view

    view = group_view(cluster, GROUP)  # the web console's groups page
    assert (view.state, view.protocol_type, view.protocol) == ("Stable", "share", "simple")
    assert [(m.member_id, m.assignment) for m in view.members] == [("m1", [("t", [0])])]

    # latest (the default): records written before the first fetch are not delivered.
    first = fetch(cluster, "m1", 0, topic_id)
    assert first.error_code == 0 and acquired(first) == []
    assert first.acquisition_lock_timeout_ms == 30_000
    topic_with_records(cluster, "t", 3)
    got = fetch(cluster, "m1", 1, topic_id)
    assert acquired(got) == [(5, 7, 1)] and values(got) == [b"v0", b"v1", b"v2"]


def test_share_sessions_and_acknowledgements(cluster: Cluster) -> None:
    topic_id = topic_with_records(cluster, "t", 4)
    earliest(cluster)
    join(cluster, "m1", "t")
    join(cluster, "m2", "t")
    assert fetch(cluster, "m1", 1, topic_id).error_code == E.SHARE_SESSION_NOT_FOUND
    assert fetch(cluster, "m1", 0, topic_id, acks=[(0, 0, [1])]).error_code == E.INVALID_REQUEST
    got = fetch(cluster, "m1", 0, topic_id)
    assert acquired(got) == [(0, 3, 1)]
    assert fetch(cluster, "m1", 5, topic_id).error_code == E.INVALID_SHARE_SESSION_EPOCH
    # m2 gets nothing: m1 holds every record.
    assert acquired(fetch(cluster, "m2", 0, topic_id)) == []
    # Accept 0, release 1, reject 2 on the next fetch; m1 holds 3 still.
    acked = fetch(cluster, "m1", 1, topic_id, acks=[(0, 2, [1, 2, 3])], max_records=0)
    part = acked.responses[0].partitions[0]
    assert (part.acknowledge_error_code, acquired(acked)) == (0, [])
    again = fetch(cluster, "m2", 1, topic_id)
    assert acquired(again) == [(1, 1, 2)]
    # m2 acknowledges what it does not hold: INVALID_RECORD_STATE for that partition.
    wrong = run(cluster, ApiKey.SHARE_ACKNOWLEDGE, 1, share_acknowledge, ShareAcknowledgeRequest(
        group_id=GROUP, member_id="m2", share_session_epoch=2,
        topics=[ShareAcknowledgeTopic(topic_id=topic_id, partitions=[ShareAcknowledgePartition(
            partition_index=0, acknowledgement_batches=[ShareAcknowledgementBatch(
                first_offset=3, last_offset=3, acknowledge_types=[1])])])]))
    assert wrong.error_code == 0 and wrong.responses[0].partitions[0].error_code == E.INVALID_RECORD_STATE
    # ShareAcknowledge cannot open a session; epoch -1 closes m1's and releases offset 3.
    opening = run(cluster, ApiKey.SHARE_ACKNOWLEDGE, 2, share_acknowledge, ShareAcknowledgeRequest(
        group_id=GROUP, member_id="m1", share_session_epoch=0))
    assert opening.error_code == E.INVALID_SHARE_SESSION_EPOCH
    closed = run(cluster, ApiKey.SHARE_ACKNOWLEDGE, 2, share_acknowledge, ShareAcknowledgeRequest(
        group_id=GROUP, member_id="m1", share_session_epoch=-1))
    assert closed.error_code == 0 and closed.acquisition_lock_timeout_ms == 30_000
    assert acquired(fetch(cluster, "m2", 3, topic_id)) == [(3, 3, 2)]


def test_renew_needs_version_2(cluster: Cluster) -> None:
    topic_id = topic_with_records(cluster, "t", 1)
    earliest(cluster)
    join(cluster, "m1", "t")
    assert acquired(fetch(cluster, "m1", 0, topic_id)) == [(0, 0, 1)]
    assert fetch(cluster, "m1", 1, topic_id, acks=[(0, 0, [4])]).error_code == E.INVALID_REQUEST
    renewed = fetch(cluster, "m1", 1, topic_id, acks=[(0, 0, [4])], version=2)
    assert renewed.error_code == 0 and renewed.responses[0].partitions[0].acknowledge_error_code == 0


def test_offset_admin_and_delete_groups(cluster: Cluster) -> None:
    topic_id = topic_with_records(cluster, "t", 6)
    earliest(cluster)
    join(cluster, "m1", "t")
    fetch(cluster, "m1", 0, topic_id, max_records=1)
    fetch(cluster, "m1", 1, topic_id, acks=[(0, 5, [1])], max_records=0)

    def describe(version: int = 1) -> Any:
        return run(cluster, ApiKey.DESCRIBE_SHARE_GROUP_OFFSETS, version, describe_share_group_offsets,
                   DescribeShareGroupOffsetsRequest(groups=[DescribeShareGroupOffsetsRequestGroup(
                       group_id=GROUP, topics=None)])).groups[0]

    group = describe()
    assert group.error_code == 0
    assert [(t.topic_name, p.start_offset, p.lag) for t in group.topics for p in t.partitions] == [("t", 6, 0)]

    def alter(offset: int) -> Any:
        return run(cluster, ApiKey.ALTER_SHARE_GROUP_OFFSETS, 0, alter_share_group_offsets,
                   AlterShareGroupOffsetsRequest(group_id=GROUP, topics=[AlterShareGroupOffsetsRequestTopic(
                       topic_name="t", partitions=[AlterShareGroupOffsetsRequestPartition(
                           partition_index=0, start_offset=offset)])]))

    assert alter(2).error_code == E.NON_EMPTY_GROUP
    assert run(cluster, ApiKey.SHARE_GROUP_HEARTBEAT, 1, share_group_heartbeat, ShareGroupHeartbeatRequest(
        group_id=GROUP, member_id="m1", member_epoch=-1)).error_code == 0
    altered = alter(2)
    assert altered.error_code == 0 and altered.responses[0].partitions[0].error_code == 0
    assert [(p.start_offset, p.lag) for t in describe().topics for p in t.partitions] == [(2, 4)]
    assert alter(-1).responses[0].partitions[0].error_code == E.INVALID_REQUEST

    deleted = run(cluster, ApiKey.DELETE_SHARE_GROUP_OFFSETS, 0, delete_share_group_offsets,
                  DeleteShareGroupOffsetsRequest(group_id=GROUP, topics=[
                      DeleteShareGroupOffsetsRequestTopic(topic_name="t"),
                      DeleteShareGroupOffsetsRequestTopic(topic_name="nope")]))
    assert [(t.topic_name, t.error_code) for t in deleted.responses] == [
        ("t", 0), ("nope", E.UNKNOWN_TOPIC_OR_PARTITION)]
    assert describe().topics == []
    answer = run(cluster, ApiKey.DELETE_GROUPS, 2, delete_groups, DeleteGroupsRequest(groups_names=[GROUP]))
    assert [(r.group_id, r.error_code) for r in answer.results] == [(GROUP, 0)]
    assert cluster.groups.share.get(GROUP) is None


def test_state_survives_reopening_the_cluster(tmp_path: Path) -> None:
    from kafkalite.protocol.constants import AlterOp
    from kafkalite.topics.configs import Alteration
    from kafkalite.topics.group_configs import alter_group, describe_group

    cluster = open_cluster(tmp_path)
    try:
        topic_id = topic_with_records(cluster, "t", 4)
        alter_group(cluster, GROUP, [Alteration("share.auto.offset.reset", "earliest", AlterOp.SET),
                                     Alteration("share.record.lock.duration.ms", "2000", AlterOp.SET)],
                    validate_only=False)
        join(cluster, "m1", "t")
        assert acquired(fetch(cluster, "m1", 0, topic_id)) == [(0, 3, 1)]
        fetch(cluster, "m1", 1, topic_id, acks=[(0, 1, [1]), (2, 2, [2])], max_records=0)
    finally:
        cluster.close()
    cluster = open_cluster(tmp_path)
    try:
        assert cluster.groups.share.get(GROUP) is not None  # back, Empty, from its state
        assert [(c.name, c.value) for c in describe_group(cluster, GROUP, None)] == [
            ("share.auto.offset.reset", "earliest"), ("share.record.lock.duration.ms", "2000")]
        join(cluster, "m9", "t")
        # 0-1 acknowledged: never again; 2 released and 3 held by a member gone: redelivered.
        answer = fetch(cluster, "m9", 0, topic_id)
        assert acquired(answer) == [(2, 3, 2)] and answer.acquisition_lock_timeout_ms == 2000
    finally:
        cluster.close()


def test_group_configs_are_checked(cluster: Cluster) -> None:
    from kafkalite.protocol.constants import AlterOp
    from kafkalite.protocol.errors import KafkaError
    from kafkalite.topics.configs import Alteration
    from kafkalite.topics.group_configs import alter_group

    for bad, code in [
        (Alteration("share.auto.offset.reset", "by_duration:PT1H"), E.INVALID_CONFIG),
        (Alteration("share.record.lock.duration.ms", "999"), E.INVALID_CONFIG),
        (Alteration("share.record.lock.duration.ms", "soon"), E.INVALID_CONFIG),
        (Alteration("consumer.unknown.config", "1"), E.INVALID_CONFIG),
        (Alteration("share.auto.offset.reset", "earliest", AlterOp.APPEND), E.INVALID_REQUEST),
    ]:
        with pytest.raises(KafkaError) as refused:
            alter_group(cluster, GROUP, [bad], validate_only=False)
        assert refused.value.code == code
    alter_group(cluster, GROUP, [Alteration("share.auto.offset.reset", "EARLIEST")], validate_only=True)
    assert cluster.groups.share.auto_offset_reset(GROUP) == "latest"
    alter_group(cluster, GROUP, [Alteration("share.auto.offset.reset", "EARLIEST")], validate_only=False)
    assert cluster.groups.share.auto_offset_reset(GROUP) == "earliest"
    alter_group(cluster, GROUP, [Alteration("share.auto.offset.reset", None, AlterOp.DELETE)],
                validate_only=False)
    assert cluster.groups.share.auto_offset_reset(GROUP) == "latest"


def test_acls_are_checked_as_kafka_apis_checks_them(tmp_path: Path) -> None:
    from kafkalite.handlers import create_acls
    from kafkalite.protocol.messages.create_acls import AclCreation, CreateAclsRequest
    from kafkalite.security.acls import STANDARD_AUTHORIZER_NAME
    from kafkalite.security.acls import AclOperation as Op
    from kafkalite.security.acls import PatternType as Pat
    from kafkalite.security.acls import ResourceType as Res

    admin_user, alice = "User:admin", "User:alice"
    config = BrokerConfig(data_dir=tmp_path, port=0, offsets_topic_num_partitions=1).with_properties(
        {"authorizer.class.name": STANDARD_AUTHORIZER_NAME, "super.users": admin_user})
    cluster = Cluster(config)
    cluster.open()

    def call(principal: str, api: ApiKey, version: int, handler: Any, body: Any) -> Any:
        header = RequestHeader(request_api_key=api, request_api_version=version, client_id="c")
        ctx = RequestContext(node=cluster.nodes[cluster.node_id], cluster=cluster,
                             request=Request(api, version, header, body, 0), waiters=NoWaits(),
                             peer="127.0.0.1:5555", principal=principal)
        return asyncio.run(handler.handle(ctx, body))

    def grant(res: Res, name: str, op: Op) -> None:
        call(admin_user, ApiKey.CREATE_ACLS, 3, create_acls, CreateAclsRequest(creations=[AclCreation(
            resource_type=res, resource_name=name, resource_pattern_type=Pat.LITERAL,
            principal=alice, host="*", operation=op, permission_type=3)]))

    try:
        topic_id = topic_with_records(cluster, "t", 2)
        cluster.groups.share.group_configs[GROUP] = {"share.auto.offset.reset": "earliest"}
        heartbeat = ShareGroupHeartbeatRequest(group_id=GROUP, member_id="m", member_epoch=0,
                                               subscribed_topic_names=["t"])
        assert call(alice, ApiKey.SHARE_GROUP_HEARTBEAT, 1, share_group_heartbeat, heartbeat).error_code == (
            E.GROUP_AUTHORIZATION_FAILED)
        grant(Res.GROUP, GROUP, Op.READ)
        refused = call(alice, ApiKey.SHARE_GROUP_HEARTBEAT, 1, share_group_heartbeat, heartbeat)
        assert refused.error_code == E.TOPIC_AUTHORIZATION_FAILED and "t" in refused.error_message
        grant(Res.TOPIC, "t", Op.DESCRIBE)
        assert call(alice, ApiKey.SHARE_GROUP_HEARTBEAT, 1, share_group_heartbeat, heartbeat).error_code == 0
        fetch_body = ShareFetchRequest(
            group_id=GROUP, member_id="m", share_session_epoch=0, max_wait_ms=0, min_bytes=1,
            max_records=10, batch_size=10,
            topics=[ShareFetchTopic(topic_id=topic_id, partitions=[ShareFetchPartition(partition_index=0)])])
        refused_fetch = call(alice, ApiKey.SHARE_FETCH, 1, share_fetch, fetch_body)
        assert refused_fetch.responses[0].partitions[0].error_code == E.TOPIC_AUTHORIZATION_FAILED
        assert acquired(refused_fetch) == []
        assert call("User:mallory", ApiKey.SHARE_FETCH, 1, share_fetch, fetch_body).error_code == (
            E.GROUP_AUTHORIZATION_FAILED)
        grant(Res.TOPIC, "t", Op.READ)
        assert acquired(call(alice, ApiKey.SHARE_FETCH, 1, share_fetch, fetch_body)) == [(0, 1, 1)]
        described = call(alice, ApiKey.SHARE_GROUP_DESCRIBE, 1, share_group_describe,
                         ShareGroupDescribeRequest(group_ids=[GROUP], include_authorized_operations=True))
        assert described.groups[0].error_code == 0  # READ implies DESCRIBE
        assert described.groups[0].authorized_operations == (1 << Op.READ) | (1 << Op.DESCRIBE)
    finally:
        cluster.close()
