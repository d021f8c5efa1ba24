"""A Fetch answer with only a few kilobytes of records is read and sent as one byte string
instead of through sendfile (``sendfile.inline_small_slices``); the client gets the same
frame either way, and larger answers still go through sendfile."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import kafkalite.server.sendfile as sendfile
from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.fetch import FetchPartition, FetchRequest, FetchTopic
from kafkalite.server.sendfile import inline_small_slices
from tests.unit.batches import record_batch
from tests.unit.handlers.admin_wire import create_topic
from tests.unit.server.kafka_wire import request_frame
from tests.unit.server.test_sendfile import SendfileSpy, placed, produce, raw_exchange


def test_small_fetch_answers_skip_sendfile_and_send_the_same_frame(
    broker_thread, monkeypatch
) -> None:
    address = broker_thread.address
    create_topic(address, "small")
    batches = [record_batch([(b"k", b"v" * 100)]), record_batch([(None, b"w" * 2000)] * 3)]
    expected = b"".join(placed(batch, produce(address, "small", 0, batch)) for batch in batches)
    request = FetchRequest(
        max_wait_ms=0,
        min_bytes=1,
        max_bytes=1 << 20,
        topics=[
            FetchTopic(
                topic="small",
                partitions=[FetchPartition(partition=0, fetch_offset=0, partition_max_bytes=1 << 20)],
            )
        ],
    )
    frame = request_frame(ApiKey.FETCH, 12, request, correlation_id=5)
    spy = SendfileSpy(broker_thread.loop)
    monkeypatch.setattr(broker_thread.loop, "sendfile", spy)
    monkeypatch.setattr(sendfile, "_NO_SENDFILE", False)

    inlined = raw_exchange(address, frame)
    assert spy.calls == []  # read and sent with the header, in one piece
    assert inlined.count(expected) == 1

    monkeypatch.setattr(sendfile, "INLINE_BYTES", len(expected) - 1)
    sent = raw_exchange(address, frame)
    assert spy.calls == [(0, len(expected))]
    assert sent == inlined


def test_inline_small_slices_reads_slices_in_place_up_to_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "seg.log"
    content = os.urandom(3000)
    path.write_bytes(content)
    with open(path, "rb") as f:
        fd = f.fileno()
        chunks: list[bytes | FileSlice] = [
            b"head", FileSlice(fd, 10, 1000), b"mid", FileSlice(fd, 2000, 1000), b"tail"
        ]
        assert inline_small_slices(chunks) == [
            b"head" + content[10:1010] + b"mid" + content[2000:3000] + b"tail"
        ]
        big = [b"head", FileSlice(fd, 0, sendfile.INLINE_BYTES + 1)]
        assert inline_small_slices(big) is big  # left to sendfile
        short = [b"head", FileSlice(fd, 2500, 1000)]  # runs past the end of the file
        with pytest.raises(ConnectionError):  # never a short slice of made-up length
            inline_small_slices(short)
