"""Large messages are decoded and encoded in slices: ``decode_in_steps``/``encode_in_steps``
give exactly what ``decode``/``encode`` give, yielding between slices; ``ServerConnection``
hands a frame above ``sliced_request_size`` back as a ``Decoding`` to drive."""

from __future__ import annotations

import uuid
from collections.abc import Generator
from typing import Any

import pytest

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.codec import STEP, encode, encode_in_steps
from kafkalite.protocol.connection import Decoding, Request, ServerConnection
from kafkalite.protocol.errors import MalformedRequest
from kafkalite.protocol.messages import RESPONSES, ApiKey
from kafkalite.protocol.messages.fetch import (
    FetchPartition,
    FetchPartitionResponse,
    FetchRequest,
    FetchResponse,
    FetchTopic,
    FetchTopicResponse,
)
from kafkalite.protocol.messages.metadata import MetadataRequest, MetadataRequestTopic
from kafkalite.protocol.messages.produce import (
    ProducePartitionData,
    ProducePartitionResponse,
    ProduceRequest,
    ProduceResponse,
    ProduceTopicData,
    ProduceTopicResponse,
)
from tests.unit.server.kafka_wire import request_frame

SERVED = {ApiKey.PRODUCE: (3, 11), ApiKey.FETCH: (4, 12), ApiKey.METADATA: (0, 12)}


def drive(steps: Generator[None, None, Any]) -> tuple[Any, int]:
    yields = 0
    try:
        while True:
            next(steps)
            yields += 1
    except StopIteration as done:
        return done.value, yields


def produce_request(partitions: int) -> ProduceRequest:
    return ProduceRequest(
        acks=1,
        timeout_ms=1000,
        topic_data=[
            ProduceTopicData(
                name=f"t{t}",
                partition_data=[
                    ProducePartitionData(index=i, records=b"\x00" * (i % 3) if i % 5 else None)
                    for i in range(partitions)
                ],
            )
            for t in range(2)
        ],
    )


def fetch_request(partitions: int) -> FetchRequest:
    return FetchRequest(
        max_wait_ms=0,
        max_bytes=1 << 20,
        topics=[
            FetchTopic(
                topic="t",
                partitions=[FetchPartition(partition=i, fetch_offset=i) for i in range(partitions)],
            )
        ],
        forgotten_topics_data=[],
    )


@pytest.mark.parametrize(
    ("api_key", "version", "body"),
    [
        (ApiKey.PRODUCE, 3, produce_request(3 * STEP)),
        (ApiKey.PRODUCE, 9, produce_request(3 * STEP)),
        (ApiKey.FETCH, 4, fetch_request(4 * STEP)),
        (ApiKey.FETCH, 12, fetch_request(4 * STEP)),
        (
            ApiKey.METADATA,
            12,
            MetadataRequest(topics=[MetadataRequestTopic(name=f"n{i}") for i in range(3 * STEP)]),
        ),
    ],
)
def test_decoding_in_steps_gives_what_decode_gives(api_key: ApiKey, version: int, body: Any) -> None:
    connection = ServerConnection(SERVED)
    connection.receive_data(request_frame(api_key, version, body))
    plain = connection.next_event()
    assert isinstance(plain, Request)
    sliced = ServerConnection(SERVED, sliced_request_size=1024)
    sliced.receive_data(request_frame(api_key, version, body))
    event = sliced.next_event()
    assert isinstance(event, Decoding)
    request, yields = drive(event.steps)
    assert isinstance(request, Request)
    assert request.body == plain.body == body
    assert request.header == plain.header
    assert yields >= 2  # at least three slices


def test_small_frames_are_decoded_at_once() -> None:
    connection = ServerConnection(SERVED, sliced_request_size=1 << 20)
    connection.receive_data(request_frame(ApiKey.FETCH, 12, fetch_request(10)))
    event = connection.next_event()
    assert isinstance(event, Request)
    assert event.body == fetch_request(10)


def test_a_malformed_body_found_in_a_later_slice_breaks_the_connection() -> None:
    frame = bytearray(request_frame(ApiKey.FETCH, 12, fetch_request(3 * STEP)))
    frame[-40:] = b"\xff" * 40  # the tail no longer parses
    connection = ServerConnection(SERVED, sliced_request_size=1024)
    connection.receive_data(bytes(frame))
    event = connection.next_event()
    assert isinstance(event, Decoding)
    with pytest.raises(MalformedRequest):
        drive(event.steps)
    with pytest.raises(MalformedRequest):
        connection.next_event()


def fetch_response(partitions: int, slices: bool) -> FetchResponse:
    return FetchResponse(
        responses=[
            FetchTopicResponse(
                topic="t",
                partitions=[
                    FetchPartitionResponse(
                        partition_index=i,
                        error_code=3 if i % 7 else 0,
                        high_watermark=i,
                        records=FileSlice(fd=99, position=i, length=10)
                        if slices and i % 1000 == 1
                        else b"abc",
                    )
                    for i in range(partitions)
                ],
            )
        ]
    )


@pytest.mark.parametrize("version", [4, 11, 12])
def test_encoding_in_steps_gives_what_encode_gives(version: int) -> None:
    response = fetch_response(3 * STEP, slices=False)
    whole = encode(RESPONSES[ApiKey.FETCH], response, version)
    chunks, yields = drive(encode_in_steps(RESPONSES[ApiKey.FETCH], response, version))
    assert chunks == whole
    assert yields >= 2
    produce = ProduceResponse(
        responses=[
            ProduceTopicResponse(
                name="p",
                partition_responses=[
                    ProducePartitionResponse(index=i, base_offset=i, error_code=i % 2)
                    for i in range(3 * STEP)
                ],
            )
        ]
    )
    for v in (3, 9, 11):
        chunks, _ = drive(encode_in_steps(RESPONSES[ApiKey.PRODUCE], produce, v))
        assert chunks == encode(RESPONSES[ApiKey.PRODUCE], produce, v)


def test_file_slices_are_held_before_the_loop_may_run() -> None:
    response = fetch_response(8 * STEP, slices=True)
    held: list[FileSlice] = []

    class Held:
        def __init__(self, file_slice: FileSlice) -> None:
            self.length = file_slice.length
            self.position = file_slice.position

    def hold(file_slice: FileSlice) -> Held:
        held.append(file_slice)
        return Held(file_slice)

    steps = encode_in_steps(RESPONSES[ApiKey.FETCH], response, 12, hold=hold)
    next(steps)  # the first slice is encoded: its file slice is held before the yield
    assert [s.position for s in held] == [1]
    chunks, _ = drive(steps)
    whole = encode(RESPONSES[ApiKey.FETCH], response, 12)
    assert len(chunks) == len(whole)
    for mine, theirs in zip(chunks, whole, strict=True):
        if isinstance(theirs, FileSlice):
            assert (mine.position, mine.length) == (theirs.position, theirs.length)
        else:
            assert mine == theirs
    # Every slice but the last ones (encoded after the last yield) was held.
    assert [s.position for s in held] == [1, 1001, 2001, 3001][: len(held)]
    assert len(held) >= 3


def test_a_topic_id_round_trips_in_steps() -> None:
    topic_id = uuid.uuid4()
    body = MetadataRequest(
        topics=[MetadataRequestTopic(name=None, topic_id=topic_id)] * (2 * STEP)
    )
    data = request_frame(ApiKey.METADATA, 12, body)
    connection = ServerConnection(SERVED, sliced_request_size=16)
    connection.receive_data(data)
    event = connection.next_event()
    assert isinstance(event, Decoding)
    request, _ = drive(event.steps)
    assert [t.topic_id for t in request.body.topics] == [topic_id] * (2 * STEP)
