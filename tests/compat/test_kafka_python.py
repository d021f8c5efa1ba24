"""kafka-python 3.x against the broker, with the client's default configuration.

kafka-python 3.x's default producer is idempotent with acks=all (KIP-679), so every produce
here goes through InitProducerId and sequence numbers unless the broker looks older than
0.11 to the client (then it silently turns idempotence off; test_idempotent_* checks that
it did not).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import compat_helpers as h
import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import KafkaAdminClient, NewTopic

pytestmark = pytest.mark.compat


def create_topic(broker: h.KafkaliteBroker | h.ExternalBroker, partitions: int = h.PARTITIONS) -> str:
    """CreateTopics through the admin client when the broker has it, else auto-creation."""
    topic = h.unique_topic("kp")
    if broker.supports(h.API_CREATE_TOPICS):
        admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
        try:
            admin.create_topics([NewTopic(topic, partitions, 1)])
        finally:
            admin.close()
    producer = KafkaProducer(bootstrap_servers=broker.bootstrap)
    try:
        found: set[int] | None = None
        for _ in h.deadline_loop(30):
            # The producer's Metadata request allows auto-creation.
            found = producer.partitions_for(topic)
            if found and len(found) >= partitions:
                break
            time.sleep(0.1)
        assert found == set(range(partitions)), f"topic {topic} has partitions {found}"
    finally:
        producer.close(timeout=10)
    return topic


def produce(bootstrap: str, topic: str, records: Sequence[h.Rec], **config: object) -> list[h.Delivered]:
    producer = KafkaProducer(bootstrap_servers=bootstrap, **config)
    try:
        futures = [
            producer.send(
                topic, value=r.value, key=r.key, headers=list(r.headers),
                partition=r.partition, timestamp_ms=r.timestamp,
            )
            for r in records
        ]
        producer.flush(timeout=120)
        delivered = []
        for r, fut in zip(records, futures, strict=True):
            md = fut.get(timeout=1)
            delivered.append(h.Delivered(r.index, md.partition, md.offset, md.timestamp))
        return delivered
    finally:
        producer.close(timeout=10)


def consume(bootstrap: str, topic: str, counts: dict[int, int], timeout: float = 90) -> list[h.Got]:
    """Read every partition from the beginning until ``counts`` records each have arrived."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap)
    try:
        tps = [TopicPartition(topic, p) for p in counts]
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        got: list[h.Got] = []
        progress = h.Progress(counts, timeout)
        for _ in range(100_000):
            wait = progress.wait_s()
            if wait <= 0:
                break
            batch = consumer.poll(timeout_ms=max(1, int(wait * 1000)), max_records=20_000)
            for tp, recs in batch.items():
                for rec in recs:
                    progress.add(tp.partition)
                    got.append(h.Got(
                        tp.partition, rec.offset, rec.key, rec.value, h.norm_headers(rec.headers),
                        rec.timestamp, rec.timestamp_type == 0,
                    ))
        return got
    finally:
        consumer.close()


@pytest.mark.timeout(180)
@pytest.mark.parametrize("codec", h.CODECS)
def test_produce_consume_every_codec(broker, codec: str) -> None:
    topic = create_topic(broker)
    records = h.make_records(h.RECORDS_PER_CODEC)
    config = {} if codec == "none" else {"compression_type": codec}
    delivered = produce(broker.bootstrap, topic, records, **config)
    h.check_delivered(records, delivered)
    got = consume(broker.bootstrap, topic, h.counts_per_partition(records))
    h.check_consumed(records, got)


@pytest.mark.timeout(120)
def test_list_offsets(broker) -> None:
    topic = create_topic(broker)
    records = h.make_records(300)
    h.check_delivered(records, produce(broker.bootstrap, topic, records))
    counts = h.counts_per_partition(records)
    tps = {p: TopicPartition(topic, p) for p in counts}
    problems = []
    consumer = KafkaConsumer(bootstrap_servers=broker.bootstrap)
    try:
        earliest = consumer.beginning_offsets(list(tps.values()))
        if earliest != {tp: 0 for tp in tps.values()}:
            problems.append(f"beginning_offsets {earliest}, expected 0 each")
        latest = consumer.end_offsets(list(tps.values()))
        if latest != {tps[p]: n for p, n in counts.items()}:
            problems.append(f"end_offsets {latest}, expected {counts}")
        for p, ts, want_offset, want_ts in h.timestamp_queries(records):
            answer = consumer.offsets_for_times({tps[p]: ts})[tps[p]]
            got = None if answer is None else (answer.offset, answer.timestamp)
            want = None if want_offset is None else (want_offset, want_ts)
            if got != want:
                problems.append(f"offsets_for_times partition {p} ts {ts}: {got}, expected {want}")
    finally:
        consumer.close()
    assert not problems, "ListOffsets answers differ:\n" + "\n".join(problems)


@pytest.mark.timeout(120)
def test_idempotent_producer_no_duplicates(broker) -> None:
    topic = create_topic(broker)
    records = h.make_records(3000)
    producer = KafkaProducer(bootstrap_servers=broker.bootstrap, compression_type="lz4")
    try:
        # The default is idempotent; it silently falls back if the broker looks pre-0.11.
        assert producer.config["enable_idempotence"] is True
        assert producer.config["acks"] == -1
        futures = [
            producer.send(
                topic, value=r.value, key=r.key, headers=list(r.headers),
                partition=r.partition, timestamp_ms=r.timestamp,
            )
            for r in records
        ]
        producer.flush(timeout=60)
        delivered = []
        for r, fut in zip(records, futures, strict=True):
            md = fut.get(timeout=1)
            delivered.append(h.Delivered(r.index, md.partition, md.offset, md.timestamp))
    finally:
        producer.close(timeout=10)
    h.check_delivered(records, delivered)
    counts = h.counts_per_partition(records)
    h.check_consumed(records, consume(broker.bootstrap, topic, counts))
    consumer = KafkaConsumer(bootstrap_servers=broker.bootstrap)
    try:
        tps = [TopicPartition(topic, p) for p in counts]
        # Nothing beyond the N records: the log end is exactly N per partition.
        assert consumer.end_offsets(tps) == {tp: counts[tp.partition] for tp in tps}
    finally:
        consumer.close()


@pytest.mark.timeout(180)
def test_restart_keeps_records(restartable_broker) -> None:
    b = restartable_broker
    topic = create_topic(b)
    records = h.make_records(3000)
    first, second = records[:1500], records[1500:]
    delivered = produce(b.bootstrap, topic, first)
    # a second, compressed producer: the restart must keep both kinds of batch intact
    delivered += produce(b.bootstrap, topic, second, compression_type="gzip")
    h.check_delivered(records, delivered)
    counts = h.counts_per_partition(records)
    before = consume(b.bootstrap, topic, counts)
    h.check_consumed(records, before)

    b.restart()

    after = consume(b.bootstrap, topic, counts)
    h.check_consumed(records, after)
    assert sorted(after, key=lambda g: (g.partition, g.offset)) == sorted(
        before, key=lambda g: (g.partition, g.offset)
    )
    # the log continues at the old end offsets
    more = h.make_records(3030)
    delivered += produce(b.bootstrap, topic, more[3000:])
    h.check_delivered(more, delivered)
    h.check_consumed(more, consume(b.bootstrap, topic, h.counts_per_partition(more)))
