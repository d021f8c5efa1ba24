"""Produce: acknowledgements, codecs, timestamps and the errors a broker must answer."""

from __future__ import annotations

import time

from kafkalite.check.context import CheckContext
from kafkalite.check.registry import Failed, check, expect, expect_code
from kafkalite.client.errors import ConnectionFailed
from kafkalite.client.records import ProducerRecord, decode_records, encode_batch
from kafkalite.protocol.compression import CODECS
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.records import CRC_OFFSET

LATEST, EARLIEST = -1, -2


def read_back(
    ctx: CheckContext, topic: str, offset: int = 0, *, partition: int = 0, isolation_level: int = 0
):
    part = ctx.fetch(topic, offset, partition=partition, isolation_level=isolation_level)
    expect_code(part.error_code, ErrorCode.NONE, f"Fetch {topic}-{partition}@{offset}")
    return part, decode_records(
        part.records, topic=topic, partition=partition, min_offset=offset
    ).records


def _acks(ctx: CheckContext, acks: int) -> None:
    topic = ctx.create_topic()
    base = ctx.produce_ok(topic, ctx.batch(3), acks=acks)
    expect(base == 0, f"first batch got base offset {base}, expected 0")
    base = ctx.produce_ok(topic, ctx.batch(2), acks=acks)
    expect(base == 3, f"second batch got base offset {base}, expected 3")
    _, records = read_back(ctx, topic)
    expect(
        [r.offset for r in records] == [0, 1, 2, 3, 4],
        f"read offsets {[r.offset for r in records]}",
    )


@check(
    "produce",
    "acks=1: the leader answers with each batch's base offset (0, then 3 after a "
    "3-record batch) and the records read back.",
    "Kafka protocol guide, Produce API; ProduceResponse base_offset",
)
def acks_leader(ctx: CheckContext) -> None:
    _acks(ctx, 1)


@check(
    "produce",
    "acks=all (-1): answered once the in-sync replicas have the batch, with its base offset.",
    "Kafka protocol guide, Produce API; ReplicaManager.appendRecords (acks=-1)",
)
def acks_all(ctx: CheckContext) -> None:
    _acks(ctx, -1)


@check(
    "produce",
    "acks=0: the broker sends no response at all, and the records are appended "
    "(the next response on the connection answers the next request).",
    "Kafka protocol guide ('if RequiredAcks is 0 the server will not send any response'); KafkaApis.handleProduceRequest",
)
def acks_none(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    ctx.produce(topic, ctx.batch(2), acks=0)
    try:
        base = ctx.produce_ok(topic, ctx.batch(1), acks=1)  # same connection: *this* answer
    except ConnectionFailed as exc:
        if "correlation id" in str(exc):
            raise Failed(f"the broker answered the acks=0 Produce ({exc})") from None
        raise
    expect(base == 2, f"acks=1 batch after an acks=0 batch of 2 got base offset {base}, expected 2")


def _codec(ctx: CheckContext, name: str) -> None:
    topic = ctx.create_topic()
    minimum = 7 if name == "zstd" else 3
    version = ctx.require(ApiKey.PRODUCE, minimum=minimum, connection=ctx.leader(topic))
    values = [f"{name}-{i}-".encode() * 20 for i in range(5)]
    batch = encode_batch([ProducerRecord(b"k", v) for v in values], compression=CODECS[name])
    ctx.produce_ok(topic, batch, version=version)
    _, records = read_back(ctx, topic)
    expect(
        [r.value for r in records] == values,
        f"{name}: read back {len(records)} records, values differ from those produced",
    )


for _codec_name, _source in (
    ("none", "Kafka protocol guide, RecordBatch"),
    ("gzip", "Kafka CompressionType.GZIP"),
    ("snappy", "Kafka CompressionType.SNAPPY (xerial framing accepted)"),
    ("lz4", "KIP-57 (LZ4 frame format)"),
    ("zstd", "KIP-110 (zstd; Produce v7+)"),
):

    def _run(ctx: CheckContext, _name: str = _codec_name) -> None:
        _codec(ctx, _name)

    _run.__name__ = f"codec_{_codec_name}"
    check(
        "produce",
        f"A {_codec_name} batch of 5 records is stored and fetched back with the same values.",
        _source,
    )(_run)


@check(
    "produce",
    "A topic with message.timestamp.type=LogAppendTime answers log_append_time_ms "
    "(v2+) and serves the batch with timestamp type 1 and the broker's time.",
    "KIP-32; Kafka LogValidator (LogAppendTime)",
)
def log_append_time(ctx: CheckContext) -> None:
    topic = ctx.create_topic(configs={"message.timestamp.type": "LogAppendTime"})
    before = int(time.time() * 1000)
    result = ctx.produce(topic, ctx.batch(2, now_ms=1_000_000))
    expect_code(result.error_code, ErrorCode.NONE, "Produce")
    expect(
        result.log_append_time_ms >= before - 60_000,
        f"log_append_time_ms {result.log_append_time_ms}, expected the broker's clock (~{before})",
    )
    _, records = read_back(ctx, topic)
    expect(
        records and all(r.timestamp_type == 1 for r in records), "records not marked LogAppendTime"
    )
    expect(
        all(r.timestamp == result.log_append_time_ms for r in records),
        f"record timestamps {[r.timestamp for r in records]} != log_append_time_ms {result.log_append_time_ms}",
    )


@check(
    "produce",
    "On a CreateTime topic the response's log_append_time_ms is -1 and records keep "
    "the producer's timestamps.",
    "KIP-32; Kafka ProduceResponse",
)
def create_time(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    stamp = int(time.time() * 1000) - 5000
    result = ctx.produce(topic, ctx.batch(2, now_ms=stamp))
    expect_code(result.error_code, ErrorCode.NONE, "Produce")
    expect(
        result.log_append_time_ms == -1,
        f"log_append_time_ms {result.log_append_time_ms}, expected -1",
    )
    _, records = read_back(ctx, topic)
    expect(
        [r.timestamp for r in records] == [stamp, stamp],
        f"timestamps {[r.timestamp for r in records]}",
    )


@check(
    "produce",
    "A batch above the topic's max.message.bytes is rejected with MESSAGE_TOO_LARGE "
    "and nothing is appended.",
    "Kafka LogValidator / UnifiedLog.append (RecordTooLargeException)",
)
def message_too_large(ctx: CheckContext) -> None:
    topic = ctx.create_topic(configs={"max.message.bytes": "2048"})
    result = ctx.produce(topic, ctx.batch(1, value=b"x" * 8192))
    expect_code(
        result.error_code,
        ErrorCode.MESSAGE_TOO_LARGE,
        "Produce of an 8 KiB batch with max.message.bytes=2048",
    )
    expect(ctx.offset_of(topic, LATEST) == 0, "the rejected batch was appended")


@check(
    "produce",
    "A batch whose CRC-32C does not match is rejected with CORRUPT_MESSAGE and nothing "
    "is appended.",
    "Kafka DefaultRecordBatch.ensureValid; LogValidator (CorruptRecordException)",
)
def corrupt_crc(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    batch = bytearray(ctx.batch(2))
    batch[CRC_OFFSET] ^= 0xFF
    result = ctx.produce(topic, bytes(batch))
    expect_code(result.error_code, ErrorCode.CORRUPT_MESSAGE, "Produce with a bad CRC")
    expect(ctx.offset_of(topic, LATEST) == 0, "the corrupt batch was appended")


@check(
    "produce",
    "A record without a key on a compacted topic is rejected with INVALID_RECORD; "
    "Produce v8+ names the record in record_errors.",
    "KIP-467; Kafka LogValidator.validateKey (compacted topic requires keys)",
)
def keyless_on_compacted(ctx: CheckContext) -> None:
    topic = ctx.create_topic(configs={"cleanup.policy": "compact"})
    batch = encode_batch([ProducerRecord(b"k", b"a"), ProducerRecord(None, b"b")])
    result = ctx.produce(topic, batch)
    expect_code(result.error_code, ErrorCode.INVALID_RECORD, "keyless record on a compacted topic")
    version = ctx.leader(topic).version_for(ApiKey.PRODUCE)
    if version >= 8:
        indexes = [e.batch_index for e in result.record_errors or []]
        expect(indexes == [1], f"record_errors name batch indexes {indexes}, expected [1]")
    expect(ctx.offset_of(topic, LATEST) == 0, "a batch with an invalid record was partly appended")


@check(
    "produce",
    "A batch whose records' offset deltas are not 0..n-1 is rejected with INVALID_RECORD.",
    "Kafka LogValidator (inner record offsets must be consecutive)",
)
def bad_offset_deltas(ctx: CheckContext) -> None:
    from kafkalite.protocol import record_codec
    from kafkalite.protocol.record_codec import Record

    topic = ctx.create_topic()
    now = int(time.time() * 1000)
    batch = record_codec.encode_batch(
        [Record(0, now, b"k", b"a", ()), Record(5, now, b"k", b"b", ())], base_offset=0
    )
    result = ctx.produce(topic, batch)
    expect_code(
        result.error_code,
        (ErrorCode.INVALID_RECORD, ErrorCode.CORRUPT_MESSAGE),
        "batch with offset deltas 0, 5",
    )


@check(
    "produce",
    "A timestamp older than the topic's message.timestamp.before.max.ms is rejected "
    "with INVALID_TIMESTAMP.",
    "KIP-937; Kafka LogValidator.validateTimestamp",
)
def invalid_timestamp(ctx: CheckContext) -> None:
    topic = ctx.create_topic(configs={"message.timestamp.before.max.ms": "3600000"})
    result = ctx.produce(topic, ctx.batch(1, now_ms=1_000))
    expect_code(result.error_code, ErrorCode.INVALID_TIMESTAMP, "a record from 1970")


@check(
    "produce",
    "Produce to a topic that does not exist answers UNKNOWN_TOPIC_OR_PARTITION "
    "(Produce never auto-creates).",
    "Kafka ReplicaManager.appendRecords",
)
def unknown_topic(ctx: CheckContext) -> None:
    from kafkalite.protocol.messages.produce import (
        ProducePartitionData,
        ProduceRequest,
        ProduceTopicData,
    )

    name = ctx.unique()
    ctx.adopt_topic(name)
    conn = ctx.connection()
    version = ctx.require(ApiKey.PRODUCE, minimum=3, connection=conn)
    request = ProduceRequest(
        acks=-1,
        timeout_ms=5000,
        topic_data=[
            ProduceTopicData(
                name=name, partition_data=[ProducePartitionData(index=0, records=ctx.batch(1))]
            )
        ],
    )
    response = ctx.call(conn, ApiKey.PRODUCE, request, version)
    code = response.responses[0].partition_responses[0].error_code
    expect_code(code, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, f"Produce to unknown topic {name}")


@check(
    "produce",
    "Produce to a partition beyond the topic's count answers UNKNOWN_TOPIC_OR_PARTITION.",
    "Kafka ReplicaManager.appendRecords",
)
def unknown_partition(ctx: CheckContext) -> None:
    from kafkalite.protocol.messages.produce import (
        ProducePartitionData,
        ProduceRequest,
        ProduceTopicData,
    )

    topic = ctx.create_topic()
    conn = ctx.leader(topic)
    version = ctx.require(ApiKey.PRODUCE, minimum=3, connection=conn)
    request = ProduceRequest(
        acks=-1,
        timeout_ms=5000,
        topic_data=[
            ProduceTopicData(
                name=topic, partition_data=[ProducePartitionData(index=7, records=ctx.batch(1))]
            )
        ],
    )
    response = ctx.call(conn, ApiKey.PRODUCE, request, version)
    code = response.responses[0].partition_responses[0].error_code
    expect_code(
        code,
        (ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.NOT_LEADER_OR_FOLLOWER),
        f"Produce to {topic}-7",
    )


@check(
    "produce",
    "Record keys, values, null values and headers come back byte for byte.",
    "Kafka protocol guide, Record (headers: KIP-82)",
)
def record_fields(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    sent = [
        ProducerRecord(b"\x00key", b"\xffvalue", (("h1", b"\x01"), ("h2", None))),
        ProducerRecord(None, None),
        ProducerRecord(b"", b"", (("", b""),)),
    ]
    ctx.produce_ok(topic, encode_batch(sent))
    _, records = read_back(ctx, topic)
    got = [(r.key, r.value, r.headers) for r in records]
    want = [(r.key, r.value, r.headers) for r in sent]
    expect(got == want, f"read back {got}, produced {want}")
