"""``ServerConnection``: framing, header versions, limits and the KIP-511 fallback.

The same pipelined byte stream must give the same requests whether it arrives whole, one
byte at a time or in random pieces. A hostile size prefix is refused from its four bytes
alone. Responses carry header v1 (a tagged-field byte after the correlation id) in flexible
versions, except ApiVersions, which always uses header v0.
"""

from __future__ import annotations

import struct
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from protocol_samples import RECORD_BATCH, plain, sample

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.codec import chunks_size, encode_bytes
from kafkalite.protocol.connection import NEED_DATA, Request, ServerConnection
from kafkalite.protocol.errors import MalformedRequest
from kafkalite.protocol.headers import request_header_version, response_header_version
from kafkalite.protocol.messages import REQUESTS, RESPONSES, ApiKey
from kafkalite.protocol.messages.api_versions import (
    ApiVersion,
    ApiVersionsRequest,
    ApiVersionsResponse,
)
from kafkalite.protocol.messages.fetch import (
    FetchPartitionResponse,
    FetchResponse,
    FetchTopicResponse,
)
from kafkalite.protocol.messages.metadata import MetadataRequest, MetadataResponse
from kafkalite.protocol.messages.produce import (
    ProducePartitionData,
    ProduceRequest,
    ProduceTopicData,
)
from tests.unit.server.kafka_wire import request_frame

SERVED = {api_key: (spec.valid.low, spec.valid.high) for api_key, spec in REQUESTS.items()}
UNSUPPORTED_VERSION = 35


def raw_frame(payload: bytes) -> bytes:
    return struct.pack(">i", len(payload)) + payload


def joined(chunks: list[Any]) -> bytes:
    assert all(isinstance(c, bytes) for c in chunks)
    return b"".join(chunks)


PIPELINE = [
    (
        ApiKey.API_VERSIONS,
        3,
        ApiVersionsRequest(client_software_name="kafkalite-test", client_software_version="1"),
    ),
    (ApiKey.METADATA, 12, sample(REQUESTS[ApiKey.METADATA], 12)),
    (ApiKey.METADATA, 0, MetadataRequest(topics=[])),
    (
        ApiKey.PRODUCE,
        9,
        ProduceRequest(
            acks=-1,
            timeout_ms=30_000,
            topic_data=[
                ProduceTopicData(
                    name="events",
                    partition_data=[ProducePartitionData(index=2, records=RECORD_BATCH)],
                )
            ],
        ),
    ),
    (ApiKey.PRODUCE, 3, sample(REQUESTS[ApiKey.PRODUCE], 3)),
    (ApiKey.FETCH, 12, sample(REQUESTS[ApiKey.FETCH], 12)),
    (ApiKey.LIST_OFFSETS, 1, sample(REQUESTS[ApiKey.LIST_OFFSETS], 1)),
    (ApiKey.INIT_PRODUCER_ID, 4, sample(REQUESTS[ApiKey.INIT_PRODUCER_ID], 4)),
]
STREAM = b"".join(
    request_frame(api, v, body, correlation_id=i + 100, client_id=None if i == 2 else f"client-{i}")
    for i, (api, v, body) in enumerate(PIPELINE)
)


def summary(request: Request) -> tuple[Any, ...]:
    spec = REQUESTS[request.api_key]
    return (
        request.api_key,
        request.api_version,
        request.correlation_id,
        request.client_id,
        request.version_unsupported,
        plain(spec, request.api_version, request.body),
    )


EXPECTED = [
    (api, v, i + 100, None if i == 2 else f"client-{i}", False, plain(REQUESTS[api], v, body))
    for i, (api, v, body) in enumerate(PIPELINE)
]


def feed(pieces: list[bytes], **kwargs: Any) -> tuple[ServerConnection, list[tuple[Any, ...]]]:
    conn = ServerConnection(SERVED, **kwargs)
    events = []
    for piece in pieces:
        conn.receive_data(piece)
        while (event := conn.next_event()) is not NEED_DATA:
            assert isinstance(event, Request)
            events.append(summary(event))
    return conn, events


# --- framing -------------------------------------------------------------------------------


def test_pipelined_requests_in_one_piece() -> None:
    conn, events = feed([STREAM])
    assert events == EXPECTED
    assert conn.buffered == 0
    assert conn.next_event() is NEED_DATA


def test_pipelined_requests_one_byte_at_a_time() -> None:
    conn, events = feed([STREAM[i : i + 1] for i in range(len(STREAM))])
    assert events == EXPECTED
    assert conn.buffered == 0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, len(STREAM)), max_size=30))
def test_pipelined_requests_in_random_pieces(cuts: list[int]) -> None:
    bounds = [0, *sorted(cuts), len(STREAM)]
    _, events = feed([STREAM[a:b] for a, b in zip(bounds, bounds[1:], strict=False)])
    assert events == EXPECTED


def test_request_size_is_the_frame_size() -> None:
    conn = ServerConnection(SERVED)
    conn.receive_data(STREAM)
    first = conn.next_event()
    assert isinstance(first, Request)
    assert first.size == struct.unpack_from(">i", STREAM)[0]


def test_records_are_a_writable_view_that_later_input_cannot_change() -> None:
    conn = ServerConnection(SERVED)
    data = request_frame(*PIPELINE[3], correlation_id=1)
    conn.receive_data(data)
    request = conn.next_event()
    assert isinstance(request, Request)
    records = request.body.topic_data[0].partition_data[0].records
    assert isinstance(records, memoryview) and not records.readonly
    conn.receive_data(b"\x00" * 64)  # more input reuses the connection's buffer
    assert bytes(records) == RECORD_BATCH


def test_frames_larger_than_a_mebibyte_keep_coming() -> None:
    big = b"\x01" * (1 << 20)
    body = ProduceRequest(
        acks=1,
        timeout_ms=1,
        topic_data=[
            ProduceTopicData(name="t", partition_data=[ProducePartitionData(index=0, records=big)])
        ],
    )
    stream = request_frame(ApiKey.PRODUCE, 9, body, 1) * 3 + request_frame(
        ApiKey.API_VERSIONS, 0, ApiVersionsRequest(), 2
    )
    conn = ServerConnection(SERVED)
    seen = []
    for start in range(0, len(stream), 700_000):
        conn.receive_data(stream[start : start + 700_000])
        while (event := conn.next_event()) is not NEED_DATA:
            assert isinstance(event, Request)
            seen.append(event.correlation_id)
            if event.api_key == ApiKey.PRODUCE:
                assert bytes(event.body.topic_data[0].partition_data[0].records) == big
    assert seen == [1, 1, 1, 2]
    assert conn.buffered == 0


# --- limits and malformed frames -----------------------------------------------------------


def test_size_above_the_limit_is_refused_from_the_prefix_alone() -> None:
    conn = ServerConnection(SERVED, max_request_size=1000)
    conn.receive_data(struct.pack(">i", 1001))
    with pytest.raises(MalformedRequest, match="1001"):
        conn.next_event()
    assert conn.buffered == 4  # nothing waited for, nothing of the claimed size buffered


def test_size_at_the_limit_is_accepted() -> None:
    data = request_frame(ApiKey.API_VERSIONS, 0, ApiVersionsRequest(), 9)
    conn = ServerConnection(SERVED, max_request_size=len(data) - 4)
    conn.receive_data(data)
    assert isinstance(conn.next_event(), Request)


def test_the_default_limit_is_100_mib() -> None:
    conn = ServerConnection(SERVED)
    conn.receive_data(struct.pack(">i", (100 << 20) + 1))
    with pytest.raises(MalformedRequest):
        conn.next_event()


@pytest.mark.parametrize("size", [-1, -(1 << 31), 0, 7])
def test_negative_or_too_small_sizes_are_malformed(size: int) -> None:
    conn = ServerConnection(SERVED)
    conn.receive_data(struct.pack(">i", size))
    with pytest.raises(MalformedRequest):
        conn.next_event()


def test_errors_are_sticky() -> None:
    conn = ServerConnection(SERVED)
    conn.receive_data(struct.pack(">i", -5))
    with pytest.raises(MalformedRequest):
        conn.next_event()
    conn.receive_data(request_frame(ApiKey.API_VERSIONS, 0, ApiVersionsRequest(), 1))
    with pytest.raises(MalformedRequest):
        conn.next_event()


@pytest.mark.parametrize("api_key", [4, 99, -1, 0x7FFF])
def test_unknown_api_key_is_malformed(api_key: int) -> None:
    conn = ServerConnection(SERVED)
    conn.receive_data(raw_frame(struct.pack(">hhih", api_key, 0, 1, -1)))
    with pytest.raises(MalformedRequest, match="api key"):
        conn.next_event()


@pytest.mark.parametrize(
    ("api_key", "version"),
    [(ApiKey.METADATA, 14), (ApiKey.FETCH, 3), (ApiKey.PRODUCE, -1), (ApiKey.LIST_OFFSETS, 0)],
)
def test_unsupported_version_of_other_apis_is_malformed(api_key: ApiKey, version: int) -> None:
    conn = ServerConnection(SERVED)
    conn.receive_data(raw_frame(struct.pack(">hhih", api_key, version, 1, -1)))
    with pytest.raises(MalformedRequest, match="not served"):
        conn.next_event()


def test_api_missing_from_the_served_table_is_refused() -> None:
    conn = ServerConnection({ApiKey.API_VERSIONS: (0, 4)})
    conn.receive_data(request_frame(ApiKey.METADATA, 1, MetadataRequest(), 1))
    with pytest.raises(MalformedRequest):
        conn.next_event()


@pytest.mark.parametrize(
    "payload",
    [
        struct.pack(">hhi", ApiKey.METADATA, 1, 5),  # header v1 without its client_id
        struct.pack(">hhih", ApiKey.METADATA, 1, 5, 10) + b"abc",  # client_id runs past the frame
        struct.pack(">hhih", ApiKey.METADATA, 1, 5, -1) + b"\x00\x00",  # body cut short
        struct.pack(">hhih", ApiKey.METADATA, 9, 5, -1),  # flexible: no tagged-field byte
    ],
)
def test_truncated_header_or_body_is_malformed(payload: bytes) -> None:
    conn = ServerConnection(SERVED)
    conn.receive_data(raw_frame(payload))
    with pytest.raises(MalformedRequest):
        conn.next_event()


# --- headers -------------------------------------------------------------------------------


def test_request_header_v2_keeps_an_int16_client_id() -> None:
    # Metadata v9 is flexible: header v2 = key, version, correlation id, int16-length
    # client_id (not compact), then a tagged-field section; then the compact body.
    payload = (
        struct.pack(">hhih", ApiKey.METADATA, 9, 77, 3) + b"abc" + b"\x00" + b"\x01\x00\x00\x00\x00"
    )
    conn = ServerConnection(SERVED)
    conn.receive_data(raw_frame(payload))
    request = conn.next_event()
    assert isinstance(request, Request)
    assert (request.correlation_id, request.client_id) == (77, "abc")
    assert request.body == MetadataRequest(topics=[], allow_auto_topic_creation=False)


def test_request_header_v2_null_client_id() -> None:
    payload = struct.pack(">hhih", ApiKey.API_VERSIONS, 3, 78, -1) + b"\x00" + b"\x01\x01\x00"
    conn = ServerConnection(SERVED)
    conn.receive_data(raw_frame(payload))
    request = conn.next_event()
    assert isinstance(request, Request)
    assert (request.client_id, request.body) == (None, ApiVersionsRequest())


def test_header_versions() -> None:
    assert [request_header_version(ApiKey.METADATA, v) for v in (0, 8, 9, 12)] == [1, 1, 2, 2]
    assert [response_header_version(ApiKey.METADATA, v) for v in (0, 8, 9, 12)] == [0, 0, 1, 1]
    assert [response_header_version(ApiKey.API_VERSIONS, v) for v in (0, 3, 4)] == [0, 0, 0]
    assert request_header_version(ApiKey.API_VERSIONS, 3) == 2
    assert request_header_version(ApiKey.SASL_HANDSHAKE, 1) == 1  # never flexible


def parse(data: bytes) -> Request:
    conn = ServerConnection(SERVED)
    conn.receive_data(data)
    request = conn.next_event()
    assert isinstance(request, Request)
    return request


@pytest.mark.parametrize(("version", "header_hex"), [(8, "00000021"), (9, "0000002100")])
def test_response_header_v1_in_flexible_versions(version: int, header_hex: str) -> None:
    request = parse(request_frame(ApiKey.METADATA, version, MetadataRequest(), 33))
    response = MetadataResponse(controller_id=1)
    data = joined(ServerConnection(SERVED).send_response(request, response))
    body = encode_bytes(RESPONSES[ApiKey.METADATA], response, version)
    assert (
        data
        == struct.pack(">i", len(header_hex) // 2 + len(body)) + bytes.fromhex(header_hex) + body
    )


@pytest.mark.parametrize("version", [0, 1, 2, 3, 4])
def test_api_versions_response_always_uses_header_v0(version: int) -> None:
    request = parse(request_frame(ApiKey.API_VERSIONS, version, ApiVersionsRequest(), 0x01020304))
    response = ApiVersionsResponse(api_keys=[ApiVersion(api_key=18, min_version=0, max_version=4)])
    data = joined(ServerConnection(SERVED).send_response(request, response))
    body = encode_bytes(RESPONSES[ApiKey.API_VERSIONS], response, version)
    assert data[4:8] == bytes.fromhex("01020304")
    assert data[8:] == body  # no tagged-field byte, even at v3+
    assert struct.unpack_from(">i", data)[0] == len(data) - 4


# --- ApiVersions at a version we do not know (KIP-511) -------------------------------------


def test_api_versions_at_an_unknown_version_is_answered_in_v0() -> None:
    # A future client: v99, header v2, a body we cannot know the shape of.
    payload = (
        struct.pack(">hhih", ApiKey.API_VERSIONS, 99, 4242, 6)
        + b"future"
        + b"\x00"
        + b"\xde\xad\xbe\xef"
    )
    conn = ServerConnection(SERVED)
    conn.receive_data(
        raw_frame(payload) + request_frame(ApiKey.API_VERSIONS, 0, ApiVersionsRequest(), 4243)
    )
    request = conn.next_event()
    assert isinstance(request, Request)
    assert request.version_unsupported
    assert (request.api_key, request.api_version, request.correlation_id) == (
        ApiKey.API_VERSIONS,
        99,
        4242,
    )
    assert request.body == ApiVersionsRequest()
    follower = conn.next_event()  # the stream stays in step after the unparsed body
    assert isinstance(follower, Request) and follower.correlation_id == 4243

    response = ApiVersionsResponse(
        error_code=UNSUPPORTED_VERSION,
        api_keys=[ApiVersion(api_key=18, min_version=0, max_version=4)],
        throttle_time_ms=9,  # v1+, ignorable: dropped in v0
    )
    data = joined(conn.send_response(request, response))
    assert data == bytes.fromhex(
        "00000010"  # size
        " 00001092"  # response header v0: the correlation id only
        " 0023"  # UNSUPPORTED_VERSION
        " 00000001 0012 0000 0004"  # an int32-length array: v0 is not flexible
    )


def test_api_versions_below_the_served_range_is_also_answered() -> None:
    conn = ServerConnection({**SERVED, ApiKey.API_VERSIONS: (1, 4)})
    conn.receive_data(raw_frame(struct.pack(">hhih", ApiKey.API_VERSIONS, 0, 5, -1)))
    request = conn.next_event()
    assert isinstance(request, Request) and request.version_unsupported


# --- send_response -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("api_key", "version"), [(k, v) for k, (low, high) in SERVED.items() for v in (low, high)]
)
def test_size_prefix_is_the_byte_length(api_key: ApiKey, version: int) -> None:
    request = parse(request_frame(api_key, version, sample(REQUESTS[api_key], version, elements=1), 5))
    chunks = ServerConnection(SERVED).send_response(request, sample(RESPONSES[api_key], version))
    data = joined(chunks)
    assert struct.unpack_from(">i", data)[0] == len(data) - 4
    assert data[4:8] == struct.pack(">i", 5)


@pytest.mark.parametrize("version", [4, 12])
def test_send_response_passes_file_slices_through(version: int) -> None:
    request = parse(request_frame(ApiKey.FETCH, version, sample(REQUESTS[ApiKey.FETCH], version), 6))
    file_slice = FileSlice(fd=11, position=512, length=1000)
    response = FetchResponse(
        responses=[
            FetchTopicResponse(
                topic="t",
                partitions=[
                    FetchPartitionResponse(
                        partition_index=0, high_watermark=10, records=file_slice
                    ),
                    FetchPartitionResponse(partition_index=1, records=b"inline"),
                ],
            )
        ]
    )
    chunks = ServerConnection(SERVED).send_response(request, response)
    assert [type(c) for c in chunks] == [bytes, FileSlice, bytes]
    assert chunks[1] is file_slice
    (size,) = struct.unpack_from(">i", chunks[0])
    assert size == chunks_size(chunks) - 4 == len(chunks[0]) + 1000 + len(chunks[2]) - 4
