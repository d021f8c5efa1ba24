"""Internal topics: Kafka's key-to-partition mapping and the broker's own record batches."""

from __future__ import annotations

from pathlib import Path

from kafkalite.internal_topics import append_records, java_string_hash, partition_for, scan
from kafkalite.storage.config import LogConfig
from kafkalite.storage.manager import LogManager


def test_java_string_hash_matches_java() -> None:
    # Values of "...".hashCode() printed by a JVM.
    assert java_string_hash("") == 0
    assert java_string_hash("foo") == 101574
    assert java_string_hash("test") == 3556498
    assert java_string_hash("Aa") == java_string_hash("BB") == 2112  # the classic collision
    assert java_string_hash("Hello World") == -862545276  # negative: int32 overflow
    assert java_string_hash("polygenelubricants") == -(2**31)
    # UTF-16 code units: a character outside the BMP counts as its surrogate pair.
    assert java_string_hash("\U0001f600") == 0xD83D * 31 + 0xDE00


def test_partition_for_uses_the_absolute_hash() -> None:
    assert partition_for("test", 50) == 3556498 % 50
    assert partition_for("Hello World", 50) == 862545276 % 50
    assert partition_for("polygenelubricants", 50) == 0  # hashCode is Integer.MIN_VALUE


def test_append_and_scan_round_trip(tmp_path: Path) -> None:
    logs = LogManager(tmp_path, default_config=LogConfig())
    logs.start()
    try:
        info = logs.create_topic("__consumer_offsets", 1, configs={"cleanup.policy": "compact"})
        partition_log = info.partitions[0]
        append_records(partition_log, [(b"k1", b"v1"), (b"k2", None)], now_ms=1000)
        append_records(partition_log, [(b"k3", b"v3")], now_ms=2000)
        batches = list(scan(partition_log))
        assert [b.header.base_offset for b in batches] == [0, 2]
        assert [(r.offset, r.key, r.value) for b in batches for r in b.records] == [
            (0, b"k1", b"v1"), (1, b"k2", None), (2, b"k3", b"v3"),
        ]
        assert [r.key for b in scan(partition_log, 2) for r in b.records] == [b"k3"]
    finally:
        logs.shutdown()
