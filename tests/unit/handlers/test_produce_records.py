"""Produce refuses batches whose records contradict their header, and decompression bombs,
before anything is stored: the log end offset stays where it was and the next honest batch
lands at the next offset, so consumers never see offsets jump.

Handlers are called directly (``test_without_socket.run``); the wire is covered by
``test_produce.py``.
"""

from __future__ import annotations

import asyncio
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kafkalite.cluster import Cluster
from kafkalite.config import BrokerConfig
from kafkalite.handlers import produce
from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.compression import GZIP
from kafkalite.protocol.connection import Request
from kafkalite.protocol.errors import ErrorCode as E
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.headers import RequestHeader
from kafkalite.protocol.messages.produce import (
    ProducePartitionData,
    ProduceRequest,
    ProduceTopicData,
)
from kafkalite.protocol.primitives import write_varint
from kafkalite.protocol.record_codec import Record, encode_batch
from kafkalite.protocol.record_validator import SLICE_RECORDS
from tests.unit.batches import record_batch, relabel
from tests.unit.handlers.test_without_socket import NoWaits, run

TS = 1_700_000_000_000


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    opened = Cluster(BrokerConfig(data_dir=tmp_path, brokers=1, port=0))
    opened.open()
    opened.logs.create_topic("plain", 1)
    opened.place_topic("plain", 1, 1, {0: [1]})
    opened.logs.create_topic("table", 1, configs={"cleanup.policy": "compact"})
    opened.place_topic("table", 1, 1, {0: [1]})
    try:
        yield opened
    finally:
        opened.close()


def produce_one(cluster: Cluster, topic: str, batch: bytes) -> Any:
    body = ProduceRequest(
        acks=-1, timeout_ms=1000,
        topic_data=[ProduceTopicData(name=topic, partition_data=[ProducePartitionData(index=0, records=batch)])],
    )
    return run(cluster, 1, ApiKey.PRODUCE, 9, produce, body).responses[0].partition_responses[0]


def honest(count: int = 3) -> bytes:
    return record_batch([(b"k%d" % i, b"v") for i in range(count)])


def lying_offsets() -> bytes:
    built = [Record(0, TS, b"a", b"v"), Record(1001, TS, b"b", b"v"), Record(2, TS, b"c", b"v")]
    return relabel(encode_batch(built), last_offset_delta=2)


def gzip_bomb(count: int, *, declared: int) -> bytes:
    record = bytes([0x0E, 0, 0, 0, 0x02, ord("k"), 0x01, 0])  # offset delta 0, key "k", null value
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    data = compressor.compress(record * count) + compressor.flush()
    template = encode_batch([Record(0, TS, b"k", None)], compression=GZIP)
    return relabel(template, records=data, records_count=declared, last_offset_delta=declared - 1)


BAD = {
    "count above the records": lambda: relabel(honest(3), records_count=5, last_offset_delta=4),
    "count below the records": lambda: relabel(honest(3), records_count=2, last_offset_delta=1),
    "offset deltas that jump": lying_offsets,
    "codec id 5": lambda: relabel(honest(), attributes=5),
    "codec id 7": lambda: relabel(honest(), attributes=7),
    "gzip bomb, honest count": lambda: gzip_bomb(3_000_000, declared=3_000_000),
    "gzip bomb, count of one": lambda: gzip_bomb(3_000_000, declared=1),
}


@pytest.mark.parametrize("topic", ["plain", "table"])
@pytest.mark.parametrize("case", sorted(BAD))
@pytest.mark.timeout(20)  # decoding each of the bomb's records would take ~30 s
def test_contradictory_batches_are_refused_and_never_stored(cluster: Cluster, topic: str, case: str) -> None:
    batch = BAD[case]()
    part = produce_one(cluster, topic, batch)
    assert part.error_code in (E.INVALID_RECORD, E.CORRUPT_MESSAGE), part
    assert part.error_message
    log = cluster.partition(topic, 0)
    assert log is not None and log.log_end_offset == 0
    assert produce_one(cluster, topic, honest(2)).base_offset == 0
    assert log.log_end_offset == 2


def test_codec_ids_5_to_7_are_invalid_records(cluster: Cluster) -> None:
    part = produce_one(cluster, "plain", relabel(honest(), attributes=6))
    assert part.error_code == E.INVALID_RECORD
    assert "codec id 6" in part.error_message


def test_keyless_records_of_a_compacted_topic_keep_their_record_errors(cluster: Cluster) -> None:
    batch = record_batch([(b"k", b"v"), (None, b"v"), (b"k", b"v"), (None, b"v")])
    part = produce_one(cluster, "table", batch)
    assert part.error_code == E.INVALID_RECORD
    assert [error.batch_index for error in part.record_errors] == [1, 3]
    assert produce_one(cluster, "plain", batch).error_code == E.NONE


def many_records(count: int) -> bytes:
    """``count`` keyed records with empty values: about 10 bytes each, cheap to build."""
    out = bytearray()
    for i in range(count):
        body = bytearray(b"\x00\x00")  # attributes, timestampDelta 0
        write_varint(body, i)
        body += b"\x02k\x00\x00"  # key "k", empty value, no headers
        write_varint(out, len(body))
        out += body
    return relabel(honest(1), records=bytes(out), records_count=count, last_offset_delta=count - 1)


def produce_while_another_client_runs(cluster: Cluster, topic: str, batch: bytes) -> tuple[Any, int]:
    """The partition's answer, and how often another task ran while produce worked."""
    body = ProduceRequest(
        acks=1, timeout_ms=1000,
        topic_data=[ProduceTopicData(name=topic, partition_data=[ProducePartitionData(index=0, records=batch)])],
    )
    request = Request(ApiKey.PRODUCE, 9, RequestHeader(request_api_key=ApiKey.PRODUCE, request_api_version=9), body, 0)
    ctx = RequestContext(node=cluster.nodes[1], cluster=cluster, request=request, waiters=NoWaits())

    async def main() -> tuple[Any, int]:
        ticks = 0
        done = False

        async def other_client() -> None:
            nonlocal ticks
            while not done:
                ticks += 1
                await asyncio.sleep(0)

        ticker = asyncio.ensure_future(other_client())
        await asyncio.sleep(0)
        started = ticks
        response = await produce.handle(ctx, body)
        during = ticks - started
        done = True
        await ticker
        return response.responses[0].partition_responses[0], during

    return asyncio.run(main())


@pytest.mark.parametrize("topic", ["plain", "table"])
def test_a_batch_of_many_records_is_checked_in_slices_between_which_others_run(
    cluster: Cluster, topic: str
) -> None:
    count = 5 * SLICE_RECORDS + 1
    part, during = produce_while_another_client_runs(cluster, topic, many_records(count))
    assert part.error_code == E.NONE
    assert during >= 5
    log = cluster.partition(topic, 0)
    assert log is not None and log.log_end_offset == count


def test_a_gzip_bomb_is_decompressed_in_slices_between_which_others_run(cluster: Cluster) -> None:
    part, during = produce_while_another_client_runs(cluster, "plain", gzip_bomb(3_000_000, declared=1))
    assert part.error_code == E.INVALID_RECORD
    assert during >= 4  # ~24 MB of output, 4 MiB a slice


def stored_header(cluster: Cluster, topic: str) -> Any:
    import os

    from kafkalite.protocol.records import read_header, validate_batches

    log = cluster.partition(topic, 0)
    assert log is not None
    chunk = log.read(0, 1 << 20, max_offset=log.high_watermark)
    data = os.pread(chunk.fd, chunk.length, chunk.position)
    validate_batches(data, from_client=False)  # the CRC still holds
    return read_header(data)


def test_a_wrong_max_timestamp_is_set_to_the_records_largest(cluster: Cluster) -> None:
    built = [Record(0, TS, b"a", b"v"), Record(1, TS + 5000, b"b", b"v"), Record(2, TS + 7, b"c", b"v")]
    lying = relabel(encode_batch(built), max_timestamp=TS)
    part = produce_one(cluster, "plain", lying)
    assert (part.error_code, part.base_offset) == (E.NONE, 0)
    assert stored_header(cluster, "plain").max_timestamp == TS + 5000


def test_every_record_timestamp_is_checked_not_only_the_header(cluster: Cluster) -> None:
    now = int(time.time() * 1000)
    # A record two hours ahead (message.timestamp.after.max.ms is one hour) in a batch whose
    # header claims now as its largest timestamp.
    future = relabel(
        encode_batch([Record(0, now, b"a", b"v"), Record(1, now + 7_200_000, b"b", b"v")]),
        max_timestamp=now,
    )
    part = produce_one(cluster, "plain", future)
    assert part.error_code == E.INVALID_TIMESTAMP
    assert "message.timestamp.after.max.ms" in part.error_message
    # A record older than message.timestamp.before.max.ms after a first record of now: its
    # negative delta hides it from the header's base timestamp.
    cluster.logs.create_topic("recent", 1, configs={"message.timestamp.before.max.ms": "3600000"})
    cluster.place_topic("recent", 1, 1, {0: [1]})
    past = encode_batch([Record(0, now, b"a", b"v"), Record(1, now - 7_200_000, b"b", b"v")])
    part = produce_one(cluster, "recent", past)
    assert part.error_code == E.INVALID_TIMESTAMP
    assert "message.timestamp.before.max.ms" in part.error_message
    assert cluster.partition("recent", 0).log_end_offset == 0
    assert cluster.partition("plain", 0).log_end_offset == 0
    ok = encode_batch([Record(0, now, b"a", b"v"), Record(1, now - 1000, b"b", b"v")])
    assert produce_one(cluster, "recent", ok).error_code == E.NONE
    # A LogAppendTime topic stamps records with the broker's clock: theirs are not checked.
    cluster.logs.create_topic("stamped", 1, configs={"message.timestamp.type": "LogAppendTime"})
    cluster.place_topic("stamped", 1, 1, {0: [1]})
    assert produce_one(cluster, "stamped", future).error_code == E.NONE
