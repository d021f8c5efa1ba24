"""Idempotent producers: sequence numbers and epochs (KIP-98, KIP-360)."""

from __future__ import annotations

from kafkalite.check.context import CheckContext
from kafkalite.check.registry import check, expect, expect_code
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey

LATEST = -1


@check(
    "idempotence",
    "InitProducerId without a transactional id gives a producer id >= 0 and epoch 0.",
    "KIP-98; Kafka ProducerIdManager",
)
def init_producer_id(ctx: CheckContext) -> None:
    pid, epoch = ctx.producer_id()
    expect(pid >= 0, f"producer id {pid}")
    expect(epoch == 0, f"epoch {epoch}, expected 0")


@check(
    "idempotence",
    "A batch resent with the same producer id, epoch and sequence is answered "
    "with the original base offset and stored once.",
    "KIP-98; Kafka ProducerStateManager / UnifiedLog.analyzeAndValidateProducerState (duplicates)",
)
def duplicate_batch(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    pid, epoch = ctx.producer_id()
    batch = ctx.batch(3, producer_id=pid, producer_epoch=epoch, base_sequence=0)
    first = ctx.produce_ok(topic, batch)
    again = ctx.produce(topic, batch)
    expect_code(
        again.error_code, (ErrorCode.NONE, ErrorCode.DUPLICATE_SEQUENCE_NUMBER), "resent batch"
    )
    if again.error_code == ErrorCode.NONE:
        expect(
            again.base_offset == first,
            f"duplicate answered base offset {again.base_offset}, expected {first}",
        )
    expect(ctx.offset_of(topic, LATEST) == 3, "the duplicate batch was appended again")


@check(
    "idempotence",
    "A batch whose sequence skips ahead (0..2, then 5) is rejected with "
    "OUT_OF_ORDER_SEQUENCE_NUMBER.",
    "KIP-98; Kafka ProducerAppendInfo.checkSequence",
)
def sequence_gap(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    pid, epoch = ctx.producer_id()
    ctx.produce_ok(topic, ctx.batch(3, producer_id=pid, producer_epoch=epoch, base_sequence=0))
    result = ctx.produce(
        topic, ctx.batch(1, producer_id=pid, producer_epoch=epoch, base_sequence=5)
    )
    expect_code(result.error_code, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, "sequence 5 after 0..2")
    expect(ctx.offset_of(topic, LATEST) == 3, "the out-of-order batch was appended")


@check(
    "idempotence",
    "A producer that bumps its epoch itself (epoch + 1, sequence 0, as the Java "
    "producer does after a timeout) is accepted; a batch at a non-zero sequence in a new epoch "
    "is rejected with OUT_OF_ORDER_SEQUENCE_NUMBER; the old epoch is then fenced with "
    "INVALID_PRODUCER_EPOCH.",
    "KIP-360; Kafka ProducerAppendInfo.checkProducerEpoch / checkSequence",
)
def epoch_bump(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    pid, epoch = ctx.producer_id()
    ctx.produce_ok(topic, ctx.batch(2, producer_id=pid, producer_epoch=epoch, base_sequence=0))
    skipped = ctx.produce(
        topic, ctx.batch(1, producer_id=pid, producer_epoch=epoch + 1, base_sequence=4)
    )
    expect_code(
        skipped.error_code,
        ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
        "new epoch starting at sequence 4",
    )
    ctx.produce_ok(topic, ctx.batch(1, producer_id=pid, producer_epoch=epoch + 1, base_sequence=0))
    stale = ctx.produce(topic, ctx.batch(1, producer_id=pid, producer_epoch=epoch, base_sequence=2))
    expect_code(
        stale.error_code,
        (ErrorCode.INVALID_PRODUCER_EPOCH, ErrorCode.PRODUCER_FENCED),
        "Produce with the old epoch",
    )
    expect(ctx.offset_of(topic, LATEST) == 3, "a rejected batch was appended")


@check(
    "idempotence",
    "DescribeProducers lists an idempotent producer with its epoch and last sequence.",
    "KIP-664; Kafka DescribeProducersResponse",
)
def describe_producers(ctx: CheckContext) -> None:
    from kafkalite.protocol.messages.describe_producers import (
        DescribeProducersRequest,
        DescribeProducersTopicRequest,
    )

    topic = ctx.create_topic()
    conn = ctx.leader(topic)
    version = ctx.require(ApiKey.DESCRIBE_PRODUCERS, connection=conn)
    pid, epoch = ctx.producer_id()
    ctx.produce_ok(topic, ctx.batch(4, producer_id=pid, producer_epoch=epoch, base_sequence=0))
    response = ctx.call(
        conn,
        ApiKey.DESCRIBE_PRODUCERS,
        DescribeProducersRequest(
            topics=[DescribeProducersTopicRequest(name=topic, partition_indexes=[0])]
        ),
        version,
    )
    part = response.topics[0].partitions[0]
    expect_code(part.error_code, ErrorCode.NONE, "DescribeProducers")
    states = {p.producer_id: p for p in part.active_producers}
    expect(pid in states, f"producer {pid} not listed (listed: {sorted(states)})")
    expect(states[pid].last_sequence == 3, f"last_sequence {states[pid].last_sequence}, expected 3")
    expect(
        states[pid].producer_epoch == epoch, f"epoch {states[pid].producer_epoch}, expected {epoch}"
    )
