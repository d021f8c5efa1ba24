"""Error responses where Kafka puts the error, split/merge, and after-apply overrides."""

from __future__ import annotations

from typing import Any

import pytest

from kafkalite.faults.responses import (
    can_split,
    error_response,
    merge_responses,
    override_errors,
    split_request,
)
from kafkalite.protocol.codec import decode, encode_bytes
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import REQUESTS, RESPONSES, ApiKey
from kafkalite.protocol.messages.fetch import (
    FetchPartition,
    FetchPartitionResponse,
    FetchRequest,
    FetchResponse,
    FetchTopic,
    FetchTopicResponse,
)
from kafkalite.protocol.messages.find_coordinator import FindCoordinatorRequest
from kafkalite.protocol.messages.init_producer_id import InitProducerIdRequest
from kafkalite.protocol.messages.join_group import JoinGroupRequest
from kafkalite.protocol.messages.list_offsets import (
    ListOffsetsPartition,
    ListOffsetsRequest,
    ListOffsetsTopic,
)
from kafkalite.protocol.messages.offset_fetch import (
    OffsetFetchRequest,
    OffsetFetchRequestGroup,
    OffsetFetchRequestTopic,
)
from kafkalite.protocol.messages.produce import (
    ProducePartitionData,
    ProducePartitionResponse,
    ProduceRequest,
    ProduceResponse,
    ProduceTopicData,
    ProduceTopicResponse,
)

NOT_LEADER = ErrorCode.NOT_LEADER_OR_FOLLOWER


def produce_request(**topics: list[int]) -> ProduceRequest:
    return ProduceRequest(acks=-1, timeout_ms=1000, topic_data=[
        ProduceTopicData(name=name, partition_data=[
            ProducePartitionData(index=i, records=b"batch") for i in parts
        ]) for name, parts in topics.items()
    ])


def fetch_request(**topics: list[int]) -> FetchRequest:
    return FetchRequest(max_wait_ms=500, topics=[
        FetchTopic(topic=name, partitions=[FetchPartition(partition=i) for i in parts])
        for name, parts in topics.items()
    ])


def list_offsets_request(**topics: list[int]) -> ListOffsetsRequest:
    return ListOffsetsRequest(topics=[
        ListOffsetsTopic(name=name, partitions=[
            ListOffsetsPartition(partition_index=i, timestamp=-1) for i in parts
        ]) for name, parts in topics.items()
    ])


def errors_by_partition(api_key: ApiKey, response: Any) -> dict[tuple[str, int], int]:
    topics_field, partitions_field = {
        ApiKey.PRODUCE: ("responses", "partition_responses"),
        ApiKey.FETCH: ("responses", "partitions"),
    }.get(api_key, ("topics", "partitions"))
    found: dict[tuple[str, int], int] = {}
    for topic in getattr(response, topics_field):
        name = str(getattr(topic, "name", None) or getattr(topic, "topic", ""))
        for p in getattr(topic, partitions_field):
            index = p.index if api_key == ApiKey.PRODUCE else p.partition_index
            found[(name, index)] = p.error_code
    return found


def round_trip(api_key: ApiKey, response: Any, version: int) -> Any:
    data = encode_bytes(RESPONSES[api_key], response, version)
    decoded, _ = decode(RESPONSES[api_key], version, memoryview(data))
    return decoded


@pytest.mark.parametrize("api_key", list(REQUESTS))
def test_every_api_and_version_has_an_error_response_that_encodes(api_key: ApiKey) -> None:
    for version in REQUESTS[api_key].valid:
        response = error_response(api_key, version, REQUESTS[api_key].cls(), 7)
        round_trip(api_key, response, version)


def test_produce_error_per_partition_with_kafkas_unknown_offsets() -> None:
    response = error_response(ApiKey.PRODUCE, 9, produce_request(a=[0, 1], b=[2]), NOT_LEADER)
    decoded = round_trip(ApiKey.PRODUCE, response, 9)
    assert errors_by_partition(ApiKey.PRODUCE, decoded) == {
        ("a", 0): NOT_LEADER, ("a", 1): NOT_LEADER, ("b", 2): NOT_LEADER,
    }
    part = decoded.responses[0].partition_responses[0]
    assert (part.base_offset, part.log_append_time_ms, part.log_start_offset) == (-1, -1, -1)


def test_fetch_error_per_partition_and_session_errors_at_the_top() -> None:
    response = error_response(ApiKey.FETCH, 12, fetch_request(a=[0, 1]), NOT_LEADER)
    decoded = round_trip(ApiKey.FETCH, response, 12)
    assert decoded.error_code == 0
    assert errors_by_partition(ApiKey.FETCH, decoded) == {("a", 0): NOT_LEADER, ("a", 1): NOT_LEADER}
    assert decoded.responses[0].partitions[0].high_watermark == -1
    session = error_response(
        ApiKey.FETCH, 12, fetch_request(a=[0]), ErrorCode.FETCH_SESSION_ID_NOT_FOUND
    )
    assert session.error_code == ErrorCode.FETCH_SESSION_ID_NOT_FOUND and session.responses == []


def test_list_offsets_error_per_partition() -> None:
    response = error_response(
        ApiKey.LIST_OFFSETS, 7, list_offsets_request(a=[0, 3]), ErrorCode.OFFSET_NOT_AVAILABLE
    )
    decoded = round_trip(ApiKey.LIST_OFFSETS, response, 7)
    assert errors_by_partition(ApiKey.LIST_OFFSETS, decoded) == {
        ("a", 0): ErrorCode.OFFSET_NOT_AVAILABLE, ("a", 3): ErrorCode.OFFSET_NOT_AVAILABLE,
    }
    assert (decoded.topics[0].partitions[0].offset, decoded.topics[0].partitions[0].timestamp) == (-1, -1)


def test_find_coordinator_top_level_then_per_key_from_v4() -> None:
    v3 = error_response(ApiKey.FIND_COORDINATOR, 3, FindCoordinatorRequest(key="g"),
                        ErrorCode.COORDINATOR_NOT_AVAILABLE)
    assert (v3.error_code, v3.node_id, v3.host, v3.port) == (15, -1, "", -1)
    assert v3.error_message
    v4 = error_response(ApiKey.FIND_COORDINATOR, 4,
                        FindCoordinatorRequest(coordinator_keys=["g1", "g2"]),
                        ErrorCode.COORDINATOR_NOT_AVAILABLE)
    decoded = round_trip(ApiKey.FIND_COORDINATOR, v4, 4)
    assert [(c.key, c.error_code, c.node_id) for c in decoded.coordinators] == [
        ("g1", 15, -1), ("g2", 15, -1),
    ]


def test_join_group_and_init_producer_id_at_the_top() -> None:
    join = error_response(ApiKey.JOIN_GROUP, 9, JoinGroupRequest(group_id="g"),
                          ErrorCode.COORDINATOR_LOAD_IN_PROGRESS)
    assert (join.error_code, join.generation_id, join.member_id) == (14, -1, "")
    init = error_response(ApiKey.INIT_PRODUCER_ID, 4, InitProducerIdRequest(transactional_id="t"),
                          ErrorCode.CONCURRENT_TRANSACTIONS)
    assert (init.error_code, init.producer_id, init.producer_epoch) == (51, -1, -1)


def test_offset_fetch_as_kafka_answers_each_version() -> None:
    old = OffsetFetchRequest(group_id="g", topics=[
        OffsetFetchRequestTopic(name="a", partition_indexes=[0, 1])
    ])
    v1 = error_response(ApiKey.OFFSET_FETCH, 1, old, ErrorCode.NOT_COORDINATOR)
    assert [(p.partition_index, p.error_code, p.committed_offset) for p in v1.topics[0].partitions] == [
        (0, 16, -1), (1, 16, -1),
    ]
    v5 = error_response(ApiKey.OFFSET_FETCH, 5, old, ErrorCode.NOT_COORDINATOR)
    assert (v5.error_code, v5.topics) == (16, [])
    new = OffsetFetchRequest(groups=[OffsetFetchRequestGroup(group_id="g1"),
                                     OffsetFetchRequestGroup(group_id="g2")])
    v8 = error_response(ApiKey.OFFSET_FETCH, 8, new, ErrorCode.NOT_COORDINATOR)
    assert [(g.group_id, g.error_code) for g in v8.groups] == [("g1", 16), ("g2", 16)]


def test_split_takes_only_the_matched_partitions() -> None:
    request = produce_request(a=[0, 1], b=[0])
    matched, rest = split_request(ApiKey.PRODUCE, request, lambda t, p: t == "a" and p == 1)
    assert [(t.name, [p.index for p in t.partition_data]) for t in matched.topic_data] == [("a", [1])]
    assert [(t.name, [p.index for p in t.partition_data]) for t in rest.topic_data] == [
        ("a", [0]), ("b", [0]),
    ]
    assert [p.index for p in request.topic_data[0].partition_data] == [0, 1]  # untouched
    none, everything = split_request(ApiKey.PRODUCE, request, lambda t, p: False)
    assert none is None and everything == request


def test_split_fetch_answers_at_once() -> None:
    matched, rest = split_request(ApiKey.FETCH, fetch_request(a=[0, 1]), lambda t, p: p == 0)
    assert matched is not None and rest.max_wait_ms == 0


def test_merge_keeps_the_request_order() -> None:
    request = produce_request(a=[0, 1], b=[0])
    predicate = lambda t, p: t == "a" and p == 0  # noqa: E731
    matched, rest = split_request(ApiKey.PRODUCE, request, predicate)
    failed = error_response(ApiKey.PRODUCE, 9, matched, NOT_LEADER)
    real = ProduceResponse(throttle_time_ms=3, responses=[
        ProduceTopicResponse(name="a", partition_responses=[ProducePartitionResponse(index=1, base_offset=10)]),
        ProduceTopicResponse(name="b", partition_responses=[ProducePartitionResponse(index=0, base_offset=5)]),
    ])
    merged = merge_responses(ApiKey.PRODUCE, request, failed, real)
    assert errors_by_partition(ApiKey.PRODUCE, merged) == {("a", 0): NOT_LEADER, ("a", 1): 0, ("b", 0): 0}
    assert [p.index for p in merged.responses[0].partition_responses] == [0, 1]
    assert merged.throttle_time_ms == 3
    round_trip(ApiKey.PRODUCE, merged, 9)


def test_error_for_the_matched_partitions_of_list_offsets() -> None:
    request = list_offsets_request(a=[0, 1])
    assert can_split(ApiKey.LIST_OFFSETS, 7, request)
    matched, rest = split_request(ApiKey.LIST_OFFSETS, request, lambda t, p: p == 1)
    failed = error_response(ApiKey.LIST_OFFSETS, 7, matched, NOT_LEADER)
    merged = merge_responses(ApiKey.LIST_OFFSETS, request, failed,
                             error_response(ApiKey.LIST_OFFSETS, 7, rest, 0))
    assert errors_by_partition(ApiKey.LIST_OFFSETS, merged) == {("a", 0): 0, ("a", 1): NOT_LEADER}


def test_can_split_only_per_partition_apis() -> None:
    assert can_split(ApiKey.PRODUCE, 9, produce_request(a=[0]))
    assert can_split(ApiKey.OFFSET_FETCH, 1, OffsetFetchRequest())
    assert not can_split(ApiKey.OFFSET_FETCH, 8, OffsetFetchRequest())
    assert not can_split(ApiKey.JOIN_GROUP, 9, JoinGroupRequest())


def test_override_errors_on_an_applied_produce() -> None:
    response = ProduceResponse(responses=[ProduceTopicResponse(name="a", partition_responses=[
        ProducePartitionResponse(index=0, base_offset=10, log_start_offset=0),
        ProducePartitionResponse(index=1, base_offset=20, log_start_offset=0),
    ])])
    override_errors(ApiKey.PRODUCE, response, ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND,
                    lambda t, p: p == 1)
    first, second = response.responses[0].partition_responses
    assert (first.error_code, first.base_offset) == (0, 10)
    assert (second.error_code, second.base_offset) == (20, -1)


def test_override_errors_keeps_fetched_records_and_sets_top_level_elsewhere() -> None:
    fetched = FetchResponse(responses=[FetchTopicResponse(topic="a", partitions=[
        FetchPartitionResponse(partition_index=0, high_watermark=5, records=b"x"),
    ])])
    override_errors(ApiKey.FETCH, fetched, NOT_LEADER)
    part = fetched.responses[0].partitions[0]
    assert (part.error_code, part.high_watermark, part.records) == (NOT_LEADER, -1, b"x")
    join = RESPONSES[ApiKey.JOIN_GROUP].cls()
    override_errors(ApiKey.JOIN_GROUP, join, ErrorCode.REBALANCE_IN_PROGRESS)
    assert join.error_code == ErrorCode.REBALANCE_IN_PROGRESS
