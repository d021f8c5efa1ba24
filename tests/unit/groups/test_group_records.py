"""__consumer_offsets keys and values, against bytes laid out by hand from Kafka's schemas
(OffsetCommitKey/Value.json, GroupMetadataKey/Value.json) and CoordinatorRecordSerde's
framing: an int16 record type before a key, an int16 version before a value."""

from __future__ import annotations

import pytest

from kafkalite.groups.group_records import (
    GroupMetadataKey,
    GroupMetadataValue,
    GroupRecordError,
    MemberMetadata,
    OffsetCommitKey,
    OffsetCommitValue,
    UnknownRecordTypeError,
    decode_key,
    decode_value,
    encode_key,
    encode_value,
)


def h(text: str) -> bytes:
    return bytes.fromhex(text.replace(" ", "").replace("\n", ""))


I64_42 = "00000000 0000002a"
I64_1000 = "00000000 000003e8"
I64_MINUS_1 = "ffffffff ffffffff"

OFFSET_KEY = OffsetCommitKey("g", "t", 3)
OFFSET_KEY_BYTES = h("0001 0001 67 0001 74 00000003")  # type 1, "g", "t", partition 3

OFFSET_VALUE = OffsetCommitValue(offset=42, leader_epoch=7, metadata="m", commit_timestamp=1000)
OFFSET_VALUE_BYTES = {
    0: h(f"0000 {I64_42} 0001 6d {I64_1000}"),
    1: h(f"0001 {I64_42} 0001 6d {I64_1000} {I64_MINUS_1}"),  # expireTimestamp
    2: h(f"0002 {I64_42} 0001 6d {I64_1000}"),
    3: h(f"0003 {I64_42} 00000007 0001 6d {I64_1000}"),  # leaderEpoch
    4: h(f"0004 {I64_42} 00000007 02 6d {I64_1000} 00"),  # compact string, no tags
}

GROUP_KEY = GroupMetadataKey("g")
GROUP_KEY_BYTES = h("0002 0001 67")

MEMBER = MemberMetadata(
    member_id="m1",
    group_instance_id="i",
    client_id="c",
    client_host="/h",
    rebalance_timeout=300,
    session_timeout=10,
    subscription=b"\x01",
    assignment=b"\x02",
)
GROUP_VALUE = GroupMetadataValue(
    protocol_type="consumer",
    generation=5,
    protocol="range",
    leader="m1",
    current_state_timestamp=1000,
    members=(MEMBER,),
)
_HEAD = "0008 636f6e73756d6572 00000005 0005 72616e6765 0002 6d31"  # consumer, 5, range, m1
GROUP_VALUE_BYTES = {
    # memberId, clientId, clientHost, sessionTimeout, subscription, assignment
    0: h(f"0000 {_HEAD} 00000001 0002 6d31 0001 63 0002 2f68 0000000a 00000001 01 00000001 02"),
    # + rebalanceTimeout
    1: h(
        f"0001 {_HEAD} 00000001 0002 6d31 0001 63 0002 2f68 0000012c 0000000a"
        " 00000001 01 00000001 02"
    ),
    # + currentStateTimestamp
    2: h(
        f"0002 {_HEAD} {I64_1000} 00000001 0002 6d31 0001 63 0002 2f68 0000012c 0000000a"
        " 00000001 01 00000001 02"
    ),
    # + groupInstanceId
    3: h(
        f"0003 {_HEAD} {I64_1000} 00000001 0002 6d31 0001 69 0001 63 0002 2f68"
        " 0000012c 0000000a 00000001 01 00000001 02"
    ),
    # flexible: compact strings, bytes and array, a tag section after each struct
    4: h(
        f"0004 09 636f6e73756d6572 00000005 06 72616e6765 03 6d31 {I64_1000}"
        " 02 03 6d31 02 69 02 63 03 2f68 0000012c 0000000a 02 01 02 02 00 00"
    ),
}


def test_keys_as_kafka_writes_them() -> None:
    assert encode_key(OFFSET_KEY) == OFFSET_KEY_BYTES
    assert encode_key(GROUP_KEY) == GROUP_KEY_BYTES
    assert decode_key(OFFSET_KEY_BYTES) == OFFSET_KEY
    assert decode_key(GROUP_KEY_BYTES) == GROUP_KEY
    # Record type 0, written before Kafka 0.10, has the same layout.
    assert decode_key(h("0000 0001 67 0001 74 00000003")) == OFFSET_KEY


def test_default_versions_are_kafkas() -> None:
    assert encode_value(OFFSET_VALUE) == OFFSET_VALUE_BYTES[3]
    assert encode_value(GROUP_VALUE) == GROUP_VALUE_BYTES[3]


@pytest.mark.parametrize("version", range(5))
def test_offset_commit_value(version: int) -> None:
    assert encode_value(OFFSET_VALUE, version) == OFFSET_VALUE_BYTES[version]
    expected = OffsetCommitValue(
        offset=42,
        leader_epoch=7 if version >= 3 else -1,
        metadata="m",
        commit_timestamp=1000,
    )
    assert decode_value(OFFSET_KEY, OFFSET_VALUE_BYTES[version]) == expected


@pytest.mark.parametrize("version", range(5))
def test_group_metadata_value(version: int) -> None:
    assert encode_value(GROUP_VALUE, version) == GROUP_VALUE_BYTES[version]
    member = MemberMetadata(
        member_id="m1",
        group_instance_id="i" if version >= 3 else None,
        client_id="c",
        client_host="/h",
        rebalance_timeout=300 if version >= 1 else -1,
        session_timeout=10,
        subscription=b"\x01",
        assignment=b"\x02",
    )
    expected = GroupMetadataValue(
        protocol_type="consumer",
        generation=5,
        protocol="range",
        leader="m1",
        current_state_timestamp=1000 if version >= 2 else -1,
        members=(member,),
    )
    assert decode_value(GROUP_KEY, GROUP_VALUE_BYTES[version]) == expected


def test_empty_group_with_null_protocol_and_leader() -> None:
    empty = GroupMetadataValue(protocol_type="", generation=2, current_state_timestamp=-1)
    data = h(f"0003 0000 00000002 ffff ffff {I64_MINUS_1} 00000000")
    assert encode_value(empty) == data
    assert decode_value(GROUP_KEY, data) == empty
    flexible = h(f"0004 01 00000002 00 00 {I64_MINUS_1} 01 00")
    assert encode_value(empty, 4) == flexible
    assert decode_value(GROUP_KEY, flexible) == empty


def test_unknown_tagged_fields_are_skipped() -> None:
    # One tag (number 5, two bytes) after the offset commit value's fields.
    data = h(f"0004 {I64_42} 00000007 02 6d {I64_1000} 01 05 02 abcd")
    assert decode_value(OFFSET_KEY, data) == OffsetCommitValue(
        offset=42, leader_epoch=7, metadata="m", commit_timestamp=1000
    )


@pytest.mark.parametrize(
    "key",
    [
        h("0003 0001 67"),  # ConsumerGroupMetadataKey (KIP-848)
        h("0010 0001 67"),
    ],
)
def test_other_record_types_are_reported_as_unknown(key: bytes) -> None:
    with pytest.raises(UnknownRecordTypeError):
        decode_key(key)


@pytest.mark.parametrize(
    "key, value",
    [
        (h("0001 0001 67 0001 74"), None),  # no partition
        (h("0002 0001 67 00"), None),  # trailing byte
        (h("0002 ffff"), None),  # null group
        (h("00"), None),
        (GROUP_KEY_BYTES, h("0005")),  # unknown value version
        (OFFSET_KEY_BYTES, h(f"0003 {I64_42} 00000007 0005 6d")),  # short string
        (GROUP_KEY_BYTES, h(f"0003 0000 00000002 ffff ffff {I64_MINUS_1} 7fffffff")),
    ],
)
def test_malformed_records_raise(key: bytes, value: bytes | None) -> None:
    with pytest.raises(GroupRecordError):
        decoded = decode_key(key)
        assert value is not None
        decode_value(decoded, value)
