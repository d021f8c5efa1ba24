"""Soak: about a thousand connections, real clients producing and consuming, and a second
thread sending hostile requests, all against one broker process for a bounded time.

- ``CONNECTIONS - ACTIVE`` raw sockets each complete an ApiVersions exchange and then stay
  idle (they must all still be served at the end);
- ``ACTIVE`` client threads: confluent-kafka and kafka-python producers, one per partition
  of the topic, each sending numbered records with acks=all, and as many consumers, one per
  partition, reading from the beginning while they are written;
- a hostile thread, over raw sockets, in a loop: a gzip decompression bomb to a compacted
  topic, a batch whose header contradicts its records, a batch naming codec id 7, a
  Produce naming 100,000 partitions, a Metadata request auto-creating a name that collides
  with an existing topic, a slowloris sender and frames that announce 90 MiB and stop.

Then: every record a producer saw acknowledged is read back by its consumer, in the order
it was acknowledged; no client reports an error; each hostile request gets Kafka's
refusal (and nothing else) and the stalled connections are closed by the broker; the
broker's resident memory stays under ``RSS_LIMIT_MIB`` throughout.

The duration is ``KAFKALITE_SOAK_SECONDS`` (20 s by default); a longer run in CI::

    KAFKALITE_SOAK_SECONDS=600 python -m pytest -q tests/compat/test_soak.py
"""

from __future__ import annotations

import contextlib
import os
import socket
import struct
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import compat_helpers as h
import pytest

from kafkalite.protocol.codec import decode, encode_bytes
from kafkalite.protocol.compression import GZIP
from kafkalite.protocol.errors import ErrorCode as E
from kafkalite.protocol.headers import request_header_version, response_header_version
from kafkalite.protocol.messages import REQUESTS, RESPONSES, ApiKey
from kafkalite.protocol.messages.api_versions import ApiVersionsRequest
from kafkalite.protocol.messages.create_topics import (
    CreatableTopic,
    CreatableTopicConfig,
    CreateTopicsRequest,
)
from kafkalite.protocol.messages.headers import (
    REQUEST_HEADER_SPEC,
    RESPONSE_HEADER_SPEC,
    RequestHeader,
)
from kafkalite.protocol.messages.metadata import MetadataRequest, MetadataRequestTopic
from kafkalite.protocol.messages.produce import (
    ProducePartitionData,
    ProduceRequest,
    ProduceTopicData,
)
from kafkalite.protocol.record_codec import Record, encode_batch
from kafkalite.protocol.records import (
    BATCH_HEADER_SIZE,
    CRC_OFFSET,
    LOG_OVERHEAD,
    batch_crc,
    pack_header,
    read_header,
)

pytestmark = pytest.mark.compat

SECONDS = float(os.environ.get("KAFKALITE_SOAK_SECONDS", "20"))
CONNECTIONS = int(os.environ.get("KAFKALITE_SOAK_CONNECTIONS", "1000"))
ACTIVE = 50
"""Client threads: ``ACTIVE // 2`` producers and as many consumers, one of each per partition."""
PARTITIONS = ACTIVE // 2
KAFKA_PYTHON_PARTITIONS = 5
"""The last partitions are kafka-python's; the others confluent-kafka's."""
MIN_RECORDS = 20
"""Each producer sends at least this many, however late it started on a loaded machine."""
READ_TIMEOUT_MS = 2000
RSS_LIMIT_MIB = 512
HUGE_PRODUCE_PARTITIONS = 100_000
TS = 1_700_000_000_000

TOPIC = "soak"
COMPACTED = "soak-compacted"
COLLIDES_WITH = "soak_x"  # exists, so auto-creating "soak.x" must be refused


# --- raw requests ----------------------------------------------------------------------------


def frame(api_key: ApiKey, version: int, body: Any, correlation_id: int = 1) -> bytes:
    header = RequestHeader(
        request_api_key=api_key, request_api_version=version, correlation_id=correlation_id,
        client_id="soak-hostile",
    )
    payload = encode_bytes(REQUEST_HEADER_SPEC, header, request_header_version(api_key, version))
    payload += encode_bytes(REQUESTS[api_key], body, version)
    return struct.pack(">i", len(payload)) + payload


def recv_exact(sock: socket.socket, n: int) -> bytes:
    data = bytearray()
    while len(data) < n:
        chunk = sock.recv(min(n - len(data), 1 << 20))
        if not chunk:
            raise ConnectionError(f"connection closed after {len(data)} of {n} bytes")
        data += chunk
    return bytes(data)


def call(address: tuple[str, int], api_key: ApiKey, version: int, body: Any) -> Any:
    with socket.create_connection(address, timeout=120) as sock:
        sock.sendall(frame(api_key, version, body))
        size = struct.unpack(">i", recv_exact(sock, 4))[0]
        answer = recv_exact(sock, size)
    _, pos = decode(RESPONSE_HEADER_SPEC, response_header_version(api_key, version), answer)
    return decode(RESPONSES[api_key], version, answer, pos)[0]


def relabel(batch: bytes, *, records: bytes | None = None, **fields: int) -> bytes:
    """``batch`` with header ``fields`` replaced and, given ``records``, those record bytes;
    length and CRC-32C recomputed, so only what the fields and records say is wrong."""
    import dataclasses

    header = read_header(batch)
    body = batch[BATCH_HEADER_SIZE:] if records is None else records
    header = dataclasses.replace(
        header, batch_length=BATCH_HEADER_SIZE - LOG_OVERHEAD + len(body), crc=0, **fields
    )
    out = bytearray(pack_header(header) + body)
    struct.pack_into(">I", out, CRC_OFFSET, batch_crc(out, 0, len(out)))
    return bytes(out)


def gzip_bomb(count: int) -> bytes:
    """``count`` tiny keyed records, gzipped to a few tens of KB, in a batch declaring them."""
    record = bytes([0x0E, 0, 0, 0, 0x02, ord("k"), 0x01, 0])  # offset delta 0, key "k", null value
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    data = compressor.compress(record * count) + compressor.flush()
    template = encode_batch([Record(0, TS, b"k", None)], compression=GZIP)
    return relabel(template, records=data, records_count=count, last_offset_delta=count - 1)


def contradicting() -> bytes:
    honest = encode_batch([Record(i, TS, b"k%d" % i, b"v") for i in range(3)])
    return relabel(honest, records_count=1000, last_offset_delta=999)


def unknown_codec() -> bytes:
    return relabel(encode_batch([Record(0, TS, b"k", b"v")]), attributes=7)


def produce_one(topic: str, batch: bytes) -> ProduceRequest:
    return ProduceRequest(acks=-1, timeout_ms=10_000, topic_data=[
        ProduceTopicData(name=topic, partition_data=[ProducePartitionData(index=0, records=batch)])
    ])


# --- the run's record ------------------------------------------------------------------------


@dataclass
class Soak:
    stop: threading.Event = field(default_factory=threading.Event)
    problems: list[str] = field(default_factory=list)
    acked: dict[int, list[bytes]] = field(default_factory=dict)
    consumed: dict[int, list[bytes]] = field(default_factory=dict)
    refusals: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def problem(self, text: str) -> None:
        with self.lock:
            if len(self.problems) < 50:
                self.problems.append(text)

    def refused(self, what: str) -> None:
        with self.lock:
            self.refusals[what] = self.refusals.get(what, 0) + 1


def value(partition: int, seq: int) -> bytes:
    return b"p%d-%08d" % (partition, seq)


# --- clients ---------------------------------------------------------------------------------


def confluent_producer(bootstrap: str, partition: int, soak: Soak) -> None:
    from confluent_kafka import KafkaError, Producer

    acked = soak.acked.setdefault(partition, [])

    def delivered(err: KafkaError | None, msg: Any) -> None:
        if err is not None:
            soak.problem(f"confluent-kafka producer {partition}: {err}")
        else:
            acked.append(msg.value())

    producer = Producer({
        "bootstrap.servers": bootstrap, "enable.idempotence": True, "linger.ms": 5,
        "error_cb": lambda err: soak.problem(f"confluent-kafka producer {partition}: {err}"),
    })
    seq = 0
    while not soak.stop.is_set() or seq < MIN_RECORDS:
        producer.produce(TOPIC, value(partition, seq), key=b"k", partition=partition, on_delivery=delivered)
        seq += 1
        producer.poll(0.02)
    left = producer.flush(30)
    if left:
        soak.problem(f"confluent-kafka producer {partition}: {left} records never acknowledged")


def kafka_python_producer(bootstrap: str, partition: int, soak: Soak) -> None:
    from kafka import KafkaProducer

    acked = soak.acked.setdefault(partition, [])
    producer = KafkaProducer(
        bootstrap_servers=bootstrap, acks="all", linger_ms=5, max_in_flight_requests_per_connection=1
    )
    seq = 0
    try:
        while not soak.stop.is_set() or seq < MIN_RECORDS:
            data = value(partition, seq)
            future = producer.send(TOPIC, data, key=b"k", partition=partition)
            future.add_callback(lambda _meta, data=data: acked.append(data))
            future.add_errback(lambda exc: soak.problem(f"kafka-python producer {partition}: {exc!r}"))
            seq += 1
            time.sleep(0.02)
        producer.flush(30)
    finally:
        producer.close(10)


def confluent_consumer(bootstrap: str, partition: int, soak: Soak, done: threading.Event) -> None:
    from confluent_kafka import Consumer, TopicPartition

    got = soak.consumed.setdefault(partition, [])
    consumer = Consumer({
        "bootstrap.servers": bootstrap, "group.id": f"soak-{partition}",
        "enable.auto.commit": False, "auto.offset.reset": "earliest",
        "error_cb": lambda err: soak.problem(f"confluent-kafka consumer {partition}: {err}"),
    })
    try:
        consumer.assign([TopicPartition(TOPIC, partition, 0)])
        while not done.is_set():
            for msg in consumer.consume(500, 0.2):
                if msg.error():
                    soak.problem(f"confluent-kafka consumer {partition}: {msg.error()}")
                else:
                    got.append(msg.value())
    finally:
        consumer.close()


def kafka_python_consumer(bootstrap: str, partition: int, soak: Soak, done: threading.Event) -> None:
    from kafka import KafkaConsumer, TopicPartition

    got = soak.consumed.setdefault(partition, [])
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    try:
        tp = TopicPartition(TOPIC, partition)
        consumer.assign([tp])
        consumer.seek(tp, 0)
        while not done.is_set():
            for records in consumer.poll(200).values():
                got.extend(r.value for r in records)
    finally:
        consumer.close()


# --- hostile requests ------------------------------------------------------------------------


class Stalled:
    """Connections that never finish a request: a slowloris sender (one byte now and then)
    and frames announcing 90 MiB that stop after their first bytes."""

    def __init__(self, address: tuple[str, int]) -> None:
        self.opened = time.monotonic()
        self.slow: list[socket.socket] = []
        self.partial: list[socket.socket] = []
        for _ in range(2):
            slow = socket.create_connection(address)
            slow.sendall(struct.pack(">i", 100) + b"\x00")
            self.slow.append(slow)
            partial = socket.create_connection(address)
            partial.sendall(struct.pack(">i", 90 << 20) + b"\x00\x03\x00\x0c" + bytes(60_000))
            self.partial.append(partial)

    def trickle(self) -> None:
        for slow in self.slow:
            with contextlib.suppress(OSError):  # already closed by the broker: as expected
                slow.send(b"\x00")

    def close(self) -> None:
        for sock in self.slow + self.partial:
            sock.close()

    def check_closed(self, soak: Soak) -> None:
        """Every stalled connection is closed by the broker within the read timeout (plus
        room for a loaded machine)."""
        deadline = self.opened + READ_TIMEOUT_MS / 1000 + 20
        for kind, socks in (("slowloris", self.slow), ("partial 90 MiB frame", self.partial)):
            for sock in socks:
                sock.settimeout(max(deadline - time.monotonic(), 0.1))
                try:
                    closed = sock.recv(1) == b""
                except (ConnectionResetError, BrokenPipeError):
                    closed = True
                except TimeoutError:
                    closed = False
                finally:
                    sock.close()
                if closed:
                    soak.refused(kind)
                else:
                    soak.problem(f"the broker kept a {kind} connection open")


def hostile(address: tuple[str, int], soak: Soak) -> None:
    """Rounds of hostile requests until the soak stops; the first round always completes,
    a later one is cut short at the stop."""
    bomb = gzip_bomb(3_000_000)
    huge = ProduceRequest(acks=1, timeout_ms=30_000, topic_data=[ProduceTopicData(
        name=TOPIC,
        partition_data=[ProducePartitionData(index=i) for i in range(HUGE_PRODUCE_PARTITIONS)],
    )])
    huge_frame = frame(ApiKey.PRODUCE, 9, huge)
    refused = {E.CORRUPT_MESSAGE, E.INVALID_RECORD}

    def produce_refused(what: str, topic: str, batch: bytes, codes: set[int]) -> None:
        answer = call(address, ApiKey.PRODUCE, 9, produce_one(topic, batch))
        code = answer.responses[0].partition_responses[0].error_code
        if code in codes:
            soak.refused(what)
        else:
            soak.problem(f"{what}: error code {code}, not one of {sorted(codes)}")

    def huge_produce() -> None:
        with socket.create_connection(address, timeout=120) as sock:
            sock.sendall(huge_frame)
            size = struct.unpack(">i", recv_exact(sock, 4))[0]
            answer = recv_exact(sock, size)
        _, pos = decode(RESPONSE_HEADER_SPEC, 1, answer)
        parts = decode(RESPONSES[ApiKey.PRODUCE], 9, answer, pos)[0].responses[0].partition_responses
        codes = {p.error_code for p in parts}
        if len(parts) == HUGE_PRODUCE_PARTITIONS and codes <= {
            E.UNKNOWN_TOPIC_OR_PARTITION, E.INVALID_RECORD
        }:
            soak.refused("huge produce")
        else:
            soak.problem(f"huge produce: {len(parts)} partitions answered, codes {sorted(codes)}")

    def colliding_auto_create() -> None:
        metadata = call(address, ApiKey.METADATA, 12, MetadataRequest(
            topics=[MetadataRequestTopic(name="soak.x")], allow_auto_topic_creation=True
        ))
        code = metadata.topics[0].error_code
        if code == E.INVALID_TOPIC_EXCEPTION:
            soak.refused("colliding auto-create")
        else:
            soak.problem(f"auto-creating soak.x beside soak_x: error code {code}")

    steps = [
        lambda: produce_refused("decompression bomb", COMPACTED, bomb, refused),
        lambda: produce_refused("contradicting batch", TOPIC, contradicting(), refused),
        lambda: produce_refused("codec id 7", TOPIC, unknown_codec(), {E.INVALID_RECORD}),
        huge_produce,
        colliding_auto_create,
    ]
    rounds = 0
    try:
        while not soak.stop.is_set():
            stalled = Stalled(address)
            for step in steps:
                if rounds and soak.stop.is_set():
                    stalled.close()
                    return
                step()
                stalled.trickle()
            stalled.check_closed(soak)
            rounds += 1
    except Exception as exc:  # noqa: BLE001 - reported as the test's failure
        soak.problem(f"hostile thread: {exc!r}")


# --- the test --------------------------------------------------------------------------------


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def raise_open_files(needed: int) -> None:
    try:
        import resource
    except ImportError:
        pytest.skip("no RLIMIT_NOFILE here")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        if hard != resource.RLIM_INFINITY and hard < needed:
            pytest.skip(f"the hard limit on open files ({hard}) is below the {needed} needed")
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


@pytest.fixture(scope="module")
def soak_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[h.KafkaliteBroker]:
    if h.external_bootstrap():
        pytest.skip("the soak reads the broker process's memory: it starts its own")
    if not Path("/proc/self/status").exists():
        pytest.skip("needs /proc to read the broker's memory")
    raise_open_files(CONNECTIONS + 1024)
    root = tmp_path_factory.mktemp("kafkalite-soak")
    broker = h.KafkaliteBroker(data_dir=root / "data", options={
        "num.partitions": "1",
        "kafkalite.request.read.timeout.ms": str(READ_TIMEOUT_MS),
    })
    broker.start()  # ``kafkalite serve`` raises its own soft limit on open files
    try:
        yield broker
    finally:
        broker.stop()


def open_idle(address: tuple[str, int], count: int) -> list[socket.socket]:
    """``count`` connections, each past an ApiVersions v0 exchange, pipelined a hundred at a
    time."""
    idle: list[socket.socket] = []
    request = frame(ApiKey.API_VERSIONS, 0, ApiVersionsRequest())
    for start in range(0, count, 100):
        batch = [socket.create_connection(address, timeout=60) for _ in range(min(100, count - start))]
        idle.extend(batch)
        for sock in batch:
            sock.sendall(request)
        for sock in batch:
            size = struct.unpack(">i", recv_exact(sock, 4))[0]
            recv_exact(sock, size)
    return idle


def test_soak(soak_broker: h.KafkaliteBroker) -> None:
    address = (soak_broker.host, soak_broker.port)
    bootstrap = soak_broker.bootstrap
    assert soak_broker.proc is not None
    pid = soak_broker.proc.pid
    created = call(address, ApiKey.CREATE_TOPICS, 7, CreateTopicsRequest(timeout_ms=30_000, topics=[
        CreatableTopic(name=TOPIC, num_partitions=PARTITIONS, replication_factor=1),
        CreatableTopic(name=COMPACTED, num_partitions=1, replication_factor=1, configs=[
            CreatableTopicConfig(name="cleanup.policy", value="compact")
        ]),
        CreatableTopic(name=COLLIDES_WITH, num_partitions=1, replication_factor=1),
    ]))
    assert [t.error_code for t in created.topics] == [0, 0, 0]

    idle = open_idle(address, CONNECTIONS - ACTIVE)
    soak = Soak()
    done_consuming = threading.Event()
    threads = []
    for partition in range(PARTITIONS):
        kafka_python = partition >= PARTITIONS - KAFKA_PYTHON_PARTITIONS
        producer = kafka_python_producer if kafka_python else confluent_producer
        consumer = kafka_python_consumer if kafka_python else confluent_consumer
        threads.append(threading.Thread(target=producer, args=(bootstrap, partition, soak), daemon=True))
        threads.append(threading.Thread(
            target=consumer, args=(bootstrap, partition, soak, done_consuming), daemon=True
        ))
    threads.append(threading.Thread(target=hostile, args=(address, soak), daemon=True))
    rss = [rss_mib(pid)]
    try:
        for thread in threads:
            thread.start()
        for _ in h.deadline_loop(SECONDS):
            rss.append(rss_mib(pid))
            time.sleep(0.5)
        soak.stop.set()
        for thread in threads[:-1:2]:  # the producers: flushed within their own bounds
            thread.join(60)
        threads[-1].join(120)  # the hostile thread finishes its round
        rss.append(rss_mib(pid))
        # Every acknowledged record is read back by its consumer, in acknowledgement order.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and any(
            len(soak.consumed.get(p, [])) < len(soak.acked.get(p, [])) for p in range(PARTITIONS)
        ):
            time.sleep(0.2)
    finally:
        soak.stop.set()
        done_consuming.set()
        for thread in threads:
            thread.join(30)
    assert soak_broker.proc is not None and soak_broker.proc.poll() is None, "the broker exited"
    assert not soak.problems, "\n".join(soak.problems)

    for partition in range(PARTITIONS):
        acked = soak.acked.get(partition, [])
        assert acked, f"partition {partition}: nothing was acknowledged"
        wanted = set(acked)
        read = list(dict.fromkeys(v for v in soak.consumed.get(partition, []) if v in wanted))
        first_difference = next(
            (i for i, (a, b) in enumerate(zip(read, acked, strict=False)) if a != b),
            min(len(read), len(acked)),
        )
        assert read == acked, (
            f"partition {partition}: {len(acked)} acknowledged, {len(read)} read back in "
            f"order; first difference at {first_difference}"
        )
    for what in ("decompression bomb", "contradicting batch", "codec id 7", "huge produce",
                 "colliding auto-create", "slowloris", "partial 90 MiB frame"):
        assert soak.refusals.get(what, 0) >= 1, (what, soak.refusals)
    assert max(rss) < RSS_LIMIT_MIB, f"broker RSS reached {max(rss):.0f} MiB: {rss}"
    if os.environ.get("KAFKALITE_SOAK_REPORT"):
        print(f"\nsoak: RSS {min(rss):.0f}-{max(rss):.0f} MiB, refusals {soak.refusals}, "
              f"{sum(map(len, soak.acked.values()))} records acknowledged and read back")

    # Every idle connection is still served: one more ApiVersions on each.
    request = frame(ApiKey.API_VERSIONS, 0, ApiVersionsRequest(), correlation_id=2)
    try:
        for sock in idle:
            sock.sendall(request)
        for sock in idle:
            size = struct.unpack(">i", recv_exact(sock, 4))[0]
            answer = recv_exact(sock, size)
            assert struct.unpack(">ih", answer[:6]) == (2, 0)
    finally:
        for sock in idle:
            sock.close()
