"""One driver per client library for the transaction tests (``test_transactions.py``).

A driver hides a client's transactional producer and its consumers behind the same
blocking calls: a producer that has run ``init_transactions`` (begin, send, flush, commit,
abort, send offsets), a read of a topic from the beginning at either isolation level, the
end offsets at either isolation level and a group's committed offsets. Client errors come
out as ``ClientError`` with the client's name for the error. conftest.py registers this
module as ``compat_txn_helpers``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import queue
import shutil
import subprocess
import threading
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

TIMEOUT_S = 15.0
#: a read gives up this long after it started, whatever it has seen
READ_TIMEOUT_S = 10.0
API_VERSIONS = 18


class Rec(NamedTuple):
    """A consumed (or expected) record: no timestamps or headers, those are not at stake here."""

    partition: int
    offset: int
    key: bytes | None
    value: bytes | None


class ClientError(Exception):
    """A call the client refused or failed; ``name`` is the client's name for the error."""

    def __init__(self, name: str, detail: str = ""):
        super().__init__(f"{name}: {detail}" if detail else name)
        self.name = name
        self.detail = detail


def _wrap(exc: BaseException) -> ClientError:
    if isinstance(exc, ClientError):
        return exc
    import confluent_kafka as ck

    if isinstance(exc, ck.KafkaException) and exc.args and isinstance(exc.args[0], ck.KafkaError):
        err = exc.args[0]
        return ClientError(err.name(), err.str())
    return ClientError(type(exc).__name__, str(exc))


def sort_recs(recs: Sequence[Rec]) -> list[Rec]:
    return sorted(recs, key=lambda r: (r.partition, r.offset))


class TxnProducer:
    """A transactional producer after ``init_transactions``."""

    def begin(self) -> None:
        raise NotImplementedError

    def send(self, topic: str, partition: int, key: bytes, value: bytes) -> None:
        """Queue one record in the current transaction (``flush`` or ``commit`` sends it)."""
        raise NotImplementedError

    def flush(self) -> None:
        raise NotImplementedError

    def commit(self) -> None:
        raise NotImplementedError

    def abort(self) -> None:
        raise NotImplementedError

    def send_offsets(self, topic: str, offsets: dict[int, int], group: str) -> None:
        raise NotImplementedError

    def send_outside(self, topic: str, partition: int, key: bytes, value: bytes) -> str | None:
        """Produce with no transaction begun: the error name if the client refuses, else
        None once the record is acknowledged (then it went out as a plain record)."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class TxnDriver:
    name = ""
    #: the client refuses a produce on a transactional producer outside a transaction
    refuses_send_outside = True

    def producer(self, broker: Any, txn_id: str, timeout_ms: int | None = None) -> TxnProducer:
        raise NotImplementedError

    def read(self, broker: Any, topic: str, counts: dict[int, int], committed: bool) -> list[Rec]:
        """Every partition of ``counts`` from the beginning until that many records of each
        arrived (or READ_TIMEOUT_S passed); ``committed`` picks read_committed."""
        raise NotImplementedError

    def end_offsets(self, broker: Any, topic: str, partitions: Sequence[int], committed: bool) -> dict[int, int] | None:
        """ListOffsets latest: the high watermark (read_uncommitted) or the last stable offset
        (read_committed); None if the client has no way to ask at that isolation level."""
        raise NotImplementedError

    def committed(self, broker: Any, group: str, topic: str, partitions: Sequence[int]) -> dict[int, int | None]:
        """OffsetFetch (not requiring stable offsets): None where the group has no offset."""
        raise NotImplementedError

    def close(self) -> None:
        pass


def _isolation(committed: bool) -> str:
    return "read_committed" if committed else "read_uncommitted"


class _Reading:
    """Counts per partition and the read's deadline."""

    def __init__(self, counts: dict[int, int]):
        self.counts = counts
        self.got: list[Rec] = []
        self.end = time.monotonic() + READ_TIMEOUT_S

    def add(self, rec: Rec) -> None:
        self.got.append(rec)

    def done(self) -> bool:
        have = dict.fromkeys(self.counts, 0)
        for r in self.got:
            have[r.partition] = have.get(r.partition, 0) + 1
        return all(have[p] >= n for p, n in self.counts.items())

    def wait_s(self) -> float:
        if self.done():
            return 0.0
        return max(0.0, min(self.end - time.monotonic(), 0.5))


# --------------------------------------------------------------------------- kafka-python


def _kp_extra(broker: Any) -> dict[str, Any]:
    """kafka-python 3.0.12 opens with ApiVersions v3/v4; a broker whose ApiVersions tops out
    below v3 must answer that with a v0-shaped UNSUPPORTED_VERSION, which some brokers get
    wrong. Against such a broker pin the version it starts from (it still negotiates every
    other API from the broker's answer)."""
    lo_hi = broker.versions.get(API_VERSIONS)
    if lo_hi is not None and lo_hi[1] < 3:
        return {"api_version": (2, 0)}
    return {}


class KafkaPythonProducer(TxnProducer):
    def __init__(self, broker: Any, txn_id: str, timeout_ms: int | None):
        from kafka import KafkaProducer

        config: dict[str, Any] = {"transactional_id": txn_id, **_kp_extra(broker)}
        if timeout_ms is not None:
            config["transaction_timeout_ms"] = timeout_ms
        self.p = KafkaProducer(bootstrap_servers=broker.bootstrap, max_block_ms=int(TIMEOUT_S * 1000), **config)
        self.futures: list[Any] = []
        self._call(self.p.init_transactions)

    @staticmethod
    def _call(fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except Exception as exc:  # noqa: BLE001 - reported by name
            raise _wrap(exc) from exc

    def begin(self) -> None:
        self._call(self.p.begin_transaction)

    def send(self, topic: str, partition: int, key: bytes, value: bytes) -> None:
        self.futures.append(self._call(lambda: self.p.send(topic, key=key, value=value, partition=partition)))

    def flush(self) -> None:
        self._call(self.p.flush, TIMEOUT_S)
        futures, self.futures = self.futures, []
        for f in futures:
            self._call(f.get, TIMEOUT_S)

    def commit(self) -> None:
        self._call(self.p.commit_transaction)
        self.futures = []

    def abort(self) -> None:
        self._call(self.p.abort_transaction)
        self.futures = []

    def send_offsets(self, topic: str, offsets: dict[int, int], group: str) -> None:
        from kafka import OffsetAndMetadata, TopicPartition

        tps = {TopicPartition(topic, p): OffsetAndMetadata(o, "", -1) for p, o in offsets.items()}
        self._call(self.p.send_offsets_to_transaction, tps, group)

    def send_outside(self, topic: str, partition: int, key: bytes, value: bytes) -> str | None:
        try:
            self.p.send(topic, key=key, value=value, partition=partition).get(TIMEOUT_S)
        except Exception as exc:  # noqa: BLE001
            return _wrap(exc).name
        return None

    def close(self) -> None:
        with contextlib.suppress(Exception):  # a fenced producer may complain on close
            self.p.close(timeout=5)


class KafkaPythonTxn(TxnDriver):
    name = "kafka-python"

    def producer(self, broker: Any, txn_id: str, timeout_ms: int | None = None) -> TxnProducer:
        return KafkaPythonProducer(broker, txn_id, timeout_ms)

    def _consumer(self, broker: Any, committed: bool, **config: Any) -> Any:
        from kafka import KafkaConsumer

        return KafkaConsumer(
            bootstrap_servers=broker.bootstrap, isolation_level=_isolation(committed),
            enable_auto_commit=False, **_kp_extra(broker), **config,
        )

    def read(self, broker: Any, topic: str, counts: dict[int, int], committed: bool) -> list[Rec]:
        from kafka import TopicPartition

        consumer = self._consumer(broker, committed)
        try:
            tps = [TopicPartition(topic, p) for p in counts]
            consumer.assign(tps)
            consumer.seek_to_beginning(*tps)
            reading = _Reading(counts)
            for _ in range(10_000):
                wait = reading.wait_s()
                if wait <= 0:
                    break
                for tp, recs in consumer.poll(timeout_ms=max(1, int(wait * 1000))).items():
                    for r in recs:
                        reading.add(Rec(tp.partition, r.offset, r.key, r.value))
            return reading.got
        finally:
            consumer.close()

    def end_offsets(self, broker: Any, topic: str, partitions: Sequence[int], committed: bool) -> dict[int, int] | None:
        from kafka import TopicPartition

        consumer = self._consumer(broker, committed)
        try:
            ends = consumer.end_offsets([TopicPartition(topic, p) for p in partitions])
            return {tp.partition: o for tp, o in ends.items()}
        finally:
            consumer.close()

    def committed(self, broker: Any, group: str, topic: str, partitions: Sequence[int]) -> dict[int, int | None]:
        from kafka import TopicPartition

        consumer = self._consumer(broker, False, group_id=group)
        try:
            out = {}
            for p in partitions:
                answer = consumer.committed(TopicPartition(topic, p))
                out[p] = None if answer is None or answer < 0 else answer
            return out
        finally:
            consumer.close()


# --------------------------------------------------------------------------- aiokafka


class AiokafkaProducer(TxnProducer):
    """aiokafka's producer lives on its own event loop; each call runs one coroutine on it."""

    def __init__(self, broker: Any, txn_id: str, timeout_ms: int | None):
        from aiokafka import AIOKafkaProducer

        self.loop = asyncio.new_event_loop()
        config: dict[str, Any] = {"transactional_id": txn_id}
        if timeout_ms is not None:
            config["transaction_timeout_ms"] = timeout_ms

        async def make() -> Any:
            p = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, **config)
            await p.start()  # InitProducerId with the transactional id
            return p

        self.futures: list[Any] = []
        try:
            self.p = self._run(make())
        except BaseException:
            self.loop.close()
            raise

    def _run(self, coro: Any) -> Any:
        try:
            return self.loop.run_until_complete(asyncio.wait_for(coro, TIMEOUT_S))
        except Exception as exc:  # noqa: BLE001
            raise _wrap(exc) from exc

    def begin(self) -> None:
        self._run(self.p.begin_transaction())

    def send(self, topic: str, partition: int, key: bytes, value: bytes) -> None:
        self.futures.append(self._run(self.p.send(topic, key=key, value=value, partition=partition)))

    def flush(self) -> None:
        self._run(self.p.flush())
        futures, self.futures = self.futures, []
        for f in futures:
            self._run(f)

    def commit(self) -> None:
        self._run(self.p.commit_transaction())
        self.futures = []

    def abort(self) -> None:
        self._run(self.p.abort_transaction())
        self.futures = []

    def send_offsets(self, topic: str, offsets: dict[int, int], group: str) -> None:
        from aiokafka import TopicPartition

        self._run(self.p.send_offsets_to_transaction({TopicPartition(topic, p): o for p, o in offsets.items()}, group))

    def send_outside(self, topic: str, partition: int, key: bytes, value: bytes) -> str | None:
        async def go() -> None:
            fut = await self.p.send(topic, key=key, value=value, partition=partition)
            await fut

        try:
            self._run(go())
        except ClientError as exc:
            return exc.name
        return None

    def close(self) -> None:
        try:
            self._run(self.p.stop())
        except ClientError:
            pass
        finally:
            self.loop.close()


class AiokafkaTxn(TxnDriver):
    name = "aiokafka"

    def producer(self, broker: Any, txn_id: str, timeout_ms: int | None = None) -> TxnProducer:
        return AiokafkaProducer(broker, txn_id, timeout_ms)

    @staticmethod
    def _with_consumer(broker: Any, committed: bool, fn: Any, **config: Any) -> Any:
        from aiokafka import AIOKafkaConsumer

        async def run() -> Any:
            consumer = AIOKafkaConsumer(
                bootstrap_servers=broker.bootstrap, isolation_level=_isolation(committed),
                enable_auto_commit=False, **config,
            )
            try:
                await consumer.start()
                return await fn(consumer)
            finally:
                await consumer.stop()

        return asyncio.run(asyncio.wait_for(run(), READ_TIMEOUT_S + TIMEOUT_S))

    def read(self, broker: Any, topic: str, counts: dict[int, int], committed: bool) -> list[Rec]:
        from aiokafka import TopicPartition

        async def fn(consumer: Any) -> list[Rec]:
            tps = [TopicPartition(topic, p) for p in counts]
            consumer.assign(tps)
            await consumer.seek_to_beginning(*tps)
            reading = _Reading(counts)
            for _ in range(10_000):
                wait = reading.wait_s()
                if wait <= 0:
                    break
                batch = await consumer.getmany(timeout_ms=max(1, int(wait * 1000)))
                for tp, recs in batch.items():
                    for r in recs:
                        reading.add(Rec(tp.partition, r.offset, r.key, r.value))
            return reading.got

        return self._with_consumer(broker, committed, fn)

    def end_offsets(self, broker: Any, topic: str, partitions: Sequence[int], committed: bool) -> dict[int, int] | None:
        from aiokafka import TopicPartition

        async def fn(consumer: Any) -> dict[int, int]:
            ends = await consumer.end_offsets([TopicPartition(topic, p) for p in partitions])
            return {tp.partition: o for tp, o in ends.items()}

        return self._with_consumer(broker, committed, fn)

    def committed(self, broker: Any, group: str, topic: str, partitions: Sequence[int]) -> dict[int, int | None]:
        from aiokafka import TopicPartition

        async def fn(consumer: Any) -> dict[int, int | None]:
            out: dict[int, int | None] = {}
            for p in partitions:
                answer = await consumer.committed(TopicPartition(topic, p))
                out[p] = None if answer is None or answer < 0 else answer
            return out

        return self._with_consumer(broker, False, fn, group_id=group)


# --------------------------------------------------------------------------- confluent-kafka


class ConfluentProducer(TxnProducer):
    def __init__(self, broker: Any, txn_id: str, timeout_ms: int | None):
        import confluent_kafka as ck

        config: dict[str, Any] = {"bootstrap.servers": broker.bootstrap, "transactional.id": txn_id}
        if timeout_ms is not None:
            config["transaction.timeout.ms"] = timeout_ms
        self.p = ck.Producer(config)
        self.errors: list[str] = []
        self.bootstrap = broker.bootstrap
        self._call(self.p.init_transactions, TIMEOUT_S)

    @staticmethod
    def _call(fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except Exception as exc:  # noqa: BLE001
            raise _wrap(exc) from exc

    def _report(self, err: Any, msg: Any) -> None:
        if err is not None:
            self.errors.append(err.name())

    def begin(self) -> None:
        self._call(self.p.begin_transaction)

    def send(self, topic: str, partition: int, key: bytes, value: bytes) -> None:
        self._call(lambda: self.p.produce(topic, key=key, value=value, partition=partition, on_delivery=self._report))

    def flush(self) -> None:
        remaining = self.p.flush(TIMEOUT_S)
        errors, self.errors = self.errors, []
        if errors:
            raise ClientError(errors[0], f"delivery errors {errors}")
        if remaining:
            raise ClientError("FlushTimeout", f"{remaining} records undelivered")

    def commit(self) -> None:
        self._call(self.p.commit_transaction, TIMEOUT_S)

    def abort(self) -> None:
        self._call(self.p.abort_transaction, TIMEOUT_S)

    def send_offsets(self, topic: str, offsets: dict[int, int], group: str) -> None:
        import confluent_kafka as ck

        # the group metadata of a consumer that has not joined: generation -1, no member id
        consumer = ck.Consumer({"bootstrap.servers": self.bootstrap, "group.id": group, "enable.auto.commit": False})
        try:
            tps = [ck.TopicPartition(topic, p, o) for p, o in offsets.items()]
            self._call(self.p.send_offsets_to_transaction, tps, consumer.consumer_group_metadata(), TIMEOUT_S)
        finally:
            consumer.close()

    def send_outside(self, topic: str, partition: int, key: bytes, value: bytes) -> str | None:
        try:
            self.send(topic, partition, key, value)
            self.flush()
        except ClientError as exc:
            return exc.name
        return None

    def close(self) -> None:
        # a fenced producer's fatal error comes out of flush() too, whatever the broker
        with contextlib.suppress(Exception):
            self.p.purge()
            self.p.flush(0)
        del self.p


class ConfluentTxn(TxnDriver):
    name = "confluent-kafka"

    def producer(self, broker: Any, txn_id: str, timeout_ms: int | None = None) -> TxnProducer:
        return ConfluentProducer(broker, txn_id, timeout_ms)

    @staticmethod
    def _consumer(broker: Any, committed: bool, group: str | None = None) -> Any:
        import confluent_kafka as ck

        return ck.Consumer({
            "bootstrap.servers": broker.bootstrap,
            "group.id": group or f"compat-txn-{uuid.uuid4().hex}",
            "isolation.level": _isolation(committed),
            "enable.auto.commit": False,
        })

    def read(self, broker: Any, topic: str, counts: dict[int, int], committed: bool) -> list[Rec]:
        import confluent_kafka as ck

        consumer = self._consumer(broker, committed)
        try:
            consumer.assign([ck.TopicPartition(topic, p, ck.OFFSET_BEGINNING) for p in counts])
            reading = _Reading(counts)
            for _ in range(10_000):
                wait = reading.wait_s()
                if wait <= 0:
                    break
                for msg in consumer.consume(num_messages=1000, timeout=wait):
                    if msg.error() is not None:
                        raise ck.KafkaException(msg.error())
                    reading.add(Rec(msg.partition(), msg.offset(), msg.key(), msg.value()))
            return reading.got
        finally:
            consumer.close()

    def end_offsets(self, broker: Any, topic: str, partitions: Sequence[int], committed: bool) -> dict[int, int] | None:
        import confluent_kafka as ck

        consumer = self._consumer(broker, committed)
        try:
            return {
                p: consumer.get_watermark_offsets(ck.TopicPartition(topic, p), timeout=TIMEOUT_S, cached=False)[1]
                for p in partitions
            }
        finally:
            consumer.close()

    def committed(self, broker: Any, group: str, topic: str, partitions: Sequence[int]) -> dict[int, int | None]:
        import confluent_kafka as ck

        # read_uncommitted: librdkafka asks OffsetFetch for stable offsets only when read_committed
        consumer = self._consumer(broker, False, group)
        try:
            answer = consumer.committed([ck.TopicPartition(topic, p) for p in partitions], timeout=TIMEOUT_S)
            return {tp.partition: (None if tp.offset < 0 else tp.offset) for tp in answer}
        finally:
            consumer.close()


# --------------------------------------------------------------------------- KafkaJS


JS_DIR = Path(__file__).with_name("js")
NODE = shutil.which("node")


def kafkajs_missing() -> str | None:
    if NODE is None:
        return "node is not on PATH"
    if not (JS_DIR / "node_modules" / "kafkajs" / "package.json").is_file():
        return "KafkaJS is not installed in tests/compat/js/node_modules: run `npm ci --prefix tests/compat/js`"
    return None


def _js_error_name(error: dict[str, Any]) -> str:
    """The Kafka error type (e.g. PRODUCER_FENCED) of a KafkaJS error or of the error it wraps,
    else the error class name."""
    e: dict[str, Any] | None = error
    for _ in range(5):
        if e is None:
            break
        if e.get("type"):
            return str(e["type"])
        e = e.get("original")
    return str(error.get("name") or "Error")


class _Agent:
    """``node js/txn_agent.js``: one JSON command per stdin line, one JSON answer per stdout line."""

    def __init__(self) -> None:
        assert NODE is not None
        self.proc = subprocess.Popen(
            [NODE, str(JS_DIR / "txn_agent.js")], cwd=str(JS_DIR),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=dict(os.environ, KAFKAJS_NO_PARTITIONER_WARNING="1"),
        )
        self.lines: queue.Queue[bytes] = queue.Queue()
        self.stderr: list[str] = []
        threading.Thread(target=self._pump, args=(self.proc.stdout, self.lines.put), daemon=True).start()
        threading.Thread(target=self._pump, args=(self.proc.stderr, self._err), daemon=True).start()
        self.seq = 0

    @staticmethod
    def _pump(stream: Any, put: Any) -> None:
        for line in iter(stream.readline, b""):
            put(line)
        put(b"")

    def _err(self, line: bytes) -> None:
        self.stderr = (self.stderr + [line.decode(errors="replace").rstrip()])[-30:]

    def call(self, op: str, timeout_s: float = TIMEOUT_S + 5, **args: Any) -> Any:
        self.seq += 1
        request = {"id": self.seq, "op": op, "timeoutMs": int((timeout_s - 2) * 1000), **args}
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(request).encode() + b"\n")
        self.proc.stdin.flush()
        end = time.monotonic() + timeout_s
        for _ in range(1000):
            left = end - time.monotonic()
            if left <= 0:
                break
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            if not line:
                raise RuntimeError(f"txn_agent.js exited during {op}: {self.stderr}")
            answer = json.loads(line)
            if answer.get("id") != self.seq:
                continue
            if not answer["ok"]:
                e = answer["error"]
                raise ClientError(_js_error_name(e), json.dumps(e))
            return answer.get("result")
        self.close()
        raise RuntimeError(f"txn_agent.js did not answer {op} within {timeout_s:.0f}s: {self.stderr}")

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)


class KafkaJSProducer(TxnProducer):
    """KafkaJS's transaction object. ``send`` awaits the produce request (KafkaJS sends each
    ``send`` at once), so ``flush`` has nothing left to do."""

    def __init__(self, agent: _Agent, broker: Any, txn_id: str, timeout_ms: int | None):
        self.agent = agent
        self.ref = f"p{uuid.uuid4().hex[:8]}"
        self.agent.call("producer", ref=self.ref, bootstrap=broker.bootstrap, transactionalId=txn_id,
                        transactionTimeout=timeout_ms)

    def begin(self) -> None:
        self.agent.call("begin", ref=self.ref)

    def send(self, topic: str, partition: int, key: bytes, value: bytes) -> None:
        self.agent.call("send", ref=self.ref, topic=topic, partition=partition,
                        key=key.decode(), value=value.decode())

    def flush(self) -> None:
        pass

    def commit(self) -> None:
        self.agent.call("commit", ref=self.ref)

    def abort(self) -> None:
        self.agent.call("abort", ref=self.ref)

    def send_offsets(self, topic: str, offsets: dict[int, int], group: str) -> None:
        self.agent.call("sendOffsets", ref=self.ref, group=group, topic=topic,
                        offsets={str(p): str(o) for p, o in offsets.items()})

    def send_outside(self, topic: str, partition: int, key: bytes, value: bytes) -> str | None:
        """KafkaJS has no refusal here: ``producer.send`` outside ``transaction()`` is a plain
        produce by design (only the ended transaction object refuses, see ``send``)."""
        try:
            self.agent.call("sendPlain", ref=self.ref, topic=topic, partition=partition,
                            key=key.decode(), value=value.decode())
        except ClientError as exc:
            return exc.name
        return None

    def close(self) -> None:
        with contextlib.suppress(ClientError, RuntimeError):
            self.agent.call("close", ref=self.ref)


class KafkaJSTxn(TxnDriver):
    """KafkaJS 2.2.4 in node (js/txn_agent.js), one agent process per test."""

    name = "kafkajs"
    refuses_send_outside = False

    def __init__(self) -> None:
        self._agent: _Agent | None = None

    @property
    def agent(self) -> _Agent:
        if self._agent is None or self._agent.proc.poll() is not None:
            self._agent = _Agent()
        return self._agent

    def producer(self, broker: Any, txn_id: str, timeout_ms: int | None = None) -> TxnProducer:
        return KafkaJSProducer(self.agent, broker, txn_id, timeout_ms)

    def read(self, broker: Any, topic: str, counts: dict[int, int], committed: bool) -> list[Rec]:
        got = self.agent.call(
            "read", timeout_s=READ_TIMEOUT_S + 10, bootstrap=broker.bootstrap, topic=topic,
            counts={str(p): n for p, n in counts.items()}, readUncommitted=not committed,
            group=f"compat-txn-kjs-{uuid.uuid4().hex[:12]}", readMs=int(READ_TIMEOUT_S * 1000),
        )
        return [
            Rec(g["partition"], g["offset"], None if g["key"] is None else g["key"].encode(),
                None if g["value"] is None else g["value"].encode())
            for g in got
        ]

    def end_offsets(self, broker: Any, topic: str, partitions: Sequence[int], committed: bool) -> dict[int, int] | None:
        if not committed:
            return None  # KafkaJS's admin client lists offsets read_committed only
        got = self.agent.call("endOffsets", bootstrap=broker.bootstrap, topic=topic)
        return {int(p): int(o) for p, o in got.items() if int(p) in partitions}

    def committed(self, broker: Any, group: str, topic: str, partitions: Sequence[int]) -> dict[int, int | None]:
        got = self.agent.call("committed", bootstrap=broker.bootstrap, group=group, topic=topic)
        return {p: (None if int(got.get(str(p), "-1")) < 0 else int(got[str(p)])) for p in partitions}

    def close(self) -> None:
        if self._agent is not None:
            self._agent.close()
            self._agent = None


DRIVERS = ("kafka-python", "aiokafka", "confluent-kafka", "kafkajs")


def make_driver(name: str) -> TxnDriver:
    return {
        "kafka-python": KafkaPythonTxn,
        "aiokafka": AiokafkaTxn,
        "confluent-kafka": ConfluentTxn,
        "kafkajs": KafkaJSTxn,
    }[name]()
