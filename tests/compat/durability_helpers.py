"""Pieces of the durability tests (``test_crash.py``, ``test_disk_full.py``): kill the broker
process, produce continuously while recording every acknowledgement, read a whole topic back
with two clients and check it against what was acknowledged.

Test modules load this file as ``compat_durability_helpers`` (``--import-mode=importlib``
puts no test folder on ``sys.path``).
"""

from __future__ import annotations

import re
import signal
import struct
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import compat_helpers as h
import confluent_kafka as ck
import pytest
from confluent_kafka.admin import AdminClient, NewTopic

#: Producer settings shared by the durability tests: acks=all, quick reconnects after a
#: restart, a bounded delivery timeout so the final flush ends.
BASE_PRODUCER = {
    "acks": "all",
    "linger.ms": 5,
    "reconnect.backoff.ms": 20,
    "reconnect.backoff.max.ms": 200,
    "message.timeout.ms": 60_000,
    "socket.connection.setup.timeout.ms": 3000,
    "log_level": 2,  # connection refused while the broker restarts is expected noise
}


def kill(broker: h.KafkaliteBroker) -> None:
    """SIGKILL the broker's own process (no shutdown code runs) and reap it."""
    proc, broker.proc = broker.proc, None
    assert proc is not None and proc.poll() is None, "the broker is not running"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=h.STOP_TIMEOUT_S)
    assert proc.returncode == -signal.SIGKILL


@pytest.fixture
def broker_factory(tmp_path: Path) -> Iterator[Any]:
    """``make(**options)`` starts a kafkalite process on its own data directory; every
    process started is stopped (by its pid) when the test ends."""
    started: list[h.KafkaliteBroker] = []

    def make(data_dir: Path | None = None, **options: str) -> h.KafkaliteBroker:
        b = h.KafkaliteBroker(
            data_dir=data_dir or tmp_path / f"data{len(started)}",
            options={"num.partitions": str(h.PARTITIONS), **options},
        )
        started.append(b)
        b.start()
        return b

    if h.external_bootstrap():
        pytest.skip("KAFKALITE_BOOTSTRAP is set: these tests kill and restart the broker")
    try:
        yield make
    finally:
        for b in started:
            b.stop()


def create_topic(
    bootstrap: str, topic: str, partitions: int = h.PARTITIONS, **configs: str
) -> None:
    admin = AdminClient({"bootstrap.servers": bootstrap})
    futures = admin.create_topics(
        [NewTopic(topic, num_partitions=partitions, replication_factor=1, config=configs)],
        operation_timeout=10,
        request_timeout=10,
    )
    futures[topic].result(timeout=30)


def record_id(value: bytes) -> int:
    return int(value.split(b"|", 1)[0])


def make_value(record: int) -> bytes:
    return b"%d|" % record + b"payload-%d-" % record + bytes([65 + record % 26]) * (record % 97)


# --------------------------------------------------------------------------- producing


@dataclass
class Ack:
    partition: int
    offset: int


@dataclass
class ContinuousProducer:
    """A confluent-kafka producer in a thread: record ``i`` goes to partition ``i % P`` with
    value ``make_value(i)``, at about ``rate`` records per second, until stopped or ``limit``
    records were produced. Every delivery report is kept: ``acks`` (record -> partition and
    offset) and ``failures`` (record -> error)."""

    bootstrap: str
    topic: str
    config: Mapping[str, Any]
    partitions: int = h.PARTITIONS
    rate: int = 3000
    limit: int = 200_000
    max_outstanding: int = 2000
    acks: dict[int, Ack] = field(default_factory=dict)
    failures: dict[int, str] = field(default_factory=dict)
    produced: int = 0
    errors: list[str] = field(default_factory=list)  # client-level (error_cb) and thread errors

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="continuous-producer", daemon=True)
        self.unflushed = 0

    def start(self) -> ContinuousProducer:
        self._thread.start()
        return self

    def snapshot(self) -> dict[int, Ack]:
        with self._lock:
            return dict(self.acks)

    def counts(self) -> tuple[int, int, int]:
        with self._lock:
            return self.produced, len(self.acks), len(self.failures)

    def stop(self, timeout: float = 60.0) -> None:
        self._stop.set()
        self._thread.join(timeout)
        assert not self._thread.is_alive(), "the producer thread did not stop"

    def _on_delivery(self, err: ck.KafkaError | None, msg: ck.Message) -> None:
        record = record_id(msg.value())
        with self._lock:
            if err is None:
                assert record not in self.acks, f"record {record} acknowledged twice"
                self.acks[record] = Ack(msg.partition(), msg.offset())
            else:
                self.failures[record] = err.name()

    def _on_error(self, err: ck.KafkaError) -> None:
        # connection refused while the broker restarts is expected; fatal errors are not
        if err.fatal():
            self.errors.append(f"fatal: {err}")

    def _run(self) -> None:
        try:
            producer = ck.Producer(
                {
                    **BASE_PRODUCER,
                    **self.config,
                    "bootstrap.servers": self.bootstrap,
                    "error_cb": self._on_error,
                }
            )
            last = time.monotonic()
            budget = 0.0
            record = 0
            while not self._stop.is_set() and record < self.limit:
                # about ``rate`` records a second, never more than ``max_outstanding`` without
                # a delivery report: no burst of backlog after the broker was down
                now = time.monotonic()
                budget = min(budget + (now - last) * self.rate, self.rate / 10)
                last = now
                with self._lock:
                    room = self.max_outstanding - (record - len(self.acks) - len(self.failures))
                due = min(int(budget), room, self.limit - record)
                budget -= max(due, 0)
                for _ in range(max(due, 0)):
                    try:
                        producer.produce(
                            self.topic,
                            value=make_value(record),
                            key=b"k%d" % record,
                            partition=record % self.partitions,
                            on_delivery=self._on_delivery,
                        )
                    except BufferError:
                        break
                    record += 1
                    with self._lock:
                        self.produced = record
                producer.poll(0.01)
            self.unflushed = producer.flush(60)
        except Exception as exc:  # surfaced by the test through self.errors
            self.errors.append(f"producer thread: {exc!r}")


# --------------------------------------------------------------------------- reading back


@dataclass(frozen=True)
class Stored:
    offset: int
    record: int


def read_confluent(
    bootstrap: str, topic: str, ends: Mapping[int, int], timeout: float = 60.0
) -> dict[int, list[Stored]]:
    """Every record below ``ends[p]`` of each partition, with CRC checks; any consumer error
    fails the test."""
    consumer = ck.Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"crash-check-{time.monotonic_ns()}",
            "enable.auto.commit": False,
            "check.crcs": True,
            "enable.partition.eof": False,
            "fetch.wait.max.ms": 50,
        }
    )
    got: dict[int, list[Stored]] = {p: [] for p in ends}
    try:
        consumer.assign([ck.TopicPartition(topic, p, 0) for p, end in ends.items() if end > 0])
        deadline = time.monotonic() + timeout
        while any(len(got[p]) < end for p, end in ends.items()):
            assert time.monotonic() < deadline, f"confluent read stalled: {_progress(got, ends)}"
            for msg in consumer.consume(1000, timeout=0.5):
                assert msg.error() is None, f"confluent consumer error: {msg.error()}"
                p = msg.partition()
                if msg.offset() < ends[p]:
                    got[p].append(Stored(msg.offset(), record_id(msg.value())))
    finally:
        consumer.close()
    return got


def read_kafka_python(
    bootstrap: str, topic: str, ends: Mapping[int, int], timeout: float = 60.0
) -> dict[int, list[Stored]]:
    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap,
        enable_auto_commit=False,
        group_id=None,
        check_crcs=True,
        fetch_max_wait_ms=50,
        consumer_timeout_ms=500,
    )
    got: dict[int, list[Stored]] = {p: [] for p in ends}
    try:
        partitions = [TopicPartition(topic, p) for p, end in ends.items() if end > 0]
        consumer.assign(partitions)
        for tp in partitions:
            consumer.seek(tp, 0)
        deadline = time.monotonic() + timeout
        while any(len(got[p]) < end for p, end in ends.items()):
            assert time.monotonic() < deadline, f"kafka-python read stalled: {_progress(got, ends)}"
            for tp, messages in consumer.poll(timeout_ms=500, max_records=5000).items():
                for msg in messages:
                    if msg.offset < ends[tp.partition]:
                        got[tp.partition].append(Stored(msg.offset, record_id(msg.value)))
    finally:
        consumer.close()
    return got


def _progress(got: Mapping[int, list[Stored]], ends: Mapping[int, int]) -> str:
    return ", ".join(f"p{p} {len(got[p])}/{end}" for p, end in ends.items())


def high_watermarks(bootstrap: str, topic: str, partitions: int = h.PARTITIONS) -> dict[int, int]:
    consumer = ck.Consumer({"bootstrap.servers": bootstrap, "group.id": "crash-watermarks"})
    try:
        return {
            p: consumer.get_watermark_offsets(ck.TopicPartition(topic, p), timeout=10)[1]
            for p in range(partitions)
        }
    finally:
        consumer.close()


def check_log(
    stored: Mapping[int, list[Stored]],
    acks: Mapping[int, Ack],
    *,
    partitions: int = h.PARTITIONS,
    contiguous: bool = True,
) -> int:
    """The topic as read holds offsets 0..end-1 without holes (unless ``contiguous`` is
    false: the caller removed records of its own), each partition's records in produce order
    and none twice, and every acknowledged record at its acknowledged offset. Returns how
    many acknowledged records were checked."""
    problems: list[str] = []
    at: dict[tuple[int, int], int] = {}
    for p, items in stored.items():
        offsets = [s.offset for s in items]
        if contiguous and offsets != list(range(len(items))):
            problems.append(f"partition {p}: offsets are not 0..{len(items) - 1}")
        records = [s.record for s in items]
        if any(a >= b for a, b in zip(records, records[1:], strict=False)):
            problems.append(f"partition {p}: records out of order or duplicated")
        wrong = [r for r in records if r % partitions != p]
        if wrong:
            problems.append(f"partition {p}: records of other partitions {wrong[:5]}")
        for s in items:
            at[(p, s.offset)] = s.record
    for record, ack in sorted(acks.items()):
        found = at.get((ack.partition, ack.offset))
        if found != record:
            problems.append(
                f"record {record} acknowledged at {ack.partition}@{ack.offset}, log has {found}"
            )
    assert not problems, "the log differs from what was acknowledged:\n" + "\n".join(problems[:20])
    return len(acks)


_STARTED = re.compile(r"storage started in .*? (\d+) partitions (.*?) in ([\d.]+) ms")


def storage_starts(broker: h.KafkaliteBroker) -> list[tuple[str, float]]:
    """(how, milliseconds) of every storage start in the broker's log file."""
    text = broker.log_path.read_text(errors="replace")
    return [(m.group(2), float(m.group(3))) for m in _STARTED.finditer(text)]


def _walk_batches(data: bytes) -> tuple[int, int]:
    """(start of the last complete batch, end of the complete batches) of a segment's bytes."""
    pos = last = 0
    while pos + 12 <= len(data):
        end = pos + struct.unpack_from(">i", data, pos + 8)[0] + 12
        if end > len(data):
            break
        last, pos = pos, end
    return last, pos


def tail_damage(data_dir: Path, topic: str, partitions: int = h.PARTITIONS) -> dict[int, int]:
    """Bytes past the last complete batch of each partition's active segment: what a kill in
    the middle of a write left behind, which recovery must cut (partitions without any)."""
    damage: dict[int, int] = {}
    for p in range(partitions):
        data = max((data_dir / f"{topic}-{p}").glob("*.log")).read_bytes()
        _, complete = _walk_batches(data)
        if complete != len(data):
            damage[p] = len(data) - complete
    return damage


def tear_tails(data_dir: Path, topic: str, partitions: int = h.PARTITIONS) -> dict[int, int]:
    """What a power cut in the middle of a write leaves: after the last batch of each
    partition's active segment, the first part of one more batch (its header says more bytes
    follow than the file holds). A partition the kill already left torn is kept as it is.
    Returns the bytes recovery must cut per partition."""
    added = tail_damage(data_dir, topic, partitions)
    for p in range(partitions):
        if p in added:
            continue
        directory = data_dir / f"{topic}-{p}"
        active = max(directory.glob("*.log"))
        data = active.read_bytes()
        if not data:
            continue
        last, _ = _walk_batches(data)
        batch = bytearray(data[last:])
        base, length = struct.unpack_from(">qi", batch)
        last_delta = struct.unpack_from(">i", batch, 23)[0]
        struct.pack_into(">q", batch, 0, base + last_delta + 1)  # a plausible next batch
        torn = bytes(batch[: max(len(batch) // 2, 20)])
        with active.open("ab") as f:
            f.write(torn)
        added[p] = len(torn)
    return added


_TRUNCATED = re.compile(r"recovered (\S+)-(\d+) in .*? truncated (\d+) invalid bytes")


def truncations_at_last_start(broker: h.KafkaliteBroker, topic: str) -> dict[int, int]:
    """Bytes the broker's most recent start truncated, per partition of ``topic``."""
    text = broker.log_path.read_text(errors="replace").rsplit("===== start #", 1)[-1]
    return {
        int(m.group(2)): int(m.group(3)) for m in _TRUNCATED.finditer(text) if m.group(1) == topic
    }
