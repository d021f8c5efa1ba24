"""AlterReplicaLogDirs (api key 34), served v1-v2.

A node has one log directory, the data directory (as DescribeLogDirs reports it). Moving a
replica to that directory succeeds at once, since it is already there (or will be when the
partition is created, as Kafka records a future directory); any other path is
LOG_DIR_NOT_FOUND. Nothing moves on disk.

Version notes: v0 removed in Kafka 4.0 (KIP-896); v1 same as v0 (throttling); v2 flexible.
"""

from __future__ import annotations

from pathlib import Path

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.alter_replica_log_dirs import (
    AlterReplicaLogDirPartitionResult,
    AlterReplicaLogDirsRequest,
    AlterReplicaLogDirsResponse,
    AlterReplicaLogDirTopicResult,
)
from kafkalite.security.acls import AclOperation


async def handle(
    ctx: RequestContext, request: AlterReplicaLogDirsRequest
) -> AlterReplicaLogDirsResponse:
    log_dir = str(Path(ctx.config.data_dir).resolve())
    by_topic: dict[str, AlterReplicaLogDirTopicResult] = {}
    for target in request.dirs:
        code = ErrorCode.NONE if target.path == log_dir else ErrorCode.LOG_DIR_NOT_FOUND
        if not ctx.allows_cluster(AclOperation.ALTER):
            code = ErrorCode.CLUSTER_AUTHORIZATION_FAILED
        for topic in target.topics:
            result = by_topic.setdefault(topic.name, AlterReplicaLogDirTopicResult(topic_name=topic.name))
            result.partitions.extend(
                AlterReplicaLogDirPartitionResult(partition_index=number, error_code=code)
                for number in topic.partitions
            )
    return AlterReplicaLogDirsResponse(results=list(by_topic.values()))
