"""Cross-check the codec against kafka-python's ``kafka.protocol``, built from Kafka's own
message definitions: an independent implementation of every message and version.

For every API and version we serve: a request kafka-python encodes (header included) goes
through our ``ServerConnection`` and comes out with the same values, and the bytes we would
write for it are the bytes kafka-python wrote; a response we send (size prefix and header
included) reads back in kafka-python with the same values. The sample messages set every
field the version carries (``protocol_samples.sample``); a few hand-written cases follow
with real record batches and the values clients actually send.
"""

from __future__ import annotations

import struct
import uuid
from typing import Any

import pytest
from protocol_samples import (
    all_messages,
    kp_class,
    kp_decode_response,
    kp_encode_request,
    kp_plain,
    plain,
    sample,
    served_ranges,
    to_kp,
)

from kafkalite.protocol.codec import encode_bytes
from kafkalite.protocol.connection import Request, ServerConnection
from kafkalite.protocol.headers import request_header_version
from kafkalite.protocol.messages import REQUESTS, ApiKey
from kafkalite.protocol.messages.api_versions import ApiVersion, ApiVersionsResponse
from kafkalite.protocol.messages.fetch import (
    FetchAbortedTransaction,
    FetchPartitionResponse,
    FetchResponse,
    FetchTopicResponse,
)
from kafkalite.protocol.messages.headers import REQUEST_HEADER_SPEC, RequestHeader
from kafkalite.protocol.messages.init_producer_id import InitProducerIdResponse

pytest.importorskip("kafka.protocol.api_message", reason="kafka-python 3 is not installed")

from kafka.protocol.consumer import FetchResponse as KpFetchResponse  # noqa: E402
from kafka.protocol.consumer import ListOffsetsRequest as KpListOffsetsRequest  # noqa: E402
from kafka.protocol.metadata import ApiVersionsResponse as KpApiVersionsResponse  # noqa: E402
from kafka.protocol.metadata import MetadataRequest as KpMetadataRequest  # noqa: E402
from kafka.protocol.producer import InitProducerIdRequest as KpInitProducerIdRequest  # noqa: E402
from kafka.protocol.producer import InitProducerIdResponse as KpInitProducerIdResponse  # noqa: E402
from kafka.protocol.producer import ProduceRequest as KpProduceRequest  # noqa: E402
from kafka.record.memory_records import MemoryRecords, MemoryRecordsBuilder  # noqa: E402

SERVED = {api_key: (spec.valid.low, spec.valid.high) for api_key, spec in REQUESTS.items()}
# kafka-python has no classes for the telemetry, KRaft voter, KIP-848, KIP-932 and delegation
# token APIs;
# test_hand_written_bytes.py covers them.
NOT_IN_KAFKA_PYTHON = {
    ApiKey.GET_TELEMETRY_SUBSCRIPTIONS, ApiKey.PUSH_TELEMETRY,
    ApiKey.CONSUMER_GROUP_HEARTBEAT, ApiKey.CONSUMER_GROUP_DESCRIBE,
    ApiKey.ADD_RAFT_VOTER, ApiKey.REMOVE_RAFT_VOTER, ApiKey.UNREGISTER_BROKER,
    ApiKey.CREATE_DELEGATION_TOKEN, ApiKey.RENEW_DELEGATION_TOKEN,
    ApiKey.EXPIRE_DELEGATION_TOKEN, ApiKey.DESCRIBE_DELEGATION_TOKEN,
    ApiKey.SHARE_GROUP_HEARTBEAT, ApiKey.SHARE_GROUP_DESCRIBE,
    ApiKey.SHARE_FETCH, ApiKey.SHARE_ACKNOWLEDGE, ApiKey.DESCRIBE_SHARE_GROUP_OFFSETS,
    ApiKey.ALTER_SHARE_GROUP_OFFSETS, ApiKey.DELETE_SHARE_GROUP_OFFSETS,
}
REQUEST_CASES = [
    pytest.param(api, spec, version, id=f"{api.name}-v{version}")
    for api, kind, spec, version in all_messages()
    if kind == "request" and api not in NOT_IN_KAFKA_PYTHON
]


RESPONSE_CASES = [
    pytest.param(api, spec, version, id=f"{api.name}-v{version}")
    for api, kind, spec, version in all_messages()
    if kind == "response" and api not in NOT_IN_KAFKA_PYTHON
]


def versions_of(api_key: ApiKey) -> range:
    low, high = SERVED[api_key]
    return range(low, high + 1)


def receive(frame_body: bytes) -> Request:
    """What our connection makes of one request frame (header and message, no size)."""
    conn = ServerConnection(SERVED)
    conn.receive_data(struct.pack(">i", len(frame_body)) + frame_body)
    request = conn.next_event()
    assert isinstance(request, Request)
    return request


def send(api_key: ApiKey, version: int, response: Any, correlation_id: int) -> bytes:
    """The response frame body (no size prefix) our connection sends for ``response``."""
    header = RequestHeader(
        request_api_key=api_key, request_api_version=version, correlation_id=correlation_id
    )
    chunks = ServerConnection(SERVED).send_response(
        Request(api_key, version, header, None, 0), response
    )
    assert all(isinstance(c, bytes) for c in chunks)
    data = b"".join(chunks)  # type: ignore[arg-type]
    assert struct.unpack_from(">i", data)[0] == len(data) - 4
    return data[4:]


def test_every_served_version_is_covered() -> None:
    for api_key, (low, high) in served_ranges().items():
        assert REQUESTS[api_key].valid.low <= low <= high <= REQUESTS[api_key].valid.high, (
            api_key.name
        )
        assert api_key in NOT_IN_KAFKA_PYTHON or kp_class(api_key, "request") is not None, (
            api_key.name
        )


# --- every field, every version ------------------------------------------------------------


@pytest.mark.parametrize("nulls", [False, True], ids=["values", "nulls"])
@pytest.mark.parametrize(("api_key", "spec", "version"), REQUEST_CASES)
def test_kafka_python_request_decodes_with_ours(
    api_key: ApiKey, spec: Any, version: int, nulls: bool
) -> None:
    message = sample(spec, version, nulls=nulls)
    kp_request = to_kp(spec, version, message, kp_class(api_key, "request"))
    frame_body = kp_encode_request(kp_request, correlation_id=0x7E57, client_id="kp-client")
    request = receive(frame_body)
    assert (request.api_key, request.api_version) == (api_key, version)
    assert (request.correlation_id, request.client_id) == (0x7E57, "kp-client")
    assert plain(spec, version, request.body) == plain(spec, version, message)
    header = encode_bytes(
        REQUEST_HEADER_SPEC, request.header, request_header_version(api_key, version)
    )
    body = encode_bytes(spec, request.body, version)
    assert header + body == frame_body  # we would have written exactly kafka-python's bytes


@pytest.mark.parametrize("nulls", [False, True], ids=["values", "nulls"])
@pytest.mark.parametrize(("api_key", "spec", "version"), RESPONSE_CASES)
def test_our_response_decodes_with_kafka_python(
    api_key: ApiKey, spec: Any, version: int, nulls: bool
) -> None:
    message = sample(spec, version, nulls=nulls)
    if api_key == ApiKey.API_VERSIONS:
        # kafka-python reads any ApiVersions response with an error as v0 (as Kafka's
        # clients do, KIP-511); the error case has its own test below.
        message.error_code = 0
    kp_cls = kp_class(api_key, "response")
    kp_response = kp_decode_response(
        kp_cls, version, send(api_key, version, message, correlation_id=0x5E4D)
    )
    assert kp_response.header.correlation_id == 0x5E4D
    assert kp_plain(spec, version, kp_response) == plain(spec, version, message)
    assert bytes(to_kp(spec, version, message, kp_cls).encode(version=version)) == encode_bytes(
        spec, message, version
    )


# --- representative messages ---------------------------------------------------------------


def record_batch(*values: bytes, base_offset: int = 0) -> bytes:
    builder = MemoryRecordsBuilder(
        magic=2, compression_type=0, batch_size=1 << 16, offset=base_offset
    )
    for i, value in enumerate(values):
        builder.append(
            timestamp=1_700_000_000_000 + i, key=b"key-%d" % i, value=value, headers=[("h", b"v")]
        )
    builder.close()
    return bytes(builder.buffer())


def read_batch(records: Any) -> list[tuple[int, bytes | None, bytes | None]]:
    batch = MemoryRecords(bytes(records)).next_batch()
    return [(r.offset, r.key, r.value) for r in batch]


@pytest.mark.parametrize("version", versions_of(ApiKey.PRODUCE))
def test_produce_request_with_a_record_batch(version: int) -> None:
    batch = record_batch(b"hello", b"world")
    topic_data = KpProduceRequest.fields["topic_data"].data_class
    partition_data = topic_data.fields["partition_data"].data_class
    topic_id = uuid.UUID("6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9")
    # v13 names the topic by its id (KIP-516), earlier versions by its name
    named = {"topic_id": topic_id} if version >= 13 else {"name": "events"}
    kp_request = KpProduceRequest[version](
        acks=-1,
        timeout_ms=30_000,
        topic_data=[topic_data(**named, partition_data=[partition_data(index=3, records=batch)])],
        **({"transactional_id": None} if version >= 3 else {}),
    )
    request = receive(kp_encode_request(kp_request, 1, "producer-1"))
    assert request.body.acks == -1 and request.body.timeout_ms == 30_000
    assert request.body.transactional_id is None
    [topic] = request.body.topic_data
    [partition] = topic.partition_data
    if version >= 13:
        assert (topic.name, topic.topic_id, partition.index) == ("", topic_id, 3)
    else:
        assert (topic.name, partition.index) == ("events", 3)
    assert isinstance(partition.records, memoryview) and bytes(partition.records) == batch
    assert read_batch(partition.records) == [(0, b"key-0", b"hello"), (1, b"key-1", b"world")]


FETCH_TOPIC_ID = uuid.UUID("0a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9")


@pytest.mark.parametrize("version", versions_of(ApiKey.FETCH))
def test_fetch_response_with_a_record_batch(version: int) -> None:
    batch = record_batch(b"a", b"bb", b"ccc", base_offset=40)
    response = FetchResponse(
        throttle_time_ms=0,
        error_code=0,
        session_id=0,
        responses=[
            FetchTopicResponse(
                topic="events",
                topic_id=FETCH_TOPIC_ID,
                partitions=[
                    FetchPartitionResponse(
                        partition_index=0,
                        high_watermark=43,
                        last_stable_offset=43,
                        log_start_offset=0,
                        aborted_transactions=[
                            FetchAbortedTransaction(producer_id=9, first_offset=41)
                        ],
                        records=batch,
                    ),
                    FetchPartitionResponse(
                        partition_index=1, error_code=1, high_watermark=-1, records=b""
                    ),
                ],
            )
        ],
    )
    kp_response = kp_decode_response(
        KpFetchResponse, version, send(ApiKey.FETCH, version, response, 8)
    )
    [topic] = kp_response.responses
    first, second = topic.partitions
    # v13 names the topic by its id (KIP-516), earlier versions by its name
    named = ("", FETCH_TOPIC_ID) if version >= 13 else ("events", None)
    assert (getattr(topic, "topic", None), getattr(topic, "topic_id", None)) == named
    assert (first.partition_index, first.high_watermark) == (0, 43)
    assert [(t.producer_id, t.first_offset) for t in first.aborted_transactions] == [(9, 41)]
    assert read_batch(first.records) == [
        (40, b"key-0", b"a"),
        (41, b"key-1", b"bb"),
        (42, b"key-2", b"ccc"),
    ]
    assert (second.error_code, second.high_watermark, bytes(second.records)) == (1, -1, b"")


@pytest.mark.parametrize("version", versions_of(ApiKey.LIST_OFFSETS))
def test_list_offsets_request_for_earliest_and_latest(version: int) -> None:
    topic_cls = KpListOffsetsRequest.fields["topics"].data_class
    partition_cls = topic_cls.fields["partitions"].data_class
    kwargs: dict[str, Any] = {
        "replica_id": -1,
        "topics": [
            topic_cls(
                name="t",
                partitions=[
                    partition_cls(partition_index=0, timestamp=-2),
                    partition_cls(partition_index=1, timestamp=-1),
                ],
            )
        ],
    }
    if version >= 2:
        kwargs["isolation_level"] = 1
    request = receive(kp_encode_request(KpListOffsetsRequest[version](**kwargs), 2, "consumer"))
    assert request.body.replica_id == -1
    assert request.body.isolation_level == (1 if version >= 2 else 0)
    [topic] = request.body.topics
    assert [(p.partition_index, p.timestamp) for p in topic.partitions] == [(0, -2), (1, -1)]


@pytest.mark.parametrize("version", versions_of(ApiKey.METADATA))
def test_metadata_request_for_all_topics(version: int) -> None:
    # v0 asks for every topic with an empty list, v1+ with a null one.
    request = receive(kp_encode_request(KpMetadataRequest[version](topics=None), 3, "admin"))
    assert request.body.topics == ([] if version == 0 else None)


@pytest.mark.parametrize("version", versions_of(ApiKey.METADATA))
def test_metadata_request_for_named_topics(version: int) -> None:
    topic_cls = KpMetadataRequest.fields["topics"].data_class
    request = receive(
        kp_encode_request(
            KpMetadataRequest[version](topics=[topic_cls(name="a"), topic_cls(name="b")]),
            4,
            "admin",
        )
    )
    assert [t.name for t in request.body.topics] == ["a", "b"]


def test_api_versions_error_response_reads_as_v0_in_kafka_python() -> None:
    # What the connection sends for ApiVersions at a version it does not know (KIP-511).
    response = ApiVersionsResponse(
        error_code=35,
        api_keys=[
            ApiVersion(api_key=k, min_version=lo, max_version=hi)
            for k, (lo, hi) in sorted(SERVED.items())
        ],
    )
    kp_response = KpApiVersionsResponse.decode(
        send(ApiKey.API_VERSIONS, 0, response, 11), version=3, header=True
    )
    assert kp_response.error_code == 35
    assert [(a.api_key, a.min_version, a.max_version) for a in kp_response.api_keys] == [
        (k, lo, hi) for k, (lo, hi) in sorted(SERVED.items())
    ]


@pytest.mark.parametrize("version", versions_of(ApiKey.INIT_PRODUCER_ID))
def test_init_producer_id_round_trip(version: int) -> None:
    kwargs: dict[str, Any] = {"transactional_id": None, "transaction_timeout_ms": 60_000}
    if version >= 3:
        kwargs.update(producer_id=-1, producer_epoch=-1)
    request = receive(
        kp_encode_request(KpInitProducerIdRequest[version](**kwargs), 5, "idempotent")
    )
    assert (request.body.transactional_id, request.body.transaction_timeout_ms) == (None, 60_000)
    assert (request.body.producer_id, request.body.producer_epoch) == (-1, -1)
    response = InitProducerIdResponse(producer_id=1_000_001, producer_epoch=0)
    kp_response = kp_decode_response(
        KpInitProducerIdResponse, version, send(ApiKey.INIT_PRODUCER_ID, version, response, 5)
    )
    assert (kp_response.error_code, kp_response.producer_id, kp_response.producer_epoch) == (
        0,
        1_000_001,
        0,
    )
