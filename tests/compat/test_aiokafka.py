"""aiokafka 0.14 against the broker, with the client's default configuration.

aiokafka's producer is not idempotent by default (acks=1); test_idempotent_* turns
``enable_idempotence`` on, which makes it send InitProducerId v0 and acks=all.
Each test drives its coroutines with ``asyncio.run`` (no pytest plugin needed).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import compat_helpers as h
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

pytestmark = pytest.mark.compat


async def create_topic(broker: h.KafkaliteBroker | h.ExternalBroker, partitions: int = h.PARTITIONS) -> str:
    """CreateTopics through the admin client when the broker has it, else auto-creation."""
    topic = h.unique_topic("aio")
    if broker.supports(h.API_CREATE_TOPICS):
        admin = AIOKafkaAdminClient(bootstrap_servers=broker.bootstrap)
        try:
            await admin.start()
            await admin.create_topics([NewTopic(topic, partitions, 1)])
        finally:
            await admin.close()
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap)
    try:
        await producer.start()
        found: set[int] | None = None
        for _ in h.deadline_loop(30):
            # The producer's Metadata request allows auto-creation.
            found = await producer.partitions_for(topic)
            if found and len(found) >= partitions:
                break
            await asyncio.sleep(0.1)
        assert found == set(range(partitions)), f"topic {topic} has partitions {found}"
    finally:
        await producer.stop()
    return topic


async def produce(bootstrap: str, topic: str, records: Sequence[h.Rec], **config: object) -> list[h.Delivered]:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, **config)
    try:
        await producer.start()
        futures = [
            await producer.send(
                topic, value=r.value, key=r.key, headers=list(r.headers),
                partition=r.partition, timestamp_ms=r.timestamp,
            )
            for r in records
        ]
        await producer.flush()
        done = await asyncio.wait_for(asyncio.gather(*futures), timeout=120)
        # log_append_time -1 in the ProduceResponse (CreateTime topic) -> timestamp_type 0
        assert {md.timestamp_type for md in done} == {0}
        # aiokafka 0.14 reports the first record's timestamp for every record of a batch
        # (MessageBatch.done overwrites its `timestamp`), so the per-record delivery
        # timestamp is not checked here; the consumed timestamps are.
        return [
            h.Delivered(r.index, md.partition, md.offset, None)
            for r, md in zip(records, done, strict=True)
        ]
    finally:
        await producer.stop()


async def consume(bootstrap: str, topic: str, counts: dict[int, int], timeout: float = 90) -> list[h.Got]:
    """Read every partition from the beginning until ``counts`` records each have arrived."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    try:
        await consumer.start()
        tps = [TopicPartition(topic, p) for p in counts]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        got: list[h.Got] = []
        progress = h.Progress(counts, timeout)
        for _ in range(100_000):
            wait = progress.wait_s()
            if wait <= 0:
                break
            batch = await consumer.getmany(timeout_ms=max(1, int(wait * 1000)), max_records=20_000)
            for tp, recs in batch.items():
                for rec in recs:
                    progress.add(tp.partition)
                    got.append(h.Got(
                        tp.partition, rec.offset, rec.key, rec.value, h.norm_headers(rec.headers),
                        rec.timestamp, rec.timestamp_type == 0,
                    ))
        return got
    finally:
        await consumer.stop()


async def end_offsets(bootstrap: str, topic: str, partitions: int = h.PARTITIONS) -> dict[int, int]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    try:
        await consumer.start()
        tps = [TopicPartition(topic, p) for p in range(partitions)]
        return {tp.partition: off for tp, off in (await consumer.end_offsets(tps)).items()}
    finally:
        await consumer.stop()


@pytest.mark.timeout(180)
@pytest.mark.parametrize("codec", h.CODECS)
def test_produce_consume_every_codec(broker, codec: str) -> None:
    async def run() -> None:
        topic = await create_topic(broker)
        records = h.make_records(h.RECORDS_PER_CODEC)
        config = {} if codec == "none" else {"compression_type": codec}
        h.check_delivered(records, await produce(broker.bootstrap, topic, records, **config))
        got = await consume(broker.bootstrap, topic, h.counts_per_partition(records))
        h.check_consumed(records, got)

    asyncio.run(run())


@pytest.mark.timeout(120)
def test_list_offsets(broker) -> None:
    async def run() -> None:
        topic = await create_topic(broker)
        records = h.make_records(300)
        h.check_delivered(records, await produce(broker.bootstrap, topic, records))
        counts = h.counts_per_partition(records)
        tps = {p: TopicPartition(topic, p) for p in counts}
        problems = []
        consumer = AIOKafkaConsumer(bootstrap_servers=broker.bootstrap)
        try:
            await consumer.start()
            earliest = await consumer.beginning_offsets(list(tps.values()))
            if earliest != {tp: 0 for tp in tps.values()}:
                problems.append(f"beginning_offsets {earliest}, expected 0 each")
            latest = await consumer.end_offsets(list(tps.values()))
            if latest != {tps[p]: n for p, n in counts.items()}:
                problems.append(f"end_offsets {latest}, expected {counts}")
            for p, ts, want_offset, want_ts in h.timestamp_queries(records):
                answer = (await consumer.offsets_for_times({tps[p]: ts}))[tps[p]]
                got = None if answer is None else (answer.offset, answer.timestamp)
                want = None if want_offset is None else (want_offset, want_ts)
                if got != want:
                    problems.append(f"offsets_for_times partition {p} ts {ts}: {got}, expected {want}")
        finally:
            await consumer.stop()
        assert not problems, "ListOffsets answers differ:\n" + "\n".join(problems)

    asyncio.run(run())


@pytest.mark.timeout(120)
def test_idempotent_producer_no_duplicates(broker) -> None:
    async def run() -> None:
        topic = await create_topic(broker)
        records = h.make_records(3000)
        delivered = await produce(
            broker.bootstrap, topic, records, enable_idempotence=True, compression_type="lz4"
        )
        h.check_delivered(records, delivered)
        counts = h.counts_per_partition(records)
        h.check_consumed(records, await consume(broker.bootstrap, topic, counts))
        # Nothing beyond the N records: the log end is exactly N per partition.
        assert await end_offsets(broker.bootstrap, topic) == counts

    asyncio.run(run())


@pytest.mark.timeout(180)
def test_restart_keeps_records(restartable_broker) -> None:
    b = restartable_broker

    async def before_restart() -> tuple[str, list[h.Rec], list[h.Delivered], list[h.Got]]:
        topic = await create_topic(b)
        records = h.make_records(3000)
        delivered = await produce(b.bootstrap, topic, records[:1500])
        # a second, compressed producer: the restart must keep both kinds of batch intact
        delivered += await produce(b.bootstrap, topic, records[1500:], compression_type="gzip")
        h.check_delivered(records, delivered)
        got = await consume(b.bootstrap, topic, h.counts_per_partition(records))
        h.check_consumed(records, got)
        return topic, records, delivered, got

    topic, records, delivered, before = asyncio.run(before_restart())

    b.restart()

    async def after_restart() -> None:
        after = await consume(b.bootstrap, topic, h.counts_per_partition(records))
        h.check_consumed(records, after)
        key = lambda g: (g.partition, g.offset)  # noqa: E731
        assert sorted(after, key=key) == sorted(before, key=key)
        # the log continues at the old end offsets
        more = h.make_records(3030)
        delivered.extend(await produce(b.bootstrap, topic, more[3000:]))
        h.check_delivered(more, delivered)
        h.check_consumed(more, await consume(b.bootstrap, topic, h.counts_per_partition(more)))

    asyncio.run(after_restart())
