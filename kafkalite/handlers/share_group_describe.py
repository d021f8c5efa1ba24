"""ShareGroupDescribe (api key 77), served v1: share groups (KIP-932) with their epochs,
assignor (``simple``) and each member's assignment.

A group that does not exist, or is of another type, answers GROUP_ID_NOT_FOUND; an empty
id INVALID_GROUP_ID.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from kafkalite.groups.share_group import ASSIGNOR_NAME, ShareGroup
from kafkalite.handlers.context import RequestContext
from kafkalite.handlers.describe_groups import GROUP_OPERATIONS
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.share_group_describe import (
    DescribedShareAssignment,
    DescribedShareGroup,
    DescribedShareGroupMember,
    DescribedShareTopicPartitions,
    ShareGroupDescribeRequest,
    ShareGroupDescribeResponse,
)
from kafkalite.security.acls import AclOperation, ResourceType


async def handle(ctx: RequestContext, request: ShareGroupDescribeRequest) -> ShareGroupDescribeResponse:
    response = ShareGroupDescribeResponse()
    coordinator = ctx.cluster.groups
    for group_id in request.group_ids:
        if not group_id:
            response.groups.append(DescribedShareGroup(
                group_id=group_id, error_code=ErrorCode.INVALID_GROUP_ID))
        elif not ctx.allows_group(AclOperation.DESCRIBE, group_id):
            response.groups.append(DescribedShareGroup(
                group_id=group_id, error_code=ErrorCode.GROUP_AUTHORIZATION_FAILED))
        elif not ctx.coordinates(group_id):
            response.groups.append(DescribedShareGroup(
                group_id=group_id, error_code=ErrorCode.NOT_COORDINATOR))
        elif (group := coordinator.share.get(group_id)) is None:
            other = coordinator.groups.get(group_id) is not None or coordinator.consumer.get(group_id) is not None
            response.groups.append(DescribedShareGroup(
                group_id=group_id,
                error_code=ErrorCode.GROUP_ID_NOT_FOUND,
                error_message=f"Group {group_id} is not a share group." if other
                else f"Group {group_id} not found.",
            ))
        else:
            described = _describe(group)
            if request.include_authorized_operations:
                described.authorized_operations = ctx.authorized_operations(
                    ResourceType.GROUP, group_id, GROUP_OPERATIONS
                )
            response.groups.append(described)
    return response


def _assignment(group: ShareGroup, assignment: Mapping[uuid.UUID, frozenset[int]]) -> DescribedShareAssignment:
    topics = [
        DescribedShareTopicPartitions(
            topic_id=topic_id, topic_name=group.topic_name(topic_id) or "", partitions=sorted(partitions)
        )
        for topic_id, partitions in assignment.items()
    ]
    topics.sort(key=lambda t: t.topic_name)
    return DescribedShareAssignment(topic_partitions=topics)


def _describe(group: ShareGroup) -> DescribedShareGroup:
    return DescribedShareGroup(
        group_id=group.group_id,
        group_state=group.state.value,
        group_epoch=group.group_epoch,
        assignment_epoch=group.assignment_epoch,
        assignor_name=ASSIGNOR_NAME,
        members=[
            DescribedShareGroupMember(
                member_id=member.member_id,
                rack_id=member.rack_id,
                member_epoch=member.member_epoch,
                client_id=member.client_id,
                client_host=member.client_host,
                subscribed_topic_names=list(member.subscribed_topic_names),
                assignment=_assignment(group, member.assigned),
            )
            for member in sorted(group.members.values(), key=lambda m: m.member_id)
        ],
    )
