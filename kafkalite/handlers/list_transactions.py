"""ListTransactions (api key 66), served v0-v2.

Lists the transactional ids this node coordinates (KIP-664); the admin client asks every
node and merges the answers. Filters combine: states by Kafka's names (unknown names are
echoed in ``unknown_state_filters``), producer ids, from v1 ``duration_filter`` (only
transactions running longer than that many milliseconds, KIP-994), from v2
``transactional_id_pattern``, a regular expression the whole id must match (KIP-1152;
INVALID_REGULAR_EXPRESSION when it does not compile).

Python's ``re`` stands in for Java's regular expressions; the common syntax is the same.
"""

from __future__ import annotations

import re

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.list_transactions import (
    ListTransactionsRequest,
    ListTransactionsResponse,
    ListTransactionsState,
)
from kafkalite.security.acls import AclOperation


async def handle(ctx: RequestContext, request: ListTransactionsRequest) -> ListTransactionsResponse:
    coordinator = ctx.cluster.transactions
    assert coordinator is not None, "the broker has started"
    pattern = None
    if request.transactional_id_pattern:
        try:
            pattern = re.compile(request.transactional_id_pattern)
        except re.error:
            return ListTransactionsResponse(error_code=ErrorCode.INVALID_REGULAR_EXPRESSION)
    result = coordinator.list_transactions(
        request.state_filters, request.producer_id_filters, request.duration_filter
    )
    return ListTransactionsResponse(
        error_code=result.error_code,
        unknown_state_filters=list(result.unknown_state_filters),
        transaction_states=[
            ListTransactionsState(
                transactional_id=listing.transactional_id,
                producer_id=listing.producer_id,
                transaction_state=listing.state,
            )
            for listing in result.transactions
            if ctx.coordinates_transaction(listing.transactional_id)
            and ctx.allows_transactional_id(AclOperation.DESCRIBE, listing.transactional_id)
            and (pattern is None or pattern.fullmatch(listing.transactional_id))
        ],
    )
