"""One driver per client library for the produce/consume tests (``test_clients.py``) and
the topic set-up of the group tests (``group_helpers.py``).

A driver hides a client's own API behind the same small set of blocking calls: create a
topic, produce ``Rec``s, read partitions from the beginning, ask for earliest/latest
offsets and offsets for timestamps. Each client's quirks stay in its driver, with a
comment. conftest.py registers this module as ``compat_clients``.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Sequence
from typing import Any, NamedTuple

import compat_helpers as h
import pytest

TIMEOUT_S = 10.0


class TimeAnswer(NamedTuple):
    """An offsets-for-times answer: offset None is "no such offset"."""

    offset: int | None
    timestamp: int | None
    error: str | None = None


class ClientDriver:
    """One client library's blocking produce/consume calls."""

    name = ""
    #: topic name prefix
    prefix = ""
    #: the producer option that names the compression codec
    compression_key = "compression_type"
    #: the producer options of test_idempotent_*
    idempotent_config: dict[str, object] = {}
    #: the codec of the second producer of test_restart_keeps_records
    restart_codec = "gzip"
    #: the codec test_list_offsets produces with: ListOffsets by timestamp must find the
    #: exact record inside compressed batches (one codec per client covers them all)
    list_offsets_codec = "lz4"
    #: offsets-for-times answers carry the record's timestamp
    time_answers_have_timestamp = True

    def compression(self, codec: str) -> dict[str, object]:
        return {} if codec == "none" else {self.compression_key: codec}

    def create_topic(self, broker: Any, partitions: int = h.PARTITIONS, prefix: str = "") -> str:
        """CreateTopics through the admin client when the broker has it, else auto-creation;
        returns once the client's Metadata shows every partition."""
        raise NotImplementedError

    def produce(self, bootstrap: str, topic: str, records: Sequence[h.Rec], **config: object) -> list[h.Delivered]:
        raise NotImplementedError

    def consume(self, bootstrap: str, topic: str, counts: dict[int, int], timeout: float = 90) -> list[h.Got]:
        """Read every partition from the beginning until ``counts`` records each have arrived."""
        raise NotImplementedError

    def offsets(self, bootstrap: str, topic: str, partitions: int = h.PARTITIONS) -> dict[int, tuple[int, int]]:
        """(earliest, latest) per partition: ListOffsets -2 and -1."""
        raise NotImplementedError

    def offsets_for_times(self, bootstrap: str, topic: str, queries: Sequence[tuple[int, int]]) -> list[TimeAnswer]:
        raise NotImplementedError


# --------------------------------------------------------------------------- kafka-python


class KafkaPythonClient(ClientDriver):
    """kafka-python 3.x's default producer is idempotent with acks=all (KIP-679), so every
    produce goes through InitProducerId and sequence numbers unless the broker looks older
    than 0.11 to the client (then it silently turns idempotence off; ``produce`` checks that
    it did not)."""

    name = "kafka-python"
    prefix = "kp"
    idempotent_config = {"compression_type": "lz4"}  # idempotent by default

    def create_topic(self, broker: Any, partitions: int = h.PARTITIONS, prefix: str = "") -> str:
        from kafka import KafkaProducer
        from kafka.admin import KafkaAdminClient, NewTopic

        topic = h.unique_topic(prefix or self.prefix)
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
                found = producer.partitions_for(topic)  # Metadata; auto-creates the topic
                if found and len(found) >= partitions:
                    break
                time.sleep(0.1)
            assert found == set(range(partitions)), f"topic {topic} has partitions {found}"
        finally:
            producer.close(timeout=10)
        return topic

    def produce(self, bootstrap: str, topic: str, records: Sequence[h.Rec], **config: object) -> list[h.Delivered]:
        from kafka import KafkaProducer

        producer = KafkaProducer(bootstrap_servers=bootstrap, **config)
        try:
            if "enable_idempotence" not in config:
                # the default is idempotent; it silently falls back if the broker looks pre-0.11
                assert producer.config["enable_idempotence"] is True
                assert producer.config["acks"] == -1
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

    def consume(self, bootstrap: str, topic: str, counts: dict[int, int], timeout: float = 90) -> list[h.Got]:
        from kafka import KafkaConsumer, TopicPartition

        consumer = KafkaConsumer(bootstrap_servers=bootstrap)
        try:
            tps = [TopicPartition(topic, p) for p in counts]
            consumer.assign(tps)
            consumer.seek_to_beginning(*tps)
            got: list[h.Got] = []
            progress = h.Progress(counts, timeout)
            for wait in progress.waits():
                batch = consumer.poll(timeout_ms=max(1, int(wait * 1000)), max_records=20_000)
                got += _got(batch, progress)
            return got
        finally:
            consumer.close()

    def offsets(self, bootstrap: str, topic: str, partitions: int = h.PARTITIONS) -> dict[int, tuple[int, int]]:
        from kafka import KafkaConsumer, TopicPartition

        consumer = KafkaConsumer(bootstrap_servers=bootstrap)
        try:
            tps = [TopicPartition(topic, p) for p in range(partitions)]
            low, high = consumer.beginning_offsets(tps), consumer.end_offsets(tps)
            return {tp.partition: (low[tp], high[tp]) for tp in tps}
        finally:
            consumer.close()

    def offsets_for_times(self, bootstrap: str, topic: str, queries: Sequence[tuple[int, int]]) -> list[TimeAnswer]:
        from kafka import KafkaConsumer, TopicPartition

        consumer = KafkaConsumer(bootstrap_servers=bootstrap)
        try:
            out = []
            for p, ts in queries:
                tp = TopicPartition(topic, p)
                answer = consumer.offsets_for_times({tp: ts})[tp]
                out.append(TimeAnswer(None, None) if answer is None else TimeAnswer(answer.offset, answer.timestamp))
            return out
        finally:
            consumer.close()


def _got(batch: Any, progress: h.Progress) -> list[h.Got]:
    """kafka-python's and aiokafka's ``{TopicPartition: [ConsumerRecord]}`` as ``Got``s."""
    got = []
    for tp, recs in batch.items():
        for rec in recs:
            progress.add(tp.partition)
            got.append(h.Got(
                tp.partition, rec.offset, rec.key, rec.value, h.norm_headers(rec.headers),
                rec.timestamp, rec.timestamp_type == 0,
            ))
    return got


# --------------------------------------------------------------------------- aiokafka


class AiokafkaClient(ClientDriver):
    """aiokafka 0.14: each call runs its coroutines with ``asyncio.run`` (no pytest plugin).

    Its producer is not idempotent by default (acks=1); test_idempotent_* turns
    ``enable_idempotence`` on, which makes it send InitProducerId v0 and acks=all."""

    list_offsets_codec = "snappy"

    name = "aiokafka"
    prefix = "aio"
    idempotent_config = {"enable_idempotence": True, "compression_type": "lz4"}

    def create_topic(self, broker: Any, partitions: int = h.PARTITIONS, prefix: str = "") -> str:
        topic = h.unique_topic(prefix or self.prefix)
        asyncio.run(self._create_topic(broker, topic, partitions))
        return topic

    async def _create_topic(self, broker: Any, topic: str, partitions: int) -> None:
        from aiokafka import AIOKafkaProducer
        from aiokafka.admin import AIOKafkaAdminClient, NewTopic

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
                found = await producer.partitions_for(topic)  # Metadata; auto-creates the topic
                if found and len(found) >= partitions:
                    break
                await asyncio.sleep(0.1)
            assert found == set(range(partitions)), f"topic {topic} has partitions {found}"
        finally:
            await producer.stop()

    def produce(self, bootstrap: str, topic: str, records: Sequence[h.Rec], **config: object) -> list[h.Delivered]:
        return asyncio.run(self._produce(bootstrap, topic, records, **config))

    async def _produce(self, bootstrap: str, topic: str, records: Sequence[h.Rec], **config: object) -> list[h.Delivered]:
        from aiokafka import AIOKafkaProducer

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

    def consume(self, bootstrap: str, topic: str, counts: dict[int, int], timeout: float = 90) -> list[h.Got]:
        return asyncio.run(self._consume(bootstrap, topic, counts, timeout))

    async def _consume(self, bootstrap: str, topic: str, counts: dict[int, int], timeout: float) -> list[h.Got]:
        from aiokafka import AIOKafkaConsumer, TopicPartition

        consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
        try:
            await consumer.start()
            tps = [TopicPartition(topic, p) for p in counts]
            consumer.assign(tps)
            await consumer.seek_to_beginning(*tps)
            got: list[h.Got] = []
            progress = h.Progress(counts, timeout)
            for wait in progress.waits():
                batch = await consumer.getmany(timeout_ms=max(1, int(wait * 1000)), max_records=20_000)
                got += _got(batch, progress)
            return got
        finally:
            await consumer.stop()

    def offsets(self, bootstrap: str, topic: str, partitions: int = h.PARTITIONS) -> dict[int, tuple[int, int]]:
        async def run(consumer: Any) -> dict[int, tuple[int, int]]:
            from aiokafka import TopicPartition

            tps = [TopicPartition(topic, p) for p in range(partitions)]
            low, high = await consumer.beginning_offsets(tps), await consumer.end_offsets(tps)
            return {tp.partition: (low[tp], high[tp]) for tp in tps}

        return asyncio.run(self._with_consumer(bootstrap, run))

    def offsets_for_times(self, bootstrap: str, topic: str, queries: Sequence[tuple[int, int]]) -> list[TimeAnswer]:
        async def run(consumer: Any) -> list[TimeAnswer]:
            from aiokafka import TopicPartition

            out = []
            for p, ts in queries:
                tp = TopicPartition(topic, p)
                answer = (await consumer.offsets_for_times({tp: ts}))[tp]
                out.append(TimeAnswer(None, None) if answer is None else TimeAnswer(answer.offset, answer.timestamp))
            return out

        return asyncio.run(self._with_consumer(bootstrap, run))

    async def _with_consumer(self, bootstrap: str, fn: Any) -> Any:
        from aiokafka import AIOKafkaConsumer

        consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
        try:
            await consumer.start()
            return await fn(consumer)
        finally:
            await consumer.stop()


# --------------------------------------------------------------------------- confluent-kafka


class ConfluentClient(ClientDriver):
    """confluent-kafka (librdkafka). Its consumers default to ``isolation.level=read_committed``,
    so every consume depends on a correct last stable offset in Fetch and ListOffsets. A
    consumer needs a ``group.id`` even when it only uses ``assign()``; each consumer gets a
    unique one and keeps librdkafka's defaults otherwise (offset commits included)."""

    name = "confluent-kafka"
    prefix = "ck"
    compression_key = "compression.type"
    idempotent_config = {"enable.idempotence": True, "compression.type": "lz4"}
    restart_codec = "zstd"
    list_offsets_codec = "zstd"
    # librdkafka's offsets_for_times answers carry no timestamp
    time_answers_have_timestamp = False

    def create_topic(self, broker: Any, partitions: int = h.PARTITIONS, prefix: str = "") -> str:
        import confluent_kafka as ck
        from confluent_kafka.admin import AdminClient, NewTopic

        topic = h.unique_topic(prefix or self.prefix)
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

    def produce(self, bootstrap: str, topic: str, records: Sequence[h.Rec], **config: object) -> list[h.Delivered]:
        import confluent_kafka as ck

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

    @staticmethod
    def new_consumer(bootstrap: str) -> Any:
        import confluent_kafka as ck

        return ck.Consumer({"bootstrap.servers": bootstrap, "group.id": f"compat-{uuid.uuid4().hex}"})

    def consume(self, bootstrap: str, topic: str, counts: dict[int, int], timeout: float = 90) -> list[h.Got]:
        import confluent_kafka as ck

        consumer = self.new_consumer(bootstrap)
        try:
            consumer.assign([ck.TopicPartition(topic, p, ck.OFFSET_BEGINNING) for p in counts])
            got: list[h.Got] = []
            progress = h.Progress(counts, timeout)
            for wait in progress.waits():
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

    def offsets(self, bootstrap: str, topic: str, partitions: int = h.PARTITIONS) -> dict[int, tuple[int, int]]:
        # the watermarks (read_committed: latest is the LSO)
        import confluent_kafka as ck

        consumer = self.new_consumer(bootstrap)
        try:
            return {
                p: consumer.get_watermark_offsets(ck.TopicPartition(topic, p), timeout=TIMEOUT_S, cached=False)
                for p in range(partitions)
            }
        finally:
            consumer.close()

    def offsets_for_times(self, bootstrap: str, topic: str, queries: Sequence[tuple[int, int]]) -> list[TimeAnswer]:
        import confluent_kafka as ck

        consumer = self.new_consumer(bootstrap)
        try:
            out = []
            for p, ts in queries:
                [answer] = consumer.offsets_for_times([ck.TopicPartition(topic, p, ts)], timeout=TIMEOUT_S)
                # librdkafka reports "no such offset" as offset -1 (OFFSET_END)
                offset = None if answer.offset == ck.OFFSET_END else answer.offset
                error = None if answer.error is None else str(answer.error)
                out.append(TimeAnswer(offset, None, error))
            return out
        finally:
            consumer.close()


CLIENTS: dict[str, ClientDriver] = {
    c.name: c for c in (KafkaPythonClient(), AiokafkaClient(), ConfluentClient())
}
