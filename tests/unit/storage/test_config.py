"""Topic configs and the small metadata files of the data directory."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from kafkalite.storage import checkpoint as files
from kafkalite.storage.config import TOPIC_CONFIG_NAMES, LogConfig
from kafkalite.storage.errors import InvalidConfigError


def test_defaults_are_kafkas() -> None:
    props = LogConfig().to_properties()
    assert props["segment.bytes"] == "1073741824"
    assert props["segment.index.bytes"] == "10485760"
    assert props["index.interval.bytes"] == "4096"
    assert props["max.message.bytes"] == "1048588"
    assert props["flush.messages"] == str(2**63 - 1)
    assert props["message.timestamp.type"] == "CreateTime"
    assert props["retention.ms"] == "604800000" and props["retention.bytes"] == "-1"
    assert props["cleanup.policy"] == "delete" and props["preallocate"] == "false"
    assert set(props) == TOPIC_CONFIG_NAMES


def test_overrides_are_parsed_and_validated() -> None:
    config = LogConfig().with_overrides({
        "segment.bytes": "2048", "cleanup.policy": "compact,delete", "preallocate": "TRUE",
        "message.timestamp.type": "LogAppendTime", "remote.storage.enable": "false",
    })
    assert config.segment_bytes == 2048 and config.preallocate and config.log_append_time
    assert config.cleanup_policy == "compact,delete"
    for bad in ({"segment.bytes": "10"}, {"segment.bytes": str(2**31)},
                {"cleanup.policy": "shred"}, {"preallocate": "yes"},
                {"compression.type": "brotli"}, {"flush.messages": "0"},
                {"retention.ms": "soon"}, {"made.up": "1"}):
        with pytest.raises(InvalidConfigError):
            LogConfig().with_overrides(bad)


def test_offset_checkpoint_format(tmp_path: Path) -> None:
    path = tmp_path / "recovery-point-offset-checkpoint"
    files.write_offset_checkpoint(path, {("a-b", 0): 10, ("a.b_c", 12): 0})
    assert path.read_text() == "0\n2\na-b 0 10\na.b_c 12 0\n"
    assert files.read_offset_checkpoint(path) == {("a-b", 0): 10, ("a.b_c", 12): 0}
    assert not (tmp_path / "recovery-point-offset-checkpoint.tmp").exists()
    assert files.read_offset_checkpoint(tmp_path / "absent") == {}
    path.write_text("0\n3\na 0 1\n")
    with pytest.raises(ValueError):
        files.read_offset_checkpoint(path)


def test_kafka_uuid_strings() -> None:
    value = uuid.UUID("3e0bd7c5-0c6e-4f06-8a84-6bd8fba10c3f")
    text = files.kafka_uuid_string(value)
    assert text == "PgvXxQxuTwaKhGvY-6EMPw" and files.parse_kafka_uuid(text) == value
    for _ in range(50):
        fresh = files.random_kafka_uuid()
        assert len(files.kafka_uuid_string(fresh)) == 22
        assert not files.kafka_uuid_string(fresh).startswith("-")


def test_partition_metadata_round_trip(tmp_path: Path) -> None:
    value = uuid.uuid4()
    files.write_partition_metadata(tmp_path, value)
    assert files.read_partition_metadata(tmp_path) == value
    (tmp_path / "partition.metadata").write_text("version: 1\ntopic_id: x\n")
    assert files.read_partition_metadata(tmp_path) is None
