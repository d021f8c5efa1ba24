"""The fast paths write and read exactly what the general codec does: the Produce and Fetch
response encoders (``kafkalite.protocol.fast``) at every version they take, handing every
shape they do not cover back to the codec (None), and the request and response headers
(``kafkalite.protocol.headers``), refusing malformed headers with the codec's own errors."""

from __future__ import annotations

import struct
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.codec import decode, encode, encode_bytes
from kafkalite.protocol.errors import ProtocolError
from kafkalite.protocol.fast import (
    decode_fetch_request,
    decode_produce_request,
    encode_fetch_response,
    encode_produce_response,
)
from kafkalite.protocol.headers import (
    decode_request_header,
    encode_response_header,
    request_header_version,
    response_header_version,
)
from kafkalite.protocol.messages import REQUESTS, RESPONSES, ApiKey
from kafkalite.protocol.messages.fetch import (
    FetchAbortedTransaction,
    FetchForgottenTopic,
    FetchLeaderIdAndEpoch,
    FetchNodeEndpoint,
    FetchPartition,
    FetchPartitionResponse,
    FetchRequest,
    FetchResponse,
    FetchTopic,
    FetchTopicResponse,
)
from kafkalite.protocol.messages.headers import (
    REQUEST_HEADER_SPEC,
    RESPONSE_HEADER_SPEC,
    RequestHeader,
    ResponseHeader,
)
from kafkalite.protocol.messages.produce import (
    ProduceLeaderIdAndEpoch,
    ProducePartitionData,
    ProducePartitionResponse,
    ProduceRecordError,
    ProduceRequest,
    ProduceResponse,
    ProduceTopicData,
    ProduceTopicResponse,
)

PRODUCE_VERSIONS = range(3, 14)
FETCH_VERSIONS = range(4, 19)
TOPIC_ID = uuid.UUID("6f1c3a52-9d1e-4c57-8a44-1b2c3d4e5f60")

names = st.text(min_size=1, max_size=20)
int16s = st.integers(-(2**15), 2**15 - 1)
int32s = st.integers(-(2**31), 2**31 - 1)
int64s = st.integers(-(2**63), 2**63 - 1)
uuids = st.builds(uuid.UUID, int=st.integers(0, 2**128 - 1))


def general(api_key: ApiKey, response: object, version: int) -> list[object]:
    return encode(RESPONSES[api_key], response, version)


@st.composite
def produce_responses(draw: st.DrawFn, version: int) -> ProduceResponse:
    topics = []
    for _ in range(draw(st.integers(0, 3))):
        parts = [
            ProducePartitionResponse(
                index=draw(int32s),
                error_code=draw(int16s),
                base_offset=draw(int64s),
                log_append_time_ms=draw(int64s),
                log_start_offset=draw(int64s),  # ignorable: left out before v5
            )
            for _ in range(draw(st.integers(0, 3)))
        ]
        # the handler fills both the name and the id; the version carries one of them
        topics.append(
            ProduceTopicResponse(name=draw(names), topic_id=draw(uuids), partition_responses=parts)
        )
    return ProduceResponse(responses=topics, throttle_time_ms=draw(int32s))


@st.composite
def fetch_responses(draw: st.DrawFn, version: int) -> FetchResponse:
    topics = []
    for _ in range(draw(st.integers(0, 3))):
        parts = []
        for _ in range(draw(st.integers(0, 3))):
            records = draw(
                st.one_of(
                    st.none(),
                    st.binary(max_size=40),
                    st.builds(FileSlice, st.integers(0, 100), st.integers(0, 2**40), st.integers(0, 2**31 - 1)),
                )
            )
            aborted = draw(
                st.one_of(
                    st.none(),
                    st.lists(st.builds(FetchAbortedTransaction, producer_id=int64s, first_offset=int64s), max_size=3),
                )
            )
            parts.append(
                FetchPartitionResponse(
                    partition_index=draw(int32s),
                    error_code=draw(int16s),
                    high_watermark=draw(int64s),
                    last_stable_offset=draw(int64s),
                    log_start_offset=draw(int64s),  # ignorable: left out before v5
                    aborted_transactions=aborted,
                    preferred_read_replica=draw(int32s) if version >= 11 else -1,
                    records=records,
                )
            )
        topics.append(FetchTopicResponse(topic=draw(names), topic_id=draw(uuids), partitions=parts))
    response = FetchResponse(
        throttle_time_ms=draw(int32s), error_code=draw(int16s)  # ignorable before v7
    )
    response.responses = topics
    if version >= 7:
        response.session_id = draw(int32s)
    return response


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_produce_response_bytes_equal_the_general_codec(data: st.DataObject) -> None:
    version = data.draw(st.sampled_from(PRODUCE_VERSIONS))
    response = data.draw(produce_responses(version))
    assert encode_produce_response(response, version) == general(ApiKey.PRODUCE, response, version)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_fetch_response_chunks_equal_the_general_codec(data: st.DataObject) -> None:
    version = data.draw(st.sampled_from(FETCH_VERSIONS))
    response = data.draw(fetch_responses(version))
    assert encode_fetch_response(response, version) == general(ApiKey.FETCH, response, version)


def test_a_one_partition_fetch_answer_keeps_its_file_slice() -> None:
    records = FileSlice(fd=7, position=4096, length=170)
    response = FetchResponse(
        session_id=0,
        responses=[
            FetchTopicResponse(
                topic_id=TOPIC_ID,
                partitions=[
                    FetchPartitionResponse(
                        partition_index=0, high_watermark=12, last_stable_offset=12,
                        log_start_offset=0, aborted_transactions=[], records=records,
                    )
                ],
            )
        ],
    )
    chunks = encode_fetch_response(response, 16)
    assert chunks is not None and chunks[1] is records and len(chunks) == 3
    assert chunks == general(ApiKey.FETCH, response, 16)


def produce_with(version: int, **partition: object) -> ProduceResponse:
    topic = ProduceTopicResponse(topic_id=TOPIC_ID) if version >= 13 else ProduceTopicResponse(name="t")
    topic.partition_responses = [ProducePartitionResponse(index=0, base_offset=5, **partition)]
    return ProduceResponse(responses=[topic])


@pytest.mark.parametrize(
    ("version", "partition"),
    [
        (9, {"error_message": "no"}),
        (9, {"record_errors": [ProduceRecordError(batch_index=0)]}),
        (10, {"current_leader": ProduceLeaderIdAndEpoch(leader_id=2, leader_epoch=3)}),
        (7, {"error_message": "no"}),  # not carried before v8, and left out by the codec
    ],
)
def test_produce_shapes_left_to_the_general_codec(version: int, partition: dict) -> None:
    assert encode_produce_response(produce_with(version, **partition), version) is None


def test_produce_endpoints_and_old_versions_are_left_to_the_general_codec() -> None:
    response = produce_with(10)
    response.node_endpoints = [FetchNodeEndpoint(node_id=1, host="h", port=1)]
    assert encode_produce_response(response, 10) is None
    assert encode_produce_response(produce_with(12), 2) is None  # below the served range


def test_fetch_shapes_left_to_the_general_codec() -> None:
    def one(version: int, **partition: object) -> FetchResponse:
        return FetchResponse(
            responses=[FetchTopicResponse(topic="t", partitions=[FetchPartitionResponse(**partition)])]
        )

    moved = one(12, current_leader=FetchLeaderIdAndEpoch(leader_id=1, leader_epoch=2))
    assert encode_fetch_response(moved, 12) is None
    assert encode_fetch_response(one(10, preferred_read_replica=3), 10) is None
    sessions = one(6)
    sessions.session_id = 5  # not carried before v7
    assert encode_fetch_response(sessions, 6) is None
    wide = FetchResponse(
        responses=[
            FetchTopicResponse(
                topic="t", partitions=[FetchPartitionResponse(partition_index=i) for i in range(65)]
            )
        ]
    )
    assert encode_fetch_response(wide, 12) is None
    assert len(general(ApiKey.FETCH, wide, 12)) == 1


# --- request and response headers ----------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(
    api_key=st.sampled_from(list(ApiKey)),
    version=st.integers(0, 20),
    correlation_id=int32s,
    client_id=st.one_of(st.none(), st.text(max_size=30)),
    extra=st.one_of(st.just(b""), st.binary(max_size=8)),
)
def test_request_header_decodes_as_the_codec_does(
    api_key: ApiKey, version: int, correlation_id: int, client_id: str | None, extra: bytes
) -> None:
    header_version = request_header_version(api_key, version)
    header = RequestHeader(
        request_api_key=api_key, request_api_version=version, correlation_id=correlation_id,
        client_id=client_id,
    )
    frame = memoryview(encode_bytes(REQUEST_HEADER_SPEC, header, header_version) + extra)
    general_header, general_pos = decode(REQUEST_HEADER_SPEC, header_version, frame)
    assert decode_request_header(frame) == (general_header, general_pos)
    assert general_header == header


@pytest.mark.parametrize(
    "frame",
    [
        b"\x00\x00\x00\x0c\x00\x00\x00\x01\x00\x05ab",  # client id cut short
        b"\x00\x00\x00\x0c\x00\x00\x00\x01\x00\x02\xff\xfe",  # not UTF-8
        b"\x00\x00\x00\x0c\x00\x00\x00\x01\xff\xfe",  # a length below -1
        b"\x00\x12\x00\x03\x00\x00\x00\x01\xff\xff",  # flexible: the tagged section is missing
    ],
)
def test_malformed_request_headers_are_refused_as_the_codec_refuses_them(frame: bytes) -> None:
    version = request_header_version(*struct.unpack_from(">hh", frame))
    with pytest.raises(ProtocolError) as general_error:
        decode(REQUEST_HEADER_SPEC, version, memoryview(frame))
    with pytest.raises(ProtocolError) as fast_error:
        decode_request_header(memoryview(frame))
    assert str(fast_error.value) == str(general_error.value)


def test_a_flexible_header_with_tagged_fields_is_read_by_the_codec() -> None:
    # ApiVersions v3 (flexible): client id "c", then one tagged field (tag 5, 1 byte)
    frame = memoryview(b"\x00\x12\x00\x03\x00\x00\x00\x07\x00\x01c\x01\x05\x01z" + b"\x00")
    header, pos = decode_request_header(frame)
    assert (header.correlation_id, header.client_id, pos) == (7, "c", 15)


@pytest.mark.parametrize("api_key", list(ApiKey))
def test_response_header_bytes_equal_the_codec(api_key: ApiKey) -> None:
    for version in range(0, 20):
        header_version = response_header_version(api_key, version)
        expected = encode_bytes(
            RESPONSE_HEADER_SPEC, ResponseHeader(correlation_id=-123456), header_version
        )
        assert encode_response_header(api_key, version, -123456) == expected


# --- Produce and Fetch requests ------------------------------------------------------------

REQUEST_DECODERS = {ApiKey.PRODUCE: decode_produce_request, ApiKey.FETCH: decode_fetch_request}


@st.composite
def produce_requests(draw: st.DrawFn, version: int) -> ProduceRequest:
    topics = []
    for _ in range(draw(st.integers(0, 3))):
        parts = [
            ProducePartitionData(
                index=draw(int32s), records=draw(st.one_of(st.none(), st.binary(max_size=300)))
            )
            for _ in range(draw(st.integers(0, 3)))
        ]
        if version >= 13:
            topics.append(ProduceTopicData(topic_id=draw(uuids), partition_data=parts))
        else:
            topics.append(ProduceTopicData(name=draw(names), partition_data=parts))
    return ProduceRequest(
        transactional_id=draw(st.one_of(st.none(), names)),
        acks=draw(int16s),
        timeout_ms=draw(int32s),
        topic_data=topics,
    )


@st.composite
def fetch_requests(draw: st.DrawFn, version: int) -> FetchRequest:
    def topic_fields() -> dict[str, object]:
        return {"topic_id": draw(uuids)} if version >= 13 else {"topic": draw(names)}

    request = FetchRequest(
        max_wait_ms=draw(int32s), min_bytes=draw(int32s), max_bytes=draw(int32s),
        isolation_level=draw(st.integers(-128, 127)),
    )
    if version <= 14:
        request.replica_id = draw(int32s)
    if version >= 7:
        request.session_id, request.session_epoch = draw(int32s), draw(int32s)
        request.forgotten_topics_data = [
            FetchForgottenTopic(**topic_fields(), partitions=draw(st.lists(int32s, max_size=3)))
            for _ in range(draw(st.integers(0, 2)))
        ]
    if version >= 11:
        request.rack_id = draw(st.text(max_size=10))
    for _ in range(draw(st.integers(0, 3))):
        topic = FetchTopic(**topic_fields())
        for _ in range(draw(st.integers(0, 3))):
            part = FetchPartition(
                partition=draw(int32s), fetch_offset=draw(int64s), partition_max_bytes=draw(int32s)
            )
            if version >= 9:
                part.current_leader_epoch = draw(int32s)
            if version >= 12:
                part.last_fetched_epoch = draw(int32s)
            if version >= 5:
                part.log_start_offset = draw(int64s)
            topic.partitions.append(part)
        request.topics.append(topic)
    return request


REQUEST_CASES = [
    (ApiKey.PRODUCE, range(3, 14), produce_requests),
    (ApiKey.FETCH, range(4, 19), fetch_requests),
]


@pytest.mark.parametrize(("api_key", "versions", "requests"), REQUEST_CASES, ids=["produce", "fetch"])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_requests_decode_as_the_codec_decodes_them(api_key, versions, requests, data) -> None:
    version = data.draw(st.sampled_from(versions))
    request = data.draw(requests(version))
    frame = memoryview(b"head" + encode_bytes(REQUESTS[api_key], request, version))
    fast = REQUEST_DECODERS[api_key](frame, 4, version)
    assert fast is not None
    assert fast == decode(REQUESTS[api_key], version, frame, 4)[0] == request


@pytest.mark.parametrize(("api_key", "versions", "requests"), REQUEST_CASES, ids=["produce", "fetch"])
@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_mangled_requests_are_read_as_the_codec_reads_them_or_left_to_it(
    api_key, versions, requests, data
) -> None:
    """Whatever the fast path accepts, the codec accepts and reads the same; anything else
    goes to the codec, which alone refuses."""
    version = data.draw(st.sampled_from(versions))
    frame = bytearray(encode_bytes(REQUESTS[api_key], data.draw(requests(version)), version))
    for _ in range(data.draw(st.integers(1, 3))):
        if not frame:
            break
        at = data.draw(st.integers(0, len(frame) - 1))
        if data.draw(st.booleans()):
            frame[at] = data.draw(st.integers(0, 255))
        else:
            del frame[at:]
    fast = REQUEST_DECODERS[api_key](memoryview(frame), 0, version)
    if fast is not None:
        assert fast == decode(REQUESTS[api_key], version, memoryview(frame), 0)[0]


def test_requests_with_tagged_fields_are_left_to_the_codec() -> None:
    request = FetchRequest(cluster_id="c", topics=[FetchTopic(topic_id=TOPIC_ID)])
    frame = memoryview(encode_bytes(REQUESTS[ApiKey.FETCH], request, 16))
    assert decode_fetch_request(frame, 0, 16) is None
    assert decode(REQUESTS[ApiKey.FETCH], 16, frame, 0)[0].cluster_id == "c"
    plain = memoryview(encode_bytes(REQUESTS[ApiKey.PRODUCE], ProduceRequest(acks=1), 10))
    assert decode_produce_request(plain, 0, 2) is None  # below the served range
