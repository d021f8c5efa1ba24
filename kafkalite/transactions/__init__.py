"""Kafka's transaction coordinator: InitProducerId with transactional ids,
AddPartitionsToTxn, AddOffsetsToTxn, EndTxn, DescribeTransactions, ListTransactions and
the Produce-side partition check (KIP-98, KIP-360, KIP-588, KIP-890 part 1).

The wire-agnostic domain layer: no sockets, no event loop. Handlers translate requests
into calls on ``TransactionCoordinator`` and copy the results into responses.

- ``coordinator.py``    TransactionCoordinator: the transaction APIs, markers, timeouts
- ``state_manager.py``  TransactionStateManager: the registry and its log records
- ``state.py``          TransactionState, the transition table, TransactionMetadata
- ``records.py``        ``__transaction_state`` key/value formats (Kafka's, v0 and v1)
- ``api.py``            settings, results and the injected interfaces
- ``storage.py``        adapters onto the broker's PartitionLog
"""

from .api import (
    NO_PRODUCER_EPOCH,
    NO_PRODUCER_ID,
    Clock,
    EndTxnResult,
    InitProducerIdResult,
    ListTransactionsResult,
    MarkerWriter,
    ProducerIdSource,
    TopicPartition,
    TransactionConfig,
    TransactionDescription,
    TransactionListing,
    TransactionStateLog,
    error_for_version,
)
from .coordinator import TransactionCoordinator
from .state import TransactionMetadata, TransactionState

__all__ = [
    "NO_PRODUCER_EPOCH",
    "NO_PRODUCER_ID",
    "Clock",
    "EndTxnResult",
    "InitProducerIdResult",
    "ListTransactionsResult",
    "MarkerWriter",
    "ProducerIdSource",
    "TopicPartition",
    "TransactionConfig",
    "TransactionCoordinator",
    "TransactionDescription",
    "TransactionListing",
    "TransactionMetadata",
    "TransactionState",
    "TransactionStateLog",
    "error_for_version",
]
