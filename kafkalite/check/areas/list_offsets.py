"""ListOffsets: earliest, latest, by timestamp and max timestamp."""

from __future__ import annotations

import time

from kafkalite.check.context import CheckContext
from kafkalite.check.registry import check, expect, expect_code
from kafkalite.client.records import ProducerRecord, encode_batch
from kafkalite.protocol.compression import CODECS
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey

LATEST, EARLIEST, MAX_TIMESTAMP = -1, -2, -3


def _timed_topic(ctx: CheckContext, codec: str = "gzip") -> tuple[str, int]:
    """A topic of two gzip batches, record timestamps base+0,10,20 then base+30,40 (and a
    late max at offset 2 of the second batch: base+100)."""
    topic = ctx.create_topic()
    base = int(time.time() * 1000) - 60_000
    first = [ProducerRecord(b"k", b"a", timestamp=base + t) for t in (0, 10, 20)]
    second = [ProducerRecord(b"k", b"b", timestamp=base + t) for t in (30, 100, 40)]
    version = ctx.require(
        ApiKey.PRODUCE, minimum=7 if codec == "zstd" else 3, connection=ctx.leader(topic)
    )
    ctx.produce_ok(topic, encode_batch(first, compression=CODECS[codec]), version=version)
    ctx.produce_ok(topic, encode_batch(second, compression=CODECS[codec]), version=version)
    return topic, base


@check(
    "list_offsets",
    "ListOffsets EARLIEST (-2) answers the log start offset (0 on a new topic).",
    "Kafka protocol guide, ListOffsets; UnifiedLog.fetchOffsetByTimestamp",
)
def earliest(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    ctx.produce_ok(topic, ctx.batch(3))
    expect(ctx.offset_of(topic, EARLIEST) == 0, "EARLIEST is not 0")


@check(
    "list_offsets",
    "ListOffsets LATEST (-1) answers the high watermark (the next offset).",
    "Kafka protocol guide, ListOffsets",
)
def latest(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    expect(ctx.offset_of(topic, LATEST) == 0, "LATEST of an empty topic is not 0")
    ctx.produce_ok(topic, ctx.batch(3))
    offset = ctx.offset_of(topic, LATEST)
    expect(offset == 3, f"LATEST {offset}, expected 3")


@check(
    "list_offsets",
    "ListOffsets by timestamp answers the first record at or after it, found "
    "inside compressed batches (not just a batch's first offset), with that record's timestamp.",
    "KIP-79; Kafka UnifiedLog.fetchOffsetByTimestamp / LogSegment.findOffsetByTimestamp",
)
def by_timestamp_in_compressed_batch(ctx: CheckContext) -> None:
    _by_timestamp(ctx, "gzip")


@check(
    "list_offsets",
    "As by_timestamp_in_compressed_batch, with zstd batches: the answer is the "
    "record's offset and timestamp, not the batch's base offset and max timestamp.",
    "KIP-79; KIP-110; Kafka LogSegment.findOffsetByTimestamp",
)
def by_timestamp_in_zstd_batch(ctx: CheckContext) -> None:
    _by_timestamp(ctx, "zstd")


def _by_timestamp(ctx: CheckContext, codec: str) -> None:
    topic, base = _timed_topic(ctx, codec)
    for target, offset, stamp in (
        (base + 15, 1 + 1, base + 20),
        (base + 5, 1, base + 10),
        (base + 35, 4, base + 100),
    ):
        result = ctx.list_offset(topic, target)
        expect_code(result.error_code, ErrorCode.NONE, f"ListOffsets at {target - base}")
        expect(
            result.offset == offset,
            f"timestamp base+{target - base}: offset {result.offset}, expected {offset}",
        )
        expect(
            result.timestamp == stamp,
            f"timestamp base+{target - base}: answered timestamp {result.timestamp - base:+d}, expected +{stamp - base}",
        )


@check(
    "list_offsets",
    "ListOffsets for a timestamp after every record answers offset -1 and timestamp -1.",
    "Kafka UnifiedLog.fetchOffsetByTimestamp (no match)",
)
def timestamp_after_all(ctx: CheckContext) -> None:
    topic, base = _timed_topic(ctx)
    result = ctx.list_offset(topic, base + 10_000_000)
    expect_code(result.error_code, ErrorCode.NONE, "ListOffsets after every record")
    expect(
        (result.offset, result.timestamp) == (-1, -1),
        f"answered offset {result.offset}, timestamp {result.timestamp}",
    )


@check(
    "list_offsets",
    "ListOffsets MAX_TIMESTAMP (-3, v7+) answers the offset and timestamp of "
    "the record with the largest timestamp, inside a compressed batch.",
    "KIP-734; Kafka UnifiedLog.fetchOffsetByTimestamp (MAX_TIMESTAMP)",
)
def max_timestamp(ctx: CheckContext) -> None:
    ctx.require(ApiKey.LIST_OFFSETS, minimum=7)
    topic, base = _timed_topic(ctx)
    result = ctx.list_offset(topic, MAX_TIMESTAMP, minimum=7)
    expect_code(result.error_code, ErrorCode.NONE, "ListOffsets MAX_TIMESTAMP")
    expect(
        (result.offset, result.timestamp) == (4, base + 100),
        f"answered offset {result.offset} timestamp {result.timestamp - base:+d}, expected 4 / +100",
    )


@check(
    "list_offsets",
    "ListOffsets for a partition the topic does not have answers UNKNOWN_TOPIC_OR_PARTITION.",
    "Kafka ReplicaManager.fetchOffset",
)
def unknown_partition(ctx: CheckContext) -> None:
    from kafkalite.protocol.messages.list_offsets import (
        ListOffsetsPartition,
        ListOffsetsRequest,
        ListOffsetsTopic,
    )

    topic = ctx.create_topic()
    conn = ctx.leader(topic)
    version = ctx.require(ApiKey.LIST_OFFSETS, minimum=1, connection=conn)
    request = ListOffsetsRequest(
        replica_id=-1,
        topics=[
            ListOffsetsTopic(
                name=topic, partitions=[ListOffsetsPartition(partition_index=9, timestamp=LATEST)]
            )
        ],
    )
    response = ctx.call(conn, ApiKey.LIST_OFFSETS, request, version)
    code = response.topics[0].partitions[0].error_code
    expect_code(
        code, (ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.NOT_LEADER_OR_FOLLOWER), f"{topic}-9"
    )
