"""kafka-python 3.x, aiokafka 0.14 and confluent-kafka (librdkafka) against the broker, each
with the client's default configuration: every codec, ListOffsets, the idempotent producer
and a restart. Each test runs once per client; the client's calls and quirks are in its
driver in clients.py.
"""

from __future__ import annotations

import compat_clients as clients
import compat_helpers as h
import pytest

pytestmark = pytest.mark.compat


@pytest.fixture(params=list(clients.CLIENTS))
def client(request: pytest.FixtureRequest) -> clients.ClientDriver:
    return clients.CLIENTS[request.param]


@pytest.mark.timeout(180)
@pytest.mark.parametrize("codec", h.CODECS)
def test_produce_consume_every_codec(broker, client: clients.ClientDriver, codec: str) -> None:
    topic = client.create_topic(broker)
    records = h.make_records(h.RECORDS_PER_CODEC)
    h.check_delivered(records, client.produce(broker.bootstrap, topic, records, **client.compression(codec)))
    got = client.consume(broker.bootstrap, topic, h.counts_per_partition(records))
    h.check_consumed(records, got)


@pytest.mark.timeout(120)
def test_list_offsets(broker, client: clients.ClientDriver) -> None:
    topic = client.create_topic(broker)
    records = h.make_records(300)
    compressed = client.compression(client.list_offsets_codec)
    h.check_delivered(records, client.produce(broker.bootstrap, topic, records, **compressed))
    counts = h.counts_per_partition(records)
    problems = []
    marks = client.offsets(broker.bootstrap, topic)
    if marks != {p: (0, n) for p, n in counts.items()}:
        problems.append(f"(earliest, latest) offsets {marks}, expected (0, {counts}[p])")
    queries = h.timestamp_queries(records)
    answers = client.offsets_for_times(broker.bootstrap, topic, [(p, ts) for p, ts, _o, _t in queries])
    for (p, ts, want_offset, want_ts), got in zip(queries, answers, strict=True):
        if want_offset is None or not client.time_answers_have_timestamp:
            want_ts = None
        want = clients.TimeAnswer(want_offset, want_ts)
        if got != want:
            problems.append(f"offsets_for_times partition {p} ts {ts}: {got}, expected {want}")
    assert not problems, "ListOffsets answers differ:\n" + "\n".join(problems)


@pytest.mark.timeout(120)
def test_idempotent_producer_no_duplicates(broker, client: clients.ClientDriver) -> None:
    topic = client.create_topic(broker)
    records = h.make_records(3000)
    delivered = client.produce(broker.bootstrap, topic, records, **client.idempotent_config)
    h.check_delivered(records, delivered)
    counts = h.counts_per_partition(records)
    h.check_consumed(records, client.consume(broker.bootstrap, topic, counts))
    # Nothing beyond the N records: the log end is exactly N per partition.
    assert client.offsets(broker.bootstrap, topic) == {p: (0, n) for p, n in counts.items()}


@pytest.mark.timeout(180)
def test_restart_keeps_records(restartable_broker, client: clients.ClientDriver) -> None:
    b = restartable_broker
    topic = client.create_topic(b)
    records = h.make_records(3000)
    delivered = client.produce(b.bootstrap, topic, records[:1500])
    # a second, compressed producer: the restart must keep both kinds of batch intact
    delivered += client.produce(b.bootstrap, topic, records[1500:], **client.compression(client.restart_codec))
    h.check_delivered(records, delivered)
    counts = h.counts_per_partition(records)
    before = client.consume(b.bootstrap, topic, counts)
    h.check_consumed(records, before)

    b.restart()

    after = client.consume(b.bootstrap, topic, counts)
    h.check_consumed(records, after)
    key = lambda g: (g.partition, g.offset)  # noqa: E731
    assert sorted(after, key=key) == sorted(before, key=key)
    assert client.offsets(b.bootstrap, topic) == {p: (0, n) for p, n in counts.items()}
    # the log continues at the old end offsets
    more = h.make_records(3030)
    delivered += client.produce(b.bootstrap, topic, more[3000:])
    h.check_delivered(more, delivered)
    h.check_consumed(more, client.consume(b.bootstrap, topic, h.counts_per_partition(more)))
