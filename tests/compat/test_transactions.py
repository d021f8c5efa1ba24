"""Transactions as Apache Kafka runs them, through kafka-python 3.0.12, aiokafka 0.14,
confluent-kafka (librdkafka) and KafkaJS 2.2.4. Each scenario is written once and runs once
per client; the clients' calls are in txn_helpers.py (KafkaJS through js/txn_agent.js).

Every scenario keeps a model of the partition logs as Kafka writes them (``Log``): a
transaction's records where its producer sent them, then one control record (the COMMIT or
ABORT marker) in every partition the transaction wrote to, when it ends. A transaction that
wrote nothing leaves no marker. From that model follow, exactly: what a read_uncommitted
consumer sees (every data record, aborted ones included, at their offsets), what a
read_committed consumer sees (committed records only, the same offsets, so the offsets
have gaps where the markers and aborted records are), and the high watermark (data records
plus markers). Control records never come out of a consumer as messages. Each scenario ends
with a committed transaction in every partition it used, so reading up to those records
reads the whole log.

The transaction-timeout scenario needs the broker to look for expired transactions often:
conftest.py starts kafkalite with
``transaction.abort.timed.out.transaction.cleanup.interval.ms=500`` (Kafka's default is
10 s).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import compat_helpers as h
import compat_txn_helpers as t
import pytest

pytestmark = pytest.mark.compat

PARTS = (0, 1, 2)
#: transaction.timeout.ms of the producer the broker has to abort
SHORT_TXN_TIMEOUT_MS = 2000
#: how long the broker may take beyond that timeout (Kafka: at most one cleanup interval)
ABORT_DEADLINE_S = 12.0

#: the errors Kafka gives a producer whose epoch is stale: PRODUCER_FENCED (90) from the
#: coordinator, INVALID_PRODUCER_EPOCH (47) from a partition leader; librdkafka reports
#: both as its fatal _FENCED error, the Java-style clients as ProducerFenced(Error) or
#: InvalidProducerEpoch(Error)
FENCED = {
    "PRODUCER_FENCED", "INVALID_PRODUCER_EPOCH", "_FENCED",
    "ProducerFencedError", "InvalidProducerEpochError", "ProducerFenced", "InvalidProducerEpoch",
}


# --------------------------------------------------------------------------- the model


@dataclass
class Entry:
    key: bytes | None = None
    value: bytes | None = None
    txn: int | None = None  # None: a plain record or a marker
    marker: bool = False


@dataclass
class Log:
    """The partitions as Kafka lays them out; ``outcome[txn]`` is True (committed), False
    (aborted) or missing (still open)."""

    parts: dict[int, list[Entry]] = field(default_factory=lambda: {p: [] for p in PARTS})
    outcome: dict[int, bool] = field(default_factory=dict)
    open_parts: dict[int, set[int]] = field(default_factory=dict)
    next_txn: int = 0

    def begin(self) -> int:
        self.next_txn += 1
        self.open_parts[self.next_txn] = set()
        return self.next_txn

    def data(self, txn: int, partition: int, key: bytes, value: bytes) -> None:
        self.parts[partition].append(Entry(key, value, txn))
        self.open_parts[txn].add(partition)

    def plain(self, partition: int, key: bytes, value: bytes) -> None:
        self.parts[partition].append(Entry(key, value, None))

    def end(self, txn: int, committed: bool) -> None:
        self.outcome[txn] = committed
        for p in sorted(self.open_parts.pop(txn)):
            self.parts[p].append(Entry(marker=True))

    def records(self, committed: bool) -> list[t.Rec]:
        out = []
        for p, entries in self.parts.items():
            for offset, e in enumerate(entries):
                if e.marker:
                    continue
                if committed and e.txn is not None and self.outcome.get(e.txn) is not True:
                    continue
                out.append(t.Rec(p, offset, e.key, e.value))
        return out

    def high_watermarks(self) -> dict[int, int]:
        return {p: len(entries) for p, entries in self.parts.items()}

    def last_stable(self) -> dict[int, int]:
        """The first offset of the earliest open transaction, else the high watermark."""
        out = {}
        for p, entries in self.parts.items():
            out[p] = next(
                (o for o, e in enumerate(entries) if e.txn is not None and e.txn not in self.outcome),
                len(entries),
            )
        return out


class Txn:
    """One producer and the model kept in step with it."""

    def __init__(self, producer: t.TxnProducer, log: Log, topic: str, tag: str):
        self.p = producer
        self.log = log
        self.topic = topic
        self.tag = tag
        self.n = 0
        self.current: int | None = None

    def begin(self) -> None:
        self.p.begin()
        self.current = self.log.begin()

    def send(self, partition: int, count: int = 1) -> None:
        assert self.current is not None
        for _ in range(count):
            self.n += 1
            key, value = f"{self.tag}-k{self.n}".encode(), f"{self.tag}-v{self.n}".encode()
            self.p.send(self.topic, partition, key, value)
            self.log.data(self.current, partition, key, value)

    def commit(self) -> None:
        self.p.commit()
        self._ended(True)

    def abort(self) -> None:
        # clients drop records still queued when a transaction aborts (librdkafka purges
        # them): flush first, so that the log holds exactly what the model says
        self.p.flush()
        self.p.abort()
        self._ended(False)

    def _ended(self, committed: bool) -> None:
        assert self.current is not None
        self.log.end(self.current, committed)
        self.current = None


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(params=list(t.DRIVERS))
def driver(request: pytest.FixtureRequest) -> Iterator[t.TxnDriver]:
    if request.param == "kafkajs" and (reason := t.kafkajs_missing()) is not None:
        pytest.skip(reason)
    d = t.make_driver(request.param)
    try:
        yield d
    finally:
        d.close()


@pytest.fixture
def producers(driver: t.TxnDriver) -> Iterator[list[t.TxnProducer]]:
    """Producers the test opened; closed at the end whatever happened."""
    made: list[t.TxnProducer] = []
    yield made
    for p in made:
        p.close()


def make_topic(broker: Any, prefix: str) -> str:
    """A topic with at least partitions 0-2 (CreateTopics if the broker has it, else
    auto-creation by a Metadata request), through confluent-kafka whatever the client."""
    import confluent_kafka as ck
    from confluent_kafka.admin import AdminClient, NewTopic

    topic = h.unique_topic(prefix)
    conf = {"bootstrap.servers": broker.bootstrap}
    if broker.supports(h.API_CREATE_TOPICS):
        admin = AdminClient(conf)
        admin.create_topics([NewTopic(topic, num_partitions=len(PARTS), replication_factor=1)],
                            operation_timeout=10, request_timeout=10)[topic].result(timeout=30)
    producer = ck.Producer(conf)
    found: set[int] = set()
    for _ in h.deadline_loop(20):
        meta = producer.list_topics(topic, timeout=10).topics.get(topic)
        if meta is not None and meta.error is None:
            found = set(meta.partitions)
            if found >= set(PARTS):
                break
        time.sleep(0.1)
    assert found >= set(PARTS), f"topic {topic} has partitions {found}"
    return topic


def new_txn(driver: t.TxnDriver, producers: list[t.TxnProducer], broker: Any, log: Log, topic: str,
            tag: str, txn_id: str | None = None, timeout_ms: int | None = None) -> Txn:
    p = driver.producer(broker, txn_id or f"compat-txn-{uuid.uuid4().hex[:12]}", timeout_ms)
    producers.append(p)
    return Txn(p, log, topic, tag)


def finish(txn: Txn, partitions: Sequence[int] = PARTS) -> None:
    """A committed transaction with one record in each partition: reading up to it reads all."""
    txn.begin()
    for p in partitions:
        txn.send(p)
    txn.commit()


def check_views(driver: t.TxnDriver, broker: Any, topic: str, log: Log, what: str = "") -> None:
    """Both consumers see exactly the model's records; the end offsets are the model's."""
    problems = []
    for committed in (False, True):
        want = log.records(committed)
        counts = {p: sum(1 for r in want if r.partition == p) for p in PARTS}
        got = t.sort_recs(driver.read(broker, topic, counts, committed))
        if got != want:
            problems.append(
                f"{'read_committed' if committed else 'read_uncommitted'} consumer saw\n  {got}\nexpected\n  {want}"
            )
    hw = driver.end_offsets(broker, topic, PARTS, committed=False)
    if hw is not None and hw != log.high_watermarks():
        problems.append(f"high watermarks {hw}, expected {log.high_watermarks()} (records + markers)")
    lso = driver.end_offsets(broker, topic, PARTS, committed=True)
    if lso != log.last_stable():
        problems.append(f"read_committed end offsets {lso}, expected {log.last_stable()}")
    assert not problems, f"{driver.name} {what}:\n" + "\n".join(problems)


def expect_error(names: set[str], fn: Any, *args: Any) -> str:
    try:
        fn(*args)
    except t.ClientError as exc:
        assert exc.name in names, f"expected one of {sorted(names)}, got {exc.name}: {exc.detail[:500]}"
        return exc.name
    pytest.fail(f"{getattr(fn, '__name__', fn)} succeeded, expected one of {sorted(names)}")


# --------------------------------------------------------------------------- scenarios


@pytest.mark.timeout(60)
def test_commit(broker, driver: t.TxnDriver, producers) -> None:
    """One transaction over three partitions, committed: both consumers see it; each
    partition gets one COMMIT marker after the records (high watermark = records + 1)."""
    topic, log = make_topic(broker, "txn-commit"), Log()
    txn = new_txn(driver, producers, broker, log, topic, "a")
    txn.begin()
    txn.send(0, 3)
    txn.send(1, 2)
    txn.send(2, 1)
    txn.commit()
    assert log.high_watermarks() == {0: 4, 1: 3, 2: 2}
    check_views(driver, broker, topic, log)


@pytest.mark.timeout(60)
def test_abort(broker, driver: t.TxnDriver, producers) -> None:
    """An aborted transaction: read_uncommitted sees its records, read_committed skips
    them; the next transaction's records sit after the ABORT markers."""
    topic, log = make_topic(broker, "txn-abort"), Log()
    txn = new_txn(driver, producers, broker, log, topic, "a")
    txn.begin()
    txn.send(0, 3)
    txn.send(1, 1)
    txn.abort()
    finish(txn)
    assert [r.offset for r in log.records(True) if r.partition == 0] == [4]
    check_views(driver, broker, topic, log)


@pytest.mark.timeout(60)
def test_transactions_in_a_row(broker, driver: t.TxnDriver, producers) -> None:
    """Commit, commit, abort, commit on one producer: one marker per transaction per
    partition it wrote to."""
    topic, log = make_topic(broker, "txn-row"), Log()
    txn = new_txn(driver, producers, broker, log, topic, "a")
    for outcome, parts in ((True, (0,)), (True, (0, 1)), (False, (1, 2)), (True, (0, 2))):
        txn.begin()
        for p in parts:
            txn.send(p, 2)
        txn.commit() if outcome else txn.abort()
    finish(txn)
    check_views(driver, broker, topic, log)


@pytest.mark.timeout(60)
def test_empty_transaction(broker, driver: t.TxnDriver, producers) -> None:
    """Transactions with no records, committed and aborted, write nothing: the first
    records afterwards are at offset 0, and the producer goes on normally."""
    topic, log = make_topic(broker, "txn-empty"), Log()
    txn = new_txn(driver, producers, broker, log, topic, "a")
    txn.begin()
    txn.commit()
    txn.begin()
    txn.abort()
    txn.begin()
    txn.commit()
    assert driver.end_offsets(broker, topic, PARTS, committed=True) == {0: 0, 1: 0, 2: 0}
    finish(txn)
    assert [r.offset for r in log.records(True)] == [0, 0, 0]
    check_views(driver, broker, topic, log)


@pytest.mark.timeout(60)
def test_two_flushes_then_commit(broker, driver: t.TxnDriver, producers) -> None:
    """Two batches sent and acknowledged before the commit: while the transaction is open
    they are in the log (high watermark) but past the last stable offset, so read_committed
    sees nothing; the commit writes one marker after both batches."""
    topic, log = make_topic(broker, "txn-flush"), Log()
    txn = new_txn(driver, producers, broker, log, topic, "a")
    txn.begin()
    txn.send(0, 3)
    txn.send(1, 1)
    txn.p.flush()
    txn.send(0, 2)
    txn.send(1, 1)
    txn.p.flush()
    problems = []
    lso = driver.end_offsets(broker, topic, PARTS, committed=True)
    if lso != {0: 0, 1: 0, 2: 0}:
        problems.append(f"open transaction: read_committed end offsets {lso}, expected 0s")
    hw = driver.end_offsets(broker, topic, PARTS, committed=False)
    if hw is not None and hw != {0: 5, 1: 2, 2: 0}:
        problems.append(f"open transaction: high watermarks {hw}, expected {{0: 5, 1: 2, 2: 0}}")
    assert not problems, "\n".join(problems)
    txn.commit()
    assert log.high_watermarks() == {0: 6, 1: 3, 2: 0}
    finish(txn)
    check_views(driver, broker, topic, log)


@pytest.mark.timeout(60)
def test_send_outside_transaction(broker, driver: t.TxnDriver, producers) -> None:
    """A transactional producer refuses a record before begin and after commit (the
    Java-style clients and librdkafka). KafkaJS instead refuses sends on an ended
    transaction object, and ``producer.send`` is a plain, non-transactional produce
    there: that record is visible to read_committed at once."""
    topic, log = make_topic(broker, "txn-outside"), Log()
    txn = new_txn(driver, producers, broker, log, topic, "a")
    outcomes = []

    def outside(tag: str) -> None:
        key, value = f"{tag}-k".encode(), f"{tag}-v".encode()
        refused = txn.p.send_outside(topic, 0, key, value)
        outcomes.append((tag, refused))
        if refused is None:
            log.plain(0, key, value)

    outside("before-begin")
    txn.begin()
    txn.send(0, 2)
    txn.commit()
    outside("after-commit")
    if driver.refuses_send_outside:
        assert all(refused is not None for _, refused in outcomes), outcomes
    else:
        assert all(refused is None for _, refused in outcomes), outcomes
        # the ended transaction object refuses
        expect_error({"KafkaJSNonRetriableError"}, txn.p.send, topic, 0, b"k", b"v")
    finish(txn)
    check_views(driver, broker, topic, log)


@pytest.mark.timeout(90)
def test_send_offsets_commit_then_abort(broker, driver: t.TxnDriver, producers) -> None:
    """send_offsets_to_transaction: the group's offset is invisible to OffsetFetch while
    the transaction is open, visible after the commit; the next transaction's offsets,
    aborted, never become visible."""
    topic, log = make_topic(broker, "txn-offsets"), Log()
    group = f"compat-txn-group-{uuid.uuid4().hex[:12]}"
    txn = new_txn(driver, producers, broker, log, topic, "a")
    txn.begin()
    txn.send(0, 2)
    txn.p.send_offsets(topic, {0: 7, 1: 3}, group)
    txn.p.flush()
    before = driver.committed(broker, group, topic, PARTS)
    txn.commit()
    after_commit = driver.committed(broker, group, topic, PARTS)
    txn.begin()
    txn.send(1, 1)
    txn.p.send_offsets(topic, {0: 9, 2: 5}, group)
    txn.p.flush()
    txn.abort()
    after_abort = driver.committed(broker, group, topic, PARTS)
    assert (before, after_commit, after_abort) == (
        {0: None, 1: None, 2: None},
        {0: 7, 1: 3, 2: None},
        {0: 7, 1: 3, 2: None},
    ), "offsets: open transaction, after commit, after abort"
    finish(txn)
    check_views(driver, broker, topic, log)


@pytest.mark.timeout(90)
def test_second_producer_fences_first(broker, driver: t.TxnDriver, producers) -> None:
    """InitProducerId by a second producer with the same transactional.id aborts the
    first one's open transaction (ABORT markers) and bumps the epoch; the first producer's
    commit then fails with a fenced error, and the second one works."""
    topic, log = make_topic(broker, "txn-fence"), Log()
    txn_id = f"compat-txn-fence-{uuid.uuid4().hex[:12]}"
    first = new_txn(driver, producers, broker, log, topic, "first", txn_id)
    first.begin()
    first.send(0, 2)
    first.send(1, 1)
    first.p.flush()
    second = new_txn(driver, producers, broker, log, topic, "second", txn_id)
    # the broker aborted the first transaction while initialising the second producer
    assert first.current is not None
    log.end(first.current, False)
    name = expect_error(FENCED, first.p.commit)
    print(f"{driver.name}: the fenced producer's commit failed with {name}")
    finish(second)
    check_views(driver, broker, topic, log)


@pytest.mark.timeout(90)
def test_transaction_timeout_aborts(broker, driver: t.TxnDriver, producers) -> None:
    """A transaction left open past transaction.timeout.ms (2 s) is aborted by the broker:
    its records stay invisible to read_committed, the records committed after it by another
    producer become readable, and the timed-out producer can no longer commit."""
    topic, log = make_topic(broker, "txn-timeout"), Log()
    # the other producer is initialised first, so that its transaction commits well within
    # the 2 s: its COMMIT markers come before the broker's ABORT markers
    other = new_txn(driver, producers, broker, log, topic, "other")
    stale = new_txn(driver, producers, broker, log, topic, "stale", timeout_ms=SHORT_TXN_TIMEOUT_MS)
    stale.begin()
    stale.send(0, 2)
    stale.send(1, 1)
    stale.p.flush()
    started = time.monotonic()
    other.begin()
    other.send(0, 1)
    other.send(1, 1)
    other.commit()
    assert stale.current is not None
    log.end(stale.current, False)
    # partition 0: stale 0-1, other 2, COMMIT 3, ABORT 4; partition 1: stale 0, other 1, ...
    want = log.records(True)
    assert want == [t.Rec(0, 2, b"other-k1", b"other-v1"), t.Rec(1, 1, b"other-k2", b"other-v2")]
    # read_committed cannot get past the open transaction until the broker aborts it: poll
    # for the other producer's records with a deadline
    got: list[t.Rec] = []
    for _ in h.deadline_loop(ABORT_DEADLINE_S):
        got = t.sort_recs(driver.read(broker, topic, {0: 1, 1: 1}, committed=True))
        if got:
            break
    waited = time.monotonic() - started
    assert got == want, f"read_committed after {waited:.1f}s: {got}, expected {want}"
    print(f"{driver.name}: the broker aborted the timed-out transaction after {waited:.1f}s")
    expect_error(FENCED | {"INVALID_TXN_STATE", "InvalidTxnStateError", "InvalidTxnState",
                           "_STATE", "TransactionAbortedError", "INVALID_PRODUCER_ID_MAPPING"},
                 stale.p.commit)
    finish(other)
    check_views(driver, broker, topic, log)


@pytest.mark.timeout(90)
def test_isolation_levels_interleaved(broker, driver: t.TxnDriver, producers) -> None:
    """Two producers' transactions interleaved in the same partitions, one aborted, one
    committed, while a third stays open: read_committed stops at the open transaction's
    first offset (the last stable offset) and never shows aborted records; read_uncommitted
    shows every data record; no consumer ever yields a marker; offsets have the gaps."""
    topic, log = make_topic(broker, "txn-iso"), Log()
    a = new_txn(driver, producers, broker, log, topic, "a")
    b = new_txn(driver, producers, broker, log, topic, "b")
    a.begin()
    b.begin()
    a.send(0)
    a.p.flush()
    b.send(0)
    b.p.flush()
    a.send(0)
    a.send(1)
    a.p.flush()
    b.send(1, 2)
    b.p.flush()
    b.abort()
    a.commit()
    # c opens a transaction and leaves it open; a commits records after it
    c = new_txn(driver, producers, broker, log, topic, "c")
    c.begin()
    c.send(1)
    c.p.flush()
    finish(a, (0, 1))
    problems = []
    lso = driver.end_offsets(broker, topic, PARTS, committed=True)
    if lso != log.last_stable():
        problems.append(f"read_committed end offsets {lso}, expected {log.last_stable()}")
    want = [r for r in log.records(True) if r.offset < log.last_stable()[r.partition]]
    counts = {p: sum(1 for r in want if r.partition == p) for p in PARTS}
    got = t.sort_recs(driver.read(broker, topic, counts, committed=True))
    if got != want:
        problems.append(f"read_committed with c open: {got}, expected {want}")
    assert not problems, "\n".join(problems)
    c.commit()
    finish(a)
    # partition 0: a1 b1 a2 | B-abort A-commit | a4 A-commit | a6 A-commit
    assert [r.offset for r in log.records(True) if r.partition == 0] == [0, 2, 5, 7]
    assert [r.offset for r in log.records(False) if r.partition == 0] == [0, 1, 2, 5, 7]
    check_views(driver, broker, topic, log)


# --------------------------------------------------------------------------- crash


CTP_RECORDS = 600
CTP_BATCH = 40


@pytest.mark.timeout(180)
def test_consume_transform_produce_across_sigkill(restartable_broker) -> None:
    """confluent-kafka's consume-transform-produce loop (read_committed consumer, manual
    offsets through send_offsets_to_transaction) over a SIGKILL of the broker in the
    middle of a transaction: afterwards the output holds every input record exactly once
    (read_committed), whatever was in flight when the broker died."""
    import compat_durability_helpers as dh
    import confluent_kafka as ck

    b = restartable_broker
    src, dst = make_topic(b, "txn-ctp-in"), make_topic(b, "txn-ctp-out")
    group, txn_id = f"compat-ctp-{uuid.uuid4().hex[:12]}", f"compat-ctp-{uuid.uuid4().hex[:12]}"
    producer = ck.Producer({"bootstrap.servers": b.bootstrap})
    for i in range(CTP_RECORDS):
        producer.produce(src, key=b"in-%d" % i, value=b"%d" % i, partition=i % len(PARTS))
    assert producer.flush(30) == 0
    del producer

    client_conf = {"bootstrap.servers": b.bootstrap, "reconnect.backoff.max.ms": 200, "log_level": 2}

    def start() -> tuple[Any, Any]:
        consumer = ck.Consumer({
            **client_conf, "group.id": group, "enable.auto.commit": False,
            "isolation.level": "read_committed", "auto.offset.reset": "earliest",
        })
        consumer.assign([ck.TopicPartition(src, p, ck.OFFSET_STORED) for p in PARTS])
        txp = ck.Producer({**client_conf, "transactional.id": txn_id, "transaction.timeout.ms": 10_000})
        txp.init_transactions(30)  # aborts whatever the previous instance left open
        return consumer, txp

    def positions(consumer: Any) -> list[Any]:
        return consumer.position([ck.TopicPartition(src, p) for p in PARTS])

    def progress(consumer: Any) -> dict[int, int]:
        """Where the loop stands per partition: the consumer's position, or, for a partition
        it has consumed nothing from since it started (librdkafka then reports no position,
        whatever the broker), the group's committed offset."""
        ends = {tp.partition: tp.offset for tp in positions(consumer)}
        if any(offset < 0 for offset in ends.values()):
            for tp in consumer.committed([ck.TopicPartition(src, p) for p in PARTS], timeout=10):
                if ends[tp.partition] < 0:
                    ends[tp.partition] = tp.offset
        return ends

    def step(consumer: Any, txp: Any, commit: bool = True) -> int:
        msgs = [m for m in consumer.consume(num_messages=CTP_BATCH, timeout=1.0)]
        for m in msgs:
            if m.error() is not None:
                raise ck.KafkaException(m.error())
        if not msgs:
            return 0
        txp.begin_transaction()
        for m in msgs:
            txp.produce(dst, key=b"%d:%d" % (m.partition(), m.offset()), value=b"out-" + m.value(),
                        partition=m.partition())
        txp.send_offsets_to_transaction(positions(consumer), consumer.consumer_group_metadata(), 10)
        txp.flush(10)
        if commit:
            txp.commit_transaction(10)
        return len(msgs)

    consumer, txp = start()
    done = 0
    for _ in h.deadline_loop(30):
        done += step(consumer, txp)
        if done >= CTP_RECORDS // 3:
            break
    assert done >= CTP_RECORDS // 3, f"only {done} records transformed before the kill"
    # one more transaction, produced and flushed but never committed: the broker dies now
    step(consumer, txp, commit=False)
    dh.kill(b)
    consumer.close()
    txp.purge()
    del txp
    b.start()

    consumer, txp = start()
    try:
        for _ in h.deadline_loop(90):
            step(consumer, txp)
            ends = progress(consumer)
            if all(ends[p] >= CTP_RECORDS // len(PARTS) for p in PARTS):
                break
    finally:
        consumer.close()
        del txp

    want = {p: CTP_RECORDS // len(PARTS) for p in PARTS}
    out = t.ConfluentTxn().read(b, dst, want, committed=True)
    keys = sorted(r.key for r in out)
    expected = sorted(b"%d:%d" % (p, o) for p in PARTS for o in range(want[p]))
    dupes = len(keys) - len(set(keys))
    assert keys == expected, (
        f"{len(out)} output records for {CTP_RECORDS} inputs, {dupes} duplicates, "
        f"missing {sorted(set(expected) - set(keys))[:10]}"
    )
    for r in out:
        p, o = (int(x) for x in r.key.split(b":"))
        assert r.partition == p and r.value == b"out-%d" % (o * len(PARTS) + p), r
