"""Shared fixtures: an in-process broker on 127.0.0.1 with a free port and a temp data dir."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kafkalite.broker import Broker
from kafkalite.config import BrokerConfig


class BrokerThread:
    """A broker running its own event loop in a background thread."""

    def __init__(self, data_dir: Path, **properties: str) -> None:
        self.config = BrokerConfig(host="127.0.0.1", port=0, data_dir=data_dir).with_properties(
            properties
        )
        self.loop = asyncio.new_event_loop()
        self.broker = Broker(self.config)
        self.address: tuple[str, int] = ("127.0.0.1", 0)
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def start(self) -> BrokerThread:
        self._thread.start()
        self.address = asyncio.run_coroutine_threadsafe(self.broker.start(), self.loop).result(
            timeout=30
        )
        return self

    def call(self, fn, *args):  # type: ignore[no-untyped-def]
        """Run ``fn(*args)`` on the broker's loop and return its result."""

        async def run():  # type: ignore[no-untyped-def]
            return fn(*args)

        return asyncio.run_coroutine_threadsafe(run(), self.loop).result(timeout=30)

    def stop(self) -> None:
        try:
            asyncio.run_coroutine_threadsafe(self.broker.stop(), self.loop).result(timeout=60)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(timeout=30)
            self.loop.close()


@pytest.fixture
def broker_thread(tmp_path: Path) -> Iterator[BrokerThread]:
    # One __consumer_offsets partition, not Kafka's 50: a test broker creates it in no time.
    properties = {"num.partitions": "1", "offsets.topic.num.partitions": "1"}
    running = BrokerThread(tmp_path / "data", **properties).start()
    try:
        yield running
    finally:
        running.stop()
