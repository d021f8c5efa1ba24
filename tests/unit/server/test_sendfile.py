"""Record bytes leave through ``loop.sendfile`` or, where that is unavailable, an ``os.pread``
loop: both must put the same bytes on the wire, and a duplicated descriptor must keep a
deleted segment file readable until its slice is sent."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import struct
import threading
from pathlib import Path
from typing import Any

import pytest

import kafkalite.server.sendfile as sendfile
from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.fetch import FetchPartition, FetchRequest, FetchTopic
from kafkalite.protocol.messages.produce import (
    ProducePartitionData,
    ProduceRequest,
    ProduceTopicData,
)
from kafkalite.server.sendfile import OwnedSlice, dup_slices, write_chunks
from tests.unit.batches import record_batch
from tests.unit.handlers.admin_wire import create_topic
from tests.unit.server.kafka_wire import call, recv_exact, request_frame

CHUNK = 256 * 1024  # the fallback's read size: slices above it take several reads


def produce(address: tuple[str, int], topic: str, partition: int, batch: bytes) -> int:
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
    assert part.error_code == 0
    return part.base_offset


def placed(batch: bytes, base_offset: int) -> bytes:
    out = bytearray(batch)
    struct.pack_into(">q", out, 0, base_offset)
    struct.pack_into(">i", out, 12, 0)
    return bytes(out)


def raw_exchange(address: tuple[str, int], frame: bytes) -> bytes:
    """Send one request frame, return the whole response frame as received."""
    with socket.create_connection(address, timeout=10) as sock:
        sock.sendall(frame)
        size = recv_exact(sock, 4)
        return size + recv_exact(sock, struct.unpack(">i", size)[0])


class SendfileSpy:
    """Counts native sendfile calls made on the broker's loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.original = loop.sendfile
        self.calls: list[tuple[int, int]] = []

    async def __call__(
        self, transport: Any, file: Any, offset: int = 0, count: int | None = None, **kw: Any
    ) -> int:
        self.calls.append((offset, count or 0))
        return await self.original(transport, file, offset, count, **kw)


def test_native_and_fallback_send_identical_fetch_responses(broker_thread, monkeypatch) -> None:
    address = broker_thread.address
    create_topic(address, "wide", partitions=3)
    create_topic(address, "other")
    expected: dict[tuple[str, int], bytes] = {}
    contents = {
        ("wide", 0): [record_batch([(b"k", b"a" * 100)]), record_batch([(None, b"b" * 3000)])],
        ("wide", 1): [record_batch([(None, b"big" * (CHUNK // 3 * 2 + 1000))])],  # ~2.1 chunks
        ("wide", 2): [],
        ("other", 0): [record_batch([(b"x", b"y")] * 50), record_batch([(None, None)])],
    }
    for (topic, partition), batches in contents.items():
        expected[topic, partition] = b""
        for batch in batches:
            offset = produce(address, topic, partition, batch)
            expected[topic, partition] += placed(batch, offset)
    request = FetchRequest(
        max_wait_ms=0,
        min_bytes=1,
        max_bytes=8 << 20,
        topics=[
            FetchTopic(
                topic=topic,
                partitions=[
                    FetchPartition(partition=p, fetch_offset=0, partition_max_bytes=4 << 20)
                    for (t, p) in contents
                    if t == topic
                ],
            )
            for topic in ("wide", "other")
        ],
    )

    for version in (4, 12):
        frame = request_frame(ApiKey.FETCH, version, request, correlation_id=77)
        spy = SendfileSpy(broker_thread.loop)
        monkeypatch.setattr(broker_thread.loop, "sendfile", spy)
        monkeypatch.setattr(sendfile, "_NO_SENDFILE", False)
        native = raw_exchange(address, frame)
        assert len(spy.calls) == 3  # one per partition with data
        assert sorted(count for _, count in spy.calls) == sorted(
            len(data) for data in expected.values() if data
        )

        spy.calls.clear()
        monkeypatch.setattr(sendfile, "_NO_SENDFILE", True)
        fallback = raw_exchange(address, frame)
        assert spy.calls == []  # the pread loop sent everything

        assert fallback == native
        assert len(native) > 2 * CHUNK
        # and the frame holds exactly what was produced, partition by partition
        for (topic, partition), data in expected.items():
            if data:
                assert native.count(data) == 1, (topic, partition)
        response = call(address, ApiKey.FETCH, version, request)
        got = {
            (t.topic, p.partition_index): bytes(p.records)
            for t in response.responses
            for p in t.partitions
        }
        assert got == expected


# --- dup_slices / write_chunks directly ------------------------------------------------------


class PreadCounter:
    """Stands in for ``os`` inside the sendfile module, counting the fallback's reads."""

    def __init__(self) -> None:
        self.reads = 0

    def pread(self, fd: int, n: int, offset: int) -> bytes:
        self.reads += 1
        return os.pread(fd, n, offset)

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)


def tcp_pair() -> tuple[socket.socket, socket.socket]:
    with socket.create_server(("127.0.0.1", 0)) as server:
        client = socket.create_connection(server.getsockname(), timeout=10)
        accepted, _ = server.accept()
    accepted.settimeout(10)
    return client, accepted


def read_all(sock: socket.socket, into: bytearray) -> None:
    while chunk := sock.recv(1 << 16):
        into += chunk


async def send_over(sock: socket.socket, chunks: list[bytes | OwnedSlice]) -> None:
    _, writer = await asyncio.open_connection(sock=sock)
    try:
        await write_chunks(writer, chunks)
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


def deliver(chunks: list[bytes | OwnedSlice]) -> tuple[bytes, BaseException | None]:
    """Run write_chunks on a fresh loop over a 127.0.0.1 connection; what arrived, and the
    error write_chunks raised if any."""
    sender, receiver = tcp_pair()
    received = bytearray()
    reader = threading.Thread(target=read_all, args=(receiver, received))
    reader.start()
    error: BaseException | None = None
    try:
        asyncio.run(send_over(sender, chunks))
    except (ConnectionError, OSError) as exc:
        error = exc
    finally:
        sender.close()
        reader.join(timeout=10)
        receiver.close()
    assert not reader.is_alive()
    return bytes(received), error


@pytest.mark.parametrize("native", [True, False], ids=["sendfile", "pread"])
def test_slice_of_a_deleted_segment_still_sends(tmp_path: Path, monkeypatch, native: bool) -> None:
    monkeypatch.setattr(sendfile, "_NO_SENDFILE", not native)
    counter = PreadCounter()
    monkeypatch.setattr(sendfile, "os", counter)
    content = os.urandom(3 * CHUNK + 12345)
    path = tmp_path / "00000000000000000000.log"
    path.write_bytes(content)
    fd = os.open(path, os.O_RDONLY)
    slices = [
        FileSlice(fd=fd, position=100, length=2 * CHUNK + 7),
        FileSlice(fd=fd, position=0, length=10),  # position 0 after a slice that moved it
        FileSlice(fd=fd, position=len(content) - 5, length=5),
        FileSlice(fd=fd, position=17, length=0),
    ]
    owned = dup_slices([b"head", slices[0], b"mid", slices[1], slices[2], slices[3], b"tail"])
    # the segment goes away: closed by the log, its file deleted, before anything is sent
    os.close(fd)
    path.unlink()
    files = [c.file for c in owned if isinstance(c, OwnedSlice)]

    received, error = deliver(owned)

    assert error is None
    assert received == (
        b"head"
        + content[100 : 100 + 2 * CHUNK + 7]
        + b"mid"
        + content[:10]
        + content[-5:]
        + b"tail"
    )
    assert all(f.closed for f in files)  # every duplicate descriptor is released
    # 3 + 1 + 1 reads of at most CHUNK bytes without sendfile, none with it
    assert counter.reads == (0 if native else 5)


@pytest.mark.parametrize("native", [True, False], ids=["sendfile", "pread"])
def test_slice_past_the_end_of_its_file_fails_and_releases(
    tmp_path: Path, monkeypatch, native: bool
) -> None:
    monkeypatch.setattr(sendfile, "_NO_SENDFILE", not native)
    path = tmp_path / "short.log"
    path.write_bytes(b"0123456789")
    with open(path, "rb") as f:
        owned = dup_slices([b"head", FileSlice(fd=f.fileno(), position=4, length=20)])
    files = [c.file for c in owned if isinstance(c, OwnedSlice)]
    received, error = deliver(owned)
    assert isinstance(error, ConnectionError)
    assert received.startswith(b"head")
    assert len(received) < 4 + 20  # never a full slice of made-up bytes
    assert all(f.closed for f in files)


def test_dup_slices_keeps_bytes_and_duplicates_descriptors(tmp_path: Path) -> None:
    path = tmp_path / "seg.log"
    path.write_bytes(b"abcdef")
    with open(path, "rb") as f:
        owned = dup_slices([b"x", FileSlice(fd=f.fileno(), position=2, length=3), b"y"])
        try:
            assert owned[0] == b"x" and owned[2] == b"y"
            piece = owned[1]
            assert isinstance(piece, OwnedSlice)
            assert (piece.position, piece.length) == (2, 3)
            assert piece.file.fileno() != f.fileno()
            assert os.pread(piece.file.fileno(), 3, 2) == b"cde"
        finally:
            sendfile.close_slices(owned)
        assert piece.file.closed
        assert not f.closed
