"""What summarize reads from requests, and error_codes from responses."""

from __future__ import annotations

from kafkalite.faults import RequestSummary, error_codes, summarize
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.delete_records import (
    DeleteRecordsPartition,
    DeleteRecordsRequest,
    DeleteRecordsTopic,
)
from kafkalite.protocol.messages.describe_configs import (
    DescribeConfigsRequest,
    DescribeConfigsResource,
)
from kafkalite.protocol.messages.describe_groups import DescribeGroupsRequest
from kafkalite.protocol.messages.fetch import FetchPartition, FetchRequest, FetchTopic
from kafkalite.protocol.messages.find_coordinator import FindCoordinatorRequest
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


def test_produce() -> None:
    request = ProduceRequest(transactional_id="tx", topic_data=[
        ProduceTopicData(name="a", partition_data=[ProducePartitionData(index=0),
                                                   ProducePartitionData(index=2)]),
    ])
    summary = summarize(ApiKey.PRODUCE, request)
    assert summary == RequestSummary(topics={"a": (0, 2)}, transactional_id="tx")
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
