"""TxnOffsetCommit (api key 28), served v0-v5.

Stores a group's offsets as part of a producer's transaction (Kafka's
``KafkaApis.handleTxnOffsetCommitRequest`` and ``OffsetMetadataManager``): the offsets are
appended to the group's ``__consumer_offsets`` partition as a transactional batch of the
producer and stay invisible to OffsetFetch until the transaction's COMMIT marker lands
there; an ABORT marker drops them. Meanwhile OffsetFetch with ``require_stable`` answers
UNSTABLE_OFFSET_COMMIT for them (KIP-447).

Checks, in Kafka's order: partitions of unknown topics get UNKNOWN_TOPIC_OR_PARTITION and
never reach the coordinator; a node that does not coordinate the group answers
NOT_COORDINATOR; the group's partition must already be in the producer's transaction
(AddOffsetsToTxn), else INVALID_TXN_STATE, and a stale epoch is INVALID_PRODUCER_EPOCH
(the transaction verification of KIP-890 part 1); then the group checks the member and
generation (v3+), as ``ClassicGroup.validateOffsetCommit`` does for transactional commits.

Version notes: v2 COORDINATOR_LOAD_IN_PROGRESS allowed (never sent here); v3 generation,
member id and group instance id (KIP-447), flexible; v4 TRANSACTION_ABORTABLE; v5 would
add the partition to the transaction under transactions v2, which kafkalite does not
advertise, so v5 is verified like v4.
"""

from __future__ import annotations

from kafkalite.groups import CommitEntry, TopicPartition
from kafkalite.handlers.context import RequestContext
from kafkalite.internal_topics import OFFSETS_TOPIC, partition_for
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.txn_offset_commit import (
    TxnOffsetCommitRequest,
    TxnOffsetCommitResponse,
    TxnOffsetCommitResponsePartition,
    TxnOffsetCommitResponseTopic,
)
from kafkalite.security.acls import AclOperation

MEMBER_VERSION = 3


async def handle(ctx: RequestContext, request: TxnOffsetCommitRequest) -> TxnOffsetCommitResponse:
    cluster = ctx.cluster
    entries: list[CommitEntry] = []
    results: dict[TopicPartition, int] = {}
    # KafkaApis.handleTxnOffsetCommitRequest: WRITE on the transactional id and READ on the
    # group refuse every partition; READ on a topic refuses its own.
    refusal = (
        ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED
        if not ctx.allows_transactional_id(AclOperation.WRITE, request.transactional_id)
        else ErrorCode.GROUP_AUTHORIZATION_FAILED
        if not ctx.allows_group(AclOperation.READ, request.group_id)
        else None
    )
    for topic in request.topics:
        topic_refused = refusal is None and not ctx.allows_topic(AclOperation.READ, topic.name)
        for part in topic.partitions:
            tp = TopicPartition(topic.name, part.partition_index)
            if refusal is not None or topic_refused:
                results[tp] = refusal or ErrorCode.TOPIC_AUTHORIZATION_FAILED
                continue
            if cluster.partition(topic.name, part.partition_index) is None:
                results[tp] = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
                continue
            entries.append(CommitEntry(
                topic.name, part.partition_index, part.committed_offset,
                part.committed_leader_epoch, part.committed_metadata or "",
            ))
    if entries:
        results.update(_commit(ctx, request, entries))
    response = TxnOffsetCommitResponse()
    for topic in request.topics:
        topic_response = TxnOffsetCommitResponseTopic(name=topic.name)
        response.topics.append(topic_response)
        for part in topic.partitions:
            error = results[TopicPartition(topic.name, part.partition_index)]
            topic_response.partitions.append(
                TxnOffsetCommitResponsePartition(partition_index=part.partition_index, error_code=error)
            )
    return response


def _commit(
    ctx: RequestContext, request: TxnOffsetCommitRequest, entries: list[CommitEntry]
) -> dict[TopicPartition, int]:
    wanted = [TopicPartition(e.topic, e.partition) for e in entries]
    if not ctx.coordinates(request.group_id):
        return dict.fromkeys(wanted, ErrorCode.NOT_COORDINATOR)
    cluster = ctx.cluster
    transactions = cluster.transactions
    assert transactions is not None, "the broker has started"
    offsets_partition = partition_for(request.group_id, cluster.config.offsets_topic_num_partitions)
    error = transactions.verify(
        request.producer_id, request.producer_epoch, OFFSETS_TOPIC, offsets_partition,
        transactional_id=request.transactional_id,
    )
    if error != ErrorCode.NONE:
        return dict.fromkeys(wanted, error)
    members = ctx.version >= MEMBER_VERSION
    return cluster.groups.commit_txn_offsets(
        request.group_id,
        request.producer_id,
        request.producer_epoch,
        request.generation_id if members else -1,
        request.member_id if members else "",
        request.group_instance_id if members else None,
        entries,
    )
