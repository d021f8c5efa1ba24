"""Fetch: long polls, isolation levels, size limits (KIP-74), errors and sessions (KIP-227)."""

from __future__ import annotations

import threading
import time

from kafkalite.check.areas.produce import read_back
from kafkalite.check.areas.transactions import Txn
from kafkalite.check.context import CheckContext
from kafkalite.check.registry import Failed, Skip, check, expect, expect_code
from kafkalite.client.records import ProducerRecord, decode_records, encode_batch
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.fetch import FetchPartition, FetchRequest, FetchTopic
from kafkalite.protocol.records import read_header


@check(
    "fetch",
    "A Fetch waiting at the log end (max_wait_ms 8000, min_bytes 1) returns as soon "
    "as a record is appended, well before max_wait_ms, with that record.",
    "Kafka DelayedFetch (woken by ReplicaManager on append); protocol guide, Fetch max_wait_ms",
)
def long_poll_woken_by_append(ctx: CheckContext) -> str:
    topic = ctx.create_topic()
    ctx.produce_ok(topic, ctx.batch(1))
    conn = ctx.new_connection()  # the waiting fetch has a connection of its own
    conn2 = ctx.leader(topic)
    errors: list[BaseException] = []

    def append_later() -> None:
        try:
            time.sleep(0.5)
            ctx.produce_ok(topic, ctx.batch(1, value=b"late"))
        except BaseException as exc:  # reported below
            errors.append(exc)

    producer = threading.Thread(target=append_later, daemon=True)
    started = time.monotonic()
    producer.start()
    leader_host, leader_port = conn2.host, conn2.port
    if (conn.host, conn.port) != (leader_host, leader_port):
        conn = ctx.new_connection(leader_host, leader_port)
    part = ctx.fetch(topic, 1, max_wait_ms=8000, connection=conn)
    elapsed = time.monotonic() - started
    producer.join(10)
    if errors:
        raise Failed(f"the append during the long poll failed: {errors[0]}")
    records = decode_records(part.records, topic=topic, min_offset=1).records
    expect(
        records and records[0].value == b"late0",
        f"the fetch returned {len(records)} records after {elapsed:.2f} s (the append came at "
        "0.5 s): it did not wait for data",
    )
    expect(
        elapsed < 6.0,
        f"the fetch returned after {elapsed:.1f} s: not woken by the append (max_wait 8 s)",
    )
    return f"returned {elapsed:.2f} s after start (append at 0.5 s)"


@check(
    "fetch",
    "A Fetch with max_wait_ms 0 answers at once with the data that is there (every requested "
    "partition is in the answer of a sessionless fetch).",
    "Kafka protocol guide, Fetch (max_wait_ms); KafkaApis.handleFetchRequest",
)
def zero_wait_returns_data(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    ctx.produce_ok(topic, ctx.batch(2))
    part = ctx.fetch(topic, 0, max_wait_ms=0)
    expect_code(part.error_code, ErrorCode.NONE, "Fetch with max_wait_ms 0")
    offsets = [r.offset for r in decode_records(part.records).records]
    expect(offsets == [0, 1], f"a max_wait_ms 0 fetch returned offsets {offsets}, expected [0, 1]")


@check(
    "fetch",
    "A Fetch with nothing to return waits about max_wait_ms (300 ms) and answers an "
    "empty partition, neither at once nor much later.",
    "Kafka DelayedFetch; protocol guide, Fetch",
)
def empty_fetch_waits(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    started = time.monotonic()
    part = ctx.fetch(topic, 0, max_wait_ms=300)
    elapsed = time.monotonic() - started
    expect_code(part.error_code, ErrorCode.NONE, "Fetch")
    expect(not decode_records(part.records).records, "records in an empty topic")
    expect(0.2 <= elapsed <= 5.0, f"answered after {elapsed:.2f} s, expected about 0.3 s")


@check(
    "fetch",
    "A Fetch above the high watermark answers OFFSET_OUT_OF_RANGE.",
    "Kafka UnifiedLog.read (OffsetOutOfRangeException); protocol guide, Fetch errors",
)
def offset_out_of_range(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    ctx.produce_ok(topic, ctx.batch(2))
    part = ctx.fetch(topic, 100)
    expect_code(part.error_code, ErrorCode.OFFSET_OUT_OF_RANGE, "Fetch at offset 100 of 2")


@check(
    "fetch",
    "A Fetch at exactly the high watermark is no error: it answers no records.",
    "Kafka UnifiedLog.read",
)
def fetch_at_high_watermark(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    ctx.produce_ok(topic, ctx.batch(2))
    part = ctx.fetch(topic, 2)
    expect_code(part.error_code, ErrorCode.NONE, "Fetch at the high watermark")
    expect(part.high_watermark == 2, f"high_watermark {part.high_watermark}, expected 2")


@check(
    "fetch",
    "The first batch is returned whole even when larger than partition_max_bytes and "
    "max_bytes, so a consumer always makes progress.",
    "KIP-74; Kafka ReplicaManager.readFromLog (minOneMessage)",
)
def oversize_first_batch(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    value = bytes(range(256)) * 256  # 64 KiB, incompressible enough uncompressed
    ctx.produce_ok(topic, encode_batch([ProducerRecord(b"k", value)]))
    part = ctx.fetch(topic, 0, max_bytes=1024, partition_max_bytes=1024)
    expect_code(part.error_code, ErrorCode.NONE, "Fetch with 1 KiB limits")
    records = decode_records(part.records).records
    expect(
        len(records) == 1 and records[0].value == value,
        f"got {len(part.records or b'')} bytes, {len(records)} complete records; expected the 64 KiB batch",
    )


@check(
    "fetch",
    "partition_max_bytes limits a partition to the batches that fit after the first.",
    "KIP-74; Kafka ReplicaManager.readFromLog",
)
def partition_max_bytes(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    for _ in range(5):
        ctx.produce_ok(topic, encode_batch([ProducerRecord(b"k", b"x" * 2000)]))
    part = ctx.fetch(topic, 0, partition_max_bytes=5000)
    records = decode_records(part.records).records
    expect(1 <= len(records) <= 3, f"{len(records)} records of ~2 KB each under a 5000-byte limit")


@check(
    "fetch",
    "A Fetch from an offset inside a batch answers from the start of that batch "
    "(whole batches; the consumer skips earlier records).",
    "Kafka protocol guide, Fetch ('the "
    "client must ignore messages with offsets below the requested offset'); FileRecords.slice",
)
def fetch_inside_batch(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    ctx.produce_ok(topic, ctx.batch(5))
    part = ctx.fetch(topic, 3)
    expect_code(part.error_code, ErrorCode.NONE, "Fetch at offset 3")
    data = bytes(part.records or b"")
    expect(len(data) >= 61, "no batch returned")
    base = read_header(memoryview(data), 0).base_offset
    expect(base <= 3, f"first batch starts at {base}, after the fetch offset 3")
    offsets = [r.offset for r in decode_records(data, min_offset=3).records]
    expect(offsets == [3, 4], f"records at and after 3: {offsets}")


@check(
    "fetch",
    "Fetch answers high_watermark and log_start_offset (v5+) for the partition.",
    "KIP-107; Kafka FetchResponse",
)
def watermarks(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    ctx.produce_ok(topic, ctx.batch(4))
    part = ctx.fetch(
        topic, 0, version=ctx.require(ApiKey.FETCH, minimum=5, connection=ctx.leader(topic))
    )
    expect(part.high_watermark == 4, f"high_watermark {part.high_watermark}, expected 4")
    expect(part.log_start_offset == 0, f"log_start_offset {part.log_start_offset}, expected 0")


@check(
    "fetch",
    "read_uncommitted fetches see an open transaction's records; read_committed stops "
    "at the last stable offset before them.",
    "KIP-98; Kafka FetchRequest isolation_level",
)
def isolation_levels(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    ctx.produce_ok(topic, ctx.batch(1))
    txn = Txn(ctx)
    try:
        expect_code(txn.add_partitions(topic), ErrorCode.NONE, "AddPartitionsToTxn")
        expect_code(txn.produce(topic, 2).error_code, ErrorCode.NONE, "transactional Produce")
        _, uncommitted = read_back(ctx, topic)
        _, committed = read_back(ctx, topic, isolation_level=1)
        expect(
            [r.offset for r in uncommitted] == [0, 1, 2],
            f"read_uncommitted saw {[r.offset for r in uncommitted]}",
        )
        expect(
            [r.offset for r in committed] == [0],
            f"read_committed saw {[r.offset for r in committed]}",
        )
    finally:
        txn.end(False)


@check(
    "fetch",
    "A Fetch for a topic that does not exist answers UNKNOWN_TOPIC_OR_PARTITION.",
    "Kafka ReplicaManager.readFromLocalLog",
)
def unknown_topic(ctx: CheckContext) -> None:
    name = ctx.unique()
    ctx.adopt_topic(name)
    conn = ctx.connection()
    version = ctx.require(ApiKey.FETCH, minimum=4, connection=conn)
    request = FetchRequest(
        replica_id=-1,
        max_wait_ms=0,
        min_bytes=1,
        max_bytes=1 << 20,
        session_id=0,
        session_epoch=-1,
        topics=[
            FetchTopic(
                topic=name,
                partitions=[
                    FetchPartition(partition=0, fetch_offset=0, partition_max_bytes=1 << 20)
                ],
            )
        ],
    )
    response = ctx.call(conn, ApiKey.FETCH, request, version)
    codes = [p.error_code for t in response.responses for p in t.partitions]
    expect(codes, f"no partition answered (top-level error {response.error_code})")
    expect_code(
        codes[0],
        (ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.UNKNOWN_TOPIC_ID),
        f"Fetch {name}",
    )


def _session_fetch(ctx: CheckContext, topic: str, session_id: int, epoch: int, partitions: bool):
    conn = ctx.leader(topic)
    version = ctx.require(ApiKey.FETCH, minimum=7, connection=conn)
    topics = (
        [
            FetchTopic(
                topic=topic,
                partitions=[
                    FetchPartition(partition=0, fetch_offset=0, partition_max_bytes=1 << 20)
                ],
            )
        ]
        if partitions
        else []
    )
    request = FetchRequest(
        replica_id=-1,
        max_wait_ms=0,
        min_bytes=0,
        max_bytes=1 << 20,
        session_id=session_id,
        session_epoch=epoch,
        topics=topics,
    )
    return ctx.call(conn, ApiKey.FETCH, request, version)


@check(
    "fetch",
    "A full Fetch with session_epoch 0 creates a fetch session (non-zero session id); "
    "an incremental fetch (epoch 1, no partitions) then answers only partitions with news.",
    "KIP-227; Kafka FetchSession / FetchSessionCache",
)
def fetch_session(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    ctx.produce_ok(topic, ctx.batch(2))
    first = _session_fetch(ctx, topic, 0, 0, True)
    expect_code(first.error_code, ErrorCode.NONE, "session-creating Fetch")
    if first.session_id == 0:
        raise Skip(
            "the broker answered session id 0: it does not cache fetch sessions (allowed by KIP-227)"
        )
    again = _session_fetch(ctx, topic, first.session_id, 1, False)
    expect_code(again.error_code, ErrorCode.NONE, "incremental Fetch")
    expect(
        again.session_id == first.session_id,
        f"session id changed {first.session_id} -> {again.session_id}",
    )
    returned = [p for t in again.responses for p in t.partitions]
    expect(
        all(p.high_watermark == 2 for p in returned),
        f"an incremental fetch with no news answered {[(p.partition_index, p.high_watermark) for p in returned]}",
    )


@check(
    "fetch",
    "An incremental Fetch with a wrong session epoch answers INVALID_FETCH_SESSION_EPOCH; "
    "one for an unknown session id FETCH_SESSION_ID_NOT_FOUND.",
    "KIP-227; Kafka FetchSessionCache",
)
def fetch_session_errors(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    first = _session_fetch(ctx, topic, 0, 0, True)
    if first.session_id == 0:
        raise Skip("the broker does not cache fetch sessions (session id 0)")
    wrong = _session_fetch(ctx, topic, first.session_id, 5, False)
    expect_code(
        wrong.error_code,
        ErrorCode.INVALID_FETCH_SESSION_EPOCH,
        "Fetch at session epoch 5 (expected 1)",
    )
    unknown = _session_fetch(ctx, topic, (first.session_id % 2_000_000_000) + 7, 1, False)
    expect_code(
        unknown.error_code, ErrorCode.FETCH_SESSION_ID_NOT_FOUND, "Fetch in an unknown session"
    )
