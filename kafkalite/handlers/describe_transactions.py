"""DescribeTransactions (api key 65), served v0.

Describes transactions by transactional id as their coordinator sees them (KIP-664):
state (Kafka's names: Empty, Ongoing, PrepareCommit, ...), timeout, start time, producer id
and epoch, and the partitions in the transaction. An id this node does not coordinate gets
NOT_COORDINATOR, an unknown one TRANSACTIONAL_ID_NOT_FOUND.
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.describe_transactions import (
    DescribeTransactionsRequest,
    DescribeTransactionsResponse,
    DescribeTransactionsState,
    DescribeTransactionsTopic,
)
from kafkalite.security.acls import AclOperation


async def handle(ctx: RequestContext, request: DescribeTransactionsRequest) -> DescribeTransactionsResponse:
    coordinator = ctx.cluster.transactions
    assert coordinator is not None, "the broker has started"
    response = DescribeTransactionsResponse()
    for transactional_id in request.transactional_ids:
        if not ctx.allows_transactional_id(AclOperation.DESCRIBE, transactional_id):
            response.transaction_states.append(DescribeTransactionsState(
                error_code=ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
                transactional_id=transactional_id,
            ))
            continue
        if not ctx.coordinates_transaction(transactional_id):
            response.transaction_states.append(DescribeTransactionsState(
                error_code=ErrorCode.NOT_COORDINATOR, transactional_id=transactional_id,
            ))
            continue
        (found,) = coordinator.describe([transactional_id])
        response.transaction_states.append(DescribeTransactionsState(
            error_code=found.error_code,
            transactional_id=transactional_id,
            transaction_state=found.state,
            transaction_timeout_ms=found.transaction_timeout_ms,
            transaction_start_time_ms=found.transaction_start_time_ms,
            producer_id=found.producer_id,
            producer_epoch=found.producer_epoch,
            topics=[
                DescribeTransactionsTopic(topic=topic, partitions=list(partitions))
                for topic, partitions in found.topics.items()
                # KafkaApis leaves out the topics the principal may not describe.
                if ctx.allows_topic(AclOperation.DESCRIBE, topic)
            ],
        ))
    return response
