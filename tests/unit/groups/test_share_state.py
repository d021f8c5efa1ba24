"""``__share_group_state`` records in Kafka's formats (golden bytes written out by hand from
the share coordinator's schemas) and the store that writes and replays them."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from kafkalite.groups.share_partition import (
    AcknowledgeType,
    FetchedBatch,
    SharePartition,
    SharePartitionConfig,
    StateBatch,
)
from kafkalite.groups.share_state import ShareStateStore, coordinator_key
from kafkalite.groups.share_state_records import (
    SHARE_SNAPSHOT,
    SHARE_UPDATE,
    ShareStateError,
    ShareStateKey,
    ShareStateValue,
    decode_share_key,
    decode_share_value,
    encode_share_key,
    encode_share_value,
)
from kafkalite.internal_topics import SHARE_GROUP_STATE_TOPIC, append_records
from kafkalite.storage.manager import LogManager

TOPIC = uuid.UUID("0123456789abcdef0123456789abcdef")


def test_snapshot_key_golden_bytes() -> None:
    key = ShareStateKey(SHARE_SNAPSHOT, "g", TOPIC, 3)
    wire = bytes.fromhex("0000" "0001") + b"g" + TOPIC.bytes + bytes.fromhex("00000003")
    assert encode_share_key(key) == wire
    assert decode_share_key(wire) == key
    update = bytes.fromhex("0001") + wire[2:]
    assert decode_share_key(update).record_type == SHARE_UPDATE


def test_snapshot_value_golden_bytes() -> None:
    value = ShareStateValue(
        snapshot_epoch=2, state_epoch=1, leader_epoch=0, start_offset=10,
        batches=(StateBatch(10, 11, 0, 1), StateBatch(12, 12, 2, 1)),
        create_timestamp=1000, write_timestamp=2000, delivery_complete_count=1,
    )
    wire = (
        bytes.fromhex("0000")                                  # value version 0
        + bytes.fromhex("00000002" "00000001" "00000000")      # snapshot, state, leader epochs
        + bytes.fromhex("000000000000000a")                    # start offset 10
        + bytes.fromhex("00000000000003e8" "00000000000007d0")  # create, write timestamps
        + b"\x03"                                              # two state batches
        + bytes.fromhex("000000000000000a" "000000000000000b" "00" "0001") + b"\x00"
        + bytes.fromhex("000000000000000c" "000000000000000c" "02" "0001") + b"\x00"
        + b"\x01" + b"\x00" + b"\x04" + bytes.fromhex("00000001")  # tag 0: delivery complete count
    )
    assert encode_share_value(SHARE_SNAPSHOT, value) == wire
    assert decode_share_value(SHARE_SNAPSHOT, wire) == value


def test_update_value_golden_bytes_and_bad_records() -> None:
    wire = (
        bytes.fromhex("0000" "00000003" "00000000" "ffffffffffffffff")  # start offset unchanged
        + b"\x02" + bytes.fromhex("0000000000000005" "0000000000000005" "04" "0002") + b"\x00"
        + b"\x00"
    )
    value = decode_share_value(SHARE_UPDATE, wire)
    assert (value.snapshot_epoch, value.start_offset, value.batches) == (3, -1, (StateBatch(5, 5, 4, 2),))
    assert encode_share_value(SHARE_UPDATE, value) == wire
    with pytest.raises(ShareStateError):
        decode_share_value(SHARE_SNAPSHOT, wire[:10])
    with pytest.raises(ShareStateError):
        decode_share_key(bytes.fromhex("0005000167"))


def test_coordinator_key_prints_the_topic_id_as_kafka_does() -> None:
    assert coordinator_key("g", TOPIC, 2) == "g:ASNFZ4mrze8BI0VniavN7w:2"


def test_the_store_writes_snapshots_and_replays_them(tmp_path: Path) -> None:
    logs = LogManager(tmp_path)
    logs.start()
    try:
        store = ShareStateStore(logs, num_partitions=2, clock_ms=lambda: 5_000)
        assert store.open() == {}
        sp = SharePartition(SharePartitionConfig(), lambda: 0)
        sp.initialize(0)
        sp.acquire("m", [FetchedBatch(0, 4)], 10)
        sp.acknowledge("m", 0, 2, [AcknowledgeType.ACCEPT, AcknowledgeType.RELEASE, AcknowledgeType.REJECT])
        store.write("g", TOPIC, 0, sp)
        sp.acknowledge("m", 3, 3, [AcknowledgeType.ACCEPT])
        store.write("g", TOPIC, 0, sp)
        store.write("other", TOPIC, 1, sp)
        store.delete("other", TOPIC, 1)
        # An update written by another broker applies over the snapshot.
        info = logs.get_topic(SHARE_GROUP_STATE_TOPIC)
        assert info is not None and len(info.partitions) == 2
        update = ShareStateValue(snapshot_epoch=1, state_epoch=-1, leader_epoch=0, start_offset=-1,
                                 batches=(StateBatch(4, 4, 2, 1),))
        target = [p for p in info.partitions if p.log_end_offset > 0]
        assert len(target) >= 1
        key = ShareStateKey(SHARE_UPDATE, "g", TOPIC, 0)
        from kafkalite.internal_topics import partition_for
        partition_log = info.partitions[partition_for(coordinator_key("g", TOPIC, 0), 2)]
        append_records(partition_log, [(encode_share_key(key), encode_share_value(SHARE_UPDATE, update))], now_ms=1)
    finally:
        logs.shutdown()

    logs = LogManager(tmp_path)
    logs.start()
    try:
        states = ShareStateStore(logs, num_partitions=2).open()
        assert set(states) == {("g", TOPIC, 0)}
        state = states[("g", TOPIC, 0)]
        assert (state.snapshot_epoch, state.start_offset, state.create_timestamp) == (1, 1, 5_000)
        assert state.batches == (StateBatch(1, 1, 0, 1), StateBatch(2, 2, 4, 1), StateBatch(3, 4, 2, 1))
        restored = SharePartition(SharePartitionConfig(), lambda: 0)
        restored.restore(state.start_offset, state.batches, state.state_epoch)
        # Offset 1 was released, 2 rejected, 3 and 4 acknowledged: only 1 comes back.
        assert [(r.first_offset, r.last_offset, r.delivery_count)
                for r in restored.acquire("n", [FetchedBatch(0, 4), FetchedBatch(5, 5)], 10)] == [
            (1, 1, 2), (5, 5, 1)]
    finally:
        logs.shutdown()
