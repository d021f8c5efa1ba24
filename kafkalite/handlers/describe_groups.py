"""DescribeGroups (api key 15), served v0-v6.

Describes classic groups: state, protocol type, the chosen protocol and the members. A
member's metadata and assignment, and the chosen protocol, are filled in only while the
group is Stable (Kafka's ``GroupMetadata.summary``). A group that does not exist is
described as Dead with error 0 before v6, and as Dead with GROUP_ID_NOT_FOUND and
"Group <id> not found." from v6 (KIP-1043).

Version notes: v1 throttle_time_ms; v3 include_authorized_operations (KIP-430): the
operations a group allows (READ, DELETE, DESCRIBE without an authorizer; with one, those of
READ, DESCRIBE, DELETE, DESCRIBE_CONFIGS, ALTER_CONFIGS the ACLs allow), set only for groups described without error, otherwise INT32_MIN; v4
group_instance_id per member (KIP-345); v5 flexible; v6 error_message (KIP-1043), set with
every error.
"""

from __future__ import annotations

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.describe_groups import (
    DescribedGroup,
    DescribedGroupMember,
    DescribeGroupsRequest,
    DescribeGroupsResponse,
)
from kafkalite.protocol.messages.error_codes import MESSAGES
from kafkalite.security.acls import AclOperation, ResourceType

# AclOperation codes (KIP-430): READ 3, DELETE 6, DESCRIBE 8.
GROUP_OPERATIONS = sum(1 << op for op in (3, 6, 8))
NOT_FOUND_VERSION = 6


async def handle(ctx: RequestContext, request: DescribeGroupsRequest) -> DescribeGroupsResponse:
    version = ctx.version
    response = DescribeGroupsResponse()
    for group_id in request.groups:
        if not ctx.allows_group(AclOperation.DESCRIBE, group_id):
            # KafkaApis.handleDescribeGroupsRequest: DESCRIBE on each group.
            response.groups.append(DescribedGroup(
                error_code=ErrorCode.GROUP_AUTHORIZATION_FAILED, group_id=group_id,
                error_message=(
                    MESSAGES.get(ErrorCode.GROUP_AUTHORIZATION_FAILED)
                    if version >= NOT_FOUND_VERSION else None
                ),
            ))
            continue
        if not ctx.coordinates(group_id):
            response.groups.append(DescribedGroup(
                error_code=ErrorCode.NOT_COORDINATOR, group_id=group_id,
                error_message=(
                    MESSAGES.get(ErrorCode.NOT_COORDINATOR) if version >= NOT_FOUND_VERSION else None
                ),
            ))
            continue
        described = ctx.cluster.groups.describe_group(group_id)
        error = described.error_code
        if error == ErrorCode.GROUP_ID_NOT_FOUND and version < NOT_FOUND_VERSION:
            error = ErrorCode.NONE
        message = None
        if version >= NOT_FOUND_VERSION and error != ErrorCode.NONE:
            message = (
                f"Group {group_id} not found."
                if error == ErrorCode.GROUP_ID_NOT_FOUND
                else MESSAGES.get(ErrorCode(error))
            )
        group = DescribedGroup(
            error_code=error,
            error_message=message,
            group_id=group_id,
            group_state=described.group_state,
            protocol_type=described.protocol_type,
            protocol_data=described.protocol_data,
            members=[
                DescribedGroupMember(
                    member_id=m.member_id,
                    group_instance_id=m.group_instance_id if version >= 4 else None,
                    client_id=m.client_id,
                    client_host=m.client_host,
                    member_metadata=m.member_metadata,
                    member_assignment=m.member_assignment,
                )
                for m in described.members
            ],
        )
        if version >= 3 and request.include_authorized_operations and described.error_code == ErrorCode.NONE:
            group.authorized_operations = ctx.authorized_operations(
                ResourceType.GROUP, group_id, GROUP_OPERATIONS
            )
        response.groups.append(group)
    return response
