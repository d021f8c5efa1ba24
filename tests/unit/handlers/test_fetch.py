"""Fetch over real sockets: v4-v12, watermarks, errors, KIP-74 size limits and long polling.

Records come back exactly as stored: the produced batch with the broker's base offset and
leader epoch (0) stamped in, cut at batch boundaries.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from typing import Any

import pytest

from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.fetch import (
    FetchPartition,
    FetchPartitionResponse,
    FetchRequest,
    FetchTopic,
)
from kafkalite.protocol.messages.produce import (
    ProducePartitionData,
    ProduceRequest,
    ProduceTopicData,
)
from tests.unit.batches import record_batch
from tests.unit.handlers.admin_wire import create_topic, delete_records
from tests.unit.server.kafka_wire import call, read_response, request_frame

E = ErrorCode
Address = tuple[str, int]
TP = tuple[str, int]
SERVED = range(4, 13)
READ_UNCOMMITTED, READ_COMMITTED = 0, 1
BIG = 1 << 20


# --- helpers --------------------------------------------------------------------------


def fetch_request(
    wanted: dict[TP, int],
    *,
    max_wait_ms: int = 0,
    min_bytes: int = 1,
    max_bytes: int = BIG,
    partition_max_bytes: int = BIG,
    isolation_level: int = READ_UNCOMMITTED,
) -> FetchRequest:
    topics: dict[str, list[FetchPartition]] = {}
    for (topic, partition), offset in wanted.items():
        topics.setdefault(topic, []).append(
            FetchPartition(
                partition=partition, fetch_offset=offset, partition_max_bytes=partition_max_bytes
            )
        )
    return FetchRequest(
        max_wait_ms=max_wait_ms,
        min_bytes=min_bytes,
        max_bytes=max_bytes,
        isolation_level=isolation_level,
        topics=[FetchTopic(topic=name, partitions=parts) for name, parts in topics.items()],
    )


def fetch(
    address: Address, wanted: dict[TP, int], *, version: int = 12, **options: Any
) -> tuple[Any, dict[TP, FetchPartitionResponse]]:
    response = call(address, ApiKey.FETCH, version, fetch_request(wanted, **options))
    parts = {
        (topic.topic, part.partition_index): part
        for topic in response.responses
        for part in topic.partitions
    }
    assert list(parts) == list(wanted)  # one answer per partition asked, in order
    return response, parts


def data(part: FetchPartitionResponse) -> bytes:
    assert part.records is not None  # an empty record set, never null
    return bytes(part.records)


def marks(part: FetchPartitionResponse) -> tuple[int, int, int, int]:
    return part.error_code, part.high_watermark, part.last_stable_offset, part.log_start_offset


def produce(address: Address, topic: str, batch: bytes, partition: int = 0) -> int:
    request = ProduceRequest(
        acks=-1,
        timeout_ms=5000,
        topic_data=[
            ProduceTopicData(
                name=topic, partition_data=[ProducePartitionData(index=partition, records=batch)]
            )
        ],
    )
    part = call(address, ApiKey.PRODUCE, 9, request).responses[0].partition_responses[0]
    assert part.error_code == E.NONE
    return part.base_offset


def placed(batch: bytes, base_offset: int) -> bytes:
    out = bytearray(batch)
    struct.pack_into(">q", out, 0, base_offset)
    struct.pack_into(">i", out, 12, 0)  # partition leader epoch
    return bytes(out)


def sized(size: int, tag: bytes = b"x") -> bytes:
    """A one-record batch of exactly ``size`` bytes."""
    overhead = len(record_batch([(None, b"")]))
    for extra in (0, 1, 2):
        length = size - overhead - extra
        batch = record_batch([(None, (tag * length)[:length])])
        if len(batch) == size:
            return batch
    raise AssertionError(size)


# --- every version ----------------------------------------------------------------------


@pytest.mark.parametrize("version", SERVED)
def test_every_version_returns_the_produced_bytes(broker_thread, version: int) -> None:
    address = broker_thread.address
    create_topic(address, "t", partitions=2)
    first = record_batch([(b"k", b"v0"), (None, b"v1"), (b"k", None)])
    second = record_batch([(b"h", b"v", [("hdr", b"\x00\x01")])], timestamp=1_700_000_000_100)
    other = record_batch([(None, b"p1")])
    assert produce(address, "t", first) == 0
    assert produce(address, "t", second) == 3
    assert produce(address, "t", other, 1) == 0
    start = 0 if version >= 5 else -1  # log_start_offset is on the wire from v5

    for isolation, aborted in ((READ_UNCOMMITTED, None), (READ_COMMITTED, [])):
        response, parts = fetch(
            address, {("t", 0): 0, ("t", 1): 0}, version=version, isolation_level=isolation
        )
        assert (response.error_code, response.session_id, response.throttle_time_ms) == (0, 0, 0)
        assert [marks(parts[tp]) for tp in (("t", 0), ("t", 1))] == [
            (E.NONE, 4, 4, start),
            (E.NONE, 1, 1, start),
        ]
        for part in parts.values():
            assert part.aborted_transactions == aborted
            assert part.preferred_read_replica == -1
        assert data(parts["t", 0]) == placed(first, 0) + placed(second, 3)
        assert data(parts["t", 1]) == placed(other, 0)

    # from an offset inside a batch: that whole batch comes back (consumers skip ahead)
    _, parts = fetch(address, {("t", 0): 1}, version=version)
    assert data(parts["t", 0]) == placed(first, 0) + placed(second, 3)
    _, parts = fetch(address, {("t", 0): 3}, version=version)
    assert data(parts["t", 0]) == placed(second, 3)
    # at the log end: no error, no records
    _, parts = fetch(address, {("t", 0): 4, ("t", 1): 1}, version=version)
    assert [(marks(p), data(p)) for p in parts.values()] == [
        ((E.NONE, 4, 4, start), b""),
        ((E.NONE, 1, 1, start), b""),
    ]


# --- errors -----------------------------------------------------------------------------


@pytest.mark.parametrize("version", [4, 7, 12])
def test_offset_out_of_range_above_the_end_and_below_the_start(broker_thread, version: int) -> None:
    address = broker_thread.address
    create_topic(address, "t")
    for i in range(4):
        produce(address, "t", record_batch([(None, b"%d" % i)]))
    delete_records(address, "t", 2)
    batch_three = placed(record_batch([(None, b"3")]), 3)

    for offset in (5, 6, 1 << 40, 1, 0, -1):
        _, parts = fetch(address, {("t", 0): offset}, version=version, max_wait_ms=5000)
        assert parts["t", 0].error_code == E.OFFSET_OUT_OF_RANGE, offset
        assert data(parts["t", 0]) == b""
    for offset in (2, 4):  # the log start and the log end are in range
        _, parts = fetch(address, {("t", 0): offset}, version=version)
        assert parts["t", 0].error_code == E.NONE
        assert parts["t", 0].log_start_offset == (2 if version >= 5 else -1)
        assert (data(parts["t", 0]) != b"") == (offset < 4)
    _, parts = fetch(address, {("t", 0): 3}, version=version)
    assert data(parts["t", 0]) == batch_three


def test_offset_out_of_range_carries_unknown_watermarks(broker_thread) -> None:
    """Kafka's ReplicaManager answers a partition read that failed (OffsetOutOfRange included)
    with highWatermark, lastStableOffset and logStartOffset all -1 (UnifiedLog.UnknownOffset)."""
    address = broker_thread.address
    create_topic(address, "t")
    produce(address, "t", record_batch([(None, b"x")]))
    _, parts = fetch(address, {("t", 0): 7})
    assert marks(parts["t", 0]) == (E.OFFSET_OUT_OF_RANGE, -1, -1, -1)


@pytest.mark.parametrize("version", [4, 12])
def test_unknown_topic_or_partition(broker_thread, version: int) -> None:
    address = broker_thread.address
    create_topic(address, "known")
    batch = record_batch([(None, b"here")])
    produce(address, "known", batch)
    started = time.monotonic()
    _, parts = fetch(
        address,
        {("missing", 0): 0, ("known", 3): 0, ("known", 0): 0},
        version=version,
        max_wait_ms=5000,
        min_bytes=BIG,
    )
    assert time.monotonic() - started < 4  # an error answers at once
    assert marks(parts["missing", 0]) == (E.UNKNOWN_TOPIC_OR_PARTITION, -1, -1, -1)
    assert marks(parts["known", 3]) == (E.UNKNOWN_TOPIC_OR_PARTITION, -1, -1, -1)
    assert (data(parts["missing", 0]), data(parts["known", 3])) == (b"", b"")
    assert parts["known", 0].error_code == E.NONE
    assert data(parts["known", 0]) == placed(batch, 0)
    assert "missing" not in broker_thread.call(broker_thread.broker.cluster.topics)  # not auto-created


# --- KIP-74 -------------------------------------------------------------------------------


def test_first_batch_comes_back_whole_past_both_limits(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "t", partitions=2)
    big = sized(3000, b"B")
    small = sized(100, b"s")
    produce(address, "t", big, 0)
    produce(address, "t", small, 0)
    produce(address, "t", sized(100, b"o"), 1)
    _, parts = fetch(address, {("t", 0): 0, ("t", 1): 0}, max_bytes=200, partition_max_bytes=200)
    assert data(parts["t", 0]) == placed(big, 0)  # whole, and only it
    assert data(parts["t", 1]) == b""  # max_bytes is spent
    assert [p.error_code for p in parts.values()] == [E.NONE, E.NONE]

    # the first partition *with data* gets the exemption, wherever it is in the request
    _, parts = fetch(address, {("t", 1): 1, ("t", 0): 0}, max_bytes=200, partition_max_bytes=200)
    assert (data(parts["t", 1]), data(parts["t", 0])) == (b"", placed(big, 0))

    # a later partition's oversized first batch is not returned
    _, parts = fetch(address, {("t", 1): 0, ("t", 0): 0}, max_bytes=BIG, partition_max_bytes=200)
    assert data(parts["t", 1]) == placed(sized(100, b"o"), 0)
    assert data(parts["t", 0]) == b""


def test_partition_max_bytes_cuts_at_batch_boundaries(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "t")
    batches = [sized(200, bytes([65 + i])) for i in range(4)]
    for batch in batches:
        produce(address, "t", batch)
    stored = [placed(b, i) for i, b in enumerate(batches)]
    for limit, count in ((400, 2), (599, 2), (600, 3), (800, 4), (10_000, 4), (1, 1)):
        _, parts = fetch(address, {("t", 0): 0}, partition_max_bytes=limit)
        assert data(parts["t", 0]) == b"".join(stored[:count]), limit
    _, parts = fetch(address, {("t", 0): 1}, partition_max_bytes=400)
    assert data(parts["t", 0]) == stored[1] + stored[2]


def test_max_bytes_limits_the_total_across_partitions(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "a", partitions=2)
    create_topic(address, "b")
    stored: dict[TP, list[bytes]] = {}
    for tp in (("a", 0), ("a", 1), ("b", 0)):
        stored[tp] = []
        for i in range(2):
            batch = sized(150, f"{tp[0]}{tp[1]}{i}".encode())
            produce(address, tp[0], batch, tp[1])
            stored[tp].append(placed(batch, i))
    everything = {("a", 0): 0, ("a", 1): 0, ("b", 0): 0}

    _, parts = fetch(address, everything, max_bytes=450)
    assert [data(p) for p in parts.values()] == [
        b"".join(stored["a", 0]),
        stored["a", 1][0],
        b"",
    ]
    _, parts = fetch(address, everything, max_bytes=900)
    assert [data(p) for p in parts.values()] == [b"".join(s) for s in stored.values()]
    _, parts = fetch(address, everything, max_bytes=600, partition_max_bytes=150)
    assert [data(p) for p in parts.values()] == [s[0] for s in stored.values()]
    # watermarks are reported for every partition, with or without data
    assert [marks(p) for p in parts.values()] == [(E.NONE, 2, 2, 0)] * 3


# --- long polling -------------------------------------------------------------------------


def test_long_poll_is_woken_by_a_produce(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "poll", partitions=2)
    produce(address, "poll", record_batch([(None, b"old")]))
    batch = record_batch([(None, b"new")])
    request = fetch_request({("poll", 0): 1, ("poll", 1): 0}, max_wait_ms=5000, min_bytes=1)
    with socket.create_connection(address, timeout=10) as sock:
        started = time.monotonic()
        sock.sendall(request_frame(ApiKey.FETCH, 11, request))
        time.sleep(0.3)  # the fetch is parked by now; the produce comes on another socket
        assert produce(address, "poll", batch) == 1
        _, response = read_response(sock, ApiKey.FETCH, 11)
        elapsed = time.monotonic() - started
    assert elapsed < 4, elapsed  # woken by the append, not by max_wait_ms
    parts = [p for t in response.responses for p in t.partitions]
    assert [(p.partition_index, p.error_code, p.high_watermark) for p in parts] == [
        (0, E.NONE, 2),
        (1, E.NONE, 0),
    ]
    assert [data(p) for p in parts] == [placed(batch, 1), b""]


def test_long_poll_without_data_waits_max_wait_ms(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "idle")
    started = time.monotonic()
    response, parts = fetch(address, {("idle", 0): 0}, max_wait_ms=200, min_bytes=1)
    elapsed = time.monotonic() - started
    assert 0.19 <= elapsed < 4, elapsed
    assert (marks(parts["idle", 0]), data(parts["idle", 0])) == ((E.NONE, 0, 0, 0), b"")
    assert response.error_code == E.NONE


def test_long_poll_returns_what_it_has_when_min_bytes_is_not_reached(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "some")
    batch = record_batch([(None, b"a little")])
    produce(address, "some", batch)
    started = time.monotonic()
    _, parts = fetch(address, {("some", 0): 0}, max_wait_ms=300, min_bytes=len(batch) * 10)
    elapsed = time.monotonic() - started
    assert 0.29 <= elapsed < 4, elapsed
    assert data(parts["some", 0]) == placed(batch, 0)

    # with min_bytes met the answer is immediate
    started = time.monotonic()
    _, parts = fetch(address, {("some", 0): 0}, max_wait_ms=5000, min_bytes=len(batch))
    assert time.monotonic() - started < 4
    assert data(parts["some", 0]) == placed(batch, 0)


def test_appends_keep_waking_a_poll_until_min_bytes(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "drip")
    batches = [record_batch([(None, b"drop %d" % i)]) for i in range(3)]
    need = len(batches[0]) * 3
    result: dict[str, Any] = {}

    def poll() -> None:
        started = time.monotonic()
        result["parts"] = fetch(address, {("drip", 0): 0}, max_wait_ms=5000, min_bytes=need)[1]
        result["elapsed"] = time.monotonic() - started

    waiter = threading.Thread(target=poll)
    waiter.start()
    for batch in batches:
        time.sleep(0.1)
        produce(address, "drip", batch)
    waiter.join(timeout=10)
    assert not waiter.is_alive()
    assert result["elapsed"] < 4, result["elapsed"]
    assert data(result["parts"]["drip", 0]) == b"".join(placed(b, i) for i, b in enumerate(batches))
