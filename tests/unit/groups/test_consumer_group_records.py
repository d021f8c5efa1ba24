"""Golden bytes of the consumer group records (KIP-848) in ``__consumer_offsets``, written
out field by field from Kafka's ConsumerGroup*Key/Value schemas, and round trips."""

from __future__ import annotations

import uuid

import pytest

from kafkalite.groups.consumer_group_records import (
    ConsumerGroupKey,
    CurrentAssignmentValue,
    GroupEpochValue,
    MemberMetadataValue,
    PartitionMetadataValue,
    TargetAssignmentEpochValue,
    TargetAssignmentValue,
    decode_consumer_key,
    decode_consumer_value,
    encode_consumer_key,
    encode_consumer_value,
)
from kafkalite.groups.group_records import GroupRecordError

TOPIC = uuid.UUID("00112233-4455-6677-8899-aabbccddeeff")

GOLDEN = [
    # (key, key bytes, value, value bytes)
    (ConsumerGroupKey(3, "g"), "0003" "0001" "67",
     GroupEpochValue(5), "0000" "00000005" "00"),
    (ConsumerGroupKey(4, "g"), "0004" "0001" "67",
     PartitionMetadataValue(((TOPIC, "t", 3),)),
     "0000" "02" + TOPIC.hex + "02" "74" "00000003" "01" "00" "00"),
    (ConsumerGroupKey(5, "g", "m"), "0005" "0001" "67" "0001" "6d",
     MemberMetadataValue(instance_id=None, rack_id="r", client_id="c", client_host="/h",
                         subscribed_topic_names=("t",), subscribed_topic_regex=None,
                         rebalance_timeout_ms=300000, server_assignor="uniform"),
     "0000" "00" "0272" "0263" "032f68" "02" "0274" "00" "000493e0" "08" + b"uniform".hex() + "00"),
    (ConsumerGroupKey(6, "g"), "0006" "0001" "67",
     TargetAssignmentEpochValue(4), "0000" "00000004" "00"),
    (ConsumerGroupKey(7, "g", "m"), "0007" "0001" "67" "0001" "6d",
     TargetAssignmentValue({TOPIC: frozenset({0, 2})}),
     "0000" "02" + TOPIC.hex + "03" "00000000" "00000002" "00" "00"),
    (ConsumerGroupKey(8, "g", "m"), "0008" "0001" "67" "0001" "6d",
     CurrentAssignmentValue(member_epoch=4, previous_member_epoch=3, state=1,
                            assigned={TOPIC: frozenset({0})}, pending_revocation={TOPIC: frozenset({1})}),
     "0000" "00000004" "00000003" "01"
     "02" + TOPIC.hex + "02" "00000000" "00"
     "02" + TOPIC.hex + "02" "00000001" "00" "00"),
]


@pytest.mark.parametrize(("key", "key_hex", "value", "value_hex"), GOLDEN, ids=lambda x: "")
def test_golden_bytes(key: ConsumerGroupKey, key_hex: str, value: object, value_hex: str) -> None:
    assert encode_consumer_key(key).hex() == key_hex
    assert encode_consumer_value(value).hex() == value_hex  # type: ignore[arg-type]
    assert decode_consumer_key(key.record_type, bytes.fromhex(key_hex)) == key
    assert decode_consumer_value(key, bytes.fromhex(value_hex)) == value


def test_unknown_tagged_fields_are_skipped() -> None:
    # A newer writer's tagged field (tag 0, 2 bytes) after the epoch.
    data = bytes.fromhex("0000" "00000005" "01" "00" "02" "abcd")
    assert decode_consumer_value(ConsumerGroupKey(3, "g"), data) == GroupEpochValue(5)


def test_truncated_values_are_errors() -> None:
    key = ConsumerGroupKey(8, "g", "m")
    whole = bytes.fromhex(GOLDEN[-1][3])
    for cut in range(len(whole)):
        with pytest.raises(GroupRecordError):
            decode_consumer_value(key, whole[:cut])
