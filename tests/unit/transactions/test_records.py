"""``__transaction_state`` records: golden bytes from TransactionLogKey.json and
TransactionLogValue.json, round trips, and what a reader skips."""

from __future__ import annotations

import pytest

from kafkalite.transactions.api import TopicPartition
from kafkalite.transactions.records import (
    TransactionLogRecordError,
    decode_key,
    decode_value,
    encode_key,
    encode_value,
)
from kafkalite.transactions.state import TransactionMetadata, TransactionState


def _meta(**changes: object) -> TransactionMetadata:
    fields: dict[str, object] = dict(
        transactional_id="txn", producer_id=1000, producer_epoch=0,
        transaction_timeout_ms=60_000, last_update_timestamp_ms=5,
    )
    fields.update(changes)
    return TransactionMetadata(**fields)  # type: ignore[arg-type]


def test_key_v0_golden_bytes() -> None:
    # int16 version 0, then the id as a (non-compact) int16-length string.
    assert encode_key("txn") == bytes.fromhex("0000" "0003" "74786e")
    assert decode_key(encode_key("txn")) == "txn"


def test_unknown_key_version_is_skipped() -> None:
    assert decode_key(bytes.fromhex("0001" "0003" "74786e")) is None


def test_value_v0_empty_golden_bytes() -> None:
    expected = bytes.fromhex(
        "0000"  # version
        "00000000000003e8"  # producer_id 1000
        "0000"  # producer_epoch
        "0000ea60"  # transaction_timeout_ms 60000
        "00"  # status Empty
        "ffffffff"  # partitions: null, as Kafka writes for Empty
        "0000000000000005"  # last update
        "ffffffffffffffff"  # start -1
    )
    assert encode_value(_meta(), 0) == expected
    assert decode_value("txn", expected) == _meta()


def test_value_v0_ongoing_golden_bytes() -> None:
    meta = _meta(
        state=TransactionState.ONGOING, start_timestamp_ms=4,
        partitions=frozenset({TopicPartition("t", 1), TopicPartition("t", 0)}),
    )
    expected = bytes.fromhex(
        "0000" "00000000000003e8" "0000" "0000ea60"
        "01"  # Ongoing
        "00000001"  # one topic
        "0001" "74"  # "t"
        "00000002" "00000000" "00000001"  # partition ids 0, 1
        "0000000000000005" "0000000000000004"
    )
    assert encode_value(meta, 0) == expected
    assert decode_value("txn", expected) == meta


def test_value_v1_golden_bytes_with_tagged_fields() -> None:
    meta = _meta(
        state=TransactionState.PREPARE_COMMIT, start_timestamp_ms=4, previous_producer_id=999,
        partitions=frozenset({TopicPartition("t", 0), TopicPartition("t", 1)}),
    )
    expected = bytes.fromhex(
        "0001" "00000000000003e8" "0000" "0000ea60"
        "02"  # PrepareCommit
        "02"  # compact array: one topic
        "0274"  # compact string "t"
        "03" "00000000" "00000001"  # compact array of two ids
        "00"  # PartitionsSchema's tagged fields
        "0000000000000005" "0000000000000004"
        "01" "00" "08" "00000000000003e7"  # tag 0 previous_producer_id 999
    )
    assert encode_value(meta, 1) == expected
    assert decode_value("txn", expected) == meta


def test_value_v1_defaults_write_no_tags_and_empty_is_null() -> None:
    encoded = encode_value(_meta(), 1)
    assert encoded[-1:] == b"\x00"  # no tagged fields
    assert encoded[17] == 0  # compact nullable array: 0 means null
    assert decode_value("txn", encoded) == _meta()


def test_value_v1_next_producer_id_and_client_version_tags_round_trip() -> None:
    meta = _meta(next_producer_id=2000, client_transaction_version=2)
    assert encode_value(meta, 1).endswith(
        bytes.fromhex("02" "01" "08" "00000000000007d0" "02" "02" "0002")
    )
    assert decode_value("txn", encode_value(meta, 1)) == meta


def test_unknown_tags_are_skipped() -> None:
    encoded = bytearray(encode_value(_meta(), 1))
    encoded[-1:] = bytes.fromhex("01" "09" "02" "abcd")  # tag 9 from some newer Kafka
    assert decode_value("txn", bytes(encoded)) == _meta()


@pytest.mark.parametrize(
    "data", [bytes.fromhex("0002"), encode_value(_meta(), 0)[:-3], bytes.fromhex("0000") + b"\x00" * 14 + b"\x09"]
)
def test_unreadable_values_raise(data: bytes) -> None:
    with pytest.raises(TransactionLogRecordError):
        decode_value("txn", data)
