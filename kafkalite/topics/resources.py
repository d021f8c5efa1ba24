"""Config resources by type: what DescribeConfigs, AlterConfigs and IncrementalAlterConfigs
do with one resource, whatever its type, and the resources of one alter request in turn.

TOPIC (2) and BROKER (4) are served by every API; BROKER_LOGGER (8) and GROUP (32,
``group_configs``) by DescribeConfigs and IncrementalAlterConfigs only, as in Kafka (legacy
AlterConfigs never supported them). CLIENT_METRICS (16) configs do not exist here: such a
resource answers INVALID_REQUEST.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from kafkalite.protocol.constants import ResourceType
from kafkalite.protocol.errors import ErrorCode, KafkaError
from kafkalite.topics.broker_configs import (
    alter_broker,
    alter_loggers,
    describe_broker,
    describe_loggers,
)
from kafkalite.topics.configs import Alteration, alter_topic, check_alterations, describe_topic
from kafkalite.topics.group_configs import alter_group, describe_group
from kafkalite.topics.model import ConfigEntry, error_message, invalid_request

if TYPE_CHECKING:
    from kafkalite.cluster import Cluster as Broker

__all__ = ["alter_resource", "alter_resources", "describe_resource"]


def _type_name(resource_type: int) -> str:
    try:
        return ResourceType(resource_type).name
    except ValueError:
        return str(resource_type)


def describe_resource(
    broker: Broker,
    resource_type: int,
    name: str,
    keys: Sequence[str] | None,
    *,
    synonyms: bool,
    documentation: bool,
) -> list[ConfigEntry]:
    """The configs of one resource; ``keys`` null or empty means all of them."""
    if resource_type == ResourceType.TOPIC:
        return describe_topic(broker, name, keys, synonyms=synonyms, documentation=documentation)
    if resource_type == ResourceType.BROKER:
        return describe_broker(broker, name, keys, synonyms=synonyms, documentation=documentation)
    if resource_type == ResourceType.BROKER_LOGGER:
        return describe_loggers(broker, name, keys)
    if resource_type == ResourceType.GROUP:
        return describe_group(broker, name, keys)
    raise invalid_request(f"Unsupported resource type: {_type_name(resource_type)}")


def alter_resource(
    broker: Broker,
    resource_type: int,
    name: str,
    alterations: Sequence[Alteration],
    *,
    incremental: bool,
    validate_only: bool,
) -> None:
    """AlterConfigs (``incremental`` false: every alteration is a SET and the set replaces the
    resource's configs) or IncrementalAlterConfigs of one resource."""
    check_alterations(alterations)
    if resource_type == ResourceType.TOPIC:
        alter_topic(broker, name, alterations, incremental=incremental, validate_only=validate_only)
    elif resource_type == ResourceType.BROKER:
        alter_broker(
            broker, name, alterations, incremental=incremental, validate_only=validate_only
        )
    elif resource_type == ResourceType.BROKER_LOGGER and incremental:
        alter_loggers(broker, name, alterations, validate_only=validate_only)
    elif resource_type == ResourceType.GROUP and incremental:
        alter_group(broker, name, alterations, validate_only=validate_only)
    else:
        raise invalid_request(f"Unknown resource type {resource_type}")


def alter_resources(
    broker: Broker,
    resources: Sequence[tuple[int, str, Sequence[Alteration]]],
    *,
    incremental: bool,
    validate_only: bool,
) -> list[tuple[int, str | None]]:
    """``alter_resource`` for each ``(resource type, name, alterations)`` of one request, in
    order; returns each one's ``(error code, error message)``. A resource given twice gets
    INVALID_REQUEST on both entries and is left alone (Kafka's
    ``ConfigAdminManager.preprocess``)."""
    seen = Counter((resource_type, name) for resource_type, name, _ in resources)
    outcomes: list[tuple[int, str | None]] = []
    for resource_type, name, alterations in resources:
        if seen[(resource_type, name)] > 1:
            outcomes.append((ErrorCode.INVALID_REQUEST, "Each resource must appear at most once."))
            continue
        try:
            alter_resource(
                broker,
                resource_type,
                name,
                alterations,
                incremental=incremental,
                validate_only=validate_only,
            )
        except KafkaError as exc:
            outcomes.append((exc.code, error_message(exc)))
        else:
            outcomes.append((ErrorCode.NONE, None))
    return outcomes
