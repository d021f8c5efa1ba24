"""confluent-kafka (librdkafka) against the broker, with the client's default configuration.

librdkafka consumers default to ``isolation.level=read_committed``, so every consume here
depends on a correct last stable offset in Fetch and ListOffsets. A consumer needs a
``group.id`` even when it only uses ``assign()``; each consumer gets a unique one and
keeps librdkafka's defaults otherwise (offset commits included).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence

import compat_helpers as h
import confluent_kafka as ck
import pytest
from confluent_kafka.admin import AdminClient, NewTopic

pytestmark = pytest.mark.compat

TIMEOUT_S = 10.0


def create_topic(broker: h.KafkaliteBroker | h.ExternalBroker, partitions: int = h.PARTITIONS) -> str:
    """CreateTopics through the admin client when the broker has it, else auto-creation."""
    topic = h.unique_topic("ck")
    conf = {"bootstrap.servers": broker.bootstrap}
    if broker.supports(h.API_CREATE_TOPICS):
        admin = AdminClient(conf)  # must outlive its futures
        futures = admin.create_topics(
            [NewTopic(topic, num_partitions=partitions, replication_factor=1)],
            operation_timeout=TIMEOUT_S, request_timeout=TIMEOUT_S,
        )
        futures[topic].result(timeout=30)
        del admin
    producer = ck.Producer(conf)
    found: list[int] = []
    for _ in h.deadline_loop(30):
        # a Metadata request for the topic; the broker auto-creates it
        meta = producer.list_topics(topic, timeout=TIMEOUT_S).topics.get(topic)
        if meta is not None and meta.error is None:
            found = sorted(meta.partitions)
            if len(found) >= partitions:
                break
        time.sleep(0.1)
    producer.flush(TIMEOUT_S)
    assert found == list(range(partitions)), f"topic {topic} has partitions {found}"
    return topic


def produce(bootstrap: str, topic: str, records: Sequence[h.Rec], **config: object) -> list[h.Delivered]:
    producer = ck.Producer({"bootstrap.servers": bootstrap, **config})
    reports: dict[int, h.Delivered] = {}
    errors: list[str] = []

    def on_delivery(index: int):  # type: ignore[no-untyped-def]
        def report(err, msg) -> None:  # type: ignore[no-untyped-def]
            if err is not None:
                errors.append(f"record {index}: {err}")
                return
            ts_type, ts = msg.timestamp()
            assert ts_type == ck.TIMESTAMP_CREATE_TIME, f"record {index}: timestamp type {ts_type}"
            reports[index] = h.Delivered(index, msg.partition(), msg.offset(), ts)

        return report

    for r in records:
        for _ in h.deadline_loop(60):
            try:
                producer.produce(
                    topic, value=r.value, key=r.key, partition=r.partition,
                    timestamp=r.timestamp, headers=list(r.headers), on_delivery=on_delivery(r.index),
                )
                break
            except BufferError:  # local queue full: serve delivery reports, then retry
                producer.poll(0.1)
        else:
            pytest.fail(f"record {r.index}: producer queue stayed full for 60 s")
    remaining = producer.flush(120)
    assert remaining == 0, f"{remaining} records still undelivered after flush()"
    assert not errors, "delivery errors:\n" + "\n".join(errors[:10])
    return [reports[r.index] for r in records]


def new_consumer(bootstrap: str) -> ck.Consumer:
    return ck.Consumer({"bootstrap.servers": bootstrap, "group.id": f"compat-{uuid.uuid4().hex}"})


def consume(bootstrap: str, topic: str, counts: dict[int, int], timeout: float = 90) -> list[h.Got]:
    """Read every partition from the beginning until ``counts`` records each have arrived."""
    consumer = new_consumer(bootstrap)
    try:
        consumer.assign([ck.TopicPartition(topic, p, ck.OFFSET_BEGINNING) for p in counts])
        got: list[h.Got] = []
        progress = h.Progress(counts, timeout)
        for _ in range(100_000):
            wait = progress.wait_s()
            if wait <= 0:
                break
            for msg in consumer.consume(num_messages=10_000, timeout=wait):
                if msg.error() is not None:
                    raise ck.KafkaException(msg.error())
                ts_type, ts = msg.timestamp()
                progress.add(msg.partition())
                got.append(h.Got(
                    msg.partition(), msg.offset(), msg.key(), msg.value(),
                    h.norm_headers(msg.headers()), ts, ts_type == ck.TIMESTAMP_CREATE_TIME,
                ))
        return got
    finally:
        consumer.close()


def watermarks(bootstrap: str, topic: str, partitions: int = h.PARTITIONS) -> dict[int, tuple[int, int]]:
    consumer = new_consumer(bootstrap)
    try:
        return {
            p: consumer.get_watermark_offsets(ck.TopicPartition(topic, p), timeout=TIMEOUT_S, cached=False)
            for p in range(partitions)
        }
    finally:
        consumer.close()


@pytest.mark.timeout(180)
@pytest.mark.parametrize("codec", h.CODECS)
def test_produce_consume_every_codec(broker, codec: str) -> None:
    topic = create_topic(broker)
    records = h.make_records(h.RECORDS_PER_CODEC)
    config = {} if codec == "none" else {"compression.type": codec}
    h.check_delivered(records, produce(broker.bootstrap, topic, records, **config))
    got = consume(broker.bootstrap, topic, h.counts_per_partition(records))
    h.check_consumed(records, got)


@pytest.mark.timeout(120)
def test_list_offsets(broker) -> None:
    topic = create_topic(broker)
    records = h.make_records(300)
    h.check_delivered(records, produce(broker.bootstrap, topic, records))
    counts = h.counts_per_partition(records)
    problems = []
    # (earliest, latest): ListOffsets -2 and -1 (read_committed: latest is the LSO)
    marks = watermarks(broker.bootstrap, topic)
    if marks != {p: (0, n) for p, n in counts.items()}:
        problems.append(f"watermarks {marks}, expected (0, {counts}[p])")
    consumer = new_consumer(broker.bootstrap)
    try:
        for p, ts, want_offset, _want_ts in h.timestamp_queries(records):
            [answer] = consumer.offsets_for_times([ck.TopicPartition(topic, p, ts)], timeout=TIMEOUT_S)
            # librdkafka reports "no such offset" as offset -1 (OFFSET_END)
            want = ck.OFFSET_END if want_offset is None else want_offset
            if answer.error is not None or answer.offset != want:
                problems.append(
                    f"offsets_for_times partition {p} ts {ts}: offset {answer.offset} "
                    f"error {answer.error}, expected {want}"
                )
    finally:
        consumer.close()
    assert not problems, "ListOffsets answers differ:\n" + "\n".join(problems)


@pytest.mark.timeout(120)
def test_idempotent_producer_no_duplicates(broker) -> None:
    topic = create_topic(broker)
    records = h.make_records(3000)
    delivered = produce(
        broker.bootstrap, topic, records, **{"enable.idempotence": True, "compression.type": "lz4"}
    )
    h.check_delivered(records, delivered)
    counts = h.counts_per_partition(records)
    h.check_consumed(records, consume(broker.bootstrap, topic, counts))
    # Nothing beyond the N records: the log end is exactly N per partition.
    assert watermarks(broker.bootstrap, topic) == {p: (0, n) for p, n in counts.items()}


@pytest.mark.timeout(180)
def test_restart_keeps_records(restartable_broker) -> None:
    b = restartable_broker
    topic = create_topic(b)
    records = h.make_records(3000)
    delivered = produce(b.bootstrap, topic, records[:1500])
    # a second, compressed producer: the restart must keep both kinds of batch intact
    delivered += produce(b.bootstrap, topic, records[1500:], **{"compression.type": "zstd"})
    h.check_delivered(records, delivered)
    counts = h.counts_per_partition(records)
    before = consume(b.bootstrap, topic, counts)
    h.check_consumed(records, before)

    b.restart()

    after = consume(b.bootstrap, topic, counts)
    h.check_consumed(records, after)
    key = lambda g: (g.partition, g.offset)  # noqa: E731
    assert sorted(after, key=key) == sorted(before, key=key)
    assert watermarks(b.bootstrap, topic) == {p: (0, n) for p, n in counts.items()}
    # the log continues at the old end offsets
    more = h.make_records(3030)
    delivered += produce(b.bootstrap, topic, more[3000:])
    h.check_delivered(more, delivered)
    h.check_consumed(more, consume(b.bootstrap, topic, h.counts_per_partition(more)))
