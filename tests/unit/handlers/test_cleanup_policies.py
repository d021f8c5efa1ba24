"""cleanup.policy on the wire: a compacted topic refuses keyless records as Kafka does,
and a fetch below a log start offset moved by retention gets OFFSET_OUT_OF_RANGE."""

from __future__ import annotations

import time
from functools import partial
from pathlib import Path

from kafka.record.default_records import DefaultRecordBatchBuilder

from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.fetch import FetchPartition, FetchRequest, FetchTopic
from kafkalite.protocol.messages.produce import (
    ProducePartitionData,
    ProducePartitionResponse,
    ProduceRequest,
    ProduceTopicData,
)
from tests.conftest import BrokerThread
from tests.unit.batches import record_batch
from tests.unit.server.kafka_wire import call

DAY = 86_400_000


def produce(
    broker: BrokerThread, topic: str, records: bytes, version: int = 9
) -> ProducePartitionResponse:
    request = ProduceRequest(
        acks=-1,
        timeout_ms=5000,
        topic_data=[
            ProduceTopicData(
                name=topic, partition_data=[ProducePartitionData(index=0, records=records)]
            )
        ],
    )
    response = call(broker.address, ApiKey.PRODUCE, version, request)
    return response.responses[0].partition_responses[0]  # type: ignore[no-any-return]


def create(broker: BrokerThread, name: str, **configs: str) -> None:
    overrides = {key.replace("_", "."): value for key, value in configs.items()}
    broker.call(partial(broker.broker.cluster.logs.create_topic, name, 1, configs=overrides))


def compressed(codec: int, records: list[tuple[bytes | None, bytes]]) -> bytes:
    builder = DefaultRecordBatchBuilder(
        magic=2,
        compression_type=codec,
        is_transactional=False,
        producer_id=-1,
        producer_epoch=-1,
        base_sequence=-1,
        batch_size=1 << 20,
    )
    for i, (key, value) in enumerate(records):
        builder.append(i, timestamp=None, key=key, value=value, headers=[])
    return bytes(builder.build())


def test_compacted_topic_refuses_keyless_records(broker_thread: BrokerThread) -> None:
    create(broker_thread, "table", cleanup_policy="compact")
    create(broker_thread, "both", cleanup_policy="compact,delete")
    create(broker_thread, "stream", cleanup_policy="delete")
    keyless = record_batch([(b"k", b"v"), (None, b"no key"), (b"k2", b"v"), (None, b"again")])
    expected = "Compacted topic cannot accept message without key in topic partition table-0"

    part = produce(broker_thread, "table", keyless)
    assert part.error_code == ErrorCode.INVALID_RECORD and part.base_offset == -1
    assert [(e.batch_index, e.batch_index_error_message) for e in part.record_errors] == [
        (1, expected),
        (3, expected),
    ]
    assert part.error_message == (
        "One or more records have been rejected due to 2 record errors in total, and only "
        f"showing the first three errors at most: [RecordError(batchIndex=1, message="
        f"'{expected}'), RecordError(batchIndex=3, message='{expected}')]"
    )
    old = produce(broker_thread, "table", keyless, version=7)  # no messages before v8
    assert (old.error_code, old.error_message, old.record_errors) == (
        ErrorCode.INVALID_RECORD,
        None,
        [],
    )
    for codec in (1, 2, 3, 4):  # decompressed to find the keys
        records = [(b"k", b"value " * 50), (None, b"value " * 50)]
        part = produce(broker_thread, "table", compressed(codec, records))
        assert part.error_code == ErrorCode.INVALID_RECORD, codec
        assert [e.batch_index for e in part.record_errors] == [1]
        assert produce(broker_thread, "both", compressed(codec, records)).error_code == (
            ErrorCode.INVALID_RECORD
        )
    assert produce(broker_thread, "stream", keyless).error_code == ErrorCode.NONE
    accepted = produce(broker_thread, "table", compressed(3, [(b"k", b"value " * 50)] * 3))
    assert (accepted.error_code, accepted.base_offset) == (ErrorCode.NONE, 0)
    log = broker_thread.call(broker_thread.broker.cluster.partition, "table", 0)
    assert log.log_end_offset == 3


def fetch(broker: BrokerThread, topic: str, offset: int) -> tuple[int, int, bytes | None]:
    request = FetchRequest(
        max_wait_ms=0,
        topics=[
            FetchTopic(
                topic=topic,
                partitions=[
                    FetchPartition(partition=0, fetch_offset=offset, partition_max_bytes=1 << 20)
                ],
            )
        ],
    )
    part = call(broker.address, ApiKey.FETCH, 11, request).responses[0].partitions[0]
    return part.error_code, part.log_start_offset, part.records


def test_fetch_below_the_log_start_after_retention(tmp_path: Path) -> None:
    broker = BrokerThread(
        tmp_path / "data", **{"log.retention.check.interval.ms": "20", "num.partitions": "1"}
    ).start()
    try:
        create(broker, "events", segment_ms=str(DAY // 2), retention_ms=str(7 * DAY))
        now = int(time.time() * 1000)
        for age_days in (10, 9, 8, 1):  # each batch rolls a segment (segment.ms: half a day)
            part = produce(
                broker, "events", record_batch([(b"k", b"v")], timestamp=now - age_days * DAY)
            )
            assert part.error_code == ErrorCode.NONE
        log = broker.call(broker.broker.cluster.partition, "events", 0)
        for _ in range(1000):
            if broker.call(lambda: log.log_start_offset) == 3:
                break
            time.sleep(0.01)
        # Kafka answers an out-of-range fetch with unknown (-1) offsets; the consumer finds the
        # new start with ListOffsets, and reading from there works.
        assert fetch(broker, "events", 0)[:2] == (ErrorCode.OFFSET_OUT_OF_RANGE, -1)
        error, log_start, records = fetch(broker, "events", 3)
        assert (error, log_start) == (ErrorCode.NONE, 3) and records
    finally:
        broker.stop()
