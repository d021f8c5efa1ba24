"""Metadata (api key 3), served v0-v13.

Every online node is listed; each partition reports its leader (LEADER_NOT_AVAILABLE with
leader -1 while none of its replicas is online), leader epoch, replicas, ISR and offline
replicas, from the cluster's leadership. Internal topics carry ``is_internal``. Topics requested by name
are auto-created when ``auto.create.topics.enable`` is true and, from v4, the request's
``allow_auto_topic_creation`` is set, at most ``MAX_PARTITIONS_PER_BATCH`` partitions per
request as Kafka's controller allows (past it none is created and each answers
LEADER_NOT_AVAILABLE, with a line in the broker's log); they are returned ready (Kafka answers
LEADER_NOT_AVAILABLE first and lets the client retry; answering ready saves a round trip
and is valid). A null topic list (v1+), or an empty one in v0, means every topic.

Work proportional to the request is done in bounded slices: the unknown topics of one
request are auto-created as one batch (``Cluster.auto_create_topics_in_steps``: a few
partitions per turn of the event loop, one ``syncfs`` on a worker thread, one rewrite of
the topics and leadership files), and ``SLICE`` topics are described per turn, so one request
naming thousands of topics never stalls the others. Since other requests run in between, every topic is looked up when its turn
comes (another request may have created or deleted it meanwhile).

Version notes: v1 controller_id, rack, is_internal; v2 cluster_id; v3 throttle_time_ms;
v4 allow_auto_topic_creation; v5 offline_replicas; v7 leader_epoch; v8-10 authorized
operations (KIP-430); v9 flexible; v10 topic ids; v12 topics may be asked by id (name null); v13 a top-level error_code
(KIP-1102), 0 here: a request this broker may answer always gets its topics.

With ACLs on, a topic needs DESCRIBE: an all-topics request leaves the others out, a
request by name answers TOPIC_AUTHORIZATION_FAILED without saying whether the topic exists,
and auto-creation needs CREATE on the cluster or the topic (TOPIC_AUTHORIZATION_FAILED);
the authorized-operations bit fields are the principal's.
"""

from __future__ import annotations

import asyncio
import logging
import uuid

from kafkalite.cluster import NO_LEADER, Endpoint, Node
from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode, KafkaError
from kafkalite.protocol.messages.metadata import (
    MetadataRequest,
    MetadataResponse,
    MetadataResponseBroker,
    MetadataResponsePartition,
    MetadataResponseTopic,
)
from kafkalite.security.acls import CLUSTER_NAME, AclOperation, ResourceType
from kafkalite.storage.manager import TopicInfo, topic_name_error
from kafkalite.storage.steps import run_sliced

# AclOperation codes (KIP-430): READ 3, WRITE 4, CREATE 5, DELETE 6, ALTER 7, DESCRIBE 8,
# CLUSTER_ACTION 9, DESCRIBE_CONFIGS 10, ALTER_CONFIGS 11, IDEMPOTENT_WRITE 12.
TOPIC_OPERATIONS = sum(1 << op for op in (3, 4, 5, 6, 7, 8, 10, 11))
CLUSTER_OPERATIONS = sum(1 << op for op in (5, 7, 8, 9, 10, 11, 12))
UNSET_OPERATIONS = -(1 << 31)
ZERO_UUID = uuid.UUID(int=0)
SLICE = 500
"""Topics described between two turns of the event loop."""
MAX_PARTITIONS_PER_BATCH = 10_000
"""Kafka's controller refuses to create more partitions than this in one request
(``ReplicationControlManager.MAX_PARTITIONS_PER_BATCH``, POLICY_VIOLATION "Excessively large
number of partitions per request"); the topics one Metadata request auto-creates are one
such request, so past it none of them is created."""

log = logging.getLogger(__name__)
_GONE = Node(id=-1, endpoints=[Endpoint("", "", "", -1, "", -1)], online=False)


async def handle(ctx: RequestContext, request: MetadataRequest) -> MetadataResponse:
    broker = ctx.cluster
    version = ctx.version
    response = MetadataResponse(
        brokers=[
            MetadataResponseBroker(node_id=node.id, host=host, port=port, rack=node.rack)
            for node in broker.online_nodes()
            for host, port in [ctx.address(node)]
        ],
        cluster_id=broker.cluster_id if version >= 2 else None,
        controller_id=broker.controller_id if version >= 1 else -1,
    )
    if 8 <= version <= 10 and request.include_cluster_authorized_operations:
        response.cluster_authorized_operations = cluster_operations(ctx)
    wants_ops = version >= 8 and request.include_topic_authorized_operations
    if request.topics is None or (version == 0 and not request.topics):
        topics = broker.topics()
        for count, info in enumerate(sorted(topics.values(), key=lambda t: t.name), 1):
            if broker.logs.get_topic(info.name) is not info:
                continue  # deleted while other requests ran
            if not ctx.allows_topic(AclOperation.DESCRIBE, info.name):
                continue  # all topics: those the principal may not describe are left out
            response.topics.append(_describe(ctx, info, version, wants_ops))
            if count % SLICE == 0:
                await asyncio.sleep(0)
        return response
    may_create = broker.config.auto_create_topics_enable and (
        version < 4 or request.allow_auto_topic_creation
    )
    created: dict[str, TopicInfo | KafkaError] = {}
    if may_create:
        unknown = [
            wanted.name for wanted in request.topics
            if wanted.name is not None and broker.logs.get_topic(wanted.name) is None
            and topic_name_error(wanted.name) is None
            and ctx.allows_topic(AclOperation.DESCRIBE, wanted.name)
            and (
                ctx.allows_cluster(AclOperation.CREATE)
                or ctx.allows_topic(AclOperation.CREATE, wanted.name)
            )
        ]
        unknown = list(dict.fromkeys(unknown))
        partitions = len(unknown) * broker.config.num_partitions
        if partitions > MAX_PARTITIONS_PER_BATCH:
            # As Kafka answers while a creation it asked for is not done: LEADER_NOT_AVAILABLE
            # for each (below); the refusal itself is the controller's, so it is logged.
            log.warning(
                "not auto-creating the %d unknown topics of a Metadata request from %s: "
                "%d partitions, more than the %d one request may create",
                len(unknown), ctx.peer, partitions, MAX_PARTITIONS_PER_BATCH,
            )
            unknown = []
        if unknown:
            created = await run_sliced(broker.auto_create_topics_in_steps(unknown))
    for count, wanted in enumerate(request.topics, 1):
        if count % SLICE == 0:
            await asyncio.sleep(0)
        name = wanted.name
        if name is None:  # v12: asked by topic id
            # an index lookup: a request naming a few topics does no work per topic held
            by_topic_id = broker.logs.topic_by_id(wanted.topic_id) if version >= 10 else None
            if by_topic_id is not None and broker.logs.get_topic(by_topic_id.name) is not by_topic_id:
                by_topic_id = None  # deleted while other requests ran
            if by_topic_id is None:
                response.topics.append(
                    MetadataResponseTopic(
                        error_code=ErrorCode.UNKNOWN_TOPIC_ID, name=None, topic_id=wanted.topic_id
                    )
                )
                continue
            if not ctx.allows_topic(AclOperation.DESCRIBE, by_topic_id.name):
                response.topics.append(
                    MetadataResponseTopic(
                        error_code=ErrorCode.TOPIC_AUTHORIZATION_FAILED, name=None,
                        topic_id=wanted.topic_id,
                    )
                )
                continue
            response.topics.append(_describe(ctx, by_topic_id, version, wants_ops))
            continue
        if not ctx.allows_topic(AclOperation.DESCRIBE, name):
            # Kafka does not disclose whether a topic the principal may not describe exists.
            response.topics.append(
                MetadataResponseTopic(error_code=ErrorCode.TOPIC_AUTHORIZATION_FAILED, name=name)
            )
            continue
        found = broker.logs.get_topic(name)
        if found is None:
            if topic_name_error(name) is not None:
                response.topics.append(
                    MetadataResponseTopic(error_code=ErrorCode.INVALID_TOPIC_EXCEPTION, name=name)
                )
                continue
            if not may_create:
                response.topics.append(
                    MetadataResponseTopic(
                        error_code=ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name=name
                    )
                )
                continue
            if not (
                ctx.allows_cluster(AclOperation.CREATE) or ctx.allows_topic(AclOperation.CREATE, name)
            ):
                response.topics.append(
                    MetadataResponseTopic(error_code=ErrorCode.TOPIC_AUTHORIZATION_FAILED, name=name)
                )
                continue
            outcome = created.get(name)
            if isinstance(outcome, KafkaError) and outcome.code == ErrorCode.TOPIC_ALREADY_EXISTS:
                creation = broker.logs.creation_of(name)  # another request is creating it
                if creation is not None:
                    await creation.wait()
                outcome = broker.logs.get_topic(name)
            if isinstance(outcome, KafkaError):
                response.topics.append(MetadataResponseTopic(error_code=outcome.code, name=name))
                continue
            if outcome is None:  # failed, or created and deleted again meanwhile
                response.topics.append(
                    MetadataResponseTopic(error_code=ErrorCode.LEADER_NOT_AVAILABLE, name=name)
                )
                continue
            found = outcome
        response.topics.append(_describe(ctx, found, version, wants_ops))
    return response


def cluster_operations(ctx: RequestContext) -> int:
    """KIP-430's cluster bit field: 0 without DESCRIBE on the cluster (KafkaApis)."""
    if not ctx.allows_cluster(AclOperation.DESCRIBE):
        return 0
    return ctx.authorized_operations(ResourceType.CLUSTER, CLUSTER_NAME, CLUSTER_OPERATIONS)


def _describe(
    ctx: RequestContext, info: TopicInfo, version: int, wants_ops: bool
) -> MetadataResponseTopic:
    cluster = ctx.cluster
    partitions = []
    for log in info.partitions:
        state = cluster.partition_state(info.name, log.partition)
        offline = [
            n for n in state.replicas
            if not (node := cluster.nodes.get(n, _GONE)).online or not node.registered
        ]
        partitions.append(
            MetadataResponsePartition(
                error_code=(
                    ErrorCode.LEADER_NOT_AVAILABLE if state.leader == NO_LEADER else ErrorCode.NONE
                ),
                partition_index=log.partition,
                leader_id=state.leader,
                leader_epoch=state.leader_epoch if version >= 7 else -1,
                replica_nodes=list(state.replicas),
                isr_nodes=list(state.isr),
                offline_replicas=offline if version >= 5 else [],
            )
        )
    return MetadataResponseTopic(
        name=info.name,
        is_internal=cluster.is_internal(info.name) and version >= 1,
        topic_id=info.topic_id if version >= 10 else ZERO_UUID,
        partitions=partitions,
        topic_authorized_operations=(
            ctx.authorized_operations(ResourceType.TOPIC, info.name, TOPIC_OPERATIONS)
            if wants_ops
            else UNSET_OPERATIONS
        ),
    )
