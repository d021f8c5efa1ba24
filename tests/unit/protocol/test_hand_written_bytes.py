"""Messages kafka-python has no class for, checked against bytes written out by hand from the
KIP's field list (KIP-714: GetTelemetrySubscriptions v0, PushTelemetry v0; KIP-853 and
KIP-1186: AddRaftVoter v0-v1, RemoveRaftVoter v0; all flexible; KIP-48 delegation tokens;
KIP-631: UnregisterBroker v0, flexible)."""

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
from kafkalite.protocol.messages.unregister_broker import (
    UnregisterBrokerRequest,
    UnregisterBrokerResponse,
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


# KIP-848: ConsumerGroupHeartbeat v0-v1 and ConsumerGroupDescribe v0-v1, all flexible.
TOPIC = uuid.UUID("0123456789abcdef0123456789abcdef")


def test_consumer_group_heartbeat_v1_request() -> None:
    from kafkalite.protocol.messages.consumer_group_heartbeat import (
        ConsumerGroupHeartbeatRequest,
        HeartbeatTopicPartitions,
    )

    wire = (
        b"\x02g"                             # group_id "g"
        + b"\x02m"                           # member_id "m"
        + bytes.fromhex("00000003")          # member_epoch 3
        + b"\x00"                            # instance_id null
        + b"\x03r1"                          # rack_id "r1"
        + bytes.fromhex("0000ea60")          # rebalance_timeout_ms 60000
        + b"\x02\x04foo"                     # subscribed_topic_names ["foo"]
        + b"\x03f."                          # subscribed_topic_regex "f."
        + b"\x00"                            # server_assignor null
        + b"\x02" + TOPIC.bytes + b"\x03" + bytes.fromhex("00000000" "00000002") + b"\x00"
        + b"\x00"                            # tagged fields
    )
    request, end = decode(REQUESTS[ApiKey.CONSUMER_GROUP_HEARTBEAT], 1, wire)
    assert end == len(wire)
    assert (request.group_id, request.member_id, request.member_epoch) == ("g", "m", 3)
    assert (request.instance_id, request.rack_id, request.rebalance_timeout_ms) == (None, "r1", 60000)
    assert request.subscribed_topic_names == ["foo"] and request.subscribed_topic_regex == "f."
    assert request.server_assignor is None
    assert [(t.topic_id, t.partitions) for t in request.topic_partitions] == [(TOPIC, [0, 2])]
    assert encode_bytes(REQUESTS[ApiKey.CONSUMER_GROUP_HEARTBEAT], ConsumerGroupHeartbeatRequest(
        group_id="g", member_id="m", member_epoch=3, rack_id="r1", rebalance_timeout_ms=60000,
        subscribed_topic_names=["foo"], subscribed_topic_regex="f.",
        topic_partitions=[HeartbeatTopicPartitions(topic_id=TOPIC, partitions=[0, 2])],
    ), 1) == wire
    # v0 has no regex: the same request without it, and null arrays stay null.
    v0 = wire.replace(b"\x03f.", b"", 1)
    assert decode(REQUESTS[ApiKey.CONSUMER_GROUP_HEARTBEAT], 0, v0)[0].subscribed_topic_names == ["foo"]


def test_consumer_group_heartbeat_response() -> None:
    from kafkalite.protocol.messages.consumer_group_heartbeat import (
        ConsumerGroupHeartbeatResponse,
        HeartbeatAssignment,
        HeartbeatTopicPartitions,
    )

    spec = RESPONSES[ApiKey.CONSUMER_GROUP_HEARTBEAT]
    response = ConsumerGroupHeartbeatResponse(
        member_id="m", member_epoch=5, heartbeat_interval_ms=5000,
        assignment=HeartbeatAssignment(topic_partitions=[
            HeartbeatTopicPartitions(topic_id=TOPIC, partitions=[1])]),
    )
    wire = (
        bytes.fromhex("00000000")            # throttle_time_ms
        + bytes.fromhex("0000")              # error_code
        + b"\x00"                            # error_message null
        + b"\x02m"                           # member_id "m"
        + bytes.fromhex("00000005")          # member_epoch
        + bytes.fromhex("00001388")          # heartbeat_interval_ms 5000
        + b"\x01"                            # assignment present
        + b"\x02" + TOPIC.bytes + b"\x02" + bytes.fromhex("00000001") + b"\x00"
        + b"\x00"                            # assignment's tagged fields
        + b"\x00"                            # tagged fields
    )
    assert encode_bytes(spec, response, 1) == wire
    none = ConsumerGroupHeartbeatResponse(error_code=110, error_message="x")
    assert encode_bytes(spec, none, 0) == (
        bytes.fromhex("00000000" "006e") + b"\x02x" + b"\x00"
        + bytes.fromhex("00000000" "00000000") + b"\xff" + b"\x00"
    )


def test_consumer_group_describe_v1_response() -> None:
    from kafkalite.protocol.messages.consumer_group_describe import (
        ConsumerGroupDescribeResponse,
        DescribedAssignment,
        DescribedConsumerGroup,
        DescribedConsumerGroupMember,
        DescribedTopicPartitions,
    )

    assignment = DescribedAssignment(topic_partitions=[
        DescribedTopicPartitions(topic_id=TOPIC, topic_name="t", partitions=[0])])
    response = ConsumerGroupDescribeResponse(groups=[DescribedConsumerGroup(
        group_id="g", group_state="Stable", group_epoch=2, assignment_epoch=2, assignor_name="uniform",
        members=[DescribedConsumerGroupMember(
            member_id="m", member_epoch=2, client_id="c", client_host="/h",
            subscribed_topic_names=["t"], assignment=assignment,
            target_assignment=DescribedAssignment(), member_type=1,
        )],
    )])
    described_assignment = b"\x02" + TOPIC.bytes + b"\x02t" + b"\x02" + bytes.fromhex("00000000") + b"\x00" + b"\x00"
    member = (
        b"\x02m" + b"\x00" + b"\x00"         # member_id, instance_id null, rack_id null
        + bytes.fromhex("00000002")          # member_epoch
        + b"\x02c" + b"\x03/h"               # client_id, client_host
        + b"\x02\x02t" + b"\x00"             # subscribed_topic_names ["t"], regex null
        + described_assignment               # assignment
        + b"\x01\x00"                        # target_assignment: no topics
        + b"\x01"                            # member_type (v1)
        + b"\x00"
    )
    wire = (
        bytes.fromhex("00000000")            # throttle_time_ms
        + b"\x02" + bytes.fromhex("0000") + b"\x00"  # one group: error_code, error_message null
        + b"\x02g" + b"\x07Stable" + bytes.fromhex("00000002" "00000002") + b"\x08uniform"
        + b"\x02" + member
        + bytes.fromhex("80000000")          # authorized_operations INT32_MIN
        + b"\x00" + b"\x00"
    )
    spec = RESPONSES[ApiKey.CONSUMER_GROUP_DESCRIBE]
    assert encode_bytes(spec, response, 1) == wire
    # v0 has no member type.
    assert encode_bytes(spec, response, 0) == wire.replace(b"\x01\x00\x01\x00", b"\x01\x00\x00", 1)


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


def test_unregister_broker_v0() -> None:
    request = UnregisterBrokerRequest(broker_id=3)
    wire = bytes.fromhex("00000003") + b"\x00"  # broker_id, no tagged fields
    spec = REQUESTS[ApiKey.UNREGISTER_BROKER]
    assert encode_bytes(spec, request, 0) == wire
    assert decode(spec, 0, wire) == (request, len(wire))
    response = UnregisterBrokerResponse(throttle_time_ms=1, error_code=102, error_message="gone")
    response_wire = bytes.fromhex("00000001" "0066") + b"\x05gone" + b"\x00"
    assert encode_bytes(RESPONSES[ApiKey.UNREGISTER_BROKER], response, 0) == response_wire
    assert decode(RESPONSES[ApiKey.UNREGISTER_BROKER], 0, response_wire) == (response, len(response_wire))


# KIP-48 delegation tokens: CreateDelegationToken v1-v3 (v2 flexible, v3 owner and requester),
# RenewDelegationToken v1-v2, DescribeDelegationToken v1-v3.


def test_create_delegation_token_v1_and_v3() -> None:
    from kafkalite.protocol.messages.create_delegation_token import (
        CreatableRenewers,
        CreateDelegationTokenRequest,
        CreateDelegationTokenResponse,
    )

    request = CreateDelegationTokenRequest(
        renewers=[CreatableRenewers(principal_type="User", principal_name="bob")],
        max_lifetime_ms=-1,
    )
    spec = REQUESTS[ApiKey.CREATE_DELEGATION_TOKEN]
    v1 = (
        bytes.fromhex("00000001")                       # renewers: int32 count
        + b"\x00\x04User" + b"\x00\x03bob"              # int16-length strings
        + bytes.fromhex("ffffffffffffffff")             # max_lifetime_ms -1
    )
    assert encode_bytes(spec, request, 1) == v1
    request.owner_principal_type, request.owner_principal_name = "User", "carol"
    v3 = (
        b"\x05User" + b"\x06carol"                      # owner: compact nullable strings
        + b"\x02" + b"\x05User" + b"\x04bob" + b"\x00"  # compact array, one renewer + tags
        + bytes.fromhex("ffffffffffffffff") + b"\x00"
    )
    assert encode_bytes(spec, request, 3) == v3
    assert decode(spec, 3, v3) == (request, len(v3))
    response = CreateDelegationTokenResponse(
        principal_type="User", principal_name="alice", issue_timestamp_ms=1,
        expiry_timestamp_ms=2, max_timestamp_ms=3, token_id="t", hmac=b"\xab",
    )
    wire = (
        b"\x00\x00" + b"\x00\x04User" + b"\x00\x05alice"
        + bytes.fromhex("0000000000000001" "0000000000000002" "0000000000000003")
        + b"\x00\x01t" + b"\x00\x00\x00\x01\xab"        # string, int32-length bytes
        + b"\x00\x00\x00\x00"                           # throttle_time_ms
    )
    assert encode_bytes(RESPONSES[ApiKey.CREATE_DELEGATION_TOKEN], response, 1) == wire


def test_renew_and_describe_delegation_token() -> None:
    from kafkalite.protocol.messages.describe_delegation_token import (
        DescribedDelegationToken,
        DescribeDelegationTokenRequest,
        DescribeDelegationTokenResponse,
    )
    from kafkalite.protocol.messages.renew_delegation_token import RenewDelegationTokenRequest

    renew = RenewDelegationTokenRequest(hmac=b"\x01\x02", renew_period_ms=5)
    wire = b"\x03\x01\x02" + bytes.fromhex("0000000000000005") + b"\x00"
    assert encode_bytes(REQUESTS[ApiKey.RENEW_DELEGATION_TOKEN], renew, 2) == wire
    assert encode_bytes(
        REQUESTS[ApiKey.DESCRIBE_DELEGATION_TOKEN], DescribeDelegationTokenRequest(owners=None), 2
    ) == b"\x00\x00"                                    # null compact array, tags
    response = DescribeDelegationTokenResponse(tokens=[DescribedDelegationToken(
        principal_type="User", principal_name="a", token_requester_principal_type="User",
        token_requester_principal_name="r", issue_timestamp=1, expiry_timestamp=2,
        max_timestamp=3, token_id="t", hmac=b"\xff",
    )])
    wire = (
        b"\x00\x00" + b"\x02"                           # error_code, one token
        + b"\x05User" + b"\x02a" + b"\x05User" + b"\x02r"
        + bytes.fromhex("0000000000000001" "0000000000000002" "0000000000000003")
        + b"\x02t" + b"\x02\xff" + b"\x01" + b"\x00"    # token id, hmac, no renewers, tags
        + b"\x00\x00\x00\x00" + b"\x00"                 # throttle_time_ms, tags
    )
    spec = RESPONSES[ApiKey.DESCRIBE_DELEGATION_TOKEN]
    assert encode_bytes(spec, response, 3) == wire
    assert decode(spec, 3, wire) == (response, len(wire))
