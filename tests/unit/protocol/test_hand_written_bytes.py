"""Messages kafka-python has no class for, checked against bytes written out by hand from the
KIP's field list (KIP-714: GetTelemetrySubscriptions v0, PushTelemetry v0; KIP-853 and
KIP-1186: AddRaftVoter v0-v1, RemoveRaftVoter v0; all flexible)."""

from __future__ import annotations

import uuid

from kafkalite.protocol.codec import decode, encode_bytes
from kafkalite.protocol.messages import REQUESTS, RESPONSES, ApiKey
from kafkalite.protocol.messages.add_raft_voter import (
    AddRaftVoterListener,
    AddRaftVoterRequest,
    AddRaftVoterResponse,
)
from kafkalite.protocol.messages.get_telemetry_subscriptions import (
    GetTelemetrySubscriptionsRequest,
    GetTelemetrySubscriptionsResponse,
)
from kafkalite.protocol.messages.push_telemetry import PushTelemetryRequest, PushTelemetryResponse
from kafkalite.protocol.messages.remove_raft_voter import (
    RemoveRaftVoterRequest,
    RemoveRaftVoterResponse,
)

ID = uuid.UUID("00112233-4455-6677-8899-aabbccddeeff")


def test_get_telemetry_subscriptions_v0() -> None:
    request = GetTelemetrySubscriptionsRequest(client_instance_id=ID)
    wire = ID.bytes + b"\x00"  # uuid, no tagged fields
    assert encode_bytes(REQUESTS[ApiKey.GET_TELEMETRY_SUBSCRIPTIONS], request, 0) == wire
    response = GetTelemetrySubscriptionsResponse(
        throttle_time_ms=1, error_code=0, client_instance_id=ID, subscription_id=7,
        accepted_compression_types=[4, 1], push_interval_ms=5000, telemetry_max_bytes=1024,
        delta_temporality=True, requested_metrics=["org.apache.kafka."],
    )
    wire = (
        bytes.fromhex("00000001")           # throttle_time_ms
        + bytes.fromhex("0000")             # error_code
        + ID.bytes                          # client_instance_id
        + bytes.fromhex("00000007")         # subscription_id
        + bytes.fromhex("03" "04" "01")     # compact array of 2 int8
        + bytes.fromhex("00001388")         # push_interval_ms 5000
        + bytes.fromhex("00000400")         # telemetry_max_bytes 1024
        + b"\x01"                          # delta_temporality
        + b"\x02" + b"\x12" + b"org.apache.kafka."  # compact array of 1 compact string
        + b"\x00"                          # tagged fields
    )
    spec = RESPONSES[ApiKey.GET_TELEMETRY_SUBSCRIPTIONS]
    assert encode_bytes(spec, response, 0) == wire
    assert decode(spec, 0, wire) == (response, len(wire))


def test_push_telemetry_v0() -> None:
    request = PushTelemetryRequest(
        client_instance_id=ID, subscription_id=7, terminating=True, compression_type=1,
        metrics=b"abc",
    )
    wire = (
        ID.bytes + bytes.fromhex("00000007") + b"\x01" + b"\x01"
        + b"\x04abc"                       # compact bytes
        + b"\x00"
    )
    spec = REQUESTS[ApiKey.PUSH_TELEMETRY]
    assert encode_bytes(spec, request, 0) == wire
    assert decode(spec, 0, wire) == (request, len(wire))
    response_wire = bytes.fromhex("00000000" "0076" "00")  # TELEMETRY_TOO_LARGE
    assert decode(RESPONSES[ApiKey.PUSH_TELEMETRY], 0, response_wire) == (
        PushTelemetryResponse(error_code=118), len(response_wire)
    )


def test_add_raft_voter_v0_and_v1() -> None:
    request = AddRaftVoterRequest(
        cluster_id="c1", timeout_ms=30000, voter_id=3, voter_directory_id=ID,
        listeners=[AddRaftVoterListener(name="CONTROLLER", host="h", port=9093)],
        ack_when_committed=False,
    )
    v0 = (
        b"\x03c1"                          # compact nullable string
        + bytes.fromhex("00007530")         # timeout_ms 30000
        + bytes.fromhex("00000003")         # voter_id
        + ID.bytes                          # voter_directory_id
        + b"\x02" + b"\x0bCONTROLLER" + b"\x02h" + bytes.fromhex("2385")  # 1 listener, uint16 9093
        + b"\x00"                          # listener tagged fields
    )
    spec = REQUESTS[ApiKey.ADD_RAFT_VOTER]
    committed = AddRaftVoterRequest(
        cluster_id="c1", timeout_ms=30000, voter_id=3, voter_directory_id=ID,
        listeners=[AddRaftVoterListener(name="CONTROLLER", host="h", port=9093)],
    )
    assert encode_bytes(spec, committed, 0) == v0 + b"\x00"
    assert encode_bytes(spec, request, 1) == v0 + b"\x00" + b"\x00"  # ack_when_committed false
    decoded, size = decode(spec, 1, v0 + b"\x00\x00")
    assert (decoded, size) == (request, len(v0) + 2)
    decoded, _ = decode(spec, 0, v0 + b"\x00")
    assert decoded.ack_when_committed is True  # v0 always answers once committed
    response_wire = bytes.fromhex("00000000" "0023") + b"\x05nope" + b"\x00"
    assert decode(RESPONSES[ApiKey.ADD_RAFT_VOTER], 1, response_wire) == (
        AddRaftVoterResponse(error_code=35, error_message="nope"), len(response_wire)
    )


def test_remove_raft_voter_v0() -> None:
    request = RemoveRaftVoterRequest(cluster_id=None, voter_id=2, voter_directory_id=ID)
    wire = b"\x00" + bytes.fromhex("00000002") + ID.bytes + b"\x00"
    spec = REQUESTS[ApiKey.REMOVE_RAFT_VOTER]
    assert encode_bytes(spec, request, 0) == wire
    assert decode(spec, 0, wire) == (request, len(wire))
    response_wire = bytes.fromhex("00000001" "0000") + b"\x00" + b"\x00"
    assert decode(RESPONSES[ApiKey.REMOVE_RAFT_VOTER], 0, response_wire) == (
        RemoveRaftVoterResponse(throttle_time_ms=1), len(response_wire)
    )
