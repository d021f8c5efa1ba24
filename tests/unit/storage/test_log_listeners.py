"""PartitionLog change events: one call per move of the high watermark or the LSO."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from storage_helpers import append, make_batch, new_log


def test_each_append_fires_once_and_a_duplicate_not_at_all(tmp_path: Path) -> None:
    log = new_log(tmp_path)
    calls: list[int] = []
    log.add_listener(lambda: calls.append(log.high_watermark))
    append(log, make_batch(3))
    append(log, make_batch(2))
    assert calls == [3, 5]
    batch = make_batch(1, producer_id=7, producer_epoch=0, base_sequence=0)
    append(log, bytearray(batch))
    append(log, bytearray(batch))  # a retry: nothing written, nothing moves
    assert calls == [3, 5, 6]


def test_listeners_can_be_removed_even_while_called(tmp_path: Path) -> None:
    log = new_log(tmp_path)
    calls: list[str] = []

    def once() -> None:
        calls.append("once")
        log.remove_listener(once)

    def always() -> None:
        calls.append("always")

    log.add_listener(once)
    log.add_listener(always)
    append(log, make_batch(1))
    append(log, make_batch(1))
    log.remove_listener(always)
    log.remove_listener(always)  # not registered any more: ignored
    append(log, make_batch(1))
    assert calls == ["once", "always", "always"]


def test_a_failing_listener_is_logged_and_breaks_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    log = new_log(tmp_path)
    calls: list[int] = []

    def broken() -> None:
        raise RuntimeError("listener bug")

    log.add_listener(broken)
    log.add_listener(lambda: calls.append(log.log_end_offset))
    with caplog.at_level(logging.ERROR, logger="kafkalite.storage.offset_listeners"):
        result = append(log, make_batch(2))
    assert (result.base_offset, result.last_offset) == (0, 1)
    assert calls == [2]
    assert "listener bug" in caplog.text


def test_moving_the_log_start_alone_fires_nothing(tmp_path: Path) -> None:
    log = new_log(tmp_path)
    append(log, make_batch(4))
    calls: list[None] = []
    log.add_listener(lambda: calls.append(None))
    log.delete_records(2)  # neither the high watermark nor the LSO moves
    assert calls == []
