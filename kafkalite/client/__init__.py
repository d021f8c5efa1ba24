"""A small blocking Kafka client, written for the command-line tools.

Only the standard library, ``crc32c`` and our own protocol layer; compression codecs other
than gzip use optional modules (``compression.py``). Modules:

- ``connection``: one socket, framing, ApiVersions negotiation (highest common version);
- ``client``: the cluster view (Metadata) and Produce / Fetch / ListOffsets to leaders;
- ``admin``: CreateTopics, DeleteTopics, CreatePartitions, DescribeConfigs,
  IncrementalAlterConfigs;
- ``group``: a classic consumer-group member with the range assignor;
- ``records`` / ``compression``: RecordBatch v2 encoding and decoding;
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
