"""What each Apache Kafka release, 2.8 to 4.2, advertises to clients in ApiVersions.

``kafkalite.emulate.version=X.Y`` caps every range kafkalite serves to release X.Y's (as
franz-go's kfake ``MaxVersions`` does), so a client can be tested against the Kafka version
it meets in production: an API the release lacks is not advertised, a range is cut to the
release's, and a request above it is answered UNSUPPORTED_VERSION.

The table is written from the protocol guide's version histories and the KIPs that added each
version, checked against kafka-python's release table (``broker_version_data.py``, recorded
from real brokers). It lists client-facing APIs only; inter-broker and KRaft-internal APIs
(LeaderAndIsr, AlterPartition, Envelope, Vote, BrokerHeartbeat...) are left out. For
2.8-3.9 the ranges are a ZooKeeper-mode broker's, plus the KRaft-only client APIs from the
release that introduced them (DescribeQuorum 3.3, DescribeTopicPartitions 3.8) and the
client telemetry APIs from 3.7 (KIP-714), which a broker advertises once a metrics plugin is
configured.

Each release is written as what changed from the previous one, keyed by API key number.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

__all__ = ["RELEASES", "cap", "feature_levels", "parse_release"]

Ranges = Mapping[int, tuple[int, int]]
K = TypeVar("K", bound=int)

# Kafka 2.8.
_KAFKA_2_8: dict[int, tuple[int, int]] = {
    0: (0, 9),    # Produce
    1: (0, 12),   # Fetch
    2: (0, 6),    # ListOffsets
    3: (0, 11),   # Metadata
    8: (0, 8),    # OffsetCommit
    9: (0, 7),    # OffsetFetch
    10: (0, 3),   # FindCoordinator
    11: (0, 7),   # JoinGroup
    12: (0, 4),   # Heartbeat
    13: (0, 4),   # LeaveGroup
    14: (0, 5),   # SyncGroup
    15: (0, 5),   # DescribeGroups
    16: (0, 4),   # ListGroups
    17: (0, 1),   # SaslHandshake
    18: (0, 3),   # ApiVersions
    19: (0, 7),   # CreateTopics
    20: (0, 6),   # DeleteTopics
    21: (0, 2),   # DeleteRecords
    22: (0, 4),   # InitProducerId
    23: (0, 4),   # OffsetForLeaderEpoch
    24: (0, 3),   # AddPartitionsToTxn
    25: (0, 3),   # AddOffsetsToTxn
    26: (0, 3),   # EndTxn
    27: (0, 1),   # WriteTxnMarkers
    28: (0, 3),   # TxnOffsetCommit
    29: (0, 2),   # DescribeAcls
    30: (0, 2),   # CreateAcls
    31: (0, 2),   # DeleteAcls
    32: (0, 4),   # DescribeConfigs
    33: (0, 2),   # AlterConfigs
    34: (0, 2),   # AlterReplicaLogDirs
    35: (0, 2),   # DescribeLogDirs
    36: (0, 2),   # SaslAuthenticate
    37: (0, 3),   # CreatePartitions
    38: (0, 2),   # CreateDelegationToken
    39: (0, 2),   # RenewDelegationToken
    40: (0, 2),   # ExpireDelegationToken
    41: (0, 2),   # DescribeDelegationToken
    42: (0, 2),   # DeleteGroups
    43: (0, 2),   # ElectLeaders
    44: (0, 1),   # IncrementalAlterConfigs
    45: (0, 0),   # AlterPartitionReassignments
    46: (0, 0),   # ListPartitionReassignments
    47: (0, 0),   # OffsetDelete
    48: (0, 1),   # DescribeClientQuotas
    49: (0, 1),   # AlterClientQuotas
    50: (0, 0),   # DescribeUserScramCredentials
    51: (0, 0),   # AlterUserScramCredentials
    57: (0, 0),   # UpdateFeatures
    60: (0, 0),   # DescribeCluster (KIP-700)
    61: (0, 0),   # DescribeProducers (KIP-664)
}

_CHANGES: dict[str, dict[int, tuple[int, int]]] = {
    "3.0": {
        2: (0, 7),    # ListOffsets: max timestamp (KIP-734)
        9: (0, 8),    # OffsetFetch: batched groups (KIP-709)
        10: (0, 4),   # FindCoordinator: batched keys (KIP-699)
        65: (0, 0),   # DescribeTransactions (KIP-664)
        66: (0, 0),   # ListTransactions (KIP-664)
    },
    "3.1": {
        1: (0, 13),   # Fetch: topic ids (KIP-516)
        3: (0, 12),   # Metadata: topic ids
    },
    "3.2": {
        11: (0, 9),   # JoinGroup: reason (KIP-800)
        13: (0, 5),   # LeaveGroup: reason (KIP-800)
        35: (0, 3),   # DescribeLogDirs: total and usable bytes (KIP-827)
    },
    "3.3": {
        29: (0, 3), 30: (0, 3), 31: (0, 3),  # DescribeAcls, CreateAcls, DeleteAcls
        35: (0, 4),   # DescribeLogDirs
        38: (0, 3),   # CreateDelegationToken: owner (KIP-373)
        41: (0, 3),   # DescribeDelegationToken (KIP-373)
        55: (0, 1),   # DescribeQuorum: KRaft GA, timestamps (KIP-836)
        57: (0, 1),   # UpdateFeatures: upgrade type, validate only (KIP-778)
    },
    "3.4": {},
    "3.5": {
        1: (0, 15),   # Fetch: replica state (KIP-903)
        2: (0, 8),    # ListOffsets: tiered storage offsets (KIP-405)
    },
    "3.6": {
        24: (0, 4),   # AddPartitionsToTxn: batched verification (KIP-890 part 1)
    },
    "3.7": {
        0: (0, 10),   # Produce: leader discovery (KIP-951)
        1: (0, 16),   # Fetch: leader discovery (KIP-951)
        8: (0, 9),    # OffsetCommit (KIP-848 preparation)
        9: (0, 9),    # OffsetFetch (KIP-848 preparation)
        60: (0, 1),   # DescribeCluster: endpoint type (KIP-919)
        68: (0, 0),   # ConsumerGroupHeartbeat (KIP-848, early access)
        71: (0, 0),   # GetTelemetrySubscriptions (KIP-714)
        72: (0, 0),   # PushTelemetry (KIP-714)
        74: (0, 0),   # ListClientMetricsResources (KIP-714)
    },
    "3.8": {
        0: (0, 11),   # Produce
        10: (0, 5),   # FindCoordinator
        16: (0, 5),   # ListGroups: type filter (KIP-848)
        22: (0, 5),   # InitProducerId
        24: (0, 5),   # AddPartitionsToTxn
        25: (0, 4),   # AddOffsetsToTxn
        26: (0, 4),   # EndTxn
        28: (0, 4),   # TxnOffsetCommit
        66: (0, 1),   # ListTransactions: duration filter (KIP-994)
        69: (0, 0),   # ConsumerGroupDescribe (KIP-848)
        75: (0, 0),   # DescribeTopicPartitions (KIP-966)
    },
    "3.9": {
        1: (0, 17),   # Fetch: replica directory id (KIP-853)
        2: (0, 9),    # ListOffsets: latest tiered offset (KIP-1005)
        10: (0, 6),   # FindCoordinator: share groups (KIP-932)
        18: (0, 4),   # ApiVersions
        55: (0, 2),   # DescribeQuorum: voter endpoints (KIP-853)
        80: (0, 0),   # AddRaftVoter (KIP-853)
        81: (0, 0),   # RemoveRaftVoter (KIP-853)
    },
    # 4.0 drops the versions KIP-896 removed (Produce v0-2 stay advertised, KAFKA-18659).
    "4.0": {
        0: (0, 12), 1: (4, 17), 2: (1, 10), 3: (0, 13), 8: (2, 9), 9: (1, 9), 11: (2, 9),
        15: (0, 6), 19: (2, 7), 20: (1, 6), 23: (2, 4), 26: (0, 5), 27: (1, 1), 28: (0, 5),
        29: (1, 3), 30: (1, 3), 31: (1, 3), 32: (1, 4), 34: (1, 2), 35: (1, 4), 38: (1, 3),
        39: (1, 2), 40: (1, 2), 41: (1, 3),
        57: (0, 2),   # UpdateFeatures: no per-feature results
        60: (0, 2),   # DescribeCluster
        64: (0, 0),   # UnregisterBroker
        68: (0, 1), 69: (0, 1),  # KIP-848 GA
        74: (0, 0),
    },
    "4.1": {
        0: (0, 13),   # Produce: topic ids (KIP-516)
        1: (4, 18),   # Fetch
        11: (0, 9),
        45: (0, 1),   # AlterPartitionReassignments: replication factor change (KIP-860)
        66: (0, 2),
        74: (0, 1),   # ListConfigResources (KIP-1142)
        76: (1, 1), 77: (1, 1), 78: (1, 1), 79: (1, 1),  # share groups (KIP-932)
        83: (0, 0), 84: (0, 0), 85: (0, 0), 86: (0, 0), 87: (0, 0),
        90: (0, 0), 91: (0, 0), 92: (0, 0),
    },
    "4.2": {
        2: (1, 11),   # ListOffsets
        8: (2, 10),   # OffsetCommit: topic ids
        9: (1, 10),   # OffsetFetch: topic ids
        27: (1, 2),
        78: (1, 2), 79: (1, 2), 80: (0, 1), 85: (0, 1), 87: (0, 1),
        88: (0, 0), 89: (0, 0), 90: (0, 1),
    },
}


def _build() -> dict[str, dict[int, tuple[int, int]]]:
    releases = {"2.8": dict(_KAFKA_2_8)}
    current = dict(_KAFKA_2_8)
    for release, changes in _CHANGES.items():
        current = {**current, **changes}
        releases[release] = current
    return releases


RELEASES: Mapping[str, Ranges] = _build()

# metadata.version level of each release's newest production version (KIP-778); below 3.3,
# metadata.version is not a finalized feature.
_METADATA_VERSION = {
    "3.3": 7, "3.4": 8, "3.5": 11, "3.6": 14, "3.7": 19, "3.8": 20, "3.9": 21,
    "4.0": 25, "4.1": 27, "4.2": 29,
}


def parse_release(text: str) -> str:
    """``"3.9"`` or ``"3.9.1"`` -> ``"3.9"``; ``ValueError`` for a release not in the table."""
    parts = text.strip().split(".")
    release = ".".join(parts[:2])
    if len(parts) < 2 or release not in RELEASES:
        raise ValueError(
            f"unknown Kafka release {text!r}; known: {', '.join(RELEASES)}"
        )
    return release


def cap(served: Mapping[K, tuple[int, int]], release: str | None) -> dict[K, tuple[int, int]]:
    """The ranges of ``served`` that ``release`` also has, cut to its ranges."""
    if release is None:
        return dict(served)
    theirs = RELEASES[release]
    capped = {}
    for key, (low, high) in served.items():
        if key not in theirs:
            continue
        their_low, their_high = theirs[key]
        low, high = max(low, their_low), min(high, their_high)
        if low <= high:
            capped[key] = (low, high)
    return capped


def feature_levels(supported: Mapping[str, tuple[int, int]], release: str | None
                   ) -> dict[str, tuple[int, int]]:
    """Supported feature ranges as ``release`` has them: metadata.version up to the
    release's level (none before 3.3); the other features exist from 4.0."""
    if release is None:
        return dict(supported)
    levels = {}
    for name, (low, high) in supported.items():
        if name == "metadata.version":
            top = _METADATA_VERSION.get(release)
            if top is None or top < low:
                continue
            levels[name] = (low, min(high, top))
        elif release.startswith("4."):
            levels[name] = (low, high)
    return levels
