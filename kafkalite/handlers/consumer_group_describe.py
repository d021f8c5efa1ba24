"""ConsumerGroupDescribe (api key 69), served v0-v1: consumer groups of the KIP-848
protocol, with their epochs, assignor, and each member's current and target assignment.

A group that does not exist, or is a classic group, answers GROUP_ID_NOT_FOUND (clients
then fall back to DescribeGroups); an empty id answers INVALID_GROUP_ID.

Version notes: v1 each member's type (KIP-1099): 1, a consumer member (classic members do
not join consumer groups here).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from kafkalite.groups.consumer_group import ConsumerGroup
from kafkalite.handlers.context import RequestContext
from kafkalite.handlers.describe_groups import GROUP_OPERATIONS
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.consumer_group_describe import (
    ConsumerGroupDescribeRequest,
    ConsumerGroupDescribeResponse,
    DescribedAssignment,
    DescribedConsumerGroup,
    DescribedConsumerGroupMember,
    DescribedTopicPartitions,
)
from kafkalite.security.acls import AclOperation, ResourceType

CONSUMER_MEMBER = 1
CLASSIC_MEMBER = 0  # a member of the classic protocol in a consumer group (online migration)


async def handle(
    ctx: RequestContext, request: ConsumerGroupDescribeRequest
) -> ConsumerGroupDescribeResponse:
    response = ConsumerGroupDescribeResponse()
    coordinator = ctx.cluster.groups
    for group_id in request.group_ids:
        if not group_id:
            response.groups.append(DescribedConsumerGroup(
                group_id=group_id, error_code=ErrorCode.INVALID_GROUP_ID))
        elif not ctx.allows_group(AclOperation.DESCRIBE, group_id):
            response.groups.append(DescribedConsumerGroup(
                group_id=group_id, error_code=ErrorCode.GROUP_AUTHORIZATION_FAILED))
        elif not ctx.coordinates(group_id):
            response.groups.append(DescribedConsumerGroup(
                group_id=group_id, error_code=ErrorCode.NOT_COORDINATOR))
        elif (group := coordinator.consumer.get(group_id)) is None:
            classic = coordinator.groups.get(group_id) is not None
            response.groups.append(DescribedConsumerGroup(
                group_id=group_id,
                error_code=ErrorCode.GROUP_ID_NOT_FOUND,
                error_message=f"Group {group_id} is not a consumer group." if classic
                else f"Group {group_id} not found.",
            ))
        else:
            described = _describe(group, request.include_authorized_operations)
            if request.include_authorized_operations:
                described.authorized_operations = ctx.authorized_operations(
                    ResourceType.GROUP, group_id, GROUP_OPERATIONS
                )
            response.groups.append(described)
    return response


def _assignment(group: ConsumerGroup, assignment: Mapping[uuid.UUID, frozenset[int]]) -> DescribedAssignment:
    topics = []
    for topic_id, partitions in assignment.items():
        topics.append(DescribedTopicPartitions(
            topic_id=topic_id,
            topic_name=group.topic_name(topic_id) or "",
            partitions=sorted(partitions),
        ))
    topics.sort(key=lambda t: t.topic_name)
    return DescribedAssignment(topic_partitions=topics)


def _describe(group: ConsumerGroup, with_operations: bool) -> DescribedConsumerGroup:
    members = [
        DescribedConsumerGroupMember(
            member_id=member.member_id,
            instance_id=member.instance_id,
            rack_id=member.rack_id,
            member_epoch=member.member_epoch,
            client_id=member.client_id,
            client_host=member.client_host,
            subscribed_topic_names=list(member.subscribed_topic_names),
            subscribed_topic_regex=member.subscribed_topic_regex,
            assignment=_assignment(group, member.assigned),
            target_assignment=_assignment(group, group.target.get(member.member_id, {})),
            member_type=CLASSIC_MEMBER if member.classic is not None else CONSUMER_MEMBER,
        )
        for member in sorted(group.members.values(), key=lambda m: m.member_id)
    ]
    return DescribedConsumerGroup(
        group_id=group.group_id,
        group_state=group.state.value,
        group_epoch=group.group_epoch,
        assignment_epoch=group.assignment_epoch,
        assignor_name=group.assignor_name,
        members=members,
        authorized_operations=GROUP_OPERATIONS if with_operations else -2147483648,
    )
