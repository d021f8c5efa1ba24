"""The log lines operators look for: client connections opened and closed (DEBUG, with the
client id and the software ApiVersions v3+ names), slow requests (INFO, with a summary),
and progress while a data directory loads."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kafkalite import __version__
from kafkalite.client.client import KafkaClient
from kafkalite.protocol.connection import Request
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.fetch import FetchRequest
from kafkalite.protocol.messages.produce import (
    ProducePartitionData,
    ProduceRequest,
    ProduceTopicData,
)
from kafkalite.server.requests import request_summary, slow_threshold_ms
from kafkalite.storage import manager as storage_manager
from kafkalite.storage.checkpoint import CLEAN_SHUTDOWN_FILE
from kafkalite.storage.config import LogConfig
from kafkalite.storage.manager import LogManager
from tests.conftest import BrokerThread

WAIT_S = 20


class _Catch(logging.Handler):
    """Keeps records of one logger and wakes a waiter when one contains ``needle``."""

    def __init__(self, needle: str) -> None:
        super().__init__(logging.DEBUG)
        self.needle = needle
        self.records: list[logging.LogRecord] = []
        self.seen = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        if self.needle in record.getMessage():
            self.seen.set()

    def messages(self) -> list[str]:
        return [record.getMessage() for record in self.records]


@pytest.fixture
def catch() -> Iterator[callable]:  # type: ignore[valid-type]
    attached: list[tuple[logging.Logger, _Catch, int]] = []

    def attach(name: str, needle: str) -> _Catch:
        logger = logging.getLogger(name)
        handler = _Catch(needle)
        attached.append((logger, handler, logger.level))
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        return handler

    yield attach
    for logger, handler, level in attached:
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_connections_opened_and_closed_at_debug(catch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    handler = catch("kafkalite.server.connection", " closed on PLAINTEXT")
    broker = BrokerThread(tmp_path / "data").start()
    try:
        with KafkaClient(f"127.0.0.1:{broker.address[1]}", client_id="watcher", timeout=10) as c:
            c.metadata([])
            local = c.any_connection()._sock.getsockname()  # type: ignore[attr-defined]
        assert handler.seen.wait(WAIT_S), handler.messages()
    finally:
        broker.stop()
    peer = f"{local[0]}:{local[1]}"
    messages = handler.messages()
    assert f"connection from {peer} opened on PLAINTEXT (node 1)" in messages
    software = f"kafkalite/{__version__}"
    assert (
        f"connection from {peer} on PLAINTEXT (node 1) is client id 'watcher', software {software}"
        in messages
    )
    closed = [m for m in messages if m.startswith(f"connection from {peer} closed")]
    assert closed == [
        f"connection from {peer} closed on PLAINTEXT (node 1): client id 'watcher', "
        f"software {software}, 2 request(s)"
    ]


def test_slow_requests_logged_at_info_with_a_summary(catch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    handler = catch("kafkalite.request", "slow request: METADATA")
    broker = BrokerThread(tmp_path / "data", **{"kafkalite.slow.request.ms": "0"}).start()
    try:
        with KafkaClient(f"127.0.0.1:{broker.address[1]}", client_id="slowpoke", timeout=10) as c:
            c.metadata(["orders"], allow_auto_create=True)
        assert handler.seen.wait(WAIT_S), handler.messages()
        assert broker.broker.stats.slow_requests >= 2  # ApiVersions and Metadata at least
    finally:
        broker.stop()
    lines = [r for r in handler.records if "slow request: METADATA" in r.getMessage()]
    assert lines[0].levelno == logging.INFO
    text = lines[0].getMessage()
    assert "client=slowpoke" in text and "topics=orders" in text
    assert "(kafkalite.slow.request.ms=0)" in text


def _request(api_key: ApiKey, body: object) -> Request:
    return Request(api_key=api_key, api_version=9, header=None, body=body, size=0)  # type: ignore[arg-type]


def test_long_poll_waits_are_not_slowness() -> None:
    fetch = _request(ApiKey.FETCH, FetchRequest(max_wait_ms=500, min_bytes=1, topics=[]))
    assert slow_threshold_ms(1000, fetch) == 1500
    produce = ProduceRequest(
        acks=-1,
        timeout_ms=100,
        topic_data=[
            ProduceTopicData(
                name="orders",
                partition_data=[
                    ProducePartitionData(index=0, records=b"x" * 70),
                    ProducePartitionData(index=2, records=b"y" * 30),
                ],
            )
        ],
    )
    request = _request(ApiKey.PRODUCE, produce)
    assert slow_threshold_ms(1000, request) == 1000
    assert request_summary(request) == "acks=-1 bytes=100 partitions=orders[0,2]"


def test_loading_a_data_dir_logs_its_progress(
    catch, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    logs = LogManager(tmp_path, default_config=LogConfig(), flush_interval_ms=10**9)
    logs.start()
    logs.create_topic("orders", 3)
    logs.create_topic("payments", 2)
    logs.shutdown()
    (tmp_path / CLEAN_SHUTDOWN_FILE).unlink()  # as after a crash: every log is recovered
    monkeypatch.setattr(storage_manager, "PROGRESS_INTERVAL_S", 0.0)
    handler = catch("kafkalite.storage.manager", "recovering logs")
    logs = LogManager(tmp_path, default_config=LogConfig(), flush_interval_ms=10**9)
    logs.start()
    try:
        progress = [m for m in handler.messages() if m.startswith("recovering logs:")]
        assert [m.split(",")[0] for m in progress] == [
            f"recovering logs: {done} of 5 partitions done" for done in range(1, 5)
        ]
        assert all(" MB scanned" in m for m in progress)
        assert (logs.recovery.done, logs.recovery.total, logs.recovery.unclean) == (5, 5, True)
        assert not logs.recovery.recovering
    finally:
        logs.shutdown()
