"""GROUP (32) config resources (KIP-848/KIP-932 group configs): DescribeConfigs and
IncrementalAlterConfigs of one group's dynamic configs.

Served: ``share.auto.offset.reset`` (``latest``, Kafka's default, or ``earliest``): where a
share group starts on a partition it has never fetched from (``by_duration:`` resets are
not served); ``share.record.lock.duration.ms``: how long the group's members hold the records
they acquire, between 1000 and 3600000 (Kafka's ``group.share.min/max.record.lock.duration.ms``
defaults; the broker's ``group.share.record.lock.duration.ms`` when unset). Any other name is
INVALID_CONFIG, as Kafka refuses names it does not know. The group need not exist, as in
Kafka. Values are kept with the cluster's state (``kafkalite-cluster.json``), so they
survive a restart.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from kafkalite.protocol.constants import AlterOp, ConfigSource, ConfigType
from kafkalite.protocol.errors import ErrorCode, KafkaError
from kafkalite.topics.configs import Alteration
from kafkalite.topics.model import ConfigEntry, invalid_request

if TYPE_CHECKING:
    from kafkalite.cluster import Cluster

__all__ = ["alter_group", "describe_group"]

SHARE_AUTO_OFFSET_RESET = "share.auto.offset.reset"
SHARE_RECORD_LOCK_DURATION_MS = "share.record.lock.duration.ms"
NAMES = (SHARE_AUTO_OFFSET_RESET, SHARE_RECORD_LOCK_DURATION_MS)
CHOICES = {SHARE_AUTO_OFFSET_RESET: ("latest", "earliest")}
LOCK_RANGE = (1_000, 3_600_000)


def _defaults(cluster: Cluster) -> dict[str, str]:
    return {
        SHARE_AUTO_OFFSET_RESET: "latest",
        SHARE_RECORD_LOCK_DURATION_MS: str(cluster.groups.config.group_share_record_lock_duration_ms),
    }


def _checked(name: str, text: str | None) -> str:
    value = (text or "").strip().lower()
    if name in CHOICES:
        if value not in CHOICES[name]:
            raise KafkaError(
                f"Invalid value {text} for configuration {name}: "
                f"String must be one of: {', '.join(CHOICES[name])}",
                ErrorCode.INVALID_CONFIG,
            )
        return value
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or not LOCK_RANGE[0] <= number <= LOCK_RANGE[1]:
        raise KafkaError(
            f"Invalid value {text} for configuration {name}: must be an integer between "
            f"{LOCK_RANGE[0]} and {LOCK_RANGE[1]}",
            ErrorCode.INVALID_CONFIG,
        )
    return str(number)


def describe_group(cluster: Cluster, name: str, keys: Sequence[str] | None) -> list[ConfigEntry]:
    if not name:
        raise invalid_request("Group name must not be empty.")
    values = cluster.groups.share.group_configs.get(name, {})
    return [
        ConfigEntry(
            name=key,
            value=values.get(key, default),
            source=ConfigSource.GROUP_CONFIG if key in values else ConfigSource.DEFAULT_CONFIG,
            config_type=ConfigType.STRING if key in CHOICES else ConfigType.INT,
        )
        for key, default in _defaults(cluster).items()
        if not keys or key in keys
    ]


def alter_group(
    cluster: Cluster, name: str, alterations: Sequence[Alteration], *, validate_only: bool
) -> None:
    if not name:
        raise invalid_request("Group name must not be empty.")
    values = dict(cluster.groups.share.group_configs.get(name, {}))
    for alteration in alterations:
        if alteration.name not in NAMES:
            raise KafkaError(f"Unknown group config name: {alteration.name}", ErrorCode.INVALID_CONFIG)
        if alteration.op == AlterOp.DELETE:
            values.pop(alteration.name, None)
        elif alteration.op == AlterOp.SET:
            values[alteration.name] = _checked(alteration.name, alteration.value)
        else:
            raise invalid_request(f"{AlterOp(alteration.op).name} operation is not allowed for a group config")
    if not validate_only:
        cluster.groups.share.group_configs[name] = values
        cluster.save_leadership()
