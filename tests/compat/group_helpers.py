"""Consumer-group machinery of test_groups.py.

A *member* is one consumer in a group, driven by the client library under test. It runs
its consumer on its own thread (aiokafka: an event loop on its own thread) and turns
everything the client reports into events: ``assign``/``revoke``/``lost`` from the
rebalance callbacks, ``record`` for each consumed record, ``reply`` for a finished
command. The test thread reads the member's state (current assignment, the changes seen,
the records read) and sends it commands (``commit_sync``, ``commit_async``; confluent-kafka
also ``assignment``) that run on the consumer's own thread, since consumers are not
thread-safe.

``ProcessMember`` is the same member in a child Python process (``group_member.py``),
reporting its events as JSON lines on stdout, so that a test can SIGKILL it by pid.

``Driver`` subclasses give each client's way to create a topic, produce records with
known partitions and offsets, read a group's committed offsets, and build members.
``scenario_*`` functions are the client-neutral tests that the per-client modules run.

``GroupAdmin`` subclasses give each client's admin calls for groups (``scenario_admin``).

test_groups.py overrides conftest's session ``broker`` with a module-scoped one built
by ``module_broker``: a kafkalite process with ``num.partitions=6`` (so auto-created
topics have the 6 partitions the tests use; with CreateTopics advertised the topics are
created explicitly), restartable by the commit tests. With ``KAFKALITE_BOOTSTRAP`` set it
is the external broker.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest


def _sibling(name: str, file: str) -> Any:
    """A module of this folder under its ``compat_*`` name (conftest registers them; a child
    process has no conftest)."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(file))
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


h = _sibling("compat_helpers", "helpers.py")
clients = _sibling("compat_clients", "clients.py")

PARTITIONS = 6
#: The broker's group.min.session.timeout.ms: the shortest session a member may ask for.
SESSION_TIMEOUT_MS = 6000
HEARTBEAT_INTERVAL_MS = 500
#: Static members keep their place this long after they stop; long enough for a restart.
STATIC_SESSION_TIMEOUT_MS = 30000
API_JOIN_GROUP = 11
#: How long a group may take to reach an expected state (one or two rebalances, or a
#: session expiry followed by a rebalance). A healthy broker needs a few seconds.
GROUP_WAIT_S = 60.0
CLOSE_TIMEOUT_S = 30.0
MEMBER_SCRIPT = Path(__file__).with_name("group_member.py")


# --------------------------------------------------------------------------- broker


def module_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Body of a group module's ``broker`` fixture: a 6-partition kafkalite for the
    module (or KAFKALITE_BOOTSTRAP's broker); fails when the broker has no JoinGroup."""
    external = h.external_bootstrap()
    if external:
        b = h.ExternalBroker(external)
        _require_groups(b)
        yield b
        return
    root = tmp_path_factory.mktemp("kafkalite-groups")
    b = h.KafkaliteBroker(data_dir=root / "data", options={"num.partitions": str(PARTITIONS)})
    b.start()
    try:
        _require_groups(b)
        yield b
    finally:
        b.stop()


def _require_groups(b: Any) -> None:
    if not b.supports(API_JOIN_GROUP):
        pytest.fail(
            f"broker at {b.bootstrap} does not advertise JoinGroup (api key 11) in ApiVersions: "
            "no consumer-group support to test"
        )


def unique_group(prefix: str) -> str:
    return f"compat-group-{prefix}-{uuid.uuid4().hex[:10]}"


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, order=True)
class Sent:
    """A produced record, where the broker says it went."""

    partition: int
    offset: int
    value: bytes


@dataclass(frozen=True, order=True)
class Read:
    """A consumed record."""

    partition: int
    offset: int
    value: bytes | None

    def sent(self) -> Sent:
        return Sent(self.partition, self.offset, self.value or b"")


def batch(tag: str, count: int, partitions: int = PARTITIONS) -> list[tuple[int, bytes, bytes]]:
    """``(partition, key, value)`` for ``count`` keyed records spread evenly over partitions."""
    return [(i % partitions, b"key-%d" % i, f"{tag}-{i}".encode()) for i in range(count)]


def check_exact(reads: Iterable[Read], expected: Iterable[Sent], what: str) -> None:
    """The multiset of (partition, offset, value) read equals ``expected``, each once."""
    have = Counter(r.sent() for r in reads)
    want = Counter(expected)
    missing = sorted((want - have).elements())
    extra = sorted((have - want).elements())
    dupes = sorted(s for s, n in have.items() if n > 1)
    problems = []
    if missing:
        problems.append(f"{len(missing)} records never read, e.g. {missing[:5]}")
    if dupes:
        problems.append(f"{len(dupes)} records read more than once, e.g. {dupes[:5]}")
    if extra:
        problems.append(f"{len(extra)} records read but not expected, e.g. {extra[:5]}")
    assert not problems, f"{what}:\n" + "\n".join(problems)


def per_partition(sent: Iterable[Sent], partitions: int = PARTITIONS) -> dict[int, int]:
    """Log end offset per partition after ``sent`` (all produced from offset 0)."""
    ends = dict.fromkeys(range(partitions), 0)
    for s in sent:
        ends[s.partition] = max(ends[s.partition], s.offset + 1)
    return ends


# --------------------------------------------------------------------------- members


@dataclass(frozen=True)
class Change:
    kind: str  # "assign" | "revoke" | "lost"
    partitions: tuple[int, ...]
    incremental: bool = False


class MemberView:
    """What a member reported so far; updated only through ``apply``."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._lock = threading.Lock()
        self._changes: list[Change] = []
        self._reads: list[Read] = []
        self._assigned: frozenset[int] = frozenset()
        self._errors: list[str] = []
        self._notes: list[str] = []
        self.closed = threading.Event()

    # -- state, as read by the test thread
    @property
    def assigned(self) -> frozenset[int]:
        with self._lock:
            return self._assigned

    @property
    def changes(self) -> list[Change]:
        with self._lock:
            return list(self._changes)

    @property
    def reads(self) -> list[Read]:
        with self._lock:
            return list(self._reads)

    def changes_since(self, mark: int) -> list[Change]:
        return self.changes[mark:]

    def raise_if_failed(self) -> None:
        with self._lock:
            errors = list(self._errors)
        if errors:
            raise AssertionError(f"member {self.name} failed:\n" + "\n".join(errors))

    def describe(self) -> str:
        with self._lock:
            changes = self._changes[-6:]
            notes = self._notes[-3:]
            return (
                f"{self.name}: assigned {sorted(self._assigned)}, {len(self._reads)} records read, "
                f"last changes {[(c.kind, c.partitions) for c in changes]}"
                + (f", client notes {notes}" if notes else "")
                + (" (closed)" if self.closed.is_set() else "")
            )

    # -- events
    def apply(self, event: dict[str, Any]) -> None:
        kind = event["kind"]
        with self._lock:
            if kind == "record":
                value = None if event["value"] is None else bytes.fromhex(event["value"])
                self._reads.append(Read(event["partition"], event["offset"], value))
            elif kind in ("assign", "revoke", "lost"):
                parts = tuple(sorted(event["partitions"]))
                incremental = bool(event.get("incremental", False))
                self._changes.append(Change(kind, parts, incremental))
                if kind == "assign":
                    self._assigned = (self._assigned | set(parts)) if incremental else frozenset(parts)
                else:
                    self._assigned = self._assigned - set(parts)
            elif kind == "error":
                self._errors.append(event["text"])
            elif kind == "note":
                self._notes.append(event["text"])
            elif kind == "closed":
                self.closed.set()


def _event_record(partition: int, offset: int, value: bytes | None) -> dict[str, Any]:
    return {
        "kind": "record", "partition": partition, "offset": offset,
        "value": None if value is None else value.hex(),
    }


class Member(MemberView):
    """One consumer of ``topic`` in ``group``, on its own thread.

    ``conf`` is client-specific extra configuration (the client's own option names).
    Every member uses auto.offset.reset=earliest (the tests produce first), a 6 s session
    (the broker's minimum, so a killed member is noticed quickly) and 500 ms heartbeats;
    everything else is the client's default (auto commit on, default assignors).
    """

    client = ""
    POLL_S = 0.2

    def __init__(
        self, name: str, bootstrap: str, group: str, topic: str,
        conf: dict[str, Any] | None = None,
        sink: Callable[[dict[str, Any]], None] | None = None,
    ) -> None:
        super().__init__(name)
        self.bootstrap = bootstrap
        self.group = group
        self.topic = topic
        self.conf = dict(conf or {})
        self._sink = sink
        self._ops: queue.Queue[tuple[str, Future[Any]]] = queue.Queue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._main, name=f"member-{name}", daemon=True)

    def start(self) -> Member:
        self._thread.start()
        return self

    # -- commands (any thread)
    def submit(self, op: str) -> Future[Any]:
        fut: Future[Any] = Future()
        if self.closed.is_set():
            fut.set_exception(RuntimeError(f"member {self.name} is closed"))
        else:
            self._ops.put((op, fut))
        return fut

    def call(self, op: str, timeout: float = 30.0) -> Any:
        return self.submit(op).result(timeout)

    def begin_close(self) -> None:
        self._stop.set()

    def finish_close(self, timeout: float = CLOSE_TIMEOUT_S) -> None:
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise AssertionError(f"member {self.name} did not close within {timeout:.0f}s")

    def close(self, timeout: float = CLOSE_TIMEOUT_S) -> None:
        self.begin_close()
        self.finish_close(timeout)

    # -- consumer thread
    def _emit(self, kind: str, **data: Any) -> None:
        event = {"kind": kind, **data}
        self.apply(event)
        if self._sink is not None:
            self._sink(event)

    def _main(self) -> None:
        try:
            self._run()
        except BaseException:  # noqa: BLE001 - reported to the test thread
            self._emit("error", text=traceback.format_exc())
        finally:
            for _ in range(10_000):
                try:
                    _op, fut = self._ops.get_nowait()
                except queue.Empty:
                    break
                if not fut.done():
                    fut.set_exception(RuntimeError(f"member {self.name} closed"))
            self._emit("closed")

    def _next_op(self) -> tuple[str, Future[Any]] | None:
        try:
            return self._ops.get_nowait()
        except queue.Empty:
            return None

    def _serve_ops(self, handle: Callable[[str, Future[Any]], None]) -> None:
        """Run queued commands; a command that raises fails its future, not the member."""
        for _ in range(10):
            item = self._next_op()
            if item is None:
                return
            op, fut = item
            try:
                handle(op, fut)
            except Exception as exc:  # noqa: BLE001 - the caller gets it
                if not fut.done():
                    fut.set_exception(exc)

    def _run(self) -> None:
        raise NotImplementedError

    # -- kafka-python and aiokafka: the same option names and listener interface
    def _python_config(self) -> dict[str, Any]:
        return {
            "bootstrap_servers": self.bootstrap, "group_id": self.group, "client_id": self.name,
            "auto_offset_reset": "earliest", "session_timeout_ms": SESSION_TIMEOUT_MS,
            "heartbeat_interval_ms": HEARTBEAT_INTERVAL_MS, **self.conf,
        }

    def _listener(self, base: type) -> Any:
        """A ``base`` (the client's ConsumerRebalanceListener) that reports to this member."""
        member = self

        class Listener(base):  # type: ignore[misc,valid-type]
            def on_partitions_revoked(self, revoked):  # type: ignore[no-untyped-def]
                member._emit("revoke", partitions=[tp.partition for tp in revoked])

            def on_partitions_assigned(self, assigned):  # type: ignore[no-untyped-def]
                member._emit("assign", partitions=[tp.partition for tp in assigned])

        return Listener()


class KafkaPythonMember(Member):
    client = "kafka-python"

    def _run(self) -> None:
        from kafka import ConsumerRebalanceListener, KafkaConsumer

        consumer = KafkaConsumer(**self._python_config())
        # async commits in flight: (future, offsets committed, [callback outcome])
        pending: list[tuple[Future[Any], dict[int, int], list[Any]]] = []

        def handle(op: str, fut: Future[Any]) -> None:
            positions = {tp.partition: consumer.position(tp) for tp in consumer.assignment()}
            if op == "commit_sync":
                consumer.commit()
                fut.set_result(positions)
            elif op == "commit_async":
                outcome: list[Any] = []
                consumer.commit_async(callback=lambda _offsets, resp: outcome.append(resp))
                pending.append((fut, positions, outcome))
            else:
                raise ValueError(f"unknown op {op}")

        try:
            consumer.subscribe([self.topic], listener=self._listener(ConsumerRebalanceListener))
            # Have the topic's metadata before the first join (topics() waits for a
            # Metadata answer, which updates the coordinator's metadata snapshot). Otherwise
            # a leader that joins first assigns nothing, then rejoins when the partitions
            # show up, and kafka-python 3.0.12 can lose that rejoin: if poll() times out
            # between the leader's assignment and the SyncGroup answer, the next poll()
            # finds the snapshots equal, skips the in-flight join (join_group_async loops
            # on need_rejoin()), and the member is left with no partitions and no
            # heartbeats until its session expires, and then for good.
            assert self.topic in consumer.topics(), f"no metadata for {self.topic}"
            while not self._stop.is_set():
                self._serve_ops(handle)
                batch = consumer.poll(timeout_ms=int(self.POLL_S * 1000))
                for tp, recs in batch.items():
                    for rec in recs:
                        self._emit(**_event_record(tp.partition, rec.offset, rec.value))
                for entry in [e for e in pending if e[2]]:
                    pending.remove(entry)
                    fut, positions, outcome = entry
                    if isinstance(outcome[0], Exception):
                        fut.set_exception(outcome[0])
                    else:
                        fut.set_result(positions)
        finally:
            consumer.close(timeout_ms=10_000)


class AiokafkaMember(Member):
    client = "aiokafka"

    def _run(self) -> None:
        asyncio.run(self._amain())

    async def _amain(self) -> None:
        from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener

        consumer = AIOKafkaConsumer(**self._python_config())
        tasks: set[asyncio.Task[Any]] = set()

        async def handle(op: str, fut: Future[Any]) -> None:
            positions = {tp.partition: await consumer.position(tp) for tp in consumer.assignment()}
            if op == "commit_sync":
                await consumer.commit()
                fut.set_result(positions)
            elif op == "commit_async":
                # aiokafka's commit is a coroutine: run it alongside the fetch loop
                task = asyncio.create_task(consumer.commit())
                tasks.add(task)

                def done(t: asyncio.Task[Any]) -> None:
                    tasks.discard(t)
                    exc = t.exception()
                    if exc is not None:
                        fut.set_exception(exc)
                    else:
                        fut.set_result(positions)

                task.add_done_callback(done)
            else:
                raise ValueError(f"unknown op {op}")

        await consumer.start()
        try:
            consumer.subscribe([self.topic], listener=self._listener(ConsumerRebalanceListener))
            while not self._stop.is_set():
                for _ in range(10):
                    item = self._next_op()
                    if item is None:
                        break
                    try:
                        await handle(*item)
                    except Exception as exc:  # noqa: BLE001 - the caller gets it
                        item[1].set_exception(exc)
                batch = await consumer.getmany(timeout_ms=int(self.POLL_S * 1000))
                for tp, recs in batch.items():
                    for rec in recs:
                        self._emit(**_event_record(tp.partition, rec.offset, rec.value))
            if tasks:
                await asyncio.wait(tasks, timeout=10)
        finally:
            await consumer.stop()


class ConfluentMember(Member):
    client = "confluent-kafka"

    def _run(self) -> None:
        import confluent_kafka as ck

        # async commits in flight, answered in order by on_commit
        waiters: list[tuple[Future[Any], dict[int, int]]] = []
        outcomes: list[Any] = []

        def on_commit(err: Any, _partitions: Any) -> None:
            outcomes.append(err)

        config: dict[str, Any] = {
            "bootstrap.servers": self.bootstrap, "group.id": self.group, "client.id": self.name,
            "auto.offset.reset": "earliest", "session.timeout.ms": SESSION_TIMEOUT_MS,
            "heartbeat.interval.ms": HEARTBEAT_INTERVAL_MS, "on_commit": on_commit, **self.conf,
        }
        consumer_protocol = self.conf.get("group.protocol") == "consumer"
        if consumer_protocol:
            # KIP-848: the coordinator owns session, heartbeat and assignment settings;
            # librdkafka refuses the classic protocol's.
            for name in ("session.timeout.ms", "heartbeat.interval.ms", "partition.assignment.strategy"):
                config.pop(name, None)
        consumer = ck.Consumer(config)

        # The Python binding does not expose rd_kafka_rebalance_protocol(); librdkafka
        # rebalances incrementally exactly when the (only) assignor is cooperative-sticky,
        # and always under the consumer group protocol (KIP-848).
        strategy = str(self.conf.get("partition.assignment.strategy", "range,roundrobin"))
        cooperative = strategy == "cooperative-sticky" or consumer_protocol

        def incremental(_c: Any) -> bool:
            return cooperative

        def on_assign(c: Any, parts: Any) -> None:
            self._emit("assign", partitions=[tp.partition for tp in parts], incremental=incremental(c))

        def on_revoke(c: Any, parts: Any) -> None:
            self._emit("revoke", partitions=[tp.partition for tp in parts], incremental=incremental(c))

        def on_lost(c: Any, parts: Any) -> None:
            self._emit("lost", partitions=[tp.partition for tp in parts], incremental=incremental(c))

        def handle(op: str, fut: Future[Any]) -> None:
            positions = {
                tp.partition: tp.offset
                for tp in consumer.position(consumer.assignment()) if tp.offset >= 0
            }
            if op == "commit_sync":
                try:
                    consumer.commit(asynchronous=False)
                except ck.KafkaException as exc:
                    # _NO_OFFSET: what was consumed is committed already (auto commit)
                    if exc.args[0].code() != ck.KafkaError._NO_OFFSET:
                        raise
                fut.set_result(positions)
            elif op == "assignment":
                fut.set_result({tp.partition: -1 for tp in consumer.assignment()})
            elif op == "commit_async":
                # on_commit also reports auto commits: use async commits with auto commit off
                outcomes.clear()
                consumer.commit(asynchronous=True)
                waiters.append((fut, positions))
            else:
                raise ValueError(f"unknown op {op}")

        try:
            consumer.subscribe([self.topic], on_assign=on_assign, on_revoke=on_revoke, on_lost=on_lost)
            while not self._stop.is_set():
                self._serve_ops(handle)
                for msg in consumer.consume(num_messages=500, timeout=self.POLL_S):
                    err = msg.error()
                    if err is not None:
                        if err.fatal():
                            raise ck.KafkaException(err)
                        self._emit("note", text=str(err))
                        continue
                    self._emit(**_event_record(msg.partition(), msg.offset(), msg.value()))
                while waiters and outcomes:
                    err = outcomes.pop(0)
                    fut, positions = waiters.pop(0)
                    if err is not None and err.code() != ck.KafkaError._NO_OFFSET:
                        fut.set_exception(ck.KafkaException(err))
                    else:
                        fut.set_result(positions)
        finally:
            consumer.close()


MEMBER_CLASSES: dict[str, type[Member]] = {
    cls.client: cls for cls in (KafkaPythonMember, AiokafkaMember, ConfluentMember)
}


class ProcessMember(MemberView):
    """A member in a child process we start (``group_member.py``); ``kill()`` SIGKILLs it."""

    def __init__(
        self, client: str, name: str, bootstrap: str, group: str, topic: str,
        conf: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(name)
        spec = {
            "client": client, "name": name, "bootstrap": bootstrap, "group": group,
            "topic": topic, "conf": conf or {},
        }
        self._replies: dict[int, Future[Any]] = {}
        self._next_id = 0
        self._stderr: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, str(MEMBER_SCRIPT), json.dumps(spec)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=dict(os.environ, PYTHONUNBUFFERED="1"), text=True,
        )
        self._reader = threading.Thread(target=self._read_events, daemon=True)
        self._reader.start()
        self._err_reader = threading.Thread(target=self._read_stderr, daemon=True)
        self._err_reader.start()

    def _read_events(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                self.apply({"kind": "note", "text": line.strip()})
                continue
            if event["kind"] == "reply":
                fut = self._replies.pop(event["id"], None)
                if fut is not None:
                    if event.get("error"):
                        fut.set_exception(RuntimeError(event["error"]))
                    else:
                        fut.set_result({int(k): v for k, v in event["result"].items()})
                continue
            self.apply(event)
        self.closed.set()
        for fut in list(self._replies.values()):
            if not fut.done():
                fut.set_exception(RuntimeError(f"member process {self.name} exited"))

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self._stderr.append(line.rstrip())
            del self._stderr[:-40]

    def describe(self) -> str:
        tail = "\n    ".join(self._stderr[-10:])
        return super().describe() + (f"\n  stderr:\n    {tail}" if tail else "")

    def _send(self, message: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(message) + "\n")
        self.proc.stdin.flush()

    def call(self, op: str, timeout: float = 30.0) -> Any:
        fut: Future[Any] = Future()
        self._next_id += 1
        self._replies[self._next_id] = fut
        self._send({"op": op, "id": self._next_id})
        return fut.result(timeout)

    def kill(self) -> None:
        """SIGKILL our child by its pid: no LeaveGroup, no commit, sockets just drop."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=CLOSE_TIMEOUT_S)

    def begin_close(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(OSError):
                self._send({"op": "close"})

    def finish_close(self, timeout: float = CLOSE_TIMEOUT_S) -> None:
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"member process {self.name} did not exit within {timeout:.0f}s") from None
        finally:
            for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
                if stream is not None:
                    with contextlib.suppress(OSError):
                        stream.close()

    def close(self, timeout: float = CLOSE_TIMEOUT_S) -> None:
        self.begin_close()
        self.finish_close(timeout)


# --------------------------------------------------------------------------- drivers


class Driver:
    """One client library's way to set up topics, produce, read committed offsets, consume."""

    client = ""
    member_class: type[Member] = Member

    def __init__(self, bootstrap: str, broker: Any = None) -> None:
        self.bootstrap = bootstrap
        self.broker = broker

    def member(self, name: str, group: str, topic: str, conf: dict[str, Any] | None = None) -> Member:
        return self.member_class(name, self.bootstrap, group, topic, conf).start()

    def process_member(
        self, name: str, group: str, topic: str, conf: dict[str, Any] | None = None,
    ) -> ProcessMember:
        return ProcessMember(self.client, name, self.bootstrap, group, topic, conf)

    def create_topic(self, partitions: int = PARTITIONS) -> str:
        """A topic with ``partitions`` partitions, set up by the client's driver in clients.py."""
        client = clients.CLIENTS[self.client]
        return client.create_topic(self.broker, partitions, f"grp-{client.prefix}")

    def produce(self, topic: str, items: Sequence[tuple[int, bytes, bytes]]) -> list[Sent]:
        raise NotImplementedError

    def committed(self, group: str, topic: str) -> dict[int, int]:
        """The group's committed offsets for ``topic``, as the client's admin API reads them."""
        raise NotImplementedError

    #: member options that turn auto commit off
    manual_commit: dict[str, Any] = {"enable_auto_commit": False}

    def static_conf(self, instance_id: str) -> dict[str, Any]:
        """Member options of a static member (group.instance.id)."""
        return {"group_instance_id": instance_id, "session_timeout_ms": STATIC_SESSION_TIMEOUT_MS}


class KafkaPythonDriver(Driver):
    client = "kafka-python"
    member_class = KafkaPythonMember

    def produce(self, topic: str, items: Sequence[tuple[int, bytes, bytes]]) -> list[Sent]:
        from kafka import KafkaProducer

        producer = KafkaProducer(bootstrap_servers=self.bootstrap)
        try:
            futures = [producer.send(topic, key=k, value=v, partition=p) for p, k, v in items]
            producer.flush(timeout=60)
            out = []
            for (p, _k, v), fut in zip(items, futures, strict=True):
                md = fut.get(timeout=1)
                assert md.partition == p
                out.append(Sent(md.partition, md.offset, v))
            return out
        finally:
            producer.close(timeout=10)

    def committed(self, group: str, topic: str) -> dict[int, int]:
        from kafka.admin import KafkaAdminClient

        admin = KafkaAdminClient(bootstrap_servers=self.bootstrap)
        try:
            offsets = admin.list_group_offsets(group).get(group, {})
        finally:
            admin.close()
        return {tp.partition: om.offset for tp, om in offsets.items() if tp.topic == topic}


class AiokafkaDriver(Driver):
    client = "aiokafka"
    member_class = AiokafkaMember

    def produce(self, topic: str, items: Sequence[tuple[int, bytes, bytes]]) -> list[Sent]:
        return asyncio.run(self._produce(topic, items))

    async def _produce(self, topic: str, items: Sequence[tuple[int, bytes, bytes]]) -> list[Sent]:
        from aiokafka import AIOKafkaProducer

        producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap)
        await producer.start()
        try:
            futures = [await producer.send(topic, key=k, value=v, partition=p) for p, k, v in items]
            mds = await asyncio.wait_for(asyncio.gather(*futures), timeout=60)
            out = []
            for (p, _k, v), md in zip(items, mds, strict=True):
                assert md.partition == p
                out.append(Sent(md.partition, md.offset, v))
            return out
        finally:
            await producer.stop()

    def committed(self, group: str, topic: str) -> dict[int, int]:
        return asyncio.run(self._committed(group, topic))

    async def _committed(self, group: str, topic: str) -> dict[int, int]:
        from aiokafka.admin import AIOKafkaAdminClient

        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap)
        await admin.start()
        try:
            offsets = await admin.list_consumer_group_offsets(group)
        finally:
            await admin.close()
        return {tp.partition: om.offset for tp, om in offsets.items() if tp.topic == topic}


class ConfluentDriver(Driver):
    client = "confluent-kafka"
    member_class = ConfluentMember
    manual_commit = {"enable.auto.commit": False}
    TIMEOUT_S = 10.0

    def produce(self, topic: str, items: Sequence[tuple[int, bytes, bytes]]) -> list[Sent]:
        import confluent_kafka as ck

        producer = ck.Producer({"bootstrap.servers": self.bootstrap})
        reports: dict[int, Sent] = {}
        errors: list[str] = []

        def report_for(i: int, value: bytes) -> Callable[[Any, Any], None]:
            def report(err: Any, msg: Any) -> None:
                if err is not None:
                    errors.append(f"record {i}: {err}")
                else:
                    reports[i] = Sent(msg.partition(), msg.offset(), value)
            return report

        for i, (p, k, v) in enumerate(items):
            producer.produce(topic, key=k, value=v, partition=p, on_delivery=report_for(i, v))
        remaining = producer.flush(60)
        assert remaining == 0 and not errors, f"{remaining} undelivered, errors: {errors[:5]}"
        out = [reports[i] for i in range(len(items))]
        assert [s.partition for s in out] == [p for p, _k, _v in items]
        return out

    def committed(self, group: str, topic: str) -> dict[int, int]:
        from confluent_kafka import ConsumerGroupTopicPartitions
        from confluent_kafka.admin import AdminClient

        admin = AdminClient({"bootstrap.servers": self.bootstrap})
        futures = admin.list_consumer_group_offsets(
            [ConsumerGroupTopicPartitions(group)], request_timeout=self.TIMEOUT_S,
        )
        result = futures[group].result(timeout=30)
        return {tp.partition: tp.offset for tp in result.topic_partitions if tp.topic == topic}

    def static_conf(self, instance_id: str) -> dict[str, Any]:
        return {"group.instance.id": instance_id, "session.timeout.ms": STATIC_SESSION_TIMEOUT_MS}


# --------------------------------------------------------------------------- waiting


class Crew:
    """The members of one test; closes every one of them (children by pid) on exit."""

    def __init__(self, driver: Driver, group: str, topic: str) -> None:
        self.driver = driver
        self.group = group
        self.topic = topic
        self.members: list[MemberView] = []

    def add(self, name: str, conf: dict[str, Any] | None = None) -> Member:
        m = self.driver.member(name, self.group, self.topic, conf)
        self.members.append(m)
        return m

    def add_process(self, name: str, conf: dict[str, Any] | None = None) -> ProcessMember:
        m = self.driver.process_member(name, self.group, self.topic, conf)
        self.members.append(m)
        return m

    def describe(self) -> str:
        return "\n".join("  " + m.describe() for m in self.members)

    def wait(self, what: str, cond: Callable[[], bool], timeout: float = GROUP_WAIT_S) -> None:
        for _ in h.deadline_loop(timeout):
            for m in self.members:
                m.raise_if_failed()
            if cond():
                return
            time.sleep(0.05)
        for m in self.members:
            m.raise_if_failed()
        raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}\n{self.describe()}")

    def wait_split(self, members: Sequence[MemberView], timeout: float = GROUP_WAIT_S) -> None:
        names = [m.name for m in members]
        self.wait(f"{names} to split all {PARTITIONS} partitions", lambda: is_split(members), timeout)

    def wait_read(self, members: Sequence[MemberView], sent: Iterable[Sent],
                  timeout: float = GROUP_WAIT_S) -> None:
        want = {(s.partition, s.offset) for s in sent}
        names = [m.name for m in members]

        def covered() -> bool:
            have = {(r.partition, r.offset) for m in members for r in m.reads}
            return want <= have

        self.wait(f"{names} to read {len(want)} records", covered, timeout)

    def close_all(self) -> None:
        for m in self.members:
            if not m.closed.is_set():
                m.begin_close()
        problems = []
        for m in self.members:
            try:
                m.finish_close()
            except AssertionError as exc:
                problems.append(str(exc))
        assert not problems, "\n".join(problems)

    def __enter__(self) -> Crew:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        try:
            self.close_all()
        except AssertionError:
            if exc_type is None:
                raise


def is_split(members: Sequence[MemberView], partitions: int = PARTITIONS) -> bool:
    """The members' assignments are disjoint, cover every partition, and are even."""
    sets = [m.assigned for m in members]
    sizes = [len(s) for s in sets]
    union: set[int] = set().union(*sets)
    return (
        union == set(range(partitions)) and sum(sizes) == partitions
        and max(sizes) - min(sizes) <= 1 and min(sizes) >= 1
    )


def owner_of(members: Sequence[MemberView]) -> dict[int, str]:
    return {p: m.name for m in members for p in m.assigned}


def check_owners(members: Sequence[MemberView], sent: Iterable[Sent], since: dict[str, int]) -> None:
    """Each record in ``sent`` was read by the member that owns its partition now."""
    owners = owner_of(members)
    want = {s for s in sent}
    problems = []
    for m in members:
        for r in m.reads[since[m.name]:]:
            s = r.sent()
            if s in want and owners.get(s.partition) != m.name:
                problems.append(f"{m.name} read {s} but partition {s.partition} is {owners.get(s.partition)}'s")
    assert not problems, "records read by a member that does not own the partition:\n" + "\n".join(problems[:10])


def read_marks(members: Sequence[MemberView]) -> dict[str, int]:
    return {m.name: len(m.reads) for m in members}


def change_marks(members: Sequence[MemberView]) -> dict[str, int]:
    return {m.name: len(m.changes) for m in members}


# --------------------------------------------------------------------------- scenarios


def all_reads(members: Iterable[MemberView]) -> list[Read]:
    return [r for m in members for r in m.reads]


def scenario_three_members_split(driver: Driver) -> None:
    """3 members on 6 partitions: 2 each, disjoint; together they read every record once."""
    topic = driver.create_topic()
    group = unique_group(driver.client)
    first = driver.produce(topic, batch("first", 600))
    with Crew(driver, group, topic) as crew:
        members = [crew.add(f"m{i}") for i in range(3)]
        crew.wait_split(members)
        crew.wait_read(members, first)
        sizes = sorted(len(m.assigned) for m in members)
        assert sizes == [2, 2, 2], crew.describe()
        # a second wave after the group settled: each member reads its own partitions
        reads_at, changes_at = read_marks(members), change_marks(members)
        second = driver.produce(topic, batch("second", 600))
        crew.wait_read(members, second)
        check_owners(members, second, reads_at)
        for m in members:
            assert m.changes_since(changes_at[m.name]) == [], (
                f"{m.name} saw a rebalance in a settled group\n{crew.describe()}"
            )
            assert {r.partition for r in m.reads[reads_at[m.name]:]} == set(m.assigned), crew.describe()
        check_exact(all_reads(members), first + second, "records read by the group")


def _assign_count(changes: Sequence[Change]) -> int:
    return sum(1 for c in changes if c.kind == "assign")


def scenario_member_leaves(driver: Driver, kill: bool) -> None:
    """One of 3 members closes (or its process is SIGKILLed): the other 2 take over.

    A closed member leaves the group (LeaveGroup) and its partitions move in one rebalance.
    A killed member is dropped when its session times out; it committed what it read
    first, so nothing is read twice either way. Records produced afterwards are all read
    by the 2 survivors, by whichever owns the partition.
    """
    topic = driver.create_topic()
    group = unique_group(driver.client)
    first = driver.produce(topic, batch("first", 300))
    with Crew(driver, group, topic) as crew:
        stay = [crew.add("m0"), crew.add("m1")]
        leaver: MemberView = crew.add_process("m2") if kill else crew.add("m2")
        members = [*stay, leaver]
        crew.wait_split(members)
        crew.wait_read(members, first)
        # a wave the settled group shares, so the leaver has records of its own
        reads_at, changes_at = read_marks(members), change_marks(members)
        second = driver.produce(topic, batch("second", 300))
        crew.wait_read(members, second)
        check_owners(members, second, reads_at)
        leaver_parts = leaver.assigned
        assert {r.partition for r in leaver.reads[reads_at[leaver.name]:]} == leaver_parts
        if kill:
            assert isinstance(leaver, ProcessMember)
            committed = leaver.call("commit_sync")
            ends = per_partition(first + second)
            assert committed == {p: ends[p] for p in leaver_parts}, committed
            leaver.kill()
        else:
            leaver.close()  # LeaveGroup; auto commit commits what it read
        crew.wait_split(stay, timeout=GROUP_WAIT_S + SESSION_TIMEOUT_MS / 1000)
        assert set().union(*(m.assigned for m in stay)) >= leaver_parts
        reads_at = read_marks(stay)
        third = driver.produce(topic, batch("third", 300))
        crew.wait_read(stay, third)
        check_owners(stay, third, reads_at)
        for m in stay:
            since = m.changes_since(changes_at[m.name])
            assert _assign_count(since) == 1, (
                f"{m.name}: expected one rebalance after {leaver.name} left, saw {since}\n{crew.describe()}"
            )
        check_exact(all_reads(members), first + second + third, "records read by the group")


def scenario_commit_resume(driver: Driver, mode: str) -> None:
    """Commit (auto / sync / async), close, and a new member resumes at the committed offsets.

    auto: the member reads the first batch and closes; closing commits what it read.
    sync / async (auto commit off): the member commits after the first batch, then reads a
    second batch without committing and closes. A new member of the group then reads
    exactly what was not committed: nothing before the committed offsets, nothing lost.
    """
    topic = driver.create_topic()
    group = unique_group(driver.client)
    conf = {} if mode == "auto" else driver.manual_commit
    first = driver.produce(topic, batch("first", 60))
    ends_first = per_partition(first)
    with Crew(driver, group, topic) as crew:
        m1 = crew.add("m1", conf)
        crew.wait_read([m1], first)
        if mode == "auto":
            m1.close()
            uncommitted: list[Sent] = []
        else:
            got = m1.call("commit_sync" if mode == "sync" else "commit_async")
            assert got == ends_first, f"{mode} commit covered {got}, expected {ends_first}"
            assert driver.committed(group, topic) == ends_first
            uncommitted = driver.produce(topic, batch("uncommitted", 60))
            crew.wait_read([m1], uncommitted)
            m1.close()
        check_exact(m1.reads, first + uncommitted, f"{m1.name}'s records")
        assert driver.committed(group, topic) == ends_first, "committed offsets after close"
        later = driver.produce(topic, batch("later", 60))
        m2 = crew.add("m2", conf)
        crew.wait_read([m2], uncommitted + later)
        if mode != "auto":
            m2.call("commit_sync" if mode == "sync" else "commit_async")
        m2.close()
        check_exact(m2.reads, uncommitted + later, f"{m2.name} (resuming at {ends_first})")
        assert driver.committed(group, topic) == per_partition(first + uncommitted + later)


def scenario_commit_survives_restart(driver: Driver, broker: Any) -> None:
    """Offsets committed before a broker restart are where a new member resumes after it."""
    topic = driver.create_topic()
    group = unique_group(driver.client)
    conf = driver.manual_commit
    first = driver.produce(topic, batch("first", 60))
    ends_first = per_partition(first)
    with Crew(driver, group, topic) as crew:
        m1 = crew.add("m1", conf)
        crew.wait_read([m1], first)
        assert m1.call("commit_sync") == ends_first
        uncommitted = driver.produce(topic, batch("uncommitted", 60))
        crew.wait_read([m1], uncommitted)
        m1.close()

        broker.restart()

        assert driver.committed(group, topic) == ends_first, "committed offsets after the restart"
        later = driver.produce(topic, batch("later", 60))
        m2 = crew.add("m2")  # auto commit: closing commits what it read
        crew.wait_read([m2], uncommitted + later)
        m2.close()
        check_exact(m2.reads, uncommitted + later, f"{m2.name} (resuming at {ends_first})")
        everything = first + uncommitted + later
        assert driver.committed(group, topic) == per_partition(everything)

        broker.restart()

        assert driver.committed(group, topic) == per_partition(everything)
        last = driver.produce(topic, batch("last", 60))
        m3 = crew.add("m3")
        crew.wait_read([m3], last)
        m3.close()
        check_exact(m3.reads, last, f"{m3.name} after the second restart")


def scenario_static_member_restart(driver: Driver) -> None:
    """A static member (group.instance.id) that stops and comes back gets its partitions back.

    A static member sends no LeaveGroup when it closes; rejoining under the same instance
    id before its session runs out replaces the old member without a rebalance, so the
    other members' rebalance callbacks stay silent.
    """
    topic = driver.create_topic()
    group = unique_group(driver.client)
    first = driver.produce(topic, batch("first", 300))
    with Crew(driver, group, topic) as crew:
        members: list[MemberView] = []
        # join one at a time, so the member restarted below is not the group leader
        for i in range(3):
            members.append(crew.add(f"m{i}", driver.static_conf(f"static-{group}-{i}")))
            crew.wait(
                f"{len(members)} static members to split the partitions",
                lambda ms=list(members): (  # type: ignore[misc]
                    set().union(*(m.assigned for m in ms)) == set(range(PARTITIONS))
                    and all(m.assigned for m in ms)
                    and sum(len(m.assigned) for m in ms) == PARTITIONS
                ),
            )
        crew.wait_split(members)
        crew.wait_read(members, first)
        stay, old = members[:2], members[2]
        old_parts = old.assigned
        # a wave the settled group shares, so the restarted member has records of its own
        reads_at, changes_at = read_marks(members), change_marks(stay)
        second = driver.produce(topic, batch("second", 300))
        crew.wait_read(members, second)
        check_owners(members, second, reads_at)
        assert {r.partition for r in old.reads[reads_at[old.name]:]} == old_parts
        old.close()  # auto commit on close; no LeaveGroup for a static member
        new = crew.add("m2-again", driver.static_conf(f"static-{group}-2"))
        crew.wait(f"the restarted member to get {sorted(old_parts)} back", lambda: new.assigned == old_parts)
        assert [c.partitions for c in new.changes if c.kind == "assign"] == [tuple(sorted(old_parts))]
        reads_at = read_marks([*stay, new])
        third = driver.produce(topic, batch("third", 300))
        crew.wait_read([*stay, new], third)
        check_owners([*stay, new], third, reads_at)
        for m in stay:
            assert m.changes_since(changes_at[m.name]) == [], (
                f"{m.name} was rebalanced when a static member came back\n{crew.describe()}"
            )
        # the restarted member resumed at the old one's committed offsets
        check_exact(new.reads, [s for s in third if s.partition in old_parts], "the restarted member's records")
        check_exact(all_reads([*members, new]), first + second + third, "records read by the group")


# --------------------------------------------------------------------------- group admin


class GroupAdmin:
    """One client's admin API for consumer groups: list, describe, list offsets, delete.

    ``check_*`` hold the client's own view of a group (what it reports and how);
    ``delete`` answers with the client's own outcome, compared with ``NON_EMPTY``/``DELETED``.
    """

    prefix = ""
    NON_EMPTY: Any = None
    DELETED: Any = None

    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap

    def close(self) -> None:
        pass

    def listed(self) -> dict[str, Any]:
        """group id -> the client's listing entry."""
        raise NotImplementedError

    def check_stable(self, group: str, topic: str, assigned: dict[str, set[int]]) -> None:
        """Listed and described as a Stable consumer group whose members (by client id)
        own ``assigned`` of ``topic``."""
        raise NotImplementedError

    def state(self, group: str) -> str:
        raise NotImplementedError

    def check_empty(self, group: str) -> None:
        raise NotImplementedError

    def check_dead(self, group: str) -> None:
        raise NotImplementedError

    def offsets(self, group: str) -> dict[tuple[str, int], int]:
        raise NotImplementedError

    def delete(self, group: str) -> Any:
        raise NotImplementedError


class KafkaPythonGroupAdmin(GroupAdmin):
    """kafka-python's KafkaAdminClient: delete_groups answers with error names."""

    prefix = "kp-admin"
    NON_EMPTY = "NonEmptyGroupError"
    DELETED = "OK"

    def __init__(self, bootstrap: str) -> None:
        from kafka.admin import KafkaAdminClient

        super().__init__(bootstrap)
        self.admin = KafkaAdminClient(bootstrap_servers=bootstrap)

    def close(self) -> None:
        self.admin.close()

    def listed(self) -> dict[str, Any]:
        return {g["group_id"]: g for g in self.admin.list_groups()}

    @staticmethod
    def _assigned(member: dict[str, Any], topic: str) -> set[int]:
        """Partitions of ``topic`` in a described member's (decoded) assignment."""
        assignment = member["member_assignment"]
        if isinstance(assignment, dict):
            entries = [(e["topic"], e["partitions"]) for e in assignment["assigned_partitions"]]
        else:
            entries = [(e.topic, e.partitions) for e in assignment.assigned_partitions]
        return {p for t, parts in entries if t == topic for p in parts}

    def _describe(self, group: str) -> dict[str, Any]:
        return self.admin.describe_groups([group])[group]  # type: ignore[no-any-return]

    def check_stable(self, group: str, topic: str, assigned: dict[str, set[int]]) -> None:
        listed = self.listed()
        assert group in listed, f"{group} not in {sorted(listed)}"
        assert listed[group]["protocol_type"] == "consumer"
        desc = self._describe(group)
        assert desc["error"] is None, desc
        assert desc["group_state"] == "Stable", desc
        assert desc["protocol_type"] == "consumer", desc
        assert desc["protocol_data"] in ("range", "roundrobin"), desc
        described = {m["client_id"]: self._assigned(m, topic) for m in desc["members"]}
        assert described == assigned, desc

    def state(self, group: str) -> str:
        return self._describe(group)["group_state"]  # type: ignore[no-any-return]

    def check_empty(self, group: str) -> None:
        desc = self._describe(group)
        assert (desc["group_state"], desc["members"]) == ("Empty", []), desc

    def check_dead(self, group: str) -> None:
        assert self.state(group) == "Dead"

    def offsets(self, group: str) -> dict[tuple[str, int], int]:
        return {(tp.topic, tp.partition): om.offset for tp, om in self.admin.list_group_offsets(group)[group].items()}

    def delete(self, group: str) -> Any:
        result = self.admin.delete_groups([group])
        assert set(result) == {group}, result
        return result[group]


class AiokafkaGroupAdmin(GroupAdmin):
    """AIOKafkaAdminClient has list/describe groups and list offsets but no delete: ``delete``
    sends aiokafka's own DeleteGroupsRequest through the admin client's connection. Each
    call runs in its own event loop with a new admin client."""

    prefix = "aio-admin"
    NON_EMPTY = 68
    DELETED = 0
    GROUP_ID_NOT_FOUND = 69

    def _run(self, fn: Callable[[Any], Any]) -> Any:
        from aiokafka.admin import AIOKafkaAdminClient

        async def run() -> Any:
            admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap)
            await admin.start()
            try:
                return await asyncio.wait_for(fn(admin), timeout=30)
            finally:
                await admin.close()

        return asyncio.run(run())

    def listed(self) -> dict[str, Any]:
        return dict(self._run(lambda a: a.list_consumer_groups()))

    def _describe(self, group: str) -> dict[str, Any]:
        async def describe(admin: Any) -> dict[str, Any]:
            (response,) = await admin.describe_consumer_groups([group])
            (described,) = response.to_object()["groups"]
            return described  # type: ignore[no-any-return]

        return self._run(describe)  # type: ignore[no-any-return]

    def check_stable(self, group: str, topic: str, assigned: dict[str, set[int]]) -> None:
        from aiokafka.coordinator.protocol import ConsumerProtocolMemberAssignment

        listed = self.listed()
        assert listed.get(group) == "consumer", f"{group} not listed as a consumer group: {listed}"
        desc = self._describe(group)
        assert desc["error_code"] == 0, desc
        # aiokafka's only default assignor is roundrobin
        assert (desc["state"], desc["protocol_type"], desc["protocol"]) == (
            "Stable", "consumer", "roundrobin"
        ), desc
        described = {
            m["client_id"]: {
                tp.partition
                for tp in ConsumerProtocolMemberAssignment.decode(m["member_assignment"]).partitions()
                if tp.topic == topic
            }
            for m in desc["members"]
        }
        assert described == assigned, desc

    def state(self, group: str) -> str:
        return self._describe(group)["state"]  # type: ignore[no-any-return]

    def check_empty(self, group: str) -> None:
        desc = self._describe(group)
        assert (desc["state"], desc["members"]) == ("Empty", []), desc

    def check_dead(self, group: str) -> None:
        desc = self._describe(group)
        # DescribeGroups before v6 answers an unknown group with no error and state Dead
        assert (desc["error_code"], desc["state"]) in ((0, "Dead"), (self.GROUP_ID_NOT_FOUND, "Dead")), desc

    def offsets(self, group: str) -> dict[tuple[str, int], int]:
        offsets = self._run(lambda a: a.list_consumer_group_offsets(group))
        return {(tp.topic, tp.partition): om.offset for tp, om in offsets.items()}

    def delete(self, group: str) -> Any:
        from aiokafka.protocol.admin import DeleteGroupsRequest

        async def delete(admin: Any) -> int:
            coordinator = await admin.find_coordinator(group)
            response = await admin._client.send(coordinator, DeleteGroupsRequest([group]))
            ((name, error_code),) = response.results
            assert name == group
            return int(error_code)

        return self._run(delete)


class ConfluentGroupAdmin(GroupAdmin):
    """confluent-kafka's AdminClient: failures come as KafkaException from the futures."""

    prefix = "ck-admin"
    TIMEOUT_S = 10.0
    RESULT_S = 30.0

    def __init__(self, bootstrap: str) -> None:
        from confluent_kafka import KafkaError
        from confluent_kafka.admin import AdminClient

        super().__init__(bootstrap)
        self.admin = AdminClient({"bootstrap.servers": bootstrap})
        self.NON_EMPTY = KafkaError.NON_EMPTY_GROUP
        self.DELETED = 0

    @staticmethod
    def _code(exc: BaseException) -> Any:
        from confluent_kafka import KafkaException

        assert isinstance(exc, KafkaException), repr(exc)
        return exc.args[0].code()

    def listed(self) -> dict[str, Any]:
        result = self.admin.list_consumer_groups(request_timeout=self.TIMEOUT_S).result(self.RESULT_S)
        assert not result.errors, result.errors
        return {g.group_id: g for g in result.valid}

    def _describe(self, group: str) -> Any:
        futures = self.admin.describe_consumer_groups([group], request_timeout=self.TIMEOUT_S)
        return futures[group].result(self.RESULT_S)

    def check_stable(self, group: str, topic: str, assigned: dict[str, set[int]]) -> None:
        from confluent_kafka import ConsumerGroupState

        listing = self.listed().get(group)
        assert listing is not None, f"{group} not listed"
        assert listing.state == ConsumerGroupState.STABLE, listing.state
        assert listing.is_simple_consumer_group is False
        desc = self._describe(group)
        assert desc.state == ConsumerGroupState.STABLE, desc.state
        assert desc.partition_assignor in ("range", "roundrobin"), desc.partition_assignor
        assert desc.is_simple_consumer_group is False
        described = {
            m.client_id: {tp.partition for tp in m.assignment.topic_partitions if tp.topic == topic}
            for m in desc.members
        }
        assert described == assigned, described

    def state(self, group: str) -> str:
        return str(self._describe(group).state.name.capitalize())

    def check_empty(self, group: str) -> None:
        from confluent_kafka import ConsumerGroupState

        desc = self._describe(group)
        assert (desc.state, desc.members) == (ConsumerGroupState.EMPTY, []), desc
        assert self.listed()[group].state == ConsumerGroupState.EMPTY

    def check_dead(self, group: str) -> None:
        from confluent_kafka import ConsumerGroupState, KafkaError, KafkaException

        try:
            state = self._describe(group).state
        except KafkaException as exc:  # DescribeGroups v6+: GROUP_ID_NOT_FOUND
            assert self._code(exc) == KafkaError.GROUP_ID_NOT_FOUND, exc
        else:
            assert state == ConsumerGroupState.DEAD, state

    def offsets(self, group: str) -> dict[tuple[str, int], int]:
        from confluent_kafka import ConsumerGroupTopicPartitions

        fut = self.admin.list_consumer_group_offsets(
            [ConsumerGroupTopicPartitions(group)], request_timeout=self.TIMEOUT_S,
        )[group]
        return {(tp.topic, tp.partition): tp.offset for tp in fut.result(self.RESULT_S).topic_partitions}

    def delete(self, group: str) -> Any:
        from confluent_kafka import KafkaException

        future = self.admin.delete_consumer_groups([group], request_timeout=self.TIMEOUT_S)[group]
        try:
            future.result(self.RESULT_S)
        except KafkaException as exc:
            return self._code(exc)
        return self.DELETED


GROUP_ADMINS: dict[str, type[GroupAdmin]] = {
    "kafka-python": KafkaPythonGroupAdmin,
    "aiokafka": AiokafkaGroupAdmin,
    "confluent-kafka": ConfluentGroupAdmin,
}


def scenario_admin(driver: Driver, admin: GroupAdmin) -> None:
    """List, describe, list offsets and delete a group: refused while it has members, then
    Empty with its offsets kept once they left, then gone (Dead) after the delete."""
    topic = driver.create_topic()
    group = unique_group(admin.prefix)
    first = driver.produce(topic, batch("first", 60))
    ends = per_partition(first)
    want_offsets = {(topic, p): n for p, n in ends.items()}
    try:
        with Crew(driver, group, topic) as crew:
            members = [crew.add("m0"), crew.add("m1")]
            crew.wait_split(members)
            crew.wait_read(members, first)
            for m in members:
                m.call("commit_sync")

            admin.check_stable(group, topic, {m.name: set(m.assigned) for m in members})
            assert admin.offsets(group) == want_offsets
            assert admin.delete(group) == admin.NON_EMPTY
            assert admin.state(group) == "Stable"

        # every member left: the group is Empty but keeps its offsets
        admin.check_empty(group)
        assert admin.offsets(group) == want_offsets
        assert driver.committed(group, topic) == ends

        assert admin.delete(group) == admin.DELETED
        assert group not in admin.listed()
        assert admin.offsets(group) == {}
        admin.check_dead(group)
    finally:
        admin.close()
