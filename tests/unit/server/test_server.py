"""The broker over real sockets: framing, ordering, acks=0, bad input and shutdown."""

from __future__ import annotations

import socket
import struct

from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.api_versions import ApiVersionsRequest
from kafkalite.protocol.messages.metadata import MetadataRequest, MetadataRequestTopic
from kafkalite.protocol.messages.produce import (
    ProducePartitionData,
    ProduceRequest,
    ProduceTopicData,
)
from tests.unit.batches import record_batch
from tests.unit.server.kafka_wire import call, read_response, request_frame


def test_api_versions_lists_served_ranges_at_every_version(broker_thread) -> None:
    from kafkalite.config import BrokerConfig
    from kafkalite.handlers import advertised

    assert BrokerConfig().emulate_version == "4.2"  # Kafka 4.2's ranges unless told otherwise
    for version in range(0, 5):
        response = call(
            broker_thread.address,
            ApiKey.API_VERSIONS,
            version,
            ApiVersionsRequest(
                client_software_name="t" if version >= 3 else "",
                client_software_version="1" if version >= 3 else "",
            ),
        )
        assert response.error_code == ErrorCode.NONE
        assert {k.api_key: (k.min_version, k.max_version) for k in response.api_keys} == {
            int(k): v for k, v in advertised("4.2").items()
        }


def test_unknown_api_versions_version_gets_v0_answer_and_connection_stays_open(
    broker_thread,
) -> None:
    with socket.create_connection(broker_thread.address, timeout=10) as sock:
        # v99 with a body we would not understand: header v2 shape, garbage after it.
        payload = struct.pack(">hhih", ApiKey.API_VERSIONS, 99, 7, 4) + b"test" + b"\x00\xff\xfe"
        sock.sendall(struct.pack(">i", len(payload)) + payload)
        correlation_id, response = read_response(sock, ApiKey.API_VERSIONS, 0)
        assert correlation_id == 7
        assert response.error_code == ErrorCode.UNSUPPORTED_VERSION
        assert any(
            k.api_key == ApiKey.API_VERSIONS and k.max_version == 4 for k in response.api_keys
        )
        sock.sendall(
            request_frame(
                ApiKey.API_VERSIONS,
                3,
                ApiVersionsRequest(client_software_name="t", client_software_version="1"),
                8,
            )
        )
        correlation_id, response = read_response(sock, ApiKey.API_VERSIONS, 3)
        assert (correlation_id, response.error_code) == (8, ErrorCode.NONE)


def test_pipelined_requests_are_answered_in_order(broker_thread) -> None:
    frames = b"".join(
        request_frame(
            ApiKey.METADATA, 1 + i % 12, MetadataRequest(topics=[]), correlation_id=100 + i
        )
        for i in range(20)
    )
    with socket.create_connection(broker_thread.address, timeout=10) as sock:
        sock.sendall(frames)
        seen = [read_response(sock, ApiKey.METADATA, 1 + i % 12)[0] for i in range(20)]
    assert seen == list(range(100, 120))


def test_acks_zero_produce_gets_no_response(broker_thread) -> None:
    address = broker_thread.address
    call(address, ApiKey.METADATA, 4, MetadataRequest(topics=[MetadataRequestTopic(name="quiet")]))
    produce = ProduceRequest(
        acks=0,
        timeout_ms=1000,
        topic_data=[
            ProduceTopicData(
                name="quiet",
                partition_data=[
                    ProducePartitionData(index=0, records=record_batch([(b"k", b"v")]))
                ],
            )
        ],
    )
    with socket.create_connection(address, timeout=10) as sock:
        sock.sendall(request_frame(ApiKey.PRODUCE, 7, produce, correlation_id=1))
        sock.sendall(request_frame(ApiKey.API_VERSIONS, 0, ApiVersionsRequest(), correlation_id=2))
        correlation_id, _ = read_response(sock, ApiKey.API_VERSIONS, 0)
        assert correlation_id == 2  # nothing came back for the produce
    log = broker_thread.call(broker_thread.broker.cluster.partition, "quiet", 0)
    assert log.log_end_offset == 1


def _closed_by_peer(sock: socket.socket) -> bool:
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


def test_oversized_frame_closes_only_that_connection(broker_thread) -> None:
    with (
        socket.create_connection(broker_thread.address, timeout=10) as bad,
        socket.create_connection(broker_thread.address, timeout=10) as good,
    ):
        bad.sendall(struct.pack(">i", 0x7FFFFFF0) + b"\x00" * 100)
        assert _closed_by_peer(bad)
        good.sendall(request_frame(ApiKey.API_VERSIONS, 0, ApiVersionsRequest()))
        assert read_response(good, ApiKey.API_VERSIONS, 0)[1].error_code == 0


def test_garbage_and_unknown_api_close_the_connection(broker_thread) -> None:
    for payload in (
        b"\x7f\x7f" + b"\x00" * 10,
        struct.pack(">hhi", ApiKey.FETCH, 99, 1) + b"\x00\x00",
    ):
        with socket.create_connection(broker_thread.address, timeout=10) as sock:
            sock.sendall(struct.pack(">i", len(payload)) + payload)
            assert _closed_by_peer(sock)
    response = call(broker_thread.address, ApiKey.API_VERSIONS, 0, ApiVersionsRequest())
    assert response.error_code == 0


def test_truncated_body_closes_the_connection(broker_thread) -> None:
    frame = request_frame(
        ApiKey.METADATA, 9, MetadataRequest(topics=[MetadataRequestTopic(name="abc")])
    )
    body = frame[4:-3]
    with socket.create_connection(broker_thread.address, timeout=10) as sock:
        sock.sendall(struct.pack(">i", len(body)) + body)
        assert _closed_by_peer(sock)


def test_every_served_range_lies_inside_its_schema() -> None:
    from kafkalite.handlers import HANDLERS
    from kafkalite.protocol.messages import REQUESTS, RESPONSES

    for key, handler in HANDLERS.items():
        for spec in (REQUESTS[key], RESPONSES[key]):
            assert spec.valid.low <= handler.min_version <= handler.max_version <= spec.valid.high, key.name


def test_producer_ids_survive_a_damaged_allocator_file(tmp_path) -> None:
    from kafkalite.producer_ids import FILE_NAME, ProducerIdAllocator

    first = ProducerIdAllocator(tmp_path)
    assert [first.next_id() for _ in range(3)] == [0, 1, 2]
    assert ProducerIdAllocator(tmp_path).next_id() == 1000  # the next block after a restart
    (tmp_path / FILE_NAME).write_text("garbage")
    assert ProducerIdAllocator(tmp_path, floor=1001).next_id() == 1001


def test_a_failing_handler_closes_only_its_connection_and_is_logged(broker_thread, monkeypatch, caplog) -> None:
    from kafkalite.handlers import HANDLERS, Handler

    async def broken(ctx, request):  # type: ignore[no-untyped-def]
        raise RuntimeError("handler bug")

    original = HANDLERS[ApiKey.METADATA]
    monkeypatch.setitem(HANDLERS, ApiKey.METADATA, Handler(broken, original.min_version, original.max_version))  # type: ignore[index]
    with socket.create_connection(broker_thread.address, timeout=10) as sock:
        sock.sendall(request_frame(ApiKey.METADATA, 9, MetadataRequest(topics=[]), correlation_id=5))
        assert _closed_by_peer(sock)
    assert any("error handling METADATA v9 corr=5" in r.getMessage() for r in caplog.records)
    monkeypatch.setitem(HANDLERS, ApiKey.METADATA, original)  # type: ignore[index]
    assert call(broker_thread.address, ApiKey.METADATA, 9, MetadataRequest(topics=[])).brokers


def test_a_request_split_into_single_bytes_is_served(broker_thread) -> None:
    frame = request_frame(ApiKey.API_VERSIONS, 3, ApiVersionsRequest(client_software_name="t", client_software_version="1"))
    with socket.create_connection(broker_thread.address, timeout=10) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for i in range(len(frame)):
            sock.sendall(frame[i : i + 1])
        assert read_response(sock, ApiKey.API_VERSIONS, 3)[1].error_code == 0
