"""What summarize reads from requests, and error_codes from responses."""

from __future__ import annotations

from kafkalite.faults import RequestSummary, error_codes, summarize
from kafkalite.faults.summary import STEP, error_codes_in_steps, summarize_in_steps
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.add_offsets_to_txn import AddOffsetsToTxnRequest
from kafkalite.protocol.messages.add_partitions_to_txn import (
    AddPartitionsToTxnRequest,
    AddPartitionsToTxnTopic,
    AddPartitionsToTxnTransaction,
)
from kafkalite.protocol.messages.delete_records import (
    DeleteRecordsPartition,
    DeleteRecordsPartitionResult,
    DeleteRecordsRequest,
    DeleteRecordsResponse,
    DeleteRecordsTopic,
    DeleteRecordsTopicResult,
)
from kafkalite.protocol.messages.describe_configs import (
    DescribeConfigsRequest,
    DescribeConfigsResource,
)
from kafkalite.protocol.messages.describe_groups import DescribeGroupsRequest
from kafkalite.protocol.messages.describe_producers import (
    DescribeProducersRequest,
    DescribeProducersTopicRequest,
)
from kafkalite.protocol.messages.describe_transactions import DescribeTransactionsRequest
from kafkalite.protocol.messages.end_txn import EndTxnRequest
from kafkalite.protocol.messages.fetch import FetchPartition, FetchRequest, FetchTopic
from kafkalite.protocol.messages.find_coordinator import FindCoordinatorRequest
from kafkalite.protocol.messages.init_producer_id import InitProducerIdRequest
from kafkalite.protocol.messages.list_transactions import ListTransactionsRequest
from kafkalite.protocol.messages.metadata import MetadataRequest, MetadataRequestTopic
from kafkalite.protocol.messages.offset_commit import (
    OffsetCommitRequest,
    OffsetCommitRequestPartition,
    OffsetCommitRequestTopic,
)
from kafkalite.protocol.messages.offset_fetch import (
    OffsetFetchRequest,
    OffsetFetchRequestGroup,
    OffsetFetchRequestGroupTopic,
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
from kafkalite.protocol.messages.txn_offset_commit import (
    TxnOffsetCommitRequest,
    TxnOffsetCommitRequestPartition,
    TxnOffsetCommitRequestTopic,
)
from kafkalite.protocol.messages.write_txn_markers import (
    WritableTxnMarker,
    WritableTxnMarkerTopic,
    WriteTxnMarkersRequest,
)


def test_produce() -> None:
    request = ProduceRequest(transactional_id="tx", topic_data=[
        ProduceTopicData(name="a", partition_data=[ProducePartitionData(index=0),
                                                   ProducePartitionData(index=2)]),
    ])
    summary = summarize(ApiKey.PRODUCE, request)
    assert summary == RequestSummary(topics={"a": (0, 2)}, transactional_ids=("tx",))
    assert list(summary.partitions()) == [("a", 0), ("a", 2)]


def test_fetch_and_delete_records() -> None:
    fetch = FetchRequest(topics=[FetchTopic(topic="a", partitions=[FetchPartition(partition=4)])])
    assert summarize(ApiKey.FETCH, fetch).topics == {"a": (4,)}
    delete = DeleteRecordsRequest(topics=[
        DeleteRecordsTopic(name="b", partitions=[DeleteRecordsPartition(partition_index=1)])
    ])
    assert summarize(ApiKey.DELETE_RECORDS, delete).topics == {"b": (1,)}


def test_group_apis() -> None:
    commit = OffsetCommitRequest(group_id="g", topics=[
        OffsetCommitRequestTopic(name="a", partitions=[OffsetCommitRequestPartition(partition_index=3)])
    ])
    summary = summarize(ApiKey.OFFSET_COMMIT, commit)
    assert (summary.group_id, summary.topics) == ("g", {"a": (3,)})
    old = OffsetFetchRequest(group_id="g", topics=[OffsetFetchRequestTopic(name="a", partition_indexes=[1])])
    assert summarize(ApiKey.OFFSET_FETCH, old).topics == {"a": (1,)}
    new = OffsetFetchRequest(groups=[
        OffsetFetchRequestGroup(group_id="g1", topics=[
            OffsetFetchRequestGroupTopic(name="a", partition_indexes=[0])
        ]),
        OffsetFetchRequestGroup(group_id="g2"),
    ])
    summary = summarize(ApiKey.OFFSET_FETCH, new)
    assert (summary.groups, summary.topics) == (("g1", "g2"), {"a": (0,)})
    assert summarize(ApiKey.DESCRIBE_GROUPS, DescribeGroupsRequest(groups=["x", "y"])).groups == ("x", "y")


def test_find_coordinator_keys_are_groups_or_transactional_ids() -> None:
    group = summarize(ApiKey.FIND_COORDINATOR, FindCoordinatorRequest(key="g"))
    assert group.groups == ("g",)
    txn = summarize(ApiKey.FIND_COORDINATOR, FindCoordinatorRequest(key_type=1, coordinator_keys=["t"]))
    assert (txn.groups, txn.transactional_id) == ((), "t")


def test_topic_level_requests() -> None:
    metadata = MetadataRequest(topics=[MetadataRequestTopic(name="a"), MetadataRequestTopic(name=None)])
    assert summarize(ApiKey.METADATA, metadata).topics == {"a": ()}
    configs = DescribeConfigsRequest(resources=[
        DescribeConfigsResource(resource_type=2, resource_name="t"),
        DescribeConfigsResource(resource_type=4, resource_name="1"),
    ])
    assert summarize(ApiKey.DESCRIBE_CONFIGS, configs).topics == {"t": ()}


def test_error_codes_walks_every_level() -> None:
    response = ProduceResponse(responses=[ProduceTopicResponse(name="a", partition_responses=[
        ProducePartitionResponse(index=0, error_code=6),
        ProducePartitionResponse(index=1),
        ProducePartitionResponse(index=2, error_code=6),
        ProducePartitionResponse(index=3, error_code=10),
    ])])
    assert error_codes(response) == [6, 10]
    assert error_codes(None) == []


def test_transaction_apis() -> None:
    old = AddPartitionsToTxnRequest(transactional_id="tx", topics=[
        AddPartitionsToTxnTopic(name="a", partitions=[0, 1])
    ])
    assert summarize(ApiKey.ADD_PARTITIONS_TO_TXN, old) == RequestSummary(
        topics={"a": (0, 1)}, transactional_ids=("tx",)
    )
    batched = AddPartitionsToTxnRequest(transactions=[
        AddPartitionsToTxnTransaction(transactional_id="t1", topics=[
            AddPartitionsToTxnTopic(name="a", partitions=[0])
        ]),
        AddPartitionsToTxnTransaction(transactional_id="t2", topics=[
            AddPartitionsToTxnTopic(name="a", partitions=[2]),
            AddPartitionsToTxnTopic(name="b", partitions=[1]),
        ]),
    ])
    summary = summarize(ApiKey.ADD_PARTITIONS_TO_TXN, batched)
    assert summary.transactional_ids == ("t1", "t2") and summary.transactional_id == "t1"
    assert summary.topics == {"a": (0, 2), "b": (1,)}
    offsets = summarize(ApiKey.ADD_OFFSETS_TO_TXN,
                        AddOffsetsToTxnRequest(transactional_id="tx", group_id="g"))
    assert (offsets.transactional_ids, offsets.groups) == (("tx",), ("g",))
    commit = TxnOffsetCommitRequest(transactional_id="tx", group_id="g", topics=[
        TxnOffsetCommitRequestTopic(name="a", partitions=[
            TxnOffsetCommitRequestPartition(partition_index=3)
        ])
    ])
    assert summarize(ApiKey.TXN_OFFSET_COMMIT, commit) == RequestSummary(
        topics={"a": (3,)}, groups=("g",), transactional_ids=("tx",)
    )
    end = summarize(ApiKey.END_TXN, EndTxnRequest(transactional_id="tx", committed=True))
    assert end == RequestSummary(transactional_ids=("tx",))
    assert summarize(ApiKey.INIT_PRODUCER_ID, InitProducerIdRequest(transactional_id=None)) == (
        RequestSummary()
    )


def test_transaction_admin_and_marker_apis() -> None:
    markers = WriteTxnMarkersRequest(markers=[
        WritableTxnMarker(producer_id=7, topics=[
            WritableTxnMarkerTopic(name="a", partition_indexes=[0, 1])
        ]),
        WritableTxnMarker(producer_id=8, topics=[
            WritableTxnMarkerTopic(name="__consumer_offsets", partition_indexes=[4])
        ]),
    ])
    summary = summarize(ApiKey.WRITE_TXN_MARKERS, markers)
    assert summary == RequestSummary(topics={"a": (0, 1), "__consumer_offsets": (4,)})
    producers = DescribeProducersRequest(topics=[
        DescribeProducersTopicRequest(name="a", partition_indexes=[2])
    ])
    assert summarize(ApiKey.DESCRIBE_PRODUCERS, producers).topics == {"a": (2,)}
    described = summarize(ApiKey.DESCRIBE_TRANSACTIONS,
                          DescribeTransactionsRequest(transactional_ids=["t1", "t2", "t1"]))
    assert described.transactional_ids == ("t1", "t2")
    assert summarize(ApiKey.LIST_TRANSACTIONS, ListTransactionsRequest()) == RequestSummary()
    keys = FindCoordinatorRequest(key_type=1, coordinator_keys=["t1", "t2"])
    assert summarize(ApiKey.FIND_COORDINATOR, keys).transactional_ids == ("t1", "t2")
    assert summary.to_json()["transactional_ids"] == []


def _run_steps(steps):  # type: ignore[no-untyped-def]
    """The value of a generator of steps, and how many steps it took."""
    count = 0
    try:
        while True:
            next(steps)
            count += 1
    except StopIteration as done:
        return done.value, count


def test_large_requests_are_summarized_in_steps_to_the_same_summary() -> None:
    size = STEP * 3 + 7
    produce = ProduceRequest(transactional_id="tx", topic_data=[
        ProduceTopicData(name=name, partition_data=[
            ProducePartitionData(index=i) for i in range(size)
        ]) for name in ("a", "b")
    ])
    fetch = FetchRequest(topics=[FetchTopic(topic="a", partitions=[
        FetchPartition(partition=size - i) for i in range(size)
    ])])
    delete = DeleteRecordsRequest(topics=[DeleteRecordsTopic(name=f"t{n}", partitions=[
        DeleteRecordsPartition(partition_index=i) for i in range(n * 700)
    ]) for n in range(8)])
    commit = OffsetCommitRequest(group_id="g", topics=[OffsetCommitRequestTopic(
        name="a", partitions=[OffsetCommitRequestPartition(partition_index=i) for i in range(size)]
    )])
    for api_key, body in (
        (ApiKey.PRODUCE, produce), (ApiKey.FETCH, fetch), (ApiKey.DELETE_RECORDS, delete),
        (ApiKey.OFFSET_COMMIT, commit),
    ):
        whole = summarize(api_key, body)
        stepped, steps = _run_steps(summarize_in_steps(api_key, body))
        assert stepped == whole, api_key
        assert steps >= 3, api_key  # each step reads at most about STEP entries
    assert summarize(ApiKey.PRODUCE, produce).topics["b"] == tuple(range(size))
    assert summarize(ApiKey.FETCH, fetch).topics["a"][:2] == (size, size - 1)


def test_error_codes_of_a_large_answer_in_steps() -> None:
    size = STEP * 2 + 1
    codes = [0] * size
    codes[5], codes[STEP + 3], codes[-1] = 3, 6, 3
    produce = ProduceResponse(responses=[ProduceTopicResponse(name="a", partition_responses=[
        ProducePartitionResponse(index=i, error_code=code) for i, code in enumerate(codes)
    ])])
    found, steps = _run_steps(error_codes_in_steps(produce))
    assert found == error_codes(produce) == [3, 6]
    assert steps >= 3
    delete = DeleteRecordsResponse(topics=[DeleteRecordsTopicResult(name="t", partitions=[
        DeleteRecordsPartitionResult(partition_index=i, error_code=code)
        for i, code in enumerate(reversed(codes))
    ])])
    found, steps = _run_steps(error_codes_in_steps(delete))
    assert found == error_codes(delete) == [3, 6]
    assert steps >= 2
    assert _run_steps(error_codes_in_steps(None)) == ([], 0)
