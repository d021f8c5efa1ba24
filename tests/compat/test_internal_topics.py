"""The internal topics are readable by any Kafka client, as on Kafka.

Lag monitors such as Burrow read ``__consumer_offsets`` with a plain consumer and decode
Kafka's OffsetCommit key/value records themselves. This test does the same with
kafka-python, decoding the bytes by hand from Kafka's record layout (key: version int16 1,
group, topic, partition int32; value: version int16 3, offset int64, leader epoch int32,
metadata, commit timestamp int64; strings are int16 length + UTF-8), after a consumer
committed the offsets over the protocol.
"""

from __future__ import annotations

import struct
import time
import uuid

import compat_helpers as h
import confluent_kafka as ck
import pytest
from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition
from kafka.structs import OffsetAndMetadata

pytestmark = [pytest.mark.compat, pytest.mark.timeout(60)]


def _string(data: bytes, pos: int) -> tuple[str, int]:
    (length,) = struct.unpack_from(">h", data, pos)
    return data[pos + 2 : pos + 2 + length].decode(), pos + 2 + length


def decode_offset_commit(key: bytes, value: bytes) -> tuple[str, str, int, int, str] | None:
    (version,) = struct.unpack_from(">h", key, 0)
    if version not in (0, 1):
        return None  # group metadata (2) or another record type
    group, pos = _string(key, 2)
    topic, pos = _string(key, pos)
    (partition,) = struct.unpack_from(">i", key, pos)
    (value_version,) = struct.unpack_from(">h", value, 0)
    assert value_version == 3, value_version
    offset, _leader_epoch = struct.unpack_from(">qi", value, 2)
    metadata, _ = _string(value, 14)
    return group, topic, partition, offset, metadata


def test_committed_offsets_are_readable_from_consumer_offsets(broker) -> None:
    if h.external_bootstrap():
        pytest.skip("reads the broker's own __consumer_offsets layout")
    topic = h.unique_topic("lag")
    group = f"lag-{uuid.uuid4().hex[:8]}"
    admin = ck.admin.AdminClient({"bootstrap.servers": broker.bootstrap})
    admin.create_topics([ck.admin.NewTopic(topic, 2, 1)])[topic].result(15)
    committer = KafkaConsumer(bootstrap_servers=broker.bootstrap, group_id=group,
                              enable_auto_commit=False)
    try:
        committer.commit({
            TopicPartition(topic, 0): OffsetAndMetadata(5, "m0", -1),
            TopicPartition(topic, 1): OffsetAndMetadata(7, "m1", -1),
        })
    finally:
        committer.close()

    # Kafka's flag and partition count (offsets.topic.num.partitions, 50 by default)
    described = admin.describe_topics(ck.TopicCollection(["__consumer_offsets"]))
    offsets_topic = described["__consumer_offsets"].result(15)
    assert (offsets_topic.is_internal, len(offsets_topic.partitions)) == (True, 50)
    kp_admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
    try:
        [kp_described] = kp_admin.describe_topics(["__consumer_offsets"])
        assert (kp_described["is_internal"], len(kp_described["partitions"])) == (True, 50)
    finally:
        kp_admin.close()

    reader = KafkaConsumer(bootstrap_servers=broker.bootstrap, auto_offset_reset="earliest",
                           exclude_internal_topics=False, consumer_timeout_ms=3000)
    try:
        partitions = reader.partitions_for_topic("__consumer_offsets")
        assert partitions, "__consumer_offsets is listed in Metadata"
        reader.subscribe(["__consumer_offsets"])
        found: dict[tuple[str, int], tuple[int, str]] = {}
        deadline = time.monotonic() + 20
        while len(found) < 2 and time.monotonic() < deadline:
            for records in reader.poll(timeout_ms=500).values():
                for record in records:
                    decoded = record.value is not None and decode_offset_commit(record.key, record.value)
                    if decoded and decoded[0] == group:
                        found[(decoded[1], decoded[2])] = (decoded[3], decoded[4])
        assert found == {(topic, 0): (5, "m0"), (topic, 1): (7, "m1")}
    finally:
        reader.close()
