"""Wire helpers for the admin API tests: one blocking request per call, real sockets."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.create_topics import (
    CreatableTopic,
    CreatableTopicConfig,
    CreateTopicsRequest,
)
from kafkalite.protocol.messages.delete_records import (
    DeleteRecordsPartition,
    DeleteRecordsRequest,
    DeleteRecordsTopic,
)
from kafkalite.protocol.messages.describe_configs import (
    DescribeConfigsRequest,
    DescribeConfigsResource,
)
from kafkalite.protocol.messages.fetch import (
    FetchPartition,
    FetchPartitionResponse,
    FetchRequest,
    FetchTopic,
)
from kafkalite.protocol.messages.list_offsets import (
    ListOffsetsPartition,
    ListOffsetsRequest,
    ListOffsetsTopic,
)
from kafkalite.protocol.messages.metadata import MetadataRequest, MetadataRequestTopic
from kafkalite.protocol.messages.produce import (
    ProducePartitionData,
    ProducePartitionResponse,
    ProduceRequest,
    ProduceTopicData,
)
from tests.conftest import BrokerThread
from tests.unit.batches import record_batch
from tests.unit.server.kafka_wire import call

Address = tuple[str, int]
EARLIEST, LATEST = -2, -1
TOPIC, BROKER, BROKER_LOGGER = 2, 4, 8


@contextmanager
def running_broker(data_dir: Path, **properties: str) -> Iterator[BrokerThread]:
    """A broker on ``data_dir`` with Kafka-named ``properties`` (dots as in Kafka)."""
    running = BrokerThread(data_dir, **properties).start()
    try:
        yield running
    finally:
        running.stop()


def create_topic(
    address: Address,
    name: str,
    partitions: int = 1,
    configs: dict[str, str] | None = None,
    *,
    version: int = 7,
    replication_factor: int = 1,
) -> Any:
    topic = CreatableTopic(
        name=name,
        num_partitions=partitions,
        replication_factor=replication_factor,
        configs=[CreatableTopicConfig(name=k, value=v) for k, v in (configs or {}).items()],
    )
    response = call(address, ApiKey.CREATE_TOPICS, version, CreateTopicsRequest(topics=[topic]))
    assert len(response.topics) == 1
    return response.topics[0]


def describe_topic_configs(
    address: Address,
    name: str,
    *,
    version: int = 4,
    synonyms: bool = False,
    keys: list[str] | None = None,
    resource_type: int = TOPIC,
) -> Any:
    request = DescribeConfigsRequest(
        resources=[
            DescribeConfigsResource(
                resource_type=resource_type, resource_name=name, configuration_keys=keys
            )
        ],
        include_synonyms=synonyms,
    )
    response = call(address, ApiKey.DESCRIBE_CONFIGS, version, request)
    assert len(response.results) == 1
    return response.results[0]


def config_map(result: Any) -> dict[str, Any]:
    return {entry.name: entry for entry in result.configs}


def produce(
    address: Address,
    topic: str,
    values: list[bytes],
    partition: int = 0,
    *,
    version: int = 9,
) -> ProducePartitionResponse:
    request = ProduceRequest(
        acks=-1,
        timeout_ms=5000,
        topic_data=[
            ProduceTopicData(
                name=topic,
                partition_data=[
                    ProducePartitionData(
                        index=partition, records=record_batch([(None, value) for value in values])
                    )
                ],
            )
        ],
    )
    response = call(address, ApiKey.PRODUCE, version, request)
    part: ProducePartitionResponse = response.responses[0].partition_responses[0]
    return part


def list_offset(address: Address, topic: str, partition: int, timestamp: int) -> tuple[int, int]:
    """(error code, offset) of ListOffsets v7."""
    request = ListOffsetsRequest(
        replica_id=-1,
        topics=[
            ListOffsetsTopic(
                name=topic,
                partitions=[ListOffsetsPartition(partition_index=partition, timestamp=timestamp)],
            )
        ],
    )
    part = call(address, ApiKey.LIST_OFFSETS, 7, request).topics[0].partitions[0]
    return part.error_code, part.offset


def fetch(
    address: Address,
    topic: str,
    partition: int,
    offset: int,
    *,
    max_wait_ms: int = 0,
    timeout: float = 10.0,
) -> FetchPartitionResponse:
    request = FetchRequest(
        max_wait_ms=max_wait_ms,
        min_bytes=1,
        max_bytes=50 << 20,
        topics=[
            FetchTopic(
                topic=topic,
                partitions=[
                    FetchPartition(
                        partition=partition, fetch_offset=offset, partition_max_bytes=50 << 20
                    )
                ],
            )
        ],
    )
    response = call(address, ApiKey.FETCH, 11, request, timeout=timeout)
    part: FetchPartitionResponse = response.responses[0].partitions[0]
    return part


def metadata(address: Address, *topics: str, version: int = 12) -> Any:
    request = MetadataRequest(
        topics=[MetadataRequestTopic(name=t) for t in topics] if topics else None,
        allow_auto_topic_creation=False,
    )
    return call(address, ApiKey.METADATA, version, request)


def delete_records(address: Address, topic: str, offset: int) -> None:
    """DeleteRecords on partition 0 of ``topic`` up to ``offset``; asserts it worked."""
    request = DeleteRecordsRequest(
        topics=[
            DeleteRecordsTopic(
                name=topic, partitions=[DeleteRecordsPartition(partition_index=0, offset=offset)]
            )
        ],
        timeout_ms=5000,
    )
    part = call(address, ApiKey.DELETE_RECORDS, 2, request).topics[0].partitions[0]
    assert (part.error_code, part.low_watermark) == (0, offset)
