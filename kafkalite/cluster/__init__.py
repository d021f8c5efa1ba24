"""The cluster: domain state shared by every node (``Cluster``), and leadership."""

from kafkalite.cluster.cluster import GROUP_KEY, TRANSACTION_KEY, Cluster
from kafkalite.cluster.leadership import (
    NO_LEADER,
    Endpoint,
    Leadership,
    Node,
    PartitionState,
)

__all__ = [
    "GROUP_KEY",
    "NO_LEADER",
    "Endpoint",
    "TRANSACTION_KEY",
    "Cluster",
    "Leadership",
    "Node",
    "PartitionState",
]
