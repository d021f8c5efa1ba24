"""Creating many partitions costs one file-system sync and two rewrites of the topics file,
not fsyncs per partition; a batch creates its valid topics and reports the others' errors;
a failure midway undoes the whole batch."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kafkalite.storage import checkpoint, loader
from kafkalite.storage import manager as manager_module
from kafkalite.storage.config import LogConfig
from kafkalite.storage.errors import (
    InvalidPartitionsError,
    InvalidTopicError,
    KafkaStorageError,
    TopicAlreadyExistsError,
)
from kafkalite.storage.manager import LogManager, NewTopic, TopicInfo
from kafkalite.storage.steps import run_now


@pytest.fixture
def logs(tmp_path: Path):
    opened = LogManager(tmp_path, default_config=LogConfig(), flush_interval_ms=10**9)
    opened.start()
    try:
        yield opened
    finally:
        opened.shutdown()


def test_many_partitions_are_synced_once(logs: LogManager, monkeypatch: pytest.MonkeyPatch) -> None:
    fsyncs: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (fsyncs.append(fd), real_fsync(fd))[1])
    info = logs.create_topic("wide", 150)
    assert len(info.partitions) == 150
    assert len(fsyncs) <= 10
    assert checkpoint.read_topics_file(logs.data_dir)["wide"].partitions == 150
    for number in (0, 149):
        directory = logs.data_dir / f"wide-{number}"
        assert checkpoint.read_partition_metadata(directory) == info.topic_id
    logs.add_partitions("wide", 200)
    assert len(logs.get_topic("wide").partitions) == 200
    assert len(fsyncs) <= 20


def test_a_batch_creates_the_valid_topics_and_reports_the_others(logs: LogManager) -> None:
    logs.create_topic("x_y", 1)
    results = run_now(
        logs.create_topics_in_steps(
            [
                NewTopic("one", 2),
                NewTopic("x.y", 1),  # collides with x_y
                NewTopic("one", 1),  # named twice: the first wins
                NewTopic("p.q", 1),
                NewTopic("p_q", 1),  # collides with p.q of the same batch
                NewTopic("zero", 0),
                NewTopic("x_y", 1),
            ]
        )
    )
    kinds = [type(r) for r in results]
    assert kinds == [
        TopicInfo,
        InvalidTopicError,
        TopicAlreadyExistsError,
        TopicInfo,
        InvalidTopicError,
        InvalidPartitionsError,
        TopicAlreadyExistsError,
    ]
    assert set(logs.topics()) == {"x_y", "one", "p.q"}
    assert len(logs.get_topic("one").partitions) == 2


def test_a_failure_midway_undoes_the_batch(
    logs: LogManager, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[int] = []
    real_create = loader.create_partition_log

    def failing(directory: Path, **kwargs: object):  # type: ignore[no-untyped-def]
        if len(made) == 70:
            raise OSError(24, "Too many open files")
        made.append(1)
        return real_create(directory, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(manager_module, "create_partition_log", failing)
    before = len(os.listdir("/proc/self/fd"))
    results = run_now(
        logs.create_topics_in_steps([NewTopic("first", 50), NewTopic("second", 50)])
    )
    assert all(isinstance(r, KafkaStorageError) for r in results)
    assert logs.topics() == {}
    assert not [p for p in logs.data_dir.iterdir() if p.is_dir()]
    assert checkpoint.read_topics_file(logs.data_dir) == {}
    assert len(os.listdir("/proc/self/fd")) == before
    monkeypatch.setattr(manager_module, "create_partition_log", real_create)
    assert len(logs.create_topic("first", 50).partitions) == 50
