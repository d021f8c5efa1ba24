"""DescribeLogDirs (api key 35), served v0-v4.

One log directory: the data directory's absolute path. A null topic list means every
partition; otherwise the partitions asked for that exist (others are left out, as Kafka does).
Per partition: its size in bytes (its segments' ``.log`` files, as Kafka's ``UnifiedLog.size``),
offset_lag 0 (no future replica is ever being moved in) and is_future_key false.

Version notes: v0 (removed in Kafka 4, KIP-896) served as Kafka 3.x served it; v1 same as
v0; v2 flexible; v3 top-level error_code; v4 total_bytes and usable_bytes of the directory's
file system (``os.statvfs``; KIP-827).
"""

from __future__ import annotations

import os

from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages.describe_log_dirs import (
    DescribeLogDirsPartition,
    DescribeLogDirsRequest,
    DescribeLogDirsResponse,
    DescribeLogDirsResult,
    DescribeLogDirsTopic,
)
from kafkalite.security.acls import AclOperation
from kafkalite.storage.log import PartitionLog


async def handle(ctx: RequestContext, request: DescribeLogDirsRequest) -> DescribeLogDirsResponse:
    if not ctx.allows_cluster(AclOperation.DESCRIBE):
        # KafkaApis.handleDescribeLogDirsRequest: nothing, with the error from v3.
        return DescribeLogDirsResponse(error_code=ErrorCode.CLUSTER_AUTHORIZATION_FAILED)
    logs = ctx.cluster.logs
    topics = logs.topics()
    selected: dict[str, list[PartitionLog]] = {}
    if request.topics is None:
        for name, info in sorted(topics.items()):
            selected[name] = list(info.partitions)
    else:
        for wanted in request.topics:
            found = topics.get(wanted.topic)
            if found is None:
                continue
            chosen = selected.setdefault(wanted.topic, [])
            for index in wanted.partitions:
                if 0 <= index < len(found.partitions) and found.partitions[index] not in chosen:
                    chosen.append(found.partitions[index])
    directory = logs.data_dir.resolve()
    result = DescribeLogDirsResult(log_dir=str(directory))
    for name, partitions in selected.items():
        if not partitions:
            continue
        result.topics.append(
            DescribeLogDirsTopic(
                name=name,
                partitions=[
                    DescribeLogDirsPartition(
                        partition_index=log.partition, partition_size=log.size_bytes
                    )
                    for log in partitions
                ],
            )
        )
    if ctx.version >= 4:
        stats = os.statvfs(directory)
        result.total_bytes = stats.f_blocks * stats.f_frsize
        result.usable_bytes = stats.f_bavail * stats.f_frsize
    return DescribeLogDirsResponse(results=[result])
