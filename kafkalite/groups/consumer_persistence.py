"""A consumer group (KIP-848) as its ``__consumer_offsets`` records, and back.

``group_records`` lists the records that describe a group now (consumer_group_records.py):
its epoch, subscribed topic metadata and target assignment epoch, and for each member its
metadata, target assignment and current assignment. The coordinator writes the records
that changed since it last wrote the group, and a tombstone for each that disappeared (a
member that left), as Kafka's ``GroupMetadataManager`` does after each heartbeat.
``restore_group`` rebuilds the group from the latest record of each key after a restart;
members keep their epochs and partitions and have a session's time to heartbeat.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from .api import Protocol
from .assignors import TopicMetadata
from .consumer_group import ClassicMemberMetadata, ConsumerGroup, ConsumerMember, MemberState
from .consumer_group_records import (
    CURRENT_MEMBER_ASSIGNMENT,
    GROUP_METADATA,
    MEMBER_METADATA,
    PARTITION_METADATA,
    TARGET_ASSIGNMENT_MEMBER,
    TARGET_ASSIGNMENT_METADATA,
    ClassicMemberMetadataValue,
    ConsumerGroupKey,
    ConsumerGroupRecordValue,
    CurrentAssignmentValue,
    GroupEpochValue,
    MemberMetadataValue,
    PartitionMetadataValue,
    TargetAssignmentEpochValue,
    TargetAssignmentValue,
)

__all__ = ["Records", "group_records", "record_changes", "restore_group"]

Records = dict[ConsumerGroupKey, ConsumerGroupRecordValue]

_STATES = {MemberState.STABLE: 0, MemberState.UNREVOKED_PARTITIONS: 1, MemberState.UNRELEASED_PARTITIONS: 2}
_BY_CODE = {code: state for state, code in _STATES.items()}


def group_records(group: ConsumerGroup) -> Records:
    g = group.group_id
    records: Records = {}
    for member in group.members.values():
        m = member.member_id
        records[ConsumerGroupKey(MEMBER_METADATA, g, m)] = MemberMetadataValue(
            instance_id=member.instance_id, rack_id=member.rack_id, client_id=member.client_id,
            client_host=member.client_host, subscribed_topic_names=member.subscribed_topic_names,
            subscribed_topic_regex=member.subscribed_topic_regex,
            rebalance_timeout_ms=member.rebalance_timeout_ms, server_assignor=member.server_assignor,
            classic_member_metadata=None if member.classic is None else ClassicMemberMetadataValue(
                member.classic.session_timeout_ms,
                tuple((p.name, bytes(p.metadata)) for p in member.classic.protocols),
            ),
        )
        records[ConsumerGroupKey(TARGET_ASSIGNMENT_MEMBER, g, m)] = TargetAssignmentValue(
            dict(group.target.get(m, {}))
        )
        records[ConsumerGroupKey(CURRENT_MEMBER_ASSIGNMENT, g, m)] = CurrentAssignmentValue(
            member_epoch=member.member_epoch, previous_member_epoch=member.previous_member_epoch,
            state=_STATES[member.state], assigned=dict(member.assigned),
            pending_revocation=dict(member.pending_revocation),
        )
    records[ConsumerGroupKey(GROUP_METADATA, g)] = GroupEpochValue(group.group_epoch)
    records[ConsumerGroupKey(PARTITION_METADATA, g)] = PartitionMetadataValue(tuple(
        (topic.topic_id, topic.name, topic.partitions) for topic in group.metadata.values()
    ))
    records[ConsumerGroupKey(TARGET_ASSIGNMENT_METADATA, g)] = TargetAssignmentEpochValue(group.assignment_epoch)
    return records


def record_changes(
    written: Mapping[ConsumerGroupKey, ConsumerGroupRecordValue], now: Records
) -> list[tuple[ConsumerGroupKey, ConsumerGroupRecordValue | None]]:
    """Tombstones for the members gone (member records first, as Kafka orders them),
    then the records that are new or changed."""
    changes: list[tuple[ConsumerGroupKey, ConsumerGroupRecordValue | None]] = [
        (key, None) for key in written if key not in now
    ]
    changes.sort(key=lambda change: -change[0].record_type)
    changes += [(key, value) for key, value in now.items() if written.get(key) != value]
    return changes


def restore_group(group_id: str, records: Mapping[ConsumerGroupKey, ConsumerGroupRecordValue]) -> ConsumerGroup | None:
    """The group its records describe, or None if it has no epoch record (deleted)."""
    epoch = records.get(ConsumerGroupKey(GROUP_METADATA, group_id))
    if not isinstance(epoch, GroupEpochValue):
        return None
    group = ConsumerGroup(group_id, group_epoch=epoch.epoch)
    metadata = records.get(ConsumerGroupKey(PARTITION_METADATA, group_id))
    if isinstance(metadata, PartitionMetadataValue):
        group.metadata = {
            name: TopicMetadata(topic_id, name, partitions) for topic_id, name, partitions in metadata.topics
        }
    assignment_epoch = records.get(ConsumerGroupKey(TARGET_ASSIGNMENT_METADATA, group_id))
    if isinstance(assignment_epoch, TargetAssignmentEpochValue):
        group.assignment_epoch = assignment_epoch.assignment_epoch
    for key, value in records.items():
        if key.record_type == TARGET_ASSIGNMENT_MEMBER and isinstance(value, TargetAssignmentValue):
            group.target[key.member_id or ""] = dict(value.partitions)
    for key, value in records.items():
        if key.record_type != MEMBER_METADATA or not isinstance(value, MemberMetadataValue):
            continue
        member_id = key.member_id or ""
        current = records.get(ConsumerGroupKey(CURRENT_MEMBER_ASSIGNMENT, group_id, member_id))
        member = ConsumerMember(
            member_id=member_id, instance_id=value.instance_id, rack_id=value.rack_id,
            client_id=value.client_id, client_host=value.client_host,
            rebalance_timeout_ms=value.rebalance_timeout_ms,
            subscribed_topic_names=value.subscribed_topic_names,
            subscribed_topic_regex=value.subscribed_topic_regex, server_assignor=value.server_assignor,
            classic=None if value.classic_member_metadata is None else ClassicMemberMetadata(
                value.classic_member_metadata.session_timeout_ms,
                tuple(Protocol(name, data) for name, data in value.classic_member_metadata.supported_protocols),
            ),
        )
        if isinstance(current, CurrentAssignmentValue):
            member = replace(
                member,
                member_epoch=current.member_epoch,
                previous_member_epoch=current.previous_member_epoch,
                state=_BY_CODE.get(current.state, MemberState.STABLE),
                assigned=dict(current.assigned),
                pending_revocation=dict(current.pending_revocation),
            )
        group.put_member(member)
    return group
