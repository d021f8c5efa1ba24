"""Offsets and group metadata in __consumer_offsets: lazy creation, Kafka's records,
restarts (clean and killed), tombstones, failed writes, migration of the old log."""

from __future__ import annotations

import shutil
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import crc32c
import pytest

from kafkalite.groups import (
    CommitEntry,
    CommittedOffset,
    GroupCoordinator,
    GroupErrorCode,
    GroupState,
    ManualTimer,
    OffsetStoreError,
    TopicPartition,
)
from kafkalite.groups.group_records import (
    GroupMetadataKey,
    GroupMetadataValue,
    MemberMetadata,
    OffsetCommitKey,
    OffsetCommitValue,
    RecordKey,
    RecordValue,
    decode_key,
    decode_value,
)
from kafkalite.internal_topics import OFFSETS_TOPIC, partition_for, scan
from kafkalite.storage.errors import KafkaStorageError
from kafkalite.storage.log import PartitionLog
from kafkalite.storage.manager import LogManager

if TYPE_CHECKING:
    from conftest import Harness

E = GroupErrorCode
T0 = TopicPartition("t", 0)
T1 = TopicPartition("t", 1)
PARTITIONS = 3  # conftest.PARTITIONS


def open_logs(data_dir: Path) -> LogManager:
    logs = LogManager(data_dir, cleaner_enable=False)
    logs.start()
    return logs


def start(logs: LogManager, clock_ms: int = 1234) -> GroupCoordinator:
    coordinator = GroupCoordinator(
        logs,
        timer=ManualTimer(),
        wall_clock_ms=lambda: clock_ms,
        offsets_topic_num_partitions=PARTITIONS,
    )
    coordinator.start()
    return coordinator


def records_of(logs: LogManager, group_id: str) -> list[tuple[RecordKey, RecordValue | None]]:
    """The group's records, decoded from its partition as any Kafka tool would."""
    partition_log = logs.get_partition(OFFSETS_TOPIC, partition_for(group_id, PARTITIONS))
    assert partition_log is not None
    found: list[tuple[RecordKey, RecordValue | None]] = []
    for batch in scan(partition_log):
        for record in batch.records:
            assert record.key is not None
            key = decode_key(record.key)
            if key.group == group_id:
                value = None if record.value is None else decode_value(key, record.value)
                found.append((key, value))
    return found


@pytest.fixture
def restartable(tmp_path: Path) -> Iterator[list[LogManager]]:
    """LogManagers the test opens on tmp_path, shut down at the end if still running."""
    opened: list[LogManager] = []
    yield opened
    for logs in opened:
        logs.shutdown()


def test_no_topic_until_a_group_writes(logs: LogManager) -> None:
    coordinator = start(logs)
    coordinator.fetch_offsets("g", [T0])
    coordinator.describe_group("g")
    coordinator.heartbeat("g", "m", None, 1)
    assert coordinator.list_groups() == []
    coordinator.close()
    assert logs.get_topic(OFFSETS_TOPIC) is None
    assert not any(p.name.startswith(OFFSETS_TOPIC) for p in logs.data_dir.iterdir())

    coordinator = start(logs)
    assert coordinator.commit_offsets("g", -1, "", None, [CommitEntry("t", 0, 5)]) == {T0: 0}
    info = logs.get_topic(OFFSETS_TOPIC)
    assert info is not None and len(info.partitions) == PARTITIONS
    assert info.configs["cleanup.policy"] == "compact"
    coordinator.close()


def test_commits_are_kafka_records_in_the_groups_partition(logs: LogManager) -> None:
    coordinator = start(logs)
    coordinator.commit_offsets("g", -1, "", None, [CommitEntry("t", 0, 42, 7, "note")])
    coordinator.close()
    assert records_of(logs, "g") == [
        (
            OffsetCommitKey("g", "t", 0),
            OffsetCommitValue(offset=42, leader_epoch=7, metadata="note", commit_timestamp=1234),
        )
    ]
    partition_log = logs.get_partition(OFFSETS_TOPIC, partition_for("g", PARTITIONS))
    assert partition_log is not None
    (batch,) = list(scan(partition_log))
    # Key type 1 and value version 3, as Kafka writes them.
    assert batch.records[0].key is not None and batch.records[0].key[:2] == b"\x00\x01"
    assert batch.records[0].value is not None and batch.records[0].value[:2] == b"\x00\x03"


def test_group_metadata_is_stored_with_members_and_reloaded(
    tmp_path: Path, restartable: list[LogManager], make_harness: type[Harness]
) -> None:
    logs = open_logs(tmp_path)
    restartable.append(logs)
    coordinator = start(logs, clock_ms=5000)
    members = make_harness(timer=coordinator.groups.rebalancer.timer, manager=coordinator.groups)  # type: ignore[arg-type]
    (leader, follower), generation = members.form_group(2)
    coordinator.close()
    stored = records_of(logs, "g")
    # A generation started (members not yet assigned), then the group became Stable.
    assert [key for key, _ in stored] == [GroupMetadataKey("g")] * 2
    stable = stored[-1][1]
    assert stable == GroupMetadataValue(
        protocol_type="consumer",
        generation=generation,
        protocol="range",
        leader=leader,
        current_state_timestamp=5000,
        members=(
            MemberMetadata(
                member_id=leader,
                client_id="c0",
                rebalance_timeout=30_000,
                session_timeout=10_000,
                subscription=b"meta",
                assignment=b"assignment-0",
            ),
            MemberMetadata(
                member_id=follower,
                client_id="c1",
                rebalance_timeout=30_000,
                session_timeout=10_000,
                subscription=b"meta",
                assignment=b"assignment-1",
            ),
        ),
    )
    logs.shutdown()
    restartable.clear()

    again = open_logs(tmp_path)
    restartable.append(again)
    second = start(again)
    restored = second.groups.get("g")
    assert restored is not None
    assert (restored.state, restored.generation_id, restored.protocol_type) == (
        GroupState.EMPTY,
        generation,
        "consumer",
    )
    assert second.offsets.group_metadata("g") == stable
    # Members are not restored: a member of the old generation must rejoin.
    assert second.heartbeat("g", leader, None, generation) == E.UNKNOWN_MEMBER_ID
    second.close()


def test_commits_survive_a_killed_broker(tmp_path: Path, restartable: list[LogManager]) -> None:
    logs = open_logs(tmp_path / "live")
    restartable.append(logs)
    coordinator = start(logs)
    coordinator.commit_offsets("simple", -1, "", None, [CommitEntry("t", 0, 42, 7, "note")])
    coordinator.commit_offsets("simple", -1, "", None, [CommitEntry("t", 1, 9)])
    # A copy taken while running: what a SIGKILL leaves (no fsync, no clean shutdown).
    shutil.copytree(tmp_path / "live", tmp_path / "killed")
    assert not (tmp_path / "killed" / ".kafka_cleanshutdown").exists()

    survivor = open_logs(tmp_path / "killed")
    restartable.append(survivor)
    second = start(survivor)
    assert second.offsets.get("simple", T0) == CommittedOffset(42, 7, "note", 1234)
    fetched = second.fetch_offsets("simple", None).offsets
    assert [(o.topic, o.partition, o.offset) for o in fetched] == [("t", 0, 42), ("t", 1, 9)]
    assert [(g.group_id, g.group_state) for g in second.list_groups()] == [("simple", "Empty")]
    second.close()


def test_deletions_are_tombstones(tmp_path: Path, restartable: list[LogManager]) -> None:
    logs = open_logs(tmp_path)
    restartable.append(logs)
    coordinator = start(logs)
    entries = [CommitEntry("t", 0, 1), CommitEntry("t", 1, 2), CommitEntry("u", 0, 3)]
    coordinator.commit_offsets("g", -1, "", None, entries)
    coordinator.commit_offsets("gone", -1, "", None, [CommitEntry("t", 0, 4)])
    assert coordinator.delete_offsets("g", [T1]).error_code == E.NONE
    assert coordinator.delete_groups(["gone"]) == {"gone": E.NONE}
    coordinator.on_topic_deleted("u")
    coordinator.close()
    assert [(k, v) for k, v in records_of(logs, "g") if v is None] == [
        (OffsetCommitKey("g", "t", 1), None),
        (OffsetCommitKey("g", "u", 0), None),
    ]
    assert records_of(logs, "gone")[-2:] == [
        (OffsetCommitKey("gone", "t", 0), None),
        (GroupMetadataKey("gone"), None),
    ]
    logs.shutdown()
    restartable.clear()

    again = open_logs(tmp_path)
    restartable.append(again)
    second = start(again)
    assert dict(second.offsets.committed("g")) == {T0: CommittedOffset(1, -1, "", 1234)}
    assert second.offsets.group_ids() == {"g"}
    second.close()


def test_failed_append_answers_not_coordinator(
    coordinator: GroupCoordinator, monkeypatch: pytest.MonkeyPatch
) -> None:
    coordinator.commit_offsets("g", -1, "", None, [CommitEntry("t", 0, 1)])

    def failing_append(*args: object, **kwargs: object) -> None:
        raise KafkaStorageError("No space left on device")

    monkeypatch.setattr(PartitionLog, "append", failing_append)
    result = coordinator.commit_offsets("g", -1, "", None, [CommitEntry("t", 0, 2)])
    assert result == {T0: E.NOT_COORDINATOR}
    assert coordinator.fetch_offsets("g", [T0]).offsets[0].offset == 1  # memory unchanged
    with pytest.raises(OffsetStoreError):
        coordinator.offsets.commit("g", [(T0, CommittedOffset(3, -1, "", 0))])


def test_oversized_commit_answers_invalid_commit_offset_size(logs: LogManager) -> None:
    from kafkalite.groups import GroupConfig

    coordinator = GroupCoordinator(
        logs,
        timer=ManualTimer(),
        config=GroupConfig(offset_metadata_max_bytes=2 << 20),
        offsets_topic_num_partitions=PARTITIONS,
    )
    coordinator.start()
    try:
        too_long = "x" * 0x8000  # Kafka's strings hold at most 32767 bytes
        result = coordinator.commit_offsets(
            "g", -1, "", None, [CommitEntry("t", 0, 1, metadata=too_long)]
        )
        assert result == {T0: E.INVALID_COMMIT_OFFSET_SIZE}
        # Together over max.message.bytes (1 MiB): one batch, refused whole.
        many = [CommitEntry("t", p, 1, metadata="x" * 4000) for p in range(300)]
        result = coordinator.commit_offsets("g", -1, "", None, many)
        assert set(result.values()) == {E.INVALID_COMMIT_OFFSET_SIZE}
        assert coordinator.commit_offsets("g", -1, "", None, [CommitEntry("t", 0, 1)]) == {
            T0: E.NONE
        }
    finally:
        coordinator.close()


# -- migration of the old private log ------------------------------------------------


def _string(value: str | None) -> bytes:
    if value is None:
        return struct.pack(">i", -1)
    return struct.pack(">i", len(value.encode())) + value.encode()


def legacy_entry(kind: int, *fields: bytes) -> bytes:
    """One entry as offset_log.py's docstring frames it: length, CRC-32C, version 0."""
    body = bytes((0, kind)) + b"".join(fields)
    return struct.pack(">II", len(body) + 4, crc32c.crc32c(body)) + body


def legacy_offset(group: str, topic: str, partition: int, offset: int, metadata: str) -> bytes:
    # kind 0: group, topic, partition, offset, leader epoch, commit timestamp, metadata
    fields = struct.pack(">iqiq", partition, offset, 3, 777)
    return legacy_entry(0, _string(group), _string(topic), fields, _string(metadata))


def test_migration_from_the_old_offsets_log(tmp_path: Path, restartable: list[LogManager]) -> None:
    legacy = tmp_path / "__consumer_offsets"
    legacy.mkdir()
    (legacy / "offsets.log").write_bytes(
        legacy_offset("g", "t", 0, 10, "m")
        + legacy_offset("g", "t", 1, 11, "")
        + legacy_entry(2, _string("g"), _string("consumer"), struct.pack(">i", 4))  # GROUP
        + legacy_entry(1, _string("g"), _string("t"), struct.pack(">i", 1))  # OFFSET_TOMBSTONE
        + legacy_offset("dropped", "t", 0, 5, "")
        + legacy_entry(3, _string("dropped"))  # GROUP_TOMBSTONE
        + b"\x00\x00\x00"  # a torn tail
    )
    logs = open_logs(tmp_path)
    restartable.append(logs)
    coordinator = start(logs)
    assert dict(coordinator.offsets.committed("g")) == {T0: CommittedOffset(10, 3, "m", 777)}
    restored = coordinator.groups.get("g")
    assert restored is not None and (restored.generation_id, restored.protocol_type) == (
        4,
        "consumer",
    )
    assert coordinator.offsets.group_ids() == {"g"}
    assert not (legacy / "offsets.log").exists()
    assert (legacy / "offsets.log.migrated").exists()
    assert records_of(logs, "g") == [
        (GroupMetadataKey("g"), GroupMetadataValue(protocol_type="consumer", generation=4)),
        (
            OffsetCommitKey("g", "t", 0),
            OffsetCommitValue(offset=10, leader_epoch=3, metadata="m", commit_timestamp=777),
        ),
    ]
    coordinator.commit_offsets("g", -1, "", None, [CommitEntry("t", 0, 99)])
    coordinator.close()
    logs.shutdown()
    restartable.clear()

    again = open_logs(tmp_path)  # the migrated file is not read again
    restartable.append(again)
    second = start(again)
    offset = second.offsets.get("g", T0)
    assert offset is not None and offset.offset == 99
    assert len(records_of(again, "g")) == 3
    second.close()


def test_empty_old_log_is_set_aside_without_creating_the_topic(logs: LogManager) -> None:
    legacy = logs.data_dir / "__consumer_offsets"
    legacy.mkdir()
    (legacy / "offsets.log").write_bytes(
        legacy_offset("g", "t", 0, 1, "") + legacy_entry(3, _string("g"))
    )
    start(logs).close()
    assert (legacy / "offsets.log.migrated").exists()
    assert logs.get_topic(OFFSETS_TOPIC) is None


def test_old_log_in_a_newer_format_refuses_to_start(logs: LogManager) -> None:
    legacy = logs.data_dir / "__consumer_offsets"
    legacy.mkdir()
    body = bytes((1,)) + b"future payload"
    data = struct.pack(">II", len(body) + 4, crc32c.crc32c(body)) + body
    (legacy / "offsets.log").write_bytes(data)
    with pytest.raises(OffsetStoreError, match="format version 1"):
        start(logs)
    assert (legacy / "offsets.log").read_bytes() == data  # untouched
