"""A partition directory the topics file does not list is set aside at start (renamed
``*-stray``, as Kafka's stray logs), never loaded as a live partition."""

from __future__ import annotations

from pathlib import Path

from kafkalite.storage import checkpoint
from kafkalite.storage.config import LogConfig
from kafkalite.storage.manager import LogManager


def manager(data_dir: Path) -> LogManager:
    logs = LogManager(data_dir, default_config=LogConfig(), flush_interval_ms=10**9)
    logs.start()
    return logs


def test_directories_outside_the_topics_file_are_set_aside(tmp_path: Path) -> None:
    logs = manager(tmp_path)
    kept = logs.create_topic("kept", 2)
    logs.shutdown()
    # A half-made topic and a partition past the recorded count, as a creation that died
    # before it was recorded (or a copy by hand) would leave them.
    for name in ("ghost-0", "ghost-1", "kept-5"):
        directory = tmp_path / name
        directory.mkdir()
        checkpoint.write_partition_metadata(directory, kept.topic_id)
        (directory / "00000000000000000000.log").write_bytes(b"")

    logs = manager(tmp_path)
    try:
        assert set(logs.topics()) == {"kept"}
        assert len(logs.get_topic("kept").partitions) == 2
        assert logs.get_partition("kept", 5) is None
        assert set(checkpoint.read_topics_file(tmp_path)) == {"kept"}
        names = sorted(p.name for p in tmp_path.iterdir() if p.is_dir())
        assert [n for n in names if not n.endswith("-stray")] == ["kept-0", "kept-1"]
        stray = sorted(n.split(".")[0] for n in names if n.endswith("-stray"))
        assert stray == ["ghost-0", "ghost-1", "kept-5"]
        # The set-aside data is kept as it was.
        aside = next(p for p in tmp_path.iterdir() if p.name.startswith("ghost-0."))
        assert (aside / "00000000000000000000.log").exists()
        # A topic created later under the stray name starts empty.
        ghost = logs.create_topic("ghost", 1)
        assert ghost.partitions[0].log_end_offset == 0
    finally:
        logs.shutdown()
    reopened = manager(tmp_path)
    try:
        assert set(reopened.topics()) == {"kept", "ghost"}
    finally:
        reopened.shutdown()


def test_without_a_topics_file_every_directory_is_loaded(tmp_path: Path) -> None:
    logs = manager(tmp_path)
    logs.create_topic("old", 1)
    logs.shutdown()
    (tmp_path / checkpoint.TOPICS_FILE).unlink()
    reopened = manager(tmp_path)
    try:
        assert set(reopened.topics()) == {"old"}
    finally:
        reopened.shutdown()
