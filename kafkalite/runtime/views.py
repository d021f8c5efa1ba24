"""Plain-data views of a running cluster, as the control API answers them.

Every value is JSON-able (str keys, lists, ints), so the Python calls and the HTTP answers
are the same data:

- ``broker_view``: ``{"id", "host", "port", "online", "listening", "black_hole"}``;
  ``online`` is False after ``stop_broker``, ``listening`` False after
  ``refuse_connections`` too;
- ``partition_view``: ``{"topic", "partition", "leader", "leader_epoch", "replicas", "isr",
  "high_watermark", "log_end_offset"}`` (offsets -1 when the log does not exist);
- ``group_ready``: whether a consumer group is in ``state`` with ``members`` members and,
  for a "consumer" group, every partition of every subscribed topic assigned to a member.
  It reads what DescribeGroups answers (``GroupCoordinator.describe_group``): metadata and
  assignments are only there once the group is Stable, as in Kafka.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kafkalite.protocol.codec import decode
from kafkalite.protocol.consumer_protocol import subscribed_topics
from kafkalite.protocol.errors import ProtocolError
from kafkalite.protocol.messages.consumer_protocol import (
    CONSUMER_PROTOCOL_ASSIGNMENT_SPEC,
    ConsumerProtocolAssignment,
)

if TYPE_CHECKING:
    from kafkalite.cluster import Cluster
    from kafkalite.groups import GroupDescription
    from kafkalite.runtime.runtime import Runtime

__all__ = ["assigned_partitions", "broker_view", "group_ready", "partition_view"]

_NEWEST_ASSIGNMENT = CONSUMER_PROTOCOL_ASSIGNMENT_SPEC.valid.high


def broker_view(runtime: Runtime, node_id: int) -> dict[str, Any]:
    node = runtime.node(node_id)
    return {
        "id": node.id,
        "host": node.advertised_host,
        "port": node.advertised_port,
        "listeners": {
            endpoint.listener: f"{endpoint.advertised_host}:{endpoint.advertised_port}"
            for endpoint in node.endpoints
        },
        "online": node.online,
        "registered": node.registered,
        "listening": runtime.listening(node.id),
        "black_hole": node.id in runtime.black_holes,
    }


def partition_view(cluster: Cluster, topic: str, partition: int) -> dict[str, Any]:
    state = cluster.partition_state(topic, partition)
    log = cluster.partition(topic, partition)
    return {
        "topic": topic,
        "partition": partition,
        "leader": state.leader,
        "leader_epoch": state.leader_epoch,
        "replicas": list(state.replicas),
        "isr": list(state.isr),
        "high_watermark": log.high_watermark if log is not None else -1,
        "log_end_offset": log.log_end_offset if log is not None else -1,
    }


def assigned_partitions(assignment: bytes) -> set[tuple[str, int]] | None:
    """The partitions a ConsumerProtocolAssignment gives, or None when it does not parse."""
    if len(assignment) < 2:
        return None
    version = int.from_bytes(assignment[:2], "big", signed=True)
    if version < 0:
        return None
    try:
        decoded, _ = decode(
            CONSUMER_PROTOCOL_ASSIGNMENT_SPEC, min(version, _NEWEST_ASSIGNMENT), assignment, 2
        )
    except (ProtocolError, ValueError):
        return None
    assert isinstance(decoded, ConsumerProtocolAssignment)
    return {
        (entry.topic, partition)
        for entry in decoded.assigned_partitions
        for partition in entry.partitions
    }


def group_ready(
    cluster: Cluster,
    description: GroupDescription,
    *,
    state: str,
    members: int | None,
    all_assigned: bool,
) -> bool:
    if description.error_code != 0 or description.group_state.lower() != state.lower():
        return False
    if members is not None and len(description.members) != members:
        return False
    if not all_assigned or description.protocol_type != "consumer":
        return True
    wanted: set[tuple[str, int]] = set()
    given: set[tuple[str, int]] = set()
    topics = cluster.topics()
    for member in description.members:
        subscribed = subscribed_topics(member.member_metadata)
        assigned = assigned_partitions(member.member_assignment)
        if subscribed is None or assigned is None:
            return False  # not Stable yet, or not the consumer protocol's bytes
        for topic in subscribed:
            info = topics.get(topic)
            wanted.update((topic, p) for p in range(len(info.partitions) if info else 0))
        given |= assigned
    return wanted <= given
