"""Produce over real sockets: every served version, every refusal, idempotent producers.

v0-v2 are advertised but answered UNSUPPORTED_VERSION on every partition (KIP-896); v3-v11
append exactly one RecordBatch v2 per partition. Each refusal leaves the log untouched,
which the tests check through the log end offset.
"""

from __future__ import annotations

import socket
import struct
import time
from pathlib import Path

import crc32c
import pytest
import zstandard

from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.api_versions import ApiVersionsRequest
from kafkalite.protocol.messages.fetch import FetchPartition, FetchRequest, FetchTopic
from kafkalite.protocol.messages.init_producer_id import InitProducerIdRequest
from kafkalite.protocol.messages.produce import (
    ProducePartitionData,
    ProducePartitionResponse,
    ProduceRequest,
    ProduceTopicData,
)
from tests.conftest import BrokerThread
from tests.unit.batches import record_batch
from tests.unit.handlers.admin_wire import create_topic, running_broker
from tests.unit.server.kafka_wire import call, read_response, request_frame

E = ErrorCode
Address = tuple[str, int]
SERVED = range(3, 12)
TS = 1_700_000_000_000  # record_batch's default base timestamp
LOG_APPEND_TIME_FLAG = 0x08
ZSTD = 4


# --- helpers --------------------------------------------------------------------------


def produce_request(
    topics: dict[str, dict[int, bytes | None]], *, acks: int = -1
) -> ProduceRequest:
    return ProduceRequest(
        acks=acks,
        timeout_ms=5000,
        topic_data=[
            ProduceTopicData(
                name=name,
                partition_data=[
                    ProducePartitionData(index=index, records=records)
                    for index, records in partitions.items()
                ],
            )
            for name, partitions in topics.items()
        ],
    )


def produce_all(
    address: Address,
    version: int,
    topics: dict[str, dict[int, bytes | None]],
    *,
    acks: int = -1,
) -> dict[tuple[str, int], ProducePartitionResponse]:
    response = call(address, ApiKey.PRODUCE, version, produce_request(topics, acks=acks))
    assert response.throttle_time_ms == 0
    return {
        (topic.name, part.index): part
        for topic in response.responses
        for part in topic.partition_responses
    }


def produce(
    address: Address,
    topic: str,
    records: bytes | None,
    *,
    version: int = 9,
    partition: int = 0,
    acks: int = -1,
) -> ProducePartitionResponse:
    answers = produce_all(address, version, {topic: {partition: records}}, acks=acks)
    assert list(answers) == [(topic, partition)]
    return answers[topic, partition]


def summary(part: ProducePartitionResponse) -> tuple[int, int, int, int]:
    return part.error_code, part.base_offset, part.log_append_time_ms, part.log_start_offset


def log_end(broker: BrokerThread, topic: str, partition: int = 0) -> int:
    return broker.call(lambda: broker.broker.cluster.partition(topic, partition).log_end_offset)


def stored(address: Address, topic: str, partition: int = 0, offset: int = 0) -> bytes:
    """The record bytes a consumer gets back from ``offset`` (Fetch v12)."""
    request = FetchRequest(
        max_wait_ms=0,
        min_bytes=0,
        max_bytes=1 << 20,
        topics=[
            FetchTopic(
                topic=topic,
                partitions=[
                    FetchPartition(
                        partition=partition, fetch_offset=offset, partition_max_bytes=1 << 20
                    )
                ],
            )
        ],
    )
    part = call(address, ApiKey.FETCH, 12, request).responses[0].partitions[0]
    assert part.error_code == E.NONE
    return bytes(part.records)


def placed(batch: bytes, base_offset: int) -> bytes:
    """``batch`` as the broker stores it: base offset and leader epoch 0 stamped."""
    out = bytearray(batch)
    struct.pack_into(">q", out, 0, base_offset)
    struct.pack_into(">i", out, 12, 0)
    return bytes(out)


def refresh_crc(batch: bytes) -> bytes:
    return batch[:17] + struct.pack(">I", crc32c.crc32c(batch[21:])) + batch[21:]


def with_field(batch: bytes, offset: int, fmt: str, value: int, *, crc: bool = True) -> bytes:
    """``batch`` with one header field rewritten, its CRC recomputed unless ``crc`` is false."""
    out = bytearray(batch)
    struct.pack_into(fmt, out, offset, value)
    return refresh_crc(bytes(out)) if crc else bytes(out)


def zstd_batch(records: list[tuple[bytes | None, bytes | None]]) -> bytes:
    plain = record_batch(records)
    body = zstandard.ZstdCompressor().compress(plain[61:])
    head = bytearray(plain[:61])
    struct.pack_into(">i", head, 8, 49 + len(body))
    struct.pack_into(">h", head, 21, ZSTD)
    return refresh_crc(bytes(head) + body)


def init_producer_id(
    address: Address, *, producer_id: int = -1, epoch: int = -1
) -> tuple[int, int]:
    response = call(
        address,
        ApiKey.INIT_PRODUCER_ID,
        4,
        InitProducerIdRequest(
            transaction_timeout_ms=60_000, producer_id=producer_id, producer_epoch=epoch
        ),
    )
    assert response.error_code == E.NONE
    return response.producer_id, response.producer_epoch


def idempotent(pid: int, epoch: int, sequence: int, count: int = 1, tag: bytes = b"v") -> bytes:
    return record_batch(
        [(None, tag + b"-%d" % (sequence + i)) for i in range(count)],
        producer_id=pid,
        producer_epoch=epoch,
        base_sequence=sequence,
    )


def closed_by_peer(sock: socket.socket) -> bool:
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


# --- versions ---------------------------------------------------------------------------


@pytest.mark.parametrize("version", [0, 1, 2])
def test_v0_to_v2_get_unsupported_version_on_every_partition(broker_thread, version: int) -> None:
    address = broker_thread.address
    create_topic(address, "old", partitions=2)
    answers = produce_all(
        address,
        version,
        {
            "old": {0: record_batch([(None, b"a")]), 1: None},
            "missing": {0: record_batch([(None, b"b")])},
        },
    )
    assert {tp: summary(p) for tp, p in answers.items()} == {
        ("old", 0): (E.UNSUPPORTED_VERSION, -1, -1, -1),
        ("old", 1): (E.UNSUPPORTED_VERSION, -1, -1, -1),
        ("missing", 0): (E.UNSUPPORTED_VERSION, -1, -1, -1),
    }
    assert [log_end(broker_thread, "old", p) for p in (0, 1)] == [0, 0]
    assert broker_thread.call(broker_thread.broker.cluster.partition, "missing", 0) is None


@pytest.mark.parametrize("version", SERVED)
def test_served_versions_append_and_answer_offsets(broker_thread, version: int) -> None:
    address = broker_thread.address
    create_topic(address, "t", partitions=2)
    first = record_batch([(b"k0", b"v0"), (None, b"v1"), (b"k2", None)])
    second = record_batch([(b"k", b"v", [("h", b"1")]), (b"k", b"w")], timestamp=TS + 10)
    other = record_batch([(None, b"elsewhere")])

    answers = produce_all(address, version, {"t": {0: first, 1: other}})
    start = 0 if version >= 5 else -1  # log_start_offset is on the wire from v5
    assert {tp: summary(p) for tp, p in answers.items()} == {
        ("t", 0): (E.NONE, 0, -1, start),
        ("t", 1): (E.NONE, 0, -1, start),
    }
    assert summary(produce(address, "t", second, version=version)) == (E.NONE, 3, -1, start)
    for part in answers.values():
        assert (part.error_message, part.record_errors) == (None, [])

    assert [log_end(broker_thread, "t", p) for p in (0, 1)] == [5, 1]
    assert stored(address, "t") == placed(first, 0) + placed(second, 3)
    assert stored(address, "t", 1) == placed(other, 0)


def test_log_start_offset_reports_the_moved_start(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "trimmed")
    for _ in range(3):
        produce(address, "trimmed", record_batch([(None, b"x")]))
    broker_thread.call(lambda: broker_thread.broker.cluster.partition("trimmed", 0).delete_records(2))
    batch = record_batch([(None, b"y")])
    assert summary(produce(address, "trimmed", batch, version=5)) == (E.NONE, 3, -1, 2)
    assert summary(produce(address, "trimmed", batch, version=4)) == (E.NONE, 4, -1, -1)


# --- LogAppendTime ----------------------------------------------------------------------


def assert_log_append_time(
    stored_batch: bytes, sent: bytes, base_offset: int, append_ms: int
) -> None:
    """Only the timestamp-type bit, maxTimestamp and the CRC differ from what was sent."""
    (attributes,) = struct.unpack_from(">h", stored_batch, 21)
    base_ts, max_ts = struct.unpack_from(">qq", stored_batch, 27)
    (crc,) = struct.unpack_from(">I", stored_batch, 17)
    assert attributes == LOG_APPEND_TIME_FLAG
    assert (base_ts, max_ts) == (TS, append_ms)
    assert crc == crc32c.crc32c(stored_batch[21:])
    expected = bytearray(placed(sent, base_offset))
    struct.pack_into(">Ih", expected, 17, crc, LOG_APPEND_TIME_FLAG)
    struct.pack_into(">q", expected, 35, append_ms)
    assert stored_batch == bytes(expected)


@pytest.mark.parametrize("version", [3, 5, 8, 11])
def test_log_append_time_topic_config(broker_thread, version: int) -> None:
    address = broker_thread.address
    assert (
        create_topic(address, "lat", configs={"message.timestamp.type": "LogAppendTime"}).error_code
        == 0
    )
    create_topic(address, "ct")
    sent = record_batch([(None, b"a"), (None, b"b")])
    before = int(time.time() * 1000)
    part = produce(address, "lat", sent, version=version)
    after = int(time.time() * 1000)
    assert (part.error_code, part.base_offset) == (E.NONE, 0)
    assert before <= part.log_append_time_ms <= after
    assert_log_append_time(stored(address, "lat"), sent, 0, part.log_append_time_ms)

    # The same batch on a CreateTime topic is stored as sent.
    assert summary(produce(address, "ct", sent, version=version))[:3] == (E.NONE, 0, -1)
    assert stored(address, "ct") == placed(sent, 0)


def test_log_append_time_broker_default(tmp_path: Path) -> None:
    with running_broker(tmp_path, **{"log.message.timestamp.type": "LogAppendTime"}) as broker:
        address = broker.address
        create_topic(address, "by-default")
        first = record_batch([(None, b"1")])
        second = record_batch([(None, b"2"), (None, b"3")], timestamp=TS + 5)
        one = produce(address, "by-default", first)
        two = produce(address, "by-default", second, version=11)
        assert (one.base_offset, two.base_offset) == (0, 1)
        assert 0 < one.log_append_time_ms <= two.log_append_time_ms
        data = stored(address, "by-default")
        assert_log_append_time(data[: len(first)], first, 0, one.log_append_time_ms)
        stamped_second = data[len(first) :]
        # second batch: its own base timestamp stays, max timestamp is the append time
        assert struct.unpack_from(">hiqq", stamped_second, 21) == (
            LOG_APPEND_TIME_FLAG,
            1,
            TS + 5,
            two.log_append_time_ms,
        )
        assert struct.unpack_from(">I", stamped_second, 17)[0] == crc32c.crc32c(stamped_second[21:])


def test_log_append_time_duplicate_answers_the_original_time(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "lat", configs={"message.timestamp.type": "LogAppendTime"})
    pid, epoch = init_producer_id(address)
    batch = idempotent(pid, epoch, 0, 2)
    first = produce(address, "lat", batch)
    time.sleep(0.01)
    retry = produce(address, "lat", batch)
    assert summary(retry) == summary(first)
    assert log_end(broker_thread, "lat") == 2


# --- acks ---------------------------------------------------------------------------------


@pytest.mark.parametrize("version", [3, 11])
def test_acks_zero_sends_nothing_and_appends(broker_thread, version: int) -> None:
    address = broker_thread.address
    create_topic(address, "quiet")
    batch = record_batch([(None, b"fire"), (None, b"forget")])
    with socket.create_connection(address, timeout=10) as sock:
        sock.sendall(
            request_frame(
                ApiKey.PRODUCE, version, produce_request({"quiet": {0: batch}}, acks=0), 1
            )
        )
        sock.sendall(request_frame(ApiKey.API_VERSIONS, 0, ApiVersionsRequest(), correlation_id=2))
        correlation_id, _ = read_response(sock, ApiKey.API_VERSIONS, 0)
        assert correlation_id == 2  # the first frame back answers the second request
    assert log_end(broker_thread, "quiet") == 2
    assert stored(address, "quiet") == placed(batch, 0)


def test_acks_zero_with_a_partition_error_closes_the_connection(broker_thread) -> None:
    """With acks=0 the producer reads no answer, so Kafka's KafkaApis closes the connection
    when any partition failed: the client then reconnects and refreshes its metadata."""
    request = produce_request({"nowhere": {0: record_batch([(None, b"lost")])}}, acks=0)
    with socket.create_connection(broker_thread.address, timeout=10) as sock:
        sock.sendall(request_frame(ApiKey.PRODUCE, 9, request, correlation_id=1))
        sock.sendall(request_frame(ApiKey.API_VERSIONS, 0, ApiVersionsRequest(), correlation_id=2))
        assert closed_by_peer(sock)


@pytest.mark.parametrize("acks", [2, -2, 5])
def test_invalid_acks(broker_thread, acks: int) -> None:
    address = broker_thread.address
    create_topic(address, "t", partitions=2)
    batch = record_batch([(None, b"x")])
    answers = produce_all(address, 9, {"t": {0: batch, 1: batch}}, acks=acks)
    assert {tp: summary(p) for tp, p in answers.items()} == {
        ("t", 0): (E.INVALID_REQUIRED_ACKS, -1, -1, -1),
        ("t", 1): (E.INVALID_REQUIRED_ACKS, -1, -1, -1),
    }
    assert [log_end(broker_thread, "t", p) for p in (0, 1)] == [0, 0]


# --- unknown topics -------------------------------------------------------------------


@pytest.mark.parametrize("version", [3, 9, 11])
def test_unknown_topic_or_partition_is_not_created(broker_thread, version: int) -> None:
    address = broker_thread.address
    create_topic(address, "known")
    batch = record_batch([(None, b"x")])
    answers = produce_all(address, version, {"known": {0: batch, 1: batch}, "unknown": {0: batch}})
    start = 0 if version >= 5 else -1
    assert {tp: summary(p) for tp, p in answers.items()} == {
        ("known", 0): (E.NONE, 0, -1, start),
        ("known", 1): (E.UNKNOWN_TOPIC_OR_PARTITION, -1, -1, -1),
        ("unknown", 0): (E.UNKNOWN_TOPIC_OR_PARTITION, -1, -1, -1),
    }
    assert sorted(broker_thread.call(broker_thread.broker.cluster.topics)) == ["known"]


# --- malformed batches -------------------------------------------------------------------


def batch_for_errors() -> bytes:
    return record_batch([(b"key", b"value-0"), (b"key", b"value-1")])


def corrupt_cases() -> dict[str, bytes]:
    good = batch_for_errors()
    flipped = bytearray(good)
    flipped[-3] ^= 0xFF  # a record byte: covered by the CRC
    return {
        "record-byte-flipped": bytes(flipped),
        "crc-field-wrong": with_field(good, 17, ">I", 0x12345678, crc=False),
        "attributes-changed-without-crc": with_field(good, 21, ">h", 0x0001, crc=False),
        "truncated-by-one": good[:-1],
        "header-only": good[:61],
        "shorter-than-log-overhead": good[:11],
        "length-too-small": with_field(good, 8, ">i", 10, crc=False),
        "length-past-end": with_field(good, 8, ">i", len(good) - 12 + 1, crc=False),
        "length-negative": with_field(good, 8, ">i", -1, crc=False),
        "trailing-garbage": good + b"\x00" * 5,
        "magic-3": with_field(good, 16, ">b", 3, crc=False),
        "magic-negative": with_field(good, 16, ">b", -1, crc=False),
    }


@pytest.mark.parametrize("case", sorted(corrupt_cases()))
def test_corrupt_batch_is_refused_and_not_appended(broker_thread, case: str) -> None:
    address = broker_thread.address
    create_topic(address, "t")
    assert produce(address, "t", record_batch([(None, b"before")])).base_offset == 0
    part = produce(address, "t", corrupt_cases()[case])
    assert summary(part) == (E.CORRUPT_MESSAGE, -1, -1, -1)
    assert part.error_message
    assert log_end(broker_thread, "t") == 1
    # the partition still takes good batches at the next offset
    assert summary(produce(address, "t", batch_for_errors())) == (E.NONE, 1, -1, 0)


@pytest.mark.parametrize("version", SERVED)
def test_error_message_is_sent_from_v8(broker_thread, version: int) -> None:
    address = broker_thread.address
    create_topic(address, "t")
    bad = with_field(batch_for_errors(), 17, ">I", 0, crc=False)
    part = produce(address, "t", bad, version=version)
    assert part.error_code == E.CORRUPT_MESSAGE
    assert part.record_errors == []
    if version >= 8:
        assert isinstance(part.error_message, str) and "CRC" in part.error_message
    else:
        assert part.error_message is None
    two = produce(address, "t", batch_for_errors() * 2, version=version)
    assert two.error_code == E.INVALID_RECORD
    assert (two.error_message is not None) == (version >= 8)
    assert log_end(broker_thread, "t") == 0


def invalid_cases() -> dict[str, bytes | None]:
    good = batch_for_errors()
    return {
        "two-batches": good + record_batch([(None, b"second")]),
        "two-identical-batches": good + good,
        "count-above-delta": with_field(good, 57, ">i", 3),
        "count-below-delta": with_field(good, 57, ">i", 1),
        "count-zero": with_field(good, 57, ">i", 0),
        "delta-negative": with_field(good, 23, ">i", -1),
        "control-batch": with_field(good, 21, ">h", 0x20),
        "producer-id-without-sequence": record_batch(
            [(None, b"x")], producer_id=7, producer_epoch=0, base_sequence=-1
        ),
        "null-records": None,
        "empty-records": b"",
    }


@pytest.mark.parametrize("case", sorted(invalid_cases()))
def test_invalid_batch_is_refused_and_not_appended(broker_thread, case: str) -> None:
    address = broker_thread.address
    create_topic(address, "t")
    part = produce(address, "t", invalid_cases()[case])
    assert summary(part) == (E.INVALID_RECORD, -1, -1, -1)
    assert part.error_message
    assert log_end(broker_thread, "t") == 0


@pytest.mark.parametrize("magic", [0, 1])
def test_legacy_magic_is_an_invalid_record(broker_thread, magic: int) -> None:
    """Kafka's ProduceRequest.validateRecords: from v3 the one batch must have magic 2, else
    InvalidRecordException (INVALID_RECORD, not retriable); magic above 2 is corrupt."""
    address = broker_thread.address
    create_topic(address, "t")
    part = produce(address, "t", with_field(batch_for_errors(), 16, ">b", magic, crc=False))
    assert summary(part) == (E.INVALID_RECORD, -1, -1, -1)
    assert log_end(broker_thread, "t") == 0


# --- size and compression ---------------------------------------------------------------


def batch_of_size(size: int) -> bytes:
    overhead = len(record_batch([(None, b"")]))
    batch = record_batch([(None, b"x" * (size - overhead))])
    if len(batch) != size:  # the value length varint grew by a byte
        batch = record_batch([(None, b"x" * (size - overhead - (len(batch) - size)))])
    assert len(batch) == size
    return batch


def test_batch_larger_than_max_message_bytes(tmp_path: Path) -> None:
    with running_broker(tmp_path, **{"message.max.bytes": "300"}) as broker:
        address = broker.address
        create_topic(address, "small")
        too_big = produce(address, "small", batch_of_size(301), version=11)
        assert summary(too_big) == (E.MESSAGE_TOO_LARGE, -1, -1, -1)
        assert too_big.error_message and "300" in too_big.error_message
        assert log_end(broker, "small") == 0
        fits = produce(address, "small", batch_of_size(300), version=11)
        assert summary(fits) == (E.NONE, 0, -1, 0)
        # a topic override beats the broker default
        create_topic(address, "roomy", configs={"max.message.bytes": "1000"})
        assert produce(address, "roomy", batch_of_size(301)).error_code == E.NONE
        create_topic(address, "tight", configs={"max.message.bytes": "100"})
        assert produce(address, "tight", batch_of_size(101)).error_code == E.MESSAGE_TOO_LARGE
        assert log_end(broker, "tight") == 0


@pytest.mark.parametrize("version", [3, 4, 5, 6])
def test_zstd_needs_v7(broker_thread, version: int) -> None:
    address = broker_thread.address
    create_topic(address, "z")
    batch = zstd_batch([(None, b"compressed " * 20)])
    part = produce(address, "z", batch, version=version)
    assert summary(part) == (E.UNSUPPORTED_COMPRESSION_TYPE, -1, -1, -1)
    assert part.error_message is None
    assert log_end(broker_thread, "z") == 0
    accepted = produce(address, "z", batch, version=7)
    assert summary(accepted) == (E.NONE, 0, -1, 0)
    assert stored(address, "z") == placed(batch, 0)


# --- idempotent producers -------------------------------------------------------------


def test_idempotent_retry_is_answered_with_the_original_offset(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "idem")
    produce(address, "idem", record_batch([(None, b"plain")]))  # offset 0, no producer id
    pid, epoch = init_producer_id(address)
    first = idempotent(pid, epoch, 0, 3)
    second = idempotent(pid, epoch, 3, 2)

    assert summary(produce(address, "idem", first)) == (E.NONE, 1, -1, 0)
    assert summary(produce(address, "idem", first, version=3)) == (E.NONE, 1, -1, -1)
    assert log_end(broker_thread, "idem") == 4
    assert summary(produce(address, "idem", second)) == (E.NONE, 4, -1, 0)
    # an older retry (still among the last five batches) gets its own offset back
    assert summary(produce(address, "idem", first, version=11)) == (E.NONE, 1, -1, 0)
    assert summary(produce(address, "idem", second, version=11)) == (E.NONE, 4, -1, 0)
    assert log_end(broker_thread, "idem") == 6
    assert stored(address, "idem", offset=1) == placed(first, 1) + placed(second, 4)


def test_sequence_gap_is_out_of_order(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "seq")
    pid, epoch = init_producer_id(address)
    assert produce(address, "seq", idempotent(pid, epoch, 0, 2)).error_code == E.NONE
    for sequence in (3, 5, 1):  # a gap, a bigger gap, an overlap that is no retry
        part = produce(address, "seq", idempotent(pid, epoch, sequence))
        assert summary(part) == (E.OUT_OF_ORDER_SEQUENCE_NUMBER, -1, -1, -1)
        assert part.error_message
    assert log_end(broker_thread, "seq") == 2
    assert summary(produce(address, "seq", idempotent(pid, epoch, 2))) == (E.NONE, 2, -1, 0)


def test_stale_epoch_is_refused(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "fence")
    pid, epoch = init_producer_id(address)
    assert produce(address, "fence", idempotent(pid, epoch, 0, tag=b"old")).base_offset == 0
    bumped = epoch + 1  # a producer that moved to its next epoch (as a transactional one does)

    # a new epoch must start again at sequence 0
    part = produce(address, "fence", idempotent(pid, bumped, 1, tag=b"new"))
    assert part.error_code == E.OUT_OF_ORDER_SEQUENCE_NUMBER
    restarted = produce(address, "fence", idempotent(pid, bumped, 0, tag=b"new"))
    assert summary(restarted) == (E.NONE, 1, -1, 0)
    for sequence in (1, 0):  # the old epoch, continuing or retrying, is fenced
        stale = produce(address, "fence", idempotent(pid, epoch, sequence, tag=b"old"))
        assert summary(stale) == (E.INVALID_PRODUCER_EPOCH, -1, -1, -1)
        assert stale.error_message
    assert log_end(broker_thread, "fence") == 2


def test_producers_are_tracked_per_partition(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "two", partitions=2)
    pid, epoch = init_producer_id(address)
    other_pid, _ = init_producer_id(address)
    assert other_pid != pid
    answers = produce_all(
        address,
        9,
        {"two": {0: idempotent(pid, epoch, 0, 2), 1: idempotent(pid, epoch, 0, 1)}},
    )
    assert {tp: summary(p) for tp, p in answers.items()} == {
        ("two", 0): (E.NONE, 0, -1, 0),
        ("two", 1): (E.NONE, 0, -1, 0),
    }
    # each partition continues its own sequence; another producer starts its own
    assert produce(address, "two", idempotent(pid, epoch, 1), partition=1).base_offset == 1
    assert produce(address, "two", idempotent(other_pid, 0, 0), partition=0).base_offset == 2
    assert produce(address, "two", idempotent(pid, epoch, 2), partition=0).base_offset == 3
    assert [log_end(broker_thread, "two", p) for p in (0, 1)] == [4, 2]


def test_transactional_batch_without_transactional_id_is_refused(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "txn")
    pid, epoch = init_producer_id(address)
    batch = with_field(idempotent(pid, epoch, 0), 21, ">h", 0x10)
    part = produce(address, "txn", batch)
    assert summary(part) == (E.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, -1, -1, -1)
    assert log_end(broker_thread, "txn") == 0
