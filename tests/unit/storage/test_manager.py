"""LogManager: data-directory layout, topic administration, clean and unclean restarts."""

from __future__ import annotations

import base64
import os
import uuid
from pathlib import Path

import pytest
from storage_helpers import NOW_MS, abandon, append, make_batch, read_all

from kafkalite.storage.config import LogConfig
from kafkalite.storage.errors import (
    InvalidConfigError,
    InvalidPartitionsError,
    InvalidTopicError,
    KafkaStorageError,
    TopicAlreadyExistsError,
    UnknownTopicOrPartitionError,
)
from kafkalite.storage.manager import LogManager


def manager(data_dir: Path, **kwargs: object) -> LogManager:
    started = LogManager(data_dir, default_config=LogConfig(segment_bytes=500),
                         flush_interval_ms=10**9, **kwargs)  # type: ignore[arg-type]
    started.start()
    return started


def crash(logs: LogManager) -> None:
    """Stop as a killed process would: no fsync, no checkpoints, no marker."""
    logs.flusher.stop()
    for info in logs.topics().values():
        for partition_log in info.partitions:
            abandon(partition_log)
    logs._unlock()  # the kernel releases a dead process's flock


def test_fresh_data_dir_layout(tmp_path: Path) -> None:
    logs = manager(tmp_path, node_id=3)
    assert len(logs.cluster_id) == 22 and logs.node_id == 3
    props = (tmp_path / "meta.properties").read_text()
    assert f"cluster.id={logs.cluster_id}\n" in props and "node.id=3\n" in props
    assert "version=1\n" in props
    info = logs.create_topic("web.clicks-v2_x", 3, configs={"segment.bytes": "1000"})
    assert [p.partition for p in info.partitions] == [0, 1, 2]
    partition_dir = tmp_path / "web.clicks-v2_x-2"
    metadata = (partition_dir / "partition.metadata").read_text()
    encoded = base64.urlsafe_b64encode(info.topic_id.bytes).rstrip(b"=").decode()
    assert metadata == f"version: 0\ntopic_id: {encoded}\n"
    assert (partition_dir / "00000000000000000000.log").exists()
    assert info.partitions[2].config.segment_bytes == 1000
    assert logs.get_partition("web.clicks-v2_x", 3) is None
    assert logs.topic_by_id(info.topic_id) is info
    assert not (tmp_path / ".kafka_cleanshutdown").exists()
    logs.shutdown()
    assert (tmp_path / ".kafka_cleanshutdown").exists()


def test_clean_restart_keeps_everything(tmp_path: Path) -> None:
    logs = manager(tmp_path)
    info = logs.create_topic("a-b-1", 2, configs={"message.timestamp.type": "LogAppendTime"})
    other = logs.create_topic("plain", 1)
    for i in range(20):
        append(info.partitions[1], make_batch(2, value_size=40), now_ms=NOW_MS + i)
    append(other.partitions[0], make_batch(3, producer_id=9, producer_epoch=1, base_sequence=0))
    before = read_all(info.partitions[1])
    cluster_id = logs.cluster_id
    segment_count = len(info.partitions[1].segments)
    logs.shutdown()
    checkpoint = (tmp_path / "recovery-point-offset-checkpoint").read_text().splitlines()
    assert checkpoint[:2] == ["0", "3"]
    assert sorted(checkpoint[2:]) == ["a-b-1 0 0", "a-b-1 1 40", "plain 0 3"]
    assert (tmp_path / "log-start-offset-checkpoint").read_text().startswith("0\n3\n")

    again = manager(tmp_path)
    assert again.cluster_id == cluster_id
    assert sorted(again.topics()) == ["a-b-1", "plain"]
    restored = again.topics()["a-b-1"]
    assert restored.topic_id == info.topic_id and restored.configs == {
        "message.timestamp.type": "LogAppendTime"
    }
    partition = restored.partitions[1]
    assert partition.config.log_append_time
    assert (partition.log_end_offset, len(partition.segments)) == (40, segment_count)
    assert read_all(partition) == before
    assert partition.offset_for_timestamp(NOW_MS + 19) == (38, NOW_MS + 19)
    dup = append(again.topics()["plain"].partitions[0],
                 make_batch(3, producer_id=9, producer_epoch=1, base_sequence=0))
    assert dup.duplicate and (dup.base_offset, dup.last_offset) == (0, 2)
    again.shutdown()


def test_unclean_restart_recovers(tmp_path: Path) -> None:
    logs = manager(tmp_path)
    info = logs.create_topic("events", 1, configs={"retention.ms": "1000"})
    partition = info.partitions[0]
    for i in range(15):
        append(partition, make_batch(1, value_size=60, producer_id=5, producer_epoch=0,
                                     base_sequence=i))
    before = read_all(partition)
    active = partition.segments[-1].log_path
    crash(logs)
    with open(active, "ab") as f:
        f.write(b"\x00\x00\x00\x00\x00\x00\x00\x0f\x00\x00\x01")  # a torn write
    assert not (tmp_path / ".kafka_cleanshutdown").exists()
    again = manager(tmp_path)
    restored = again.get_partition("events", 0)
    assert restored is not None and restored.topic_id == info.topic_id
    assert again.topics()["events"].configs == {"retention.ms": "1000"}
    assert restored.log_end_offset == 15 and read_all(restored) == before
    assert restored.recovery_point == 15
    assert append(restored, make_batch(1, producer_id=5, producer_epoch=0,
                                       base_sequence=14)).duplicate
    again.shutdown()


def test_topic_administration(tmp_path: Path) -> None:
    logs = manager(tmp_path)
    for bad in ("", ".", "..", "a b", "x" * 250, "ünicode"):
        with pytest.raises(InvalidTopicError):
            logs.create_topic(bad, 1)
    logs.create_topic("dots.and_unders", 1)
    with pytest.raises(InvalidTopicError, match="collides"):
        logs.create_topic("dots_and.unders", 1)
    with pytest.raises(TopicAlreadyExistsError):
        logs.create_topic("dots.and_unders", 1)
    with pytest.raises(InvalidPartitionsError):
        logs.create_topic("zero", 0)
    with pytest.raises(InvalidConfigError):
        logs.create_topic("badconf", 1, configs={"segment.bytes": "lots"})
    with pytest.raises(InvalidConfigError):
        logs.create_topic("badconf", 1, configs={"no.such.config": "1"})
    assert "badconf" not in logs.topics() and not (tmp_path / "badconf-0").exists()

    chosen = uuid.UUID(int=12345)
    logs.create_topic("grow", 1, topic_id=chosen)
    logs.add_partitions("grow", 3)
    with pytest.raises(InvalidPartitionsError):
        logs.add_partitions("grow", 2)
    assert [p.partition for p in logs.topics()["grow"].partitions] == [0, 1, 2]
    logs.alter_topic_configs("grow", {"segment.bytes": "2048", "cleanup.policy": "compact"})
    assert all(p.config.segment_bytes == 2048 for p in logs.topics()["grow"].partitions)
    with pytest.raises(InvalidConfigError):
        logs.alter_topic_configs("grow", {"message.timestamp.type": "Tomorrow"})
    assert logs.topics()["grow"].configs == {"segment.bytes": "2048", "cleanup.policy": "compact"}

    append(logs.topics()["grow"].partitions[1], make_batch(2))
    logs.delete_topic("grow")
    with pytest.raises(UnknownTopicOrPartitionError):
        logs.delete_topic("grow")
    logs.shutdown()  # drains the flusher, which removes the renamed directories
    assert not any(name.startswith("grow-") for name in os.listdir(tmp_path))

    again = manager(tmp_path)
    assert sorted(again.topics()) == ["dots.and_unders"]
    recreated = again.create_topic("grow", 1)
    assert recreated.topic_id != chosen and recreated.partitions[0].log_end_offset == 0
    again.shutdown()
    third = manager(tmp_path)
    assert third.topics()["grow"].topic_id == recreated.topic_id
    third.shutdown()


def test_directories_without_a_topics_file_entry_are_adopted(tmp_path: Path) -> None:
    logs = manager(tmp_path)
    info = logs.create_topic("orphan-x", 2)
    append(info.partitions[1], make_batch(4))
    logs.shutdown()
    (tmp_path / "kafkalite-topics.json").unlink()
    again = manager(tmp_path)
    adopted = again.topics()["orphan-x"]
    assert adopted.topic_id == info.topic_id and len(adopted.partitions) == 2
    assert adopted.partitions[1].log_end_offset == 4
    again.shutdown()


def test_meta_properties_guard_the_identity(tmp_path: Path) -> None:
    logs = manager(tmp_path, cluster_id="MkU3OEVBNTcwNTJENDM2Qg")
    assert logs.cluster_id == "MkU3OEVBNTcwNTJENDM2Qg"
    logs.shutdown()
    with pytest.raises(KafkaStorageError, match="node"):
        manager(tmp_path, node_id=2)
    with pytest.raises(KafkaStorageError, match="cluster"):
        manager(tmp_path, cluster_id="AAAAAAAAAAAAAAAAAAAAAA")
    assert manager(tmp_path).cluster_id == "MkU3OEVBNTcwNTJENDM2Qg"
