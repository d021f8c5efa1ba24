"""Share group APIs (KIP-932) byte for byte, written out by hand from Kafka's message
definitions: kafka-python has no classes for them, so these layouts are the oracle.
All four are flexible from their first served version (compact strings and arrays,
tagged-field sections after every struct)."""

from __future__ import annotations

import uuid

from kafkalite.protocol.codec import decode, encode_bytes
from kafkalite.protocol.messages import REQUESTS, RESPONSES, ApiKey
from kafkalite.protocol.messages.share_acknowledge import (
    ShareAcknowledgementBatch,
    ShareAcknowledgePartition,
    ShareAcknowledgeRequest,
    ShareAcknowledgeResponse,
    ShareAcknowledgeTopic,
)
from kafkalite.protocol.messages.share_fetch import (
    ShareAcquiredRecords,
    ShareFetchAcknowledgementBatch,
    ShareFetchPartition,
    ShareFetchPartitionData,
    ShareFetchRequest,
    ShareFetchResponse,
    ShareFetchTopic,
    ShareFetchTopicResponse,
    ShareForgottenTopic,
)
from kafkalite.protocol.messages.share_group_heartbeat import (
    ShareGroupHeartbeatRequest,
    ShareGroupHeartbeatResponse,
    ShareHeartbeatAssignment,
    ShareHeartbeatTopicPartitions,
)

TOPIC = uuid.UUID("0123456789abcdef0123456789abcdef")


def test_share_group_heartbeat_v1_request() -> None:
    spec = REQUESTS[ApiKey.SHARE_GROUP_HEARTBEAT]
    wire = (
        b"\x02g"                             # group_id "g"
        + b"\x02m"                           # member_id "m"
        + bytes.fromhex("00000000")          # member_epoch 0
        + b"\x00"                            # rack_id null
        + b"\x02\x04foo"                     # subscribed_topic_names ["foo"]
        + b"\x00"                            # tagged fields
    )
    request = ShareGroupHeartbeatRequest(
        group_id="g", member_id="m", member_epoch=0, subscribed_topic_names=["foo"]
    )
    assert decode(spec, 1, wire) == (request, len(wire))
    assert encode_bytes(spec, request, 1) == wire
    # A heartbeat that changes nothing: the topic list is null.
    unchanged = b"\x02g\x02m" + bytes.fromhex("00000004") + b"\x00" + b"\x00" + b"\x00"
    assert decode(spec, 1, unchanged)[0].subscribed_topic_names is None


def test_share_group_heartbeat_v1_response() -> None:
    spec = RESPONSES[ApiKey.SHARE_GROUP_HEARTBEAT]
    response = ShareGroupHeartbeatResponse(
        member_id="m", member_epoch=2, heartbeat_interval_ms=5000,
        assignment=ShareHeartbeatAssignment(topic_partitions=[
            ShareHeartbeatTopicPartitions(topic_id=TOPIC, partitions=[0, 1])]),
    )
    wire = (
        bytes.fromhex("00000000")            # throttle_time_ms
        + bytes.fromhex("0000")              # error_code
        + b"\x00"                            # error_message null
        + b"\x02m"                           # member_id
        + bytes.fromhex("00000002")          # member_epoch
        + bytes.fromhex("00001388")          # heartbeat_interval_ms 5000
        + b"\x01"                            # assignment present
        + b"\x02" + TOPIC.bytes + b"\x03" + bytes.fromhex("00000000" "00000001") + b"\x00"
        + b"\x00"                            # assignment's tagged fields
        + b"\x00"                            # tagged fields
    )
    assert encode_bytes(spec, response, 1) == wire
    assert decode(spec, 1, wire) == (response, len(wire))
    null_assignment = wire[: wire.index(b"\x01" + b"\x02" + TOPIC.bytes)] + b"\xff" + b"\x00"
    assert decode(spec, 1, null_assignment)[0].assignment is None


def test_share_fetch_v1_request_with_acknowledgements() -> None:
    spec = REQUESTS[ApiKey.SHARE_FETCH]
    wire = (
        b"\x02g"                             # group_id "g"
        + b"\x02m"                           # member_id "m"
        + bytes.fromhex("00000001")          # share_session_epoch 1
        + bytes.fromhex("000001f4")          # max_wait_ms 500
        + bytes.fromhex("00000001")          # min_bytes 1
        + bytes.fromhex("00100000")          # max_bytes 1 MiB
        + bytes.fromhex("000001f4")          # max_records 500
        + bytes.fromhex("000001f4")          # batch_size 500
        + b"\x02" + TOPIC.bytes              # topics: one topic
        + b"\x02" + bytes.fromhex("00000003")  # one partition, index 3
        + b"\x02"                            # one acknowledgement batch
        + bytes.fromhex("000000000000000a" "000000000000000c")  # offsets 10..12
        + b"\x04\x01\x02\x03"                # accept, release, reject
        + b"\x00"                            # batch tagged fields
        + b"\x00"                            # partition tagged fields
        + b"\x00"                            # topic tagged fields
        + b"\x02" + TOPIC.bytes + b"\x02" + bytes.fromhex("00000007") + b"\x00"  # forget 7
        + b"\x00"                            # tagged fields
    )
    request = ShareFetchRequest(
        group_id="g", member_id="m", share_session_epoch=1, max_wait_ms=500, min_bytes=1,
        max_bytes=1 << 20, max_records=500, batch_size=500,
        topics=[ShareFetchTopic(topic_id=TOPIC, partitions=[ShareFetchPartition(
            partition_index=3,
            acknowledgement_batches=[ShareFetchAcknowledgementBatch(
                first_offset=10, last_offset=12, acknowledge_types=[1, 2, 3])],
        )])],
        forgotten_topics_data=[ShareForgottenTopic(topic_id=TOPIC, partitions=[7])],
    )
    assert decode(spec, 1, wire) == (request, len(wire))
    assert encode_bytes(spec, request, 1) == wire
    # v2 adds share_acquire_mode (int8) and is_renew_ack (bool) after batch_size.
    v2 = wire[:28] + b"\x01\x01" + wire[28:]
    decoded = decode(spec, 2, v2)[0]
    assert (decoded.share_acquire_mode, decoded.is_renew_ack) == (1, True)


def test_share_fetch_v1_response() -> None:
    spec = RESPONSES[ApiKey.SHARE_FETCH]
    batch = b"\x00" * 8 + b"rest-of-a-batch"
    response = ShareFetchResponse(
        acquisition_lock_timeout_ms=30000,
        responses=[ShareFetchTopicResponse(topic_id=TOPIC, partitions=[ShareFetchPartitionData(
            partition_index=0, records=batch,
            acquired_records=[ShareAcquiredRecords(first_offset=0, last_offset=4, delivery_count=1)],
        )])],
    )
    wire = (
        bytes.fromhex("00000000")            # throttle_time_ms
        + bytes.fromhex("0000")              # error_code
        + b"\x00"                            # error_message null
        + bytes.fromhex("00007530")          # acquisition_lock_timeout_ms 30000
        + b"\x02" + TOPIC.bytes              # one topic
        + b"\x02" + bytes.fromhex("00000000")  # one partition, index 0
        + bytes.fromhex("0000") + b"\x00"    # error_code, error_message null
        + bytes.fromhex("0000") + b"\x00"    # acknowledge_error_code, message null
        + bytes.fromhex("00000000" "00000000") + b"\x00"  # current_leader 0, epoch 0
        + bytes([len(batch) + 1]) + batch    # records (compact bytes)
        + b"\x02" + bytes.fromhex("0000000000000000" "0000000000000004" "0001") + b"\x00"
        + b"\x00"                            # partition tagged fields
        + b"\x00"                            # topic tagged fields
        + b"\x01"                            # node_endpoints: empty
        + b"\x00"                            # tagged fields
    )
    assert encode_bytes(spec, response, 1) == wire


def test_share_acknowledge_v2_request_and_response() -> None:
    spec = REQUESTS[ApiKey.SHARE_ACKNOWLEDGE]
    wire = (
        b"\x02g" + b"\x02m"
        + bytes.fromhex("00000002")          # share_session_epoch 2
        + b"\x00"                            # is_renew_ack false (v2)
        + b"\x02" + TOPIC.bytes
        + b"\x02" + bytes.fromhex("00000000")
        + b"\x02" + bytes.fromhex("0000000000000005" "0000000000000005") + b"\x02\x01" + b"\x00"
        + b"\x00" + b"\x00"
        + b"\x00"
    )
    request = ShareAcknowledgeRequest(
        group_id="g", member_id="m", share_session_epoch=2,
        topics=[ShareAcknowledgeTopic(topic_id=TOPIC, partitions=[ShareAcknowledgePartition(
            partition_index=0,
            acknowledgement_batches=[ShareAcknowledgementBatch(
                first_offset=5, last_offset=5, acknowledge_types=[1])],
        )])],
    )
    assert decode(spec, 2, wire) == (request, len(wire))
    v1 = wire[:8] + wire[9:]                 # v1 has no is_renew_ack
    assert decode(spec, 1, v1) == (request, len(v1))
    response_spec = RESPONSES[ApiKey.SHARE_ACKNOWLEDGE]
    answer = ShareAcknowledgeResponse(error_code=123, acquisition_lock_timeout_ms=1000)
    v2 = bytes.fromhex("00000000" "007b") + b"\x00" + bytes.fromhex("000003e8") + b"\x01\x01\x00"
    assert encode_bytes(response_spec, answer, 2) == v2
    # v1 has no acquisition_lock_timeout_ms; it is ignorable, so it is dropped.
    assert encode_bytes(response_spec, answer, 1) == v2[:7] + v2[11:]
