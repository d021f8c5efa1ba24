"""Topic and partition creation is all or nothing: a failure midway (too many open files)
removes what it made and closes its descriptors (and a new partition holds none); a crash midway is undone at the next start,
which never turns half a topic into a live one."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from kafkalite.storage.config import LogConfig
from kafkalite.storage.manager import LogManager

_PRELUDE = """
import json, os, resource, sys
from pathlib import Path
from kafkalite.storage.config import LogConfig
from kafkalite.storage.manager import LogManager

data_dir = Path(sys.argv[1])
logs = LogManager(data_dir, default_config=LogConfig(), flush_interval_ms=10**9)
logs.start()

def open_fds():
    return len(os.listdir("/proc/self/fd"))
"""


def run(script: str, data_dir: Path) -> dict[str, object]:
    code = _PRELUDE + textwrap.dedent(script)
    done = subprocess.run(
        [sys.executable, "-c", code, str(data_dir)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines else {}


def manager(data_dir: Path) -> LogManager:
    logs = LogManager(data_dir, default_config=LogConfig(), flush_interval_ms=10**9)
    logs.start()
    return logs


def partition_dirs(data_dir: Path, topic: str) -> list[str]:
    return sorted(
        p.name for p in data_dir.iterdir() if p.is_dir() and p.name.rpartition("-")[0] == topic
    )


def topics_file(data_dir: Path) -> dict[str, object]:
    document = json.loads((data_dir / "kafkalite-topics.json").read_text())
    return document["topics"]  # type: ignore[no-any-return]


def test_partitions_hold_no_descriptors_under_a_low_limit(tmp_path: Path) -> None:
    result = run(
        """
        before = open_fds()
        resource.setrlimit(resource.RLIMIT_NOFILE, (before + 20, before + 20))
        logs.create_topic("big", 60)
        logs.add_partitions("big", 80)
        after = open_fds()
        count = len(logs.get_topic("big").partitions)
        logs.shutdown()
        print(json.dumps({"before": before, "after": after, "count": count}))
        """,
        tmp_path,
    )
    assert result["count"] == 80
    assert result["after"] == result["before"]  # a new partition keeps no file open
    assert topics_file(tmp_path)["big"]["partitions"] == 80  # type: ignore[index]


_FAIL_AT_PARTITION_30 = """
import errno
original = LogManager._create_log

def failing(self, name, number, *args):
    if number == 30:
        raise OSError(errno.EMFILE, "Too many open files")
    return original(self, name, number, *args)

LogManager._create_log = failing
"""


def test_a_failure_midway_leaves_no_half_topic(tmp_path: Path) -> None:
    result = run(
        _FAIL_AT_PARTITION_30 + textwrap.dedent("""
        logs.create_topic("small", 1)
        before = open_fds()
        errors = []
        try:
            logs.create_topic("big", 50)
        except OSError as exc:
            errors.append(exc.errno)
        try:
            logs.add_partitions("small", 50)
        except OSError as exc:
            errors.append(exc.errno)
        after = open_fds()
        small = len(logs.get_topic("small").partitions)
        logs.shutdown()
        print(json.dumps({"errors": errors, "before": before, "after": after,
                          "big": logs.get_topic("big") is not None, "small": small}))
        """),
        tmp_path,
    )
    assert result["errors"] == [24, 24]  # EMFILE, each time
    assert result["after"] == result["before"]
    assert (result["big"], result["small"]) == (False, 1)
    assert partition_dirs(tmp_path, "big") == []
    assert partition_dirs(tmp_path, "small") == ["small-0"]
    assert topics_file(tmp_path)["small"]["partitions"] == 1  # type: ignore[index]
    assert "big" not in topics_file(tmp_path)
    logs = manager(tmp_path)  # and the next start is an ordinary one
    try:
        assert sorted(logs.topics()) == ["small"]
        assert len(logs.get_topic("small").partitions) == 1  # type: ignore[union-attr]
    finally:
        logs.shutdown()


_DIE_AT_PARTITION_5 = """
original = LogManager._create_log

def dying(self, name, number, *args):
    if number == 5:
        os._exit(0)  # the broker dies midway, without cleaning up
    return original(self, name, number, *args)

LogManager._create_log = dying
"""


def test_a_crash_midway_through_creation_is_undone_at_start(tmp_path: Path) -> None:
    run(_DIE_AT_PARTITION_5 + "logs.create_topic('half', 10)\n", tmp_path)
    assert partition_dirs(tmp_path, "half") == [f"half-{n}" for n in range(5)]
    logs = manager(tmp_path)
    try:
        assert logs.get_topic("half") is None
        assert partition_dirs(tmp_path, "half") == []
        assert "half" not in topics_file(tmp_path)
        # the name is free again
        assert len(logs.create_topic("half", 2).partitions) == 2
    finally:
        logs.shutdown()


def test_a_crash_midway_through_create_partitions_is_undone_at_start(tmp_path: Path) -> None:
    run("logs.create_topic('grown', 2)\nlogs.shutdown()\n", tmp_path)
    run(_DIE_AT_PARTITION_5 + "logs.add_partitions('grown', 10)\n", tmp_path)
    assert len(partition_dirs(tmp_path, "grown")) == 5
    logs = manager(tmp_path)
    try:
        assert len(logs.get_topic("grown").partitions) == 2  # type: ignore[union-attr]
        assert partition_dirs(tmp_path, "grown") == ["grown-0", "grown-1"]
        assert topics_file(tmp_path)["grown"] == {  # type: ignore[comparison-overlap]
            **topics_file(tmp_path)["grown"],  # type: ignore[dict-item]
            "partitions": 2,
        }
        assert "creating" not in topics_file(tmp_path)["grown"]  # type: ignore[operator]
    finally:
        logs.shutdown()
