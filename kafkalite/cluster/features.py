"""Feature levels (KIP-584): what this broker supports and what the cluster has finalized.

ApiVersions v3+ reports both; UpdateFeatures changes the finalized levels. The supported
ranges are Kafka 4.2's, cut to what kafkalite implements:
- ``metadata.version`` 7-29 (3.3-IV3 to 4.2-IV1), finalized at 29 as a new 4.2 cluster is;
- ``transaction.version`` 0-1: level 2 switches clients to transactions v2 (KIP-890 part 2),
  which is not served, so it is never offered;
- ``eligible.leader.replicas.version`` 0-1: a level with no visible effect here (no ELR);
- ``group.version`` 0-1, finalized at 1 as in a new 4.x cluster: the consumer group
  protocol (KIP-848);
- ``share.version`` 0-1, finalized at 1: share groups (KIP-932), as a Kafka 4.2 cluster
  with share groups enabled; at 0 ApiVersions does not list the share group APIs;
- ``streams.version`` is left out: its group protocol is not served. ``kraft.version``
  is left out too: there is no quorum to reconfigure.

A level of 0 means the feature is off and is not listed as finalized, as in Kafka. The
epoch grows with every change; ``Cluster`` persists both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kafkalite.protocol.errors import ErrorCode

__all__ = ["METADATA_VERSION", "SUPPORTED", "Features", "FeatureUpdateError"]

METADATA_VERSION = "metadata.version"
SUPPORTED: Mapping[str, tuple[int, int]] = {
    METADATA_VERSION: (7, 29),
    "transaction.version": (0, 1),
    "eligible.leader.replicas.version": (0, 1),
    "group.version": (0, 1),
    "share.version": (0, 1),
}
DEFAULT_FINALIZED: Mapping[str, int] = {METADATA_VERSION: 29, "group.version": 1, "share.version": 1}
UPGRADE, SAFE_DOWNGRADE, UNSAFE_DOWNGRADE = 1, 2, 3


class FeatureUpdateError(Exception):
    def __init__(self, message: str, code: ErrorCode = ErrorCode.INVALID_UPDATE_VERSION) -> None:
        super().__init__(message)
        self.code = code


@dataclass(slots=True)
class Features:
    finalized: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_FINALIZED))
    epoch: int = 1

    def check(self, feature: str, level: int, upgrade_type: int) -> None:
        """Raise ``FeatureUpdateError`` unless ``feature`` may move to ``level``."""
        supported = SUPPORTED.get(feature)
        if supported is None:
            raise FeatureUpdateError(f"Invalid update version {level} for feature {feature}. "
                                     "The controller does not support the given feature.")
        if upgrade_type not in (UPGRADE, SAFE_DOWNGRADE, UNSAFE_DOWNGRADE):
            raise FeatureUpdateError(f"Unknown upgrade type {upgrade_type}.",
                                     ErrorCode.INVALID_REQUEST)
        low, high = supported
        if level > high or (0 < level < low) or (feature == METADATA_VERSION and level < low):
            raise FeatureUpdateError(
                f"Invalid update version {level} for feature {feature}. Local controller "
                f"supports versions {low}-{high}"
            )
        current = self.finalized.get(feature, 0)
        if level < current:
            if upgrade_type == UPGRADE:
                raise FeatureUpdateError(
                    f"Invalid update version {level} for feature {feature}. Can't downgrade "
                    "the version of this feature without setting the upgrade type to either "
                    "safe or unsafe downgrade."
                )
            if feature == METADATA_VERSION:
                raise FeatureUpdateError(
                    f"Invalid metadata.version {level}. Unsafe metadata downgrade is not supported."
                )

    def apply(self, levels: Mapping[str, int]) -> None:
        for feature, level in levels.items():
            if level <= 0:
                self.finalized.pop(feature, None)
            else:
                self.finalized[feature] = level
        self.epoch += 1

    def to_json(self) -> dict[str, object]:
        return {"finalized": dict(self.finalized), "epoch": self.epoch}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Features:
        finalized = data.get("finalized", DEFAULT_FINALIZED)
        assert isinstance(finalized, dict)
        return cls(
            finalized={str(k): int(v) for k, v in finalized.items() if str(k) in SUPPORTED},
            epoch=int(data.get("epoch", 1)),  # type: ignore[call-overload]
        )
