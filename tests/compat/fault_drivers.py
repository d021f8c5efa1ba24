"""Client drivers for the fault and cluster tests (test_faults.py, test_cluster.py).

Each driver runs one client library's idempotent producer, partition consumer or group
consumer, tuned to notice trouble quickly (short retry and reconnect backoffs, a short
metadata max age, short session timeouts), and calls the test back at fixed points so the
test can change the cluster *while* the client works:

- ``produce(bootstrap, topic, items, chunk, hook)`` sends ``items`` in chunks; after the
  records of chunk ``i`` are handed to the client and before their delivery is awaited, it
  calls ``hook(i)``, so a fault the hook makes meets requests in flight. Returns where the
  client says each item landed.
- ``consume(bootstrap, topic, counts, hook)`` assigns every partition from the beginning
  and reads until ``counts[p]`` records of each partition came, calling ``hook(n)`` with
  the number read so far after every poll that returned records.
- ``group_consume(bootstrap, topic, group, stop_after, hook)`` subscribes in ``group``,
  commits synchronously after every poll, calls ``hook(n)`` after each commit, and closes
  once ``stop_after`` records were read (or every record of ``counts``).

Hooks run on the client's own thread (aiokafka: off the event loop, through
``asyncio.to_thread``, so the client keeps working while a hook blocks on the control API).

Items are ``Item(index, partition, key, value)``; ``check_exact`` asserts that what a
consumer read is every item once, in per-partition produce order, at offsets 0..n-1.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Sequence, Sized
from dataclasses import dataclass
from typing import Any

import compat_helpers as h

#: A loop that sees no progress for this long gives up (faults here cost a few seconds).
IDLE_S = 30.0
#: Overall bound on one produce or consume call.
CALL_S = 60.0

Hook = Callable[[int], None] | None


@dataclass(frozen=True)
class Item:
    index: int
    partition: int
    key: bytes
    value: bytes


@dataclass(frozen=True, order=True)
class Acked:
    index: int
    partition: int
    offset: int


@dataclass(frozen=True, order=True)
class Read:
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None


def items(n: int, partitions: int, tag: str = "r") -> list[Item]:
    """Item i goes to partition i % partitions, so partition p holds p, p+P, ... at 0, 1, ..."""
    return [
        Item(
            i, i % partitions, b"%s-key-%d" % (tag.encode(), i), b"%s-value-%d" % (tag.encode(), i)
        )
        for i in range(n)
    ]


def counts(sent: Sequence[Item], partitions: int) -> dict[int, int]:
    out = dict.fromkeys(range(partitions), 0)
    for item in sent:
        out[item.partition] += 1
    return out


def expected_offsets(sent: Sequence[Item], first: dict[int, int] | None = None) -> dict[int, int]:
    nxt = dict(first or {})
    out = {}
    for item in sent:
        out[item.index] = nxt.get(item.partition, 0)
        nxt[item.partition] = out[item.index] + 1
    return out


def check_acked(sent: Sequence[Item], acked: Sequence[Acked]) -> None:
    """The producer reports item i at partition i % P, offset i // P: nothing twice, no gap."""
    offsets = expected_offsets(sent)
    want = sorted(Acked(i.index, i.partition, offsets[i.index]) for i in sent)
    got = sorted(acked)
    problems = [f"{g} != expected {w}" for g, w in zip(got, want, strict=False) if g != w]
    assert len(got) == len(want) and not problems, (
        f"{len(got)} delivery reports for {len(want)} records; first differences:\n"
        + "\n".join(problems[:10])
    )


def check_exact(
    sent: Sequence[Item], reads: Sequence[Read], first: dict[int, int] | None = None
) -> None:
    """Every item read once, in per-partition produce order, at offsets first[p], first[p]+1..."""
    offsets = expected_offsets(sent, first)
    by_partition: dict[int, list[Read]] = {}
    for r in reads:
        by_partition.setdefault(r.partition, []).append(r)
    want_by_partition: dict[int, list[Read]] = {}
    for i in sent:
        want_by_partition.setdefault(i.partition, []).append(
            Read(i.partition, offsets[i.index], i.key, i.value)
        )
    problems = []
    for p in sorted(set(by_partition) | set(want_by_partition)):
        have, want = by_partition.get(p, []), want_by_partition.get(p, [])
        if have != want:
            seen = [r.offset for r in have]
            problems.append(
                f"partition {p}: read {len(have)} records, expected {len(want)}; "
                f"{len(seen) - len(set(seen))} duplicate offsets; first difference: "
                + next(
                    (f"{a} != {b}" for a, b in zip(have, want, strict=False) if a != b), "lengths"
                )
            )
    assert not problems, "records read back differ:\n" + "\n".join(problems)


class Budget:
    """A bounded loop: ends when ``done()``, or fails after IDLE_S without progress or CALL_S
    in all."""

    def __init__(self, what: str, done: Callable[[], bool]) -> None:
        self.what, self.done = what, done
        self.start = self.last = time.monotonic()
        self.mark: Any = None

    def waits(self, progress: Sized, step: float = 0.5):  # type: ignore[no-untyped-def]
        """Loop while not done; ``len(progress)`` growing counts as progress."""
        while not self.done():
            now = time.monotonic()
            current = len(progress)
            if current != self.mark:
                self.mark, self.last = current, now
            if now - self.last > IDLE_S or now - self.start > CALL_S:
                raise AssertionError(
                    f"{self.what}: no progress for {now - self.last:.0f}s "
                    f"({now - self.start:.0f}s in all); at {current}"
                )
            yield step


class Driver:
    name = ""
    #: Set when a scenario is a known limitation of the client (the test skips with it).
    limits: dict[str, str] = {}

    def produce(
        self, bootstrap: str, topic: str, sent: Sequence[Item], chunk: int = 20, hook: Hook = None
    ) -> list[Acked]:
        raise NotImplementedError

    def consume(
        self,
        bootstrap: str,
        topic: str,
        want: dict[int, int],
        hook: Hook = None,
        small_fetch: int | None = None,
    ) -> list[Read]:
        raise NotImplementedError

    def group_consume(
        self,
        bootstrap: str,
        topic: str,
        group: str,
        want: dict[int, int],
        stop_after: int | None = None,
        hook: Hook = None,
    ) -> list[Read]:
        raise NotImplementedError


def _chunks(sent: Sequence[Item], size: int) -> list[Sequence[Item]]:
    return [sent[i : i + size] for i in range(0, len(sent), size)]


def _call(hook: Hook, n: int) -> None:
    if hook is not None:
        hook(n)


# --------------------------------------------------------------------------- kafka-python


class KafkaPythonDriver(Driver):
    name = "kafka-python"
    common = {
        "retry_backoff_ms": 50,
        "reconnect_backoff_ms": 50,
        "reconnect_backoff_max_ms": 500,
        "metadata_max_age_ms": 2000,
        "request_timeout_ms": 8000,
    }

    def produce(
        self, bootstrap: str, topic: str, sent: Sequence[Item], chunk: int = 20, hook: Hook = None
    ) -> list[Acked]:
        from kafka import KafkaProducer

        producer = KafkaProducer(
            bootstrap_servers=bootstrap,
            enable_idempotence=True,
            acks="all",
            linger_ms=5,
            delivery_timeout_ms=45000,
            **self.common,
        )
        try:
            acked = []
            for n, part in enumerate(_chunks(sent, chunk)):
                futures = [
                    producer.send(topic, i.value, key=i.key, partition=i.partition) for i in part
                ]
                _call(hook, n)
                producer.flush(timeout=CALL_S)
                for i, fut in zip(part, futures, strict=True):
                    md = fut.get(timeout=1)
                    acked.append(Acked(i.index, md.partition, md.offset))
            return acked
        finally:
            producer.close(timeout=10)

    def _consumer(self, bootstrap: str, **conf: Any) -> Any:
        from kafka import KafkaConsumer

        return KafkaConsumer(
            bootstrap_servers=bootstrap,
            fetch_max_wait_ms=200,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
            **self.common,
            **conf,
        )

    def consume(
        self,
        bootstrap: str,
        topic: str,
        want: dict[int, int],
        hook: Hook = None,
        small_fetch: int | None = None,
    ) -> list[Read]:
        from kafka import TopicPartition

        conf = {"max_partition_fetch_bytes": small_fetch} if small_fetch else {}
        consumer = self._consumer(bootstrap, **conf)
        try:
            tps = [TopicPartition(topic, p) for p in want]
            consumer.assign(tps)
            consumer.seek_to_beginning(*tps)
            return self._loop(
                consumer,
                "consume",
                lambda reads: len(reads) >= sum(want.values()),
                hook,
                commit=False,
            )
        finally:
            consumer.close()

    def group_consume(
        self,
        bootstrap: str,
        topic: str,
        group: str,
        want: dict[int, int],
        stop_after: int | None = None,
        hook: Hook = None,
    ) -> list[Read]:
        consumer = self._consumer(
            bootstrap,
            group_id=group,
            session_timeout_ms=6000,
            heartbeat_interval_ms=500,
            max_poll_records=25,
        )
        try:
            consumer.subscribe([topic])
            consumer.topics()  # metadata first (see KNOWN_GAPS.md)
            limit = stop_after if stop_after is not None else sum(want.values())
            return self._loop(
                consumer, "group consume", lambda reads: len(reads) >= limit, hook, commit=True
            )
        finally:
            consumer.close()

    @staticmethod
    def _loop(
        consumer: Any, what: str, done: Callable[[list[Read]], bool], hook: Hook, commit: bool
    ) -> list[Read]:
        reads: list[Read] = []
        budget = Budget(what, lambda: done(reads))
        for _ in budget.waits(reads):
            batch = consumer.poll(timeout_ms=500, max_records=25)
            new = [
                Read(tp.partition, rec.offset, rec.key, rec.value)
                for tp, recs in batch.items()
                for rec in recs
            ]
            if new:
                reads += new
                if commit:
                    consumer.commit()
                _call(hook, len(reads))
        return reads


# --------------------------------------------------------------------------- aiokafka


async def _stop_consumer(consumer: Any) -> None:
    """aiokafka 0.14's fetcher awaits the fetch tasks it has just cancelled when it stops; one
    caught in its retry back-off (after a node went away) re-raises that CancelledError from
    ``stop()`` although nothing cancelled us. Only that case is swallowed."""
    try:
        await consumer.stop()
    except asyncio.CancelledError:
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            raise


class AiokafkaDriver(Driver):
    name = "aiokafka"
    common = {
        "retry_backoff_ms": 50,
        "metadata_max_age_ms": 2000,
        "request_timeout_ms": 8000,
    }

    def produce(
        self, bootstrap: str, topic: str, sent: Sequence[Item], chunk: int = 20, hook: Hook = None
    ) -> list[Acked]:
        return asyncio.run(
            asyncio.wait_for(self._produce(bootstrap, topic, sent, chunk, hook), CALL_S)
        )

    async def _produce(
        self, bootstrap: str, topic: str, sent: Sequence[Item], chunk: int, hook: Hook
    ) -> list[Acked]:
        from aiokafka import AIOKafkaProducer

        producer = AIOKafkaProducer(
            bootstrap_servers=bootstrap,
            enable_idempotence=True,
            acks="all",
            linger_ms=5,
            **self.common,
        )
        await producer.start()
        try:
            acked = []
            for n, part in enumerate(_chunks(sent, chunk)):
                futures = [
                    await producer.send(topic, i.value, key=i.key, partition=i.partition)
                    for i in part
                ]
                if hook is not None:
                    await asyncio.to_thread(hook, n)
                for i, md in zip(part, await asyncio.gather(*futures), strict=True):
                    acked.append(Acked(i.index, md.partition, md.offset))
            return acked
        finally:
            await producer.stop()

    def consume(
        self,
        bootstrap: str,
        topic: str,
        want: dict[int, int],
        hook: Hook = None,
        small_fetch: int | None = None,
    ) -> list[Read]:
        async def run() -> list[Read]:
            from aiokafka import AIOKafkaConsumer, TopicPartition

            consumer = AIOKafkaConsumer(
                bootstrap_servers=bootstrap,
                fetch_max_wait_ms=200,
                enable_auto_commit=False,
                auto_offset_reset="earliest",
                **self.common,
                **({"max_partition_fetch_bytes": small_fetch} if small_fetch else {}),
            )
            await consumer.start()
            try:
                tps = [TopicPartition(topic, p) for p in want]
                consumer.assign(tps)
                await consumer.seek_to_beginning(*tps)
                total = sum(want.values())
                return await self._loop(
                    consumer, "consume", lambda reads: len(reads) >= total, hook, commit=False
                )
            finally:
                await _stop_consumer(consumer)

        return asyncio.run(run())

    def group_consume(
        self,
        bootstrap: str,
        topic: str,
        group: str,
        want: dict[int, int],
        stop_after: int | None = None,
        hook: Hook = None,
    ) -> list[Read]:
        async def run() -> list[Read]:
            from aiokafka import AIOKafkaConsumer

            consumer = AIOKafkaConsumer(
                topic,
                bootstrap_servers=bootstrap,
                group_id=group,
                fetch_max_wait_ms=200,
                enable_auto_commit=False,
                auto_offset_reset="earliest",
                session_timeout_ms=6000,
                heartbeat_interval_ms=500,
                **self.common,
            )
            await consumer.start()
            try:
                limit = stop_after if stop_after is not None else sum(want.values())
                return await self._loop(
                    consumer, "group consume", lambda reads: len(reads) >= limit, hook, commit=True
                )
            finally:
                await _stop_consumer(consumer)

        return asyncio.run(run())

    @staticmethod
    async def _loop(
        consumer: Any, what: str, done: Callable[[list[Read]], bool], hook: Hook, commit: bool
    ) -> list[Read]:
        reads: list[Read] = []
        budget = Budget(what, lambda: done(reads))
        for _ in budget.waits(reads):
            batch = await consumer.getmany(timeout_ms=500, max_records=25)
            new = [
                Read(tp.partition, rec.offset, rec.key, rec.value)
                for tp, recs in batch.items()
                for rec in recs
            ]
            if new:
                reads += new
                if commit:
                    await consumer.commit()
                if hook is not None:
                    await asyncio.to_thread(hook, len(reads))
        return reads


# --------------------------------------------------------------------------- confluent-kafka


class ConfluentDriver(Driver):
    name = "confluent-kafka"
    common = {
        "retry.backoff.ms": 50,
        "retry.backoff.max.ms": 200,
        "reconnect.backoff.ms": 50,
        "reconnect.backoff.max.ms": 500,
        "topic.metadata.refresh.interval.ms": 2000,
        "socket.timeout.ms": 8000,
    }

    def produce(
        self, bootstrap: str, topic: str, sent: Sequence[Item], chunk: int = 20, hook: Hook = None
    ) -> list[Acked]:
        import confluent_kafka as ck

        producer = ck.Producer(
            {
                "bootstrap.servers": bootstrap,
                "enable.idempotence": True,
                "linger.ms": 5,
                "message.timeout.ms": 45000,
                **self.common,
            }
        )
        acked: list[Acked] = []
        errors: list[str] = []

        def report(index: int):  # type: ignore[no-untyped-def]
            def on_delivery(err, msg) -> None:  # type: ignore[no-untyped-def]
                if err is not None:
                    errors.append(f"item {index}: {err}")
                else:
                    acked.append(Acked(index, msg.partition(), msg.offset()))

            return on_delivery

        for n, part in enumerate(_chunks(sent, chunk)):
            for i in part:
                producer.produce(
                    topic, i.value, i.key, partition=i.partition, on_delivery=report(i.index)
                )
            producer.poll(0)
            _call(hook, n)
            assert producer.flush(CALL_S) == 0, f"chunk {n} undelivered after {CALL_S}s"
            assert not errors, "delivery errors:\n" + "\n".join(errors[:10])
        return acked

    def _consumer(self, bootstrap: str, **conf: Any) -> Any:
        import confluent_kafka as ck

        return ck.Consumer(
            {
                "bootstrap.servers": bootstrap,
                "group.id": f"fault-{uuid.uuid4().hex[:10]}",
                "enable.auto.commit": False,
                "auto.offset.reset": "earliest",
                "fetch.wait.max.ms": 200,
                "topic.metadata.refresh.interval.ms": 2000,
                "retry.backoff.ms": 50,
                "retry.backoff.max.ms": 200,
                "reconnect.backoff.ms": 50,
                "reconnect.backoff.max.ms": 500,
                **conf,
            }
        )

    def consume(
        self,
        bootstrap: str,
        topic: str,
        want: dict[int, int],
        hook: Hook = None,
        small_fetch: int | None = None,
    ) -> list[Read]:
        import confluent_kafka as ck

        consumer = self._consumer(
            bootstrap, **({"max.partition.fetch.bytes": small_fetch} if small_fetch else {})
        )
        try:
            consumer.assign([ck.TopicPartition(topic, p, ck.OFFSET_BEGINNING) for p in want])
            total = sum(want.values())
            return self._loop(
                consumer, "consume", lambda reads: len(reads) >= total, hook, commit=False
            )
        finally:
            consumer.close()

    def group_consume(
        self,
        bootstrap: str,
        topic: str,
        group: str,
        want: dict[int, int],
        stop_after: int | None = None,
        hook: Hook = None,
    ) -> list[Read]:
        consumer = self._consumer(
            bootstrap,
            **{"group.id": group, "session.timeout.ms": 6000, "heartbeat.interval.ms": 500},
        )
        try:
            consumer.subscribe([topic])
            limit = stop_after if stop_after is not None else sum(want.values())
            return self._loop(
                consumer, "group consume", lambda reads: len(reads) >= limit, hook, commit=True
            )
        finally:
            consumer.close()

    @staticmethod
    def _loop(
        consumer: Any, what: str, done: Callable[[list[Read]], bool], hook: Hook, commit: bool
    ) -> list[Read]:
        import confluent_kafka as ck

        reads: list[Read] = []
        budget = Budget(what, lambda: done(reads))
        for _ in budget.waits(reads):
            new = []
            for msg in consumer.consume(num_messages=25, timeout=0.5):
                if msg.error() is not None:
                    if msg.error().code() == ck.KafkaError._PARTITION_EOF:
                        continue
                    raise ck.KafkaException(msg.error())
                new.append(Read(msg.partition(), msg.offset(), msg.key(), msg.value()))
            if new:
                reads += new
                if commit:
                    consumer.commit(asynchronous=False)
                _call(hook, len(reads))
        return reads


DRIVERS: dict[str, Driver] = {
    d.name: d for d in (KafkaPythonDriver(), AiokafkaDriver(), ConfluentDriver())
}


def server_log_tail(server: Any, lines: int = 40) -> str:
    try:
        return str(server.log_tail(lines))
    except Exception as exc:  # noqa: BLE001 - diagnostics only
        return f"(no log: {exc})"


__all__ = [
    "DRIVERS",
    "Acked",
    "Driver",
    "Item",
    "Read",
    "check_acked",
    "check_exact",
    "counts",
    "items",
    "server_log_tail",
    "h",
]
