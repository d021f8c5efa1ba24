"""What a start writes: a restart on unchanged state rewrites no file, and unchanged
checkpoints are not rewritten (each rewrite is an fsync of the file and its directory)."""

from __future__ import annotations

from pathlib import Path

from storage_helpers import append, make_batch

from kafkalite.storage import checkpoint as files
from kafkalite.storage.config import LogConfig
from kafkalite.storage.manager import LogManager

STATE_FILES = (
    files.TOPICS_FILE,
    files.RECOVERY_POINT_CHECKPOINT,
    files.LOG_START_OFFSET_CHECKPOINT,
)


def started(data_dir: Path) -> LogManager:
    logs = LogManager(data_dir, default_config=LogConfig(), flush_interval_ms=10**9)
    logs.start()
    return logs


def inodes(data_dir: Path) -> dict[str, int]:
    """An atomic rewrite renames a new file into place: a new inode."""
    return {name: (data_dir / name).stat().st_ino for name in STATE_FILES}


def test_a_fresh_start_leaves_empty_checkpoints_that_read_back_empty(tmp_path: Path) -> None:
    logs = started(tmp_path)
    for name in (files.RECOVERY_POINT_CHECKPOINT, files.LOG_START_OFFSET_CHECKPOINT):
        assert (tmp_path / name).read_text() == "0\n0\n"
        assert files.read_offset_checkpoint(tmp_path / name) == {}
    logs.shutdown()


def test_a_clean_restart_on_the_same_state_rewrites_nothing(tmp_path: Path) -> None:
    logs = started(tmp_path)
    partition = logs.create_topic("events", 2).partitions[1]
    append(partition, make_batch(5))
    logs.shutdown()
    before = inodes(tmp_path)
    recovery = (tmp_path / files.RECOVERY_POINT_CHECKPOINT).read_text()
    assert "events 1 5\n" in recovery

    again = started(tmp_path)
    assert inodes(tmp_path) == before
    assert not (tmp_path / files.CLEAN_SHUTDOWN_FILE).exists()  # removed: a crash now recovers
    assert again.get_partition("events", 1).log_end_offset == 5  # type: ignore[union-attr]
    again.write_checkpoints()  # nothing moved since: no rewrite either
    assert inodes(tmp_path) == before
    append(again.get_partition("events", 1), make_batch(2))  # type: ignore[arg-type]
    again.shutdown()
    assert (
        inodes(tmp_path)[files.RECOVERY_POINT_CHECKPOINT] != before[files.RECOVERY_POINT_CHECKPOINT]
    )
    assert "events 1 7\n" in (tmp_path / files.RECOVERY_POINT_CHECKPOINT).read_text()


def test_atomic_write_unless_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "state"
    assert files.atomic_write(path, b"one", unless_unchanged=True)
    inode = path.stat().st_ino
    assert not files.atomic_write(path, b"one", unless_unchanged=True)
    assert path.stat().st_ino == inode
    assert files.atomic_write(path, b"one!", unless_unchanged=True)  # a longer file differs
    assert path.read_bytes() == b"one!"
    assert files.atomic_write(path, b"one")  # without the flag it always rewrites
    assert path.read_bytes() == b"one" and not (tmp_path / "state.tmp").exists()
