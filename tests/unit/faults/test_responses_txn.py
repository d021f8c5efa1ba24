"""Error responses, split/merge and overrides for the transaction APIs, where Kafka answers
each: per partition, per transaction or producer and partition, per transactional id, or at
the top level."""

from __future__ import annotations

import asyncio
from typing import Any

from kafkalite.faults import FaultPlan, run_with_faults
from kafkalite.faults.responses import (
    can_split,
    error_response,
    merge_responses,
    override_errors,
    split_request,
)
from kafkalite.protocol.codec import decode, encode_bytes
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import RESPONSES, ApiKey
from kafkalite.protocol.messages.add_offsets_to_txn import AddOffsetsToTxnRequest
from kafkalite.protocol.messages.add_partitions_to_txn import (
    AddPartitionsToTxnPartitionResult,
    AddPartitionsToTxnRequest,
    AddPartitionsToTxnResponse,
    AddPartitionsToTxnResult,
    AddPartitionsToTxnTopic,
    AddPartitionsToTxnTopicResult,
    AddPartitionsToTxnTransaction,
)
from kafkalite.protocol.messages.describe_producers import (
    DescribeProducersPartitionResponse,
    DescribeProducersRequest,
    DescribeProducersResponse,
    DescribeProducersTopicRequest,
    DescribeProducersTopicResponse,
    ProducerState,
)
from kafkalite.protocol.messages.describe_transactions import DescribeTransactionsRequest
from kafkalite.protocol.messages.end_txn import EndTxnRequest
from kafkalite.protocol.messages.init_producer_id import InitProducerIdRequest
from kafkalite.protocol.messages.list_transactions import ListTransactionsRequest
from kafkalite.protocol.messages.txn_offset_commit import (
    TxnOffsetCommitRequest,
    TxnOffsetCommitRequestPartition,
    TxnOffsetCommitRequestTopic,
    TxnOffsetCommitResponse,
    TxnOffsetCommitResponsePartition,
    TxnOffsetCommitResponseTopic,
)
from kafkalite.protocol.messages.write_txn_markers import (
    WritableTxnMarker,
    WritableTxnMarkerPartitionResult,
    WritableTxnMarkerResult,
    WritableTxnMarkerTopic,
    WritableTxnMarkerTopicResult,
    WriteTxnMarkersRequest,
    WriteTxnMarkersResponse,
)

NOT_LEADER = ErrorCode.NOT_LEADER_OR_FOLLOWER
CONCURRENT = ErrorCode.CONCURRENT_TRANSACTIONS
NOT_COORDINATOR = ErrorCode.NOT_COORDINATOR


def round_trip(api_key: ApiKey, response: Any, version: int) -> Any:
    data = encode_bytes(RESPONSES[api_key], response, version)
    decoded, _ = decode(RESPONSES[api_key], version, memoryview(data))
    return decoded


def add_partitions_v3(**topics: list[int]) -> AddPartitionsToTxnRequest:
    return AddPartitionsToTxnRequest(transactional_id="tx", producer_id=5, topics=[
        AddPartitionsToTxnTopic(name=name, partitions=parts) for name, parts in topics.items()
    ])


def add_partitions_v4(**transactions: dict[str, list[int]]) -> AddPartitionsToTxnRequest:
    return AddPartitionsToTxnRequest(transactions=[
        AddPartitionsToTxnTransaction(transactional_id=tid, verify_only=True, topics=[
            AddPartitionsToTxnTopic(name=name, partitions=parts) for name, parts in topics.items()
        ]) for tid, topics in transactions.items()
    ])


def by_topic(results: list[Any]) -> dict[tuple[str, int], int]:
    return {(t.name, p.partition_index): p.partition_error_code
            for t in results for p in t.results_by_partition}


def by_transaction(response: Any) -> dict[tuple[str, str, int], int]:
    return {(r.transactional_id, t, p): code
            for r in response.results_by_transaction
            for (t, p), code in by_topic(r.topic_results).items()}


def add_partitions_answer(request: AddPartitionsToTxnRequest) -> AddPartitionsToTxnResponse:
    """What a coordinator answers when every partition is in the transaction."""
    return AddPartitionsToTxnResponse(throttle_time_ms=4, results_by_transaction=[
        AddPartitionsToTxnResult(transactional_id=txn.transactional_id, topic_results=[
            AddPartitionsToTxnTopicResult(name=t.name, results_by_partition=[
                AddPartitionsToTxnPartitionResult(partition_index=p) for p in t.partitions
            ]) for t in txn.topics
        ]) for txn in request.transactions
    ])


def markers_request() -> WriteTxnMarkersRequest:
    return WriteTxnMarkersRequest(markers=[
        WritableTxnMarker(producer_id=7, producer_epoch=1, transaction_result=True, topics=[
            WritableTxnMarkerTopic(name="a", partition_indexes=[0, 1]),
        ]),
        WritableTxnMarker(producer_id=8, producer_epoch=3, topics=[
            WritableTxnMarkerTopic(name="a", partition_indexes=[1]),
            WritableTxnMarkerTopic(name="__consumer_offsets", partition_indexes=[4]),
        ]),
    ])


def markers_answer(request: WriteTxnMarkersRequest) -> WriteTxnMarkersResponse:
    return WriteTxnMarkersResponse(markers=[
        WritableTxnMarkerResult(producer_id=m.producer_id, topics=[
            WritableTxnMarkerTopicResult(name=t.name, partitions=[
                WritableTxnMarkerPartitionResult(partition_index=p) for p in t.partition_indexes
            ]) for t in m.topics
        ]) for m in request.markers
    ])


def by_producer(response: Any) -> dict[tuple[int, str, int], int]:
    return {(m.producer_id, t.name, p.partition_index): p.error_code
            for m in response.markers for t in m.topics for p in t.partitions}


def txn_offset_commit(**topics: list[int]) -> TxnOffsetCommitRequest:
    return TxnOffsetCommitRequest(transactional_id="tx", group_id="g", topics=[
        TxnOffsetCommitRequestTopic(name=name, partitions=[
            TxnOffsetCommitRequestPartition(partition_index=i, committed_offset=10 * i)
            for i in parts
        ]) for name, parts in topics.items()
    ])


def by_partition(response: Any) -> dict[tuple[str, int], int]:
    return {(t.name, p.partition_index): p.error_code
            for t in response.topics for p in t.partitions}


# -- AddPartitionsToTxn ----------------------------------------------------------------------


def test_add_partitions_up_to_v3_answers_each_partition() -> None:
    for version in range(4):
        response = error_response(ApiKey.ADD_PARTITIONS_TO_TXN, version,
                                  add_partitions_v3(a=[0, 1], b=[2]), CONCURRENT)
        decoded = round_trip(ApiKey.ADD_PARTITIONS_TO_TXN, response, version)
        assert by_topic(decoded.results_by_topic) == {
            ("a", 0): CONCURRENT, ("a", 1): CONCURRENT, ("b", 2): CONCURRENT,
        }
        assert decoded.results_by_transaction == []


def test_add_partitions_from_v4_answers_each_transaction_and_partition() -> None:
    request = add_partitions_v4(t1={"a": [0]}, t2={"a": [1], "b": [2]})
    for version in (4, 5):
        response = error_response(ApiKey.ADD_PARTITIONS_TO_TXN, version, request, NOT_COORDINATOR)
        decoded = round_trip(ApiKey.ADD_PARTITIONS_TO_TXN, response, version)
        assert decoded.error_code == 0
        assert by_transaction(decoded) == {
            ("t1", "a", 0): NOT_COORDINATOR, ("t2", "a", 1): NOT_COORDINATOR,
            ("t2", "b", 2): NOT_COORDINATOR,
        }


def test_add_partitions_from_v4_whole_request_errors_at_the_top() -> None:
    request = add_partitions_v4(t1={"a": [0]})
    denied = error_response(ApiKey.ADD_PARTITIONS_TO_TXN, 4, request,
                            ErrorCode.CLUSTER_AUTHORIZATION_FAILED)
    assert (denied.error_code, denied.results_by_transaction) == (
        ErrorCode.CLUSTER_AUTHORIZATION_FAILED, [],
    )
    assert can_split(ApiKey.ADD_PARTITIONS_TO_TXN, 4, request, NOT_COORDINATOR)
    assert not can_split(ApiKey.ADD_PARTITIONS_TO_TXN, 4, request,
                         ErrorCode.CLUSTER_AUTHORIZATION_FAILED)
    assert can_split(ApiKey.ADD_PARTITIONS_TO_TXN, 3, request,
                     ErrorCode.CLUSTER_AUTHORIZATION_FAILED)
    empty = error_response(ApiKey.ADD_PARTITIONS_TO_TXN, 5, AddPartitionsToTxnRequest(),
                           NOT_COORDINATOR)
    assert round_trip(ApiKey.ADD_PARTITIONS_TO_TXN, empty, 5).error_code == NOT_COORDINATOR


def test_add_partitions_v3_split_and_merge() -> None:
    request = add_partitions_v3(a=[0, 1], b=[2])
    assert can_split(ApiKey.ADD_PARTITIONS_TO_TXN, 3, request)
    matched, rest = split_request(ApiKey.ADD_PARTITIONS_TO_TXN, request, lambda t, p: p == 1)
    assert [(t.name, t.partitions) for t in matched.topics] == [("a", [1])]
    assert [(t.name, t.partitions) for t in rest.topics] == [("a", [0]), ("b", [2])]
    assert (matched.transactional_id, rest.transactional_id) == ("tx", "tx")
    failed = error_response(ApiKey.ADD_PARTITIONS_TO_TXN, 3, matched, NOT_LEADER)
    answered = error_response(ApiKey.ADD_PARTITIONS_TO_TXN, 3, rest, 0)
    merged = merge_responses(ApiKey.ADD_PARTITIONS_TO_TXN, request, failed, answered)
    decoded = round_trip(ApiKey.ADD_PARTITIONS_TO_TXN, merged, 3)
    assert list(by_topic(decoded.results_by_topic).items()) == [
        (("a", 0), 0), (("a", 1), NOT_LEADER), (("b", 2), 0),
    ]


def test_add_partitions_v4_split_takes_partitions_from_every_transaction() -> None:
    request = add_partitions_v4(t1={"a": [0, 1]}, t2={"a": [1]}, t3={"b": [0]})
    assert can_split(ApiKey.ADD_PARTITIONS_TO_TXN, 4, request)
    matched, rest = split_request(ApiKey.ADD_PARTITIONS_TO_TXN, request, lambda t, p: t == "a")
    assert [(b.transactional_id, [(t.name, t.partitions) for t in b.topics])
            for b in matched.transactions] == [("t1", [("a", [0, 1])]), ("t2", [("a", [1])])]
    assert [b.transactional_id for b in rest.transactions] == ["t3"]
    assert all(b.verify_only for b in matched.transactions)
    assert [t.partitions for t in request.transactions[0].topics] == [[0, 1]]  # untouched
    failed = error_response(ApiKey.ADD_PARTITIONS_TO_TXN, 4, matched, NOT_LEADER)
    merged = merge_responses(ApiKey.ADD_PARTITIONS_TO_TXN, request, failed,
                             add_partitions_answer(rest))
    decoded = round_trip(ApiKey.ADD_PARTITIONS_TO_TXN, merged, 4)
    assert decoded.throttle_time_ms == 4
    assert list(by_transaction(decoded).items()) == [
        (("t1", "a", 0), NOT_LEADER), (("t1", "a", 1), NOT_LEADER),
        (("t2", "a", 1), NOT_LEADER), (("t3", "b", 0), 0),
    ]


def test_add_partitions_v4_split_within_a_transaction() -> None:
    request = add_partitions_v4(t1={"a": [0, 1], "b": [0]})
    matched, rest = split_request(ApiKey.ADD_PARTITIONS_TO_TXN, request,
                                  lambda t, p: (t, p) == ("a", 1))
    failed = error_response(ApiKey.ADD_PARTITIONS_TO_TXN, 5, matched, NOT_LEADER)
    merged = merge_responses(ApiKey.ADD_PARTITIONS_TO_TXN, request, failed,
                             add_partitions_answer(rest))
    assert len(merged.results_by_transaction) == 1
    assert list(by_transaction(merged).items()) == [
        (("t1", "a", 0), 0), (("t1", "a", 1), NOT_LEADER), (("t1", "b", 0), 0),
    ]


def test_add_partitions_override_errors_each_form() -> None:
    v4 = add_partitions_answer(add_partitions_v4(t1={"a": [0, 1]}, t2={"a": [1]}))
    override_errors(ApiKey.ADD_PARTITIONS_TO_TXN, v4, CONCURRENT, lambda t, p: p == 1)
    assert by_transaction(v4) == {
        ("t1", "a", 0): 0, ("t1", "a", 1): CONCURRENT, ("t2", "a", 1): CONCURRENT,
    }
    v3 = error_response(ApiKey.ADD_PARTITIONS_TO_TXN, 3, add_partitions_v3(a=[0, 1]), 0)
    override_errors(ApiKey.ADD_PARTITIONS_TO_TXN, v3, CONCURRENT)
    assert by_topic(v3.results_by_topic) == {("a", 0): CONCURRENT, ("a", 1): CONCURRENT}
    whole = AddPartitionsToTxnResponse()
    override_errors(ApiKey.ADD_PARTITIONS_TO_TXN, whole, ErrorCode.CLUSTER_AUTHORIZATION_FAILED)
    assert whole.error_code == ErrorCode.CLUSTER_AUTHORIZATION_FAILED


# -- WriteTxnMarkers -------------------------------------------------------------------------


def test_write_txn_markers_answers_each_producer_and_partition() -> None:
    for version in (1, 2):
        response = error_response(ApiKey.WRITE_TXN_MARKERS, version, markers_request(),
                                  NOT_LEADER)
        decoded = round_trip(ApiKey.WRITE_TXN_MARKERS, response, version)
        assert by_producer(decoded) == {
            (7, "a", 0): NOT_LEADER, (7, "a", 1): NOT_LEADER,
            (8, "a", 1): NOT_LEADER, (8, "__consumer_offsets", 4): NOT_LEADER,
        }


def test_write_txn_markers_one_answer_per_producer_id() -> None:
    request = WriteTxnMarkersRequest(markers=[
        WritableTxnMarker(producer_id=7, topics=[
            WritableTxnMarkerTopic(name=name, partition_indexes=[index])
        ]) for name, index in (("a", 0), ("b", 1))
    ])
    response = error_response(ApiKey.WRITE_TXN_MARKERS, 1, request, NOT_LEADER)
    assert [m.producer_id for m in response.markers] == [7]
    assert by_producer(response) == {(7, "a", 0): NOT_LEADER, (7, "b", 1): NOT_LEADER}


def test_write_txn_markers_split_merge_and_override() -> None:
    request = markers_request()
    assert can_split(ApiKey.WRITE_TXN_MARKERS, 1, request)
    matched, rest = split_request(ApiKey.WRITE_TXN_MARKERS, request,
                                  lambda t, p: (t, p) == ("a", 1))
    assert [(m.producer_id, [(t.name, t.partition_indexes) for t in m.topics])
            for m in matched.markers] == [(7, [("a", [1])]), (8, [("a", [1])])]
    assert [(m.producer_id, [(t.name, t.partition_indexes) for t in m.topics])
            for m in rest.markers] == [(7, [("a", [0])]), (8, [("__consumer_offsets", [4])])]
    assert [m.producer_epoch for m in rest.markers] == [1, 3]
    failed = error_response(ApiKey.WRITE_TXN_MARKERS, 1, matched, NOT_LEADER)
    merged = merge_responses(ApiKey.WRITE_TXN_MARKERS, request, failed, markers_answer(rest))
    decoded = round_trip(ApiKey.WRITE_TXN_MARKERS, merged, 1)
    assert list(by_producer(decoded).items()) == [
        ((7, "a", 0), 0), ((7, "a", 1), NOT_LEADER),
        ((8, "a", 1), NOT_LEADER), ((8, "__consumer_offsets", 4), 0),
    ]
    answer = markers_answer(request)
    override_errors(ApiKey.WRITE_TXN_MARKERS, answer, ErrorCode.KAFKA_STORAGE_ERROR,
                    lambda t, p: t == "__consumer_offsets")
    assert {k: v for k, v in by_producer(answer).items() if v} == {
        (8, "__consumer_offsets", 4): ErrorCode.KAFKA_STORAGE_ERROR,
    }


# -- TxnOffsetCommit, DescribeProducers ------------------------------------------------------


def test_txn_offset_commit_answers_each_partition() -> None:
    for version in range(6):
        response = error_response(ApiKey.TXN_OFFSET_COMMIT, version,
                                  txn_offset_commit(a=[0, 1], b=[3]), NOT_COORDINATOR)
        decoded = round_trip(ApiKey.TXN_OFFSET_COMMIT, response, version)
        assert by_partition(decoded) == {
            ("a", 0): NOT_COORDINATOR, ("a", 1): NOT_COORDINATOR, ("b", 3): NOT_COORDINATOR,
        }


def test_txn_offset_commit_split_merge_and_override() -> None:
    request = txn_offset_commit(a=[0, 1], b=[3])
    assert can_split(ApiKey.TXN_OFFSET_COMMIT, 3, request)
    matched, rest = split_request(ApiKey.TXN_OFFSET_COMMIT, request, lambda t, p: t == "b")
    assert (matched.group_id, [t.name for t in matched.topics]) == ("g", ["b"])
    real = TxnOffsetCommitResponse(throttle_time_ms=2, topics=[
        TxnOffsetCommitResponseTopic(name="a", partitions=[
            TxnOffsetCommitResponsePartition(partition_index=0),
            TxnOffsetCommitResponsePartition(partition_index=1),
        ]),
    ])
    failed = error_response(ApiKey.TXN_OFFSET_COMMIT, 3, matched,
                            ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
    merged = merge_responses(ApiKey.TXN_OFFSET_COMMIT, request, failed, real)
    assert merged.throttle_time_ms == 2
    assert list(by_partition(merged).items()) == [
        (("a", 0), 0), (("a", 1), 0), (("b", 3), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION),
    ]
    override_errors(ApiKey.TXN_OFFSET_COMMIT, real, ErrorCode.ILLEGAL_GENERATION,
                    lambda t, p: p == 1)
    assert by_partition(real) == {("a", 0): 0, ("a", 1): ErrorCode.ILLEGAL_GENERATION}


def test_describe_producers_answers_each_partition() -> None:
    request = DescribeProducersRequest(topics=[
        DescribeProducersTopicRequest(name="a", partition_indexes=[0, 2]),
    ])
    response = error_response(ApiKey.DESCRIBE_PRODUCERS, 0, request, NOT_LEADER)
    decoded = round_trip(ApiKey.DESCRIBE_PRODUCERS, response, 0)
    assert by_partition(decoded) == {("a", 0): NOT_LEADER, ("a", 2): NOT_LEADER}
    part = decoded.topics[0].partitions[0]
    assert (part.error_message, part.active_producers) == (None, [])
    assert can_split(ApiKey.DESCRIBE_PRODUCERS, 0, request)
    matched, rest = split_request(ApiKey.DESCRIBE_PRODUCERS, request, lambda t, p: p == 2)
    assert (matched.topics[0].partition_indexes, rest.topics[0].partition_indexes) == ([2], [0])
    described = DescribeProducersResponse(topics=[
        DescribeProducersTopicResponse(name="a", partitions=[
            DescribeProducersPartitionResponse(partition_index=0, active_producers=[
                ProducerState(producer_id=5, producer_epoch=1),
            ]),
        ]),
    ])
    merged = merge_responses(ApiKey.DESCRIBE_PRODUCERS, request,
                             error_response(ApiKey.DESCRIBE_PRODUCERS, 0, matched, NOT_LEADER),
                             described)
    assert by_partition(merged) == {("a", 0): 0, ("a", 2): NOT_LEADER}
    assert merged.topics[0].partitions[0].active_producers[0].producer_id == 5


# -- per transactional id, top level ---------------------------------------------------------


def test_describe_transactions_answers_each_transactional_id() -> None:
    request = DescribeTransactionsRequest(transactional_ids=["t1", "t2"])
    response = error_response(ApiKey.DESCRIBE_TRANSACTIONS, 0, request, NOT_COORDINATOR)
    decoded = round_trip(ApiKey.DESCRIBE_TRANSACTIONS, response, 0)
    assert [(s.transactional_id, s.error_code, s.topics) for s in decoded.transaction_states] == [
        ("t1", NOT_COORDINATOR, []), ("t2", NOT_COORDINATOR, []),
    ]
    assert not can_split(ApiKey.DESCRIBE_TRANSACTIONS, 0, request)


def test_coordinator_apis_answer_at_the_top() -> None:
    offsets = error_response(ApiKey.ADD_OFFSETS_TO_TXN, 4,
                             AddOffsetsToTxnRequest(transactional_id="tx", group_id="g"),
                             CONCURRENT)
    assert round_trip(ApiKey.ADD_OFFSETS_TO_TXN, offsets, 4).error_code == CONCURRENT
    for version in (4, 5):
        end = error_response(ApiKey.END_TXN, version, EndTxnRequest(transactional_id="tx"),
                             ErrorCode.PRODUCER_FENCED)
        decoded = round_trip(ApiKey.END_TXN, end, version)
        assert decoded.error_code == ErrorCode.PRODUCER_FENCED
    assert (decoded.producer_id, decoded.producer_epoch) == (-1, -1)
    listed = error_response(ApiKey.LIST_TRANSACTIONS, 2, ListTransactionsRequest(),
                            ErrorCode.COORDINATOR_LOAD_IN_PROGRESS)
    decoded = round_trip(ApiKey.LIST_TRANSACTIONS, listed, 2)
    assert (decoded.error_code, decoded.transaction_states) == (14, [])
    init = error_response(ApiKey.INIT_PRODUCER_ID, 5, InitProducerIdRequest(transactional_id="tx"),
                          ErrorCode.TRANSACTION_ABORTABLE)
    decoded = round_trip(ApiKey.INIT_PRODUCER_ID, init, 5)
    assert (decoded.error_code, decoded.producer_id, decoded.producer_epoch) == (
        ErrorCode.TRANSACTION_ABORTABLE, -1, -1,
    )
    for api_key in (ApiKey.ADD_OFFSETS_TO_TXN, ApiKey.END_TXN, ApiKey.LIST_TRANSACTIONS,
                    ApiKey.INIT_PRODUCER_ID):
        assert not can_split(api_key, 0, RESPONSES[api_key].cls())
        response = RESPONSES[api_key].cls()
        override_errors(api_key, response, CONCURRENT)
        assert response.error_code == CONCURRENT


# -- through the dispatcher ------------------------------------------------------------------


def test_a_partition_fault_fails_it_in_every_transaction_of_a_batch() -> None:
    plan = FaultPlan()
    plan.add("error", api="AddPartitionsToTxn", topic="a", partition=1,
             error="NOT_LEADER_OR_FOLLOWER")
    bodies: list[Any] = []

    async def call(body: Any) -> Any:
        bodies.append(body)
        return add_partitions_answer(body)

    request = add_partitions_v4(t1={"a": [0, 1]}, t2={"a": [1]})
    outcome = asyncio.run(run_with_faults(
        plan, node_id=1, api_key=ApiKey.ADD_PARTITIONS_TO_TXN, version=5, client_id="broker",
        body=request, call=call,
    ))
    assert [[(b.transactional_id, t.name, t.partitions) for t in b.topics]
            for body in bodies for b in body.transactions] == [[("t1", "a", [0])]]
    assert by_transaction(outcome.response) == {
        ("t1", "a", 0): 0, ("t1", "a", 1): NOT_LEADER, ("t2", "a", 1): NOT_LEADER,
    }
    assert outcome.summary.transactional_ids == ("t1", "t2")


def test_a_whole_request_error_fails_a_batch_whole() -> None:
    plan = FaultPlan()
    plan.add("error", api="AddPartitionsToTxn", topic="a", error="CLUSTER_AUTHORIZATION_FAILED")
    bodies: list[Any] = []

    async def call(body: Any) -> Any:
        bodies.append(body)
        return add_partitions_answer(body)

    outcome = asyncio.run(run_with_faults(
        plan, node_id=1, api_key=ApiKey.ADD_PARTITIONS_TO_TXN, version=4, client_id="broker",
        body=add_partitions_v4(t1={"a": [0]}, t2={"b": [0]}), call=call,
    ))
    assert bodies == []
    assert outcome.response.error_code == ErrorCode.CLUSTER_AUTHORIZATION_FAILED
    assert outcome.response.results_by_transaction == []
