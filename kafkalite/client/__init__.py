"""A small blocking Kafka client, written for the command-line tools.

Only the standard library, ``crc32c``, ``cramjam`` (the codecs) and our own protocol layer,
which also holds the record-batch and compression codecs. Modules:

- ``connection``: one socket, framing, ApiVersions negotiation (highest common version);
- ``client``: the cluster view (Metadata) and Produce / Fetch / ListOffsets to leaders;
- ``admin``: CreateTopics, DeleteTopics, CreatePartitions, DescribeConfigs,
  IncrementalAlterConfigs;
- ``group``: a classic consumer-group member with the range assignor;
- ``records``: producer and consumer records in and out of RecordBatch v2;
- ``partitioner``: Kafka's murmur2 key partitioning and round-robin for keyless records.
"""

from kafkalite.client.client import EARLIEST, LATEST, KafkaClient, TopicPartition
from kafkalite.client.errors import (
    ClientError,
    ConnectionFailed,
    KafkaResponseError,
    UnsupportedApiError,
    error_name,
)
from kafkalite.client.records import ConsumerRecord, ProducerRecord, decode_records, encode_batch

__all__ = [
    "EARLIEST",
    "LATEST",
    "ClientError",
    "ConnectionFailed",
    "ConsumerRecord",
    "KafkaClient",
    "KafkaResponseError",
    "ProducerRecord",
    "TopicPartition",
    "UnsupportedApiError",
    "decode_records",
    "encode_batch",
    "error_name",
]
