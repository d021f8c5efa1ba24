"""AddPartitionsToTxn (api key 24), served v0-v5.

Adds partitions to the producer's transaction before it writes to them (Kafka's
``KafkaApis.handleAddPartitionsToTxnRequest``). Only the node leading the transactional
id's ``__transaction_state`` partition answers; elsewhere every partition gets
NOT_COORDINATOR. A partition that does not exist gets UNKNOWN_TOPIC_OR_PARTITION and the
others OPERATION_NOT_ATTEMPTED: nothing is added. Otherwise every partition carries the
coordinator's answer (NONE, PRODUCER_FENCED, INVALID_PRODUCER_ID_MAPPING,
CONCURRENT_TRANSACTIONS while the previous transaction's markers are being written, ...).

Version notes: v0-v3 carry one transaction and are what producers send; v2 PRODUCER_FENCED,
which v0-v1 get as INVALID_PRODUCER_EPOCH (KIP-588); v3 flexible. v4 batches several
transactions, each answered on its own, and ``verify_only`` only asks whether the
partitions are already in the transaction (TRANSACTION_ABORTABLE if not): Kafka's brokers
use it to check transactional produces (KIP-890 part 1). v5 changes nothing in the layout.
"""

from __future__ import annotations

from collections.abc import Iterable

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.add_partitions_to_txn import (
    AddPartitionsToTxnPartitionResult,
    AddPartitionsToTxnRequest,
    AddPartitionsToTxnResponse,
    AddPartitionsToTxnResult,
    AddPartitionsToTxnTopic,
    AddPartitionsToTxnTopicResult,
)
from kafkalite.security.acls import AclOperation
from kafkalite.transactions import TopicPartition, error_for_version

BATCHED_VERSION = 4


async def handle(ctx: RequestContext, request: AddPartitionsToTxnRequest) -> AddPartitionsToTxnResponse:
    if ctx.version < BATCHED_VERSION:
        errors = _add(
            ctx, request.transactional_id, request.producer_id, request.producer_epoch,
            request.topics, verify_only=False,
        )
        return AddPartitionsToTxnResponse(results_by_topic=_by_topic(errors))
    if not ctx.allows_cluster(AclOperation.CLUSTER_ACTION):
        # v4+ is the brokers' verification call (KIP-890): it needs CLUSTER_ACTION.
        return AddPartitionsToTxnResponse(error_code=ErrorCode.CLUSTER_AUTHORIZATION_FAILED)
    results = []
    for txn in request.transactions:
        errors = _add(
            ctx, txn.transactional_id, txn.producer_id, txn.producer_epoch, txn.topics,
            verify_only=txn.verify_only,
        )
        results.append(
            AddPartitionsToTxnResult(transactional_id=txn.transactional_id, topic_results=_by_topic(errors))
        )
    return AddPartitionsToTxnResponse(results_by_transaction=results)


def _add(
    ctx: RequestContext,
    transactional_id: str,
    producer_id: int,
    producer_epoch: int,
    topics: Iterable[AddPartitionsToTxnTopic],
    *,
    verify_only: bool,
) -> dict[TopicPartition, ErrorCode]:
    wanted = [TopicPartition(topic.name, index) for topic in topics for index in topic.partitions]
    if ctx.version < BATCHED_VERSION:
        # KafkaApis.handleAddPartitionsToTxnRequest: WRITE on the transactional id, then on
        # each topic; refused or unknown partitions leave the others OPERATION_NOT_ATTEMPTED.
        if not ctx.allows_transactional_id(AclOperation.WRITE, transactional_id):
            return dict.fromkeys(wanted, ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED)
        refused = {
            tp for tp in wanted if not ctx.allows_topic(AclOperation.WRITE, tp.topic)
        }
        if refused:
            return {
                tp: ErrorCode.TOPIC_AUTHORIZATION_FAILED if tp in refused
                else ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
                if ctx.cluster.partition(tp.topic, tp.partition) is None
                else ErrorCode.OPERATION_NOT_ATTEMPTED
                for tp in wanted
            }
    if not ctx.coordinates_transaction(transactional_id):
        return dict.fromkeys(wanted, ErrorCode.NOT_COORDINATOR)
    unknown = {tp for tp in wanted if ctx.cluster.partition(tp.topic, tp.partition) is None}
    if unknown:
        return {
            tp: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION if tp in unknown else ErrorCode.OPERATION_NOT_ATTEMPTED
            for tp in wanted
        }
    coordinator = ctx.cluster.transactions
    assert coordinator is not None, "the broker has started"
    errors = coordinator.add_partitions(
        transactional_id, producer_id, producer_epoch, wanted, verify_only=verify_only
    )
    return {tp: error_for_version(errors[tp], "AddPartitionsToTxn", ctx.version) for tp in wanted}


def _by_topic(errors: dict[TopicPartition, ErrorCode]) -> list[AddPartitionsToTxnTopicResult]:
    topics: dict[str, AddPartitionsToTxnTopicResult] = {}
    for tp, error in errors.items():
        result = topics.setdefault(tp.topic, AddPartitionsToTxnTopicResult(name=tp.topic))
        result.results_by_partition.append(
            AddPartitionsToTxnPartitionResult(partition_index=tp.partition, partition_error_code=error)
        )
    return list(topics.values())
