"""``KAFKALITE_EVENT_LOOP`` picks the loop a broker runs on: asyncio's by default, uvloop's on
request when it is installed, asyncio's (with a warning) when it is not or the name is
unknown; and a broker on that loop answers a real request."""

from __future__ import annotations

import asyncio
import logging
import sys

import pytest

from kafkalite import event_loop
from kafkalite.event_loop import ENV, new_event_loop


def loop_class(monkeypatch: pytest.MonkeyPatch, value: str | None) -> type:
    if value is None:
        monkeypatch.delenv(ENV, raising=False)
    else:
        monkeypatch.setenv(ENV, value)
    loop = new_event_loop()
    try:
        return type(loop)
    finally:
        loop.close()


def test_asyncio_by_default_and_for_unknown_names(monkeypatch, caplog) -> None:
    default = type(asyncio.new_event_loop())
    assert loop_class(monkeypatch, None) is default
    assert loop_class(monkeypatch, "asyncio") is default
    with caplog.at_level(logging.WARNING, logger="kafkalite.event_loop"):
        assert loop_class(monkeypatch, "trio") is default
    assert "'trio' is not asyncio or uvloop" in caplog.text


def test_uvloop_asked_for_but_missing_falls_back_with_a_warning(monkeypatch, caplog) -> None:
    monkeypatch.setitem(sys.modules, "uvloop", None)  # import uvloop raises ImportError
    with caplog.at_level(logging.WARNING, logger="kafkalite.event_loop"):
        assert loop_class(monkeypatch, "uvloop") is type(asyncio.new_event_loop())
    assert "uvloop is not installed" in caplog.text


def test_run_uses_the_chosen_loop(monkeypatch) -> None:
    monkeypatch.delenv(ENV, raising=False)
    made: list[asyncio.AbstractEventLoop] = []

    def factory() -> asyncio.AbstractEventLoop:
        made.append(asyncio.new_event_loop())
        return made[-1]

    monkeypatch.setattr(event_loop, "new_event_loop", factory)

    async def which() -> asyncio.AbstractEventLoop:
        return asyncio.get_running_loop()

    assert event_loop.run(which()) is made[0]


def test_a_broker_on_uvloop_answers_produce_and_fetch(monkeypatch, tmp_path) -> None:
    uvloop = pytest.importorskip("uvloop")
    monkeypatch.setenv(ENV, "uvloop")
    from kafkalite.client import KafkaClient, TopicPartition
    from kafkalite.client.admin import NewTopic, create_topics
    from kafkalite.client.records import ProducerRecord, decode_records, encode_batch
    from kafkalite.testing import KafkaliteServer

    values = [b"v" * 10, b"w" * 100_000]  # one answer sent inline, one past INLINE_BYTES
    with KafkaliteServer(data_dir=tmp_path) as server:
        assert isinstance(server._runner.loop, uvloop.Loop)
        with KafkaClient(server.bootstrap_servers) as client:
            create_topics(client, [NewTopic("t", 1, 1)])
            got = []
            for offset, value in enumerate(values):
                batch = encode_batch([ProducerRecord(key=None, value=value)])
                assert client.produce("t", {0: batch})[0].base_offset == offset
                answer = client.fetch({TopicPartition("t", 0): offset})[TopicPartition("t", 0)]
                got += [r.value for r in decode_records(answer.records).records]
    assert got == values
